"""The indicator catalogue file."""

import pytest
import yaml

from csc_analysis import catalogue
from csc_analysis.errors import CscError

REQUIRED = [
    "referrals",
    "referrals_rate_per_10k",
    "rereferral_pct",
    "cin_at31",
    "cin_rate_per_10k",
    "s47",
    "s47_rate_per_10k",
    "icpc",
    "icpc_rate_per_10k",
    "cpp_starts",
    "cpp_starts_rate_per_10k",
    "cpp_at31",
    "cpp_rate_per_10k",
    "repeat_cpp_pct",
    "cla_at31",
    "cla_rate_per_10k",
    "cla_starts",
    "cla_starts_rate_per_10k",
    "cla_ceased",
    "inpost_fte",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "absence_rate_fte",
    "caseload_fte",
    "population_0_17",
]
BUNDLED = catalogue.PACKAGE_DIR / "indicators.yaml"


def test_required_ids_present():
    assert set(REQUIRED) <= set(catalogue.load_catalogue())


def test_rates_divide_by_previous_years_population():
    for ind in catalogue.load_catalogue().values():
        if ind.unit == "rate_per_10k":
            assert ind.derived == catalogue.Derived(
                numerator=ind.derived.numerator,
                denominator="population_0_17",
                denominator_year_offset=-1,
                multiplier=10000,
            )
            assert ind.ci.method == "byar"


def test_nested_fields_are_typed():
    # indicators.yaml, cla_at31: `source: {file: cla_number_and_rate_per_10k_children.csv, column: children_count,
    # ...}` and its third splice part `{file: cla_sfr_underlying_2010_to_2017/2017/SFR50_CLA2017.csv, year: 2017,
    # column: CLA_Mar2017}`; cla_rate_per_10k: `published: {..., column: rate_per_10000, ..., rounding: 0}`.
    cat = catalogue.load_catalogue()
    source = cat["cla_at31"].source
    assert isinstance(source, catalogue.Source) and source.column == "children_count"
    assert source.splice[2] == catalogue.SourcePart(
        file="cla_sfr_underlying_2010_to_2017/2017/SFR50_CLA2017.csv", year=2017, column="CLA_Mar2017"
    )
    published = cat["cla_rate_per_10k"].published
    assert isinstance(published, catalogue.Published) and (published.column, published.rounding) == (
        "rate_per_10000",
        0,
    )
    assert cat["rereferral_pct"].ci == catalogue.Interval(
        method="wilson", numerator="rereferrals", denominator="referrals"
    )


def test_frame_lists_every_indicator():
    frame = catalogue.catalogue_frame()
    assert len(frame) == len(catalogue.load_catalogue())
    assert frame.set_index("id").loc["cla_rate_per_10k", "numerator"] == "cla_at31"


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"unit": "furlongs"}, "unit 'furlongs'"),
        ({"polarity": "up"}, "polarity 'up'"),
        (
            {
                "derived": {
                    "numerator": "nope",
                    "denominator": "population_0_17",
                    "denominator_year_offset": -1,
                    "multiplier": 10000,
                },
                "source": None,
            },
            r"refers to \['nope'\]",
        ),
        ({"count": "agency_ftes"}, r"refers to \['agency_ftes'\]"),
        (
            {"source": {"file": "a.csv", "colum": "x"}},
            r"indicator 'referrals' source has unknown field\(s\) \['colum'\]",
        ),
        ({"source": {"file": "a.csv"}}, r"indicator 'referrals' source is incomplete: it needs 'file' and 'column'"),
        (
            {"source": {"file": "a.csv", "column": "x", "splice": [{"file": "b.csv", "column": "y", "yeer": 2}]}},
            r"'referrals' splice has unknown field\(s\) \['yeer'\]",
        ),
        ({"ci": "wilson"}, "'referrals' ci should be a mapping"),
    ],
)
def test_invalid_catalogue_is_rejected(tmp_path, edit, message):
    data = yaml.safe_load(BUNDLED.read_text())
    data["indicators"][1].update(edit)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CscError, match=message):
        catalogue.load_catalogue(path)


def test_catalogue_version_is_checked(tmp_path):
    data = yaml.safe_load(BUNDLED.read_text())
    assert data["version"] == catalogue.CATALOGUE_VERSION == 1
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump({**data, "version": 2}))
    with pytest.raises(CscError, match=r"indicators.yaml: catalogue version 2 is not supported; expected `version: 1`"):
        catalogue.load_catalogue(path)
    path.write_text(yaml.safe_dump(data["indicators"]))  # the unversioned list this file used to be
    with pytest.raises(CscError, match="catalogue version None is not supported"):
        catalogue.load_catalogue(path)


def test_unknown_indicator_suggests():
    with pytest.raises(CscError, match="did you mean"):
        catalogue.get("referals")


def test_format_value():
    assert catalogue.format_value(632830, "count") == "632,830"
    assert catalogue.format_value(32.3, "percent") == "32.3%"
    assert catalogue.format_value(90.84, "rate_per_10k") == "90.8 per 10,000"


def test_counts_are_neutral_and_cp_plan_start_rate_lower_is_better():
    # #13.5: a raw count (or FTE) mostly measures the LA's size, so neither direction is better.
    cat = catalogue.load_catalogue()
    judged = [i.id for i in cat.values() if i.unit in ("count", "fte") and i.polarity != "neutral"]
    assert judged == []
    assert cat["cpp_starts_rate_per_10k"].polarity == "lower_is_better"


def test_agency_cover_indicators_say_what_they_divide_by():
    # #13.2: csww agency_cover_rate_fte is agency workers covering vacancies / all agency workers;
    # vacancy_agency_cover_rate_fte is vacancies covered by agency workers / vacancies.
    cat = catalogue.load_catalogue()
    assert "% of agency" in cat["agency_cover_rate_fte"].label
    assert not cat["agency_cover_rate_fte"].label.startswith("Vacancies covered")
    new = cat["vacancy_agency_cover_rate_fte"]
    assert new.source == catalogue.Source(
        file="csww_indicators_2017_to_2025.csv", column="vacancy_agency_cover_rate_fte"
    )
    assert new.unit == "percent" and "of vacancies" in new.label


def test_format_value_follows_the_published_rounding(published):
    """#14 precision: DfE publishes care leavers in touch as a whole number, so Oldham's 2024 figure is 96%, not
    96.0%; referrals assessed as not in need are published to one decimal place (15.1%)."""

    # la_care_leavers_intouch.csv: 2024,...,353,Oldham,E08000004,Aged 19 to 21,Local authority in touch with
    #   care leaver,180,96
    # c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv: 2025,...,353,E08000004,Oldham,
    #   Referrals and Re-referrals,4196,887,21.1,70,1.7,634,15.1,...  (not_in_need_percent = 15.1)
    def shown(indicator, year):
        row = published[
            (published["la_code"] == "353") & (published["indicator"] == indicator) & (published["year"] == year)
        ].iloc[0]
        return catalogue.format_value(row["value"], catalogue.get(indicator).unit, indicator)

    assert shown("care_leavers_19_21_intouch_pct", 2024) == "96%"
    assert shown("referrals_not_in_need_pct", 2025) == "15.1%"
    assert catalogue.format_value(96, "percent") == "96.0%"  # without the indicator: one decimal place, as before
