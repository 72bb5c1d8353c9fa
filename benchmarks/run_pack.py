"""How long packs take to build.

1. Wall time of one LA's full pack (`csc-analysis run --la Oldham --force`).
2. One notebook's papermill run against an empty notebook's (the floor is kernel start-up).
3. All LAs with 2 jobs: measured on a sample of LAs and scaled to the 153, unless --all-las.

Run: .venv/bin/python benchmarks/run_pack.py [--sample 6] [--all-las]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from csc_analysis import load, paths, report

EXE = Path(sys.executable).parent / "csc-analysis"


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=6)
    parser.add_argument("--all-las", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="csc-run-pack-"))
    load.published()  # warm the cache, as `run` does before starting kernels

    full = timed(lambda: subprocess.run([EXE, "run", "--la", "Oldham", "--out", work, "--force"], check=True,
                                        capture_output=True))
    print(f"1. Oldham full pack ({len(report.available_notebooks())} notebooks): {full:.0f} s")

    empty = work / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("la = 'Oldham'")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, empty)
    floor = timed(lambda: papermill.execute_notebook(str(empty), str(work / "e.ipynb"), kernel_name="python3",
                                                     progress_bar=False), 3)
    print(f"2. empty notebook under papermill: {floor:.1f} s (median of 3)")
    for notebook in report.available_notebooks(paths.notebooks_dir()):
        t = timed(lambda nb=notebook: papermill.execute_notebook(str(nb), str(work / nb.name), kernel_name="python3",
                                                                 progress_bar=False), 3)
        print(f"   {notebook.stem}: {t:.1f} s, {t / floor:.1f}x the empty notebook")

    reg = load.registry()
    las = reg.current() if args.all_las else reg.current()[:: max(1, len(reg.current()) // args.sample)][: args.sample]
    start = time.perf_counter()
    results = report.build_many(las, report.available_notebooks(), work / "many", {}, load.provenance(),
                                jobs=2, force=True)
    seconds = time.perf_counter() - start
    failed = [r.la_name for r in results if r.status == "failed"]
    label = "measured" if args.all_las else f"estimated from {len(las)} LAs"
    print(f"3. all {len(reg.current())} LAs with 2 jobs: {seconds / len(las) * len(reg.current()) / 60:.0f} min "
          f"({label}; {seconds / len(las):.0f} s per LA; failures: {failed or 'none'})")


if __name__ == "__main__":
    main()
