"""Notebook 04's tables and charts (charts.benchmark), against figures read from the source files."""

from csc_analysis import benchmark, neighbours, scorecard
from csc_analysis.charts import benchmark as bench_charts


def test_headline_table_shows_counts_and_direction_of_travel(oldham_table):
    rows = scorecard.travel(
        oldham_table, benchmark.headline(oldham_table[oldham_table["indicator"].isin(benchmark.HEADLINE_INDICATORS)])
    )
    shown = bench_charts.headline_table(rows, "Oldham").data.set_index("Indicator")
    agency = shown.loc["Agency social workers (% of FTE)"]
    assert agency["Count"] == "39.0 FTE"
    assert agency["1 year"] == "↗ improving (from 32.3% in 2024)"
    assert agency["3 years"] == "↗ improving (from 42.8% in 2023)"
    assert shown.loc["Children looked after per 10,000 children", "Count"] == "582"


def _layer(chart_dict, mark):
    return next(
        layer
        for layer in chart_dict["layer"]
        if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == mark
    )


def test_ranking_bars_do_not_stack_tied_values(published, sn_models, registry, data_folder):
    # #13.1 csww 2025 vacancy_rate_fte: Oldham 17.7; many LAs share a value (e.g. several at 0),
    # so bars placed by rank overlapped and Vega-Lite stacked them (Oldham's reached about 71%).
    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    ranks = benchmark.rank_all(published, ["vacancy_rate_fte"])
    fig = bench_charts.ranking_chart(published, "vacancy_rate_fte", 2025, la, sn, ranks)
    spec = fig.chart.to_dict()
    bars = _layer(spec, "bar")
    assert bars["encoding"]["y"].get("stack", "default") is None  # a bar's length is its own value
    rows = spec["datasets"][bars["data"]["name"]]
    x = bars["encoding"]["x"]["field"]
    assert len({r[x] for r in rows}) == len(rows)  # one position per bar, ties included
    ranks_2025 = [r["rank"] for r in rows]
    assert len(set(ranks_2025)) < len(ranks_2025)  # there are ties in the data
    assert next(r["value"] for r in rows if r["la_name"] == "Oldham") == 17.7


def test_funnel_chart_names_its_method(published, sn_models, registry):
    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    frame = benchmark.funnel_frame(published, "cla_rate_per_10k", 2025)
    england = published.query(
        "geographic_level == 'national' and indicator == 'cla_rate_per_10k' and year == 2025"
    ).value.item()
    fig = bench_charts.funnel_chart(frame, "cla_rate_per_10k", 2025, la, sn, england)
    subtitle = " ".join(fig.chart.to_dict()["title"]["subtitle"])
    assert "over-dispersion" in subtitle and "Spiegelhalter" in subtitle and "Spiegelhalter" in fig.alt_text


def test_small_multiples_mark_and_list_flagged_values(published, sn_models, registry):
    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = benchmark.benchmark(published, la, sn, ["turnover_rate_fte"])
    row = table.set_index("year").loc[2022]
    assert row.value == 0 and isinstance(row.flag, str)
    fig = bench_charts.small_multiples(table, la.la_name, ["turnover_rate_fte"])
    assert "2022" in fig.alt_text and "unusual" in fig.alt_text.lower()
    spec = fig.chart.to_dict()
    assert any(
        layer.get("mark", {}).get("shape") == "triangle-down"
        for layer in spec["spec"]["layer"]
        if isinstance(layer.get("mark"), dict)
    )


def test_staffing_volumes_leave_england_off_the_las_axis(published, sn_models, registry):
    # #14.8: England's 36,186.3 FTE in post (csww 2025, national row, inpost_fte) on Oldham's axis (217.3)
    # made Oldham a flat line at zero. With england="omit" England is not drawn nor in the legend, and
    # its figures stay in the data table.
    from csc_analysis import workforce

    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = benchmark.benchmark(published, la, sn, workforce.VOLUMES)
    fig = bench_charts.small_multiples(table, la.la_name, workforce.VOLUMES, england="omit")
    layers = fig.chart.to_dict()["spec"]["layer"]
    folds = [t["fold"] for layer in layers for t in layer.get("transform", []) if "fold" in t]
    assert folds == [["Neighbour median", "Oldham"]]  # folded in reverse: the LA's line is drawn last, on top
    colour = next(layer["encoding"]["color"] for layer in layers if "color" in layer.get("encoding", {}))
    assert colour["scale"]["domain"] == ["Oldham", "Neighbour median"]
    in_post = fig.table[
        (fig.table["indicator"] == "Children and family social workers in post (FTE)") & (fig.table["year"] == 2025)
    ].iloc[0]
    assert in_post["England"] == 36186.3 and in_post["Oldham"] == 217.3
    assert "England's totals are in the data table" in fig.alt_text
    assert (
        "England"
        in bench_charts.small_multiples(table, la.la_name, ["agency_rate_fte"]).chart.to_dict()["spec"]["layer"][1][
            "transform"
        ][0]["fold"]
    )


def test_small_multiples_display_data_is_valid_json(published, registry, sn_models):
    """A chart's data with NaN in an object column (the `flag` column) must still be JSON: Jupyter printed a
    serialisation warning into Oldham's demand page."""
    import json

    from csc_analysis import demand
    from csc_analysis.charts import benchmark as charts

    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la)["la_code"])
    series = neighbours.comparison_series(published, la, sn, demand.RATES)
    data, _ = charts.small_multiples(series, la.la_name, demand.RATES).mime_bundle()
    json.dumps(data, allow_nan=False)


def test_small_multiples_without_the_neighbours_band_for_counts(published, oldham_neighbours):
    from csc_analysis.charts import benchmark as charts

    target, sn_codes = oldham_neighbours
    series = neighbours.comparison_series(published, target, sn_codes, ["cla_at31"])
    with_band = charts.small_multiples(series, "Oldham", ["cla_at31"], england="omit").chart.to_dict()
    without = charts.small_multiples(series, "Oldham", ["cla_at31"], england="omit", band=False).chart.to_dict()
    marks = [[layer["mark"]["type"] for layer in spec["spec"]["layer"]] for spec in (with_band, without)]
    assert marks[0][0] == "area" and "area" not in marks[1]
    assert "their range is in the data table" in without["title"]["subtitle"]
