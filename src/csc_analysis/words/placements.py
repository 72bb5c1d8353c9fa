"""Sentences on placements, spending, Ofsted judgements and the projection (notebooks 05 and 07).

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe
from ..catalogue import format_value
from .common import reporting_year


def _compare(r: pd.Series) -> str:
    """'(neighbours' median X; England Y)' for a headline row."""
    return (
        f"(neighbours' median {format_value(r['sn_median'], r['unit'], r['indicator'])}; "
        f"England {format_value(r['england_value'], r['unit'], r['indicator'])})"
    )


def _travel_tail(r: pd.Series) -> str:
    """'; 55 children looked after with 3 or more placements during the year; improving over three years
    (from ...)' for a `scorecard.travel` row ('' when it has neither a count nor an earlier year)."""
    from ..scorecard import count_phrase, travel_clause

    return "".join(f"; {p}" for p in (count_phrase(r), travel_clause(r)) if p)


def judgement_sentence(latest: pd.Series | None, la_name: str, counts: pd.DataFrame) -> str:
    """The LA's latest Ofsted overall judgement with its date, and how its neighbours were judged."""
    name = safe.md(la_name)
    spread = ", ".join(f"{n} {g}" for g, n in zip(counts["grade"], counts["neighbours"]) if n)
    if latest is None or pd.isna(latest.get("overall")):
        return f"{name} has no ILACS judgement in the Ofsted outcomes as at 31 March 2025. Its neighbours: {spread}."
    return (
        f"{name}'s latest Ofsted ILACS judgement is **{latest['overall']}** overall (inspected "
        f"{latest['inspection_date']:%d %B %Y}, published {latest['publication_date']:%d %B %Y}); its "
        f"neighbours' latest overall grades are {spread}."
    )


def _cla_share_clause(rows: pd.DataFrame, year: int, name: str) -> str:
    """How much of the year's spending was on children looked after: '; children looked after took 41% of it.'

    Under 1% (Sandwell records -£20 thousand against them in 2024-25, its children's trust's costs on another line)
    "took 0%" or "-0%" would mislead: the clause says the looked-after lines do not show what care costs that LA.
    Nothing when the share is missing or from another year than the spending it is a share of."""
    if "cla_share_of_csc_pct" not in rows.index or rows.loc["cla_share_of_csc_pct", "year"] != year:
        return "."
    s = rows.loc["cla_share_of_csc_pct"]
    if pd.isna(s["value"]):
        return "."
    if s["value"] >= 1:
        return f"; children looked after took {s['value']:.0f}% of it."
    return (
        f"; spending recorded against children looked after came to {s['value']:.2f}% of it (England "
        f"{format_value(s['england_value'], s['unit'], s['indicator'])}), so those lines do not show what "
        f"looking after children costs {name}."
    )


def placements_summary(head: pd.DataFrame, la_name: str) -> list[str]:
    """Sentences on spending, placement location and stability, and care leavers, from headline rows
    (`scorecard.travel` output: each with its count and direction of travel)."""
    name = safe.md(la_name)
    rows = head.set_index("indicator", drop=False)  # each row keeps its id, to format its figures with
    out = []
    if "csc_spend_per_child" in rows.index and "csc_spend" in rows.index:
        r, total = rows.loc["csc_spend_per_child"], rows.loc["csc_spend"]
        out.append(
            f"In {reporting_year(r['year'])} {name} spent "
            f"{format_value(total['value'], total['unit'], total['indicator'])} (net) on children's social "
            f"care, {format_value(r['value'], r['unit'], r['indicator'])} per child aged 0 to 17 {_compare(r)}"
            + _cla_share_clause(rows, r["year"], name)
        )
    if "new_placements_outside_la_pct" in rows.index:
        r = rows.loc["new_placements_outside_la_pct"]
        same_year = "new_placements" in rows.index and rows.loc["new_placements", "year"] == r["year"]
        n = rows.loc["new_placements", "value"] if same_year else float("nan")
        out.append(
            f"In the year to 31 March {r['year']}, {format_value(r['value'], r['unit'], r['indicator'])} of {name}'s "
            + (f"{n:,.0f} " if pd.notna(n) else "")
            + f"new placements were outside its boundary {_compare(r)}{_travel_tail(r)}."
        )
    for ind, what in (
        ("cla_3plus_placements_pct", "of children looked after at 31 March had 3 or more placements in the year"),
        (
            "long_term_stability_pct",
            "of children under 16 in care for 2.5 years or more had lived with the same carer for 2 years",
        ),
        ("care_leavers_19_21_eet_pct", "of care leavers aged 19 to 21 were in education, employment or training"),
    ):
        if ind in rows.index:
            r = rows.loc[ind]
            out.append(
                f"In {r['year']}, {format_value(r['value'], r['unit'], ind)} {what} {_compare(r)}{_travel_tail(r)}."
            )
    return out


def projection_sentence(proj, la_name: str, scenario: str = "on recent trends") -> str:
    """Where the projected number of children looked after ends up, with its 80% interval.

    `proj` is a `projection.Projection`, or None when the LA has too few published years.
    """
    name = safe.md(la_name)
    if proj is None:
        return (
            f"{name} has fewer than two years with published children looked after, starts and ceased "
            "(figures are suppressed or not applicable), so no projection is made."
        )
    base = proj.history.dropna(subset=["stock"]).iloc[-1]
    last = proj.stock.iloc[-1]
    return (
        f"{scenario[0].upper() + scenario[1:]}, {name} would have about {last['mean']:,.0f} children looked after "
        f"at 31 March {int(last['year'])} (80% interval {last['lo80']:,.0f} to {last['hi80']:,.0f}), against "
        f"{base['stock']:,.0f} at 31 March {int(base['year'])}."
    )
