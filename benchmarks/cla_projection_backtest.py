"""The children-looked-after projection backtested across every current LA.

Only 2021-2025 are published, so the projection is refitted at the 2023 origin (three years of
flows; forecasting 2024 and 2025) and the 2024 origin (forecasting 2025), and the projected stock
is compared with the published one. Against it: "no change" (the stock stays at its origin value).
Prints the median absolute percentage error of each and the share of outcomes inside the
projection's 80% and 95% intervals.

Run: .venv/bin/python benchmarks/cla_projection_backtest.py
"""

import os
import tempfile
import warnings

os.environ.setdefault("CSC_CACHE_DIR", tempfile.mkdtemp(prefix="csc-bench-"))

import pandas as pd

from csc_analysis import load, projection


def main() -> None:
    warnings.simplefilter("ignore")
    data = load.published()
    rows = []
    for la in load.registry().current():
        hist = projection.history(data, la)
        actual = hist.set_index("year")["stock"]
        for origin in (2023, 2024):
            train = hist[hist["year"] <= origin]
            if not projection.usable(train) or pd.isna(actual.get(origin)):
                continue
            proj = projection.project(train, horizon=2025 - origin).stock
            for r in proj.itertuples():
                truth = actual.get(r.year)
                if pd.isna(truth) or truth == 0:
                    continue
                rows.append(
                    {
                        "la": la.la_name,
                        "origin": origin,
                        "step": r.year - origin,
                        "truth": truth,
                        "projection": r.mean,
                        "no_change": actual[origin],
                        "in80": r.lo80 <= truth <= r.hi80,
                        "in95": r.lo95 <= truth <= r.hi95,
                    }
                )
    out = pd.DataFrame(rows)
    ape = lambda col: (out[col] - out["truth"]).abs() / out["truth"] * 100  # noqa: E731
    print(f"{out['la'].nunique()} LAs, {len(out)} projected stocks (origins 2023 and 2024, 1-2 years ahead)")
    for step, part in out.groupby("step"):
        print(
            f"  {step} year(s) ahead: n={len(part)}, median APE projection "
            f"{ape('projection')[part.index].median():.1f}% vs no change {ape('no_change')[part.index].median():.1f}%; "
            f"80% interval coverage {part['in80'].mean() * 100:.0f}%, 95% {part['in95'].mean() * 100:.0f}%"
        )


if __name__ == "__main__":
    main()
