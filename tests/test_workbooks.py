"""The spreadsheet readers against figures read by hand from the bundled RO3, RSX and Ofsted workbooks,
and against damaged or rearranged layouts."""

import math
import uuid

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from csc_analysis import workbooks
from csc_analysis.errors import CscError

from .conftest import national, value


# Figures read from RO3_LA_Data_2024-25_data_by_LA.ods (net current expenditure, £ thousands) and
# RSX_LA_Data_2024-25_data_by_LA.ods (total service expenditure, net).
@pytest.mark.parametrize(
    "la_code, indicator, expected",
    [
        ("353", "csc_spend", 86163),
        ("353", "cla_spend", 50233),
        ("353", "cla_residential_spend", 23258),
        ("353", "total_service_spend", 525855),
        ("202", "csc_spend", 92206),
        ("202", "cla_spend", 34256),
        ("202", "cla_residential_spend", 4033),
        ("202", "total_service_spend", 688466),
    ],
)
def test_revenue_outturn_figures_for_two_las(published, la_code, indicator, expected):
    row = value(published, la_code, indicator, 2025)
    assert row.value == expected and pd.isna(row.status)


def test_england_spend_and_derived_spending_measures(published):
    assert national(published, "csc_spend", 2025).value == pytest.approx(15_556_137.15471)
    # Oldham: £86,163k over 64,069 children (mid-2024) and £50,233k over 582 children looked after.
    assert value(published, "353", "csc_spend_per_child", 2025).value == pytest.approx(86_163_000 / 64_069)
    assert value(published, "353", "cla_spend_per_cla", 2025).value == pytest.approx(50_233_000 / 582)
    assert value(published, "353", "csc_share_of_services_pct", 2025).value == pytest.approx(86_163 / 525_855 * 100)
    assert value(published, "202", "residential_share_of_cla_pct", 2025).value == pytest.approx(4_033 / 34_256 * 100)


def test_unreported_and_note_only_cells_stay_missing(published):
    # Birmingham's return was not received ([x]); Gateshead's looked-after breakdown cells hold only
    # "[note 4]" (imputed by MHCLG), so they are not available rather than zero.
    row = value(published, "330", "csc_spend", 2025)
    assert math.isnan(row.value) and row.status == "x"
    row = value(published, "390", "cla_residential_spend", 2025)
    assert math.isnan(row.value) and row.status == "x"
    assert value(published, "390", "cla_spend", 2025).value == pytest.approx(39_182.99959)


def test_region_is_the_sum_of_its_las_or_not_available(published):
    rows = published[(published.indicator == "csc_spend") & (published.year == 2025)]
    london = rows[(rows.geographic_level == "la") & (rows.region_name == "London")]
    region = rows[(rows.geographic_level == "regional") & (rows.la_name == "London")].iloc[0]
    assert london.value.notna().all() and region.value == pytest.approx(london.value.sum())
    north_west = rows[(rows.geographic_level == "regional") & (rows.la_name == "North West")].iloc[0]
    assert math.isnan(north_west.value) and north_west.status == "x"  # Cumberland did not report


# --- Layouts ------------------------------------------------------------------------------------

HEADER = ["E-code", "ONS Code", "Local authority", "Spend - Net Current Expenditure (C7 = C3 - C6)"]


def _write(path, rows, sheet="Data"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.create_sheet("Notes").append(["Note number", "Note text"])
    book.save(path)
    return path


def _table(titles, body, trailer=()):
    return [[t] for t in titles] + [HEADER] + body + [[]] + [list(r) for r in trailer]


BODY = [
    ["E4204", "E08000004", "Oldham", 86163],
    ["E5011", "E09000007", "Camden", "[x]"],
    ["Eng", "E92000001", "ENGLAND", 15556137.2],
]


def test_header_found_below_titles_and_table_ends_at_blank_row(tmp_path):
    path = _write(
        tmp_path / "ro.xlsx",
        _table(
            ["Revenue Outturn (RO) 2024-25: data", "£ thousand"],
            BODY,
            trailer=[HEADER, ["[Y]", "E06", "Unitary Authorities", 1]],
        ),
    )
    out = workbooks.revenue_outturn(path, "Data", [HEADER[3]])
    assert list(out.authority) == ["Oldham", "Camden", "ENGLAND"]
    assert out.year.unique().tolist() == [2025]
    assert out.value.iloc[0] == 86163 and math.isnan(out.value.iloc[1]) and out.status.iloc[1] == "x"


@pytest.mark.parametrize(
    "rows, sheet, match",
    [
        (_table(["RO 2024-25"], BODY), "Other", r"no sheet 'Other' \(sheets: Data, Notes\)"),
        ([["RO 2024-25"], ["Code", "Name"]] + BODY, "Data", "no header row with 'ONS Code', 'Local authority'"),
        (_table(["no year here"], BODY), "Data", "no financial year such as 2024-25"),
        (
            _table(["RO 2024-25"], [["E4204", "E08000004", "Oldham", "eighty"]]),
            "Data",
            "value 'eighty' is neither a number",
        ),
        ([["RO 2024-25"], HEADER[:3] + ["Other column"]] + BODY, "Data", "missing column 'Spend - Net"),
    ],
)
def test_unexpected_layouts_are_one_line_errors(tmp_path, rows, sheet, match):
    path = _write(tmp_path / "ro.xlsx", rows)
    with pytest.raises(CscError, match=match) as err:
        workbooks.revenue_outturn(path, sheet, [HEADER[3]])
    assert "\n" not in str(err.value) and "ro.xlsx" in str(err.value)


title_text = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    titles=st.lists(title_text, min_size=0, max_size=8),
    values=st.lists(st.one_of(st.integers(-(10**6), 10**7), st.just("[x]"), st.just("[z]")), min_size=1, max_size=12),
    trailer=st.lists(title_text, max_size=3),
)
def test_any_title_rows_and_trailing_notes_read_the_same_table(tmp_path, titles, values, trailer):
    body = [[f"E{i:04d}", f"E08{i:06d}", f"LA {i}", v] for i, v in enumerate(values)]
    path = _write(
        tmp_path / f"ro-{uuid.uuid4().hex}.xlsx",
        _table(titles + ["Outturn 2024-25"], body, trailer=[[t] for t in trailer]),
    )
    out = workbooks.revenue_outturn(path, "Data", [HEADER[3]])
    assert len(out) == len(values)
    for (_, row), v in zip(out.iterrows(), values):
        if isinstance(v, int):
            assert row.value == v and row.status is None
        else:
            assert math.isnan(row.value) and row.status == v.strip("[]")
