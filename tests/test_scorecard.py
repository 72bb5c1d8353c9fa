"""The scorecard and direction of travel, checked against figures read from the source files."""

import pytest

from csc_analysis import benchmark, neighbours, scorecard

# csww_indicators_2017_to_2025.csv, old_la_code 353 (Oldham), agency_rate_fte:
#   2023 42.8, 2024 32.3, 2025 15.2
# Oldham's 2025 neighbours (sn_model_2025_wide.csv: 889 350 354 380 335 831 861 331 330 333) in 2025:
#   8.1 25.3 15.7 22.2 7.7 0 15.9 6.1 12.4 9.9 -> median (9.9 + 12.4) / 2 = 11.15, shown 11.2%
# England 2025: 13


@pytest.fixture(scope="module")
def oldham_card(published, registry, sn_models):
    la = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, la)
    table = benchmark.benchmark(published, la, list(sn["la_code"]), scorecard.indicators())
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
    assert row["travel"] == (
        "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: "
        "improving, still above neighbours' 11.2%."
    )
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
    row = {
        "indicator": "agency_rate_fte",
        "unit": "percent",
        "year": 2025,
        "value": 43.04,
        "year_3y": 2023,
        "value_3y": 42.96,
        "year_1y": 2024,
        "value_1y": 43.0,
        "direction_3y": "stable",
        "direction_1y": "stable",
        "sn_median": float("nan"),
        "sn_position": "n/a",
        "vs_sn": "n/a",
    }
    assert scorecard.travel_sentence(row) == "Agency social workers (% of FTE) was 43.0% in both 2023 and 2025: stable."


# --- counts beside rates and direction of travel in headline tables and summaries (#14 items 1-2) -------------


def test_count_beside_each_rate_comes_from_the_catalogue():
    from csc_analysis import catalogue

    assert catalogue.count_of("cla_rate_per_10k") == "cla_at31"  # a derived rate's numerator
    assert catalogue.count_of("agency_rate_fte") == "agency_fte"  # a published rate's `count:`
    assert catalogue.count_of("caseload_fte") == "cases"
    assert catalogue.count_of("referrals") is None  # a count has none
    assert scorecard.with_counts(["referrals_rate_per_10k", "vacancy_rate_fte"]) == [
        "referrals_rate_per_10k",
        "referrals",
        "vacancy_rate_fte",
        "vacancy_fte",
    ]


def test_travel_gives_headline_rows_their_count_and_both_directions(oldham_table):
    rows = scorecard.travel(
        oldham_table, benchmark.headline(oldham_table[oldham_table["indicator"].isin(benchmark.HEADLINE_INDICATORS)])
    ).set_index("indicator")
    # csww_indicators_2017_to_2025.csv, Oldham: agency_fte 2025 39 (agency_rate_fte 42.8, 32.3, 15.2 above)
    agency = rows.loc["agency_rate_fte"]
    assert agency["count"] == 39 and agency["count_unit"] == "fte"
    assert (agency["year_1y"], agency["value_1y"], agency["year_3y"], agency["value_3y"]) == (2024, 32.3, 2023, 42.8)
    # cla_number_and_rate_per_10k_children.csv, Oldham, 31 March: 2023 540 (86), 2024 590 (93), 2025 582 (91).
    # The rate is neutral: 91 against 93 is -2.2%, beyond the ±2% stable band, so "falling"; against 86, "rising".
    cla = rows.loc["cla_rate_per_10k"]
    assert cla["count"] == 582 and cla["direction_1y"] == "falling" and cla["direction_3y"] == "rising"
    # c1 referral_count 2025: 4196; d5 CPP_At31 2025: 441
    assert rows.loc["referrals_rate_per_10k", "count"] == 4196 and rows.loc["cpp_rate_per_10k", "count"] == 441


def test_icpcs_within_15_days_in_the_headline(oldham_table):
    # c4 2025: Oldham 505 / 543 = 93.0%. Neighbours (0-10 + 11-15) / ICPC: Blackburn 300/494 60.7, Bolton 402/446
    # 90.1, Rochdale 336/386 87.0, Bradford 473/645 73.3, Derby 292/306 95.4, Birmingham 1728/2094 82.5,
    # Coventry 443/519 85.4, Sandwell 384/466 82.4, Stoke 459/505 90.9, Walsall 314/357 88.0 -> median 86.2%.
    row = benchmark.headline(oldham_table).set_index("indicator").loc["icpc_within_15d_pct"]
    assert row["value"] == pytest.approx(93.0, abs=0.01) and row["year"] == 2025
    assert row["sn_median"] == pytest.approx((443 / 519 + 336 / 386) / 2 * 100)
    assert row["vs_sn"] == "better"


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


def test_figures_show_as_many_decimals_as_dfe_publishes(oldham_card, oldham_table):
    """#14 numbers in text: a whole-number DfE percentage reads 94%, not 94.0%, in the scorecard and the
    sentences; a one-decimal one keeps its decimal."""
    from csc_analysis.words import wellbeing

    # la_conviction_health_outcome_cla.csv, Oldham 2025, "Had their annual health assessment": 397, 94 (%)
    rows = scorecard.travel(oldham_table, benchmark.headline(oldham_table)).set_index("indicator")
    health = rows.loc["cla_health_assessment_pct"].to_dict() | {"indicator": "cla_health_assessment_pct"}
    assert (health["year"], health["value"]) == (2025, 94)
    assert health["travel"].startswith(
        "Children looked after 12+ months had their annual health assessment (%) was 94% in both 2023 and 2025"
    )
    assert ".0%" not in health["travel"]  # the neighbours' median reads the same way
    sentence = wellbeing.measure_sentence(health, "Oldham")
    assert ": 94% in the year to 31 March 2025 for Oldham" in sentence
    assert ".0%" not in sentence  # the neighbours' median and England read the same way
    title = wellbeing.section_title(rows.reset_index(), "cla_health_assessment_pct", "Oldham")
    assert title.startswith("Oldham, 2025: ") and " 94%" in title and ".0%" not in title
    # c1 file, Oldham 2025: rereferral_percent 21.1 (DfE publishes one decimal)
    shown = scorecard.display_table(oldham_card.reset_index()).set_index(oldham_card.index)
    assert shown.loc["rereferral_pct", "Latest"] == "21.1% (2025)"
    assert "21.1% in 2025" in oldham_card.loc["rereferral_pct", "travel"]
