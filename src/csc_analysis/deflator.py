"""Real-terms spending: the RSX cash figures re-priced with a GDP deflator the analyst supplies.

The maintained source is HM Treasury's "GDP deflators at market prices, and money GDP", a spreadsheet
republished on GOV.UK every quarter. The package runs offline and bundles no deflator (a copy would go out of
date without saying so), so the analyst saves its financial-year table as a CSV or Excel file with two
columns, the financial year ("2024-25") and the index, and passes it as the notebook parameter `deflator`.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import CscError
from .finance import TREND
from .localdata import heading_key, read_table

SOURCE = (
    "HM Treasury, GDP deflators at market prices, and money GDP "
    "(https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp)"
)

# Headings accepted for each column (compared without case, spaces or punctuation). The index column may
# also be any heading containing "deflator" (HM Treasury's is e.g. "GDP deflator at market prices").
YEAR_HEADINGS = ["financial_year", "financial year", "year", "fy"]
INDEX_HEADINGS = ["deflator", "gdp deflator", "index"]
FINANCIAL_YEAR = re.compile(r"(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})")


@dataclass(frozen=True)
class Deflator:
    """A GDP deflator by financial year: `index` keyed by the year the financial year ends (2024-25 -> 2025,
    the package's year numbering for RSX), and the file it came from (for sentences and errors)."""

    file: str
    index: pd.Series


def financial_year(year: int) -> str:
    """2025 -> '2024-25' (the financial year to 31 March 2025), as HM Treasury writes it."""
    return f"{year - 1}-{str(year)[-2:]}"


def _column(frame: pd.DataFrame, headings: list[str], contains: str | None, path: Path, what: str) -> str:
    """The frame's column whose heading matches one of `headings` (or contains `contains`), else a CscError."""
    keys = {heading_key(c): c for c in frame.columns}
    for heading in headings:
        if heading_key(heading) in keys:
            return keys[heading_key(heading)]
    if contains:
        for key, column in keys.items():
            if contains in key:
                return column
    raise CscError(
        f"{path}: no {what} column; expected a heading such as {headings[0]!r} (found {list(frame.columns)})"
    )


def read_deflator(path: str | Path) -> Deflator:
    """Read a deflator table (CSV or Excel): one row per financial year, the index a positive number.

    A year that is not a financial year like 2024-25, an index that is not a positive number and a year
    listed twice are each a one-line CscError naming the file, the row (spreadsheet line) and the value.
    """
    path = Path(path)
    frame = read_table(path)
    year_col = _column(frame, YEAR_HEADINGS, None, path, "financial year")
    index_col = _column(frame, INDEX_HEADINGS, "deflator", path, "deflator index")
    years: dict[int, float] = {}
    for pos, (text, raw) in enumerate(zip(frame[year_col].str.strip(), frame[index_col].str.strip(), strict=True)):
        line = pos + 2  # the header is line 1
        match = FINANCIAL_YEAR.fullmatch(text)
        start = int(match.group(1)) if match else 0
        end = match.group(2) if match else ""
        if not match or int(end) != ((start + 1) % 100 if len(end) == 2 else start + 1):
            raise CscError(f"{path}: row {line}: financial year {text!r} is not a year like 2024-25")
        value = pd.to_numeric(raw.replace(",", ""), errors="coerce")
        if pd.isna(value) or value <= 0:
            raise CscError(f"{path}: row {line}: deflator {raw!r} for {text} is not a positive number")
        if start + 1 in years:
            raise CscError(f"{path}: row {line}: financial year {text!r} is listed twice")
        years[start + 1] = float(value)
    if not years:
        raise CscError(f"{path}: no rows; expected one row per financial year (e.g. 2024-25) with its deflator")
    return Deflator(path.name, pd.Series(years, name="index").sort_index())


def real_terms(table: pd.DataFrame, deflator: Deflator, base_year: int | None = None) -> pd.DataFrame:
    """The spend indicators (`finance.TREND`) of `table` at `base_year` prices (None: the latest year they have).

    value_real = value x index[base_year] / index[year]; real_change_pct is the change in value_real from the
    indicator's first year. `table` is a tidy or benchmark table (indicator, year, value, ...); rows without a
    value are left out. A year the deflator does not cover is a CscError naming the file and the year.
    Columns: indicator, year, value, value_real, real_change_pct, cash_change_pct, base_year.
    """
    rows = table[table["indicator"].isin(TREND) & table["value"].notna()][["indicator", "year", "value"]]
    rows = rows.sort_values(["indicator", "year"]).reset_index(drop=True)
    columns = ["indicator", "year", "value", "value_real", "real_change_pct", "cash_change_pct", "base_year"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    base = int(rows["year"].max()) if base_year is None else int(base_year)
    covered = deflator.index.index
    for year in sorted({base, *rows["year"].astype(int)}):
        if year not in covered:
            raise CscError(
                f"{deflator.file}: no deflator for financial year {financial_year(year)}, needed to show spending "
                f"in real terms (the file covers {financial_year(int(covered.min()))} to "
                f"{financial_year(int(covered.max()))})"
            )
    rows["value_real"] = rows["value"] * deflator.index[base] / rows["year"].astype(int).map(deflator.index)
    first = rows.groupby("indicator")[["value", "value_real"]].transform("first")
    rows["real_change_pct"] = (rows["value_real"] / first["value_real"] - 1) * 100
    rows["cash_change_pct"] = (rows["value"] / first["value"] - 1) * 100
    rows["base_year"] = base
    return rows[columns]
