"""Project hygiene: dependency lists agree, notebooks carry no outputs, provenance matches the data."""

import hashlib
import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == pip_deps


def test_notebooks_have_no_outputs_and_a_parameters_cell():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and not c.get("execution_count") for c in code), path.name
        assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in code), path.name


def test_provenance_lists_every_bundled_file_with_its_checksum():
    prov = pd.read_csv(ROOT / "data" / "provenance.csv")
    files = {
        p.relative_to(ROOT / "data").as_posix()
        for p in (ROOT / "data").rglob("*")
        if p.suffix in (".csv", ".ods") and p.name != "provenance.csv"
    }
    assert set(prov.file) == files
    for row in prov.itertuples():
        assert hashlib.sha256((ROOT / "data" / row.file).read_bytes()).hexdigest() == row.sha256, row.file


def test_outputs_are_git_ignored():
    ignore = (ROOT / ".gitignore").read_text().splitlines()
    assert "outputs/*" in ignore


def test_ci_runs_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    assert len(commands) >= 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_test_tools_are_only_in_the_test_extra_and_the_version_lives_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    assert {"pytest", "hypothesis", "nbval", "ruff", "mypy"} <= test
    assert not runtime & {"pytest", "hypothesis", "nbval", "ruff", "mypy", "playwright"}
    assert "version" not in project and project["dynamic"] == ["version"]
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+"$', (ROOT / "src/csc_analysis/__init__.py").read_text(), re.M)
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_checks_run_before_the_tests():
    # README command (2), which .ci/run runs verbatim: lint, format and types, then pytest.
    command = re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text())[1]
    steps = [step.strip() for step in command.split("&&")]
    assert steps[-4:] == [
        ".venv/bin/ruff check",
        ".venv/bin/ruff format --check",
        ".venv/bin/mypy",
        ".venv/bin/python -m pytest",
    ]


def test_every_module_has_its_own_test_file():
    # Tests mirror modules: src/csc_analysis/x.py -> tests/test_x.py; a subpackage's module words/demand.py ->
    # tests/test_words_demand.py. Files that test across modules (test_chart_rules.py, ...) come on top of these.
    package = ROOT / "src" / "csc_analysis"
    expected = {
        "test_" + "_".join(path.relative_to(package).with_suffix("").parts) + ".py"
        for path in package.rglob("*.py")
        if path.name != "__init__.py"
    } | {"test_charts.py"}  # charts/__init__.py holds Figure and the shared chart rules
    missing = sorted(name for name in expected if not (ROOT / "tests" / name).is_file())
    assert missing == []
