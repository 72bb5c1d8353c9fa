"""The local authorities: current and predecessor LAs, and finding one from what a user types."""

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from .errors import CscError


@dataclass(frozen=True)
class LA:
    """One local authority as the registry knows it."""

    la_code: str
    new_la_code: str
    la_name: str
    region_name: str
    current: bool
    first_year: int
    last_year: int
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    created_year: int | None = None  # first reporting year of an LA made by a reorganisation
    abolished_year: int | None = None  # last reporting year of an LA replaced by one

    @property
    def slug(self) -> str:
        """File-system name for outputs, e.g. `oldham`, `bristol-city-of`."""
        return re.sub(r"[^a-z0-9]+", "-", self.la_name.lower()).strip("-")


def normalise_name(name: str) -> str:
    """Name key tolerant of case, `&`/`and`, punctuation and "City of"/"County of".

    >>> normalise_name("Bristol, City of") == normalise_name("City of Bristol")
    True
    >>> normalise_name("Brighton & Hove")
    'brighton and hove'
    """
    key = name.lower().replace("&", " and ")
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    key = re.sub(r"\b(the )?(city|county) of\b", " ", key)
    key = re.sub(r"\bsaint\b", "st", key)
    key = re.sub(r"\s+", " ", key).strip()
    return key or name.lower().strip()


class Registry:
    """LAs found in the published data, with look-up by name, DfE code or ONS code."""

    def __init__(self, las: pd.DataFrame):
        self.las = las.reset_index(drop=True)
        self._by_code = {r.la_code: r for r in self._records()}
        self._by_ons = {r.new_la_code.upper(): r for r in self._by_code.values()}
        self._by_name: dict[str, LA] = {}
        # Current LAs win a shared name (Dorset 838 over the pre-2019 Dorset 835).
        for r in sorted(self._by_code.values(), key=lambda r: r.current):
            self._by_name[normalise_name(r.la_name)] = r

    def _records(self) -> list[LA]:
        return [
            LA(
                la_code=r.la_code,
                new_la_code=r.new_la_code,
                la_name=r.la_name,
                region_name=r.region_name,
                current=bool(r.current),
                first_year=int(r.first_year),
                last_year=int(r.last_year),
                predecessors=tuple(r.predecessors),
                successors=tuple(r.successors),
                created_year=None if pd.isna(r.created_year) else int(r.created_year),
                abolished_year=None if pd.isna(r.abolished_year) else int(r.abolished_year),
            )
            for r in self.las.itertuples(index=False)
        ]

    def resolve(self, query: str | int) -> LA:
        """The LA for a name ("Oldham", "bristol city of"), DfE code (353) or ONS code (E08000004).

        An unknown name is an error listing the closest names.
        """
        text = str(query).strip()
        if re.fullmatch(r"\d{3}", text):
            if text in self._by_code:
                return self._by_code[text]
            raise CscError(f"unknown LA code {text!r}; `csc-analysis las` lists the codes")
        if re.fullmatch(r"[EeWwSs]\d{8}", text):
            if text.upper() in self._by_ons:
                return self._by_ons[text.upper()]
            raise CscError(f"unknown ONS code {text!r}; `csc-analysis las` lists the codes")
        key = normalise_name(text)
        if key in self._by_name:
            return self._by_name[key]
        names = {normalise_name(r.la_name): r.la_name for r in self._by_code.values()}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        close += [k for k in names if key and key in k and k not in close][: 3 - len(close)]
        hint = f"; closest: {', '.join(names[k] for k in close)}" if close else ""
        raise CscError(f"unknown LA {text!r}{hint}")

    def current(self) -> list[LA]:
        """The LAs with children's services responsibilities now (153 in 2025), by name."""
        return sorted((r for r in self._by_code.values() if r.current), key=lambda r: r.la_name)

    def name(self, code: str) -> str:
        """The LA's name for a DfE code (the code itself if unknown)."""
        return self._by_code[code].la_name if code in self._by_code else code


def build_registry(tidy: pd.DataFrame, changes: pd.DataFrame, current_codes: set[str]) -> Registry:
    """Registry from the tidy published table, the boundary changes and the set of current codes."""
    # Only the columns needed, taken from the rows needed: the LA rows of every column would be a second table.
    la = tidy["geographic_level"] == "la"
    years = tidy.loc[la & tidy["value"].notna(), ["la_code", "year"]].groupby("la_code")["year"].agg(["min", "max"])
    first = tidy.loc[la, "la_code"].drop_duplicates().index
    info = tidy.loc[first, ["la_code", "new_la_code", "la_name", "region_name"]].set_index("la_code")
    las = info.join(years, how="left").reset_index()
    las["current"] = las["la_code"].isin(current_codes)
    las["first_year"] = las["min"].fillna(0).astype(int)
    las["last_year"] = las["max"].fillna(0).astype(int)
    las["predecessors"] = (
        las["la_code"]
        .map(changes.groupby("new_code")["old_code"].agg(tuple))
        .apply(lambda v: v if isinstance(v, tuple) else ())
    )
    las["successors"] = (
        las["la_code"]
        .map(changes.groupby("old_code")["new_code"].agg(tuple))
        .apply(lambda v: v if isinstance(v, tuple) else ())
    )
    las["created_year"] = las["la_code"].map(changes.groupby("new_code")["from_year"].min())
    las["abolished_year"] = las["la_code"].map(changes.groupby("old_code")["from_year"].min() - 1)
    cols = [
        "la_code",
        "new_la_code",
        "la_name",
        "region_name",
        "current",
        "first_year",
        "last_year",
        "predecessors",
        "successors",
        "created_year",
        "abolished_year",
    ]
    return Registry(las[cols].sort_values(["current", "la_name"], ascending=[False, True]))
