"""Headline indicators by catalogue theme: the sections of notebook 05 on children's wellbeing and the
themed headline tables of notebook 04.

A committee reads a long comparison table more easily in the order children move through the system
(front door, child protection, care, health, leaving care), one theme at a time, than as one list.
"""

import pandas as pd

from .catalogue import get

# Catalogue themes in reading order; a theme not listed here follows them, alphabetically.
ORDER = (
    "population",
    "front door",
    "children in need",
    "child protection",
    "children looked after",
    "placements",
    "health",
    "missing",
    "care leavers",
    "education",
    "workforce",
    "spending",
)

# Notebook 05's wellbeing sections: the headline percentages of each theme (the counts behind them come
# from `scorecard.with_counts`). Care leavers' activity at 17-18 and 19-21 is in the placements section.
HEALTH = [
    "cla_health_assessment_pct",
    "cla_immunisations_pct",
    "cla_dental_check_pct",
    "cla_sdq_concern_pct",
    "cla_sdq_average",
    "cla_convicted_pct",
    "cla_substance_misuse_pct",
]
MISSING = ["cla_missing_pct", "cla_missing_incidents_per_child", "cla_away_pct"]
CARE_LEAVERS = [
    "care_leavers_17_18_intouch_pct",
    "care_leavers_19_21_intouch_pct",
    "care_leavers_17_18_suitable_pct",
    "care_leavers_19_21_suitable_pct",
    "care_leavers_19_21_neet_pct",
    "care_leavers_19_21_he_pct",
    "staying_put_pct",
    "care_leavers_22_25_eet_pct",
]
EDUCATION = [
    "edu_cla_absence_pct",
    "edu_cla_persistent_absence_pct",
    "edu_cla_ks2_rwm_pct",
    "edu_cla_attainment8",
    "edu_cla_suspension_pct",
]
SECTIONS = {"health": HEALTH, "missing": MISSING, "care leavers": CARE_LEAVERS, "education": EDUCATION}
# Each section's chart: the measures a reader follows over time (a chart of seven panels is not read).
CHARTED = {
    "health": ["cla_health_assessment_pct", "cla_sdq_concern_pct", "cla_convicted_pct"],
    "missing": ["cla_missing_pct", "cla_missing_incidents_per_child"],
    "care leavers": [
        "care_leavers_19_21_intouch_pct",
        "care_leavers_19_21_suitable_pct",
        "care_leavers_19_21_neet_pct",
    ],
    "education": ["edu_cla_absence_pct", "edu_cla_ks2_rwm_pct", "edu_cla_attainment8"],
}
INDICATORS = [i for ids in SECTIONS.values() for i in ids]


def theme_rank(theme: str) -> tuple[int, str]:
    """Sort key putting themes in `ORDER`, unknown ones after it alphabetically.

    >>> sorted(["spending", "health", "zoo", "front door"], key=theme_rank)
    ['front door', 'health', 'spending', 'zoo']
    """
    return (ORDER.index(theme), "") if theme in ORDER else (len(ORDER), theme)


def by_theme(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Headline rows (one per indicator, e.g. `scorecard.travel` output) split by catalogue theme, themes in
    `ORDER` and rows in their original order within each: [(theme, rows), ...]; no entry for an empty theme."""
    themes = rows["indicator"].map(lambda i: get(i).theme)
    return [(theme, rows[themes == theme]) for theme in sorted(themes.unique(), key=theme_rank)]
