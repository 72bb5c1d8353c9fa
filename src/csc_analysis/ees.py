"""Reading the published downloads into tidy rows: EES CSVs, pre-2018 SFR CSVs and their geography.

Every reader checks what it needs is there and says what is wrong in one line naming the file; the
figures themselves are parsed by `cells`. Rows come out in the tidy layout (`TIDY_COLUMNS`).
"""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .catalogue import Indicator, SourcePart
from .cells import parse_numbers
from .errors import CscError, unreadable

GEOGRAPHY = ["time_period", "geographic_level", "region_name", "old_la_code", "new_la_code", "la_name"]
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}
TIDY_COLUMNS = [
    "year",
    "geographic_level",
    "la_code",
    "new_la_code",
    "la_name",
    "region_name",
    "indicator",
    "value",
    "status",
]
# Inner and Outer London are sub-regions; an LA's region is one of the nine English regions.
LONDON_SUBREGIONS = {"Inner London": "London", "Outer London": "London"}
# Pre-EES (2010-2017) children looked after files: geog_l is the level; Isles of Scilly is listed
# below the 2017 tables with the level left blank, so a blank level with a 3-digit code is an LA.
SFR_LEVELS = {"NATIONAL": "national", "GOR": "regional", "REGION": "regional", "LA": "la"}
SFR_GEOGRAPHY = ["geog_l", "geog_c", "geog_n"]


def read_csv_text(path: Path) -> str:
    """The text of a CSV download, whatever its encoding (UTF-8 with or without BOM, UTF-16, cp1252).

    A file that is really a spreadsheet or is missing, or that is neither UTF-8/UTF-16 nor valid
    Windows-1252, is a one-line error naming it (and the first undecodable byte's offset and line).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CscError(f"{path}: is a spreadsheet (xlsx/xls/ods), expected a CSV file")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = {"utf-16": "UTF-16"}
    else:
        encodings = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined: such a byte means the file is in
    # some other encoding, and guessing one could silently change names or codes.
    line = raw[: error.start].decode(error.encoding, errors="replace").count("\n") + 1
    raise CscError(
        f"{path}: byte 0x{raw[error.start]:02X} at offset {error.start} (line {line}) is not "
        f"{' or '.join(encodings.values())} text; save the file as UTF-8"
    ) from None


def read_ees_csv(path: Path, required: list[str]) -> pd.DataFrame:
    """Read an EES download as text columns, checking the columns the caller needs are present.

    Every row must have as many fields as the header: a short row means a truncated or
    damaged file, and is an error rather than a row of blanks; so is a file with no rows.
    Repeated header names are numbered as pandas does (`SNP`, `SNP.1`, ...). Row i of the
    frame is line i + 2 of the file.
    """
    text = read_csv_text(path)
    if not text.strip():
        raise CscError(f"{path}: file is empty, expected a CSV with a header row")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CscError(f"{path}: not a readable CSV ({exc})") from None
    while rows and not any(field.strip() for field in rows[-1]):
        rows.pop()
    header, body = [h.strip() for h in rows[0]], rows[1:]
    if not body:
        raise CscError(f"{path}: has a header row but no data rows")
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CscError(
                f"{path}: line {number} has {len(row)} fields, expected {len(header)} (truncated or damaged file?)"
            )
    seen: dict[str, int] = {}
    columns = []
    for name in header:
        columns.append(f"{name}.{seen[name]}" if name in seen else name)
        seen[name] = seen.get(name, 0) + 1
    missing = [c for c in required if c not in columns]
    if missing:
        raise CscError(f"{path}: missing column(s) {', '.join(missing)}")
    return pd.DataFrame(body, columns=columns, dtype=str)


def geography(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Normalise the EES geography columns; joint returns ("940 / 941") become one row per LA.

    The columns are first checked against `ees_schema`. A span of years (202425, only in a file by
    financial or academic year) is the year it ends, 2025, as figures for the year to 31 March are.
    """
    from . import (
        ees_schema,  # pandera is imported only when files are parsed, not on a warm (cached) load
    )

    ees_schema.check_geography(frame, path)
    period = frame["time_period"].str.strip()
    geo = pd.DataFrame(
        {
            "year": period.str[:4].astype(int) + (period.str.len() == 6),
            "geographic_level": frame["geographic_level"].str.strip().map(LEVELS),
            "la_code": frame["old_la_code"].str.strip(),
            "new_la_code": frame["new_la_code"].str.strip(),
            "la_name": frame["la_name"].str.strip(),
            "region_name": frame["region_name"].str.strip(),
        },
        index=frame.index,
    )
    national = geo["geographic_level"] == "national"
    regional = geo["geographic_level"] == "regional"
    geo.loc[national, ["la_code", "region_name"]] = None
    geo.loc[national, "la_name"] = "England"
    geo.loc[national, "new_la_code"] = frame.loc[national, "country_code"] if "country_code" in frame else "E92000001"
    geo.loc[regional, "la_code"] = None
    geo.loc[regional, "la_name"] = geo.loc[regional, "region_name"]
    if "region_code" in frame:
        geo.loc[regional, "new_la_code"] = frame.loc[regional, "region_code"]
    la = geo["geographic_level"] == "la"
    geo.loc[la, "region_name"] = geo.loc[la, "region_name"].replace(LONDON_SUBREGIONS)
    joint = la & geo["la_code"].str.contains("/", na=False)
    if joint.any():
        # Workforce for North and West Northamptonshire is returned jointly by the
        # Northamptonshire Children's Trust: both LAs carry the joint figure.
        parts = geo.loc[joint, ["la_code", "new_la_code", "la_name"]].apply(lambda s: s.str.split(" / "))
        exploded = geo.loc[joint].drop(columns=["la_code", "new_la_code", "la_name"]).join(parts)
        exploded = exploded.explode(["la_code", "new_la_code", "la_name"])
        geo = pd.concat([geo.loc[~joint], exploded])
    return geo


def source_rows(
    ind: Indicator, frame: pd.DataFrame, geo: pd.DataFrame, path: Path, spec: SourcePart | None = None
) -> pd.DataFrame:
    """An indicator's rows from one EES file: `column` where every `filter` matches.

    `spec` is one of the indicator's source parts (default: its `source`). A filter value may
    be a list: the matching rows are then added up per place and year (e.g. placements outside
    the LA boundary, whatever the distance); so may `column` (e.g. ICPCs within 0-10 and 11-15
    days). A sum with any component published as a symbol is not known: it takes that symbol,
    never a partial sum.
    """
    spec = spec or ind.source
    assert spec is not None, ind.id  # a source indicator (catalogue._validate)
    column = spec.column
    if column is None:
        raise CscError(f"{path}: indicator {ind.id} names no column to read")
    for col in column if isinstance(column, list) else [column]:
        if col not in frame.columns:
            raise CscError(f"{path}: missing column {col} (needed for indicator {ind.id})")
    keep = pd.Series(True, index=frame.index)
    summed = False
    for col, wanted in (spec.filter or {}).items():
        if col not in frame.columns:
            raise CscError(f"{path}: missing column {col} (needed for indicator {ind.id})")
        if isinstance(wanted, list):
            keep &= frame[col].str.strip().isin(wanted)
            summed = True
        else:
            keep &= frame[col].str.strip() == wanted
    values, status = _column_sum(frame.loc[keep], column, path, ind.unit)
    rows = geo.loc[geo.index.isin(frame.index[keep])].copy()
    parsed = pd.DataFrame({"value": values, "status": status}, index=frame.index[keep])
    rows = rows.join(parsed)
    rows = rows[rows["value"].notna() | rows["status"].notna()]
    if summed:
        place = ["year", "geographic_level", "la_code", "new_la_code", "la_name", "region_name"]
        grouped = rows.groupby(place, dropna=False, sort=False)
        rows = grouped["value"].sum(min_count=1).to_frame()
        rows["status"] = grouped["status"].first()
        rows.loc[rows["status"].notna(), "value"] = np.nan
        rows = rows.reset_index()
    rows["indicator"] = ind.id
    return rows


def _column_sum(frame: pd.DataFrame, column: str | list[str], path: Path, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Values and statuses of one column, or of several added up row by row (a symbol in any
    of them makes the sum that symbol: the first column's symbol if it has one, else the next's).
    Each column's numbers are checked against the declared schema for the indicator's `unit`."""
    from . import ees_schema

    columns = column if isinstance(column, list) else [column]
    parsed = [parse_numbers(frame[col], f"{path.name}, column {col}") for col in columns]
    for col, (values, _) in zip(columns, parsed):
        ees_schema.check_values(values, unit, frame[col], path)
    values = np.sum([v for v, _ in parsed], axis=0)
    status = np.full(len(frame), None, dtype=object)
    for _, st in reversed(parsed):
        status = np.where(pd.notna(st), st, status)
    values[pd.notna(status)] = np.nan
    return values, status


def read_sfr_csv(
    path: Path, year: int, required: list[str], regions: dict[str, tuple[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A pre-EES (2010-2017) children looked after file, one year per file, as text columns
    plus tidy geography.

    These files have no `time_period` (the year comes from the catalogue), name the level in
    `geog_l`, the DfE code in `geog_c` (`921`/`999` for England, a letter for a region) and,
    from 2011, the ONS code in `New_geog_code`. Blank separator lines are skipped and blank
    trailing fields allowed; any other row not matching the header is an error. `regions` maps
    an upper-case region name to the EES name and ONS code, so regions match the EES files.
    """
    text = read_csv_text(path)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(f.strip() for f in rows[0]):
        raise CscError(f"{path}: file is empty, expected a CSV with a header row")
    header = [h.strip() for h in rows[0]]
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(f.strip() for f in row):
            continue
        if len(row) < len(header) or any(f.strip() for f in row[len(header) :]):
            raise CscError(
                f"{path}: line {number} has {len(row)} fields, expected {len(header)} (truncated or damaged file?)"
            )
        body.append(row[: len(header)])
    frame = pd.DataFrame(body, columns=header, dtype=str)
    missing = [c for c in SFR_GEOGRAPHY + required if c not in frame.columns]
    if missing:
        raise CscError(f"{path}: missing column(s) {', '.join(missing)}")
    code = frame["geog_c"].str.strip()
    level = frame["geog_l"].str.strip().str.upper().map(SFR_LEVELS)
    level = level.where(level.notna() | ~(frame["geog_l"].str.strip().eq("") & code.str.fullmatch(r"\d{3}")), "la")
    if level.isna().any():
        bad = frame.loc[level.isna(), "geog_l"].iloc[0]
        raise CscError(f"{path.name}: geog_l {bad!r} is not National, GOR/Region or LA")
    name = frame["geog_n"].str.strip()
    region = name.str.upper().map(lambda n: regions.get(n, (None, None)))
    bad_region = (level == "regional") & region.str[0].isna()
    if bad_region.any():
        raise CscError(f"{path.name}: region {name[bad_region].iloc[0]!r} is not an English region")
    la = level == "la"
    bad_code = la & ~code.str.fullmatch(r"\d{3}")
    if bad_code.any():
        raise CscError(f"{path.name}: LA code {code[bad_code].iloc[0]!r} is not a 3-digit code")
    no_code = pd.Series(None, index=frame.index, dtype=object)  # the 2010 files have no ONS codes
    ons = frame["New_geog_code"].str.strip() if "New_geog_code" in frame else no_code
    geo = pd.DataFrame(
        {
            "year": year,
            "geographic_level": level,
            "la_code": code.where(la, None),
            "new_la_code": ons.where(la, region.str[1]).where(level != "national", "E92000001"),
            "la_name": name.where(la, region.str[0]).where(level != "national", "England"),
            "region_name": region.str[0].where(level == "regional", None),
        },
        index=frame.index,
    )
    return frame, geo


def workbook_rows(
    indicators: list[tuple[Indicator, SourcePart]], path: Path, places: pd.DataFrame, region_codes: dict[str, str]
) -> pd.DataFrame:
    """Indicators from an MHCLG revenue outturn workbook, matched to LAs by any ONS code they have used.

    `indicators` pairs each indicator with its source part in this workbook (sheet and column).

    The workbook has LAs and England only: a region's value is the sum of its LAs, or `x`
    (not available) when any of them did not report, so a partial sum is never shown.
    """
    from . import revenue_history

    by_sheet: dict[str, list[SourcePart]] = {}
    for _, spec in indicators:
        by_sheet.setdefault(str(spec.sheet), []).append(spec)
    raw = pd.concat(
        [revenue_history.outturn_columns(path, sheet, group) for sheet, group in by_sheet.items()], ignore_index=True
    )
    raw["indicator"] = raw["column"].map({revenue_history.source_key(spec): ind.id for ind, spec in indicators})
    la = raw.merge(places, left_on="ons_code", right_index=True)
    la = la.assign(geographic_level="la", new_la_code=la["ons_code"])
    nat = raw[raw["ons_code"] == "E92000001"].assign(
        geographic_level="national", la_code=None, la_name="England", region_name=None, new_la_code="E92000001"
    )
    grouped = la.groupby(["indicator", "year", "region_name"])
    reg = grouped["value"].sum().to_frame()
    reg["status"] = np.where(grouped["status"].count() > 0, "x", None)  # type: ignore[call-overload]  # as in cells
    reg.loc[reg["status"].notna(), "value"] = np.nan
    reg = reg.reset_index().assign(geographic_level="regional", la_code=None)
    reg["la_name"] = reg["region_name"]
    reg["new_la_code"] = reg["region_name"].map(region_codes)
    return pd.concat([la, nat, reg], ignore_index=True)[TIDY_COLUMNS]
