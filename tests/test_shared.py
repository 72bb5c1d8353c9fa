"""#18 item 2: the all-LA ranking is computed once per data vintage and cached by content."""

import pandas as pd
import pytest

from csc_analysis import benchmark, derive, shared


def _tidy(b_value: float) -> pd.DataFrame:
    """Three LAs' re-referral rates in 2025 (lower is better) and England's, in the published table's columns."""
    rows = [
        ("la", "001", "A", 20.0),
        ("la", "002", "B", b_value),
        ("la", "003", "C", 25.0),
        ("national", None, "England", 22.0),
    ]
    tidy = pd.DataFrame(
        [
            {
                "year": 2025,
                "geographic_level": level,
                "la_code": code,
                "new_la_code": "",
                "la_name": name,
                "region_name": None,
                "indicator": "rereferral_pct",
                "value": value,
                "status": None,
            }
            for level, code, name, value in rows
        ]
    )
    return derive.column_types(tidy)  # the column types load.published gives


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(shared, "_MEMORY", {})
    return tmp_path


def test_ranks_are_rank_all_and_follow_the_content(cache):
    # Lower is better: A 20 -> 1st, C 25 -> 2nd, B 30 -> 3rd; England is not ranked.
    first = shared.ranks(_tidy(30.0), ["rereferral_pct"])
    assert dict(zip(first["la_code"], first["rank"])) == {"001": 1, "002": 3, "003": 2}
    pd.testing.assert_frame_equal(first, benchmark.rank_all(_tidy(30.0), ["rereferral_pct"]))
    # B's value changes to 15: a new vintage, a new ranking (B 1st), never the cached one.
    changed = shared.ranks(_tidy(15.0), ["rereferral_pct"])
    assert dict(zip(changed["la_code"], changed["rank"])) == {"001": 2, "002": 1, "003": 3}
    assert len(list(cache.glob("ranks-*.parquet"))) == 2


def test_ranks_are_computed_once_and_read_back_from_disk(cache, monkeypatch):
    computed = shared.ranks(_tidy(30.0))
    shared._MEMORY.clear()  # as in a new kernel

    def refuse(*args):
        raise AssertionError("ranked again")

    monkeypatch.setattr(benchmark, "rank_all", refuse)
    pd.testing.assert_frame_equal(shared.ranks(_tidy(30.0)), computed)
    assert shared.ranks(_tidy(30.0), ["another"]).empty
