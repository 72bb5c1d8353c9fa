"""Synthetic Ofsted Annex A lists for an LA: realistic volumes and seasonality, no real child.

SYNTHETIC: every file name starts `SYNTHETIC_`, every child ID starts `SYN-C`, and a README in the
folder says so. For each reporting year (April to March) the number of referrals, section 47
enquiries, child protection plans starting and children starting to be looked after equals the LA's
published figure for that year; months follow the school-year pattern committees describe (peaks
after terms start in September and January, dips in August and December).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CscError
from ..registry import LA

# Relative volume by calendar month (Jan..Dec): dips in August and December, peaks after term starts.
MONTH_WEIGHTS = np.array([1.08, 1.02, 1.05, 0.95, 1.03, 1.05, 1.02, 0.72, 1.10, 1.12, 1.10, 0.80])
CONTACTS_PER_REFERRAL = 5.2  # Oldham July 2024: 2,202 contacts, 428 (19%) became referrals
LISTS = {  # list: (file stem, date heading, published indicator giving the annual total, multiplier)
    "contacts": ("List_1_contacts", "Date of Contact", "referrals", CONTACTS_PER_REFERRAL),
    "referrals": ("List_3_referrals", "Date of referral", "referrals", 1.0),
    "assessments": ("List_4_assessments", "Continuous Assessment Start Date", "referrals", 0.9),
    "s47": ("List_5_section_47", "Strategy discussion initiating Section 47 Enquiry Start Date", "s47", 1.0),
    "cp": ("List_7_child_protection", "Child Protection Plan Start Date", "cpp_starts", 1.0),
    "cla": ("List_8_children_looked_after", "Date Started to be Looked After", "cla_starts", 1.0),
}
ETHNICITY = ["WBRI", "WOTH", "MIXD", "AIND", "APKN", "ABAN", "BAFR", "BCRB", "OOTH", "REFU"]


def annual_totals(published: pd.DataFrame, la: LA, indicator: str, years: list[int]) -> dict[int, int]:
    """Published totals per reporting year; a year without one borrows the nearest published year.

    With no published figure at all (Isles of Scilly has no children starting care), the synthetic
    list is empty rather than invented; referrals are required, since every list is sized from them.
    """
    rows = published[(published["la_code"] == la.la_code) & (published["indicator"] == indicator)
                     & published["value"].notna()].set_index("year")["value"]
    if rows.empty:
        if indicator == "referrals":
            raise CscError(f"{la.la_name} has no published referrals to base synthetic lists on")
        return {y: 0 for y in years}
    return {y: int(rows.get(y, rows.iloc[np.argmin(np.abs(rows.index - y))])) for y in years}


def _dates(rng, total: int, year: int) -> np.ndarray:
    """`total` dates in the reporting year to 31 March `year`, spread by MONTH_WEIGHTS (weekdays mostly)."""
    months = pd.period_range(f"{year - 1}-04", f"{year}-03", freq="M")
    weights = MONTH_WEIGHTS[[m.month - 1 for m in months]]
    per_month = rng.multinomial(total, weights / weights.sum())
    out = []
    for month, n in zip(months, per_month):
        days = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        p = np.where(days.day_of_week < 5, 1.0, 0.15)
        out.append(rng.choice(days.to_numpy(), size=n, p=p / p.sum()))
    return np.sort(np.concatenate(out))


def generate(published: pd.DataFrame, la: LA, end_year: int = 2025, years: int = 3, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Synthetic Annex A lists for the `years` reporting years ending 31 March `end_year`."""
    rng = np.random.default_rng([seed, int(la.la_code)])
    span = list(range(end_year - years + 1, end_year + 1))
    pool = int(max(annual_totals(published, la, "referrals", span).values()) * CONTACTS_PER_REFERRAL) + 1
    children = pd.DataFrame({"Child Unique ID": [f"SYN-C{i:07d}" for i in range(1, pool + 1)],
                             "Gender": rng.choice(["a) Male", "b) Female"], pool),
                             "Ethnicity": rng.choice(ETHNICITY, pool, p=[.6, .06, .08, .03, .05, .02, .06, .03, .04, .03])})
    out = {}
    for name, (_, heading, indicator, mult) in LISTS.items():
        totals = annual_totals(published, la, indicator, span)
        frames = []
        for year, total in totals.items():
            dates = pd.to_datetime(_dates(rng, int(round(total * mult)), year))
            # Distinct children within a year; across years some return, as re-referrals do.
            who = rng.choice(pool, len(dates), replace=False)
            rows = children.iloc[who].reset_index(drop=True)
            age = rng.integers(0, 18, len(dates))
            dob = dates - pd.to_timedelta(age * 365 + rng.integers(0, 365, len(dates)), unit="D")
            rows.insert(3, "Date of Birth", dob.strftime("%d/%m/%Y"))
            rows.insert(4, "Age of Child (Years)", age)
            rows[heading] = dates.strftime("%d/%m/%Y")
            frames.append(rows)
        out[name] = pd.concat(frames, ignore_index=True)
    return out


def write(lists: dict[str, pd.DataFrame], out_dir: str | Path, la: LA) -> list[Path]:
    """Write the lists as CSV files named SYNTHETIC_..., with a README saying what they are."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, frame in lists.items():
            path = out_dir / f"SYNTHETIC_Annex_A_{LISTS[name][0]}.csv"
            frame.to_csv(path, index=False)
            paths.append(path)
        (out_dir / "README_SYNTHETIC.txt").write_text(
            f"SYNTHETIC DATA generated by csc-analysis for demonstrations and tests.\n"
            f"Volumes follow {la.la_name}'s published figures; no row describes a real child.\n")
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write ({exc.strerror})") from None
    return paths
