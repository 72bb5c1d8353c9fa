"""cache.file_digest: content digests, read once per process while a file is unchanged (issue #18)."""

import hashlib
import os
import time
from pathlib import Path

import pytest

from csc_analysis import cache


@pytest.fixture
def digests(monkeypatch):
    monkeypatch.setattr(cache, "_DIGESTS", {})


def _settled(monkeypatch):
    """Every file looks last changed long ago (the racy-file rule would otherwise re-read a file just written)."""
    now = time.time_ns
    monkeypatch.setattr(cache.time, "time_ns", lambda: now() + 10 * cache.RACY_NS)


def _refuse_reads(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{self} read again")

    monkeypatch.setattr(Path, "open", refuse)


def test_an_unchanged_file_is_read_once(digests, monkeypatch, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"year,value\n2025,1\n")
    _settled(monkeypatch)
    assert cache.file_digest(path) == hashlib.sha256(b"year,value\n2025,1\n").hexdigest()
    _refuse_reads(monkeypatch)
    assert cache.file_digest(path) == hashlib.sha256(b"year,value\n2025,1\n").hexdigest()


def test_an_edit_that_puts_size_and_modification_time_back_is_read_again(digests, monkeypatch, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"year,value\n2025,1\n")
    _settled(monkeypatch)
    before = path.stat()
    first = cache.file_digest(path)
    time.sleep(0.05)  # past the clock tick of the first write, so the system's change time moves
    path.write_bytes(b"year,value\n2025,2\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.file_digest(path) == hashlib.sha256(b"year,value\n2025,2\n").hexdigest() != first


def test_a_file_changed_in_the_last_two_seconds_is_read_every_time(digests, monkeypatch, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"year,value\n2025,1\n")
    cache.file_digest(path)  # just written: racily clean, not kept
    assert cache._DIGESTS == {}
    _refuse_reads(monkeypatch)
    with pytest.raises(AssertionError, match="read again"):
        cache.file_digest(path)
