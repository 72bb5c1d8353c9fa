"""inspections: Ofsted judgements and their association with indicators."""

import math

import numpy as np
import pandas as pd

from csc_analysis import inspections, load, neighbours
from csc_analysis.words import placements as placements_words


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
