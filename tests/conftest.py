"""Shared fixtures: the real bundled data, parsed once per test session."""

import os
import tempfile

import pytest

# Tests never touch the user's cache folder.
os.environ.setdefault("CSC_CACHE_DIR", tempfile.mkdtemp(prefix="csc-cache-"))

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
def context(published, sn_models, registry):
    """A function from an LA's name to the LA and its statistical neighbours' codes."""

    def make(name):
        la = registry.resolve(name)
        codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
        return la, codes

    return make


@pytest.fixture(scope="session")
def oldham_table(published, registry, sn_models):
    """Oldham's benchmark table of the headline indicators, with the count beside each rate."""
    from csc_analysis import benchmark, scorecard

    la = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, la)
    return benchmark.benchmark(
        published,
        la,
        list(sn["la_code"]),
        scorecard.with_counts(benchmark.HEADLINE_INDICATORS + ["csc_agency_staff_spend"]),
    )


@pytest.fixture(scope="session")
def synthetic_projection(published, registry, tmp_path_factory):
    """Notebook 07's placement projection for Oldham, on SYNTHETIC SSDA903 returns (3 years, the example scenario)."""
    from csc_analysis import cla_model, ssda903
    from csc_analysis.synth import ssda903 as synth

    la = registry.resolve("Oldham")
    folder = tmp_path_factory.mktemp("ssda903")
    synth.write(synth.generate(published, la), folder, la)
    weekly, _ = cla_model.published_costs(published, la.la_code)
    scenario = cla_model.check_scenario(cla_model.EXAMPLE_SCENARIO)
    return cla_model.project(ssda903.read(folder), 3, 1, scenario, weekly, sims=200)


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
