"""Property-based tests of the local-data loaders (Annex A lists, caseload snapshots)."""

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_analysis import annexa, caseload_snapshot, deflator, localdata, ssda903
from csc_analysis.errors import CscError
from csc_analysis.localdata import parse_dates

dates = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2030, 12, 31))
FORMATS = [
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.isoformat(),
    lambda d: str((d - dt.date(1899, 12, 30)).days),
    lambda d: d.strftime("%d-%b-%Y"),
]


def undecidable(items) -> bool:
    """True when the column has dd/mm/yyyy dates but none with a day above 12 (so no order can be inferred)."""
    slashed = [d for d, f in items if f == 0]
    return bool(slashed) and all(d.day <= 12 for d in slashed)


@given(st.lists(st.tuples(dates, st.sampled_from(range(len(FORMATS)))), min_size=1, max_size=30))
def test_mixed_date_formats_parse_to_the_same_dates(items):
    text = pd.Series([FORMATS[f](d) for d, f in items])
    if undecidable(items):
        with pytest.raises(CscError, match="cannot tell dd/mm/yyyy from mm/dd/yyyy"):
            parse_dates(text)
        return
    parsed, bad = parse_dates(text)
    assert not bad.any()
    assert [p.date() for p in parsed] == [d for d, _ in items]


@given(st.text(alphabet="abcxyz!?:;", min_size=1, max_size=8))
def test_non_dates_are_flagged_not_guessed(word):
    parsed, bad = parse_dates(pd.Series([word]))
    assert bad.all() and parsed.isna().all()


ids = st.from_regex(r"0{1,3}[0-9]{1,5}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(ids, dates, st.sampled_from(range(len(FORMATS)))), min_size=1, max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    extra=st.booleans(),
)
def test_referral_list_is_right_or_reports_every_dropped_row(rows, encoding, extra):
    header = "Child Unique ID,Gender,Date of referral" + (",Notes é" if extra else "")
    lines = [f"{i},a) Male,{FORMATS[f](d)}" + (",x" if extra else "") for i, d, f in rows]
    path = Path(tempfile.mkdtemp()) / "List 3.csv"
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    today = pd.Timestamp("2026-01-01")
    if undecidable([(d, f) for _, d, f in rows]):
        with pytest.raises(CscError, match="cannot tell dd/mm/yyyy from mm/dd/yyyy"):
            annexa.read_list(path, "referrals", today=today)
        return
    events, report = annexa.read_list(path, "referrals", today=today)
    assert report.rows == len(rows) and report.used == len(events)
    expected = pd.DataFrame({"id": [i for i, _, _ in rows], "date": pd.to_datetime([d for _, d, _ in rows])})
    expected = expected[(expected.date <= today) & (expected.date >= today - pd.DateOffset(years=25))]
    expected = expected[~expected.duplicated()]
    assert list(events.child_id) == list(expected.id)  # leading zeros kept, nothing silently dropped
    assert [d.date() for d in events.date] == [d.date() for d in expected.date]


@settings(max_examples=30, deadline=None)
@given(
    column=st.sampled_from(["FTE", "Caseload", "Employment type", "ASYE"]),
    value=st.sampled_from(["c", "x", "", "n/a", "-1", "1e9", "abc"]),
)
def test_snapshot_bad_cell_is_reported_never_zeroed(column, value):
    cells = {
        "Worker ID": "0042",
        "Team": "A",
        "Employment type": "agency",
        "ASYE": "false",
        "FTE": "1",
        "Caseload": "12",
    }
    cells[column] = value
    path = Path(tempfile.mkdtemp()) / "snap.csv"
    path.write_text(",".join(cells) + "\n" + ",".join(cells.values()) + "\n0043,A,permanent,false,1,7\n")
    snap = caseload_snapshot.read_snapshot(path, as_at="2025-01-01")
    assert list(snap.workers.worker_id) == ["0043"]
    assert snap.report.unusable == 1 and snap.report.problems[0][0] == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "file is empty"),
        (b"PK\x03\x04junk", "not a readable Excel workbook"),
        (b"Child Unique ID,Gender\n1,a) Male\n", "missing column"),
    ],
)
def test_unusable_local_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "List 3.csv"
    path.write_bytes(content)
    with pytest.raises(CscError, match=message) as err:
        annexa.read_list(path, "referrals")
    assert "\n" not in str(err.value)


ENTRY_POINTS = {
    "read_table": localdata.read_table,
    "annexa.read_list": lambda path: annexa.read_list(path, "referrals"),
    "annexa.read_annex_a": annexa.read_annex_a,
    "ssda903.read": ssda903.read,
    "caseload_snapshot.read_snapshot": caseload_snapshot.read_snapshot,
    "deflator.read_deflator": deflator.read_deflator,
}


@pytest.mark.parametrize(
    "name, content, expected",
    [
        # the damaged workbook's message ends with calamine's exception type, which is calamine's to name
        ("fake.xlsx", b"PK\x03\x04junk", "{path}: not a readable Excel workbook ("),
        ("empty.csv", b"", "{path}: file is empty, expected a header row"),
        # 0x81 is neither UTF-8 nor Windows-1252; bytes a, newline, b come first, so it is at offset 3, on line 2
        ("bytes.csv", b"a\nb\x81\n", "{path}: byte 0x81 at offset 3 (line 2)"),
    ],
)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_bad_file_is_the_same_one_line_error_through_every_entry_point(tmp_path, entry, name, content, expected):
    """Every reader of local tables opens files through `localdata.read_sheets`, so a file it cannot read
    fails with the one reader's message, whichever loader was asked."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CscError) as direct:
        localdata.read_sheets(path)
    with pytest.raises(CscError) as err:
        ENTRY_POINTS[entry](path)
    assert str(err.value) == str(direct.value)
    assert str(err.value).startswith(expected.format(path=path)) and "\n" not in str(err.value)


def test_byte_undefined_in_cp1252_in_a_local_csv_is_a_one_line_error(tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252; "Team" line is line 2 and the byte sits after "0042,A".
    path = tmp_path / "snap.csv"
    header = b"Worker ID,Team,Employment type,ASYE,FTE,Caseload\n"
    path.write_bytes(header + b"0042,A\x81,agency,false,1,12\n")
    with pytest.raises(CscError) as err:
        caseload_snapshot.read_snapshot(path, as_at="2025-01-01")
    text = str(err.value)
    assert "snap.csv" in text and "0x81" in text and f"offset {len(header) + 6}" in text and "line 2" in text
    assert "\n" not in text


def test_a_date_the_user_gives_is_iso_or_refused_never_guessed():
    # "01/02/2025" is 1 February in the UK and 2 January in the US: pandas read it as 2 January.
    assert localdata.iso_day("2025-03-31", "as_at") == pd.Timestamp("2025-03-31")
    assert localdata.iso_day(dt.date(2025, 3, 31), "as_at") == pd.Timestamp("2025-03-31")
    for text in ("01/02/2025", "31/03/2025", "2025-02-30", "2025-3-31", "March 2025", ""):
        with pytest.raises(CscError, match=r"^as_at '.*': expected a date as YYYY-MM-DD$"):
            localdata.iso_day(text, "as_at")
