"""A warm kernel runs pages one after another, each as if in a new kernel but with its imports done."""

from pathlib import Path

import nbformat
import pytest

from csc_analysis import kernels


def _notebook(folder, name, *sources, parameters=None):
    """A notebook file with a `parameters` cell (if given) and one code cell per source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = []
    if parameters is not None:
        cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.cells = cells
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _text(nb) -> str:
    return "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))


@pytest.fixture
def kernel():
    warm = kernels.Kernel()
    yield warm
    warm.shutdown()


def test_a_page_sees_its_parameters_and_nothing_the_previous_page_left(kernel, tmp_path):
    first = _notebook(
        tmp_path, "01", "import os, sys\nsys.csc_marker = os.getpid()\nleft_behind = 1", parameters='la = "Bury"'
    )
    second = _notebook(
        tmp_path,
        "02",
        "import os, sys\nprint(la, 'left_behind' in dir(), sys.csc_marker == os.getpid())",
        "print(sorted(k for k in Out))",  # IPython's output history is empty again
        "open('written.txt', 'w').write('x')",
        parameters='la = "Bury"',
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kernel.run(kernels.parameterized(first, {"la": "Oldham"}), tmp_path / "a")
    done = kernel.run(kernels.parameterized(second, {"la": "Wigan"}), tmp_path / "b")
    # Same process (the import and the module attribute survive), a clean namespace, the second page's folder.
    assert _text(done) == "Wigan False True\n[]\n"
    assert (tmp_path / "b" / "written.txt").exists() and not (tmp_path / "a" / "written.txt").exists()
    assert [c.execution_count for c in done.cells if c.cell_type == "code"] == [1, 2, 3, 4, 5]


def test_a_failing_page_raises_its_error_and_the_next_page_gets_a_new_kernel(kernel, tmp_path):
    marker = _notebook(tmp_path, "01", "import sys\nsys.csc_marker = 1")
    failing = _notebook(tmp_path, "02", "raise ValueError('boom\\nsecond line')")
    probe = _notebook(tmp_path, "03", "import sys\nprint(hasattr(sys, 'csc_marker'))")
    kernel.run(kernels.parameterized(marker, {}), tmp_path)
    with pytest.raises(kernels.PageError) as raised:
        kernel.run(kernels.parameterized(failing, {}), tmp_path)
    assert (raised.value.ename, raised.value.evalue) == ("ValueError", "boom\nsecond line")
    assert _text(kernel.run(kernels.parameterized(probe, {}), tmp_path)) == "False\n"


def test_parameterized_injects_papermills_cell_and_records_the_source(tmp_path):
    path = _notebook(tmp_path, "01", "print(la)", parameters='la = "Bury"')
    nb = kernels.parameterized(path, {"la": "O'Hara & Sons"})
    assert [c.metadata.tags for c in nb.cells] == [["parameters"], ["injected-parameters"], []]
    assert nb.cells[1].source.splitlines()[-1] == 'la = "O\'Hara & Sons"'
    assert kernels.source_of(nb) == path


def test_the_next_page_runs_when_the_last_pages_folder_was_removed(kernel, tmp_path):
    """The runner removes a pack's work folder once the pack is finished, while the kernel that ran its last page
    still sits in it: the next page must still start (it stopped every later LA's page in an `--all` run)."""
    first = _notebook(tmp_path, "01", "x = 1")
    second = _notebook(tmp_path, "02", "import os\nprint(os.getcwd())")
    (tmp_path / "gone").mkdir()
    (tmp_path / "next").mkdir()
    kernel.run(kernels.parameterized(first, {}), tmp_path / "gone")
    (tmp_path / "gone").rmdir()
    assert _text(kernel.run(kernels.parameterized(second, {}), tmp_path / "next")) == f"{tmp_path / 'next'}\n"


def test_pages_in_relative_folders(kernel, tmp_path, monkeypatch):
    """`run --out outputs` (the default) gives work folders relative to where the user ran it; the kernel sits in
    the last page's folder, so a relative path taken from there missed (every page after the first failed)."""
    monkeypatch.chdir(tmp_path)
    first = _notebook(tmp_path, "01", "x = 1")
    second = _notebook(tmp_path, "02", "import os\nprint(os.getcwd())")
    for name in ("outputs/a", "outputs/b"):
        (tmp_path / name).mkdir(parents=True)
    kernel.run(kernels.parameterized(first, {}), Path("outputs/a"))
    assert _text(kernel.run(kernels.parameterized(second, {}), Path("outputs/b"))) == f"{tmp_path / 'outputs/b'}\n"
