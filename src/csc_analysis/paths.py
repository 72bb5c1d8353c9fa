"""Every path the package uses, derived from one place. Nothing here touches the disk."""

import os
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[1]

# A wheel carries the data and notebooks inside the package (pyproject.toml,
# force-include); a source checkout or editable install uses the repository folders.
_WHEEL_DATA = PACKAGE_DIR / "_data"
_WHEEL_NOTEBOOKS = PACKAGE_DIR / "_notebooks"


def bundled_data_dir() -> Path:
    """The published statistics shipped with the package."""
    return _WHEEL_DATA if _WHEEL_DATA.is_dir() else REPO_DIR / "data"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Folder of EES downloads to read: the argument, else $CSC_DATA_DIR, else the bundled data."""
    if override:
        return Path(override)
    env = os.environ.get("CSC_DATA_DIR")
    return Path(env) if env else bundled_data_dir()


def notebooks_dir() -> Path:
    """The analysis notebooks: $CSC_NOTEBOOKS_DIR (an LA's own set), else those shipped with the package."""
    env = os.environ.get("CSC_NOTEBOOKS_DIR")
    if env:
        return Path(env)
    return _WHEEL_NOTEBOOKS if _WHEEL_NOTEBOOKS.is_dir() else REPO_DIR / "notebooks"


def cache_dir() -> Path:
    """Where the parsed-data cache lives: $CSC_CACHE_DIR, else the user's cache folder."""
    env = os.environ.get("CSC_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("csc-analysis"))
