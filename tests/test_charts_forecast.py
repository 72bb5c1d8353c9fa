"""Notebook 02's chart (charts.forecast): what is drawn where, checked in the Vega-Lite spec."""

import pandas as pd

from csc_analysis import forecast


def test_scenario_chart_draws_the_interval_around_the_scenario_line():
    import json

    from csc_analysis.charts import forecast as charts

    hist = pd.DataFrame({"period": [2024, 2025], "value": [100.0, 100.0]})
    base = pd.DataFrame(
        {"period": [2026], "mean": [100.0], "lo80": [90.0], "hi80": [110.0], "lo95": [80.0], "hi95": [120.0]}
    )
    scen = forecast.scenario(base, 50)
    spec = json.loads(charts.forecast_chart(hist, base, "X", "Referrals", "t", scenario=scen).chart.to_json())
    datasets = spec["datasets"]
    areas = [
        layer
        for layer in spec["layer"]
        if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == "area"
    ]
    assert areas
    for layer in areas:
        rows = datasets[layer["data"]["name"]]
        assert [r["hi95"] for r in rows] == [180.0] and [r["lo80"] for r in rows] == [135.0]
