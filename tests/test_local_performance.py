"""Notebook 06's tables and the notebook itself (demo mode): hand-made fixtures and synthetic Oldham."""

import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from csc_analysis import annexa, annexa_indicators, exports, local_performance, report
from csc_analysis.errors import CscError
from csc_analysis.synth import annexa as synth_annexa

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "fixtures" / "annexa" / "hand"


@pytest.fixture(scope="module")
def hand_table():
    lists = annexa.read_annex_a(HAND, today="2024-12-31")
    return annexa_indicators.indicators(lists, "353", threshold=5)


def test_monthly_wide_shows_suppressed_as_c(hand_table):
    wide = local_performance.monthly_wide(hand_table, ["contacts", "referrals"], 12)
    # May and June only (July is partial): contacts 10 and 6; referrals 5 and 4 (4 < 5: c).
    assert wide["period"].tolist() == ["2024-05", "2024-06"]
    assert wide["contacts"].tolist() == [10, 6] and wide["referrals"].tolist() == [5, "c"]


def test_beside_published_annualises_with_the_published_population(published, registry, sn_models):
    lists = annexa.read_annex_a(HAND, today="2024-12-31")
    table = annexa_indicators.indicators(lists, "353", threshold=0)
    la = registry.resolve("Oldham")
    out = local_performance.beside_published(table, published, la, []).set_index("measure")
    # ons_mid-year_population_estimates_2012_to_2024.csv, Oldham 2024: 64069 children aged 0 to 17.
    # June 2024 referrals 4 -> 4 x 12 / 64069 x 10,000 = 7.49; plans open at 30 June 3 -> 3 / 64069 x 10,000 = 0.47.
    assert out.loc["referrals", "local"] == 7.5 and out.loc["cpp_open_at_month_end", "local"] == 0.5
    assert out.loc["referrals", "published measure"] == "referrals_rate_per_10k"
    icpc = out.loc["icpc_within_15wd_pct", "LA published"]
    assert icpc == "not yet in catalogue" or isinstance(icpc, float)


def test_reconciliation_synthetic_oldham_equals_published_referrals(published, registry):
    la = registry.resolve("Oldham")
    frames = synth_annexa.generate(published, la, 2025, 3, seed=0)
    lists = {
        k: annexa.parse_list(
            pd.concat([f.columns.to_frame().T, f.astype(str)], ignore_index=True).set_axis(range(f.shape[1]), axis=1),
            0,
            k,
            k,
            "2025-12-31",
        )
        for k, f in frames.items()
    }
    start, end = annexa_indicators.extract_period(lists)
    recon = local_performance.reconciliation(lists, published, la, start, end, 5).set_index(["year", "indicator"])
    # c1: Oldham referrals 5,708 (2023), 5,481 (2024), 4,196 (2025); the generator matches them exactly.
    assert recon.loc[(2025, "referrals"), "extract"] == 4196 and recon.loc[(2025, "referrals"), "gap"] == 0
    assert sorted(recon.index.get_level_values("year").unique()) == [2023, 2024, 2025]


def test_no_whole_year_no_reconciliation(published, registry):
    lists = annexa.read_annex_a(HAND, today="2024-12-31")
    start, end = annexa_indicators.extract_period(lists)
    assert local_performance.reconciliation(lists, published, registry.resolve("Oldham"), start, end, 5).empty


def test_title_from_a_displayed_heading():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "# SYNTHETIC DEMO: Local"})]
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), cell]
    assert report.notebook_title(nb, "fallback") == "SYNTHETIC DEMO: Local"


def test_notebook_06_demo_says_synthetic_and_shows_no_ids(tmp_path):
    out = tmp_path / "06.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "06_local_performance.ipynb"),
        str(out),
        parameters={"la": "Oldham", "demo": True},
        progress_bar=False,
        kernel_name="python3",
    )
    nb = nbformat.read(out, as_version=4)
    assert report.notebook_title(nb, "") == "SYNTHETIC DEMO: Local performance month by month from Annex A"
    titles = [record["vegalite"]["title"] for record in exports.chart_records(nb)]
    titles = [t["text"] if isinstance(t, dict) else t for t in titles]
    assert len(titles) == 4 and all(t.startswith("SYNTHETIC DEMO: Oldham") for t in titles), titles
    assert not re.search(r"SYN-[CA]\d+", out.read_text())


def test_rereferrals_beside_the_published_rate(published, registry):
    la = registry.resolve("Oldham")
    lists = annexa.read_annex_a(HAND / "rereferrals", today="2024-12-31")
    out = local_performance.beside_published(
        annexa_indicators.indicators(lists, "353", threshold=0), published, la, []
    ).set_index("measure")
    # March 2024: 1 re-referral of 2 referrals (worked in test_annexa_indicators). c1_..._2013_to_2025.csv, 2025:
    # Oldham rereferral_percent 21.1, England 22.6.
    row = out.loc["rereferrals_12m_pct"]
    assert row["local"] == 50.0 and row["published measure"] == "rereferral_pct"
    assert (row["year"], row["LA published"], row["England"]) == (2025, 21.1, 22.6)
    # The hand extract (May-June 2024) has no month with 12 months of history behind it.
    short = annexa.read_annex_a(HAND, today="2024-12-31")
    out = local_performance.beside_published(
        annexa_indicators.indicators(short, "353", threshold=0), published, la, []
    ).set_index("measure")
    assert out.loc["rereferrals_12m_pct", "local"] == "partial history"


def test_monthly_wide_marks_partial_history():
    lists = annexa.read_annex_a(HAND / "rereferrals", today="2024-12-31")
    wide = local_performance.monthly_wide(
        annexa_indicators.indicators(lists, "353", threshold=0), ["referrals", "rereferrals_12m_pct"], 4
    ).set_index("period")
    # December 2023 looks back past the extract's start (01/01/2023); January 2024: 1 of 3 (test_annexa_indicators).
    assert wide["rereferrals_12m_pct"].to_dict() == {
        "2023-12": "partial history",
        "2024-01": 33.3,
        "2024-02": 66.7,
        "2024-03": 50.0,
    }


def test_months_below_one_is_refused(hand_table):
    # `-p months=0` built a page saying "the last 0 below" over empty tables.
    with pytest.raises(CscError, match=r"^months 0 must be at least 1 month$"):
        local_performance.monthly_wide(hand_table, ["contacts", "referrals"], 0)
