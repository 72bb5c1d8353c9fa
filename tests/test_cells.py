"""cells: numbers and symbols from published cells."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_analysis import cells
from csc_analysis.errors import CscError

numbers = st.one_of(st.integers(0, 10**7).map(str), st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.1f}"))


@given(st.lists(st.one_of(numbers, st.sampled_from(cells.SYMBOLS + ("C", " x ", ""))), min_size=1))
def test_parse_numbers_keeps_symbols_and_numbers(raw):
    values, status = cells.parse_numbers(pd.Series(raw, dtype=str), "file.csv, column v")
    for cell, v, s in zip(raw, values, status):
        text = cell.strip()
        if text == "":
            assert math.isnan(v) and s is None
        elif text.lower() in cells.SYMBOLS:
            assert math.isnan(v) and s == text.lower()
        else:
            assert v == float(text) and s is None


@given(st.text(alphabet="abdefghijmnoqrstvwy-#?!", min_size=1, max_size=6))
def test_unknown_text_in_a_number_column_is_an_error(word):
    with pytest.raises(CscError, match=r"column v: value .* is neither a number nor a symbol"):
        cells.parse_numbers(pd.Series(["1", word]), "file.csv, column v")
