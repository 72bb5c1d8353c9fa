"""Notebook 03's sentences (words.workforce), against figures read from the source files."""

from csc_analysis import benchmark


def test_agency_staff_spend_sentence(oldham_table):
    from csc_analysis.words import workforce as workforce_words

    # RO3_LA_Data_2024-25_data_by_LA.ods, Oldham, "TOTAL CHILDREN SOCIAL CARE ... agency staff cost memorandum
    # item": 7810 (£ thousands)
    text = workforce_words.agency_spend_sentence(benchmark.headline(oldham_table), "Oldham")
    assert text.startswith("In 2024/25 Oldham spent £7.8m on agency staff in children's social care")
