"""How fast a pack builds, against the floor of starting kernels that only import the package and load the data.

(a) Oldham's full pack: every notebook, `--force`, through `report.build_many` (what `csc-analysis run` calls).
(b) The same number of notebooks that only import the package and load the data, through the same runner,
    with the same `--jobs` and options (index, scorecard and workbook included in both).
Prints wall time, CPU time (this process and its kernels), (a)/(b) and the peak resident memory of the largest
kernel (its own VmHWM, sampled every 50 ms from /proc by `kernel_memory.PeakSampler`: the largest over the
run, a warm kernel's peak over all the pages it ran), for each; `--all-las` also builds every current LA's pack
end to end (about 10 minutes on 2 cores).
Each measurement runs in a fresh Python process, so imports, caches in memory and peak memory are its own.

Run (one command; targets: (a)/(b) <= 1.5, (a) <= 25 s on 2 cores, --all <= 30 min, <= 400 MiB a kernel):
    .venv/bin/python benchmarks/pack_speed.py [--jobs 2] [--repeat 3] [--all-las]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kernel_memory import PeakSampler

FLOOR_CODE = """from csc_analysis import load

data = load.published(data_dir)
registry = load.registry(data_dir)
target = registry.resolve(la)"""


def floor_notebooks(folder: Path, count: int) -> Path:
    """`count` notebooks that take `la` and `data_dir` and only import the package and load the data."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell(
        'from typing import Optional\n\nla: str = "Oldham"\ndata_dir: Optional[str] = None'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Import and load only"), params, nbformat.v4.new_code_cell(FLOOR_CODE)]
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        nbformat.write(nb, folder / f"{n:02d}_floor.ipynb")
    return folder


def measure(which: str, jobs: int, out: Path) -> dict:
    """One measurement in this process: (a) Oldham's pack, (b) the floor, or `all` (every current LA)."""
    from csc_analysis import load, report, shared

    load.published()  # as `run` does before starting kernels
    shared.ranks(load.published())
    notebooks = report.available_notebooks()
    if which == "b":
        notebooks = report.available_notebooks(floor_notebooks(out / "floor-notebooks", len(notebooks)))
    registry = load.registry()
    las = registry.current() if which == "all" else [registry.resolve("Oldham")]
    before = os.times()
    start = time.perf_counter()
    with PeakSampler(os.getpid(), match="ipykernel") as kernels:  # the kernels the runner starts
        results = report.build_many(las, notebooks, out / which, {}, load.provenance(), jobs=jobs, force=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))  # user + system, this process and its reaped kernels
    failed = [f"{r.la_name}: {r.error}" for r in results if r.status == "failed"]
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mib": kernels.largest_mib,
        "notebooks": len(notebooks),
        "las": len(las),
        "failed": failed,
    }


def in_fresh_process(which: str, jobs: int, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", which, "--jobs", str(jobs), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    model = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}; load average now {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="notebooks at once (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a) and (b), median reported (default 3)")
    parser.add_argument("--all-las", action="store_true", help="also build every current LA's pack (slow)")
    parser.add_argument("--measure", choices=["a", "b", "all"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.jobs, args.out)))
        return
    out = Path(tempfile.mkdtemp(prefix="csc-pack-speed-"))
    print(f"machine: {machine()}; --jobs {args.jobs}")
    runs = {"a": [], "b": []}
    for _ in range(args.repeat):
        for which in ("a", "b"):  # interleaved, so a change in the machine's load hits both alike
            runs[which].append(in_fresh_process(which, args.jobs, out))
    med = {w: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "peak_mib")} for w, rs in runs.items()}
    for which, label in (("a", "Oldham full pack"), ("b", "import-and-load floor")):
        r, n = med[which], runs[which][0]["notebooks"]
        failed = sorted({f for run in runs[which] for f in run["failed"]})
        print(
            f"({which}) {label}, {n} notebooks: wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, largest kernel "
            f"{r['peak_mib']:.0f} MiB (median of {args.repeat}; walls {[round(x['wall'], 1) for x in runs[which]]})"
            + (f"; FAILED {failed}" if failed else "")
        )
    print(f"(a)/(b) wall: {med['a']['wall'] / med['b']['wall']:.2f}; CPU: {med['a']['cpu'] / med['b']['cpu']:.2f}")
    if args.all_las:
        r = in_fresh_process("all", args.jobs, out)
        print(
            f"--all, {r['las']} LAs x {r['notebooks']} notebooks, --jobs {args.jobs}: wall {r['wall'] / 60:.1f} min "
            f"(measured), CPU {r['cpu'] / 60:.1f} min, largest kernel {r['peak_mib']:.0f} MiB; "
            f"failures: {r['failed'] or 'none'}"
        )
    print(f"machine at the end: {machine()}")


if __name__ == "__main__":
    main()
