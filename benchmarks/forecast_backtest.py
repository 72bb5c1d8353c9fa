"""Annual referral forecasts backtested across every current LA.

For each LA's unbroken run of published referrals, each model is refitted at rolling origins
(the last six years) and scored on 1-3 year-ahead forecasts. Writes outputs/forecast_backtest.csv
(one row per LA and model) and prints per model the median and quartiles of MASE and the
coverage of the 80% and 95% intervals. "selected" is the model the package would choose for each
LA (the best model if it beat naive, else naive); it is chosen on the same backtest, so its score is
optimistic, and where naive is selected its coverage is that of naive's own model intervals (the
package then sets them from these errors instead).

Run: .venv/bin/python benchmarks/forecast_backtest.py [--indicator referrals] [--jobs 2]
"""

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("CSC_CACHE_DIR", tempfile.mkdtemp(prefix="csc-bench-"))

import numpy as np
import pandas as pd

from csc_analysis import forecast, load


def one_la(args):
    code, name, years, values = args
    series = pd.DataFrame({"year": years, "value": values}).dropna().sort_values("year")
    gaps = np.flatnonzero(np.diff(series["year"].to_numpy()) != 1)
    if len(gaps):
        series = series.iloc[gaps[-1] + 1 :]
    y = series["value"].to_numpy(float)
    if len(y) < 8:
        return pd.DataFrame()
    _errors, scores = forecast.backtest(
        y, forecast.ANNUAL_MODELS, horizon=forecast.BACKTEST_STEPS["annual"], min_train=max(4, len(y) - 6)
    )
    scores = scores.assign(la_code=code, la_name=name)
    chosen = forecast.headline_order(scores, "naive")[0]
    best = scores[scores["model"] == chosen].assign(model="selected")
    return pd.concat([scores, best])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicator", default="referrals")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    tidy = load.published()
    reg = load.registry()
    tasks = []
    for la in reg.current():
        rows = tidy[(tidy["la_code"] == la.la_code) & (tidy["indicator"] == args.indicator)]
        tasks.append((la.la_code, la.la_name, rows["year"].to_numpy(), rows["value"].to_numpy()))
    start = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = pd.concat(list(pool.map(one_la, tasks)), ignore_index=True)
    seconds = time.perf_counter() - start
    Path("outputs").mkdir(exist_ok=True)
    results.to_csv(Path("outputs") / "forecast_backtest.csv", index=False)
    summary = results.groupby("model").agg(
        las=("la_code", "nunique"),
        mase_q1=("mase", lambda s: s.quantile(0.25)),
        mase_median=("mase", "median"),
        mase_q3=("mase", lambda s: s.quantile(0.75)),
        coverage80=("coverage80", "mean"),
        coverage95=("coverage95", "mean"),
    )
    print(f"{args.indicator}: {len(tasks)} LAs in {seconds:.0f} s")
    print(summary.round(2).to_string())


if __name__ == "__main__":
    main()
