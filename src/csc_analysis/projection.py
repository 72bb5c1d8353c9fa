"""Children looked after: a stock-and-flow projection and what it would cost.

CLA at 31 March next year = CLA this year + children starting to be looked after - children
ceasing. Starts are projected at their recent level (the mean of up to the last three years);
ceased as the recent exit rate (ceased in the year / looked after at the start of it) times the
projected number looked after, so the stock moves towards starts / exit rate rather than carrying
one year's net change forward. Extrapolating each flow's trend was tried and rejected: over
2021-2025 it missed the published stock by a median 7% one year ahead and 18% two years ahead,
against 4.5% and 6.5% for this model and 4.1% and 5.9% for "no change"
(benchmarks/cla_projection_backtest.py). Intervals come from simulating both flows: starts vary
around their level by their year-to-year spread (at least Poisson noise), the exit rate by its
spread (at least binomial noise), and each level is itself uncertain from so few years.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import CscError, at_least
from .forecast import check_change_pct
from .paths import PACKAGE_DIR
from .registry import LA

FLOWS = {"starts": "cla_starts", "ceased": "cla_ceased", "stock": "cla_at31"}
LEVELS = (80, 95)
HISTORY_YEARS = 5  # the span of one DfE release, which the model was backtested on
WEEKS_PER_YEAR = 365.25 / 7
COST_COLUMNS = ["placement_type", "share_pct", "weekly_cost"]
# ILLUSTRATIVE placement mix and weekly unit costs, not published figures: used only in demo mode
# (`csc-analysis run --demo`); a real pack costs children at the LA's own published spend per child
# looked after unless the LA supplies its own table (same columns, CSV or Excel).
ILLUSTRATIVE_COSTS = PACKAGE_DIR / "illustrative_placement_costs.csv"


@dataclass
class Projection:
    """The projected stock with intervals, the flow forecasts behind it, and caveats for the reader."""

    history: pd.DataFrame  # year, stock, starts, ceased, identity_gap
    stock: pd.DataFrame  # year, mean, lo80, hi80, lo95, hi95
    flows: pd.DataFrame  # year, flow (starts|ceased), mean, sd, method
    messages: list[str] = field(default_factory=list)


def history(tidy: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's published stock and flows by year, and how far the published stock differs from the identity.

    identity_gap = stock - (last year's stock + starts - ceased): published counts do not balance
    exactly (children who start and cease in the same year, late returns, rounding). Only the latest
    HISTORY_YEARS years of the publication are used, so an LA whose recent figures are all suppressed
    is not projected from a year long past (the series run back to 2010).
    """
    latest = tidy.loc[tidy["indicator"] == FLOWS["stock"], "year"].max()
    rows = tidy[
        (tidy["la_code"] == la.la_code)
        & tidy["indicator"].isin(FLOWS.values())
        & (tidy["year"] > latest - HISTORY_YEARS)
    ]
    wide = rows.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(FLOWS.values())).rename(columns={v: k for k, v in FLOWS.items()})
    wide = wide.reset_index()[["year", "stock", "starts", "ceased"]]
    wide["identity_gap"] = wide["stock"] - (_previous_stock(wide) + wide["starts"] - wide["ceased"])
    return wide


def _previous_stock(hist: pd.DataFrame) -> pd.Series:
    """Each year's stock a year earlier (missing when that year is not in the table)."""
    return hist["stock"].shift(1).where(hist["year"].diff() == 1)


def usable(hist: pd.DataFrame) -> bool:
    """Whether there is anything to project from: at least two years with stock, starts and ceased published."""
    return len(hist.dropna(subset=["stock", "starts", "ceased"])) >= 2


def _level(values: np.ndarray, floor: float) -> tuple[float, float]:
    """Recent level (mean of up to the last three values) and year-to-year spread, at least `floor`."""
    recent = values[-3:]
    spread = float(np.std(recent, ddof=1)) if len(recent) > 1 else 0.0
    return float(recent.mean()), max(spread, floor)


def _path(stock0: float, starts: np.ndarray, rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stock at the end of each year and children ceasing, from `stock0` with the given starts and exit
    rates (years along the last axis). No more children can leave than there are."""
    stock, ceased = np.empty_like(starts, dtype=float), np.empty_like(starts, dtype=float)
    level = np.full(starts.shape[:-1], stock0)
    for t in range(starts.shape[-1]):
        ceased[..., t] = np.minimum(rates[..., t] * level, level + starts[..., t])
        level = level + starts[..., t] - ceased[..., t]
        stock[..., t] = level
    return stock, ceased


def project(
    hist: pd.DataFrame,
    horizon: int = 3,
    starts_change_pct: float = 0.0,
    ceased_change_pct: float = 0.0,
    sims: int = 4000,
    seed: int = 0,
) -> Projection:
    """Project the stock `horizon` years past the latest year with a published stock, starts and ceased.

    `starts_change_pct` changes every projected year's starts by that percentage (e.g. -10: 10% fewer
    children coming into care after earlier help); `ceased_change_pct` changes the exit rate. Both
    must be from -90 to +200 (`forecast.check_change_pct`). The simulation uses a fixed seed, so the
    same inputs give the same projection.
    """
    starts_change_pct = check_change_pct(starts_change_pct, "starts_change_pct")
    ceased_change_pct = check_change_pct(ceased_change_pct, "ceased_change_pct")
    at_least(horizon, 1, "horizon", "year")
    if not usable(hist):
        raise CscError(
            "fewer than two years with a published stock, starts and ceased for this LA: nothing to project from"
        )
    complete = hist.dropna(subset=["stock", "starts", "ceased"])
    base = complete.iloc[-1]
    rates = (complete["ceased"] / _previous_stock(hist).loc[complete.index]).to_numpy(float)
    rates = rates[np.isfinite(rates)]
    starts_level, starts_sd = _level(complete["starts"].to_numpy(float), np.sqrt(max(complete["starts"].iloc[-1], 1)))
    if len(rates) == 0:
        rates = np.array([base["ceased"] / base["stock"]]) if base["stock"] else np.array([0.0])
    rate_level, rate_sd = _level(rates, np.sqrt(max(rates[-1] * (1 - rates[-1]), 0) / max(base["stock"], 1)))
    k = min(len(complete), 3)

    rng = np.random.default_rng(seed)
    s_factor, r_factor = 1 + starts_change_pct / 100, 1 + ceased_change_pct / 100
    s_mean = (starts_level + rng.normal(0, starts_sd / np.sqrt(k), sims))[:, None]
    r_mean = (rate_level + rng.normal(0, rate_sd / np.sqrt(min(len(rates), 3)), sims))[:, None]
    starts = np.clip(s_mean + rng.normal(0, starts_sd, (sims, horizon)), 0, None) * s_factor
    rate = np.clip(r_mean + rng.normal(0, rate_sd, (sims, horizon)), 0, 1) * r_factor
    stock, ceased = _path(float(base["stock"]), starts, rate)
    years = int(base["year"]) + np.arange(1, horizon + 1)
    # The central path uses the levels themselves, so it can be reproduced by hand; the simulation
    # gives the intervals and the flows' spread.
    c_starts = np.full(horizon, starts_level * s_factor)
    mean, c_ceased = _path(float(base["stock"]), c_starts, np.full(horizon, rate_level * r_factor))
    out = pd.DataFrame({"year": years, "mean": mean})
    for lv in LEVELS:
        out[f"lo{lv}"] = np.percentile(stock, 50 - lv / 2, axis=0)
        out[f"hi{lv}"] = np.percentile(stock, 50 + lv / 2, axis=0)
    flows = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": years,
                    "flow": "starts",
                    "mean": c_starts,
                    "sd": starts.std(axis=0),
                    "method": f"mean of {k} year(s)",
                }
            ),
            pd.DataFrame(
                {
                    "year": years,
                    "flow": "ceased",
                    "mean": c_ceased,
                    "sd": ceased.std(axis=0),
                    "method": f"exit rate {rate_level * r_factor:.1%} of those looked after",
                }
            ),
        ],
        ignore_index=True,
    )
    first = int(complete["year"].iloc[-k])
    messages = [
        f"Starts are projected at {starts_level:,.0f} a year (the mean of {first}-{int(base['year'])})"
        + (f", then changed by {starts_change_pct:+g}%" if starts_change_pct else "")
        + ".",
        f"Each year {rate_level:.1%} of the children looked after at its start cease to be looked after "
        f"(mean of the last {min(len(rates), 3)} published year(s) with a stock a year earlier)"
        + (f", changed by {ceased_change_pct:+g}%" if ceased_change_pct else "")
        + ".",
    ]
    gaps = hist["identity_gap"].dropna()
    if len(gaps):
        messages.append(
            f"In the published years the stock differed from last year's stock + starts - ceased by "
            f"{gaps.abs().max():,.0f} children at most (children who start and cease in the same year, "
            "late returns, rounding); the projection applies the identity exactly."
        )
    if len(complete) < 3:
        messages.append(f"Only {len(complete)} published years: the intervals rest on very little history.")
    return Projection(hist, out, flows, messages)


def check_costs(costs: pd.DataFrame) -> pd.DataFrame:
    """Validate a placement cost table (placement_type, share_pct, weekly_cost): shares must add to 100."""
    missing = [c for c in COST_COLUMNS if c not in costs.columns]
    if missing:
        raise CscError(f"placement costs: missing column {missing[0]!r}; expected {', '.join(COST_COLUMNS)}")
    out = costs[COST_COLUMNS].copy()
    for col in ("share_pct", "weekly_cost"):
        nums = pd.to_numeric(out[col], errors="coerce")
        bad = out.loc[nums.isna() | (nums < 0), col]
        if len(bad):
            raise CscError(f"placement costs: {col} {str(bad.iloc[0])!r} is not a number of 0 or more")
        out[col] = nums.astype(float)
    twice = out.loc[out["placement_type"].duplicated(), "placement_type"]
    if len(twice):
        raise CscError(f"placement costs: placement type {twice.iloc[0]!r} is listed twice")
    total = out["share_pct"].sum()
    if abs(total - 100) > 0.5:
        raise CscError(f"placement costs: share_pct adds up to {total:g}, expected 100")
    return out


def published_costs(tidy: pd.DataFrame, la: LA) -> tuple[pd.DataFrame | None, str]:
    """The LA's own published unit cost as a one-row cost table: net spend on children looked after (RO3)
    per child looked after at 31 March (`finance.unit_cost`, latest year), spread over 52.18 weeks.

    All placement types in one row (share 100%), so costs = projected children x that spend. None, and why
    not, when the LA has no usable published figure (none reported, or one that is not a unit cost).
    """
    from .finance import unit_cost
    from .words.common import reporting_year

    latest, why_not = unit_cost(tidy, la.la_code)
    if latest is None:
        return None, why_not
    name = f"All placements (RO3 spend per child looked after, {reporting_year(latest['year'])})"
    return pd.DataFrame(
        {"placement_type": [name], "share_pct": [100.0], "weekly_cost": [latest["value"] / WEEKS_PER_YEAR]}
    ), ""


@dataclass
class CostBasis:
    """The unit costs a cost projection uses, where they come from, and a sentence saying so."""

    costs: pd.DataFrame | None
    source: str  # local | demo | published | none
    note: str


def cost_basis(tidy: pd.DataFrame, la: LA, placement_costs: str | None, demo: bool) -> CostBasis:
    """The costs for the CLA projection: the user's table if given; ILLUSTRATIVE ones only in demo mode;
    otherwise the LA's own published spend per child looked after (`published_costs`)."""
    from pathlib import Path

    from . import demo as demo_mode
    from . import safe
    from .localdata import read_table

    mode = demo_mode.choose(placement_costs, demo, "placement_costs")
    if mode == "local" and placement_costs is not None:
        return CostBasis(
            check_costs(read_table(placement_costs)),
            "local",
            f"Placement mix and weekly costs from your file {safe.md(Path(placement_costs).name)}.",
        )
    if mode == "demo":
        return CostBasis(
            check_costs(read_table(ILLUSTRATIVE_COSTS)),
            "demo",
            "**ILLUSTRATIVE COSTS (demo mode).** The placement mix and weekly costs below are round "
            "illustrative figures, not published or local ones.",
        )
    costs, why_not = published_costs(tidy, la)
    if costs is None:
        return CostBasis(
            None,
            "none",
            f"{safe.md(la.la_name)} {why_not}, so there is no cost projection; give a cost table with "
            "`-p placement_costs=PATH` (columns placement_type, share_pct, weekly_cost).",
        )
    from .finance import unit_cost
    from .words.common import reporting_year

    spend, _ = unit_cost(tidy, la.la_code)
    assert spend is not None  # published_costs found it
    return CostBasis(
        costs,
        "published",
        f"Costed at {safe.md(la.la_name)}'s own published net spend on children looked after per child looked "
        f"after, £{spend['value']:,.0f} a year in {reporting_year(spend['year'])} "
        "(MHCLG revenue outturn, RO3), in today's prices: one average for every placement type. "
        "For a cost by placement type give "
        "your own table with `-p placement_costs=PATH` (columns placement_type, share_pct, "
        "weekly_cost).",
    )


def cost(stock: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """The yearly cost of the projected children looked after, split by placement type.

    Children in each type = projected stock x share; cost = children x weekly cost x 52.18
    weeks. The low and high columns use the 80% interval of the stock. Columns: year,
    placement_type, children, cost, cost_low, cost_high (£ a year).
    """
    costs = check_costs(costs)
    rows = stock[["year", "mean", "lo80", "hi80"]].merge(costs, how="cross")
    share = rows["share_pct"] / 100
    unit = rows["weekly_cost"] * WEEKS_PER_YEAR
    return pd.DataFrame(
        {
            "year": rows["year"],
            "placement_type": rows["placement_type"],
            "children": rows["mean"] * share,
            "cost": rows["mean"] * share * unit,
            "cost_low": rows["lo80"] * share * unit,
            "cost_high": rows["hi80"] * share * unit,
        }
    )


def long_table(baseline: Projection, scenario: Projection, costs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The `csc-analysis project` table: published years, then the baseline and scenario projections.

    Columns: year, kind (actual|baseline|scenario), children_looked_after, lo80, hi80, lo95, hi95,
    starts, ceased (published, or the projected flows' means); with `costs`, also cost, cost_low and
    cost_high (£ a year, all placement types) for the projected rows.
    """
    hist = baseline.history.dropna(subset=["stock"])
    actual = pd.DataFrame(
        {
            "year": hist["year"],
            "kind": "actual",
            "children_looked_after": hist["stock"],
            "starts": hist["starts"],
            "ceased": hist["ceased"],
        }
    )
    parts = [actual]
    for kind, proj in (("baseline", baseline), ("scenario", scenario)):
        flows = proj.flows.pivot(index="year", columns="flow", values="mean")
        rows = proj.stock.rename(columns={"mean": "children_looked_after"}).assign(kind=kind)
        rows = rows.merge(flows, left_on="year", right_index=True)
        if costs is not None:
            totals = cost(proj.stock, costs).groupby("year")[["cost", "cost_low", "cost_high"]].sum()
            rows = rows.merge(totals, left_on="year", right_index=True)
        parts.append(rows)
    out = pd.concat(parts, ignore_index=True)
    columns = ["year", "kind", "children_looked_after", "lo80", "hi80", "lo95", "hi95", "starts", "ceased"]
    columns += ["cost", "cost_low", "cost_high"] if costs is not None else []
    return out.reindex(columns=columns)
