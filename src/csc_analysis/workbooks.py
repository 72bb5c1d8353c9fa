"""Reading the published spreadsheets (ODS/XLSX): MHCLG revenue outturn, and tables for `ofsted_outcomes`.

These workbooks are laid out for people, not programs: a cover sheet, notes, title rows
above the header, a second table below the first, and cells such as `[x]`. `read_table`
finds one table by the header labels it must contain, whatever sits above it, and stops
at the first blank row or repeated header; anything else unexpected is a one-line
`CscError` naming the file and sheet. Parsing uses the Rust calamine reader through
pandas (about 0.2 s for RO3, against about 15 s with odfpy), so no cache is needed.
"""

import re
from functools import cache
from pathlib import Path

import pandas as pd

from .cells import cell_numbers
from .errors import CscError, unreadable

HEADER_SEARCH_ROWS = 30
FINANCIAL_YEAR = re.compile(r"\b(20\d\d)-(\d\d)\b")


@cache
def _sheets(path: Path, mtime_ns: int, size: int) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except OSError as exc:
        raise unreadable(path, exc) from None
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for damaged files
        raise CscError(f"{path}: not a readable spreadsheet (ods/xlsx) ({str(exc).splitlines()[0]})") from None


def sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as raw cells (no header), read once per file version."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise unreadable(path, exc) from None
    return _sheets(path.resolve(), st.st_mtime_ns, st.st_size)


def _clean(value) -> object:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None if pd.isna(value) else value


def read_table(path: Path, sheet: str, required: list[str]) -> tuple[pd.DataFrame, list]:
    """One table from a sheet: the first row holding every `required` label is the header.

    Returns the table (columns named by the header, whitespace normalised, all cells as read)
    and the rows above the header (titles, whose text may carry the period covered). The table
    ends at the first entirely blank row or at a repeat of the header row.
    """
    book = sheets(path)
    if sheet not in book:
        raise CscError(f"{Path(path).name}: no sheet {sheet!r} (sheets: {', '.join(book)})")
    cells = book[sheet].map(_clean)
    header_at = None
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        labels = {v for v in cells.iloc[i] if isinstance(v, str)}
        if all(r in labels for r in required):
            header_at = i
            break
    if header_at is None:
        raise CscError(
            f"{Path(path).name}, sheet {sheet}: no header row with {', '.join(map(repr, required))} "
            f"in the first {HEADER_SEARCH_ROWS} rows (has the layout changed?)"
        )
    header = list(cells.iloc[header_at])
    keep = [i for i, h in enumerate(header) if isinstance(h, str)]
    names = [header[i] for i in keep]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CscError(f"{Path(path).name}, sheet {sheet}: header {dupes[0]!r} appears more than once")
    body = cells.iloc[header_at + 1 :, keep]
    body.columns = names
    stop = len(body)
    for j, row in enumerate(body.itertuples(index=False)):
        values = list(row)
        if all(v is None for v in values) or all(r in values for r in required):
            stop = j
            break
    titles = [v for v in cells.iloc[:header_at].to_numpy().ravel() if isinstance(v, str)]
    return body.iloc[:stop].reset_index(drop=True), titles


def financial_year(titles: list[str], where: str) -> int:
    """The reporting year of a 2024-25 style financial year: 2025 (the year ending 31 March)."""
    for text in titles:
        m = FINANCIAL_YEAR.search(text)
        if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return int(m.group(1)) + 1
    raise CscError(f"{where}: no financial year such as 2024-25 in the sheet's title rows")


# --- Revenue outturn (RO3, RSX) -------------------------------------------------------------

RO_KEYS = ["ONS Code", "Local authority"]


def revenue_outturn(path: Path, sheet: str, columns: list[str]) -> pd.DataFrame:
    """The named columns of an MHCLG revenue outturn sheet, one row per authority, £ thousands.

    Columns: year (the year ending 31 March), ons_code, authority, column, value, status.
    Every authority in the sheet is returned (districts, police, fire, ...); the caller keeps
    the ones it knows. The England row has ons_code E92000001.
    """
    path = Path(path)
    table, titles = read_table(path, sheet, RO_KEYS)
    where = f"{path.name}, sheet {sheet}"
    year = financial_year(titles + [sheet, path.name], where)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise CscError(f"{where}: missing column {missing[0]!r}")
    table = table[table["ONS Code"].astype(str).str.fullmatch(r"E\d{8}")]
    parts = []
    for col in columns:
        values, status = cell_numbers(table[col], f"{where}, column {col!r}")
        parts.append(
            pd.DataFrame(
                {
                    "year": year,
                    "ons_code": table["ONS Code"],
                    "authority": table["Local authority"],
                    "column": col,
                    "value": values,
                    "status": status,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
