"""Annex A loaders: tolerant headings, mixed dates, and every unusable row counted."""

import pandas as pd
import pytest

from csc_analysis import annexa
from csc_analysis.errors import CscError


def test_list3_with_messy_rows(tmp_path):
    path = tmp_path / "List 3 referrals.csv"
    path.write_text(
        "Child Unique ID,Gender,Date of Referral,Referral Source\n"
        "000123,a) Male,01/04/2024,Police\n"
        "000124,b) Female,2024-04-15,School\n"
        "000125,a) Male,45400,Health\n"  # Excel serial: 45292 is 2024-01-01, so 2024-04-18
        ",a) Male,02/04/2024,Police\n"  # missing ID
        "000126,a) Male,31/13/2024,Police\n"  # not a date
        "000127,a) Male,01/01/2999,Police\n"  # in the future
        "000123,a) Male,01/04/2024,Police\n"  # duplicate
        "000128,a) Male,,Police\n"  # no date
        "000129,b) Female,19/04/2024,-\n"
    )  # day 19: the column is day-first; '-' is missing
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert list(events.child_id) == ["000123", "000124", "000125", "000129"]
    assert list(events.date) == [
        pd.Timestamp("2024-04-01"),
        pd.Timestamp("2024-04-15"),
        pd.Timestamp("2024-04-18"),
        pd.Timestamp("2024-04-19"),
    ]
    assert report.rows == 9 and report.unusable == 5
    table = report.table().set_index("problem")["rows"]
    assert (
        table["missing child ID"] == 1
        and table["date in the future"] == 1
        and table["duplicate of an earlier row"] == 1
    )
    assert table["not a date"] == 1 and table["missing date"] == 1
    assert "000123" not in report.summary()


def workbook(path, sheets: dict[str, list[list]]):
    """Write an xlsx with raw rows per sheet (no pandas header of its own)."""
    with pd.ExcelWriter(path) as writer:
        for name, rows in sheets.items():
            width = max(map(len, rows))
            pd.DataFrame([r + [None] * (width - len(r)) for r in rows]).to_excel(
                writer, sheet_name=name, header=False, index=False
            )
    return path


CONTACTS = [
    ["Child Unique ID", "Gender", "Date of Birth", "Date of Contact", "Contact Source"],
    ["C1", "a) Male", "01/02/2015", "03/05/2024", "q) 6: Police"],
    ["C2", "b) Female", "21/07/2016", "13/05/2024", "a) 1A"],
    ["C3", "a) Male", "05/03/2010", "14/05/2024", "2A"],
]


def test_13_12_workbook_list_found_by_columns_on_any_sheet(tmp_path):
    # #13.12: the first sheet holds List 1 (3 contacts); the referrals are on the second sheet, below a
    # title row, with a different sheet name: the two referrals (20/05/2024, 21 May as a real date).
    path = workbook(
        tmp_path / "annex_a.xlsx",
        {
            "Contacts": CONTACTS,
            "Sheet2": [
                ["Annex A List 3: referrals 2024"],
                ["Child Unique ID", "Gender", "Date of Birth", "Referral date", "Referral NFA?"],
                ["C1", "a) Male", "01/02/2015", "20/05/2024", "b) No"],
                ["C2", "b) Female", "21/07/2016", pd.Timestamp("2024-05-21"), "a) Yes"],
            ],
        },
    )
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert list(events.date) == [pd.Timestamp("2024-05-20"), pd.Timestamp("2024-05-21")]
    assert report.rows == 2 and report.unusable == 0 and "Sheet2" in report.file


def test_13_12_contacts_are_refused_as_referrals(tmp_path):
    path = workbook(tmp_path / "referrals.xlsx", {"List 3": CONTACTS})  # named like referrals, holds contacts
    with pytest.raises(CscError, match=r"no referrals list .*it looks like List 1 \(contacts\)") as err:
        annexa.read_list(path, "referrals", today="2024-12-31")
    assert "\n" not in str(err.value)


def test_13_13_us_dates_are_refused(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("Child Unique ID,Date of referral\nA,12/25/2024\nB,01/02/2024\nC,03/04/2024\n")
    with pytest.raises(CscError, match=r"refs.csv, column 'Date of referral': dates are month-first \(US"):
        annexa.read_list(path, "referrals", today="2024-12-31")


def test_13_13_mixed_day_and_month_first_is_refused(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("Child Unique ID,Date of referral\nA,25/12/2024\nB,12/26/2024\n")
    with pytest.raises(CscError, match=r"mixes dd/mm/yyyy and mm/dd/yyyy dates \(e.g. row 2 is day-first, row 3"):
        annexa.read_list(path, "referrals", today="2024-12-31")


def test_13_13_undecidable_column_is_refused_unless_another_date_column_settles_it(tmp_path):
    path = tmp_path / "assessments.csv"
    path.write_text(
        "Child Unique ID,Continuous Assessment Start Date,Continuous Assessment Date of Authorisation\n"
        "A,01/02/2024,03/04/2024\n"
    )
    with pytest.raises(CscError, match="cannot tell dd/mm/yyyy from mm/dd/yyyy"):
        annexa.read_annex_a(path, today="2024-12-31")
    # Authorised 20/04/2024 settles day-first for the file; the start is then 1 February 2024.
    path.write_text(
        "Child Unique ID,Continuous Assessment Start Date,Continuous Assessment Date of Authorisation\n"
        "A,01/02/2024,20/04/2024\n"
    )
    rows = annexa.read_annex_a(path, today="2024-12-31")["assessments"].rows
    assert rows.start.tolist() == [pd.Timestamp("2024-02-01")]


def test_13_13_year_typo_is_reported_and_excluded(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text(
        "Child Unique ID,Date of referral\nA,01/03/2024\nB,15/03/2024\nC,31/03/2024\nD,15/03/1924\n"
    )  # 1924 for 2024
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert report.table().problem.tolist() == ["date more than 25 years before the extract"]
    counts, _ = annexa.monthly_counts(events)
    assert counts.month.dt.strftime("%Y-%m").tolist() == ["2024-03"] and counts.value.tolist() == [3]


def test_13_13_month_is_complete_only_if_the_data_cover_its_last_day():
    # Data from 1 March to 24 April: April is partial (24 < 30) and is left out.
    dates = pd.to_datetime(["2024-03-01", "2024-03-20", "2024-04-02", "2024-04-24"])
    counts, notes = annexa.monthly_counts(pd.DataFrame({"child_id": list("abcd"), "date": dates}))
    assert counts.month.dt.strftime("%Y-%m").tolist() == ["2024-03"] and counts.value.tolist() == [2]
    assert notes == ["April 2024 is left out: the data end on 24 April 2024."]
    # An explicit extract date covering 30 April makes April complete.
    counts, _ = annexa.monthly_counts(pd.DataFrame({"child_id": list("abcd"), "date": dates}), end="2024-04-30")
    assert counts.value.tolist() == [2, 2]


def test_plain_referral_csv_without_ids(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("referral_date,team\n03/05/2024,A\n14/05/2024,B\n14/05/2024,B\n")
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert len(events) == 2 and report.table().problem.tolist() == ["duplicate of an earlier row"]


def test_xlsx_list_and_folder_search(tmp_path):
    frame = pd.DataFrame(
        {"Child Unique ID": ["1", "2"], "Referral date": [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-05-02")]}
    )
    frame.to_excel(tmp_path / "Annex A List 3.xlsx", index=False)
    path = annexa.find_list(tmp_path, "referrals")
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert len(events) == 2 and report.unusable == 0
    with pytest.raises(CscError, match="no contacts list found"):
        annexa.find_list(tmp_path, "contacts")


def test_unusable_files(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(CscError, match="file is empty"):
        annexa.read_list(tmp_path / "empty.csv")
    (tmp_path / "nodate.csv").write_text("Child Unique ID,Gender\n1,a) Male\n")
    with pytest.raises(
        CscError, match=r"no referrals list \(List 3 \(referrals\)\): missing column 'Date of referral'"
    ):
        annexa.read_list(tmp_path / "nodate.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CscError, match="not a readable Excel workbook"):
        annexa.read_list(tmp_path / "fake.xlsx")


def test_monthly_counts_drop_partial_months_and_fill_zeros():
    # Data 20 January to 2 May: January and May are partial; March had none.
    dates = pd.to_datetime(["2024-01-20", "2024-02-03", "2024-02-10", "2024-04-30", "2024-05-02"])
    counts, notes = annexa.monthly_counts(pd.DataFrame({"child_id": list("abcde"), "date": dates}))
    assert counts.month.dt.strftime("%Y-%m").tolist() == ["2024-02", "2024-03", "2024-04"]
    assert counts.value.tolist() == [2, 0, 1]
    assert len(notes) == 2
