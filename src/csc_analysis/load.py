"""Reading the published statistics into one tidy table.

This is the only module that reads the EES downloads. Everything downstream takes the
tidy frame `published()` returns:

    year, geographic_level, la_code, new_la_code, la_name, region_name, indicator, value, status

`value` is a float and NaN wherever the source shows a symbol; `status` keeps the symbol
(`c`, `x`, `z`, `k`, `u`, `low`, `:`) so the reason a value is missing is never lost and
never turned into zero (see data/README.md).
"""

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .catalogue import WORKBOOK_SUFFIXES, Indicator, load_catalogue, source_parts
from .errors import CscError
from .paths import PACKAGE_DIR, bundled_data_dir, cache_dir, data_dir
from .registry import Registry, build_registry

SYMBOLS = ("c", "x", "z", "k", "u", "low", ":")
GEOGRAPHY = ["time_period", "geographic_level", "region_name", "old_la_code", "new_la_code", "la_name"]
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}
TIDY_COLUMNS = ["year", "geographic_level", "la_code", "new_la_code", "la_name", "region_name",
                "indicator", "value", "status"]
# Inner and Outer London are sub-regions; an LA's region is one of the nine English regions.
LONDON_SUBREGIONS = {"Inner London": "London", "Outer London": "London"}
OFSTED_FILE = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
# Pre-EES (2010-2017) children looked after files: geog_l is the level; Isles of Scilly is listed
# below the 2017 tables with the level left blank, so a blank level with a 3-digit code is an LA.
SFR_LEVELS = {"NATIONAL": "national", "GOR": "regional", "REGION": "regional", "LA": "la"}
SFR_GEOGRAPHY = ["geog_l", "geog_c", "geog_n"]
SN_FILES = {"2025": "sn_model_2025_wide.csv", "2021": "New_Statistical_Neighbour_Groupings_April_2021.csv"}
_CACHE_FORMAT = 3


def read_csv_text(path: Path) -> str:
    """The text of a CSV download, whatever its encoding (UTF-8 with or without BOM, UTF-16, cp1252).

    A file that is really a spreadsheet or is missing, or that is neither UTF-8/UTF-16 nor valid
    Windows-1252, is a one-line error naming it (and the first undecodable byte's offset and line).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CscError(f"{path}: file not found") from None
    except OSError as exc:
        raise CscError(f"{path}: cannot read ({exc.strerror})") from None
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
    line = raw[:error.start].decode(error.encoding, errors="replace").count("\n") + 1
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
                f"{path}: line {number} has {len(row)} fields, expected {len(header)} "
                "(truncated or damaged file?)"
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


def parse_numbers(raw: pd.Series, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Split a text column into float values and symbol statuses.

    Numbers become floats with status None; a GSS symbol becomes NaN with the symbol kept;
    an empty cell becomes NaN with status None (the caller drops it: nothing was published).
    Anything else is an error naming the column, the line (from `raw`'s index, the row's
    position in the file) and the offending value.
    """
    text = raw.astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    flagged = np.isnan(values) & (text != "").to_numpy()
    symbols = text.str.lower().to_numpy(dtype=object)
    unknown = flagged & ~np.isin(symbols, SYMBOLS)
    if unknown.any():
        first = np.flatnonzero(unknown)[0]
        raise CscError(
            f"{where}: value {text.iloc[first]!r} is neither a number nor a symbol ({'/'.join(SYMBOLS)}), "
            f"first at line {text.index[first] + 2}; {unknown.sum()} such cell(s)"
        )
    status = np.where(flagged, symbols, None)
    return values, status


def _geography(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Normalise the EES geography columns; joint returns ("940 / 941") become one row per LA.

    The columns are first checked against `ees_schema`. A span of years (202425, only in a file by
    financial or academic year) is the year it ends, 2025, as figures for the year to 31 March are.
    """
    from . import ees_schema  # pandera is imported only when files are parsed, not on a warm (cached) load

    ees_schema.check_geography(frame, path)
    period = frame["time_period"].str.strip()
    geo = pd.DataFrame({
        "year": period.str[:4].astype(int) + (period.str.len() == 6),
        "geographic_level": frame["geographic_level"].str.strip().map(LEVELS),
        "la_code": frame["old_la_code"].str.strip(),
        "new_la_code": frame["new_la_code"].str.strip(),
        "la_name": frame["la_name"].str.strip(),
        "region_name": frame["region_name"].str.strip(),
    }, index=frame.index)
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


def _source_rows(ind: Indicator, frame: pd.DataFrame, geo: pd.DataFrame, path: Path,
                 spec: dict | None = None) -> pd.DataFrame:
    """An indicator's rows from one EES file: `column` where every `filter` matches.

    `spec` is one of the indicator's source parts (default: its `source`). A filter value may
    be a list: the matching rows are then added up per place and year (e.g. placements outside
    the LA boundary, whatever the distance); so may `column` (e.g. ICPCs within 0-10 and 11-15
    days). A sum with any component published as a symbol is not known: it takes that symbol,
    never a partial sum.
    """
    spec = spec or ind.source
    column = spec["column"]
    for col in column if isinstance(column, list) else [column]:
        if col not in frame.columns:
            raise CscError(f"{path}: missing column {col} (needed for indicator {ind.id})")
    keep = pd.Series(True, index=frame.index)
    summed = False
    for col, wanted in (spec.get("filter") or {}).items():
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


def read_sfr_csv(path: Path, year: int, required: list[str],
                 regions: dict[str, tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
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
        if len(row) < len(header) or any(f.strip() for f in row[len(header):]):
            raise CscError(f"{path}: line {number} has {len(row)} fields, expected {len(header)} "
                           "(truncated or damaged file?)")
        body.append(row[:len(header)])
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
    geo = pd.DataFrame({
        "year": year,
        "geographic_level": level,
        "la_code": code.where(la, None),
        "new_la_code": ons.where(la, region.str[1]).where(level != "national", "E92000001"),
        "la_name": name.where(la, region.str[0]).where(level != "national", "England"),
        "region_name": region.str[0].where(level == "regional", None),
    }, index=frame.index)
    return frame, geo


def _splice(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One indicator's rows from several releases, newest first: each year from the newest
    release that has it (for every place at once), so a year never mixes releases."""
    taken: set[int] = set()
    out = []
    for rows in parts:
        fresh = rows[~rows["year"].isin(taken)]
        out.append(fresh)
        taken |= set(fresh["year"])
    return pd.concat(out, ignore_index=True)


def _workbook_rows(indicators: list[tuple[Indicator, dict]], path: Path, places: pd.DataFrame,
                   region_codes: dict[str, str]) -> pd.DataFrame:
    """Indicators from an MHCLG revenue outturn workbook, matched to LAs by any ONS code they have used.

    `indicators` pairs each indicator with its source part in this workbook (sheet and column).

    The workbook has LAs and England only: a region's value is the sum of its LAs, or `x`
    (not available) when any of them did not report, so a partial sum is never shown.
    """
    from . import workbooks

    by_sheet: dict[str, list[dict]] = {}
    for _, spec in indicators:
        by_sheet.setdefault(spec["sheet"], []).append(spec)
    raw = pd.concat([workbooks.revenue_outturn(path, sheet, [spec["column"] for spec in group])
                     for sheet, group in by_sheet.items()], ignore_index=True)
    raw["indicator"] = raw["column"].map({spec["column"]: ind.id for ind, spec in indicators})
    la = raw.merge(places, left_on="ons_code", right_index=True)
    la = la.assign(geographic_level="la", new_la_code=la["ons_code"])
    nat = raw[raw["ons_code"] == "E92000001"].assign(geographic_level="national", la_code=None, la_name="England",
                                                    region_name=None, new_la_code="E92000001")
    grouped = la.groupby(["indicator", "year", "region_name"])
    reg = grouped["value"].sum().to_frame()
    reg["status"] = np.where(grouped["status"].count() > 0, "x", None)
    reg.loc[reg["status"].notna(), "value"] = np.nan
    reg = reg.reset_index().assign(geographic_level="regional", la_code=None)
    reg["la_name"] = reg["region_name"]
    reg["new_la_code"] = reg["region_name"].map(region_codes)
    return pd.concat([la, nat, reg], ignore_index=True)[TIDY_COLUMNS]


def _ons_places(geo_frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every ONS code an LA has been published under, to its DfE code, name and region (latest);
    and each region's ONS code by name."""
    geo = pd.concat(geo_frames).sort_values("year")
    la = geo[geo["geographic_level"] == "la"]
    places = la.drop_duplicates("new_la_code", keep="last").set_index("new_la_code")[["la_code", "la_name", "region_name"]]
    regions = geo[geo["geographic_level"] == "regional"].drop_duplicates("la_name", keep="last")
    return places, dict(zip(regions["la_name"], regions["new_la_code"]))


def _derived_rows(ind: Indicator, tidy: pd.DataFrame, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """A rate: numerator in year Y over denominator in year Y + offset, times the multiplier.

    The status is the numerator's symbol if it has one, else the denominator's, else `x`
    (not available) when no denominator was published for that year and place, or `z` (not
    applicable) when the denominator is zero. Where DfE publishes the figure itself (`published`,
    the rows of the catalogue's `published:` column) that figure is the value, as DfE rounds it,
    so ranks and bands match DfE's tables (ties included) and a percentage DfE publishes beside a
    suppressed count (City of London, 2025: 0% of a "c" total) is kept; the recomputation fills
    the places and years with no published figure.
    """
    d = ind.derived
    # An LA is its DfE code (its ONS code changed in some reorganisations); a region or
    # England is its ONS code.
    area = lambda f: f["la_code"].fillna(f["new_la_code"])  # noqa: E731
    num = tidy[tidy["indicator"] == d["numerator"]]
    den = tidy[tidy["indicator"] == d["denominator"]]
    den = pd.DataFrame({"year": den["year"] - d["denominator_year_offset"], "area": area(den),
                        "value_den": den["value"], "status_den": den["status"]})
    out = num.assign(area=area(num)).merge(den, on=["year", "area"], how="left")
    out["value"] = out["value"] / out["value_den"] * d["multiplier"]
    out["status"] = out["status"].where(out["status"].notna(), out["status_den"])
    no_den = out["value_den"].isna() & out["status"].isna()
    out.loc[no_den, "status"] = "x"
    zero_den = out["value_den"] == 0  # e.g. no social workers in post: a ratio is not applicable
    out.loc[zero_den, "value"] = np.nan
    out.loc[zero_den & out["status"].isna(), "status"] = "z"
    if published is not None:
        figure = published[published["value"].notna()]
        figure = pd.Series(figure["value"].to_numpy(), index=pd.MultiIndex.from_arrays([figure["year"], area(figure)]))
        at = pd.MultiIndex.from_arrays([out["year"], out["area"]])
        has = at.isin(figure.index)
        out.loc[has, "value"] = figure.reindex(at[has]).to_numpy()
        out.loc[has, "status"] = None
    out["indicator"] = ind.id
    return out[TIDY_COLUMNS]


def _canonical_names(tidy: pd.DataFrame) -> pd.DataFrame:
    """Give each LA the name, ONS code and region of its latest appearance in any file."""
    la = tidy["geographic_level"] == "la"
    latest = (tidy.loc[la, ["la_code", "year", "new_la_code", "la_name", "region_name"]]
              .sort_values("year").drop_duplicates("la_code", keep="last").set_index("la_code"))
    for col in ("new_la_code", "la_name", "region_name"):
        tidy.loc[la, col] = tidy.loc[la, "la_code"].map(latest[col])
    return tidy


def build_published(folder: Path) -> pd.DataFrame:
    """Parse every catalogue indicator from the EES downloads in `folder` (no cache)."""
    catalogue = load_catalogue()
    by_file: dict[str, list[tuple[Indicator, dict]]] = {}
    sfr_years: dict[str, int] = {}
    for ind in catalogue.values():
        for part in source_parts(ind):
            by_file.setdefault(part["file"], []).append((ind, part))
            if "year" in part:
                sfr_years[part["file"]] = part["year"]
    tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for name in by_file:
        path = folder / name
        if path.suffix.lower() not in WORKBOOK_SUFFIXES and name not in sfr_years:
            frame = read_ees_csv(path, required=GEOGRAPHY)
            tables[name] = (frame, _geography(frame, path))
    places, region_codes = _ons_places([geo for _, geo in tables.values()])
    regions = {name.upper(): (name, code) for name, code in region_codes.items()}
    for name, year in sfr_years.items():
        tables[name] = read_sfr_csv(folder / name, year, [], regions)
    books = {name: _workbook_rows(pairs, folder / name, places, region_codes)
             for name, pairs in by_file.items() if (folder / name).suffix.lower() in WORKBOOK_SUFFIXES}
    parts = []
    for ind in catalogue.values():
        pieces = [_source_rows(ind, *tables[p["file"]], folder / p["file"], p) if p["file"] in tables
                  else books[p["file"]][books[p["file"]]["indicator"] == ind.id] for p in source_parts(ind)]
        if pieces:
            parts.append(_splice(pieces))
    # A derived rate's `published:` column is read like a source column (CSV downloads only): where DfE
    # publishes the figure, that is the value (see `_derived_rows`).
    figures = {}
    for ind in catalogue.values():
        if ind.derived and ind.published:
            spec = {k: v for k, v in ind.published.items() if k != "rounding"}
            if spec["file"] not in tables:
                frame = read_ees_csv(folder / spec["file"], required=GEOGRAPHY)
                tables[spec["file"]] = (frame, _geography(frame, folder / spec["file"]))
            figures[ind.id] = _source_rows(replace(ind, source=spec, derived=None), *tables[spec["file"]],
                                           folder / spec["file"], spec)
    tidy = pd.concat(parts, ignore_index=True)[TIDY_COLUMNS]
    dupes = tidy.duplicated(["indicator", "year", "geographic_level", "la_code", "la_name"])
    if dupes.any():
        first = tidy[dupes].iloc[0]
        raise CscError(
            f"{folder}: indicator {first.indicator} has more than one row for "
            f"{first.la_name} in {first.year}"
        )
    tidy = pd.concat([tidy] + [_derived_rows(ind, tidy, figures.get(ind.id)) for ind in catalogue.values() if ind.derived],
                     ignore_index=True)
    tidy = _canonical_names(tidy)
    tidy = _column_types(tidy)
    tidy = tidy.sort_values(["indicator", "geographic_level", "la_code", "year"], kind="stable")
    return tidy.reset_index(drop=True)


def source_files(folder: Path) -> list[Path]:
    """The downloads the catalogue reads, in a stable order."""
    names = {part["file"] for ind in load_catalogue().values() for part in source_parts(ind)}
    return [folder / n for n in sorted(names)]


def input_files(folder: Path) -> list[Path]:
    """Every file the package reads from a data folder: the catalogue's downloads and workbooks, both
    statistical-neighbour models, the Ofsted outcomes and the provenance table (bundled when absent)."""
    own_provenance = folder / "provenance.csv"
    return (source_files(folder) + [folder / name for name in SN_FILES.values()] + [folder / OFSTED_FILE]
            + [own_provenance if own_provenance.exists() else bundled_data_dir() / "provenance.csv"])


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: what was read, whatever its size or modification time say."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        raise CscError(f"{path}: file not found") from None
    except OSError as exc:
        raise CscError(f"{path}: cannot read ({exc.strerror})") from None
    return h.hexdigest()


def _cache_key(folder: Path) -> str:
    """The parsed table's identity: the contents of every download parsed, the catalogue and the versions."""
    import pyarrow

    h = hashlib.sha256(f"{_CACHE_FORMAT}|{__version__}|{pd.__version__}|{pyarrow.__version__}".encode())
    h.update((PACKAGE_DIR / "indicators.yaml").read_bytes())
    for path in source_files(folder):
        h.update(f"{path.name}|{file_digest(path)}|".encode())
    return h.hexdigest()[:32]


def published(folder: str | os.PathLike | None = None, *, use_cache: bool = True) -> pd.DataFrame:
    """All catalogue indicators for every LA, region and England, as one tidy frame.

    Reads the bundled downloads unless `folder` or $CSC_DATA_DIR names another folder of
    EES files with the same format. The parsed table is cached on disk as Parquet (data
    only: a file planted in the cache folder cannot run code), keyed by the SHA-256 of the
    files' contents, the catalogue and the versions; a cache that cannot be read is rebuilt.
    """
    folder = data_dir(folder)
    if not folder.is_dir():
        raise CscError(f"{folder}: data folder not found")
    if not use_cache:
        return build_published(folder)
    cache_file = cache_dir() / f"published-{_cache_key(folder)}.parquet"
    if str(cache_file) in _IN_MEMORY:  # asked again in one process (registry, notebook): read once, hand out copies
        return _IN_MEMORY[str(cache_file)].copy()
    try:
        tidy = pd.read_parquet(cache_file)
        if list(tidy.columns) == TIDY_COLUMNS:
            _IN_MEMORY[str(cache_file)] = _column_types(tidy)
            return tidy.copy()
    except Exception:  # noqa: BLE001 - any unreadable cache (missing, truncated, foreign) is rebuilt
        pass
    tidy = build_published(folder)
    _write_atomic(cache_file, tidy.to_parquet(index=False))
    return tidy


_IN_MEMORY: dict[str, pd.DataFrame] = {}  # published(): the table read from each cache file, by its path


def _column_types(tidy: pd.DataFrame) -> pd.DataFrame:
    """One set of column types whether the table was parsed or read back from the cache: text that is
    never missing as strings; text that may be missing (la_code, region_name, status) as objects holding None."""
    for col in ["geographic_level", "new_la_code", "la_name", "indicator"]:
        tidy[col] = tidy[col].astype("str")
    for col in ["la_code", "region_name", "status"]:
        tidy[col] = pd.Series(tidy[col].to_numpy(dtype=object, na_value=None), index=tidy.index, dtype=object)
    return tidy


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(payload)
        os.replace(tmp.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def sn_models(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Both DfE statistical-neighbour models as a long table.

    Columns: model (`2025`/`2021`), la_code, position (1 = closest), neighbour_code, band
    (the model's closeness band, e.g. "Very Close").
    """
    folder = data_dir(folder)
    parts = []
    for model, name in SN_FILES.items():
        path = folder / name
        if model == "2025":
            frame = read_ees_csv(path, ["old_la_code"] + [f"SN_{i}" for i in range(1, 11)])
            codes, bands = [f"SN_{i}" for i in range(1, 11)], [f"SN_{i}P" for i in range(1, 11)]
            la_col = "old_la_code"
        else:
            frame = read_ees_csv(path, ["LA number"] + [f"SN{i}" for i in range(1, 11)])
            # The 2021 file repeats the header "SNP" after each SNn; pandas numbers them SNP, SNP.1, ...
            codes = [f"SN{i}" for i in range(1, 11)]
            bands = ["SNP"] + [f"SNP.{i}" for i in range(1, 10)]
            la_col = "LA number"
        frame = frame[frame[la_col].str.strip() != ""]
        for pos, (code_col, band_col) in enumerate(zip(codes, bands), start=1):
            parts.append(pd.DataFrame({
                "model": model,
                "la_code": frame[la_col].str.strip(),
                "position": pos,
                "neighbour_code": frame[code_col].str.strip(),
                "band": frame[band_col].str.strip() if band_col in frame else None,
            }))
    out = pd.concat(parts, ignore_index=True)
    bad = out[~out["neighbour_code"].str.fullmatch(r"\d{3}") | ~out["la_code"].str.fullmatch(r"\d{3}")]
    if len(bad):
        raise CscError(f"{SN_FILES[bad.iloc[0]['model']]}: LA code {bad.iloc[0]['neighbour_code']!r} is not a 3-digit code")
    return out.sort_values(["model", "la_code", "position"]).reset_index(drop=True)


def ofsted(which: str = "latest", folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Ofsted ILACS judgements from the outcomes workbook: `latest` per LA, or the `history` since 2018."""
    from . import workbooks

    return workbooks.ofsted_judgements(data_dir(folder) / OFSTED_FILE, which)


def provenance(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The bundled files' provenance (data/provenance.csv): file, publication, years, licence, sha256."""
    path = data_dir(folder) / "provenance.csv"
    if not path.exists():
        path = bundled_data_dir() / "provenance.csv"
    return read_ees_csv(path, ["file", "publication", "years", "licence", "sha256"])


def boundary_changes() -> pd.DataFrame:
    """LA reorganisations since 2013 (package data): from_year, old_code, old_name, new_code, new_name."""
    return pd.read_csv(PACKAGE_DIR / "boundary_changes.csv", dtype={"old_code": str, "new_code": str})


def registry(folder: str | os.PathLike | None = None) -> Registry:
    """The LA registry built from the published data and the 2025 statistical-neighbour model."""
    models = sn_models(folder)
    current = set(models.loc[models["model"] == "2025", "la_code"])
    return build_registry(published(folder), boundary_changes(), current)
