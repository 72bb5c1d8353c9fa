"""Test tiers: `pytest -m "not slow"` runs every unit test and one notebook under nbval (the quick tier for
developers); plain `pytest` (the README's command, and CI) runs everything."""

from pathlib import Path

import pytest

# The one notebook the quick tier runs under nbval: it exercises the loader, benchmarking and charts.
QUICK_NOTEBOOK = "04_statistical_neighbours.ipynb"


def pytest_collection_modifyitems(config, items):
    """Every other notebook's nbval cells are slow (each starts a kernel and runs a whole analysis)."""
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb" and path.name != QUICK_NOTEBOOK:
            item.add_marker(pytest.mark.slow)
