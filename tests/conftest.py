"""Shared fixtures: the real bundled data, parsed once per test session."""

import os
import tempfile

import pytest

# Tests never touch the user's cache folder.
os.environ.setdefault("CSC_CACHE_DIR", tempfile.mkdtemp(prefix="csc-cache-"))
# Every chart displayed in a test, or in a notebook kernel a test starts, is checked against the Vega-Lite schema
# (pages skip the check for speed: charts.Figure.mime_bundle).
os.environ["CSC_VALIDATE_CHARTS"] = "1"

from csc_analysis import load, neighbours
from csc_analysis.paths import bundled_data_dir


@pytest.fixture(scope="session")
def published():
    return load.published()


@pytest.fixture(scope="session")
def registry():
    return load.registry()


@pytest.fixture(scope="session")
def sn_models():
    return load.sn_models()


@pytest.fixture(scope="session")
def oldham_neighbours(registry, sn_models):
    """Oldham and its 2025 statistical neighbours' codes."""
    la = registry.resolve("Oldham")
    return la, list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])


@pytest.fixture(scope="session")
def data_folder():
    return bundled_data_dir()


def value(published, la_code, indicator, year):
    """The single published value for an LA, indicator and year (asserts there is exactly one)."""
    rows = published[(published.la_code == la_code) & (published.indicator == indicator) & (published.year == year)]
    assert len(rows) == 1, f"{len(rows)} rows for {la_code} {indicator} {year}"
    return rows.iloc[0]


def national(published, indicator, year):
    rows = published[
        (published.geographic_level == "national") & (published.indicator == indicator) & (published.year == year)
    ]
    assert len(rows) == 1
    return rows.iloc[0]
