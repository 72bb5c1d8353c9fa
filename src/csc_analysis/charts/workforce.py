"""Charts for caseloads and agency staff (notebook 03)."""

import altair as alt
import numpy as np
import pandas as pd

from ..catalogue import format_value, get
from ..privacy import SUPPRESSED
from ..words.common import short_label
from . import PALETTE, Figure, base_config, draw_order, group_scales, la_groups


def axis_range(values: pd.Series) -> tuple[float, float]:
    """An axis range that keeps the bulk of LAs readable: the data's own range, cut at three
    interquartile ranges beyond the quartiles so that one extreme LA (Isles of Scilly, with a
    handful of staff) does not squash the rest; never below zero (these measures cannot be).

    >>> axis_range(pd.Series([10, 11, 12, 13, 14, 95]))  # quartiles 11.25 and 13.75: 13.75 + 3 x 2.5
    (10.0, 21.25)
    """
    q1, q3 = values.quantile([0.25, 0.75])
    spread = 3 * (q3 - q1)
    return max(float(values.min()), q1 - spread, 0.0), min(float(values.max()), q3 + spread)


def scatter_chart(rel: dict, la, sn_codes: list[str], x: str, y: str, year: int, sentence: str) -> Figure:
    """All LAs on two indicators, with the OLS line and its 95% band; the LA and its neighbours highlighted.

    Axes cover the bulk of LAs (`axis_range`): an LA beyond them is drawn at the edge as an
    open triangle and labelled with its value, never dropped. The band is cut at zero.
    """
    pts = rel["points"].copy()
    pts["group"] = la_groups(pts["la_code"], la, sn_codes)
    pts["layer"] = draw_order(pts["la_code"], la.la_code, sn_codes)
    scales = group_scales(la.la_name, (200, 70, 30))
    x_range, y_range = axis_range(pts["x"]), axis_range(pts["y"])
    off = ~pts["x"].between(*x_range) | ~pts["y"].between(*y_range)
    xe = alt.X("x:Q", title=get(x).label, scale=alt.Scale(zero=False, domain=list(x_range), clamp=True, nice=False))
    ye = alt.Y("y:Q", title=get(y).label, scale=alt.Scale(zero=False, domain=list(y_range), clamp=True, nice=False))
    layers = []
    if len(rel["fit"]):
        band = rel["fit"].assign(lower=rel["fit"]["lower"].clip(lower=0), upper=rel["fit"]["upper"].clip(lower=0))
        band = band[band["x"].between(*x_range)]
        fit = alt.Chart(band)
        layers += [
            fit.mark_area(opacity=0.2, color="#555555", clip=True).encode(
                x=xe, y=alt.Y("lower:Q"), y2=alt.Y2("upper:Q")
            ),
            fit.mark_line(color="#333333", clip=True).encode(x=xe, y=alt.Y("fit:Q")),
        ]
    if off.any():
        edge = pts[off].assign(
            label=[
                f"{n}: {format_value(a, get(x).unit, x)}, {format_value(b, get(y).unit, y)} (off scale)"
                for n, a, b in zip(pts.loc[off, "la_name"], pts.loc[off, "x"], pts.loc[off, "y"])
            ]
        )
        layers += [
            alt.Chart(edge).mark_point(shape="triangle-up", size=90, color="#333333").encode(x=xe, y=ye),
            alt.Chart(edge)
            .mark_text(dx=-8, dy=-10, align="right", fontSize=11)
            .encode(x=xe, y=ye, text=alt.Text("label:N")),
        ]
        pts = pts[~off]
    layers.append(
        alt.Chart(pts)
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=xe,
            y=ye,
            color=alt.Color("group:N", scale=scales["color"], title=None),
            shape=alt.Shape("group:N", scale=scales["shape"], title=None),
            # one merged legend: a channel with legend=None would remove it for colour and shape too
            size=alt.Size("group:N", scale=scales["size"], title=None),
            order=alt.Order("layer:Q"),
            tooltip=[
                alt.Tooltip("la_name:N"),
                alt.Tooltip("x:Q", title=get(x).label),
                alt.Tooltip("y:Q", title=get(y).label),
            ],
        )
    )
    own = rel["points"][rel["points"]["la_code"] == la.la_code]
    layers.append(
        alt.Chart(own).mark_text(dx=10, align="left", fontWeight="bold").encode(x=xe, y=ye, text=alt.Text("la_name:N"))
    )
    r = rel["r"]
    title = (
        f"{get(x).label} and {short_label(get(y).label)} across LAs, {year}: r = {r:.2f}"
        if rel["n"] >= 5
        else f"Too few LAs with both figures in {year}"
    )
    if len(own):
        where = (
            f"{la.la_name}: {format_value(own['x'].iloc[0], get(x).unit, x)}, "
            f"{format_value(own['y'].iloc[0], get(y).unit, y)}"
        )
    else:
        where = f"{la.la_name} is not shown: one of its figures is missing for {year}"
    chart = base_config(
        alt.layer(
            *layers,
            width=560,
            height=320,
            description=sentence,
            title=alt.TitleParams(
                title, subtitle=[where, "Line: least-squares fit with 95% band; association, not cause"]
            ),
        )
    )
    clipped = (
        f" {int(off.sum())} LA(s) lie beyond the axes and are drawn at the edge as labelled triangles: "
        + "; ".join(edge["label"])
        + "."
        if off.any()
        else ""
    )
    pts = rel["points"].assign(group=la_groups(rel["points"]["la_code"], la, sn_codes))
    return Figure(
        chart,
        f"Scatter plot of {rel['n']} LAs. {sentence} {where}.{clipped}",
        pts.rename(columns={"x": get(x).label, "y": get(y).label})[["la_name", get(x).label, get(y).label, "group"]],
        year=str(year),
    )


def team_chart(teams: pd.DataFrame, asye_limit: int, other_limit: int) -> Figure:
    """Caseload per case-holding FTE by team (aggregates only; small teams combined)."""
    rows = teams[teams["team"] != "All teams"].copy()
    rows["caseload_per_fte"] = pd.to_numeric(rows["caseload_per_fte"], errors="coerce")
    total = teams.set_index("team").loc["All teams"]
    bars = (
        alt.Chart(rows.dropna(subset=["caseload_per_fte"]))
        .mark_bar(color=PALETTE["sn"])
        .encode(
            y=alt.Y("team:N", title=None, sort="-x"),
            x=alt.X("caseload_per_fte:Q", title="Cases per case-holding FTE"),
            tooltip=[
                alt.Tooltip("team:N"),
                alt.Tooltip("caseload_per_fte:Q", format=".1f"),
                alt.Tooltip("workers:N"),
                alt.Tooltip("agency_pct:Q"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"v": [other_limit]}))
        .mark_rule(color=PALETTE["worse"], strokeDash=[6, 3], size=2)
        .encode(x=alt.X("v:Q"))
    )
    shown = rows.dropna(subset=["caseload_per_fte"])
    busiest = shown.sort_values("caseload_per_fte", ascending=False).iloc[0] if len(shown) else None
    overall = pd.to_numeric(pd.Series([total["caseload_per_fte"]]), errors="coerce").iloc[0]
    # A figure about fewer than 5 workers is suppressed ("c"): the title says so rather than print it.
    title = (
        f"Caseload per case-holding FTE is {overall:.1f} overall"
        if pd.notna(overall)
        else "Caseload per case-holding FTE overall is suppressed (fewer than 5 workers)"
    )
    if busiest is not None:
        title += f"; highest in {busiest['team']} ({busiest['caseload_per_fte']:.1f})"
    chart = base_config(
        alt.layer(
            bars,
            rule,
            width=520,
            height=max(120, 18 * len(rows)),
            description=title,
            title=alt.TitleParams(
                title,
                subtitle=f"Dashed line: the {other_limit}-case limit for experienced workers ({asye_limit} for ASYE)",
            ),
        )
    )
    return Figure(chart, f"Bar chart of caseload per case-holding FTE for {len(rows)} teams. {title}.", teams)


def distribution_chart(bands: pd.DataFrame) -> Figure:
    """Case-holding workers by caseload band; suppressed bands are shown as such, not as zero."""
    rows = bands[bands["caseload_band"] != "All"].copy()
    rows["shown"] = pd.to_numeric(rows["workers"].where(rows["workers"] != SUPPRESSED), errors="coerce")
    rows["label"] = np.where(rows["workers"] == SUPPRESSED, "suppressed (<5)", rows["workers"].astype(str))
    rows["label_y"] = rows["shown"].fillna(0)
    order = list(rows["caseload_band"])
    bars = (
        alt.Chart(rows)
        .mark_bar(color=PALETTE["sn"])
        .encode(
            x=alt.X("caseload_band:N", sort=order, title="Cases held"), y=alt.Y("shown:Q", title="Case-holding workers")
        )
    )
    text = (
        alt.Chart(rows)
        .mark_text(dy=-6)
        .encode(x=alt.X("caseload_band:N", sort=order), y=alt.Y("label_y:Q"), text=alt.Text("label:N"))
    )
    top = rows.dropna(subset=["shown"]).sort_values("shown").tail(1)
    title = (
        f"Most case-holding workers hold {top['caseload_band'].iloc[0]} cases" if len(top) else "Caseload distribution"
    )
    chart = base_config(alt.layer(bars, text, width=520, height=220, title=title, description=title))
    return Figure(
        chart,
        f"Bar chart of case-holding workers by caseload band. {title}. Bands with fewer than five "
        "workers are suppressed.",
        bands,
    )
