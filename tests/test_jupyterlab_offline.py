"""Charts draw in JupyterLab 4 with no internet, as on a council laptop.

Starts JupyterLab on localhost with a small notebook that shows a package `Figure`, opens it in
headless Chromium (driven by Playwright) with every request that is not to localhost aborted,
runs all cells from the Run menu and checks that the chart is drawn as SVG, that nothing tried
to leave the machine and that the browser console shows no error. Skips, saying why, only when
no Chromium or no Playwright is installed (`.ci/run` installs Debian's chromium).
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import nbformat
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
]

NOTEBOOK_CELLS = [
    "import altair as alt\nimport pandas as pd\nfrom csc_analysis import charts",
    # A line chart in the package's own look, shown the way every notebook shows charts.
    'frame = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "rate": [410.5, 432.0, 398.2, 455.1]})\n'
    'chart = charts.base_config(alt.Chart(frame).mark_line(point=True).encode(x="year:O", y="rate:Q")\n'
    '                           .properties(title="Referral rate rose to 455.1 in 2024"))\n'
    'charts.Figure(chart, "Line chart of the referral rate, 2021 to 2024.", frame)',
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on a free localhost port serving a temp folder with `offline.ipynb`."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "root").mkdir()
    nbformat.write(nb, tmp_path / "root" / "offline.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.token={token}",
            f"--ServerApp.root_dir={tmp_path / 'root'}",
            "--ServerApp.port_retries=0",
        ]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        cwd=tmp_path / "root",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "server.log", "w"),  # noqa: SIM115 -- must stay open for the server's lifetime
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        if server.poll() is not None or _ == 119:
            pytest.fail(f"JupyterLab did not start: {(tmp_path / 'server.log').read_text()[-800:]}")
        yield f"{base}/lab/tree/offline.ipynb?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _start_kernel(page, playwright) -> None:
    """Accept JupyterLab's "Select Kernel" dialog (Python 3), as a user would, and wait for an idle kernel."""
    with contextlib.suppress(playwright.TimeoutError):  # this JupyterLab may start the notebook's kernel without asking
        page.locator(".jp-Dialog-button.jp-mod-accept").click(timeout=120_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)


def test_charts_draw_in_jupyterlab_with_no_network(jupyterlab, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright not installed (pip install playwright)")
    outside, failed, errors = [], [], []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", route)
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(jupyterlab)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            _start_kernel(page, playwright)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.get_by_text("Run All Cells", exact=True).click()
            page.wait_for_selector(".jp-OutputArea-output svg .mark-line path", timeout=120_000)
            marks = page.locator(".jp-OutputArea-output svg").first.locator("path, rect, text").count()
            table_text = page.locator(".jp-OutputArea-output details").first.inner_text()
        finally:
            browser.close()
    assert marks > 10
    assert "Data table for this chart" in table_text
    assert outside == []
    assert failed == []
    assert errors == []
