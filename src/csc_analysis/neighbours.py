"""Statistical neighbours: who an LA is compared with."""

import pandas as pd

from .errors import CscError
from .registry import LA, Registry

MODELS = ("2025", "2021")


def sn_table(models: pd.DataFrame, registry: Registry, la: LA,
             model: str | list[str] = "2025") -> pd.DataFrame:
    """An LA's statistical neighbours, closest first.

    `model` is `"2025"` (the DfE 2025 model, default), `"2021"` (April 2021 groupings) or a
    list of LA names/codes chosen by the user. An LA created after a model was published
    (Cumberland in the 2021 groupings) takes its predecessor's neighbours, and the `note`
    column says so. Columns: position, la_code, la_name, band, note.
    """
    if not isinstance(model, str):
        chosen = [registry.resolve(x) for x in model]
        if any(c.la_code == la.la_code for c in chosen):
            raise CscError(f"the neighbour list includes {la.la_name} itself")
        return pd.DataFrame({
            "position": range(1, len(chosen) + 1),
            "la_code": [c.la_code for c in chosen],
            "la_name": [c.la_name for c in chosen],
            "band": None,
            "note": "user list",
        })
    model = str(model)
    if model not in MODELS:
        raise CscError(f"unknown statistical neighbour model {model!r}; expected 2025, 2021 or a list of LAs")
    rows = models[models["model"] == model]
    own = rows[rows["la_code"] == la.la_code]
    note = f"DfE {model} model"
    if own.empty:
        for code in la.predecessors:
            own = rows[rows["la_code"] == code]
            if not own.empty:
                note = f"DfE {model} model, neighbours of predecessor {registry.name(code)}"
                break
    if own.empty:
        raise CscError(f"{la.la_name} ({la.la_code}) is not in the {model} statistical neighbour model")
    own = own.sort_values("position")
    return pd.DataFrame({
        "position": own["position"].to_numpy(),
        "la_code": own["neighbour_code"].to_numpy(),
        "la_name": [registry.name(c) for c in own["neighbour_code"]],
        "band": own["band"].to_numpy(),
        "note": note,
    })


def comparison_series(tidy: pd.DataFrame, la: LA, sn_codes: list[str],
                      indicators: list[str] | None = None) -> pd.DataFrame:
    """Per indicator and year: the LA beside its neighbours, its region and England.

    Columns: indicator, year, value, status (the LA's), sn_median, sn_mean, sn_min, sn_max,
    sn_n (neighbours with a value that year; missing values are ignored), region_value and
    england_value (the published regional and national rows, not recomputed).
    """
    rows = tidy if indicators is None else tidy[tidy["indicator"].isin(indicators)]
    key = ["indicator", "year"]
    own = rows.loc[rows["la_code"] == la.la_code, key + ["value", "status"]]
    sn = (rows[rows["la_code"].isin(sn_codes)].groupby(key)["value"]
          .agg(sn_median="median", sn_mean="mean", sn_min="min", sn_max="max", sn_n="count"))
    region = rows.loc[(rows["geographic_level"] == "regional") & (rows["la_name"] == la.region_name),
                      key + ["value"]].rename(columns={"value": "region_value"})
    england = rows.loc[rows["geographic_level"] == "national", key + ["value"]].rename(
        columns={"value": "england_value"})
    out = own.merge(sn.reset_index(), on=key, how="outer")
    out = out.merge(region, on=key, how="left").merge(england, on=key, how="left")
    out["sn_n"] = out["sn_n"].fillna(0).astype(int)
    return out.sort_values(key).reset_index(drop=True)
