"""The on-disk cache of the parsed published table: content digests, the cache key, atomic writes."""

import hashlib
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import unreadable
from .paths import PACKAGE_DIR

FORMAT = 3


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: what was read, whatever its size or modification time say.

    A process hashes a file once while it stays unchanged: the digest is kept against the file's device, inode,
    size, modification time and change time, and any change to them means reading it again. The change time is
    the system's own (an edit that puts the modification time back still moves it), and a file changed in the
    last 2 seconds is always read again (timestamps are coarser than writes: git's "racily clean" rule). So a warm
    kernel or an `--all` run no longer hashes every download before each page and each LA (issue #18).
    """
    try:
        stat = path.stat()
        identity = (str(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        if identity in _DIGESTS:
            return _DIGESTS[identity]
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS:
        _DIGESTS[identity] = h.hexdigest()
    return h.hexdigest()


RACY_NS = 2_000_000_000  # a file changed this recently (ns) is hashed every time
_DIGESTS: dict[tuple, str] = {}  # file_digest(): digests of files unchanged since they were read


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
