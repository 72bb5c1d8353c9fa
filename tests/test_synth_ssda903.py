"""Synthetic SSDA903 returns reproduce the LA's published figures, are labelled and deterministic,
and `synth` / `project --ssda903` work together end to end."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from csc_analysis import ssda903
from csc_analysis.errors import CscError
from csc_analysis.synth import ssda903 as synth


def cli(*args):
    exe = shutil.which("csc-analysis") or str(Path(sys.executable).parent / "csc-analysis")
    return subprocess.run([exe, *args], check=False, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def oldham(published, registry, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ssda903")
    la = registry.resolve("Oldham")
    synth.write(synth.generate(published, la, 2025, 5, seed=0), folder, la)
    return folder


def test_oldham_reproduces_published_stock_starts_and_ceased(oldham):
    # cla_number_and_rate_per_10k_children.csv, Oldham (353), children_count for "looked after on 31 March",
    # "starting" and "ceasing": 2021 526/191/190, 2022 539/174/161, 2023 540/191/190, 2024 590/240/195,
    # 2025 582/197/208.
    counts = ssda903.year_counts(ssda903.read(oldham).episodes, [2021, 2022, 2023, 2024, 2025])
    assert counts.values.tolist() == [
        [2021, 526, 191, 190],
        [2022, 539, 174, 161],
        [2023, 540, 191, 190],
        [2024, 590, 240, 195],
        [2025, 582, 197, 208],
    ]


def test_returns_are_labelled_overlapping_and_coded_for_their_year(oldham):
    assert "SYNTHETIC" in (oldham / "README_SYNTHETIC.txt").read_text()
    h24, h25 = (pd.read_csv(oldham / y / "header.csv", dtype=str) for y in ("2024", "2025"))
    assert h24["CHILD"].str.startswith("SYN-C9").all()
    assert set(h24["SEX"]) == {"1", "2"} and set(h25["SEX"]) == {"M", "F"}
    e24, e25 = (pd.read_csv(oldham / y / "episodes.csv", dtype=str, keep_default_na=False) for y in ("2024", "2025"))
    # Episodes open on 31 March 2024 appear in both returns: without DEC in 2024, and in 2025.
    open24 = e24[e24["DEC"] == ""].set_index(["CHILD", "DECOM"]).index
    assert open24.isin(e25.set_index(["CHILD", "DECOM"]).index).all()
    # Nothing unusable: every row passes the reader's checks (codes valid for their dates).
    assert all(not r.problems for r in ssda903.read(oldham).reports)


def test_nobody_is_looked_after_at_18(oldham):
    eps = ssda903.read(oldham).episodes
    for year in (2021, 2023, 2025):
        now = ssda903.in_care(eps, pd.Timestamp(year, 3, 31))
        assert (now["DOB"] + pd.DateOffset(years=18) > pd.Timestamp(year, 3, 31)).all()


def test_same_seed_same_files(published, registry):
    la = registry.resolve("Rutland")
    a, b = synth.simulate(published, la, seed=3), synth.simulate(published, la, seed=3)
    pd.testing.assert_frame_equal(a, b)


def test_no_published_figures_is_a_clear_error(published, registry):
    with pytest.raises(CscError, match="City of London has no published children looked after"):
        synth.simulate(published, registry.resolve("City of London"))


def test_synth_then_project_from_its_folder(tmp_path):
    made = cli("synth", "--la", "Oldham", "--out", str(tmp_path))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "ssda903" / "2025" / "header.csv").exists() and (
        tmp_path / "ssda903" / "2021" / "episodes.csv"
    ).exists()
    scenario = tmp_path / "scenario.csv"
    scenario.write_text(
        "change,age_band,placement_category,to_category,pct,number\n"
        "entries,13-15,,,-10,\ntransfer,,residential,fostering,,5\n"
    )
    out = cli(
        "project",
        "--la",
        "Oldham",
        "--ssda903",
        str(tmp_path / "ssda903"),
        "--horizon",
        "2",
        "--scenario",
        str(scenario),
        "--format",
        "csv",
    )
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype=str)
    assert list(table.columns) == [
        "la_code",
        "date",
        "placement_category",
        "age_band",
        "kind",
        "children",
        "lo80",
        "hi80",
        "lo95",
        "hi95",
        "cost",
        "cost_low",
        "cost_high",
    ]
    assert set(table["kind"]) == {"actual", "baseline", "scenario"}
    total = table[(table.placement_category == "all") & (table.age_band == "all")].set_index(["kind", "date"])
    assert total.loc[("actual", "2025-03-31"), "children"] == "582.0"
    assert list(total.loc["baseline"].index) == ["2026-03-31", "2027-03-31"]
    res = total.xs("2027-03-31", level="date")
    # Five a month moved out of residential care: the scenario has fewer in residential than the baseline.
    resid = (
        table[(table.placement_category == "residential") & (table.age_band == "all") & (table.date == "2027-03-31")]
        .set_index("kind")["children"]
        .astype(float)
    )
    assert resid["scenario"] < resid["baseline"] - 30
    assert (
        float(res.loc["baseline", "lo95"])
        <= float(res.loc["baseline", "lo80"])
        <= float(res.loc["baseline", "children"])
    )
    assert (
        "Scenario: 10% fewer entries aged 13-15; 5 children a month moved from residential to fostering" in out.stderr
    )
    assert "SYN-C" not in out.stdout + out.stderr
