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
        "000125,a) Male,45400,Health\n"          # Excel serial: 45292 is 2024-01-01, so 2024-04-18
        ",a) Male,02/04/2024,Police\n"           # missing ID
        "000126,a) Male,31/13/2024,Police\n"     # not a date
        "000127,a) Male,01/01/2999,Police\n"     # in the future
        "000123,a) Male,01/04/2024,Police\n"     # duplicate
        "000128,a) Male,,Police\n")              # no date
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert list(events.child_id) == ["000123", "000124", "000125"]
    assert list(events.date) == [pd.Timestamp("2024-04-01"), pd.Timestamp("2024-04-15"), pd.Timestamp("2024-04-18")]
    assert report.rows == 8 and report.unusable == 5
    table = report.table().set_index("problem")["rows"]
    assert table["missing child ID"] == 1 and table["date in the future"] == 1 and table["duplicate of an earlier row"] == 1
    assert "000123" not in report.summary()


def test_plain_referral_csv_without_ids(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("referral_date,team\n03/05/2024,A\n04/05/2024,B\n04/05/2024,B\n")
    events, report = annexa.read_list(path, "referrals", today="2024-12-31")
    assert len(events) == 2 and report.table().problem.tolist() == ["duplicate of an earlier row"]


def test_xlsx_list_and_folder_search(tmp_path):
    frame = pd.DataFrame({"Child Unique ID": ["1", "2"], "Referral date": [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-05-02")]})
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
    with pytest.raises(CscError, match=r"missing column\(s\): date"):
        annexa.read_list(tmp_path / "nodate.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CscError, match="not a readable Excel workbook"):
        annexa.read_list(tmp_path / "fake.xlsx")


def test_monthly_counts_drop_partial_months_and_fill_zeros():
    dates = pd.to_datetime(["2024-01-20", "2024-02-03", "2024-02-10", "2024-04-30", "2024-05-02"])
    counts, notes = annexa.monthly_counts(pd.DataFrame({"child_id": list("abcde"), "date": dates}))
    assert counts.month.dt.strftime("%Y-%m").tolist() == ["2024-02", "2024-03", "2024-04"]
    assert counts.value.tolist() == [2, 0, 1]
    assert len(notes) == 2

