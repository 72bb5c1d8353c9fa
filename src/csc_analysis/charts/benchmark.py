"""Charts and tables for statistical-neighbour benchmarking (notebook 04)."""

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .. import safe
from ..benchmark import funnel_position, funnel_tau2
from ..catalogue import format_value, get
from ..exports import UNIT_WORDS, number_format
from ..outliers import flag_sentence
from ..scorecard import change_cell
from ..stats import overdispersed_funnel
from ..words.common import ordinal, short_label
from . import (
    INDEPENDENT_Y,
    PALETTE,
    Figure,
    base_config,
    draw_order,
    group_scales,
    la_groups,
    panel_header,
    role_scales,
    wrap_label,
)

VS_SN_MARKS = {"better": "✔ better", "similar": "● similar", "worse": "✖ worse", "n/a": "– n/a"}
VS_SN_FILL = {"better": "#d4efe6", "similar": "#eeeeee", "worse": "#fbdccc", "n/a": "#ffffff"}


def neighbours_table(sn: pd.DataFrame):
    """The neighbours (`neighbours.sn_table`) in order, with the model's closeness band; a list the user chose has
    no band, so no band column."""
    columns = {"position": "Closeness order", "la_name": "Neighbour", "la_code": "DfE code", "band": "Closeness band"}
    if sn["band"].isna().all():
        columns = {"position": "Order given", "la_name": "Neighbour", "la_code": "DfE code"}
    return safe.table(sn[list(columns)].rename(columns=columns))


def headline_table(headline: pd.DataFrame, la_name: str):
    """The headline comparison as a styled table, with each indicator's catalogue theme; vs_sn shown by a
    symbol and a word as well as colour.

    Rows from `scorecard.travel` also show the count beside each rate and the direction of travel on
    one year and over three years, with the earlier value (arrows and words, by polarity).
    """
    travel = {}
    if "direction_1y" in headline:
        travel = {
            "Count": [
                "" if pd.isna(c) else format_value(c, u) for c, u in zip(headline["count"], headline["count_unit"])
            ],
            "1 year": [
                change_cell(v, y, u, d, i)
                for v, y, u, d, i in zip(
                    headline["value_1y"],
                    headline["year_1y"],
                    headline["unit"],
                    headline["direction_1y"],
                    headline["indicator"],
                )
            ],
            "3 years": [
                change_cell(v, y, u, d, i)
                for v, y, u, d, i in zip(
                    headline["value_3y"],
                    headline["year_3y"],
                    headline["unit"],
                    headline["direction_3y"],
                    headline["indicator"],
                )
            ],
        }
    shown = pd.DataFrame(
        {
            "Theme": [get(i).theme.capitalize() for i in headline["indicator"]],
            "Indicator": headline["label"],
            "Year": headline["year"].astype(str),
            la_name: [
                format_value(v, u, i) for v, u, i in zip(headline["value"], headline["unit"], headline["indicator"])
            ],
            **travel,
            "Neighbour median": [
                format_value(v, u, i) for v, u, i in zip(headline["sn_median"], headline["unit"], headline["indicator"])
            ],
            "Region": [
                format_value(v, u, i)
                for v, u, i in zip(headline["region_value"], headline["unit"], headline["indicator"])
            ],
            "England": [
                format_value(v, u, i)
                for v, u, i in zip(headline["england_value"], headline["unit"], headline["indicator"])
            ],
            "Rank": [f"{r} of {n}" if pd.notna(r) else "n/a" for r, n in zip(headline["rank"], headline["n_ranked"])],
            "Quartile": [f"Q{q}" if pd.notna(q) else "n/a" for q in headline["quartile"]],
            "vs neighbours": headline["vs_sn"].map(VS_SN_MARKS),
            "vs England (95% CI)": headline["vs_england"],
        }
    )
    shown.attrs["workbook"] = headline_workbook(headline, la_name, shown)
    fills = headline["vs_sn"].map(VS_SN_FILL).tolist()
    return (
        safe.table(shown)
        .apply(lambda col: [f"background-color: {f}" for f in fills], subset=["vs neighbours"])
        .set_caption(
            f"{safe.html_text(la_name)} against its statistical neighbours, region and England "
            "(rank 1 = best; neutral indicators ranked highest first"
            + (
                "; 1 year and 3 years: the change from the earlier value, ↗ improving, ↘ worsening, "
                "→ within ±2%, ↑↓ where neither direction is better)"
                if travel
                else ")"
            )
        )
    )


def headline_workbook(headline: pd.DataFrame, la_name: str, shown: pd.DataFrame) -> dict:
    """The headline table for the workbook: figures as numbers with an Excel number format each (by the row's
    unit, to DfE's published decimals), a Unit column, and a suppressed LA figure as its DfE symbol (never 0).
    The words (theme, direction of travel, comparisons) are the displayed ones."""
    status = headline["status"] if "status" in headline else pd.Series(None, index=headline.index)
    own = [s if pd.isna(v) and isinstance(s, str) and s else v for v, s in zip(headline["value"], status)]
    frame = pd.DataFrame(
        {
            "Theme": shown["Theme"],
            "Indicator": shown["Indicator"],
            "Year": headline["year"].astype(int),
            "Unit": headline["unit"].map(UNIT_WORDS),
            la_name: own,
            "Neighbour median": headline["sn_median"],
            "Region": headline["region_value"],
            "England": headline["england_value"],
            "Rank": headline["rank"],
            "LAs ranked": headline["n_ranked"],
            "Quartile": headline["quartile"],
            "vs neighbours": shown["vs neighbours"],
            "vs England (95% CI)": shown["vs England (95% CI)"],
        }
    )
    if "count" in headline:
        frame.insert(5, "Count", headline["count"])
        frame.insert(6, "Count unit", headline["count_unit"].map(UNIT_WORDS))
        frame.insert(7, "1 year", shown["1 year"])
        frame.insert(8, "3 years", shown["3 years"])
    value_columns = {la_name, "Neighbour median", "Region", "England"}
    formats = [
        [
            number_format(unit, ind)
            if c in value_columns
            else number_format(count_unit)
            if c == "Count" and isinstance(count_unit, str)
            else None
            for c in frame.columns
        ]
        for unit, ind, count_unit in zip(
            headline["unit"], headline["indicator"], headline.get("count_unit", headline["unit"])
        )
    ]
    return {
        "frame": frame.reset_index(drop=True),
        "formats": formats,
        "unit": "each row in the unit of its Unit column (Count: its Count unit); "
        "% figures are percentages as DfE publishes them (96 = 96%)",
    }


def small_multiples(
    table: pd.DataFrame,
    la_name: str,
    indicators: list[str],
    context: pd.DataFrame | None = None,
    england: str = "line",
    title: str | None = None,
    band: bool = True,
) -> Figure:
    """One panel per indicator: the LA's line, the neighbours' median with their range, England.

    `context` (indicator, year, value, label) adds grey dotted lines, e.g. a predecessor LA's
    rates before a boundary change, labelled so they are not read as the LA's own history.
    Values with a `flag` (see `outliers.implausible`) get a ▼ marker, and the text lists them.
    `england="omit"` leaves England's line out, for counts and FTEs: England's totals are
    thousands of times an LA's, so on a shared axis the LA would be a flat line at zero. Its
    figures stay in the data table, and the subtitle says so. `title` replaces the default (how many
    indicators are above the neighbours' median) with one stating a section's finding. `band=False` leaves
    the neighbours' range out, for counts: one much larger neighbour would flatten the LA's line (the range
    stays in the data table).
    """
    if england not in ("line", "omit"):
        raise ValueError(f"england must be 'line' or 'omit', not {england!r}")
    drawn: list[Any] = [la_name, "Neighbour median"] + (["England"] if england == "line" else [])
    rows = table[table["indicator"].isin(indicators)].copy()
    rows[la_name] = rows["value"]
    rows["Neighbour median"] = rows["sn_median"]
    rows["England"] = rows["england_value"]
    if "flag" not in rows:
        rows["flag"] = None
    flagged = rows[rows["flag"].notna()].assign(label=lambda f: f["indicator"].map(lambda i: get(i).label))
    rows = rows[
        [
            "indicator",
            "year",
            "value",
            "sn_median",
            "sn_min",
            "sn_max",
            "england_value",
            la_name,
            "Neighbour median",
            "England",
            "flag",
        ]
    ]
    latest = rows[rows["value"].notna()].sort_values("year").groupby("indicator").tail(1)
    above = latest[latest["value"] > latest["sn_median"]]
    has_context = context is not None and len(context[context["indicator"].isin(indicators)]) > 0
    if context is not None and has_context:
        ctx = context[context["indicator"].isin(indicators)]
        rows = pd.concat([rows, ctx.rename(columns={"value": "context_value", "label": "context_label"})])
    rows["panel"] = rows["indicator"].map(lambda i: get(i).label)
    rows["panel_title"] = rows["panel"].map(wrap_label)
    # The legend lists only the series drawn.
    scales = {
        k: alt.Scale(domain=drawn, range=[sc.range[sc.domain.index(d)] for d in drawn])
        for k, sc in role_scales(la_name).items()
    }
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90, labelExpr="datum.value % 2 ? '' : datum.value"))
    la_tips = [alt.Tooltip("panel:N"), alt.Tooltip("year:O"), alt.Tooltip("value:Q", title=la_name, format=",.1f")]
    layers = (
        [
            alt.Chart()
            .mark_area(opacity=0.25, color=PALETTE["sn"])
            .encode(x=x, y=alt.Y("sn_min:Q", title=None), y2=alt.Y2("sn_max:Q"))
        ]
        if band
        else []
    )
    layers += [
        # folded in reverse so the LA's line is drawn last, on top; one merged legend for colour, dash and
        # width (a channel with legend=None would remove the legend for all three)
        alt.Chart()
        .transform_fold(drawn[::-1], as_=["series", "v"])
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("v:Q"),
            color=alt.Color("series:N", scale=scales["color"], title=None),
            strokeDash=alt.StrokeDash("series:N", scale=scales["strokeDash"], title=None),
            strokeWidth=alt.StrokeWidth("series:N", scale=scales["strokeWidth"], title=None),
            tooltip=[
                alt.Tooltip("panel:N"),
                alt.Tooltip("year:O"),
                alt.Tooltip("series:N"),
                alt.Tooltip("v:Q", format=",.1f"),
            ],
        ),
        alt.Chart()
        .mark_point(filled=True, size=45, color=PALETTE["la"], shape="circle")
        .encode(x=x, y=alt.Y("value:Q"), tooltip=la_tips),
    ]
    layers.append(
        alt.Chart()
        .transform_filter("isValid(datum.flag)")
        .mark_point(shape="triangle-down", size=140, filled=True, color="#000000", yOffset=-12)
        .encode(x=x, y=alt.Y("value:Q"), tooltip=[*la_tips, alt.Tooltip("flag:N", title="note")])
    )
    subtitle = [
        (
            f"{la_name} (solid line with points), neighbours' median (dashed) "
            + ("and range (shaded band), " if band else "(their range is in the data table), ")
            + (
                "England (dash-dot)"
                if england == "line"
                else "each on its own scale; England's totals are in the data table, not drawn (another scale)"
            )
        )
    ]
    if len(flagged):
        subtitle.append("▼ an unusual change for this indicator, kept as published: see the note below the chart")
    if context is not None and has_context:
        layers.append(
            alt.Chart()
            .mark_line(color="#777777", strokeDash=[1, 3], strokeWidth=2.5)
            .encode(
                x=x,
                y=alt.Y("context_value:Q"),
                detail=alt.Detail("context_label:N"),
                tooltip=[
                    alt.Tooltip("context_label:N"),
                    alt.Tooltip("year:O"),
                    alt.Tooltip("context_value:Q", format=",.1f"),
                ],
            )
        )
        subtitle.append(
            "Grey dotted: " + "; ".join(sorted(set(context["label"]))) + " — context only, a different area"
        )
    heading = alt.TitleParams(
        title
        or f"{la_name} is above its neighbours' median on {len(above)} of {len(latest)} indicators in the latest year",
        subtitle=subtitle if len(subtitle) > 1 else subtitle[0],
    )
    chart = base_config(
        alt.layer(*layers, data=rows, width=190, height=130).facet(
            facet=alt.Facet("panel_title:N", title=None, header=panel_header(labelFontSize=11)),
            columns=3,
            resolve=INDEPENDENT_Y,
            title=heading,
            description=f"Small multiples of {len(indicators)} indicators over time for {la_name}",
        )
    )
    alt_text = (
        f"{len(latest)} small charts, one per indicator, each showing {la_name}'s values by year against "
        f"its statistical neighbours' median and range"
        + (" and England" if england == "line" else " (England's totals are in the data table)")
        + f". In the latest year {la_name} is above "
        f"the neighbours' median on {len(above)}"
        + (": " + ", ".join(short_label(get(i).label) for i in above["indicator"]) if len(above) else "")
        + "."
    )
    alt_text = " ".join(t for t in (alt_text, flag_sentence(flagged, la_name)) if t)
    data = rows[rows["value"].notna() | rows["sn_median"].notna()][
        ["panel", "year", "value", "sn_median", "sn_min", "sn_max", "england_value", "flag"]
    ].rename(
        columns={
            "panel": "indicator",
            "value": la_name,
            "sn_median": "neighbour median",
            "sn_min": "neighbour min",
            "sn_max": "neighbour max",
            "england_value": "England",
            "flag": "note",
        }
    )
    return Figure(chart, alt_text, data)


def ranking_chart(
    tidy: pd.DataFrame, indicator: str, year: int, la, sn_codes: list[str], ranks: pd.DataFrame
) -> Figure:
    """Every LA's value for one indicator and year, in rank order, the LA and its neighbours highlighted."""
    ind = get(indicator)
    rows = tidy[
        (tidy["geographic_level"] == "la")
        & (tidy["indicator"] == indicator)
        & (tidy["year"] == year)
        & tidy["value"].notna()
    ][["la_code", "la_name", "value"]]
    rows = rows.merge(
        ranks[(ranks["indicator"] == indicator) & (ranks["year"] == year)][["la_code", "rank", "n_ranked"]],
        on="la_code",
    )
    rows["group"] = la_groups(rows["la_code"], la, sn_codes)
    rows["layer"] = draw_order(rows["la_code"], la.la_code, sn_codes)
    # Each bar its own slot in rank order: tied LAs share a rank but never a bar (bars placed by
    # rank would overlap, and Vega-Lite stacks overlapping bars).
    rows = rows.sort_values(["rank", "la_name"]).reset_index(drop=True)
    rows["position"] = range(1, len(rows) + 1)
    own = rows[rows["la_code"] == la.la_code]
    scales = group_scales(la.la_name)
    x = alt.X(
        "position:Q",
        title=f"LAs in rank order ({'1 = lowest' if ind.polarity == 'lower_is_better' else '1 = highest'}; "
        "ties share a rank)",
        scale=alt.Scale(domain=[0, len(rows) + 1], nice=False),
    )
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("value:Q", title=ind.label, stack=None),
            color=alt.Color("group:N", scale=scales["color"], title=None),
            order=alt.Order("layer:Q"),
            tooltip=[alt.Tooltip("la_name:N"), alt.Tooltip("value:Q", format=",.1f"), alt.Tooltip("rank:Q")],
        )
    )
    marker = (
        alt.Chart(own)
        .mark_point(filled=True, size=160, shape="diamond", color=PALETTE["la"])
        .encode(x=x, y=alt.Y("value:Q"))
    )
    label = (
        alt.Chart(own)
        .mark_text(dy=-14, fontWeight="bold", color="#000000")
        .encode(x=x, y=alt.Y("value:Q"), text=alt.Text("la_name:N"))
    )
    if own.empty:
        title = f"{la.la_name} has no published value for {short_label(ind.label)} in {year}"
        text = title + f"; the chart shows the {len(rows)} LAs that do."
    else:
        r = own.iloc[0]
        title = (
            f"{la.la_name} ranks {ordinal(int(r['rank']))} of {int(r['n_ranked'])} LAs on "
            f"{short_label(ind.label)} in {year}"
        )
        text = (
            f"Bar chart of {len(rows)} LAs' {short_label(ind.label)} in {year}, in rank order. {la.la_name} "
            f"({format_value(r['value'], ind.unit, indicator)}) is marked with a diamond and labelled; its statistical "
            f"neighbours are blue, other LAs grey. {title}."
        )
    chart = base_config(
        alt.layer(
            bars,
            marker,
            label,
            width=620,
            height=260,
            title=alt.TitleParams(title, subtitle="Each bar is one LA; the chosen LA is labelled"),
            description=text,
        )
    )
    table = rows.sort_values("rank")[["rank", "la_name", "value", "group"]]
    return Figure(chart, text, table, year=str(year))


def funnel_chart(frame: pd.DataFrame, indicator: str, year: int, la, sn_codes: list[str], england: float) -> Figure:
    """Funnel plot: each LA's rate against its child population, with 95% and 99.8% limits around England,
    widened for over-dispersion (`stats.overdispersed_funnel`); the subtitle names the method."""
    ind = get(indicator)
    mult = ind.derived.multiplier if ind.derived else 1.0
    frame = frame.assign(group=la_groups(frame["la_code"], la, sn_codes))
    frame = frame.assign(layer=draw_order(frame["la_code"], la.la_code, sn_codes))
    grid = np.geomspace(max(frame["population"].min() * 0.8, 100), frame["population"].max() * 1.2, 120)
    tau2 = funnel_tau2(frame, england, mult)
    limits = overdispersed_funnel(england, grid, tau2, mult)
    lines = limits.melt("population", var_name="part", value_name="rate")
    lines["limit"] = np.where(lines["part"].str.endswith("99_8"), "99.8% limits", "95% limits")
    x = alt.X(
        "population:Q",
        scale=alt.Scale(type="log", domain=[grid[0], grid[-1]], nice=False),
        title="Children aged 0-17 (previous mid-year, log scale)",
    )
    y = alt.Y("rate:Q", title=ind.label)
    limit_lines = (
        alt.Chart(lines)
        .mark_line(color="#555555")
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("part:N"),
            strokeDash=alt.StrokeDash(
                "limit:N", scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[6, 3], [2, 2]]), title=None
            ),
        )
    )
    england_rule = (
        alt.Chart(pd.DataFrame({"rate": [england]})).mark_rule(color=PALETTE["england"]).encode(y=alt.Y("rate:Q"))
    )
    scales = group_scales(la.la_name)
    pts = (
        alt.Chart(frame.rename(columns={"value": "rate"}))
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("rate:Q"),
            color=alt.Color("group:N", scale=scales["color"], title=None),
            shape=alt.Shape("group:N", scale=scales["shape"], title=None),
            size=alt.Size("group:N", scale=scales["size"], title=None),  # legend=None would drop the whole legend
            order=alt.Order("layer:Q"),
            tooltip=[
                alt.Tooltip("la_name:N"),
                alt.Tooltip("rate:Q", format=",.1f"),
                alt.Tooltip("population:Q", format=","),
            ],
        )
    )
    own = frame[frame["la_code"] == la.la_code].rename(columns={"value": "rate"})
    label = (
        alt.Chart(own)
        .mark_text(dx=10, align="left", fontWeight="bold")
        .encode(x=x, y=alt.Y("rate:Q"), text=alt.Text("la_name:N"))
    )
    if own.empty:
        title = f"{la.la_name} has no published {short_label(ind.label)} for {year}"
        finding = title
    else:
        r = own.iloc[0]
        title = (
            f"{la.la_name} is {funnel_position(r['rate'], r['population'], england, mult, tau2)} "
            f"around England on {short_label(ind.label)}, {year}"
        )
        finding = (
            f"{la.la_name}: {format_value(r['rate'], ind.unit, indicator)}; England: "
            f"{format_value(england, ind.unit, indicator)}. {title}"
        )
    method = (
        "Limits allow for over-dispersion (additive random effects, Spiegelhalter 2005; square-root scale, "
        "10% winsorised)"
    )
    text = (
        f"Funnel plot of {len(frame)} LAs' {short_label(ind.label)} in {year} against child population, with "
        f"95% and 99.8% control limits around England's rate. {method}, because LAs differ by more than "
        f"chance alone: plain Poisson limits would put most LAs outside. {finding}."
    )
    chart = base_config(
        alt.layer(
            limit_lines,
            england_rule,
            pts,
            label,
            width=620,
            height=320,
            description=text,
            title=alt.TitleParams(
                title,
                subtitle=[
                    finding.split(". ")[0] + ".",
                    method + ".",
                    (
                        "Points outside the funnel differ from England by more than the usual "
                        "variation between LAs; the chosen LA is the labelled diamond"
                    ),
                ],
            ),
        )
    )
    return Figure(
        chart, text, frame.rename(columns={"value": "rate"})[["la_name", "rate", "population", "group"]], year=str(year)
    )
