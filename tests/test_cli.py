"""The command line, end to end through the installed console script."""

import io
import shutil
import subprocess
import sys

import pandas as pd
import pytest


def run(*args, **kw):
    exe = shutil.which("csc-analysis") or str((__import__("pathlib").Path(sys.executable).parent / "csc-analysis"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300, **kw)


def test_las_lists_153_current():
    out = run("las", "--format", "csv")
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype=str)
    assert len(table) == 153
    assert table.set_index("la_code").loc["353", "la_name"] == "Oldham"


def test_indicators_lists_catalogue():
    out = run("indicators", "--format", "csv")
    assert out.returncode == 0
    assert "agency_rate_fte" in pd.read_csv(io.StringIO(out.stdout)).id.tolist()


def test_data_for_oldham_csv():
    out = run("data", "--la", "Oldham", "--indicator", "agency_rate_fte", "--indicator", "caseload_fte",
              "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(rows.columns) == ["year", "geographic_level", "la_code", "new_la_code", "la_name",
                                  "region_name", "indicator", "value", "status"]
    got = rows.set_index(["indicator", "year"])["value"]
    assert got["agency_rate_fte", 2024] == 32.3 and got["caseload_fte", 2024] == 19.2
    assert set(rows.la_code) == {"353"}


def test_data_table_format():
    out = run("data", "--la", "353", "--indicator", "referrals")
    assert out.returncode == 0
    assert "Oldham" in out.stdout and "referrals" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["data", "--la", "Oldam"], "unknown LA 'Oldam'; closest: Oldham"),
    (["data", "--la", "Oldham", "--indicator", "referals"], "unknown indicator 'referals'"),
    (["--data-dir", "/no/such/folder", "data", "--la", "Oldham"], "data folder not found"),
    (["data", "--la", "Oldham", "--format", "xml"], "Invalid value for '--format'"),
])
def test_user_errors_exit_nonzero_with_one_line(args, message):
    out = run(*args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len([ln for ln in out.stderr.splitlines() if ln.startswith("Error")]) == 1


def test_data_dir_from_environment(tmp_path):
    env = dict(__import__("os").environ, CSC_DATA_DIR=str(tmp_path / "missing"))
    out = run("data", "--la", "Oldham", env=env)
    assert out.returncode == 1 and "missing: data folder not found" in out.stderr


def test_project_oldham_with_scenario_and_costs(tmp_path):
    costs = tmp_path / "costs.csv"
    costs.write_text("placement_type,share_pct,weekly_cost\nFoster care,80,600\nChildren's home,20,5000\n")
    out = run("project", "--la", "Oldham", "--starts-change-pct", "-10", "--costs", str(costs), "--format", "csv")
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(table.columns[:4]) == ["la_code", "la_name", "year", "kind"]
    actual = table[table.kind == "actual"].set_index("year")
    assert actual.loc[2025, "children_looked_after"] == 582 and actual.loc[2024, "starts"] == 240
    base = table[table.kind == "baseline"].set_index("year")
    scen = table[table.kind == "scenario"].set_index("year")
    assert list(base.index) == [2026, 2027, 2028]
    # Each projected year is last year's projection + starts - ceased, and the scenario has 10% fewer starts.
    assert base.loc[2026, "children_looked_after"] == pytest.approx(582 + base.loc[2026, "starts"] - base.loc[2026, "ceased"])
    assert scen.loc[2026, "starts"] == pytest.approx(base.loc[2026, "starts"] * 0.9)
    weekly = 0.8 * 600 + 0.2 * 5000
    assert base.loc[2026, "cost"] == pytest.approx(base.loc[2026, "children_looked_after"] * weekly * 365.25 / 7)
    assert "note: Starts are projected at 209 a year (the mean of 2023-2025)." in out.stderr


@pytest.mark.parametrize("args, message", [
    (["project", "--la", "Isles of Scilly"], "Error: Isles of Scilly: fewer than two years with published"),
    (["project", "--la", "Oldham", "--costs", "/nonexistent/costs.csv"], "Error: /nonexistent/costs.csv: file not found"),
])
def test_project_errors(args, message):
    out = run(*args)
    assert out.returncode == 1 and out.stderr.strip().splitlines()[-1].startswith(message)
