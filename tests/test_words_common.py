"""The words every notebook shares (words.common): ordinals, years, signed changes, symbols and page notes."""

from csc_analysis import load
from csc_analysis.words import common as common_words


def test_every_page_note_carries_the_splice_rule(published):
    text = common_words.notes(load.provenance(), published)
    assert "**Longer series.**" in text and "a year never mixes releases" in text and "cash terms" in text
    assert r"SFR07\_2016\_UD.csv (2015)" in text  # Markdown-escaped like every file name in the notes


def test_ordinals_include_the_teens():
    assert [common_words.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112, 113, 153)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
        "112th",
        "113th",
        "153rd",
    ]


def test_reporting_year_is_the_year_to_31_march():
    assert common_words.reporting_year(2025) == "2024/25"
    assert common_words.reporting_year("2000") == "1999/00"
    assert common_words.reporting_year(2025.0) == "2024/25"  # a year read as a float from a table


def test_a_suppressed_count_is_named_never_zero():
    assert common_words.figure(4196) == "4,196"
    assert common_words.figure(4196.4) == "4,196"
    assert common_words.figure("c") == "c (suppressed)"


def test_changes_in_words_and_signs():
    assert common_words.pct_phrase(12.4) == "12% above"
    assert common_words.pct_phrase(-8.6) == "9% below"
    assert common_words.pct_phrase(0.4) == "about the same as"
    assert common_words.pct_phrase(float("nan")) == "not comparable with"
    # Bury's referrals, 2,916 (2019) -> 2,905 (2025): -0.377%, which rounds to nothing.
    assert common_words.signed_pct((2905 / 2916 - 1) * 100) == "0%"
    assert common_words.signed_pct(0.04, 1) == "0.0%"
    assert common_words.signed_pct(40.95) == "+41%"
    assert common_words.signed_pct(-12.0) == "-12%"


def test_a_label_inside_a_sentence_keeps_its_acronym():
    assert common_words.short_label("Referrals per 10,000 children") == "referrals per 10,000 children"
    assert common_words.short_label("ICPCs within 15 working days (%)") == "ICPCs within 15 working days (%)"


def test_every_symbol_is_explained_in_the_footnote():
    text = common_words.symbols_footnote()
    for symbol in ("c", "x", "z", "k", "u", "low"):
        assert f"`{symbol}` " in text
    assert "`c` suppressed to protect confidentiality (small numbers)" in text
