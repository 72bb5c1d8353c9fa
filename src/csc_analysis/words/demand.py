"""Sentences on demand: change since a baseline, trends, gaps and the pre-pandemic comparison (notebook 01).

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe
from ..catalogue import format_value
from .common import pct_phrase, short_label, signed_pct


def baseline_sentence(
    change: pd.DataFrame, series: pd.DataFrame, indicator: str, la_name: str, baseline_year: int
) -> str:
    """E.g. "Oldham's referrals per 10,000 children was 654.9 per 10,000 in 2025, 15% below its 2019 level, ..."."""
    name = safe.md(la_name)
    from ..catalogue import get

    ind = get(indicator)
    rows = series[(series["indicator"] == indicator) & series["value"].notna()]
    if rows.empty:
        return f"{name} has no published {short_label(ind.label)}."
    last = rows.sort_values("year").iloc[-1]
    ch = change[(change["indicator"] == indicator) & (change["year"] == last["year"])].iloc[0]
    head = f"{name}'s {short_label(ind.label)} was {format_value(last['value'], ind.unit, indicator)} in {last['year']}"
    if ch["baseline_zero"]:
        return f"{head}; its {baseline_year} figure was 0, so its change since then cannot be given as a percentage."
    if ch["baseline_missing"]:
        if pd.isna(ch["england_index"]):
            first = int(series.loc[series["indicator"] == indicator, "year"].min())
            return f"{head}; the published series starts in {first}, after {baseline_year}, so there is no baseline."
        return f"{head}; there is no {baseline_year} figure for {name} to compare with."
    return (
        f"{head}, {pct_phrase(ch['la_pct'])} its {baseline_year} level, against {pct_phrase(ch['sn_pct'])} "
        f"for its neighbours' median and {pct_phrase(ch['england_pct'])} for England."
    )


def trend_sentence(trend: pd.Series, la_name: str) -> str:
    """The tested trend of one indicator in words, with its interval."""
    name = safe.md(la_name)
    label = short_label(trend["label"])
    if trend["verdict"] == "not enough data":
        return f"There are too few years of {label} for {name} to test a trend ({trend['n_years']} year(s))."
    verdict = {"rising": "rising", "falling": "falling", "no clear trend": "neither clearly rising nor falling"}[
        trend["verdict"]
    ]
    return (
        f"From {trend['first_year']} to {trend['last_year']}, {name}'s {label} changed by "
        f"{signed_pct(trend['cagr_pct'], 1)} a year on a log-linear trend (95% CI "
        f"{signed_pct(trend['ci_lower_pct'], 1)} to {signed_pct(trend['ci_upper_pct'], 1)}): {verdict}."
    )


def gaps_sentence(gaps: pd.DataFrame, la_name: str) -> str:
    """Which years are missing and why, in one sentence ('' when none)."""
    name = safe.md(la_name)
    if gaps.empty:
        return ""
    parts = []
    for reason, rows in gaps.groupby("reason"):
        years = sorted(set(rows["year"]))
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts.append(f"{reason} ({span}, {len(rows)} value(s))")
    return f"Some of {name}'s figures are missing and are left as gaps, not filled in: " + "; ".join(parts) + "."


def pre_pandemic_sentence(table: pd.DataFrame, la_name: str, headline_year: int) -> str:
    """The seed question, answered for referrals: now against the last pre-pandemic year(s), counts and rates.

    `table` is `demand.pre_pandemic` output; the headline compares with `headline_year`.
    """
    rows = table[table["count_indicator"] == "referrals"].set_index("compared_year")
    if rows.empty or headline_year not in rows.index or pd.isna(rows.loc[headline_year, "compared_count"]):
        return (
            f"{safe.md(la_name)} has no published referrals for the year to 31 March {headline_year} to compare with."
        )
    r = rows.loc[headline_year]
    text = (
        f"{safe.md(la_name)} received {r['count']:,.0f} referrals in the year to 31 March {int(r['year'])} "
        f"({r['rate']:,.1f} per 10,000 children): {pct_phrase(r['count_change_pct'])} the {r['compared_count']:,.0f} "
        f"of the year to 31 March {headline_year}, the last year before the pandemic "
        f"({pct_phrase(r['rate_change_pct'])} as a rate per 10,000)."
    )
    for year, other in rows.drop(index=headline_year).iterrows():
        if pd.notna(other["compared_count"]):
            text += (
                f" Against the year to 31 March {year} ({other['compared_count']:,.0f}) it is "
                f"{pct_phrase(other['count_change_pct'])}."
            )
    return text
