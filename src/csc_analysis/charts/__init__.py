"""Altair charts. Shared look and accessibility rules live here; each topic has a module.

Every chart in the package follows the same rules:

- a colour-blind-safe palette (Okabe-Ito), the chosen LA always in `PALETTE["la"]`;
- the LA highlighted by more than colour: a thicker line, filled point markers and a label;
- a title that states the finding (built from the data by the caller) and a description;
- shown with `Figure`, which adds a text alternative and the data table behind the chart, and
  displays as Vega that JupyterLab draws with no network (see the mime types below).
"""

import dataclasses
import datetime as dt
import hashlib
import html
import importlib
import json
import math
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from .. import vega_by_builder


def _import_altair():
    """Altair, imported without jsonschema's optional `rfc3987_syntax`.

    jsonschema (which Altair imports) loads rfc3987_syntax, when installed (JupyterLab's jupyter-events
    installs it), to check the "iri" string format; building its grammar costs about 1.3 s of CPU in every
    kernel, and the Vega-Lite schema Altair validates against never uses that format. The module is hidden only
    while jsonschema is first imported, so code that imports rfc3987_syntax itself still can.
    """
    hide = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if hide:
        sys.modules["rfc3987_syntax"] = None  # import fails; jsonschema leaves "iri" unchecked
    try:
        return importlib.import_module("altair")
    finally:
        if hide:
            del sys.modules["rfc3987_syntax"]


if TYPE_CHECKING:
    import altair as alt
    from altair.vegalite.v6.api import ChartType
else:
    alt = _import_altair()

# Mime types in a chart's display data. JupyterLab 4 (and Notebook 7) draw Vega v5 specs with
# their built-in renderer, bundled with the server, so charts draw with no network; Altair 6's
# Vega-Lite 6 output is compiled to Vega here (vl-convert, no browser needed). The pack builder
# (report.py) reads the csc types back to draw, export and tabulate charts without parsing HTML.
VEGA_MIME = "application/vnd.vega.v5+json"
FIGURE_MIME = "application/vnd.csc-figure+json"
TABLE_MIME = "application/vnd.csc-table+json"

# Okabe & Ito (2008), safe for the common forms of colour-blindness.
PALETTE = {
    "la": "#D55E00",  # vermillion: the chosen LA
    "sn": "#0072B2",  # blue: statistical-neighbour median and band
    "neighbour": "#56B4E9",  # sky blue: individual neighbours
    "region": "#009E73",  # bluish green
    "england": "#000000",  # black
    "other": "#BBBBBB",  # grey: every other LA
    "better": "#009E73",
    "worse": "#D55E00",
    "similar": "#999999",
}
FONT = "Arial, Helvetica, sans-serif"
# Small multiples' own y scales, set as the chart is made: `.resolve_scale()`, like `.properties()`, copies a
# layered or faceted chart, every layer deeply, each time it is called.
INDEPENDENT_Y = alt.Resolve(scale=alt.ScaleResolveMap(y="independent"))
NEIGHBOUR_GROUP, OTHER_GROUP = "Statistical neighbour", "Other LAs"


def la_groups(la_codes: pd.Series, la, sn_codes: list[str]) -> np.ndarray:
    """Each LA's group in an all-LA chart: the chosen LA's name, "Statistical neighbour" or "Other LAs"."""
    return np.where(la_codes == la.la_code, la.la_name, np.where(la_codes.isin(sn_codes), NEIGHBOUR_GROUP, OTHER_GROUP))


def group_scales(la_name: str, sizes: tuple[int, int, int] = (160, 60, 25)) -> dict[str, alt.Scale]:
    """Colour, shape and size scales for `la_groups`: the LA a large vermillion diamond, neighbours sky blue,
    other LAs small and grey (draw with `order=alt.Order("layer:Q")` and `draw_order` so the LA is on top)."""
    domain = [la_name, NEIGHBOUR_GROUP, OTHER_GROUP]
    return {
        "color": alt.Scale(domain=domain, range=[PALETTE["la"], PALETTE["neighbour"], PALETTE["other"]]),
        "shape": alt.Scale(domain=domain, range=["diamond", "circle", "circle"]),
        "size": alt.Scale(domain=domain, range=list(sizes)),
    }


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


_Chart = TypeVar("_Chart", bound="ChartType")  # any top-level chart; the one given is the one returned


def base_config(chart: _Chart) -> _Chart:
    """The package's fonts and sizes, readable when pasted into a committee report: set on `chart` and returned.

    Axis and legend labels have no pixel limit (Vega's defaults, 180 and 160 px, cut a long LA name or
    category with "…"); the chart grows to fit them instead.

    The chart is changed in place (callers pass the chart they have just built): Altair's `configure_*` methods
    each copy the chart, and copying a layered or faceted chart copies every layer, deeply, again (five copies
    were a tenth of a pack's chart-building time).
    """
    chart.config = alt.Config(
        font=FONT,
        title=alt.TitleConfig(fontSize=15, anchor="start", subtitleFontSize=12, subtitleColor="#333333"),
        axis=alt.AxisConfig(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#e5e5e5", labelLimit=0),
        legend=alt.LegendConfig(labelFontSize=12, titleFontSize=12, orient="bottom", labelLimit=0),
        view=alt.ViewConfig(stroke=None),
    )
    return chart


def draw_order(la_codes: pd.Series, la_code: str, sn_codes: list[str]):
    """Drawing order for an `order` channel: other LAs 0, statistical neighbours 1, the chosen LA 2 (drawn last,
    on top). An order by group name would put an LA named after "Statistical neighbour" (Wigan) underneath.

    >>> list(draw_order(pd.Series(["353", "354", "999"]), "353", ["354"]))
    [2, 1, 0]
    """
    return la_codes.eq(la_code).astype(int) * 2 + (la_codes.isin(sn_codes) & la_codes.ne(la_code)).astype(int)


def panel_header(**kwargs) -> alt.Header:
    """A facet's panel titles in full: a label wraps at the " | " that `wrap_label` puts in it, never cut."""
    return alt.Header(labelLimit=0, labelExpr="split(datum.value, ' | ')", **kwargs)


def wrap_label(text: str, width: int = 34) -> str:
    """A panel title broken into lines of at most `width` characters for `panel_header`.

    >>> wrap_label("Children on a child protection plan per 10,000 children")
    'Children on a child protection | plan per 10,000 children'
    """
    import textwrap

    return " | ".join(textwrap.wrap(text, width))


@dataclass
class Figure:
    """A chart with its text alternative and the data behind it.

    In a notebook it displays as the chart, then a paragraph describing it (generated from
    the data by the caller) and a collapsible data table, so a screen-reader user, or a
    reader who wants the numbers, has them. `la_name`, `year` and `status` ("SYNTHETIC" or
    "ILLUSTRATIVE" when the data are not real) are printed on exported images; left empty,
    the pack builder fills the LA and takes the year from the data table.
    """

    chart: alt.TopLevelMixin
    alt_text: str
    table: pd.DataFrame
    la_name: str = ""
    year: str = ""
    status: str = ""

    def marked(self, status: str, year: str = "") -> "Figure":
        """The same figure labelled SYNTHETIC or ILLUSTRATIVE ("" for real data), and with its data date if given."""
        return dataclasses.replace(self, status=status, year=year or self.year)

    def table_html(self) -> str:
        # pandas prints None as "None" in a column that holds nothing else: every missing value as NaN reads "n/a"
        table = self.table.where(self.table.notna(), float("nan"))
        return table.to_html(
            index=False, na_rep="n/a", border=0, classes="csc-data-table", float_format=lambda v: f"{v:,.1f}"
        )

    def title(self) -> str:
        return _title_text(self.chart.to_dict())

    def mime_bundle(self) -> tuple[dict, dict]:
        """The chart's display data: our record for the pack, plain text and, unless the pack builder that runs
        the page compiles it (`vega_by_builder`), Vega for Jupyter's own renderer (`vega_output`)."""
        # The one serialisation of the chart. Checking it against the Vega-Lite schema costs as much again, so a
        # page skips it; the test suite (the root conftest.py sets CSC_VALIDATE_CHARTS=1, which the notebook kernels it
        # starts inherit) checks every chart it displays, and tests/test_chart_rules.py every chart builder's.
        spec = json_safe(self.chart.to_dict(validate=os.environ.get("CSC_VALIDATE_CHARTS") == "1"))
        title = _title_text(spec)
        record = {
            "vegalite": spec,
            "title": title,
            "alt_text": self.alt_text,
            "la_name": self.la_name,
            "year": self.year or data_year(self.table),
            "status": self.status,
        }
        data = {FIGURE_MIME: record, "text/plain": f"Chart: {title}"}
        if vega_by_builder.ON:
            return data, {}
        vega, metadata = vega_output(spec)
        return {VEGA_MIME: vega, **data}, metadata

    def _ipython_display_(self) -> None:
        from IPython.display import display

        data, metadata = self.mime_bundle()
        display(data, metadata=metadata, raw=True)
        text = (
            f'<div class="csc-figure-text"><p class="csc-alt-text"><strong>What this chart shows:</strong> '
            f"{html.escape(self.alt_text)}</p><details><summary>Data table for this chart</summary>"
            f"{self.table_html()}</details></div>"
        )
        meta = {"title": data[FIGURE_MIME]["title"], "la_name": self.la_name, "year": self.year, "status": self.status}
        display(
            {"text/html": text, "text/plain": self.alt_text, TABLE_MIME: table_record(self.table, **meta)}, raw=True
        )


def vega_output(spec: dict) -> tuple[dict, dict]:
    """A Vega-Lite spec compiled to Vega v5, with the display metadata JupyterLab's renderer reads."""
    import vl_convert

    vega = vl_convert.vegalite_to_vega(spec)
    vega["$schema"] = "https://vega.github.io/schema/vega/v5.json"
    return vega, {VEGA_MIME: {"embed_options": {"renderer": "svg", "actions": False}}}


def embed_html(spec: dict, title: str) -> str:
    """A Vega-Lite spec as a container div drawn by a global `vegaEmbed` (the pack inlines the libraries)."""
    text = json.dumps(spec, separators=(",", ":"))
    chart_id = "csc-chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    safe = text.replace("<", "\\u003c")  # JSON's own escape: no tag can start inside the script element
    return (
        f'<figure class="csc-chart-figure"><div class="csc-chart" id="{chart_id}" role="img" '
        f'aria-label="{html.escape(title, quote=True)}"></div>'
        f'<script type="application/json" class="csc-vega-spec" data-chart-id="{chart_id}">{safe}</script>'
        f'<script>vegaEmbed("#{chart_id}", '
        f"JSON.parse(document.querySelector('[data-chart-id=\"{chart_id}\"]').textContent), "
        f'{{"renderer": "svg", "actions": false}}).catch(function (e) {{ console.error(e); }});</script>'
        "</figure>"
    )


def json_safe(value):
    """A spec with every non-finite number (a NaN left in an object column of a chart's data) as null: JSON has
    no NaN, and Jupyter would otherwise print a serialisation warning into the page.

    >>> json_safe({"values": [{"flag": float("nan"), "v": 1.5}]})
    {'values': [{'flag': None, 'v': 1.5}]}
    """
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def data_year(table: pd.DataFrame) -> str:
    """The year(s) a table covers, from its year or period column: "2024" or "2019 to 2024"; "" if none."""
    column = next((c for c in table.columns if str(c).lower() in ("year", "period", "financial_year")), None)
    if column is None:
        return ""
    values = sorted({str(v)[:4] if isinstance(v, (pd.Timestamp, dt.date)) else str(v) for v in table[column].dropna()})
    if not values:
        return ""
    return values[0] if len(values) == 1 else f"{values[0]} to {values[-1]}"


def table_record(
    table, title: str = "", la_name: str = "", year: str = "", unit: str = "", source: str = "", status: str = ""
) -> dict:
    """A table (DataFrame or pandas Styler) as JSON for the pack's workbook: header facts, columns, rows.

    Values keep their type; missing values become null and DfE symbols (text) stay as they are.
    A Styler's caption is its title; hidden index is dropped, a meaningful index becomes columns.
    A display table of formatted text can carry its workbook form in `attrs["workbook"]`: a frame of numbers
    (and DfE symbols), rows of Excel number formats and the unit for the header block (see
    `benchmark.headline_table`).
    """
    from pandas.io.formats.style import Styler

    frame, caption = (table.data, table.caption or "") if isinstance(table, Styler) else (table, "")
    book = frame.attrs.get("workbook")
    if book:
        frame, unit = book["frame"], unit or book["unit"]
    if any(name is not None for name in frame.index.names):  # a meaningful index, e.g. after groupby
        frame = frame.reset_index()
    rows = [[_json_value(v) for v in row] for row in frame.itertuples(index=False)]
    record = {
        "title": title or caption,
        "la_name": la_name,
        "year": year or data_year(frame),
        "unit": unit,
        "source": source,
        "status": status,
        "columns": [str(c) for c in frame.columns],
        "rows": rows,
    }
    return {**record, "formats": book["formats"]} if book else record


def _json_value(value):
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()[:10]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value if isinstance(value, (int, float, str, bool)) else str(value)


def _table_bundle(table) -> dict:
    return {TABLE_MIME: table_record(table)}


def register_table_display() -> None:
    """In a running IPython kernel, give every DataFrame and Styler display a `TABLE_MIME` record too."""
    from pandas.io.formats.style import Styler

    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.mimebundle_formatter
    formatter.for_type(pd.DataFrame, _table_bundle)
    formatter.for_type(Styler, _table_bundle)


def _title_text(spec: dict) -> str:
    """The title (and subtitle) of a chart's Vega-Lite spec as plain text, for its accessible name."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        sub = title.get("subtitle", "")
        sub = " ".join(sub) if isinstance(sub, list) else sub
        text = title.get("text", "")
        text = " ".join(text) if isinstance(text, list) else text
        title = " ".join(t for t in (text, sub) if t)
    return title if isinstance(title, str) else " ".join(title)


register_table_display()
