"""The tidy loader against figures read by hand from the bundled EES files."""

import math
import os
import shutil

import pandas as pd
import pytest

from csc_analysis import cells, ees, load
from csc_analysis.catalogue import load_catalogue
from csc_analysis.errors import CscError

from . import test_placement_legal_education as placement_legal_education
from .conftest import national, value


def test_tidy_columns_and_types(published):
    assert list(published.columns) == ees.TIDY_COLUMNS
    assert published["year"].dtype.kind == "i"
    assert published["value"].dtype == float
    assert set(published["geographic_level"]) == {"national", "regional", "la"}
    la_codes = published.loc[published.geographic_level == "la", "la_code"]
    assert la_codes.str.fullmatch(r"\d{3}").all()
    assert set(published["status"].dropna()) <= set(cells.SYMBOLS)
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
    raw = ees.read_ees_csv(data_folder / spec.file, ees.GEOGRAPHY)
    for col, wanted in (spec.filter or {}).items():
        raw = raw[raw[col] == wanted]
    raw = raw[(raw.geographic_level == "Local authority") & pd.to_numeric(raw[spec.column], errors="coerce").notna()]
    # An academic year (202425, education outcomes) is the year it ends, 2025, as in the tidy table.
    year = raw.time_period.str[:4].astype(int) + (raw.time_period.str.len() == 6)
    raw = raw.assign(year=year, la_code=raw.old_la_code, published_rate=raw[spec.column].astype(float))
    ours = published[(published.indicator == ind.id) & (published.geographic_level == "la")]
    both = raw.merge(ours, on=["year", "la_code"])
    # The tidy value is DfE's published figure (#13.4), also beside a suppressed count (City of London:
    # 0% of a "c" total); most LA-years DfE publishes are compared.
    assert (both["value"] == both["published_rate"]).all()
    # (KS2 for children on a plan: DfE publishes 277 LA-years, most small groups being suppressed.)
    assert len(both) > 250 and len(both) >= 0.9 * len(raw)
    # The recomputation from the published counts agrees with DfE's rounded figure within half a unit of its
    # last decimal place (`rounding`).
    d = ind.derived
    la_rows = published[published.geographic_level == "la"]
    num = la_rows[la_rows.indicator == d.numerator]
    den = la_rows[la_rows.indicator == d.denominator]
    den = den.assign(year=den.year - d.denominator_year_offset)
    counts = num[["year", "la_code", "value"]].merge(
        den[["year", "la_code", "value"]], on=["year", "la_code"], suffixes=("_num", "_den")
    )
    both = both.merge(counts, on=["year", "la_code"]).dropna(subset=["value_num", "value_den"])
    both = both[both["value_den"] > 0]
    tolerance = 0.5 * 10**-spec.rounding + 1e-9
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


def test_changing_the_frame_handed_out_never_changes_the_next(data_folder, tmp_path, monkeypatch):
    """published() keeps one table in memory and hands out shallow copies: Copy-on-Write (pandas 3) must copy
    whatever a caller changes. Oldham's referrals in 2025 are 4196 (c1 ..._2013_to_2025.csv, "Oldham,...,4196")."""
    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    load.published(data_folder)  # builds and writes the cache; the next calls read it once and share it
    kept = load.published(data_folder)
    expected = kept.copy(deep=True)
    mine = load.published(data_folder)
    row = mine.index[(mine["la_code"] == "353") & (mine["indicator"] == "referrals") & (mine["year"] == 2025)][0]
    mine.loc[row, "value"] = -1.0  # a cell
    mine.iloc[0, mine.columns.get_loc("la_name")] = "Nowhere"
    mine["status"] = "c"  # a column assigned
    mine["year"] += 1  # in place
    mine["value"] *= 2
    mine.fillna({"region_name": "none"}, inplace=True)
    after = load.published(data_folder)
    pd.testing.assert_frame_equal(after, expected)
    pd.testing.assert_frame_equal(kept, expected)
    assert value(after, "353", "referrals", 2025).value == 4196


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
        (
            lambda p: p.write_text(p.read_text().replace("referral_count", "referrals_total")),
            "missing column referral_count",
        ),
        (
            lambda p: p.write_text(p.read_text().replace(",632830,", ",6 3 2,")),
            "value '6 3 2' is neither a number nor a symbol",
        ),
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
    text = (
        "time_period,geographic_level,region_name,old_la_code,new_la_code,la_name,x\n2024,National,,,,Engl\u00e9nd,1\n"
    )
    for enc in ("cp1252", "utf-16"):
        path = tmp_path / f"f-{enc}.csv"
        path.write_bytes(text.encode(enc))
        frame = ees.read_ees_csv(path, ees.GEOGRAPHY)
        assert frame.loc[0, "la_name"] == "Engl\u00e9nd"


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


# Issue #16 (items 3-7, 9): every new indicator against figures read by hand from the bundled files,
# for at least two LAs, one with suppression. Raw cells are quoted (old_la_code, la_name, then the filter
# columns and the count/percentage columns), all for the year to 31 March 2024 unless stated.


def dfe(published: float, computed: float) -> float:
    """DfE's published figure (the value the package keeps, #13.4), checked against the hand computation from
    the counts: within half a unit of the figure's last decimal place."""
    places = len(f"{published:g}".partition(".")[2])
    assert abs(published - computed) <= 0.5 * 10**-places + 1e-9, (published, computed)
    return published


CASES = [
    # c4: "353,...,Oldham,Section 47s and ...,2019,1582,534,534,37,448,31,18,12,13,14"
    #     (Section47, Section47_child, ICPC, ICPC_child, Duration_0-10_days, Duration_11-15_days, ...)
    ("icpc_within_15d", "353", 37 + 448),
    ("icpc_within_15d_pct", "353", 485 / 534 * 100),
    # c4: "201,...,City of London,...,9,9,6,6,c,c,0,0,12,12,12": both bands suppressed.
    ("icpc_within_15d", "201", "c"),
    ("icpc_within_15d_pct", "201", "c"),
    # c4: "857,...,Rutland,...,57,55,42,41,c,27,0,c,10,12,14": one band suppressed is enough.
    ("icpc_within_15d_pct", "857", "c"),
    # c1: "353,...,Oldham,Referrals and Re-referrals,5481,1385,25.3,90,1.6,902,16.5,..." (not_in_need_count 902)
    ("referrals_not_in_need", "353", 902),
    ("referrals_not_in_need_pct", "353", dfe(16.5, 902 / 5481 * 100)),
    # c1: "201,...,City of London,...,63,c,c,32,50.8,c,c,62,c,c"
    ("referrals_not_in_need", "201", "c"),
    ("referrals_not_in_need_pct", "201", "c"),
    # d5: "353,...,Oldham,Child Protection Plans by length of time,510,130,25.5,125,24.5,113,22.2,104,20.4,38,7.5"
    ("cpp_at31_3m_plus", "353", 125 + 113 + 104 + 38),
    ("cpp_at31_3m_plus_pct", "353", 380 / 510 * 100),
    # d5: "857,...,Rutland,...,26,10,38.5,10,38.5,c,c,c,c,0,0"
    ("cpp_at31_3m_plus", "857", "c"),
    ("cpp_at31_3m_plus_pct", "857", "c"),
    # la_conviction_health_outcome_cla.csv, Oldham: "Health assessments: ...,Total all ages,389,100",
    # "...Had their annual health assessment,369,95", "...immunisations up to date,329,85",
    # "...teeth checked by a dentist,291,75"
    ("cla_health_cohort", "353", 389),
    ("cla_health_assessment", "353", 369),
    ("cla_health_assessment_pct", "353", dfe(95, 369 / 389 * 100)),
    ("cla_immunisations", "353", 329),
    ("cla_immunisations_pct", "353", dfe(85, 329 / 389 * 100)),
    ("cla_dental_check", "353", 291),
    ("cla_dental_check_pct", "353", dfe(75, 291 / 389 * 100)),
    # Rutland: "Total all ages,18,100", "annual health assessment,15,83", "immunisations up to date,14,78",
    # "teeth checked by a dentist,18,100"
    ("cla_health_cohort", "857", 18),
    ("cla_health_assessment_pct", "857", dfe(83, 15 / 18 * 100)),
    ("cla_immunisations_pct", "857", dfe(78, 14 / 18 * 100)),
    ("cla_dental_check_pct", "857", 100.0),
    # Oldham: "Ages 5 to 16 years with SDQ score,SDQ score is a cause for concern,94,43",
    # "...SDQ score was received,219,75", "...SDQ average score,15.2,z"
    ("cla_sdq_received", "353", 219),
    ("cla_sdq_concern", "353", 94),
    ("cla_sdq_concern_pct", "353", dfe(43, 94 / 219 * 100)),
    ("cla_sdq_average", "353", 15.2),
    # Rutland: "SDQ score is a cause for concern,c,c", "SDQ score was received,6,46", "SDQ average score,16.5,z"
    ("cla_sdq_received", "857", 6),
    ("cla_sdq_concern", "857", "c"),
    ("cla_sdq_concern_pct", "857", "c"),
    ("cla_sdq_average", "857", 16.5),
    # Oldham: "Convictions: ... Ages 10 to 17 years,Total ages 10 to 17 years,254,100", "...Convicted or
    # subject to youth cautions, or youth conditional cautions during the year",9,4"; Rutland: 13 and 0.
    ("cla_10_17_cohort", "353", 254),
    ("cla_convicted", "353", 9),
    ("cla_convicted_pct", "353", dfe(4, 9 / 254 * 100)),
    ("cla_10_17_cohort", "857", 13),
    ("cla_convicted_pct", "857", 0.0),
    # Oldham: "Substance misuse: ...,Total all ages,389,100", "...Identified as having a substance misuse
    # problem,9,2"; Rutland: "Total all ages,18,100", "Identified ...,0,0"
    ("cla_substance_cohort", "353", 389),
    ("cla_substance_misuse", "353", 9),
    ("cla_substance_misuse_pct", "353", dfe(2, 9 / 389 * 100)),
    ("cla_substance_misuse_pct", "857", 0.0),
    # la_children_who_were_missing_..._without_authorisation.csv, Oldham: "Children looked after during the
    # year,780", "Children who had a missing incident during the year,99", "...went missing more than once
    # during the year,74", "Number of missing incidents during the year,900", "Children who were away from
    # placement without authorisation during the year,0", "Number of away ... incidents during the year,0"
    ("cla_during_year", "353", 780),
    ("cla_missing", "353", 99),
    ("cla_missing_pct", "353", dfe(13, 99 / 780 * 100)),
    ("cla_missing_more_than_once", "353", 74),
    ("cla_missing_incidents", "353", 900),
    ("cla_missing_incidents_per_child", "353", dfe(9.1, 900 / 99)),
    ("cla_away", "353", 0),
    ("cla_away_pct", "353", 0.0),
    ("cla_away_incidents", "353", 0),
    # Rutland: "...during the year,41", "...had a missing incident during the year,c", "...more than once...,0",
    # "Number of missing incidents during the year,c"
    ("cla_during_year", "857", 41),
    ("cla_missing", "857", "c"),
    ("cla_missing_pct", "857", "c"),
    ("cla_missing_more_than_once", "857", 0),
    ("cla_missing_incidents", "857", "c"),
    ("cla_missing_incidents_per_child", "857", "c"),
    # Kent: "Children looked after during the year,4670", "...away ... during the year,73", "Number of away
    # ... incidents during the year,117"
    ("cla_away", "886", 73),
    ("cla_away_pct", "886", dfe(2, 73 / 4670 * 100)),
    ("cla_away_incidents", "886", 117),
    # la_children_who_ceased_during_the_year.csv, Oldham: "Reason episode ceased,Total,195,100", "Adopted,26,13",
    # "Special guardianship orders,13,7", "Returned home ... part of the care planning process,51,26",
    # "Returned home ... not part of the care planning process,11,6", "Aged 18 (or over) and remained with
    # current carers,39,20", "Age on ceasing,18 years and over,67,34", "Age on ceasing,Total,195,100"
    ("cla_ceased_reason_total", "353", 195),
    ("cla_ceased_adopted", "353", 26),
    ("cla_ceased_adopted_pct", "353", dfe(13, 26 / 195 * 100)),
    ("cla_ceased_sgo", "353", 13),
    ("cla_ceased_sgo_pct", "353", dfe(7, 13 / 195 * 100)),
    ("cla_ceased_home", "353", 62),
    ("cla_ceased_home_pct", "353", 62 / 195 * 100),
    ("cla_ceased_remained_18", "353", 39),
    ("cla_ceased_remained_18_pct", "353", 39 / 195 * 100),
    ("cla_ceased_18plus", "353", 67),
    ("cla_ceased_age_total", "353", 195),
    ("cla_ceased_18plus_pct", "353", dfe(34, 67 / 195 * 100)),
    # Rutland: "Total,14,100", "Adopted,c,c", "Special guardianship orders,c,c", "Returned home ... part of
    # the care planning process,c,c", "... not part ...,0,0", "Aged 18 (or over) and remained ...,8,57",
    # "Age on ceasing,18 years and over,9,64"
    ("cla_ceased_adopted", "857", "c"),
    ("cla_ceased_adopted_pct", "857", "c"),
    ("cla_ceased_sgo_pct", "857", "c"),
    ("cla_ceased_home", "857", "c"),
    ("cla_ceased_home_pct", "857", "c"),
    ("cla_ceased_remained_18_pct", "857", dfe(57, 8 / 14 * 100)),
    ("cla_ceased_18plus_pct", "857", dfe(64, 9 / 14 * 100)),
    # la_care_leavers_intouch.csv, Oldham: "Aged 19 to 21,Local authority in touch with care leaver,180,96",
    # "Aged 19 to 21,Total,188,100", "Aged 17 to 18,...in touch...,77,99", "Aged 17 to 18,Total,78,100"
    ("care_leavers_19_21_intouch", "353", 180),
    ("care_leavers_19_21_intouch_base", "353", 188),
    ("care_leavers_19_21_intouch_pct", "353", dfe(96, 180 / 188 * 100)),
    ("care_leavers_17_18_intouch", "353", 77),
    ("care_leavers_17_18_intouch_base", "353", 78),
    ("care_leavers_17_18_intouch_pct", "353", dfe(99, 77 / 78 * 100)),
    # Rutland: "Aged 17 to 18,Local authority in touch with care leaver,c,c", "Aged 17 to 18,Total,9,100",
    # "Aged 19 to 21,...in touch...,22,100", "Aged 19 to 21,Total,22,100"
    ("care_leavers_17_18_intouch_pct", "857", "c"),
    ("care_leavers_19_21_intouch_pct", "857", 100.0),
    # la_care_leavers_accommodation_suitability.csv, Oldham: "19 to 21 years,Accommodation considered
    # suitable,174,93", "19 to 21 years,Suitability total,188,100", "17 to 18 years,...suitable,73,94",
    # "17 to 18 years,Suitability total,78,100"; Rutland: 17 to 18 "c,c" and "c,c"; 19 to 21 21 and 22.
    ("care_leavers_19_21_suitable", "353", 174),
    ("care_leavers_19_21_accommodation_base", "353", 188),
    ("care_leavers_19_21_suitable_pct", "353", dfe(93, 174 / 188 * 100)),
    ("care_leavers_17_18_suitable", "353", 73),
    ("care_leavers_17_18_accommodation_base", "353", 78),
    ("care_leavers_17_18_suitable_pct", "353", dfe(94, 73 / 78 * 100)),
    ("care_leavers_17_18_suitable_pct", "857", "c"),
    ("care_leavers_19_21_suitable_pct", "857", dfe(95, 21 / 22 * 100)),
    # la_care_leavers_stayput.csv, Oldham: "Aged 18,Total living with former foster carers in the current
    # year,12,75", "Aged 18,Young people who ceased to be looked after in a foster placement on their 18th
    # birthday and were eligible for care leavers support,16,100"; Rutland: both "c,c".
    ("staying_put", "353", 12),
    ("staying_put_eligible", "353", 16),
    ("staying_put_pct", "353", 75.0),
    ("staying_put", "857", "c"),
    ("staying_put_pct", "857", "c"),
    # la_care_leavers_activity.csv: Oldham "19 to 21 years,Higher education i.e. studies beyond A level,c,c",
    # "19 to 21 years,Total not in education, employment or training,102,54", "19 to 21 years,Total,188,100";
    # Kent (886) "19 to 21 years,Higher education ...,49,4", "19 to 21 years,Total,1203,100";
    # Rutland "...Total not in education, employment or training",c,c"
    ("care_leavers_19_21_he", "353", "c"),
    ("care_leavers_19_21_he_pct", "353", "c"),
    ("care_leavers_19_21_he", "886", 49),
    ("care_leavers_19_21_he_pct", "886", dfe(4, 49 / 1203 * 100)),
    ("care_leavers_19_21_neet", "353", 102),
    ("care_leavers_19_21_neet_pct", "353", dfe(54, 102 / 188 * 100)),
    ("care_leavers_19_21_neet_pct", "857", "c"),
    # la_care_leavers_activity_22to25.csv, Kent: Aged 22/23/24/25 Total 368/350/475/581, "Education, training
    # or employment" 178/108/119/123, "Care leaver not in touch with the LA during the year" 67/147/264/393.
    ("care_leavers_22_25", "886", 368 + 350 + 475 + 581),
    ("care_leavers_22_25_eet", "886", 178 + 108 + 119 + 123),
    ("care_leavers_22_25_eet_pct", "886", 528 / 1774 * 100),
    ("care_leavers_22_25_not_in_touch", "886", 871),
    # Oldham: Totals 56/53/38/27; EET "Aged 23,...,c,c"; not in touch "Aged 25,...,c,c". Rutland: "Aged 23,Total,c,c".
    ("care_leavers_22_25", "353", 174),
    ("care_leavers_22_25_eet", "353", "c"),
    ("care_leavers_22_25_not_in_touch", "353", "c"),
    ("care_leavers_22_25", "857", "c"),
    # la_cla_school_moves.csv, Oldham: "CLA on 31 March,Any moves,Total children,374,100", "...With one or more
    # moves during the year,24,6", "Mid-year moves,With one or more mid-year moves during the year,14,4";
    # Rutland: "Total children,15,100", moves "c,c".
    ("cla_school_base", "353", 374),
    ("cla_school_moves", "353", 24),
    ("cla_school_moves_pct", "353", dfe(6, 24 / 374 * 100)),
    ("cla_school_midyear_moves", "353", 14),
    ("cla_school_midyear_moves_pct", "353", dfe(4, 14 / 374 * 100)),
    ("cla_school_base", "857", 15),
    ("cla_school_moves_pct", "857", "c"),
    ("cla_school_midyear_moves", "857", "c"),
    # la_cla_on_31_march_la_of_placement_netgain.csv, Oldham: "1. Children who are the responsibility of other
    # LAs placed within this LA boundary,274", "2. ... placed outside the LA boundary,263", "Net gain ...,11";
    # Rutland: all three "c".
    ("cla_placed_in_from_other_las", "353", 274),
    ("cla_placed_out_of_la", "353", 263),
    ("cla_placement_net_gain", "353", 11),
    ("cla_placement_net_gain", "857", "c"),
    # la_children_looked_after_exclusively_under_a_series_of_short_term_placements.csv: Oldham "...,c",
    # Blackpool (890) "...,21", Rutland "...,0" (a published zero stays zero).
    ("short_breaks_only", "353", "c"),
    ("short_breaks_only", "890", 21),
    ("short_breaks_only", "857", 0),
    # --- Second LAs and symbols for the remaining indicators. Cumbria (909) still has 2024 rows, all "z"
    # (it was split in April 2023); the others are "c" (suppressed).
    # la_conviction_health_outcome_cla.csv: "201,City of London,Health assessments: ...,Total all ages,c,c",
    # "201,City of London,Substance misuse: ...,Total all ages,c,c", "201,City of London,Convictions: ...,
    # Total ages 10 to 17 years,c,c", "909,Cumbria,Health assessments: ...,Had their annual health assessment,
    # z,z" (likewise immunisations, teeth checked), "909,Cumbria,...,SDQ score was received,z,z", "909,Cumbria,
    # ...,SDQ average score,z,z", "805,Hartlepool,Convictions: ...,Convicted or subject to ...,c,c",
    # "806,Middlesbrough,Substance misuse: ...,Identified as having a substance misuse problem,c,c";
    # Rutland: "Had their annual health assessment,15,83", "immunisations up to date,14,78", "teeth checked by
    # a dentist,18,100", "Convicted or subject to ...,0,0", "Substance misuse: ...,Total all ages,18,100".
    ("cla_health_cohort", "201", "c"),
    ("cla_health_assessment", "909", "z"),
    ("cla_health_assessment", "857", 15),
    ("cla_health_assessment_pct", "909", "z"),
    ("cla_immunisations", "909", "z"),
    ("cla_immunisations", "857", 14),
    ("cla_immunisations_pct", "201", "c"),
    ("cla_dental_check", "909", "z"),
    ("cla_dental_check", "857", 18),
    ("cla_dental_check_pct", "201", "c"),
    ("cla_sdq_received", "909", "z"),
    ("cla_sdq_average", "909", "z"),
    ("cla_10_17_cohort", "201", "c"),
    ("cla_convicted", "805", "c"),
    ("cla_convicted", "857", 0),
    ("cla_convicted_pct", "805", "c"),
    ("cla_substance_cohort", "201", "c"),
    ("cla_substance_cohort", "857", 18),
    ("cla_substance_misuse", "806", "c"),
    ("cla_substance_misuse", "857", 0),
    ("cla_substance_misuse_pct", "806", "c"),
    # missing file: "909,Cumbria,Children looked after during the year,z", "925,Lincolnshire,Children who went
    # missing more than once during the year,c", "805,Hartlepool,Children who were away from placement without
    # authorisation during the year,c", "805,Hartlepool,Number of away ... incidents during the year,c"
    ("cla_during_year", "909", "z"),
    ("cla_missing_more_than_once", "925", "c"),
    ("cla_away", "805", "c"),
    ("cla_away_pct", "805", "c"),
    ("cla_away_incidents", "805", "c"),
    # ceased file: "909,Cumbria,Reason episode ceased,Total,z,z", "909,Cumbria,Age on ceasing,Total,z,z",
    # "909,Cumbria,Age on ceasing,18 years and over,z,z", "857,Rutland,Reason episode ceased,Special
    # guardianship orders,c,c", "340,Knowsley,Reason episode ceased,Aged 18 (or over) and remained with current
    # carers,c,c"; Rutland "Total,14,100", "Aged 18 (or over) ...,8,57", "18 years and over,9,64"
    ("cla_ceased_reason_total", "909", "z"),
    ("cla_ceased_reason_total", "857", 14),
    ("cla_ceased_sgo", "857", "c"),
    ("cla_ceased_remained_18", "340", "c"),
    ("cla_ceased_remained_18", "857", 8),
    ("cla_ceased_remained_18_pct", "340", "c"),
    ("cla_ceased_18plus", "909", "z"),
    ("cla_ceased_18plus", "857", 9),
    ("cla_ceased_18plus_pct", "909", "z"),
    ("cla_ceased_age_total", "909", "z"),
    ("cla_ceased_age_total", "857", 14),
    # care leavers: "909,Cumbria,Aged 19 to 21,Local authority in touch with care leaver,z,z", "909,Cumbria,
    # Aged 19 to 21,Total,z,z", "201,City of London,Aged 17 to 18,Local authority in touch ...,c,c" and
    # "...,Total,c,c"; Rutland "Aged 19 to 21,...,22,100" (in touch and total), "Aged 17 to 18,Total,9,100".
    ("care_leavers_19_21_intouch_base", "909", "z"),
    ("care_leavers_19_21_intouch_base", "857", 22),
    ("care_leavers_19_21_intouch", "909", "z"),
    ("care_leavers_19_21_intouch", "857", 22),
    ("care_leavers_19_21_intouch_pct", "909", "z"),
    ("care_leavers_17_18_intouch_base", "201", "c"),
    ("care_leavers_17_18_intouch_base", "857", 9),
    ("care_leavers_17_18_intouch", "201", "c"),
    ("care_leavers_17_18_intouch", "857", "c"),
    # accommodation: "909,Cumbria,19 to 21 years,Suitability total,z,z", "929,Northumberland,19 to 21 years,
    # Accommodation considered suitable,c,c", "857,Rutland,17 to 18 years,Suitability total,c,c",
    # "393,South Tyneside,17 to 18 years,Accommodation considered suitable,c,c" and "...,Suitability total,45,100";
    # Rutland "19 to 21 years,Accommodation considered suitable,21,95", "19 to 21 years,Suitability total,22,100"
    ("care_leavers_19_21_accommodation_base", "909", "z"),
    ("care_leavers_19_21_accommodation_base", "857", 22),
    ("care_leavers_19_21_suitable", "929", "c"),
    ("care_leavers_19_21_suitable", "857", 21),
    ("care_leavers_19_21_suitable_pct", "929", "c"),
    ("care_leavers_17_18_accommodation_base", "857", "c"),
    ("care_leavers_17_18_accommodation_base", "393", 45),
    ("care_leavers_17_18_suitable", "393", "c"),
    ("care_leavers_17_18_suitable", "857", "c"),
    # stay put: "805,Hartlepool,Aged 18,Young people who ceased ... eligible for care leavers support,c,c";
    # Rutland the same "c,c".  activity: Rutland "19 to 21 years,Total not in education, ...,c,c"
    ("staying_put_eligible", "805", "c"),
    ("staying_put_eligible", "857", "c"),
    ("care_leavers_19_21_neet", "857", "c"),
    # 22 to 25: "805,Hartlepool,Aged 22,Education, training or employment,c,c" (also 23, 24; 25 is "0,0")
    ("care_leavers_22_25_eet", "805", "c"),
    ("care_leavers_22_25_eet_pct", "805", "c"),
    # school moves: "201,City of London,CLA on 31 March,Any moves,Total children,c,c"; Rutland "With one or more
    # moves during the year,c,c"; "With one or more mid-year moves during the year,c,c"
    ("cla_school_base", "201", "c"),
    ("cla_school_moves", "857", "c"),
    ("cla_school_midyear_moves_pct", "857", "c"),
    # net gain: Rutland "1. Children who are the responsibility of other LAs ...,c", "2. ...,c";
    # City of London the same.
    ("cla_placed_in_from_other_las", "857", "c"),
    ("cla_placed_out_of_la", "857", "c"),
    ("cla_placed_in_from_other_las", "201", "c"),
]


@pytest.mark.parametrize("indicator, la_code, expected", CASES, ids=lambda v: str(v)[:40])
def test_new_indicator_against_the_source_file(published, indicator, la_code, expected):
    row = value(published, la_code, indicator, 2024)
    if isinstance(expected, str):
        assert math.isnan(row.value) and row.status == expected
    else:
        assert pd.isna(row.status) and row.value == pytest.approx(expected)


def test_every_new_indicator_is_checked_for_two_las_one_with_a_symbol():
    ids = list(load_catalogue())
    # spending and items 3 (placement, legal status) and 8 (education): their own files
    new = [
        i
        for i in ids[ids.index("icpc_within_15d") :]
        if not i.startswith("csc_net_spend") and i not in placement_legal_education.NEW_INDICATORS
    ]
    for ind in new:
        cases = [(la, expected) for i, la, expected in CASES if i == ind]
        assert len({la for la, _ in cases}) >= 2, ind
        assert any(isinstance(expected, str) for _, expected in cases), ind
        assert any(not isinstance(expected, str) for _, expected in cases), ind


def test_headline_table_shows_the_new_indicators_with_their_theme(published, registry, sn_models):
    from csc_analysis import benchmark, neighbours
    from csc_analysis.charts import benchmark as charts

    target = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, target, "2025")
    table = benchmark.benchmark(published, target, list(sn["la_code"]), benchmark.HEADLINE_INDICATORS)
    shown = charts.headline_table(benchmark.headline(table), "Oldham").data.set_index("Indicator")
    assert shown.loc["Initial child protection conferences within 15 working days (%)", "Theme"] == "Child protection"
    assert shown.loc["Care leavers aged 19 to 21 in touch with the LA (%)", "Theme"] == "Care leavers"
    # Oldham 2025 health file: "Had their annual health assessment,397,94" of "Total all ages,424,100":
    # DfE's published 94 is the value (#13.4); 397 / 424 = 93.6% agrees with it.
    row = shown.loc["Children looked after 12+ months had their annual health assessment (%)"]
    # DfE publishes it as a whole number, so it is shown to that rounding: 94%, not 94.0% (#14)
    assert (row["Theme"], row["Year"], row["Oldham"]) == ("Health", "2025", "94%")


def test_registry_and_models_are_built_once_per_content(data_folder, tmp_path, monkeypatch):
    """#18: every page asks for the registry and the neighbour models; each is parsed once per content."""
    monkeypatch.setenv("CSC_CACHE_DIR", str(tmp_path / "cache"))
    _copy_data(data_folder, tmp_path)
    first = load.registry(tmp_path)
    assert first.resolve("Oldham").current

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(load, "build_registry", refuse)
        patched.setattr(load.neighbours, "long_models", refuse)
        again = load.registry(tmp_path)
        pd.testing.assert_frame_equal(again.las, first.las)
        again.las.loc[0, "la_name"] = "changed"  # a caller's change stays in its copy
        assert load.registry(tmp_path).las.loc[0, "la_name"] == first.las.loc[0, "la_name"]
    # Oldham (353) leaves the 2025 model: a new file, a new registry in which Oldham is no longer current.
    sn = tmp_path / load.SN_FILES["2025"]
    sn.write_text(
        "\n".join(line for line in sn.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("353,"))
    )
    assert not load.registry(tmp_path).resolve("Oldham").current
