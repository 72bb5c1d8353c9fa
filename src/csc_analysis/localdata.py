"""Reading local extracts (Annex A lists, caseload snapshots): CSV or Excel, tolerant headings,
mixed date formats, and a report of every row that could not be used.

Local files describe real people. Nothing here prints a row: problems are reported by row
number and column, never by ID or name.
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CscError
from .load import read_csv_text


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


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """A CSV or Excel file as text columns (leading zeros and codes kept as written)."""
    path = Path(path)
    if not path.exists():
        raise CscError(f"{path}: file not found")
    head = path.read_bytes()[:8]
    if head[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="calamine")
        except Exception as exc:  # noqa: BLE001 - calamine raises its own types for damaged files
            raise CscError(f"{path}: not a readable Excel workbook ({type(exc).__name__})") from None
        frame = frame.map(_excel_text)
    else:
        text = read_csv_text(path)
        if not text.strip():
            raise CscError(f"{path}: file is empty, expected a header row")
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
        except (pd.errors.ParserError, ValueError) as exc:
            raise CscError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str)
    return frame[~(frame.apply(lambda col: col.str.strip() == "")).all(axis=1)].reset_index(drop=True)


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


def match_columns(frame: pd.DataFrame, wanted: dict[str, list[str]], required: list[str], path: str | Path) -> pd.DataFrame:
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


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates written as dd/mm/yyyy, yyyy-mm-dd, dd-Mon-yyyy or Excel serial numbers.

    Returns (dates, unparseable) where `unparseable` marks non-empty cells that are not a date.
    UK day-first order is assumed for slashed dates, as in Annex A.
    """
    text = text.astype(str).str.strip()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")  # seconds: years up to 9999
    iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
    out[iso] = pd.to_datetime(text[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    slashed = text.str.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}")
    out[slashed] = pd.to_datetime(text[slashed].str.replace(".", "/", regex=False), format="%d/%m/%Y", errors="coerce")
    named = text.str.fullmatch(r"\d{1,2}[- ][A-Za-z]{3}[- ]\d{4}")
    out[named] = pd.to_datetime(text[named].str.replace(" ", "-"), format="%d-%b-%Y", errors="coerce")
    serial = text.str.fullmatch(r"\d{5}(?:\.0+)?")
    numbers = pd.to_numeric(text[serial], errors="coerce")
    ok = numbers.between(20000, 80000)  # 1954-2119: a plausible Excel serial date
    out[numbers[ok].index] = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers[ok], unit="D")
    unparseable = (text != "") & out.isna()
    return out, unparseable


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no answers (true/false, yes/no, y/n, 1/0, and Annex A's 'a) Yes') as booleans."""
    key = text.astype(str).str.strip().str.lower().str.replace(r"^[a-z]\)\s*", "", regex=True)
    yes, no = key.isin(["true", "yes", "y", "1"]), key.isin(["false", "no", "n", "0"])
    return yes.where(yes | no), ~(yes | no)
