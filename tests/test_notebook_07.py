"""Notebook 07 (placement projection): without a file it shows only the "add your data" box; with
demo=True it runs on SYNTHETIC returns, says so in its title and every chart title, and no child ID
from the synthetic input reaches the executed notebook."""

import json
import re
from pathlib import Path

import papermill
import pytest

from csc_analysis.synth import ssda903 as synth

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_placement_projection.ipynb"


def outputs(path: Path) -> str:
    nb = json.loads(path.read_text())
    return "\n".join(json.dumps(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb07") / "07.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"la": "Oldham", "demo": True}, kernel_name="python3", progress_bar=False
    )
    return outputs(out)


def test_demo_is_labelled_synthetic_everywhere(demo):
    assert "# SYNTHETIC DATA: Oldham" in demo
    alt_texts = re.findall(r"What this chart shows:</strong> ([^<]*)", demo)
    assert len(alt_texts) == 5 and all("SYNTHETIC: Oldham" in t for t in alt_texts)
    assert "Backtest on synthetic LAs" in demo


def test_demo_shows_no_child_id(demo, published, registry):
    episodes = synth.simulate(published, registry.resolve("Oldham"))  # the demo's input (same seed)
    ids = set(episodes["CHILD"])
    assert len(ids) > 1000
    found = set(re.findall(r"SYN-C9\d{6}", demo))
    assert not found & ids


def test_without_a_file_only_the_box(tmp_path):
    out = tmp_path / "07.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"la": "Oldham"}, kernel_name="python3", progress_bar=False
    )
    text = outputs(out)
    assert "Placements next year and the year after: add your own file." in text  # the shared box (demo.py)
    assert "--notebook 07 -p ssda903=PATH" in text
    assert "SYNTHETIC" not in text and "What this chart shows" not in text


def test_chart_specs_are_valid_json_with_hidden_counts(published, registry, tmp_path):
    # Hidden counts ("c") sit in object columns; as NaN they made invalid JSON that the PNG export refused.
    import json as js

    from csc_analysis import cla_model, ssda903
    from csc_analysis.charts import cla_model as charts

    la = registry.resolve("Oldham")
    synth.write(synth.generate(published, la), tmp_path, la)
    weekly, _ = cla_model.published_costs(published, la.la_code)
    res = cla_model.project(
        ssda903.read(tmp_path), 3, 1, cla_model.check_scenario(cla_model.EXAMPLE_SCENARIO), weekly, sims=200
    )
    assert (res.table["children"] == "c").any()
    figures = [
        charts.mix_chart(res.table, "Oldham"),
        charts.flows_chart(cla_model.yearly_flows(res.observed), "Oldham"),
        charts.fan_chart(res.table, "Oldham"),
        charts.scenario_chart(res.table, "Oldham", "x"),
        charts.cost_chart(res.table, "Oldham"),
    ]
    for fig in figures:
        js.loads(fig.chart.to_json(indent=None), parse_constant=lambda c: pytest.fail(f"{c} in chart JSON"))
