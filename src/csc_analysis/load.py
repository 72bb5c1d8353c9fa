"""The published statistics as one tidy table: the public entry for notebooks and user code.

`published()` joins the parts: `ees` reads the downloads, `derive` computes rates and splices
releases, `cache` keeps the parsed table. Everything downstream takes the tidy frame it returns:

    year, geographic_level, la_code, new_la_code, la_name, region_name, indicator, value, status

`value` is a float and NaN wherever the source shows a symbol; `status` keeps the symbol
(`c`, `x`, `z`, `k`, `u`, `low`, `:`) so the reason a value is missing is never lost and
never turned into zero (see data/README.md).
"""

import os
from pathlib import Path

import pandas as pd

from . import cache, derive, ees, neighbours, workforce_history
from .catalogue import WORKBOOK_SUFFIXES, Indicator, SourcePart, load_catalogue, source_parts
from .errors import CscError
from .paths import PACKAGE_DIR, bundled_data_dir, cache_dir, data_dir
from .registry import Registry, build_registry

OFSTED_FILE = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
# Each year's Ofsted outcomes workbook, oldest first: judgements as at 31 March and that year's visits.
OFSTED_SNAPSHOT_FILES = ("LA_Inspection_Outcomes_as_at_March_2024.ods", OFSTED_FILE)
SN_FILES = {"2025": "sn_model_2025_wide.csv", "2021": "New_Statistical_Neighbour_Groupings_April_2021.csv"}


def build_published(folder: Path) -> pd.DataFrame:
    """Parse every catalogue indicator from the EES downloads in `folder` (no cache)."""
    catalogue = load_catalogue()
    by_file: dict[str, list[tuple[Indicator, SourcePart]]] = {}
    sfr_years: dict[str, int] = {}
    for ind in catalogue.values():
        for part in source_parts(ind):
            by_file.setdefault(part.file, []).append((ind, part))
            if part.year is not None:
                sfr_years[part.file] = part.year
    tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for name in by_file:
        path = folder / name
        if path.suffix.lower() not in WORKBOOK_SUFFIXES and name not in sfr_years:
            frame = ees.read_ees_csv(path, required=ees.GEOGRAPHY)
            tables[name] = (frame, ees.geography(frame, path))
    places, region_codes = derive.ons_places([geo for _, geo in tables.values()])
    regions = {name.upper(): (name, code) for name, code in region_codes.items()}
    for name, year in sfr_years.items():
        if by_file[name][0][1].layout == "wide_workforce":  # workforce 2015-2016 (workforce_history)
            columns = [str(p.column) for _, p in by_file[name]]
            tables[name] = workforce_history.read_wide_workforce(
                folder / name, year, columns, {c: n for n, c in region_codes.items()}
            )
        else:
            tables[name] = ees.read_sfr_csv(folder / name, year, [], regions)
    books = {
        name: ees.workbook_rows(pairs, folder / name, places, region_codes)
        for name, pairs in by_file.items()
        if (folder / name).suffix.lower() in WORKBOOK_SUFFIXES
    }
    parts = []
    for ind in catalogue.values():
        pieces = [
            ees.source_rows(ind, *tables[p.file], folder / p.file, p)
            if p.file in tables
            else books[p.file][books[p.file]["indicator"] == ind.id]
            for p in source_parts(ind)
        ]
        if pieces:
            parts.append(derive.splice(pieces))
    # A derived rate's `published:` column is read like a source column (CSV downloads only): where DfE
    # publishes the figure, that is the value (see `derive.derived_rows`).
    figures = {}
    for ind in catalogue.values():
        if ind.derived and ind.published:
            spec = ind.published
            if spec.file not in tables:
                frame = ees.read_ees_csv(folder / spec.file, required=ees.GEOGRAPHY)
                tables[spec.file] = (frame, ees.geography(frame, folder / spec.file))
            figures[ind.id] = ees.source_rows(ind, *tables[spec.file], folder / spec.file, spec)
    tidy = pd.concat(parts, ignore_index=True)[ees.TIDY_COLUMNS]
    dupes = tidy.duplicated(["indicator", "year", "geographic_level", "la_code", "la_name"])
    if dupes.any():
        first = tidy[dupes].iloc[0]
        raise CscError(
            f"{folder}: indicator {first.indicator} has more than one row for {first.la_name} in {first.year}"
        )
    tidy = pd.concat(
        [tidy] + [derive.derived_rows(ind, tidy, figures.get(ind.id)) for ind in catalogue.values() if ind.derived],
        ignore_index=True,
    )
    tidy = derive.canonical_names(tidy)
    tidy = derive.column_types(tidy)
    tidy = tidy.sort_values(["indicator", "geographic_level", "la_code", "year"], kind="stable")
    return tidy.reset_index(drop=True)


def source_files(folder: Path) -> list[Path]:
    """The downloads the catalogue reads, in a stable order."""
    names = {part.file for ind in load_catalogue().values() for part in source_parts(ind)}
    return [folder / n for n in sorted(names)]


def input_files(folder: Path) -> list[Path]:
    """Every file the package reads from a data folder: the catalogue's downloads and workbooks, both
    statistical-neighbour models, the Ofsted outcomes and the provenance table (bundled when absent)."""
    own_provenance = folder / "provenance.csv"
    return (
        source_files(folder)
        + [folder / name for name in SN_FILES.values()]
        + [folder / OFSTED_FILE]
        + [folder / OFSTED_SNAPSHOT_FILES[0]]
        + [own_provenance if own_provenance.exists() else bundled_data_dir() / "provenance.csv"]
    )


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
    cache_file = cache_dir() / f"published-{_published_key(folder)}.parquet"
    # Asked again in one process (registry, notebook): read once, hand out shallow copies. Copy-on-Write (always on
    # in pandas 3) copies a column the moment a caller changes it, so no caller can change the table kept here.
    if str(cache_file) in _IN_MEMORY:
        return _IN_MEMORY[str(cache_file)].copy(deep=False)
    tidy = cache.read_parquet(cache_file, ees.TIDY_COLUMNS)
    if tidy is not None:
        _IN_MEMORY[str(cache_file)] = derive.column_types(tidy)
        return _IN_MEMORY[str(cache_file)].copy(deep=False)
    tidy = build_published(folder)
    cache.write_atomic(cache_file, tidy.to_parquet(index=False))
    return tidy


_IN_MEMORY: dict[str, pd.DataFrame] = {}  # published(): the table read from each cache file, by its path


def _published_key(folder: Path) -> str:
    """The published table's identity: `cache.key` of the downloads it is parsed from."""
    return cache.key(source_files(folder))


def sn_models(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Both DfE statistical-neighbour models as a long table (`neighbours.long_models`).

    Columns: model (`2025`/`2021`), la_code, position (1 = closest), neighbour_code, band
    (the model's closeness band, e.g. "Very Close").
    """
    folder = data_dir(folder)
    key = _digests([folder / name for name in SN_FILES.values()])
    if key not in _MODELS:
        frames = {
            model: ees.read_ees_csv(folder / name, neighbours.SN_REQUIRED[model]) for model, name in SN_FILES.items()
        }
        models = neighbours.long_models(frames, SN_FILES)
        if key is None:
            return models
        _MODELS[key] = models
    return _MODELS[key].copy()


# Parsed once per process and content (every page asks for them): sn_models() by its files' digests, registry()'s
# table of LAs by the published table's cache key, the models' digests and the boundary changes'.
_MODELS: dict[tuple[str, ...], pd.DataFrame] = {}
_LAS: dict[tuple, pd.DataFrame] = {}


def _digests(files: list[Path]) -> tuple[str, ...] | None:
    """The files' SHA-256 digests, or None when one is missing (the reader then says which, in its own words)."""
    return tuple(cache.file_digest(f) for f in files) if all(f.is_file() for f in files) else None


def ofsted(which: str = "latest", folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Ofsted ILACS judgements from the latest outcomes workbook: `latest` per LA as at 31 March (without
    `as_at`), or the `history` of every inspection since 2018."""
    from . import ofsted_outcomes

    path = data_dir(folder) / OFSTED_FILE
    if which == "latest":
        return ofsted_outcomes.judgements_at(path).drop(columns="as_at")
    if which == "history":
        return ofsted_outcomes.inspection_history(path)
    raise CscError(f"Ofsted judgements: {which!r} is not one of 'latest', 'history'")


def ofsted_snapshots(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every LA's ILACS judgements as at 31 March of each bundled outcomes workbook (2024, 2025), with `as_at`."""
    from . import ofsted_outcomes

    return pd.concat(
        [ofsted_outcomes.judgements_at(data_dir(folder) / f) for f in OFSTED_SNAPSHOT_FILES], ignore_index=True
    )


def ofsted_visits(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Monitoring and focused visits from each bundled outcomes workbook's in-year list (2023-24, 2024-25)."""
    from . import ofsted_outcomes

    return pd.concat(
        [ofsted_outcomes.in_year_visits(data_dir(folder) / f) for f in OFSTED_SNAPSHOT_FILES], ignore_index=True
    )


def provenance(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The bundled files' provenance (data/provenance.csv): file, publication, years, licence, sha256."""
    path = data_dir(folder) / "provenance.csv"
    if not path.exists():
        path = bundled_data_dir() / "provenance.csv"
    return ees.read_ees_csv(path, ["file", "publication", "years", "licence", "sha256"])


def boundary_changes() -> pd.DataFrame:
    """LA reorganisations since 2013 (package data): from_year, old_code, old_name, new_code, new_name."""
    return pd.read_csv(PACKAGE_DIR / "boundary_changes.csv", dtype={"old_code": str, "new_code": str})


def registry(folder: str | os.PathLike | None = None) -> Registry:
    """The LA registry built from the published data and the 2025 statistical-neighbour model."""
    folder = data_dir(folder)
    models = sn_models(folder)
    tidy = published(folder)
    key = (
        _published_key(folder),
        _digests([folder / name for name in SN_FILES.values()]),
        _digests([PACKAGE_DIR / "boundary_changes.csv"]),
    )
    if key not in _LAS:
        current = set(models.loc[models["model"] == "2025", "la_code"])
        _LAS[key] = build_registry(tidy, boundary_changes(), current).las
    return Registry(_LAS[key])
