"""ofsted_outcomes: Ofsted's "LA inspection outcomes" workbooks read into judgements, history and visits.

Expected values are read by hand from the bundled workbooks (LA_Inspection_Outcomes_as_at_31_March_2025.ods);
malformed workbooks are built here and must fail with one line naming the file and the value.
"""

import pandas as pd
import pytest
from openpyxl import Workbook

from csc_analysis import inspections, load, ofsted_outcomes
from csc_analysis.errors import CscError


def test_ofsted_latest_judgements_match_every_current_la(registry):
    latest = inspections.attach_codes(load.ofsted("latest"), registry)
    assert len(latest) == 153 and latest.la_code.nunique() == 153
    assert {la.la_code for la in registry.current()} == set(latest.la_code)
    oldham = latest[latest.la_code == "353"].iloc[0]
    assert oldham.overall == "Good" and oldham.inspection_date == pd.Timestamp("2024-05-13")
    assert oldham.publication_date == pd.Timestamp("2024-07-12")
    york = latest[latest.la_name == "York"].iloc[0]
    assert (york.overall, york.care_leavers, york.inspection_date) == (
        "Outstanding",
        "Outstanding",
        pd.Timestamp("2025-02-24"),
    )
    assert latest.overall.value_counts().to_dict() == {
        "Good": 67,
        "Outstanding": 36,
        "Requires improvement": 31,
        "Inadequate": 19,
    }


def test_ofsted_history(registry):
    history = inspections.attach_codes(load.ofsted("history"), registry, strict=False)
    oldham = history[history.la_code == "353"].sort_values("inspection_date")
    assert list(oldham.inspection_date.dt.year) == [2019, 2024]
    assert pd.isna(oldham.care_leavers.iloc[0]) and oldham.care_leavers.iloc[1] == "Good"  # before/after Jan 2023
    assert "No longer exists" in set(history.la_status)


def test_not_a_spreadsheet_and_bad_grade(tmp_path):
    bad = tmp_path / "outcomes.ods"
    bad.write_text("this is not a workbook")
    with pytest.raises(CscError, match=r"outcomes\.ods: not a readable spreadsheet"):
        ofsted_outcomes.judgements_at(bad)
    header = ["Local authority area code", "Local authority name", "Inspection date", "Publication date"] + list(
        ofsted_outcomes.SUB_JUDGEMENTS.values()
    )
    path = tmp_path / "ofsted.xlsx"
    book = Workbook()
    ws = book.active
    ws.title = "Inspections_as_at_31_March"
    for row in (
        ["Judgements as at 31 March 2025"],
        header,
        ["E08000004", "Oldham", "2024-05-13", "2024-07-12", "Very good", "Good", "Good", "Good", "Good"],
    ):
        ws.append(row)
    book.save(path)
    with pytest.raises(CscError, match="judgement 'Very good' for Oldham in 'Overall effectiveness' is not one of"):
        ofsted_outcomes.judgements_at(path)


# --- Malformed workbooks -------------------------------------------------------------------------

JUDGE_HEAD = [
    "Local authority area code",
    "Local authority name",
    "Inspection date",
    "Publication date",
    "Overall effectiveness",
    "Impact of leaders",
    "Experiences and progress of children who need help and protection",
    "Experiences and progress of children in care",
    "Experiences and progress of care leavers",
]
VISIT_HEAD = [
    "Local authority area code",
    "Local authority name",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    "Visit Theme",
]
GOOD = ["E08000004", "Oldham", "2024-05-13", "2024-07-12", "Good", "Good", "Good", "Good", "Good"]
VISIT = ["E08000008", "Tameside", "2025-02-13", "2025-03-25", "LA Monitoring visit", "Front door"]


def _book(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    "sheets, match",
    [
        (
            {"Inspections_as_at_31_March": [["Judgements as at 31 March 2025"], JUDGE_HEAD[:5], GOOD[:5]]},
            "missing column 'The impact of leaders on social work practice",
        ),
        (
            {"Inspections_as_at_31_March": [["Local authority inspection judgements"], JUDGE_HEAD, GOOD]},
            "no date such as 'as at 31 March 2025'",
        ),
        (
            {"Inspections_as_at_31_March": [["as at 31 March 2025"], JUDGE_HEAD, GOOD[:2] + ["soon"] + GOOD[3:]]},
            "inspection date 'soon' for Oldham is not a date",
        ),
        (
            {"Inspections_as_at_31_March": [["as at 31 March 2025"], JUDGE_HEAD, GOOD[:4] + ["Fine"] + GOOD[5:]]},
            "judgement 'Fine' for Oldham in 'Overall effectiveness' is not one of",
        ),
        (
            {"Judgements": [["as at 31 March 2025"], JUDGE_HEAD, GOOD]},
            "expected one sheet of judgements as at 31 March",
        ),
    ],
)
def test_malformed_judgement_sheet_is_one_line_error(tmp_path, sheets, match):
    path = _book(tmp_path / "outcomes.xlsx", sheets)
    with pytest.raises(CscError, match=match) as err:
        ofsted_outcomes.judgements_at(path)
    assert "\n" not in str(err.value) and "outcomes.xlsx" in str(err.value)


@pytest.mark.parametrize(
    "row, match",
    [
        (
            VISIT[:4] + ["Coffee morning"] + VISIT[5:],
            "inspection/visit type 'Coffee morning' for Tameside is not a monitoring visit, focused visit, JTAI",
        ),
        (VISIT[:2] + [None] + VISIT[3:], "no visit date for Tameside's monitoring visit"),
        (VISIT[:2] + ["13/02/2025x"] + VISIT[3:], "visit date '13/02/2025x' for Tameside is not a date"),
    ],
)
def test_malformed_visit_sheet_is_one_line_error(tmp_path, row, match):
    path = _book(tmp_path / "outcomes.xlsx", {"In-year_inspections": [["In-year activity 2024-25"], VISIT_HEAD, row]})
    with pytest.raises(CscError, match=match) as err:
        ofsted_outcomes.in_year_visits(path)
    assert "\n" not in str(err.value)


def test_visit_sheet_keeps_visits_and_a_jtai(tmp_path):
    rows = [
        ["In-year activity 2024-25"],
        VISIT_HEAD,
        VISIT,
        ["E08000004", "Oldham", "2024-05-13", "2024-07-12", "ILACS Standard Inspection", None],
        ["E08000004", "Oldham", "2024-11-04", "2024-12-10", "Joint targeted area inspection", "Serious youth violence"],
    ]
    out = ofsted_outcomes.in_year_visits(_book(tmp_path / "outcomes.xlsx", {"In-year_inspections": rows}))
    assert list(out.visit_type) == ["monitoring visit", "JTAI"]
    assert (out.as_at == pd.Timestamp("2025-03-31")).all()


HISTORY_HEAD = [
    "Local authority area code",
    "Local authority name",
    "Publication date",
    "Inspection date",
    "Inspection type",
    "Local authority status",
    *ofsted_outcomes.SUB_JUDGEMENTS.values(),
]


@pytest.mark.parametrize(
    "row, match",
    [
        (
            ["E08000004", "Oldham", "2019-03-05", "2019-01-28", "ILACS", "Current", "Great"] + ["Good"] * 3 + [None],
            "judgement 'Great' for Oldham in 'Overall effectiveness' is not one of",
        ),
        (
            ["E08000004", "Oldham", "2019-03-05", "28 Jan", "ILACS", "Current"] + ["Good"] * 4 + [None],
            "inspection date '28 Jan' for Oldham is not a date",
        ),
    ],
)
def test_malformed_history_sheet_is_one_line_error(tmp_path, row, match):
    path = _book(tmp_path / "outcomes.xlsx", {"ILACS_inspection_history": [["ILACS history"], HISTORY_HEAD, row]})
    with pytest.raises(CscError, match=match) as err:
        ofsted_outcomes.inspection_history(path)
    assert "\n" not in str(err.value) and "outcomes.xlsx, sheet ILACS_inspection_history" in str(err.value)


def test_history_without_its_status_column_is_one_line_error(tmp_path):
    rows = [["ILACS history"], HISTORY_HEAD[:5] + HISTORY_HEAD[6:], ["E08000004", "Oldham", "2019-03-05"]]
    with pytest.raises(CscError, match="missing column 'Local authority status'"):
        ofsted_outcomes.inspection_history(_book(tmp_path / "outcomes.xlsx", {"ILACS_inspection_history": rows}))


def test_an_unknown_choice_of_judgements_is_one_line_error():
    with pytest.raises(CscError, match="'newest' is not one of 'latest', 'history'"):
        load.ofsted("newest")
