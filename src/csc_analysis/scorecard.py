"""The pack's one-page scorecard, and direction of travel in words that respect polarity.

A committee asks three things of every headline figure: where are we, which way are we going,
and how do we compare? One row per headline indicator answers them from the `benchmark` table
(one LA, every year): the latest value and year, the count a committee would quote beside a
rate, the change on last year and across the latest three published years, the neighbours'
median, England, rank and quartile, and a marker against the neighbours that is readable
without colour.
"""

from dataclasses import dataclass

import pandas as pd

from .catalogue import format_value, get
from .neighbours import STABLE_BAND, judge


@dataclass(frozen=True)
class Row:
    """One scorecard line: an indicator, the count quoted beside it, and the page explaining it."""

    area: str
    indicator: str
    count: str | None
    page: str


ROWS = (
    Row("Demand", "referrals_rate_per_10k", "referrals", "01_demand_trends"),
    Row("Demand", "cin_rate_per_10k", "cin_at31", "01_demand_trends"),
    Row("Front door", "rereferral_pct", "rereferrals", "04_statistical_neighbours"),
    Row("Child protection", "s47_rate_per_10k", "s47", "01_demand_trends"),
    Row("Child protection", "cpp_rate_per_10k", "cpp_at31", "01_demand_trends"),
    Row("Child protection", "repeat_cpp_pct", "repeat_cpp", "04_statistical_neighbours"),
    Row("Looked after", "cla_rate_per_10k", "cla_at31", "01_demand_trends"),
    Row("Looked after", "cla_starts_rate_per_10k", "cla_starts", "01_demand_trends"),
    Row("Workforce", "agency_rate_fte", "agency_fte", "03_caseload_agency"),
    Row("Workforce", "vacancy_rate_fte", "vacancy_fte", "03_caseload_agency"),
    Row("Workforce", "turnover_rate_fte", "leavers_fte", "03_caseload_agency"),
    Row("Workforce", "caseload_fte", "cases", "03_caseload_agency"),
    Row("Placements", "new_placements_outside_la_pct", "new_placements_outside_la", "05_placements_finance"),
    Row("Placements", "cla_3plus_placements_pct", "cla_3plus_placements", "05_placements_finance"),
    Row("Placements", "long_term_stability_pct", "long_term_same_carer", "05_placements_finance"),
    Row("Spending", "csc_spend_per_child", "csc_spend", "05_placements_finance"),
    Row("Spending", "cla_spend_per_cla", "cla_spend", "05_placements_finance"),
)

MARKERS = {
    "better": "▲ Better",
    "similar": "● Similar",
    "worse": "▼ Worse",
    "higher": "◇ Higher",
    "lower": "◇ Lower",
    "n/a": "– No comparison",
}
MARKER_NOTE = (
    "Marker: the latest value against the neighbours' median for the same year: ▲ better, ● within ±5% "
    "(similar) or ▼ worse, by whether higher or lower is better for that indicator; ◇ higher or lower where "
    "neither is better (demand and counts), so no judgement is implied."
)


def indicators() -> list[str]:
    """Every indicator the scorecard reads (headline rates and the counts beside them)."""
    out = []
    for row in ROWS:
        out += [row.indicator] + ([row.count] if row.count else [])
    return out


def direction(value_from: float, value_to: float, polarity: str) -> str:
    """`improving`/`stable`/`worsening` by polarity; `rising`/`stable`/`falling` for a neutral indicator.

    Stable means within ±2% of the earlier value (the benchmark's direction rule).

    >>> direction(42.8, 15.2, "lower_is_better"), direction(100, 101, "neutral"), direction(100, 90, "neutral")
    ('improving', 'stable', 'falling')
    """
    if pd.isna(value_from) or pd.isna(value_to):
        return "n/a"
    change = (value_to - value_from) / abs(value_from) if value_from else (0.0 if value_to == 0 else 1.0)
    if polarity == "neutral":
        return judge(change, "higher_is_better", STABLE_BAND, ("rising", "stable", "falling"))
    return judge(change, polarity, STABLE_BAND, ("improving", "stable", "worsening"))


def _earlier(series: pd.DataFrame, year: int, back: int) -> pd.Series | None:
    """The row `back` years before `year`, if the LA has a value then."""
    hit = series[(series["year"] == year - back) & series["value"].notna()]
    return hit.iloc[0] if len(hit) else None


def travel_sentence(row: pd.Series) -> str:
    """E.g. "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: improving, still
    above neighbours' 11.2%." Uses the row's 3-year start (or the 1-year one when that is all there is)."""
    label = get(row["indicator"]).label
    start_year, start = (row["year_3y"], row["value_3y"]) if pd.notna(row["value_3y"]) else (
        row["year_1y"], row["value_1y"])
    now = format_value(row["value"], row["unit"])
    if pd.isna(start):
        return f"{label}: {now} in {row['year']}; no earlier year to compare with."
    then = format_value(start, row["unit"])
    if then == now:  # equal as published, whatever the unrounded figures
        head = f"{label} was {now} in both {int(start_year)} and {row['year']}"
    else:
        verb = "rose" if row["value"] > start else "fell"
        head = f"{label} {verb} from {then} in {int(start_year)} to {now} in {row['year']}"
    trend = row["direction_3y"] if pd.notna(row["value_3y"]) else row["direction_1y"]
    if pd.isna(row["sn_median"]):
        return f"{head}: {trend}."
    median = format_value(row["sn_median"], row["unit"])
    if row["sn_position"] == "similar":
        where = f"similar to neighbours' {median}"
    else:
        side = "above" if row["sn_position"] == "higher" else "below"
        still = "still " if trend == "improving" and row["vs_sn"] == "worse" else ""
        where = f"{still}{side} neighbours' {median}"
    return f"{head}: {trend}, {where}."


def rank_text(rank, n_ranked, polarity: str) -> str:
    """'3rd best of 152' for an indicator with a better direction; '12th highest of 152' for a neutral one."""
    from .words import ordinal

    if pd.isna(rank):
        return "not ranked"
    order = "highest" if polarity == "neutral" else "best"
    return f"{ordinal(int(rank))} {order} of {int(n_ranked)}"


def quartile_text(quartile, polarity: str) -> str:
    """'Q1 (best quarter)' or, for a neutral indicator, 'Q1 (highest quarter)'."""
    if pd.isna(quartile):
        return "n/a"
    q = int(quartile)
    if polarity == "neutral":
        return f"Q{q} ({['highest', 'second highest', 'second lowest', 'lowest'][q - 1]} quarter)"
    return f"Q{q} ({['best', 'second best', 'second worst', 'worst'][q - 1]} quarter)"


def build(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The scorecard from a `benchmark` table for one LA (every year, at least `indicators()`).

    One row per scorecard line the LA has a value for, in `ROWS` order. `year` caps the
    latest year used (None: each indicator's latest). Columns: area, indicator, label, unit,
    polarity, year, value, count_label, count_unit, count, year_1y, value_1y, direction_1y, year_3y,
    value_3y, direction_3y (from the first of the latest three published years), sn_median,
    sn_position, vs_sn, england_value, rank, n_ranked, quartile, rank_text, quartile_text,
    marker, page, travel (a sentence).
    """
    out = []
    for line in ROWS:
        series = table[table["indicator"] == line.indicator]
        have = series[series["value"].notna() & ((series["year"] <= year) if year is not None else True)]
        if have.empty:
            continue
        latest = have.sort_values("year").iloc[-1]
        rec = latest[["indicator", "label", "unit", "polarity", "year", "value", "sn_median", "sn_position",
                      "vs_sn", "england_value", "rank", "n_ranked", "quartile"]].to_dict()
        rec["area"], rec["page"] = line.area, line.page
        count = table[(table["indicator"] == line.count) & (table["year"] == latest["year"])] if line.count else None
        rec["count_label"] = get(line.count).label if line.count else None
        rec["count_unit"] = get(line.count).unit if line.count else None
        rec["count"] = count["value"].iloc[0] if count is not None and len(count) else float("nan")
        for back, key in ((1, "1y"), (2, "3y")):
            earlier = _earlier(series, int(latest["year"]), back)
            rec[f"year_{key}"] = int(latest["year"]) - back if earlier is not None else None
            rec[f"value_{key}"] = earlier["value"] if earlier is not None else float("nan")
            rec[f"direction_{key}"] = direction(rec[f"value_{key}"], latest["value"], latest["polarity"])
        rec["rank_text"] = rank_text(latest["rank"], latest["n_ranked"], latest["polarity"])
        rec["quartile_text"] = quartile_text(latest["quartile"], latest["polarity"])
        judged = latest["vs_sn"] if latest["polarity"] != "neutral" else latest["sn_position"]
        rec["marker"] = MARKERS.get(judged if pd.notna(latest["sn_median"]) else "n/a", MARKERS["n/a"])
        out.append(rec)
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    frame["travel"] = [travel_sentence(r) for _, r in frame.iterrows()]
    first = ["area", "indicator", "label", "unit", "polarity", "year", "value", "count_label", "count_unit", "count"]
    return frame[first + [c for c in frame.columns if c not in first]]


def display_table(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as a committee reads it: formatted text, one row per indicator (what each
    count counts is in `card["count_label"]`)."""
    def arrow(d: str) -> str:
        return {"improving": "↗ improving", "worsening": "↘ worsening", "rising": "↑ rising",
                "falling": "↓ falling", "stable": "→ stable"}.get(d, "–")

    return pd.DataFrame({
        "Area": card["area"],
        "Indicator": card["label"],
        "Latest": [f"{format_value(v, u)} ({y})" for v, u, y in zip(card["value"], card["unit"], card["year"])],
        "Count": ["" if pd.isna(c) else format_value(c, u) for c, u in zip(card["count"], card["count_unit"])],
        "1 year": [arrow(d) for d in card["direction_1y"]],
        "3 years": [arrow(d) for d in card["direction_3y"]],
        "Neighbours' median": [format_value(v, u) for v, u in zip(card["sn_median"], card["unit"])],
        "England": [format_value(v, u) for v, u in zip(card["england_value"], card["unit"])],
        "Rank": card["rank_text"],
        "Quartile": card["quartile_text"],
        "vs neighbours": card["marker"],
    })


def for_la(tidy: pd.DataFrame, la, sn_codes: list[str]) -> pd.DataFrame:
    """`build` for one LA straight from the tidy table (ranks are taken over every LA)."""
    from .neighbours import benchmark

    return build(benchmark(tidy, la, sn_codes, indicators()))
