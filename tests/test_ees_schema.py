"""Tests of `csc_analysis.ees_schema`: the declared shape of an EES download, and its one-line errors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csc_analysis import ees, ees_schema
from csc_analysis.catalogue import load_catalogue
from csc_analysis.errors import CscError

from . import test_ees
from .test_ees import C1, C1_INDICATORS

c1_text = test_ees.c1_text  # the module-scoped fixture of tests/test_ees.py: the bundled c1 download's text


# Line 38 of the bundled c1 download (Oldham, 2025), as published:
OLDHAM_2025 = (
    "2025,Reporting year,Local authority,E92000001,England,E12000002,North West,353,E08000004,Oldham,"
    "Referrals and Re-referrals,4196,887,21.1,70,1.7,634,15.1,3809,773,20.3"
)


def parse_c1(path: Path) -> list[pd.DataFrame]:
    """What build_published does with the c1 download: read, geography, then each indicator's values."""
    frame = ees.read_ees_csv(path, ees.GEOGRAPHY)
    geo = ees.geography(frame, path)
    catalogue = load_catalogue()
    return [ees.source_rows(catalogue[i], frame, geo, path) for i in C1_INDICATORS]


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("2025,Reporting", "202425,Reporting", "column time_period, line 38: value '202425' is not a 4-digit year"),
        (",353,", ",c,", "column old_la_code, line 38: value 'c' is not a 3-digit LA code"),
        (",353,", ",35,", "column old_la_code, line 38: value '35' is not a 3-digit LA code"),
        (",E08000004,", ",E0800000x,", "column new_la_code, line 38: value 'E0800000x' is not an ONS LA code"),
        (",4196,887,", ",-4196,887,", "column referral_count, line 38: value '-4196' is not a whole number from 0"),
        (",4196,887,", ",inf,887,", "column referral_count, line 38: value 'inf' is not a whole number from 0"),
        (",4196,887,", ",4196.5,887,", "column referral_count, line 38: value '4196.5' is not a whole number from 0"),
        (
            ",4196,887,",
            ",41960000,887,",
            "column referral_count, line 38: value '41960000' is not a whole number from 0",
        ),
        (
            ",21.1,70,",
            ",121.1,70,",
            "column rereferral_percent, line 38: value '121.1' is not a percentage from 0 to 100",
        ),
    ],
    ids=[
        "span-year",
        "symbol-code",
        "short-code",
        "ons-code",
        "negative",
        "infinite",
        "fractional",
        "absurd",
        "percent-over-100",
    ],
)
def test_file_breaking_the_declared_schema_is_a_one_line_error(tmp_path, c1_text, old, new, message):
    assert OLDHAM_2025 in c1_text
    path = tmp_path / C1
    path.write_text(c1_text.replace(OLDHAM_2025, OLDHAM_2025.replace(old, new, 1)))
    with pytest.raises(CscError) as err:
        parse_c1(path)
    text = str(err.value)
    assert text.startswith(f"{path}: {message}") and "\n" not in text


def test_span_of_years_only_where_the_file_declares_it(tmp_path):
    lines = [
        "time_period,time_identifier,geographic_level,region_name,old_la_code,new_la_code,la_name",
        "202425,Financial year,Local authority,North West,353,E08000004,Oldham",
    ]
    path = tmp_path / "f.csv"
    path.write_text("\n".join(lines) + "\n")
    frame = ees.read_ees_csv(path, ees.GEOGRAPHY)
    assert list(ees.geography(frame, path).year) == [2025]  # 2024-25 ends in 2025, as "year to 31 March 2025"
    path.write_text("\n".join(lines).replace("202425", "202426") + "\n")
    with pytest.raises(CscError, match="column time_period, line 2: value '202426' is not a span of consecutive"):
        ees.geography(ees.read_ees_csv(path, ees.GEOGRAPHY), path)


PATH = Path("f.csv")
GEOGRAPHY = ["time_period", "time_identifier", "geographic_level", "country_code", "region_code"]
GEOGRAPHY += ["old_la_code", "new_la_code", "la_name"]
# A small file as `ees.read_ees_csv` returns it (text), one row per kind of place; row i is line i + 2.
ROWS = [
    ["2024", "Calendar year", "National", "E92000001", "", "", "", ""],
    ["2024", "Calendar year", "Regional", "E92000001", "E12000002", "", "", ""],
    ["2024", "Calendar year", "Local authority", "E92000001", "E12000002", "353", "E08000004", "Oldham"],
    [
        "2024",
        "Calendar year",
        "Local authority",
        "E92000001",
        "E12000004",
        "940 / 941",
        "E06000061 / E06000062",
        "North Northamptonshire / West Northamptonshire",
    ],
]


def _frame(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in rows], columns=GEOGRAPHY, dtype=str)


def _with(row: int, column: str, text: str) -> pd.DataFrame:
    frame = _frame()
    frame.loc[row, column] = text
    return frame


def test_valid_geography_passes():
    assert ees_schema.check_geography(_frame(), PATH) is None


@pytest.mark.parametrize(
    "row, column, text, message",
    [
        (2, "old_la_code", "35", "column old_la_code, line 4: value '35' is not a 3-digit LA code like 353"),
        (2, "old_la_code", "c", "column old_la_code, line 4: value 'c' is not a 3-digit LA code like 353"),
        (0, "old_la_code", "353", "column old_la_code, line 2: value '353' is not blank (only LA rows have"),
        (
            3,
            "new_la_code",
            "E0600006 / E06000062",
            "column new_la_code, line 5: value 'E0600006 / E06000062' is not an",
        ),
        (2, "la_name", "  ", "column la_name, line 4: value '  ' is not an LA name"),
        (2, "region_code", "", "column region_code, line 4: value '' is not an ONS region code like E12000002"),
        (
            1,
            "geographic_level",
            "Ward",
            "column geographic_level, line 3: value 'Ward' is not one of National, Regional,",
        ),
        (0, "country_code", "E9200001", "column country_code, line 2: value 'E9200001' is not an ONS country code"),
        (1, "time_period", "202425", "column time_period, line 3: value '202425' is not a 4-digit year"),
    ],
    ids=[
        "short-la-code",
        "symbol-la-code",
        "national-la-code",
        "joint-ons-code",
        "blank-name",
        "la-without-region",
        "level",
        "country-code",
        "span-by-calendar-year",
    ],
)
def test_a_bad_geography_cell_is_one_line_naming_column_line_and_value(row, column, text, message):
    # The line is the row's position + 2: the header is line 1.
    with pytest.raises(CscError) as err:
        ees_schema.check_geography(_with(row, column, text), PATH)
    assert str(err.value).startswith(f"f.csv: {message}") and "\n" not in str(err.value)


@pytest.mark.parametrize("identifier", ["Financial year", "Academic year"])
def test_a_span_of_consecutive_years_is_allowed_by_financial_or_academic_year(identifier):
    frame = _frame()
    frame["time_identifier"] = identifier
    frame["time_period"] = ["202425", "202425", "199900", "202021"]  # 1999-00: the second year is 00
    assert ees_schema.check_geography(frame, PATH) is None
    frame.loc[3, "time_period"] = "202022"  # 2020-22 is not a year
    with pytest.raises(CscError, match=r"^f.csv: column time_period, line 5: value '202022' is not a span of consec"):
        ees_schema.check_geography(frame, PATH)
    frame.loc[3, "time_period"] = "2021"
    with pytest.raises(CscError, match=r"^f.csv: column time_period, line 5: value '2021' is not a span of consec"):
        ees_schema.check_geography(frame, PATH)


def test_the_first_bad_line_is_named_and_a_repeated_place_is_checked_at_its_first_line():
    bad_code = ROWS[2][:5] + ["35", "E08000004", "Oldham"]
    bad_ons = ROWS[2][:5] + ["353", "E0800004", "Oldham"]
    # Lines 2-5 good, 6 a bad ONS code, 7 a bad LA code: line 6 is named.
    frame = _frame([*ROWS, bad_ons, bad_code])
    with pytest.raises(CscError, match=r"^f.csv: column new_la_code, line 6: "):
        ees_schema.check_geography(frame, PATH)
    # The same bad row on lines 6 and 8 (files repeat a place's geography on every breakdown row): line 6.
    frame = _frame([*ROWS, bad_code, ROWS[2], bad_code])
    with pytest.raises(CscError, match=r"^f.csv: column old_la_code, line 6: value '35'"):
        ees_schema.check_geography(frame, PATH)


def _raw(*texts: str, start: int = 0) -> pd.Series:
    return pd.Series(list(texts), index=range(start, start + len(texts)), name="the_column")


@pytest.mark.parametrize(
    "unit, good, bad, expected",
    [
        ("count", [0, 15_000_000], 2.5, "a whole number from 0 to 15,000,000"),
        ("count", [0, 15_000_000], -1, "a whole number from 0 to 15,000,000"),
        ("count", [0, 15_000_000], 15_000_001, "a whole number from 0 to 15,000,000"),
        ("net_count", [-15_000_000, 15_000_000], -15_000_001, "a whole number from -15,000,000 to 15,000,000"),
        ("net_count", [-15_000_000, 15_000_000], -0.5, "a whole number from -15,000,000 to 15,000,000"),
        ("percent", [0, 100, 33.3], 100.1, "a percentage from 0 to 100"),
        ("percent", [0, 100, 33.3], -0.1, "a percentage from 0 to 100"),
        ("fte", [0, 0.5, 100_000], np.inf, "a number from 0 to 100,000 (FTE)"),
        ("rate_per_10k", [0, 10_000], 10_000.5, "a rate from 0 to 10,000 per 10,000"),
        ("ratio", [0, 17.7, 200], 201, "a ratio from 0 to 200 (cases per FTE)"),
        ("sessions", [0, 2_000_000_000], 1.5, "a whole number of school sessions from 0 to 2,000,000,000"),
        ("score", [-100, 0.25, 100], -100.5, "a score from -100 to 100 (KS4 Attainment 8 or Progress 8)"),
    ],
)
def test_a_figure_outside_its_unit_s_rule_is_one_line_naming_column_line_and_value(unit, good, bad, expected):
    texts = [str(v) for v in good]
    ees_schema.check_values(np.array(good, dtype=float), unit, _raw(*texts), PATH)
    # The bad figure is at row position 11 (the frame keeps the file's row numbers): line 13.
    values = np.array([*good, bad], dtype=float)
    with pytest.raises(CscError) as err:
        ees_schema.check_values(values, unit, _raw(*texts, f"<{bad}>", start=11 - len(good)), PATH)
    assert str(err.value) == f"f.csv: column the_column, line 13: value '<{bad}>' is not {expected}"


def test_a_symbol_is_blank_and_passes():
    # Symbols (c, x, low, ...) are parsed to NaN before the check, which leaves them to parse_numbers.
    ees_schema.check_values(np.array([1.0, np.nan, np.nan]), "count", _raw("1", "c", "x"), PATH)


@pytest.mark.parametrize("unit", ["gbp", "gbp_thousands"])
def test_money_is_not_checked_here(unit):
    # Units without a rule (the revenue outturn workbooks' money) pass whatever the figure.
    ees_schema.check_values(np.array([-5e12, 2.5]), unit, _raw("-5e12", "2.5"), PATH)


def test_every_catalogue_unit_has_a_rule_or_is_money():
    units = {ind.unit for ind in load_catalogue().values()}
    assert units - set(ees_schema.VALUE_RULES) <= {"gbp", "gbp_thousands"}
