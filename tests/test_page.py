"""page.setup: the notebooks' first lines in one call."""

from csc_analysis import page


def test_setup_resolves_the_la_and_its_2025_neighbours_closest_first():
    # data/sn_model_2025_wide.csv, line 95: "353,Oldham,5,North West,889,Very close,350,Very close,354,Very close,
    # 380,Close ,335,Close ,831,Close ,861,Close ,331,Close ,330,Close ,333,Close"
    data, registry, target, sn, sn_codes = page.setup("Oldham")
    assert (target.la_code, target.la_name) == ("353", "Oldham")
    assert sn_codes == ["889", "350", "354", "380", "335", "831", "861", "331", "330", "333"]
    assert list(sn["band"][:4]) == ["Very close", "Very close", "Very close", "Close"]
    assert registry.resolve("353") == target
    assert {"year", "la_code", "indicator", "value", "status"} <= set(data.columns)


def test_setup_without_a_model_has_no_neighbours():
    _, _, target, sn, sn_codes = page.setup("E08000004", sn_model=None)  # Oldham's ONS code
    assert target.la_code == "353" and sn is None and sn_codes == []


def test_every_notebook_takes_data_dir_and_reads_through_it():
    """#13.10: `--data-dir` reaches every page as its `data_dir` parameter. Notebooks 06 and 07 did not declare
    it, so `run --data-dir` silently showed their published figures from the bundled data; every `page.setup`
    and `load.*` call must now pass it on."""
    import re
    from pathlib import Path

    import nbformat

    from csc_analysis import report

    notebooks = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 7
    for path in notebooks:
        assert "data_dir" in report.declared_parameters(path), path.name
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "page.setup(la, data_dir" in code, path.name
        calls = re.findall(r"load\.(\w+)\(([^)]*)\)", code)
        assert all("data_dir" in args for _, args in calls), (path.name, calls)
