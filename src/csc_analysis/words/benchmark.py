"""Sentences comparing an LA with its statistical neighbours (notebook 04).

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe
from ..benchmark import most_different
from ..catalogue import format_value
from .common import short_label


def ratio_phrase(value: float, base: float) -> str:
    """'about twice', '45% above', 'about the same as', '30% below' — how value compares with base."""
    if pd.isna(value) or pd.isna(base) or base == 0:
        return "not comparable with"
    r = value / base
    if r >= 1.9:
        return f"about {r:.1f} times" if abs(r - 2) > 0.1 else "about twice"
    if abs(r - 1) <= 0.05:
        return "about the same as"
    return f"{abs(r - 1) * 100:.0f}% {'above' if r > 1 else 'below'}"


def differences(headline: pd.DataFrame, la_name: str, n: int = 5) -> list[str]:
    """Sentences on the indicators where the LA is furthest from its neighbours' median."""
    name = safe.md(la_name)
    out = []
    for r in most_different(headline, n).itertuples():
        judgement = {"better": " (better)", "worse": " (worse)"}.get(r.vs_sn, "")
        out.append(
            f"{name}'s {short_label(r.label)} ({format_value(r.value, r.unit, r.indicator)}, {r.year}) is "
            f"{ratio_phrase(r.value, r.sn_median)} its neighbours' median "
            f"({format_value(r.sn_median, r.unit, r.indicator)}){judgement}; "
            f"England {format_value(r.england_value, r.unit, r.indicator)}."
        )
    return out


def neighbours_phrase(sn: pd.DataFrame) -> str:
    """'ten statistical neighbours (DfE 2025 model)', or 'six neighbours (user list)' for a list the user chose.

    >>> neighbours_phrase(pd.DataFrame({"la_code": ["350", "351"], "band": [None, None], "note": "user list"}))
    'two neighbours (user list)'
    """
    count = len(sn)
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    kind = "neighbours" if sn["band"].isna().all() else "statistical neighbours"
    return f"{words[count] if count < len(words) else f'{count:,}'} {kind} ({safe.md(sn['note'].iloc[0])})"


def neighbours_intro(sn: pd.DataFrame, la_name: str) -> str:
    """The sentence above the table of neighbours: a DfE model's are closest first, with its closeness bands; a
    list the user chose is in the order given, with no band."""
    if sn["band"].isna().all():
        return f"{safe.md(la_name)}'s {neighbours_phrase(sn)}, in the order given."
    return (
        f"{safe.md(la_name)}'s {neighbours_phrase(sn)}, closest first. The band is the model's own measure of how "
        "close each neighbour is."
    )


def benchmark_summary(headline: pd.DataFrame, la_name: str, sn: pd.DataFrame) -> str:
    """Four to six sentences summarising a headline benchmark table (`scorecard.travel` output) against the
    neighbours in `sn` (`neighbours.sn_table`): where the LA stands, which way it is going over three years, the
    counts behind the demand rates, the largest differences."""
    name = safe.md(la_name)
    judged = headline[headline["vs_sn"].isin(["better", "similar", "worse"])]
    counts = judged["vs_sn"].value_counts()
    years = (
        f"{headline['year'].min()}"
        if headline["year"].nunique() == 1
        else f"{headline['year'].min()}–{headline['year'].max()}"
    )
    sentences = [
        f"{name} is compared here with its {neighbours_phrase(sn)}, its region and "
        f"England on {len(headline)} headline indicator{'' if len(headline) == 1 else 's'}, using the latest published "
        f"year for each ({years})."
    ]
    if len(judged):
        sentences.append(
            f"Of the {len(judged)} indicators where higher or lower is clearly better, {name} is better than "
            f"its neighbours' median on {counts.get('better', 0)}, similar (within ±5%) on "
            f"{counts.get('similar', 0)} and worse on {counts.get('worse', 0)}."
        )
    has_travel = "direction_3y" in headline  # `scorecard.travel` output
    moving = (
        headline[
            (headline["polarity"] != "neutral") & headline["direction_3y"].isin(["improving", "stable", "worsening"])
        ]
        if has_travel
        else headline.iloc[:0]
    )
    if len(moving):
        ways = moving["direction_3y"].value_counts()
        worse = moving[moving["direction_3y"] == "worsening"]
        sentences.append(
            f"Over the latest three published years it improved on {ways.get('improving', 0)} of these, held "
            f"stable (within ±2%) on {ways.get('stable', 0)} and worsened on {ways.get('worsening', 0)}"
            + (
                ": "
                + "; ".join(
                    f"{short_label(r.label)} from {format_value(r.value_3y, r.unit, r.indicator)} "
                    f"in {int(r.year_3y)} to {format_value(r.value, r.unit, r.indicator)} in {r.year}"
                    for r in worse.itertuples()
                )
                if len(worse)
                else ""
            )
            + "."
        )
    demand = (
        headline[(headline["unit"] == "rate_per_10k") & headline["count"].notna()] if has_travel else headline.iloc[:0]
    )
    if len(demand):
        from ..scorecard import count_phrase

        sentences.append(
            "Behind the rates: " + ", ".join(f"{count_phrase(r)} ({r['year']})" for _, r in demand.iterrows()) + "."
        )
    top = differences(headline, la_name, n=2)
    if top:
        sentences.append("The largest differences: " + " ".join(top))
    missing = headline[headline["value"].isna()]
    if len(missing):
        sentences.append(f"{len(missing)} indicator(s) have no published value for {name}.")
    return " ".join(sentences)
