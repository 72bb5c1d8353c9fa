"""The benchmark engine: how an LA compares with its statistical neighbours, region and England.

Ranks, quartiles, the documented comparison rules (similar / stable bands), headline rows and funnel
plot limits. Who the neighbours are is `neighbours.py`.
"""

import numpy as np
import pandas as pd

from .errors import CscError
from .neighbours import comparison_series
from .registry import LA

BENCHMARK_COLUMNS = [
    "la_code",
    "la_name",
    "indicator",
    "year",
    "value",
    "status",
    "sn_mean",
    "sn_median",
    "sn_n",
    "region_value",
    "england_value",
    "rank",
    "n_ranked",
    "quartile",
    "vs_sn",
    "change_1y",
    "direction",
]
EXTRA_COLUMNS = [
    "ci_lower",
    "ci_upper",
    "vs_england",
    "sn_position",
    "sn_min",
    "sn_max",
    "change_pct",
    "rank_order",
    "label",
    "unit",
    "polarity",
    "sn_note",
    "flag",
]
# The documented comparison rules (README, "Benchmarking rules").
SIMILAR_BAND = 0.05  # within +/-5% of the neighbours' median counts as similar
STABLE_BAND = 0.02  # a year-on-year change within +/-2% of last year's value counts as stable


def rank_all(tidy: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Rank every LA with a value, per indicator and year: 1 = best by the indicator's polarity.

    Ties share the lowest rank. Neutral indicators are ranked high-to-low (1 = highest).
    DfE's `low` (a positive value that rounds to zero) is ranked and counted in n_ranked: it is
    ordered just above an exact 0 and below every positive value (so best when lower is better,
    after the zeros). Other symbols are not ranked.
    Quartile 1 is the best quarter: quartile = floor((rank - 1) / n_ranked * 4) + 1.
    Columns: indicator, year, la_code, rank, n_ranked, quartile, rank_order.
    """
    from .catalogue import get

    parts = []
    las = tidy[
        (tidy["geographic_level"] == "la")
        & tidy["indicator"].isin(indicators)
        & (tidy["value"].notna() | (tidy["status"] == "low"))
    ]
    # The smallest positive float: above 0, below any published positive value.
    las = las.assign(value=las["value"].mask(las["status"] == "low", np.nextafter(0.0, 1.0)))
    for ind_id, rows in las.groupby("indicator"):
        ascending = get(ind_id).polarity == "lower_is_better"
        ranked = rows[["indicator", "year", "la_code", "value"]].copy()
        ranked["rank"] = ranked.groupby("year")["value"].rank(method="min", ascending=ascending).astype(int)
        ranked["n_ranked"] = ranked.groupby("year")["value"].transform("count").astype(int)
        ranked["rank_order"] = {
            "lower_is_better": "1 = lowest (lower is better)",
            "higher_is_better": "1 = highest (higher is better)",
            "neutral": "1 = highest (neutral: ranked high-to-low)",
        }[get(ind_id).polarity]
        parts.append(ranked.drop(columns="value"))
    if not parts:
        return pd.DataFrame(columns=["indicator", "year", "la_code", "rank", "n_ranked", "quartile", "rank_order"])
    out = pd.concat(parts, ignore_index=True)
    out["quartile"] = ((out["rank"] - 1) * 4 // out["n_ranked"] + 1).astype(int)
    return out


def judge(diff, polarity: str, band: float, words: tuple[str, str, str]) -> str:
    """Classify a relative difference: within the band -> words[1], better by polarity -> words[0],
    worse -> words[2]; `n/a` when missing or the indicator is neutral."""
    if pd.isna(diff) or polarity == "neutral":
        return "n/a"
    if abs(diff) <= band:
        return words[1]
    good = diff < 0 if polarity == "lower_is_better" else diff > 0
    return words[0] if good else words[2]


def _relative(value, base):
    if pd.isna(value) or pd.isna(base):
        return float("nan")
    if base == 0:
        return 0.0 if value == 0 else float("inf") * (1 if value > 0 else -1)
    return (value - base) / abs(base)


def _confidence(tidy: pd.DataFrame, la: LA, table: pd.DataFrame) -> pd.DataFrame:
    """95% confidence limits for the LA's values where the catalogue names numerator and denominator."""
    from .catalogue import get
    from .stats import byar_ci, wilson_ci

    own = tidy[tidy["la_code"] == la.la_code].set_index(["indicator", "year"])["value"]
    lower, upper = [], []
    for ind_id, year in zip(table["indicator"], table["year"]):
        ind = get(ind_id)
        if not ind.ci:
            lower.append(float("nan"))
            upper.append(float("nan"))
            continue
        offset = ind.derived.denominator_year_offset if ind.derived else 0
        num = own.get((ind.ci.numerator, year), float("nan"))
        den = own.get((ind.ci.denominator, year + offset), float("nan"))
        if ind.ci.method == "byar":
            lo, hi = byar_ci(num, den, ind.derived.multiplier if ind.derived else 1.0)
        else:
            lo, hi = wilson_ci(num, den)
        lower.append(float(lo))
        upper.append(float(hi))
    return table.assign(ci_lower=lower, ci_upper=upper)


def benchmark(
    tidy: pd.DataFrame, la: LA, sn_codes: list[str], indicators: list[str] | None = None, years: list[int] | None = None
) -> pd.DataFrame:
    """How an LA compares, per indicator and year: the `csc-analysis benchmark` table.

    One row for each (indicator, year) the LA has a published row for (a value or a symbol).
    Columns: BENCHMARK_COLUMNS, then EXTRA_COLUMNS. Rules:

    - sn_mean / sn_median / sn_n: over the neighbours with a value that year (missing ignored);
    - region_value / england_value: the published regional and national rows;
    - rank / n_ranked / quartile: see `rank_all`;
    - vs_sn: `similar` within +/-5% of the SN median, else `better`/`worse` by polarity;
      `n/a` when either value is missing or the indicator is neutral (then `sn_position`
      still says higher/similar/lower);
    - change_1y: value minus the previous year's; direction: `stable` within +/-2% of the
      previous value, else `improving`/`worsening` by polarity; `n/a` when missing or neutral;
    - ci_lower / ci_upper: 95% interval (Byar for rates, Wilson for percentages) where the
      numerator and denominator are published; vs_england: `higher`/`lower` when the interval
      excludes England's value, else `similar`.
    """
    from .catalogue import get, load_catalogue
    from .stats import compare_to_target

    indicators = list(indicators or load_catalogue())
    table = comparison_series(tidy, la, sn_codes, indicators)
    table = table[table["value"].notna() | table["status"].notna()]
    table = table.sort_values(["indicator", "year"])
    table["change_1y"] = table["value"] - table.groupby("indicator")["value"].shift(1).where(
        table.groupby("indicator")["year"].diff() == 1
    )
    table["change_pct"] = table["change_1y"] / (table["value"] - table["change_1y"]).abs() * 100
    if years:
        table = table[table["year"].isin(years)]
    from .shared import ranks as shared_ranks

    ranks = shared_ranks(tidy, indicators)  # rank_all's result, computed once per data vintage
    table = table.merge(
        ranks[ranks["la_code"] == la.la_code].drop(columns="la_code"), on=["indicator", "year"], how="left"
    )
    meta = {i: get(i) for i in indicators}
    table["label"] = table["indicator"].map(lambda i: meta[i].label)
    table["unit"] = table["indicator"].map(lambda i: meta[i].unit)
    table["polarity"] = table["indicator"].map(lambda i: meta[i].polarity)
    rel = [_relative(v, m) for v, m in zip(table["value"], table["sn_median"])]
    table["vs_sn"] = [judge(r, p, SIMILAR_BAND, ("better", "similar", "worse")) for r, p in zip(rel, table["polarity"])]
    table["sn_position"] = [judge(r, "higher_is_better", SIMILAR_BAND, ("higher", "similar", "lower")) for r in rel]
    table["direction"] = [
        judge(c / 100, p, STABLE_BAND, ("improving", "stable", "worsening"))
        for c, p in zip(table["change_pct"], table["polarity"])
    ]
    table = _confidence(tidy, la, table)
    table["vs_england"] = compare_to_target(table["ci_lower"], table["ci_upper"], table["england_value"])
    table["la_code"] = la.la_code
    table["la_name"] = la.la_name
    order = {ind: i for i, ind in enumerate(indicators)}
    table = table.sort_values(["indicator", "year"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    for col in ("rank", "n_ranked", "quartile"):
        table[col] = table[col].astype("Int64")
    return table[BENCHMARK_COLUMNS + EXTRA_COLUMNS].reset_index(drop=True)


HEADLINE_INDICATORS = [
    "referrals_rate_per_10k",
    "rereferral_pct",
    "cin_rate_per_10k",
    "s47_rate_per_10k",
    "icpc_within_15d_pct",
    "cpp_rate_per_10k",
    "repeat_cpp_pct",
    "cla_rate_per_10k",
    "cla_starts_rate_per_10k",
    "cla_ceased_adopted_pct",
    "cla_health_assessment_pct",
    "cla_sdq_concern_pct",
    "cla_missing_pct",
    "care_leavers_19_21_intouch_pct",
    "care_leavers_19_21_suitable_pct",
    "staying_put_pct",
    "edu_cla_absence_pct",
    "edu_cla_ks2_rwm_pct",
    "edu_cla_attainment8",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "caseload_fte",
]


def headline(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """One benchmark row per indicator: `year` if the LA has a value then, else its latest year before.

    Indicators are published to different years (workforce to 2025, population to 2024), so
    "latest" is per indicator. Keeps the order in which indicators appear in `table`.
    """
    rows = table[table["value"].notna()]
    if year is not None:
        rows = rows[rows["year"] <= year]
    latest = rows.sort_values("year").groupby("indicator").tail(1)
    order = {ind: i for i, ind in enumerate(dict.fromkeys(table["indicator"]))}
    return latest.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def most_different(headline_rows: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` indicators furthest from the neighbours' median, in proportion to it."""
    rows = headline_rows[
        headline_rows["value"].notna() & headline_rows["sn_median"].notna() & (headline_rows["sn_median"] != 0)
    ]
    distance = (rows["value"] / rows["sn_median"] - 1).abs()
    return rows.assign(distance=distance).sort_values("distance", ascending=False).head(n)


def funnel_frame(tidy: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """Every LA's rate for one rate indicator and year with its child population (the denominator).

    Columns: la_code, la_name, value, population.
    """
    from .catalogue import get

    ind = get(indicator)
    if not ind.derived:
        raise CscError(f"indicator {indicator!r} is not a rate; a funnel plot needs a numerator and denominator")
    # the two indicators' rows first: cheap, where copying every LA row of the whole table is not
    las = tidy[tidy["indicator"].isin([indicator, ind.derived.denominator])]
    las = las[las["geographic_level"] == "la"]
    rates = las[(las["indicator"] == indicator) & (las["year"] == year) & las["value"].notna()]
    pop = las[
        (las["indicator"] == ind.derived.denominator) & (las["year"] == year + ind.derived.denominator_year_offset)
    ]
    out = rates[["la_code", "la_name", "value"]].merge(
        pop[["la_code", "value"]].rename(columns={"value": "population"}), on="la_code"
    )
    return out.dropna().reset_index(drop=True)


def funnel_tau2(frame: pd.DataFrame, england: float, multiplier: float = 10_000) -> float:
    """The between-LA variance for a funnel plot of `funnel_frame` rows around England's rate
    (`stats.overdispersion_tau2`: additive random effects, 10% winsorised)."""
    from .stats import overdispersion_tau2

    return overdispersion_tau2(frame["value"], frame["population"], england, multiplier)


def funnel_position(
    value: float, population: float, england: float, multiplier: float = 10_000, tau2: float = 0.0
) -> str:
    """Where a rate falls on the over-dispersion-adjusted funnel (`tau2` from `funnel_tau2`):
    above/below the 99.8% or 95% limits, or within them."""
    from .stats import overdispersed_funnel

    if any(pd.isna(x) for x in (value, population, england)):
        return "n/a"
    lim = overdispersed_funnel(england, [population], tau2, multiplier).iloc[0]
    if value > lim.upper_99_8:
        return "above the 99.8% limit"
    if value < lim.lower_99_8:
        return "below the 99.8% limit"
    if value > lim.upper_95:
        return "above the 95% limit"
    if value < lim.lower_95:
        return "below the 95% limit"
    return "within the 95% limits"
