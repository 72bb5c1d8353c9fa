"""Demand: is it rising, how far from before the pandemic, and where in the system is the pressure.

All functions take the tidy published table (or frames derived from it) and return frames;
the notebook `01_demand_trends` tells the story from them.
"""

import numpy as np
import pandas as pd

from .catalogue import get
from .errors import CscError, at_least
from .registry import LA, Registry
from .stats import ols_line

# Counts and their rates per 10,000 children, in the order a child moves through the system.
DEMAND = [
    ("referrals", "referrals_rate_per_10k"),
    ("s47", "s47_rate_per_10k"),
    ("icpc", "icpc_rate_per_10k"),
    ("cpp_starts", "cpp_starts_rate_per_10k"),
    ("cpp_at31", "cpp_rate_per_10k"),
    ("cin_at31", "cin_rate_per_10k"),
    ("cla_starts", "cla_starts_rate_per_10k"),
    ("cla_ceased", "cla_ceased_rate_per_10k"),
    ("cla_at31", "cla_rate_per_10k"),
]
RATES = [rate for _, rate in DEMAND]
COUNTS = [count for count, _ in DEMAND] + ["rereferrals"]
# Front door: each step with the one before it, and how the conversion is expressed.
FRONT_DOOR = [("referrals", None), ("s47", "referrals"), ("icpc", "s47"), ("cpp_starts", "icpc")]
CONVERSIONS = {
    "s47": "Section 47 enquiries per 100 referrals",
    "icpc": "ICPCs per 100 section 47 enquiries",
    "cpp_starts": "CP plans starting per 100 ICPCs",
}
DURATION = [
    "cpp_at31_under_3m_pct",
    "cpp_at31_3_to_6m_pct",
    "cpp_at31_6_to_12m_pct",
    "cpp_at31_1_to_2y_pct",
    "cpp_at31_2y_plus_pct",
]


def baseline_change(series: pd.DataFrame, baseline_year: int) -> pd.DataFrame:
    """Change since a baseline year for the LA, its neighbours' median, region and England.

    `series` is `neighbours.comparison_series` output. For each indicator and year: the index
    (baseline = 100) and the % change for each comparator. The neighbours' figure is the
    change in their median, not the median of their changes. Where the baseline value is
    missing (suppressed, or the LA did not exist yet) the index is NaN and `baseline_missing`
    is True: nothing is interpolated. A baseline of 0 (the Isles of Scilly held no initial child protection
    conference in 2019) has no % change either: the index is NaN, never infinite, and `baseline_zero` is True.
    """
    cols = {"value": "la", "sn_median": "sn", "region_value": "region", "england_value": "england"}
    base = series[series["year"] == baseline_year].set_index("indicator")
    out = series[["indicator", "year"]].copy()
    for col, name in cols.items():
        b = series["indicator"].map(base[col]) if len(base) else pd.Series(np.nan, index=series.index)
        out[f"{name}_index"] = series[col] / b.where(b != 0) * 100
        out[f"{name}_pct"] = out[f"{name}_index"] - 100
    own = series["indicator"].map(base["value"]) if len(base) else pd.Series(np.nan, index=series.index)
    out["baseline_missing"] = own.isna()
    out["baseline_zero"] = own == 0
    return out.reset_index(drop=True)


def front_door(tidy: pd.DataFrame, la: LA, sn_codes: list[str], year: int) -> pd.DataFrame:
    """Referrals -> s47 -> ICPC -> CP plan starts in a year, with conversion per 100 at each step.

    Ratios are computed for the LA, for each neighbour (then the median taken) and for England's
    published totals. Columns: step, label, count, conversion, la, sn_median, england, sn_n.
    """
    steps = [s for s, _ in FRONT_DOOR]
    rows = tidy[
        (tidy["year"] == year) & tidy["indicator"].isin(steps) & tidy["geographic_level"].isin(["la", "national"])
    ]
    rows = rows.assign(area=rows["la_code"].fillna("england"))
    wide = rows.pivot(index="area", columns="indicator", values="value").reindex(columns=steps)
    own = wide.loc[[la.la_code]] if la.la_code in wide.index else None
    eng = wide.loc[["england"]]
    sn = wide[wide.index.isin(sn_codes)]
    out = []
    for step, previous in FRONT_DOOR:
        count = own[step].iloc[0] if own is not None else np.nan
        entry = {
            "step": step,
            "label": get(step).label,
            "count": count,
            "conversion": CONVERSIONS.get(step, ""),
            "la": np.nan,
            "sn_median": np.nan,
            "england": np.nan,
            "sn_n": 0,
        }
        if previous:
            sn_ratio = (sn[step] / sn[previous] * 100).dropna()
            entry.update(
                la=(own[step].iloc[0] / own[previous].iloc[0] * 100) if own is not None else np.nan,
                sn_median=sn_ratio.median() if len(sn_ratio) else np.nan,
                sn_n=len(sn_ratio),
                england=(eng[step].iloc[0] / eng[previous].iloc[0] * 100),
            )
        out.append(entry)
    return pd.DataFrame(out)


def care_flow(tidy: pd.DataFrame, la: LA) -> pd.DataFrame:
    """Children starting and ceasing to be looked after each year, the net flow and the stock.

    Columns: year, starts, ceased, net_flow (starts - ceased), at31, at31_change (the change in
    the stock since the previous 31 March, which differs from the net flow when children move
    between LAs or figures are revised), and the three rates per 10,000.
    """
    wanted = [
        "cla_starts",
        "cla_ceased",
        "cla_at31",
        "cla_starts_rate_per_10k",
        "cla_ceased_rate_per_10k",
        "cla_rate_per_10k",
    ]
    rows = tidy[(tidy["la_code"] == la.la_code) & tidy["indicator"].isin(wanted)]
    wide = rows.pivot_table(index="year", columns="indicator", values="value").reindex(columns=wanted)
    wide = wide.rename(columns={"cla_starts": "starts", "cla_ceased": "ceased", "cla_at31": "at31"})
    wide = wide.dropna(how="all")
    wide["net_flow"] = wide["starts"] - wide["ceased"]
    full = wide.reindex(range(int(wide.index.min()), int(wide.index.max()) + 1)) if len(wide) else wide
    wide["at31_change"] = full["at31"].diff().reindex(wide.index)
    return wide.reset_index()


def growth_trend(years, values, level: float = 0.95) -> dict:
    """Compound annual growth rate from a log-linear trend fit (least squares, `stats.ols_line`), with its interval.

    Fits log(value) = a + b * year; the growth rate is exp(b) - 1 and its confidence interval
    comes from b's. `verdict` is "rising" or "falling" only when the whole interval is above or
    below zero, so "rising" is a tested statement; otherwise "no clear trend". Needs three or more
    positive values; missing years are left out, not filled in.
    """
    frame = pd.DataFrame({"year": years, "value": values}).dropna()
    frame = frame[frame["value"] > 0]
    result = {
        "n_years": len(frame),
        "first_year": None,
        "last_year": None,
        "cagr_pct": np.nan,
        "ci_lower_pct": np.nan,
        "ci_upper_pct": np.nan,
        "p_value": np.nan,
        "verdict": "not enough data",
    }
    if len(frame) < 3:
        return result
    fit = ols_line(frame["year"].astype(float) - frame["year"].min(), np.log(frame["value"].astype(float)))
    lo, hi = fit.slope_ci(level)
    slope = fit.slope
    result.update(
        first_year=int(frame["year"].min()),
        last_year=int(frame["year"].max()),
        cagr_pct=(np.exp(slope) - 1) * 100,
        ci_lower_pct=(np.exp(lo) - 1) * 100,
        ci_upper_pct=(np.exp(hi) - 1) * 100,
        p_value=fit.slope_p(),
        verdict="rising" if lo > 0 else "falling" if hi < 0 else "no clear trend",
    )
    return result


def since(series: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """The comparison series (`neighbours.comparison_series`) from `start_year` on; a start after its last year
    would leave a page with nothing to show, so it is an error."""
    last = int(series["year"].max())
    if start_year > last:
        raise CscError(f"start_year {start_year} is after the latest year of these rates ({last})")
    return series[series["year"] >= start_year]


def trends(tidy: pd.DataFrame, la: LA, indicators: list[str], start_year: int, end_year: int) -> pd.DataFrame:
    """`growth_trend` for each indicator over [start_year, end_year], one row per indicator. A window of fewer than
    three years is the user's mistake (`trend_years`), not a short series: an error, not "not enough data"."""
    at_least(end_year - start_year + 1, 3, "trend_years", "year")
    rows = tidy[(tidy["la_code"] == la.la_code) & tidy["year"].between(start_year, end_year)]
    out = []
    for ind in indicators:
        series = rows[rows["indicator"] == ind]
        out.append({"indicator": ind, "label": get(ind).label, **growth_trend(series["year"], series["value"])})
    return pd.DataFrame(out)


def gaps(tidy: pd.DataFrame, la: LA, indicators: list[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Years without a usable value, and why: the LA did not exist yet or any more, or a symbol.

    Only years in which the indicator was published for some LA count (CLA figures start in
    2021, so 2013-2020 are not gaps). Columns: indicator, year, reason.
    """
    out = []
    # the indicators asked for, and only two columns: grouping every LA row of the table cost 26 MiB a page
    la_rows = tidy.loc[(tidy["geographic_level"] == "la") & tidy["indicator"].isin(indicators), ["indicator", "year"]]
    published_years = la_rows.groupby("indicator")["year"].agg(set)
    own = tidy[tidy["la_code"] == la.la_code].set_index(["indicator", "year"])
    for ind in indicators:
        for year in sorted(y for y in published_years.get(ind, set()) if start_year <= y <= end_year):
            if (ind, year) not in own.index:
                reason = (
                    "before the LA was created"
                    if la.created_year and year < la.created_year
                    else "after the LA was replaced"
                    if la.abolished_year and year > la.abolished_year
                    else "not published"
                )
            else:
                row = own.loc[(ind, year)]
                if pd.notna(row["value"]):
                    continue
                reason = f"shown as '{row['status']}' in the source"
            out.append({"indicator": ind, "year": year, "reason": reason})
    return pd.DataFrame(out, columns=["indicator", "year", "reason"])


def predecessor_context(tidy: pd.DataFrame, la: LA, registry: Registry, indicators: list[str]) -> pd.DataFrame:
    """Rates of the LA(s) this one replaced, labelled as context (different areas, not a back-series).

    Columns: indicator, year, value, label (e.g. "Cumbria (predecessor, whole county)").
    """
    out = []
    for code in la.predecessors:
        prev = registry.resolve(code)
        shared = len(prev.successors)
        note = "predecessor" + (f", split between {shared} LAs" if shared > 1 else "")
        rows = tidy[(tidy["la_code"] == code) & tidy["indicator"].isin(indicators) & tidy["value"].notna()]
        out.append(rows[["indicator", "year", "value"]].assign(label=f"{prev.la_name} ({note})"))
    if not out:
        return pd.DataFrame(columns=["indicator", "year", "value", "label"])
    return pd.concat(out, ignore_index=True)


def duration_profile(tidy: pd.DataFrame, la: LA, sn_codes: list[str], year: int) -> pd.DataFrame:
    """Share of child protection plans open at 31 March by how long they had lasted.

    Columns: band, la, sn_median, england (percentages).
    """
    rows = tidy[(tidy["year"] == year) & tidy["indicator"].isin(DURATION)]
    out = []
    for ind in DURATION:
        r = rows[rows["indicator"] == ind]
        out.append(
            {
                "band": get(ind).label.split("open ")[-1].replace(" (%)", ""),
                "indicator": ind,
                "la": r.loc[r["la_code"] == la.la_code, "value"].mean(),
                "sn_median": r.loc[r["la_code"].isin(sn_codes), "value"].median(),
                "england": r.loc[r["geographic_level"] == "national", "value"].mean(),
            }
        )
    return pd.DataFrame(out)


# The last two years before the pandemic. The year to 31 March 2020 ends eight days after the
# first national lockdown (23 March 2020), so it is the latest year whose demand the pandemic had
# not yet shaped: the headline compares with it, and the year to March 2019 is shown beside it in
# case a committee was given that year before.
PRE_PANDEMIC_YEARS = (2019, 2020)
HEADLINE_PRE_PANDEMIC_YEAR = 2020
PRE_PANDEMIC = [
    ("referrals", "referrals_rate_per_10k"),
    ("cin_during_year", "cin_during_year_rate_per_10k"),
    ("s47", "s47_rate_per_10k"),
    ("cpp_at31", "cpp_rate_per_10k"),
    ("cla_at31", "cla_rate_per_10k"),
]


def pre_pandemic(tidy: pd.DataFrame, la: LA, years: tuple[int, ...] = PRE_PANDEMIC_YEARS) -> pd.DataFrame:
    """Counts and rates now and in the last pre-pandemic years, with the % change against each.

    One row per (measure, year compared) for referrals, children in need during the year, s47
    enquiries, CP plans at 31 March and children looked after at 31 March; "now" is the LA's
    latest year with a count. Children looked after are read from the bundled CLA series, which
    may not reach back to 2019-2020: such rows say so (`compared_count` NaN and `compared_note`
    "not in the bundled data"), never zero; a suppressed figure's note names its symbol.
    Columns: count_indicator, rate_indicator, label, year, count, rate, compared_year,
    compared_count, compared_rate, compared_note ('' when there is a figure), count_change_pct,
    rate_change_pct.
    """
    own_rows = tidy[tidy["la_code"] == la.la_code].set_index(["indicator", "year"])
    own = own_rows["value"]
    bundled = tidy.groupby("indicator")["year"].agg(set)
    out = []
    for count_id, rate_id in PRE_PANDEMIC:
        have = own.get(count_id)
        have = have.dropna() if have is not None else pd.Series(dtype=float)
        if have.empty:
            continue
        year = int(have.index.max())
        count, rate = have.loc[year], own.get((rate_id, year), np.nan)
        for compared in years:
            then_count, then_rate = own.get((count_id, compared), np.nan), own.get((rate_id, compared), np.nan)
            note = (
                ""
                if pd.notna(then_count)
                else "not in the bundled data"
                if compared not in bundled.get(count_id, set())
                else "before the LA was created"
                if la.created_year and compared < la.created_year
                else f"shown as '{own_rows.loc[(count_id, compared), 'status']}' in the source"
                if (count_id, compared) in own_rows.index
                else "not published for this LA"
            )
            out.append(
                {
                    "count_indicator": count_id,
                    "rate_indicator": rate_id,
                    "label": get(count_id).label,
                    "year": year,
                    "count": count,
                    "rate": rate,
                    "compared_year": compared,
                    "compared_count": then_count,
                    "compared_rate": then_rate,
                    "compared_note": note,
                    "count_change_pct": _pct_change(count, then_count),
                    "rate_change_pct": _pct_change(rate, then_rate),
                }
            )
    return pd.DataFrame(out, columns=PRE_PANDEMIC_COLUMNS)


PRE_PANDEMIC_COLUMNS = [
    "count_indicator",
    "rate_indicator",
    "label",
    "year",
    "count",
    "rate",
    "compared_year",
    "compared_count",
    "compared_rate",
    "compared_note",
    "count_change_pct",
    "rate_change_pct",
]


def _pct_change(now: float, then: float) -> float:
    """% change from `then` to `now`; NaN when either is missing or `then` is 0 (no % of nothing)."""
    return (now / then - 1) * 100 if pd.notna(now) and pd.notna(then) and then != 0 else np.nan
