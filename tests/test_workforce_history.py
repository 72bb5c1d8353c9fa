"""Workforce at 30 September 2015 and 2016 spliced before 2017 from the pre-EES wide files (issue #16, item 12).

Expected values are read by hand from data/SFR07_2016_UD.csv (workforce 2015) and data/SFR08_2017_UD.csv
(workforce 2016); each comment quotes the cells (file line, column header, cell text).
"""

import io
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis import workforce_history
from csc_analysis.cli import cli
from csc_analysis.errors import CscError

from .conftest import national, value

# (indicator, la_code, year, expected): a number, or the symbol the tidy table keeps.
CASES = [
    # SFR07_2016_UD.csv line 38, Oldham 353: A1_FTE_ChildrensSocialWorkers_2015 "96.8", B1_FTE_Starters_2015 "25.9",
    # B2_FTE_Leavers_2015 "13", B3_FTE_TurnoverRate_2015 "13", D1_FTE_AgencyWorkers_2015 "13",
    # D2_FTE_AgencyWorkerRate_2015 "12", A2_FTE_Vacancies_2015 "13", A3_FTE_VacancyRate_2015 "12",
    # C2_FTE_AbsenceRate_2015 "3".
    ("inpost_fte", "353", 2015, 96.8),
    ("starters_fte", "353", 2015, 25.9),
    ("leavers_fte", "353", 2015, 13),
    ("turnover_rate_fte", "353", 2015, 13),
    ("agency_fte", "353", 2015, 13),
    ("agency_rate_fte", "353", 2015, 12),
    ("vacancy_fte", "353", 2015, 13),
    ("vacancy_rate_fte", "353", 2015, 12),
    ("absence_rate_fte", "353", 2015, 3),
    # Line 72, Rutland 857: A1 "11.4", B1 "x", B2 "6", B3 "53", D1 "6", D2 "34", A2 "6", A3 "34", C2 "-" (nil or
    # negligible: kept as k, never 0).
    ("inpost_fte", "857", 2015, 11.4),
    ("starters_fte", "857", 2015, "x"),
    ("leavers_fte", "857", 2015, 6),
    ("turnover_rate_fte", "857", 2015, 53),
    ("agency_fte", "857", 2015, 6),
    ("agency_rate_fte", "857", 2015, 34),
    ("vacancy_fte", "857", 2015, 6),
    ("vacancy_rate_fte", "857", 2015, 34),
    ("absence_rate_fte", "857", 2015, "k"),
    # Line 157, Isles of Scilly 420: every FTE cell "x".
    ("inpost_fte", "420", 2015, "x"),
    ("agency_rate_fte", "420", 2015, "x"),
    ("vacancy_fte", "420", 2015, "x"),
    ("vacancy_rate_fte", "420", 2015, "x"),
    ("agency_fte", "420", 2015, "x"),
    ("starters_fte", "420", 2015, "x"),
    ("leavers_fte", "420", 2015, "x"),
    ("turnover_rate_fte", "420", 2015, "x"),
    ("absence_rate_fte", "420", 2015, "x"),
    # SFR08_2017_UD.csv line 38, Oldham 353: A1_FTE_ChildrensSocialWorkers_2016 "150.5", B1 "33.0", B2 "23.5",
    # B3 "15.6", D1 "12.0", D2 "7.4", A2 "18.0", A3 "10.7", C2_FTE_AbsenceRate_2016 "3.1".
    ("inpost_fte", "353", 2016, 150.5),
    ("starters_fte", "353", 2016, 33.0),
    ("leavers_fte", "353", 2016, 23.5),
    ("turnover_rate_fte", "353", 2016, 15.6),
    ("agency_fte", "353", 2016, 12.0),
    ("agency_rate_fte", "353", 2016, 7.4),
    ("vacancy_fte", "353", 2016, 18.0),
    ("vacancy_rate_fte", "353", 2016, 10.7),
    ("absence_rate_fte", "353", 2016, 3.1),
    # Line 104, City of London 201: A1 "7.0", B1_FTE_Starters_2016 "x", B2 "0.0", B3 "0.0", D1 "3.6", D2 "34.0",
    # A2 "0.0", A3 "0.0", C2 "2.9".
    ("inpost_fte", "201", 2016, 7.0),
    ("starters_fte", "201", 2016, "x"),
    ("leavers_fte", "201", 2016, 0.0),
    ("turnover_rate_fte", "201", 2016, 0.0),
    ("agency_fte", "201", 2016, 3.6),
    ("agency_rate_fte", "201", 2016, 34.0),
    ("vacancy_fte", "201", 2016, 0.0),
    ("vacancy_rate_fte", "201", 2016, 0.0),
    ("absence_rate_fte", "201", 2016, 2.9),
    # Line 124, Richmond upon Thames 318: every cell "." (not applicable; returned with Kingston) -> z.
    *[
        (ind, "318", 2016, "z")
        for ind in (
            "inpost_fte",
            "starters_fte",
            "leavers_fte",
            "turnover_rate_fte",
            "agency_fte",
            "agency_rate_fte",
            "vacancy_fte",
            "vacancy_rate_fte",
            "absence_rate_fte",
        )
    ],
]
SPLICED = [
    "inpost_fte",
    "starters_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "absence_rate_fte",
]
NOT_SPLICED = ["agency_cover_rate_fte", "vacancy_agency_cover_rate_fte", "case_holders_fte", "cases", "caseload_fte"]


@pytest.mark.parametrize("indicator, la_code, year, expected", CASES, ids=lambda v: str(v))
def test_spliced_workforce_against_the_source_files(published, indicator, la_code, year, expected):
    row = value(published, la_code, indicator, year)
    if isinstance(expected, str):
        assert math.isnan(row.value) and row.status == expected
    else:
        assert pd.isna(row.status) and row.value == pytest.approx(expected)


def test_every_spliced_indicator_and_year_is_checked_for_two_las_one_with_a_symbol():
    for ind in SPLICED:
        for year in (2015, 2016):
            cases = [(la, exp) for i, la, y, exp in CASES if i == ind and y == year]
            assert len({la for la, _ in cases}) >= 2, (ind, year)
            assert any(isinstance(e, str) for _, e in cases) and any(not isinstance(e, str) for _, e in cases)


def test_england_and_regions_with_thousands_separators(published):
    # SFR08_2017_UD.csv line 2 (England, no region or LA code): A1_FTE_ChildrensSocialWorkers_2016 "27,700",
    # SFR07_2016_UD.csv line 2: A1_FTE_ChildrensSocialWorkers_2015 "26500".
    assert national(published, "inpost_fte", 2016).value == 27_700
    assert national(published, "inpost_fte", 2015).value == 26_500
    # SFR07 line 8, Region_code E12000006 "East" (EES: "East of England"): A1 "2480"; line 10, E13000001: "2270".
    regional = published[
        (published.geographic_level == "regional") & (published.indicator == "inpost_fte") & (published.year == 2015)
    ].set_index("la_name")["value"]
    assert regional["East of England"] == 2_480 and regional["Inner London"] == 2_270


def test_definitions_that_differ_are_not_spliced(published):
    # The 2016 file counts case holders as a role (A1e) and its Average_caseload (England 16.1) is not cases per
    # case-holding FTE (284,130 / 15,000 = 18.9); agency cover is a count there, not DfE's two rates.
    years = published[published.indicator.isin(NOT_SPLICED)].groupby("indicator")["year"].min()
    assert (years == 2017).all() and set(years.index) == set(NOT_SPLICED)


def test_spliced_rates_agree_with_their_counts(published):
    """DfE's published 2015-2016 rates (taken as published) against the counts in the same file: turnover is
    leavers / in post, agency rate agency / (agency + in post), vacancy rate vacancies / (vacancies + in post),
    within the rounding of the rate (whole numbers in 2015, one decimal in 2016) plus the counts' own
    rounding (FTE to one decimal place)."""
    la = published[(published.geographic_level == "la") & published.year.isin([2015, 2016])]
    wide = la.pivot_table(index=["la_code", "year"], columns="indicator", values="value")
    checks = {
        "turnover_rate_fte": wide.leavers_fte / wide.inpost_fte,
        "agency_rate_fte": wide.agency_fte / (wide.agency_fte + wide.inpost_fte),
        "vacancy_rate_fte": wide.vacancy_fte / (wide.vacancy_fte + wide.inpost_fte),
    }
    for ind, ratio in checks.items():
        both = pd.DataFrame({"ours": ratio * 100, "dfe": wide[ind]}).dropna()
        tolerance = both.index.get_level_values("year").map({2015: 0.5, 2016: 0.05}).to_numpy() + 0.15
        off = both[(both.ours - both.dfe).abs() > tolerance]
        assert len(both) > 250, ind
        assert len(off) <= 0.02 * len(both), (ind, off.head())


def test_data_command_gives_the_new_years_for_oldham():
    out = CliRunner().invoke(
        cli,
        [
            "data",
            "--la",
            "Oldham",
            "--indicator",
            "agency_rate_fte",
            "--indicator",
            "cla_spend",
            "--indicator",
            "cla_spend_per_cla",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    got = pd.read_csv(io.StringIO(out.output)).set_index(["indicator", "year"])["value"]
    # SFR07_2016_UD.csv Oldham D2_FTE_AgencyWorkerRate_2015 "12"; SFR08_2017_UD.csv "7.4".
    assert got["agency_rate_fte", 2015] == 12 and got["agency_rate_fte", 2016] == 7.4
    # RO3_2022-23 row 282 (E08000004), code RO3-csclkd-net-cur-exp: 32787; RO3_2023-24 row 273: 42181.
    assert got["cla_spend", 2023] == 32_787 and got["cla_spend", 2024] == 42_181
    # Per child looked after 2023: 32,787 thousand / 540 (cla_number_and_rate_per_10k_children.csv line 1110,
    # Oldham, "Children looked after on 31 March each year",62585,540,86).
    assert got["cla_spend_per_cla", 2023] == pytest.approx(32_787_000 / 540)


def test_unknown_symbol_or_region_is_a_one_line_error(tmp_path):
    head = "Country_code,Region_code,LA_code (9 digit),LA_name,LA_code (3 digit),A1_FTE_ChildrensSocialWorkers_2015\n"
    bad_region = tmp_path / "region.csv"
    bad_region.write_text(head + "E92000001,E12000099,E08000004,Oldham,353,96.8\n")
    with pytest.raises(CscError, match=r"region\.csv: region code 'E12000099' \(line 2\)"):
        workforce_history.read_wide_workforce(
            bad_region, 2015, ["A1_FTE_ChildrensSocialWorkers_2015"], {"E12000002": "North West"}
        )
    bad_code = tmp_path / "code.csv"
    bad_code.write_text(head + "E92000001,E12000002,E08000004,Oldham,35X,96.8\n")
    with pytest.raises(CscError, match=r"code\.csv: LA code '35X' is not a 3-digit code \(line 2\)"):
        workforce_history.read_wide_workforce(
            bad_code, 2015, ["A1_FTE_ChildrensSocialWorkers_2015"], {"E12000002": "North West"}
        )
