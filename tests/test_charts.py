"""charts/__init__.py: the shared LA / neighbour / other grouping."""

import pandas as pd
import pytest

from csc_analysis import charts
from csc_analysis.registry import LA


def test_la_groups_and_their_scales():
    la = LA(
        la_code="353",
        new_la_code="E08000004",
        la_name="Oldham",
        region_name="North West",
        current=True,
        first_year=2013,
        last_year=2025,
    )
    groups = charts.la_groups(pd.Series(["353", "889", "100"]), la, ["889", "350"])
    assert list(groups) == ["Oldham", "Statistical neighbour", "Other LAs"]
    scales = charts.group_scales("Oldham", (200, 70, 30))
    assert scales["color"].domain == ["Oldham", "Statistical neighbour", "Other LAs"]
    assert scales["color"].range == [charts.PALETTE["la"], charts.PALETTE["neighbour"], charts.PALETTE["other"]]
    assert scales["shape"].range == ["diamond", "circle", "circle"] and scales["size"].range == [200, 70, 30]


def test_data_table_shows_a_missing_value_as_n_a_even_in_an_empty_column():
    """A column that is missing everywhere (the small multiples' `note` when no value is flagged) was printed as
    "None" in every row of the pack's data tables; a missing value reads "n/a" wherever it is."""
    import altair as alt

    from csc_analysis.charts import Figure

    table = pd.DataFrame({"year": [2024, 2025], "value": [1.5, None], "note": [None, None]})
    html = Figure(alt.Chart(table).mark_point(), "two points", table).table_html()
    assert "None" not in html and html.count("n/a") == 3


def test_displayed_chart_is_checked_against_the_schema_under_test(monkeypatch):
    """Pages skip the Vega-Lite schema check for speed (#18); the test suite turns it on (tests/conftest.py), so a
    chart with an invalid spec displayed by any test, or by a notebook a test runs, still fails."""
    import altair as alt

    from csc_analysis.charts import Figure

    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    chart["width"] = "wide"  # not a number or "container"
    figure = Figure(chart, "text", pd.DataFrame({"a": [1]}))
    with pytest.raises(alt.utils.schemapi.SchemaValidationError, match="width"):
        figure.mime_bundle()
    monkeypatch.setenv("CSC_VALIDATE_CHARTS", "0")
    assert figure.mime_bundle()[0]["text/plain"] == "Chart: "


def test_no_module_imports_altair_or_jsonschema_itself():
    # `charts` imports Altair with jsonschema's optional rfc3987_syntax hidden: its import builds about 35 Lark parsers
    # (1.5 s of CPU in every kernel) for an "iri" format check Vega-Lite never uses. A module that imports Altair
    # or jsonschema first, itself, undoes that; the `charts` package's own modules run after its __init__.
    import ast
    from pathlib import Path

    package = Path(charts.__file__).parents[1]
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "charts":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            found += [
                f"{path.relative_to(package)}:{node.lineno} {n}"
                for n in names
                if n.split(".")[0] in {"altair", "jsonschema"}
            ]
    assert found == []


def test_importing_a_notebook_s_modules_builds_no_iri_parsers():
    import importlib.util
    import subprocess
    import sys

    assert importlib.util.find_spec("rfc3987_syntax") is not None, "installed with jupyterlab: the test needs it"
    code = (
        "import sys\n"
        "from csc_analysis import demo, load, page\n"  # what notebook 02 imports first
        "from csc_analysis.charts import forecast\n"
        "print(sys.modules.get('rfc3987_syntax') is not None, 'lark' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False False\n"
