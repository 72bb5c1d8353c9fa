"""Ofsted ILACS Annex A lists (List 1 contacts, List 3 referrals) and plain referral CSVs -> monthly counts.

Local child-level data: rows are read to count them by month and are never shown. Rows that
cannot be used (no child ID, a date that is not a date or is in the future, an exact duplicate)
are counted in the RowReport, by reason, and left out of the counts.
"""

from pathlib import Path

import pandas as pd

from .errors import CscError
from .localdata import RowReport, match_columns, parse_dates, read_table

CHILD_ID = ["Child Unique ID", "Child ID", "Unique ID", "Person ID", "ID"]
LISTS = {
    "contacts": {"date": ["Date of Contact", "Contact Date", "Date contact received"],
                 "file_hints": ["list 1", "list1", "list_1", "contact"]},
    "referrals": {"date": ["Date of referral", "Referral date", "Referral Date", "Date referral received"],
                  "file_hints": ["list 3", "list3", "list_3", "referral"]},
}


def read_list(path: str | Path, kind: str = "referrals", today=None) -> tuple[pd.DataFrame, RowReport]:
    """Events (child_id, date) from an Annex A list or a plain CSV with one row per referral.

    Headings are matched without case or punctuation ("Date of referral", "Referral date", or any
    single column whose heading contains "date"). A file without an ID column is accepted (each
    row is one referral) and then only exact duplicate rows count as duplicates.
    """
    if kind not in LISTS:
        raise CscError(f"unknown list {kind!r}; expected {' or '.join(LISTS)}")
    raw = read_table(path)
    wanted = {"child_id": CHILD_ID, "date": LISTS[kind]["date"]}
    date_like = [c for c in raw.columns if "date" in c.lower() and "birth" not in c.lower()]
    if not any(h.lower().replace(" ", "") in {c.lower().replace(" ", "") for c in raw.columns} for h in wanted["date"]):
        if len(date_like) == 1:
            wanted["date"] = [date_like[0]]
    frame = match_columns(raw, wanted, ["date"], path)
    report = RowReport(Path(path).name, len(frame))
    dates, bad = parse_dates(frame["date"])
    report.add(frame["date"].str.strip() == "", "date", "missing date")
    report.add(bad, "date", "not a date")
    today = pd.Timestamp(today) if today is not None else pd.Timestamp.today().normalize()
    report.add(dates > today, "date", "date in the future")
    ids = frame["child_id"].str.strip() if "child_id" in frame else pd.Series("", index=frame.index)
    if "child_id" in frame:
        report.add(ids == "", "child_id", "missing child ID")
    keys = pd.DataFrame({"id": ids, "date": dates})
    dup = keys.duplicated(keep="first") & dates.notna() & (ids != "" if "child_id" in frame else True)
    if "child_id" not in frame:
        dup = raw.duplicated(keep="first")
    report.add(dup, "row", "duplicate of an earlier row")
    bad_rows = sorted({line - 2 for line, _, _ in report.problems})
    events = pd.DataFrame({"child_id": ids, "date": dates}).drop(index=bad_rows).reset_index(drop=True)
    return events, report


def find_list(folder: str | Path, kind: str) -> Path:
    """The file in an Annex A folder holding a list, found by its name (e.g. "List 3", "referrals")."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CscError(f"{folder}: folder not found")
    hits = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in (".csv", ".xlsx")
            and any(h in p.name.lower().replace("-", " ") for h in LISTS[kind]["file_hints"])]
    if not hits:
        raise CscError(f"{folder}: no {kind} list found (expected a file named like 'List 3 referrals.xlsx')")
    return hits[0]


def monthly_counts(events: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Events per calendar month (columns month, value), with months with none counted as zero.

    A first or last month that the data cover only partly would look like a fall in demand, so it
    is left out and a message says so.
    """
    if events.empty:
        raise CscError("no usable dated rows to count")
    dates = events["date"]
    counts = dates.dt.to_period("M").value_counts().sort_index()
    months = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(months, fill_value=0)
    messages = []
    first, last = dates.min(), dates.max()
    if first.day > 7:
        messages.append(f"{months[0].strftime('%B %Y')} is left out: the data start on {first:%d %B %Y}.")
        counts = counts.iloc[1:]
    if last.day < last.days_in_month - 7:
        messages.append(f"{months[-1].strftime('%B %Y')} is left out: the data end on {last:%d %B %Y}.")
        counts = counts.iloc[:-1]
    out = pd.DataFrame({"month": counts.index.to_timestamp(), "value": counts.to_numpy(dtype=float)})
    return out, messages

