"""Notebook 07's charts (charts.cla_model) on a projection of SYNTHETIC returns."""

import pytest

from csc_analysis.synth import ssda903 as synth


def test_chart_specs_are_valid_json_with_hidden_counts(published, registry, tmp_path):
    # Hidden counts ("c") sit in object columns; as NaN they made invalid JSON that the PNG export refused.
    import json as js

    from csc_analysis import cla_model, ssda903
    from csc_analysis.charts import cla_model as charts

    la = registry.resolve("Oldham")
    synth.write(synth.generate(published, la), tmp_path, la)
    weekly, _ = cla_model.published_costs(published, la.la_code)
    res = cla_model.project(
        ssda903.read(tmp_path), 3, 1, cla_model.check_scenario(cla_model.EXAMPLE_SCENARIO), weekly, sims=200
    )
    assert (res.table["children"] == "c").any()
    figures = [
        charts.mix_chart(res.table, "Oldham"),
        charts.flows_chart(cla_model.yearly_flows(res.observed), "Oldham"),
        charts.fan_chart(res.table, "Oldham"),
        charts.scenario_chart(res.table, "Oldham", "x"),
        charts.cost_chart(res.table, "Oldham"),
    ]
    for fig in figures:
        js.loads(fig.chart.to_json(indent=None), parse_constant=lambda c: pytest.fail(f"{c} in chart JSON"))
