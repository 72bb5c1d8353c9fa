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
