"""The declared shape of an EES download, checked with pandera before any figure is used.

Two schemas: the geography columns every EES file shares (see data/README.md), and the values a
catalogue indicator reads, by its unit. A file that breaks either is a one-line `CscError` naming
the file, column, line and value, so a damaged or mis-edited download is refused rather than
read into a misleading table.

Rows are numbered as lines of the file: the header is line 1, so the row at position i of the
frame `ees.read_ees_csv` returns is line i + 2 (EES files hold one record per line).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import CscError

LEVELS = ("National", "Regional", "Local authority")
# A span of two years, e.g. 202425 for 2024-25, is allowed only where `time_identifier` says the
# file is by financial or academic year; elsewhere `time_period` is a 4-digit year.
SPAN_IDENTIFIERS = ("Financial year", "Academic year")
YEAR = r"(19|20)\d{2}"
LA_CODE = r"\d{3}( / \d{3})*"  # DfE LA number; joint returns are "940 / 941"
LA_ONS_CODE = r"E\d{8}( / E\d{8})*"  # ONS code of an English LA, e.g. E08000004
ONS_CODE = r"[EKNSW]\d{8}"  # any ONS area code (country, region)


@dataclass(frozen=True)
class ValueRule:
    """What a published figure of a unit may be. Symbols (c, x, ...) are checked by parse_numbers."""

    expected: str
    maximum: float
    whole: bool = False
    signed: bool = False  # a difference (e.g. a net gain) may be negative, down to -maximum


# Upper limits are far above any real figure, to catch typing and unit errors, not to judge data:
# England's 0-17 population (mid-2024) is 12,183,016 and its children's social workers 36,186 FTE.
VALUE_RULES = {
    "count": ValueRule("a whole number from 0 to 15,000,000", 15_000_000, whole=True),
    "net_count": ValueRule("a whole number from -15,000,000 to 15,000,000", 15_000_000, whole=True, signed=True),
    "fte": ValueRule("a number from 0 to 100,000 (FTE)", 100_000),
    "percent": ValueRule("a percentage from 0 to 100", 100),
    "rate_per_10k": ValueRule("a rate from 0 to 10,000 per 10,000", 10_000),
    "ratio": ValueRule("a ratio from 0 to 200 (cases per FTE)", 200),
    "sessions": ValueRule("a whole number of school sessions from 0 to 2,000,000,000", 2_000_000_000, whole=True),
    "score": ValueRule("a score from -100 to 100 (KS4 Attainment 8 or Progress 8)", 100, signed=True),
}


def _matches(pattern: str, expected: str) -> pa.Check:
    """Every cell matches `pattern` in full (vectorised: pandas' own fullmatch, not a per-cell loop)."""
    return pa.Check(lambda text: text.str.fullmatch(pattern), error=expected)


def _text(pattern: str, expected: str, optional: bool = False) -> pa.Column:
    """A text column whose every cell must match `pattern` in full (or be blank, if optional)."""
    return pa.Column(checks=_matches(f"({pattern})?" if optional else pattern, expected), required=False)


def _consecutive(period: pd.Series) -> pd.Series:
    """202425 is 2024-25: the second year follows the first."""
    first, second = (pd.to_numeric(period.str[:4], errors="coerce"), pd.to_numeric(period.str[4:], errors="coerce"))
    return (first + 1) % 100 == second


@cache
def geography_schema(la_rows: bool, span_years: bool) -> pa.DataFrameSchema:
    """The geography columns for LA rows or for national/regional rows, by the file's kind of year."""
    if span_years:
        expected = "a span of consecutive years like 202425 (time_identifier says Financial/Academic year)"
        period = pa.Column(checks=[_matches(r"(19|20)\d{4}", expected), pa.Check(_consecutive, error=expected)])
    else:
        period = _text(YEAR, "a 4-digit year (a span like 202425 needs time_identifier Financial/Academic year)")
    columns = {
        "time_period": period,
        "geographic_level": pa.Column(checks=pa.Check.isin(LEVELS, error=f"one of {', '.join(LEVELS)}")),
        "country_code": _text(ONS_CODE, "an ONS country code like E92000001", optional=True),
        "region_code": _text(ONS_CODE, "an ONS region code like E12000002", optional=not la_rows),
    }
    if la_rows:
        columns |= {
            "old_la_code": _text(LA_CODE, "a 3-digit LA code like 353 (or joint, like 940 / 941)"),
            "new_la_code": _text(LA_ONS_CODE, "an ONS LA code like E08000004"),
            "la_name": _text(r".*\S.*", "an LA name"),
        }
    else:
        columns |= {
            "old_la_code": _text("", "blank (only LA rows have an LA code)"),
            "new_la_code": _text(ONS_CODE, "blank or an ONS code", optional=True),
        }
    return pa.DataFrameSchema(columns)


@cache
def value_schema(unit: str) -> pa.SeriesSchema:
    """A published figure of `unit`: finite, within the unit's range, whole for counts (blank: a symbol)."""
    rule = VALUE_RULES[unit]

    def valid(v: pd.Series) -> pd.Series:
        return (
            np.isfinite(v)
            & (v >= (-rule.maximum if rule.signed else 0))
            & (v <= rule.maximum)
            & ((v == np.round(v)) if rule.whole else True)
        )

    return pa.SeriesSchema(float, checks=pa.Check(valid, error=rule.expected), nullable=True)


def _validate(schema, data: pd.DataFrame | pd.Series, path: Path, raw: pd.DataFrame | pd.Series) -> None:
    """Run a schema; on failure, one line naming the first bad cell: its column, line and value.

    `raw` holds the cells as the file has them (text), indexed like `data`, to quote the value.
    """
    try:
        schema.validate(data, lazy=True, inplace=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"]).sort_values("index", kind="stable")
        first = cases.iloc[0]
        column, index = first["column"] or raw.name, int(first["index"])
        shown = raw.at[index, column] if isinstance(raw, pd.DataFrame) else raw.at[index]
        raise CscError(f"{path}: column {column}, line {index + 2}: value {shown!r} is not {first['check']}") from None


def check_geography(frame: pd.DataFrame, path: Path) -> None:
    """Check the geography columns of an EES file read as text by `ees.read_ees_csv`.

    Each distinct combination is checked once, at its first line (files repeat a place's geography
    on every breakdown row), which keeps the check cheap.
    """
    names = [c for c in geography_schema(True, False).columns if c in frame] + (
        ["time_identifier"] if "time_identifier" in frame else []
    )
    text = frame[names].drop_duplicates()
    text = text.apply(lambda col: col.str.strip())
    la_rows = (text["geographic_level"] == "Local authority").to_numpy()
    span_years = text["time_identifier"].isin(SPAN_IDENTIFIERS).to_numpy() if "time_identifier" in text else False
    for la in (True, False):
        for span in (False, True):
            rows = text[(la_rows == la) & (span_years == span)]
            if len(rows):
                _validate(geography_schema(la, span), rows, path, frame)


def check_values(values: np.ndarray, unit: str, raw: pd.Series, path: Path) -> None:
    """Check the parsed figures of one column against its unit's rule; `raw` is the column's text, by row.

    Units without a rule (money, from the revenue outturn workbooks rather than EES files) are not checked here.
    """
    if unit in VALUE_RULES:
        _validate(value_schema(unit), pd.Series(values, index=raw.index, name=raw.name), path, raw)
