"""Statistical neighbours: who an LA is compared with."""

import pandas as pd

from .errors import CscError
from .registry import LA, Registry

MODELS = ("2025", "2021")
FALLBACK_NOTE = "DfE April 2021 groupings"
# The columns each model's file must have: the LA and its ten neighbours, closest first.
SN_REQUIRED = {
    "2025": ["old_la_code"] + [f"SN_{i}" for i in range(1, 11)],
    "2021": ["LA number"] + [f"SN{i}" for i in range(1, 11)],
}


def sn_table(models: pd.DataFrame, registry: Registry, la: LA, model: str | int | list[str] = "2025") -> pd.DataFrame:
    """An LA's statistical neighbours, closest first.

    `model` is `"2025"` (the DfE 2025 model, default), `"2021"` (April 2021 groupings), either also as a
    number (`-p sn_model=2021` reaches a notebook as one), or a list of LA names/codes chosen by the user.
    An LA created after a model was published (Cumberland in the 2021 groupings) takes its predecessor's
    neighbours, and an LA abolished before the 2025 model (Cumbria, 909) takes its April 2021 groupings;
    the `note` column says so. Columns: position, la_code, la_name, band, note.
    """
    if isinstance(model, int):
        model = str(model)
    if not isinstance(model, str):
        chosen = [registry.resolve(x) for x in model]
        if any(c.la_code == la.la_code for c in chosen):
            raise CscError(f"the neighbour list includes {la.la_name} itself")
        codes = [c.la_code for c in chosen]
        twice = [c.la_name for i, c in enumerate(chosen) if c.la_code in codes[:i]]
        if twice:
            raise CscError(f"the neighbour list names {twice[0]} twice: each neighbour counts once in the median")
        return pd.DataFrame(
            {
                "position": range(1, len(chosen) + 1),
                "la_code": [c.la_code for c in chosen],
                "la_name": [c.la_name for c in chosen],
                "band": None,
                "note": "user list",
            }
        )
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
    if own.empty and model == "2025":
        # LAs abolished before 2025 (Cumbria, Northamptonshire, the pre-2019 Dorset LAs) are only in
        # the April 2021 groupings: use those, and say so in the note.
        fallback = sn_table(models, registry, la, "2021")
        return fallback.assign(note=f"{FALLBACK_NOTE}: {la.la_name} is not in the DfE 2025 model")
    if own.empty:
        raise CscError(f"{la.la_name} ({la.la_code}) is not in the {model} statistical neighbour model")
    own = own.sort_values("position")
    return pd.DataFrame(
        {
            "position": own["position"].to_numpy(),
            "la_code": own["neighbour_code"].to_numpy(),
            "la_name": [registry.name(c) for c in own["neighbour_code"]],
            "band": own["band"].to_numpy(),
            "note": note,
        }
    )


def comparison_series(
    tidy: pd.DataFrame, la: LA, sn_codes: list[str], indicators: list[str] | None = None
) -> pd.DataFrame:
    """Per indicator and year: the LA beside its neighbours, its region and England.

    Columns: indicator, year, value, status (the LA's), sn_median, sn_mean, sn_min, sn_max,
    sn_n (neighbours with a value that year; missing values are ignored, except DfE's `low`, a
    small positive value that rounds to zero, which counts as 0), region_value and england_value
    (the published regional and national rows, not recomputed), sn_note (says when a `low` was
    counted as 0) and flag (the LA's value is implausible by `outliers.implausible`, else None).
    """
    from .outliers import implausible

    rows = tidy if indicators is None else tidy[tidy["indicator"].isin(indicators)]
    key = ["indicator", "year"]
    own = rows.loc[rows["la_code"] == la.la_code, key + ["value", "status"]]
    sn_rows = rows[rows["la_code"].isin(sn_codes)]
    low = sn_rows["status"] == "low"
    sn = (
        sn_rows.assign(value=sn_rows["value"].mask(low, 0.0), low=low)
        .groupby(key)
        .agg(
            sn_median=("value", "median"),
            sn_mean=("value", "mean"),
            sn_min=("value", "min"),
            sn_max=("value", "max"),
            sn_n=("value", "count"),
            sn_low=("low", "sum"),
        )
    )
    sn["sn_note"] = [
        f"{n} neighbour value(s) published as 'low' (positive, rounds to 0) counted as 0" if n else None
        for n in sn.pop("sn_low")
    ]
    region = rows.loc[
        (rows["geographic_level"] == "regional") & (rows["la_name"] == la.region_name), key + ["value"]
    ].rename(columns={"value": "region_value"})
    england = rows.loc[rows["geographic_level"] == "national", key + ["value"]].rename(
        columns={"value": "england_value"}
    )
    flags = implausible(rows, la_code=la.la_code)[key + ["note"]].rename(columns={"note": "flag"})
    out = own.merge(sn.reset_index(), on=key, how="outer")
    out = out.merge(region, on=key, how="left").merge(england, on=key, how="left").merge(flags, on=key, how="left")
    out["sn_n"] = out["sn_n"].fillna(0).astype(int)
    out = out.astype({"sn_note": object, "flag": object})
    out[["sn_note", "flag"]] = out[["sn_note", "flag"]].where(out[["sn_note", "flag"]].notna(), None)
    return out.sort_values(key).reset_index(drop=True)


def long_models(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> pd.DataFrame:
    """Both DfE statistical-neighbour models, read as text (`frames`, by model; `files` names their files),
    as one long table.

    Columns: model (`2025`/`2021`), la_code, position (1 = closest), neighbour_code, band
    (the model's closeness band, e.g. "Very Close").
    """
    parts = []
    for model, frame in frames.items():
        if model == "2025":
            codes, bands = [f"SN_{i}" for i in range(1, 11)], [f"SN_{i}P" for i in range(1, 11)]
            la_col = "old_la_code"
        else:
            # The 2021 file repeats the header "SNP" after each SNn; pandas numbers them SNP, SNP.1, ...
            codes = [f"SN{i}" for i in range(1, 11)]
            bands = ["SNP"] + [f"SNP.{i}" for i in range(1, 10)]
            la_col = "LA number"
        frame = frame[frame[la_col].str.strip() != ""]
        for pos, (code_col, band_col) in enumerate(zip(codes, bands), start=1):
            parts.append(
                pd.DataFrame(
                    {
                        "model": model,
                        "la_code": frame[la_col].str.strip(),
                        "position": pos,
                        "neighbour_code": frame[code_col].str.strip(),
                        "band": frame[band_col].str.strip() if band_col in frame else None,
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True)
    own_ok = out["la_code"].str.fullmatch(r"\d{3}")
    bad = out[~out["neighbour_code"].str.fullmatch(r"\d{3}") | ~own_ok]
    if len(bad):
        first = bad.iloc[0]
        code = first["neighbour_code"] if own_ok[bad.index[0]] else first["la_code"]
        raise CscError(f"{files[first['model']]}: LA code {code!r} is not a 3-digit code")
    return out.sort_values(["model", "la_code", "position"]).reset_index(drop=True)
