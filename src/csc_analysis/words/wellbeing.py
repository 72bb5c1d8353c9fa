"""Sentences on children's wellbeing and the longer series: health, missing from placement, care leavers and
education (notebook 05's sections, from `scorecard.travel` rows); children looked after since 2010 and the
three-year spend trend.

Every number carries its unit and the year it refers to; a year without a figure says so, never 0.
"""

import pandas as pd

from .. import safe
from ..catalogue import format_value, get
from ..scorecard import count_phrase, travel_clause
from .common import SYMBOL_MEANINGS, pct_phrase, reporting_year, short_label

# How the LA stands against its neighbours' median (`vs_sn`, or `sn_position` for a neutral indicator).
POSITION = {
    "better": "better than",
    "worse": "worse than",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
}


def period(indicator: str, year) -> str:
    """The period a figure covers: 'the 2023/24 school year' for education, else 'the year to 31 March 2024'.

    >>> period("edu_cla_absence_pct", 2024), period("cla_missing_pct", 2024)
    ('the 2023/24 school year', 'the year to 31 March 2024')
    """
    if get(indicator).theme == "education":
        return f"the {reporting_year(year)} school year"
    return f"the year to 31 March {int(year)}"


def position(row) -> str:
    """'better than' / 'worse than' / 'similar to' the neighbours' median by polarity, 'higher than' or
    'lower than' for a neutral indicator; '' without a comparison."""
    word = row["sn_position"] if row["polarity"] == "neutral" else row["vs_sn"]
    return POSITION.get(word, "") if pd.notna(row.get("sn_median")) else ""


def measure_sentence(row, la_name: str) -> str:
    """One headline measure in words, from a `scorecard.travel` row: value, year, count, neighbours' median,
    England and direction of travel by polarity.

    E.g. "Children looked after who went missing (% of children looked after in the year): 13% in the year
    to 31 March 2024 for Oldham (87 children looked after who went missing during the year), worse than its
    neighbours' median of 11% (England 10%); stable over three years (from 12% in 2022) and on the year
    (from 13% in 2023)." Figures show as many decimals as DfE publishes for the indicator.
    """
    unit, ind = row["unit"], row["indicator"]
    count = count_phrase(row)
    text = (
        f"{row['label']}: {format_value(row['value'], unit, ind)} in {period(row['indicator'], row['year'])} for "
        f"{safe.md(la_name)}" + (f" ({count})" if count else "")
    )
    where = position(row)
    if where:
        text += f", {where} its neighbours' median of {format_value(row['sn_median'], unit, ind)}"
    if pd.notna(row.get("england_value")):
        text += f" (England {format_value(row['england_value'], unit, ind)})"
    travel = travel_clause(row)
    return text + (f"; {travel}." if travel else "; no earlier year to compare with.")


def section_sentences(head: pd.DataFrame, ids: list[str], la_name: str) -> list[str]:
    """`measure_sentence` for each of `ids` the LA has a figure for, in `ids` order, then one sentence naming
    those it has none for (so a missing measure is said to be missing)."""
    rows = head.set_index("indicator")
    out = [
        measure_sentence(rows.loc[i].to_dict() | {"indicator": i}, la_name)
        for i in ids
        if i in rows.index and pd.notna(rows.at[i, "value"])
    ]
    absent = [short_label(get(i).label) for i in ids if i not in rows.index or pd.isna(rows.at[i, "value"])]
    if absent:
        out.append(f"No published figure for {safe.md(la_name)}: {'; '.join(absent)}.")
    return out


def section_title(head: pd.DataFrame, indicator: str, la_name: str) -> str:
    """A chart title stating the finding for the section's lead measure, e.g. "Oldham, 2024: children looked
    after who went missing 13%, worse than neighbours' 11%; stable over three years"."""
    rows = head.set_index("indicator")
    label = short_label(get(indicator).label.split(" (")[0])
    if indicator not in rows.index or pd.isna(rows.at[indicator, "value"]):
        return f"{la_name}: no published figure for {label}"
    r = rows.loc[indicator].to_dict() | {"indicator": indicator}
    text = f"{la_name}, {int(r['year'])}: {label} {format_value(r['value'], r['unit'], indicator)}"
    where = position(r)
    if where:
        text += f", {where} neighbours' {format_value(r['sn_median'], r['unit'], indicator)}"
    trend = r["direction_3y"] if pd.notna(r["value_3y"]) else r["direction_1y"]
    span = "over three years" if pd.notna(r["value_3y"]) else "on the year"
    return text + (f"; {trend} {span}" if trend != "n/a" else "")


def _symbol(status) -> str:
    return SYMBOL_MEANINGS.get(status, "not published") if isinstance(status, str) else "not in the bundled data"


def cla_since_sentence(series: pd.DataFrame, la_name: str) -> str:
    """Children looked after at 31 March over the whole series (from 2010): first and latest count, the
    lowest and highest, and the rate per 10,000 from its first published year, saying which years have no
    rate and why.

    `series` is `neighbours.comparison_series` output holding `cla_at31` and `cla_rate_per_10k`.
    """
    name = safe.md(la_name)
    counts = series[(series["indicator"] == "cla_at31") & series["value"].notna()].sort_values("year")
    if counts.empty:
        return f"{name} has no published number of children looked after at 31 March."
    first, last = counts.iloc[0], counts.iloc[-1]
    low, high = counts.loc[counts["value"].idxmin()], counts.loc[counts["value"].idxmax()]
    text = (
        f"{name} looked after {last['value']:,.0f} children at 31 March {int(last['year'])}, "
        f"{pct_phrase((last['value'] / first['value'] - 1) * 100)} the {first['value']:,.0f} of 31 March "
        f"{int(first['year'])}; the lowest was {low['value']:,.0f} ({int(low['year'])}) and the highest "
        f"{high['value']:,.0f} ({int(high['year'])})."
    )
    rates = series[(series["indicator"] == "cla_rate_per_10k") & series["year"].between(first["year"], last["year"])]
    known = rates[rates["value"].notna()].sort_values("year")
    if known.empty:
        return text + " No rate per 10,000 children is published for these years."
    r0, r1 = known.iloc[0], known.iloc[-1]

    def rate(v) -> str:
        return format_value(v, "rate_per_10k", "cla_rate_per_10k")

    text += (
        f" Per 10,000 children: {rate(r1['value'])} in {int(r1['year'])} against "
        f"{rate(r0['value'])} in {int(r0['year'])}"
    )
    if pd.notna(r1.get("sn_median")):
        text += (
            f" (neighbours' median {rate(r1['sn_median'])}, England {rate(r1['england_value'])} in {int(r1['year'])})"
        )
    gaps = counts[~counts["year"].isin(known["year"])]
    if len(gaps):
        status = rates.set_index("year")["status"]
        reasons: dict[str, list[str]] = {}
        for year in gaps["year"].astype(int):
            reasons.setdefault(_symbol(status.get(year)), []).append(str(year))
        text += "; no rate for " + "; ".join(f"{', '.join(ys)} ({why})" for why, ys in reasons.items())
    return text + "."


def spend_trend_sentence(
    table: pd.DataFrame, la_name: str, total: str = "csc_net_spend", per_child: str = "csc_net_spend_per_child"
) -> str:
    """Net spend on children's social care from its first to its latest published financial year (RSX, cash),
    in total and per child aged 0 to 17, with the neighbours' median and England per child in the latest year.

    `table` is the LA's `benchmark.benchmark` table holding `total` and `per_child`.
    """
    name = safe.md(la_name)
    spend = table[(table["indicator"] == total) & table["value"].notna()].sort_values("year")
    if len(spend) < 2:
        return f"{name} has fewer than two years of published net spend on children's social care (RSX)."
    first, last = spend.iloc[0], spend.iloc[-1]
    text = (
        f"{name}'s net current expenditure on children's social care (RSX, cash) was "
        f"{format_value(last['value'], 'gbp_thousands')} in {reporting_year(last['year'])}, "
        f"{pct_phrase((last['value'] / first['value'] - 1) * 100)} the "
        f"{format_value(first['value'], 'gbp_thousands')} of {reporting_year(first['year'])}"
    )
    rates = table[(table["indicator"] == per_child) & table["value"].notna()].set_index("year")
    y0, y1 = int(first["year"]), int(last["year"])
    if y0 in rates.index and y1 in rates.index:
        r = rates.loc[y1]
        text += (
            f"; per child aged 0 to 17, {format_value(rates.at[y0, 'value'], 'gbp')} then and "
            f"{format_value(r['value'], 'gbp')} now (neighbours' median {format_value(r['sn_median'], 'gbp')}, "
            f"England {format_value(r['england_value'], 'gbp')})"
        )
    return text + "."


# Shown when no deflator file is given: how to add one, and where HM Treasury publishes it.
NO_DEFLATOR = (
    "These figures are in cash. To show the change in real terms, save HM Treasury's GDP deflators by financial "
    "year (columns financial year, e.g. 2024-25, and deflator) as a CSV or Excel file and run "
    "`csc-analysis run --la X -p deflator=path/to/gdp_deflators.csv`; HM Treasury publishes them each quarter "
    'as "GDP deflators at market prices, and money GDP" on GOV.UK '
    "(https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp)."
)


def real_spend_sentence(real: pd.DataFrame, la_name: str, source_file: str, total: str = "csc_net_spend") -> str:
    """The change in net spend from its first to its latest year in real terms (at the latest year's prices)
    beside the cash change, naming the deflator file. `real` is `deflator.real_terms` output."""
    name = safe.md(la_name)
    spend = real[real["indicator"] == total].sort_values("year")
    if len(spend) < 2:
        return f"{name} has fewer than two years of published net spend, so there is no real-terms change."
    first, last = spend.iloc[0], spend.iloc[-1]
    prices = reporting_year(last["base_year"])
    return (
        f"In real terms, at {prices} prices (GDP deflator from {safe.md(source_file)}), {name}'s net spend of "
        f"{format_value(first['value'], 'gbp_thousands')} in {reporting_year(first['year'])} is "
        f"{format_value(first['value_real'], 'gbp_thousands')}, so the "
        f"{format_value(last['value_real'], 'gbp_thousands')} of {reporting_year(last['year'])} is "
        f"{pct_phrase(last['real_change_pct'])} it ({pct_phrase(last['cash_change_pct'])} in cash)."
    )


def series_title(series: pd.DataFrame, indicator: str, la_name: str) -> str:
    """A chart title stating how far one indicator moved over the whole series, with England's latest figure
    for a rate or percentage, e.g. "Oldham: children looked after at 31 March 582 in 2025, 67% above 349 in
    2010". `series` is `neighbours.comparison_series` output (or a `benchmark` table)."""
    rows = series[(series["indicator"] == indicator) & series["value"].notna()].sort_values("year")
    ind = get(indicator)
    label = short_label(ind.label)
    if rows.empty:
        return f"{la_name}: no published figure for {label}"
    first, last = rows.iloc[0], rows.iloc[-1]
    text = f"{la_name}: {label} {format_value(last['value'], ind.unit, indicator)} in {int(last['year'])}"
    if len(rows) > 1:
        text += (
            f", {pct_phrase((last['value'] / first['value'] - 1) * 100)} "
            f"{format_value(first['value'], ind.unit, indicator)} in {int(first['year'])}"
        )
    if ind.unit not in ("count", "gbp_thousands") and pd.notna(last.get("england_value")):
        text += f"; England {format_value(last['england_value'], ind.unit, indicator)}"
    return text
