"""Published workforce analysis against the bundled csww file."""

import csv

import numpy as np
import pytest

from csc_analysis import neighbours, workforce


def test_relationship_matches_numpy_and_statsmodels(published):
    rel = workforce.relationship(published, 2024, "vacancy_rate_fte", "agency_rate_fte")
    pts = rel["points"]
    assert rel["n"] == len(pts) > 140
    assert rel["r"] == pytest.approx(np.corrcoef(pts.x, pts.y)[0, 1])
    slope, _ = np.polyfit(pts.x, pts.y, 1)
    assert rel["slope"] == pytest.approx(slope)
    assert rel["r_lower"] < rel["r"] < rel["r_upper"]
    fit = rel["fit"]
    assert (fit.lower <= fit.fit).all() and (fit.fit <= fit.upper).all()
    assert "not evidence that one causes the other" in workforce.correlation_sentence(
        rel, "vacancy_rate_fte", "agency_rate_fte", 2024
    )


def test_relationship_with_too_few_las(published):
    rel = workforce.relationship(
        published[published.la_code.isin(["353", "354"]) | (published.geographic_level != "la")],
        2024,
        "vacancy_rate_fte",
        "agency_rate_fte",
    )
    assert rel["n"] == 2 and np.isnan(rel["r"])


def test_stability_oldham(published, sn_models, registry, data_folder):
    la = registry.resolve("Oldham")
    codes = list(neighbours.sn_table(sn_models, registry, la).la_code)
    series = neighbours.comparison_series(published, la, codes, workforce.STABILITY)
    table = workforce.stability(series).set_index("indicator")
    # Worked from the raw file: years Oldham's agency rate exceeded its neighbours' median.
    with open(data_folder / "csww_indicators_2017_to_2025.csv", encoding="utf-8-sig", newline="") as fh:
        raw = [r for r in csv.DictReader(fh) if r["geographic_level"] == "Local authority"]
    above = []
    for year in range(2017, 2026):
        rows = [r for r in raw if r["time_period"] == str(year)]
        own = [float(r["agency_rate_fte"]) for r in rows if r["old_la_code"] == "353"]
        sn = [
            float(r["agency_rate_fte"])
            for r in rows
            if set(r["old_la_code"].split(" / ")) & set(codes) and r["agency_rate_fte"].replace(".", "").isdigit()
        ]
        if own and sn and own[0] > np.median(sn):
            above.append(year)
    assert table.loc["agency_rate_fte", "years_above"] == len(above)
    assert table.loc["agency_rate_fte", "which_years"] == ", ".join(map(str, above))


def test_demand_per_worker_pairs_with_previous_september(published):
    # referrals in the year to 31 March 2025 over social workers in post at 30 September 2024.
    row = published.query("la_code == '353' and indicator == 'referrals_per_sw_fte' and year == 2025")
    refs = published.query("la_code == '353' and indicator == 'referrals' and year == 2025").value.item()
    fte = published.query("la_code == '353' and indicator == 'inpost_fte' and year == 2024").value.item()
    assert row.value.item() == pytest.approx(refs / fte)
