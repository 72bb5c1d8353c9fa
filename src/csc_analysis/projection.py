"""Children looked after: a stock-and-flow projection and what it would cost.

CLA at 31 March next year = CLA this year + children starting to be looked after - children
ceasing. Starts and ceased are each forecast with `forecast.annual` (model chosen by backtest
where the history allows), and the projection adds them up. Each flow's forecast errors are
taken as fully correlated from year to year (a level that is wrong stays wrong: the cautious
choice, giving wider intervals) and the two flows as independent of each other.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from . import forecast
from .errors import CscError
from .paths import PACKAGE_DIR
from .registry import LA

FLOWS = {"starts": "cla_starts", "ceased": "cla_ceased", "stock": "cla_at31"}
WEEKS_PER_YEAR = 365.25 / 7
COST_COLUMNS = ["placement_type", "share_pct", "weekly_cost"]
# ILLUSTRATIVE placement mix and weekly unit costs, not published figures: a starting point
# for the notebook until an LA supplies its own (same columns, CSV or Excel).
ILLUSTRATIVE_COSTS = PACKAGE_DIR / "illustrative_placement_costs.csv"


@dataclass
class Projection:
    """The projected stock with intervals, the flow forecasts behind it, and caveats for the reader."""

    history: pd.DataFrame     # year, stock, starts, ceased, identity_gap
    stock: pd.DataFrame       # year, mean, lo80, hi80, lo95, hi95
    flows: pd.DataFrame       # year, flow (starts|ceased), mean, sd, model
    messages: list[str] = field(default_factory=list)


def history(tidy: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's published stock and flows by year, and how far the published stock differs from the identity.

    identity_gap = stock - (last year's stock + starts - ceased): published counts do not balance
    exactly (children who start and cease in the same year, late returns, rounding).
    """
    rows = tidy[(tidy["la_code"] == la.la_code) & tidy["indicator"].isin(FLOWS.values())]
    wide = rows.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(FLOWS.values())).rename(columns={v: k for k, v in FLOWS.items()})
    wide = wide.reset_index()[["year", "stock", "starts", "ceased"]]
    prev = wide["stock"].shift(1).where(wide["year"].diff() == 1)
    wide["identity_gap"] = wide["stock"] - (prev + wide["starts"] - wide["ceased"])
    return wide


def usable(hist: pd.DataFrame) -> bool:
    """Whether there is anything to project from: at least two years with stock, starts and ceased published."""
    return len(hist.dropna(subset=["stock", "starts", "ceased"])) >= 2


def _sd(fc: pd.DataFrame) -> np.ndarray:
    return ((fc["hi95"] - fc["lo95"]) / (2 * stats.norm.ppf(0.975))).to_numpy()


def project(hist: pd.DataFrame, horizon: int = 3, starts_change_pct: float = 0.0,
            ceased_change_pct: float = 0.0) -> Projection:
    """Project the stock `horizon` years past the latest year with a published stock.

    `starts_change_pct` / `ceased_change_pct` adjust every forecast year's starts or ceased by
    that percentage (e.g. -10: 10% fewer children coming into care after earlier help).
    """
    if horizon < 1:
        raise CscError(f"horizon {horizon} must be at least 1 year")
    complete = hist.dropna(subset=["stock", "starts", "ceased"])
    if not usable(hist):
        raise CscError("fewer than two years with a published stock, starts and ceased for this LA: nothing to project from")
    base = complete.iloc[-1]
    messages, flows, means, sds = [], [], {}, {}
    for flow, pct in (("starts", starts_change_pct), ("ceased", ceased_change_pct)):
        series = hist.loc[hist["year"] <= base["year"], ["year", flow]].rename(columns={flow: "value"})
        fc = forecast.annual(series, horizon)
        messages += [f"{flow.capitalize()}: {m}" for m in fc.messages]
        factor = 1 + pct / 100
        means[flow] = fc.forecast["mean"].to_numpy() * factor
        sds[flow] = _sd(fc.forecast) * factor
        flows.append(pd.DataFrame({"year": fc.forecast["period"].astype(int), "flow": flow, "mean": means[flow],
                                   "sd": sds[flow], "model": fc.model}))
    mean = base["stock"] + np.cumsum(means["starts"] - means["ceased"])
    sd = np.sqrt(np.cumsum(sds["starts"]) ** 2 + np.cumsum(sds["ceased"]) ** 2)
    out = pd.DataFrame({"year": int(base["year"]) + np.arange(1, horizon + 1), "mean": mean})
    for level in forecast.LEVELS:
        z = stats.norm.ppf(0.5 + level / 200)
        out[f"lo{level}"] = np.maximum(mean - z * sd, 0)
        out[f"hi{level}"] = mean + z * sd
    gaps = hist["identity_gap"].dropna()
    if len(gaps):
        messages.append(f"In the published years the stock differed from last year's stock + starts - ceased by "
                        f"{gaps.abs().max():,.0f} children at most (children who start and cease in the same year, "
                        "late returns, rounding); the projection applies the identity exactly.")
    return Projection(hist, out, pd.concat(flows, ignore_index=True), messages)


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
    return pd.DataFrame({"year": rows["year"], "placement_type": rows["placement_type"],
                         "children": rows["mean"] * share, "cost": rows["mean"] * share * unit,
                         "cost_low": rows["lo80"] * share * unit, "cost_high": rows["hi80"] * share * unit})


def long_table(baseline: Projection, scenario: Projection, costs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The `csc-analysis project` table: published years, then the baseline and scenario projections.

    Columns: year, kind (actual|baseline|scenario), children_looked_after, lo80, hi80, lo95, hi95,
    starts, ceased (published, or the projected flows' means); with `costs`, also cost, cost_low and
    cost_high (£ a year, all placement types) for the projected rows.
    """
    hist = baseline.history.dropna(subset=["stock"])
    actual = pd.DataFrame({"year": hist["year"], "kind": "actual", "children_looked_after": hist["stock"],
                           "starts": hist["starts"], "ceased": hist["ceased"]})
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
