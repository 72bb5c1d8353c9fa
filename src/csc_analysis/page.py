"""The first lines of every notebook: the published data, the LA registry, the chosen LA and its neighbours.

One call instead of the same five lines at the top of each notebook, so every page resolves the LA and
builds its neighbour group the same way.
"""

import os
from typing import NamedTuple

import pandas as pd

from . import load, neighbours
from .registry import LA, Registry


class Page(NamedTuple):
    data: pd.DataFrame  # `load.published`: every indicator, LA, region and England
    registry: Registry
    target: LA  # the chosen LA
    sn: pd.DataFrame | None  # `neighbours.sn_table` (None when no model was asked for)
    sn_codes: list[str]  # the neighbours' DfE codes, closest first


def setup(la: str, data_dir: str | os.PathLike | None = None, sn_model: str | int | list[str] | None = "2025") -> Page:
    """Load the published data (cached), resolve `la` (name, DfE or ONS code) and, unless `sn_model` is
    None, its statistical neighbours: `data, registry, target, sn, sn_codes = page.setup(la, data_dir, sn_model)`."""
    data = load.published(data_dir)
    registry = load.registry(data_dir)
    target = registry.resolve(la)
    sn = None if sn_model is None else neighbours.sn_table(load.sn_models(data_dir), registry, target, sn_model)
    return Page(data, registry, target, sn, [] if sn is None else list(sn["la_code"]))
