"""Small-number suppression for anything built from local child- or worker-level data.

Published figures are already suppressed by DfE; local extracts are not, so every table built
from them passes through `suppress` before it is shown, and counts with a forecast made from
them through `suppress_forecast`.
"""

import pandas as pd

SUPPRESSED = "c"  # the GSS symbol for a confidential (suppressed) figure
DEFAULT_THRESHOLD = 5


def suppress(frame: pd.DataFrame, count_columns: list[str], threshold: int = DEFAULT_THRESHOLD,
             total_label: str | None = None, label_column: str | None = None) -> pd.DataFrame:
    """Replace counts from 1 to threshold-1 by "c", with secondary suppression.

    Zero is shown (it discloses nothing about a person). When a `total_label` row is present
    (found in `label_column`), a column with exactly one suppressed cell among the other rows has
    its next-smallest cell suppressed too, so the suppressed figure cannot be worked out by
    subtraction from the total.

    >>> suppress(pd.DataFrame({"team": ["A", "B", "C", "All"], "n": [3, 10, 12, 25]}), ["n"],
    ...          total_label="All", label_column="team")["n"].tolist()
    ['c', 'c', 12, 25]
    """
    out = frame.copy()
    body = out[label_column] != total_label if total_label is not None else pd.Series(True, index=out.index)
    for col in count_columns:
        values = pd.to_numeric(out[col], errors="coerce")
        hide = (values > 0) & (values < threshold)
        if total_label is not None and (hide & body).sum() == 1:
            candidates = values[body & ~hide & (values > 0)]
            if len(candidates):
                hide[candidates.idxmin()] = True
        out[col] = out[col].astype(object).where(~hide, SUPPRESSED)
    return out


def suppressed_count(frame: pd.DataFrame, count_columns: list[str]) -> int:
    """How many cells of a suppressed table are hidden."""
    return int(sum((frame[c] == SUPPRESSED).sum() for c in count_columns))


FORECAST_COLUMNS = ["mean", "lo80", "hi80", "lo95", "hi95"]


def suppress_forecast(history: pd.DataFrame, forecast: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD,
                      total: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Counts from local data (period, value) and the forecast made from them, safe to show; and a note.

    The counts follow `suppress`. `total` is a count of the same rows shown elsewhere (e.g. "1,098 used"):
    whatever it holds beyond the periods shown (rows in partial months left out) is one more cell, and the
    total is the total row, so secondary suppression stops any period being worked out by subtraction.
    Forecast figures are rounded to whole numbers; one that rounds to 1 to threshold-1, or equals a
    hidden count (a naive forecast repeats the last month), is hidden too. threshold 0 hides nothing.

    >>> h, f, _ = suppress_forecast(pd.DataFrame({"period": [1, 2, 3], "value": [3.0, 10.0, 12.0]}),
    ...                             pd.DataFrame({"period": [4], "mean": [10.0], "lo80": [6.2], "hi80": [14.0],
    ...                                           "lo95": [4.4], "hi95": [16.0]}), total=25)
    >>> h["value"].tolist(), f.loc[0, FORECAST_COLUMNS].tolist()
    (['c', 'c', 12], ['c', 6, 14, 'c', 16])
    """
    counts = history["value"].round().astype("int64").tolist()
    labels = [f"period {i}" for i in range(len(counts))]
    if total is not None:
        counts, labels = counts + [int(total) - sum(counts), int(total)], labels + ["not in a period", "total"]
    table = suppress(pd.DataFrame({"label": labels, "value": counts}), ["value"], threshold,
                     total_label="total" if total is not None else None, label_column="label")
    shown = table["value"].iloc[:len(history)].tolist()
    hidden = {n for n, s in zip(counts, shown) if s == SUPPRESSED}
    out = forecast.copy()
    for col in FORECAST_COLUMNS:
        rounded = out[col].round()
        hide = ((rounded > 0) & (rounded < threshold)) | rounded.isin(hidden)
        out[col] = rounded.astype("int64").astype(object).where(~hide, SUPPRESSED)
    n_periods, n_figures = shown.count(SUPPRESSED), suppressed_count(out, FORECAST_COLUMNS)
    note = (f"To protect children's privacy, {n_periods} count(s) of fewer than {threshold}, or that would let one be "
            f"worked out from the total, and {n_figures} forecast figure(s) that round below {threshold} or repeat a "
            f"hidden count are shown as c." if n_periods or n_figures else "")
    return history.assign(value=shown), out, note
