"""Tests of `csc_analysis.vega_by_builder`: who compiles a chart's Vega, the kernel or the pack builder."""

import subprocess
import sys

import nbformat

from csc_analysis import charts, exports, kernels, vega_by_builder

from . import test_kernels
from .test_exports import FRAME, _figure
from .test_kernels import _notebook, _text

kernel = test_kernels.kernel  # the warm-kernel fixture of tests/test_kernels.py


def test_a_page_the_builder_runs_gets_the_same_vega_from_the_builder(monkeypatch):
    # Compiled in the kernel (JupyterLab), as the reference.
    monkeypatch.setattr(vega_by_builder, "ON", False)
    own_data, own_metadata = _figure(year="2024").mime_bundle()
    # In a kernel the pack builder started: the record and text only, no Vega and no Vega metadata ...
    monkeypatch.setattr(vega_by_builder, "ON", True)
    data, metadata = _figure(year="2024").mime_bundle()
    assert charts.VEGA_MIME not in data and metadata == {}
    assert data[charts.FIGURE_MIME] == own_data[charts.FIGURE_MIME]
    # ... until the builder compiles it into the executed notebook: the same output the kernel would have written.
    output = nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    table = nbformat.v4.new_output("display_data", data={charts.TABLE_MIME: charts.table_record(FRAME)})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[output, table])])
    assert exports.with_vega(nb) is nb
    assert output["data"] == own_data and output["metadata"] == own_metadata
    assert charts.VEGA_MIME not in table["data"]  # a table is not a chart
    nbformat.validate(nb)


def test_a_kernel_the_builder_starts_leaves_compiling_vega_to_the_builder(kernel, tmp_path):
    # Switched on at start-up, before the first cell, by the kernel's launch line; no name is left behind.
    page = _notebook(tmp_path, "01", "import csc_analysis.vega_by_builder as v\nprint(v.ON, '_v' in dir())")
    assert _text(kernel.run(kernels.parameterized(page, {}), tmp_path)) == "True False\n"


def test_off_unless_the_builder_switches_it_on_and_importing_it_imports_nothing():
    # A fresh Python, as a notebook opened in JupyterLab has: the kernel compiles its charts' Vega itself.
    code = (
        "import sys\n"
        "import csc_analysis.vega_by_builder as v\n"
        "print(v.ON, sorted(m for m in sys.modules if m.startswith('csc_analysis')), 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == "False ['csc_analysis', 'csc_analysis.vega_by_builder'] False\n"
