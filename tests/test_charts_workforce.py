"""Notebook 03's charts (charts.workforce): scales, bands and titles on real and hand-made figures."""

from csc_analysis import neighbours, workforce


def _compiled(figure):
    import json

    import vl_convert

    return json.loads(json.dumps(vl_convert.vegalite_to_vega(figure.chart.to_json())))


def test_scatter_keeps_outliers_on_the_page_and_has_a_legend(published, registry, sn_models):
    """#14.9: Isles of Scilly (vacancy 100%, agency 100% in 2025) must not squash the other LAs;
    #14.7: the LA / neighbour / other grouping has a legend."""
    from csc_analysis.charts import workforce as charts

    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la)["la_code"])
    rel = workforce.relationship(published, 2025, "vacancy_rate_fte", "agency_rate_fte")
    fig = charts.scatter_chart(rel, la, sn, "vacancy_rate_fte", "agency_rate_fte", 2025, "s")
    vega = _compiled(fig)
    assert vega.get("legends"), "no legend"
    x_domain = next(s["domain"] for s in vega["scales"] if s["name"] == "x")
    assert x_domain[1] < 100  # the axis is not stretched to Isles of Scilly's 100%
    assert "Isles of Scilly: 100.0%, 100.0% (off scale)" in fig.alt_text
    assert "Isles of Scilly" in set(fig.table["la_name"])  # kept in the data table


def test_scatter_band_never_below_zero(published):
    from csc_analysis.charts import workforce as charts
    from csc_analysis.registry import LA  # noqa: F401 - documents the type passed below

    rel = workforce.relationship(published, 2025, "turnover_rate_fte", "agency_rate_fte")
    rel["fit"] = rel["fit"].assign(lower=rel["fit"]["lower"] - 50)  # a band that would dip below 0%
    la = type("LA", (), {"la_code": "353", "la_name": "Oldham"})()
    fig = charts.scatter_chart(rel, la, [], "turnover_rate_fte", "agency_rate_fte", 2025, "s")
    band = next(d for d in fig.chart.to_dict()["datasets"].values() if d and "lower" in d[0])
    assert min(r["lower"] for r in band) >= 0


def test_team_chart_title_with_every_figure_suppressed():
    """Isles of Scilly in demo mode: a handful of workers, so every caseload figure is "c"; the chart says so
    instead of failing on the "c"."""
    import pandas as pd

    from csc_analysis.charts import workforce as charts

    teams = pd.DataFrame(
        {
            "team": ["Smaller teams (combined)", "All teams"],
            "workers": ["c", "c"],
            "caseload_per_fte": ["c", "c"],
            "agency_pct": ["c", "c"],
        }
    )
    fig = charts.team_chart(teams, 18, 25)
    assert "suppressed (fewer than 5 workers)" in fig.alt_text and "c overall" not in fig.alt_text
