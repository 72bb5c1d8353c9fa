"""SSDA903 (the children looked after return): read several years, stitch them, count and reconcile.

Local child-level data. Files are recognised by their columns (Header: CHILD, SEX, DOB; Episodes:
CHILD, DECOM, RNE, LS, PLACE, DEC, REC), CSV or XML, in one folder or one folder per year. Rows that
cannot be used are counted by reason (never shown); only counts by year ever leave this module.

Rules (README "SSDA903"):
- A file's return year (the year to 31 March it reports) is the last 4-digit year in its folder or
  file name (`2023-24` counts as 2024); failing that, the year containing its latest DECOM or DEC.
- Years overlap: an episode (CHILD, DECOM) in several returns is taken from the latest return; a
  child's header row likewise.
- SEX is `1`/`2` in returns up to 2024 and `M`/`F`/`U` from 2025. PLACE codes H5 and P2 are not
  valid for episodes starting in the 2025 collection year or later (from 1 April 2024), K3 only from
  then, Z11-Z14 only from 1 April 2025.
- Children looked after under a series of short breaks (LS V3, V4) are left out of every count, as
  DfE leaves them out of the published figures.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CscError
from .localdata import RowReport, parse_dates, read_table
from .privacy import DEFAULT_THRESHOLD, SUPPRESSED, suppress

# The SSDA903 specification writes dates as dd/mm/yyyy: a column whose values cannot settle the order
# (every day 12 or less) is read day-first as the format declares; a month-first column is still refused.
DATE_ORDER = "dmy"

HEADER = ["CHILD", "SEX", "DOB"]
EPISODES = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"]
EPISODE_EXTRA = ["CIN", "PLACE_PROVIDER", "REASON_PLACE_CHANGE"]
CATEGORIES = ["fostering", "residential", "supported", "parents", "adoption", "other"]
CATEGORY_LABELS = {
    "fostering": "Fostering",
    "residential": "Residential (children's homes)",
    "supported": "Supported and independent",
    "parents": "Placed with parents",
    "adoption": "Placed for adoption",
    "other": "Other",
}
PLACE_CATEGORY = {
    **{f"U{i}": "fostering" for i in range(1, 7)},
    **dict.fromkeys(("K1", "K2", "K3", "R1"), "residential"),
    **dict.fromkeys(("H5", "P2", "Z1", "Z11", "Z12", "Z13", "Z14"), "supported"),
    "P1": "parents",
    **{f"A{i}": "adoption" for i in range(3, 7)},
    **dict.fromkeys(("P3", "R2", "R3", "R4", "R5", "S1", "T0", "T1", "T2", "T3", "T4"), "other"),
}
# PLACE codes valid only for episodes starting in [first, last] collection years (None: open).
PLACE_YEARS = {
    "H5": (None, 2024),
    "P2": (None, 2024),
    "K3": (2025, None),
    **{f"Z1{i}": (2026, None) for i in range(1, 5)},
}
SEX_CODES = {"old": {"1", "2"}, "new": {"M", "F", "U"}}  # old: returns up to 2024; new: from 2025
RNE_CODES = {"S", "P", "L", "T", "B", "U"}
LS_CODES = {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"}
SHORT_BREAKS = {"V3", "V4"}
EXIT_REASONS = {
    "adopted": ["E11", "E12"],
    "home": ["E13", "E4A", "E4B"],
    "sgo_cao": ["E41", "E45", "E46", "E47", "E48"],
    "independence": ["E17", "E7", "E9"],
    "other": ["E14", "E15", "E16", "E2", "E3", "E5", "E8"],
}
REASON_OF = {code: reason for reason, codes in EXIT_REASONS.items() for code in codes}
REC_CODES = {"X1", *REASON_OF}
MEASURES = {"stock": "cla_at31", "starts": "cla_starts", "ceased": "cla_ceased"}


@dataclass
class Returns:
    """Stitched SSDA903 episodes and headers, with a report of what could not be used.

    episodes: CHILD, DECOM, DEC, RNE, LS, PLACE, REC, category, year (return it came from), DOB
    headers: CHILD, SEX, DOB, year; raw_episodes: every usable episode row of every return.
    """

    episodes: pd.DataFrame
    headers: pd.DataFrame
    raw_episodes: pd.DataFrame
    reports: list[RowReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted(self.raw_episodes["year"].unique().tolist())

    def problems(self, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
        """Unusable rows counted by file, column and reason (no row contents), small counts suppressed."""
        frames = [r.table().assign(file=r.file) for r in self.reports if r.problems]
        if not frames:
            return pd.DataFrame(columns=["file", "column", "problem", "rows"])
        table = pd.concat(frames, ignore_index=True)[["file", "column", "problem", "rows"]]
        return suppress(table, ["rows"], threshold)


def count_text(n: int, threshold: int = DEFAULT_THRESHOLD) -> str:
    """A count for a sentence: hidden as "fewer than N" when from 1 to threshold-1 (small-number suppression)."""
    return f"fewer than {threshold}" if 0 < abs(n) < threshold else f"{n:,}"


def return_year(path: Path, dates: pd.Series) -> int:
    """The year to 31 March a file reports: from its folder or file name, else its latest date."""
    found = None
    for part in path.parts:
        for match in re.finditer(r"(20\d{2})(?:[-_](\d{2})(?!\d))?", part):
            found = 2000 + int(match.group(2)) if match.group(2) else int(match.group(1))
    if found:
        return found
    latest = dates.max()
    if pd.isna(latest):
        raise CscError(f"{path}: no year in its folder or file name and no dates to tell which return it is")
    return latest.year + (latest.month > 3)


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise CscError(f"{path}: not found; expected an SSDA903 file or a folder of them")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".csv", ".xml", ".xlsx") and p.is_file())
    if not files:
        raise CscError(f"{path}: no CSV or XML files found")
    return files


def _xml_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Header and Episodes tables from an SSDA903 XML file (each <Child> holds its <Episode>s)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise CscError(f"{path}: not readable XML ({exc})") from None
    headers, episodes = [], []
    for child in root.iter("Child"):
        header = dict.fromkeys(HEADER, "")
        for el in child.iter():
            if el.tag in header and not header[el.tag]:
                header[el.tag] = (el.text or "").strip()
        headers.append(header)
        for ep in child.iter("Episode"):
            row = dict.fromkeys(EPISODES + EPISODE_EXTRA, "")
            row.update({el.tag: (el.text or "").strip() for el in ep if el.tag in row})
            row["CHILD"] = header["CHILD"]
            episodes.append(row)
    if not headers:
        raise CscError(f"{path}: no <Child> elements; expected an SSDA903 XML return")
    return {"header": pd.DataFrame(headers, columns=HEADER), "episodes": pd.DataFrame(episodes)}


def _kind(frame: pd.DataFrame) -> str | None:
    columns = {c.upper() for c in frame.columns}
    if set(EPISODES) <= columns:
        return "episodes"
    if set(HEADER) <= columns and "DECOM" not in columns and "REVIEW" not in columns and "DUC" not in columns:
        return "header"
    return None


def _check_episodes(frame: pd.DataFrame, year: int, report: RowReport) -> pd.DataFrame:
    """Usable episodes of one return, with dates parsed and each problem counted."""
    f = frame.apply(lambda col: col.str.strip())
    end = pd.Timestamp(year, 3, 31)
    decom, bad_decom = parse_dates(f["DECOM"], order=DATE_ORDER)
    dec, bad_dec = parse_dates(f["DEC"], order=DATE_ORDER)
    report.add(f["CHILD"] == "", "CHILD", "missing")
    report.add(f["DECOM"] == "", "DECOM", "missing")
    report.add(bad_decom, "DECOM", "not a date")
    report.add(bad_dec, "DEC", "not a date")
    report.add(dec < decom, "DEC", "before DECOM")
    report.add(decom > end, "DECOM", f"after the return's 31 March {year}")
    report.add(dec > end, "DEC", f"after the return's 31 March {year}")
    report.add(~f["RNE"].isin(RNE_CODES), "RNE", "not a known code")
    report.add(~f["LS"].isin(LS_CODES), "LS", "not a known code")
    report.add(~f["PLACE"].isin(PLACE_CATEGORY), "PLACE", "not a known code")
    start_year = decom.dt.year + (decom.dt.month > 3)
    for code, (first, last) in PLACE_YEARS.items():
        wrong = (f["PLACE"] == code) & ((start_year < (first or 0)) | (start_year > (last or 9999)))
        report.add(wrong, "PLACE", "code not valid for the episode's start date")
    report.add((f["DEC"] != "") & ~f["REC"].isin(REC_CODES), "REC", "not a known reason for an ended episode")
    report.add((f["DEC"] == "") & (f["REC"] != ""), "REC", "given for an episode with no DEC")
    bad = sorted({line - 2 for line, _, _ in report.problems})
    out = f.assign(DECOM=decom, DEC=dec).drop(index=bad)
    out = out[EPISODES].assign(year=year, category=out["PLACE"].map(PLACE_CATEGORY))
    return out.reset_index(drop=True)


def _check_headers(frame: pd.DataFrame, year: int, report: RowReport) -> pd.DataFrame:
    f = frame.apply(lambda col: col.str.strip())
    dob, bad_dob = parse_dates(f["DOB"], order=DATE_ORDER)
    report.add(f["CHILD"] == "", "CHILD", "missing")
    report.add(f["DOB"] == "", "DOB", "missing")
    report.add(bad_dob, "DOB", "not a date")
    report.add(dob > pd.Timestamp(year, 3, 31), "DOB", "after the end of the return year")
    sexes = SEX_CODES["old"] if year <= 2024 else SEX_CODES["new"]
    report.add(~f["SEX"].isin(sexes), "SEX", f"not {'/'.join(sorted(sexes))} (the codes for {year} returns)")
    bad = sorted({line - 2 for line, _, _ in report.problems})
    return f.assign(DOB=dob).drop(index=bad)[HEADER].assign(year=year).reset_index(drop=True)


def read(path: str | Path, threshold: int = DEFAULT_THRESHOLD) -> Returns:
    """Read every SSDA903 Header and Episodes table under `path` and stitch the years together (counts in
    the notes under `threshold` are hidden)."""
    tables: dict[str, list] = {"header": [], "episodes": []}
    for file in _files(Path(path)):
        if file.suffix.lower() == ".xml":
            found: list[tuple[str | None, pd.DataFrame]] = list(_xml_tables(file).items())
        else:
            frame = read_table(file)
            frame.columns = [c.upper() for c in frame.columns]
            found = [(_kind(frame), frame)]
        for kind, frame in found:
            if kind is None:
                continue
            dates = [parse_dates(frame[c], order=DATE_ORDER)[0] for c in ("DECOM", "DEC", "DOB") if c in frame]
            year = return_year(
                file.relative_to(path) if Path(path).is_dir() else Path(file.name),
                pd.concat(dates) if dates else pd.Series(dtype="datetime64[s]"),
            )
            for col in EPISODES if kind == "episodes" else HEADER:
                frame[col] = frame[col].astype(str) if col in frame else ""
            report = RowReport(f"{file.name} ({kind}, {year})", len(frame))
            check = _check_episodes if kind == "episodes" else _check_headers
            tables[kind].append((check(frame, year, report), report))
    if not tables["episodes"]:
        raise CscError(f"{path}: no SSDA903 Episodes table found (a CSV with columns {', '.join(EPISODES)})")
    if not tables["header"]:
        raise CscError(f"{path}: no SSDA903 Header table found (a CSV with columns {', '.join(HEADER)})")
    return stitch(
        [t for t, _ in tables["episodes"]],
        [t for t, _ in tables["header"]],
        [r for kind in tables.values() for _, r in kind],
        threshold,
    )


def stitch(
    episode_tables: list[pd.DataFrame],
    header_tables: list[pd.DataFrame],
    reports: list[RowReport] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Returns:
    """One row per episode (CHILD, DECOM) and per child, each from the latest return that has it.

    Episodes of a child with no usable header row (date of birth) in any return are left out. An
    episode still open at the end of one return but missing from the next return, although that year
    was returned, is taken as ended on the 1 April after its return with no reason given (the later
    return says the child was not looked after in its year): it is in that 31 March's count, is not
    counted as ceased, and the model counts it as an exit for another reason. The notes say how many.
    """
    headers = (
        pd.concat(header_tables, ignore_index=True)
        .sort_values("year", kind="stable")
        .drop_duplicates("CHILD", keep="last")
    )
    raw = pd.concat(episode_tables, ignore_index=True).sort_values(["year", "CHILD", "DECOM"], kind="stable")
    notes = []
    no_header = ~raw["CHILD"].isin(headers["CHILD"])
    if no_header.any():
        notes.append(
            f"{count_text(int(no_header.sum()), threshold)} episode row(s) belong to a child "
            "with no usable header row (date of "
            "birth) in any return and are left out."
        )
    raw = raw[~no_header].merge(headers[["CHILD", "DOB"]], on="CHILD", how="left")
    episodes = raw.drop_duplicates(["CHILD", "DECOM"], keep="last").copy()
    vanished = episodes["DEC"].isna() & episodes["year"].add(1).isin(set(raw["year"]))
    if vanished.any():
        episodes.loc[vanished, "DEC"] = pd.to_datetime(episodes.loc[vanished, "year"].astype(str) + "-04-01")
        notes.append(
            f"{count_text(int(vanished.sum()), threshold)} episode(s) open at the end of one return "
            "are missing from the next; "
            "they are taken as ended on the 1 April after, reason not known."
        )
    return Returns(episodes.reset_index(drop=True), headers.reset_index(drop=True), raw, reports or [], notes)


def counted(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes that count towards the published figures (not short breaks)."""
    return episodes[~episodes["LS"].isin(SHORT_BREAKS)]


def in_care(episodes: pd.DataFrame, date) -> pd.DataFrame:
    """The episode each child is in at the end of `date` (started on or before it, not ended by it)."""
    date = pd.Timestamp(date)
    eps = counted(episodes)
    open_ = eps[(eps["DECOM"] <= date) & (eps["DEC"].isna() | (eps["DEC"] > date))]
    return open_.sort_values("DECOM").drop_duplicates("CHILD", keep="last")


def year_counts(episodes: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Children looked after at 31 March, starting and ceasing in each year to 31 March (each child once)."""
    eps = counted(episodes)
    rows = []
    for y in years:
        start, end = pd.Timestamp(y - 1, 4, 1), pd.Timestamp(y, 3, 31)
        starts = eps[(eps["RNE"] == "S") & eps["DECOM"].between(start, end)]["CHILD"].nunique()
        ceased = eps[eps["REC"].str.startswith("E") & eps["DEC"].between(start, end)]["CHILD"].nunique()
        rows.append({"year": y, "stock": len(in_care(eps, end)), "starts": starts, "ceased": ceased})
    return pd.DataFrame(rows, columns=["year", "stock", "starts", "ceased"])


def reconcile(
    returns: Returns, published: pd.DataFrame, la_code: str, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Counts from the episodes beside the LA's published figures, with the difference explained.

    For each return year and measure: `published` (DfE), `as_returned` (that year's return alone),
    `stitched` (all returns, latest wins); `revised` = stitched - as_returned is what later returns
    changed; `other` = as_returned - published is what remains (DfE's cleaning, a return different
    from the one DfE holds, or the first year's children who started before the earliest return).
    Counts of 1-4 are suppressed.
    """
    pub = published[(published["la_code"] == la_code) & published["indicator"].isin(MEASURES.values())]
    pub = pub.set_index(["year", "indicator"])["value"]
    first = min(returns.years)
    stitched = year_counts(returns.episodes, returns.years).set_index("year")
    rows = []
    for y in returns.years:
        alone = year_counts(returns.raw_episodes[returns.raw_episodes["year"] == y], [y]).set_index("year")
        for measure, indicator in MEASURES.items():
            p, a, s = pub.get((y, indicator), np.nan), alone.at[y, measure], stitched.at[y, measure]
            rows.append(
                {
                    "year": y,
                    "measure": measure,
                    "published": p,
                    "as_returned": a,
                    "stitched": s,
                    "revised": s - a,
                    "other": a - p if pd.notna(p) else np.nan,
                    "explanation": _explain(p, a, s, y == first and measure != "stock", threshold),
                }
            )
    table = pd.DataFrame(rows)
    table = suppress(table, ["published", "as_returned", "stitched"], threshold)
    for col in ("revised", "other"):  # signed differences: hide 1 to threshold-1 either way
        small = pd.to_numeric(table[col], errors="coerce").abs().between(1, threshold - 1)
        table[col] = table[col].astype(object).where(~small, SUPPRESSED)
    return table


def _explain(published: float, returned: int, stitched: int, first: bool, threshold: int) -> str:
    if pd.isna(published):
        return "no published figure for this year"
    parts = []

    def signed(d: float) -> str:
        return f"{d:+,.0f}" if abs(d) >= threshold else f"fewer than {threshold} ({'up' if d > 0 else 'down'})"

    if stitched != returned:
        parts.append(f"later returns changed it by {signed(stitched - returned)}")
    if returned != published:
        parts.append(
            f"this year's return differs from the published figure by {signed(returned - published)} "
            "(DfE's cleaning or a different version of the return)"
        )
    if first and stitched != published:
        parts.append("first year held: episodes before it are not in the files")
    return "; ".join(parts) if parts else "matches"
