"""Text from data or the user made safe to show: LA and team names, file names, checksums.

Notebook pages are HTML, and Markdown passes HTML through, so a team name such as
`<script>...</script>` in a caseload snapshot, or an LA name in a data folder, would run in the
reader's browser. Every string that comes from a data file, a local file or a parameter goes
through one of these before it reaches a Markdown cell, an HTML page or a table.
"""

import html
import re

import pandas as pd
from pandas.io.formats.style import Styler

# Characters that start Markdown emphasis, code, links, headings or table cells.
_MARKDOWN = re.compile(r"([\\`*_\[\]{}#|~])")


def html_text(value) -> str:
    """`value` as HTML text (element content or a quoted attribute).

    >>> html_text('<script>alert("Team A")</script>')
    '&lt;script&gt;alert(&quot;Team A&quot;)&lt;/script&gt;'
    """
    return html.escape(str(value), quote=True)


def md(value) -> str:
    r"""`value` as literal Markdown text: Markdown punctuation backslash-escaped, HTML escaped.

    >>> print(md("Team_1 *new* <b>"))
    Team\_1 \*new\* &lt;b&gt;
    """
    return html.escape(_MARKDOWN.sub(r"\\\1", str(value)), quote=False)


def table(frame: pd.DataFrame, **fmt) -> Styler:
    """A table for display without its index, every cell and column heading HTML-escaped; `fmt` as for
    `Styler.format`."""
    return frame.style.hide(axis="index").format(escape="html", **fmt).format_index(escape="html", axis=1)
