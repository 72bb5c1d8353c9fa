"""The benchmarking engine against values worked by hand from the raw CSVs."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from csc_analysis import neighbours

CSWW = "csww_indicators_2017_to_2025.csv"


def raw_rows(data_folder, name, year):
    """LA rows of a raw download for one year, read with the csv module (not the package)."""
    with open(data_folder / name, encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["time_period"] == str(year)
                and r["geographic_level"] == "Local authority"]


@pytest.fixture(scope="module")
def oldham(published, sn_models, registry):
    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    return neighbours.benchmark(published, la, sn).set_index(["indicator", "year"])


def test_sn_median_and_mean_oldham_agency_2024(oldham):
    row = oldham.loc[("agency_rate_fte", 2024)]
    # csww 2024, Oldham's 2025-model neighbours: 889 8.8, 350 24, 354 20.3, 380 31.8, 335 11.2,
    # 831 0.4, 861 24.2, 331 9.3, 333 15.2, 330 Birmingham "u" (ignored).
    vals = [8.8, 24, 20.3, 31.8, 11.2, 0.4, 24.2, 9.3, 15.2]
    assert row.value == 32.3
    assert row.sn_n == 9
    assert row.sn_median == 15.2
    assert row.sn_mean == pytest.approx(sum(vals) / 9)
    assert row.vs_sn == "worse"  # 32.3 is more than 5% above 15.2 and lower is better
    assert row.change_1y == pytest.approx(32.3 - 42.8)  # 2023: 42.8
    assert row.direction == "improving"


def test_rank_with_polarity_and_ties_against_raw_file(oldham, data_folder):
    rows = raw_rows(data_folder, CSWW, 2024)
    values = []
    for r in rows:
        try:
            v = float(r["agency_rate_fte"])
        except ValueError:
            continue
        values += [v] * len(r["old_la_code"].split(" / "))  # the joint Northamptonshire return counts for both
    row = oldham.loc[("agency_rate_fte", 2024)]
    assert row.n_ranked == len(values)
    assert row["rank"] == 1 + sum(v < 32.3 for v in values)  # lower is better
    assert row.quartile == (row["rank"] - 1) * 4 // row.n_ranked + 1 == 4


def test_ties_share_the_lowest_rank(published):
    ranks = neighbours.rank_all(published, ["agency_rate_fte"])
    r24 = ranks[ranks.year == 2024].merge(
        published[(published.indicator == "agency_rate_fte") & (published.year == 2024)], on="la_code")
    # Four LAs report 0% agency in 2024 (lower is better): all share rank 1.
    zero = r24[r24.value == 0]
    assert len(zero) == 4 and set(zero["rank"]) == {1}
    assert r24[r24.value > 0]["rank"].min() == 5


def test_neutral_indicator_ranks_high_to_low(oldham, data_folder):
    row = oldham.loc[("cla_at31", 2025)]
    counts = [float(r["children_count"]) for r in raw_rows(data_folder, "cla_number_and_rate_per_10k_children.csv", 2025)
              if r["population_type"] == "Children looked after on 31 March each year"
              and r["children_count"].replace(".", "").isdigit()]
    assert row["rank"] == 1 + sum(c > 582 for c in counts)
    assert row.vs_sn == "n/a" and row.direction == "n/a"
    assert "high-to-low" in row.rank_order


def test_vs_sn_rule():
    assert neighbours.judge(0.05, "lower_is_better", 0.05, ("better", "similar", "worse")) == "similar"
    assert neighbours.judge(0.051, "lower_is_better", 0.05, ("better", "similar", "worse")) == "worse"
    assert neighbours.judge(-0.2, "lower_is_better", 0.05, ("better", "similar", "worse")) == "better"
    assert neighbours.judge(0.2, "higher_is_better", 0.05, ("better", "similar", "worse")) == "better"
    assert neighbours.judge(0.2, "neutral", 0.05, ("better", "similar", "worse")) == "n/a"
    assert neighbours.judge(float("nan"), "lower_is_better", 0.05, ("better", "similar", "worse")) == "n/a"


def test_neighbour_created_in_2024_is_missing_in_early_years(published, sn_models, registry, data_folder):
    # Cumberland (942), created April 2023, is a 2025-model neighbour of LAs that have data from 2013.
    host = sn_models.query("model == '2025' and neighbour_code == '942' and la_code != '943'").la_code.iloc[0]
    la = registry.resolve(host)
    codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = neighbours.benchmark(published, la, codes, ["referrals"]).set_index("year")
    c1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    for year in (2019, 2023, 2025):
        numeric = [r for r in raw_rows(data_folder, c1, year)
                   if r["old_la_code"] in codes and r["referral_count"].isdigit()]
        assert table.loc[year, "sn_n"] == len(numeric)
        assert table.loc[year, "sn_median"] == pd.Series([float(r["referral_count"]) for r in numeric]).median()
        assert ("942" in {r["old_la_code"] for r in numeric}) == (year >= 2024)


def test_region_and_england_are_published_rows(oldham, published):
    row = oldham.loc[("referrals", 2025)]
    assert row.england_value == 632_830
    nw = published.query("geographic_level == 'regional' and la_name == 'North West' and indicator == 'referrals' and year == 2025")
    assert row.region_value == nw.value.item()


def test_confidence_interval_and_vs_england(oldham):
    row = oldham.loc[("cla_rate_per_10k", 2025)]
    assert row.ci_lower < row.value < row.ci_upper
    assert row.vs_england == ("higher" if row.ci_lower > row.england_value else
                              "lower" if row.ci_upper < row.england_value else "similar")
    pct = oldham.loc[("rereferral_pct", 2025)]
    assert pct.ci_lower <= pct.value <= pct.ci_upper + 0.1


def test_cli_contract_columns(tmp_path):
    exe = Path(sys.executable).parent / "csc-analysis"
    out = subprocess.run([exe, "benchmark", "--la", "Oldham", "--format", "csv"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(table.columns[:17]) == neighbours.BENCHMARK_COLUMNS
    assert set(table.indicator) == set(__import__("csc_analysis.catalogue", fromlist=["x"]).load_catalogue())
    assert not table.duplicated(["indicator", "year"]).any()
    assert table.query("indicator == 'agency_rate_fte' and year == 2024").value.item() == 32.3


def test_cli_year_outside_data():
    exe = Path(sys.executable).parent / "csc-analysis"
    out = subprocess.run([exe, "benchmark", "--la", "Oldham", "--year", "1999"], capture_output=True, text=True)
    assert out.returncode == 1 and "year 1999 is outside the data" in out.stderr
