"""`csc-analysis run` and the pack builder: layout, provenance, skipping, failures, atomicity."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest

from csc_analysis import kernels, load, report
from csc_analysis.errors import CscError
from csc_analysis.paths import bundled_data_dir

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
EXE = Path(sys.executable).parent / "csc-analysis"


@pytest.fixture(scope="module")
def oldham_pack(tmp_path_factory):
    """A real pack for Oldham from notebook 04, built through the CLI as a user would."""
    out = tmp_path_factory.mktemp("packs")
    done = subprocess.run(
        [EXE, "run", "--la", "Oldham", "--out", out, "--notebook", "04", "--export-charts"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out / "oldham"


def test_pack_layout_and_index(oldham_pack, registry):
    names = {p.name for p in oldham_pack.iterdir()}
    assert {"index.html", "pack.json", "04_statistical_neighbours.html", "04_statistical_neighbours.ipynb"} <= names
    index = (oldham_pack / "index.html").read_text()
    assert '<html lang="en">' in index and "<title>Oldham" in index
    assert 'href="04_statistical_neighbours.html"' in index
    assert "csc-analysis 0.1.0" in index and "Pack updated on 20" in index and "(run 20" in index
    manifest = json.loads((oldham_pack / "pack.json").read_text())
    assert manifest["la_code"] == "353"
    assert manifest["pages"]["04_statistical_neighbours"]["parameters"]["la"] == "Oldham"
    assert set(manifest["pages"]["04_statistical_neighbours"]["files"]) >= {
        "04_statistical_neighbours.html",
        "04_statistical_neighbours.ipynb",
        "charts/04_statistical_neighbours-chart-01.svg",
    }


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
    assert report.parse_parameters(["year=2024", "sn_model=2021", "x=none"]) == {
        "year": 2024,
        "sn_model": 2021,
        "x": None,
    }
    with pytest.raises(CscError, match="not KEY=VALUE"):
        report.parse_parameters(["year"])
    with pytest.raises(CscError, match="unknown notebook 'nope'"):
        report.select_notebooks(["nope"])
    with pytest.raises(CscError, match="not declared by any notebook"):
        report.check_parameters({"colour": "red"}, [FIXTURES / "01_fixture.ipynb"])


def test_a_notebook_scoped_parameter_reaches_that_notebook_only():
    """Notebooks 05 and 07 both declare `placement_costs` and `horizon` with different meanings (a table of
    placement types and 3 years in 05; placement categories and 1-3 years in 07), so one `-p` could fail one of
    them: `NN:KEY=VALUE` gives a value to notebook NN alone, and wins over a plain `KEY=VALUE` there."""
    nb05, nb07 = (NOTEBOOKS / "05_placements_finance.ipynb", NOTEBOOKS / "07_placement_projection.ipynb")
    params = report.parse_parameters(["horizon=3", "07:horizon=2", "05:placement_costs=costs.csv"])
    report.check_parameters(params, [nb05, nb07])
    assert report.notebook_parameters(params, nb05) == {"horizon": 3, "placement_costs": "costs.csv"}
    assert report.notebook_parameters(params, nb07) == {"horizon": 2}
    with pytest.raises(CscError, match="not declared by any notebook"):
        report.check_parameters({"04:horizon": 2}, [NOTEBOOKS / "04_statistical_neighbours.ipynb", nb05])


def test_a_parameter_yaml_cannot_read_as_a_date_stays_text():
    # YAML reads "2025-13-01" as a date and fails with a ValueError (not a YAMLError): a traceback from `run`.
    assert report.parse_parameters(["snapshot_date=2025-13-01", "as_at=2025-03-31"]) == {
        "snapshot_date": "2025-13-01",
        "as_at": "2025-03-31",
    }


def test_a_parameter_reaches_a_notebook_as_its_annotation_wants():
    # YAML reads `-p sn_model=2021` as the number 2021, `-p sn_model=[350, 354]` as numbers, and
    # `-p indicators=referrals` as text; notebook 04 declares `sn_model: Union[str, list]`, `indicators:
    # Optional[list]` and `year: Optional[int]`.
    nb04 = NOTEBOOKS / "04_statistical_neighbours.ipynb"
    got = report.notebook_parameters(
        report.parse_parameters(["sn_model=2021", "indicators=referrals", "year=none"]), nb04
    )
    assert got == {"sn_model": "2021", "indicators": ["referrals"], "year": None}
    assert report.notebook_parameters({"sn_model": [350, 354]}, nb04) == {"sn_model": ["350", "354"]}
    nb02 = NOTEBOOKS / "02_referral_forecast.ipynb"  # `step_change_pct: float`, `horizon: int`, `demo: bool`
    assert report.notebook_parameters({"step_change_pct": 10, "horizon": 2, "demo": True}, nb02) == {
        "step_change_pct": 10.0,
        "horizon": 2,
        "demo": True,
    }
    for params, message in [
        ({"horizon": 2.5}, "parameter horizon=2.5: 02_referral_forecast expects a whole number"),
        ({"horizon": True}, "parameter horizon=True: 02_referral_forecast expects a whole number"),
        ({"demo": 1}, "parameter demo=1: 02_referral_forecast expects true or false"),
        ({"step_change_pct": "ten"}, "parameter step_change_pct='ten': 02_referral_forecast expects a number"),
        ({"local_data": 3}, None),  # `Optional[str]`: a number is a file name YAML read as a number
        ({"horizon": None}, "parameter horizon=None: 02_referral_forecast expects a whole number"),
        ({"data_dir": None}, None),
    ]:
        if message is None:
            report.notebook_parameters(params, nb02)
        else:
            with pytest.raises(CscError, match=f"^{re.escape(message)}$"):
                report.check_parameters(params, [nb02])


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--la", "Oldam"], "unknown LA 'Oldam'; closest: Oldham"),
        (["run"], "give either --la <LA> or --all"),
        (["run", "--la", "Oldham", "--notebook", "99"], "unknown notebook '99'"),
        (["run", "--la", "Oldham", "-p", "colour=red"], "not declared by any notebook"),
        (["run", "--la", "Oldham", "-p", "data_dir=elsewhere"], "not -p data_dir"),
        (
            ["run", "--la", "Oldham", "--out", "/proc/csc-no-write", "--notebook", "04"],
            "cannot write the output folder",
        ),
    ],
)
def test_run_user_errors(args, message):
    out = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and message in out.stderr and "Traceback" not in out.stderr


def test_run_all_carries_on_and_writes_a_summary(tmp_path):
    """Every current LA through the fixture notebook, which fails for City of London only."""
    import os

    env = dict(os.environ, CSC_NOTEBOOKS_DIR=str(FIXTURES))
    out = subprocess.run(
        [EXE, "run", "--all", "--jobs", "2", "--out", tmp_path], capture_output=True, text=True, timeout=1800, env=env
    )
    assert out.returncode == 1
    assert "FAILED City of London: 01_fixture: ValueError: deliberate failure for City of London" in out.stderr
    assert "152 built, 0 up to date, 1 failed" in out.stdout
    summary = __import__("pandas").read_csv(tmp_path / "run-summary.csv")
    assert len(summary) == 153 and summary.set_index("la_name").loc["City of London", "status"] == "failed"
    assert (tmp_path / "oldham" / "index.html").exists() and not (tmp_path / "city-of-london").exists()


def test_interrupted_run_leaves_the_previous_pack(fake_kernel, two_notebooks, registry, tmp_path, monkeypatch):
    """Ctrl-C (or a kill) while the second notebook runs: the previous pack is untouched, no work folder is left."""
    la = registry.resolve("Oldham")
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    before = _snapshot(tmp_path / "oldham")

    def interrupted(kernel, nb, cwd):
        if kernels.source_of(nb).name.startswith("02"):
            (cwd / "02_fixture.ipynb").write_text("{half a notebook")
            raise KeyboardInterrupt
        return nb

    monkeypatch.setattr(kernels.Kernel, "run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance(), force=True)
    assert _snapshot(tmp_path / "oldham") == before
    assert [p.name for p in tmp_path.iterdir()] == ["oldham"]


# --- #13.10, #13.11, #13.19, #13.20, #13.21 ---------------------------------------------------------------


@pytest.fixture
def fake_kernel(monkeypatch):
    """A kernel that runs nothing: each notebook goes through unexecuted (with its injected parameters). For
    tests of what a run writes, replaces and skips, which do not depend on what the notebook computes.
    Records each run."""
    runs = []

    def run(kernel, nb, cwd):
        runs.append((kernels.source_of(nb).stem, dict(nb.metadata.papermill.parameters)))
        return nb

    monkeypatch.setattr(kernels.Kernel, "run", run)
    return runs


@pytest.fixture
def two_notebooks(tmp_path_factory):
    """Two copies of the fixture notebook, 01_fixture and 02_fixture, the first with a `local_file` parameter."""
    folder = tmp_path_factory.mktemp("notebooks")
    nb = nbformat.read(FIXTURES / "01_fixture.ipynb", as_version=4)
    nbformat.write(nb, folder / "02_fixture.ipynb")
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = "from typing import Optional\n\n" + params.source + "\nlocal_file: Optional[str] = None"
    nbformat.write(nb, folder / "01_fixture.ipynb")
    return [folder / "01_fixture.ipynb", folder / "02_fixture.ipynb"]


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_user_files_in_a_pack_folder_are_never_touched(fake_kernel, two_notebooks, registry, tmp_path):
    la = registry.resolve("Oldham")
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    (tmp_path / "oldham" / "committee paper.docx").write_bytes(b"PK user's own work")
    (tmp_path / "oldham" / "charts").mkdir()
    (tmp_path / "oldham" / "charts" / "my chart.png").write_bytes(b"mine")
    assert report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance(), force=True).status == "built"
    assert (tmp_path / "oldham" / "committee paper.docx").read_bytes() == b"PK user's own work"
    assert (tmp_path / "oldham" / "charts" / "my chart.png").read_bytes() == b"mine"
    # A file in the way that the package did not write stops the run before anything changes.
    (tmp_path / "elsewhere" / "oldham").mkdir(parents=True)
    (tmp_path / "elsewhere" / "oldham" / "index.html").write_text("the user's own index")
    result = report.build_pack(la, two_notebooks, tmp_path / "elsewhere", {}, load.provenance())
    assert result.status == "failed" and "index.html: exists and was not written by csc-analysis" in result.error
    assert [p.name for p in (tmp_path / "elsewhere" / "oldham").iterdir()] == ["index.html"]
    assert (tmp_path / "elsewhere" / "oldham" / "index.html").read_text() == "the user's own index"


def test_partial_run_updates_its_page_and_keeps_the_others(fake_kernel, two_notebooks, registry, tmp_path):
    la = registry.resolve("Oldham")
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    pack = tmp_path / "oldham"
    first_01 = (pack / "01_fixture.html").read_bytes()
    result = report.build_pack(la, two_notebooks[1:], tmp_path, {"fail_for": "Nowhere"}, load.provenance())
    assert result.status == "built" and result.notebooks == ["02_fixture"]
    assert (pack / "01_fixture.html").read_bytes() == first_01
    assert (pack / "01_fixture.ipynb").exists() and (pack / "02_fixture.html").exists()
    index = (pack / "index.html").read_text()
    assert 'href="01_fixture.html"' in index and 'href="02_fixture.html"' in index
    pages = json.loads((pack / "pack.json").read_text())["pages"]
    assert set(pages) == {"01_fixture", "02_fixture"}
    assert pages["02_fixture"]["parameters"]["fail_for"] == "Nowhere"
    assert "fail_for" not in pages["01_fixture"]["parameters"]
    # A full run afterwards rebuilds only what changed: 01's inputs are as before, 02's parameters are not.
    fake_kernel.clear()
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    assert [stem for stem, _ in fake_kernel] == ["02_fixture"]


def test_rebuilt_page_removes_only_its_own_stale_files(registry, tmp_path, monkeypatch):
    """A page that now draws one chart instead of two: its old second chart goes, the user's chart stays."""
    from csc_analysis.charts import Figure

    frame = pd.DataFrame({"x": [1, 2]})
    figure = Figure(alt.Chart(frame).mark_line().encode(x="x:Q", y="x:Q"), "A line.", frame)
    charts = {"n": 2}

    def run(kernel, nb, cwd):
        nb.cells[-1].outputs = [
            nbformat.v4.new_output("display_data", data=figure.mime_bundle()[0]) for _ in range(charts["n"])
        ]
        return nb

    monkeypatch.setattr(kernels.Kernel, "run", run)
    la, nbs = registry.resolve("Oldham"), [FIXTURES / "01_fixture.ipynb"]
    report.build_pack(la, nbs, tmp_path, {}, load.provenance(), export=True)
    chart_dir = tmp_path / "oldham" / "charts"
    assert sorted(p.name for p in chart_dir.iterdir()) == [
        "01_fixture-chart-01.png",
        "01_fixture-chart-01.svg",
        "01_fixture-chart-02.png",
        "01_fixture-chart-02.svg",
    ]
    (chart_dir / "01_fixture-chart-03.svg").write_text("<svg>the user's own</svg>")
    charts["n"] = 1
    report.build_pack(la, nbs, tmp_path, {}, load.provenance(), export=True, force=True)
    assert sorted(p.name for p in chart_dir.iterdir()) == [
        "01_fixture-chart-01.png",
        "01_fixture-chart-01.svg",
        "01_fixture-chart-03.svg",
    ]


def test_pack_written_before_pages_were_recorded_is_updated_not_refused(fake_kernel, two_notebooks, registry, tmp_path):
    """A 0.1.0 pack.json (notebooks and one inputs_hash, no file list): its pages are the package's to replace."""
    pack = tmp_path / "oldham"
    pack.mkdir()
    for name in ("index.html", "01_fixture.html", "01_fixture.ipynb", "my notes.txt"):
        (pack / name).write_text("old")
    (pack / "pack.json").write_text(json.dumps({"la_code": "353", "notebooks": ["01_fixture"], "inputs_hash": "x"}))
    la = registry.resolve("Oldham")
    assert report.build_pack(la, two_notebooks[1:], tmp_path, {}, load.provenance()).status == "built"
    assert 'href="01_fixture.html"' in (pack / "index.html").read_text()
    assert report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance()).status == "built"
    assert (pack / "01_fixture.html").read_text() != "old" and (pack / "my notes.txt").read_text() == "old"


def test_crash_between_renames_leaves_a_readable_pack(fake_kernel, two_notebooks, registry, tmp_path, monkeypatch):
    la = registry.resolve("Oldham")
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    pack = tmp_path / "oldham"
    old_manifest = (pack / "pack.json").read_bytes()
    real_replace, calls = os.replace, []

    def crash_on_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_second)
    result = report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance(), force=True)
    monkeypatch.undo()
    assert result.status == "failed" and "Input/output error" in result.error
    assert (pack / "pack.json").read_bytes() == old_manifest
    for rel in report.owned_files(json.loads(old_manifest)):
        assert (pack / rel).stat().st_size > 0, rel
    nbformat.read(pack / "01_fixture.ipynb", as_version=4)
    nbformat.read(pack / "02_fixture.ipynb", as_version=4)
    assert [p.name for p in tmp_path.iterdir()] == ["oldham"]


def test_up_to_date_check_reads_the_files_and_options(
    fake_kernel, two_notebooks, registry, data_folder, tmp_path, monkeypatch
):
    """#13.11: a data file edited without updating provenance.csv, a changed local file and --export-charts
    each make the pack out of date; provenance.csv's checksums are not trusted."""
    data = tmp_path / "data"
    shutil.copytree(data_folder, data)
    monkeypatch.setenv("CSC_DATA_DIR", str(data))
    local = tmp_path / "local.csv"
    local.write_text("team,cases\nA,10\n")
    la, nbs, prov = registry.resolve("Oldham"), two_notebooks[:1], load.provenance()
    params = {"local_file": str(local)}

    def status(**options):
        return report.build_pack(la, nbs, tmp_path / "out", params, prov, **options).status

    assert status() == "built" and status() == "skipped"
    csww = data / "csww_indicators_2017_to_2025.csv"  # line 38, Oldham 2025: ...,146.4,2588,17.7,1321.4,2.4
    stat = csww.stat()
    csww.write_bytes(csww.read_bytes().replace(b",2588,17.7,1321.4,", b",2588,19.7,1321.4,"))
    os.utime(csww, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert status() == "built" and status() == "skipped"
    local.write_text("team,cases\nA,11\n")
    assert status() == "built" and status() == "skipped"
    assert status(export=True) == "built" and status(export=True) == "skipped"
    assert status(show_code=True) == "built"


def test_run_all_onto_an_unwritable_folder_is_a_one_line_error(tmp_path):
    env = dict(os.environ, CSC_NOTEBOOKS_DIR=str(FIXTURES))
    out = subprocess.run(
        [EXE, "run", "--all", "--out", "/proc/csc-no-write"], capture_output=True, text=True, timeout=300, env=env
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [
        "Error: /proc/csc-no-write: cannot write the output folder (No such file or directory)"
    ]


def test_run_summary_that_cannot_be_written_is_a_one_line_error(tmp_path, monkeypatch):
    """The folder can become unwritable during a long --all run (root ignores chmod, so the write is made to fail)."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pd.DataFrame, "to_csv", refuse)
    with pytest.raises(CscError, match=r"run-summary.csv: cannot write the run summary \(Permission denied\)"):
        report.write_summary(pd.DataFrame({"la_name": ["Oldham"]}), tmp_path / "run-summary.csv")


@pytest.fixture(scope="module")
def planted_data(tmp_path_factory):
    """A copy of the bundled data with Oldham's 2025 caseload changed (17.7 -> 93.4) and Oldham renamed
    `Oldham<script>alert(1)</script>` in every CSV, as a hostile or mistaken download might have it."""
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(bundled_data_dir(), data, dirs_exist_ok=True)
    csww = data / "csww_indicators_2017_to_2025.csv"  # line 38, Oldham 2025: ...,146.4,2588,17.7,1321.4,2.4
    assert csww.read_bytes().count(b",2588,17.7,1321.4,") == 1
    csww.write_bytes(csww.read_bytes().replace(b",2588,17.7,1321.4,", b",2588,93.4,1321.4,"))
    for path in data.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b",Oldham,", b",Oldham<script>alert(1)</script>,"))
    return data


def test_data_dir_reaches_the_notebooks_and_data_is_escaped(planted_data, tmp_path):
    """#13.10 and #13.19 through the real command and notebook 04."""
    done = subprocess.run(
        [EXE, "--data-dir", planted_data, "run", "--la", "353", "--out", tmp_path, "--notebook", "04"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (pack,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    page = (pack / "04_statistical_neighbours.html").read_text()
    # The headline table row for caseload shows the changed figure, not the bundled 17.7.
    row = re.search(
        r"Average caseload \(cases per case-holding FTE\)</td>\s*"
        r"<td[^>]*>2025</td>\s*<td[^>]*>([^<]*)</td>",
        page,
    )
    assert row and row.group(1) == "93.4"
    # The provenance names the checksum of the file read, not the one provenance.csv records.
    digest = hashlib.sha256((planted_data / "csww_indicators_2017_to_2025.csv").read_bytes()).hexdigest()
    assert digest in page and digest in (pack / "index.html").read_text()
    for html_page in (page, (pack / "index.html").read_text()):
        assert "<script>alert" not in html_page
        assert "Oldham&lt;script&gt;alert(1)&lt;/script&gt;" in html_page


# --- #18: notebooks, not LAs, are scheduled across --jobs kernels ------------------------------------------


@pytest.fixture
def slow_kernel(monkeypatch):
    """A kernel that runs nothing but takes a while: records (LA, notebook) as each run starts, how many run
    at once, and fails `fail` = (LA, notebook stem) as a notebook cell raising ValueError would."""
    import threading
    import time

    state = {"starts": [], "running": 0, "most": 0, "fail": None, "delay": {"01_fixture": 0.3, "02_fixture": 0.1}}
    lock = threading.Lock()

    def run(kernel, nb, cwd):
        stem, parameters = kernels.source_of(nb).stem, nb.metadata.papermill.parameters
        with lock:
            state["starts"].append((parameters["la"], stem))
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        try:
            time.sleep(state["delay"][stem])
            if state["fail"] == (parameters["la"], stem):
                raise kernels.PageError("ValueError", "boom")
            return nb
        finally:
            with lock:
                state["running"] -= 1

    monkeypatch.setattr(kernels.Kernel, "run", run)
    return state


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_pages_run_at_most_jobs_at_once_in_la_then_notebook_order(slow_kernel, two_notebooks, registry, tmp_path, jobs):
    las = [registry.resolve(name) for name in ("Oldham", "Bury", "Wigan")]
    results = report.build_many(las, two_notebooks, tmp_path, {}, load.provenance(), jobs=jobs)
    assert slow_kernel["most"] == jobs  # 6 pages of 0.1-0.3 s each: the bound is reached and never passed
    # Pages are taken from one queue in LA then notebook order (the first `jobs` start together, in either
    # order); results come back in the order asked.
    assert sorted(slow_kernel["starts"][:jobs]) == sorted(
        [("Oldham", "01_fixture"), ("Oldham", "02_fixture"), ("Bury", "01_fixture")][:jobs]
    )
    assert sorted(slow_kernel["starts"]) == sorted((la.la_name, nb.stem) for la in las for nb in two_notebooks)
    assert [r.la_name for r in results] == ["Oldham", "Bury", "Wigan"]
    assert [r.status for r in results] == ["built"] * 3


def test_pack_json_after_a_concurrent_run_lists_pages_in_notebook_order(slow_kernel, two_notebooks, registry, tmp_path):
    """02 (0.1 s) finishes before 01 (0.3 s); the manifest still lists 01 first, every file it names exists,
    and nothing but the pack is left in the output folder."""
    la = registry.resolve("Oldham")
    result = report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance(), jobs=2)
    assert result.status == "built" and result.notebooks == ["01_fixture", "02_fixture"]
    manifest = json.loads((tmp_path / "oldham" / "pack.json").read_text())
    assert list(manifest["pages"]) == ["01_fixture", "02_fixture"]
    assert manifest["pages"]["01_fixture"]["files"][:2] == ["01_fixture.html", "01_fixture.ipynb"]
    assert manifest["files"] == ["index.html", "oldham.xlsx"]
    for rel in report.owned_files(manifest):
        assert (tmp_path / "oldham" / rel).is_file(), rel
    assert [p.name for p in tmp_path.iterdir()] == ["oldham"]


def test_failing_notebook_is_reported_with_its_la_and_name(slow_kernel, two_notebooks, registry, tmp_path):
    """Bury's 01 fails: Bury's pack is not written (and its 02 not rerun after the failure), the error names the
    notebook and the error; the other LAs' packs are built."""
    slow_kernel["fail"] = ("Bury", "01_fixture")
    las = [registry.resolve(name) for name in ("Oldham", "Bury", "Wigan")]
    results = report.build_many(las, two_notebooks, tmp_path, {}, load.provenance(), jobs=2)
    by_la = {r.la_name: r for r in results}
    assert by_la["Bury"].status == "failed" and by_la["Bury"].error == "01_fixture: ValueError: boom"
    assert by_la["Oldham"].status == by_la["Wigan"].status == "built"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oldham", "wigan"]


def test_cli_reports_a_failing_notebook_with_its_la(slow_kernel, two_notebooks, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from csc_analysis.cli import cli

    slow_kernel["fail"] = ("Oldham", "02_fixture")
    monkeypatch.setenv("CSC_NOTEBOOKS_DIR", str(two_notebooks[0].parent))
    out = CliRunner().invoke(cli, ["run", "--la", "Oldham", "--out", str(tmp_path), "--jobs", "2"])
    assert out.exit_code == 1
    assert "FAILED Oldham: 02_fixture: ValueError: boom" in out.output


def test_scorecard_inputs_are_read_once_per_data_vintage(registry, tmp_path, monkeypatch):
    """#18: what every LA's scorecard reads (tables, registry, Ofsted workbooks) is read once per data vintage, not
    once per LA, and read again when a data file's bytes change (never a stale scorecard)."""
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    reads, real = [], load.registry
    monkeypatch.setattr(load, "registry", lambda folder=None: reads.append(folder) or real(folder))
    oldham = registry.resolve("Oldham")
    first = report.pack_scorecard(oldham, data)
    report.pack_scorecard(registry.resolve("Bury"), data)
    assert len(reads) == 1
    with (data / "sn_model_2025_wide.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")  # new bytes, same table
    again = report.pack_scorecard(oldham, data)
    assert len(reads) == 2
    pd.testing.assert_frame_equal(first[0], again[0])
    assert first[1] == again[1]


def test_workbook_holds_the_tables_of_rebuilt_pages_and_of_pages_kept_from_the_last_run(
    two_notebooks, registry, tmp_path, monkeypatch
):
    """A run of notebook 02 only: the workbook still has 01's table (read from the pack) beside 02's new one."""
    from openpyxl import load_workbook

    from csc_analysis.charts import TABLE_MIME, table_record

    values = {"01_fixture": 1, "02_fixture": 2}

    def run(kernel, nb, cwd):
        stem = kernels.source_of(nb).stem
        record = table_record(pd.DataFrame({"Figure": [values[stem]]}), title=f"Table of {stem}")
        nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "t", TABLE_MIME: record})]
        return nb

    monkeypatch.setattr(kernels.Kernel, "run", run)
    la = registry.resolve("Oldham")
    report.build_pack(la, two_notebooks, tmp_path, {}, load.provenance())
    values["02_fixture"] = 22
    report.build_pack(la, two_notebooks[1:], tmp_path, {}, load.provenance(), force=True)
    book = load_workbook(tmp_path / "oldham" / "oldham.xlsx")
    names = sorted(name for name in book.sheetnames if "Table of" in name)
    assert names == ["01 Table of 01_fixture", "02 Table of 02_fixture"]
    cells = {name: list(book[name].iter_rows(values_only=True))[-1][0] for name in names}  # the table's last row
    assert cells == {"01 Table of 01_fixture": 1, "02 Table of 02_fixture": 22}


def test_the_scorecard_is_made_while_the_pack_s_other_pages_run(two_notebooks, registry, tmp_path, monkeypatch):
    """#18: the index's scorecard needs no page, so it is made beside the last page, not after it."""
    made = threading.Event()
    seen = []
    pack_scorecard = report.pack_scorecard

    def scorecard(*args):
        made.set()
        return pack_scorecard(*args)

    def run(kernel, nb, cwd):
        if kernels.source_of(nb).stem == "02_fixture":  # the last page waits (up to 20 s) for the scorecard
            seen.append(made.wait(timeout=20))
        return nb

    monkeypatch.setattr(report, "pack_scorecard", scorecard)
    monkeypatch.setattr(kernels.Kernel, "run", run)
    result = report.build_many([registry.resolve("Oldham")], two_notebooks, tmp_path, {}, load.provenance(), jobs=1)
    assert result[0].status == "built" and seen == [True]
    assert "Scorecard" in (tmp_path / "oldham" / "index.html").read_text(encoding="utf-8")


def test_a_scorecard_that_fails_early_fails_the_pack_in_one_line(
    fake_kernel, two_notebooks, registry, tmp_path, monkeypatch
):
    def broken(*args):
        raise CscError("sn_model_2025_wide.csv: column SN_1 not found")

    monkeypatch.setattr(report, "pack_scorecard", broken)
    result = report.build_many([registry.resolve("Oldham")], two_notebooks, tmp_path, {}, load.provenance(), jobs=1)
    assert result[0].status == "failed" and result[0].error == "sn_model_2025_wide.csv: column SN_1 not found"


def test_a_page_is_written_while_the_kernel_runs_the_next(two_notebooks, registry, tmp_path, monkeypatch):
    """#18: a worker hands its executed page to the caller's thread and runs the next page at once: rendering (a
    second or more for a pack's first page) no longer leaves its kernel idle."""
    second_started = threading.Event()
    seen = []
    render_html = report.render_html

    def run(kernel, nb, cwd):
        if kernels.source_of(nb).stem == "02_fixture":
            second_started.set()
        return nb

    def render(nb, *args):
        if kernels.source_of(nb).stem == "01_fixture":  # with one worker, the second page must start meanwhile
            seen.append((threading.current_thread() is threading.main_thread(), second_started.wait(timeout=20)))
        return render_html(nb, *args)

    monkeypatch.setattr(kernels.Kernel, "run", run)
    monkeypatch.setattr(report, "render_html", render)
    result = report.build_many([registry.resolve("Oldham")], two_notebooks, tmp_path, {}, load.provenance(), jobs=1)
    assert result[0].status == "built" and seen == [(True, True)]


def test_the_vega_bundle_is_vl_convert_s_made_in_a_child_process(monkeypatch):
    import vl_convert

    report._vega_bundle.cache_clear()
    assert report.vega_bundle() == vl_convert.javascript_bundle().replace("</script", "<\\/script")
    report._vega_bundle.cache_clear()
    monkeypatch.setattr(report, "_BUNDLE", "import sys; sys.exit('vl_convert: no bundle for you\\nsecond line')")
    with pytest.raises(
        CscError, match=r"^vl-convert could not bundle Vega for the pages: vl_convert: no bundle for you$"
    ):
        report.vega_bundle()
    report._vega_bundle.cache_clear()


def test_an_interrupt_while_a_page_is_written_stops_the_workers_first(two_notebooks, registry, tmp_path, monkeypatch):
    """Ctrl-C in the thread that writes pages: the workers stop after their current page and their kernels are shut
    down before the run ends; nothing is left in the output folder."""
    third = two_notebooks[0].with_name("03_fixture.ipynb")
    third.write_bytes(two_notebooks[0].read_bytes())
    shut = []
    monkeypatch.setattr(kernels.Kernel, "run", lambda kernel, nb, cwd: nb)
    monkeypatch.setattr(kernels.Kernel, "shutdown", lambda kernel: shut.append(threading.current_thread().name))

    def render(nb, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "render_html", render)
    with pytest.raises(KeyboardInterrupt):
        report.build_many(
            [registry.resolve("Oldham")], [*two_notebooks, third], tmp_path, {}, load.provenance(), jobs=1
        )
    assert shut == ["csc-page-0"]
    assert not [t.name for t in threading.enumerate() if t.name.startswith("csc-page-")]
    assert list(tmp_path.iterdir()) == []
