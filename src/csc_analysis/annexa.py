"""Ofsted ILACS Annex A: the eleven child-level lists read from workbooks, folders or CSVs.

A list is recognised by its columns (`annexa_lists.LISTS`), never by its sheet or file name, and a
title row above the header is skipped. Local child-level data: rows are read to count them and are
never shown. Rows that cannot be used are counted in the list's RowReport by reason and left out:
no child ID, a missing or unparseable date, a date in the future or implausibly early, an end
before its start, a code outside the code list (in a column an indicator uses), a duplicate of an
earlier row's natural key. Only the columns the indicators need are kept: names, dates of birth and
postcodes are never read into the result.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .annexa_lists import CODES, LISTS, ListSpec
from .errors import CscError
from .localdata import (
    EXCEL_SUFFIXES,
    RowReport,
    file_date_order,
    heading_key,
    iso_day,
    parse_dates,
    read_sheets,
)

HEADER_SEARCH_ROWS = 10
PLAUSIBLE_YEARS = 25  # a date more than this many years before the extract is a typo (1924 for 2024)
MISSING = {"-", "--", "n/a", "N/A", "NULL", "null"}


@dataclass
class AnnexList:
    """One list as read: canonical columns (dates parsed, codes normalised) and its row report."""

    kind: str
    source: str
    rows: pd.DataFrame
    report: RowReport

    @property
    def spec(self) -> ListSpec:
        return LISTS[self.kind]


def identify(grid: pd.DataFrame) -> tuple[str | None, int]:
    """(kind, header row) of a raw grid: the first row, among the top few, holding a list's signature.

    When a header row fits several lists, the one with most recognised columns wins.
    """
    for i in range(min(HEADER_SEARCH_ROWS, len(grid))):
        keys = {heading_key(c) for c in grid.iloc[i]}
        scores = {}
        for kind, spec in LISTS.items():
            found = {name for name, heads in spec.columns.items() if any(heading_key(h) in keys for h in heads)}
            if set(spec.signature) <= found:
                scores[kind] = len(found)
        if scores:
            return max(scores, key=scores.__getitem__), i
    return None, -1


def _flag(report: RowReport, mask: pd.Series, column: str, problem: str) -> None:
    """Record a problem for each flagged row; the frame's index holds spreadsheet row numbers."""
    report.problems.extend((int(line), column, problem) for line in mask.index[mask.to_numpy()])


def _code(text: pd.Series) -> pd.Series:
    """Annex A codes without letter prefix or label: 'a) Yes' -> 'YES', 'N1 - Abuse' -> 'N1', 'q) 6: Police' -> '6'."""
    bare = text.str.replace(r"^[a-zA-Z]{1,2}\)\s*", "", regex=True).str.strip()
    return bare.str.extract(r"^([A-Za-z0-9]+)", expand=False).fillna("").str.upper()


def parse_list(grid: pd.DataFrame, header_at: int, kind: str, source: str, today=None) -> AnnexList:
    """Canonical rows of one list from a raw grid whose header is at row `header_at` (0-based)."""
    spec = LISTS[kind]
    keys = [heading_key(c) for c in grid.iloc[header_at]]
    body = grid.iloc[header_at + 1 :].apply(lambda col: col.astype(str).str.strip())
    body = body.mask(body.isin(MISSING), "")
    body.index = body.index + 1  # spreadsheet row numbers
    body = body[(body != "").any(axis=1)]
    cols, headings = {}, {}
    for name, heads in spec.columns.items():
        for head in heads:
            if heading_key(head) in keys:
                cols[name] = body.iloc[:, keys.index(heading_key(head))]
                headings[name] = grid.iloc[header_at, keys.index(heading_key(head))]
                break
    frame = pd.DataFrame(cols, index=body.index)
    report = RowReport(source, len(frame))
    today = iso_day(today, "as_at") if today is not None else pd.Timestamp.today().normalize()
    where = {name: f"{source}, column {heading!r}: " for name, heading in headings.items()}  # error prefixes
    present = [d for d in spec.dates if d in frame]
    order = file_date_order({where[d]: frame[d] for d in present}, 0)
    out = pd.DataFrame(index=frame.index)
    ident = spec.id_column
    if ident in frame:
        out[ident] = frame[ident]
        _flag(report, frame[ident] == "", ident, "missing child ID")
    for name in present:
        dates, bad = parse_dates(frame[name], where[name], order, 0)
        _flag(report, bad, name, "not a date")
        _flag(report, dates > today, name, "date in the future")
        _flag(
            report,
            dates < today - pd.DateOffset(years=PLAUSIBLE_YEARS),
            name,
            f"date more than {PLAUSIBLE_YEARS} years before the extract",
        )
        out[name] = dates.astype("datetime64[s]")
    if spec.required_date is not None and spec.required_date in out:
        _flag(report, frame[spec.required_date] == "", spec.required_date, "missing date")
    for start, end in spec.spans:
        if start in out and end in out:
            _flag(report, out[end] < out[start], end, "end before start")
    for name, code_list in spec.codes.items():
        if name in frame:
            out[name] = _code(frame[name])
            _flag(report, (out[name] != "") & ~out[name].isin(CODES[code_list]), name, "code not in the code list")
    for name in spec.columns:
        if name in frame and name not in out:
            out[name] = frame[name]
    bad_lines = {line for line, _, _ in report.problems}
    ok = ~out.index.isin(bad_lines)
    if ident in out:
        dup = out[ok].duplicated([k for k in spec.key if k in out], keep="first")
    else:  # a plain file with one row per event and no IDs: only identical rows are duplicates
        dup = frame[ok].duplicated(keep="first")
    _flag(report, dup.reindex(out.index, fill_value=False), "row", "duplicate of an earlier row")
    report.problems.sort()
    rows = out[~out.index.isin({line for line, _, _ in report.problems})].reset_index(drop=True)
    return AnnexList(kind, source, rows, report)


def _files(paths) -> list[Path]:
    """The files named, with a folder standing for its CSV and Excel files (sorted by name)."""
    out = []
    for path in map(Path, [paths] if isinstance(paths, (str, Path)) else paths):
        if path.is_dir():
            out += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in (".csv", *EXCEL_SUFFIXES) and not p.name.startswith(("~$", "."))
            )
        elif path.exists():
            out.append(path)
        else:
            raise CscError(f"{path}: file or folder not found")
    return out


def _tables(path: Path):
    """(source, grid, kind, header row) for every sheet of a file; kind None when no list is recognised."""
    grids = read_sheets(path, header=False)
    for sheet, grid in grids.items():
        kind, at = identify(grid)
        source = path.name if len(grids) == 1 and sheet == path.name else f"{path.name}, sheet {sheet!r}"
        yield source, grid, kind, at


def read_annex_a(paths, today=None) -> dict[str, AnnexList]:
    """Every Annex A list found in the given workbooks, CSVs and folders, keyed by kind.

    Sheets that are not a list (a cover sheet, notes) are skipped. A list found twice is an
    error naming both places, since counting it twice would double every figure.
    """
    found: dict[str, AnnexList] = {}
    for path in _files(paths):
        for source, grid, kind, at in _tables(path):
            if kind is None:
                continue
            if kind in found:
                raise CscError(
                    f"{LISTS[kind].title} found twice: in {found[kind].source} and in {source}; give each list once"
                )
            found[kind] = parse_list(grid, at, kind, source, today)
    if not found:
        raise CscError(f"no Annex A list recognised in {', '.join(str(p) for p in _files(paths)) or paths}")
    return found


def _not_found(where: str, kind: str, others: list[str]) -> CscError:
    spec = LISTS[kind]
    expected = ", ".join(repr(spec.columns[c][0]) for c in spec.signature)
    looks = f"; it looks like {' and '.join(LISTS[k].title for k in others)}" if others else ""
    return CscError(f"{where}: no {kind} list ({spec.title}): missing column {expected} or a variant{looks}")


def read_list(path: str | Path, kind: str = "referrals", today=None) -> tuple[pd.DataFrame, RowReport]:
    """Events (child_id, date) of one list from a workbook (any sheet), CSV, or a plain CSV of referrals.

    The list is found by its columns; a file holding other lists only is refused, naming what it
    looks like (List 1 contacts are not referrals). A file without an ID column is accepted (each
    row is one event) and then only identical rows count as duplicates.
    """
    if kind not in LISTS:
        raise CscError(f"unknown list {kind!r}; expected one of {', '.join(LISTS)}")
    others = []
    for source, grid, found, at in _tables(Path(path)):
        if found == kind:
            lst = parse_list(grid, at, kind, source, today)
            date = LISTS[kind].required_date
            ids = lst.rows["child_id"] if "child_id" in lst.rows else pd.Series("", index=lst.rows.index)
            return pd.DataFrame({"child_id": ids, "date": lst.rows[date]}), lst.report
        if found:
            others.append(found)
    raise _not_found(str(path), kind, others)


def find_list(folder: str | Path, kind: str) -> Path:
    """The file in a folder holding a list, recognised by its columns (not its name)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CscError(f"{folder}: folder not found")
    for path in _files(folder):
        if any(found == kind for _, _, found, _ in _tables(path)):
            return path
    raise CscError(
        f"{folder}: no {kind} list found ({LISTS[kind].title}, with a column like "
        f"{LISTS[kind].columns[LISTS[kind].signature[0]][0]!r})"
    )


def complete_months(start: pd.Timestamp, end: pd.Timestamp) -> pd.PeriodIndex:
    """Calendar months wholly covered by data running from `start` to `end` (both days included)."""
    first = start.to_period("M") if start.day == 1 else start.to_period("M") + 1
    last = end.to_period("M") if end == end.to_period("M").end_time.normalize() else end.to_period("M") - 1
    return pd.period_range(first, last, freq="M") if first <= last else pd.PeriodIndex([], freq="M")


def monthly_counts(events: pd.DataFrame, start=None, end=None) -> tuple[pd.DataFrame, list[str]]:
    """Events per complete calendar month (columns month, value), with months with none counted as zero.

    A month is complete only if the data cover its first and last day: by default the data are taken
    to run from the first to the last event (pass `start`/`end`, e.g. the extract date, when known).
    A partly covered month would look like a fall in demand, so it is left out and a message says so.
    """
    if events.empty:
        raise CscError("no usable dated rows to count")
    dates = events["date"]
    start = pd.Timestamp(start) if start is not None else dates.min()
    end = pd.Timestamp(end) if end is not None else dates.max()
    months = complete_months(start, end)
    if months.empty:
        raise CscError(f"the data ({start:%d %B %Y} to {end:%d %B %Y}) cover no complete calendar month")
    counts = dates.dt.to_period("M").value_counts().reindex(months, fill_value=0)
    messages = []
    if start.to_period("M") < months[0]:
        messages.append(f"{start.strftime('%B %Y')} is left out: the data start on {start:%d %B %Y}.")
    if end.to_period("M") > months[-1]:
        messages.append(f"{end.strftime('%B %Y')} is left out: the data end on {end:%d %B %Y}.")
    out = pd.DataFrame({"month": counts.index.to_timestamp(), "value": counts.to_numpy(dtype=float)})
    return out, messages
