"""What a pack carries besides its pages: chart images, one Excel workbook and A4 PDFs.

All three are read from the executed notebooks' display data, never by parsing HTML: every
`charts.Figure` leaves a `FIGURE_MIME` record (its Vega-Lite spec, title, LA, year, status)
and every table shown (Figure data tables, DataFrames and Stylers) a `TABLE_MIME` record.
"""

import copy
import html
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat

from .catalogue import decimals
from .charts import FIGURE_MIME, TABLE_MIME, VEGA_MIME, embed_html, vega_output
from .errors import CscError

STATUS_WORDS = {"SYNTHETIC": "SYNTHETIC: not real data", "ILLUSTRATIVE": "ILLUSTRATIVE: not real figures"}
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_MARGIN: Any = {"top": "18mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}


def _outputs(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        yield from cell.get("outputs", [])


# Display data that only the package reads (charts' Vega and Vega-Lite specs, tables' records): the page shows
# each chart from the HTML made from its spec, so these are left out of the copy that is rendered.
PACKAGE_MIMES = (FIGURE_MIME, VEGA_MIME, TABLE_MIME)


def with_chart_html(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of an executed notebook for the pack's page: each chart as the pack's HTML (a div drawn by
    vegaEmbed from the chart's spec) and no package-only display data. The original is not changed.

    Only the outputs are rebuilt (no deep copy of the specs and their data, which is most of a page's
    rendering time); the page renderer copies what it keeps."""
    nb = copy.copy(nb)
    nb.cells = [_for_page(cell) for cell in nb.cells]
    return nb


def _for_page(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    if "outputs" not in cell:
        return cell
    outputs = []
    for out in cell["outputs"]:
        data = out.get("data", {})
        if any(mime in data for mime in PACKAGE_MIMES):
            kept = {k: v for k, v in data.items() if k not in PACKAGE_MIMES}
            record = data.get(FIGURE_MIME)
            if record:
                kept["text/html"] = embed_html(record["vegalite"], record["title"])
            out = nbformat.NotebookNode(
                {**out, "data": nbformat.NotebookNode(kept), "metadata": nbformat.NotebookNode({})}
            )
        outputs.append(out)
    return nbformat.NotebookNode({**cell, "outputs": outputs})


def with_vega(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The executed notebook, changed in place: every chart that has no Vega (a page whose kernel left compiling to
    the pack builder, `vega_by_builder`) gets the Vega and display metadata its kernel would have written, so
    JupyterLab draws it offline."""
    for out in _outputs(nb):
        data = out.get("data", {})
        if FIGURE_MIME in data and VEGA_MIME not in data:
            vega, metadata = vega_output(data[FIGURE_MIME]["vegalite"])
            data[VEGA_MIME] = nbformat.from_dict(vega)
            out["metadata"] = nbformat.from_dict({**out.get("metadata", {}), **metadata})
    return nb


def chart_records(nb: nbformat.NotebookNode) -> list[dict]:
    """Every chart's record, in the order shown."""
    return [out["data"][FIGURE_MIME] for out in _outputs(nb) if FIGURE_MIME in out.get("data", {})]


def table_records(nb: nbformat.NotebookNode) -> list[dict]:
    """Every table shown, in order, with the facts its section gives.

    An untitled table takes the heading of the section it sits in; a table in a section that opens a
    paragraph with **SYNTHETIC or **ILLUSTRATIVE (the notebooks' notice for demo data) takes that word.
    """
    found, heading, status = [], "", ""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            record = out.get("data", {}).get(TABLE_MIME)
            if record:
                found.append({**record, "title": record["title"] or heading, "status": record["status"] or status})
            text = "".join(out.get("data", {}).get("text/markdown", ""))
            heading, status = _section(text, heading, status)
        if cell.cell_type == "markdown":
            heading, status = _section(cell.source, heading, status)
    return found


def _section(text: str, heading: str, status: str) -> tuple[str, str]:
    """The (heading, status) after reading Markdown `text`: a new heading starts a section with no status."""
    titles = re.findall(r"^#{1,4}\s+(.+)$", text, flags=re.M)
    if titles:
        heading, status = titles[-1].strip(), ""
    notice = re.search(r"^\*\*(SYNTHETIC|ILLUSTRATIVE)\b", text, flags=re.M)
    return heading, notice.group(1) if notice else status


def stamped_spec(record: dict, la_name: str) -> dict:
    """The chart's spec with the LA, the data year and any SYNTHETIC/ILLUSTRATIVE word in its title block."""
    spec = copy.deepcopy(record["vegalite"])
    title = spec.get("title", "")
    title = dict(title) if isinstance(title, dict) else {"text": title}
    subtitle = title.get("subtitle", [])
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    year = record.get("year") or ""
    stamp = " · ".join(p for p in (record.get("la_name") or la_name, f"data: {year}" if year else "") if p)
    status = record.get("status") or ""
    if status:
        stamp = f"{STATUS_WORDS.get(status, status)} · {stamp}"
        text = title.get("text", "")
        title["text"] = [status, *text] if isinstance(text, list) else [status, text] if text else status
    title["subtitle"] = [*subtitle, stamp]
    spec["title"] = title
    return spec


def export_charts(nb: nbformat.NotebookNode, folder: Path, stem: str, la_name: str) -> list[Path]:
    """Write each chart of an executed notebook as SVG and PNG (2x), stamped with LA, year and status."""
    import vl_convert

    written = []
    for number, record in enumerate(chart_records(nb), start=1):
        spec = stamped_spec(record, la_name)
        svg, png = folder / f"{stem}-chart-{number:02d}.svg", folder / f"{stem}-chart-{number:02d}.png"
        svg.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
        png.write_bytes(vl_convert.vegalite_to_png(spec, scale=2))
        written += [svg, png]
    return written


EXCEL_FORMATS = {
    "count": "#,##0",
    "net_count": "+#,##0;-#,##0;0",
    "fte": "#,##0.0",
    "gbp": '"£"#,##0',
    "gbp_thousands": '"£"#,##0"k"',
}
UNIT_WORDS = {
    "count": "count",
    "net_count": "count (difference)",
    "fte": "FTE",
    "gbp": "£",
    "gbp_thousands": "£ thousands",
    "percent": "%",
    "rate_per_10k": "per 10,000",
    "ratio": "ratio",
}


def number_format(unit: str, indicator: str | None = None) -> str:
    """The Excel number format for a catalogue unit: a percentage stays DfE's figure (96, shown 96%), a rate or
    ratio shows DfE's published decimals (`catalogue.decimals`), counts have thousands separators.

    >>> number_format("percent", "care_leavers_19_21_intouch_pct"), number_format("rate_per_10k"), number_format("gbp")
    ('#,##0"%"', '#,##0.0', '"£"#,##0')
    """
    if unit in EXCEL_FORMATS:
        return EXCEL_FORMATS[unit]
    places = decimals(indicator)
    body = "#,##0" + ("." + "0" * places if places else "")
    return f'{body}"%"' if unit == "percent" else body


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel sheet name from a title: no []:*?/\\ characters, at most 31 characters, unique (case-blind)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip(" '") or "Table"
    base = re.sub(r"\s+", " ", base)
    name, n = base[:31].rstrip(), 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(name.lower())
    return name


def write_workbook(tables: list[dict], path: Path, first: dict | None = None) -> Path:
    """One sheet per table record (`first`, e.g. the scorecard, leading): a header block, then the tidy table.

    The header block gives title, LA, unit, source and year, and SYNTHETIC/ILLUSTRATIVE when the data
    are not real. Values keep their type; DfE symbols (c, x, z, k, u, low) stay as text, missing cells stay empty.
    A record's `formats` (rows of Excel number formats, None for none) are applied to its numeric cells.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for record in ([first] if first else []) + list(tables):
        sheet = book.create_sheet(sheet_name(record.get("sheet") or record["title"], taken))
        header = [
            ("Title", record["title"]),
            ("Local authority", record.get("la_name", "")),
            ("Unit", record.get("unit") or "as given in the column headings"),
            ("Source", record.get("source", "")),
            ("Year", record.get("year", "")),
        ]
        if record.get("status"):
            header.append(("Status", STATUS_WORDS.get(record["status"], record["status"])))
        for label, value in header:
            sheet.append([label, value])
            sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([])
        sheet.append(record["columns"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a string: touching a cell would add a row
        first_row = sheet.max_row + 1
        for row in record["rows"]:
            sheet.append(row)
        for r, row_formats in enumerate(record.get("formats") or [], start=first_row):
            for c, fmt in enumerate(row_formats, start=1):
                if fmt and sheet.cell(r, c).data_type == "n":
                    sheet.cell(r, c).number_format = fmt
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column[len(header) :] if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    if not book.sheetnames:
        book.create_sheet("No tables").append(["This pack shows no tables."])
    book.save(path)
    return path


def find_chromium() -> str:
    """The path of an installed Chromium or Chrome, or a one-line CscError saying how to install one."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise CscError(
        "--pdf needs Chromium or Google Chrome, and none was found on PATH; install it "
        "(Debian/Ubuntu: sudo apt-get install chromium) and run again"
    )


def write_pdfs(
    pages: list[tuple[Path, str]], la_name: str, pack_date: str, landscape: tuple[str, ...] = ("index.html",)
) -> list[Path]:
    """Print each (HTML file, page title) to an A4 PDF beside it, with charts drawn and data tables expanded.

    Headless Chromium (through Playwright, with no network) prints; every page carries the LA, the
    pack date and the page title at its head and page numbers at its foot. Pages named in `landscape`
    (the index, whose scorecard is one A4 landscape page) print landscape.
    """
    chromium = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CscError("--pdf needs Playwright: pip install playwright (no browser download needed)") from None
    header = (
        '<div style="font-size:8px; font-family:Arial, sans-serif; width:100%; margin:0 12mm; '
        'display:flex; justify-content:space-between;"><span>{la} · {title}</span><span>Pack of {date}</span></div>'
    )
    footer = (
        '<div style="font-size:8px; font-family:Arial, sans-serif; width:100%; text-align:center;">'
        'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
    )
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.route(re.compile(r"^(?!file:|data:|about:)"), lambda route: route.abort())
            for source, title in pages:
                page.goto(source.resolve().as_uri(), wait_until="load")
                page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
                page.wait_for_function(
                    "Array.from(document.querySelectorAll('.csc-chart'))"
                    ".every(function (c) { return c.querySelector('svg'); })",
                    timeout=60_000,
                )
                target = source.with_suffix(".pdf")
                page.pdf(
                    path=str(target),
                    format="A4",
                    landscape=source.name in landscape,
                    print_background=True,
                    margin=PDF_MARGIN,
                    display_header_footer=True,
                    footer_template=footer,
                    header_template=header.format(
                        la=html.escape(la_name), title=html.escape(title), date=html.escape(pack_date)
                    ),
                )
                written.append(target)
        finally:
            browser.close()
    return written
