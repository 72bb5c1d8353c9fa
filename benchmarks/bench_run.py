"""Time building full HTML packs (every notebook) for a few LAs, as `csc-analysis run` does.

Run: .venv/bin/python benchmarks/bench_run.py [LA ...]   (default: Oldham, Cumberland, City of London)
"""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    las = sys.argv[1:] or ["Oldham", "Cumberland", "City of London"]
    exe = Path(sys.executable).parent / "csc-analysis"
    out = Path(tempfile.mkdtemp(prefix="csc-bench-run-"))
    for la in las:
        start = time.perf_counter()
        subprocess.run([exe, "run", "--la", la, "--out", out, "--force"], check=True, capture_output=True)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
        print(f"{la}: {seconds:.0f} s for the full pack ({size:.0f} MiB written so far)")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of any child process (runner or kernel): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
