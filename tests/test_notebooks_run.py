"""Every notebook runs under papermill for LAs that stress it: small suppressed numbers (City of
London), a 2023 boundary change (Cumberland), and LAs across regions. nbval runs each with its
defaults separately (pytest collects notebooks/)."""

from pathlib import Path

import papermill
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))
LAS = ["Cumberland", "City of London", "Isles of Scilly", "Camden", "North Yorkshire", "West Northamptonshire"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("la", LAS[:3])
def test_notebook_runs_for_awkward_las(notebook, la, tmp_path):
    papermill.execute_notebook(
        str(notebook), str(tmp_path / notebook.name), parameters={"la": la}, kernel_name="python3", progress_bar=False
    )


@pytest.mark.parametrize("la", LAS[3:])
def test_demand_workforce_benchmark_and_placement_notebooks_across_regions(la, tmp_path):
    for notebook in NOTEBOOKS:
        if notebook.stem.startswith(("01", "03", "04", "05")):
            papermill.execute_notebook(
                str(notebook),
                str(tmp_path / notebook.name),
                parameters={"la": la, "sn_model": "2021"},
                kernel_name="python3",
                progress_bar=False,
            )


def _page_text(path: Path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return "".join(
        "".join(out.get("data", {}).get("text/markdown", "")) for cell in nb.cells for out in cell.get("outputs", [])
    )


@pytest.mark.parametrize(
    ("la", "notebook", "says"),
    [
        # c1 file: Hampshire's referrals for 2024 are `u`, so the unbroken run is 2025 alone
        ("Hampshire", "02_referral_forecast", "only 1 year of data (2025) after a gap (2023 to 2025)"),
        # RO3 2024-25: Sandwell's spend on children looked after is -£20k for 816 children
        ("Sandwell", "05_placements_finance", "published net spend on children looked after of -£25 a year"),
    ],
)
def test_a_page_says_why_where_the_published_figures_cannot_support_it(la, notebook, says, tmp_path):
    """Both pages stopped their LA's pack in an `--all` run; they now run and say why there is no figure."""
    source = next(nb for nb in NOTEBOOKS if nb.stem == notebook)
    out = tmp_path / source.name
    papermill.execute_notebook(str(source), str(out), parameters={"la": la}, kernel_name="python3", progress_bar=False)
    assert says in _page_text(out)
