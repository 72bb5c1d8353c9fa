"""Forecast models, backtest arithmetic and interval coverage."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csc_analysis import forecast
from csc_analysis.errors import CscError

EXE = Path(sys.executable).parent / "csc-analysis"


def test_naive_and_drift_by_hand():
    y = np.array([10.0, 12.0, 14.0, 16.0])
    naive = forecast.fit_forecast("naive", y, 2)
    assert list(naive["mean"]) == [16, 16]
    drift = forecast.fit_forecast("drift", y, 3)
    # On the log scale: log 17 + h x mean change of log(1 + y), (log 17 - log 11) / 3.
    assert list(drift["mean"]) == pytest.approx([17 * (17 / 11) ** (h / 3) - 1 for h in (1, 2, 3)])


def test_mase_hand_checked():
    # y = 10, 12, 11, 15: in-sample naive MAE = (2 + 1 + 4) / 3.
    assert forecast.mase_scale([10, 12, 11, 15]) == pytest.approx(7 / 3)
    # Backtest naive from origin 3 (train 10, 12, 11): forecasts 11 for 15 -> error 4, scale 1.5.
    errors, scores = forecast.backtest([10, 12, 11, 15], ("naive",), horizon=1, min_train=3)
    assert len(errors) == 1 and errors.abs_error.item() == 4
    assert errors.scaled_error.item() == pytest.approx(4 / 1.5)
    assert scores.set_index("model").loc["naive", "mase"] == pytest.approx(4 / 1.5)


def test_drift_is_perfect_on_constant_growth():
    # 1 + y grows by 7% a year, a straight line on the log scale that models are fitted on: drift extrapolates it
    # exactly, while naive (the last value) falls further behind at each step.
    y = 100 * 1.07 ** np.arange(12.0) - 1
    errors, scores = forecast.backtest(y, ("naive", "drift"), horizon=3, min_train=4)
    s = scores.set_index("model")
    assert s.loc["drift", "mase"] == pytest.approx(0, abs=1e-9)
    naive = errors[errors.model == "naive"]
    first = naive[naive.origin == 4]  # trained on 4 years: forecasts 100 x 1.07^3 - 1 for years 5, 6 and 7
    assert first.abs_error.tolist() == pytest.approx([100 * 1.07**3 * (1.07**h - 1) for h in (1, 2, 3)])
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
    gappy = pd.DataFrame(
        {"year": range(2013, 2026), "value": [10, 12, np.nan, 14, 15, 15, 16, 18, 17, 19, 20, 22, 21.0]}
    )
    result = forecast.annual(gappy)
    assert result.history.period.min() == 2016 and any("gap" in m for m in result.messages)


def test_scenario_step_and_trend():
    fc = pd.DataFrame(
        {
            "period": [2026, 2027, 2028],
            "mean": [100.0] * 3,
            "lo80": [90.0] * 3,
            "hi80": [110.0] * 3,
            "lo95": [80.0] * 3,
            "hi95": [120.0] * 3,
        }
    )
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
    # The pattern starts in April, so its two lowest months are September (70) and January (80).
    assert sorted(lowest) == [1, 9]


def test_cli_contract_and_until():
    out = subprocess.run(
        [EXE, "forecast", "--la", "Oldham", "--until", "2022", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout))
    assert list(table.columns) == ["indicator", "period", "kind", "value", "lo80", "hi80", "lo95", "hi95", "model"]
    assert table[table.kind == "actual"].period.max() == 2022
    assert list(table[table.kind == "forecast"].period) == [2023, 2024, 2025]


@pytest.mark.parametrize(
    "args, message",
    [
        (["forecast", "--la", "Oldham", "--indicator", "cla_rate_per_10k"], "forecasting needs a count"),
        (["forecast", "--la", "Oldham", "--until", "1990"], "has no referrals for that year"),
        (["forecast", "--la", "Oldham", "--local", "/no/such/folder"], "file not found"),
    ],
)
def test_cli_errors(args, message):
    out = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr


# --- #13.8: forecasts on the log scale; naive is the headline unless something beat it -------------------------


def test_naive_intervals_are_on_the_log_scale_by_hand():
    # log(1 + y) = log 100, log 200, log 100, log 200: changes +L, -L, +L with L = log 2, mean L/3,
    # sample sd = L * sqrt(((2/3)^2 + (4/3)^2 + (2/3)^2) / 2) = L * sqrt(4/3).
    y = np.array([99.0, 199.0, 99.0, 199.0])
    fc = forecast.fit_forecast("naive", y, 2)
    sd = np.log(2) * np.sqrt(4 / 3)
    z80 = 1.2815515655446004  # standard normal 90th percentile
    assert fc["mean"].tolist() == pytest.approx([199, 199])
    assert fc["lo80"].tolist() == pytest.approx([200 * np.exp(-z80 * sd) - 1, 200 * np.exp(-z80 * sd * np.sqrt(2)) - 1])
    assert fc["hi80"].iloc[0] == pytest.approx(200 * np.exp(z80 * sd) - 1)


def test_wide_intervals_never_go_below_zero_or_near_it():
    # Oldham's published referrals, 2013-2025 (c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv,
    # referral_count);
    # the old additive ARIMA gave a 2028 95% range of 88 to 7,265.
    y = np.array([1961, 2120, 2171, 2732, 3447, 5323, 4751, 3871, 4524, 5107, 5708, 5481, 4196.0])
    for model in forecast.ANNUAL_MODELS:
        fc = forecast.fit_forecast(model, y, 3)
        # On the log scale an interval is the same ratio either side of the central line (each model's errors
        # are symmetric there), so the lower limit stays a sizeable share of it.
        upper, lower = np.log1p(fc["hi95"]) - np.log1p(fc["mean"]), np.log1p(fc["mean"]) - np.log1p(fc["lo95"])
        assert upper.tolist() == pytest.approx(lower.tolist()), model
        assert (fc["lo95"] > 0.25 * fc["mean"]).all(), model


ZIGZAG = pd.DataFrame({"year": range(2019, 2026), "value": [100, 120, 100, 120, 100, 120, 100.0]})


def test_headline_model_must_beat_naive_on_the_same_forecasts():
    scores = pd.DataFrame({"model": ["arima", "naive", "drift"], "mase": [1.24, 1.27, 1.35]})
    assert forecast.headline_order(scores, "naive") == ["arima", "naive"]
    assert forecast.headline_order(scores.assign(mase=[1.3, 1.27, 1.35]), "naive") == ["naive"]
    assert forecast.headline_order(pd.DataFrame(), "naive") == ["naive"]


def test_naive_headline_takes_its_intervals_from_the_backtest_errors():
    # 100, 120 alternating for 7 years: only naive and drift can be fitted (8 years needed for the others).
    # Origins 4, 5, 6 (the last three years); naive forecasts the last value, so its errors on the log scale,
    # with L = log(121 / 101), are: origin 4 (last 120): -L, 0, -L; origin 5 (last 100): +L, 0; origin 6: -L.
    # Drift matches naive at origin 5 and is worse at 4 and 6, so naive is the headline.
    # Pooled variance per year ahead: (3 L^2 / 1 + 0 / 2 + 0 / 2 + L^2 / 3) / 6 = 5 L^2 / 9.
    result = forecast.annual(ZIGZAG, 2)
    assert result.model == "naive"
    sigma = np.log(121 / 101) * np.sqrt(5) / 3
    t80 = 1.4397557472651481  # Student t, 6 degrees of freedom, 90th percentile
    assert result.forecast["mean"].tolist() == pytest.approx([100, 100])
    assert result.forecast["lo80"].tolist() == pytest.approx(
        [101 * np.exp(-t80 * sigma) - 1, 101 * np.exp(-t80 * sigma * np.sqrt(2)) - 1]
    )
    assert result.forecast["hi80"].iloc[0] == pytest.approx(101 * np.exp(t80 * sigma) - 1)


def test_one_point_is_a_one_line_error():
    with pytest.raises(CscError, match="only 1 year"):
        forecast.annual(pd.DataFrame({"year": [2025], "value": [40.0]}))
    with pytest.raises(CscError, match="only 1 month"):
        forecast.monthly(pd.DataFrame({"month": [pd.Timestamp("2025-03-01")], "value": [40.0]}))


# --- #13.15: scenario inputs are validated ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [-200, -100, float("nan"), float("inf"), 201])
def test_change_percentages_out_of_range_are_refused(value):
    fc = pd.DataFrame(
        {"period": [2026], "mean": [100.0], "lo80": [90.0], "hi80": [110.0], "lo95": [80.0], "hi95": [120.0]}
    )
    with pytest.raises(CscError, match="step_change_pct"):
        forecast.scenario(fc, step_pct=value)
    with pytest.raises(CscError, match="must be a number from -90 to 200"):
        forecast.check_change_pct(value, "starts_change_pct")


def test_notebook_applies_no_scenario_unless_asked():
    import papermill

    params = papermill.inspect_notebook(Path(__file__).parents[1] / "notebooks" / "02_referral_forecast.ipynb")
    assert float(params["step_change_pct"]["default"]) == 0 and float(params["trend_pct"]["default"]) == 0


def test_a_single_year_after_a_gap_is_no_forecast_and_says_why():
    # As Hampshire's referrals in the c1 file: 2023 30,502, 2024 `u` (read as missing), 2025 41,142
    history = pd.DataFrame({"year": [2023, 2024, 2025], "value": [30502.0, float("nan"), 41142.0]})
    result, why = forecast.annual_if_possible(history)
    assert result is None
    assert why == "only 1 year of data (2025) after a gap (2023 to 2025); a forecast needs at least 2"
    result, why = forecast.annual_if_possible(history.iloc[[0, 2]].assign(year=[2024, 2025]))
    assert result is not None and why == ""


def test_a_horizon_below_one_is_the_user_s_mistake_not_the_data_s():
    # `-p horizon=0` failed notebook 02 with "IndexError: single positional indexer is out-of-bounds".
    history = pd.DataFrame({"year": range(2013, 2026), "value": np.linspace(100.0, 160.0, 13)})
    for call in (forecast.annual, forecast.annual_if_possible):
        with pytest.raises(CscError, match=r"^horizon 0 must be at least 1 year$"):
            call(history, 0)
    months = pd.DataFrame({"month": pd.date_range("2022-01-01", periods=36, freq="MS"), "value": 50.0})
    with pytest.raises(CscError, match=r"^horizon 0 must be at least 1 month$"):
        forecast.monthly(months, 0)


def test_a_step_must_start_in_a_forecast_year():
    # `-p step_change_pct=10 -p step_from=2010` built a page with "a +10% step from 2009/10" on a 2026-2028 forecast.
    fc = pd.DataFrame(
        {"period": [2026, 2027, 2028], "mean": 100.0, "lo80": 90.0, "hi80": 110.0, "lo95": 80.0, "hi95": 120.0}
    )
    with pytest.raises(CscError, match=r"^step_from 2010: the step must start in a forecast year \(2026 to 2028\)$"):
        forecast.scenario(fc, 10, 2010)
    assert forecast.scenario(fc, 10, 2027)["mean"].tolist() == pytest.approx([100, 110, 110])
    assert forecast.scenario(fc, 0, 2010)["mean"].tolist() == [100, 100, 100]  # no step: nothing to start
