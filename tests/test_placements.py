"""Placement, spending and inspection analysis against figures read from the bundled files."""

import math

import pytest

from csc_analysis import placements

from .conftest import national, value


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


def test_location_mix(published, oldham_neighbours):
    la, sn_codes = oldham_neighbours
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
