"""The synthetic caseload snapshot: deterministic, labelled, and consistent with published totals."""

import pytest

from csc_analysis import caseload_snapshot
from csc_analysis.synth import caseload_snapshot as synth


def test_deterministic_and_labelled(published, registry, tmp_path):
    la = registry.resolve("Oldham")
    a = synth.write_snapshot(synth.snapshot(published, la, 2024, seed=3), tmp_path / "a")
    b = synth.write_snapshot(synth.snapshot(published, la, 2024, seed=3), tmp_path / "b")
    assert a.read_bytes() == b.read_bytes() and "SYNTHETIC" in a.name
    frame = synth.snapshot(published, la, 2024, seed=3)
    assert frame.worker_id.str.startswith("SYN-").all() and frame.team.str.startswith("Synthetic").all()
    assert not frame.equals(synth.snapshot(published, la, 2024, seed=4))


@pytest.mark.parametrize("name", ["Oldham", "Cumberland", "City of London"])
def test_matches_published_totals(published, registry, tmp_path, name):
    la = registry.resolve(name)
    path = synth.write_snapshot(synth.snapshot(published, la, 2024), tmp_path)
    workers = caseload_snapshot.read_snapshot(path, as_at="2024-09-30").workers
    pub = published[(published.la_code == la.la_code) & (published.year == 2024)].set_index("indicator").value
    assert workers.loc[workers.employment_type == "permanent", "fte"].sum() == pytest.approx(pub["inpost_fte"], abs=0.3)
    assert workers.loc[workers.employment_type == "agency", "fte"].sum() == pytest.approx(pub["agency_fte"], abs=0.3)
    assert workers.caseload.sum() == pub["cases"]
    assert caseload_snapshot.caseload_per_fte(workers) == pytest.approx(pub["caseload_fte"], rel=0.15)


def test_falls_back_to_a_usable_year(published, registry):
    # Isles of Scilly reports no in-post social workers from 2021 (csww); 2020 has 1.
    assert synth.usable_year(published, registry.resolve("Isles of Scilly"), 2025) == 2020
