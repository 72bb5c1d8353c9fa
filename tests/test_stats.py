"""Confidence intervals and funnel limits against worked examples."""

import math

import numpy as np
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
