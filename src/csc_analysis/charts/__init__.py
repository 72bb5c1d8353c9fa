"""Altair charts. Shared look and accessibility rules live here; each topic has a module.

Every chart in the package follows the same rules:

- a colour-blind-safe palette (Okabe-Ito), the chosen LA always in `PALETTE["la"]`;
- the LA highlighted by more than colour: a thicker line, filled point markers and a label;
- a title that states the finding (built from the data by the caller) and a description;
- shown with `Figure`, which adds a text alternative and the data table behind the chart.
"""

import hashlib
import html
import json
import os
from dataclasses import dataclass

import altair as alt
import pandas as pd

# Set by `csc-analysis run` for the notebooks it executes: charts are then written as a
# <div> plus their spec, drawn by the Vega libraries that the HTML pack inlines, so the
# page needs no network (see report.py). Interactive use keeps Altair's own display.
EMBED_ENV = "CSC_EMBED_CHARTS"

# Okabe & Ito (2008), safe for the common forms of colour-blindness.
PALETTE = {
    "la": "#D55E00",         # vermillion: the chosen LA
    "sn": "#0072B2",         # blue: statistical-neighbour median and band
    "neighbour": "#56B4E9",  # sky blue: individual neighbours
    "region": "#009E73",     # bluish green
    "england": "#000000",    # black
    "other": "#BBBBBB",      # grey: every other LA
    "better": "#009E73",
    "worse": "#D55E00",
    "similar": "#999999",
}
FONT = "Arial, Helvetica, sans-serif"


def role_scales(la_name: str) -> dict[str, alt.Scale]:
    """Colour, dash and width scales for the series `la_name`, "Neighbour median", "Region", "England".

    The LA is solid and thickest; the others differ in dash pattern as well as colour.
    """
    domain = [la_name, "Neighbour median", "Region", "England"]
    return {
        "color": alt.Scale(domain=domain, range=[PALETTE["la"], PALETTE["sn"], PALETTE["region"], PALETTE["england"]]),
        "strokeDash": alt.Scale(domain=domain, range=[[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]),
        "strokeWidth": alt.Scale(domain=domain, range=[3.5, 2, 2, 2]),
    }


def base_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The package's fonts and sizes, readable when pasted into a committee report."""
    return (chart.configure(font=FONT)
            .configure_title(fontSize=15, anchor="start", subtitleFontSize=12, subtitleColor="#333333")
            .configure_axis(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#e5e5e5")
            .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
            .configure_view(stroke=None))


@dataclass
class Figure:
    """A chart with its text alternative and the data behind it.

    In a notebook it displays as the chart, then a paragraph describing it (generated from
    the data by the caller) and a collapsible data table, so a screen-reader user, or a
    reader who wants the numbers, has them.
    """

    chart: alt.TopLevelMixin
    alt_text: str
    table: pd.DataFrame

    def table_html(self) -> str:
        return self.table.to_html(index=False, na_rep="n/a", border=0, classes="csc-data-table",
                                  float_format=lambda v: f"{v:,.1f}")

    def embed_html(self) -> str:
        """The chart as a container div and its Vega-Lite spec, drawn by a global `vegaEmbed`."""
        spec = self.chart.to_json(indent=None)
        chart_id = "csc-chart-" + hashlib.sha256(spec.encode()).hexdigest()[:12]
        title = html.escape(_title_text(self.chart), quote=True)
        safe = spec.replace("<", "\\u003c")  # JSON's own escape: no tag can start inside the script element
        return (
            f'<figure class="csc-chart-figure"><div class="csc-chart" id="{chart_id}" role="img" '
            f'aria-label="{title}"></div>'
            f'<script type="application/json" class="csc-vega-spec" data-chart-id="{chart_id}">{safe}</script>'
            f'<script>vegaEmbed("#{chart_id}", JSON.parse(document.querySelector(\'[data-chart-id="{chart_id}"]\').textContent), '
            f'{{"renderer": "svg", "actions": false}}).catch(function (e) {{ console.error(e); }});</script>'
            "</figure>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.embed_html()) if os.environ.get(EMBED_ENV) else self.chart)
        display(HTML(
            f'<div class="csc-figure-text"><p class="csc-alt-text"><strong>What this chart shows:</strong> '
            f"{html.escape(self.alt_text)}</p><details><summary>Data table for this chart</summary>"
            f"{self.table_html()}</details></div>"
        ))


def _title_text(chart: alt.TopLevelMixin) -> str:
    """The chart's title (and subtitle) as plain text, for its accessible name."""
    spec = json.loads(chart.to_json(indent=None))
    title = spec.get("title", "")
    if isinstance(title, dict):
        sub = title.get("subtitle", "")
        sub = " ".join(sub) if isinstance(sub, list) else sub
        text = title.get("text", "")
        text = " ".join(text) if isinstance(text, list) else text
        title = " ".join(t for t in (text, sub) if t)
    return title if isinstance(title, str) else " ".join(title)
