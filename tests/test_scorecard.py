"""The scorecard and direction of travel, checked against figures read from the source files."""

import pytest

from csc_analysis import neighbours, scorecard

# csww_indicators_2017_to_2025.csv, old_la_code 353 (Oldham), agency_rate_fte:
#   2023 42.8, 2024 32.3, 2025 15.2
# Oldham's 2025 neighbours (sn_model_2025_wide.csv: 889 350 354 380 335 831 861 331 330 333) in 2025:
#   8.1 25.3 15.7 22.2 7.7 0 15.9 6.1 12.4 9.9 -> median (9.9 + 12.4) / 2 = 11.15, shown 11.2%
# England 2025: 13


@pytest.fixture(scope="module")
def oldham_card(published, registry, sn_models):
    la = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, la)
    table = neighbours.benchmark(published, la, list(sn["la_code"]), scorecard.indicators())
    return scorecard.build(table).set_index("indicator")


def test_direction_respects_polarity():
    assert scorecard.direction(42.8, 15.2, "lower_is_better") == "improving"
    assert scorecard.direction(42.8, 15.2, "higher_is_better") == "worsening"
    assert scorecard.direction(100, 101.9, "lower_is_better") == "stable"  # within 2%
    assert scorecard.direction(100, 97, "neutral") == "falling"
    assert scorecard.direction(float("nan"), 3, "neutral") == "n/a"


def test_oldham_agency_direction_of_travel(oldham_card):
    row = oldham_card.loc["agency_rate_fte"]
    assert (row["year"], row["value"], row["value_1y"], row["value_3y"]) == (2025, 15.2, 32.3, 42.8)
    assert row["direction_1y"] == "improving" and row["direction_3y"] == "improving"
    assert row["sn_median"] == pytest.approx(11.15)
    assert row["travel"] == ("Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: "
                             "improving, still above neighbours' 11.2%.")
    assert row["marker"] == "▼ Worse"


def test_counts_beside_rates(oldham_card):
    # cla_number_and_rate_per_10k_children.csv, Oldham 2025, on 31 March: 582;
    # c1 referral_count 2025: 4196; d5 CPP_At31 2025: 441
    assert oldham_card.loc["cla_rate_per_10k", "count"] == 582
    assert oldham_card.loc["referrals_rate_per_10k", "count"] == 4196
    assert oldham_card.loc["cpp_rate_per_10k", "count"] == 441


def test_neutral_indicators_never_say_best(oldham_card):
    neutral = oldham_card[oldham_card["polarity"] == "neutral"]
    assert len(neutral) > 0
    assert not neutral["rank_text"].str.contains("best").any()
    assert neutral["quartile_text"].str.contains("highest|lowest").all()
    assert neutral["marker"].str.startswith(("◇", "●", "–")).all()
    assert set(neutral["direction_1y"]) <= {"rising", "falling", "stable", "n/a"}


def test_display_table_has_one_row_per_indicator(oldham_card):
    shown = scorecard.display_table(oldham_card.reset_index())
    assert len(shown) == len(oldham_card)
    assert shown.loc[shown["Indicator"].str.startswith("Children looked after per"), "Count"].iloc[0].startswith("582")


def test_travel_sentence_says_unchanged_when_equal_as_published():
    row = {"indicator": "agency_rate_fte", "unit": "percent", "year": 2025, "value": 43.04, "year_3y": 2023,
           "value_3y": 42.96, "year_1y": 2024, "value_1y": 43.0, "direction_3y": "stable", "direction_1y": "stable",
           "sn_median": float("nan"), "sn_position": "n/a", "vs_sn": "n/a"}
    assert scorecard.travel_sentence(row) == "Agency social workers (% of FTE) was 43.0% in both 2023 and 2025: stable."


def test_index_scorecard_links_rows_and_escapes(oldham_card):
    """#14.4: one row per headline indicator, linked to the page that explains it, marker in words."""
    from csc_analysis import report

    card = oldham_card.reset_index()
    pages = {"03_caseload_agency": {"files": ["03_caseload_agency.html"], "title": "Workforce"}}
    page = report.scorecard_html(card, pages, "Ofsted (ILACS): <b>Good</b>")
    assert page.count("<tr>") == len(card) + 1
    assert '<a href="03_caseload_agency.html">Agency social workers (% of FTE)</a>' in page
    assert "Referrals per 10,000 children</td>" in page  # its page (01) is not in this pack: no link
    assert "▼ Worse" in page and "&lt;b&gt;Good&lt;/b&gt;" in page and "<b>Good" not in page
