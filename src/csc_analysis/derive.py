"""Tidy rows computed from other tidy rows: derived rates, one series from several releases, LA names.

Data in, data out: nothing here reads a file.
"""

import numpy as np
import pandas as pd

from .catalogue import Indicator
from .ees import TIDY_COLUMNS


def splice(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One indicator's rows from several releases, newest first: each year from the newest
    release that has it (for every place at once), so a year never mixes releases."""
    taken: set[int] = set()
    out = []
    for rows in parts:
        fresh = rows[~rows["year"].isin(taken)]
        out.append(fresh)
        taken |= set(fresh["year"])
    return pd.concat(out, ignore_index=True)


def ons_places(geo_frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every ONS code an LA has been published under, to its DfE code, name and region (latest);
    and each region's ONS code by name."""
    geo = pd.concat(geo_frames).sort_values("year")
    la = geo[geo["geographic_level"] == "la"]
    places = la.drop_duplicates("new_la_code", keep="last").set_index("new_la_code")[
        ["la_code", "la_name", "region_name"]
    ]
    regions = geo[geo["geographic_level"] == "regional"].drop_duplicates("la_name", keep="last")
    return places, dict(zip(regions["la_name"], regions["new_la_code"]))


def derived_rows(ind: Indicator, tidy: pd.DataFrame, published: pd.DataFrame | None = None) -> pd.DataFrame:
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
    assert d is not None, ind.id
    # An LA is its DfE code (its ONS code changed in some reorganisations); a region or
    # England is its ONS code.
    area = lambda f: f["la_code"].fillna(f["new_la_code"])  # noqa: E731
    num = tidy[tidy["indicator"] == d.numerator]
    den = tidy[tidy["indicator"] == d.denominator]
    den = pd.DataFrame(
        {
            "year": den["year"] - d.denominator_year_offset,
            "area": area(den),
            "value_den": den["value"],
            "status_den": den["status"],
        }
    )
    out = num.assign(area=area(num)).merge(den, on=["year", "area"], how="left")
    out["value"] = out["value"] / out["value_den"] * d.multiplier
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


def canonical_names(tidy: pd.DataFrame) -> pd.DataFrame:
    """Give each LA the name, ONS code and region of its latest appearance in any file."""
    la = tidy["geographic_level"] == "la"
    latest = (
        tidy.loc[la, ["la_code", "year", "new_la_code", "la_name", "region_name"]]
        .sort_values("year")
        .drop_duplicates("la_code", keep="last")
        .set_index("la_code")
    )
    for col in ("new_la_code", "la_name", "region_name"):
        tidy.loc[la, col] = tidy.loc[la, "la_code"].map(latest[col])
    return tidy


def column_types(tidy: pd.DataFrame) -> pd.DataFrame:
    """One set of column types whether the table was parsed or read back from the cache: every text column as
    pandas strings (`str`, missing as NaN), which hold a column in a few bytes a row (objects held a Python string
    for every row: 45 MiB more for la_code, region_name and status, in every kernel)."""
    for col in ["geographic_level", "la_code", "new_la_code", "la_name", "region_name", "indicator", "status"]:
        tidy[col] = tidy[col].astype("str")
    return tidy
