"""Monthly charts of local (Annex A) indicators: one line per measure, suppressed months left as gaps."""

import altair as alt
import pandas as pd

from . import PALETTE, Figure, base_config

SERIES_COLOURS = [PALETTE["la"], PALETTE["sn"], PALETTE["region"], PALETTE["england"], "#CC79A7", "#E69F00"]


def monthly_lines(wide: pd.DataFrame, labels: dict[str, str], title: str, y_title: str) -> Figure:
    """Lines by month for the columns in `labels` (column -> legend label) of a `monthly_wide` table.

    Suppressed months ("c") are gaps in the line and "c" in the data table.
    """
    long = wide.melt(id_vars="period", value_vars=list(labels), var_name="indicator", value_name="shown")
    long["value"] = pd.to_numeric(long["shown"], errors="coerce")
    long["month"] = pd.to_datetime(long["period"] + "-01")
    long["measure"] = long["indicator"].map(labels)
    domain = list(labels.values())
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45)),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "measure:N", title=None, scale=alt.Scale(domain=domain, range=SERIES_COLOURS[: len(domain)])
            ),
            strokeDash=alt.StrokeDash(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=domain, range=[[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [4, 1], [1, 3]][: len(domain)]
                ),
            ),
            tooltip=[
                alt.Tooltip("measure:N"),
                alt.Tooltip("month:T", format="%B %Y"),
                alt.Tooltip("value:Q", format=",.1f"),
            ],
        )
        .properties(title=title, width=620, height=260)
    )
    first, last = long["month"].min(), long["month"].max()
    text = (
        f"{y_title} by month from {first:%B %Y} to {last:%B %Y} for: {', '.join(domain)}. "
        "Months with figures suppressed (fewer than the threshold) are gaps."
    )
    table = wide.rename(columns={**labels, "period": "Month"})
    return Figure(base_config(chart), text, table)
