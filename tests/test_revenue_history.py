"""Every RO3 spending line for 2022-23, 2023-24 and 2024-25 (issue #16, item 10), per child and per child looked after.

Cells read by hand from data/RO3_2022-23_data_by_LA.ods (sheet RO3_LA_Data_2022-23) and
data/RO3_2023-24_data_by_LA.ods (sheet RO3_LA_Data_2023-24), £ thousands. Both sheets carry MHCLG's column
codes in row 7, above the two-row header (rows 11-12); spreadsheet columns:
N RO3-cscsr-net-cur-exp, U RO3-csclkd-net-cur-exp, AB -csclkdres-, AI -csclkdfos-, AP -csclkdasy-, AW -csclkdoth-,
BD -cscoth-, BK -cscfml-, BR -cscyth-, BY -cscsfg-, CF -cscasy-, CM -cscsrv- (all -net-cur-exp),
CP RO3-csctot-tot-exp, CT RO3-csctot-net-cur-exp, CU RO3-cscsvmem-run-exp.
2022-23: Oldham row 282, Rutland row 308, Birmingham row 35; 2023-24: Oldham row 273, "Rutland UA" row 298,
Birmingham row 33 ("[x]" in every column: not received, kept as x).
"""

import math
from pathlib import Path

import pandas as pd
import pytest

from csc_analysis import revenue_history
from csc_analysis.catalogue import load_catalogue, source_parts
from csc_analysis.errors import CscError

from .conftest import value

DATA = Path(__file__).resolve().parents[1] / "data"
LINES = [
    "csc_spend",
    "cla_spend",
    "cla_residential_spend",
    "cla_fostering_spend",
    "cla_asylum_spend",
    "cla_other_spend",
    "safeguarding_spend",
    "family_support_spend",
    "other_cf_spend",
    "early_years_spend",
    "young_people_spend",
    "youth_justice_spend",
    "asylum_seekers_spend",
    "csc_gross_spend",
    "csc_agency_staff_spend",
]
# Columns CT, U, AB, AI, AP, AW, BY, BK, BD, N, CM, BR, CF, CP, CU in that order (LINES' order).
OLDHAM = {
    2023: [61007, 32787, 28185, 1618, 0, 2984, 18559, 7845, 0, 0, 1729, 87, 0, 67355, 8435],
    2024: [79140, 42181, 19719, 7186, 0, 15276, 24370, 9585, 478, 133, 2374, 19, 0, 87072, 11459],
}
RUTLAND = {
    2023: [7357, 3237, 1316, 777, 57, 1087, 801, 1851, 11, 555, 265, 0, 637, 7543, 0],
    2024: [8291, 4296, 1515, 904, 588, 1289, 672, 2159, 11, 421, 509, 0, 223, 8732, 449],
}
# RSX "Total Service Expenditure - Net Current Expenditure (C7 = C3 - C6)", column DA: 2022-23 Oldham row 281
# 435709, Rutland row 307 56204, Birmingham row 34 "[x]"; 2023-24 rows 272 491690, 297 59411, 32 "[x]".
TOTAL_SERVICE = {("353", 2023): 435_709, ("857", 2023): 56_204, ("353", 2024): 491_690, ("857", 2024): 59_411}
# ons_mid-year_population_estimates_2012_to_2024.csv, "Children aged 0 to 17 years": Oldham 2022 62585 (line 368),
# 2023 63186 (line 203); Rutland 2022 8045 (line 402), 2023 8003 (line 238).
POPULATION = {("353", 2023): 62_585, ("353", 2024): 63_186, ("857", 2023): 8_045, ("857", 2024): 8_003}
# cla_number_and_rate_per_10k_children.csv, "Children looked after on 31 March each year": Oldham 2023 540
# (line 1110), 2024 590 (line 609); Rutland 2023 32 (line 1203), 2024 27 (line 702).
CLA = {("353", 2023): 540, ("353", 2024): 590, ("857", 2023): 32, ("857", 2024): 27}
FIGURES = {("353", y): dict(zip(LINES, v)) for y, v in OLDHAM.items()} | {
    ("857", y): dict(zip(LINES, v)) for y, v in RUTLAND.items()
}
CASES = [(ind, la, year) for ind in LINES for la in ("353", "857") for year in (2023, 2024)]


@pytest.mark.parametrize("indicator, la_code, year", CASES, ids=lambda v: str(v))
def test_ro3_line_against_the_workbook(published, indicator, la_code, year):
    row = value(published, la_code, indicator, year)
    assert pd.isna(row.status) and row.value == FIGURES[la_code, year][indicator]


@pytest.mark.parametrize("indicator", LINES + ["total_service_spend"])
def test_unreported_line_stays_x(published, indicator):
    for year in (2023, 2024):
        row = value(published, "330", indicator, year)  # Birmingham "[x]"
        assert math.isnan(row.value) and row.status == "x"


def test_total_service_spend_three_years(published):
    for (la, year), expected in TOTAL_SERVICE.items():
        assert value(published, la, "total_service_spend", year).value == expected


@pytest.mark.parametrize("line", [i for i in LINES if i not in ("csc_gross_spend", "csc_agency_staff_spend")])
def test_each_line_per_child_for_the_new_years(published, line):
    for (la, year), pop in POPULATION.items():
        assert value(published, la, f"{line}_per_child", year).value == pytest.approx(
            FIGURES[la, year][line] * 1000 / pop
        )
        assert value(published, "330", f"{line}_per_child", year).status == "x"


def test_spend_per_child_looked_after_and_shares_for_the_new_years(published):
    for (la, year), cla in CLA.items():
        figures = FIGURES[la, year]
        assert value(published, la, "cla_spend_per_cla", year).value == pytest.approx(figures["cla_spend"] * 1000 / cla)
        assert value(published, la, "cla_share_of_csc_pct", year).value == pytest.approx(
            figures["cla_spend"] / figures["csc_spend"] * 100
        )
        assert value(published, la, "residential_share_of_cla_pct", year).value == pytest.approx(
            figures["cla_residential_spend"] / figures["cla_spend"] * 100
        )
        assert value(published, la, "csc_share_of_services_pct", year).value == pytest.approx(
            figures["csc_spend"] / TOTAL_SERVICE[la, year] * 100
        )
        assert value(published, "330", "cla_spend_per_cla", year).status == "x"


def test_spend_trend_over_three_years(published):
    # Oldham net children's social care spend: 61,007 (2022-23), 79,140 (2023-24), 86,163 (2024-25, RO3_LA_Data_2024-25
    # "TOTAL CHILDREN SOCIAL CARE - Net Current Expenditure (C7 = C3 - C6)"), in cash.
    rows = published[(published.la_code == "353") & (published.indicator == "csc_spend")].set_index("year")["value"]
    assert rows.to_dict() == {2023: 61_007, 2024: 79_140, 2025: 86_163}


def test_older_codes_are_the_2024_25_columns_the_catalogue_names():
    """The mapping is deliberate: the 2024-25 workbook names each column by label and carries MHCLG's code for it
    in its hidden last row; the code there must be the one the catalogue uses for 2022-23 and 2023-24."""
    raw = pd.read_excel(
        DATA / "RO3_LA_Data_2024-25_data_by_LA.ods",
        sheet_name="RO3_LA_Data_202425",
        header=None,
        dtype=object,
        engine="calamine",
    )
    labels = [" ".join(str(v).split()) for v in raw.iloc[6]]  # header, spreadsheet row 7
    codes = list(raw.iloc[-1])  # hidden row 431
    for ind in LINES:
        newest, *older = source_parts(load_catalogue()[ind])
        assert {p.file for p in older} == {"RO3_2023-24_data_by_LA.ods", "RO3_2022-23_data_by_LA.ods"}, ind
        assert {p.code for p in older} == {codes[labels.index(newest.column)]}, ind


def test_a_missing_line_is_refused_with_a_one_line_error():
    with pytest.raises(
        CscError,
        match=r"^RO3_2023-24_data_by_LA.ods, sheet RO3_LA_Data_2023-24: no column with "
        r"MHCLG code 'RO3-cscnew-net-cur-exp' \(has the line been renamed or dropped\?\)$",
    ):
        revenue_history.outturn_by_code(
            DATA / "RO3_2023-24_data_by_LA.ods",
            "RO3_LA_Data_2023-24",
            ["RO3-csctot-net-cur-exp", "RO3-cscnew-net-cur-exp"],
        )


def test_second_table_below_the_first_is_not_read():
    # Row 439 of the 2022-23 sheet is ENGLAND (E92000001, CT 12805497.32...); row 440 is the second table's header
    # ("E-code | ONS Code | Class Breakdown [o]"), then class totals and the Greater London Authority (E12000007)
    # again in row 446: none of it may become rows (the GLA would be counted twice).
    out = revenue_history.outturn_by_code(
        DATA / "RO3_2022-23_data_by_LA.ods", "RO3_LA_Data_2022-23", ["RO3-csctot-net-cur-exp"]
    )
    assert out["ons_code"].is_unique and out["year"].eq(2023).all()
    assert out.set_index("ons_code").at["E92000001", "value"] == pytest.approx(12_805_497.3234)
