"""Children's social care spending (MHCLG revenue outturn): by line, per child, against neighbours and England."""

import pandas as pd

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
