"""No child, adopter or worker ID from local data reaches any output file.

Generates synthetic Annex A lists and a caseload snapshot, runs the notebooks that read local
data through `csc-analysis run` (02, 03, 06 and 07, with chart export), then scans every file written - notebooks,
HTML, CSV, SVG, PNG bytes and metadata - for any ID from the inputs.
"""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from csc_analysis import privacy
from csc_analysis.errors import CscError

EXE = Path(sys.executable).parent / "csc-analysis"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    local = tmp_path_factory.mktemp("local")
    out = tmp_path_factory.mktemp("packs")
    made = subprocess.run(
        [EXE, "synth", "--la", "Oldham", "--out", local, "--seed", "11", "--annex-a-format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    ran = subprocess.run(
        [
            EXE,
            "run",
            "--la",
            "Oldham",
            "--out",
            out,
            "--notebook",
            "02",
            "--notebook",
            "03",
            "--notebook",
            "06",
            "--notebook",
            "07",
            "--export-charts",
            "-p",
            f"local_data={local}",
            "-p",
            f"annex_a={local}",
            "-p",
            f"ssda903={local / 'ssda903'}",
            "-p",
            f"local_workforce={local / 'SYNTHETIC_caseload_snapshot.csv'}",
            "-p",
            "snapshot_date=2025-09-30",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert ran.returncode == 0, ran.stderr
    return local, out


def input_ids(local: Path) -> set[str]:
    """Every synthetic child, adopter and worker ID in the input files (Annex A, snapshot, SSDA903)."""
    return {
        m.decode()
        for path in [*local.glob("*.csv"), *local.glob("ssda903/*/*.csv")]
        for m in re.findall(rb"SYN-[CWA]\d+", path.read_bytes())
    }


def test_no_input_id_in_any_output(local_run):
    local, out = local_run
    ids = input_ids(local)
    assert len(ids) > 1000
    pattern = re.compile(rb"SYN-[CWA]\d+")
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
    local_page = (out / "oldham" / "06_local_performance.html").read_text()
    assert "SYNTHETIC_Annex_A_List_8_children_looked_after.csv" in local_page and "List 11 (adopters)" in local_page
    placement_page = (out / "oldham" / "07_placement_projection.html").read_text()
    assert "Reconciliation with the published figures" in placement_page and "SYNTHETIC DATA" not in placement_page
    assert "What this chart shows" in placement_page


def test_local_folders_and_outputs_are_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", "outputs/x.html", "local/a.csv", "local_data/b.xlsx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == ["outputs/x.html", "local/a.csv", "local_data/b.xlsx"]


def test_suppress_closes_row_and_column_differences():
    # SYNTHETIC 3 x 2 table with row and column totals; 3 (A, a) and 2 (C, b) are small.
    from csc_analysis import privacy

    frame = pd.DataFrame(
        {
            "team": ["A", "B", "C", "All"],
            "a": [3, 7, 9, 19],
            "b": [6, 8, 2, 16],
            "total": [9, 15, 11, 35],
            "fte": [2.5, 6.0, 9.0, 17.5],
        }
    )
    out = privacy.suppress(
        frame,
        ["a", "b", "total"],
        5,
        total_label="All",
        label_column="team",
        describes={"fte": ["a"]},
        row_totals={"total": ["a", "b"]},
    )
    hidden = out == privacy.SUPPRESSED
    assert hidden.at[0, "a"] and hidden.at[2, "b"] and hidden.at[0, "fte"]  # small, and the FTE of those 3
    lines = [[(r, c) for r in range(3)] + [(3, c)] for c in ("a", "b", "total")]
    lines += [[(r, "a"), (r, "b"), (r, "total")] for r in range(4)]
    for *cells, total in lines:  # total minus what is shown never isolates a cell or a small group
        gone = [frame.at[cell] for cell in cells if hidden.at[cell]]
        if gone and not hidden.at[total]:
            assert len(gone) >= 2 and sum(gone) >= 5, (cells, gone)
    fte_gone = hidden["fte"].iloc[:3]  # FTE is additive too: its hidden rows must be hidden in `a`
    assert list(fte_gone) == list(hidden["a"].iloc[:3])


# --- #13.16: forecasts and totals built from local counts follow the same rule ----------------------------------


def _months(values):
    return pd.DataFrame(
        {"period": pd.date_range("2024-04-01", periods=len(values), freq="MS"), "value": [float(v) for v in values]}
    )


def _forecast(means):
    return pd.DataFrame(
        {
            "period": pd.date_range("2025-01-01", periods=len(means), freq="MS"),
            "mean": means,
            "lo80": [m * 0.8 for m in means],
            "hi80": [m * 1.2 for m in means],
            "lo95": [m * 0.5 for m in means],
            "hi95": [m * 1.5 for m in means],
        }
    )


def test_forecast_repeating_a_hidden_month_is_hidden():
    from csc_analysis import privacy

    # August 3 referrals; a seasonal naive forecast repeats it as 3.0 for next August.
    history, fc, note = privacy.suppress_forecast(_months([20, 30, 12, 40, 3]), _forecast([3.0, 25.0]), 5, total=105)
    assert history["value"].tolist()[4] == "c"
    assert fc.loc[0, ["mean", "lo80", "hi80", "lo95", "hi95"]].tolist() == ["c"] * 5  # 3, 2.4, 3.6, 1.5, 4.5
    # The 105 total is shown, so the next smallest month (12) is hidden too, and a forecast figure equal to it:
    # 25 x 0.8 = 20, x 1.2 = 30, x 0.5 = 12.5 -> 12 (rounded half to even, hidden), x 1.5 = 37.5 -> 38.
    assert history["value"].tolist() == [20, 30, "c", 40, "c"]
    assert fc.loc[1, ["mean", "lo80", "hi80", "lo95", "hi95"]].tolist() == [25, 20, 30, "c", 38]
    assert "c" in note


def test_total_beside_months_cannot_be_differenced():
    from csc_analysis import privacy

    # 1,098 used, months add to 1,095 once August (3) is hidden: another month must be hidden too,
    # or 1,098 - 1,095 gives August back.
    months = [300, 250, 3, 200, 345]
    history, _, _ = privacy.suppress_forecast(_months(months), _forecast([300.0]), 5, total=1098)
    shown = [v for v in history["value"] if v != "c"]
    assert history["value"].tolist()[2] == "c" and len(shown) <= len(months) - 2
    # Rows used outside the months shown (a partial first month of 2) are themselves a small count:
    # with every month large, one month is hidden so the 2 cannot be worked out either.
    history, _, _ = privacy.suppress_forecast(_months([300, 250, 200]), _forecast([300.0]), 5, total=752)
    assert (history["value"] == "c").sum() == 1
    # With no suppression asked for (threshold 0) nothing is hidden.
    history, fc, note = privacy.suppress_forecast(_months(months), _forecast([3.0]), 0, total=1098)
    assert history["value"].tolist() == months and fc["mean"].tolist() == [3] and note == ""


def test_cells_already_hidden_count_with_their_true_values():
    """A cell hidden for another reason (the other direction of a two-way table) starts hidden with its real
    count: 30 + 3 hidden add up to 33 >= 5, so the 40 total may show; counted as 1 + 1 it would be hidden."""
    from csc_analysis import privacy

    frame = pd.DataFrame({"band": ["a", "b", "c", "All"], "n": [30, 3, 7, 40]})
    before = pd.DataFrame({"n": [True, False, False, False]})
    out = privacy.suppress(frame, ["n"], 5, total_label="All", label_column="band", already_hidden=before)
    assert out["n"].tolist() == ["c", "c", 7, 40]


def test_a_negative_threshold_is_refused():
    # `-p suppress_below=-1` built notebook 06 with nothing hidden and no word about it; 0 (off) is the user's choice.
    frame = pd.DataFrame({"n": [3, 10]})
    assert privacy.suppress(frame, ["n"], 0)["n"].tolist() == [3, 10]
    with pytest.raises(CscError, match=r"^suppress_below -1 must be at least 0$"):
        privacy.suppress(frame, ["n"], -1)
