"""#14.7: an audit of every chart builder against the chart rules, on the real bundled data.

Each chart is drawn to SVG by vl-convert (the renderer the pack's image export uses) and the drawing is read:

- a legend names each comparator series (a `legend=None` on one channel of a merged legend removes it whole);
- the chosen LA's marks are drawn after (on top of) every comparator's marks in the same panel;
- no text is truncated with an ellipsis (axis, legend and panel labels have pixel limits), and the title is
  drawn whole;
- where the chart's text promises the region, a region mark is drawn.

LAs: Oldham; Isles of Scilly (tiny, many figures suppressed); Bournemouth, Christchurch and Poole (the longest
LA name); Wigan (a name sorting after "Statistical neighbour", so an order by group name puts it underneath).
"""

import xml.etree.ElementTree as ET

import pytest

from csc_analysis import (
    benchmark,
    demand,
    finance,
    inspections,
    load,
    neighbours,
    placements,
    scorecard,
    workforce,
)
from csc_analysis.charts import PALETTE, json_safe
from csc_analysis.charts import benchmark as bench_charts
from csc_analysis.charts import cla_model as cla_charts
from csc_analysis.charts import demand as demand_charts
from csc_analysis.charts import placements as place_charts
from csc_analysis.charts import workforce as wf_charts

SVG = "{http://www.w3.org/2000/svg}"
LAS = ["Oldham", "Isles of Scilly", "Bournemouth, Christchurch and Poole", "Wigan"]
COMPARATOR_COLOURS = {PALETTE[k].lower() for k in ("sn", "neighbour", "region", "other")}
ENGLAND = PALETTE["england"].lower()
LA_COLOUR = PALETTE["la"].lower()
NM, SN, OTHER = "Neighbour median", "Statistical neighbour", "Other LAs"


def _charts(published, registry, sn_models, la_name: str) -> dict:
    """name -> (Figure, legend entries it must show, whether the LA is drawn), as the notebooks build them."""
    data, la = published, registry.resolve(la_name)
    sn = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    name = la.la_name
    series = neighbours.comparison_series(data, la, sn, demand.RATES)
    year = int(series.loc[series["indicator"] == "referrals_rate_per_10k", "year"].max())
    ids = benchmark.HEADLINE_INDICATORS
    table = benchmark.benchmark(data, la, sn, scorecard.with_counts(ids))
    latest = scorecard.travel(table, benchmark.headline(table[table["indicator"].isin(ids)], None))
    different = next(benchmark.most_different(latest, 1).itertuples())
    rate = next(latest[(latest["unit"] == "rate_per_10k") & latest["value"].notna()].itertuples())
    staff = benchmark.benchmark(data, la, sn, workforce.WORKFORCE)
    fin_year = int(data.loc[data["indicator"] == "csc_spend", "year"].max())
    place_year = int(data.loc[data["indicator"] == "new_placements", "year"].max())
    grade_year = int(data.loc[data["indicator"] == "cla_rate_per_10k", "year"].max()) - 1
    joined = inspections.with_indicators(
        inspections.attach_codes(load.ofsted("latest"), registry), data, ["agency_rate_fte"], grade_year
    )
    lines = finance.lines_table(data, la, sn, finance.LINES + finance.CLA_LINES, fin_year)
    groups = [name, SN, OTHER]
    return {
        "small_multiples": (bench_charts.small_multiples(series, name, demand.RATES), [name, NM, "England"], True),
        "volumes": (bench_charts.small_multiples(staff, name, workforce.VOLUMES, england="omit"), [name, NM], True),
        "index": (
            demand_charts.index_chart(demand.baseline_change(series, 2019), name, demand.RATES, 2019),
            [name, NM, "Region", "England"],
            True,
        ),
        "front_door": (
            demand_charts.front_door_chart(demand.front_door(data, la, sn, year), name, year),
            [name, NM, "England"],
            True,
        ),
        "duration": (
            demand_charts.duration_chart(demand.duration_profile(data, la, sn, year), name, year),
            [name, NM, "England"],
            True,
        ),
        "care_flow": (
            demand_charts.care_flow_chart(demand.care_flow(data, la), name),
            ["Started to be looked after", "Ceased to be looked after"],
            False,
        ),
        "ranking": (
            bench_charts.ranking_chart(
                data, different.indicator, different.year, la, sn, benchmark.rank_all(data, ids)
            ),
            groups,
            True,
        ),
        "funnel": (
            bench_charts.funnel_chart(
                benchmark.funnel_frame(data, rate.indicator, rate.year),
                rate.indicator,
                rate.year,
                la,
                sn,
                rate.england_value,
            ),
            groups + ["95% limits", "99.8% limits"],
            True,
        ),
        "scatter": (
            wf_charts.scatter_chart(
                workforce.relationship(data, 2025, "vacancy_rate_fte", "agency_rate_fte"),
                la,
                sn,
                "vacancy_rate_fte",
                "agency_rate_fte",
                2025,
                "s",
            ),
            groups,
            True,
        ),
        "spend_lines": (
            place_charts.spend_lines_chart(lines, name, fin_year),
            [name, NM] + (["Region"] if lines["region"].notna().any() else []) + ["England"],
            True,
        ),
        "location": (
            place_charts.location_chart(placements.location_mix(data, la, sn, place_year), name, place_year),
            [name, NM, "Region", "England"],
            True,
        ),
        "grade": (place_charts.grade_chart(joined, "agency_rate_fte", la, sn, grade_year, "s"), groups, True),
    }


def _walk(element, ancestors=()):
    yield element, ancestors
    for child in element:
        yield from _walk(child, ancestors + (element,))


def _classes(ancestors) -> str:
    return " ".join(a.get("class", "") for a in ancestors)


def _svg(figure):
    import vl_convert

    return ET.fromstring(vl_convert.vegalite_to_svg(json_safe(figure.chart.to_dict())))


def _texts(root, role: str) -> list[str]:
    return ["".join(e.itertext()) for e, anc in _walk(root) if e.tag == SVG + "text" and role in _classes(anc + (e,))]


def _colour(element) -> str:
    fill = (element.get("fill") or "none").lower()
    return fill if fill not in ("none", "transparent") else (element.get("stroke") or "none").lower()


def _scopes(root) -> list:
    """The panels of a faceted chart (each a drawing of its own), else the whole chart."""
    cells = [e for e, _ in _walk(root) if "role-scope cell" in e.get("class", "")]
    return [panel for cell in cells for panel in cell] if cells else [root]


def _drawn(scope) -> list[tuple[str, str]]:
    """(layer, colour) of every data mark in drawing order: no axes, legends, titles or text."""
    out = []
    for element, anc in _walk(scope):
        classes = _classes(anc)
        if element.tag == SVG + "g" or "role-mark" not in classes or "mark-text" in classes:
            continue
        if any(role in classes for role in ("role-legend", "role-axis", "role-title")):
            continue
        layer = next(a.get("class") for a in reversed(anc) if "role-mark" in a.get("class", ""))
        out.append((layer, _colour(element)))
    return out


def _audit(figure, legend: list[str], has_la: bool, la_shown: bool = True) -> list[str]:
    """Every broken rule as a line of text (empty: the chart passes). `la_shown`: the LA has figures to draw
    (Isles of Scilly's are often suppressed, Bournemouth, Christchurch and Poole has no 2019 baseline)."""
    root = _svg(figure)
    problems = []
    shown = _texts(root, "role-legend-label")
    missing = [entry for entry in legend if entry not in shown]
    if missing:
        problems.append(f"legend lacks {missing} (shows {shown})")
    cut = sorted({t for t in _texts(root, "") if "…" in t})
    if cut:
        problems.append(f"truncated text {cut}")
    title = figure.chart.to_dict().get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else title
    drawn_title = " ".join(_texts(root, "role-title-text"))
    if (" ".join(text) if isinstance(text, list) else text) not in drawn_title:
        problems.append(f"title not drawn whole: {drawn_title!r}")
    if has_la:
        panels = 0
        for scope in _scopes(root):
            marks = _drawn(scope)
            own = [i for i, (_, c) in enumerate(marks) if c == LA_COLOUR]
            if not own:
                continue
            panels += 1
            series_layers = {layer for layer, c in marks if c in COMPARATOR_COLOURS | {LA_COLOUR}}
            others = [
                i
                for i, (layer, c) in enumerate(marks)
                if c in COMPARATOR_COLOURS or (c == ENGLAND and layer in series_layers)
            ]
            if others and max(others) > max(own):
                problems.append(f"a comparator mark ({marks[max(others)]}) is drawn over the LA's last mark")
                break
            # within one layer too: the LA's line over the neighbours' line, its point over theirs
            under = sorted({marks[i][0] for i in others if any(j < i for j in own if marks[j][0] == marks[i][0])})
            if under:
                problems.append(f"the LA is drawn under a comparator within {under}")
                break
        if not panels and la_shown:
            problems.append("the LA's colour is not drawn")
    # The region is promised by a legend entry or by the text, unless the text says there is no region figure.
    words = " ".join([figure.alt_text, str(title)]).lower().replace("no region figure", "")
    region_drawn = any(c == PALETTE["region"].lower() for s in _scopes(root) for _, c in _drawn(s))
    if ("region" in words or "Region" in shown) and not region_drawn:
        problems.append("the legend or text names the region but no region mark is drawn")
    return problems


@pytest.fixture(scope="module", params=LAS)
def charts(request, published, registry, sn_models):
    return request.param, _charts(published, registry, sn_models, request.param)


def test_every_chart_follows_the_rules(charts):
    la_name, built = charts
    failures = {
        name: p
        for name, (fig, legend, has_la) in built.items()
        if (p := _audit(fig, legend, has_la, la_shown=la_name == "Oldham"))
    }
    assert not failures, f"{la_name}: " + "; ".join(f"{k}: {v}" for k, v in failures.items())


def test_volumes_chart_leaves_england_out_and_keeps_own_scales(charts):
    """#14.8: the staffing volumes are drawn for the LA and its neighbours only, each panel on its own y scale;
    England (thousands of times larger) is in the data table, not on the axis."""
    figure = charts[1]["volumes"][0]
    assert "England" not in _texts(_svg(figure), "role-legend-label")
    assert figure.chart.to_dict()["resolve"]["scale"]["y"] == "independent"
    assert "England" in figure.table.columns


def test_synthetic_placement_projection_charts(synthetic_projection):
    """Notebook 07's charts (synthetic SSDA903 returns for Oldham): legends name the series, no text is cut."""
    from csc_analysis import cla_model

    res = synthetic_projection
    figures = {
        "mix": (cla_charts.mix_chart(res.table, "Oldham"), []),
        "flows": (cla_charts.flows_chart(cla_model.yearly_flows(res.observed), "Oldham"), ["entries", "exits"]),
        "fan": (cla_charts.fan_chart(res.table, "Oldham"), ["Recorded", "Baseline"]),
        "scenario": (cla_charts.scenario_chart(res.table, "Oldham", "x"), ["Baseline", "Scenario"]),
        "cost": (cla_charts.cost_chart(res.table, "Oldham"), ["baseline", "scenario"]),
    }
    failures = {name: p for name, (fig, legend) in figures.items() if (p := _audit(fig, legend, False))}
    assert "Scenario" not in _texts(_svg(figures["fan"][0]), "role-legend-label")  # the fan draws no scenario
    assert not failures, "; ".join(f"{k}: {v}" for k, v in failures.items())
