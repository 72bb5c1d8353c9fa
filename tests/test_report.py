"""`csc-analysis run` and the pack builder: layout, provenance, skipping, failures, atomicity."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from csc_analysis import load, report
from csc_analysis.errors import CscError

FIXTURES = Path(__file__).parent / "fixtures"
EXE = Path(sys.executable).parent / "csc-analysis"


@pytest.fixture(scope="module")
def oldham_pack(tmp_path_factory):
    """A real pack for Oldham from notebook 04, built through the CLI as a user would."""
    out = tmp_path_factory.mktemp("packs")
    done = subprocess.run([EXE, "run", "--la", "Oldham", "--out", out, "--notebook", "04", "--export-charts"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out / "oldham"


def test_pack_layout_and_index(oldham_pack, registry):
    names = {p.name for p in oldham_pack.iterdir()}
    assert {"index.html", "pack.json", "04_statistical_neighbours.html", "04_statistical_neighbours.ipynb"} <= names
    index = (oldham_pack / "index.html").read_text()
    assert '<html lang="en">' in index and "<title>Oldham" in index
    assert 'href="04_statistical_neighbours.html"' in index
    assert "csc-analysis 0.1.0" in index and "Run on 20" in index
    manifest = json.loads((oldham_pack / "pack.json").read_text())
    assert manifest["la_code"] == "353" and manifest["parameters"]["la"] == "Oldham"


def test_provenance_lists_data_files_with_checksums(oldham_pack):
    page = (oldham_pack / "04_statistical_neighbours.html").read_text()
    for row in load.provenance().itertuples():
        assert row.sha256 in page and row.file in page


def test_pages_need_no_network(oldham_pack):
    for page in oldham_pack.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), page.name
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", text), page.name
        assert "cdn.jsdelivr" not in text and "require.min.js" not in text


def test_code_hidden_and_charts_accessible(oldham_pack):
    page = (oldham_pack / "04_statistical_neighbours.html").read_text()
    assert "load.published()" not in page  # code cells are hidden by default
    charts = re.findall(r'<div [^>]*class="csc-chart"[^>]*>', page)
    assert len(charts) >= 3
    assert all('role="img"' in c and re.search(r'aria-label="[^"]{20,}"', c) for c in charts)
    assert page.count("What this chart shows:") == len(charts)
    assert page.count("Data table for this chart") == len(charts)
    assert "<th" in page


def test_exported_charts(oldham_pack):
    svgs = sorted((oldham_pack / "charts").glob("*.svg"))
    pngs = sorted((oldham_pack / "charts").glob("*.png"))
    assert len(svgs) == len(pngs) >= 3
    assert svgs[0].read_text().lstrip().startswith("<svg") and pngs[0].read_bytes()[:4] == b"\x89PNG"


def test_up_to_date_pack_is_skipped_and_force_rebuilds(registry, tmp_path):
    la = registry.resolve("Oldham")
    nbs = [FIXTURES / "01_fixture.ipynb"]
    prov = load.provenance()
    first = report.build_pack(la, nbs, tmp_path, {}, prov)
    assert first.status == "built"
    assert report.build_pack(la, nbs, tmp_path, {}, prov).status == "skipped"
    assert report.build_pack(la, nbs, tmp_path, {}, prov, force=True).status == "built"
    assert report.build_pack(la, nbs, tmp_path, {"fail_for": "nobody"}, prov).status == "built"


def test_failing_la_does_not_stop_others_or_leave_half_packs(registry, tmp_path):
    las = [registry.resolve("City of London"), registry.resolve("Oldham")]
    results = report.build_many(las, [FIXTURES / "01_fixture.ipynb"], tmp_path, {}, load.provenance(), jobs=2)
    status = {r.la_name: r for r in results}
    assert status["Oldham"].status == "built" and (tmp_path / "oldham" / "index.html").exists()
    assert status["City of London"].status == "failed"
    assert "deliberate failure for City of London" in status["City of London"].error
    assert not (tmp_path / "city-of-london").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_parameters_and_notebook_selection():
    assert report.parse_parameters(["year=2024", "sn_model=2021", "x=none"]) == {"year": 2024, "sn_model": 2021, "x": None}
    with pytest.raises(CscError, match="not KEY=VALUE"):
        report.parse_parameters(["year"])
    with pytest.raises(CscError, match="unknown notebook 'nope'"):
        report.select_notebooks(["nope"])
    with pytest.raises(CscError, match="not declared by any notebook"):
        report.check_parameters({"colour": "red"}, [FIXTURES / "01_fixture.ipynb"])


@pytest.mark.parametrize("args, message", [
    (["run", "--la", "Oldam"], "unknown LA 'Oldam'; closest: Oldham"),
    (["run"], "give either --la <LA> or --all"),
    (["run", "--la", "Oldham", "--notebook", "99"], "unknown notebook '99'"),
    (["run", "--la", "Oldham", "-p", "colour=red"], "not declared by any notebook"),
    (["run", "--la", "Oldham", "--out", "/proc/csc-no-write", "--notebook", "04"], "cannot write the output folder"),
])
def test_run_user_errors(args, message):
    out = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and message in out.stderr and "Traceback" not in out.stderr


def test_run_all_carries_on_and_writes_a_summary(tmp_path):
    """Every current LA through the fixture notebook, which fails for City of London only."""
    import os

    env = dict(os.environ, CSC_NOTEBOOKS_DIR=str(FIXTURES))
    out = subprocess.run([EXE, "run", "--all", "--jobs", "2", "--out", tmp_path], capture_output=True, text=True,
                         timeout=1800, env=env)
    assert out.returncode == 1
    assert "FAILED City of London: 01_fixture: ValueError: deliberate failure for City of London" in out.stderr
    assert "152 built, 0 up to date, 1 failed" in out.stdout
    summary = __import__("pandas").read_csv(tmp_path / "run-summary.csv")
    assert len(summary) == 153 and summary.set_index("la_name").loc["City of London", "status"] == "failed"
    assert (tmp_path / "oldham" / "index.html").exists() and not (tmp_path / "city-of-london").exists()


def test_interrupted_run_leaves_no_pack_that_looks_complete(tmp_path):
    import signal
    import time

    proc = subprocess.Popen([EXE, "run", "--la", "Oldham", "--out", tmp_path, "--notebook", "04"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(6)  # mid-way: the kernel is running the notebook
    os_killpg = __import__("os").killpg
    os_killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "oldham").exists()
    assert all(p.name.startswith(".") for p in tmp_path.iterdir())  # only a hidden work folder may remain
