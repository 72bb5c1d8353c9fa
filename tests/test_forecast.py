"""Forecast models, backtest arithmetic and interval coverage."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csc_analysis import forecast

EXE = Path(sys.executable).parent / "csc-analysis"


def test_naive_and_drift_by_hand():
    y = np.array([10.0, 12.0, 14.0, 16.0])
    naive = forecast.fit_forecast("naive", y, 2)
    assert list(naive["mean"]) == [16, 16]
    drift = forecast.fit_forecast("drift", y, 3)
    assert list(drift["mean"]) == [18, 20, 22]  # last + h x mean change (2)


def test_mase_hand_checked():
    # y = 10, 12, 11, 15: in-sample naive MAE = (2 + 1 + 4) / 3.
    assert forecast.mase_scale([10, 12, 11, 15]) == pytest.approx(7 / 3)
    # Backtest naive from origin 3 (train 10, 12, 11): forecasts 11 for 15 -> error 4, scale 1.5.
    errors, scores = forecast.backtest([10, 12, 11, 15], ("naive",), horizon=1, min_train=3)
    assert len(errors) == 1 and errors.abs_error.item() == 4
    assert errors.scaled_error.item() == pytest.approx(4 / 1.5)
    assert scores.set_index("model").loc["naive", "mase"] == pytest.approx(4 / 1.5)


def test_drift_is_perfect_on_a_straight_line():
    y = 100 + 7 * np.arange(12.0)
    errors, scores = forecast.backtest(y, ("naive", "drift"), horizon=3, min_train=4)
    s = scores.set_index("model")
    assert s.loc["drift", "mase"] == pytest.approx(0, abs=1e-9)
    # Naive lags the line by 7 per step: scaled errors 1, 2, 3 (scale = 7).
    assert errors[errors.model == "naive"].groupby("step").scaled_error.mean().round(6).tolist() == [1, 2, 3]
    assert scores.iloc[0].model == "drift"


def test_coverage_is_share_of_actuals_inside_intervals():
    errors, scores = forecast.backtest(np.array([5, 7, 6, 8, 30, 7, 9, 8, 7, 9.0]), ("naive",), horizon=1, min_train=3)
    assert scores.coverage80.item() == pytest.approx(errors.in80.mean() * 100)
    assert 0 < scores.coverage80.item() < 100


def test_models_fit_a_real_series(published):
    y = published.query("la_code == '353' and indicator == 'referrals'").sort_values("year").value.to_numpy()
    for model in forecast.ANNUAL_MODELS:
        fc = forecast.fit_forecast(model, y, 3)
        assert len(fc) == 3 and (fc.lo95 <= fc.lo80).all() and (fc.lo80 <= fc["mean"]).all()
        assert (fc["mean"] <= fc.hi80).all() and (fc.hi80 <= fc.hi95).all() and (fc.lo95 >= 0).all()
    result = forecast.annual(published.query("la_code == '353' and indicator == 'referrals'")[["year", "value"]])
    assert result.model in forecast.ANNUAL_MODELS and len(result.scores) == 4
    assert list(result.forecast.period) == [2026, 2027, 2028]


def test_short_and_broken_histories_degrade(published):
    cumberland = published.query("la_code == '942' and indicator == 'referrals'")[["year", "value"]]
    result = forecast.annual(cumberland)
    assert result.model == "naive" and any("Only 2" in m for m in result.messages)
    gappy = pd.DataFrame({"year": range(2013, 2026), "value": [10, 12, np.nan, 14, 15, 15, 16, 18, 17, 19, 20, 22, 21.0]})
    result = forecast.annual(gappy)
    assert result.history.period.min() == 2016 and any("gap" in m for m in result.messages)


def test_scenario_step_and_trend():
    fc = pd.DataFrame({"period": [2026, 2027, 2028], "mean": [100.0] * 3, "lo80": [90.0] * 3, "hi80": [110.0] * 3,
                       "lo95": [80.0] * 3, "hi95": [120.0] * 3})
    step = forecast.scenario(fc, 10, 2027)
    assert list(step["mean"]) == pytest.approx([100, 110, 110])
    trend = forecast.scenario(fc, trend_pct=5)
    assert list(trend["mean"]) == pytest.approx([105, 110.25, 115.7625])


def test_monthly_seasonal_forecast():
    months = pd.date_range("2021-04-01", periods=48, freq="MS")
    pattern = np.tile([100, 105, 110, 104, 102, 70, 112, 115, 110, 80, 106, 103.0], 4)
    result = forecast.monthly(pd.DataFrame({"month": months, "value": pattern}), 12)
    assert result.model in forecast.MONTHLY_MODELS and len(result.forecast) == 12
    lowest = result.forecast.nsmallest(2, "mean").period.dt.month.tolist()
    assert sorted(lowest) == [9, 1] or set(lowest) <= {9, 1, 12, 8}


def test_cli_contract_and_until():
    out = subprocess.run([EXE, "forecast", "--la", "Oldham", "--until", "2022", "--format", "csv"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout))
    assert list(table.columns) == ["indicator", "period", "kind", "value", "lo80", "hi80", "lo95", "hi95", "model"]
    assert table[table.kind == "actual"].period.max() == 2022
    assert list(table[table.kind == "forecast"].period) == [2023, 2024, 2025]


@pytest.mark.parametrize("args, message", [
    (["forecast", "--la", "Oldham", "--indicator", "cla_rate_per_10k"], "forecasting needs a count"),
    (["forecast", "--la", "Oldham", "--until", "1990"], "has no referrals for that year"),
    (["forecast", "--la", "Oldham", "--local", "/no/such/folder"], "file not found"),
])
def test_cli_errors(args, message):
    out = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr
