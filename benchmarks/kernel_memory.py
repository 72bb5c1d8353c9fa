"""The peak resident memory of each process a runner starts (Linux /proc), sampled while it runs.

`getrusage(RUSAGE_CHILDREN).ru_maxrss` is no measure of a kernel: a forked child's peak starts at its parent's
size at fork time, so a 346 MiB runner that only runs `true` reports a 346 MiB child. VmHWM in
/proc/<pid>/status is reset at exec, so read from a kernel it is that kernel's own peak; a kernel that runs
several pages (kept warm between them) keeps one VmHWM, its peak over all of them.
"""

import threading
from pathlib import Path

PROC = Path("/proc")


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children, ...), from /proc/<pid>/task/*/children."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in (PROC / str(parent) / "task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:  # the task or process ended while being read
                continue
            todo.extend(kids - found)
            found |= kids
    return found


def command_line(pid: int) -> str:
    """The process's command line, arguments joined by spaces ("" once it has ended)."""
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def peak_mib(pid: int) -> float | None:
    """The process's peak resident memory so far (VmHWM, MiB), or None when it has ended or has no memory."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return None  # a zombie: its memory is gone


class PeakSampler:
    """A background thread that, every `interval` seconds, reads the VmHWM of every descendant of `pid` whose
    command line contains `match` (all when empty) and keeps the largest: `largest_mib` (and `by_pid`, each
    process's highest reading) once stopped.

    Use as a context manager around the work that starts the processes. A process that starts and ends
    between two samples is missed, so the interval must be short beside a kernel's life (seconds).
    """

    def __init__(self, pid: int, interval: float = 0.05, match: str = ""):
        self.pid, self.interval, self.match = pid, interval, match
        self.by_pid: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        for child in descendants(self.pid):
            if self.match and self.match not in command_line(child):
                continue
            mib = peak_mib(child)
            if mib is not None:
                self.by_pid[child] = max(mib, self.by_pid.get(child, 0.0))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    @property
    def largest_mib(self) -> float:
        return max(self.by_pid.values(), default=0.0)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
