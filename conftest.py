"""Test tiers: `pytest -m "not slow"` runs every unit test, the docstring examples and one notebook under
nbval (the quick tier for developers); plain `pytest` (the README's command, and CI) runs everything."""

import os
from pathlib import Path

import pytest

# Every chart displayed in a test, or in a notebook kernel a test starts (nbval included), is checked against the
# Vega-Lite schema (pages skip the check for speed: charts.Figure.mime_bundle).
os.environ["CSC_VALIDATE_CHARTS"] = "1"

# The one notebook the quick tier runs under nbval: it exercises the loader, benchmarking and charts.
QUICK_NOTEBOOK = "04_statistical_neighbours.ipynb"
# Tests that run whole notebooks in a kernel (papermill, `csc-analysis run`) or drive a browser: by the fixture
# that does it, by module, or by name. Each takes tens of seconds or more.
SLOW_FIXTURES = {"oldham_pack", "exports_pack", "demo", "local_run"}
SLOW_MODULES = {"test_notebooks_run.py", "test_html_offline.py", "test_jupyterlab_offline.py"}
SLOW_TESTS = {
    "test_run_all_carries_on_and_writes_a_summary",  # every current LA through a notebook
    "test_data_dir_reaches_the_notebooks_and_data_is_escaped",
    "test_demo_pack_says_synthetic_in_titles_files_and_index",
    "test_oldham_pack_without_local_files_has_no_made_up_numbers",  # every notebook for Oldham
    "test_notebook_06_demo_says_synthetic_and_shows_no_ids",
    "test_without_a_file_only_the_box",
    # end to end rather than unit: a cold rebuild of the whole published table, or a full synthetic extract
    # written and read back (each 10-20 s; their parts have unit tests in the quick tier)
    "test_loading_twice_is_identical_and_corrupt_cache_is_rebuilt",
    "test_cache_follows_file_contents_not_size_and_time",
    "test_bom_and_column_order_do_not_matter",
    "test_cache_never_unpickles",
    "test_synth_then_project_from_its_folder",
    "test_same_seed_same_bytes",
    "test_synth_cli_writes_annex_a_and_snapshot",
    "test_lists_read_back_through_the_loader",
    "test_up_to_date_pack_is_skipped_and_force_rebuilds",
}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tier: every notebook's nbval cells but QUICK_NOTEBOOK's, and the tests above."""
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb":
            slow = path.name != QUICK_NOTEBOOK
        else:
            name = getattr(item, "originalname", item.name)
            slow = (
                path.name in SLOW_MODULES
                or name in SLOW_TESTS
                or bool(SLOW_FIXTURES & set(getattr(item, "fixturenames", ())))
            )
        if slow:
            item.add_marker(pytest.mark.slow)
