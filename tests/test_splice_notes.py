"""The "Longer series" note every page carries (issue #16, item 1): the splice rule and each series' releases."""

from csc_analysis import splice_notes
from csc_analysis.catalogue import load_catalogue


def test_each_spliced_series_lists_its_releases_newest_first(published):
    table = splice_notes.spliced_series(load_catalogue(), published).set_index("indicators")
    workforce = table.loc[table.index.str.startswith("inpost_fte")].iloc[0]
    # indicators.yaml: csww_indicators_2017_to_2025.csv, then SFR08_2017_UD.csv (2016), SFR07_2016_UD.csv (2015).
    assert workforce["years"] == "2015-2025"
    assert (
        workforce["releases"] == "csww_indicators_2017_to_2025.csv; SFR08_2017_UD.csv (2016); SFR07_2016_UD.csv (2015)"
    )
    cla = table.loc["cla_at31, cla_starts, cla_ceased"]
    assert cla["years"] == "2010-2025"
    assert cla["releases"].endswith("cla_sfr_underlying_2010_to_2017/ (one file a year, 2010-2017)")
    spend = table.loc[table.index.str.startswith("csc_spend")].iloc[0]
    assert spend["years"] == "2023-2025" and "cla_spend" in spend.name and "csc_agency_staff_spend" in spend.name
    assert spend["releases"] == (
        "RO3_LA_Data_2024-25_data_by_LA.ods; RO3_2023-24_data_by_LA.ods; RO3_2022-23_data_by_LA.ods"
    )
    # A series read from one release only is not listed.
    assert not table.index.str.contains("caseload_fte").any()
