"""#13.19: strings from data or the user reach Markdown and HTML escaped (a `<script>` never runs)."""

import dataclasses

import altair as alt
import IPython.display
import pandas as pd

from csc_analysis import caseload_snapshot, load, report, safe
from csc_analysis.charts import Figure
from csc_analysis.charts.benchmark import headline_table
from csc_analysis.words import common as common_words
from csc_analysis.words import demand as demand_words
from csc_analysis.words import placements as placements_words

HOSTILE = "<script>alert(1)</script>"


def test_markdown_and_html_text():
    assert safe.md(f"Team_A *{HOSTILE}* [x](javascript:y) & co") == (
        r"Team\_A \*&lt;script&gt;alert(1)&lt;/script&gt;\* \[x\](javascript:y) &amp; co"
    )
    assert safe.html_text('"a" <b>') == "&quot;a&quot; &lt;b&gt;"


def test_team_names_in_the_caseload_table_are_escaped():
    """Notebook 03 shows caseload_snapshot.team_summary through safe.table; a team named <script> shows as text."""
    workers = pd.DataFrame(
        {
            "worker_id": [f"W{i}" for i in range(6)],
            "team": [HOSTILE] * 6,
            "role": "social worker",
            "employment_type": ["permanent"] * 5 + ["agency"],
            "asye": False,
            "fte": 1.0,
            "caseload": [10, 12, 14, 16, 18, 20],
        }
    )
    shown = safe.table(caseload_snapshot.team_summary(workers), precision=1, na_rep="n/a").to_html()
    assert "<script>alert" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_la_names_in_sentences_are_escaped(registry, published):
    la = dataclasses.replace(registry.resolve("Oldham"), la_name=f"Oldham{HOSTILE}")
    gaps = pd.DataFrame({"indicator": ["cla_rate_per_10k"], "year": [2020], "reason": ["suppressed (c)"]})
    for sentence in (
        demand_words.gaps_sentence(gaps, la.la_name),
        placements_words.projection_sentence(None, la.la_name),
    ):
        assert "<script>" not in sentence and "Oldham&lt;script&gt;" in sentence
    notes = common_words.notes(load.provenance().assign(publication=HOSTILE), published)
    assert "<script>" not in notes and "&lt;script&gt;" in notes


def test_headline_table_and_chart_text_are_escaped(monkeypatch):
    headline = pd.DataFrame(
        {
            "indicator": ["referrals"],
            "label": ["Referrals"],
            "year": [2025],
            "value": [1.0],
            "unit": ["count"],
            "sn_median": [1.0],
            "region_value": [1.0],
            "england_value": [1.0],
            "rank": [1],
            "n_ranked": [150],
            "quartile": [1],
            "vs_sn": ["n/a"],
            "vs_england": ["similar"],
        }
    )
    shown = headline_table(headline, HOSTILE).to_html()
    assert "<script>" not in shown and shown.count("&lt;script&gt;") == 2  # column heading and caption
    frame = pd.DataFrame({"year": [2024], "value": [1.0]})
    figure = Figure(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q"), f"{HOSTILE} rose.", frame)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(getattr(obj, "data", obj)))
    figure._ipython_display_()
    page = shown[-1]["text/html"]  # the HTML part (text/plain is shown as text, never as markup)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page


def test_pack_provenance_and_index_are_escaped(registry):
    prov = load.provenance().assign(sha256=HOSTILE, file="a<b>.csv")
    la = dataclasses.replace(registry.resolve("Oldham"), la_name=HOSTILE, region_name=HOSTILE)
    pages = {
        "01_x": {
            "title": HOSTILE,
            "files": ["01_x.html"],
            "run_date": "2026-01-01 10:00",
            "parameters": {"la": HOSTILE},
        }
    }
    for page in (report.provenance_html(prov, {"la": HOSTILE}), report.index_html(la, pages, prov, "2026-01-01")):
        assert "<script>" not in page and "<b>" not in page and "&lt;script&gt;" in page


def test_chart_spec_cannot_open_a_tag():
    """An LA name in a chart title sits in the page as JSON inside a <script> element: `<` is written as \\u003c."""
    import json
    import re

    frame = pd.DataFrame({"year": [2024], "value": [1.0]})
    figure = Figure(
        alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q").properties(title=HOSTILE), "A line.", frame
    )
    from csc_analysis.charts import embed_html

    page = embed_html(figure.chart.to_dict(), figure.title())
    assert "<script>alert" not in page
    spec = re.search(r'<script type="application/json" class="csc-vega-spec"[^>]*>(.*?)</script>', page).group(1)
    assert json.loads(spec)["title"] == HOSTILE
