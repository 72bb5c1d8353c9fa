"""Ofsted ILACS judgements: an LA's latest, its neighbours', and how grades relate to other indicators.

A grade reflects an inspection on one date; the indicators are published for a year. Any
relation found across LAs is an association, not a cause, and the sentences say so.
"""

import numpy as np
import pandas as pd

from .errors import CscError
from .ofsted_outcomes import GRADE_SHORT, JUDGEMENTS, SUB_JUDGEMENTS
from .registry import LA, Registry
from .stats import spearman

GRADE_ORDER = [GRADE_SHORT[g] for g in JUDGEMENTS]  # Outstanding first
# Names Ofsted has used for an LA that the published data spells otherwise (the 2024 workbook has no ONS codes).
OFSTED_NAMES = {"Durham": "County Durham"}


def attach_codes(judgements: pd.DataFrame, registry: Registry, strict: bool = True) -> pd.DataFrame:
    """Add each row's DfE `la_code` and region, matching the ONS code and then the name (ONS codes change).

    Grades become their short names (`Requires improvement` for "Requires improvement to be good").
    Works on any frame with ons_code (may be empty) and la_name, such as the visits.

    With `strict`, an LA that cannot be matched is an error naming it; otherwise (history,
    which lists abolished LAs) its code is left empty.
    """
    codes: list[str | None] = []
    for ons, name in zip(judgements["ons_code"], judgements["la_name"]):
        # No code (the 2024 workbook has none): straight to the name; looking up a blank would fail only after
        # ranking every LA name by similarity for the error message.
        if not pd.isna(ons) and str(ons).strip():
            try:
                codes.append(registry.resolve(ons).la_code)
                continue
            except CscError:
                pass
        try:
            codes.append(registry.resolve(OFSTED_NAMES.get(name, name)).la_code)
        except CscError:
            if strict:
                raise CscError(f"Ofsted outcomes: LA {name!r} ({ons}) matches no LA in the published data") from None
            codes.append(None)
    out = judgements.copy()
    out.insert(0, "la_code", codes)
    out["region_name"] = [registry.resolve(c).region_name if c else None for c in codes]
    for col in SUB_JUDGEMENTS:
        if col in out:
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
    for col, mask in (
        ("neighbours", latest["la_code"].isin(sn_codes)),
        ("region", latest["region_name"] == la.region_name),
        ("england", pd.Series(True, index=latest.index)),
    ):
        out[col] = out["grade"].map(latest.loc[mask, "overall"].value_counts()).fillna(0).astype(int)
    return out


def with_indicators(latest: pd.DataFrame, tidy: pd.DataFrame, indicators: list[str], year: int) -> pd.DataFrame:
    """Each LA's overall grade beside its indicator values for `year`: one row per LA and indicator.

    Columns: la_code, la_name, overall, grade_rank (1 = Outstanding ... 4 = Inadequate),
    inspection_date, indicator, value. LAs without a value are left out.
    """
    vals = tidy[
        (tidy["geographic_level"] == "la")
        & (tidy["year"] == year)
        & tidy["indicator"].isin(indicators)
        & tidy["value"].notna()
    ][["la_code", "indicator", "value"]]
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
            rec["rho"], rec["p_value"] = spearman(part["grade_rank"], part["value"])
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
    out = out.rename(
        columns={"indicator": "Indicator"}
        | {f"median_{g.lower().replace(' ', '_')}": f"Median: {g}" for g in GRADE_ORDER}
    )
    out["p"] = out.pop("p_value").map(lambda p: "n/a" if pd.isna(p) else p_text(p))
    return out


def association_sentence(row: pd.Series, label: str, year: int) -> str:
    """One sentence on an association, worded as an association and never as a cause."""
    if pd.isna(row["rho"]):
        return f"Too few LAs have both a grade and {label.lower()} in {year} to say anything."
    strength = (
        "no clear"
        if row["p_value"] >= 0.05
        else ("a weak" if abs(row["rho"]) < 0.3 else "a moderate" if abs(row["rho"]) < 0.5 else "a strong")
    )
    direction = (
        ""
        if row["p_value"] >= 0.05
        else (" (higher values go with worse grades)" if row["rho"] > 0 else " (higher values go with better grades)")
    )
    return (
        f"Across {int(row['n'])} LAs, {label[0].lower() + label[1:]} in {year} shows {strength} association with the "
        f"latest overall Ofsted grade{direction}: Spearman's rho {row['rho']:.2f}, {p_text(row['p_value'])}. "
        "This is an association across LAs, not evidence that one causes the other; inspections took place "
        "in different years."
    )


# --- History: judgements at each 31 March, visits since the last inspection, peers ----------------

AREA_LABELS = {
    "overall": "Overall effectiveness",
    "leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
}
VISITS_UNGRADED = (
    "Monitoring and focused visits are not graded: Ofsted publishes a letter of findings, "
    "and the judgements stand until the next inspection."
)


def _rank(grade: object) -> float:
    """1 (Outstanding) to 4 (Inadequate); NaN for no grade."""
    return float(GRADE_ORDER.index(grade) + 1) if grade in GRADE_ORDER else np.nan


def change_word(before: object, after: object, same_inspection: bool) -> str:
    """How one grade moved between two snapshots: improved, declined, unchanged, first graded, ..."""
    if same_inspection:
        return "same inspection"
    if pd.isna(after):
        return "not graded"
    if pd.isna(before):
        return "first graded"
    step = _rank(after) - _rank(before)
    return "improved" if step < 0 else "declined" if step > 0 else "unchanged (re-inspected)"


def judgement_changes(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Each LA's overall judgement at the first and last snapshot (`as_at`) and how it changed.

    `snapshots` is `load.ofsted_snapshots` with codes attached. Columns: la_code, la_name,
    inspected_before, before, inspected_after, after, change. LAs in only one snapshot are left out.
    """
    first, last = snapshots["as_at"].min(), snapshots["as_at"].max()
    cols = ["la_code", "inspection_date", "overall"]
    both = snapshots.loc[snapshots["as_at"] == first, cols].merge(
        snapshots.loc[snapshots["as_at"] == last, cols + ["la_name"]], on="la_code", suffixes=("_b", "_a")
    )
    same = both["inspection_date_b"].eq(both["inspection_date_a"])
    return pd.DataFrame(
        {
            "la_code": both["la_code"],
            "la_name": both["la_name"],
            "inspected_before": both["inspection_date_b"],
            "before": both["overall_b"],
            "inspected_after": both["inspection_date_a"],
            "after": both["overall_a"],
            "change": [change_word(b, a, s) for b, a, s in zip(both["overall_b"], both["overall_a"], same)],
        }
    )


def judgement_history(snapshots: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's judgements at each 31 March snapshot side by side, and how each changed.

    Columns: judgement, one column per snapshot ("31 March 2024", ...), change (between the first
    and last). The first row is the inspection date the judgements come from.
    """
    own = snapshots[snapshots["la_code"] == la.la_code].sort_values("as_at")
    if own.empty:
        raise CscError(f"Ofsted outcomes: {la.la_name} ({la.la_code}) is in no judgement snapshot")
    heads = [f"{d.day} {d:%B %Y}" for d in own["as_at"]]
    dates = ["not yet inspected" if pd.isna(d) else f"{d.day} {d:%B %Y}" for d in own["inspection_date"]]
    first, last = own.iloc[0], own.iloc[-1]
    same = first["inspection_date"] == last["inspection_date"]
    rows = [
        dict(
            zip(
                ["judgement", *heads, "change"],
                [
                    "Inspected",
                    *dates,
                    "same inspection"
                    if same
                    else "re-inspected"
                    if pd.notna(first["inspection_date"])
                    else "first inspected",
                ],
            )
        )
    ]
    for col, label in AREA_LABELS.items():
        rows.append(
            dict(zip(["judgement", *heads, "change"], [label, *own[col], change_word(first[col], last[col], same)]))
        )
    return pd.DataFrame(rows)


def history_sentence(history: pd.DataFrame, la_name: str) -> str:
    """One sentence on how the LA's overall judgement moved between the first and last snapshot."""
    from . import safe

    name, heads = safe.md(la_name), list(history.columns[1:-1])
    dates, overall = history.iloc[0], history.iloc[1]
    first, last = heads[0], heads[-1]
    if pd.isna(overall[last]):
        return f"{name} had not yet been inspected under ILACS at {last}."
    if pd.isna(overall[first]):
        return (
            f"{name} had not yet been inspected at {first}; it was judged **{overall[last]}** overall at {last} "
            f"(inspected {dates[last]})."
        )
    before = f"**{overall[first]}**"
    if overall["change"] == "same inspection":
        return (
            f"{name} was judged {before} overall both at {first} and at {last}: no full inspection in between "
            f"(inspected {dates[last]})."
        )
    verb = {
        "improved": "improved",
        "declined": "declined",
        "unchanged (re-inspected)": "stayed the same on re-inspection",
    }.get(overall["change"], "changed")
    return (
        f"{name}'s overall judgement {verb}: {before} at {first} (inspected {dates[first]}), "
        f"**{overall[last]}** at {last} (inspected {dates[last]})."
    )


def own_visits(visits: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's visits, oldest first, each once (a visit listed in two years' files keeps the newer listing).

    `visits` is `load.ofsted_visits` with codes attached. Columns: as_at (the list it comes from),
    visit_date, visit_type, theme, publication_date.
    """
    own = visits[visits["la_code"] == la.la_code].sort_values(["visit_date", "as_at"])
    own = own.drop_duplicates(["visit_date", "visit_type"], keep="last")
    return own[["as_at", "visit_date", "visit_type", "theme", "publication_date"]].reset_index(drop=True)


def visits_since(visits: pd.DataFrame, latest: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's visits after its latest full inspection (all listed visits if it has none), oldest first."""
    own = own_visits(visits, la)
    hit = latest.loc[latest["la_code"] == la.la_code, "inspection_date"]
    if len(hit) and pd.notna(hit.iloc[0]):
        own = own[own["visit_date"] > hit.iloc[0]]
    return own.reset_index(drop=True)


def coverage(visits: pd.DataFrame) -> str:
    """The period the visit lists cover, in words: 'February 2023 to March 2025'."""
    return f"{visits['visit_date'].min():%B %Y} to {visits['visit_date'].max():%B %Y}"


def latest_visit_phrase(since: pd.DataFrame, covered: str) -> str:
    """For the scorecard: the latest visit since the last inspection, or that none is listed, never a grade."""
    if since.empty:
        return f"No monitoring or focused visit listed since (Ofsted's in-year lists, {covered})."
    last = since.iloc[-1]
    return f"Latest visit: {last['visit_type']}, {last['visit_date']:%B %Y} (visits are not graded)."


def visits_sentence(since: pd.DataFrame, latest: pd.DataFrame, la: LA, covered: str) -> str:
    """The visits since the LA's last full inspection in words, saying what the lists cover."""
    from . import safe

    name = safe.md(la.la_name)
    hit = latest.loc[latest["la_code"] == la.la_code, "inspection_date"]
    when = (
        f"its last full inspection ({hit.iloc[0].day} {hit.iloc[0]:%B %Y})"
        if len(hit) and pd.notna(hit.iloc[0])
        else "the start of the lists"
    )
    scope = f"Ofsted's in-year lists bundled here cover {covered}; earlier visits are not in them."
    if since.empty:
        return f"No monitoring or focused visit to {name} is listed since {when}. {scope}"
    items = "; ".join(
        f"a {r.visit_type} on {r.visit_date.day} {r.visit_date:%B %Y}"
        + (f" (theme: {safe.md(r.theme)})" if pd.notna(r.theme) else "")
        for r in since.itertuples()
    )
    n = len(since)
    return f"Since {when}, Ofsted lists {n} visit{'s' if n > 1 else ''} to {name}: {items}. {VISITS_UNGRADED} {scope}"


def peer_comparison(latest: pd.DataFrame, la: LA, sn_codes: list[str]) -> pd.DataFrame:
    """How the LA's latest overall grade compares with its neighbours', its region's other LAs' and England's.

    Columns: group, las (with a grade), better, same, worse (LAs graded better than, the same as or
    worse than the LA), most_common (the commonest grade; ties listed best first).
    """
    own = latest.loc[latest["la_code"] == la.la_code, "overall"]
    rank = _rank(own.iloc[0]) if len(own) else np.nan
    others = latest[(latest["la_code"] != la.la_code) & latest["overall"].notna()]
    rows = []
    for group, mask in (
        ("Statistical neighbours", others["la_code"].isin(sn_codes)),
        (f"{la.region_name} (other LAs)", others["region_name"] == la.region_name),
        ("England (other LAs)", pd.Series(True, index=others.index)),
    ):
        ranks = others.loc[mask, "overall"].map(_rank)
        counts = others.loc[mask, "overall"].value_counts()
        top = [g for g in GRADE_ORDER if counts.get(g, 0) == counts.max()] if len(counts) else []
        rows.append(
            {
                "group": group,
                "las": int(mask.sum()),
                "better": int((ranks < rank).sum()) if pd.notna(rank) else None,
                "same": int((ranks == rank).sum()) if pd.notna(rank) else None,
                "worse": int((ranks > rank).sum()) if pd.notna(rank) else None,
                "most_common": " / ".join(top),
            }
        )
    return pd.DataFrame(rows)


def peer_sentence(comparison: pd.DataFrame, latest: pd.DataFrame, la: LA) -> str:
    """The LA's overall grade against its neighbours and region, in words."""
    from . import safe

    name = safe.md(la.la_name)
    own = latest.loc[latest["la_code"] == la.la_code, "overall"]
    if own.empty or pd.isna(own.iloc[0]):
        return f"{name} has no overall judgement to compare."
    parts = [
        f"{r.better} of {r.las} {'neighbours' if i == 0 else 'other LAs in ' + safe.md(la.region_name)} "
        f"hold a better grade, {r.same} the same and {r.worse} a worse one"
        for i, r in enumerate(comparison.iloc[:2].itertuples())
    ]
    return f"{name} is judged **{own.iloc[0]}** overall: {'; '.join(parts)}."


def la_records(snapshots: pd.DataFrame, visits: pd.DataFrame, la: LA) -> pd.DataFrame:
    """The LA's judgements at each snapshot and its listed visits as one tidy table (the `ofsted` command).

    Columns: record (`judgement` or `visit`), as_at, date (inspection or visit), type (`ILACS inspection`
    or the visit type), the five grades (blank for visits: they are not graded), theme.
    """
    own = snapshots[snapshots["la_code"] == la.la_code].sort_values("as_at")
    judged = pd.DataFrame(
        {
            "record": "judgement",
            "as_at": own["as_at"],
            "date": own["inspection_date"],
            "type": own["inspection_date"].map(lambda d: "not yet inspected" if pd.isna(d) else "ILACS inspection"),
        }
        | {c: own[c] for c in SUB_JUDGEMENTS}
        | {"theme": None}
    )
    seen = own_visits(visits, la)
    visited = pd.DataFrame(
        {"record": "visit", "as_at": seen["as_at"], "date": seen["visit_date"], "type": seen["visit_type"]}
        | dict.fromkeys(SUB_JUDGEMENTS)
        | {"theme": seen["theme"]}
    )
    return pd.concat([judged, visited], ignore_index=True)
