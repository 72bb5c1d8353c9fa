"""Sentences written from the data, for the top of notebooks and beside charts.

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from . import safe
from .catalogue import format_value
from .neighbours import most_different

SYMBOL_MEANINGS = {
    "c": "suppressed to protect confidentiality (small numbers)",
    "x": "not available",
    "z": "not applicable",
    "k": "rounds to zero but is not zero",
    "u": "low reliability",
    "low": "a small positive value",
    ":": "not available",
}


def short_label(label: str) -> str:
    """A label for use inside a sentence: the first letter lower-cased unless it is an acronym."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 112th, 137th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ratio_phrase(value: float, base: float) -> str:
    """'about twice', '45% above', 'about the same as', '30% below' — how value compares with base."""
    if pd.isna(value) or pd.isna(base) or base == 0:
        return "not comparable with"
    r = value / base
    if r >= 1.9:
        return f"about {r:.1f} times" if abs(r - 2) > 0.1 else "about twice"
    if abs(r - 1) <= 0.05:
        return "about the same as"
    return f"{abs(r - 1) * 100:.0f}% {'above' if r > 1 else 'below'}"


def differences(headline: pd.DataFrame, la_name: str, n: int = 5) -> list[str]:
    """Sentences on the indicators where the LA is furthest from its neighbours' median."""
    name = safe.md(la_name)
    out = []
    for r in most_different(headline, n).itertuples():
        judgement = {"better": " (better)", "worse": " (worse)"}.get(r.vs_sn, "")
        out.append(
            f"{name}'s {short_label(r.label)} ({format_value(r.value, r.unit)}, {r.year}) is "
            f"{ratio_phrase(r.value, r.sn_median)} its neighbours' median "
            f"({format_value(r.sn_median, r.unit)}){judgement}; England {format_value(r.england_value, r.unit)}."
        )
    return out


def benchmark_summary(headline: pd.DataFrame, la_name: str, sn_note: str) -> str:
    """Four to six sentences summarising a headline benchmark table (`scorecard.travel` output): where the
    LA stands, which way it is going over three years, the counts behind the demand rates, the largest
    differences."""
    name = safe.md(la_name)
    judged = headline[headline["vs_sn"].isin(["better", "similar", "worse"])]
    counts = judged["vs_sn"].value_counts()
    years = f"{headline['year'].min()}" if headline["year"].nunique() == 1 else \
        f"{headline['year'].min()}–{headline['year'].max()}"
    sentences = [
        f"{name} is compared here with its ten statistical neighbours ({safe.md(sn_note)}), its region and "
        f"England on {len(headline)} headline indicators, using the latest published year for each ({years})."
    ]
    if len(judged):
        sentences.append(
            f"Of the {len(judged)} indicators where higher or lower is clearly better, {name} is better than "
            f"its neighbours' median on {counts.get('better', 0)}, similar (within ±5%) on "
            f"{counts.get('similar', 0)} and worse on {counts.get('worse', 0)}."
        )
    has_travel = "direction_3y" in headline  # `scorecard.travel` output
    moving = headline[(headline["polarity"] != "neutral") & headline["direction_3y"].isin(
        ["improving", "stable", "worsening"])] if has_travel else headline.iloc[:0]
    if len(moving):
        ways = moving["direction_3y"].value_counts()
        worse = moving[moving["direction_3y"] == "worsening"]
        sentences.append(
            f"Over the latest three published years it improved on {ways.get('improving', 0)} of these, held "
            f"stable (within ±2%) on {ways.get('stable', 0)} and worsened on {ways.get('worsening', 0)}"
            + (": " + "; ".join(f"{short_label(r.label)} from {format_value(r.value_3y, r.unit)} in {r.year_3y} to "
                                 f"{format_value(r.value, r.unit)} in {r.year}" for r in worse.itertuples())
               if len(worse) else "") + ".")
    demand = headline[(headline["unit"] == "rate_per_10k") & headline["count"].notna()] if has_travel else headline.iloc[:0]
    if len(demand):
        from .scorecard import count_phrase

        sentences.append("Behind the rates: " + ", ".join(
            f"{count_phrase(r)} ({r['year']})" for _, r in demand.iterrows()) + ".")
    top = differences(headline, la_name, n=2)
    if top:
        sentences.append("The largest differences: " + " ".join(top))
    missing = headline[headline["value"].isna()]
    if len(missing):
        sentences.append(f"{len(missing)} indicator(s) have no published value for {name}.")
    return " ".join(sentences)


def symbols_footnote() -> str:
    """What the GSS symbols in the source files mean."""
    return "; ".join(f"`{k}` {v}" for k, v in SYMBOL_MEANINGS.items())


def notes(provenance: pd.DataFrame, tidy: pd.DataFrame) -> str:
    """Footnotes for a notebook: sources, the year convention and what the symbols mean."""
    sources = "\n".join(f"- {safe.md(r.publication)} ({safe.md(r.file)}, {safe.md(r.years)}; "
                        f"SHA-256 {safe.md(r.sha256[:12])}…)"
                        for r in provenance.itertuples() if r.file != "provenance.csv")
    return (
        "**Sources.** Contains public sector information licensed under the Open Government Licence v3.0.\n\n"
        f"{sources}\n\n"
        "**Years.** A year such as 2024 means the year ending 31 March 2024 for children in need, child "
        "protection and children looked after, 30 September 2024 for the social work workforce, and the "
        "financial year 2023-24 for spending (revenue outturn, £ thousands unless stated). Rates per "
        "10,000 children for year Y divide by the ONS mid-year estimate of children aged 0-17 for Y-1, as DfE does. "
        f"The data run from {tidy['year'].min()} to {tidy['year'].max()}.\n\n"
        f"**Symbols.** Where the source shows a symbol instead of a number it is kept, never read as zero: "
        f"{symbols_footnote()}.\n\n"
        "**Boundary changes.** Bournemouth, Christchurch and Poole and Dorset (from 2020), North and West "
        "Northamptonshire (from 2022) and Cumberland and Westmorland and Furness (from 2024) have no figures "
        "before they existed; nothing is back-cast. Workforce figures for North and West Northamptonshire are "
        "one joint return (the Northamptonshire Children's Trust)."
    )


def pct_phrase(pct: float) -> str:
    """'12% above' / '8% below' / 'the same as'."""
    if pd.isna(pct):
        return "not comparable with"
    if round(pct) == 0:
        return "about the same as"
    return f"{abs(pct):.0f}% {'above' if pct > 0 else 'below'}"


def baseline_sentence(change: pd.DataFrame, series: pd.DataFrame, indicator: str, la_name: str,
                      baseline_year: int) -> str:
    """E.g. "Oldham's referrals per 10,000 children was 654.9 per 10,000 in 2025, 15% below its 2019 level, ..."."""
    name = safe.md(la_name)
    from .catalogue import get

    ind = get(indicator)
    rows = series[(series["indicator"] == indicator) & series["value"].notna()]
    if rows.empty:
        return f"{name} has no published {short_label(ind.label)}."
    last = rows.sort_values("year").iloc[-1]
    ch = change[(change["indicator"] == indicator) & (change["year"] == last["year"])].iloc[0]
    head = f"{name}'s {short_label(ind.label)} was {format_value(last['value'], ind.unit)} in {last['year']}"
    if ch["baseline_missing"]:
        if pd.isna(ch["england_index"]):
            first = int(series.loc[series["indicator"] == indicator, "year"].min())
            return f"{head}; the published series starts in {first}, after {baseline_year}, so there is no baseline."
        return f"{head}; there is no {baseline_year} figure for {name} to compare with."
    return (f"{head}, {pct_phrase(ch['la_pct'])} its {baseline_year} level, against {pct_phrase(ch['sn_pct'])} "
            f"for its neighbours' median and {pct_phrase(ch['england_pct'])} for England.")


def trend_sentence(trend: pd.Series, la_name: str) -> str:
    """The tested trend of one indicator in words, with its interval."""
    name = safe.md(la_name)
    label = short_label(trend["label"])
    if trend["verdict"] == "not enough data":
        return f"There are too few years of {label} for {name} to test a trend ({trend['n_years']} year(s))."
    verdict = {"rising": "rising", "falling": "falling", "no clear trend": "neither clearly rising nor falling"}[trend["verdict"]]
    return (f"From {trend['first_year']} to {trend['last_year']}, {name}'s {label} changed by "
            f"{trend['cagr_pct']:+.1f}% a year on a log-linear trend (95% CI {trend['ci_lower_pct']:+.1f}% to "
            f"{trend['ci_upper_pct']:+.1f}%): {verdict}.")


def gaps_sentence(gaps: pd.DataFrame, la_name: str) -> str:
    """Which years are missing and why, in one sentence ('' when none)."""
    name = safe.md(la_name)
    if gaps.empty:
        return ""
    parts = []
    for reason, rows in gaps.groupby("reason"):
        years = sorted(set(rows["year"]))
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts.append(f"{reason} ({span}, {len(rows)} value(s))")
    return (f"Some of {name}'s figures are missing and are left as gaps, not filled in: " + "; ".join(parts) + ".")


def _sentence_case(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def headline_travel(r: pd.Series, when: str) -> str:
    """One headline figure with its count and direction of travel, from a `scorecard.travel` row:
    "Agency social workers (% of FTE) fell from 42.8% in 2023 to 15.2% in 2025: improving, still above
    neighbours' 11.2%. At 30 September 2025: 26.3 FTE agency social workers; improving on the year (from
    32.3% in 2024); England 13.0%." `when` dates the year ("at 30 September", "in the year to 31 March")."""
    from .scorecard import count_phrase, travel_clause

    details = [p for p in (count_phrase(r), travel_clause(r, ("1y",)), f"England {format_value(r['england_value'], r['unit'])}")
               if p and not p.endswith("n/a")]
    return f"{r['travel']} {_sentence_case(when)} {r['year']}: " + "; ".join(details) + "."


def workforce_summary(headline: pd.DataFrame, stability: pd.DataFrame, la_name: str) -> str:
    """Agency reliance, vacancies, turnover and caseload, each with its count and direction of travel.

    `headline` is `scorecard.travel` output for the workforce headline rows.
    """
    name = safe.md(la_name)
    rows = headline.set_index("indicator")
    sentences = []
    for ind in ["agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte", "caseload_fte"]:
        if ind not in rows.index or pd.isna(rows.loc[ind, "value"]):
            continue
        r = rows.loc[ind]
        rank = f" Rank {r['rank']} of {r['n_ranked']} (1 = lowest)." if pd.notna(r["rank"]) else ""
        sentences.append(headline_travel(r, "at 30 September") + rank)
    if len(stability):
        parts = [f"{short_label(r.label)} in {r.years_above} of {r.years_with_data} years" for r in stability.itertuples()]
        sentences.append(f"{name} was above its neighbours' median on " + "; ".join(parts) + ".")
    if not sentences:
        return f"{name} has no published workforce figures for these years."
    return " ".join(sentences)


def agency_spend_sentence(rows: pd.DataFrame, la_name: str) -> str:
    """What the LA spent on agency staff in children's social care (RO3 memorandum line), beside the
    neighbours' median, from headline rows holding `csc_agency_staff_spend` ('' when it is not published)."""
    r = rows.set_index("indicator")
    if "csc_agency_staff_spend" not in r.index or pd.isna(r.loc["csc_agency_staff_spend", "value"]):
        return f"{safe.md(la_name)} has no published agency staff cost in the revenue outturn (RO3)."
    row = r.loc["csc_agency_staff_spend"]
    unit = row["unit"]
    spread = (f" Its {row['sn_n']} neighbours with a figure reported {format_value(row['sn_min'], unit)} to "
              f"{format_value(row['sn_max'], unit)} (median {format_value(row['sn_median'], unit)}); a memorandum "
              "line of 0 can mean the cost was not recorded separately, so compare with care."
              if pd.notna(row["sn_median"]) else "")
    return (f"In {reporting_year(row['year'])} {safe.md(la_name)} spent {format_value(row['value'], unit)} on agency "
            f"staff in children's social care (MHCLG revenue outturn, RO3 memorandum line: all agency staff in "
            f"children's social care, not only social workers).{spread}")


def figure(value) -> str:
    """A count for a sentence: "1,234", or "c (suppressed)" for a figure hidden to protect children."""
    return "c (suppressed)" if isinstance(value, str) else f"{value:,.0f}"


def forecast_sentence(forecast: pd.DataFrame, what: str, period_label=str) -> str:
    """The figure a planner needs: "we expect between A and B ... in P, most likely C"."""
    first = forecast.iloc[0]
    return (f"We expect between {figure(first['lo80'])} and {figure(first['hi80'])} {what} in "
            f"{period_label(first['period'])} (80% interval; 95%: {figure(first['lo95'])} to {figure(first['hi95'])}), "
            f"most likely about {figure(first['mean'])}.")


def reporting_year(year) -> str:
    """2026 -> '2025/26' (the year to 31 March 2026)."""
    year = int(year)
    return f"{year - 1}/{str(year)[-2:]}"


BENCHMARKS = {"naive": "same as the latest {period}", "seasonal_naive": "same as the same month a year earlier"}


def backtest_sentence(result) -> str:
    """What the backtest says about a `forecast.Forecast`'s headline model, in plain words.

    The headline either beat the naive benchmark on the same past forecasts or is the benchmark itself;
    the sentence says which, and never compares the benchmark with itself.
    """
    scores, chosen, period = result.scores, result.model, result.period
    bench = f"'{BENCHMARKS[result.benchmark].format(period=period)}'"
    if scores.empty:
        return (f"There were too few {period}s to test the models against what actually happened, so the forecast "
                f"is the {bench} forecast, with intervals from the {period}-to-{period} changes so far.")
    by_model = scores.set_index("model")
    if chosen == result.benchmark:
        row = by_model.loc[chosen]
        others = scores[scores["model"] != chosen]
        rival = (f" (best other: {others.iloc[0]['model']}, MASE {others.iloc[0]['mase']:.2f} against "
                 f"{row['mase']:.2f}; lower is better)" if len(others) else "")
        return (f"No model beat {bench} when refitted at earlier points and tested on {period}s already "
                f"known{rival}, so the forecast is {bench}. Its intervals are the spread of that forecast's own "
                f"errors in the test ({int(row['n'])} forecasts), widening with the {period}s ahead.")
    row, base = by_model.loc[chosen], by_model.loc[result.benchmark]
    return (f"Tested by refitting at earlier points and forecasting {period}s already known ({int(row['n'])} "
            f"forecasts), the chosen model ({chosen}) beat {bench} (MASE {row['mase']:.2f} against "
            f"{base['mase']:.2f}; lower is better) and was wrong by {row['mape']:.0f}% on average. Its 80% "
            f"intervals contained the actual value {row['coverage80']:.0f}% of the time and its 95% intervals "
            f"{row['coverage95']:.0f}%.")


def low_months(forecast: pd.DataFrame, n: int = 2) -> str:
    """The calendar months with the lowest forecast, e.g. "August and December"."""
    months = forecast.nsmallest(n, "mean")["period"].sort_values()
    return " and ".join(pd.Timestamp(m).strftime("%B") for m in months)


def _compare(r: pd.Series) -> str:
    """'(neighbours' median X; England Y)' for a headline row."""
    return (f"(neighbours' median {format_value(r['sn_median'], r['unit'])}; "
            f"England {format_value(r['england_value'], r['unit'])})")


def _travel_tail(r: pd.Series) -> str:
    """'; 55 children looked after with 3 or more placements during the year; improving over three years
    (from ...)' for a `scorecard.travel` row ('' when it has neither a count nor an earlier year)."""
    from .scorecard import count_phrase, travel_clause

    return "".join(f"; {p}" for p in (count_phrase(r), travel_clause(r)) if p)


def judgement_sentence(latest: pd.Series | None, la_name: str, counts: pd.DataFrame) -> str:
    """The LA's latest Ofsted overall judgement with its date, and how its neighbours were judged."""
    name = safe.md(la_name)
    spread = ", ".join(f"{n} {g}" for g, n in zip(counts["grade"], counts["neighbours"]) if n)
    if latest is None or pd.isna(latest.get("overall")):
        return f"{name} has no ILACS judgement in the Ofsted outcomes as at 31 March 2025. Its neighbours: {spread}."
    return (f"{name}'s latest Ofsted ILACS judgement is **{latest['overall']}** overall (inspected "
            f"{latest['inspection_date']:%d %B %Y}, published {latest['publication_date']:%d %B %Y}); its "
            f"neighbours' latest overall grades are {spread}.")


def placements_summary(head: pd.DataFrame, la_name: str) -> list[str]:
    """Sentences on spending, placement location and stability, and care leavers, from headline rows
    (`scorecard.travel` output: each with its count and direction of travel)."""
    name = safe.md(la_name)
    rows = head.set_index("indicator")
    out = []
    if "csc_spend_per_child" in rows.index and "csc_spend" in rows.index:
        r, total = rows.loc["csc_spend_per_child"], rows.loc["csc_spend"]
        share = rows["value"].get("cla_share_of_csc_pct")
        out.append(f"In {reporting_year(r['year'])} {name} spent {format_value(total['value'], total['unit'])} (net) on children's social "
                   f"care, {format_value(r['value'], r['unit'])} per child aged 0 to 17 {_compare(r)}"
                   + (f"; children looked after took {share:.0f}% of it." if pd.notna(share) else "."))
    if "new_placements_outside_la_pct" in rows.index:
        r = rows.loc["new_placements_outside_la_pct"]
        same_year = "new_placements" in rows.index and rows.loc["new_placements", "year"] == r["year"]
        n = rows.loc["new_placements", "value"] if same_year else float("nan")
        out.append(f"In the year to 31 March {r['year']}, {format_value(r['value'], r['unit'])} of {name}'s "
                   + (f"{n:,.0f} " if pd.notna(n) else "")
                   + f"new placements were outside its boundary {_compare(r)}{_travel_tail(r)}.")
    for ind, what in (("cla_3plus_placements_pct", "of children looked after at 31 March had 3 or more placements in the year"),
                      ("long_term_stability_pct", "of children under 16 in care for 2.5 years or more had lived with the same carer for 2 years"),
                      ("care_leavers_19_21_eet_pct", "of care leavers aged 19 to 21 were in education, employment or training")):
        if ind in rows.index:
            r = rows.loc[ind]
            out.append(f"In {r['year']}, {format_value(r['value'], r['unit'])} {what} {_compare(r)}{_travel_tail(r)}.")
    return out


def projection_sentence(proj, la_name: str, scenario: str = "on recent trends") -> str:
    """Where the projected number of children looked after ends up, with its 80% interval.

    `proj` is a `projection.Projection`, or None when the LA has too few published years.
    """
    name = safe.md(la_name)
    if proj is None:
        return (f"{name} has fewer than two years with published children looked after, starts and ceased "
                "(figures are suppressed or not applicable), so no projection is made.")
    base = proj.history.dropna(subset=["stock"]).iloc[-1]
    last = proj.stock.iloc[-1]
    return (f"{scenario[0].upper() + scenario[1:]}, {name} would have about {last['mean']:,.0f} children looked after "
            f"at 31 March {int(last['year'])} (80% interval {last['lo80']:,.0f} to {last['hi80']:,.0f}), against "
            f"{base['stock']:,.0f} at 31 March {int(base['year'])}.")


def pre_pandemic_sentence(table: pd.DataFrame, la_name: str, headline_year: int) -> str:
    """The seed question, answered for referrals: now against the last pre-pandemic year(s), counts and rates.

    `table` is `demand.pre_pandemic` output; the headline compares with `headline_year`.
    """
    rows = table[table["count_indicator"] == "referrals"].set_index("compared_year")
    if rows.empty or headline_year not in rows.index or pd.isna(rows.loc[headline_year, "compared_count"]):
        return f"{safe.md(la_name)} has no published referrals for the year to 31 March {headline_year} to compare with."
    r = rows.loc[headline_year]
    text = (f"{safe.md(la_name)} received {r['count']:,.0f} referrals in the year to 31 March {int(r['year'])} "
            f"({r['rate']:,.1f} per 10,000 children): {pct_phrase(r['count_change_pct'])} the {r['compared_count']:,.0f} "
            f"of the year to 31 March {headline_year}, the last year before the pandemic "
            f"({pct_phrase(r['rate_change_pct'])} as a rate per 10,000).")
    for year, other in rows.drop(index=headline_year).iterrows():
        if pd.notna(other["compared_count"]):
            text += (f" Against the year to 31 March {year} ({other['compared_count']:,.0f}) it is "
                     f"{pct_phrase(other['count_change_pct'])}.")
    return text
