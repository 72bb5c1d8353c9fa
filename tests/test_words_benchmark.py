"""Notebook 04's sentences (words.benchmark), against figures read from the source files."""

from csc_analysis import benchmark, neighbours, scorecard
from csc_analysis.words import benchmark as benchmark_words


def test_summaries_carry_direction_and_counts(published, registry, sn_models, oldham_table):
    from csc_analysis import workforce
    from csc_analysis.words import workforce as workforce_words

    la = registry.resolve("Oldham")
    sn = neighbours.sn_table(sn_models, registry, la)
    rows = scorecard.travel(
        oldham_table, benchmark.headline(oldham_table[oldham_table["indicator"].isin(benchmark.HEADLINE_INDICATORS)])
    )
    text = benchmark_words.benchmark_summary(rows, "Oldham", sn)
    assert "4,196 referrals to children's social care (2025)" in text
    assert "441 children on a child protection plan at 31 March (2025)" in text
    assert "582 children looked after at 31 March (2025)" in text
    # d3 (repeat plans) is worse in 2025 than 2023 (higher is worse): listed as worsening over three years.
    # d3, Oldham: "2023,...,353,...,523,131,25" and "2025,...,353,...,489,154,31.5" (years as years, not "2023.0")
    assert "worsened on" in text
    assert (
        "second or subsequent child protection plans (% of plans starting) from 25.0% in 2023 to 31.5% in 2025" in text
    )
    wf_table = benchmark.benchmark(published, la, list(sn["la_code"]), scorecard.with_counts(workforce.WORKFORCE))
    wf = scorecard.travel(wf_table, benchmark.headline(wf_table[wf_table["indicator"].isin(workforce.HEADLINE)]))
    text = workforce_words.workforce_summary(wf, workforce.stability(wf_table), "Oldham")
    assert (
        "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: improving, still above "
        "neighbours' 11.2%. At 30 September 2025: 39.0 FTE agency social workers; improving on the year "
        "(from 32.3% in 2024); England 13.0%."
    ) in text


def test_a_list_of_neighbours_the_user_chose_is_counted_and_in_the_order_given(sn_models, registry, oldham_table):
    # `-p sn_model=[Bolton, Bury, Rochdale]`: three neighbours, no DfE closeness band (the summary said "its ten
    # statistical neighbours" and the table showed a band of "None").
    from csc_analysis.charts import benchmark as bench_charts

    oldham = registry.resolve("Oldham")
    chosen = neighbours.sn_table(sn_models, registry, oldham, ["Bolton", "Bury", "Rochdale"])
    assert benchmark_words.neighbours_phrase(chosen) == "three neighbours (user list)"
    assert (
        benchmark_words.neighbours_intro(chosen, "Oldham")
        == "Oldham's three neighbours (user list), in the order given."
    )
    shown = bench_charts.neighbours_table(chosen).data
    assert list(shown.columns) == ["Order given", "Neighbour", "DfE code"]
    assert list(shown["Neighbour"]) == ["Bolton", "Bury", "Rochdale"]
    dfe = neighbours.sn_table(sn_models, registry, oldham, "2025")  # sn_model_2025_wide.csv: ten per LA
    assert benchmark_words.neighbours_phrase(dfe) == "ten statistical neighbours (DfE 2025 model)"
    assert benchmark_words.neighbours_intro(dfe, "Oldham").endswith(
        "closest first. The band is the model's own measure of how close each neighbour is."
    )
    assert "Closeness band" in bench_charts.neighbours_table(dfe).data.columns
    rows = scorecard.travel(oldham_table, benchmark.headline(oldham_table))
    assert benchmark_words.benchmark_summary(rows, "Oldham", chosen).startswith(
        "Oldham is compared here with its three neighbours (user list), its region and England on "
    )
    one = rows[rows["indicator"] == "referrals_rate_per_10k"]  # `-p indicators=referrals_rate_per_10k`
    assert "and England on 1 headline indicator, using" in benchmark_words.benchmark_summary(one, "Oldham", dfe)
