"""Open a pack in headless Chromium with the network disabled: every chart draws, no console errors.

Skips, saying why, when no Chromium is installed (`.ci/run` installs Debian's chromium).
"""

import json
import re
import shutil
import subprocess

import pytest

from .test_report import oldham_pack  # noqa: F401 - the module-scoped pack fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")

# Collects errors and, once charts have had time to draw, writes them and a chart census into the DOM.
PROBE = """<script>
window.__cscErrors = [];
window.addEventListener("error", function (e) { window.__cscErrors.push(String(e.message)); });
(function () { var orig = console.error; console.error = function () {
  window.__cscErrors.push(Array.prototype.join.call(arguments, " ")); orig.apply(console, arguments); }; })();
window.addEventListener("load", function () { setTimeout(function () {
  var charts = Array.prototype.map.call(document.querySelectorAll(".csc-chart"), function (el) {
    var svg = el.querySelector("svg"); return svg ? svg.querySelectorAll("path, rect, text").length : 0; });
  var out = document.createElement("pre"); out.id = "csc-probe";
  out.textContent = JSON.stringify({errors: window.__cscErrors, charts: charts});
  document.body.appendChild(out); }, 2000); });
</script>"""


def render(page, tmp_path):
    probe_page = tmp_path / page.name
    probe_page.write_text(page.read_text().replace("<head>", "<head>" + PROBE, 1))
    out = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--proxy-server=http://127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=15000",
            "--dump-dom",
            probe_page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    match = re.search(r'<pre id="csc-probe">(.*?)</pre>', out.stdout, flags=re.S)
    assert match, f"page did not finish loading: {out.stderr[-500:]}"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_every_chart_renders_offline_without_errors(oldham_pack, tmp_path):  # noqa: F811
    pages = sorted(oldham_pack.glob("0*.html"))
    assert pages
    for page in pages:
        result = render(page, tmp_path)
        assert result["errors"] == [], (page.name, result["errors"])
        assert len(result["charts"]) >= 3, page.name
        assert all(n > 10 for n in result["charts"]), (page.name, result["charts"])


def test_index_page_loads_offline(oldham_pack, tmp_path):  # noqa: F811
    result = render(oldham_pack / "index.html", tmp_path)
    assert result["errors"] == []
