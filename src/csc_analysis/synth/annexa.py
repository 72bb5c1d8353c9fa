"""Synthetic Ofsted Annex A: all eleven lists for an LA, coherent and shaped by its published figures.

Written as one workbook, `SYNTHETIC_Annex_A.xlsx`, with a sheet per list named as in Ofsted's template
("List 1 - Contacts" ... "List 11 - Adopters"), or as one CSV per list. SYNTHETIC: every file name
starts `SYNTHETIC_`, every sheet and CSV opens with a title row saying SYNTHETIC, every child ID starts
`SYN-C` (adopters `SYN-A`), and a README in the folder says so.

Children move through the system: a contact on the day of each referral (and other contacts that
go no further), an assessment after each referral that is not NFA, a section 47 enquiry from some
assessments with an initial conference for some, a child protection plan from most conferences, a
child in need episode from assessments that find a need, and starting to be looked after for some
children on plans. A share of referrals (the published re-referral rate) are of a child referred in
the 12 months before; early in the window some of those children's earlier referral falls before it,
which only `Number of Referrals in Last 12 Months` (counting the referral itself) records. For each
reporting year (April to March) the referrals, section 47 enquiries,
conferences, plan starts and children starting to be looked after equal the LA's published figures;
open cohorts (CIN, CP, looked after) start at the published 31 March stock. The share of
conferences within 15 working days follows the published figure where the catalogue has one. Months
follow the school year (peaks after terms start, dips in August and December). Realistic quirks:
a title row, Excel dates among `dd/mm/yyyy` text dates (serial numbers in the CSVs), `a) Yes`
prefixes, `-` for missing.
"""

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from ..annexa_lists import LISTS
from ..errors import CscError
from ..registry import LA
from ..workdays import bank_holidays

# Relative volume by calendar month (Jan..Dec): dips in August and December, peaks after term starts.
MONTH_WEIGHTS = np.array([1.08, 1.02, 1.05, 0.95, 1.03, 1.05, 1.02, 0.72, 1.10, 1.12, 1.10, 0.80])
CONTACTS_PER_REFERRAL = 5.2  # Oldham July 2024: 2,202 contacts, 428 (19%) became referrals
ICPC_WITHIN_15_DEFAULT = 0.8  # share used when the catalogue has no published ICPC timeliness
ASSESSMENT_WITHIN_45 = 0.85  # national share of assessments within 45 working days (C2, not in this snapshot)
FILES = {
    "contacts": "List_1_contacts",
    "early_help": "List_2_early_help",
    "referrals": "List_3_referrals",
    "assessments": "List_4_assessments",
    "s47": "List_5_section_47",
    "cin": "List_6_children_in_need",
    "cp": "List_7_child_protection",
    "cla": "List_8_children_looked_after",
    "care_leavers": "List_9_care_leavers",
    "adoption": "List_10_adoption",
    "adopters": "List_11_adopters",
}
ETHNICITY = [
    "a) WBRI",
    "d) WOTH",
    "i) MOTH",
    "j) AIND",
    "k) APKN",
    "l) ABAN",
    "o) BAFR",
    "n) BCRB",
    "q) OOTH",
    "s) REFU",
]
YES_NO = np.array(["b) No", "a) Yes"])
SHEETS = {
    "contacts": "Contacts",
    "early_help": "Early Help",
    "referrals": "Referrals",
    "assessments": "Assessments",
    "s47": "Section 47 and ICPC",
    "cin": "Children in Need",
    "cp": "Child Protection",
    "cla": "Children Looked After",
    "care_leavers": "Care Leavers",
    "adoption": "Adoption",
    "adopters": "Adopters",
}
WORKBOOK = "SYNTHETIC_Annex_A.xlsx"
REREFERRAL_GAP = 28  # days: a child referred again sooner joins the open assessment (one per child and day)
WORKBOOK_DATE = dt.datetime(2000, 1, 1)  # fixed document date: the same seed gives the same bytes


def annual_totals(published: pd.DataFrame, la: LA, indicator: str, years: list[int]) -> dict[int, int]:
    """Published totals per reporting year; a year without one borrows the nearest published year.

    With no published figure at all (Isles of Scilly has no children starting care), the synthetic
    list is empty rather than invented; referrals are required, since every list is sized from them.
    """
    rows = published[
        (published["la_code"] == la.la_code) & (published["indicator"] == indicator) & published["value"].notna()
    ].set_index("year")["value"]
    if rows.empty:
        if indicator == "referrals":
            raise CscError(f"{la.la_name} has no published referrals to base synthetic lists on")
        return dict.fromkeys(years, 0)
    return {y: int(rows.get(y, rows.iloc[np.argmin(np.abs(rows.index - y))])) for y in years}


def _share(published: pd.DataFrame, la: LA, indicator: str, year: int, default: float) -> float:
    """A published percentage for the year (nearest year if missing) as a share, or `default`."""
    rows = published[
        (published["la_code"] == la.la_code) & (published["indicator"] == indicator) & published["value"].notna()
    ].set_index("year")["value"]
    if rows.empty:
        return default
    return float(rows.get(year, rows.iloc[np.argmin(np.abs(rows.index - year))])) / 100


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
    return np.sort(np.concatenate(out)).astype("datetime64[D]")


def _referred_children(flow: "_Flow", dates: np.ndarray, earlier: pd.DataFrame, share: float):
    """(child IDs, new to the window, earlier referral before the window) for one year's referrals (dates sorted).

    A `share` of referrals are re-referrals: of a child first referred in the window in the 12 months
    before (on or after the same date a year earlier) and at least REREFERRAL_GAP days before, picked evenly
    among those children. When there is none (the window's first weeks) the earlier referral is taken to
    predate the window. The rest are children new to the window.
    """
    rng, n = flow.rng, len(dates)
    ids = flow.fresh(n).astype(object)
    again = rng.random(n) < share
    seen_ids = np.concatenate([earlier["id"].to_numpy(object), ids])
    seen_dates = np.concatenate([earlier["date"].to_numpy("datetime64[D]"), dates.astype("datetime64[D]")])
    firsts = np.concatenate([[0], np.cumsum(np.concatenate([earlier["new"].to_numpy(bool), ~again]))])
    year_before = (pd.DatetimeIndex(dates) - pd.DateOffset(years=1)).to_numpy("datetime64[D]")
    lows = np.searchsorted(seen_dates, year_before, "left")
    latest = dates.astype("datetime64[D]") - np.timedelta64(REREFERRAL_GAP - 1, "D")
    highs = np.searchsorted(seen_dates, latest, "left")  # REREFERRAL_GAP days or more before
    before, last = np.zeros(n, bool), flow.rereferred
    for i in np.flatnonzero(again):
        choices = firsts[highs[i]] - firsts[lows[i]]
        if choices == 0:
            before[i] = True
            continue
        child = seen_ids[np.searchsorted(firsts, firsts[lows[i]] + rng.integers(choices) + 1, "left") - 1]
        if dates[i] - last.get(child, np.datetime64("NaT")) < np.timedelta64(REREFERRAL_GAP, "D"):
            continue  # re-referred too recently: the referral stays a new child's
        last[child] = dates[i]
        ids[i] = child
    return ids, ~again, before


def _referrals_in_12_months(ref: pd.DataFrame) -> np.ndarray:
    """`Number of Referrals in Last 12 Months`: the child's referrals from a year before to this one, itself
    included, plus one for an earlier referral that predates the window."""
    pairs = ref[["id", "date"]].reset_index().merge(ref[["id", "date"]], on="id", suffixes=("", "_other"))
    date = pd.to_datetime(pairs["date"])
    other = pd.to_datetime(pairs["date_other"])
    within = (other <= date) & (other >= date - pd.DateOffset(years=1))
    counts = within.groupby(pairs["index"]).sum().reindex(ref.index, fill_value=0)
    return counts.to_numpy() + ref["before"].to_numpy(int)


class _Flow:
    """The generator's state: random stream, extract window, working-day calendar, child pool."""

    def __init__(self, rng, start: np.datetime64, end: np.datetime64, pool: int):
        self.rng, self.start, self.end = rng, start, end
        years = pd.DatetimeIndex([start, end]).year
        self.holidays = bank_holidays(years.min() - 20, years.max() + 1)
        self.pool = pool
        self.issued = 0  # children numbered above the pool: referred for the first time in the window
        self.rereferred: dict[str, np.datetime64] = {}  # child -> latest re-referral so far

    def add_workdays(self, dates: np.ndarray, days: np.ndarray) -> np.ndarray:
        return np.busday_offset(dates, days, roll="forward", holidays=self.holidays)

    def days(self, low: int, high: int, n: int) -> np.ndarray:
        return self.rng.integers(low, high + 1, n).astype("timedelta64[D]")

    def ids(self, n: int) -> np.ndarray:
        return np.array([f"SYN-C{i:07d}" for i in self.rng.choice(self.pool, n, replace=n > self.pool) + 1])

    def fresh(self, n: int) -> np.ndarray:
        """IDs of children never referred before in the window."""
        self.issued += n
        first = self.pool + self.issued - n + 1
        return np.array([f"SYN-C{i:07d}" for i in range(first, first + n)])

    def stock(self, size: int, starts_per_year: float, n_new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Episodes open at the window start plus new ones: (start, end) with NaT for still open.

        Durations are exponential with the mean that keeps the stock steady (stock / starts a year).
        """
        mean = max(30.0, 365.0 * size / max(starts_per_year, 1.0))
        old_start = self.start - np.minimum(self.rng.exponential(mean, size), 17 * 365).astype("timedelta64[D]")
        old_end = self.start + self.rng.exponential(mean, size).astype("timedelta64[D]")
        new_end = n_new + np.maximum(self.rng.exponential(mean, len(n_new)), 14).astype("timedelta64[D]")
        start = np.concatenate([old_start, n_new])
        end = np.concatenate([old_end, new_end])
        return start, np.where(end <= self.end, end, np.datetime64("NaT"))

    def before_end(self, dates: np.ndarray) -> np.ndarray:
        return np.where(dates <= self.end, dates, np.datetime64("NaT"))


def _text(dates: np.ndarray, rng=None, serial_share: float = 0.0) -> np.ndarray:
    """dd/mm/yyyy text ('' for none); with `rng`, a share written as Excel serial numbers, as exports mix them."""
    idx = pd.DatetimeIndex(dates)
    out = np.where(idx.isna(), "", idx.strftime("%d/%m/%Y"))
    if rng is not None and serial_share:
        serial = ~idx.isna() & (rng.random(len(idx)) < serial_share)
        out = np.where(serial, ((idx - pd.Timestamp("1899-12-30")).days).astype("Int64").astype(str), out)
    return out


def _frame(flow: _Flow, kind: str, ids: np.ndarray, event: np.ndarray, columns: dict, disability: bool) -> pd.DataFrame:
    """A list's rows: the common child columns (age at the event), then the list's own columns."""
    rng, n = flow.rng, len(ids)
    age = rng.integers(0, 18, n)
    dob = pd.DatetimeIndex(event) - pd.to_timedelta(age * 365 + rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame(
        {
            "Child Unique ID": ids,
            "Gender": rng.choice(["a) Male", "b) Female"], n),
            "Ethnicity": rng.choice(ETHNICITY, n, p=[0.6, 0.06, 0.08, 0.03, 0.05, 0.02, 0.06, 0.03, 0.04, 0.03]),
            "Date of Birth": _text(dob.to_numpy()),
            "Age of Child (Years)": age,
        }
    )
    if disability:
        frame["Does the Child have a Disability"] = rng.choice(YES_NO, n, p=[0.9, 0.1])
    for name, values in columns.items():
        frame[LISTS[kind].columns[name][0] if name in LISTS[kind].columns else name] = values
    return frame


def generate(
    published: pd.DataFrame, la: LA, end_year: int = 2025, years: int = 3, seed: int = 0
) -> dict[str, pd.DataFrame]:
    """Synthetic Annex A lists (all eleven) for the `years` reporting years ending 31 March `end_year`."""
    rng = np.random.default_rng([seed, int(la.la_code)])
    span = list(range(end_year - years + 1, end_year + 1))
    total = {
        ind: annual_totals(published, la, ind, span)
        for ind in ("referrals", "s47", "icpc", "cpp_starts", "cla_starts", "cin_starts")
    }
    stock = {
        ind: annual_totals(published, la, ind, [span[0] - 1])[span[0] - 1]
        for ind in ("cin_at31", "cpp_at31", "cla_at31")
    }
    pool = int(max(total["referrals"].values()) * CONTACTS_PER_REFERRAL) + 1
    flow = _Flow(rng, np.datetime64(f"{span[0] - 1}-04-01"), np.datetime64(f"{end_year}-03-31"), pool)
    ev: dict[str, list] = {k: [] for k in ("ref", "con", "eh", "ass", "s47", "cp_new", "cla_new", "cin_new")}
    for year in span:
        refs = _dates(rng, total["referrals"][year], year)
        earlier = pd.concat(ev["ref"]) if ev["ref"] else pd.DataFrame({"id": [], "date": [], "new": []})
        again = _share(published, la, "rereferral_pct", year, 0.22)
        ref_ids, new, before = _referred_children(flow, refs, earlier, again)
        nfa = rng.random(len(refs)) < _share(published, la, "referrals_nfa_pct", year, 0.05)
        ev["ref"].append(pd.DataFrame({"id": ref_ids, "date": refs, "nfa": nfa, "new": new, "before": before}))
        extra = _dates(rng, round(len(refs) * (CONTACTS_PER_REFERRAL - 1)), year)
        ev["con"].append(
            pd.DataFrame({"id": np.concatenate([ref_ids, flow.ids(len(extra))]), "date": np.concatenate([refs, extra])})
        )
        eh = _dates(rng, len(refs) // 2, year)
        ev["eh"].append(pd.DataFrame({"id": flow.ids(len(eh)), "date": eh}))
        # Assessments: every referral that is not NFA, starting within 3 days.
        a_ids, a_ref = ref_ids[~nfa], refs[~nfa]
        a_start = a_ref + flow.days(0, 3, len(a_ref))
        in_time = rng.random(len(a_start)) < ASSESSMENT_WITHIN_45
        a_end = flow.add_workdays(
            a_start, np.where(in_time, rng.integers(5, 46, len(a_start)), rng.integers(46, 90, len(a_start)))
        )
        cin_share = min(0.95, total["cin_starts"][year] / max(len(a_start), 1))
        needs = rng.random(len(a_start)) < cin_share
        ass = pd.DataFrame({"id": a_ids, "start": a_start, "end": a_end, "needs": needs})
        ass = ass[ass["start"] <= flow.end].reset_index(drop=True)  # later ones belong to the next extract
        ev["ass"].append(ass)
        ev["cin_new"].append(ass.loc[ass["needs"], ["id", "end"]].rename(columns={"end": "start"}))
        # Section 47 enquiries from assessments; conferences for some; plans from most conferences.
        year_end = np.datetime64(f"{year}-03-31")
        pool_s47 = ass[ass["start"] <= year_end]
        n_s47 = min(total["s47"][year], len(pool_s47))
        s47 = pool_s47.iloc[np.sort(rng.choice(len(pool_s47), n_s47, replace=False))][["id", "start"]]
        s47 = s47.reset_index(drop=True)
        s47["strategy"] = np.minimum(s47["start"].to_numpy() + flow.days(0, 5, n_s47), year_end)  # in its year
        n_icpc = min(total["icpc"][year], n_s47)
        has_icpc = np.zeros(n_s47, bool)
        has_icpc[rng.choice(n_s47, n_icpc, replace=False)] = True
        p15 = _share(published, la, "icpc_within_15d_pct", year, ICPC_WITHIN_15_DEFAULT)
        wd = np.where(rng.random(n_s47) < p15, rng.integers(5, 16, n_s47), rng.integers(16, 35, n_s47))
        s47["icpc"] = np.where(
            has_icpc, flow.add_workdays(s47["strategy"].to_numpy().astype("datetime64[D]"), wd), np.datetime64("NaT")
        )
        plans = np.flatnonzero(has_icpc)
        plans = plans[rng.permutation(len(plans))[: min(total["cpp_starts"][year], len(plans))]]
        s47["cpp"] = False
        s47.loc[plans, "cpp"] = True
        ev["s47"].append(s47)
        ev["cp_new"].append(s47.loc[s47["cpp"], ["id", "icpc"]].rename(columns={"icpc": "start"}))
        # Children starting to be looked after: mostly children with a plan, some straight from a referral.
        n_cla = total["cla_starts"][year]
        cla_start = _dates(rng, n_cla, year)
        from_cp = s47.loc[s47["cpp"], "id"].to_numpy()
        cla_ids = np.where(
            rng.random(n_cla) < 0.6, rng.choice(from_cp, n_cla) if len(from_cp) else flow.ids(n_cla), flow.ids(n_cla)
        )
        ev["cla_new"].append(pd.DataFrame({"id": cla_ids, "start": cla_start}))
    cat = {k: pd.concat(v, ignore_index=True) for k, v in ev.items()}
    cat["ref"]["previous"] = _referrals_in_12_months(cat["ref"])
    for kind in ("cin_new", "cp_new"):  # two pieces of work for one child ending on one day start one episode
        cat[kind] = cat[kind].drop_duplicates(["id", "start"])
    return _lists(flow, cat, stock, total, span)


def _lists(
    flow: _Flow, ev: dict[str, pd.DataFrame], stock: dict, total: dict, span: list[int]
) -> dict[str, pd.DataFrame]:
    """The eleven list frames from the generated events (dates as Annex A text)."""
    rng, end = flow.rng, flow.end
    out = {}
    con = ev["con"].drop_duplicates(["id", "date"]).sort_values("date", kind="stable")  # one contact a day per child
    out["contacts"] = _frame(
        flow,
        "contacts",
        con["id"].to_numpy(),
        con["date"].to_numpy(),
        {
            "contact_date": _text(con["date"].to_numpy(), rng, 0.1),
            "source": rng.choice(
                ["q) 6: Police", "f) 2A: Schools", "i) 3A: GP", "o) 5A: LA services", "a) 1A: Family"], len(con)
            ),
        },
        False,
    )
    eh = ev["eh"]
    eh_end = flow.before_end(eh["date"].to_numpy() + flow.days(10, 60, len(eh)))
    out["early_help"] = _frame(
        flow,
        "early_help",
        eh["id"].to_numpy(),
        eh["date"].to_numpy(),
        {
            "eh_start": _text(eh["date"].to_numpy()),
            "eh_end": _text(eh_end),
            "organisation": rng.choice(["a) LA early help", "b) School", "c) Health"], len(eh)),
        },
        False,
    )
    ref = ev["ref"]
    out["referrals"] = _frame(
        flow,
        "referrals",
        ref["id"].to_numpy(),
        ref["date"].to_numpy(),
        {
            "referral_date": _text(ref["date"].to_numpy()),
            "source": rng.choice(["q) 6: Police", "f) 2A: Schools", "i) 3A: GP", "a) 1A: Family"], len(ref)),
            "nfa": YES_NO[ref["nfa"].to_numpy().astype(int)],
            "previous": ref["previous"].to_numpy(),
        },
        False,
    )
    ass = ev["ass"]
    a_end = flow.before_end(ass["end"].to_numpy().astype("datetime64[D]"))
    out["assessments"] = _frame(
        flow,
        "assessments",
        ass["id"].to_numpy(),
        ass["start"].to_numpy(),
        {
            "start": _text(ass["start"].to_numpy()),
            "Child Seen During Continuous Assessment": "a) Yes",
            "authorised": _text(a_end),
            "needs_support": np.where(np.isnat(a_end), "", YES_NO[ass["needs"].to_numpy().astype(int)]),
        },
        True,
    )
    s47 = ev["s47"]
    icpc = flow.before_end(s47["icpc"].to_numpy().astype("datetime64[D]"))
    out["s47"] = _frame(
        flow,
        "s47",
        s47["id"].to_numpy(),
        s47["strategy"].to_numpy(),
        {
            "strategy_date": _text(s47["strategy"].to_numpy()),
            "icpc_unnecessary": np.where(s47["icpc"].isna(), "a) Yes", "b) No"),
            "icpc_date": np.where(np.isnat(icpc), "-", _text(icpc)),
            "icpc_cpp": np.where(np.isnat(icpc), "-", YES_NO[s47["cpp"].to_numpy().astype(int)]),
        },
        True,
    )
    cin_new = ev["cin_new"]["start"].to_numpy().astype("datetime64[D]")
    keep = cin_new <= end
    start, finish = flow.stock(stock["cin_at31"], np.mean(list(total["cin_starts"].values())), cin_new[keep])
    ids = np.concatenate([flow.ids(stock["cin_at31"]), ev["cin_new"]["id"].to_numpy()[keep]])
    out["cin"] = _frame(
        flow,
        "cin",
        ids,
        start,
        {
            "cin_start": _text(start),
            "need": rng.choice(
                ["N1 - Abuse or neglect", "N2 - Disability", "N4 - Family in acute stress", "N5 - Family dysfunction"],
                len(start),
                p=[0.6, 0.1, 0.15, 0.15],
            ),
            "cin_end": _text(finish),
        },
        True,
    )
    cp_new = ev["cp_new"]["start"].to_numpy().astype("datetime64[D]")
    keep = cp_new <= end
    start, finish = flow.stock(stock["cpp_at31"], np.mean(list(total["cpp_starts"].values())), cp_new[keep])
    ids = np.concatenate([flow.ids(stock["cpp_at31"]), ev["cp_new"]["id"].to_numpy()[keep]])
    open_ = np.isnat(finish)
    visit = np.where(
        open_,
        flow.add_workdays(np.full(len(start), end), -rng.integers(0, 13, len(start))),
        np.where(open_, end, finish) - flow.days(0, 10, len(start)),
    )
    visit = np.maximum(visit, start)
    out["cp"] = _frame(
        flow,
        "cp",
        ids,
        start,
        {
            "cpp_start": _text(start),
            "Initial Category of Abuse": rng.choice(
                ["Neglect", "Emotional", "Physical", "Sexual", "Multiple"], len(start)
            ),
            "last_visit": _text(visit),
            "Was the Child Seen Alone?": rng.choice(YES_NO, len(start), p=[0.3, 0.7]),
            "last_review": _text(
                np.where(
                    start + np.timedelta64(91, "D") <= np.where(open_, end, finish),
                    start + np.timedelta64(91, "D"),
                    np.datetime64("NaT"),
                )
            ),
            "cpp_end": _text(finish),
        },
        True,
    )
    cla_new = ev["cla_new"]
    start, finish = flow.stock(
        stock["cla_at31"],
        np.mean(list(total["cla_starts"].values())),
        cla_new["start"].to_numpy().astype("datetime64[D]"),
    )
    ids = np.concatenate([flow.ids(stock["cla_at31"]), cla_new["id"].to_numpy()])
    n = len(start)
    as_at = np.where(np.isnat(finish), end, finish)
    out["cla"] = _frame(
        flow,
        "cla",
        ids,
        start,
        {
            "cla_start": _text(start, rng, 0.1),
            "Child's Category of Need": rng.choice(["N1", "N2", "N4", "N5"], n, p=[0.65, 0.05, 0.15, 0.15]),
            "legal_status": rng.choice(["C2", "C1", "E1", "V2", "J2"], n, p=[0.55, 0.2, 0.1, 0.13, 0.02]),
            "last_review": _text(
                np.minimum(np.maximum(start + np.timedelta64(20, "D"), as_at - flow.days(0, 200, n)), as_at)
            ),
            "last_visit": _text(np.maximum(start, as_at - flow.days(0, 50, n))),
            "last_health": _text(
                np.minimum(np.maximum(start + np.timedelta64(20, "D"), as_at - flow.days(0, 420, n)), as_at)
            ),
            "missing": rng.poisson(0.4, n),
            "cla_end": _text(finish),
            "Reason Ceased to be Looked After": np.where(
                np.isnat(finish), "", rng.choice(["E11", "E12", "E13", "E41", "E45", "E8"], n)
            ),
        },
        True,
    )
    leavers = round(stock["cla_at31"] * 0.45)
    touch = rng.choice(["Yes", "No", "NREQ", "Died"], leavers, p=[0.9, 0.06, 0.035, 0.005])
    out["care_leavers"] = _frame(
        flow,
        "care_leavers",
        flow.ids(leavers),
        np.full(leavers, end),
        {
            "Eligibility Category": rng.choice(
                ["Relevant", "Former relevant", "Qualifying"], leavers, p=[0.15, 0.8, 0.05]
            ),
            "in_touch": touch,
            "last_contact": _text(end - flow.days(0, 120, leavers)),
            "accommodation": rng.choice(["D", "T", "B", "G", "S"], leavers),
            "suitable": np.where(touch == "Died", "-", rng.choice(["Suitable", "Unsuitable"], leavers, p=[0.88, 0.12])),
            "activity": rng.choice(["F1", "F2", "P1", "G4", "G6"], leavers, p=[0.2, 0.25, 0.15, 0.25, 0.15]),
        },
        False,
    )
    adopted = max(1, round(stock["cla_at31"] * 0.06))
    entered = end - flow.days(200, 1400, adopted)
    steps = [entered]
    for low, high in [(120, 400), (20, 120), (60, 300), (7, 30), (100, 250)]:
        steps.append(steps[-1] + flow.days(low, high, adopted))
    columns = ["entered_care", "decision", "placement_order", "matched", "placed", "adoption_order"]
    out["adoption"] = _frame(
        flow,
        "adoption",
        flow.ids(adopted),
        entered,
        {
            "Family identifier": [f"SYN-F{i:05d}" for i in range(1, adopted + 1)],
            **{c: _text(flow.before_end(d)) for c, d in zip(columns, steps)},
        },
        True,
    )
    out["adoption"] = out["adoption"][
        out["adoption"]["Date of Decision that Child Should be Placed for Adoption"] != ""
    ]
    adopters = max(1, round(stock["cla_at31"] * 0.04))
    enquiry = end - flow.days(30, 700, adopters)
    out["adopters"] = pd.DataFrame(
        {
            "Adopter Identifier": [f"SYN-A{i:05d}" for i in range(1, adopters + 1)],
            "Gender": rng.choice(["a) Male", "b) Female"], adopters),
            "Ethnicity": rng.choice(ETHNICITY[:3], adopters),
            "Date of Enquiry": _text(enquiry),
            "Date Application Approved": _text(flow.before_end(enquiry + flow.days(120, 300, adopters))),
        }
    )
    return {k: out[k].reset_index(drop=True) for k in FILES}


def _title(kind: str, la: LA) -> str:
    return f"SYNTHETIC Annex A {LISTS[kind].title} for {la.la_name}: generated by csc-analysis, no real child"


def _sheet(book: xlsxwriter.Workbook, name: str, title: str, frame: pd.DataFrame, date_format) -> None:
    """One list on its own sheet under a title row: text as text, numbers as numbers, and in a date column
    the Excel serial numbers of the CSV form as Excel dates (the rest stay dd/mm/yyyy text)."""
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title)
    sheet.write_row(1, 0, list(frame.columns))
    serial = {
        c: frame[h].astype(str).str.fullmatch(r"\d{5}").to_numpy()
        for c, h in enumerate(frame.columns)
        if re.search("date", h, re.IGNORECASE)
    }
    serial = {c: mask for c, mask in serial.items() if mask.any()}
    for r, row in enumerate(frame.itertuples(index=False, name=None)):
        sheet.write_row(r + 2, 0, row)
        for c, mask in serial.items():
            if mask[r]:
                sheet.write_number(r + 2, c, int(row[c]), date_format)


def write(lists: dict[str, pd.DataFrame], out_dir: str | Path, la: LA, workbook: bool = True) -> list[Path]:
    """Write the lists as one workbook SYNTHETIC_Annex_A.xlsx with a sheet per list ("List 3 - Referrals"),
    or (`workbook=False`) one CSV per list named SYNTHETIC_Annex_A_List_..., every sheet and file under a
    SYNTHETIC title row, with a README. The same lists give the same bytes."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        if workbook:
            path = out_dir / WORKBOOK
            book = xlsxwriter.Workbook(path, {"constant_memory": True})
            book.set_properties(
                {
                    "title": f"SYNTHETIC Annex A for {la.la_name}",
                    "created": WORKBOOK_DATE,
                    "comments": "SYNTHETIC: generated by csc-analysis, no real child",
                }
            )
            date_format = book.add_format({"num_format": "dd/mm/yyyy"})
            for name, frame in lists.items():
                _sheet(book, f"List {LISTS[name].number} - {SHEETS[name]}", _title(name, la), frame, date_format)
            book.close()
            paths.append(path)
        else:
            for name, frame in lists.items():
                path = out_dir / f"SYNTHETIC_Annex_A_{FILES[name]}.csv"
                path.write_text(f'"{_title(name, la)}"\n' + frame.to_csv(index=False, lineterminator="\n"))
                paths.append(path)
        (out_dir / "README_SYNTHETIC.txt").write_text(
            f"SYNTHETIC DATA generated by csc-analysis for demonstrations and tests.\n"
            f"Volumes follow {la.la_name}'s published figures; no row describes a real child.\n"
        )
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write ({exc.strerror})") from None
    return paths
