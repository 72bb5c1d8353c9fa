"""Sentences on the social work workforce: agency reliance, vacancies, turnover, caseloads (notebook 03).

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe
from ..catalogue import format_value
from .common import reporting_year, short_label


def _sentence_case(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def headline_travel(r: pd.Series, when: str) -> str:
    """One headline figure with its count and direction of travel, from a `scorecard.travel` row:
    "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: improving, still above
    neighbours' 11.2%. At 30 September 2025: 26.3 FTE agency social workers; improving on the year (from
    32.3% in 2024); England 13.0%." `when` dates the year ("at 30 September", "in the year to 31 March")."""
    from ..scorecard import count_phrase, travel_clause

    details = [
        p
        for p in (
            count_phrase(r),
            travel_clause(r, ("1y",)),
            f"England {format_value(r['england_value'], r['unit'], r.get('indicator'))}",
        )
        if p and not p.endswith("n/a")
    ]
    return f"{r['travel']} {_sentence_case(when)} {r['year']}: " + "; ".join(details) + "."


def workforce_summary(headline: pd.DataFrame, stability: pd.DataFrame, la_name: str) -> str:
    """Agency reliance, vacancies, turnover and caseload, each with its count and direction of travel.

    `headline` is `scorecard.travel` output for the workforce headline rows.
    """
    name = safe.md(la_name)
    rows = headline.set_index("indicator", drop=False)  # each row keeps its id, to format its figures with
    sentences = []
    for ind in ["agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte", "caseload_fte"]:
        if ind not in rows.index or pd.isna(rows.loc[ind, "value"]):
            continue
        r = rows.loc[ind]
        rank = f" Rank {r['rank']} of {r['n_ranked']} (1 = lowest)." if pd.notna(r["rank"]) else ""
        sentences.append(headline_travel(r, "at 30 September") + rank)
    if len(stability):
        parts = [
            f"{short_label(r.label)} in {r.years_above} of {r.years_with_data} years" for r in stability.itertuples()
        ]
        sentences.append(f"{name} was above its neighbours' median on " + "; ".join(parts) + ".")
    if not sentences:
        return f"{name} has no published workforce figures for these years."
    return " ".join(sentences)


def agency_spend_sentence(rows: pd.DataFrame, la_name: str) -> str:
    """What the LA spent on agency staff in children's social care (RO3 memorandum line), beside the
    neighbours' median, from headline rows holding `csc_agency_staff_spend` ('' when it is not published)."""
    r = rows.set_index("indicator")
    if "csc_agency_staff_spend" not in r.index or pd.isna(r.loc["csc_agency_staff_spend", "value"]):
        return f"{safe.md(la_name)} has no published agency staff cost in the revenue outturn (RO3)."
    row = r.loc["csc_agency_staff_spend"]
    unit, ind = row["unit"], "csc_agency_staff_spend"
    spread = (
        f" Its {row['sn_n']} neighbours with a figure reported {format_value(row['sn_min'], unit, ind)} to "
        f"{format_value(row['sn_max'], unit, ind)} (median {format_value(row['sn_median'], unit, ind)}); a memorandum "
        "line of 0 can mean the cost was not recorded separately, so compare with care."
        if pd.notna(row["sn_median"])
        else ""
    )
    return (
        f"In {reporting_year(row['year'])} {safe.md(la_name)} spent {format_value(row['value'], unit, ind)} on agency "
        f"staff in children's social care (MHCLG revenue outturn, RO3 memorandum line: all agency staff in "
        f"children's social care, not only social workers).{spread}"
    )


def agency_premium_sentence(
    cost: dict, agency_fte: float, day_rate: float, days: float, salary: float, on_cost_pct: float
) -> str:
    """What an agency FTE costs against a permanent one (`caseload_snapshot.agency_premium`), and over the
    snapshot's agency FTE: "more" when agency costs more, "less" when the inputs make it cheaper."""
    per, total = cost["premium_per_fte"], cost["annual_premium"]
    inputs = (
        f"With an agency day rate of {format_value(day_rate, 'gbp')} over {days:g} days "
        f"({format_value(cost['agency_cost_per_fte'], 'gbp')} a year) against a permanent salary of "
        f"{format_value(salary, 'gbp')} plus {on_cost_pct:g}% on-costs "
        f"({format_value(cost['permanent_cost_per_fte'], 'gbp')}), "
    )
    if per >= 0:
        return (
            f"{inputs}each agency FTE costs {format_value(per, 'gbp')} more a year. For the {agency_fte:.1f} agency "
            f"FTE in the snapshot the premium is **{format_value(total, 'gbp')} a year**."
        )
    return (
        f"{inputs}each agency FTE costs {format_value(-per, 'gbp')} less a year than a permanent one: at these "
        f"rates the snapshot's {agency_fte:.1f} agency FTE cost **{format_value(-total, 'gbp')} a year less** than "
        "permanent staff would."
    )
