"""Synthetic SSDA903 returns for an LA: its published stock, starts and ceased, no real child.

SYNTHETIC: every child ID starts `SYN-C9`, and a README_SYNTHETIC.txt in the folder says so. For
each published year (the longest run of consecutive years ending at `end_year` with children looked
after at 31 March, starting and ceasing all published), the stitched returns give exactly the LA's
published figures, counted as DfE counts them (each child once a year):

- children starting = B (start, still looked after at 31 March) + D (start and cease within the
  year) + |gap|, ceased = A (looked after at the start, cease) + D + |gap|, where gap = stock -
  (last year's stock + starts - ceased) in the published figures. A positive gap is met by children
  who start, cease and start again in the year; a negative one by children who cease, return and
  cease again. D is 12% of the smaller flow (more when
  there are too few children looked after to cease otherwise, less if the gap needs it).
- Children leave care on their 18th birthday; a child who would turn 18 while the figures need
  them to stay is made a year younger.
- Placement mix: the published LA files bundled have no placement type at 31 March, so placements
  are drawn from an ILLUSTRATIVE mix by age (`MIX_BY_AGE`, close to England's shares at 31 March
  2024: about two-thirds fostering, one in six residential or supported) and about a quarter of
  children move placement each year. The mix is not the LA's own.
- The first year's opening stock is the identity (stock - starts + ceased), with start dates spread
  over the years before; returns run 1 April to 31 March and overlap as real returns do (an episode
  open on 31 March is in that year's return without DEC and in the next with it).
"""

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CscError
from ..projection import history
from ..registry import LA
from ..ssda903 import EPISODES, PLACE_CATEGORY

AGE_BANDS = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 18)]
STOCK_AGES = [0.05, 0.14, 0.18, 0.38, 0.25]  # children looked after at 31 March, by AGE_BANDS
ENTRY_AGES = [0.19, 0.16, 0.16, 0.35, 0.14]  # children starting to be looked after
MIX_BY_AGE = {  # ILLUSTRATIVE: fostering, residential, supported, parents, adoption, other
    0: [0.82, 0.00, 0.00, 0.04, 0.08, 0.06],
    1: [0.80, 0.01, 0.00, 0.07, 0.07, 0.05],
    2: [0.83, 0.04, 0.00, 0.07, 0.01, 0.05],
    3: [0.72, 0.16, 0.02, 0.05, 0.00, 0.05],
    4: [0.55, 0.15, 0.25, 0.02, 0.00, 0.03],
}
CATEGORY_ORDER = ["fostering", "residential", "supported", "parents", "adoption", "other"]
PLACES = {
    "fostering": (["U4", "U5", "U6", "U1", "U3"], [0.4, 0.25, 0.2, 0.1, 0.05]),
    "residential": (["K2", "K1", "R1"], [0.88, 0.04, 0.08]),
    "supported": (["H5", "P2", "Z1"], [0.5, 0.3, 0.2]),  # from 1 April 2024: Z1 (H5, P2 removed)
    "parents": (["P1"], [1.0]),
    "adoption": (["A5", "A6", "A3"], [0.5, 0.4, 0.1]),
    "other": (["S1", "R2", "R5", "T4", "P3"], [0.3, 0.2, 0.2, 0.2, 0.1]),
}
LEGAL = (["C2", "C1", "E1", "V2", "J2"], [0.72, 0.1, 0.06, 0.1, 0.02])
MOVE_RATE = 0.25  # chance a child looked after during a year moves placement in it
SHORT_SHARE = 0.12  # children who start and cease within the same year, share of the smaller flow
DAY = pd.Timedelta(days=1)
HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]


def _years(published: pd.DataFrame, la: LA, end_year: int, years: int) -> pd.DataFrame:
    hist = history(published, la).dropna(subset=["stock", "starts", "ceased"])
    hist = hist[(hist["year"] <= end_year)].tail(years)
    if hist.empty or hist["year"].iloc[-1] != end_year:
        raise CscError(
            f"{la.la_name} has no published children looked after, starts and ceased for {end_year} "
            "to base synthetic SSDA903 returns on"
        )
    run = (hist["year"].diff().fillna(1) != 1)[::-1].cumsum()[::-1] == 0  # consecutive years ending at end_year
    return hist[run].reset_index(drop=True)


def _birthday18(dob: pd.Timestamp) -> pd.Timestamp:
    return dob + pd.DateOffset(years=18)


def _band(dob: pd.Timestamp, on: pd.Timestamp) -> int:
    age = (on - dob).days / 365.25
    return next(i for i, (lo, hi) in enumerate(AGE_BANDS) if age < hi or i == len(AGE_BANDS) - 1)


class _Builder:
    """Children's periods of care and placement moves, built year by year."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.children: list[dict] = []

    def new_child(self, dob: pd.Timestamp) -> dict:
        child = {
            "id": f"SYN-C9{len(self.children) + 1:06d}",
            "dob": dob,
            "sex": int(self.rng.integers(1, 3)),
            "ethnic": self.rng.choice(["WBRI", "WOTH", "MWBC", "APKN", "ABAN", "BAFR", "OOTH"]),
            "periods": [],
        }
        self.children.append(child)
        return child

    def dob_for(self, age_band: int, on: pd.Timestamp, latest_18th: pd.Timestamp | None = None) -> pd.Timestamp:
        lo, hi = AGE_BANDS[age_band]
        dob = on - pd.Timedelta(days=int(self.rng.uniform(lo, hi) * 365.25))
        if latest_18th is not None and _birthday18(dob) <= latest_18th:
            dob = latest_18th - pd.DateOffset(years=18) + pd.Timedelta(days=int(self.rng.integers(1, 300)))
        return dob

    def place(self, child: dict, on: pd.Timestamp, avoid: str | None = None) -> str:
        weights = np.array(MIX_BY_AGE[_band(child["dob"], on)], float)
        if avoid is not None and weights.sum() > weights[CATEGORY_ORDER.index(avoid)]:
            weights[CATEGORY_ORDER.index(avoid)] = 0
        category = CATEGORY_ORDER[self.rng.choice(6, p=weights / weights.sum())]
        codes, p = PLACES[category]
        if category == "supported" and on >= pd.Timestamp(2024, 4, 1):
            return "Z1"
        return _pick(self.rng, (codes, p))

    def start(self, child: dict, on: pd.Timestamp) -> None:
        child["periods"].append(
            {"start": on, "end": None, "rec": "", "ls": _pick(self.rng, LEGAL), "moves": [(on, self.place(child, on))]}
        )

    def cease(self, child: dict, on: pd.Timestamp, rec: str | None = None) -> None:
        period = child["periods"][-1]
        period["end"] = on
        age = (on - child["dob"]).days / 365.25
        if rec is None:
            options = (
                (["E11", "E13", "E41", "E45"], [0.3, 0.4, 0.15, 0.15])
                if age < 5
                else (["E13", "E4A", "E41", "E8", "E7"], [0.45, 0.15, 0.15, 0.1, 0.15])
                if age >= 16
                else (["E13", "E4A", "E41", "E45", "E8"], [0.45, 0.15, 0.15, 0.1, 0.15])
            )
            rec = _pick(self.rng, options)
        period["rec"] = rec
        if rec == "E11" and (on - period["moves"][-1][0]).days > 120:
            when = on - pd.Timedelta(days=int(self.rng.integers(60, 120)))
            period["moves"].append((when, _pick(self.rng, PLACES["adoption"])))

    def in_care(self) -> list[dict]:
        return [c for c in self.children if c["periods"] and c["periods"][-1]["end"] is None]

    def moves(self, first: pd.Timestamp, last: pd.Timestamp) -> None:
        """About MOVE_RATE of children looked after in [first, last] move placement once in it."""
        for child in self.children:
            for period in child["periods"]:
                lo = max(period["start"], period["moves"][-1][0], first) + DAY
                hi = min(period["end"] or last, last) - DAY
                if hi > lo and self.rng.random() < MOVE_RATE:
                    when = lo + pd.Timedelta(days=int(self.rng.integers(0, (hi - lo).days + 1)))
                    if period["end"] is None or when < period["end"]:
                        category = PLACE_CATEGORY[period["moves"][-1][1]]
                        period["moves"].append((when, self.place(child, when, avoid=category)))
                        period["moves"].sort()


def _pick(rng, options: tuple[list[str], list[float]]) -> str:
    codes, p = options
    return str(codes[rng.choice(len(codes), p=p)])


def _date_in(rng, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    return first + pd.Timedelta(days=int(rng.integers(0, max((last - first).days, 0) + 1)))


def simulate(published: pd.DataFrame, la: LA, end_year: int = 2025, years: int = 5, seed: int = 0) -> pd.DataFrame:
    """Every synthetic child's episodes (CHILD, DOB, SEX, ETHNIC, DECOM, DEC, RNE, LS, PLACE, REC)."""
    hist = _years(published, la, end_year, years)
    rng = np.random.default_rng([seed, int(la.la_code)])
    b = _Builder(rng)
    first_year = int(hist["year"].iloc[0])
    opening = pd.Timestamp(first_year - 1, 3, 31)
    stock0 = int(hist["stock"].iloc[0] - hist["starts"].iloc[0] + hist["ceased"].iloc[0])
    for band in rng.choice(5, size=max(stock0, 0), p=STOCK_AGES):
        child = b.new_child(b.dob_for(int(band), opening, latest_18th=opening + 30 * DAY))
        b.start(child, _date_in(rng, max(child["dob"], opening - 5 * 365 * DAY), opening - DAY))
    previous = stock0
    for row in hist.itertuples():
        y0, y1 = pd.Timestamp(row.year - 1, 4, 1), pd.Timestamp(row.year, 3, 31)
        starts, ceased = int(row.starts), int(row.ceased)
        gap = int(row.stock - (previous + starts - ceased))
        current = b.in_care()
        # Short stays: SHARE of the smaller flow, or more when there are not enough children to cease otherwise.
        short = max(round(SHORT_SHARE * min(starts, ceased)), ceased - abs(gap) - max(-gap, 0) - len(current))
        short = max(0, min(short, min(starts, ceased) - abs(gap)))
        stay_new, leave_old = starts - short - abs(gap), ceased - short - abs(gap)
        if stay_new < 0 or leave_old < 0 or leave_old + max(-gap, 0) > len(current):
            raise CscError(
                f"{la.la_name} {row.year}: published stock {row.stock:.0f}, starts {starts}, ceased {ceased} "
                "cannot be reproduced by synthetic children"
            )
        turning = [c for c in current if _birthday18(c["dob"]) <= y1]
        others = [c for c in current if _birthday18(c["dob"]) > y1]
        n_out = leave_old + max(-gap, 0)
        for c in turning[n_out:]:  # more 18th birthdays than leavers: these children are made a year younger
            c["dob"] = c["dob"] + pd.DateOffset(years=1)
            others.append(c)
        turning = turning[:n_out]
        rng.shuffle(others)
        weights = np.array([[0.5, 0.45, 0.2, 0.2, 0.45][_band(c["dob"], y0)] for c in others])
        picked: Any = (
            rng.choice(len(others), size=n_out - len(turning), replace=False, p=weights / weights.sum())
            if n_out > len(turning)
            else []
        )
        leavers = [others[i] for i in picked]
        for c in leavers[: max(-gap, 0)]:  # cease, return, cease again
            out = _date_in(rng, y0, y0 + 150 * DAY)
            back = out + pd.Timedelta(days=int(rng.integers(14, 60)))
            b.cease(c, out)
            b.start(c, back)
            b.cease(c, _date_in(rng, back + 7 * DAY, min(y1, _birthday18(c["dob"]) - DAY)))
        for c in leavers[max(-gap, 0) :]:
            b.cease(c, _date_in(rng, y0, min(y1, _birthday18(c["dob"]) - DAY)))
        for c in turning:
            b.cease(
                c, max(_birthday18(c["dob"]), y0), rec=_pick(rng, (["E17", "E7", "E8", "E9"], [0.3, 0.5, 0.15, 0.05]))
            )
        for kind, n in (("stay", stay_new), ("short", short), ("again", max(gap, 0))):
            for band in rng.choice(5, size=n, p=ENTRY_AGES):
                first = _date_in(rng, y0, y1 - 30 * DAY)
                c = b.new_child(b.dob_for(int(band), first, latest_18th=y1 + 30 * DAY))
                c["dob"] = min(c["dob"], first)
                b.start(c, first)
                if kind == "short":
                    b.cease(c, _date_in(rng, first + DAY, min(first + 120 * DAY, y1)))
                elif kind == "again":
                    out = _date_in(rng, first + DAY, first + 14 * DAY)
                    b.cease(c, out)
                    b.start(c, _date_in(rng, out + DAY, y1))
        b.moves(y0, y1)
        previous = int(row.stock)
    return _episodes(b.children)


def _episodes(children: list[dict]) -> pd.DataFrame:
    rows = []
    for c in children:
        for period in c["periods"]:
            moves = period["moves"]
            for i, (when, place) in enumerate(moves):
                last = i == len(moves) - 1
                rows.append(
                    {
                        "CHILD": c["id"],
                        "DOB": c["dob"],
                        "SEX": c["sex"],
                        "ETHNIC": c["ethnic"],
                        "DECOM": when,
                        "RNE": "S" if i == 0 else "P",
                        "LS": period["ls"],
                        "PLACE": place,
                        "DEC": period["end"] if last else moves[i + 1][0],
                        "REC": period["rec"] if last else "X1",
                    }
                )
    return pd.DataFrame(rows)


def returns(episodes: pd.DataFrame, years: list[int]) -> dict[int, dict[str, pd.DataFrame]]:
    """Each year's return as DfE would receive it: episodes open at any time in the year to 31 March,
    with DEC and REC blank when the episode was still open at 31 March; the header of those children."""
    out = {}
    for year in years:
        y0, y1 = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
        eps = episodes[(episodes["DECOM"] <= y1) & (episodes["DEC"].isna() | (episodes["DEC"] >= y0))].copy()
        still = eps["DEC"].isna() | (eps["DEC"] > y1)
        eps.loc[still, "REC"] = ""
        eps["DEC"] = eps["DEC"].where(~still)
        header = eps.drop_duplicates("CHILD")[["CHILD", "SEX", "DOB", "ETHNIC"]].copy()
        header["SEX"] = header["SEX"].map({1: "1", 2: "2"} if year <= 2024 else {1: "M", 2: "F"})
        header["DOB"] = header["DOB"].dt.strftime("%d/%m/%Y")
        for col in ("UPN", "MOTHER", "MC_DOB"):
            header[col] = ""
        ep = eps[EPISODES].copy()
        ep["DECOM"] = ep["DECOM"].dt.strftime("%d/%m/%Y")
        ep["DEC"] = ep["DEC"].dt.strftime("%d/%m/%Y").fillna("")
        ep["CIN"], ep["PLACE_PROVIDER"], ep["REASON_PLACE_CHANGE"] = "N1", "PR1", ""
        for col in ("HOME_POST", "PL_POST", "URN"):
            ep[col] = ""
        out[year] = {"header": header[HEADER_COLUMNS], "episodes": ep[EPISODE_COLUMNS]}
    return out


def generate(
    published: pd.DataFrame, la: LA, end_year: int = 2025, years: int = 5, seed: int = 0
) -> dict[int, dict[str, pd.DataFrame]]:
    """SYNTHETIC SSDA903 returns (header and episodes tables) for the LA's published years."""
    episodes = simulate(published, la, end_year, years, seed)
    span = _years(published, la, end_year, years)["year"].astype(int).tolist()
    return returns(episodes, span)


def write(tables: dict[int, dict[str, pd.DataFrame]], out_dir: str | Path, la: LA) -> list[Path]:
    """Write OUT/<year>/header.csv and episodes.csv for each return, and a README saying they are SYNTHETIC."""
    out_dir = Path(out_dir)
    paths = []
    try:
        for year, frames in tables.items():
            (out_dir / str(year)).mkdir(parents=True, exist_ok=True)
            for name, frame in frames.items():
                path = out_dir / str(year) / f"{name}.csv"
                frame.to_csv(path, index=False)
                paths.append(path)
        (out_dir / "README_SYNTHETIC.txt").write_text(
            f"SYNTHETIC SSDA903 returns generated by csc-analysis for demonstrations and tests.\n"
            f"Children looked after, starting and ceasing follow {la.la_name}'s published figures; the placement "
            "mix is illustrative; no row describes a real child.\n"
        )
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write ({exc.strerror})") from None
    return paths
