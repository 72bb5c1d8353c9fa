"""The benchmarking engine against values worked by hand from the raw CSVs."""

import contextlib
import csv
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis import benchmark, catalogue, neighbours
from csc_analysis.cli import cli

CSWW = "csww_indicators_2017_to_2025.csv"


def raw_rows(data_folder, name, year):
    """LA rows of a raw download for one year, read with the csv module (not the package)."""
    with open(data_folder / name, encoding="utf-8-sig", newline="") as fh:
        return [
            r
            for r in csv.DictReader(fh)
            if r["time_period"] == str(year) and r["geographic_level"] == "Local authority"
        ]


@pytest.fixture(scope="module")
def oldham(published, sn_models, registry):
    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    return benchmark.benchmark(published, la, sn).set_index(["indicator", "year"])


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
    values, lows = [], 0
    for r in rows:
        lows += r["agency_rate_fte"] == "low"  # a positive value below 0.05: ranked below 32.3
        try:
            v = float(r["agency_rate_fte"])
        except ValueError:
            continue
        values += [v] * len(r["old_la_code"].split(" / "))  # the joint Northamptonshire return counts for both
    row = oldham.loc[("agency_rate_fte", 2024)]
    assert lows == 1
    assert row.n_ranked == len(values) + lows
    assert row["rank"] == 1 + sum(v < 32.3 for v in values) + lows  # lower is better
    assert row.quartile == (row["rank"] - 1) * 4 // row.n_ranked + 1 == 4


def test_ties_share_the_lowest_rank(published):
    ranks = benchmark.rank_all(published, ["agency_rate_fte"])
    r24 = ranks[ranks.year == 2024].merge(
        published[(published.indicator == "agency_rate_fte") & (published.year == 2024)], on="la_code"
    )
    # Four LAs report 0% agency in 2024 (lower is better): all share rank 1; then Sunderland's "low"
    # (a positive value that rounds to 0) at 5; the smallest positive value at 6.
    zero = r24[r24.value == 0]
    assert len(zero) == 4 and set(zero["rank"]) == {1}
    assert r24[r24.status == "low"]["rank"].tolist() == [5]
    assert r24[r24.value > 0]["rank"].min() == 6


def test_neutral_indicator_ranks_high_to_low(oldham, data_folder):
    row = oldham.loc[("cla_at31", 2025)]
    counts = [
        float(r["children_count"])
        for r in raw_rows(data_folder, "cla_number_and_rate_per_10k_children.csv", 2025)
        if r["population_type"] == "Children looked after on 31 March each year"
        and r["children_count"].replace(".", "").isdigit()
    ]
    assert row["rank"] == 1 + sum(c > 582 for c in counts)
    assert row.vs_sn == "n/a" and row.direction == "n/a"
    assert "high-to-low" in row.rank_order


def test_vs_sn_rule():
    assert benchmark.judge(0.05, "lower_is_better", 0.05, ("better", "similar", "worse")) == "similar"
    assert benchmark.judge(0.051, "lower_is_better", 0.05, ("better", "similar", "worse")) == "worse"
    assert benchmark.judge(-0.2, "lower_is_better", 0.05, ("better", "similar", "worse")) == "better"
    assert benchmark.judge(0.2, "higher_is_better", 0.05, ("better", "similar", "worse")) == "better"
    assert benchmark.judge(0.2, "neutral", 0.05, ("better", "similar", "worse")) == "n/a"
    assert benchmark.judge(float("nan"), "lower_is_better", 0.05, ("better", "similar", "worse")) == "n/a"


def test_neighbour_created_in_2024_is_missing_in_early_years(published, sn_models, registry, data_folder):
    # Cumberland (942), created April 2023, is a 2025-model neighbour of LAs that have data from 2013.
    host = sn_models.query("model == '2025' and neighbour_code == '942' and la_code != '943'").la_code.iloc[0]
    la = registry.resolve(host)
    codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = benchmark.benchmark(published, la, codes, ["referrals"]).set_index("year")
    c1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    for year in (2019, 2023, 2025):
        numeric = [
            r for r in raw_rows(data_folder, c1, year) if r["old_la_code"] in codes and r["referral_count"].isdigit()
        ]
        assert table.loc[year, "sn_n"] == len(numeric)
        assert table.loc[year, "sn_median"] == pd.Series([float(r["referral_count"]) for r in numeric]).median()
        assert ("942" in {r["old_la_code"] for r in numeric}) == (year >= 2024)


def test_region_and_england_are_published_rows(oldham, published):
    row = oldham.loc[("referrals", 2025)]
    assert row.england_value == 632_830
    nw = published.query(
        "geographic_level == 'regional' and la_name == 'North West' and indicator == 'referrals' and year == 2025"
    )
    assert row.region_value == nw.value.item()


def test_confidence_interval_and_vs_england(oldham):
    # cla_number_and_rate_per_10k_children.csv 2025, CLA on 31 March: Oldham children_count 582, rate_per_10000 91;
    # England rate_per_10000 67. ons_mid-year_population_estimates_2012_to_2024.csv 2024, Oldham aged 0 to 17: 64069.
    # Byar 95%: 582 * (1 - 1/(9*582) - 1.96/(3*sqrt(582)))**3 = 535.67 and 583 * (1 - 1/(9*583) + 1.96/(3*sqrt(583)))**3
    # = 631.26 children, per 10,000 of 64069: 83.61 to 98.53. England's 67 is below it: Oldham is "higher".
    row = oldham.loc[("cla_rate_per_10k", 2025)]
    assert (row.value, row.england_value) == (91, 67)
    assert row.ci_lower == pytest.approx(83.61, abs=0.01) and row.ci_upper == pytest.approx(98.53, abs=0.01)
    assert row.vs_england == "higher"
    # c1 2025: Oldham referral_count 4196, rereferral_count 887, rereferral_percent 21.1; England 22.6.
    # Wilson 95% on 887/4196 (p = 0.21139): centre (p + 1.96**2/8392) / (1 + 1.96**2/4196) = 0.21166, half-width
    # 1.96 * sqrt(p(1-p)/4196 + 1.96**2/(4*4196**2)) / (1 + 1.96**2/4196) = 0.01235: 19.93% to 22.40%.
    # England's 22.6 is above it: Oldham is "lower".
    pct = oldham.loc[("rereferral_pct", 2025)]
    assert (pct.value, pct.england_value) == (21.1, 22.6)
    assert pct.ci_lower == pytest.approx(19.93, abs=0.01) and pct.ci_upper == pytest.approx(22.40, abs=0.01)
    assert pct.vs_england == "lower"


def test_cli_contract_columns():
    out = CliRunner().invoke(cli, ["benchmark", "--la", "Oldham", "--format", "csv"])
    assert out.exit_code == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"la_code": str})
    assert list(table.columns[:17]) == benchmark.BENCHMARK_COLUMNS
    assert set(table.indicator) == set(catalogue.load_catalogue())
    assert not table.duplicated(["indicator", "year"]).any()
    assert table.query("indicator == 'agency_rate_fte' and year == 2024").value.item() == 32.3


def test_cli_year_outside_data():
    out = CliRunner().invoke(cli, ["benchmark", "--la", "Oldham", "--year", "1999"])
    assert out.exit_code == 1
    assert out.stderr == "Error: year 1999 is outside the data (2010-2025)\n"


def _frame(values, indicator):
    """A tiny tidy frame: LAs A, B, C, D with the given values (a string is a DfE symbol)."""
    rows = []
    for code, v in zip("ABCD", values):
        num = isinstance(v, (int, float))
        rows.append(
            {
                "year": 2025,
                "geographic_level": "la",
                "la_code": code,
                "new_la_code": code,
                "la_name": code,
                "region_name": "R",
                "indicator": indicator,
                "value": float(v) if num else float("nan"),
                "status": None if num else v,
            }
        )
    return pd.DataFrame(rows)


def test_low_ranks_below_every_positive_value():
    # #13.3 DfE "low": positive but rounds to zero. Ordered above an exact 0, below every positive value.
    lower = benchmark.rank_all(_frame([0, "low", 0.1, 5], "agency_rate_fte"), ["agency_rate_fte"])
    assert list(lower.sort_values("la_code")["rank"]) == [1, 2, 3, 4]
    assert set(lower["n_ranked"]) == {4}
    higher = benchmark.rank_all(_frame([0, "low", 0.1, 5], "long_term_stability_pct"), ["long_term_stability_pct"])
    assert list(higher.sort_values("la_code")["rank"]) == [4, 3, 2, 1]
    # other symbols stay unranked
    other = benchmark.rank_all(_frame([0, "c", 0.1, 5], "agency_rate_fte"), ["agency_rate_fte"])
    assert set(other["la_code"]) == {"A", "C", "D"} and set(other["n_ranked"]) == {3}


def test_sunderland_low_agency_rate_ranks_after_zeros(published, data_folder):
    # csww 2025: Sunderland (394) agency_rate_fte "low"; it ranks after the LAs reporting 0 (lower is
    # better) and before every positive value.
    rows = raw_rows(data_folder, CSWW, 2025)
    values = []
    for r in rows:
        with contextlib.suppress(ValueError):
            values += [float(r["agency_rate_fte"])] * len(r["old_la_code"].split(" / "))
    lows = [r["old_la_code"] for r in rows if r["agency_rate_fte"] == "low"]
    assert lows == ["394"]
    ranks = benchmark.rank_all(published, ["agency_rate_fte"]).query("year == 2025").set_index("la_code")
    assert ranks.loc["394", "rank"] == 1 + sum(v == 0 for v in values)
    assert ranks.loc["394", "n_ranked"] == len(values) + 1
    # Oldham (15.2) ranks after every LA below 15.2 and after Sunderland.
    assert ranks.loc["353", "rank"] == 1 + 1 + sum(v < 15.2 for v in values)


def test_neighbour_summary_counts_low_as_zero_and_says_so(registry):
    tidy = _frame([3, "low", 2, 4], "agency_rate_fte")
    la = registry.resolve("Oldham")
    tidy.loc[tidy["la_code"] == "A", "la_code"] = la.la_code
    out = neighbours.comparison_series(tidy, la, ["B", "C", "D"], ["agency_rate_fte"]).iloc[0]
    assert out.sn_n == 3 and out.sn_min == 0 and out.sn_median == 2 and out.sn_mean == pytest.approx(2)
    assert "low" in out.sn_note and "0" in out.sn_note
    table = benchmark.benchmark(tidy, la, ["B", "C", "D"], ["agency_rate_fte"])
    assert list(table.columns[:17]) == benchmark.BENCHMARK_COLUMNS
    assert table.columns[-2:].tolist() == ["sn_note", "flag"]


def test_rank_on_published_rounded_rate(published, data_folder):
    # #13.4 cla_number_and_rate_per_10k_children.csv 2025, Oldham: children_count 582, rate_per_10000 91.
    # The rank is on DfE's published whole-number rates, ties sharing a rank (neutral: 1 = highest).
    rows = [
        r
        for r in raw_rows(data_folder, "cla_number_and_rate_per_10k_children.csv", 2025)
        if r["population_type"] == "Children looked after on 31 March each year"
    ]
    rates = [float(r["rate_per_10000"]) for r in rows if r["rate_per_10000"].isdigit()]
    ranks = benchmark.rank_all(published, ["cla_rate_per_10k"]).query("year == 2025").set_index("la_code")
    assert ranks.loc["353", "rank"] == 1 + sum(r > 91 for r in rates)
    assert ranks.loc["353", "n_ranked"] == len(rates)


def test_published_percentage_beside_suppressed_count(published):
    # #13.4 la_cla_placement_stability.csv 2025, City of London (201), CLA on 31 March:
    # "Total children" c,c; "With 3 or more placements during the year" 0,0 -> DfE publishes 0%.
    row = published.query("la_code == '201' and indicator == 'cla_3plus_placements_pct' and year == 2025")
    assert row.value.item() == 0 and pd.isna(row.status.item())


def test_abolished_la_falls_back_to_2021_groupings():
    # #13.6 Cumbria (909), Northamptonshire (928), Dorset (835), Poole (836), Bournemouth (837) are not in
    # the 2025 model; the April 2021 groupings have them (e.g. "909,Cumbria,...,925,...").
    for code in ("909", "928", "835", "836", "837"):
        result = CliRunner().invoke(cli, ["benchmark", "--la", code, "--indicator", "referrals", "--format", "csv"])
        assert result.exit_code == 0, result.output
        note = result.stderr.strip().splitlines()
        assert len(note) == 1 and "2021" in note[0] and "2025" in note[0]
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"la_code": str})
    assert set(table.la_code) == {"837"}


def test_funnel_limits_allow_for_overdispersion(published):
    # #13.7 plain Poisson limits put most LAs outside 99.8%; the random-effects limits do not.
    frame = benchmark.funnel_frame(published, "cla_rate_per_10k", 2025)
    england = published.query(
        "geographic_level == 'national' and indicator == 'cla_rate_per_10k' and year == 2025"
    ).value.item()
    tau2 = benchmark.funnel_tau2(frame, england, 10_000)
    assert tau2 > 0
    where = [benchmark.funnel_position(v, p, england, 10_000, tau2) for v, p in zip(frame.value, frame.population)]
    outside = sum("99.8%" in w for w in where)
    assert outside < len(where) / 4


def test_vacancies_covered_by_agency_oldham_2025(oldham):
    # #13.2 csww 2025: Oldham vacancy_agency_cover_rate_fte 83.4 (agency_cover_rate_fte 100); England 73.6.
    row = oldham.loc[("vacancy_agency_cover_rate_fte", 2025)]
    assert row.value == 83.4 and row.england_value == 73.6
    assert oldham.loc[("agency_cover_rate_fte", 2025)].value == 100
