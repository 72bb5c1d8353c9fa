"""LA look-up and statistical-neighbour selection."""

import pytest

from csc_analysis import neighbours
from csc_analysis.errors import CscError


def test_153_current_las(registry):
    assert len(registry.current()) == 153


@pytest.mark.parametrize("query", ["Oldham", "oldham", " OLDHAM ", "353", 353, "E08000004", "e08000004"])
def test_resolve_oldham(registry, query):
    assert registry.resolve(query).la_code == "353"


@pytest.mark.parametrize(
    "query, code",
    [
        ("Bristol, City of", "801"),
        ("City of Bristol", "801"),
        ("bristol", "801"),
        ("Brighton & Hove", "846"),
        ("Brighton and Hove", "846"),
        ("Kingston upon Hull", "810"),
        ("Herefordshire", "884"),
        ("St Helens", "342"),
        ("St. Helens", "342"),
        ("City of London", "201"),
        ("Dorset", "838"),
        ("Cumbria", "909"),
        ("Bournemouth Christchurch & Poole", "839"),
    ],
)
def test_resolve_name_variants(registry, query, code):
    assert registry.resolve(query).la_code == code


def test_unknown_la_lists_closest(registry):
    with pytest.raises(CscError, match="unknown LA 'Oldam'; closest: Oldham"):
        registry.resolve("Oldam")
    with pytest.raises(CscError, match="unknown LA code '999'"):
        registry.resolve("999")


def test_predecessors_and_successors(registry):
    assert registry.resolve("Cumberland").predecessors == ("909",)
    assert set(registry.resolve("Northamptonshire").successors) == {"940", "941"}
    assert not registry.resolve("Northamptonshire").current
    assert registry.resolve("Cumberland").first_year >= 2021


def test_sn_2025_default(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"))
    assert list(table.la_name[:3]) == ["Blackburn with Darwen", "Bolton", "Rochdale"]
    assert list(table.position) == list(range(1, 11))


def test_sn_2021_uses_predecessor_for_new_la(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Cumberland"), "2021")
    # Cumbria (909) in the April 2021 groupings: 925 Lincolnshire first.
    assert table.la_code.iloc[0] == "925"
    assert "predecessor Cumbria" in table.note.iloc[0]


def test_sn_user_list(sn_models, registry):
    table = neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), ["Bolton", "354", "E08000033"])
    assert list(table.la_code) == ["350", "354", "381"]
    with pytest.raises(CscError, match="includes Oldham itself"):
        neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), ["Oldham"])
    with pytest.raises(CscError, match="unknown statistical neighbour model"):
        neighbours.sn_table(sn_models, registry, registry.resolve("Oldham"), "2019")


def test_comparison_series_oldham_agency(published, sn_models, registry):
    la = registry.resolve("Oldham")
    codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
    table = neighbours.comparison_series(published, la, codes, ["agency_rate_fte"]).set_index("year")
    row = table.loc[2024]
    assert row.value == 32.3
    # England's published 2024 agency rate, csww file national row for 2024.
    eng = published.query("geographic_level == 'national' and indicator == 'agency_rate_fte' and year == 2024")
    assert row.england_value == eng.value.item()
    sn_vals = published.query("indicator == 'agency_rate_fte' and year == 2024 and la_code in @codes").value
    assert row.sn_median == sn_vals.median() and row.sn_n == sn_vals.notna().sum()
    assert (
        row.region_value
        == published.query(
            "geographic_level == 'regional' and la_name == 'North West' "
            "and indicator == 'agency_rate_fte' and year == 2024"
        ).value.item()
    )
