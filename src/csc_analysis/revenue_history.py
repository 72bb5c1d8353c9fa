"""Revenue outturn lines from the RO3 workbooks for 2022-23 and 2023-24, matched by MHCLG's column code.

These workbooks head their columns with two rows: the line ("Children's social care - Children Looked
After [note 3]") over the measure ("Net Current Expenditure (C7 = C3 - C6)8", with footnote numbers
that change between years), so a header label cannot be matched across years. Above them is a row of
MHCLG's own variable codes (`RO3-csclkd-net-cur-exp`, the same code the 2024-25 workbook carries in its
hidden last row), which is what the catalogue names (`code:` in a source part). A code the workbook does
not have is a one-line error, never a missing line.
"""

import re
from pathlib import Path

import pandas as pd

from . import workbooks
from .catalogue import SourcePart
from .cells import cell_numbers
from .errors import CscError

CODE = re.compile(r"^RO\d+-[\w-]+$")


def _text(value) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def outturn_by_code(path: Path, sheet: str, codes: list[str]) -> pd.DataFrame:
    """The columns with MHCLG codes `codes` of a revenue outturn sheet, one row per authority, £ thousands.

    Same columns as `workbooks.revenue_outturn` (year, ons_code, authority, column, value, status), with
    `column` holding the code. The table is the rows under the header row (the one naming "ONS Code" and
    "Local authority") down to the first blank row or the next table's header; the codes row is the row above
    the header holding MHCLG codes.
    """
    path = Path(path)
    book = workbooks.sheets(path)
    where = f"{path.name}, sheet {sheet}"
    if sheet not in book:
        raise CscError(f"{path.name}: no sheet {sheet!r} (sheets: {', '.join(book)})")
    cells = book[sheet].map(_text)
    header_at = next(
        (
            i
            for i in range(min(workbooks.HEADER_SEARCH_ROWS, len(cells)))
            if set(workbooks.RO_KEYS) <= set(cells.iloc[i])
        ),
        None,
    )
    if header_at is None:
        raise CscError(
            f"{where}: no header row with 'ONS Code' and 'Local authority' in the first "
            f"{workbooks.HEADER_SEARCH_ROWS} rows (has the layout changed?)"
        )
    code_rows = [i for i in range(header_at) if any(isinstance(v, str) and CODE.match(v) for v in cells.iloc[i])]
    if not code_rows:
        raise CscError(f"{where}: no row of MHCLG column codes (such as RO3-csctot-net-cur-exp) above the header")
    code_row = list(cells.iloc[code_rows[0]])
    missing = [c for c in codes if c not in code_row]
    if missing:
        raise CscError(f"{where}: no column with MHCLG code {missing[0]!r} (has the line been renamed or dropped?)")
    header = list(cells.iloc[header_at])
    at = {name: header.index(name) for name in workbooks.RO_KEYS}
    body = cells.iloc[header_at + 1 :]
    # The first table ends at a blank row or at the second table's header (2022-23: "ONS Code" over class totals).
    end = (body.isna().all(axis=1) | (body.iloc[:, at["ONS Code"]] == "ONS Code")).to_numpy()
    body = body.iloc[: end.argmax()] if end.any() else body
    body = body[body.iloc[:, at["ONS Code"]].astype(str).str.fullmatch(r"E\d{8}")]
    titles = [v for v in cells.iloc[:header_at].to_numpy().ravel() if isinstance(v, str)]
    year = workbooks.financial_year(titles + [sheet, path.name], where)
    raw = book[sheet].loc[body.index]
    parts = []
    for code in codes:
        values, status = cell_numbers(raw.iloc[:, code_row.index(code)].map(_number_cell), f"{where}, column {code!r}")
        parts.append(
            pd.DataFrame(
                {
                    "year": year,
                    "ons_code": body.iloc[:, at["ONS Code"]],
                    "authority": body.iloc[:, at["Local authority"]],
                    "column": code,
                    "value": values,
                    "status": status,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _number_cell(value):
    """A cell as `cells.cell_numbers` expects it: text trimmed, a blank or NaN as None."""
    if isinstance(value, str):
        return value.strip() or None
    return None if pd.isna(value) else value


def outturn_columns(path: Path, sheet: str, specs: list[SourcePart]) -> pd.DataFrame:
    """Every catalogue source part for one sheet: by header label (`column`) or by MHCLG code (`code`).

    The result's `column` is the part's `code` or `column`, whichever it names (see `source_key`).
    """
    labels = [str(s.column) for s in specs if s.code is None]
    codes = [s.code for s in specs if s.code is not None]
    parts = ([workbooks.revenue_outturn(path, sheet, labels)] if labels else []) + (
        [outturn_by_code(path, sheet, codes)] if codes else []
    )
    return pd.concat(parts, ignore_index=True)


def source_key(spec: SourcePart) -> str:
    """What identifies a workbook source part's column: its MHCLG code if it names one, else its header label."""
    return spec.code or str(spec.column)
