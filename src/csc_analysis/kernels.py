"""Jupyter kernels that stay warm between pages.

Starting a kernel and importing pandas, Altair and the package costs about 2 s of CPU, paid again by
every page that gets a new kernel: 7 times for one LA's pack and 1,071 times for every LA's. A `Kernel`
starts once (on its first page) and runs notebooks one after another. Before each notebook it clears
the namespace with IPython's own reset (every variable, the input and output history) and moves to the
page's working folder, so a page starts as in a new kernel except that its imports are already done
and the package's caches, which are keyed by content (the published table, the all-LA ranking), are
already filled. A page that fails, or a kernel that dies, gets a new kernel for the next page: the
state it left behind is never trusted.

Execution is nbclient's, the library papermill itself runs notebooks with; parameters are injected
by papermill's own `parameterize_notebook`, so a page sees exactly what `papermill -p` would give it.
"""

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:  # imported when a kernel starts, not when the runner imports this module
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"
# Launch options: no start-up chatter in the runner's output, and charts' Vega compiled by the runner, which already
# runs vl-convert's JavaScript engine, not by an engine in every kernel (`vega_by_builder`, `exports.with_vega`).
LAUNCH = [
    "--IPKernelApp.log_level=ERROR",
    "--IPKernelApp.exec_lines=import csc_analysis.vega_by_builder as _v; _v.ON = True; del _v",
]

# Run silently before each page after the first: first into the page's folder (the last page's folder may be gone:
# its pack was finished and its work folder removed, and IPython's reset reads the current folder), then
# `reset(new_session=False)` clears the user namespace and IPython's history (In, Out, _) but keeps imported
# modules; `__import__` leaves no name behind. The collection frees the last page's reference cycles, and
# `gc.freeze()` then sets what is left (modules, classes, caches) aside, so the next collection looks only at
# what the next page made: 0.12 s a page less than walking 270,000 objects again. On glibc,
# `malloc_trim(0)` then hands the freed pages back to the system: the next page starts ~20 MiB lower (issue #18).
RESET = (
    "__import__('os').chdir({cwd!r}); get_ipython().reset(new_session=False)\n"
    "__import__('gc').collect(); __import__('gc').freeze()\n"
    "if __import__('sys').platform == 'linux' and __import__('platform').libc_ver()[0] == 'glibc':\n"
    "    __import__('ctypes').CDLL('libc.so.6').malloc_trim(0)"
)


# Seconds a kernel has to exit after its shutdown request (half of it; then SIGTERM, then SIGKILL). ipykernel exits in
# 0.1 s, but now and then (3 shutdowns in 12 here) its control thread does not act on the request, and jupyter_client's
# default of 5 s then added 2.6 s to a run's end. The kernel has nothing to save: its pages are written by the runner.
SHUTDOWN_WAIT = 1.0


class PageError(Exception):
    """A cell raised an error: the exception's name and value as the kernel reported them."""

    def __init__(self, ename: str, evalue: str):
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


def parameterized(notebook: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook with papermill's `injected-parameters` cell after its `parameters` cell."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters, kernel_name=KERNEL_NAME)
    nb.metadata.papermill["input_path"] = str(notebook)  # as papermill records it in the notebooks it runs
    return nb


def source_of(nb: nbformat.NotebookNode) -> Path:
    """The notebook file a `parameterized` notebook was read from."""
    return Path(nb.metadata.papermill.input_path)


class Kernel:
    """One kernel that runs notebooks one after another; started by the first `run`, stopped by `shutdown`.

    Not thread-safe: a kernel belongs to the one thread that runs it (its client lives on that thread's
    event loop)."""

    def __init__(self) -> None:
        self._km: AsyncKernelManager | None = None
        self._kc: AsyncKernelClient | None = None

    def run(self, nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
        """Execute every cell of `nb` in place, with `cwd` as the working folder; `nb` is returned.

        A cell's error raises `PageError` and the kernel is shut down (the next `run` starts a new one);
        so does anything else that stops the run, e.g. a dead kernel or an interrupt, which is re-raised."""
        from jupyter_client.manager import AsyncKernelManager
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        cwd = Path(cwd).resolve()  # the kernel's own folder is the last page's, so a relative path would miss
        if self._km is None:
            self._km = AsyncKernelManager(kernel_name=KERNEL_NAME, shutdown_wait_time=SHUTDOWN_WAIT)
        # The first page starts the kernel in `cwd` (nbclient's resources path); later pages move there.
        client = NotebookClient(
            nb, km=self._km, kernel_name=KERNEL_NAME, extra_arguments=LAUNCH, resources={"metadata": {"path": str(cwd)}}
        )
        client.kc = self._kc
        try:
            if self._kc is not None:
                self._reset(self._kc, cwd)
            client.execute()
        except CellExecutionError as exc:
            self.shutdown()
            raise PageError(exc.ename, exc.evalue) from None
        except BaseException:
            self.shutdown()
            raise
        finally:
            atexit.unregister(client._cleanup_kernel)  # nbclient registers one per client; ours stops the kernel
        self._kc = client.kc
        return nb

    def _reset(self, client: "AsyncKernelClient", cwd: Path) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(client.execute_interactive)(
            RESET.format(cwd=str(cwd)), silent=True, store_history=False, timeout=60
        )
        if reply["content"]["status"] != "ok":
            raise PageError(reply["content"].get("ename", "Error"), "could not reset the kernel between pages")

    def shutdown(self) -> None:
        """Stop the kernel and its client, if started; the next `run` starts a new kernel."""
        from jupyter_core.utils import run_sync

        km, kc, self._km, self._kc = self._km, self._kc, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            run_sync(km.shutdown_kernel)(now=False)
