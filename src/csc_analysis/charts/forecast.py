"""Charts for forecasts (notebook 02)."""

import altair as alt
import pandas as pd

from . import PALETTE, Figure, base_config


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, la_name: str, what: str, title: str,
                   temporal: bool = False, scenario: pd.DataFrame | None = None) -> Figure:
    """History as a line with points; the forecast as a dashed line with 80% and 95% interval bands.

    `scenario` (same columns as `forecast`) adds the planner's adjusted forecast beside the baseline.
    """
    kind = "T" if temporal else "O"
    x = alt.X(f"period:{kind}", title=None, axis=alt.Axis(labelAngle=0))
    hist = history.assign(series=f"{la_name}: recorded")
    fc = forecast.assign(series="Forecast (most likely)")
    layers = [
        alt.Chart(fc).mark_area(opacity=0.18, color=PALETTE["sn"]).encode(x=x, y="lo95:Q", y2="hi95:Q"),
        alt.Chart(fc).mark_area(opacity=0.3, color=PALETTE["sn"]).encode(x=x, y="lo80:Q", y2="hi80:Q"),
        alt.Chart(hist).mark_line(color=PALETTE["la"], strokeWidth=3, point=alt.OverlayMarkDef(filled=True, color=PALETTE["la"])).encode(
            x=x, y=alt.Y("value:Q", title=what), tooltip=[f"period:{kind}", alt.Tooltip("value:Q", format=",.0f")]),
        alt.Chart(fc).mark_line(color=PALETTE["sn"], strokeDash=[6, 3], strokeWidth=2.5, point=True).encode(
            x=x, y="mean:Q", tooltip=[f"period:{kind}", alt.Tooltip("mean:Q", format=",.0f"), alt.Tooltip("lo80:Q", format=",.0f"),
                                      alt.Tooltip("hi80:Q", format=",.0f")]),
    ]
    subtitle = "Dashed: forecast; darker band 80% and lighter band 95% prediction intervals"
    table = pd.concat([history.assign(kind="recorded"), forecast.rename(columns={"mean": "value"}).assign(kind="forecast")])
    if scenario is not None:
        layers.append(alt.Chart(scenario).mark_line(color="#E69F00", strokeDash=[2, 2], strokeWidth=2.5, point=True).encode(
            x=x, y="mean:Q", tooltip=[f"period:{kind}", alt.Tooltip("mean:Q", format=",.0f", title="scenario")]))
        subtitle = [subtitle, "Orange dotted: the scenario"]
        table = pd.concat([table, scenario.rename(columns={"mean": "value"}).assign(kind="scenario")])
    chart = base_config(alt.layer(*layers).properties(width=620, height=280, description=title,
                                                      title=alt.TitleParams(title, subtitle=subtitle)))
    text = (f"Line chart of {la_name}'s recorded {what.lower()} and the forecast with 80% and 95% intervals. {title}.")
    return Figure(chart, text, table)
