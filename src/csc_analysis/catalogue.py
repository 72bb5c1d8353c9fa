"""The indicator catalogue (`indicators.yaml`): what each indicator is and where it comes from."""

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .errors import CscError
from .paths import PACKAGE_DIR

UNITS = {"count", "net_count", "rate_per_10k", "percent", "fte", "ratio", "gbp", "gbp_thousands"}
POLARITIES = {"higher_is_better", "lower_is_better", "neutral"}
CI_METHODS = {"byar", "wilson"}
UNIT_SUFFIX = {"count": "", "net_count": "", "rate_per_10k": " per 10,000", "percent": "%", "fte": " FTE", "ratio": "", "gbp": "",
               "gbp_thousands": ""}
WORKBOOK_SUFFIXES = (".ods", ".xlsx")


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry; `source` for published columns, `derived` for computed rates."""

    id: str
    label: str
    unit: str
    polarity: str
    theme: str
    source: dict | None = None
    derived: dict | None = None
    ci: dict | None = None
    published: dict | None = None
    count: str | None = None
    desc: str = ""


def _validate(entries: list[dict], path: Path) -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for entry in entries:
        ind = Indicator(**entry)
        where = f"{path.name}: indicator {ind.id!r}"
        if ind.id in out:
            raise CscError(f"{where} is listed twice")
        if ind.unit not in UNITS:
            raise CscError(f"{where} has unit {ind.unit!r}; expected one of {sorted(UNITS)}")
        if ind.polarity not in POLARITIES:
            raise CscError(f"{where} has polarity {ind.polarity!r}; expected one of {sorted(POLARITIES)}")
        if (ind.source is None) == (ind.derived is None):
            raise CscError(f"{where} needs exactly one of 'source' or 'derived'")
        for part in source_parts(ind):
            if not part.get("file") or not part.get("column"):
                raise CscError(f"{where} has a source without 'file' and 'column'")
            if part["file"].lower().endswith(WORKBOOK_SUFFIXES) and not part.get("sheet"):
                raise CscError(f"{where} reads a workbook and needs a 'sheet'")
        if ind.ci and ind.ci.get("method") not in CI_METHODS:
            raise CscError(f"{where} has ci method {ind.ci.get('method')!r}; expected byar or wilson")
        out[ind.id] = ind
    for ind in out.values():
        refs = [ind.derived["numerator"], ind.derived["denominator"]] if ind.derived else []
        refs += [ind.ci["numerator"], ind.ci["denominator"]] if ind.ci else []
        refs += [ind.count] if ind.count else []
        missing = [r for r in refs if r not in out or out[r].derived]
        if missing:
            raise CscError(f"{path.name}: indicator {ind.id!r} refers to {missing}, which are not source indicators")
    return out


def source_parts(ind: Indicator) -> list[dict]:
    """Where a source indicator's rows come from, newest release first: its `source` and then
    each older release listed under `source.splice`.

    A year is taken from the first (newest) release that has it, for every place at once, so
    one year never mixes releases (DfE revises figures between releases). A part with a `year`
    is a pre-EES file holding that one year only (see load.read_sfr_csv).
    """
    if not ind.source:
        return []
    main = {k: v for k, v in ind.source.items() if k != "splice"}
    return [main] + list(ind.source.get("splice") or [])


def _describe(part: dict) -> str:
    """One source part as text: file, column(s) and row filter."""
    column = part["column"]
    text = f"{part['file']}: {' + '.join(column) if isinstance(column, list) else column}"
    if part.get("filter"):
        text += " where " + ", ".join(
            f"{k} in ({' + '.join(v)})" if isinstance(v, list) else f"{k} = {v}" for k, v in part["filter"].items())
    return text


@cache
def load_catalogue(path: Path | None = None) -> dict[str, Indicator]:
    """Read and check the catalogue, keyed by indicator id (cached: the file ships with the package)."""
    path = path or PACKAGE_DIR / "indicators.yaml"
    try:
        # libyaml's safe loader when PyYAML has it (6x faster than the pure-Python one; every kernel reads this file)
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CscError(f"{path}: cannot read the indicator catalogue ({exc})") from None
    return _validate(entries, path)


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
    numerator = (ind.derived or ind.ci or {}).get("numerator")
    if numerator and get(numerator).unit in COUNT_UNITS and ind.unit not in COUNT_UNITS:
        return numerator
    return None


def catalogue_frame() -> pd.DataFrame:
    """The catalogue as a table, one row per indicator, for display and export."""
    rows = []
    for ind in load_catalogue().values():
        if ind.source:
            parts = source_parts(ind)
            source = _describe(parts[0])
            if len(parts) > 1:
                source += "; earlier years from " + "; ".join(_describe(p) for p in parts[1:])
        else:
            d = ind.derived
            source = f"{d['numerator']} / {d['denominator']} (year {d['denominator_year_offset']:+d})"
            source += f" x {d['multiplier']:,}" if d["multiplier"] != 1 else ""
        rows.append(
            {"id": ind.id, "label": ind.label, "unit": ind.unit, "polarity": ind.polarity,
             "theme": ind.theme, "source": source,
             "numerator": ind.derived["numerator"] if ind.derived else (ind.ci or {}).get("numerator"),
             "denominator": ind.derived["denominator"] if ind.derived else (ind.ci or {}).get("denominator")}
        )
    return pd.DataFrame(rows)


def format_value(value: float, unit: str) -> str:
    """A value as an analyst would write it: 632,830 / 32.3% / 91.0 per 10,000 / 19.2."""
    if pd.isna(value):
        return "n/a"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "net_count":
        return f"{value:+,.0f}"
    if unit == "fte":
        return f"{value:,.1f} FTE"
    if unit == "gbp":
        return f"£{value:,.0f}"
    if unit == "gbp_thousands":
        return f"£{value / 1000:,.1f}m" if abs(value) >= 1000 else f"£{value:,.0f}k"
    return f"{value:,.1f}{UNIT_SUFFIX[unit]}"
