"""Notebook 06's tables: local monthly indicators beside published figures, and a reconciliation.

Input is the tidy table of `annexa_indicators.indicators` (already suppressed) and the lists it came
from; output is small aggregate tables ready to show. Nothing here reads a file.
"""

import numpy as np
import pandas as pd

from . import catalogue
from .annexa import AnnexList
from .errors import at_least
from .neighbours import comparison_series
from .privacy import SUPPRESSED, suppress
from .registry import LA

# Local monthly indicator -> published indicator with the same meaning, and how to convert.
# "flow": a month's count x 12 per 10,000 children; "stock": a month-end count per 10,000; "share": as is.
PUBLISHED = {
    "referrals": ("referrals_rate_per_10k", "flow"),
    "referrals_nfa_pct": ("referrals_nfa_pct", "share"),
    "rereferrals_12m_pct": ("rereferral_pct", "share"),
    "s47_started": ("s47_rate_per_10k", "flow"),
    "icpc_within_15wd_pct": ("icpc_within_15d_pct", "share"),
    "cpp_started": ("cpp_starts_rate_per_10k", "flow"),
    "cla_started": ("cla_starts_rate_per_10k", "flow"),
    "cin_open_at_month_end": ("cin_rate_per_10k", "stock"),
    "cpp_open_at_month_end": ("cpp_rate_per_10k", "stock"),
    "cla_at_month_end": ("cla_rate_per_10k", "stock"),
}
# Reconciliation: published count -> (list, date column) counted in the April-March year, or a 31 March stock.
YEAR_COUNTS = {
    "referrals": ("referrals", "referral_date"),
    "s47": ("s47", "strategy_date"),
    "icpc": ("s47", "icpc_date"),
    "cpp_starts": ("cp", "cpp_start"),
    "cla_starts": ("cla", "cla_start"),
    "cla_ceased": ("cla", "cla_end"),
}
STOCKS = {
    "cin_at31": ("cin", "cin_start", "cin_end"),
    "cpp_at31": ("cp", "cpp_start", "cpp_end"),
    "cla_at31": ("cla", "cla_start", "cla_end"),
}


def monthly_wide(table: pd.DataFrame, indicators: list[str], months: int) -> pd.DataFrame:
    """The last `months` complete months (rows) by indicator (columns); suppressed figures as "c", figures
    without 12 months of history before them as "partial history"."""
    at_least(months, 1, "months", "month")
    rows = table[table["indicator"].isin(indicators) & (table["status"] != "partial month")]
    rows = rows[rows["period"].isin(sorted(rows.loc[rows["indicator"] == indicators[0], "period"].unique())[-months:])]
    shown = rows["value"].astype(object).where(rows["status"] != "suppressed", SUPPRESSED)
    shown = shown.where(rows["status"] != "partial history", "partial history")
    wide = rows.assign(shown=shown).pivot(index="period", columns="indicator", values="shown")
    return wide.reindex(columns=[i for i in indicators if i in wide.columns]).reset_index()


def latest_population(tidy: pd.DataFrame, la: LA) -> tuple[int, float]:
    """(year, children aged 0-17) from the latest published population estimate."""
    pop = tidy[(tidy["la_code"] == la.la_code) & (tidy["indicator"] == "population_0_17") & tidy["value"].notna()]
    latest = pop.sort_values("year").iloc[-1]
    return int(latest["year"]), float(latest["value"])


def beside_published(table: pd.DataFrame, tidy: pd.DataFrame, la: LA, sn_codes: list[str]) -> pd.DataFrame:
    """Each local measure's latest complete month, as the published measure would put it, beside the
    LA's latest published figure, its neighbours' median and England.

    Monthly counts become annual rates per 10,000 children (x 12 for flows) with the latest
    published population; a measure DfE does not publish (or the catalogue lacks) says so. A month
    without 12 months of history before it (re-referrals) shows `partial history`, not a value.
    """
    _, population = latest_population(tidy, la)
    known = set(catalogue.catalogue_frame()["id"])
    series = comparison_series(tidy, la, sn_codes, [p for p, _ in PUBLISHED.values() if p in known])
    out = []
    for local, (published, kind) in PUBLISHED.items():
        rows = table[(table["indicator"] == local) & (table["status"] != "partial month")]
        if rows.empty:
            continue
        last = rows.iloc[-1]
        value = np.nan if last["status"] == "suppressed" else last["value"]
        if kind != "share":
            value = value * (12 if kind == "flow" else 1) / population * 10_000
        entry = {
            "measure": local,
            "month": last["period"],
            "local": {"suppressed": SUPPRESSED, "partial history": "partial history"}.get(
                last["status"], round(value, 1)
            ),
            "published measure": published,
        }
        pub = series[(series["indicator"] == published) & series["value"].notna()] if published in known else None
        if pub is None:
            entry.update({"year": "", "LA published": "not yet in catalogue", "neighbour median": "", "England": ""})
        elif pub.empty:
            entry.update({"year": "", "LA published": "not published", "neighbour median": "", "England": ""})
        else:
            p = pub.iloc[-1]
            entry.update(
                {
                    "year": int(p["year"]),
                    "LA published": p["value"],
                    "neighbour median": p["sn_median"],
                    "England": p["england_value"],
                }
            )
        out.append(entry)
    return pd.DataFrame(out)


def _count_between(lst: AnnexList | None, column: str, first: pd.Timestamp, last: pd.Timestamp) -> float:
    if lst is None or column not in lst.rows:
        return np.nan
    return float(lst.rows[column].between(first, last).sum())


def reconciliation(
    lists: dict[str, AnnexList], tidy: pd.DataFrame, la: LA, start: pd.Timestamp, end: pd.Timestamp, threshold: int
) -> pd.DataFrame:
    """The extract's totals for each April-March year it covers wholly, beside the published figure.

    Counts are rows of the list dated in the year (stocks: open on 31 March); the gap is
    extract minus published. Small extract counts are suppressed like every local figure.
    """
    years = [
        y
        for y in range(start.year, end.year + 1)
        if start <= pd.Timestamp(f"{y - 1}-04-01") and pd.Timestamp(f"{y}-03-31") <= end
    ]
    out = []
    for year in years:
        first, last = pd.Timestamp(f"{year - 1}-04-01"), pd.Timestamp(f"{year}-03-31")
        for ind, (kind, column) in YEAR_COUNTS.items():
            out.append((year, ind, _count_between(lists.get(kind), column, first, last)))
        for ind, (kind, s, e) in STOCKS.items():
            lst = lists.get(kind)
            if lst is None:
                out.append((year, ind, np.nan))
                continue
            rows = lst.rows
            ended = rows[e] if e in rows else pd.Series(pd.NaT, index=rows.index)
            out.append((year, ind, float(((rows[s] <= last) & (ended.isna() | (ended > last))).sum())))
    frame = pd.DataFrame(out, columns=["year", "indicator", "extract"]).dropna(subset=["extract"])
    pub = tidy.loc[tidy["la_code"] == la.la_code, ["indicator", "year", "value", "status"]]
    frame = frame.merge(pub, on=["indicator", "year"], how="left").rename(columns={"value": "published"})
    frame["gap"] = frame["extract"] - frame["published"]
    frame["gap_pct"] = (100 * frame["gap"] / frame["published"]).round(1)
    frame = suppress(frame, ["extract"], threshold)
    frame.loc[frame["extract"] == SUPPRESSED, ["gap", "gap_pct"]] = np.nan
    frame["label"] = frame["indicator"].map(lambda i: catalogue.get(i).label)
    return frame[["year", "indicator", "label", "extract", "published", "status", "gap", "gap_pct"]]


EXTRACT_MEASURES = [
    "cpp_visited_within_10wd_pct",
    "cpp_open_2y_plus",
    "cla_review_in_time_pct",
    "cla_visit_in_time_pct",
    "cla_health_assessment_in_time_pct",
    "cla_missing_episodes",
    "cla_children_missing",
    "care_leavers_in_touch_pct",
    "care_leavers_suitable_accommodation_pct",
    "adoption_entered_care_to_placed_days",
    "adoption_decision_to_placement_order_days",
    "adoption_placement_order_to_matched_days",
    "adoption_placed_to_order_days",
    "adopter_enquiry_to_approval_days",
]


def shown(value) -> str:
    """A figure for a sentence: whole numbers with separators, "a suppressed number of" for c."""
    if value is None or value == SUPPRESSED or pd.isna(value):
        return "a suppressed number of" if value == SUPPRESSED else "no"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def month_name(period: str) -> str:
    """'2024-06' -> 'June 2024'."""
    return pd.Period(period, freq="M").strftime("%B %Y")


def for_display(rows: pd.DataFrame) -> pd.DataFrame:
    """Tidy indicator rows as a readable table: suppressed figures as c, medians with their count."""
    out = rows.assign(value=rows["value"].astype(object).where(rows["status"] != "suppressed", SUPPRESSED))
    return out.rename(
        columns={"indicator": "measure", "numerator": "children meeting it", "denominator": "children counted"}
    )[["measure", "value", "children meeting it", "children counted"]]
