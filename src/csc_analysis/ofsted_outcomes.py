"""Reading Ofsted's yearly "LA inspection outcomes" workbooks: judgements as at 31 March, inspection history, visits.

Each year's workbook has a sheet of every LA's latest ILACS judgements as at 31 March and a sheet of the
year's in-year activity: short and standard inspections (graded, and also in the inspection history) and
monitoring and focused visits (never graded: a visit letter sets out findings, not a judgement). Sheet
names and sub-judgement headings change between years (2024 says "Impact of leaders", 2025 "The impact
of leaders on social work practice with children and families"; the 2024 sheets have no ONS code and no
publication date), so sheets are found by name pattern and columns by any of their known headings.
The 2025 workbook also has the ILACS inspection history since 2018 (`inspection_history`).
Anything else unexpected is a one-line `CscError` naming the file, sheet and value.
"""

import re
from pathlib import Path

import pandas as pd

from .errors import CscError
from .workbooks import financial_year, read_table, sheets

JUDGEMENTS = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
GRADE_SHORT = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement to be good": "Requires improvement",
    "Inadequate": "Inadequate",
}
SUB_JUDGEMENTS = {
    "overall": "Overall effectiveness",
    "leaders": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}

JUDGEMENT_SHEET = re.compile(r"^Inspections_(as_at_)?31_March", re.IGNORECASE)
IN_YEAR_SHEET = re.compile(r"in[-_ ]year", re.IGNORECASE)
HISTORY_SHEET = re.compile(r"^ILACS_inspection_history", re.IGNORECASE)
AS_AT = re.compile(r"\bas at (\d{1,2} [A-Za-z]+ \d{4})\b")
# Each output column and the headings it has been published under, newest first.
HEADINGS = {
    "ons_code": ["Local authority area code"],
    "la_name": ["Local authority name"],
    "inspection_date": ["Inspection date"],
    "visit_date": ["Inspection/Visit date"],
    "visit_type": ["Inspection/Visit type"],
    "publication_date": ["Publication date"],
    "theme": ["Visit Theme"],
    "inspection_type": ["Inspection type"],
    "la_status": ["Local authority status"],
    "overall": [SUB_JUDGEMENTS["overall"]],
    "leaders": [SUB_JUDGEMENTS["leaders"], "Impact of leaders"],
    "help_and_protection": [
        SUB_JUDGEMENTS["help_and_protection"],
        "Experiences and progress of children who need help and protection",
    ],
    "children_in_care": [SUB_JUDGEMENTS["children_in_care"], "Experiences and progress of children in care"],
    "care_leavers": [SUB_JUDGEMENTS["care_leavers"], "Experiences and progress of care leavers"],
}
NOT_INSPECTED = "not yet inspected"  # a new LA (Cumberland, Westmorland and Furness in 2024): no judgement yet
OPTIONAL = {"ons_code", "publication_date"}  # absent from the 2024 workbook: left empty, never guessed
# In-year activity types, matched on lower-case words. Inspections are graded and listed in the history
# sheet, so only visits are kept; a type matching none of these is an error rather than a silent drop.
VISIT_KINDS = {
    "monitoring visit": "monitoring visit",
    "focused visit": "focused visit",
    "joint targeted area inspection": "JTAI",
    "jtai": "JTAI",
}
INSPECTION_KINDS = ("standard inspection", "short inspection")


def _sheet(path: Path, pattern: re.Pattern, what: str) -> str:
    names = [n for n in sheets(path) if pattern.search(n)]
    if len(names) != 1:
        raise CscError(
            f"{path.name}: expected one sheet of {what}, found {len(names)} (sheets: {', '.join(sheets(path))})"
        )
    return names[0]


def _columns(table: pd.DataFrame, wanted: list[str], where: str, optional: set[str] = OPTIONAL) -> pd.DataFrame:
    """The wanted columns under their tidy names, each found under any of its known headings; a missing column
    is an error unless it is `optional` (then left empty)."""
    out = {}
    for col in wanted:
        found = next((h for h in HEADINGS[col] if h in table.columns), None)
        if found is None and col not in optional:
            raise CscError(f"{where}: missing column {HEADINGS[col][0]!r}")
        out[col] = table[found] if found else None
    return pd.DataFrame(out, index=table.index)


def _dates(out: pd.DataFrame, cols: list[str], where: str) -> None:
    """Date cells, or text written as an ISO date (2025-02-13); anything else ("28 Jan", "13/02/25") is an error
    naming the LA, never a guess at the year or the order of day and month."""
    for col in cols:
        dates = pd.to_datetime(out[col], format="ISO8601", errors="coerce")
        bad = out.loc[dates.isna() & out[col].notna(), col]
        if len(bad):
            raise CscError(
                f"{where}: {col.replace('_', ' ')} {bad.iloc[0]!r} for {out.loc[bad.index[0], 'la_name']} is not a date"
            )
        out[col] = dates


def judgements_at(path: Path) -> pd.DataFrame:
    """Every LA's latest ILACS judgements as at 31 March of the workbook's year.

    Columns: as_at (the date in the sheet title), ons_code (empty in 2024), la_name, inspection_date,
    publication_date (empty in 2024), overall, leaders, help_and_protection, children_in_care,
    care_leavers (grades as published; care leavers blank for inspections before January 2023). An LA
    listed as "Not yet inspected" keeps its row with no date and no grades.
    """
    path = Path(path)
    sheet = _sheet(path, JUDGEMENT_SHEET, "judgements as at 31 March")
    where = f"{path.name}, sheet {sheet}"
    table, titles = read_table(path, sheet, ["Local authority name", "Overall effectiveness"])
    dates = [m.group(1) for t in titles for m in [AS_AT.search(t)] if m]
    as_at = pd.to_datetime(dates[0], format="%d %B %Y", errors="coerce") if dates else pd.NaT
    if pd.isna(as_at):
        raise CscError(f"{where}: no date such as 'as at 31 March 2025' in the sheet's title rows")
    out = _columns(table, ["ons_code", "la_name", "inspection_date", "publication_date", *SUB_JUDGEMENTS], where)
    out = out[out["la_name"].notna()].reset_index(drop=True)
    not_yet = out["inspection_date"].astype(str).str.strip().str.lower() == NOT_INSPECTED
    graded = out[list(SUB_JUDGEMENTS)].notna().any(axis=1)
    if (not_yet & graded).any():
        raise CscError(f"{where}: {out.loc[not_yet & graded, 'la_name'].iloc[0]} is 'Not yet inspected' but has grades")
    out.loc[not_yet, "inspection_date"] = None
    _dates(out, ["inspection_date", "publication_date"], where)
    missing = out.loc[out["inspection_date"].isna() & ~not_yet, "la_name"]
    if len(missing):
        raise CscError(f"{where}: no inspection date for {missing.iloc[0]}")
    _grades(out, where)
    out.insert(0, "as_at", as_at)
    return out


def inspection_history(path: Path) -> pd.DataFrame:
    """Every ILACS inspection since 2018, abolished LAs' too, from the workbook's history sheet.

    Columns: ons_code, la_name, publication_date, inspection_date, inspection_type, la_status
    ("No longer exists" for an abolished LA), overall, leaders, help_and_protection, children_in_care,
    care_leavers (blank for inspections before January 2023).
    """
    path = Path(path)
    sheet = _sheet(path, HISTORY_SHEET, "the ILACS inspection history")
    where = f"{path.name}, sheet {sheet}"
    table, _ = read_table(path, sheet, ["Local authority area code", "Overall effectiveness"])
    columns = ["ons_code", "la_name", "publication_date", "inspection_date", "inspection_type", "la_status"]
    out = _columns(table, [*columns, *SUB_JUDGEMENTS], where, optional=set())
    out = out[out["ons_code"].notna()].reset_index(drop=True)
    _dates(out, ["inspection_date", "publication_date"], where)
    _grades(out, where)
    return out


def _grades(out: pd.DataFrame, where: str) -> None:
    """Every grade given is one of Ofsted's four; a blank stays missing."""
    for col in SUB_JUDGEMENTS:
        bad = out.loc[out[col].notna() & ~out[col].isin(JUDGEMENTS), col]
        if len(bad):
            raise CscError(
                f"{where}: judgement {bad.iloc[0]!r} for {out.loc[bad.index[0], 'la_name']} in "
                f"{HEADINGS[col][0]!r} is not one of {', '.join(JUDGEMENTS)}"
            )


def visit_kind(label: object, where: str, la_name: object) -> str | None:
    """`monitoring visit`, `focused visit` or `JTAI` for a visit; None for a (graded) inspection."""
    text = " ".join(str(label).lower().split()) if isinstance(label, str) else ""
    for key, kind in VISIT_KINDS.items():
        if key in text:
            return kind
    if any(k in text for k in INSPECTION_KINDS):
        return None
    raise CscError(
        f"{where}: inspection/visit type {label!r} for {la_name} is not a monitoring visit, focused "
        "visit, JTAI, short or standard inspection"
    )


def in_year_visits(path: Path) -> pd.DataFrame:
    """The monitoring and focused visits (and JTAIs, if listed) in the workbook's in-year sheet.

    Columns: as_at (31 March ending the in-year period), ons_code (empty in 2024), la_name, visit_date,
    publication_date (empty in 2024), visit_type (`monitoring visit`, `focused visit`, `JTAI`), theme.
    Visits carry no grade, so none is read.
    """
    path = Path(path)
    sheet = _sheet(path, IN_YEAR_SHEET, "in-year inspections and visits")
    where = f"{path.name}, sheet {sheet}"
    table, titles = read_table(path, sheet, ["Local authority name", "Inspection/Visit type"])
    year = financial_year(titles + [sheet], where)
    out = _columns(table, ["ons_code", "la_name", "visit_date", "publication_date", "visit_type", "theme"], where)
    out = out[out["la_name"].notna()].reset_index(drop=True)
    out["visit_type"] = [visit_kind(t, where, n) for t, n in zip(out["visit_type"], out["la_name"])]
    out = out[out["visit_type"].notna()].reset_index(drop=True)
    _dates(out, ["visit_date", "publication_date"], where)
    missing = out.loc[out["visit_date"].isna(), "la_name"]
    if len(missing):
        raise CscError(f"{where}: no visit date for {missing.iloc[0]}'s {out.loc[missing.index[0], 'visit_type']}")
    out.insert(0, "as_at", pd.Timestamp(year, 3, 31))
    return out
