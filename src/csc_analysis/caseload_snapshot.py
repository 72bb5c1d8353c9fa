"""Local caseload snapshots: one row per social worker, aggregated for teams, never shown by person.

Schema (CSV or xlsx; headings matched without case or punctuation):

| column | meaning |
|---|---|
| worker_id | the LA's own worker reference (never shown in any output) |
| team | team name |
| role | job title, e.g. Social Worker, Senior Practitioner, Team Manager |
| employment_type | `permanent` or `agency` |
| asye | `true` if in the Assessed and Supported Year in Employment (first year in practice) |
| fte | full-time equivalent, above 0 and at most 1.5 |
| caseload | number of cases (children) held, a whole number from 0 to 200 |
| start_date | date started in this post (dd/mm/yyyy, yyyy-mm-dd or an Excel date) |
| leave_date | date left, blank if still in post |
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CscError, at_least
from .localdata import (
    RowReport,
    file_date_order,
    iso_day,
    match_columns,
    parse_bool,
    parse_dates,
    read_table,
)
from .privacy import DEFAULT_THRESHOLD, suppress

COLUMNS = {
    "worker_id": ["worker id", "staff id", "employee id", "id"],
    "team": ["team name", "allocated team"],
    "role": ["job title", "post"],
    "employment_type": ["employment type", "contract type", "agency or permanent"],
    "asye": ["asye", "nqsw", "in asye"],
    "fte": ["full time equivalent", "fte"],
    "caseload": ["cases", "number of cases", "caseload"],
    "start_date": ["start date", "date started"],
    "leave_date": ["leave date", "end date", "date left"],
}
REQUIRED = ["worker_id", "team", "employment_type", "asye", "fte", "caseload"]
THRESHOLDS = {"asye": 18, "other": 25}  # cases above which a worker's caseload is flagged
MAX_CASELOAD = 200  # above this a cell is taken to be a typing error, not a caseload


@dataclass
class Snapshot:
    """A validated caseload snapshot and the report of rows that could not be used."""

    workers: pd.DataFrame
    report: RowReport


def read_snapshot(path, as_at: str | pd.Timestamp | None = None) -> Snapshot:
    """Read and validate a caseload snapshot; unusable rows are reported (line and reason), not used.

    Workers with a leave date on or before `as_at` (default: today) are not in post and are
    left out of caseload figures, which is not a problem with the row.
    """
    raw = match_columns(read_table(path), COLUMNS, REQUIRED, path)
    report = RowReport(str(getattr(path, "name", path)), len(raw))
    ids = raw["worker_id"].str.strip()
    report.add(ids == "", "worker_id", "missing worker ID")
    report.add(ids.duplicated(keep=False) & (ids != ""), "worker_id", "duplicate worker ID")
    kind = raw["employment_type"].str.strip().str.lower()
    report.add(~kind.isin(["permanent", "agency"]), "employment_type", "not permanent or agency")
    asye, bad_asye = parse_bool(raw["asye"])
    report.add(bad_asye, "asye", "not true or false")
    fte = pd.to_numeric(raw["fte"].str.strip(), errors="coerce")
    report.add(~fte.between(0, 1.5, inclusive="right"), "fte", "FTE not a number above 0 and at most 1.5")
    caseload = pd.to_numeric(raw["caseload"].str.strip(), errors="coerce")
    plausible = caseload.between(0, MAX_CASELOAD) & (caseload == caseload.round())
    report.add(~plausible, "caseload", f"caseload not a whole number from 0 to {MAX_CASELOAD}")
    dates = {}
    order = file_date_order(
        {f"{Path(path).name}, column {col}: ": raw[col] for col in ("start_date", "leave_date") if col in raw}
    )
    for col in ("start_date", "leave_date"):
        if col in raw:
            dates[col], bad = parse_dates(raw[col], f"{Path(path).name}, column {col}: ", order)
            report.add(bad, col, "not a date")
        else:
            dates[col] = pd.Series(pd.NaT, index=raw.index)
    workers = pd.DataFrame(
        {
            "worker_id": ids,
            "team": raw["team"].str.strip(),
            "role": raw.get("role", pd.Series("", index=raw.index)),
            "employment_type": kind,
            "asye": asye,
            "fte": fte,
            "caseload": caseload,
            **dates,
        }
    )
    bad_lines = {line - 2 for line, _, _ in report.problems}
    workers = workers.drop(index=list(bad_lines))
    as_at = iso_day(as_at, "snapshot_date") if as_at is not None else pd.Timestamp.today().normalize()
    in_post = workers["leave_date"].isna() | (workers["leave_date"] > as_at)
    return Snapshot(workers[in_post].reset_index(drop=True).astype({"asye": bool}), report)


def over_threshold(
    workers: pd.DataFrame, asye_limit: int = THRESHOLDS["asye"], other_limit: int = THRESHOLDS["other"]
) -> pd.Series:
    """True for workers whose caseload is above the limit for their stage (ASYE or not)."""
    at_least(asye_limit, 1, "asye_limit", "case")
    at_least(other_limit, 1, "other_limit", "case")
    return workers["caseload"] > np.where(workers["asye"], asye_limit, other_limit)


def caseload_per_fte(workers: pd.DataFrame) -> float:
    """The DfE measure: cases held / FTE of case-holding workers (those holding one case or more)."""
    holders = workers[workers["caseload"] > 0]
    return float(holders["caseload"].sum() / holders["fte"].sum()) if len(holders) else float("nan")


def team_summary(
    workers: pd.DataFrame,
    asye_limit: int = THRESHOLDS["asye"],
    other_limit: int = THRESHOLDS["other"],
    threshold: int = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Per team and in total: workers (agency and permanent), FTE, agency share, cases, caseload per FTE,
    workers over the limit.

    Teams with fewer than `threshold` workers are merged into "Smaller teams (combined)". Every figure
    goes through `privacy.suppress`: a count of fewer than `threshold` people is hidden, and so is every
    figure about them (a small combined row shows no FTE or caseload; an agency share is hidden where
    the agency or permanent workers are few), with secondary suppression so that nothing hidden can be
    worked out from the totals.
    """
    frame = workers.assign(
        over=over_threshold(workers, asye_limit, other_limit), agency=workers["employment_type"] == "agency"
    )
    sizes = frame.groupby("team")["worker_id"].transform("count")
    frame["team"] = frame["team"].where(sizes >= threshold, "Smaller teams (combined)")

    def summarise(g: pd.DataFrame) -> dict:
        holders = g[g["caseload"] > 0]
        return {
            "workers": len(g),
            "agency_workers": int(g["agency"].sum()),
            "permanent_workers": int((~g["agency"]).sum()),
            "fte": round(g["fte"].sum(), 1),
            "agency_pct": round(g.loc[g["agency"], "fte"].sum() / g["fte"].sum() * 100, 1),
            "cases": int(g["caseload"].sum()),
            "caseload_per_fte": round(holders["caseload"].sum() / holders["fte"].sum(), 1) if len(holders) else np.nan,
            "median_caseload": float(holders["caseload"].median()) if len(holders) else np.nan,
            "workers_over_limit": int(g["over"].sum()),
        }

    rows = [{"team": team, **summarise(g)} for team, g in frame.groupby("team")]
    rows.append({"team": "All teams", **summarise(frame)})
    about_workers = [
        "fte",
        "cases",
        "caseload_per_fte",
        "median_caseload",
        "workers_over_limit",
        "agency_workers",
        "permanent_workers",
    ]
    return suppress(
        pd.DataFrame(rows),
        ["workers", "agency_workers", "permanent_workers", "workers_over_limit"],
        threshold,
        total_label="All teams",
        label_column="team",
        describes={
            **{c: ["workers"] for c in about_workers},
            "agency_pct": ["workers", "agency_workers", "permanent_workers"],
        },
        row_totals={"workers": ["agency_workers", "permanent_workers"]},
    )


def caseload_distribution(
    workers: pd.DataFrame, band_width: int = 5, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Case-holding workers by caseload band (0-4, 5-9, ...), counts suppressed below the threshold."""
    holders = workers[workers["caseload"] > 0]
    top = int(holders["caseload"].max() // band_width + 1) * band_width if len(holders) else band_width
    bins = list(range(0, top + band_width, band_width))
    labels = [f"{b}-{b + band_width - 1}" for b in bins[:-1]]
    bands = pd.cut(holders["caseload"], bins=bins, right=False, labels=labels)
    counts = bands.value_counts().reindex(labels, fill_value=0).rename("workers").reset_index()
    counts.columns = ["caseload_band", "workers"]
    total = pd.DataFrame({"caseload_band": ["All"], "workers": [int(counts["workers"].sum())]})
    return suppress(
        pd.concat([counts, total], ignore_index=True),
        ["workers"],
        threshold,
        total_label="All",
        label_column="caseload_band",
    )


def agency_premium(
    agency_fte: float, agency_day_rate: float, permanent_salary: float, on_cost_pct: float, days_per_year: float = 220
) -> dict:
    """Annual extra cost of agency over permanent staff for the given agency FTE (negative: agency is cheaper).

    Agency cost per FTE = day rate x working days; permanent cost per FTE = salary x (1 + on-costs). Rates,
    salary and days below what makes sense (a negative day rate, no working days) are one-line errors.
    """
    at_least(agency_day_rate, 1, "agency_day_rate (£ a day)")
    at_least(permanent_salary, 1, "permanent_salary (£ a year)")
    at_least(on_cost_pct, 0, "on_cost_pct")
    at_least(days_per_year, 1, "days_per_year", "day")
    if days_per_year > 366:
        raise CscError(f"days_per_year {days_per_year:g} must be at most 366 days")
    agency = agency_day_rate * days_per_year
    permanent = permanent_salary * (1 + on_cost_pct / 100)
    return {
        "agency_cost_per_fte": agency,
        "permanent_cost_per_fte": permanent,
        "premium_per_fte": agency - permanent,
        "annual_premium": (agency - permanent) * agency_fte,
    }


def conversion_scenarios(
    agency_fte: float,
    agency_day_rate: float,
    permanent_salary: float,
    on_cost_pct: float,
    days_per_year: float = 220,
    steps: int = 5,
) -> pd.DataFrame:
    """Savings from converting 0..N agency posts to permanent (N = agency FTE, in even steps)."""
    per = agency_premium(1, agency_day_rate, permanent_salary, on_cost_pct, days_per_year)["premium_per_fte"]
    posts = np.unique(np.round(np.linspace(0, agency_fte, steps + 1)))
    return pd.DataFrame(
        {
            "posts_converted": posts,
            "agency_fte_left": np.maximum(agency_fte - posts, 0),
            # + 0.0 turns -0.0 (no posts converted while agency is cheaper) into 0, never shown as "-0"
            "annual_saving": posts * per + 0.0,
            "annual_premium_left": np.maximum(agency_fte - posts, 0) * per + 0.0,
        }
    )
