"""words: sentences written from the data."""

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
