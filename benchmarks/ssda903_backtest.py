"""The SSDA903 placement model backtested on synthetic LAs, beside "no change" and the published-flows projection.

For each of N synthetic LAs (current LAs with 100-1,000 children looked after and every 2021-2025
figure published; SYNTHETIC returns 2021-2025 made by csc_analysis.synth.ssda903) and each origin
31 March 2022, 2023 and 2024, three projections of the children looked after at 31 March one and two
years later, by placement category and in total, are compared with what the synthetic returns say:

- markov: csc_analysis.cla_model fitted on up to 3 years of returns before the origin;
- no_change: the origin's numbers in each category;
- flows: csc_analysis.projection (published stock, starts and ceased up to the origin), its total split
  by the origin's placement mix.

Prints, per method and horizon, the mean absolute error (children) by category and in total, the
median absolute percentage error of the total, and 80%/95% interval coverage; writes the summary to
src/csc_analysis/cla_model_backtest.csv (read by notebook 07). The synthetic LAs reproduce published
totals exactly but their placement moves are ILLUSTRATIVE, so the by-category figures test the model
against a plausible process, not against real LAs.

Run: nice -n 10 .venv/bin/python benchmarks/ssda903_backtest.py [N]
"""

import os
import sys
import tempfile
import time
import warnings

os.environ.setdefault("CSC_CACHE_DIR", tempfile.mkdtemp(prefix="csc-bench-"))

import numpy as np
import pandas as pd

from csc_analysis import cla_model, load, projection, ssda903
from csc_analysis.paths import PACKAGE_DIR
from csc_analysis.synth import ssda903 as synth

OUT = PACKAGE_DIR / "cla_model_backtest.csv"
YEARS = [2021, 2022, 2023, 2024, 2025]
CATS = ssda903.CATEGORIES + ["all"]


def candidates(data: pd.DataFrame, n: int) -> list:
    """Every k-th current LA by size among those with 100-1,000 children and all five years published."""
    las = []
    for la in load.registry().current():
        hist = projection.history(data, la).dropna(subset=["stock", "starts", "ceased"])
        if hist["year"].tolist() == YEARS and 100 <= hist["stock"].iloc[-1] <= 1000:
            las.append((hist["stock"].iloc[-1], la))
    las.sort(key=lambda x: x[0])
    step = max(len(las) // n, 1)
    return [la for _, la in las[::step][:n]]


def by_category(stock: np.ndarray) -> np.ndarray:
    """[..., band, cat] -> [..., cat + total]."""
    cats = stock.sum(axis=-2)
    return np.concatenate([cats, cats.sum(axis=-1, keepdims=True)], axis=-1)


def one_la(data: pd.DataFrame, la, folder: str) -> list[dict]:
    synth.write(synth.generate(data, la, 2025, 5, seed=1), folder, la)
    returns = ssda903.read(folder)
    truth = by_category(cla_model.actual_stock(returns.episodes, YEARS))  # [year, cat+1]
    hist = projection.history(data, la)
    rows = []
    for origin in (2022, 2023, 2024):
        horizon = min(2, 2025 - origin)
        ref = min(3, origin - 2020)
        model = cla_model.project(returns, ref, horizon, sims=500, seed=0, origin_year=origin).baseline
        paths = by_category(model.stock)  # [sims, h, cat+1]
        base = truth[YEARS.index(origin)]
        mix = base[:-1] / base[-1]
        flows = projection.project(hist[hist["year"] <= origin], horizon).stock
        for h in range(horizon):
            actual = truth[YEARS.index(origin + h + 1)]
            f = flows.iloc[h]
            for c, cat in enumerate(CATS):
                share = 1.0 if cat == "all" else mix[c]
                p = paths[:, h, c]
                common = {"la": la.la_name, "origin": origin, "step": h + 1, "category": cat, "actual": actual[c]}
                rows.append(
                    {
                        **common,
                        "method": "markov",
                        "projection": p.mean(),
                        "in80": np.percentile(p, 10) <= actual[c] <= np.percentile(p, 90),
                        "in95": np.percentile(p, 2.5) <= actual[c] <= np.percentile(p, 97.5),
                    }
                )
                rows.append({**common, "method": "no_change", "projection": base[c], "in80": np.nan, "in95": np.nan})
                rows.append(
                    {
                        **common,
                        "method": "flows",
                        "projection": f["mean"] * share,
                        "in80": f["lo80"] * share <= actual[c] <= f["hi80"] * share,
                        "in95": f["lo95"] * share <= actual[c] <= f["hi95"] * share,
                    }
                )
    return rows


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    results = results.assign(
        abs_error=(results["projection"] - results["actual"]).abs(),
        ape=(results["projection"] - results["actual"]).abs() / results["actual"].where(results["actual"] > 0) * 100,
    )
    summary = (
        results.groupby(["step", "category", "method"])
        .agg(
            cases=("abs_error", "size"),
            mae=("abs_error", "mean"),
            median_ape=("ape", "median"),
            cover80=("in80", lambda s: s.dropna().astype(float).mean() * 100 if s.notna().any() else np.nan),
            cover95=("in95", lambda s: s.dropna().astype(float).mean() * 100 if s.notna().any() else np.nan),
        )
        .reset_index()
    )
    best = summary.loc[summary.groupby(["step", "category"])["mae"].idxmin(), ["step", "category", "method"]]
    summary["best"] = summary.set_index(["step", "category", "method"]).index.isin(
        best.set_index(["step", "category", "method"]).index
    )
    return summary


def main() -> None:
    warnings.simplefilter("ignore")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    data = load.published()
    rows, start = [], time.time()
    for i, la in enumerate(candidates(data, n)):
        with tempfile.TemporaryDirectory() as folder:
            rows += one_la(data, la, folder)
        print(f"{i + 1}/{n} {la.la_name} ({time.time() - start:.0f}s)", file=sys.stderr)
    results = pd.DataFrame(rows)
    summary = summarise(results)
    summary.round(2).to_csv(OUT, index=False)
    print(f"{results['la'].nunique()} synthetic LAs, origins 2022-2024\n")
    for step in (1, 2):
        table = summary[summary["step"] == step].pivot(index="category", columns="method", values="mae").reindex(CATS)
        print(f"Mean absolute error (children), {step} year(s) ahead\n{table.round(1).to_string()}\n")
    total = summary[summary["category"] == "all"][
        ["step", "method", "cases", "mae", "median_ape", "cover80", "cover95"]
    ]
    print(total.round(1).to_string(index=False))


if __name__ == "__main__":
    main()
