"""Tests of `csc_analysis.neighbours`: statistical-neighbour tables, the DfE models' files, and comparison series."""

import numpy as np
import pandas as pd
import pytest

from csc_analysis import neighbours
from csc_analysis.errors import CscError
from csc_analysis.registry import LA


def test_sn_2025_default(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"))
    assert list(table.la_name[:3]) == ["Blackburn with Darwen", "Bolton", "Rochdale"]
    assert list(table.position) == list(range(1, 11))


def test_sn_2021_uses_predecessor_for_new_la(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Cumberland"), "2021")
    # Cumbria (909) in the April 2021 groupings: 925 Lincolnshire first.
    assert table.la_code.iloc[0] == "925"
    assert "predecessor Cumbria" in table.note.iloc[0]


def test_sn_user_list(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), ["Bolton", "354", "E08000033"])
    assert list(table.la_code) == ["350", "354", "381"]
    with pytest.raises(CscError, match="includes Oldham itself"):
        neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), ["Oldham"])
    # Bolton's DfE code is 350: named twice, it would count twice in the neighbours' median.
    with pytest.raises(CscError, match=r"^the neighbour list names Bolton twice: each neighbour counts once"):
        neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), ["Bolton", "Bury", "350"])
    with pytest.raises(CscError, match="unknown statistical neighbour model"):
        neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), "2019")


def test_comparison_series_oldham_agency(published, sn_models, registry):
    la = registry.resolve("Oldham")
    codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = neighbours.comparison_series(published, la, codes, ["agency_rate_fte"]).set_index("year")
    row = table.loc[2024]
    assert row.value == 32.3
    # England's published 2024 agency rate, csww file national row for 2024.
    eng = published.query("geographic_level == 'national' and indicator == 'agency_rate_fte' and year == 2024")
    assert row.england_value == eng.value.item()
    sn_vals = published.query("indicator == 'agency_rate_fte' and year == 2024 and la_code in @codes").value
    assert row.sn_median == sn_vals.median() and row.sn_n == sn_vals.notna().sum()
    assert (
        row.region_value
        == published.query(
            "geographic_level == 'regional' and la_name == 'North West' "
            "and indicator == 'agency_rate_fte' and year == 2024"
        ).value.item()
    )


def test_sn_models(sn_models):
    oldham_2025 = sn_models.query("model == '2025' and la_code == '353'")
    # sn_model_2025_wide.csv, row 353: 889, 350, 354, 380, 335, 831, 861, 331, 330, 333.
    assert list(oldham_2025.neighbour_code) == ["889", "350", "354", "380", "335", "831", "861", "331", "330", "333"]
    assert oldham_2025.iloc[0].band == "Very close"
    oldham_2021 = sn_models.query("model == '2021' and la_code == '353'")
    assert list(oldham_2021.neighbour_code)[:3] == ["354", "380", "335"]
    assert oldham_2021.iloc[0].band == "Very Close"
    assert sn_models.query("model == '2025'").la_code.nunique() == 153


def test_sn_2025_for_an_la_abolished_before_it_is_its_april_2021_grouping(sn_models, registry):
    # New_Statistical_Neighbour_Groupings_April_2021.csv, Cumbria (909): 925, 926, 830, 891, 860, 885, 935, 940, 893,
    # 878; Cumbria is not in sn_model_2025_wide.csv.
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Cumbria"), "2025")
    assert list(table.la_code) == ["925", "926", "830", "891", "860", "885", "935", "940", "893", "878"]
    assert table.band.iloc[0] == "Extremely Close"
    assert set(table.note) == {"DfE April 2021 groupings: Cumbria is not in the DfE 2025 model"}


def _models(*rows) -> pd.DataFrame:
    """A long models table (`long_models`'s columns) from (model, la_code, position, neighbour_code, band) rows."""
    return pd.DataFrame(rows, columns=["model", "la_code", "position", "neighbour_code", "band"])


def test_sn_table_is_in_position_order_with_names_and_bands(registry):
    models = _models(
        ("2025", "353", 3, "381", "Close"),
        ("2025", "353", 1, "350", "Very close"),
        ("2025", "353", 2, "354", "Very close"),
        ("2021", "353", 1, "801", "Close"),  # the other model: not used
        ("2025", "350", 1, "353", "Very close"),  # another LA's neighbours: not used
    )
    table = neighbours.sn_table(models, registry, registry.resolve("Oldham"), "2025")
    assert list(table.columns) == ["position", "la_code", "la_name", "band", "note"]
    assert list(table.position) == [1, 2, 3]
    assert list(table.la_code) == ["350", "354", "381"]
    assert list(table.la_name) == ["Bolton", "Rochdale", "Calderdale"]  # sn_model_2025_wide.csv names
    assert list(table.band) == ["Very close", "Very close", "Close"]
    assert set(table.note) == {"DfE 2025 model"}


def test_sn_table_predecessor_fallback_and_missing_la(registry):
    oldham, cumberland = registry.resolve("Oldham"), registry.resolve("Cumberland")
    models = _models(("2021", "909", 1, "925", "Extremely Close"), ("2021", "909", 2, "926", "Very Close"))
    # Cumberland (942) was made from Cumbria (909) after the 2021 groupings: Cumbria's neighbours.
    table = neighbours.sn_table(models, registry, cumberland, "2021")
    assert list(table.la_code) == ["925", "926"]
    assert set(table.note) == {"DfE 2021 model, neighbours of predecessor Cumbria"}
    # Not in the 2025 model: the 2021 groupings, said so; in neither: a one-line error.
    table = neighbours.sn_table(models, registry, cumberland, "2025")
    assert set(table.note) == {"DfE April 2021 groupings: Cumberland is not in the DfE 2025 model"}
    with pytest.raises(CscError, match=r"^Oldham \(353\) is not in the 2021 statistical neighbour model$"):
        neighbours.sn_table(models, registry, oldham, "2021")
    with pytest.raises(CscError, match=r"^Oldham \(353\) is not in the 2021 statistical neighbour model$"):
        neighbours.sn_table(models, registry, oldham, "2025")


def _wide_2025(*rows) -> pd.DataFrame:
    columns = ["old_la_code"] + [c for i in range(1, 11) for c in (f"SN_{i}", f"SN_{i}P")]
    return pd.DataFrame(rows, columns=columns, dtype=str)


def _wide_2021(*rows) -> pd.DataFrame:
    # The published file repeats the header SNP after each SNn; pandas reads them as SNP, SNP.1, ..., SNP.9.
    columns = ["LA number"] + [c for i in range(1, 11) for c in (f"SN{i}", "SNP" if i == 1 else f"SNP.{i - 1}")]
    return pd.DataFrame(rows, columns=columns, dtype=str)


FILES = {"2025": "sn_2025.csv", "2021": "sn_2021.csv"}


def test_long_models_one_row_per_neighbour_with_its_band():
    codes = [str(c) for c in range(801, 811)]
    bands = ["Very close "] + ["Close"] * 9  # cells are stripped
    row_2025 = ["353"] + [x for pair in zip(codes, bands) for x in pair]
    blank = [""] * 21  # a blank line at the end of the file
    row_2021 = [" 909 "] + [x for pair in zip(codes[::-1], ["Very Close", *["Not Close"] * 9]) for x in pair]
    frames = {"2025": _wide_2025(row_2025, blank), "2021": _wide_2021(row_2021)}
    out = neighbours.long_models(frames, FILES)
    assert list(out.columns) == ["model", "la_code", "position", "neighbour_code", "band"]
    assert len(out) == 20  # 10 neighbours for each of the two LAs; the blank row gives none
    assert list(out.model) == ["2021"] * 10 + ["2025"] * 10
    new, old = out[out.model == "2025"], out[out.model == "2021"]
    assert set(new.la_code) == {"353"} and set(old.la_code) == {"909"}
    assert list(new.position) == list(range(1, 11)) and list(old.position) == list(range(1, 11))
    assert list(new.neighbour_code) == codes and list(old.neighbour_code) == codes[::-1]
    assert list(new.band) == ["Very close"] + ["Close"] * 9
    assert list(old.band) == ["Very Close"] + ["Not Close"] * 9  # SNP, then SNP.1 ... SNP.9


def test_long_models_refuses_a_neighbour_code_that_is_not_three_digits():
    codes = ["801", "802", "35", *[str(c) for c in range(804, 811)]]
    row = ["353"] + [x for c in codes for x in (c, "Close")]
    with pytest.raises(CscError, match=r"^sn_2025.csv: LA code '35' is not a 3-digit code$"):
        neighbours.long_models({"2025": _wide_2025(row)}, FILES)


def test_long_models_names_the_la_s_own_code_when_that_is_the_bad_one():
    # The neighbours are all valid here; the LA's own code "3530" is not (it used to quote neighbour 801).
    row = ["3530"] + [x for c in range(801, 811) for x in (str(c), "Close")]
    with pytest.raises(CscError, match=r"^sn_2025.csv: LA code '3530' is not a 3-digit code$"):
        neighbours.long_models({"2025": _wide_2025(row)}, FILES)


def test_a_model_given_as_a_number_is_that_model(sn_models, registry):
    # `-p sn_model=2021` is read as YAML, so the notebook gets the number 2021 (a TypeError before).
    oldham = registry.resolve("Oldham")
    for year in (2021, 2025):
        pd.testing.assert_frame_equal(
            neighbours.sn_table(sn_models, registry, oldham, year),
            neighbours.sn_table(sn_models, registry, oldham, str(year)),
        )
    with pytest.raises(CscError, match="unknown statistical neighbour model '2019'"):
        neighbours.sn_table(sn_models, registry, oldham, 2019)


OLDHAM = LA("353", "E08000004", "Oldham", "North West", True, 2010, 2025)


def _tidy_row(indicator, year, level, la_code, la_name, value, status=None):
    return (indicator, year, level, la_code, la_name, value, status)


def test_comparison_series_by_hand():
    rows = [
        _tidy_row("agency_rate_fte", 2024, "la", "353", "Oldham", 15.0),
        _tidy_row("agency_rate_fte", 2024, "la", "350", "Bolton", 10.0),
        _tidy_row("agency_rate_fte", 2024, "la", "354", "Rochdale", 20.0),
        _tidy_row("agency_rate_fte", 2024, "la", "355", "Salford", np.nan, "low"),  # counted as 0
        _tidy_row("agency_rate_fte", 2024, "la", "356", "Stockport", np.nan, "c"),  # suppressed: left out
        _tidy_row("agency_rate_fte", 2024, "la", "999", "Not a neighbour", 1000.0),
        _tidy_row("agency_rate_fte", 2024, "regional", None, "North West", 12.0),
        _tidy_row("agency_rate_fte", 2024, "regional", None, "London", 99.0),
        _tidy_row("agency_rate_fte", 2024, "national", None, "England", 11.0),
        # 2023: no Oldham value and no regional row.
        _tidy_row("agency_rate_fte", 2023, "la", "350", "Bolton", 8.0),
        _tidy_row("agency_rate_fte", 2023, "la", "354", "Rochdale", 9.0),
        _tidy_row("agency_rate_fte", 2023, "national", None, "England", 10.0),
        _tidy_row("referrals", 2024, "la", "353", "Oldham", 5.0),  # not asked for
    ]
    tidy = pd.DataFrame(
        rows, columns=["indicator", "year", "geographic_level", "la_code", "la_name", "value", "status"]
    )
    out = neighbours.comparison_series(tidy, OLDHAM, ["350", "354", "355", "356"], ["agency_rate_fte"])
    assert set(out.columns) == {
        "indicator",
        "year",
        "value",
        "status",
        "sn_median",
        "sn_mean",
        "sn_min",
        "sn_max",
        "sn_n",
        "region_value",
        "england_value",
        "sn_note",
        "flag",
    }
    assert list(out.indicator) == ["agency_rate_fte"] * 2 and list(out.year) == [2023, 2024]
    y2023, y2024 = out.iloc[0], out.iloc[1]
    # 2024: neighbours 10, 20 and 0 (the `low`): median 10, mean 10, min 0, max 20, three values.
    assert (y2024.value, y2024.sn_median, y2024.sn_mean, y2024.sn_min, y2024.sn_max, y2024.sn_n) == (
        15.0,
        10.0,
        10.0,
        0.0,
        20.0,
        3,
    )
    assert (y2024.region_value, y2024.england_value) == (12.0, 11.0)
    assert y2024.sn_note == "1 neighbour value(s) published as 'low' (positive, rounds to 0) counted as 0"
    assert y2024.flag is None
    # 2023: neighbours 8 and 9: median and mean 8.5; Oldham's value and the region's are missing.
    assert (y2023.sn_median, y2023.sn_mean, y2023.sn_min, y2023.sn_max, y2023.sn_n) == (8.5, 8.5, 8.0, 9.0, 2)
    assert np.isnan(y2023.value) and np.isnan(y2023.region_value) and y2023.england_value == 10.0
    assert y2023.sn_note is None and y2023.flag is None
    # Without an indicator list, every indicator is compared.
    assert set(neighbours.comparison_series(tidy, OLDHAM, ["350"]).indicator) == {"agency_rate_fte", "referrals"}
