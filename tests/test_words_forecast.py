"""Notebook 02's sentences (words.forecast) on forecasts whose backtest is worked by hand."""

from csc_analysis import forecast

from .test_forecast import ZIGZAG  # 100, 120 alternating: naive is the headline


def test_naive_headline_text_never_says_naive_did_not_beat_naive():
    from csc_analysis.words import forecast as forecast_words

    result = forecast.annual(ZIGZAG, 2)
    text = forecast_words.backtest_sentence(result)
    assert "did not beat" not in text and "No model beat" in text and "6 forecasts" in text
