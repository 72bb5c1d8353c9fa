"""Notebook 05's sentences on placements and spending (words.placements), against figures read from the source files."""

from csc_analysis import benchmark, finance, neighbours, placements
from csc_analysis.words import placements as placements_words


def test_summary_sentences_use_data_units_and_years(published, oldham_neighbours):
    la, sn_codes = oldham_neighbours
    table = benchmark.benchmark(published, la, sn_codes, placements.INDICATORS + finance.HEADLINE + ["csc_spend"])
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Oldham"))
    assert "In 2024/25 Oldham spent £86.2m (net)" in text and "£1,345 per child" in text
    assert "43.0% of Oldham's 674 new placements were outside its boundary" in text
    assert "In 2025, 63% of children under 16" in text  # DfE publishes 63 (%), the value since #13.4, shown so


def test_summary_counts_come_from_the_same_year_as_the_percentage(published, registry, sn_models):
    # Camden's 2025 outside-boundary share is suppressed, so the sentence uses 2024 (50.1%) and must not
    # borrow 2025's count of new placements (280) for it.
    la = registry.resolve("Camden")
    sn_codes = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    table = benchmark.benchmark(published, la, sn_codes, placements.INDICATORS)
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Camden"))
    assert "In the year to 31 March 2024, 50.1% of Camden's new placements were outside its boundary" in text
    assert "280" not in text


def test_a_share_of_spending_under_one_percent_is_not_rounded_to_a_misleading_zero(published, registry, sn_models):
    # RO3 2024-25 (RO3_LA_Data_2024-25_data_by_LA.ods, sheet RO3_LA_Data_202425): Sandwell's children looked
    # after net current expenditure is -20 (£ thousand) of 107,338 in total, -0.0186%; England's row 8,434,512.3
    # of 15,556,137.2, 54.2%. The sentence said "children looked after took -0% of it".
    la = registry.resolve("Sandwell")
    sn_codes = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    table = benchmark.benchmark(published, la, sn_codes, finance.HEADLINE + ["csc_spend"])
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Sandwell"))
    assert "-0%" not in text and "took" not in text
    assert "children looked after came to -0.02% of it (England 54.2%)" in text
    assert "do not show what looking after children costs Sandwell" in text


def test_the_share_of_spending_on_children_looked_after_is_given_as_a_whole_percentage(published, oldham_neighbours):
    # RO3 2024-25, Oldham (E08000004): children looked after 50,233 of 86,163 (£ thousand) net = 58.30%.
    la, sn_codes = oldham_neighbours
    table = benchmark.benchmark(published, la, sn_codes, finance.HEADLINE + ["csc_spend"])
    text = " ".join(placements_words.placements_summary(benchmark.headline(table), "Oldham"))
    assert "; children looked after took 58% of it." in text
