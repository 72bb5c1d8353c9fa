"""Children's social work workforce at 30 September 2015 and 2016, from the pre-EES wide files (issue #16, item 12).

DfE's underlying data for SFR07/2016 (workforce 2015) and SFR08/2017 (workforce 2016) has one row per place
(England, regions, Inner/Outer London, LAs) and one column per measure with the year in its name
(`A1_FTE_ChildrensSocialWorkers_2015`). The catalogue splices the columns whose definitions match the
2017-2025 EES file before 2017 (see data/README.md for which, and which not).

The files use the older DfE symbols, mapped here to the GSS ones the package keeps (never zero):
`x` and `..` (not available) -> `x`; `.` (not applicable: Richmond upon Thames's 2016 workforce is
returned with Kingston's) -> `z`; `-` (nil or negligible) -> `k`. Numbers may carry thousands
separators (`27,700`); the 2016 file ends with blank rows, which are skipped.
"""

from pathlib import Path

import pandas as pd

from .errors import CscError

WIDE_GEOGRAPHY = ["Country_code", "Region_code", "LA_code (9 digit)", "LA_name", "LA_code (3 digit)"]
OLD_SYMBOLS = {"x": "x", "..": "x", ".": "z", "-": "k"}


def _cells(raw: pd.Series) -> pd.Series:
    """Numbers without thousands separators, older symbols as GSS symbols; anything else is left for
    `cells.parse_numbers` to report."""
    text = raw.str.strip()
    symbol = text.str.lower().map(OLD_SYMBOLS)
    return symbol.where(symbol.notna(), text.str.replace(r"(?<=\d),(?=\d{3})", "", regex=True))


def read_wide_workforce(
    path: Path, year: int, columns: list[str], region_names: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A wide workforce file's `columns` (cleaned text, as `cells.parse_numbers` reads it) and tidy geography.

    `year` is the workforce year (at 30 September) the catalogue gives the file; `region_names` maps a
    region's ONS code to its EES name (the files say "East" for "East of England"). A row is England when
    it has no region or LA code, a region when it has a region code but no LA code, else an LA.
    """
    from .ees import read_ees_csv

    frame = read_ees_csv(path, WIDE_GEOGRAPHY + columns)
    geo_text = frame[WIDE_GEOGRAPHY].apply(lambda s: s.str.strip())
    frame = frame[(geo_text != "").any(axis=1)]
    geo_text = geo_text.loc[frame.index]
    la_code, region_code = geo_text["LA_code (3 digit)"], geo_text["Region_code"]
    level = (
        pd.Series("la", index=frame.index)
        .mask(la_code == "", "regional")
        .mask((la_code == "") & (region_code == ""), "national")
    )
    bad = (level == "la") & ~la_code.str.fullmatch(r"\d{3}")
    if bad.any():
        raise CscError(f"{path.name}: LA code {la_code[bad].iloc[0]!r} is not a 3-digit code (line {bad.idxmax() + 2})")
    region = region_code.map(region_names)
    unknown = (level != "national") & region.isna()
    if unknown.any():
        raise CscError(
            f"{path.name}: region code {region_code[unknown].iloc[0]!r} (line {unknown.idxmax() + 2}) "
            "is not a region in the EES files"
        )
    national, regional = level == "national", level == "regional"
    geo = pd.DataFrame(
        {
            "year": year,
            "geographic_level": level,
            "la_code": la_code.where(level == "la", None),
            "new_la_code": geo_text["LA_code (9 digit)"]
            .where(level == "la", region_code)
            .where(~national, "E92000001"),
            "la_name": geo_text["LA_name"].where(level == "la", region).where(~national, "England"),
            "region_name": region.where(~national, None),
        },
        index=frame.index,
    )
    geo.loc[regional, "region_name"] = region[regional]
    cleaned = frame[columns].apply(_cells)
    return cleaned, geo
