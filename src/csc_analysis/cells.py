"""Published cells to numbers: the one place a figure or a DfE/MHCLG symbol is read from a cell.

`parse_numbers` reads the text cells of a CSV download (EES, SFR); `cell_numbers` the typed cells of a
spreadsheet (MHCLG workbooks, where symbols are bracketed). Both keep the symbol as a status beside a NaN
value and never turn it into zero (see data/README.md); anything else is a one-line `CscError`.
"""

import re

import numpy as np
import pandas as pd

from .errors import CscError

SYMBOLS = ("c", "x", "z", "k", "u", "low", ":")
# Bracketed symbols in the MHCLG workbooks, kept as a status and never read as zero:
# [x] not received, [z] not collected, [n] no estimate possible (so, not available). A cell
# holding only a note ("[note 4]": Gateshead's looked-after breakdown was imputed by MHCLG)
# has no figure of its own, and is also not available.
WORKBOOK_SYMBOLS = {"[x]": "x", "[z]": "z", "[n]": "x"}
NOTE_ONLY = re.compile(r"^\[note \d+\]$", re.IGNORECASE)


def parse_numbers(raw: pd.Series, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Split a text column into float values and symbol statuses.

    Numbers become floats with status None; a GSS symbol becomes NaN with the symbol kept;
    an empty cell becomes NaN with status None (the caller drops it: nothing was published).
    Anything else is an error naming the column, the line (from `raw`'s index, the row's
    position in the file) and the offending value.
    """
    text = raw.astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    flagged = np.isnan(values) & (text != "").to_numpy()
    symbols = text.str.lower().to_numpy(dtype=object)
    unknown = flagged & ~np.isin(symbols, SYMBOLS)
    if unknown.any():
        first = np.flatnonzero(unknown)[0]
        raise CscError(
            f"{where}: value {text.iloc[first]!r} is neither a number nor a symbol ({'/'.join(SYMBOLS)}), "
            f"first at line {text.index[first] + 2}; {unknown.sum()} such cell(s)"
        )
    status = np.where(flagged, symbols, None)
    return values, status  # type: ignore[return-value]  # numpy's stubs read where(c, x, None) as where(c)


def cell_numbers(raw: pd.Series, where: str) -> tuple[pd.Series, pd.Series]:
    """Numbers and statuses from spreadsheet cells: `[x]` becomes NaN with status `x`.

    An empty cell or a note alone is NaN with status `x` (not available): a workbook row
    exists for the LA, so a blank means nothing was reported, not zero. Any other text is an
    error naming it.
    """
    values: list[float] = []
    status: list[str | None] = []
    for v in raw:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            values.append(float(v))
            status.append(None)
            continue
        if v is None or v in WORKBOOK_SYMBOLS or (isinstance(v, str) and NOTE_ONLY.match(v)):
            values.append(float("nan"))
            status.append(WORKBOOK_SYMBOLS.get(v, "x"))
            continue
        try:
            values.append(float(str(v).replace(",", "")))
            status.append(None)
        except ValueError:
            raise CscError(f"{where}: value {v!r} is neither a number nor a symbol such as [x]") from None
    return pd.Series(values, index=raw.index, dtype=float), pd.Series(status, index=raw.index, dtype=object)
