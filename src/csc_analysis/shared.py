"""Work that several pages of a pack share, done once per data vintage and cached by content.

Every page that benchmarks an LA ranks all LAs on its indicators (`neighbours.rank_all`). The ranking of
every indicator depends only on the published table, so it is computed once, kept in memory and on disk
(Parquet under the cache folder: data only, nothing in it can run code) and read back by every kernel.
The key is the SHA-256 of the table's content and the package version: a changed data file or a new
version gives a new key, never a stale ranking. A cache that cannot be read or written only costs speed.
"""

import hashlib

import pandas as pd

from . import __version__
from .paths import cache_dir

_MEMORY: dict[str, pd.DataFrame] = {}


def content_key(frame: pd.DataFrame) -> str:
    """SHA-256 (first 32 hex digits) of a frame's column names and values, whatever its index."""
    h = hashlib.sha256(f"{__version__}|{'|'.join(map(str, frame.columns))}|".encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()[:32]


def ranks(tidy: pd.DataFrame, indicators: list[str] | None = None) -> pd.DataFrame:
    """`neighbours.rank_all(tidy, indicators)`, taken from the ranking of every indicator in `tidy`.

    Ranks are per indicator and year, so a subset of the full ranking is the ranking of that subset.
    `indicators` None: every indicator.
    """
    key = f"ranks-{content_key(tidy)}"
    table = _MEMORY.get(key)
    if table is None:
        table = _MEMORY[key] = _read_or_rank(tidy, cache_dir() / f"{key}.parquet")
    rows = table if indicators is None else table[table["indicator"].isin(indicators)]
    return rows.astype(dict.fromkeys(_TEXT, "str")).reset_index(drop=True)


_TEXT = ["indicator", "la_code", "rank_order"]  # rank_all's text columns


RANK_COLUMNS = ["indicator", "year", "la_code", "rank", "n_ranked", "rank_order", "quartile"]  # rank_all's


def _read_or_rank(tidy: pd.DataFrame, path) -> pd.DataFrame:
    """The full ranking, kept in memory with its repeated text as categories (27 MiB as strings, 8.5 MiB so, in
    every kernel for its life; read from disk straight into categories); `ranks` hands out strings, as rank_all."""
    from .benchmark import rank_all
    from .cache import read_parquet, write_atomic

    table = read_parquet(path, RANK_COLUMNS, categories=_TEXT)
    if table is not None:
        return table
    table = rank_all(tidy, sorted(set(tidy["indicator"])))
    write_atomic(path, table.to_parquet(index=False))
    return table.astype(dict.fromkeys(_TEXT, "category"))
