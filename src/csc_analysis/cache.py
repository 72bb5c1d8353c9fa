"""The on-disk cache of the parsed published table: content digests, the cache key, atomic writes."""

import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import CscError
from .paths import PACKAGE_DIR

FORMAT = 3


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: what was read, whatever its size or modification time say."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        raise CscError(f"{path}: file not found") from None
    except OSError as exc:
        raise CscError(f"{path}: cannot read ({exc.strerror})") from None
    return h.hexdigest()


def key(files: list[Path]) -> str:
    """The parsed table's identity: the contents of every download parsed, the catalogue and the versions."""
    import pyarrow

    h = hashlib.sha256(f"{FORMAT}|{__version__}|{pd.__version__}|{pyarrow.__version__}".encode())
    h.update((PACKAGE_DIR / "indicators.yaml").read_bytes())
    for path in files:
        h.update(f"{path.name}|{file_digest(path)}|".encode())
    return h.hexdigest()[:32]


def write_atomic(path: Path, payload: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(payload)
        os.replace(tmp.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def read_parquet(path: Path, columns: list[str], categories: list[str] | None = None) -> pd.DataFrame | None:
    """A cached table with exactly `columns`, or None when there is none usable (missing, truncated,
    foreign: the caller rebuilds it). Parquet is data only, so a file planted in the cache cannot run code.
    `categories`: text columns read straight into pandas categories, never as one string per row."""
    import pyarrow

    # Through the C allocator, which hands freed memory back: Arrow's default pool (mimalloc) keeps the ~30 MiB
    # the Parquet decoding passes through, in every kernel, for the kernel's life.
    pool = pyarrow.default_memory_pool()
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    try:
        frame = pd.read_parquet(path, read_dictionary=categories)
    except Exception:  # noqa: BLE001 - any unreadable cache is rebuilt
        return None
    finally:
        pyarrow.set_memory_pool(pool)
    return frame if list(frame.columns) == columns else None
