"""Small-number suppression for anything built from local child- or worker-level data.

Published figures are already suppressed by DfE; local extracts are not, so every table built
from them passes through `suppress` before it is shown, and counts with a forecast made from
them through `suppress_forecast`.
"""

import pandas as pd

from .errors import at_least

SUPPRESSED = "c"  # the GSS symbol for a confidential (suppressed) figure
DEFAULT_THRESHOLD = 5


def suppress(
    frame: pd.DataFrame,
    count_columns: list[str],
    threshold: int = DEFAULT_THRESHOLD,
    total_label: str | None = None,
    label_column: str | None = None,
    describes: dict[str, list[str]] | None = None,
    row_totals: dict[str, list[str]] | None = None,
    already_hidden: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Replace counts of people from 1 to threshold-1 by "c", and everything that would give them away.

    - Primary: a count from 1 to threshold-1 is hidden. Zero is shown (it describes nobody).
    - Figures about the people a count counts (`describes`: column -> the count columns whose people
      it is about, e.g. ``{"fte": ["workers"]}``) are hidden wherever one of those counts is hidden,
      so a one-worker row never shows that worker's FTE or caseload.
    - Secondary: a hidden cell in a line that has a shown total could be worked out as total minus the
      shown cells. The lines are each count column down the rows when a `total_label` row is present
      (found in `label_column`), and each `row_totals` count (total column -> its parts) across a row.
      In every such line the hidden cells must be at least two and add up to `threshold` or more;
      otherwise the smallest shown cell (non-zero where the sum is short) is hidden too, or, when no
      cell is left that would help, the total itself.
    These rules feed each other, so they are applied again until nothing changes.
    `already_hidden` (booleans, same rows, the count columns) marks cells hidden for another reason, e.g.
    by suppression in the other direction of a two-way table: they start hidden, with their true counts.

    >>> suppress(pd.DataFrame({"team": ["A", "B", "C", "All"], "n": [3, 10, 12, 25]}), ["n"],
    ...          total_label="All", label_column="team")["n"].tolist()
    ['c', 'c', 12, 25]
    """
    at_least(threshold, 0, "suppress_below")  # 0 hides nothing (the user's own use); below 0 means nothing
    describes, row_totals = describes or {}, row_totals or {}
    counts = frame[count_columns].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    col = {name: i for i, name in enumerate(count_columns)}
    hidden = (counts > 0) & (counts < threshold)
    if already_hidden is not None:
        hidden |= already_hidden[count_columns].to_numpy(dtype=bool)
    lines = []  # (cells of the line as (row, column) index pairs, its total cell)
    if total_label is not None:
        is_total = (frame[label_column] == total_label).to_numpy()
        body = [i for i in range(len(frame)) if not is_total[i]]
        for total_row in [i for i in range(len(frame)) if is_total[i]]:
            lines += [([(i, j) for i in body], (total_row, j)) for j in range(len(count_columns))]
    for total_col, parts in row_totals.items():
        lines += [([(i, col[p]) for p in parts], (i, col[total_col])) for i in range(len(frame))]

    dependent = {name: [col[c] for c in sources] for name, sources in describes.items()}
    while True:
        before = hidden.copy()
        for name, sources in dependent.items():
            if name in col:
                hidden[:, col[name]] |= hidden[:, sources].any(axis=1)
        for cells, total in lines:
            if hidden[total]:
                continue
            gone = [c for c in cells if hidden[c]]
            short = sum(counts[c] for c in gone) < threshold
            if not gone or (len(gone) >= 2 and not short):
                continue
            pool = [c for c in cells if not hidden[c] and (counts[c] > 0 or not short)]
            hidden[min(pool, key=lambda c: counts[c]) if pool else total] = True
        if (hidden == before).all():
            break

    out = frame.copy()
    for name, j in col.items():
        out[name] = out[name].astype(object).where(~hidden[:, j], SUPPRESSED)
    for name, sources in dependent.items():
        if name not in col:
            out[name] = out[name].astype(object).where(~hidden[:, sources].any(axis=1), SUPPRESSED)
    return out


def suppressed_count(frame: pd.DataFrame, count_columns: list[str]) -> int:
    """How many cells of a suppressed table are hidden.

    >>> suppressed_count(pd.DataFrame({"n": [SUPPRESSED, 10, SUPPRESSED], "m": [6, SUPPRESSED, 7]}), ["n", "m"])
    3
    """
    return int(sum((frame[c] == SUPPRESSED).sum() for c in count_columns))


FORECAST_COLUMNS = ["mean", "lo80", "hi80", "lo95", "hi95"]


def suppress_forecast(
    history: pd.DataFrame, forecast: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, total: float | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
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
    table = suppress(
        pd.DataFrame({"label": labels, "value": counts}),
        ["value"],
        threshold,
        total_label="total" if total is not None else None,
        label_column="label",
    )
    shown = table["value"].iloc[: len(history)].tolist()
    hidden = {n for n, s in zip(counts, shown) if s == SUPPRESSED}
    out = forecast.copy()
    for col in FORECAST_COLUMNS:
        rounded = out[col].round()
        hide = ((rounded > 0) & (rounded < threshold)) | rounded.isin(hidden)
        out[col] = rounded.astype("int64").astype(object).where(~hide, SUPPRESSED)
    n_periods, n_figures = shown.count(SUPPRESSED), suppressed_count(out, FORECAST_COLUMNS)
    note = (
        f"To protect children's privacy, {n_periods} count(s) of fewer than {threshold}, or that would let one be "
        f"worked out from the total, and {n_figures} forecast figure(s) that round below {threshold} or repeat a "
        f"hidden count are shown as c."
        if n_periods or n_figures
        else ""
    )
    return history.assign(value=shown), out, note
