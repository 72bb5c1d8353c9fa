"""The nbconvert exporter that renders the pack's pages (templates/csc_pack).

nbconvert's HTMLExporter renders its template, then re-parses the whole page with BeautifulSoup to add
`tabindex="0"` to each cell's input wrapper and output (keyboard access to a wide table or chart) and alt
text to any `<img>` without one. On a pack page that pass is most of the rendering time: the page inlines
the Vega libraries (1 MB of script) and the parser walks all of it. The pack's template writes those
attributes itself, so this exporter renders the template and nothing else: the same page, several times
sooner. tests/test_page_exporter.py renders with both and compares the pages.
"""

import threading
from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode

from .paths import PACKAGE_DIR

TEMPLATES = PACKAGE_DIR / "templates"


class PackExporter(HTMLExporter):
    """HTMLExporter without the BeautifulSoup pass (the `csc_pack` template adds tabindex and alt)."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any):  # type: ignore[override]
        """HTMLExporter.from_notebook_node (nbconvert 7) up to the template's output: the same filters."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


_LOCAL = threading.local()


def exporter(show_code: bool) -> PackExporter:
    """This thread's exporter for the pack's pages, made once: making one compiles the templates, most of the
    time a small page took. One per thread because rendering sets per-page filters on the exporter; pages
    in one thread render one after another."""
    made = _LOCAL.__dict__.setdefault("exporters", {})
    if show_code not in made:
        made[show_code] = PackExporter(
            template_name="csc_pack",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=not show_code,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return made[show_code]
