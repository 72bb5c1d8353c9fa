"""finance: spending lines, and children's social care spend over three years of revenue outturn (RSX).

RSX cells are read from the workbooks (sheet RSX_LA_Data_2022-23 / RSX_LA_Data_2023-24, header in row 11,
column 28 "Children Social Care - Net Current Expenditure (C7 = C3 - C6)", £ thousands)."""

import math

import pytest

from csc_analysis import finance

from .conftest import national, value


def test_spending_lines(published, oldham_neighbours):
    la, sn_codes = oldham_neighbours
    lines = finance.lines_table(published, la, sn_codes, finance.LINES + finance.CLA_LINES, 2025).set_index("indicator")
    assert lines.at["cla_spend", "per_child"] == pytest.approx(50_233_000 / 64_069)
    assert lines.at["cla_spend", "share_pct"] == pytest.approx(50_233 / 86_163 * 100)
    assert lines.loc[finance.LINES, "spend_thousands"].sum() == pytest.approx(86_163)  # the lines add up to the total
    assert math.isnan(lines.at["cla_spend", "region"])  # North West: Cumberland did not report
    # The neighbours' median, by hand: each neighbour's CLA spend over its own mid-2024 child population.
    rows = published[published.la_code.isin(sn_codes)]
    spend = rows[(rows.indicator == "cla_spend") & (rows.year == 2025)].set_index("la_code").value
    pop = rows[(rows.indicator == "population_0_17") & (rows.year == 2024)].set_index("la_code").value
    assert lines.at["cla_spend", "sn_median"] == pytest.approx((spend * 1000 / pop).dropna().median())
    assert lines.at["cla_spend", "england"] == pytest.approx(
        8_434_512.29579 * 1000 / national(published, "population_0_17", 2024).value
    )


def test_spend_spliced_from_three_outturn_years(published):
    # RSX_2022-23: row 281 "E4204 | E08000004 | Oldham" -> 61007; RSX_2023-24: row 272 -> 79140;
    # RSX 2024-25 (the same column as RO3's total, 86163 in tests of csc_spend).
    assert value(published, "353", "csc_net_spend", 2023).value == 61_007
    assert value(published, "353", "csc_net_spend", 2024).value == 79_140
    assert value(published, "353", "csc_net_spend", 2025).value == value(published, "353", "csc_spend", 2025).value
    # Rutland: 2022-23 row 307 -> 7357; 2023-24 row 297 "Rutland UA" -> 8291.
    assert value(published, "857", "csc_net_spend", 2023).value == 7_357
    assert value(published, "857", "csc_net_spend", 2024).value == 8_291
    # England: 2022-23 row 438 -> 12805497.32...; 2023-24 row 423 -> 14454683.38...
    assert national(published, "csc_net_spend", 2023).value == pytest.approx(12_805_497.3234)
    assert national(published, "csc_net_spend", 2024).value == pytest.approx(14_454_683.3841)


def test_unreported_spend_stays_x(published):
    # Birmingham (E08000025) "[x]" in both older workbooks.
    for year in (2023, 2024):
        row = value(published, "330", "csc_net_spend", year)
        assert math.isnan(row.value) and row.status == "x"


def test_spend_per_child_and_per_child_looked_after(published):
    # Per child: 79,140 thousand / mid-2023 population; per child looked after: / CLA at 31 March 2024 (590).
    pop = value(published, "353", "population_0_17", 2023).value
    assert value(published, "353", "csc_net_spend_per_child", 2024).value == pytest.approx(79_140_000 / pop)
    assert value(published, "353", "csc_net_spend_per_cla", 2024).value == pytest.approx(79_140_000 / 590)
    assert value(published, "330", "csc_net_spend_per_cla", 2024).status == "x"


def test_unit_cost_is_the_latest_published_spend_per_child_looked_after(published):
    # RO3 2024-25, Oldham: children looked after £50,233k; CLA at 31 March 2025: 582 (cla_number_and_rate file)
    row, why_not = finance.unit_cost(published, "353")
    assert (row["year"], why_not) == (2025, "")
    assert row["value"] == pytest.approx(50_233_000 / 582)


def test_unit_cost_refuses_a_figure_that_is_not_a_cost(published):
    # RO3 2024-25, Sandwell (services run by Sandwell Children's Trust): children looked after -£20k, other
    # children and family services £101,298k; CLA at 31 March 2025: 816. -20,000 / 816 = -£24.5 a child a year.
    row, why_not = finance.unit_cost(published, "333")
    assert row is None
    assert "-£25 a year per child looked after in 2024/25" in why_not and "not a unit cost" in why_not


def test_negative_and_near_zero_spend_read_as_money(published, registry, sn_models):
    # RO3 2024-25, Sandwell (E08000028): children looked after, net current expenditure -20 (£ thousand);
    # cla_number_and_rate_per_10k_children.csv: 816 looked after at 31 March 2025, so -20,000 / 816 = -£24.51 each,
    # and per child aged 0-17 (about 88,600) under half a pound. These read "£-20k", "£-25" and "£-0".
    from csc_analysis import neighbours
    from csc_analysis.catalogue import format_value
    from csc_analysis.charts import placements as place_charts

    la = registry.resolve("Sandwell")
    rows = published[(published.la_code == la.la_code) & (published.year == 2025)].set_index("indicator").value
    assert format_value(rows["cla_spend"], "gbp_thousands") == "-£20k"
    assert rows["cla_spend_per_cla"] == pytest.approx(-20_000 / 816)
    assert format_value(rows["cla_spend_per_cla"], "gbp") == "-£25"
    sn_codes = list(neighbours.sn_table(sn_models, registry, la, "2025")["la_code"])
    lines = finance.lines_table(published, la, sn_codes, finance.LINES + finance.CLA_LINES, 2025)
    text = place_charts.spend_lines_chart(lines, "Sandwell", 2025).alt_text
    assert "Sandwell spent £0 per child on children looked after in 2024/25 (neighbours' median £" in text
    assert "£-" not in text
