"""Confidence intervals and funnel limits against worked examples."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from csc_analysis import stats


def test_byar_by_hand():
    # Byar: lower = O(1 - 1/(9O) - z/(3 sqrt O))^3, upper = (O+1)(1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3.
    o, z = 582, 1.959964
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    lo, hi = stats.byar_ci(o, 64_069, 10_000)
    assert lo == pytest.approx(lower / 64_069 * 1e4, rel=1e-6)
    assert hi == pytest.approx(upper / 64_069 * 1e4, rel=1e-6)


def test_byar_close_to_exact_poisson():
    for o in (5, 50, 500):
        lo, hi = stats.byar_ci(o, 1, 1)
        assert lo == pytest.approx(sps.chi2.ppf(0.025, 2 * o) / 2, rel=0.02)
        assert hi == pytest.approx(sps.chi2.ppf(0.975, 2 * (o + 1)) / 2, rel=0.02)


def test_byar_zero_and_missing():
    lo, hi = stats.byar_ci(0, 1000, 10_000)
    assert lo == 0 and hi > 0
    lo, hi = stats.byar_ci(float("nan"), 1000)
    assert math.isnan(lo) and math.isnan(hi)


def test_wilson_by_hand():
    # England 2025: 142,900 re-referrals of 632,830 referrals.
    k, n, z = 142_900, 632_830, 1.959964
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    lo, hi = stats.wilson_ci(k, n)
    assert lo == pytest.approx((centre - half) * 100, rel=1e-6)
    assert hi == pytest.approx((centre + half) * 100, rel=1e-6)


def test_wilson_rejects_impossible_inputs():
    lo, hi = stats.wilson_ci([5, 3], [4, 0])
    assert np.isnan(lo).all() and np.isnan(hi).all()


def test_compare_to_target():
    got = stats.compare_to_target([1, 5, 2, np.nan], [3, 6, 4, 1], [4, 4, 3, 1])
    assert list(got) == ["lower", "higher", "similar", "n/a"]


def test_funnel_narrows_with_population_and_998_is_wider():
    f = stats.overdispersed_funnel(70, [1_000, 10_000, 100_000], 0.1)
    width = f.upper_95 - f.lower_95
    assert width.is_monotonic_decreasing
    assert (f.upper_99_8 > f.upper_95).all() and (f.lower_99_8 < f.lower_95).all()
    assert ((f.lower_95 < 70) & (f.upper_95 > 70)).all()


def test_overdispersion_tau2_by_hand():
    # #13.7, Spiegelhalter (2005) additive random effects on the square-root scale.
    # Five areas of 10,000 children (multiplier 10,000), target 100 per 10,000 (expected count 100):
    # counts 100, 121, 81, 144, 64 -> rates 100, 121, 81, 144, 64.
    # s_i = sqrt(m / (4 P)) = 0.5; z_i = (sqrt(rate) - sqrt(100)) / 0.5 = 0, 2, -2, 4, -4.
    # Winsorised at the 10th/90th percentiles of z (numpy linear: -3.2 and 3.2): 0, 2, -2, 3.2, -3.2.
    # phi = (0 + 4 + 4 + 10.24 + 10.24) / 5 = 5.696.
    # w_i = 1 / s_i^2 = 4: sum w = 20, sum w^2 = 80, sum w - sum w^2 / sum w = 20 - 4 = 16.
    # tau^2 = (5 * 5.696 - 4) / 16 = 24.48 / 16 = 1.53.
    tau2 = stats.overdispersion_tau2([100, 121, 81, 144, 64], [10_000] * 5, 100, 10_000)
    assert tau2 == pytest.approx(1.53)


def test_no_overdispersion_gives_zero_tau2():
    # z = 0, 0.2, -0.2 on the square-root scale: phi < (n - 1) / n, so tau^2 = max(0, negative) = 0.
    rates = [100, (10 + 0.1) ** 2, (10 - 0.1) ** 2]
    assert stats.overdispersion_tau2(rates, [10_000] * 3, 100, 10_000) == 0


def test_overdispersed_limits_by_hand():
    # Limits: (sqrt(target) +/- z sqrt(s^2 + tau^2))^2. Target 100, P = 10,000, m = 10,000: s^2 = 0.25.
    # tau^2 = 1.53: 95% upper = (10 + 1.959964 * sqrt(1.78))^2 = (10 + 2.614944)^2 = 159.137...
    f = stats.overdispersed_funnel(100, [10_000], 1.53, 10_000)
    z = 1.959964
    assert f.upper_95.iloc[0] == pytest.approx((10 + z * math.sqrt(1.78)) ** 2, rel=1e-6)
    assert f.lower_95.iloc[0] == pytest.approx((10 - z * math.sqrt(1.78)) ** 2, rel=1e-6)
    # with tau^2 = 0 the limits are the plain square-root-scale Poisson limits, narrower
    plain = stats.overdispersed_funnel(100, [10_000], 0.0, 10_000)
    assert plain.upper_95.iloc[0] == pytest.approx((10 + z * 0.5) ** 2, rel=1e-6)
    assert plain.upper_99_8.iloc[0] < f.upper_99_8.iloc[0]


def test_ols_line_by_hand():
    # x = 0, 1, 2, 3; y = 1, 3, 2, 6: mean x 1.5, mean y 3, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5,
    # Sxy = (-1.5)(-2) + (-0.5)(0) + (0.5)(-1) + (1.5)(3) = 7: slope 7/5 = 1.4, intercept 3 - 1.4 * 1.5 = 0.9.
    # Fitted 0.9, 2.3, 3.7, 5.1; residuals 0.1, 0.7, -1.7, 0.9; SSR = 0.01 + 0.49 + 2.89 + 0.81 = 4.2;
    # sigma^2 = 4.2 / 2 = 2.1; se(slope) = sqrt(2.1 / 5). On 2 df the t quantile has a closed form,
    # t_p = (2p - 1) / sqrt(2p(1 - p)): t_0.975 = 0.95 / sqrt(0.04875) = 4.302653 (as printed t tables give).
    t975 = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    assert t975 == pytest.approx(4.302653, abs=1e-6)
    fit = stats.ols_line([0, 1, 2, 3], [1, 3, 2, 6])
    assert (fit.slope, fit.intercept, fit.df) == (pytest.approx(1.4), pytest.approx(0.9), 2)
    se = math.sqrt(2.1 / 5)
    assert fit.slope_se == pytest.approx(se)
    lo, hi = fit.slope_ci(0.95)
    assert lo == pytest.approx(1.4 - t975 * se, rel=1e-6) and hi == pytest.approx(1.4 + t975 * se, rel=1e-6)
    # Two-sided p of t = 1.4 / 0.648074 = 2.16025 on 2 df: 2 * (1 - F) with F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    t = 1.4 / se
    assert fit.slope_p() == pytest.approx(1 - t / math.sqrt(2 + t**2), rel=1e-9)
    # Mean band at x = 1.5 (the mean): 3.0 +/- t * sigma * sqrt(1/4); at x = 3: 5.1 +/- t * sigma * sqrt(1/4 + 2.25/5).
    band = fit.mean_band([1.5, 3.0], 0.95).set_index("x")
    sigma = math.sqrt(2.1)
    assert band.loc[1.5, "fit"] == pytest.approx(3.0)
    assert band.loc[1.5, "upper"] - band.loc[1.5, "fit"] == pytest.approx(t975 * sigma * 0.5, rel=1e-6)
    assert band.loc[3.0, "lower"] == pytest.approx(5.1 - t975 * sigma * math.sqrt(0.25 + 0.45), rel=1e-6)


def test_ols_line_agrees_with_statsmodels():
    """The same numbers as statsmodels' OLS, called as the package called it before (#18), to the last bit."""
    sm = pytest.importorskip("statsmodels.api")  # cross-check only: the package no longer imports it for a line
    rng = np.random.default_rng(3)
    x = pd.Series(rng.uniform(0, 30, 60), name="x")
    y = pd.Series(5 + 0.8 * x + rng.normal(0, 4, 60), name="y")
    ours = stats.ols_line(x, y)
    theirs = sm.OLS(y, sm.add_constant(x)).fit()
    assert (ours.intercept, ours.slope) == (theirs.params["const"], theirs.params["x"])
    for level in (0.9, 0.95):
        assert ours.slope_ci(level) == tuple(theirs.conf_int(alpha=1 - level).loc["x"])
    assert ours.slope_p() == theirs.pvalues["x"]
    grid = np.linspace(x.min(), x.max(), 50)
    pred = theirs.get_prediction(sm.add_constant(pd.Series(grid, name="x"))).summary_frame(alpha=1 - 0.95)
    band = ours.mean_band(grid, 0.95)
    for ours_col, their_col in [("fit", "mean"), ("lower", "mean_ci_lower"), ("upper", "mean_ci_upper")]:
        assert (band[ours_col].to_numpy() == pred[their_col].to_numpy()).all()


def test_spearman_by_hand():
    # Ranks of y = 2, 1, 4, 3, 5: d = -1, 1, -1, 1, 0, sum d^2 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    # t = 0.8 * sqrt(3 / (1.8 * 0.2)) = 2.309401 on 3 df; the t(3) CDF in closed form is
    # 1/2 + (u / (1 + u^2) + atan(u)) / pi with u = t / sqrt(3): p = 2 * (1 - F(t)) = 0.104088.
    rho, p = stats.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    t = 0.8 * math.sqrt(3 / (1.8 * 0.2))
    u = t / math.sqrt(3)
    assert rho == pytest.approx(0.8)
    assert p == pytest.approx(2 * (0.5 - (u / (1 + u**2) + math.atan(u)) / math.pi), rel=1e-9)
    # Ties share their average rank: x ranks 1.5, 1.5, 3, 4 against 1, 2, 3, 4; perfect order gives rho = 1, p = 0.
    rho, _ = stats.spearman([1, 1, 2, 3], [1, 2, 3, 4])
    assert rho == pytest.approx(np.corrcoef([1.5, 1.5, 3, 4], [1, 2, 3, 4])[0, 1])
    assert stats.spearman([1, 2, 3], [1, 2, 3]) == (pytest.approx(1.0), 0.0)
    assert all(math.isnan(v) for v in stats.spearman([1, 2, float("nan")], [3, 2, 1]))


def test_spearman_same_as_scipy():
    rng = np.random.default_rng(5)
    for n in (10, 40, 150):
        x = rng.integers(1, 5, n)  # many ties, like grades
        y = rng.normal(0, 1, n).round(1)
        res = sps.spearmanr(x, y)
        assert stats.spearman(x, y) == (float(res.statistic), float(res.pvalue))
