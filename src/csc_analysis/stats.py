"""Confidence intervals and funnel-plot limits, as public-health benchmarking computes them.

Counts and rates use Byar's approximation to the exact Poisson interval; proportions use
Wilson's score interval (both as in the Fingertips/PHE technical guidance). The funnel plot's
control limits are exact Poisson limits around England's rate.
"""

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint


def _z(level: float) -> float:
    return float(sps.norm.ppf(0.5 + level / 2))


def byar_ci(count, denominator, multiplier: float = 1.0, level: float = 0.95):
    """Byar's interval for a Poisson count, scaled to a rate `count / denominator * multiplier`.

    >>> lo, hi = byar_ci(582, 64_069, 10_000)
    >>> round(float(lo), 1), round(float(hi), 1)
    (83.6, 98.5)
    """
    o = np.asarray(count, dtype=float)
    d = np.asarray(denominator, dtype=float)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
        scale = multiplier / d
    bad = ~np.isfinite(o) | ~np.isfinite(d) | (d <= 0)
    return np.where(bad, np.nan, lower * scale), np.where(bad, np.nan, upper * scale)


def wilson_ci(numerator, denominator, level: float = 0.95, percent: bool = True):
    """Wilson score interval for a proportion numerator / denominator (in % by default)."""
    k = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    bad = ~np.isfinite(k) | ~np.isfinite(n) | (n <= 0) | (k < 0) | (k > n)
    k_ok, n_ok = np.where(bad, 0, k), np.where(bad, 1, n)
    lower, upper = proportion_confint(k_ok, n_ok, alpha=1 - level, method="wilson")
    scale = 100.0 if percent else 1.0
    return np.where(bad, np.nan, lower * scale), np.where(bad, np.nan, upper * scale)


def compare_to_target(lower, upper, target) -> np.ndarray:
    """`higher`/`lower` when the interval lies wholly above/below the target, else `similar`."""
    lower, upper, target = (np.asarray(x, dtype=float) for x in (lower, upper, target))
    out = np.where(lower > target, "higher", np.where(upper < target, "lower", "similar"))
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(target)
    return np.where(missing, "n/a", out)


def poisson_funnel(target_rate: float, populations, multiplier: float = 10_000,
                   levels: tuple[float, ...] = (0.95, 0.998)) -> pd.DataFrame:
    """Control limits of a funnel plot for rates: where an area of each population would fall by chance.

    For population P the expected count is E = target_rate * P / multiplier; the limits are
    the exact Poisson limits for E (via the chi-squared distribution), turned back into rates.
    Columns: population, then lower_<pct> and upper_<pct> for each level (e.g. lower_95, upper_99_8).
    """
    pop = np.asarray(populations, dtype=float)
    expected = target_rate * pop / multiplier
    out = {"population": pop}
    for level in levels:
        tail = (1 - level) / 2
        name = f"{level * 100:g}".replace(".", "_")
        lower = sps.chi2.ppf(tail, 2 * expected) / 2
        upper = sps.chi2.ppf(1 - tail, 2 * (expected + 1)) / 2
        out[f"lower_{name}"] = lower / pop * multiplier
        out[f"upper_{name}"] = upper / pop * multiplier
    return pd.DataFrame(out)
