"""Time the tidy loader cold (parsing every download, CSV and workbook) and warm (from the on-disk
cache), and reading the three ODS workbooks on their own.

Run: .venv/bin/python benchmarks/bench_load.py
"""

import os
import statistics
import tempfile
import time
import tracemalloc

os.environ["CSC_CACHE_DIR"] = tempfile.mkdtemp(prefix="csc-bench-")

from csc_analysis import load, workbooks


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


WORKBOOKS = [
    "RO3_LA_Data_2024-25_data_by_LA.ods",
    "RSX_LA_Data_2024-25_data_by_LA.ods",
    "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
]


def read_workbooks() -> None:
    workbooks._sheets.cache_clear()  # read from disk every time
    for name in WORKBOOKS:
        workbooks.sheets(load.data_dir() / name)


def main() -> None:
    books = timed(read_workbooks, 5)
    print(f"read the three ODS workbooks, every sheet (median of 5): {books * 1000:.0f} ms")
    cold = timed(lambda: (workbooks._sheets.cache_clear(), load.published(use_cache=False)), 5)
    load.published()  # fill the cache
    warm = timed(load.published, 20)
    tracemalloc.start()
    frame = load.published(use_cache=False)
    peak = tracemalloc.get_traced_memory()[1]
    print(f"rows: {len(frame):,}")
    print(f"cold parse (median of 5): {cold * 1000:.0f} ms")
    print(f"warm load from cache (median of 20): {warm * 1000:.0f} ms")
    print(f"peak Python memory while parsing: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
