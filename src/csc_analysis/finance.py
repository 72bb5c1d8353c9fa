"""Children's social care spending (MHCLG revenue outturn): by line, per child, against neighbours and England."""

import pandas as pd

from .catalogue import format_value
from .neighbours import comparison_series
from .registry import LA

# RO3 children's social care lines, largest areas first; the four looked-after "of which" lines
# split `cla_spend` and are shown separately.
LINES = [
    "cla_spend",
    "safeguarding_spend",
    "family_support_spend",
    "young_people_spend",
    "youth_justice_spend",
    "early_years_spend",
    "other_cf_spend",
    "asylum_seekers_spend",
]
CLA_LINES = ["cla_residential_spend", "cla_fostering_spend", "cla_asylum_spend", "cla_other_spend"]
HEADLINE = [
    "csc_spend_per_child",
    "cla_spend_per_cla",
    "csc_share_of_services_pct",
    "cla_share_of_csc_pct",
    "residential_share_of_cla_pct",
]
# The spend trend: RSX net current expenditure, published for 2022-23 to 2024-25 (years 2023-2025), cash.
TREND = ["csc_net_spend", "csc_net_spend_per_child", "csc_net_spend_per_cla"]


def lines_table(tidy: pd.DataFrame, la: LA, sn_codes: list[str], lines: list[str], year: int) -> pd.DataFrame:
    """The LA's spend on each line beside its neighbours' median, its region and England, per child.

    Per-child figures are the catalogue's `<line>_per_child` rates (spend in the financial year to
    31 March `year` over the mid-year child population for `year` - 1). Columns: indicator,
    spend_thousands (the LA's), share_pct (of the LA's total children's social care spend),
    per_child, sn_median, region, england (all £ per child), status.
    """
    rates = comparison_series(tidy, la, sn_codes, [f"{line}_per_child" for line in lines])
    rates = rates[rates["year"] == year].set_index("indicator")
    spend = tidy[(tidy["year"] == year) & (tidy["la_code"] == la.la_code)].set_index("indicator")["value"]
    out = pd.DataFrame({"indicator": lines})
    out["spend_thousands"] = out["indicator"].map(spend)
    out["share_pct"] = out["spend_thousands"] / spend.get("csc_spend", float("nan")) * 100
    per_child = out["indicator"] + "_per_child"
    for col, source in (
        ("per_child", "value"),
        ("sn_median", "sn_median"),
        ("region", "region_value"),
        ("england", "england_value"),
        ("status", "status"),
    ):
        out[col] = per_child.map(rates[source])
    return out


# A published unit cost below this share of the LAs' median that year is not a unit cost (see `unit_cost`).
PLAUSIBLE_SHARE_OF_MEDIAN = 0.1


def unit_cost(tidy: pd.DataFrame, la_code: str) -> tuple[pd.Series | None, str]:
    """The LA's latest published net spend on children looked after per child looked after (`cla_spend_per_cla`,
    £ a year) as a unit cost for costing projections: the row, or None and a sentence saying why there is none.

    A figure at or below zero, or under a tenth of the LAs' median that year, is not the cost of a child looked
    after: it is what an LA reports when those costs sit on another RO3 line (Sandwell, whose services are run by
    a children's trust, reported -£20k on children looked after and £101,298k on other children and family
    services in 2024-25). Costing a projection with it would give a silently wrong total, so none is used.
    """
    from .words.common import reporting_year

    rows = tidy[(tidy["indicator"] == "cla_spend_per_cla") & (tidy["geographic_level"] == "la") & tidy["value"].notna()]
    own = rows[rows["la_code"] == la_code]
    if own.empty:
        return None, "has no published spend on children looked after (RO3)"
    latest = own.loc[own["year"].idxmax()]
    median = rows.loc[rows["year"] == latest["year"], "value"].median()
    if latest["value"] <= 0 or latest["value"] < PLAUSIBLE_SHARE_OF_MEDIAN * median:
        return None, (
            f"published net spend on children looked after of {format_value(latest['value'], 'gbp')} a year per "
            f"child looked after in {reporting_year(latest['year'])} (RO3), under a tenth of the LAs' median "
            f"({format_value(median, 'gbp')}) and so not a "
            "unit cost (the costs of its children looked after are recorded on another RO3 line)"
        )
    return latest, ""
