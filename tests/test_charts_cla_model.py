"""Notebook 07's charts (charts.cla_model) on a projection of SYNTHETIC returns."""

import json

import pytest

from csc_analysis import cla_model
from csc_analysis.charts import cla_model as charts


def test_chart_specs_are_valid_json_with_hidden_counts(synthetic_projection):
    # Hidden counts ("c") sit in object columns; as NaN they made invalid JSON that the PNG export refused.
    res = synthetic_projection
    assert (res.table["children"] == "c").any()
    figures = [
        charts.mix_chart(res.table, "Oldham"),
        charts.flows_chart(cla_model.yearly_flows(res.observed), "Oldham"),
        charts.fan_chart(res.table, "Oldham"),
        charts.scenario_chart(res.table, "Oldham", "x"),
        charts.cost_chart(res.table, "Oldham"),
    ]
    for fig in figures:
        json.loads(fig.chart.to_json(indent=None), parse_constant=lambda c: pytest.fail(f"{c} in chart JSON"))
