"""Tests of `csc_analysis.paths`: which data, notebook and cache folders the package uses, and in what order."""

import sys
from pathlib import Path

import pytest

from csc_analysis import paths


@pytest.fixture
def no_env(monkeypatch):
    """No folder chosen through the environment (conftest.py sets CSC_CACHE_DIR for the whole session)."""
    for name in ("CSC_DATA_DIR", "CSC_NOTEBOOKS_DIR", "CSC_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_data_dir_argument_wins_over_the_environment_and_the_bundled_data(no_env, tmp_path):
    no_env.setenv("CSC_DATA_DIR", str(tmp_path / "from-env"))
    # Nothing here touches the disk: a folder that does not exist is returned as given.
    assert paths.data_dir(tmp_path / "mine") == tmp_path / "mine"
    assert paths.data_dir(str(tmp_path / "mine")) == tmp_path / "mine"


def test_data_dir_environment_wins_over_the_bundled_data(no_env, tmp_path):
    no_env.setenv("CSC_DATA_DIR", str(tmp_path / "from-env"))
    assert paths.data_dir() == tmp_path / "from-env"
    assert paths.data_dir(None) == tmp_path / "from-env"


def test_data_dir_without_argument_or_environment_is_the_bundled_data(no_env):
    assert paths.data_dir() == paths.bundled_data_dir()
    no_env.setenv("CSC_DATA_DIR", "")  # set but empty: as if unset
    assert paths.data_dir() == paths.bundled_data_dir()


def test_bundled_data_is_the_wheel_s_copy_if_there_else_the_repository_s(monkeypatch, tmp_path):
    wheel = tmp_path / "_data"
    monkeypatch.setattr(paths, "_WHEEL_DATA", wheel)
    assert paths.bundled_data_dir() == paths.REPO_DIR / "data"  # a source checkout: no _data folder
    wheel.mkdir()
    assert paths.bundled_data_dir() == wheel


def test_a_source_checkout_s_bundled_data_is_the_repository_data_folder():
    if paths._WHEEL_DATA.is_dir():
        pytest.skip("installed from a wheel")
    repo = Path(__file__).resolve().parents[1]
    assert repo == paths.REPO_DIR and paths.bundled_data_dir() == repo / "data"
    assert (paths.bundled_data_dir() / "provenance.csv").is_file()


def test_notebooks_dir_environment_else_the_shipped_notebooks(no_env, monkeypatch, tmp_path):
    wheel = tmp_path / "_notebooks"
    monkeypatch.setattr(paths, "_WHEEL_NOTEBOOKS", wheel)
    assert paths.notebooks_dir() == paths.REPO_DIR / "notebooks"
    wheel.mkdir()
    assert paths.notebooks_dir() == wheel
    no_env.setenv("CSC_NOTEBOOKS_DIR", str(tmp_path / "la-own"))
    assert paths.notebooks_dir() == tmp_path / "la-own"


def test_cache_dir_environment(no_env, tmp_path):
    no_env.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    assert paths.cache_dir() == tmp_path / "cache"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the user cache folder is $XDG_CACHE_HOME on Linux")
def test_cache_dir_default_is_the_user_cache_folder(no_env, tmp_path):
    no_env.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "csc-analysis"
