"""Themes: the order a child moves through the system, and which indicators each notebook section shows."""

import pandas as pd

from csc_analysis import benchmark, themes


def test_by_theme_orders_themes_as_a_child_moves_through_the_system():
    rows = pd.DataFrame(
        {
            "indicator": [
                "agency_rate_fte",
                "cla_missing_pct",
                "cla_health_assessment_pct",
                "referrals",
                "cla_sdq_concern_pct",
            ]
        }
    )
    got = [(theme, list(part["indicator"])) for theme, part in themes.by_theme(rows)]
    assert got == [
        ("front door", ["referrals"]),
        ("health", ["cla_health_assessment_pct", "cla_sdq_concern_pct"]),
        ("missing", ["cla_missing_pct"]),
        ("workforce", ["agency_rate_fte"]),
    ]


def test_every_section_indicator_is_in_its_theme():
    from csc_analysis.catalogue import get

    for theme, ids in themes.SECTIONS.items():
        assert {get(i).theme for i in ids} == {theme}
        assert set(themes.CHARTED[theme]) <= set(ids)


def test_notebook_04_headline_covers_the_new_themes_in_reading_order():
    from csc_analysis.catalogue import get

    shown = {get(i).theme for i in benchmark.HEADLINE_INDICATORS}
    assert {"health", "missing", "care leavers", "education"} <= shown
    assert shown <= set(themes.ORDER)
