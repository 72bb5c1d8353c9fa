"""The tidy loader against figures read by hand from the bundled EES files."""

import math
import os
import shutil

import pandas as pd
import pytest

from csc_analysis import load
from csc_analysis.catalogue import load_catalogue
from csc_analysis.errors import CscError

from .conftest import national, value


def test_tidy_columns_and_types(published):
    assert list(published.columns) == load.TIDY_COLUMNS
    assert published["year"].dtype.kind == "i"
    assert published["value"].dtype == float
    assert set(published["geographic_level"]) == {"national", "regional", "la"}
    la_codes = published.loc[published.geographic_level == "la", "la_code"]
    assert la_codes.str.fullmatch(r"\d{3}").all()
    assert set(published["status"].dropna()) <= set(load.SYMBOLS)
    assert set(published["indicator"]) == set(load_catalogue())


def test_oldham_workforce_2024(published):
    assert value(published, "353", "agency_rate_fte", 2024).value == 32.3
    assert value(published, "353", "caseload_fte", 2024).value == 19.2


def test_england_referrals_2025(published):
    assert national(published, "referrals", 2025).value == 632_830
    assert national(published, "rereferral_pct", 2025).value == 22.6


def test_oldham_cla_2025(published):
    assert value(published, "353", "cla_at31", 2025).value == 582
    rate = value(published, "353", "cla_rate_per_10k", 2025).value
    # DfE's published rate_per_10000 is 91 (582 / 64,069 * 10,000 = 90.84, from the mid-2024 population):
    # where DfE publishes the rate, the tidy value is DfE's figure (#13.4).
    assert rate == 91


def test_symbol_stays_missing_with_its_status(published):
    # c1 file, North Tyneside (392) 2025: no_further_action_percent is "c".
    row = value(published, "392", "referrals_nfa_pct", 2025)
    assert math.isnan(row.value) and row.status == "c"
    # csww file, Isles of Scilly (420) 2018: absence rate "c"; turnover published as 0.
    assert value(published, "420", "absence_rate_fte", 2018).status == "c"
    assert value(published, "420", "turnover_rate_fte", 2018).value == 0


def test_no_symbol_becomes_a_number(published):
    flagged = published[published["status"].notna()]
    assert flagged["value"].isna().all()
    assert published.loc[published["status"].isna(), "value"].notna().all()


def test_boundary_changes(published):
    years = lambda code: sorted(published.query("la_code == @code and indicator == 'referrals'").year)  # noqa: E731
    assert years("942")[0] == 2024  # Cumberland from April 2023
    assert years("943")[0] == 2024
    assert years("928")[-1] == 2021  # Northamptonshire until March 2021
    assert years("940")[0] == 2022
    assert years("839")[0] == 2020 and years("837")[-1] == 2019


def test_joint_northamptonshire_workforce_goes_to_both(published):
    # csww 2024: "940 / 941" joint return, inpost FTE 379.5.
    assert value(published, "940", "inpost_fte", 2024).value == 379.5
    assert value(published, "941", "inpost_fte", 2024).value == 379.5
    assert value(published, "941", "inpost_fte", 2024).la_name == "West Northamptonshire"


def test_london_las_are_in_london_region(published):
    assert value(published, "202", "referrals", 2025).region_name == "London"
    regions = set(published.loc[published.geographic_level == "regional", "la_name"])
    assert {"London", "Inner London", "North West"} <= regions


def test_rate_uses_previous_years_population(published):
    pop_2023 = value(published, "353", "population_0_17", 2023).value
    refs = value(published, "353", "referrals", 2024).value
    assert value(published, "353", "referrals_rate_per_10k", 2024).value == pytest.approx(refs / pop_2023 * 1e4)


def test_rate_without_population_is_flagged_not_invented(published):
    # Cumberland's first population estimate is mid-2023, so there is no 2023 rate to derive;
    # its 2023 CLA count is itself "z" in the source, and the rate keeps that symbol.
    row = value(published, "942", "cla_rate_per_10k", 2023)
    assert math.isnan(row.value) and row.status == "z"


@pytest.mark.parametrize("ind", [i for i in load_catalogue().values() if i.published], ids=lambda i: i.id)
def test_derived_rates_agree_with_published_rates_for_every_la(published, data_folder, ind):
    spec = ind.published
    raw = load.read_ees_csv(data_folder / spec.file, load.GEOGRAPHY)
    for col, wanted in (spec.filter or {}).items():
        raw = raw[raw[col] == wanted]
    raw = raw[(raw.geographic_level == "Local authority") & pd.to_numeric(raw[spec.column], errors="coerce").notna()]
    raw = raw.assign(year=raw.time_period.astype(int), la_code=raw.old_la_code,
                     published_rate=raw[spec.column].astype(float))
    ours = published[(published.indicator == ind.id) & (published.geographic_level == "la")]
    both = raw.merge(ours, on=["year", "la_code"])
    # The tidy value is DfE's published figure (#13.4), also beside a suppressed count (City of London:
    # 0% of a "c" total); most LA-years DfE publishes are compared.
    assert (both["value"] == both["published_rate"]).all()
    assert len(both) > 300 and len(both) >= 0.9 * len(raw)
    # The recomputation from the published counts agrees with DfE's rounded figure within half a unit of its
    # last decimal place (`rounding`).
    d = ind.derived
    la_rows = published[published.geographic_level == "la"]
    num = la_rows[la_rows.indicator == d.numerator]
    den = la_rows[la_rows.indicator == d.denominator]
    den = den.assign(year=den.year - d.denominator_year_offset)
    counts = num[["year", "la_code", "value"]].merge(den[["year", "la_code", "value"]], on=["year", "la_code"],
                                                     suffixes=("_num", "_den"))
    both = both.merge(counts, on=["year", "la_code"]).dropna(subset=["value_num", "value_den"])
    both = both[both["value_den"] > 0]
    tolerance = 0.5 * 10 ** -spec.rounding + 1e-9
    diff = (both["value_num"] / both["value_den"] * d.multiplier - both["published_rate"]).abs()
    assert (diff <= tolerance).all(), both.loc[diff > tolerance, ["la_code", "year", "value", "published_rate"]]


def _copy_data(src, dst):
    for path in load.source_files(src):
        (dst / path.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dst / path.relative_to(src))
    for name in load.SN_FILES.values():
        shutil.copy(src / name, dst / name)


def test_bom_and_column_order_do_not_matter(published, data_folder, tmp_path):
    _copy_data(data_folder, tmp_path)
    c1 = tmp_path / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    frame = pd.read_csv(c1, dtype=str, keep_default_na=False)
    frame[list(reversed(frame.columns))].to_csv(c1, index=False, encoding="utf-8-sig")
    cla = tmp_path / "cla_number_and_rate_per_10k_children.csv"
    cla.write_bytes(cla.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    again = load.published(tmp_path, use_cache=False)
    pd.testing.assert_frame_equal(again, published)


def test_loading_twice_is_identical_and_corrupt_cache_is_rebuilt(data_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    first = load.published(data_folder)
    (cache_file,) = (tmp_path / "cache").glob("published-*.parquet")
    cache_file.write_bytes(b"not a parquet file")
    second = load.published(data_folder)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(load.published(data_folder), first)  # from the rewritten cache
    assert cache_file.read_bytes() != b"not a parquet file"


def test_cache_follows_file_contents_not_size_and_time(data_folder, tmp_path, monkeypatch):
    """#13.11: an edit that keeps a file's size and modification time must not be served from the cache."""
    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    _copy_data(data_folder, tmp_path)
    # c1 line 38: 2025,Reporting year,Local authority,...,353,E08000004,Oldham,Referrals and Re-referrals,4196,887,...
    c1 = tmp_path / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    assert value(load.published(tmp_path), "353", "referrals", 2025).value == 4196
    before = c1.stat()
    text = c1.read_bytes()
    row = b"Oldham,Referrals and Re-referrals,4196,887"
    assert text.count(row) == 1
    c1.write_bytes(text.replace(row, row.replace(b"4196", b"4197")))
    os.utime(c1, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert c1.stat().st_size == before.st_size and c1.stat().st_mtime_ns == before.st_mtime_ns
    assert value(load.published(tmp_path), "353", "referrals", 2025).value == 4197


def test_cache_never_unpickles(data_folder, tmp_path, monkeypatch):
    """#13.11: the cache is data only (Parquet); a pickle planted in the cache folder is never loaded."""
    import pickle

    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    load.published(data_folder)
    cached = list((tmp_path / "cache").iterdir())
    assert cached and all(p.suffix == ".parquet" for p in cached)
    for path in cached:  # plant a pickle under every name the cache uses, with either suffix
        path.with_suffix(".pkl").write_bytes(pickle.dumps(load.published))

    def refuse(*args, **kwargs):
        raise AssertionError("the cache unpickled a file")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pd, "read_pickle", refuse)
    assert len(load.published(data_folder)) > 100_000


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: p.unlink(), "file not found"),
        (lambda p: p.write_bytes(b"PK\x03\x04rest-of-a-zip"), "expected a CSV"),
        (lambda p: p.write_text(""), "file is empty"),
        (lambda p: p.write_text(p.read_text().replace("referral_count", "referrals_total")), "missing column referral_count"),
        (lambda p: p.write_text(p.read_text().replace(",632830,", ",6 3 2,")), "value '6 3 2' is neither a number nor a symbol"),
    ],
    ids=["missing", "xlsx", "empty", "missing-column", "bad-value"],
)
def test_bad_input_is_a_one_line_error_naming_the_file(data_folder, tmp_path, damage, message):
    _copy_data(data_folder, tmp_path)
    target = tmp_path / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    damage(target)
    with pytest.raises(CscError) as err:
        load.published(tmp_path, use_cache=False)
    text = str(err.value)
    assert message in text and "c1_children_in_need" in text and "\n" not in text


def test_cp1252_and_utf16_files_are_read(tmp_path):
    text = "time_period,geographic_level,region_name,old_la_code,new_la_code,la_name,x\n2024,National,,,,Engl\u00e9nd,1\n"
    for enc in ("cp1252", "utf-16"):
        path = tmp_path / f"f-{enc}.csv"
        path.write_bytes(text.encode(enc))
        frame = load.read_ees_csv(path, load.GEOGRAPHY)
        assert frame.loc[0, "la_name"] == "Engl\u00e9nd"


def test_sn_models(sn_models):
    oldham_2025 = sn_models.query("model == '2025' and la_code == '353'")
    # sn_model_2025_wide.csv, row 353: 889, 350, 354, 380, 335, 831, 861, 331, 330, 333.
    assert list(oldham_2025.neighbour_code) == ["889", "350", "354", "380", "335", "831", "861", "331", "330", "333"]
    assert oldham_2025.iloc[0].band == "Very close"
    oldham_2021 = sn_models.query("model == '2021' and la_code == '353'")
    assert list(oldham_2021.neighbour_code)[:3] == ["354", "380", "335"]
    assert oldham_2021.iloc[0].band == "Very Close"
    assert sn_models.query("model == '2025'").la_code.nunique() == 153


def test_rate_spans_an_ons_code_change(published):
    # North Yorkshire (815) changed ONS code in 2023 (E10000023 -> E06000065); the 2022 rate
    # still divides by the mid-2021 estimate (113,710). (Children in need: DfE publishes no rate
    # beside it in the bundled file, so the rate is recomputed.)
    refs = value(published, "815", "cin_at31", 2022).value
    assert value(published, "815", "cin_rate_per_10k", 2022).value == pytest.approx(refs / 113_710 * 1e4)
    assert value(published, "815", "cin_rate_per_10k", 2022).new_la_code == "E06000065"


def test_icpc_within_15_days_adds_two_bands(published):
    # c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv, 2025: Oldham (353) ICPC 543,
    # Duration_0-10_days 30, Duration_11-15_days 475 -> 505 within 15 days, 93.0%; England 72100, 6240 + 52430.
    # Hartlepool (805): ICPC 304, 0-10 days "c", 11-15 days 287 -> the sum is suppressed, never 287.
    assert value(published, "353", "icpc_within_15d", 2025).value == 505
    assert value(published, "353", "icpc_within_15d_pct", 2025).value == pytest.approx(505 / 543 * 100)
    hartlepool = value(published, "805", "icpc_within_15d", 2025)
    assert math.isnan(hartlepool.value) and hartlepool.status == "c"
    england = published.query("geographic_level == 'national' and indicator == 'icpc_within_15d_pct' and year == 2025")
    assert england.value.item() == pytest.approx((6240 + 52430) / 72100 * 100)
