"""Synthetic Annex A lists: deterministic, labelled, and matching published annual totals."""

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from csc_analysis import annexa, annexa_indicators
from csc_analysis.synth import annexa as synth_annexa


def test_same_seed_same_bytes(published, registry, tmp_path):
    la = registry.resolve("Oldham")
    a = synth_annexa.write(synth_annexa.generate(published, la, 2025, 3, seed=7), tmp_path / "a", la)
    b = synth_annexa.write(synth_annexa.generate(published, la, 2025, 3, seed=7), tmp_path / "b", la)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert all(p.name.startswith("SYNTHETIC_") for p in a)
    assert "SYNTHETIC" in (tmp_path / "a" / "README_SYNTHETIC.txt").read_text()


def test_annual_totals_equal_published(published, registry):
    la = registry.resolve("Oldham")
    lists = synth_annexa.generate(published, la, 2025, 3, seed=0)
    refs = pd.to_datetime(lists["referrals"]["Date of referral"], format="%d/%m/%Y")
    by_year = (refs + pd.DateOffset(months=9)).dt.year.value_counts()  # April-March reporting years
    # c1: Oldham referrals 5,708 (2023), 5,481 (2024), 4,196 (2025).
    assert by_year.to_dict() == {2023: 5708, 2024: 5481, 2025: 4196}
    assert lists["referrals"]["Child Unique ID"].str.startswith("SYN-C").all()


def test_seasonality_dips_in_august_and_december(published, registry):
    lists = synth_annexa.generate(published, registry.resolve("Birmingham"), 2025, 3, seed=0)
    months = pd.to_datetime(lists["referrals"]["Date of referral"], format="%d/%m/%Y").dt.month.value_counts()
    assert set(months.nsmallest(2).index) == {8, 12}


def test_lists_read_back_through_the_loader(published, registry, tmp_path):
    la = registry.resolve("Cumberland")
    synth_annexa.write(synth_annexa.generate(published, la, 2025, 3, seed=1), tmp_path, la)
    for kind in ("contacts", "referrals"):
        events, report = annexa.read_list(annexa.find_list(tmp_path, kind), kind, today="2025-12-31")
        assert report.unusable == 0 and len(events) > 1000


def test_synth_cli_writes_annex_a_and_snapshot(tmp_path):
    exe = Path(sys.executable).parent / "csc-analysis"
    out = subprocess.run(
        [exe, "synth", "--la", "Oldham", "--out", tmp_path, "--seed", "2"], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert "SYNTHETIC_Annex_A.xlsx" in names and "SYNTHETIC_caseload_snapshot.csv" in names


def test_all_eleven_lists_coherent_and_read_back(published, registry, tmp_path):
    la = registry.resolve("Oldham")
    started = time.perf_counter()
    lists = synth_annexa.generate(published, la, 2025, 3, seed=3)
    assert time.perf_counter() - started < 5
    paths = synth_annexa.write(lists, tmp_path, la, workbook=False)
    assert len(paths) == 11 and all(p.read_text().startswith('"SYNTHETIC Annex A List') for p in paths)
    read = annexa.read_annex_a(tmp_path, today="2025-12-31")
    assert sorted(read) == sorted(synth_annexa.FILES)
    assert all(lst.report.unusable == 0 for lst in read.values()), [lst.report.summary() for lst in read.values()]
    # Every referral follows a contact for the same child on the same day.
    contacts = set(zip(read["contacts"].rows.child_id, read["contacts"].rows.contact_date))
    assert all(key in contacts for key in zip(read["referrals"].rows.child_id, read["referrals"].rows.referral_date))
    # c4_..._2013_to_2025.csv, Oldham 2025: Section47 1846, ICPC 543. Every plan started in the window starts
    # on its conference day.
    s47 = read["s47"].rows
    year_2025 = s47.strategy_date.between("2024-04-01", "2025-03-31")
    assert year_2025.sum() == 1846
    assert (s47.loc[year_2025, "icpc_unnecessary"] == "NO").sum() == 543  # conferences after 31 March are blank
    plans = read["cp"].rows
    new_plans = plans[plans.cpp_start >= "2022-04-01"]
    conferences = set(zip(s47.child_id, s47.icpc_date))
    assert all(key in conferences for key in zip(new_plans.child_id, new_plans.cpp_start))
    # cla_number_and_rate_per_10k_children.csv, Oldham 2025: "Children starting to be looked after" 197.
    assert read["cla"].rows.cla_start.between("2024-04-01", "2025-03-31").sum() == 197


def test_one_workbook_reads_back_as_the_csvs(published, registry, tmp_path):
    la = registry.resolve("Rutland")
    lists = synth_annexa.generate(published, la, 2025, 3, seed=5)
    started = time.perf_counter()
    [book] = synth_annexa.write(lists, tmp_path / "book", la)
    print(f"workbook written in {time.perf_counter() - started:.1f} s")
    synth_annexa.write(lists, tmp_path / "csv", la, workbook=False)
    assert book.name == "SYNTHETIC_Annex_A.xlsx"
    sheets = pd.read_excel(book, sheet_name=None, header=None, dtype=object, engine="calamine")
    assert list(sheets)[:3] == ["List 1 - Contacts", "List 2 - Early Help", "List 3 - Referrals"] and len(sheets) == 11
    assert all(str(grid.iloc[0, 0]).startswith("SYNTHETIC Annex A List") for grid in sheets.values())
    contact_dates = sheets["List 1 - Contacts"].iloc[2:, 5]  # column F, 'Date of Contact', under title and header
    kinds = {type(v).__name__ for v in contact_dates}
    assert "str" in kinds and kinds & {"datetime", "Timestamp"}, kinds  # Excel dates among dd/mm/yyyy text
    from_book = annexa.read_annex_a(book, today="2025-12-31")
    from_csv = annexa.read_annex_a(tmp_path / "csv", today="2025-12-31")
    for kind in from_csv:
        pd.testing.assert_frame_equal(from_book[kind].rows, from_csv[kind].rows)
    pd.testing.assert_frame_equal(
        annexa_indicators.indicators(from_book, la.la_code), annexa_indicators.indicators(from_csv, la.la_code)
    )


def test_rereferrals_follow_the_published_rate_and_the_declared_column(published, registry):
    la = registry.resolve("Oldham")
    frames = synth_annexa.generate(published, la, 2025, 3, seed=0)
    refs = pd.DataFrame(
        {
            "child_id": frames["referrals"]["Child Unique ID"],
            "referral_date": pd.to_datetime(frames["referrals"]["Date of referral"], format="%d/%m/%Y"),
        }
    )
    year = refs["referral_date"].between("2024-04-01", "2025-03-31")
    rate = 100 * annexa_indicators.rereferred(refs)[year].mean()
    # c1_..._2013_to_2025.csv, Oldham 2025: rereferral_percent 21.1 (887 of 4196); 4196 draws: sd about 0.6 points.
    assert abs(rate - 21.1) < 2.5, rate
    lists = {
        "referrals": annexa.AnnexList(
            "referrals",
            "synthetic",
            refs.assign(previous=frames["referrals"]["Number of Referrals in Last 12 Months"].astype(str)),
            None,
        )
    }
    checked, disagree = annexa_indicators.rereferral_check(lists, pd.Timestamp("2022-04-01"))
    assert checked == (refs["referral_date"] >= "2023-04-01").sum() and disagree == 0
    assert (frames["referrals"]["Number of Referrals in Last 12 Months"] >= 2).sum() > 0
