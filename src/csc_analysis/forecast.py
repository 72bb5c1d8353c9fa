"""Forecasts with intervals, and rolling-origin backtests that show whether they beat a naive guess.

Annual models (published data): naive (last value), drift (last value plus the average change),
exponential smoothing with a damped trend, and a small ARIMA chosen by AIC. Monthly models
(local data): seasonal naive, Holt-Winters with additive seasonality, and the "airline"
SARIMA(0,1,1)(0,1,1)12. Every model is fitted to log(1 + count) and its central line and limits
transformed back, so intervals are ratios either side of the line and never reach below zero.

The headline is the naive benchmark (the latest figure; for monthly data with a year of history,
the same month a year earlier) unless another model beat it on the same backtest forecasts (lower
MASE). When the benchmark is the headline and a backtest was possible, its intervals are set from
its own backtest errors rather than from a model. Every forecast has 80% and 95% prediction intervals.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtri, stdtrit  # the normal and t quantiles without scipy.stats (about 1 s)

from .errors import CscError, at_least

LEVELS = (80, 95)
ANNUAL_MODELS = ("naive", "drift", "ets_damped", "arima")
MONTHLY_MODELS = ("seasonal_naive", "holt_winters", "sarima_airline")
MIN_POINTS = {
    "naive": 2,
    "drift": 3,
    "ets_damped": 8,
    "arima": 8,
    "seasonal_naive": 13,
    "holt_winters": 26,
    "sarima_airline": 30,
}
BACKTEST_STEPS = {"annual": 3, "monthly": 12}  # years / months ahead scored in the backtest
# Scenario percentages a planner can give: a change below -90% or above +200% is almost certainly a
# typing slip (and -100% or less would mean no children, or fewer than none).
CHANGE_PCT_RANGE = (-90.0, 200.0)
TREND_PCT_RANGE = (-50.0, 50.0)


def _quiet(fn):
    """Run a statsmodels fit without its convergence and frequency warnings; any failure to fit
    becomes a ValueError, which callers treat as "this model cannot be used for this series"."""

    def wrapped(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return fn(*args, **kwargs)
            except ValueError:
                raise
            except Exception as exc:  # noqa: BLE001 - statsmodels raises many types on degenerate series
                raise ValueError(f"fit failed: {type(exc).__name__}") from None

    return wrapped


def _frame(mean, sd_by_step) -> pd.DataFrame:
    out = pd.DataFrame({"step": np.arange(1, len(mean) + 1), "mean": mean})
    for level in LEVELS:
        z = ndtri(0.5 + level / 200)
        out[f"lo{level}"] = out["mean"] - z * sd_by_step
        out[f"hi{level}"] = out["mean"] + z * sd_by_step
    return out


@_quiet
def fit_forecast(model: str, y: np.ndarray, h: int, season: int = 12) -> pd.DataFrame:
    """Forecast `h` steps ahead from history `y` with one model.

    Columns: step, mean, lo80, hi80, lo95, hi95. The model is fitted to log(1 + y) and its forecast
    and limits transformed back, so "mean" is the central (median) line and the limits are ratios
    either side of it. Raises ValueError when the model cannot be fitted to this series.
    """
    counts = np.asarray(y, dtype=float)
    if len(counts) < MIN_POINTS[model] or np.isnan(counts).any():
        raise ValueError(f"{model} needs {MIN_POINTS[model]} complete points")
    if (counts < 0).any():
        raise ValueError("counts cannot be negative")
    y = np.log1p(counts)
    steps = np.arange(1, h + 1)
    if model == "naive":
        # Two points give one change; if there was none, Poisson noise (sd of log y about 1 / sqrt(y)).
        sd = np.std(np.diff(y), ddof=1) if len(y) > 2 else abs(y[-1] - y[0]) or 1 / np.sqrt(counts[-1] + 1)
        out = _frame(np.repeat(y[-1], h), sd * np.sqrt(steps))
    elif model == "drift":
        d = np.diff(y)
        sd = np.std(d, ddof=1)
        out = _frame(y[-1] + steps * d.mean(), sd * np.sqrt(steps * (1 + steps / (len(y) - 1))))
    elif model == "seasonal_naive":
        d = y[season:] - y[:-season]
        sd = np.sqrt(np.mean(d**2))
        k = (steps - 1) // season + 1
        out = _frame(y[len(y) - season + (steps - 1) % season], sd * np.sqrt(k))
    elif model == "ets_damped":
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        fit = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False)
        out = _from_prediction(fit.get_prediction(start=len(y), end=len(y) + h - 1), ets=True)
    elif model == "holt_winters":
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        fit = ETSModel(
            pd.Series(y), error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=season
        ).fit(disp=False)
        out = _from_prediction(fit.get_prediction(start=len(y), end=len(y) + h - 1), ets=True)
    elif model == "arima":
        out = _best_arima(y, h)
    elif model == "sarima_airline":
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        fit = SARIMAX(y, order=(0, 1, 1), seasonal_order=(0, 1, 1, season)).fit(disp=False)
        out = _from_prediction(fit.get_forecast(h))
    else:
        raise ValueError(f"unknown model {model}")
    return _counts(out, model)


def _counts(out: pd.DataFrame, model: str) -> pd.DataFrame:
    """A forecast on the log(1 + y) scale turned back into counts (at least zero)."""
    with np.errstate(over="ignore"):
        for col in ["mean"] + [f"{b}{lv}" for lv in LEVELS for b in ("lo", "hi")]:
            out[col] = np.expm1(out[col]).clip(lower=0)
    if not np.isfinite(out[["mean", "lo95", "hi95"]].to_numpy()).all():
        raise ValueError(f"{model} gave non-finite forecasts")
    return out


def _from_prediction(pred, ets: bool = False) -> pd.DataFrame:
    frames = {}
    for level in LEVELS:
        alpha = 1 - level / 100
        frames[level] = pred.summary_frame(alpha=alpha)
    lo, hi = ("pi_lower", "pi_upper") if ets else ("mean_ci_lower", "mean_ci_upper")
    mean = frames[80]["mean"].to_numpy()
    out = pd.DataFrame({"step": np.arange(1, len(mean) + 1), "mean": mean})
    for level, sf in frames.items():
        out[f"lo{level}"] = sf[lo].to_numpy()
        out[f"hi{level}"] = sf[hi].to_numpy()
    return out


def _best_arima(y: np.ndarray, h: int) -> pd.DataFrame:
    """The ARIMA with the lowest AIC among small orders (differenced once, with drift where sensible)."""
    from statsmodels.tsa.arima.model import ARIMA

    best = None
    for order, trend in [
        ((0, 1, 0), "t"),
        ((1, 1, 0), "t"),
        ((0, 1, 1), "t"),
        ((1, 1, 0), "n"),
        ((0, 1, 1), "n"),
        ((1, 0, 0), "c"),
    ]:
        try:
            fit = ARIMA(y, order=order, trend=trend).fit()
        except Exception:  # noqa: BLE001 - an order that cannot be fitted is skipped
            continue
        if np.isfinite(fit.aic) and (best is None or fit.aic < best.aic):
            best = fit
    if best is None:
        raise ValueError("no ARIMA order could be fitted")
    return _from_prediction(best.get_forecast(h))


def mase_scale(y: np.ndarray, season: int = 1) -> float:
    """In-sample mean absolute error of the (seasonal) naive forecast: MASE's denominator."""
    y = np.asarray(y, dtype=float)
    d = np.abs(y[season:] - y[:-season])
    return float(d.mean()) if len(d) else float("nan")


def backtest(
    y, models: tuple[str, ...], horizon: int = 3, min_train: int | None = None, season: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin evaluation: refit at each origin, forecast 1..horizon steps, compare with what happened.

    Every model is scored from the same origins (the first at which all of them can be fitted), so
    their scores compare like with like. Returns (errors, scores). `errors` has one row per model,
    origin and step: actual, forecast, abs error, scaled error (abs error / the naive in-sample MAE
    of the training data) and whether the 80% and 95% intervals covered the actual. `scores` per
    model: mase, mape (%), coverage80, coverage95 (%), n (forecasts scored).
    """
    y = np.asarray(y, dtype=float)
    rows = []
    start = max([min_train or 0, season + 2] + [MIN_POINTS[m] for m in models])
    for model in models:
        for origin in range(start, len(y)):
            train = y[:origin]
            steps = min(horizon, len(y) - origin)
            try:
                fc = fit_forecast(model, train, steps, season=max(season, 12) if season > 1 else 12)
            except ValueError:
                continue
            scale = mase_scale(train, season)
            for _, f in fc.iterrows():
                actual = y[origin + int(f["step"]) - 1]
                rows.append(
                    {
                        "model": model,
                        "origin": origin,
                        "step": int(f["step"]),
                        "actual": actual,
                        "forecast": f["mean"],
                        "abs_error": abs(actual - f["mean"]),
                        "scaled_error": abs(actual - f["mean"]) / scale if scale else np.nan,
                        "pct_error": abs(actual - f["mean"]) / actual * 100 if actual else np.nan,
                        "in80": f["lo80"] <= actual <= f["hi80"],
                        "in95": f["lo95"] <= actual <= f["hi95"],
                    }
                )
    errors = pd.DataFrame(
        rows,
        columns=[
            "model",
            "origin",
            "step",
            "actual",
            "forecast",
            "abs_error",
            "scaled_error",
            "pct_error",
            "in80",
            "in95",
        ],
    )
    scores = (
        errors.groupby("model")
        .agg(
            mase=("scaled_error", "mean"),
            mape=("pct_error", "mean"),
            coverage80=("in80", "mean"),
            coverage95=("in95", "mean"),
            n=("abs_error", "size"),
        )
        .reset_index()
    )
    scores[["coverage80", "coverage95"]] *= 100
    return errors, scores.sort_values("mase").reset_index(drop=True)


@dataclass
class Forecast:
    """A chosen model's forecast, the backtest behind the choice, and anything the user should know."""

    history: pd.DataFrame  # period, value
    forecast: pd.DataFrame  # period, mean, lo80, hi80, lo95, hi95
    model: str
    scores: pd.DataFrame
    messages: list[str] = field(default_factory=list)
    benchmark: str = "naive"  # the naive forecast the model had to beat
    period: str = "year"  # "year" or "month", for sentences


def headline_order(scores: pd.DataFrame, benchmark: str) -> list[str]:
    """Models to try for the headline, best first: those whose backtest MASE is below the benchmark's
    (scored on the same forecasts), then the benchmark itself. Without a backtest, only the benchmark."""
    if scores.empty or benchmark not in set(scores["model"]):
        return [benchmark]
    bar = scores.set_index("model").at[benchmark, "mase"]
    better = scores[(scores["model"] != benchmark) & (scores["mase"] < bar)].sort_values("mase")
    return list(better["model"]) + [benchmark]


def error_intervals(fc: pd.DataFrame, errors: pd.DataFrame, spread) -> pd.DataFrame:
    """A forecast's intervals replaced by ones set from its own backtest errors.

    The errors are log(1 + actual) - log(1 + forecast). A handful of errors per step ahead is too
    few for quantiles, so their variance is pooled, per unit of `spread(step)` (how a naive forecast's
    error variance grows with the step: the step itself, or whole seasons ahead), and the limits are
    the central line times and divided by exp(t x sd), with Student's t on as many degrees of freedom
    as there were errors.
    """
    e = np.log1p(errors["actual"].to_numpy(float)) - np.log1p(errors["forecast"].to_numpy(float))
    sigma = np.sqrt(np.mean(e**2 / spread(errors["step"].to_numpy())))
    centre = np.log1p(fc["mean"].to_numpy(float))
    sd = sigma * np.sqrt(spread(fc["step"].to_numpy()))
    out = fc.copy()
    for level in LEVELS:
        t = stdtrit(len(e), 0.5 + level / 200)
        out[f"lo{level}"] = np.expm1(centre - t * sd).clip(min=0)
        out[f"hi{level}"] = np.expm1(centre + t * sd)
    return out


SPREAD = {"naive": lambda step: step, "seasonal_naive": lambda step: (step - 1) // 12 + 1}


def _headline(y: np.ndarray, usable: list[str], benchmark: str, h: int, backtest_args: dict | None):
    """Backtest the usable models (when `backtest_args` is given), then fit the headline model.

    Returns (model, forecast, scores)."""
    errors, scores = backtest(y, tuple(usable), **backtest_args) if backtest_args else (pd.DataFrame(), pd.DataFrame())
    for model in headline_order(scores, benchmark):
        try:
            fc = fit_forecast(model, y, h)
        except ValueError:
            continue
        if model == benchmark and len(errors):
            fc = error_intervals(fc, errors[errors["model"] == benchmark], SPREAD[benchmark])
        return model, fc, scores
    raise CscError(f"no model could be fitted to {len(y)} values")


def annual(history: pd.DataFrame, horizon: int = 3) -> Forecast:
    """Forecast an annual series (columns year, value) `horizon` years ahead.

    Only the unbroken run of years up to the latest is used: a gap (a suppressed year, or an LA
    that did not exist) ends the history, and the message says so. Short histories fall back to
    the models they can support; fewer than 6 years cannot be backtested, and the forecast is then
    the naive one.
    """
    at_least(horizon, 1, "horizon", "year")
    hist = history.dropna(subset=["value"]).sort_values("year")
    messages = []
    if hist.empty:
        raise CscError("no values to forecast")
    years = hist["year"].to_numpy()
    breaks = np.flatnonzero(np.diff(years) != 1)
    if len(breaks):
        cut = breaks[-1] + 1
        messages.append(
            f"Years before {years[cut]} are not used: the series has a gap "
            f"({years[cut - 1]} to {years[cut]}), and gaps are not filled in."
        )
        hist = hist.iloc[cut:]
    y = hist["value"].to_numpy(dtype=float)
    if len(y) < 2:
        after = f" after a gap ({years[cut - 1]} to {years[cut]})" if len(breaks) else ""
        raise CscError(f"only 1 year of data ({int(years[-1])}){after}; a forecast needs at least 2")
    usable = [m for m in ANNUAL_MODELS if len(y) >= MIN_POINTS[m]]
    if len(usable) < len(ANNUAL_MODELS):
        messages.append(
            f"Only {len(y)} consecutive year(s) of data: using {', '.join(usable)} only "
            f"(smoothing and ARIMA need {MIN_POINTS['arima']})."
        )
    tested = {"horizon": BACKTEST_STEPS["annual"], "min_train": max(4, len(y) - 6)} if len(y) >= 6 else None
    chosen, fc, scores = _headline(y, usable, "naive", horizon, tested)
    fc.insert(0, "period", hist["year"].iloc[-1] + fc["step"])
    return Forecast(
        hist.rename(columns={"year": "period"})[["period", "value"]],
        fc.drop(columns="step"),
        chosen,
        scores,
        messages,
        "naive",
        "year",
    )


def annual_if_possible(history: pd.DataFrame, horizon: int = 3) -> tuple[Forecast | None, str]:
    """`annual`, or None and the reason when the published history cannot support a forecast (no values, or a
    single year after the last gap, e.g. a year shown as `u`): a page then says why instead of stopping the pack.
    A horizon below 1 is the user's mistake, not the data's: an error."""
    at_least(horizon, 1, "horizon", "year")
    try:
        return annual(history, horizon), ""
    except CscError as exc:
        return None, str(exc)


def monthly(history: pd.DataFrame, horizon: int = 12) -> Forecast:
    """Forecast monthly counts (columns month as Timestamp, value) with seasonal models.

    The benchmark is the seasonal naive forecast (the same month a year earlier) once there are 13
    months, else the latest month. Three years are needed to backtest; with fewer the benchmark is used.
    """
    at_least(horizon, 1, "horizon", "month")
    hist = history.sort_values("month")
    y = hist["value"].to_numpy(dtype=float)
    if len(y) < 2:
        got = f"1 month of counts ({hist['month'].iloc[0]:%B %Y})" if len(y) else "no complete month of counts"
        raise CscError(f"only {got}; a forecast needs at least 2")
    messages = []
    usable = [m for m in MONTHLY_MODELS if len(y) >= MIN_POINTS[m]]
    benchmark = "seasonal_naive" if usable else "naive"
    if not usable:
        usable = ["naive"]
        messages.append(f"Only {len(y)} months: too few for seasonal models, so a naive forecast is used.")
    tested = {"horizon": BACKTEST_STEPS["monthly"], "min_train": len(y) - 12, "season": 12} if len(y) >= 36 else None
    model, fc, scores = _headline(y, usable, benchmark, horizon, tested)
    last = pd.Timestamp(hist["month"].iloc[-1])
    fc.insert(0, "period", [last + pd.DateOffset(months=int(s)) for s in fc["step"]])
    return Forecast(
        hist.rename(columns={"month": "period"})[["period", "value"]],
        fc.drop(columns="step"),
        model,
        scores,
        messages,
        benchmark,
        "month",
    )


def check_change_pct(value, name: str, low: float = CHANGE_PCT_RANGE[0], high: float = CHANGE_PCT_RANGE[1]) -> float:
    """A scenario percentage from the user, as a float; a one-line CscError unless finite and within [low, high].

    >>> check_change_pct(-10, "starts_change_pct")
    -10.0
    >>> check_change_pct("250", "--starts-change-pct")
    Traceback (most recent call last):
    csc_analysis.errors.CscError: --starts-change-pct 250: must be a number from -90 to 200 (a % change)
    """
    try:
        pct = float(value)
    except (TypeError, ValueError):
        raise CscError(f"{name} {value!r}: must be a number from {low:g} to {high:g} (a % change)") from None
    if not (np.isfinite(pct) and low <= pct <= high):
        raise CscError(f"{name} {pct:g}: must be a number from {low:g} to {high:g} (a % change)")
    return pct


def scenario(fc: pd.DataFrame, step_pct: float = 0.0, from_period=None, trend_pct: float = 0.0) -> pd.DataFrame:
    """A planner's adjustment to a forecast: a step change of `step_pct`% from `from_period` on, and/or
    a trend of `trend_pct`% a period compounding from the first forecast period. Intervals scale with it.

    Percentages are checked (`check_change_pct`): a step from -90 to +200%, a trend from -50 to +50%; a step
    must start in a forecast period (one already past would be a step nobody can see start)."""
    step_pct = check_change_pct(step_pct, "step_change_pct")
    trend_pct = check_change_pct(trend_pct, "trend_pct", *TREND_PCT_RANGE)
    first, last = fc["period"].min(), fc["period"].max()
    if step_pct and from_period is not None and not first <= from_period <= last:
        raise CscError(f"step_from {from_period}: the step must start in a forecast year ({first} to {last})")
    out = fc.copy()
    k = np.arange(1, len(out) + 1)
    factor = (1 + trend_pct / 100) ** k
    if step_pct:
        starts = out["period"] >= from_period if from_period is not None else np.ones(len(out), dtype=bool)
        factor = factor * np.where(starts, 1 + step_pct / 100, 1.0)
    for col in ["mean", "lo80", "hi80", "lo95", "hi95"]:
        out[col] = out[col] * factor
    return out


def long_table(fc: Forecast, indicator: str) -> pd.DataFrame:
    """The CLI contract: indicator, period, kind (actual|forecast), value, lo80, hi80, lo95, hi95, model."""
    actual = fc.history.assign(kind="actual", lo80=np.nan, hi80=np.nan, lo95=np.nan, hi95=np.nan, model="")
    future = fc.forecast.rename(columns={"mean": "value"}).assign(kind="forecast", model=fc.model)
    out = pd.concat([actual, future], ignore_index=True)
    out.insert(0, "indicator", indicator)
    return out[["indicator", "period", "kind", "value", "lo80", "hi80", "lo95", "hi95", "model"]]
