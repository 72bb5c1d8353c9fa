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

from .benchmark import STABLE_BAND, headline, judge
from .catalogue import count_of, format_value, get


@dataclass(frozen=True)
class Row:
    """One scorecard line: an indicator and the page explaining it (the count beside it is
    `catalogue.count_of(indicator)`)."""

    area: str
    indicator: str
    page: str


ROWS = (
    Row("Demand", "referrals_rate_per_10k", "01_demand_trends"),
    Row("Demand", "cin_rate_per_10k", "01_demand_trends"),
    Row("Front door", "rereferral_pct", "04_statistical_neighbours"),
    Row("Child protection", "s47_rate_per_10k", "01_demand_trends"),
    Row("Child protection", "cpp_rate_per_10k", "01_demand_trends"),
    Row("Child protection", "repeat_cpp_pct", "04_statistical_neighbours"),
    Row("Looked after", "cla_rate_per_10k", "01_demand_trends"),
    Row("Looked after", "cla_starts_rate_per_10k", "01_demand_trends"),
    Row("Workforce", "agency_rate_fte", "03_caseload_agency"),
    Row("Workforce", "vacancy_rate_fte", "03_caseload_agency"),
    Row("Workforce", "turnover_rate_fte", "03_caseload_agency"),
    Row("Workforce", "caseload_fte", "03_caseload_agency"),
    Row("Placements", "new_placements_outside_la_pct", "05_placements_finance"),
    Row("Placements", "cla_3plus_placements_pct", "05_placements_finance"),
    Row("Placements", "long_term_stability_pct", "05_placements_finance"),
    Row("Spending", "csc_spend_per_child", "05_placements_finance"),
    Row("Spending", "cla_spend_per_cla", "05_placements_finance"),
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


def with_counts(ids: list[str]) -> list[str]:
    """`ids` and, after each rate, the count quoted beside it (for building a `benchmark` table).

    >>> with_counts(["cla_rate_per_10k", "referrals"])
    ['cla_rate_per_10k', 'cla_at31', 'referrals']
    """
    out: list[str] = []
    for i in ids:
        out += [i] + ([count] if (count := count_of(i)) else [])
    return list(dict.fromkeys(out))


def indicators() -> list[str]:
    """Every indicator the scorecard reads (headline rates and the counts beside them)."""
    return with_counts([row.indicator for row in ROWS])


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


def travel_sentence(row: pd.Series) -> str:
    """E.g. "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: improving, still
    above neighbours' 11.2%." Uses the row's 3-year start (or the 1-year one when that is all there is)."""
    label = get(row["indicator"]).label
    start_year, start = (
        (row["year_3y"], row["value_3y"]) if pd.notna(row["value_3y"]) else (row["year_1y"], row["value_1y"])
    )
    now = format_value(row["value"], row["unit"], row["indicator"])
    if pd.isna(start):
        return f"{label}: {now} in {row['year']}; no earlier year to compare with."
    then = format_value(start, row["unit"], row["indicator"])
    if then == now:  # equal as published, whatever the unrounded figures
        head = f"{label} was {now} in both {int(start_year)} and {row['year']}"
    else:
        verb = "rose" if row["value"] > start else "fell"
        head = f"{label} {verb} from {then} in {int(start_year)} to {now} in {row['year']}"
    trend = row["direction_3y"] if pd.notna(row["value_3y"]) else row["direction_1y"]
    if pd.isna(row["sn_median"]):
        return f"{head}: {trend}."
    median = format_value(row["sn_median"], row["unit"], row["indicator"])
    if row["sn_position"] == "similar":
        where = f"similar to neighbours' {median}"
    else:
        side = "above" if row["sn_position"] == "higher" else "below"
        still = "still " if trend == "improving" and row["vs_sn"] == "worse" else ""
        where = f"{still}{side} neighbours' {median}"
    return f"{head}: {trend}, {where}."


def rank_text(rank, n_ranked, polarity: str) -> str:
    """'3rd best of 152' for an indicator with a better direction; '12th highest of 152' for a neutral one."""
    from .words.common import ordinal

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


def travel(table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Headline rows (`benchmark.headline` output) with their count and direction of travel.

    `table` is the LA's `benchmark` table over every year (built with `with_counts` so the counts
    are in it). Adds count_label, count_unit, count (the LA's count for the row's year, NaN when
    unpublished), year_1y, value_1y, direction_1y, year_3y, value_3y, direction_3y (against the
    first of the latest three published years) and travel (a sentence).
    """
    # Looked up by (indicator, year), not by filtering the table once per row: a row's count (NaN when unpublished),
    # and the LA's published values, first row of each as the table is ordered.
    first = table.drop_duplicates(["indicator", "year"])
    row_value = dict(zip(zip(first["indicator"], first["year"]), first["value"]))
    published = table[table["value"].notna()].drop_duplicates(["indicator", "year"])
    value_in = dict(zip(zip(published["indicator"], published["year"]), published["value"]))
    out = []
    for _, latest in rows.iterrows():
        rec = latest.to_dict()
        count_id = count_of(latest["indicator"])
        rec["count_label"] = get(count_id).label if count_id else None
        rec["count_unit"] = get(count_id).unit if count_id else None
        rec["count"] = row_value.get((count_id, latest["year"]), float("nan")) if count_id else float("nan")
        for back, key in ((1, "1y"), (2, "3y")):
            then = int(latest["year"]) - back
            earlier = value_in.get((latest["indicator"], then)) if pd.notna(latest["value"]) else None
            rec[f"year_{key}"] = then if earlier is not None else None
            rec[f"value_{key}"] = earlier if earlier is not None else float("nan")
            rec[f"direction_{key}"] = direction(rec[f"value_{key}"], latest["value"], latest["polarity"])
        out.append(rec)
    frame = pd.DataFrame(
        out,
        columns=list(rows.columns)
        + [
            "count_label",
            "count_unit",
            "count",
            "year_1y",
            "value_1y",
            "direction_1y",
            "year_3y",
            "value_3y",
            "direction_3y",
        ],
    )
    frame["travel"] = [travel_sentence(r) if pd.notna(r["value"]) else "" for _, r in frame.iterrows()]
    return frame


def build(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The scorecard from a `benchmark` table for one LA (every year, at least `indicators()`).

    One row per scorecard line the LA has a value for, in `ROWS` order. `year` caps the
    latest year used (None: each indicator's latest). Columns: area, indicator, label, unit,
    polarity, year, value, count_label, count_unit, count, then `travel`'s columns, sn_median,
    sn_position, vs_sn, england_value, rank, n_ranked, quartile, rank_text, quartile_text,
    marker and page.
    """
    lines = {row.indicator: row for row in ROWS}
    latest = headline(table[table["indicator"].isin(lines)], year)
    if latest.empty:
        return pd.DataFrame()
    latest = latest.sort_values("indicator", key=lambda s: s.map(list(lines).index)).reset_index(drop=True)
    card = travel(table, latest)
    card["area"] = card["indicator"].map(lambda i: lines[i].area)
    card["page"] = card["indicator"].map(lambda i: lines[i].page)
    card["rank_text"] = [rank_text(r, n, p) for r, n, p in zip(card["rank"], card["n_ranked"], card["polarity"])]
    card["quartile_text"] = [quartile_text(q, p) for q, p in zip(card["quartile"], card["polarity"])]
    judged = card["vs_sn"].where(card["polarity"] != "neutral", card["sn_position"])
    card["marker"] = [
        MARKERS.get(j, MARKERS["n/a"]) if pd.notna(m) else MARKERS["n/a"] for j, m in zip(judged, card["sn_median"])
    ]
    first = ["area", "indicator", "label", "unit", "polarity", "year", "value", "count_label", "count_unit", "count"]
    return card[first + [c for c in card.columns if c not in first]]


ARROWS = {
    "improving": "↗ improving",
    "worsening": "↘ worsening",
    "rising": "↑ rising",
    "falling": "↓ falling",
    "stable": "→ stable",
}


def arrow(direction_word: str) -> str:
    """A direction with an arrow, readable without colour: '↗ improving'; '–' when there is none."""
    return ARROWS.get(direction_word, "–")


def change_cell(value, year, unit: str, direction_word: str, indicator: str | None = None) -> str:
    """A table cell for one change: '↗ improving (from 32.3% in 2024)'; '–' without an earlier year.
    Given the `indicator`, the value shows as many decimals as DfE publishes (`catalogue.format_value`)."""
    if pd.isna(value):
        return "–"
    return f"{arrow(direction_word)} (from {format_value(value, unit, indicator)} in {int(year)})"


def travel_clause(row, spans: tuple[str, ...] = ("3y", "1y")) -> str:
    """The changes in one clause: 'improving over three years (from 42.8% in 2023) and on the year
    (from 32.3% in 2024)'; `spans=("1y",)` for the change on the year alone; '' without an earlier year."""
    when = {"3y": "over three years", "1y": "on the year"}
    parts = [
        (
            row[f"direction_{k}"],
            f"{when[k]} (from {format_value(row[f'value_{k}'], row['unit'], row.get('indicator'))} "
            f"in {int(row[f'year_{k}'])})",
        )
        for k in spans
        if pd.notna(row.get(f"value_{k}"))
    ]
    if len(parts) == 2 and parts[0][0] == parts[1][0]:
        return f"{parts[0][0]} {parts[0][1]} and {parts[1][1]}"
    return " and ".join(f"{d} {w}" for d, w in parts)


def count_phrase(row) -> str:
    """The count beside a rate, as a committee quotes it: '582 children looked after at 31 March',
    '26.3 FTE agency social workers' ('' when none is published)."""
    if not row.get("count_label") or pd.isna(row.get("count")):
        return ""
    label = row["count_label"].replace(" (£ thousands)", "").replace(" (FTE)", "")
    label = label if label[:2].isupper() else label[0].lower() + label[1:]
    return f"{format_value(row['count'], row['count_unit'])} {label}"


def display_table(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as a committee reads it: formatted text, one row per indicator (what each
    count counts is in `card["count_label"]`). Its workbook form (`attrs["workbook"]`, see `workbook`) holds
    the figures as numbers."""
    shown = pd.DataFrame(
        {
            "Area": card["area"],
            "Indicator": card["label"],
            "Latest": [
                f"{format_value(v, u, i)} ({y})"
                for v, u, i, y in zip(card["value"], card["unit"], card["indicator"], card["year"])
            ],
            "Count": ["" if pd.isna(c) else format_value(c, u) for c, u in zip(card["count"], card["count_unit"])],
            "1 year": [arrow(d) for d in card["direction_1y"]],
            "3 years": [arrow(d) for d in card["direction_3y"]],
            "Neighbours' median": [
                format_value(v, u, i) for v, u, i in zip(card["sn_median"], card["unit"], card["indicator"])
            ],
            "England": [
                format_value(v, u, i) for v, u, i in zip(card["england_value"], card["unit"], card["indicator"])
            ],
            "Rank": card["rank_text"],
            "Quartile": card["quartile_text"],
            "vs neighbours": card["marker"],
        }
    )
    shown.attrs["workbook"] = workbook(card, shown)
    return shown


def workbook(card: pd.DataFrame, shown: pd.DataFrame) -> dict:
    """The scorecard for the pack's workbook: each figure a number with an Excel number format to DfE's published
    decimals, the year and unit in columns of their own, and a suppressed LA figure as its DfE symbol (never 0);
    the words (direction, rank, quartile, marker) as displayed."""
    from .exports import UNIT_WORDS, number_format

    own = [s if pd.isna(v) and isinstance(s, str) and s else v for v, s in zip(card["value"], card["status"])]
    frame = pd.DataFrame(
        {
            "Area": card["area"],
            "Indicator": card["label"],
            "Year": card["year"].astype(int),
            "Unit": card["unit"].map(UNIT_WORDS),
            "Latest": own,
            "Count": card["count"],
            "Count unit": card["count_unit"].map(UNIT_WORDS),
            "1 year": shown["1 year"],
            "3 years": shown["3 years"],
            "Neighbours' median": card["sn_median"],
            "England": card["england_value"],
            "Rank": card["rank"],
            "LAs ranked": card["n_ranked"],
            "Rank in words": card["rank_text"],
            "Quartile": card["quartile_text"],
            "vs neighbours": card["marker"],
        }
    ).reset_index(drop=True)
    figures = {"Latest", "Neighbours' median", "England"}
    formats = [
        [
            number_format(unit, ind) if c in figures else number_format(count_unit) if c == "Count" else None
            for c in frame.columns
        ]
        for unit, ind, count_unit in zip(card["unit"], card["indicator"], card["count_unit"])
    ]
    return {
        "frame": frame,
        "formats": formats,
        "unit": "each row in the unit of its Unit column (Count: its Count unit); "
        "% figures are percentages as DfE publishes them (96 = 96%)",
    }


def for_la(tidy: pd.DataFrame, la, sn_codes: list[str]) -> pd.DataFrame:
    """`build` for one LA straight from the tidy table (ranks are taken over every LA)."""
    from .benchmark import benchmark

    return build(benchmark(tidy, la, sn_codes, indicators()))
