"""inspections: Ofsted judgements, their association with indicators, and history.

Judgements as at 31 March 2024 and 2025, monitoring and focused visits, peers (#14.6, #16.11).

Expected values are read by hand from the bundled workbooks; the cells are quoted beside each test
(row numbers are the spreadsheet's, 1-based).
"""

import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis import inspections, load, neighbours
from csc_analysis.cli import cli
from csc_analysis.errors import CscError
from csc_analysis.words import placements as placements_words


@pytest.fixture(scope="module")
def snapshots(registry):
    return inspections.attach_codes(load.ofsted_snapshots(), registry)


@pytest.fixture(scope="module")
def visits(registry):
    return inspections.attach_codes(load.ofsted_visits(), registry)


@pytest.fixture(scope="module")
def latest(registry):
    return inspections.attach_codes(load.ofsted("latest"), registry)


def test_both_snapshots_cover_every_current_la(snapshots, registry):
    # Inspections_31_March_2024: 153 LAs from row 4; rows 33 and 148, Cumberland and Westmorland and Furness,
    # "Not yet inspected" with no grades. The 2024 sheets have no ONS codes: "Durham" (row 41) is County Durham.
    assert snapshots.groupby("as_at").size().to_dict() == {
        pd.Timestamp("2024-03-31"): 153,
        pd.Timestamp("2025-03-31"): 153,
    }
    assert {la.la_code for la in registry.current()} == set(snapshots.loc[snapshots.as_at.dt.year == 2024, "la_code"])
    not_yet = snapshots[snapshots.inspection_date.isna()]
    assert sorted(not_yet.la_name) == ["Cumberland", "Westmorland and Furness"] and not_yet.overall.isna().all()
    assert (not_yet.as_at.dt.year == 2024).all()


def test_tameside_february_2025_monitoring_visit(visits, latest, snapshots, registry):
    # LA_Inspection_Outcomes_as_at_31_March_2025.ods, In-year_inspections row 99: E08000008 | Tameside |
    # North West | 2025-02-13 | 2025-03-25 | LA Monitoring visit | (five blank grade cells) |
    # Children in need/subject to a plan. Inspections_as_at_31_March row 132: inspected 2023-12-04, Inadequate.
    # The 2023-24 list (Inspections_in_year_2023-24) has Tameside only at row 82, its standard inspection.
    tameside = registry.resolve("Tameside")
    since = inspections.visits_since(visits, latest, tameside)
    assert len(since) == 1
    visit = since.iloc[0]
    assert (visit.visit_date, visit.visit_type, visit.theme, visit.publication_date) == (
        pd.Timestamp("2025-02-13"),
        "monitoring visit",
        "Children in need/subject to a plan",
        pd.Timestamp("2025-03-25"),
    )
    phrase = inspections.latest_visit_phrase(since, inspections.coverage(visits))
    assert phrase == "Latest visit: monitoring visit, February 2025 (visits are not graded)."
    records = inspections.la_records(snapshots, visits, tameside)
    assert list(records.record) == ["judgement", "judgement", "visit"]
    assert records.iloc[2][["overall", "leaders", "care_leavers"]].isna().all()  # no grade invented for a visit


def test_york_judgement_changed_between_snapshots(snapshots, registry):
    # 2024 Inspections_31_March_2024 row 156: York | 2022-03-07 | Requires improvement to be good x4 | (blank).
    # 2025 Inspections_as_at_31_March row 156: E06000014 | York | 2025-02-24 | 2025-04-15 | Outstanding x5.
    history = inspections.judgement_history(snapshots, registry.resolve("York")).set_index("judgement")
    assert list(history.columns) == ["31 March 2024", "31 March 2025", "change"]
    assert list(history.loc["Inspected"]) == ["7 March 2022", "24 February 2025", "re-inspected"]
    assert list(history.loc["Overall effectiveness"]) == ["Requires improvement", "Outstanding", "improved"]
    assert pd.isna(history.loc["Care leavers", "31 March 2024"])
    assert history.loc["Care leavers", "change"] == "first graded"
    sentence = inspections.history_sentence(history.reset_index(), "York")
    assert sentence == (
        "York's overall judgement improved: **Requires improvement** at 31 March 2024 (inspected "
        "7 March 2022), **Outstanding** at 31 March 2025 (inspected 24 February 2025)."
    )
    changes = inspections.judgement_changes(snapshots).set_index("la_name")
    # Cheshire West and Chester: 2024 row 28 Good (2019-03-18), 2025 row 28 Requires improvement (2024-07-15).
    assert changes.loc["Cheshire West and Chester", ["before", "after", "change"]].tolist() == [
        "Good",
        "Requires improvement",
        "declined",
    ]
    assert changes.loc["Tameside", "change"] == "same inspection"


def test_york_focused_visit_predates_its_last_inspection(visits, latest, registry):
    # Inspections_in_year_2023-24 row 42: York | 2023-08-01 | ILACS Focused Visit | Care leavers; York was
    # re-inspected on 2025-02-24 (2025 In-year_inspections row 115, a standard inspection, not a visit).
    york = registry.resolve("York")
    own = inspections.own_visits(visits, york)
    assert list(zip(own.visit_date, own.visit_type, own.theme)) == [
        (pd.Timestamp("2023-08-01"), "focused visit", "Care leavers")
    ]
    assert pd.isna(own.publication_date.iloc[0])  # the 2024 sheet has no publication date: left empty
    assert inspections.visits_since(visits, latest, york).empty


def test_liverpool_visits_from_both_years(visits, latest, registry):
    # 2024 in-year row 109: Liverpool | 2024-03-19 | LA Monitoring visit | Children in need/subject to a plan.
    # 2025 in-year rows 57-59: 2025-03-25 Vulnerable adolescents, 2024-12-10 Care leavers, 2024-07-08 Achieving
    # permanence, all LA Monitoring visit. Last inspection 2023-03-13 (2024 in-year row 8, Inadequate).
    since = inspections.visits_since(visits, latest, registry.resolve("Liverpool"))
    assert list(since.visit_date.dt.strftime("%Y-%m-%d")) == ["2024-03-19", "2024-07-08", "2024-12-10", "2025-03-25"]
    assert set(since.visit_type) == {"monitoring visit"}
    assert list(since.theme) == [
        "Children in need/subject to a plan",
        "Achieving permanence",
        "Care leavers",
        "Vulnerable adolescents",
    ]


def test_oldham_has_no_visits(visits, latest, registry):
    # Oldham appears in neither in-year list as a visit: 2025 In-year_inspections row 72 is its standard
    # inspection (2024-05-13, Good); Inspections_in_year_2023-24 has no Oldham row.
    oldham = registry.resolve("Oldham")
    assert inspections.own_visits(visits, oldham).empty
    since = inspections.visits_since(visits, latest, oldham)
    # First and last visit dates in the two lists: 2023-02-28 (Bury, 2024 row 4), 2025-03-26 (Barking and Dagenham).
    assert inspections.latest_visit_phrase(since, inspections.coverage(visits)) == (
        "No monitoring or focused visit listed since (Ofsted's in-year lists, February 2023 to March 2025)."
    )
    assert (
        "Ofsted's in-year lists bundled here cover February 2023 to March 2025; earlier visits are not in them."
        in inspections.visits_sentence(since, latest, oldham, inspections.coverage(visits))
    )


def test_tameside_against_neighbours_and_region(latest, registry, sn_models):
    # sn_model_2025_wide.csv, 357 Tameside: 372 390 354 370 384 332 894 879 394 880. Their overall grades in
    # Inspections_as_at_31_March: Rotherham, Gateshead, Barnsley, Kirklees, Torbay Good; Rochdale, Dudley,
    # Plymouth Requires improvement; Sunderland, Telford & Wrekin Outstanding: all 10 better than Inadequate.
    # Ofsted region "North West": 24 LAs, 7 Inadequate (Bury, Cheshire East, Halton, Knowsley, Liverpool,
    # Sefton, Tameside), 6 RI, 11 Good: of the 23 others, 17 better, 6 the same.
    tameside = registry.resolve("Tameside")
    sn = list(neighbours.sn_table(sn_models, registry, tameside, "2025")["la_code"])
    table = inspections.peer_comparison(latest, tameside, sn).set_index("group")
    assert table.loc["Statistical neighbours", ["las", "better", "same", "worse", "most_common"]].tolist() == [
        10,
        10,
        0,
        0,
        "Good",
    ]
    assert table.loc["North West (other LAs)", ["las", "better", "same", "worse"]].tolist() == [23, 17, 6, 0]
    assert inspections.peer_sentence(table.reset_index(), latest, tameside).startswith(
        "Tameside is judged **Inadequate** overall: 10 of 10 neighbours hold a better grade, 0 the same"
    )


def test_ofsted_command_prints_judgements_and_visits():
    result = CliRunner().invoke(cli, ["ofsted", "--la", "Tameside", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "la_code,record,as_at,date,type,overall,leaders,help_and_protection,children_in_care,care_leavers,theme",
        (
            "357,judgement,2024-03-31,2023-12-04,ILACS inspection,Inadequate,Inadequate,Inadequate,Inadequate,"
            "Requires improvement,"
        ),
        (
            "357,judgement,2025-03-31,2023-12-04,ILACS inspection,Inadequate,Inadequate,Inadequate,Inadequate,"
            "Requires improvement,"
        ),
        "357,visit,2025-03-31,2025-02-13,monitoring visit,,,,,,Children in need/subject to a plan",
    ]
    table = CliRunner().invoke(cli, ["ofsted", "--la", "Oldham"])
    assert table.exit_code == 0 and "visit" not in table.output.split("\n\n")[0]
    assert "not graded" in table.output


def test_scorecard_line_names_the_latest_visit(registry):
    from csc_analysis import report

    _, line = report.pack_scorecard(registry.resolve("Tameside"), None)
    assert line == (
        "Ofsted (ILACS): Inadequate overall, inspected 04 December 2023. "
        "Latest visit: monitoring visit, February 2025 (visits are not graded)."
    )


def test_workbook_text_is_escaped_in_sentences(registry):
    la = registry.resolve("Oldham")
    since = pd.DataFrame(
        {
            "as_at": [pd.Timestamp("2025-03-31")],
            "visit_date": [pd.Timestamp("2025-01-10")],
            "visit_type": ["focused visit"],
            "theme": ["<b>Front door</b> *now*"],
            "publication_date": [pd.NaT],
        }
    )
    latest = pd.DataFrame({"la_code": ["353"], "inspection_date": [pd.Timestamp("2024-05-13")]})
    text = inspections.visits_sentence(since, latest, la, "February 2023 to March 2025")
    assert "<b>" not in text and "&lt;b&gt;Front door&lt;/b&gt; \\*now\\*" in text


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
    joined = pd.DataFrame(
        {"indicator": "x", "la_code": [f"{i:03d}" for i in range(40)], "overall": [grades[i % 4] for i in range(40)]}
    )
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


def test_attach_codes_matches_by_name_where_the_ons_code_is_blank_or_unknown(registry):
    # The 2024 workbook has no ONS codes: a blank or missing code falls back to the name, as does a code the
    # published data does not know; Ofsted's "Durham" is the data's County Durham (absence_la.csv:
    # "North East,840,County Durham,E06000047"); Oldham 353 and Wigan 359, both North West
    # (New_Statistical_Neighbour_Groupings_April_2021.csv: "353,Oldham,353,5,North West", "359,Wigan,359,5,North West").
    frame = pd.DataFrame(
        {"ons_code": [None, "", float("nan"), "E99999999"], "la_name": ["Oldham", "Durham", "Wigan", "Oldham"]}
    )
    out = inspections.attach_codes(frame, registry)
    assert list(out["la_code"]) == ["353", "840", "359", "353"]
    assert list(out["region_name"]) == ["North West", "North East", "North West", "North West"]
    with pytest.raises(CscError, match="'Nowhere'"):
        inspections.attach_codes(pd.DataFrame({"ons_code": [""], "la_name": ["Nowhere"]}), registry)
