"""Children looked after from 2010: older releases spliced onto the current one (issue #16, item 3).

Expected values are read by hand from the bundled files; the raw cells are quoted beside each.
"""

import math

import pytest

from csc_analysis import catalogue
from csc_analysis.errors import CscError

from .conftest import national, value

# Oldham (353) children looked after at 31 March, one release per year, newest first:
#   cla_sfr_underlying_2010_to_2017/2010/SFR27_2010_March.csv  "LA,353,Oldham,349,54800,..."   (MarTotal_2010)
#   2011/SFR21_CLA.csv   "E08000004,LA,353,Oldham,337,479,..." (CLA_Mar2011)
#   2012/SFR20_CLA2012.csv "...,353,Oldham,323,..."; 2013/SFR36_CLA2013.csv "...,353,Oldham,349,..."
#   2014 "...,Oldham,393,..."; 2015 "...,Oldham,390,..."; 2016 "...,Oldham,415,..."; 2017 "...,Oldham,493,..."
#   cla_number_and_rate_per_10k_children_2018_to_2022.csv "2018,...,Oldham,...,at 31 March each year,59069,551,93"
#   cla_number_and_rate_per_10k_children_2019_to_2023.csv "2019,...,61442,512,83" and "2020,...,61902,522,84"
#   cla_number_and_rate_per_10k_children.csv 2021 526, 2022 539, 2023 540, 2024 590, 2025 582
OLDHAM_CLA = {
    2010: 349,
    2011: 337,
    2012: 323,
    2013: 349,
    2014: 393,
    2015: 390,
    2016: 415,
    2017: 493,
    2018: 551,
    2019: 512,
    2020: 522,
    2021: 526,
    2022: 539,
    2023: 540,
    2024: 590,
    2025: 582,
}


def test_oldham_children_looked_after_every_year_2010_to_2025(published):
    got = {y: value(published, "353", "cla_at31", y).value for y in OLDHAM_CLA}
    assert got == OLDHAM_CLA


def test_each_year_comes_from_the_newest_release_that_has_it(published):
    # Oldham 2022 is 536 in the 2018-2022 release, 538 in 2019-2023 and 539 in 2021-2025: the newest wins.
    assert value(published, "353", "cla_at31", 2022).value == 539
    # Starters and leavers: 2018_to_2022 "2018,...,Oldham,...,Children starting ...,59069,267,45" and
    # "...ceasing...,59069,207,35"; 2019_to_2023 "2019,...ceasing...,61442,239,39".
    assert value(published, "353", "cla_starts", 2018).value == 267
    assert value(published, "353", "cla_ceased", 2018).value == 207
    assert value(published, "353", "cla_ceased", 2019).value == 239


def test_pre_2018_starters_and_leavers(published):
    # 2010/SFR27_2010_Started.csv "LA,353,Oldham,135,..."; 2010/SFR27_2010_Ceased.csv "LA,353,Oldham,110,...".
    assert value(published, "353", "cla_starts", 2010).value == 135
    assert value(published, "353", "cla_ceased", 2010).value == 110
    # 2015/SFR34_ADM2015.csv heads its column CLA_started2014 but holds 2015: "...,353,Oldham,168,97,..."
    # (2014/SFR36_ADM2014.csv has "...,353,Oldham,199,114,...").
    assert value(published, "353", "cla_starts", 2015).value == 168
    assert value(published, "353", "cla_starts", 2014).value == 199
    # 2017/SFR50_CEA2017.csv "28,E08000004,LA,353,Oldham,145,70,..." (CLA_cease2017).
    assert value(published, "353", "cla_ceased", 2017).value == 145


def test_suppressed_pre_2018_counts_keep_their_symbol(published):
    # City of London (201): 2010/SFR27_2010_Started.csv "LA,201,City of London,x,0,..." and
    # 2014/SFR36_CEA2014.csv "E09000001,LA,201,City of London,x,x,...": suppressed, never zero.
    for ind, year in [("cla_starts", 2010), ("cla_ceased", 2014), ("cla_starts", 2014)]:
        row = value(published, "201", ind, year)
        assert math.isnan(row.value) and row.status == "x"
    # ...while its 2010 count at 31 March is published: "LA,201,City of London,15,900,...".
    assert value(published, "201", "cla_at31", 2010).value == 15


def test_rates_use_the_bundled_ons_estimates_and_are_x_before_2013(published):
    # ons_mid-year_population_estimates_2012_to_2024.csv "2012,...,353,E08000004,Oldham,...,56893":
    # the 2013 rate is 349 / 56,893 x 10,000. The bundled estimates start in mid-2012, so 2010-2012
    # rates (which need mid-2009..2011) are not available ("x"), not taken from another vintage.
    assert value(published, "353", "cla_rate_per_10k", 2013).value == pytest.approx(349 / 56_893 * 1e4)
    for year in (2010, 2011, 2012):
        row = value(published, "353", "cla_rate_per_10k", year)
        assert math.isnan(row.value) and row.status == "x"
    # 2018 is recomputed from mid-2017 ("2017,...,Oldham,...") rather than DfE's pre-Census-2021 59,069.
    pop_2017 = value(published, "353", "population_0_17", 2017).value
    assert value(published, "353", "cla_rate_per_10k", 2018).value == pytest.approx(551 / pop_2017 * 1e4)


def test_pre_2018_regions_and_england_match_the_ees_geography(published):
    # 2010/SFR27_2010_March.csv "National,921,England,64400,..." and "GOR,A,North East ,3650,...";
    # 2011/SFR21_CLA.csv "E12000007,REGION,H,INNER LONDON,4600,..." (London's code in that file) -> the
    # EES name and code for Inner London, E13000001.
    assert national(published, "cla_at31", 2010).value == 64_400
    rows = published[(published.indicator == "cla_at31") & (published.geographic_level == "regional")]
    ne = rows[(rows.year == 2010) & (rows.la_name == "North East")].iloc[0]
    assert ne.value == 3650 and ne.new_la_code == "E12000001"
    inner = rows[(rows.year == 2011) & (rows.la_name == "Inner London")].iloc[0]
    assert inner.value == 4600 and inner.new_la_code == "E13000001"


def test_pre_2018_la_takes_its_current_name_code_and_region(published):
    row = value(published, "353", "cla_at31", 2010)  # the 2010 file has no ONS code or region
    assert (row.new_la_code, row.la_name, row.region_name) == ("E08000004", "Oldham", "North West")


def test_catalogue_lists_the_spliced_releases():
    frame = catalogue.catalogue_frame().set_index("id")
    text = frame.loc["cla_at31", "source"]
    assert "earlier years from cla_number_and_rate_per_10k_children_2019_to_2023.csv: number" in text
    assert "SFR27_2010_March.csv: MarTotal_2010" in text


def test_splice_part_without_a_column_is_a_catalogue_error(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "version: 1\nindicators:\n- {id: a, label: A, unit: count, polarity: neutral, theme: t,\n"
        "   source: {file: f.csv, column: c, splice: [{file: g.csv}]}}\n"
    )
    with pytest.raises(
        CscError, match=r"indicator 'a' splice part 1 \(g.csv\) is incomplete: it needs 'file' and 'column'"
    ):
        catalogue.load_catalogue(bad)


def test_ceased_by_reason_reaches_back_to_2018_from_the_2022_release(published):
    # la_children_who_ceased_during_year.csv (2022 release), used for 2018-2019 only:
    # "2019,...,353,Oldham,...,Reason episode ceased,Adopted,34,14", "...,Special guardianship orders,51,21",
    # "...,Total,239,100", "...,Aged 18 (or over) and remained with current carers,z,z";
    # "2018,...,353,Oldham,...,Adopted,35,17", "...,Total,207,100";
    # "2019,...,857,Rutland,...,Adopted,c,c", "...,Total,8,100".
    assert value(published, "353", "cla_ceased_adopted", 2019).value == 34
    assert value(published, "353", "cla_ceased_sgo", 2019).value == 51
    assert value(published, "353", "cla_ceased_adopted_pct", 2018).value == pytest.approx(35 / 207 * 100)
    assert value(published, "353", "cla_ceased_remained_18", 2019).status == "z"
    assert value(published, "857", "cla_ceased_adopted", 2019).status == "c"
    assert value(published, "857", "cla_ceased_reason_total", 2019).value == 8
    # 2020 onwards from the 2024 release: "2024,...,Oldham,...,Adopted,26,13".
    assert value(published, "353", "cla_ceased_adopted", 2024).value == 26
