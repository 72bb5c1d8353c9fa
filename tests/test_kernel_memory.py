"""The pack benchmark's kernel-memory sampler (benchmarks/kernel_memory.py) measures the kernels themselves."""

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import kernel_memory

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc only")

CHILD = "x = bytearray(200 * 2**20); import time; time.sleep(0.5)"  # 200 MiB touched (bytearray zero-fills)


def test_finds_a_child_at_its_own_peak():
    with kernel_memory.PeakSampler(os.getpid()) as s:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert 200 <= s.largest_mib < 260  # 200 MiB bytearray plus an interpreter (~10 MiB)


def test_a_small_child_of_a_big_parent_is_small():
    """The bug it replaces: ru_maxrss of children reports the parent's size at fork for a child that is tiny."""

    ballast = bytearray(300 * 2**20)  # this process is now > 300 MiB
    with kernel_memory.PeakSampler(os.getpid()) as s:
        subprocess.run([sys.executable, "-c", "import time; time.sleep(0.5)"], check=True)
    assert s.largest_mib < 50
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 >= 300  # what the old measure said
    del ballast


def test_grandchildren_are_found():

    shell = f"{sys.executable} -c '{CHILD}'"
    with kernel_memory.PeakSampler(os.getpid()) as s:
        subprocess.run(["sh", "-c", shell + "; true"], check=True)  # sh -> python: a grandchild
    assert s.largest_mib >= 200


def test_only_processes_matching_are_kept():
    with kernel_memory.PeakSampler(os.getpid(), match="not-this-one") as s:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert s.by_pid == {}
    with kernel_memory.PeakSampler(os.getpid(), match="bytearray(200") as s:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert s.largest_mib >= 200
