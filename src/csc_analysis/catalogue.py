"""The indicator catalogue (`indicators.yaml`): what each indicator is and where it comes from."""

import difflib
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import TypeVar

import pandas as pd
import yaml

from .errors import CscError
from .paths import PACKAGE_DIR

UNITS = {"count", "net_count", "rate_per_10k", "percent", "fte", "ratio", "gbp", "gbp_thousands", "score", "sessions"}
POLARITIES = {"higher_is_better", "lower_is_better", "neutral"}
CI_METHODS = {"byar", "wilson"}
UNIT_SUFFIX = {
    "count": "",
    "net_count": "",
    "rate_per_10k": " per 10,000",
    "percent": "%",
    "fte": " FTE",
    "ratio": "",
    "gbp": "",
    "gbp_thousands": "",
    "score": "",
    "sessions": " sessions",
}
WORKBOOK_SUFFIXES = (".ods", ".xlsx")


# The catalogue format this package reads (`version:` at the top of indicators.yaml).
CATALOGUE_VERSION = 1
Filter = dict[str, str | list[str]]
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class SourcePart:
    """One file an indicator's rows come from: `column` (or several columns added up) in the rows where
    every `filter` matches (a list value adds the matching rows up); `sheet` for a workbook; `year` for a
    pre-EES file that holds that one year only (see ees.read_sfr_csv); `code` for a revenue outturn column
    matched by MHCLG's column code rather than its label (revenue_history); `layout` for a file read by a
    reader of its own (`wide_workforce`: workforce_history)."""

    file: str
    column: str | list[str] | None = None
    filter: Filter | None = None
    sheet: str | None = None
    year: int | None = None
    code: str | None = None
    layout: str | None = None


@dataclass(frozen=True, kw_only=True)
class Source(SourcePart):
    """A source indicator's newest release, then older releases (`splice`) for the years it lacks."""

    splice: tuple[SourcePart, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Derived:
    """A rate computed as numerator / denominator(year + denominator_year_offset) * multiplier."""

    numerator: str
    denominator: str
    denominator_year_offset: int
    multiplier: float


@dataclass(frozen=True, kw_only=True)
class Interval:
    """How to put a 95% confidence interval on an indicator: byar (counts, rates) or wilson (proportions)."""

    method: str
    numerator: str
    denominator: str


@dataclass(frozen=True, kw_only=True)
class Published(SourcePart):
    """The column where DfE publishes a derived rate itself, to `rounding` decimal places."""

    rounding: int


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry; `source` for published columns, `derived` for computed rates."""

    id: str
    label: str
    unit: str
    polarity: str
    theme: str
    source: Source | None = None
    derived: Derived | None = None
    ci: Interval | None = None
    published: Published | None = None
    count: str | None = None
    desc: str = ""


def _make(cls: type[T], data: object, where: str) -> T:
    """A catalogue record from its YAML mapping; an unknown or missing field is a one-line error."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]  # T is always a dataclass here
    if not isinstance(data, dict):
        raise CscError(f"{where} should be a mapping with fields {names}, not {data!r}")
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise CscError(f"{where} has unknown field(s) {unknown}; expected some of {names}")
    try:
        return cls(**data)
    except TypeError as exc:
        raise CscError(f"{where} is incomplete ({exc}); expected fields {names}") from None


def _optional(cls: type[T], data: object, where: str) -> T | None:
    return None if data is None else _make(cls, data, where)


def _indicator(entry: object, path: Path) -> Indicator:
    """One YAML entry as an Indicator whose nested fields are their dataclasses, not dicts."""
    where = f"{path.name}: indicator {entry.get('id', '?')!r}" if isinstance(entry, dict) else f"{path.name}: entry"
    ind = _make(Indicator, entry, where)
    source = _optional(Source, ind.source, f"{where} source")
    if source is not None:
        splice = tuple(_make(SourcePart, part, f"{where} splice") for part in source.splice or ())
        source = replace(source, splice=splice)
    return replace(
        ind,
        source=source,
        derived=_optional(Derived, ind.derived, f"{where} derived"),
        ci=_optional(Interval, ind.ci, f"{where} ci"),
        published=_optional(Published, ind.published, f"{where} published"),
    )


def _validate(entries: list[dict], path: Path) -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for entry in entries:
        ind = _indicator(entry, path)
        where = f"{path.name}: indicator {ind.id!r}"
        if ind.id in out:
            raise CscError(f"{where} is listed twice")
        if ind.unit not in UNITS:
            raise CscError(f"{where} has unit {ind.unit!r}; expected one of {sorted(UNITS)}")
        if ind.polarity not in POLARITIES:
            raise CscError(f"{where} has polarity {ind.polarity!r}; expected one of {sorted(POLARITIES)}")
        if (ind.source is None) == (ind.derived is None):
            raise CscError(f"{where} needs exactly one of 'source' or 'derived'")
        for n, part in enumerate(source_parts(ind)):
            if not part.file or not (part.column or part.code):
                which = "source" if n == 0 else f"splice part {n} ({part.file})"
                raise CscError(f"{where} {which} is incomplete: it needs 'file' and 'column' (or a workbook's 'code')")
            if part.file.lower().endswith(WORKBOOK_SUFFIXES) and not part.sheet:
                raise CscError(f"{where} reads a workbook and needs a 'sheet'")
        if ind.ci and ind.ci.method not in CI_METHODS:
            raise CscError(f"{where} has ci method {ind.ci.method!r}; expected byar or wilson")
        out[ind.id] = ind
    for ind in out.values():
        refs = [ind.derived.numerator, ind.derived.denominator] if ind.derived else []
        refs += [ind.ci.numerator, ind.ci.denominator] if ind.ci else []
        refs += [ind.count] if ind.count else []
        missing = [r for r in refs if r not in out or out[r].derived]
        if missing:
            raise CscError(f"{path.name}: indicator {ind.id!r} refers to {missing}, which are not source indicators")
    return out


def source_parts(ind: Indicator) -> list[SourcePart]:
    """Where a source indicator's rows come from, newest release first: its `source` and then
    each older release listed under `source.splice`.

    A year is taken from the first (newest) release that has it, for every place at once, so
    one year never mixes releases (DfE revises figures between releases). A part with a `year`
    is a pre-EES file holding that one year only (see ees.read_sfr_csv).

    >>> [part.year for part in source_parts(get("cla_at31"))][:4]
    [None, None, None, 2017]
    >>> source_parts(get("cla_rate_per_10k"))  # a derived rate reads no file of its own
    []
    """
    if not ind.source:
        return []
    main = SourcePart(
        file=ind.source.file,
        column=ind.source.column,
        filter=ind.source.filter,
        sheet=ind.source.sheet,
        year=ind.source.year,
    )
    return [main, *ind.source.splice]


def _describe(part: SourcePart) -> str:
    """One source part as text: file, column(s) and row filter.

    >>> _describe(SourcePart(file="a.csv", column=["x", "y"], filter={"age": "0-17", "kind": ["p", "q"]}))
    'a.csv: x + y where age = 0-17, kind in (p + q)'
    """
    column = part.column or f"MHCLG code {part.code}"
    text = f"{part.file}: {' + '.join(column) if isinstance(column, list) else column}"
    if part.filter:
        text += " where " + ", ".join(
            f"{k} in ({' + '.join(v)})" if isinstance(v, list) else f"{k} = {v}" for k, v in part.filter.items()
        )
    return text


@cache
def load_catalogue(path: Path | None = None) -> dict[str, Indicator]:
    """Read and check the catalogue, keyed by indicator id (cached: the file ships with the package)."""
    path = path or PACKAGE_DIR / "indicators.yaml"
    try:
        # libyaml's safe loader when PyYAML has it (6x faster than the pure-Python one; every kernel reads this file)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CscError(f"{path}: cannot read the indicator catalogue ({exc})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if version != CATALOGUE_VERSION or not isinstance(data.get("indicators"), list):
        raise CscError(
            f"{path}: catalogue version {version!r} is not supported; expected `version: "
            f"{CATALOGUE_VERSION}` and an `indicators:` list"
        )
    return _validate(data["indicators"], path)


def get(indicator_id: str) -> Indicator:
    """The catalogue entry for an id; an unknown id is an error naming the closest ids."""
    cat = load_catalogue()
    if indicator_id in cat:
        return cat[indicator_id]
    close = difflib.get_close_matches(indicator_id, list(cat), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `csc-analysis indicators` lists them"
    raise CscError(f"unknown indicator {indicator_id!r}{hint}")


COUNT_UNITS = ("count", "fte", "gbp_thousands")


def count_of(indicator_id: str) -> str | None:
    """The count a committee would quote beside a rate: the catalogue's `count:`, else a derived rate's
    numerator, else the numerator of a published percentage's confidence interval, when that is a count,
    FTE or £ total (referrals beside referrals per 10,000; re-referrals beside the re-referral rate); None
    for counts themselves and rates without one.

    >>> count_of("cla_rate_per_10k"), count_of("agency_rate_fte"), count_of("rereferral_pct"), count_of("referrals")
    ('cla_at31', 'agency_fte', 'rereferrals', None)
    """
    ind = get(indicator_id)
    if ind.count:
        return ind.count
    ratio = ind.derived or ind.ci
    numerator = ratio.numerator if ratio else None
    if numerator and get(numerator).unit in COUNT_UNITS and ind.unit not in COUNT_UNITS:
        return numerator
    return None


def catalogue_frame() -> pd.DataFrame:
    """The catalogue as a table, one row per indicator, for display and export."""
    rows = []
    for ind in load_catalogue().values():
        if d := ind.derived:
            source = f"{d.numerator} / {d.denominator} (year {d.denominator_year_offset:+d})"
            source += f" x {d.multiplier:,}" if d.multiplier != 1 else ""
        else:
            parts = source_parts(ind)
            source = _describe(parts[0])
            if len(parts) > 1:
                source += "; earlier years from " + "; ".join(_describe(p) for p in parts[1:])
        ratio = ind.derived or ind.ci
        rows.append(
            {
                "id": ind.id,
                "label": ind.label,
                "unit": ind.unit,
                "polarity": ind.polarity,
                "theme": ind.theme,
                "source": source,
                "numerator": ratio.numerator if ratio else None,
                "denominator": ratio.denominator if ratio else None,
            }
        )
    return pd.DataFrame(rows)


def decimals(indicator: str | None) -> int:
    """Decimal places to show an indicator's rate, percentage or ratio with: the catalogue's
    `published.rounding` where DfE publishes it rounded (a whole-number percentage is 94%, not 94.0%), else 1.

    >>> decimals("care_leavers_19_21_intouch_pct"), decimals("referrals_not_in_need_pct"), decimals(None)
    (0, 1, 1)
    """
    published = get(indicator).published if indicator else None
    return published.rounding if published else 1


def format_value(value: float, unit: str, indicator: str | None = None) -> str:
    """A value as an analyst would write it: 632,830 / 32.3% / 91.0 per 10,000 / 19.2 / -£25 / -£20k.

    Given the `indicator`, a rate, percentage or ratio shows as many decimals as DfE publishes (`decimals`):
    96% for care leavers in touch, 15.1% for referrals assessed as not in need. A negative amount of money
    puts its sign before the pound sign, and a value that rounds to nothing has no sign (never "-0.0%").

    >>> format_value(-25.4, "gbp"), format_value(-20, "gbp_thousands"), format_value(-0.0186, "percent")
    ('-£25', '-£20k', '0.0%')
    """
    if pd.isna(value):
        return "n/a"
    if unit == "net_count":
        return f"{value:+,.0f}"
    text = _unsigned(abs(value), unit, indicator)
    return f"-{text}" if value < 0 and any(c in "123456789" for c in text) else text


def _unsigned(value: float, unit: str, indicator: str | None) -> str:
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "fte":
        return f"{value:,.1f} FTE"
    if unit == "gbp":
        return f"£{value:,.0f}"
    if unit == "sessions":
        return f"{value:,.0f} sessions"
    if unit == "score":
        return f"{value:,g}"  # Attainment 8 to 1 decimal, Progress 8 to 2, as DfE publishes them
    if unit == "gbp_thousands":
        return f"£{value / 1000:,.1f}m" if value >= 1000 else f"£{value:,.0f}k"
    return f"{value:,.{decimals(indicator)}f}{UNIT_SUFFIX[unit]}"
