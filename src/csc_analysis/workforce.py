"""The published social work workforce (30 September each year, 2017 on): stability and pressure."""

import numpy as np
import pandas as pd
from scipy.special import ndtri

from .catalogue import get
from .stats import ols_line

WORKFORCE = [
    "inpost_fte",
    "agency_fte",
    "agency_rate_fte",
    "agency_cover_rate_fte",
    "vacancy_agency_cover_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "starters_fte",
    "leavers_fte",
    "absence_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
]
HEADLINE = [
    "agency_rate_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
    "agency_cover_rate_fte",
    "vacancy_agency_cover_rate_fte",
]
# Staffing volumes (FTE and counts): charted without England, whose totals are on another scale.
VOLUMES = [i for i in WORKFORCE if i not in HEADLINE]
STABILITY = ["agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte"]
PER_WORKER = ["referrals_per_sw_fte", "cin_per_sw_fte", "cpp_per_sw_fte", "cla_per_sw_fte"]


def relationship(tidy: pd.DataFrame, year: int, x: str, y: str, level: float = 0.95) -> dict:
    """How two indicators relate across all LAs in a year: a least-squares line (`stats.ols_line`) with its
    band, and Pearson's r.

    Returns points (la_code, la_name, x, y), fit (x grid with fitted mean and its confidence band),
    and r with a Fisher-z confidence interval, the slope and n. An association, not a cause.
    """
    las = tidy[(tidy["geographic_level"] == "la") & (tidy["year"] == year) & tidy["indicator"].isin([x, y])]
    wide = las.pivot_table(index=["la_code", "la_name"], columns="indicator", values="value").dropna()
    wide = wide.reindex(columns=[x, y]).dropna().reset_index().rename(columns={x: "x", y: "y"})
    out = {
        "points": wide,
        "n": len(wide),
        "r": np.nan,
        "r_lower": np.nan,
        "r_upper": np.nan,
        "slope": np.nan,
        "slope_lower": np.nan,
        "slope_upper": np.nan,
        "p_value": np.nan,
        "fit": pd.DataFrame(),
    }
    if len(wide) < 5:
        return out
    fit = ols_line(wide["x"], wide["y"])
    band = fit.mean_band(np.linspace(wide["x"].min(), wide["x"].max(), 50), level)
    r = float(np.corrcoef(wide["x"], wide["y"])[0, 1])
    z, se = np.arctanh(r), 1 / np.sqrt(len(wide) - 3)
    q = float(ndtri(0.5 + level / 2))  # scipy.stats.norm.ppf's own function, without importing scipy.stats
    lo_s, hi_s = fit.slope_ci(level)
    out.update(
        r=r,
        r_lower=float(np.tanh(z - q * se)),
        r_upper=float(np.tanh(z + q * se)),
        slope=fit.slope,
        slope_lower=float(lo_s),
        slope_upper=float(hi_s),
        p_value=fit.slope_p(),
        fit=band,
    )
    return out


def correlation_sentence(rel: dict, x: str, y: str, year: int) -> str:
    """Pearson's r in words, with its interval and a reminder that it is an association."""
    if rel["n"] < 5:
        return f"Too few LAs have both figures in {year} to estimate a relationship."
    r = rel["r"]
    strength = (
        "no clear"
        if rel["r_lower"] < 0 < rel["r_upper"]
        else ("a weak" if abs(r) < 0.3 else "a moderate" if abs(r) < 0.5 else "a strong")
    )
    sign = "" if strength == "no clear" else (" positive" if r > 0 else " negative")
    return (
        f"Across {rel['n']} LAs in {year}, there is {strength}{sign} association between "
        f"{get(x).label.lower()} and {get(y).label.lower()} (Pearson r = {r:.2f}, 95% CI {rel['r_lower']:.2f} "
        f"to {rel['r_upper']:.2f}). This is an association across LAs, not evidence that one causes the other."
    )


def stability(series: pd.DataFrame) -> pd.DataFrame:
    """Years the LA was above its neighbours' median on agency rate, vacancy rate and turnover.

    `series` is `neighbours.comparison_series` output. Columns: indicator, label, years_with_data,
    years_above, which_years, latest_year, latest_above.
    """
    rows = []
    for ind in STABILITY:
        s = series[(series["indicator"] == ind) & series["value"].notna() & series["sn_median"].notna()]
        above = s[s["value"] > s["sn_median"]]
        last = s.sort_values("year").tail(1)
        rows.append(
            {
                "indicator": ind,
                "label": get(ind).label,
                "years_with_data": len(s),
                "years_above": len(above),
                "which_years": ", ".join(str(y) for y in sorted(above["year"])),
                "latest_year": int(last["year"].iloc[0]) if len(last) else None,
                "latest_above": bool(len(last) and last["value"].iloc[0] > last["sn_median"].iloc[0]),
            }
        )
    return pd.DataFrame(rows)
