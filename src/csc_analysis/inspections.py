"""Ofsted ILACS judgements: an LA's latest, its neighbours', and how grades relate to other indicators.

A grade reflects an inspection on one date; the indicators are published for a year. Any
relation found across LAs is an association, not a cause, and the sentences say so.
"""

import numpy as np
import pandas as pd
from scipy import stats

from .errors import CscError
from .registry import LA, Registry
from .workbooks import GRADE_SHORT, JUDGEMENTS, SUB_JUDGEMENTS

GRADE_ORDER = [GRADE_SHORT[g] for g in JUDGEMENTS]  # Outstanding first


def attach_codes(judgements: pd.DataFrame, registry: Registry, strict: bool = True) -> pd.DataFrame:
    """Add each row's DfE `la_code` and region, matching the ONS code and then the name (ONS codes change).

    Grades become their short names (`Requires improvement` for "Requires improvement to be good").

    With `strict`, an LA that cannot be matched is an error naming it; otherwise (history,
    which lists abolished LAs) its code is left empty.
    """
    codes: list[str | None] = []
    for ons, name in zip(judgements["ons_code"], judgements["la_name"]):
        try:
            codes.append(registry.resolve(ons).la_code)
            continue
        except CscError:
            pass
        try:
            codes.append(registry.resolve(name).la_code)
        except CscError:
            if strict:
                raise CscError(f"Ofsted outcomes: LA {name!r} ({ons}) matches no LA in the published data") from None
            codes.append(None)
    out = judgements.copy()
    out.insert(0, "la_code", codes)
    out["region_name"] = [registry.resolve(c).region_name if c else None for c in codes]
    for col in SUB_JUDGEMENTS:
        out[col] = out[col].map(GRADE_SHORT)
    return out


def neighbour_judgements(latest: pd.DataFrame, la: LA, sn: pd.DataFrame) -> pd.DataFrame:
    """The LA's latest judgements and its neighbours', closest neighbour first.

    Columns: role (`LA` or `Neighbour n`), la_name, inspection_date, overall and the four sub-judgements.
    """
    order = [(la.la_code, "LA")] + [(c, f"Neighbour {p}") for c, p in zip(sn["la_code"], sn["position"])]
    rows = []
    for code, role in order:
        hit = latest[latest["la_code"] == code]
        rec = {"role": role, "la_code": code}
        rec.update(hit.iloc[0].to_dict() if len(hit) else {"la_name": None})
        rows.append(rec)
    out = pd.DataFrame(rows)
    names = dict(zip(sn["la_code"], sn["la_name"]))
    out["la_name"] = out["la_name"].fillna(out["la_code"].map(names | {la.la_code: la.la_name}))
    return out[["role", "la_name", "inspection_date"] + list(SUB_JUDGEMENTS)]


def grade_counts(latest: pd.DataFrame, la: LA, sn_codes: list[str]) -> pd.DataFrame:
    """How many LAs hold each overall grade: neighbours, the LA's region and England.

    Columns: grade, neighbours, region, england.
    """
    out = pd.DataFrame({"grade": GRADE_ORDER})
    for col, mask in (("neighbours", latest["la_code"].isin(sn_codes)),
                      ("region", latest["region_name"] == la.region_name),
                      ("england", pd.Series(True, index=latest.index))):
        out[col] = out["grade"].map(latest.loc[mask, "overall"].value_counts()).fillna(0).astype(int)
    return out


def with_indicators(latest: pd.DataFrame, tidy: pd.DataFrame, indicators: list[str], year: int) -> pd.DataFrame:
    """Each LA's overall grade beside its indicator values for `year`: one row per LA and indicator.

    Columns: la_code, la_name, overall, grade_rank (1 = Outstanding ... 4 = Inadequate),
    inspection_date, indicator, value. LAs without a value are left out.
    """
    vals = tidy[(tidy["geographic_level"] == "la") & (tidy["year"] == year) & tidy["indicator"].isin(indicators)
                & tidy["value"].notna()][["la_code", "indicator", "value"]]
    out = latest[["la_code", "la_name", "overall", "inspection_date"]].merge(vals, on="la_code")
    out["grade_rank"] = out["overall"].map({g: i + 1 for i, g in enumerate(GRADE_ORDER)})
    return out


def association(joined: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: the median value at each overall grade and Spearman's rank correlation with the grade.

    rho > 0 means higher values go with worse grades. Columns: indicator, n, median_<grade>
    for each grade, rho, p_value.
    """
    rows = []
    for ind, part in joined.groupby("indicator", sort=False):
        rec = {"indicator": ind, "n": len(part)}
        med = part.groupby("overall")["value"].median()
        for g in GRADE_ORDER:
            rec[f"median_{g.lower().replace(' ', '_')}"] = med.get(g, np.nan)
        if len(part) >= 10 and part["grade_rank"].nunique() > 1:
            res = stats.spearmanr(part["grade_rank"], part["value"])
            rec["rho"], rec["p_value"] = float(res.statistic), float(res.pvalue)
        else:
            rec["rho"], rec["p_value"] = np.nan, np.nan
        rows.append(rec)
    return pd.DataFrame(rows)


def p_text(p: float) -> str:
    """'p < 0.001' or 'p = 0.043'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def association_table(assoc: pd.DataFrame) -> pd.DataFrame:
    """The association table for reading: indicator labels, grade medians, rho and p in words."""
    from .catalogue import get

    out = assoc.rename(columns={"n": "LAs", "rho": "Spearman's rho"})
    out["indicator"] = out["indicator"].map(lambda i: get(i).label)
    out = out.rename(columns={"indicator": "Indicator"} | {f"median_{g.lower().replace(' ', '_')}": f"Median: {g}"
                                                          for g in GRADE_ORDER})
    out["p"] = out.pop("p_value").map(lambda p: "n/a" if pd.isna(p) else p_text(p))
    return out


def association_sentence(row: pd.Series, label: str, year: int) -> str:
    """One sentence on an association, worded as an association and never as a cause."""
    if pd.isna(row["rho"]):
        return f"Too few LAs have both a grade and {label.lower()} in {year} to say anything."
    strength = "no clear" if row["p_value"] >= 0.05 else ("a weak" if abs(row["rho"]) < 0.3 else "a moderate"
                                                             if abs(row["rho"]) < 0.5 else "a strong")
    direction = "" if row["p_value"] >= 0.05 else (" (higher values go with worse grades)" if row["rho"] > 0
                                                   else " (higher values go with better grades)")
    return (f"Across {int(row['n'])} LAs, {label[0].lower() + label[1:]} in {year} shows {strength} association with the "
            f"latest overall Ofsted grade{direction}: Spearman's rho {row['rho']:.2f}, {p_text(row['p_value'])}. "
            "This is an association across LAs, not evidence that one causes the other; inspections took place "
            "in different years.")
