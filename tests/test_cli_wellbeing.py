"""Issue #16 item 14: `benchmark` and `data` for every new theme, through click's CliRunner. Directions, ranking
and confidence intervals follow the existing rules (README, "Benchmarking rules"); figures are read by hand from
the bundled files (raw cells quoted)."""

import io

import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis.cli import cli

# (indicator, year, value, benchmark `direction` on the year, rank order): raw cells
CASES = [
    # la_conviction_health_outcome_cla.csv, Oldham, "Convicted or subject to youth cautions ...": 2025 "9,3",
    # 2024 "9,4": 4 -> 3 is -25%, improving when lower is better.
    ("cla_convicted_pct", 2025, 3, "improving", "1 = lowest (lower is better)"),
    # la_conviction_health_outcome_cla.csv, Oldham, "Health assessments ... Had their annual health assessment":
    # 2025 "397,94" (2024 "...,95"): 95 -> 94 is -1.1%, stable (within ±2%).
    ("cla_health_assessment_pct", 2025, 94, "stable", "1 = highest (higher is better)"),
    # la_children_who_were_missing_or_away_...csv, Oldham, "Percentage of children who had a missing incident
    # during the year": 2022 "12", 2023 "13": +8.3%, worsening when lower is better.
    ("cla_missing_pct", 2023, 13, "worsening", "1 = lowest (lower is better)"),
    # la_care_leavers_intouch.csv, Oldham, Aged 19 to 21, "Local authority in touch with care leaver": 2024
    # "180,96" (2023 "...,93"): +3.2%, improving when higher is better.
    ("care_leavers_19_21_intouch_pct", 2024, 96, "improving", "1 = highest (higher is better)"),
    # la_care_leavers_activity.csv, Oldham, 19 to 21 years, "Total not in education, employment or training":
    # 2024 "102,54", 2023 "75,46": +17%, worsening when lower is better.
    ("care_leavers_19_21_neet_pct", 2024, 54, "worsening", "1 = lowest (lower is better)"),
    # absence_la.csv, Oldham, six half terms, CLA 12 months at 31 March, Total: 202425 pt_overall "8.6",
    # 202324 "9.2": -6.5%, improving when lower is better.
    ("edu_cla_absence_pct", 2025, 8.6, "improving", "1 = lowest (lower is better)"),
    # RSX_LA_Data_2024-25_data_by_LA.ods, Oldham, Children Social Care net current expenditure "86163";
    # neutral: no direction.
    ("csc_net_spend", 2025, 86163, "n/a", "1 = highest (neutral: ranked high-to-low)"),
    # SFR27_2010_March.csv "LA,353,Oldham,349,...": the series from 2010; no direction before 2011.
    ("cla_at31", 2010, 349, "n/a", "1 = highest (neutral: ranked high-to-low)"),
]


def invoke(*args) -> pd.DataFrame:
    out = CliRunner().invoke(cli, [*args, "--format", "csv"])
    assert out.exit_code == 0, out.output
    # "n/a" is a word in the direction and comparison columns, not a missing value.
    return pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str}, keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("indicator, year, expected, direction, rank_order", CASES)
def test_benchmark_new_indicators(indicator, year, expected, direction, rank_order):
    rows = invoke("benchmark", "--la", "Oldham", "--indicator", indicator).set_index("year")
    row = rows.loc[year]
    assert row["value"] == expected and row["la_name"] == "Oldham" and row["indicator"] == indicator
    assert row["direction"] == direction
    assert row["rank_order"] == rank_order and 1 <= row["rank"] <= row["n_ranked"]


def test_benchmark_convictions_against_neighbours_with_wilson_interval():
    # la_conviction_health_outcome_cla.csv 2025: Oldham "9,3" of "Total ages 10 to 17 years,274,100";
    # neighbours (2025 model) 0, 3, 4, 2, c, 5, c, 2, 2, c -> 7 with a value, median 2; England "800,2".
    # Wilson 95% for 9/274 (p = 0.03285, z = 1.96): centre (p + z²/2n)/(1 + z²/n) = 0.03931, half-width
    # z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) = 0.02193: 1.74% to 6.12%, which contains England's 2%: similar.
    row = invoke("benchmark", "--la", "Oldham", "--indicator", "cla_convicted_pct", "--year", "2025").iloc[0]
    assert (row["sn_median"], row["sn_n"], row["england_value"], row["vs_sn"]) == (2, 7, 2, "worse")
    assert row["ci_lower"] == pytest.approx(1.74, abs=0.01) and row["ci_upper"] == pytest.approx(6.12, abs=0.01)
    assert row["vs_england"] == "similar"


def test_benchmark_keeps_a_missing_rate_missing():
    # cla_rate_per_10k before 2013: no ONS mid-year population in the bundled file, so `x`, never 0.
    rows = invoke("benchmark", "--la", "Oldham", "--indicator", "cla_rate_per_10k").set_index("year")
    assert rows.loc[2010, "status"] == "x" and pd.isna(rows.loc[2010, "value"])


def test_data_for_every_new_theme():
    ids = [case[0] for case in CASES]
    rows = invoke("data", "--la", "Oldham", *[a for i in ids for a in ("--indicator", i)])
    got = rows.set_index(["indicator", "year"])["value"]
    for indicator, year, expected, _, _ in CASES:
        assert got[indicator, year] == expected
    assert set(rows["la_code"]) == {"353"}
