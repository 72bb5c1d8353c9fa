"""Pack exports: chart records in display data, stamped chart images, the Excel workbook and A4 PDFs."""

import shutil
import subprocess

import altair as alt
import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from csc_analysis import charts, exports, load, report
from csc_analysis.cli import cli
from csc_analysis.errors import CscError

CHROMIUM = next((shutil.which(n) for n in exports.CHROMIUM_NAMES if shutil.which(n)), None)

FRAME = pd.DataFrame({"year": [2023, 2024], "value": [1.0, 2.0]})


def _figure(**kwargs) -> charts.Figure:
    chart = alt.Chart(FRAME).mark_line().encode(x="year:O", y="value:Q").properties(title="Value doubled to 2.0")
    return charts.Figure(chart, "Line chart of value, 2023 to 2024.", FRAME, **kwargs)


def test_figure_display_data_carries_vega5_for_jupyter_and_a_record():
    data, metadata = _figure(year="2024").mime_bundle()
    assert data[charts.VEGA_MIME]["$schema"].endswith("/vega/v5.json")
    assert data[charts.VEGA_MIME]["marks"]  # compiled Vega, drawn by JupyterLab's own renderer
    assert metadata[charts.VEGA_MIME]["embed_options"]["renderer"] == "svg"
    record = data[charts.FIGURE_MIME]
    assert record["title"] == "Value doubled to 2.0" and record["year"] == "2024" and record["status"] == ""
    assert record["vegalite"]["mark"]["type"] == "line"
    assert "text/html" not in data  # JupyterLab would prefer HTML (which needs a CDN) over Vega


def test_data_year_from_the_table():
    assert charts.data_year(FRAME) == "2023 to 2024"
    assert charts.data_year(pd.DataFrame({"period": [pd.Timestamp("2025-03-01")]})) == "2025"
    assert charts.data_year(pd.DataFrame({"la_name": ["Oldham"]})) == ""


def test_table_record_from_styler_keeps_symbols_and_caption():
    # A suppressed count shown as DfE's "c", a missing value as NaN.
    frame = pd.DataFrame({"Team": ["A", "B"], "Workers": [7, "c"], "FTE": [6.5, float("nan")]})
    record = charts.table_record(frame.style.hide(axis="index").set_caption("Caseloads by team"))
    assert record["title"] == "Caseloads by team"
    assert record["columns"] == ["Team", "Workers", "FTE"]
    assert record["rows"] == [["A", 7, 6.5], ["B", "c", None]]


def _notebook_with_outputs() -> nbformat.NotebookNode:
    """An executed-looking notebook: a heading, an untitled table, a figure (chart + its data table)."""
    table = charts.table_record(pd.DataFrame({"Neighbour": ["Bolton"], "DfE code": ["350"]}))
    data, metadata = _figure(status="SYNTHETIC").mime_bundle()
    fig_table = charts.table_record(FRAME, title="Value doubled to 2.0")
    cells = [
        nbformat.v4.new_markdown_cell("# Page\n\n## Who the neighbours are"),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("display_data", data={charts.TABLE_MIME: table, "text/plain": "t"}),
                nbformat.v4.new_output("display_data", data=data, metadata=metadata),
                nbformat.v4.new_output("display_data", data={charts.TABLE_MIME: fig_table, "text/plain": "t"}),
            ],
        ),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def test_table_records_take_the_section_heading_when_untitled():
    titles = [t["title"] for t in exports.table_records(_notebook_with_outputs())]
    assert titles == ["Who the neighbours are", "Value doubled to 2.0"]


def test_with_chart_html_adds_the_pack_div_without_touching_the_original():
    nb = _notebook_with_outputs()
    out = exports.with_chart_html(nb).cells[1].outputs[1]
    assert (
        '<div class="csc-chart"' in out.data["text/html"]
        and 'aria-label="Value doubled to 2.0"' in out.data["text/html"]
    )
    assert "text/html" not in nb.cells[1].outputs[1].data


def test_exported_chart_images_carry_la_year_and_status(tmp_path):
    written = exports.export_charts(_notebook_with_outputs(), tmp_path, "01_page", "Oldham")
    assert [p.name for p in written] == ["01_page-chart-01.svg", "01_page-chart-01.png"]
    svg = written[0].read_text()
    # The figure's table has years 2023 and 2024; the status was given as SYNTHETIC.
    assert "Oldham" in svg and "data: 2023 to 2024" in svg and "SYNTHETIC: not real data" in svg
    assert written[1].read_bytes()[:4] == b"\x89PNG"


def test_stamped_spec_keeps_the_subtitle_and_prefixes_the_title():
    record = {
        "vegalite": {"title": {"text": "Costs rise", "subtitle": "Black line: range"}, "mark": "bar"},
        "year": "2026",
        "status": "ILLUSTRATIVE",
        "la_name": "",
    }
    title = exports.stamped_spec(record, "Leeds")["title"]
    assert title["text"] == ["ILLUSTRATIVE", "Costs rise"]
    assert title["subtitle"] == ["Black line: range", "ILLUSTRATIVE: not real figures · Leeds · data: 2026"]


def test_sheet_names_are_short_valid_and_unique():
    taken: set[str] = set()
    long = "04 Oldham is above its neighbours' median on 12 of 12 indicators"
    assert exports.sheet_name(long, taken) == long[:31]
    assert exports.sheet_name(long, taken) == long[:27] + " (2)"
    assert (
        exports.sheet_name("Rates: a/b [2024]?", taken) == "Rates a b 2024"
    )  # forbidden characters become spaces, runs of spaces one
    assert all(len(n) <= 31 for n in taken)


def test_workbook_scorecard_first_header_block_and_symbols(tmp_path):
    tables = [
        {
            "title": "Caseloads by team",
            "la_name": "Oldham",
            "unit": "cases",
            "source": "snapshot",
            "year": "2025",
            "status": "SYNTHETIC",
            "columns": ["Team", "Workers"],
            "rows": [["A", 7], ["B", "c"]],
        }
    ]
    first = {"title": "Scorecard", "la_name": "Oldham", "columns": ["Indicator", "Value"], "rows": [["x", None]]}
    book = load_workbook(exports.write_workbook(tables, tmp_path / "pack.xlsx", first=first))
    assert book.sheetnames == ["Scorecard", "Caseloads by team"]
    sheet = book["Caseloads by team"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[:6] == [
        ["Title", "Caseloads by team"],
        ["Local authority", "Oldham"],
        ["Unit", "cases"],
        ["Source", "snapshot"],
        ["Year", "2025"],
        ["Status", "SYNTHETIC: not real data"],
    ]
    assert rows[7:] == [["Team", "Workers"], ["A", 7], ["B", "c"]]
    assert list(book["Scorecard"].iter_rows(values_only=True))[-1] == ("x", None)


def test_pdf_without_chromium_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CscError, match="--pdf needs Chromium"):
        exports.find_chromium()
    result = CliRunner().invoke(cli, ["run", "--la", "Oldham", "--notebook", "04", "--pdf", "--out", "unused"])
    assert result.exit_code == 1 and "--pdf needs Chromium" in result.output and "Traceback" not in result.output


PACK_NOTEBOOK = [
    nbformat.v4.new_markdown_cell("# Exports fixture\n\n## Headline table"),
    nbformat.v4.new_code_cell('la: str = "Oldham"', metadata={"tags": ["parameters"]}),
    nbformat.v4.new_code_cell(
        "import altair as alt\nimport pandas as pd\nfrom csc_analysis import charts\n"
        'pd.DataFrame({"Indicator": ["Referrals", "Re-referrals"], "Oldham": [654.9, "c"]})'
    ),
    nbformat.v4.new_code_cell(
        'frame = pd.DataFrame({"year": [2023, 2024], "value": [1.0, 2.0]})\n'
        'charts.Figure(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q")'
        '.properties(title="Value doubled to 2.0"), "Line chart.", frame).marked("SYNTHETIC")'
    ),
]


@pytest.fixture(scope="module")
def exports_pack(tmp_path_factory, registry):
    """A pack of one small notebook with every export: charts, workbook and (with Chromium) PDFs."""
    folder = tmp_path_factory.mktemp("exports")
    nb_path = folder / "01_exports.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=PACK_NOTEBOOK,
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        nb_path,
    )
    result = report.build_pack(
        registry.resolve("Oldham"),
        [nb_path],
        folder / "out",
        {},
        load.provenance(),
        export=True,
        xlsx=True,
        pdf=CHROMIUM is not None,
    )
    assert result.status == "built", result.error
    return result.pack_dir


def test_pack_workbook(exports_pack):
    book = load_workbook(exports_pack / "oldham.xlsx")
    assert book.sheetnames == ["Scorecard", "01 Headline table", "01 Value doubled to 2.0"]  # scorecard first (#14.11)
    rows = list(book["01 Headline table"].iter_rows(values_only=True))
    assert rows[0] == ("Title", "Headline table") and rows[1] == ("Local authority", "Oldham")
    assert rows[-2:] == [("Referrals", 654.9), ("Re-referrals", "c")]
    chart_rows = list(book["01 Value doubled to 2.0"].iter_rows(values_only=True))
    assert ("Status", "SYNTHETIC: not real data") in chart_rows and ("Year", "2023 to 2024") in chart_rows


def test_pack_chart_export_and_page_html(exports_pack):
    svg = (exports_pack / "charts" / "01_exports-chart-01.svg").read_text()
    assert "Oldham · data: 2023 to 2024" in svg and "SYNTHETIC" in svg
    page = (exports_pack / "01_exports.html").read_text()
    assert page.count('class="csc-chart"') == 1 and "beforeprint" in page


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")
@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="no pdfinfo to read the PDF back (apt-get install poppler-utils)"
)
def test_pack_pdfs_are_a4_with_header_and_drawn_charts(exports_pack):
    import json

    manifest = json.loads((exports_pack / "pack.json").read_text())
    written = set(manifest["files"]).union(*(page["files"] for page in manifest["pages"].values()))
    assert {"index.pdf", "01_exports.pdf", "oldham.xlsx"} <= written
    info = subprocess.run(["pdfinfo", exports_pack / "01_exports.pdf"], capture_output=True, text=True).stdout
    assert "(A4)" in info
    text = subprocess.run(
        ["pdftotext", "-layout", exports_pack / "01_exports.pdf", "-"], capture_output=True, text=True
    ).stdout
    assert "Oldham · Exports fixture" in text and "Pack of 20" in text and "Page 1 of" in text
    # Chart text is drawn by Vega in the browser: its title and axis labels only exist once it rendered.
    assert "Value doubled to 2.0" in text and "2023" in text and "value" in text
    assert "Re-referrals" in text


def test_tables_in_a_synthetic_section_are_marked_until_the_next_heading():
    record = charts.table_record(pd.DataFrame({"Team": ["Synthetic team 01"], "Workers": [24]}))
    show = nbformat.v4.new_output("display_data", data={charts.TABLE_MIME: record, "text/plain": "t"})
    notice = nbformat.v4.new_output(
        "display_data", data={"text/markdown": "**SYNTHETIC DEMO DATA.** No local file.", "text/plain": "n"}
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## Local caseload snapshot"),
            nbformat.v4.new_code_cell("x", outputs=[show]),  # before the notice: not marked
            nbformat.v4.new_code_cell("x", outputs=[notice, show]),
            nbformat.v4.new_markdown_cell("## The cost of agency cover"),
            nbformat.v4.new_code_cell("x", outputs=[show]),
        ]
    )
    assert [(t["title"], t["status"]) for t in exports.table_records(nb)] == [
        ("Local caseload snapshot", ""),
        ("Local caseload snapshot", "SYNTHETIC"),
        ("The cost of agency cover", ""),
    ]


def _headline_sheet(headline: pd.DataFrame, la_name: str, path):
    from csc_analysis.charts.benchmark import headline_table

    exports.write_workbook([charts.table_record(headline_table(headline, la_name))], path)
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows())
    heading = next(i for i, r in enumerate(rows) if r[0].value == "Theme")
    columns = [c.value for c in rows[heading]]
    return sheet, {r[columns.index("Indicator")].value: dict(zip(columns, r)) for r in rows[heading + 1 :]}


def test_workbook_headline_figures_are_numbers_with_formats(published, registry, sn_models, tmp_path):
    """#14: the headline sheet held text ("94.0%", "4,196"); figures are now numbers with a number format.

    Oldham, read by hand: la_conviction_health_outcome_cla 2025 "Had their annual health assessment,397,94"
    (DfE's whole-number percentage 94); c1 referrals 2025 "...,Oldham,Referrals and Re-referrals,4196,887,21.1,..."
    (4,196 referrals beside the referral rate)."""
    from csc_analysis import benchmark, neighbours, scorecard

    la = registry.resolve("Oldham")
    sn = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    table = benchmark.benchmark(published, la, sn, scorecard.with_counts(benchmark.HEADLINE_INDICATORS))
    headline = scorecard.travel(table, benchmark.headline(table))
    sheet, rows = _headline_sheet(headline, "Oldham", tmp_path / "book.xlsx")
    health = rows["Children looked after 12+ months had their annual health assessment (%)"]
    assert (health["Oldham"].value, health["Oldham"].data_type, health["Oldham"].number_format) == (94, "n", '#,##0"%"')
    assert health["Unit"].value == "%" and health["Year"].value == 2025
    referrals = rows["Referrals per 10,000 children"]
    assert (referrals["Count"].value, referrals["Count"].data_type, referrals["Count"].number_format) == (
        4196,
        "n",
        "#,##0",
    )
    assert referrals["Oldham"].data_type == "n" and referrals["Oldham"].number_format == "#,##0.0"
    header = {r[0].value: r[1].value for r in sheet.iter_rows(max_row=6)}
    assert header["Unit"].startswith("each row in the unit of its Unit column")


def test_workbook_headline_suppressed_figure_is_its_symbol(tmp_path):
    headline = pd.DataFrame(
        {
            "indicator": ["care_leavers_19_21_intouch_pct"],
            "label": ["In touch (%)"],
            "year": [2024],
            "value": [float("nan")],
            "status": ["c"],
            "unit": ["percent"],
            "sn_median": [93.5],
            "region_value": [float("nan")],
            "england_value": [93.0],
            "rank": [None],
            "n_ranked": [150],
            "quartile": [None],
            "vs_sn": ["n/a"],
            "vs_england": ["n/a"],
        }
    )
    _, rows = _headline_sheet(headline, "Oldham", tmp_path / "book.xlsx")
    row = rows["In touch (%)"]
    assert (row["Oldham"].value, row["Oldham"].data_type) == ("c", "s")  # the DfE symbol, never 0
    assert row["Region"].value is None  # missing stays empty
    assert (row["Neighbour median"].value, row["Neighbour median"].number_format) == (93.5, '#,##0"%"')


def test_workbook_scorecard_figures_are_numbers(published, registry, sn_models, tmp_path):
    """#14.11: the scorecard sheet held the index page's text ("654.9 per 10,000 (2025)", "4,196"); its figures
    are now numbers with a number format, with the year and unit in their own columns.

    Oldham 2025, read by hand: c1 "...,Oldham,Referrals and Re-referrals,4196,887,21.1,..." (4,196 referrals;
    re-referrals 21.1%, DfE to one decimal); 4,196 / 64,069 children (ONS mid-2024) x 10,000 = 654.9."""
    from csc_analysis import neighbours, scorecard

    la = registry.resolve("Oldham")
    card = scorecard.for_la(published, la, list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"]))
    record = charts.table_record(scorecard.display_table(card), title="Scorecard", la_name="Oldham")
    sheet = load_workbook(exports.write_workbook([], tmp_path / "card.xlsx", first=record))["Scorecard"]
    rows = list(sheet.iter_rows())
    heading = next(i for i, r in enumerate(rows) if r[0].value == "Area")
    columns = [c.value for c in rows[heading]]
    by_label = {r[columns.index("Indicator")].value: dict(zip(columns, r)) for r in rows[heading + 1 :]}
    referrals = by_label["Referrals per 10,000 children"]
    assert referrals["Latest"].data_type == "n" and round(referrals["Latest"].value, 1) == 654.9
    assert referrals["Latest"].number_format == "#,##0.0" and referrals["Year"].value == 2025
    assert (referrals["Count"].value, referrals["Count"].number_format) == (4196, "#,##0")
    rereferrals = by_label["Re-referrals within 12 months (% of referrals)"]
    assert (rereferrals["Latest"].value, rereferrals["Latest"].number_format) == (21.1, '#,##0.0"%"')
