"""Demand analysis against figures worked by hand from the bundled CSVs."""

import math

import numpy as np
import pytest

from csc_analysis import demand, neighbours
from csc_analysis.errors import CscError


def test_baseline_change_oldham_referrals(published, context):
    la, codes = context("Oldham")
    series = neighbours.comparison_series(published, la, codes, ["referrals_rate_per_10k"])
    change = demand.baseline_change(series, 2019).set_index("year")
    # c1: Oldham referrals 4,751 (2019) and 4,196 (2025); ONS 0-17: 61,442 (mid-2018), 64,069 (mid-2024).
    rate_2019, rate_2025 = 4751 / 61442 * 1e4, 4196 / 64069 * 1e4
    assert change.loc[2019, "la_index"] == pytest.approx(100)
    assert change.loc[2025, "la_index"] == pytest.approx(rate_2025 / rate_2019 * 100)
    assert change.loc[2025, "la_pct"] == pytest.approx((rate_2025 / rate_2019 - 1) * 100)
    row = series.set_index("year")
    assert change.loc[2025, "sn_index"] == pytest.approx(row.loc[2025, "sn_median"] / row.loc[2019, "sn_median"] * 100)
    assert not change.loc[2025, "baseline_missing"]


def test_baseline_missing_for_la_created_in_2024(published, context):
    la, codes = context("Cumberland")
    series = neighbours.comparison_series(published, la, codes, ["referrals_rate_per_10k"])
    change = demand.baseline_change(series, 2019).set_index("year")
    assert change.loc[2025, "baseline_missing"] and math.isnan(change.loc[2025, "la_index"])
    assert not math.isnan(change.loc[2025, "england_index"])


def test_a_zero_baseline_has_no_percentage_change_not_an_infinite_one(published, context):
    # c4 (Section 47s and ICPCs), Isles of Scilly: ICPC 0 in 2019 and 8 in 2025, so the 2025 rate was shown as
    # "inf" % above 2019 in the index chart's table. 2020's 0 against 0 is no change to give either.
    from csc_analysis.words import demand as demand_words

    la, codes = context("Isles of Scilly")
    series = neighbours.comparison_series(published, la, codes, ["icpc_rate_per_10k"])
    change = demand.baseline_change(series, 2019)
    by_year = change.set_index("year")
    assert by_year.loc[2025, "baseline_zero"] and not by_year.loc[2025, "baseline_missing"]
    assert math.isnan(by_year.loc[2025, "la_index"]) and math.isnan(by_year.loc[2025, "la_pct"])
    assert np.isfinite(change[[c for c in change if c.endswith("_pct")]].fillna(0).to_numpy()).all()
    assert not math.isnan(by_year.loc[2025, "england_index"])
    text = demand_words.baseline_sentence(change, series, "icpc_rate_per_10k", "Isles of Scilly", 2019)
    assert text.endswith("its 2019 figure was 0, so its change since then cannot be given as a percentage.")


def test_front_door_conversions_oldham_2025(published, context):
    la, codes = context("Oldham")
    door = demand.front_door(published, la, codes, 2025).set_index("step")
    # c1/c4/d3 2025, Oldham: referrals 4,196; s47 1,846; ICPC 543; CP plans starting 489.
    assert door.loc["s47", "la"] == pytest.approx(1846 / 4196 * 100)
    assert door.loc["icpc", "la"] == pytest.approx(543 / 1846 * 100)
    assert door.loc["cpp_starts", "la"] == pytest.approx(489 / 543 * 100)
    # England 2025: s47 230,590 and ICPC 72,100 (c4 national row).
    assert door.loc["icpc", "england"] == pytest.approx(72100 / 230590 * 100)
    assert door.loc["s47", "sn_n"] == 10


def test_front_door_cumberland_2025(published, context):
    la, codes = context("Cumberland")
    door = demand.front_door(published, la, codes, 2025).set_index("step")
    # Cumberland 2025: referrals 3,367; s47 1,044; ICPC 441; CP plans starting 366.
    assert door.loc["referrals", "count"] == 3367
    assert door.loc["s47", "la"] == pytest.approx(1044 / 3367 * 100)
    assert door.loc["cpp_starts", "la"] == pytest.approx(366 / 441 * 100)


def test_care_flow_cumberland(published, context):
    la, _ = context("Cumberland")
    flow = demand.care_flow(published, la).set_index("year")
    # cla file: Cumberland 2024 at31 482; 2025 starts 182, ceased 207, at31 458; 2021-23 are "z".
    assert list(flow.index) == [2024, 2025]
    assert flow.loc[2025, "net_flow"] == 182 - 207
    assert flow.loc[2025, "at31_change"] == 458 - 482


def test_growth_trend_exact_and_flat():
    years = np.arange(2015, 2025)
    exact = demand.growth_trend(years, 100 * 1.05 ** (years - 2015))
    assert exact["cagr_pct"] == pytest.approx(5.0) and exact["verdict"] == "rising"
    falling = demand.growth_trend(years, 100 * 0.9 ** (years - 2015))
    assert falling["cagr_pct"] == pytest.approx(-10.0) and falling["verdict"] == "falling"
    flat = demand.growth_trend(years, [100, 104, 97, 102, 99, 101, 98, 103, 100, 99])
    assert flat["verdict"] == "no clear trend" and flat["ci_lower_pct"] < 0 < flat["ci_upper_pct"]
    assert demand.growth_trend([2024, 2025], [1, 2])["verdict"] == "not enough data"
    gappy = demand.growth_trend([2019, 2020, 2021, 2022], [10, float("nan"), 12.1, 13.31])
    assert gappy["n_years"] == 3


def test_gaps_name_the_reason(published, context):
    la, _ = context("Cumberland")
    gaps = demand.gaps(published, la, ["referrals_rate_per_10k", "cla_rate_per_10k"], 2013, 2025)
    reasons = gaps.groupby("indicator")["reason"].agg(set)
    assert reasons["referrals_rate_per_10k"] == {"before the LA was created"}
    assert sorted(gaps[gaps.indicator == "referrals_rate_per_10k"].year) == list(range(2013, 2024))
    # The CLA series runs from 2010 (#16): before April 2023 Cumberland did not exist; 2021-2023 are "z".
    assert reasons["cla_rate_per_10k"] == {"before the LA was created", "shown as 'z' in the source"}
    assert sorted(gaps[(gaps.indicator == "cla_rate_per_10k") & (gaps.reason != "before the LA was created")].year) == [
        2021,
        2022,
        2023,
    ]
    london = demand.gaps(published, context("City of London")[0], ["cla_rate_per_10k"], 2013, 2025)
    assert list(london.year) == [2025] and london.reason.item() == "shown as 'c' in the source"


def test_predecessor_context_is_labelled(published, context, registry):
    la, _ = context("Cumberland")
    ctx = demand.predecessor_context(published, la, registry, ["referrals_rate_per_10k"])
    assert set(ctx.label) == {"Cumbria (predecessor, split between 2 LAs)"}
    assert ctx.year.max() == 2023 and ctx.year.min() == 2013
    assert demand.predecessor_context(published, context("Oldham")[0], registry, demand.RATES).empty


def test_pre_pandemic_counts_and_rates(published, registry):
    # c1 referral_count, Oldham (353): 2019 4751, 2020 3871, 2025 4196.
    # ONS 0-17 population, Oldham: mid-2018 61,442 (for 2019), mid-2024 64,069 (for 2025).
    # b1 Anypoint_child, Oldham: 2020 4351, 2025 5697.
    table = demand.pre_pandemic(published, registry.resolve("Oldham"))
    ref = table[table["count_indicator"] == "referrals"].set_index("compared_year")
    assert ref.loc[2020, "year"] == 2025 and ref.loc[2020, "count"] == 4196
    assert ref.loc[2020, "compared_count"] == 3871
    assert ref.loc[2020, "count_change_pct"] == pytest.approx((4196 / 3871 - 1) * 100)
    assert ref.loc[2019, "compared_count"] == 4751
    assert ref.loc[2019, "rate_change_pct"] == pytest.approx(((4196 / 64069) / (4751 / 61442) - 1) * 100)
    cin = table[table["count_indicator"] == "cin_during_year"].set_index("compared_year")
    assert (cin.loc[2020, "count"], cin.loc[2020, "compared_count"]) == (5697, 4351)
    assert set(table["count_indicator"]) == {"referrals", "cin_during_year", "s47", "cpp_at31", "cla_at31"}


def test_pre_pandemic_says_not_in_the_bundled_data_never_zero(published, registry):
    # A year no bundled file covers (here: the tidy table without 2019) is "not in the bundled data".
    table = demand.pre_pandemic(published[published["year"] != 2019], registry.resolve("Oldham"))
    gone = table[table["compared_year"] == 2019]
    assert gone["compared_count"].isna().all() and set(gone["compared_note"]) == {"not in the bundled data"}
    from csc_analysis.charts import demand as demand_charts

    shown = demand_charts.pre_pandemic_table(table, "Oldham").data
    assert set(shown["Year to 31 March 2019"]) == {"not in the bundled data"}
    assert set(shown["Change since 2019"]) == {"–"}


def test_pre_pandemic_rows_for_an_la_created_later(published, registry):
    # Cumberland was created in April 2023: its 2019 and 2020 figures are "before the LA was created", not 0.
    table = demand.pre_pandemic(published, registry.resolve("Cumberland"))
    ref = table[table["count_indicator"] == "referrals"]
    assert set(ref["compared_note"]) == {"before the LA was created"} and ref["count_change_pct"].isna().all()


def test_a_trend_window_under_three_years_and_a_start_after_the_data_are_refused(published, context):
    # `-p trend_years=1` said "too few years of referrals ... to test a trend (1 year(s))", as if the data were short;
    # `-p start_year=2030` failed with "ValueError: cannot convert float NaN to integer". The rates run to 2025.
    la, codes = context("Oldham")
    with pytest.raises(CscError, match=r"^trend_years 2 must be at least 3 years$"):
        demand.trends(published, la, ["referrals_rate_per_10k"], 2024, 2025)
    assert demand.trends(published, la, ["referrals_rate_per_10k"], 2023, 2025)["n_years"].item() == 3
    series = neighbours.comparison_series(published, la, codes, demand.RATES)
    with pytest.raises(CscError, match=r"^start_year 2030 is after the latest year of these rates \(2025\)$"):
        demand.since(series, 2030)
    assert demand.since(series, 2025)["year"].unique().tolist() == [2025]
