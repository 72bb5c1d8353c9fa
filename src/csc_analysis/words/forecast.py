"""Sentences on forecasts and their backtests (notebook 02).

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe
from .common import figure


def forecast_sentence(forecast: pd.DataFrame, what: str, period_label=str) -> str:
    """The figure a planner needs: "we expect between A and B ... in P, most likely C"."""
    first = forecast.iloc[0]
    return (
        f"We expect between {figure(first['lo80'])} and {figure(first['hi80'])} {what} in "
        f"{period_label(first['period'])} (80% interval; 95%: {figure(first['lo95'])} to {figure(first['hi95'])}), "
        f"most likely about {figure(first['mean'])}."
    )


BENCHMARKS = {"naive": "same as the latest {period}", "seasonal_naive": "same as the same month a year earlier"}


def no_forecast_sentence(la_name: str, what: str, reason: str) -> str:
    """Why the page has no annual forecast, e.g. the years before the latest are shown as a DfE symbol."""
    return (
        f"No annual forecast of {what} for {safe.md(la_name)}: the published figures give {reason} (gaps, such as "
        "a year shown as a symbol, are never filled in; the symbols are explained in the notes)."
    )


def backtest_sentence(result) -> str:
    """What the backtest says about a `forecast.Forecast`'s headline model, in plain words.

    The headline either beat the naive benchmark on the same past forecasts or is the benchmark itself;
    the sentence says which, and never compares the benchmark with itself.
    """
    scores, chosen, period = result.scores, result.model, result.period
    bench = f"'{BENCHMARKS[result.benchmark].format(period=period)}'"
    if scores.empty:
        return (
            f"There were too few {period}s to test the models against what actually happened, so the forecast "
            f"is the {bench} forecast, with intervals from the {period}-to-{period} changes so far."
        )
    by_model = scores.set_index("model")
    if chosen == result.benchmark:
        row = by_model.loc[chosen]
        others = scores[scores["model"] != chosen]
        rival = (
            f" (best other: {others.iloc[0]['model']}, MASE {others.iloc[0]['mase']:.2f} against "
            f"{row['mase']:.2f}; lower is better)"
            if len(others)
            else ""
        )
        return (
            f"No model beat {bench} when refitted at earlier points and tested on {period}s already "
            f"known{rival}, so the forecast is {bench}. Its intervals are the spread of that forecast's own "
            f"errors in the test ({int(row['n'])} forecasts), widening with the {period}s ahead."
        )
    row, base = by_model.loc[chosen], by_model.loc[result.benchmark]
    return (
        f"Tested by refitting at earlier points and forecasting {period}s already known ({int(row['n'])} "
        f"forecasts), the chosen model ({chosen}) beat {bench} (MASE {row['mase']:.2f} against "
        f"{base['mase']:.2f}; lower is better) and was wrong by {row['mape']:.0f}% on average. Its 80% "
        f"intervals contained the actual value {row['coverage80']:.0f}% of the time and its 95% intervals "
        f"{row['coverage95']:.0f}%."
    )


def low_months(forecast: pd.DataFrame, n: int = 2) -> str:
    """The calendar months with the lowest forecast, e.g. "August and December"."""
    months = forecast.nsmallest(n, "mean")["period"].sort_values()
    return " and ".join(pd.Timestamp(m).strftime("%B") for m in months)
