"""Charts for placements, spending, inspections and the looked-after projection (notebook 05)."""

import zlib

import altair as alt
import pandas as pd

from ..catalogue import format_value, get
from ..inspections import GRADE_ORDER
from ..words.common import SYMBOL_MEANINGS, reporting_year, short_label
from . import PALETTE, Figure, base_config, draw_order, group_scales, la_groups

GROUP_COLOURS = {"Neighbour median": PALETTE["sn"], "Region": PALETTE["region"], "England": PALETTE["england"]}
# Okabe-Ito colours not used for the LA, for categories such as placement types.
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]


def _group_scale(la_name: str) -> alt.Scale:
    domain = [la_name] + list(GROUP_COLOURS)
    return alt.Scale(domain=domain, range=[PALETTE["la"]] + list(GROUP_COLOURS.values()))


def location_chart(mix: pd.DataFrame, la_name: str, year: int) -> Figure:
    """Where the year's new placements were made: the LA's shares beside neighbours, region and England."""
    own = mix[mix["group"] == la_name].set_index("location")["share_pct"]
    outside = own.get("new_placements_outside_under20") + own.get("new_placements_outside_over20")
    eng = mix[mix["group"] == "England"].set_index("location")["share_pct"]
    eng_out = eng.get("new_placements_outside_under20") + eng.get("new_placements_outside_over20")
    if pd.isna(outside):
        title = f"Where {la_name}'s new placements were made in {year} (some counts suppressed)"
    else:
        title = (
            f"{outside:.0f}% of {la_name}'s new placements in {year} were outside its boundary (England {eng_out:.0f}%)"
        )
    order = list(dict.fromkeys(mix["label"]))
    y = alt.Y("label:N", sort=order, title=None)
    y_offset = alt.YOffset(
        "group:N", sort=[la_name] + list(GROUP_COLOURS), scale=alt.Scale(domain=[la_name] + list(GROUP_COLOURS))
    )
    drawn = mix.dropna(subset=["share_pct"]).sort_values("group", key=lambda g: g.eq(la_name), kind="stable")
    bars = (
        alt.Chart(drawn)
        .mark_bar()
        .encode(  # the LA's rows last: drawn on top
            y=y,
            yOffset=y_offset,
            x=alt.X("share_pct:Q", title="% of new placements in the year"),
            color=alt.Color("group:N", scale=_group_scale(la_name), title=None),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("group:N"),
                alt.Tooltip("share_pct:Q", format=".1f", title="%"),
                alt.Tooltip("count:Q", format=",.0f"),
            ],
        )
    )
    # A suppressed LA figure is said to be suppressed where its bar would be, not left as a gap.
    hidden = mix[(mix["group"] == la_name) & mix["share_pct"].isna()].assign(
        note=lambda f: f["status"].map(
            lambda s: f"{la_name}: {SYMBOL_MEANINGS.get(s, 'not available').split(' (')[0]}"
        ),
        x=0,
    )
    notes = (
        alt.Chart(hidden)
        .mark_text(align="left", dx=4, fontSize=11, color=PALETTE["la"])
        .encode(y=y, yOffset=y_offset, x=alt.X("x:Q"), text=alt.Text("note:N"))
    )
    chart = base_config(
        alt.layer(
            bars,
            notes,
            width=560,
            height=330,
            description=title,
            title=alt.TitleParams(
                title,
                subtitle=f"Year to 31 March {year}; the LA first in each group, then the neighbours' median, "
                "region and England",
            ),
        )
    )
    text = (
        f"Grouped bar chart of the share of new placements by location and distance from home. {title}. "
        "Suppressed LA counts are left out rather than shown as zero."
    )
    table = mix[["label", "group", "share_pct", "count", "status"]].rename(columns={"share_pct": "% of new placements"})
    return Figure(chart, text, table, year=str(year))


def spend_lines_chart(lines: pd.DataFrame, la_name: str, year: int) -> Figure:
    """Spend per child on each children's social care line: the LA, neighbours' median, region and England."""
    long = lines.melt(
        id_vars=["indicator"],
        value_vars=["per_child", "sn_median", "region", "england"],
        var_name="group",
        value_name="gbp_per_child",
    )
    long["group"] = long["group"].map(
        {"per_child": la_name, "sn_median": "Neighbour median", "region": "Region", "england": "England"}
    )
    long["line"] = long["indicator"].map(_line_label)
    long = long.dropna(subset=["gbp_per_child"]).iloc[::-1]  # the LA's rows last: its points drawn on top
    order = [_line_label(i) for i in lines["indicator"]]
    top = lines.iloc[0]
    title = (
        f"{la_name} spent {format_value(top['per_child'], 'gbp')} per child on children looked after in "
        f"{reporting_year(year)} (neighbours' median {format_value(top['sn_median'], 'gbp')})"
        if pd.notna(top["per_child"])
        else f"{la_name}'s children's social care spend per child, {reporting_year(year)}"
    )
    scale = _group_scale(la_name)
    if lines["region"].isna().all():  # the legend names only what is drawn, and the subtitle says why
        scale = alt.Scale(
            domain=[d for d in scale.domain if d != "Region"],
            range=[r for d, r in zip(scale.domain, scale.range) if d != "Region"],
        )
        region_note = "No region figure: one of its LAs did not report"
    else:
        region_note = "A region is missing when one of its LAs did not report"
    y = alt.Y("line:N", sort=order, title=None)
    points = (
        alt.Chart(long)
        .mark_point(filled=True, size=110)
        .encode(
            y=y,
            x=alt.X("gbp_per_child:Q", title="£ per child aged 0 to 17 (net current expenditure)"),
            color=alt.Color("group:N", scale=scale, title=None),
            shape=alt.Shape(
                "group:N",
                scale=alt.Scale(
                    domain=scale.domain,
                    range=[
                        {"Neighbour median": "circle", "Region": "square", "England": "triangle-up"}.get(d, "diamond")
                        for d in scale.domain
                    ],
                ),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("line:N"),
                alt.Tooltip("group:N"),
                alt.Tooltip("gbp_per_child:Q", format=",.0f", title="£ per child"),
            ],
        )
    )
    chart = base_config(
        points.properties(
            width=560,
            height=300,
            description=title,
            title=alt.TitleParams(
                title,
                subtitle=[
                    "Diamond: the LA. Revenue outturn (RO3), net current expenditure over the mid-year "
                    "child population",
                    region_note,
                ],
            ),
        )
    )
    text = f"Dot plot of spend per child on each children's social care line. {title}."
    table = lines.rename(
        columns={
            "spend_thousands": "£ thousands",
            "share_pct": "% of CSC spend",
            "per_child": f"{la_name} £ per child",
            "sn_median": "Neighbour median",
            "region": "Region",
            "england": "England",
        }
    )
    return Figure(chart, text, table, year=reporting_year(year))


def _line_label(indicator: str) -> str:
    """'Spend on children looked after: residential care (£ thousands)' -> 'Children looked after: residential care'."""
    text = get(indicator).label.replace(" (£ thousands)", "").removeprefix("Spend on ")
    return text[0].upper() + text[1:]


def _jitter(code: str) -> float:
    """A fixed horizontal offset per LA, so points do not overlap and the chart is the same every run."""
    return (zlib.crc32(code.encode()) % 1000) / 1000 - 0.5


def grade_chart(joined: pd.DataFrame, indicator: str, la, sn_codes: list[str], year: int, sentence: str) -> Figure:
    """Every LA's value of one indicator by its latest overall Ofsted grade, the LA and neighbours highlighted."""
    ind = get(indicator)
    rows = joined[joined["indicator"] == indicator].copy()
    rows["group"] = la_groups(rows["la_code"], la, sn_codes)
    rows["jitter"] = rows["la_code"].map(_jitter)
    rows["layer"] = draw_order(rows["la_code"], la.la_code, sn_codes)
    scales = group_scales(la.la_name, (220, 70, 30))
    x = alt.X("overall:N", sort=GRADE_ORDER, title="Latest overall Ofsted grade", axis=alt.Axis(labelAngle=0))
    points = (
        alt.Chart(rows)
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=x,
            xOffset=alt.XOffset("jitter:Q", scale=alt.Scale(domain=[-1.2, 1.2])),
            y=alt.Y("value:Q", title=ind.label),
            color=alt.Color("group:N", scale=scales["color"], title=None, legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("group:N", scale=scales["shape"], title=None),
            size=alt.Size("group:N", scale=scales["size"], legend=None),
            order=alt.Order("layer:Q"),
            tooltip=[alt.Tooltip("la_name:N"), alt.Tooltip("overall:N"), alt.Tooltip("value:Q", format=",.1f")],
        )
    )
    medians = rows.groupby("overall", as_index=False)["value"].median()
    ticks = alt.Chart(medians).mark_tick(color="#000000", thickness=2, size=40).encode(x=x, y=alt.Y("value:Q"))
    own = rows[rows["la_code"] == la.la_code]
    label = (
        alt.Chart(own)
        .mark_text(dx=14, align="left", fontWeight="bold")
        .encode(
            x=x,
            xOffset=alt.XOffset("jitter:Q", scale=alt.Scale(domain=[-1.2, 1.2])),
            y=alt.Y("value:Q"),
            text=alt.Text("la_name:N"),
        )
    )
    title = f"{ind.label} ({year}) by latest Ofsted grade"
    chart = base_config(
        alt.layer(
            points,
            ticks,
            label,
            width=520,
            height=280,
            description=title,
            title=alt.TitleParams(
                title, subtitle="Each point is an LA; black tick: median at that grade. Association, not cause"
            ),
        )
    )
    text = (
        f"Strip chart of {len(rows)} LAs' {short_label(ind.label)} in {year} "
        f"grouped by their latest overall grade. {sentence}"
    )
    table = rows[["la_name", "overall", "value", "group"]].sort_values(["overall", "value"])
    return Figure(chart, text, table, year=str(year))


def cost_chart(costs: pd.DataFrame, la_name: str) -> Figure:
    """Projected yearly cost of children looked after, stacked by placement type."""
    totals = costs.groupby("year", as_index=False)[["cost", "cost_low", "cost_high"]].sum()
    first = totals.iloc[0]
    title = (
        f"Projected cost of {la_name}'s children looked after: about £{first['cost'] / 1e6:,.1f}m in "
        f"{reporting_year(first['year'])} at the unit costs given"
    )
    types = list(dict.fromkeys(costs["placement_type"]))
    bars = (
        alt.Chart(costs.assign(cost_m=costs["cost"] / 1e6))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year to 31 March", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("cost_m:Q", title="£ million a year"),
            color=alt.Color(
                "placement_type:N",
                sort=types,
                scale=alt.Scale(domain=types, range=CATEGORY_COLOURS[: len(types)]),
                title=None,
                legend=alt.Legend(columns=2),
            ),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("placement_type:N"),
                alt.Tooltip("children:Q", format=",.0f"),
                alt.Tooltip("cost_m:Q", format=",.2f", title="£m"),
            ],
        )
    )
    band = (
        alt.Chart(totals.assign(lo=totals["cost_low"] / 1e6, hi=totals["cost_high"] / 1e6))
        .mark_rule(color="#000000", strokeWidth=2)
        .encode(x=alt.X("year:O", axis=alt.Axis(labelAngle=0)), y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"))
    )
    chart = base_config(
        alt.layer(
            bars,
            band,
            width=480,
            height=280,
            description=title,
            title=alt.TitleParams(
                title, subtitle="Black line: range from the 80% interval of the projected number of children"
            ),
        )
    )
    text = (
        f"Stacked bar chart of projected yearly cost by placement type. {title}. Costs are the user's weekly unit "
        "costs times the projected children in each placement type."
    )
    table = costs.assign(children=costs["children"].round(1))
    return Figure(chart, text, table)
