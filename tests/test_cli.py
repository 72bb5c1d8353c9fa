"""The command line: in-process through click's CliRunner (same parsing, error handling and output as the
console script, without starting Python each time); one test runs the installed console script itself."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis.cli import cli


def run(*args, env=None):
    """`csc-analysis ARGS` in-process: `.exit_code`, `.stdout` and `.stderr` (kept apart, as a terminal shows them)."""
    return CliRunner().invoke(cli, list(args), env=env, prog_name="csc-analysis")


def test_console_script_lists_153_current_las():
    exe = shutil.which("csc-analysis") or str(Path(sys.executable).parent / "csc-analysis")
    out = subprocess.run([exe, "las", "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype=str)
    assert len(table) == 153
    assert table.set_index("la_code").loc["353", "la_name"] == "Oldham"


def test_indicators_lists_catalogue():
    out = run("indicators", "--format", "csv")
    assert out.exit_code == 0
    assert "agency_rate_fte" in pd.read_csv(io.StringIO(out.stdout)).id.tolist()


def test_data_for_oldham_csv():
    out = run(
        "data", "--la", "Oldham", "--indicator", "agency_rate_fte", "--indicator", "caseload_fte", "--format", "csv"
    )
    assert out.exit_code == 0, out.stderr
    rows = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(rows.columns) == [
        "year",
        "geographic_level",
        "la_code",
        "new_la_code",
        "la_name",
        "region_name",
        "indicator",
        "value",
        "status",
    ]
    got = rows.set_index(["indicator", "year"])["value"]
    assert got["agency_rate_fte", 2024] == 32.3 and got["caseload_fte", 2024] == 19.2
    assert set(rows.la_code) == {"353"}


def test_data_table_format():
    # c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, Oldham (353), referral_count:
    # "2013,...,353,E08000004,Oldham,Referrals and Re-referrals,1961,364,..." and "2025,...,Oldham,...,4196,887,...".
    out = run("data", "--la", "353", "--indicator", "referrals")
    assert out.exit_code == 0, out.stderr
    header, *lines = out.stdout.splitlines()
    assert header.split() == [
        "year",
        "geographic_level",
        "la_code",
        "new_la_code",
        "la_name",
        "region_name",
        "indicator",
        "value",
        "status",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines}
    assert list(rows) == [str(year) for year in range(2013, 2026)]  # one row a year, in order
    assert rows["2013"] == ["la", "353", "E08000004", "Oldham", "North", "West", "referrals", "1961.0"]
    assert rows["2025"][-1] == "4196.0"


@pytest.mark.parametrize(
    "args, message",
    [
        (["data", "--la", "Oldam"], "unknown LA 'Oldam'; closest: Oldham"),
        (["data", "--la", "Oldham", "--indicator", "referals"], "unknown indicator 'referals'"),
        (["--data-dir", "/no/such/folder", "data", "--la", "Oldham"], "data folder not found"),
        (["data", "--la", "Oldham", "--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_user_errors_exit_nonzero_with_one_line(args, message):
    out = run(*args)
    assert out.exit_code != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len([ln for ln in out.stderr.splitlines() if ln.startswith("Error")]) == 1


@pytest.mark.parametrize(
    "parameter, message",
    [
        # -p values are read as YAML: "three" is text where notebook 02 declares `horizon: int`.
        ("horizon=three", "parameter horizon='three': 02_referral_forecast expects a whole number"),
        ("02:demo=maybe", "parameter demo='maybe': 02_referral_forecast expects true or false"),
        # The bundled data run from 2010 (SFR27_2010_March.csv) to 2025; 2030 showed 2025's figures without a word.
        ("year=2030", "parameter year=2030 is outside the data (2010-2025)"),
    ],
)
def test_run_refuses_a_parameter_its_notebooks_cannot_take(tmp_path, parameter, message):
    out = run("run", "--la", "Oldham", "--notebook", "02", "--notebook", "04", "-p", parameter, "--out", str(tmp_path))
    assert out.exit_code == 1
    assert out.stderr == f"Error: {message}\n"
    assert list(tmp_path.iterdir()) == []  # refused before any page ran


def test_data_dir_from_environment(tmp_path):
    out = run("data", "--la", "Oldham", env={"CSC_DATA_DIR": str(tmp_path / "missing")})
    assert out.exit_code == 1 and "missing: data folder not found" in out.stderr


def test_project_oldham_with_scenario_and_costs(tmp_path):
    costs = tmp_path / "costs.csv"
    costs.write_text("placement_type,share_pct,weekly_cost\nFoster care,80,600\nChildren's home,20,5000\n")
    out = run("project", "--la", "Oldham", "--starts-change-pct", "-10", "--costs", str(costs), "--format", "csv")
    assert out.exit_code == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(table.columns[:4]) == ["la_code", "la_name", "year", "kind"]
    actual = table[table.kind == "actual"].set_index("year")
    assert actual.loc[2025, "children_looked_after"] == 582 and actual.loc[2024, "starts"] == 240
    base = table[table.kind == "baseline"].set_index("year")
    scen = table[table.kind == "scenario"].set_index("year")
    assert list(base.index) == [2026, 2027, 2028]
    # Each projected year is last year's projection + starts - ceased, and the scenario has 10% fewer starts.
    assert base.loc[2026, "children_looked_after"] == pytest.approx(
        582 + base.loc[2026, "starts"] - base.loc[2026, "ceased"]
    )
    assert scen.loc[2026, "starts"] == pytest.approx(base.loc[2026, "starts"] * 0.9)
    weekly = 0.8 * 600 + 0.2 * 5000
    assert base.loc[2026, "cost"] == pytest.approx(base.loc[2026, "children_looked_after"] * weekly * 365.25 / 7)
    assert "note: Starts are projected at 209 a year (the mean of 2023-2025)." in out.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["project", "--la", "Isles of Scilly"], "Error: Isles of Scilly: fewer than two years with published"),
        (
            ["project", "--la", "Oldham", "--costs", "/nonexistent/costs.csv"],
            "Error: /nonexistent/costs.csv: file not found",
        ),
    ],
)
def test_project_errors(args, message):
    out = run(*args)
    assert out.exit_code == 1 and out.stderr.strip().splitlines()[-1].startswith(message)


# --- #13.15, #13.18, #13.21: scenario inputs, suppression and short local files ---------------------------------


@pytest.mark.parametrize("value", ["-200", "nan", "inf", "250"])
def test_project_refuses_impossible_scenarios(value):
    out = run("project", "--la", "Oldham", "--starts-change-pct", value)
    assert out.exit_code == 1 and "Traceback" not in out.stderr
    message = f"Error: --starts-change-pct {value}: must be a number from -90 to 200 (a % change)"
    assert out.stderr.strip().splitlines() == [message]
    out = run("project", "--la", "Oldham", "--ceased-change-pct", value)
    assert out.exit_code == 1 and "--ceased-change-pct" in out.stderr


def _referral_csv(path, per_month):
    """Referral rows, one a line: each month's first referral on day 1 and its last on the month's last day, so
    the data cover every month in full (a month counts only if the data reach its last day)."""
    import calendar

    lines = ["Child Unique ID,Referral date"]
    child = 0
    for month, n in per_month.items():
        last = calendar.monthrange(int(month[3:]), int(month[:2]))[1]
        for i in range(n):
            child += 1
            day = 1 if i == 0 else last if i == n - 1 else 10
            lines.append(f"SYN-C{child:05d},{day:02d}/{month}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_forecast_local_suppresses_small_counts_and_what_repeats_them(tmp_path):
    # SYNTHETIC: 10, 3, 12, 15, 11 and 9 referrals in January-June 2024 (60 rows, all used).
    raw = {"2024-01": 10, "2024-02": 3, "2024-03": 12, "2024-04": 15, "2024-05": 11, "2024-06": 9}
    csv = _referral_csv(tmp_path / "referrals.csv", {f"{k[5:]}/{k[:4]}": n for k, n in raw.items()})
    out = run("forecast", "--la", "Oldham", "--local", str(csv), "--horizon", "2", "--format", "csv")
    assert out.exit_code == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype=str)
    actual = table[table.kind == "actual"].set_index("period")["value"]
    assert actual["2024-02"] == "c"
    # The 60 rows total is printed, so one more month is hidden and February cannot be worked out by subtraction.
    hidden = {raw[month] for month in actual.index[actual == "c"]}
    assert len(hidden) >= 2
    # No forecast figure repeats a hidden month (a naive forecast repeats June's 9).
    future = table[table.kind == "forecast"][["value", "lo80", "hi80", "lo95", "hi95"]].to_numpy().ravel()
    assert not {float(v) for v in future if v != "c"} & hidden
    shown = run("forecast", "--la", "Oldham", "--local", str(csv), "--suppress-below", "0", "--format", "csv")
    assert pd.read_csv(io.StringIO(shown.stdout)).query("kind == 'actual'")["value"].tolist() == [10, 3, 12, 15, 11, 9]


def test_forecast_local_with_one_month_is_a_one_line_error(tmp_path):
    csv = _referral_csv(tmp_path / "referrals.csv", {"03/2024": 12})
    out = run("forecast", "--la", "Oldham", "--local", str(csv))
    assert out.exit_code == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1] == (
        "Error: referrals.csv: only 1 month of counts (March 2024); a forecast needs at least 2"
    )


def test_run_jobs_defaults_to_the_cores_and_is_bounded(tmp_path, monkeypatch):
    """#18: `--jobs N` reaches the scheduler; without it, the number of cores; 0 is refused."""
    from pathlib import Path

    from click.testing import CliRunner

    from csc_analysis import report
    from csc_analysis.cli import cli

    asked = []

    def build_many(las, notebooks, out_dir, params, provenance, jobs=1, progress=None, **options):
        asked.append(jobs)
        return [report.PackResult(la.la_name, "built", Path(out_dir) / la.slug) for la in las]

    monkeypatch.setattr(report, "build_many", build_many)
    monkeypatch.setattr(report, "default_jobs", lambda: 7)
    runner = CliRunner()
    assert runner.invoke(cli, ["run", "--la", "Oldham", "--out", str(tmp_path), "--notebook", "04"]).exit_code == 0
    assert runner.invoke(cli, ["run", "--la", "Oldham", "--out", str(tmp_path), "--jobs", "2"]).exit_code == 0
    assert asked == [7, 2]
    refused = runner.invoke(cli, ["run", "--la", "Oldham", "--out", str(tmp_path), "--jobs", "0"])
    assert refused.exit_code == 2 and "0 is not in the range 1<=x<=64" in refused.output
