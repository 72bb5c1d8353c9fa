"""Children looked after by placement category and age: a monthly Markov model from SSDA903 episodes.

States are (age band x placement category). From month-end snapshots over a reference window the
model counts, for each state, how many children a month later were in each category or had left
care (by reason); children turning 18 leave by ageing, not by these rates. Entries are children
looked after at a month end who were not at the previous one, by single year of age and category.

Projection: many paths (fixed seed). On each path the monthly transition probabilities are drawn
from their posterior (Dirichlet from the counts plus a weak prior of one month's pooled outcomes for
the category), the monthly entry rate from a Gamma posterior and the entry mix from a Dirichlet;
then each month's flows are drawn (multinomial moves and exits, Poisson entries, binomial ageing:
1/12 of the under-1s and 16-year-olds a month, 1/48, 1/60 and 1/36 of the wider bands; 17-year-olds
by the month of their 18th birthday, when they leave), and each projected year's entry rate and exit
probabilities vary as much from year to year as they did over the window beyond chance (and their level,
a mean of so few such years, is uncertain accordingly). So the intervals
carry both the uncertainty of the rates and the randomness of the flows.

Children who start and leave within one month never appear at a month end, so they are not in the
model; the stock is right, but monthly entries are fewer than the published starts.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import CscError
from .paths import PACKAGE_DIR
from .privacy import DEFAULT_THRESHOLD, SUPPRESSED, suppress
from .ssda903 import (
    CATEGORIES,
    CATEGORY_LABELS,
    EXIT_REASONS,
    REASON_OF,
    count_text,
    counted,
    in_care,
)

BANDS = ["under 1", "1-4", "5-9", "10-12", "13-15", "16", "17"]  # model states
BAND_WIDTH = np.array([1, 4, 5, 3, 3, 1, 1])
BAND_OF_AGE = np.array([0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6])
# Simulation rows: the bands under 1 to 16, then 17-year-olds by months left to their 18th birthday
# (row 6: one month left ... row 17: twelve), so children leave at 18 in the right month.
ROW_BAND = np.array([0, 1, 2, 3, 4, 5] + [6] * 12)
OUTPUT_BAND = {
    "under 1": "under 1",
    "1-4": "1-4",
    "5-9": "5-9",
    "10-12": "10-12",
    "13-15": "13-15",
    "16": "16-17",
    "17": "16-17",
}
AGE_BANDS = list(dict.fromkeys(OUTPUT_BAND.values()))  # what outputs and scenario files use
EXITS = list(EXIT_REASONS)
OUTCOMES = CATEGORIES + EXITS
LEVELS = (80, 95)
WEEKS_PER_YEAR = 365.25 / 7
TOTAL = "all"
SCENARIO_COLUMNS = ["change", "age_band", "placement_category", "to_category", "pct", "number"]
CHANGES = ("entries", "exits", "transfer")


@dataclass
class Observed:
    """What happened over the reference window, as counts (never child rows).

    transitions[band, category, outcome]: child-months in a state followed by each outcome;
    entries[age, category]: children entering care; origin[row, category]: children at the last
    snapshot by simulation row (ROW_BAND); aged_out: children leaving at 18; months: snapshots - 1.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    months: int
    transitions: np.ndarray
    entries: np.ndarray
    origin: np.ndarray
    aged_out: int
    monthly: pd.DataFrame  # date, category, stock, entries, exits (by category of the child's last state)
    yearly: pd.DataFrame | None = None  # per 12 months back from the end: entries, child_months, exits (not at 18)


@dataclass
class Result:
    """Simulated paths summarised: stock by (date, band, category) and monthly flows, with messages."""

    origin: pd.Timestamp
    stock: np.ndarray  # [sims, year-ends, band, category]
    dates: list[pd.Timestamp]  # the year-ends (31 March)
    monthly: np.ndarray  # [sims, months, category] stock at each month end
    entries: np.ndarray  # [sims, months, category]
    exits: np.ndarray  # [sims, months, reason + aged_out]
    month_dates: list[pd.Timestamp]
    messages: list[str] = field(default_factory=list)


def _age(dob: pd.Series, on: pd.Timestamp) -> np.ndarray:
    """Completed years of age on a date."""
    years = on.year - dob.dt.year - ((dob.dt.month > on.month) | ((dob.dt.month == on.month) & (dob.dt.day > on.day)))
    return years.to_numpy()


def window(
    years_held: list[int], reference_years: int, origin_year: int | None = None
) -> tuple[pd.Timestamp, pd.Timestamp, list[str]]:
    """The reference window: `reference_years` to 31 March of `origin_year` (default the latest return),
    no earlier than the 31 March before the first return (from then on every snapshot is complete)."""
    end_year = origin_year or max(years_held)
    if end_year not in years_held:
        raise CscError(
            f"origin year {end_year}: no SSDA903 return for it (returns {min(years_held)}-{max(years_held)})"
        )
    first = min(years_held) - 1
    start_year = max(end_year - reference_years, first)
    notes = []
    if start_year > end_year - reference_years:
        notes.append(
            f"Only {end_year - start_year} year(s) of returns before 31 March {end_year}: the rates use "
            f"those, not the {reference_years} asked for."
        )
    if start_year == end_year:
        raise CscError(f"no complete year of SSDA903 returns before 31 March {end_year} to estimate rates from")
    return pd.Timestamp(start_year, 3, 31), pd.Timestamp(end_year, 3, 31), notes


def observe(episodes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> Observed:
    """Count transitions, exits by reason and entries between month-end snapshots from `start` to `end`."""
    dates = list(pd.date_range(start, end, freq="ME"))
    eps = counted(episodes)
    cat_code = {c: i for i, c in enumerate(CATEGORIES)}
    snaps = []
    for t, d in enumerate(dates):
        now = in_care(eps, d)
        age = _age(now["DOB"], d)
        snaps.append(
            pd.DataFrame(
                {
                    "CHILD": now["CHILD"].to_numpy(),
                    "t": t,
                    "cat": now["category"].map(cat_code).to_numpy(),
                    "age": age,
                    "adult": age >= 18,
                }
            )
        )
    snap = pd.concat(snaps, ignore_index=True)
    snap = snap[~snap["adult"]]
    exits = eps[eps["REC"].str.startswith("E") & eps["DEC"].notna()]
    exits = exits.assign(
        t=np.searchsorted(
            np.array(dates, dtype="datetime64[ns]"), exits["DEC"].to_numpy(dtype="datetime64[ns]"), side="left"
        )
        - 1,
        reason=exits["REC"].map(REASON_OF),
    )
    reason = exits.drop_duplicates(["CHILD", "t"], keep="last").set_index(["CHILD", "t"])["reason"]
    dob = eps.drop_duplicates("CHILD").set_index("CHILD")["DOB"]

    now, nxt = snap, snap.assign(t=snap["t"] - 1)
    pairs = now[now["t"] < len(dates) - 1].merge(
        nxt[["CHILD", "t", "cat"]], on=["CHILD", "t"], how="left", suffixes=("", "_next")
    )
    band = BAND_OF_AGE[pairs["age"].to_numpy()]
    trans = np.zeros((len(BANDS), len(CATEGORIES), len(OUTCOMES)), int)
    stayed = pairs["cat_next"].notna()
    np.add.at(
        trans, (band[stayed], pairs["cat"][stayed].to_numpy(), pairs["cat_next"][stayed].astype(int).to_numpy()), 1
    )
    left = pairs[~stayed]
    next_date = pd.Series(np.array(dates)[left["t"].to_numpy() + 1], index=left.index)
    turned18 = (dob.reindex(left["CHILD"]) + pd.DateOffset(years=18)).to_numpy() <= next_date.to_numpy()
    why = pd.Series(list(zip(left["CHILD"], left["t"])), index=left.index).map(reason).fillna("other")
    ex = left[~turned18]
    np.add.at(
        trans,
        (
            BAND_OF_AGE[ex["age"].to_numpy()],
            ex["cat"].to_numpy(),
            len(CATEGORIES) + why[~turned18].map(EXITS.index).to_numpy(),
        ),
        1,
    )

    prev = snap.assign(t=snap["t"] + 1)[["CHILD", "t"]].assign(was=True)
    new = snap[snap["t"] > 0].merge(prev, on=["CHILD", "t"], how="left")
    new = new[new["was"].isna()]
    entries = np.zeros((18, len(CATEGORIES)), int)
    np.add.at(entries, (new["age"].to_numpy(), new["cat"].to_numpy()), 1)
    last = snap[snap["t"] == len(dates) - 1]
    bday = dob.reindex(last["CHILD"]) + pd.DateOffset(years=18)
    left_months = (bday.dt.year * 12 + bday.dt.month - (end.year * 12 + end.month)).clip(1, 12).to_numpy()
    row = np.where(last["age"].to_numpy() == 17, 5 + left_months, BAND_OF_AGE[last["age"].to_numpy()])
    origin = np.zeros((len(ROW_BAND), len(CATEGORIES)), int)
    np.add.at(origin, (row, last["cat"].to_numpy()), 1)

    monthly = snap.groupby(["t", "cat"]).size().rename("stock").to_frame()
    monthly["entries"] = new.groupby(["t", "cat"]).size()
    monthly["exits"] = left.assign(t=left["t"] + 1).groupby(["t", "cat"]).size()
    monthly = (
        monthly.reindex(
            pd.MultiIndex.from_product([range(len(dates)), range(len(CATEGORIES))], names=["t", "cat"]), fill_value=0
        )
        .fillna(0)
        .reset_index()
    )
    monthly = monthly.assign(date=np.array(dates)[monthly["t"]], category=np.array(CATEGORIES)[monthly["cat"]])
    last_t = len(dates) - 1
    yearly = pd.DataFrame(
        {
            "entries": new.groupby((last_t - new["t"]) // 12).size(),
            "child_months": pairs[~pairs.index.isin(left.index[turned18])]
            .groupby((last_t - 1 - pairs["t"]) // 12)
            .size(),
            "exits": ex.groupby((last_t - 1 - ex["t"]) // 12).size(),
        }
    ).fillna(0)
    yearly = yearly[yearly.index < last_t // 12]  # whole years only
    return Observed(
        start,
        end,
        last_t,
        trans,
        entries,
        origin,
        int(turned18.sum()),
        monthly[["date", "category", "stock", "entries", "exits"]].astype({"entries": int, "exits": int}),
        yearly,
    )


def dispersion(obs: Observed) -> tuple[float, float]:
    """Year-to-year variation of the entry rate and of the exit rate beyond chance (squared coefficient of
    variation, method of moments over the window's whole years; 0 with fewer than two years).

    The simulation multiplies each projected year's entry rate and exit probabilities by a Gamma factor with
    mean 1 and this variance, so the intervals allow for years like the ones seen, not only for chance."""
    y = obs.yearly
    if y is None or len(y) < 2:
        return 0.0, 0.0
    e = y["entries"].to_numpy(float)
    phi_e = max(0.0, (e.var(ddof=1) - e.mean()) / max(e.mean(), 1) ** 2)
    rate = y["exits"].to_numpy(float) / np.maximum(y["child_months"].to_numpy(float), 1)
    chance = (rate * (1 - rate) / np.maximum(y["child_months"].to_numpy(float), 1)).mean()
    phi_x = max(0.0, (rate.var(ddof=1) - chance) / max(rate.mean(), 1e-9) ** 2)
    return phi_e, phi_x


def rates_table(obs: Observed, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Monthly probabilities (%) by state over the window: stay, move, exit by reason. A state seen for
    fewer than `threshold` child-months is left out, and a percentage resting on 1 to threshold-1
    children's moves or exits is hidden ("c")."""
    rows = []
    k = len(CATEGORIES)
    for b, band in enumerate(BANDS):
        for c, cat in enumerate(CATEGORIES):
            counts = obs.transitions[b, c]
            n = counts.sum()
            if n < threshold:
                continue
            moves = counts[:k].sum() - counts[c]
            row = {
                "age_band": band,
                "placement_category": cat,
                "child_months": int(n),
                "stay_pct": 100 * counts[c] / n,
                "move_pct": 100 * moves / n,
                **{f"exit_{r}_pct": 100 * counts[k + i] / n for i, r in enumerate(EXITS)},
            }
            for col, count in [("move_pct", moves)] + [(f"exit_{r}_pct", counts[k + i]) for i, r in enumerate(EXITS)]:
                if 0 < count < threshold:
                    row[col] = SUPPRESSED
            rows.append(row)
    return pd.DataFrame(rows)


# ---- scenarios ---------------------------------------------------------------------------------


def check_scenario(frame: pd.DataFrame, name: str = "scenario") -> pd.DataFrame:
    """Validate a scenario table: one change a row (entries / exits by pct or number, transfer by number)."""
    frame = frame.rename(columns=lambda c: c.strip().lower())
    if "change" not in frame:
        raise CscError(f"{name}: missing column 'change'; expected {', '.join(SCENARIO_COLUMNS)}")
    out = frame.reindex(columns=SCENARIO_COLUMNS).astype(object)
    out = out.where(out.notna(), "").astype(str).apply(lambda s: s.str.strip())
    for i, row in out.iterrows():
        where = f"{name} row {i + 2}"
        if row["change"] not in CHANGES:
            raise CscError(f"{where}: change {row['change']!r} is not one of {', '.join(CHANGES)}")
        if row["age_band"] not in ("", TOTAL, *AGE_BANDS):
            raise CscError(f"{where}: age_band {row['age_band']!r} is not one of {', '.join(AGE_BANDS)} (or blank)")
        for col in ("placement_category", "to_category"):
            if row[col] not in ("", TOTAL, *CATEGORIES):
                raise CscError(f"{where}: {col} {row[col]!r} is not one of {', '.join(CATEGORIES)} (or blank)")
        for col in ("pct", "number"):
            if row[col] and pd.isna(pd.to_numeric(row[col], errors="coerce")):
                raise CscError(f"{where}: {col} {row[col]!r} is not a number")
        if row["change"] == "transfer":
            if not (
                row["placement_category"] not in ("", TOTAL)
                and row["to_category"] not in ("", TOTAL)
                and row["number"]
                and float(row["number"]) > 0
            ):
                raise CscError(f"{where}: a transfer needs placement_category, to_category and a number > 0 a month")
        elif bool(row["pct"]) == bool(row["number"]):
            raise CscError(f"{where}: give either pct or number for a change in {row['change']}")
        elif row["change"] == "exits" and row["number"]:
            raise CscError(f"{where}: exits change by pct only")
        elif row["pct"] and float(row["pct"]) < -100:
            raise CscError(f"{where}: pct {row['pct']} is below -100")
    return out


def _mask(row: pd.Series, ages_axis: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which model age rows (single years or bands) and categories a scenario row applies to."""
    bands = [b for b in BANDS if row["age_band"] in ("", TOTAL) or OUTPUT_BAND[b] == row["age_band"]]
    band_ok = np.isin(BANDS, bands)
    age_ok = band_ok[BAND_OF_AGE] if ages_axis else band_ok
    cat_ok = np.array([row["placement_category"] in ("", TOTAL) or c == row["placement_category"] for c in CATEGORIES])
    return age_ok, cat_ok


def describe_scenario(scenario: pd.DataFrame) -> str:
    """The scenario in words, e.g. '10% fewer entries aged 13-15; 5 children a month from residential to fostering'."""
    parts = []
    for _, r in scenario.iterrows():
        who = " ".join(
            x
            for x in (
                f"aged {r['age_band']}" if r["age_band"] not in ("", TOTAL) else "",
                f"in {r['placement_category']}"
                if r["placement_category"] not in ("", TOTAL) and r["change"] != "transfer"
                else "",
            )
            if x
        )
        if r["change"] == "transfer":
            parts.append(
                f"{float(r['number']):g} children a month moved from {r['placement_category']} to "
                f"{r['to_category']}" + (f" ({who})" if who else "")
            )
        elif r["pct"]:
            pct = float(r["pct"])
            parts.append(f"{abs(pct):g}% {'fewer' if pct < 0 else 'more'} {r['change']}" + (f" {who}" if who else ""))
        else:
            n = float(r["number"])
            parts.append(f"{abs(n):g} {'fewer' if n < 0 else 'more'} entries a month" + (f" {who}" if who else ""))
    return "; ".join(parts)


# ---- simulation ----------------------------------------------------------------------------------


def _draw_rates(obs: Observed, rng: np.random.Generator, sims: int) -> tuple[np.ndarray, np.ndarray]:
    """Transition probabilities [sims, band, cat, outcome] and entry intensities [sims, age, cat] a month."""
    counts = obs.transitions.astype(float)
    pooled = counts.sum(axis=0, keepdims=True)
    overall = pooled.sum(axis=1, keepdims=True)
    prior = np.where(
        pooled.sum(-1, keepdims=True) > 0,
        pooled / np.maximum(pooled.sum(-1, keepdims=True), 1),
        overall / max(overall.sum(), 1),
    )
    alpha = counts + prior + 1e-3
    g = rng.gamma(alpha, size=(sims, *alpha.shape))
    p = g / g.sum(-1, keepdims=True)
    total = obs.entries.sum()
    lam = rng.gamma(total + 0.5, 1 / max(obs.months, 1), size=sims)
    share = rng.gamma(obs.entries.astype(float) + 0.05, size=(sims, *obs.entries.shape))
    share /= share.sum(axis=(1, 2), keepdims=True)
    return p, lam[:, None, None] * share


def _apply(scenario: pd.DataFrame | None, p: np.ndarray, entry: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """Scenario changes to rates (entries, exits) and the monthly transfers to make on every path."""
    p, entry = p.copy(), entry.copy()
    transfers: list = []
    if scenario is None:
        return p, entry, transfers
    for _, row in scenario.iterrows():
        if row["change"] == "entries":
            age_ok, cat_ok = _mask(row, ages_axis=True)
            cell = np.outer(age_ok, cat_ok)
            if row["pct"]:
                entry[:, cell] *= 1 + float(row["pct"]) / 100
            else:
                base = entry * cell
                add = float(row["number"]) * base / np.maximum(base.sum(axis=(1, 2), keepdims=True), 1e-12)
                entry = np.clip(entry + add, 0, None)
        elif row["change"] == "exits":
            band_ok, cat_ok = _mask(row, ages_axis=False)
            p = scale_exits(p, np.full(p.shape[0], 1 + float(row["pct"]) / 100), np.outer(band_ok, cat_ok))
        else:
            band_ok, _ = _mask(row, ages_axis=False)
            transfers.append(
                (
                    band_ok,
                    CATEGORIES.index(row["placement_category"]),
                    CATEGORIES.index(row["to_category"]),
                    float(row["number"]),
                )
            )
    return p, entry, transfers


def simulate(
    obs: Observed, horizon: int = 3, scenario: pd.DataFrame | None = None, sims: int = 1000, seed: int = 0
) -> Result:
    """Project `horizon` years past the end of the window, month by month, on `sims` paths."""
    if not 1 <= horizon <= 3:
        raise CscError(f"horizon {horizon}: the SSDA903 model projects 1 to 3 years")
    rng = np.random.default_rng(seed)
    p, entry = _draw_rates(obs, rng, sims)
    p, entry, transfers = _apply(scenario, p, entry)
    months = 12 * horizon
    k = len(CATEGORIES)
    monthly = np.empty((sims, months, k), np.int64)
    entries = np.empty((sims, months, k), np.int64)
    exits = np.empty((sims, months, len(EXITS) + 1), np.int64)
    stock = np.empty((sims, horizon, len(BANDS), k), np.int64)
    # Under 17, children are taken as spread evenly over the ages of their band; 17-year-olds by month.
    n = np.repeat(obs.origin[None].astype(np.int64), sims, axis=0)  # [sims, row, cat]
    up_p = 1 / (12 * BAND_WIDTH[:6])
    entry_rows = np.zeros((sims, len(ROW_BAND), k))
    np.add.at(entry_rows, (slice(None), BAND_OF_AGE[:17]), entry[:, :17])  # type: ignore[arg-type]  # numpy takes it
    entry_rows[:, 6:] += entry[:, 17:18] / 12
    year_e, year_x = (
        _year_factors(rng, phi, len(obs.yearly) if obs.yearly is not None else 1, sims, horizon)
        for phi in dispersion(obs)
    )
    for m in range(months):
        if m % 12 == 0:
            p_rows = scale_exits(p, year_x[:, m // 12])[:, ROW_BAND]
        out = rng.multinomial(n, p_rows)  # [sims, row, cat, outcome]
        moved = out[..., :k].sum(axis=2)  # into each category
        exits[:, m, : len(EXITS)] = out[..., k:].sum(axis=(1, 2))
        exits[:, m, -1] = moved[:, 6].sum(-1)  # 18th birthday this month
        up = rng.binomial(moved[:, :6], up_p[None, :, None])
        aged = np.zeros_like(moved)
        aged[:, :6] = moved[:, :6] - up
        aged[:, 1:6] += up[:, :5]
        aged[:, 17] = up[:, 5]  # 16 -> 17 with twelve months to go
        aged[:, 6:17] += moved[:, 7:]  # a month nearer 18
        new = rng.poisson(entry_rows * year_e[:, m // 12, None, None])
        entries[:, m] = new.sum(axis=1)
        n = aged + new
        for band_ok, src, dst, number in transfers:
            _transfer(n, band_ok[ROW_BAND], src, dst, number)
        monthly[:, m] = n.sum(axis=1)
        if (m + 1) % 12 == 0:
            stock[:, (m + 1) // 12 - 1] = np.concatenate([n[:, :6], n[:, 6:].sum(axis=1, keepdims=True)], axis=1)
    end = obs.end
    dates = [pd.Timestamp(end.year + h, 3, 31) for h in range(1, horizon + 1)]
    month_dates = list(pd.date_range(end + pd.Timedelta(days=1), periods=months, freq="ME"))
    return Result(end, stock, dates, monthly, entries, exits, month_dates)


def _year_factors(rng: np.random.Generator, phi: float, years: int, sims: int, horizon: int) -> np.ndarray:
    """Multipliers (mean 1) for each path and projected year: the level, a mean of `years` years that vary
    with variance `phi`, is uncertain by phi / years; each projected year varies by phi around it."""
    if phi <= 0:
        return np.ones((sims, horizon))
    level = rng.gamma(years / phi, phi / years, (sims, 1))
    return level * rng.gamma(1 / phi, phi, (sims, horizon))


def scale_exits(p: np.ndarray, factor: np.ndarray, sel: np.ndarray | None = None) -> np.ndarray:
    """Exit probabilities times `factor` (one per path) in the selected (band, category) states; the change
    is taken from or given to staying in the same placement (no exit above what staying leaves room for)."""
    k = len(CATEGORIES)
    sel = np.ones(p.shape[1:3], bool) if sel is None else sel
    idx = np.arange(k)
    stay = p[:, :, idx, idx]
    room = stay + p[..., k:].sum(-1)
    total = p[..., k:].sum(-1, keepdims=True)
    exits = np.minimum(
        p[..., k:] * factor[:, None, None, None], room[..., None] * p[..., k:] / np.maximum(total, 1e-12)
    )
    out = p.copy()
    out[..., k:] = np.where(sel[None, :, :, None], exits, p[..., k:])
    out[:, :, idx, idx] = np.where(sel[None], np.clip(room - out[..., k:].sum(-1), 0, 1), stay)
    return np.clip(out, 0, 1)  # rounding can leave 1 + 1e-16


def _transfer(n: np.ndarray, band_ok: np.ndarray, src: int, dst: int, number: float) -> None:
    """Move up to `number` children a month from category src to dst on every path, older children first."""
    left = np.minimum((n[:, :, src] * band_ok).sum(axis=1), round(number))
    for b in range(n.shape[1] - 1, -1, -1):
        if not band_ok[b]:
            continue
        take = np.minimum(n[:, b, src], left)
        n[:, b, src] -= take
        n[:, b, dst] += take
        left = left - take


# ---- tables, costs, suppression -------------------------------------------------------------------

COST_COLUMNS = ["placement_category", "weekly_cost"]


def check_costs(frame: pd.DataFrame, name: str = "costs") -> np.ndarray:
    """Weekly cost (£) per placement category, in CATEGORIES order, from a table with one row per category."""
    frame = frame.rename(columns=lambda c: c.strip().lower())
    missing = [c for c in COST_COLUMNS if c not in frame]
    if missing:
        raise CscError(f"{name}: missing column {missing[0]!r}; expected {', '.join(COST_COLUMNS)}")
    cats = frame["placement_category"].astype(str).str.strip()
    unknown = cats[~cats.isin(CATEGORIES)]
    if len(unknown):
        raise CscError(f"{name}: placement_category {unknown.iloc[0]!r} is not one of {', '.join(CATEGORIES)}")
    twice = cats[cats.duplicated()]
    if len(twice):
        raise CscError(f"{name}: placement_category {twice.iloc[0]!r} is listed twice")
    absent = [c for c in CATEGORIES if c not in set(cats)]
    if absent:
        raise CscError(f"{name}: no weekly_cost for {', '.join(absent)}; every category needs one")
    cost = pd.to_numeric(frame["weekly_cost"], errors="coerce")
    bad = frame.loc[cost.isna() | (cost < 0), "weekly_cost"]
    if len(bad):
        raise CscError(f"{name}: weekly_cost {str(bad.iloc[0])!r} is not a number of 0 or more")
    return cost.set_axis(cats).reindex(CATEGORIES).to_numpy(float)


def published_costs(published: pd.DataFrame, la_code: str) -> tuple[np.ndarray | None, str]:
    """The LA's published spend per child looked after (latest year, `finance.unit_cost`), a week, for every
    category; None and why when there is no usable figure."""
    from .finance import unit_cost

    latest, why_not = unit_cost(published, la_code)
    if latest is None:
        return None, f"No costs: the LA {why_not}."
    weekly = float(latest["value"]) / WEEKS_PER_YEAR
    return np.full(len(CATEGORIES), weekly), (
        f"Costs use the LA's published spend on children looked after per child looked after in "
        f"{int(latest['year']) - 1}-{str(int(latest['year']))[2:]} "
        f"(£{latest['value']:,.0f} a year, £{weekly:,.0f} a week) for "
        "every placement category: a rough unit cost, the same for fostering as for residential care."
    )


def _output_bands(x: np.ndarray) -> np.ndarray:
    """Model bands [..., 7, K] -> output bands [..., 6, K] (16 and 17 together)."""
    return np.concatenate([x[..., :5, :], x[..., 5:, :].sum(axis=-2, keepdims=True)], axis=-2)


def _cells(x: np.ndarray, weekly: np.ndarray | None):
    """(age_band, category, children, cost) for every band and category and their totals; x[..., 6, K]."""
    for bi, band in enumerate(AGE_BANDS + [TOTAL]):
        xb = x.sum(axis=-2) if band == TOTAL else x[..., bi, :]
        for ci, cat in enumerate(CATEGORIES + [TOTAL]):
            children = xb.sum(axis=-1) if cat == TOTAL else xb[..., ci]
            cost = None
            if weekly is not None:
                per = xb * weekly * WEEKS_PER_YEAR
                cost = per.sum(axis=-1) if cat == TOTAL else per[..., ci]
            yield band, cat, children, cost


def actual_stock(episodes: pd.DataFrame, years: list[int]) -> np.ndarray:
    """Children looked after at 31 March of each year, [year, band, category] (model bands)."""
    cat_code = {c: i for i, c in enumerate(CATEGORIES)}
    out = np.zeros((len(years), len(BANDS), len(CATEGORIES)), int)
    for i, y in enumerate(years):
        d = pd.Timestamp(y, 3, 31)
        now = in_care(episodes, d)
        age = _age(now["DOB"], d)
        keep = age < 18
        np.add.at(out[i], (BAND_OF_AGE[age[keep]], now["category"].map(cat_code).to_numpy()[keep]), 1)
    return out


def projection_rows(result: Result, kind: str, weekly: np.ndarray | None = None) -> pd.DataFrame:
    """Mean and 80%/95% intervals of children (and yearly cost) at each projected 31 March."""
    x = _output_bands(result.stock)
    rows = []
    for band, cat, children, cost in _cells(x, weekly):
        for h, date in enumerate(result.dates):
            row = {
                "date": date.date().isoformat(),
                "placement_category": cat,
                "age_band": band,
                "kind": kind,
                "children": children[:, h].mean(),
            }
            for lv in LEVELS:
                row[f"lo{lv}"], row[f"hi{lv}"] = np.percentile(children[:, h], [50 - lv / 2, 50 + lv / 2])
            if cost is not None:
                row["cost"] = cost[:, h].mean()
                row["cost_low"], row["cost_high"] = np.percentile(cost[:, h], [10, 90])
            rows.append(row)
    return pd.DataFrame(rows)


def actual_rows(stock: np.ndarray, years: list[int], weekly: np.ndarray | None = None) -> pd.DataFrame:
    """Children looked after at each 31 March in the returns, by band and category (kind `actual`)."""
    rows = []
    for band, cat, children, cost in _cells(_output_bands(stock), weekly):
        for i, y in enumerate(years):
            row = {
                "date": f"{y}-03-31",
                "placement_category": cat,
                "age_band": band,
                "kind": "actual",
                "children": float(children[i]),
            }
            if cost is not None:
                row["cost"] = float(cost[i])
            rows.append(row)
    return pd.DataFrame(rows)


def suppress_table(table: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Hide children (and the row's intervals and costs) when fewer than `threshold`, with secondary
    suppression across categories and across age bands against their `all` totals; an interval bound
    between 1 and threshold-1 is hidden too. Projected means are rounded to whole children first."""
    out = table.copy()
    whole = [c for c in ("children", "lo80", "hi80", "lo95", "hi95", "cost", "cost_low", "cost_high") if c in out]
    out[whole] = out[whole].round()
    hidden = pd.Series(False, index=out.index)
    for _ in range(3):  # repeat: a cell hidden in one direction can expose another in the other
        before = hidden.copy()
        for keys, label in (
            (["kind", "date", "age_band"], "placement_category"),
            (["kind", "date", "placement_category"], "age_band"),
        ):
            for _, g in out.groupby(keys):
                hid = (
                    suppress(
                        g, ["children"], threshold, TOTAL, label, already_hidden=hidden[g.index].to_frame("children")
                    )["children"]
                    == SUPPRESSED
                )
                hidden[g.index] |= hid
        if hidden.equals(before):
            break
    numeric = [c for c in ("children", "lo80", "hi80", "lo95", "hi95", "cost", "cost_low", "cost_high") if c in out]
    out[numeric] = out[numeric].astype(object)
    out.loc[hidden, numeric] = SUPPRESSED
    return suppress(out, [c for c in ("lo80", "hi80", "lo95", "hi95") if c in out], threshold)


def long_table(
    actual: pd.DataFrame, baseline: pd.DataFrame, scenario: pd.DataFrame | None, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """The `project --ssda903` table: actual, baseline and scenario rows, suppressed."""
    table = pd.concat([actual, baseline] + ([scenario] if scenario is not None else []), ignore_index=True)
    columns = ["date", "placement_category", "age_band", "kind", "children", "lo80", "hi80", "lo95", "hi95"]
    columns += [c for c in ("cost", "cost_low", "cost_high") if c in table]
    return suppress_table(table.reindex(columns=columns), threshold)


@dataclass
class Projection:
    """Everything the CLI and notebook 07 show: the observed window, both projections, the table."""

    observed: Observed
    baseline: Result
    scenario: Result | None
    table: pd.DataFrame  # suppressed long table (see long_table)
    messages: list[str]


def project(
    returns,
    reference_years: int = 3,
    horizon: int = 3,
    scenario: pd.DataFrame | None = None,
    weekly: np.ndarray | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    sims: int = 1000,
    seed: int = 0,
    origin_year: int | None = None,
) -> Projection:
    """Fit the model on the last `reference_years` of the stitched returns and project `horizon` years."""
    if reference_years < 1:
        raise CscError(f"reference years {reference_years} must be at least 1")
    start, end, notes = window(returns.years, reference_years, origin_year)
    obs = observe(returns.episodes, start, end)
    if obs.origin.sum() == 0:
        raise CscError(f"no children looked after on 31 March {end.year} in the SSDA903 files: nothing to project")
    base = simulate(obs, horizon, None, sims, seed)
    scen = simulate(obs, horizon, scenario, sims, seed) if scenario is not None else None
    years = [y for y in returns.years if y <= end.year]
    actual = actual_rows(actual_stock(returns.episodes, years), years, weekly)
    table = long_table(
        actual,
        projection_rows(base, "baseline", weekly),
        projection_rows(scen, "scenario", weekly) if scen is not None else None,
        threshold,
    )
    months = obs.months
    notes.append(
        f"Rates from {months} months of returns, 31 March {start.year} to 31 March {end.year}: "
        f"{count_text(int(obs.entries.sum()), threshold)} children entered care (seen at a month end) and "
        f"{count_text(obs.aged_out, threshold)} left at 18."
    )
    if scenario is not None:
        notes.append(f"Scenario: {describe_scenario(scenario)}.")
    return Projection(obs, base, scen, table, notes)


# ---- for notebook 07 ------------------------------------------------------------------------------

# The scenario shown when none is given: the two changes committees ask about most often.
EXAMPLE_SCENARIO = pd.DataFrame(
    {
        "change": ["entries", "transfer"],
        "age_band": ["13-15", ""],
        "placement_category": ["", "residential"],
        "to_category": ["", "fostering"],
        "pct": ["-10", ""],
        "number": ["", "5"],
    }
)
BACKTEST = PACKAGE_DIR / "cla_model_backtest.csv"  # written by benchmarks/ssda903_backtest.py


def yearly_flows(obs: Observed, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Entries and exits (including at 18) seen at month ends, by year to 31 March and category, suppressed.
    Only whole years of the window are shown."""
    m = obs.monthly[obs.monthly["date"] > obs.start]
    m = m.assign(year=m["date"].dt.year + (m["date"].dt.month > 3))
    whole = m.groupby("year")["date"].nunique() == 12
    m = m[m["year"].isin(whole[whole].index)]
    long = m.melt(id_vars=["year", "category"], value_vars=["entries", "exits"], var_name="flow", value_name="children")
    out = long.groupby(["year", "flow", "category"], as_index=False)["children"].sum()
    return suppress(out, ["children"], threshold)


def backtest_verdict(summary: pd.DataFrame) -> str:
    """The backtest in plain words: which method had the smallest error at 1 and 2 years (total and by
    placement category) and how often this model's intervals held the outcome."""
    words = {"markov": "this model", "no_change": "assuming no change", "flows": "the published-flows projection"}
    parts, best_total, narrow = [], set(), False
    for step in (1, 2):
        rows = summary[summary["step"] == step]
        total = rows[rows["category"] == TOTAL].set_index("method")
        if total.empty:
            continue
        best = total["mae"].idxmin()
        best_total.add(best)
        narrow |= total.at["markov", "cover80"] < 75 or total.at["markov", "cover95"] < 90
        errors = ", ".join(f"{words[m]} {total.at[m, 'mae']:,.1f}" for m in total["mae"].sort_values().index)
        cats = rows[(rows["category"] != TOTAL) & rows["best"]]
        won = [CATEGORY_LABELS[c].lower() for c in cats.loc[cats["method"] == "markov", "category"]]
        parts.append(
            f"**{step} year{'s' if step > 1 else ''} ahead**, {words[best]} came closest for the total "
            f"(mean error in children: {errors}); this model was closest in {len(won)} of {len(cats)} "
            f"placement categories{' (' + ', '.join(won) + ')' if won else ''}, and its 80% intervals held "
            f"the outcome {total.at['markov', 'cover80']:.0f}% of the time, its 95% intervals "
            f"{total.at['markov', 'cover95']:.0f}%."
        )
    if not parts:
        return "No backtest results are available."
    advice = []
    if "markov" not in best_total:
        advice.append(
            "the total is forecast no better than by the simpler methods, so use this projection for the "
            "split by placement and for comparing scenarios rather than for the total alone"
        )
    if narrow:
        advice.append("its intervals were too narrow in the backtest: treat them as the least uncertainty to plan for")
    return (
        "Backtest on synthetic LAs (see README): "
        + " ".join(parts)
        + (" In short: " + "; ".join(advice) + "." if advice else "")
    )
