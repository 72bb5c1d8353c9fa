"""Charts for forecasts (notebook 02, and the children looked after projection in notebook 05)."""

import altair as alt
import pandas as pd

from . import PALETTE, Figure, base_config

FIGURES = ["value", "mean", "lo80", "hi80", "lo95", "hi95"]


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with suppressed figures ("c") as missing, for drawing: a hidden figure is not drawn."""
    return frame.assign(**{c: pd.to_numeric(frame[c], errors="coerce") for c in FIGURES if c in frame})


def forecast_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    la_name: str,
    what: str,
    title: str,
    temporal: bool = False,
    scenario: pd.DataFrame | None = None,
) -> Figure:
    """History as a line with points; the forecast as a dashed line with 80% and 95% interval bands.

    `scenario` (same columns as `forecast`) is the planner's adjusted forecast: the bands are then drawn
    around the scenario line (they are its intervals) and the forecast without it is a thin grey line.
    Figures suppressed as "c" are left out of the drawing and shown as "c" in the data table.
    """
    kind = "T" if temporal else "O"
    x = alt.X(f"period:{kind}", title=None, axis=alt.Axis(labelAngle=0))
    hist = _numbers(history)
    base = _numbers(forecast)
    central = _numbers(scenario) if scenario is not None else base
    tip = [
        f"period:{kind}",
        alt.Tooltip("mean:Q", format=",.0f"),
        alt.Tooltip("lo80:Q", format=",.0f"),
        alt.Tooltip("hi80:Q", format=",.0f"),
    ]
    recorded = alt.OverlayMarkDef(filled=True, color=PALETTE["la"])
    layers = [
        alt.Chart(central)
        .mark_area(opacity=0.18, color=PALETTE["sn"])
        .encode(x=x, y=alt.Y("lo95:Q"), y2=alt.Y2("hi95:Q")),
        alt.Chart(central)
        .mark_area(opacity=0.3, color=PALETTE["sn"])
        .encode(x=x, y=alt.Y("lo80:Q"), y2=alt.Y2("hi80:Q")),
        alt.Chart(hist)
        .mark_line(color=PALETTE["la"], strokeWidth=3, point=recorded)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=what),
            tooltip=[alt.Tooltip(f"period:{kind}"), alt.Tooltip("value:Q", format=",.0f")],
        ),
    ]
    table = pd.concat(
        [history.assign(kind="recorded"), forecast.rename(columns={"mean": "value"}).assign(kind="forecast")]
    )
    if scenario is None:
        layers.append(
            alt.Chart(base)
            .mark_line(color=PALETTE["sn"], strokeDash=[6, 3], strokeWidth=2.5, point=True)
            .encode(x=x, y=alt.Y("mean:Q"), tooltip=tip)
        )
        subtitle: str | list[str] = "Dashed: forecast; darker band 80% and lighter band 95% prediction intervals"
    else:
        without = alt.Tooltip("mean:Q", format=",.0f", title="without the scenario")
        layers.append(
            alt.Chart(base)
            .mark_line(color=PALETTE["similar"], strokeDash=[6, 3], strokeWidth=1.5)
            .encode(x=x, y=alt.Y("mean:Q"), tooltip=[alt.Tooltip(f"period:{kind}"), without])
        )
        layers.append(
            alt.Chart(central)
            .mark_line(color="#E69F00", strokeDash=[2, 2], strokeWidth=2.5, point=True)
            .encode(x=x, y=alt.Y("mean:Q"), tooltip=tip)
        )
        subtitle = [
            "Orange dotted: the scenario, with its 80% (darker) and 95% (lighter) prediction intervals",
            "Grey dashed: the forecast without the scenario",
        ]
        table = pd.concat([table, scenario.rename(columns={"mean": "value"}).assign(kind="scenario")])
    chart = base_config(
        alt.layer(*layers, width=620, height=280, description=title, title=alt.TitleParams(title, subtitle=subtitle))
    )
    text = (
        f"Line chart of {la_name}'s recorded {what.lower()} and the forecast with 80% and 95% intervals"
        + (", drawn around the scenario" if scenario is not None else "")
        + f". {title}."
    )
    return Figure(chart, text, table)
