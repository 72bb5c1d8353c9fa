"""Notebook 01's tables and charts (charts.demand), against figures worked by hand from the bundled CSVs."""

from csc_analysis import demand, neighbours
from csc_analysis.charts import demand as demand_charts


def test_pre_pandemic_table_counts_rates_and_changes(published, registry):
    # cla_number_and_rate_per_10k_children_2019_to_2023.csv, Oldham, at 31 March: 2019 512 (83), 2020 522 (84);
    # cla_number_and_rate_per_10k_children.csv 2025: 582 (91) -> +14% and +11% on the counts.
    # c4 Section47, Oldham: 2019 1436, 2020 1422, 2025 1846 -> +29% and +30%.

    table = demand.pre_pandemic(published, registry.resolve("Oldham"))
    shown = demand_charts.pre_pandemic_table(table, "Oldham").data.set_index(["Measure", "Figure"])
    cla = shown.loc[("Children looked after at 31 March", "Count")]
    assert (cla["Year to 31 March 2019"], cla["Year to 31 March 2020"], cla["Latest"]) == ("512", "522", "582")
    assert (cla["Latest year (to 31 March)"], cla["Change since 2019"], cla["Change since 2020"]) == (
        2025,
        "+14%",
        "+11%",
    )
    s47 = shown.loc[("Section 47 enquiries started", "Count")]
    assert (s47["Year to 31 March 2019"], s47["Year to 31 March 2020"], s47["Latest"]) == ("1,436", "1,422", "1,846")
    assert (s47["Change since 2019"], s47["Change since 2020"]) == ("+29%", "+30%")
    ref = shown.loc[("Referrals to children's social care", "Count")]
    assert (ref["Year to 31 March 2020"], ref["Change since 2020"]) == ("3,871", "+8%")


def test_a_change_that_rounds_to_nothing_is_0_percent_not_minus_0(published, registry):
    # c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, Bury, Referrals and Re-referrals:
    # 2019 2916, 2020 2061, 2025 2905 -> -0.38% (shown "-0%" before) and +40.95%.

    table = demand.pre_pandemic(published, registry.resolve("Bury"))
    shown = demand_charts.pre_pandemic_table(table, "Bury").data.set_index(["Measure", "Figure"])
    ref = shown.loc[("Referrals to children's social care", "Count")]
    assert (ref["Year to 31 March 2019"], ref["Latest"]) == ("2,916", "2,905")
    assert (ref["Change since 2019"], ref["Change since 2020"]) == ("0%", "+41%")


def test_a_baseline_before_the_series_draws_nothing_and_says_so(published, context):
    # `-p baseline_year=2005`: every rate starts in 2013 in the bundled data (children looked after counts go back
    # to 2010, but a rate needs the ONS population, from mid-2012), so none has a 2005 figure; the text said
    # "Indexed growth since 2005 for 0 rates".
    la, codes = context("Oldham")
    series = neighbours.comparison_series(published, la, codes, demand.RATES)
    fig = demand_charts.index_chart(demand.baseline_change(series, 2005), la.la_name, demand.RATES, 2005)
    assert fig.alt_text == (
        f"Nothing is drawn: none of the {len(demand.RATES)} rates has a 2005 figure to index against."
    )
    one = demand_charts.index_chart(demand.baseline_change(series, 2019), la.la_name, ["cla_rate_per_10k"], 2019)
    assert one.alt_text.startswith("Indexed growth since 2019 for 1 rate, comparing Oldham")
