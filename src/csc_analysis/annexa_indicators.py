"""Monthly local performance from the Annex A lists: tidy indicator rows, suppressed, months complete.

Input is the dict `annexa.read_annex_a` returns; output has the columns `la_code, period, indicator,
value, numerator, denominator, status` (period `YYYY-MM`; status `suppressed`, `partial month`,
`partial history` or empty). Monthly indicators are reported only for months the extract covers from
first to last day; a partly covered month has a row with no value and status `partial month`.
Re-referrals look 12 months back, so in the extract's first 12 months they have no value and status
`partial history` (a rate from part of the history would be falsely low). Measures "at the extract
date" have the extract's month as period. Definitions are in README ("Local performance").
"""

import numpy as np
import pandas as pd

from .annexa import AnnexList, complete_months
from .annexa_lists import LISTS
from .errors import CscError
from .localdata import iso_day
from .privacy import DEFAULT_THRESHOLD, SUPPRESSED
from .privacy import suppress as suppress_counts
from .workdays import working_days

COLUMNS = ["la_code", "period", "indicator", "value", "numerator", "denominator", "status"]
# Lists holding only events inside the extract's period (assessments, s47 and episodes may start before it).
PERIOD_LISTS = ["contacts", "referrals"]
ASSESSMENT_WD, ICPC_WD, CP_VISIT_WD = 45, 15, 10
REREFERRAL_WINDOW = pd.DateOffset(years=1)  # a previous referral on the same date a year before still counts
REREFERRAL_IDS = ["rereferrals_12m", "rereferrals_12m_pct"]


def extract_period(lists: dict[str, AnnexList], as_at=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(start, end) of the period the extract covers.

    End: `as_at` if given, else the latest date in any list. Start: the earliest contact or
    referral (Lists 1 and 3 hold only the period's events); with neither, the 12 months to the end
    (the usual Annex A period).
    """
    every = [lst.rows[c] for lst in lists.values() for c in LISTS[lst.kind].dates if c in lst.rows]
    dated = pd.concat(every).dropna() if every else pd.Series(dtype="datetime64[s]")
    if as_at is None and dated.empty:
        raise CscError("the Annex A lists hold no usable dates")
    end = iso_day(as_at, "as_at") if as_at is not None else dated.max()
    starts = [
        lists[k].rows[LISTS[k].required_date].min() for k in PERIOD_LISTS if k in lists and not lists[k].rows.empty
    ]
    start = min(starts) if starts else end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    return pd.Timestamp(start), pd.Timestamp(end)


def _by_month(dates: pd.Series, months: pd.PeriodIndex, mask: pd.Series | None = None) -> pd.Series:
    """How many dates fall in each month (optionally only where `mask`)."""
    dates = dates if mask is None else dates[mask]
    return dates.dropna().dt.to_period("M").value_counts().reindex(months, fill_value=0)


def _open_at(start: pd.Series, end: pd.Series | None, days: pd.DatetimeIndex) -> np.ndarray:
    """For each day: rows started on or before it and not ended by then (ended on a later day or not at all)."""
    s = start.to_numpy(dtype="datetime64[D]")
    e = (
        end.to_numpy(dtype="datetime64[D]")
        if end is not None
        else np.full(len(s), np.datetime64("NaT"), "datetime64[D]")
    )
    out = []
    for day in days.to_numpy(dtype="datetime64[D]"):
        out.append(int(((s <= day) & (np.isnat(e) | (e > day))).sum()))
    return np.array(out)


def _rows(indicator: str, months: pd.PeriodIndex, value, numerator=None, denominator=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": months.strftime("%Y-%m"),
            "indicator": indicator,
            "value": np.asarray(value, float),
            "numerator": np.nan if numerator is None else np.asarray(numerator, float),
            "denominator": np.nan if denominator is None else np.asarray(denominator, float),
        }
    )


def _pct(indicator: str, months, numerator, denominator) -> pd.DataFrame:
    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(den > 0, np.round(100 * num / den, 1), np.nan)
    return _rows(indicator, months, value, num, den)


def rereferred(refs: pd.DataFrame) -> pd.Series:
    """For each referral (List 3 row): did the same child have a referral in the 12 months before it?

    Within 12 months means on or after the same calendar date a year earlier (a referral on 1 January
    2024 after one on 1 January 2023 is a re-referral; after one on 31 December 2022 it is not), the
    DfE's definition counted on referral dates. Only referrals in the list are seen.
    """
    order = refs.sort_values(["child_id", "referral_date"], kind="stable")
    previous = order.groupby("child_id")["referral_date"].shift()
    return (previous.notna() & (previous >= order["referral_date"] - REREFERRAL_WINDOW)).reindex(refs.index)


def full_history(months: pd.PeriodIndex, start: pd.Timestamp) -> np.ndarray:
    """Months whose every day can look 12 months back inside an extract starting on `start`."""
    return np.asarray(months.to_timestamp() - REREFERRAL_WINDOW >= start)


def rereferral_check(lists: dict[str, AnnexList], start: pd.Timestamp) -> tuple[int, int] | None:
    """(referrals checked, disagreeing): the declared `Number of Referrals in Last 12 Months` against the dates.

    The column is read as counting the referral itself (1: none before it, 2 or more: a re-referral).
    Only referrals with 12 months of history in the extract and a whole number in the column are
    checked. None when the list or the column is missing.
    """
    refs = lists["referrals"].rows if "referrals" in lists else None
    if refs is None or "previous" not in refs or "child_id" not in refs:
        return None
    declared = pd.to_numeric(refs["previous"], errors="coerce")
    checked = declared.notna() & (refs["referral_date"] - REREFERRAL_WINDOW >= start)
    disagree = checked & ((declared >= 2) != rereferred(refs))
    return int(checked.sum()), int(disagree.sum())


def monthly(lists: dict[str, AnnexList], months: pd.PeriodIndex) -> pd.DataFrame:
    """Every monthly indicator the lists allow, for the given months (unsuppressed)."""
    ends = months.to_timestamp(how="end").normalize()
    parts = []
    if "contacts" in lists:
        contacts = _by_month(lists["contacts"].rows["contact_date"], months)
        parts.append(_rows("contacts", months, contacts))
    if "referrals" in lists:
        refs = lists["referrals"].rows
        referrals = _by_month(refs["referral_date"], months)
        parts.append(_rows("referrals", months, referrals))
        if "contacts" in lists:
            parts.append(_pct("contact_conversion_pct", months, referrals, contacts))
        if "nfa" in refs:
            answered = refs["nfa"].isin(["YES", "Y", "NO", "N"])
            parts.append(
                _pct(
                    "referrals_nfa_pct",
                    months,
                    _by_month(refs["referral_date"], months, refs["nfa"].isin(["YES", "Y"])),
                    _by_month(refs["referral_date"], months, answered),
                )
            )
        if "child_id" in refs:
            again = _by_month(refs["referral_date"], months, rereferred(refs))
            parts.append(_rows("rereferrals_12m", months, again))
            parts.append(_pct("rereferrals_12m_pct", months, again, referrals))
    if "assessments" in lists and "authorised" in lists["assessments"].rows:
        a = lists["assessments"].rows
        done = _by_month(a["authorised"], months)
        parts.append(_rows("assessments_completed", months, done))
        in_time = working_days(a["start"], a["authorised"]) <= ASSESSMENT_WD
        parts.append(_pct("assessments_within_45wd_pct", months, _by_month(a["authorised"], months, in_time), done))
    if "s47" in lists:
        s = lists["s47"].rows
        parts.append(_rows("s47_started", months, _by_month(s["strategy_date"], months)))
        if "icpc_date" in s:
            held = _by_month(s["icpc_date"], months)
            parts.append(_rows("icpcs_held", months, held))
            in_time = working_days(s["strategy_date"], s["icpc_date"]) <= ICPC_WD
            parts.append(_pct("icpc_within_15wd_pct", months, _by_month(s["icpc_date"], months, in_time), held))
    for kind, start, end, started, ended, open_id in [
        ("cin", "cin_start", "cin_end", "cin_started", "cin_closed", "cin_open_at_month_end"),
        ("cp", "cpp_start", "cpp_end", "cpp_started", "cpp_ended", "cpp_open_at_month_end"),
        ("cla", "cla_start", "cla_end", "cla_started", "cla_ceased", "cla_at_month_end"),
    ]:
        if kind in lists:
            rows = lists[kind].rows
            finish = rows.get(end)
            parts.append(_rows(started, months, _by_month(rows[start], months)))
            if finish is not None:
                parts.append(_rows(ended, months, _by_month(finish, months)))
            parts.append(_rows(open_id, months, _open_at(rows[start], finish, ends)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS[1:6])


def _open_on(rows: pd.DataFrame, start: str, end: str, day: pd.Timestamp) -> pd.DataFrame:
    """Rows open on `day`: started on or before it, not ended by then."""
    finish = rows[end] if end in rows else pd.Series(pd.NaT, index=rows.index)
    return rows[(rows[start] <= day) & (finish.isna() | (finish > day))]


def _median_days(indicator: str, month, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    days = (end - start).dt.days.dropna()
    return _rows(indicator, month, [days.median() if len(days) else np.nan], None, [len(days)])


def at_extract(lists: dict[str, AnnexList], day: pd.Timestamp) -> pd.DataFrame:
    """Compliance measures on the extract date (unsuppressed); period is the extract's month."""
    month = pd.PeriodIndex([day.to_period("M")])
    stamp = pd.Series(day, dtype="datetime64[s]")
    parts = []
    if "cp" in lists:
        cp = _open_on(lists["cp"].rows, "cpp_start", "cpp_end", day)
        if "last_visit" in cp:
            gap = working_days(cp["last_visit"], stamp.reindex(cp.index, fill_value=day))
            parts.append(_pct("cpp_visited_within_10wd_pct", month, [(gap <= CP_VISIT_WD).sum()], [len(cp)]))
        parts.append(_rows("cpp_open_2y_plus", month, [(cp["cpp_start"] <= day - pd.DateOffset(years=2)).sum()]))
    if "cla" in lists:
        cla = _open_on(lists["cla"].rows, "cla_start", "cla_end", day)
        looked_after = (day - cla["cla_start"]).dt.days
        if "last_review" in cla:
            # First review within 20 days of starting, the second within 3 months of it, then every 6 months.
            due = np.where(looked_after <= 20, np.inf, np.where(looked_after <= 20 + 91, 91, 183))
            since = (day - cla["last_review"]).dt.days
            ok = (looked_after <= 20) | (since <= due)
            parts.append(_pct("cla_review_in_time_pct", month, [ok.sum()], [len(cla)]))
        if "last_visit" in cla:
            ok = (looked_after <= 7) | ((day - cla["last_visit"]).dt.days <= 42)
            parts.append(_pct("cla_visit_in_time_pct", month, [ok.sum()], [len(cla)]))
        if "last_health" in cla:
            due = working_days(cla["cla_start"], stamp.reindex(cla.index, fill_value=day)) > 20
            age = pd.to_numeric(cla["age"], errors="coerce") if "age" in cla else pd.Series(np.nan, index=cla.index)
            window = np.where(age < 5, 183, 365)
            ok = (day - cla["last_health"]).dt.days <= window
            parts.append(_pct("cla_health_assessment_in_time_pct", month, [(ok & due).sum()], [due.sum()]))
        if "missing" in cla:
            episodes = pd.to_numeric(cla["missing"], errors="coerce").fillna(0)
            parts.append(_rows("cla_missing_episodes", month, [episodes.sum()]))
            parts.append(_rows("cla_children_missing", month, [(episodes > 0).sum()]))
    if "care_leavers" in lists:
        cl = lists["care_leavers"].rows
        touch = cl["in_touch"].str.replace(r"^[a-zA-Z]{1,2}\)\s*", "", regex=True).str.strip().str.upper()
        relevant = ~touch.isin(["DIED", "NREQ", ""])
        parts.append(_pct("care_leavers_in_touch_pct", month, [(relevant & (touch == "YES")).sum()], [relevant.sum()]))
        if "suitable" in cl:
            suit = cl["suitable"].str.replace(r"^[a-zA-Z]{1,2}\)\s*", "", regex=True).str.strip().str.lower()
            known = suit.str.startswith(("suit", "unsuit", "not suit"))
            parts.append(
                _pct(
                    "care_leavers_suitable_accommodation_pct",
                    month,
                    [(suit.str.startswith("suit")).sum()],
                    [known.sum()],
                )
            )
    if "adoption" in lists:
        ad = lists["adoption"].rows
        for start, end, name in [
            ("entered_care", "placed", "adoption_entered_care_to_placed_days"),
            ("decision", "placement_order", "adoption_decision_to_placement_order_days"),
            ("placement_order", "matched", "adoption_placement_order_to_matched_days"),
            ("placed", "adoption_order", "adoption_placed_to_order_days"),
        ]:
            if start in ad and end in ad:
                parts.append(_median_days(name, month, ad[start], ad[end]))
    if "adopters" in lists and "approved" in lists["adopters"].rows:
        adp = lists["adopters"].rows
        parts.append(_median_days("adopter_enquiry_to_approval_days", month, adp["enquiry"], adp["approved"]))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS[1:6])


def suppress(frame: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Blank any figure that rests on 1 to threshold-1 children, with status `suppressed`.

    A count is suppressed when it is small; a percentage when its numerator, its denominator or
    their difference is small (a small difference would disclose the few not meeting the measure);
    a median when it rests on few children. Zero is shown. threshold 0 turns suppression off.
    """
    counts = pd.DataFrame(
        {
            "count": frame["value"].where(frame["numerator"].isna() & frame["denominator"].isna()),
            "numerator": frame["numerator"],
            "denominator": frame["denominator"],
            "not_meeting": frame["denominator"] - frame["numerator"],
        },
        index=frame.index,
    )
    hide = (suppress_counts(counts, list(counts.columns), threshold) == SUPPRESSED).any(axis=1)
    out = frame.copy()
    out.loc[hide, ["value", "numerator", "denominator"]] = np.nan
    out.loc[hide, "status"] = "suppressed"
    return out


def indicators(
    lists: dict[str, AnnexList], la_code: str, threshold: int = DEFAULT_THRESHOLD, as_at=None
) -> pd.DataFrame:
    """Tidy monthly and extract-date indicators for one LA, suppressed below `threshold`."""
    start, end = extract_period(lists, as_at)
    months = complete_months(start, end)
    table = monthly(lists, months)
    table["status"] = ""
    short = table["indicator"].isin(REREFERRAL_IDS) & ~table["period"].isin(
        months[full_history(months, start)].strftime("%Y-%m")
    )
    table.loc[short, ["value", "numerator", "denominator"]] = np.nan
    table.loc[short, "status"] = "partial history"
    partial = pd.period_range(start.to_period("M"), end.to_period("M"), freq="M").difference(months)
    ids = table["indicator"].drop_duplicates()
    gaps = pd.DataFrame([(m.strftime("%Y-%m"), i) for m in partial for i in ids], columns=["period", "indicator"])
    gaps["status"] = "partial month"
    extract = at_extract(lists, end).assign(status="")
    table = pd.concat([suppress(table, threshold), gaps, suppress(extract, threshold)], ignore_index=True)
    table.insert(0, "la_code", la_code)
    return table.sort_values(["indicator", "period"], kind="stable").reset_index(drop=True)[COLUMNS]


def quality(lists: dict[str, AnnexList], threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Data-quality counts per list (rows read, used, excluded by reason), small counts shown as suppressed.

    For referrals, also how many with 12 months of history have a `Number of Referrals in Last 12
    Months` that disagrees with their dates (`rereferral_check`).

    Counts only, never rows. When the excluded total is suppressed, rows used is too (it would
    give the total away); among the reasons, one suppressed cell brings the next smallest with it.
    """
    frames = []
    check = rereferral_check(lists, extract_period(lists)[0])
    for kind, lst in lists.items():
        reasons = lst.report.table().groupby("problem")["rows"].sum() if lst.report.problems else pd.Series(dtype=int)
        read = pd.DataFrame({"measure": ["rows read", "rows used"], "rows": [lst.report.rows, lst.report.used]})
        if kind == "referrals" and check is not None:
            read.loc[2] = ["re-referral column checked against dates", check[0]]
            read.loc[3] = ["re-referral column disagreeing with dates", check[1]]
        excluded = pd.DataFrame(
            {
                "measure": ["rows excluded", *(f"excluded: {p}" for p in reasons.index)],
                "rows": [lst.report.unusable, *reasons.to_numpy()],
            }
        )
        if threshold > 0:
            read = suppress_counts(read, ["rows"], threshold)
            excluded = suppress_counts(excluded, ["rows"], threshold, "rows excluded", "measure")
            if excluded["rows"].iloc[0] == SUPPRESSED:
                read.loc[1, "rows"] = SUPPRESSED
        table = pd.concat([read, excluded], ignore_index=True)
        table.insert(0, "list", LISTS[kind].title)
        table.insert(1, "source", lst.source)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
