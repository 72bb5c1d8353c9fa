"""Reading local extracts (Annex A lists, caseload snapshots): CSV or Excel, tolerant headings,
mixed date formats, and a report of every row that could not be used.

Local files describe real people. Nothing here prints a row: problems are reported by row
number and column, never by ID or name.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .ees import read_csv_text
from .errors import CscError, unreadable


@dataclass
class RowReport:
    """How many rows a file had, how many were used, and why the others were not."""

    file: str
    rows: int
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, problem)

    @property
    def unusable(self) -> int:
        return len({line for line, _, _ in self.problems})

    @property
    def used(self) -> int:
        return self.rows - self.unusable

    def add(self, mask: pd.Series, column: str, problem: str) -> None:
        """Record a problem for each row where `mask` is true (line = spreadsheet row number)."""
        for idx in np.flatnonzero(mask.to_numpy()):
            self.problems.append((int(idx) + 2, column, problem))

    def table(self) -> pd.DataFrame:
        """Problems counted by column and kind (no row contents)."""
        frame = pd.DataFrame(self.problems, columns=["line", "column", "problem"])
        return frame.groupby(["column", "problem"]).size().rename("rows").reset_index()

    def summary(self) -> str:
        """One line: e.g. "referrals.csv: 1,204 rows, 1,190 used, 14 not used (7 date in the future, ...)"."""
        if not self.problems:
            return f"{self.file}: {self.rows:,} rows, all used"
        counts = self.table().groupby("problem")["rows"].sum().sort_values(ascending=False)
        detail = ", ".join(f"{n} {p}" for p, n in counts.items())
        return f"{self.file}: {self.rows:,} rows, {self.used:,} used, {self.unusable:,} not used ({detail})"


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (xlsx, xlsm, ods), OLE2 (xls)
HEAD_LINES = 20


def read_sheets(path: str | Path, sheet: str | int | None = None, header: bool = True) -> dict[str, pd.DataFrame]:
    """The sheets of a local CSV or spreadsheet (xlsx, xlsm, xls, ods) as text: the one place a local table is opened.

    `sheet` picks one sheet by name or position (None: every sheet); a CSV is one sheet named after
    the file. With `header` the first row names the columns and blank rows are dropped. Without it
    each sheet is a grid of raw cells with its rows in place, for readers that find the header
    themselves (a title row may sit above it); ragged rows are padded. Excel dates come out as
    yyyy-mm-dd and whole numbers without '.0', so dates typed as text and as dates mix freely.
    A missing, damaged or empty file is a one-line CscError naming it.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if head.startswith(EXCEL_MAGIC) or path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            book = pd.read_excel(
                path,
                sheet_name=None if sheet is None else [sheet],
                header=0 if header else None,
                dtype=object,
                engine="calamine",
            )
        except Exception as exc:  # noqa: BLE001 - calamine raises its own types for damaged files
            raise CscError(f"{path}: not a readable Excel workbook ({type(exc).__name__})") from None
        tables = {str(name): frame.map(_excel_text) for name, frame in book.items()}
    else:
        tables = {path.name: _csv_table(path, header)}
    if not header:
        return {name: grid.astype(str) for name, grid in tables.items()}
    return {name: _text_columns(frame) for name, frame in tables.items()}


def _csv_table(path: Path, header: bool) -> pd.DataFrame:
    """A CSV file's cells as text, under its first line as header or (without `header`) as a padded grid."""
    text = read_csv_text(path)
    if not text.strip():
        raise CscError(f"{path}: file is empty, expected a header row")
    if header:
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
        except (pd.errors.ParserError, ValueError) as exc:
            raise CscError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    first_rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEAD_LINES]))))
    width = max(len(r) for r in first_rows)
    try:  # the fast parser, sized by the widest of the first lines (a title row is narrower)
        return pd.read_csv(
            io.StringIO(text), header=None, names=range(width), dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError:  # a wider row further down
        rows = list(csv.reader(io.StringIO(text)))
        width = max(len(r) for r in rows)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A table with headings stripped, every cell as text (empty for none) and entirely blank rows dropped."""
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str)
    return frame[~(frame.apply(lambda col: col.str.strip() == "")).all(axis=1)].reset_index(drop=True)


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """A CSV file or one sheet of a spreadsheet (default the first) as text columns (leading zeros and codes
    kept as written), through `read_sheets`."""
    return next(iter(read_sheets(path, sheet or 0).values()))


def _excel_text(value) -> str:
    """An Excel cell as text: dates as ISO, whole numbers without '.0'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def heading_key(text: str) -> str:
    """Heading compared without case, punctuation or spacing: 'Date of Referral' -> 'dateofreferral'."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def match_columns(
    frame: pd.DataFrame, wanted: dict[str, list[str]], required: list[str], path: str | Path
) -> pd.DataFrame:
    """Rename columns to canonical names using each name's accepted headings; check required ones."""
    keys = {heading_key(c): c for c in frame.columns}
    renames = {}
    for name, headings in wanted.items():
        for heading in [name, *headings]:
            if heading_key(heading) in keys:
                renames[keys[heading_key(heading)]] = name
                break
    missing = [n for n in required if n not in renames.values()]
    if missing:
        expected = "; ".join(f"{n} (e.g. {wanted[n][0] if wanted[n] else n!r})" for n in missing)
        raise CscError(f"{path}: missing column(s): {expected}")
    return frame.rename(columns=renames)[[n for n in wanted if n in renames.values()]]


SLASHED = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"


def _first_row(text: pd.Series, codes: np.ndarray, unique_mask: np.ndarray, line_offset: int) -> object:
    """The spreadsheet row of the first value whose unique value is flagged in `unique_mask`."""
    return text.index[int(np.argmax(unique_mask[codes]))] + line_offset


def slashed_order(text: pd.Series, where: str = "", line_offset: int = 2) -> str | None:
    """The one order ('dmy' or 'mdy') of a column's slashed dates, from the values that settle it.

    A value with a first part above 12 can only be day-first, one with a second part above 12
    only month-first. Returns None when no value settles it (every part is 12 or less). A column
    holding both kinds is refused: some of its dates would otherwise be swapped. Errors name the
    spreadsheet row: the index label plus `line_offset` (2 for a 0-based index under a header row).
    Work is done once per distinct value (a year of dates has a few hundred).
    """
    codes, uniques = pd.factorize(text.astype(str).str.strip())
    parts = pd.Series(uniques, dtype=str).str.extract("^" + SLASHED + "$").astype(float)
    first, second = (parts[0] > 12).to_numpy(), (parts[1] > 12).to_numpy()
    day_first, month_first = first & ~second, second & ~first
    if day_first.any() and month_first.any():
        raise CscError(
            f"{where}mixes dd/mm/yyyy and mm/dd/yyyy dates (e.g. row "
            f"{_first_row(text, codes, day_first, line_offset)} is day-first, row "
            f"{_first_row(text, codes, month_first, line_offset)} month-first); save the column in one format"
        )
    return "dmy" if day_first.any() else "mdy" if month_first.any() else None


def file_date_order(columns: dict[str, pd.Series], line_offset: int = 2) -> str | None:
    """'dmy' when some date column of a file is settled as day-first: one export, one date format.

    Lets a column whose every day is 12 or less (e.g. a few leave dates) borrow the order the
    file's other date columns show; a month-first column is still refused by `parse_dates`.
    Keys are the prefixes for errors (e.g. "file.csv, column X: ").
    """
    orders = {slashed_order(text, where, line_offset) for where, text in columns.items()}
    return "dmy" if "dmy" in orders else None


def iso_day(value: object, what: str) -> pd.Timestamp:
    """A date the user gave (a parameter or option) as a day: a date, or text written YYYY-MM-DD, never guessed.

    `what` names it in the error ("as_at", "--as-at"): "01/02/2025" could be 1 February or 2 January.

    >>> iso_day("2025-03-31", "as_at")
    Timestamp('2025-03-31 00:00:00')
    >>> iso_day("31/03/2025", "as_at")
    Traceback (most recent call last):
    csc_analysis.errors.CscError: as_at '31/03/2025': expected a date as YYYY-MM-DD
    """
    if isinstance(value, dt.date):  # a Timestamp or datetime is a date too
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError:
        pass
    raise CscError(f"{what} {value!r}: expected a date as YYYY-MM-DD")


def parse_dates(
    text: pd.Series, where: str = "", order: str | None = None, line_offset: int = 2
) -> tuple[pd.Series, pd.Series]:
    """Dates written as dd/mm/yyyy, yyyy-mm-dd, dd-Mon-yyyy or Excel serial numbers, mixed freely.

    Returns (dates, unparseable) where `unparseable` marks non-empty cells that are not a date.
    Slashed dates must be day-first (UK, as Annex A asks). The order is inferred per column
    (`slashed_order`); when no value settles it, `order` (e.g. the order found in another date
    column of the same file) is used, and without one the column is refused rather than guessed.
    A month-first (US) column is refused too. `where` (e.g. "file.csv, column X: ") prefixes errors,
    which name the spreadsheet row (as in `slashed_order`) but never a value.
    """
    codes, uniques = pd.factorize(text.astype(str).str.strip())
    values = pd.Series(uniques, dtype=str)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")  # seconds: years up to 9999
    iso = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
    out[iso] = pd.to_datetime(values[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    slashed = values.str.fullmatch(SLASHED)
    if slashed.any():
        found = slashed_order(text, where, line_offset) or order
        row = _first_row(text, codes, slashed.to_numpy(), line_offset)
        if found is None:
            raise CscError(
                f"{where}cannot tell dd/mm/yyyy from mm/dd/yyyy: no date has a day above 12 "
                f"(e.g. row {row}); write the dates as yyyy-mm-dd"
            )
        if found == "mdy":
            raise CscError(
                f"{where}dates are month-first (US mm/dd/yyyy, e.g. row {row}); "
                "expected dd/mm/yyyy as in Annex A: save the column as UK dates or yyyy-mm-dd"
            )
        out[slashed] = pd.to_datetime(
            values[slashed].str.replace(".", "/", regex=False), format="%d/%m/%Y", errors="coerce"
        )
    named = values.str.fullmatch(r"\d{1,2}[- ][A-Za-z]{3}[- ]\d{4}")
    out[named] = pd.to_datetime(values[named].str.replace(" ", "-"), format="%d-%b-%Y", errors="coerce")
    serial = values.str.fullmatch(r"\d{5}(?:\.0+)?")
    numbers = pd.to_numeric(values[serial], errors="coerce")
    ok = numbers.between(20000, 80000)  # 1954-2119: a plausible Excel serial date
    out[numbers[ok].index] = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers[ok], unit="D")
    unparseable = (values != "") & out.isna()
    return (
        pd.Series(out.to_numpy()[codes], index=text.index, dtype="datetime64[s]"),
        pd.Series(unparseable.to_numpy()[codes], index=text.index),
    )


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no answers (true/false, yes/no, y/n, 1/0, and Annex A's 'a) Yes') as booleans."""
    key = text.astype(str).str.strip().str.lower().str.replace(r"^[a-z]\)\s*", "", regex=True)
    yes, no = key.isin(["true", "yes", "y", "1"]), key.isin(["false", "no", "n", "0"])
    return yes.where(yes | no), ~(yes | no)
