"""The "Longer series" note on every page: the splice rule and which releases each spliced series joins.

Written from the catalogue (`source.splice`) and the years in the tidy table, so the note cannot drift from
what the package reads (issue #16, item 1). data/README.md gives the same with the reasons.
"""

import pandas as pd

from . import safe
from .catalogue import Indicator, SourcePart, load_catalogue, source_parts


def _releases(parts: list[SourcePart]) -> tuple[str, ...]:
    """Source parts as a reader would name them: each file, with its year for a one-year file; one-year files
    in one folder (the pre-2018 children looked after tables) as that folder and its years."""
    out: list[str] = []
    folders: dict[str, list[int]] = {}
    for part in parts:
        folder, name = part.file.split("/")[0], part.file.rpartition("/")[2]
        if part.year is not None and "/" in part.file:
            if folder not in folders:
                folders[folder] = []
                out.append(folder)
            folders[folder].append(part.year)
        else:
            out.append(f"{name} ({part.year})" if part.year is not None else name)
    return tuple(f"{r}/ (one file a year, {min(folders[r])}-{max(folders[r])})" if r in folders else r for r in out)


def spliced_series(catalogue: dict[str, Indicator], tidy: pd.DataFrame) -> pd.DataFrame:
    """Spliced source indicators grouped by the releases they join.

    Columns: indicators (ids, comma-separated), years ("2015-2025" as in the tidy table), releases (newest
    first, "; "-separated). Indicators reading the same releases in the same order share a row.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for ind in catalogue.values():
        parts = source_parts(ind)
        if len(parts) > 1:
            groups.setdefault(_releases(parts), []).append(ind.id)
    rows = []
    for releases, ids in groups.items():
        years = tidy.loc[tidy["indicator"].isin(ids), "year"]
        span = f"{years.min()}-{years.max()}" if len(years) else "no rows"
        rows.append({"indicators": ", ".join(ids), "years": span, "releases": "; ".join(releases)})
    return pd.DataFrame(rows, columns=["indicators", "years", "releases"])


def note(tidy: pd.DataFrame) -> str:
    """Markdown: the splice rule, then one line per group of spliced series with its years and releases."""
    table = spliced_series(load_catalogue(), tidy)
    lines = "\n".join(
        f"- {safe.md(r.indicators)}: {safe.md(r.years)}, from {safe.md(r.releases)}" for r in table.itertuples()
    )
    return (
        "**Longer series.** Some series join several releases, newest first: each year comes from the "
        "newest release that has it, for every area at once, so a year never mixes releases (DfE and MHCLG "
        "revise figures). Spending is in cash terms (no deflator is available offline). Workforce agency "
        "cover, case holders and caseload start in 2017: the 2015-2016 files define them differently "
        "(data/README.md).\n\n" + lines
    )
