"""Placement, spending and inspection analysis against figures read from the bundled files."""

import math

import numpy as np
import pandas as pd
import pytest

from csc_analysis import benchmark, finance, inspections, load, neighbours, placements
from csc_analysis.words import placements as placements_words

from .conftest import national, value


@pytest.fixture(scope="module")
def oldham(registry, sn_models):
    la = registry.resolve("Oldham")
    return la, list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])


def test_new_placement_counts_and_summed_rows(published):
    # la_cla_during_year_new_placements.csv, Oldham 2025: 674 new placements, 223 outside the boundary
    # under 20 miles and 67 over 20 miles (published 33% and 10%).
    assert value(published, "353", "new_placements", 2025).value == 674
    assert value(published, "353", "new_placements_outside_la", 2025).value == 223 + 67
    assert value(published, "353", "new_placements_outside_la_pct", 2025).value == pytest.approx(290 / 674 * 100)
    assert value(published, "353", "new_placements_over20", 2025).value == 6 + 67
    # Camden 2025: the over-20-miles outside cell is "c", so the sum is unknown, not the other cell alone.
    row = value(published, "202", "new_placements_outside_la", 2025)
    assert math.isnan(row.value) and row.status == "c"
    assert value(published, "202", "new_placements_outside_under20", 2025).value == 103
    assert national(published, "new_placements", 2025).value == 90_930


def test_stability_social_workers_and_care_leavers(published):
    # la_cla_placement_stability.csv: Oldham 2025, 124 of 196 with the same carer for 2 years; DfE publishes
    # 63 (%), and a figure DfE publishes is the value (#13.4).
    assert value(published, "353", "long_term_stability_pct", 2025).value == 63
    # la_cla_swcount.csv: Oldham 2024, 186 of 590 had 3 or more social workers (32%).
    assert value(published, "353", "cla_3plus_sw_pct", 2024).value == pytest.approx(186 / 590 * 100)
    assert published[(published.indicator == "cla_3plus_sw_pct")].year.unique().tolist() == [2024]
    # la_care_leavers_activity.csv: Camden 2025, 112 of 194 care leavers aged 19-21 in EET, published as 58 (%).
    assert value(published, "202", "care_leavers_19_21_eet_pct", 2025).value == 58


def test_location_mix(published, oldham):
    la, sn_codes = oldham
    mix = placements.location_mix(published, la, sn_codes, 2025)
    own = mix[mix.group == "Oldham"].set_index("location")
    assert own.at["new_placements_inside_under20", "share_pct"] == pytest.approx(341 / 674 * 100)
    assert own["share_pct"].sum() == pytest.approx(100)  # all five locations published for Oldham in 2025
    eng = mix[mix.group == "England"].set_index("location")
    assert eng.at["new_placements_inside_under20", "count"] == 41_990
    sn = mix[mix.group == "Neighbour median"]
    assert (sn.sn_n <= 10).all() and sn.sn_n.max() == 10
    # 2024: Oldham's inside-over-20-miles cell is suppressed; it stays missing with its symbol.
    own24 = placements.location_mix(published, la, sn_codes, 2024).query("group == 'Oldham'").set_index("location")
    assert math.isnan(own24.at["new_placements_inside_over20", "share_pct"])
    assert own24.at["new_placements_inside_over20", "status"] == "c"


def test_spending_lines(published, oldham):
    la, sn_codes = oldham
    lines = finance.lines_table(published, la, sn_codes, finance.LINES + finance.CLA_LINES, 2025).set_index("indicator")
    assert lines.at["cla_spend", "per_child"] == pytest.approx(50_233_000 / 64_069)
    assert lines.at["cla_spend", "share_pct"] == pytest.approx(50_233 / 86_163 * 100)
    assert lines.loc[finance.LINES, "spend_thousands"].sum() == pytest.approx(86_163)  # the lines add up to the total
    assert math.isnan(lines.at["cla_spend", "region"])  # North West: Cumberland did not report
    # The neighbours' median, by hand: each neighbour's CLA spend over its own mid-2024 child population.
    rows = published[published.la_code.isin(sn_codes)]
    spend = rows[(rows.indicator == "cla_spend") & (rows.year == 2025)].set_index("la_code").value
    pop = rows[(rows.indicator == "population_0_17") & (rows.year == 2024)].set_index("la_code").value
    assert lines.at["cla_spend", "sn_median"] == pytest.approx((spend * 1000 / pop).dropna().median())
    assert lines.at["cla_spend", "england"] == pytest.approx(8_434_512.29579 * 1000 / national(published, "population_0_17", 2024).value)


def test_judgements_for_oldham_and_neighbours(published, registry, sn_models):
    la = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, la, "2025")
    latest = inspections.attach_codes(load.ofsted("latest"), registry)
    table = inspections.neighbour_judgements(latest, la, sn)
    assert list(table.role[:2]) == ["LA", "Neighbour 1"] and len(table) == 11
    assert table.la_name.iloc[0] == "Oldham" and table.overall.iloc[0] == "Good"
    counts = inspections.grade_counts(latest, la, list(sn.la_code))
    assert counts.neighbours.sum() == 10 and counts.england.sum() == 153
    assert counts.region.sum() == sum(1 for x in registry.current() if x.region_name == "North West")
    sentence = placements_words.judgement_sentence(latest[latest.la_code == "353"].iloc[0], "Oldham", counts)
    assert "**Good** overall (inspected 13 May 2024, published 12 July 2024)" in sentence


def test_association_on_a_known_pattern():
    grades = inspections.GRADE_ORDER
    joined = pd.DataFrame({"indicator": "x", "la_code": [f"{i:03d}" for i in range(40)],
                           "overall": [grades[i % 4] for i in range(40)]})
    joined["grade_rank"] = joined["overall"].map({g: i + 1 for i, g in enumerate(grades)})
    joined["value"] = joined["grade_rank"] * 10 + np.arange(40) / 100  # strictly worse grade, higher value
    row = inspections.association(joined).iloc[0]
    assert row["n"] == 40 and row["rho"] > 0.9 and row["p_value"] < 0.001
    assert row["median_outstanding"] < row["median_inadequate"]
    text = inspections.association_sentence(row, "Agency rate", 2024)
    assert "a strong association" in text and "not evidence that one causes the other" in text
    few = inspections.association(joined.head(5)).iloc[0]
    assert math.isnan(few["rho"])
    assert "Too few LAs" in inspections.association_sentence(few, "Agency rate", 2024)


def test_real_association_is_reported_as_association(published, registry):
    latest = inspections.attach_codes(load.ofsted("latest"), registry)
    joined = inspections.with_indicators(latest, published, ["agency_rate_fte"], 2024)
    row = inspections.association(joined).iloc[0]
    # Agency use is higher where grades are worse (median 31.8% at Inadequate against 10.7% at Outstanding).
    assert row["median_inadequate"] > row["median_outstanding"] and row["rho"] > 0
    assert row["n"] == joined.la_code.nunique() > 140


def test_summary_sentences_use_data_units_and_years(published, oldham):
    la, sn_codes = oldham
    table = benchmark.benchmark(published, la, sn_codes, placements.INDICATORS + finance.HEADLINE + ["csc_spend"])
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Oldham"))
    assert "In 2024/25 Oldham spent £86.2m (net)" in text and "£1,345 per child" in text
    assert "43.0% of Oldham's 674 new placements were outside its boundary" in text
    assert "In 2025, 63.0% of children under 16" in text  # DfE publishes 63 (%), the value since #13.4


def test_summary_counts_come_from_the_same_year_as_the_percentage(published, registry, sn_models):
    # Camden's 2025 outside-boundary share is suppressed, so the sentence uses 2024 (50.1%) and must not
    # borrow 2025's count of new placements (280) for it.
    la = registry.resolve("Camden")
    sn_codes = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    table = benchmark.benchmark(published, la, sn_codes, placements.INDICATORS)
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Camden"))
    assert "In the year to 31 March 2024, 50.1% of Camden's new placements were outside its boundary" in text
    assert "280" not in text
