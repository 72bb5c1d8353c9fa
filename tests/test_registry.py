"""LA look-up: names and codes, predecessors and successors (statistical neighbours: tests/test_neighbours.py)."""

import pytest

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
