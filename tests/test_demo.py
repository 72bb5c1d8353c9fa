"""Demo or local: a real LA's pack holds no made-up numbers; a demo says SYNTHETIC everywhere (#14 item 5)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis import demo, load, projection, report
from csc_analysis.charts import Figure
from csc_analysis.cli import cli
from csc_analysis.errors import CscError

EXE = Path(sys.executable).parent / "csc-analysis"


def test_choose_local_demo_or_none():
    assert demo.choose("snapshot.csv", False) == "local"
    assert demo.choose(None, True) == "demo"
    assert demo.choose(None, False) == "none"
    with pytest.raises(CscError, match=r"local_workforce = 'x\.csv' and demo mode were both given"):
        demo.choose("x.csv", True, "local_workforce")


def test_missing_box_gives_the_exact_command():
    box = demo.missing_box("caseload_snapshot", "Oldham")
    assert "`csc-analysis run --la Oldham --notebook 03 -p local_workforce=PATH`" in box
    assert (
        "`csc-analysis run --la 'Bath and North East Somerset' --notebook 02 -p local_data=PATH`"
        in demo.missing_box("monthly_forecast", "Bath and North East Somerset")
    )
    assert "SYNTHETIC" not in box and "ILLUSTRATIVE" not in box


def test_demo_labels_titles_files_and_charts():
    import altair as alt

    assert (
        demo.label("Caseloads", True) == "SYNTHETIC DEMO: Caseloads" and demo.label("Caseloads", False) == "Caseloads"
    )
    assert demo.file_stem("03_caseload_agency", True) == "03_caseload_agency-SYNTHETIC"
    fig = Figure(
        alt.Chart(pd.DataFrame({"x": [1]}))
        .mark_bar()
        .encode(x="x:Q")
        .properties(title=alt.TitleParams("Most workers hold 15-19 cases", subtitle="a")),
        "Bar chart.",
        pd.DataFrame(),
    )
    marked = demo.mark(fig, True)
    assert marked.chart.to_dict()["title"]["text"] == "SYNTHETIC DEMO: Most workers hold 15-19 cases"
    assert marked.alt_text.startswith("SYNTHETIC DEMO:") and fig.chart.to_dict()["title"]["text"].startswith("Most")
    assert demo.mark(fig, False) is fig


def test_run_demo_with_a_local_file_is_an_error():
    result = CliRunner().invoke(
        cli, ["run", "--la", "Oldham", "--demo", "--notebook", "03", "-p", "local_workforce=snapshot.csv"]
    )
    assert result.exit_code != 0
    assert "local_workforce = 'snapshot.csv' and demo mode were both given" in result.output


def test_cla_costs_default_to_the_las_own_ro3_spend_per_child(published, registry):
    # RO3 2024-25, Oldham: net spend on children looked after £50,233k; 582 looked after at 31 March 2025
    # (tests/test_workbooks.py) -> £86,311 a year per child.
    oldham = registry.resolve("Oldham")
    basis = projection.cost_basis(published, oldham, None, demo=False)
    assert basis.source == "published"
    assert basis.costs["share_pct"].tolist() == [100.0]
    assert basis.costs["weekly_cost"].iloc[0] * projection.WEEKS_PER_YEAR == pytest.approx(50_233_000 / 582)
    assert "£86,311 a year in 2024/25" in basis.note and "ILLUSTRATIVE" not in basis.note
    stock = pd.DataFrame({"year": [2026], "mean": [600.0], "lo80": [550.0], "hi80": [650.0]})
    assert projection.cost(stock, basis.costs)["cost"].iloc[0] == pytest.approx(600 * 50_233_000 / 582)
    assert projection.cost_basis(published, oldham, None, demo=True).source == "demo"


def test_no_published_spend_means_no_cost_projection(published, registry):
    # RO3 2024-25: Birmingham did not report in time (shown as x)
    basis = projection.cost_basis(published, registry.resolve("Birmingham"), None, demo=False)
    assert basis.costs is None and "no published spend on children looked after" in basis.note


def test_user_cost_table_overrides(published, registry, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("placement_type,share_pct,weekly_cost\nFoster,100,700\n")
    basis = projection.cost_basis(published, registry.resolve("Oldham"), str(path), demo=False)
    assert basis.source == "local" and basis.costs["weekly_cost"].tolist() == [700.0]


def _page_text(path: Path) -> str:
    """The words a reader sees: HTML without tags, scripts' JSON included (chart titles live there)."""
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))


def test_oldham_pack_without_local_files_has_no_made_up_numbers(registry, tmp_path):
    """Done-when of #14: every notebook built for Oldham with no local files."""
    notebooks = report.select_notebooks([])
    result = report.build_pack(registry.resolve("Oldham"), notebooks, tmp_path, {}, load.provenance())
    assert result.status == "built", result.error
    for page in sorted(result.pack_dir.glob("*.html")):
        text = _page_text(page)
        assert "SYNTHETIC" not in text and "ILLUSTRATIVE" not in text, page.name
    assert "csc-analysis run --la Oldham --notebook 03 -p local_workforce=PATH" in _page_text(
        result.pack_dir / "03_caseload_agency.html"
    )
    assert "csc-analysis run --la Oldham --notebook 02 -p local_data=PATH" in _page_text(
        result.pack_dir / "02_referral_forecast.html"
    )
    assert "£86,311 a year in 2024/25" in _page_text(result.pack_dir / "05_placements_finance.html")
    # Nothing the kernel wrote to stderr (a warning, a traceback) reaches a page a committee reads.
    for executed in sorted(result.pack_dir.glob("*.ipynb")):
        cells = nbformat.read(executed, as_version=4).cells
        assert not [o for c in cells for o in c.get("outputs", []) if o.get("name") == "stderr"], executed.name


def test_demo_pack_says_synthetic_in_titles_files_and_index(tmp_path):
    done = subprocess.run(
        [EXE, "run", "--la", "Oldham", "--out", tmp_path, "--notebook", "03", "--demo", "--export-charts"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pack = tmp_path / "oldham-SYNTHETIC"
    index = (pack / "index.html").read_text()
    assert "<title>SYNTHETIC DEMO: Oldham" in index and "<h1>SYNTHETIC DEMO: Oldham" in index
    assert ">SYNTHETIC DEMO: Are caseloads manageable" in index
    page = (pack / "03_caseload_agency.html").read_text()
    assert "<title>Oldham: SYNTHETIC DEMO: Are caseloads manageable" in page
    assert "SYNTHETIC DEMO DATA" in page and "SYNTHETIC DEMO: Caseload per case-holding FTE" in page
    exported = list((pack / "charts").iterdir())
    assert exported and all("SYNTHETIC" in p.name for p in exported)
    assert json.loads((pack / "pack.json").read_text())["pages"]["03_caseload_agency"]["parameters"]["demo"] is True


def test_spend_that_is_not_a_unit_cost_means_no_cost_projection(published, registry):
    """Sandwell's published spend per child looked after is negative (RO3 2024-25: -£20k for 816 children): the
    projection is not costed with it, and the page says why instead of stopping (it stopped the whole pack)."""
    basis = projection.cost_basis(published, registry.resolve("Sandwell"), None, demo=False)
    assert basis.costs is None and basis.source == "none"
    assert basis.note.startswith("Sandwell published net spend on children looked after of -£25 a year")
