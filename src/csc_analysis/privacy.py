"""Small-number suppression for anything built from local child- or worker-level data.

Published figures are already suppressed by DfE; local extracts are not, so every table built
from them passes through `suppress` before it is shown.
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
