"""Tests of `csc_analysis.page_exporter`: the pack's exporter draws nbconvert's page without the BeautifulSoup pass."""

import threading

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from csc_analysis import page_exporter, report


def _every_output_notebook() -> nbformat.NotebookNode:
    """A Markdown cell and a code cell showing each kind of output the lab template draws (10 outputs)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
    outputs = [
        new_output("stream", name="stdout", text="printed\n"),
        new_output("stream", name="stderr", text="warned\n"),
        new_output("execute_result", {"text/plain": "42"}, execution_count=1),
        new_output("display_data", {"text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "t"}),
        new_output("display_data", {"text/markdown": "**bold**", "text/plain": "m"}),
        new_output("display_data", {"image/png": "iVBORw0KGgo=", "text/plain": "p"}),
        new_output("display_data", {"image/svg+xml": svg, "text/plain": "s"}),
        new_output("display_data", {"image/jpeg": "/9j/4AAQ", "text/plain": "j"}),
        new_output("display_data", {"text/latex": "$x$", "text/plain": "l"}),
        new_output("error", ename="ValueError", evalue="bad", traceback=["\x1b[0;31mValueError\x1b[0m: bad"]),
    ]
    cells = [new_markdown_cell("# Title\n\n![a chart](c.png)"), new_code_cell("x = 1", outputs=outputs)]
    return new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


def _render(nb: nbformat.NotebookNode):
    from bs4 import BeautifulSoup

    return BeautifulSoup(report.render_html(nb, "Oldham: T", "Oldham", "<p>footer</p>", show_code=True), "html.parser")


def test_page_inputs_and_outputs_are_focusable_and_images_have_alt_text():
    """#18: pages render without nbconvert's BeautifulSoup pass, which put tabindex="0" on each input and output
    (keyboard scrolling of wide tables and charts) and alt text on images: the csc_pack template writes them."""
    page = _render(_every_output_notebook())
    inputs, outputs = page.select("div.jp-Cell-inputWrapper"), page.select("div.jp-OutputArea-output")
    assert len(inputs) == 2 and len(outputs) == 10  # the Markdown cell and the code cell; 10 outputs
    assert all(div.get("tabindex") == "0" for div in inputs + outputs)
    images = page.find_all("img")
    assert len(images) == 4 and all(img.get("alt") for img in images)  # Markdown, PNG, SVG, JPEG


def test_page_is_the_page_nbconvert_draws(monkeypatch):
    """#18: the pack's exporter gives the same page (as a tree: attributes in any order) as nbconvert's HTMLExporter
    with its BeautifulSoup pass."""
    from nbconvert import HTMLExporter

    from csc_analysis import page_exporter

    def tree(soup):
        for tag in soup.find_all(True):
            tag.attrs = dict(sorted(tag.attrs.items()))
        return str(soup)

    nb = _every_output_notebook()
    ours = tree(_render(nb))
    monkeypatch.setattr(page_exporter.PackExporter, "from_notebook_node", HTMLExporter.from_notebook_node)
    assert ours == tree(_render(nb))


def test_one_exporter_per_thread_and_code_setting():
    shown, hidden = page_exporter.exporter(True), page_exporter.exporter(False)
    assert page_exporter.exporter(True) is shown and page_exporter.exporter(False) is hidden and shown is not hidden
    assert isinstance(shown, page_exporter.PackExporter) and shown.template_name == "csc_pack"
    assert (shown.exclude_input, hidden.exclude_input) == (False, True)
    assert shown.exclude_input_prompt and shown.exclude_output_prompt
    other = []
    thread = threading.Thread(target=lambda: other.append(page_exporter.exporter(True)))
    thread.start()
    thread.join()
    assert other[0] is not shown and isinstance(other[0], page_exporter.PackExporter)


def _code_page(show_code: bool) -> str:
    cell = new_code_cell("shown_only_with_code = 1", execution_count=1)
    cell.outputs = [
        new_output("stream", name="stdout", text="the cell's output\n"),
        new_output("execute_result", {"text/plain": "42"}, execution_count=1),
    ]
    nb = new_notebook(cells=[cell], metadata={"language_info": {"name": "python"}})
    body, _ = page_exporter.exporter(show_code).from_notebook_node(nb, resources={"metadata": {"name": "T"}})
    return body


def test_code_and_prompts_are_shown_only_as_asked():
    shown, hidden = _code_page(True), _code_page(False)
    assert "shown_only_with_code" in shown and "shown_only_with_code" not in hidden
    assert "the cell&#39;s output" in shown and "the cell&#39;s output" in hidden
    # No "In [1]:" or "Out[1]:" prompts either way (nbconvert's lab template writes them as `In&nbsp;[1]:`).
    assert not any("[1]:" in page for page in (shown, hidden))
