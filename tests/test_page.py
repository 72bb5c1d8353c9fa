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
