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
