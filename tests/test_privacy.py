"""No child or worker ID from local data reaches any output file.

Generates synthetic Annex A lists and a caseload snapshot, runs the notebooks that read local
data through `csc-analysis run` (with chart export), then scans every file written - notebooks,
HTML, CSV, SVG, PNG bytes and metadata - for any ID from the inputs.
"""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

EXE = Path(sys.executable).parent / "csc-analysis"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    local = tmp_path_factory.mktemp("local")
    out = tmp_path_factory.mktemp("packs")
    made = subprocess.run([EXE, "synth", "--la", "Oldham", "--out", local, "--seed", "11"], capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    ran = subprocess.run([EXE, "run", "--la", "Oldham", "--out", out, "--notebook", "02", "--notebook", "03",
                          "--notebook", "07", "-p", f"ssda903={local / 'ssda903'}",
                          "--export-charts", "-p", f"local_data={local}",
                          "-p", f"local_workforce={local / 'SYNTHETIC_caseload_snapshot.csv'}",
                          "-p", "snapshot_date=2025-09-30"],
                         capture_output=True, text=True, timeout=900)
    assert ran.returncode == 0, ran.stderr
    return local, out


def input_ids(local: Path) -> set[str]:
    ids = set()
    for path in local.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        col = "Child Unique ID" if "Child Unique ID" in frame else "worker_id"
        ids |= set(frame[col])
    for path in (local / "ssda903").glob("*/header.csv"):
        ids |= set(pd.read_csv(path, dtype=str)["CHILD"])
    return ids


def test_no_input_id_in_any_output(local_run):
    local, out = local_run
    ids = input_ids(local)
    assert len(ids) > 1000
    pattern = re.compile(rb"SYN-[CW]\d+")
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in files) and any(p.suffix == ".html" for p in files)
    for path in files:
        found = {m.decode() for m in pattern.findall(path.read_bytes())}
        assert not (found & ids), f"{path.name} contains input IDs"


def test_local_data_was_really_used(local_run):
    _, out = local_run
    page = (out / "oldham" / "03_caseload_agency.html").read_text()
    assert "SYNTHETIC_caseload_snapshot.csv" in page and "rows, all used" in page
    forecast_page = (out / "oldham" / "02_referral_forecast.html").read_text()
    assert "SYNTHETIC_Annex_A_List_3_referrals.csv" in forecast_page
    placement_page = (out / "oldham" / "07_placement_projection.html").read_text()
    assert "Reconciliation with the published figures" in placement_page and "SYNTHETIC DATA" not in placement_page
    assert "What this chart shows" in placement_page


def test_local_folders_and_outputs_are_git_ignored():
    ignored = subprocess.run(["git", "check-ignore", "outputs/x.html", "local/a.csv", "local_data/b.xlsx"],
                             cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == ["outputs/x.html", "local/a.csv", "local_data/b.xlsx"]
