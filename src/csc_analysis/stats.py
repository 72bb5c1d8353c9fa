"""Confidence intervals and funnel-plot limits, as public-health benchmarking computes them.

Counts and rates use Byar's approximation to the exact Poisson interval; proportions use
Wilson's score interval (both as in the Fingertips/PHE technical guidance). The funnel plot's
control limits allow for over-dispersion with an additive random-effects model on the square-root
scale (Spiegelhalter, "Funnel plots for comparing institutional performance", Stat Med 2005, and
"Handling over-dispersion of performance indicators", BMJ Qual Saf 2005).

Also the two small fits pages draw without a modelling library: a least-squares line (`ols_line`, trends and
scatter plots) and Spearman's rank correlation (`spearman`), each the same numbers as statsmodels' and scipy's.
"""

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)  # the standard library's: no scipy import on every page


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
    """Wilson score interval for a proportion numerator / denominator (in % by default).

    Oldham's 2025 re-referrals, 887 of 4,196 referrals (21.1%):

    >>> lo, hi = wilson_ci(887, 4196)
    >>> round(float(lo), 2), round(float(hi), 2)
    (19.93, 22.4)
    """
    k = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    bad = ~np.isfinite(k) | ~np.isfinite(n) | (n <= 0) | (k < 0) | (k > n)
    k_ok, n_ok = np.where(bad, 0, k), np.where(bad, 1, n)
    # Wilson (1927), as statsmodels' proportion_confint(method="wilson") computes it; written out so that every
    # page does not import statsmodels for four lines of arithmetic.
    z = _z(level)
    p = k_ok / n_ok
    centre = (p + z**2 / (2 * n_ok)) / (1 + z**2 / n_ok)
    half = z / (1 + z**2 / n_ok) * np.sqrt(p * (1 - p) / n_ok + z**2 / (4 * n_ok**2))
    lower, upper = centre - half, centre + half
    scale = 100.0 if percent else 1.0
    return np.where(bad, np.nan, lower * scale), np.where(bad, np.nan, upper * scale)


def compare_to_target(lower, upper, target) -> np.ndarray:
    """`higher`/`lower` when the interval lies wholly above/below the target, else `similar`.

    >>> compare_to_target([83.6, 19.9, 10.0, 1.0], [98.5, 22.4, 12.0, float("nan")], [67, 22.6, 11.0, 5.0]).tolist()
    ['higher', 'lower', 'similar', 'n/a']
    """
    lower, upper, target = (np.asarray(x, dtype=float) for x in (lower, upper, target))
    out = np.where(lower > target, "higher", np.where(upper < target, "lower", "similar"))
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(target)
    return np.where(missing, "n/a", out)


def _sqrt_scale(target_rate: float, populations, multiplier: float):
    """A rate on the square-root scale, where a Poisson count has variance 1/4: the target's root and
    each population's standard error sqrt(multiplier / (4 population))."""
    pop = np.asarray(populations, dtype=float)
    return np.sqrt(target_rate), np.sqrt(multiplier / (4 * pop))


def overdispersion_tau2(
    rates, populations, target_rate: float, multiplier: float = 10_000, winsor: float = 0.10
) -> float:
    """Between-area variance tau^2 of an additive random-effects funnel (Spiegelhalter, 2005).

    Real areas differ by more than Poisson chance (over-dispersion), so plain Poisson limits put
    most LAs "outside". On the square-root scale z_i = (sqrt(rate_i) - sqrt(target)) / s_i; the z's
    are winsorised at the `winsor` and 1 - `winsor` quantiles so outliers do not inflate the estimate;
    phi = mean(z^2); tau^2 = max(0, (n phi - (n - 1)) / (sum w - sum w^2 / sum w)) with w_i = 1 / s_i^2.
    """
    rates, pop = np.asarray(rates, dtype=float), np.asarray(populations, dtype=float)
    keep = np.isfinite(rates) & np.isfinite(pop) & (pop > 0) & (rates >= 0)
    root, se = _sqrt_scale(target_rate, pop[keep], multiplier)
    z = (np.sqrt(rates[keep]) - root) / se
    if len(z) < 2:
        return 0.0
    z = np.clip(z, *np.quantile(z, [winsor, 1 - winsor]))
    n, w = len(z), 1 / se**2
    phi = float(np.mean(z**2))
    return max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))


def overdispersed_funnel(
    target_rate: float, populations, tau2: float, multiplier: float = 10_000, levels: tuple[float, ...] = (0.95, 0.998)
) -> pd.DataFrame:
    """Funnel-plot control limits for rates, widened for over-dispersion (additive random effects).

    On the square-root scale the limits are sqrt(target) +/- z * sqrt(s^2 + tau^2), with
    s^2 = multiplier / (4 population) and tau^2 from `overdispersion_tau2` (0 gives the plain
    Poisson limits, approximately); squared back to rates, the lower limit floored at 0.
    Columns: population, then lower_<pct> and upper_<pct> for each level (e.g. lower_95, upper_99_8).
    """
    pop = np.asarray(populations, dtype=float)
    root, se = _sqrt_scale(target_rate, pop, multiplier)
    out = {"population": pop}
    for level in levels:
        name = f"{level * 100:g}".replace(".", "_")
        half = _z(level) * np.sqrt(se**2 + tau2)
        out[f"lower_{name}"] = np.clip(root - half, 0, None) ** 2
        out[f"upper_{name}"] = (root + half) ** 2
    return pd.DataFrame(out)


@dataclass(frozen=True)
class LineFit:
    """An ordinary least-squares straight line y = intercept + slope * x (`ols_line`), with what its intervals need."""

    params: np.ndarray  # intercept, slope
    cov: np.ndarray  # their 2 x 2 covariance: (X'X)^-1 times the residual variance
    df: int  # residual degrees of freedom, n - 2

    @property
    def intercept(self) -> float:
        return float(self.params[0])

    @property
    def slope(self) -> float:
        return float(self.params[1])

    @property
    def slope_se(self) -> float:
        return float(np.sqrt(self.cov[1, 1]))

    def _t(self, level: float) -> float:
        from scipy.special import stdtrit  # the t distribution without importing scipy.stats (about 1 s)

        return stdtrit(self.df, 1 - (1 - level) / 2)

    def slope_ci(self, level: float = 0.95) -> tuple[float, float]:
        """The slope's confidence interval, slope +/- t(df) * se."""
        half = self._t(level) * self.slope_se
        return float(self.slope - half), float(self.slope + half)

    def slope_p(self) -> float:
        """Two-sided p-value of the t test that the slope is 0."""
        from scipy.special import stdtr

        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.abs(self.slope / np.float64(self.slope_se))
        return float(stdtr(self.df, -t) * 2)

    def mean_band(self, x, level: float = 0.95) -> pd.DataFrame:
        """Fitted mean at each x with its confidence band: fit +/- t(df) * sqrt(var), var = g' cov g for
        g = (1, x) (= sigma^2 (1/n + (x - mean)^2 / Sxx)). Columns: x, fit, lower, upper."""
        x = np.asarray(x, dtype=float)
        g = _design(x)
        fit = np.dot(g, self.params)
        half = self._t(level) * np.sqrt((g * np.dot(self.cov, g.T).T).sum(1))
        return pd.DataFrame({"x": x, "fit": fit, "lower": fit - half, "upper": fit + half})


def _design(x: np.ndarray) -> np.ndarray:
    # Column-major, as statsmodels receives a DataFrame: the same memory order gives the same rounding.
    return np.asfortranarray(np.column_stack([np.ones(len(x)), x]))


def ols_line(x, y) -> LineFit:
    """Least-squares line through (x, y) (three or more points, x not all equal): the coefficients are
    pinv(X) y with X = [1, x] and the pseudo-inverse from the singular value decomposition, their covariance
    pinv(X) pinv(X)' times the residual variance (sum of squared residuals over n - 2). This is statsmodels'
    OLS computed step for step, so the numbers are the same to the last bit, without importing statsmodels
    (about 2 s) on a page that only draws a trend line.

    >>> fit = ols_line([0, 1, 2, 3], [1, 3, 2, 6])
    >>> round(fit.slope, 10), round(fit.intercept, 10), round(fit.slope_se, 4)
    (1.4, 0.9, 0.6481)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    design = _design(x)
    u, s, vt = np.linalg.svd(design, False)
    s = np.where(s > 1e-15 * s.max(), 1.0 / s, 0.0)
    pinv = np.dot(vt.T, s[:, np.newaxis] * u.T)
    params = np.dot(pinv, y)
    residuals = y - np.dot(design, params)
    df = len(y) - 2
    return LineFit(params, np.dot(pinv, pinv.T) * (np.dot(residuals, residuals) / df), df)


def spearman(x, y) -> tuple[float, float]:
    """Spearman's rank correlation and its two-sided p-value, as scipy.stats.spearmanr computes them (ties get
    their average rank; rho is Pearson's r of the ranks; p from Student's t on n - 2 degrees of freedom,
    t = rho * sqrt((n - 2) / ((1 + rho)(1 - rho)))), without importing scipy.stats (about 1 s) on every page.
    NaN in either gives NaN, as spearmanr does.

    >>> rho, p = spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    >>> round(rho, 6), round(p, 4)
    (0.8, 0.1041)
    """
    from scipy.special import stdtr

    a = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    if np.isnan(a).any():
        return float("nan"), float("nan")
    ranked = pd.DataFrame(a).rank(method="average").to_numpy()
    rho = np.corrcoef(ranked, rowvar=False)[1, 0]
    dof = len(a) - 2
    with np.errstate(divide="ignore"):
        t = rho * np.sqrt((dof / ((rho + 1.0) * (1.0 - rho))).clip(0))
    return float(rho), float(2 * stdtr(dof, -np.abs(t)))
