"""A synthetic caseload snapshot for an LA, consistent with its published workforce figures.

SYNTHETIC: no real person is described. Every worker ID starts `SYN-`, every team name starts
"Synthetic", and the file name says so. Totals follow the LA's published in-post FTE, agency FTE
and cases per case-holding FTE for the chosen year (30 September), so demos look like the LA.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CscError
from ..registry import LA

FILE_NAME = "SYNTHETIC_caseload_snapshot.csv"
FTE_CHOICES = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.5])
ROLES = ["Social Worker", "Social Worker", "Social Worker", "Senior Practitioner", "Advanced Practitioner"]


def _published(published: pd.DataFrame, la: LA, year: int) -> dict:
    rows = published[(published["la_code"] == la.la_code) & (published["year"] == year)]
    values = rows.set_index("indicator")["value"]
    need = ["inpost_fte", "agency_fte", "case_holders_fte", "cases"]
    got = {k: values.get(k, np.nan) for k in need}
    if any(pd.isna(got[k]) or got[k] <= 0 for k in ("inpost_fte", "case_holders_fte", "cases")):
        raise CscError(
            f"{la.la_name} has no usable published workforce figures for {year} "
            "(in-post FTE, case holders and cases are needed); choose another year"
        )
    got["agency_fte"] = 0.0 if pd.isna(got["agency_fte"]) else got["agency_fte"]
    return got


def usable_year(published: pd.DataFrame, la: LA, year: int) -> int:
    """The latest year up to `year` with the published figures a synthetic snapshot needs."""
    for y in range(year, 2016, -1):
        try:
            _published(published, la, y)
            return y
        except CscError:
            continue
    raise CscError(f"{la.la_name} has no published workforce year usable for a synthetic snapshot")


def snapshot(published: pd.DataFrame, la: LA, year: int, seed: int = 0, as_at: str | None = None) -> pd.DataFrame:
    """Synthetic workers (schema of `caseload_snapshot.COLUMNS`) matching the LA's published totals for `year`."""
    figures = _published(published, la, year)
    rng = np.random.default_rng([seed, int(la.la_code)])
    rows = []
    for kind, target in (("permanent", figures["inpost_fte"]), ("agency", figures["agency_fte"])):
        total = 0.0
        while total < target - 0.25:
            fte = float(min(rng.choice(FTE_CHOICES), round(target - total, 1)))
            rows.append({"employment_type": kind, "fte": fte})
            total += fte
    workers = pd.DataFrame(rows)
    n = len(workers)
    permanent = workers["employment_type"] == "permanent"
    workers["asye"] = permanent & (rng.random(n) < 0.12)
    # Case holders: a random set of workers whose FTE adds up to the published case-holding FTE.
    order = rng.permutation(n)
    cum = workers["fte"].to_numpy()[order].cumsum()
    holders = np.zeros(n, dtype=bool)
    holders[order[: int(np.searchsorted(cum, figures["case_holders_fte"]) + 1)]] = True
    weight = workers["fte"].to_numpy() * np.where(workers["asye"], 0.7, 1.0) * rng.gamma(9.0, 1 / 9.0, n)
    weight = np.where(holders, weight, 0.0)
    caseload = np.floor(weight / weight.sum() * figures["cases"])
    short = int(figures["cases"] - caseload.sum())  # hand out the remainder one case at a time
    np.add.at(caseload, rng.choice(np.flatnonzero(holders), size=max(short, 0), replace=True), 1)
    n_teams = int(np.clip(round(n / 14), 3, 24))
    workers["team"] = [f"Synthetic team {i + 1:02d}" for i in rng.integers(0, n_teams, n)]
    workers["role"] = np.where(holders, rng.choice(ROLES, n), "Team Manager")
    workers["caseload"] = caseload.astype(int)
    as_at = pd.Timestamp(as_at or f"{year}-09-30")
    workers["start_date"] = [
        (as_at - pd.Timedelta(days=int(d))).strftime("%d/%m/%Y")
        for d in np.where(workers["asye"], rng.integers(30, 330, n), rng.integers(60, 4000, n))
    ]
    workers["leave_date"] = ""
    workers["asye"] = np.where(workers["asye"], "true", "false")
    workers.insert(0, "worker_id", [f"SYN-W{i + 1:05d}" for i in range(n)])
    return workers[
        ["worker_id", "team", "role", "employment_type", "asye", "fte", "caseload", "start_date", "leave_date"]
    ]


def write_snapshot(frame: pd.DataFrame, out_dir: str | Path) -> Path:
    """Write the synthetic snapshot as CSV; the file name marks it SYNTHETIC."""
    path = Path(out_dir) / FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False)
    except OSError as exc:
        raise CscError(f"{path.parent}: cannot write ({exc.strerror})") from None
    return path
