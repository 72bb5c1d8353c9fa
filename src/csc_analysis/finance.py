"""Children's social care spending (MHCLG revenue outturn): by line, per child, against neighbours and England."""

import pandas as pd

from .registry import LA

# RO3 children's social care lines, largest areas first; the four looked-after "of which" lines
# split `cla_spend` and are shown separately.
LINES = ["cla_spend", "safeguarding_spend", "family_support_spend", "young_people_spend", "youth_justice_spend",
         "early_years_spend", "other_cf_spend", "asylum_seekers_spend"]
CLA_LINES = ["cla_residential_spend", "cla_fostering_spend", "cla_asylum_spend", "cla_other_spend"]
HEADLINE = ["csc_spend_per_child", "cla_spend_per_cla", "csc_share_of_services_pct", "cla_share_of_csc_pct",
            "residential_share_of_cla_pct"]


def per_child(tidy: pd.DataFrame, lines: list[str], year: int) -> pd.DataFrame:
    """Each spending line per child aged 0 to 17 (£), for every LA, region and England in `year`.

    Spend in the financial year to 31 March `year` (£ thousands) over the mid-year population
    estimate for `year` - 1, as the catalogue's per-child rate does. Columns: geographic_level,
    la_code, la_name, indicator, spend_thousands, per_child, status.
    """
    spend = tidy[(tidy["year"] == year) & tidy["indicator"].isin(lines)]
    pop = tidy[(tidy["year"] == year - 1) & (tidy["indicator"] == "population_0_17")]
    area = lambda f: f["la_code"].fillna(f["new_la_code"])  # noqa: E731
    pop = pd.DataFrame({"area": area(pop), "population": pop["value"]})
    out = spend.assign(area=area(spend)).merge(pop, on="area", how="left")
    out["per_child"] = out["value"] * 1000 / out["population"]
    return out.rename(columns={"value": "spend_thousands"})[
        ["geographic_level", "la_code", "la_name", "indicator", "spend_thousands", "per_child", "status"]]


def lines_table(tidy: pd.DataFrame, la: LA, sn_codes: list[str], lines: list[str], year: int) -> pd.DataFrame:
    """The LA's spend on each line beside its neighbours' median, its region and England, per child.

    Columns: indicator, spend_thousands (the LA's), share_pct (of the LA's total children's
    social care spend), per_child, sn_median, region, england (all £ per child), status.
    """
    rows = per_child(tidy, lines, year)
    own = rows[rows["la_code"] == la.la_code].set_index("indicator")
    sn = rows[rows["la_code"].isin(sn_codes)].groupby("indicator")["per_child"].median()
    region = rows[(rows["geographic_level"] == "regional") & (rows["la_name"] == la.region_name)].set_index("indicator")
    england = rows[rows["geographic_level"] == "national"].set_index("indicator")
    total = tidy[(tidy["year"] == year) & (tidy["indicator"] == "csc_spend") & (tidy["la_code"] == la.la_code)]["value"]
    out = pd.DataFrame({"indicator": lines})
    out["spend_thousands"] = out["indicator"].map(own["spend_thousands"])
    out["share_pct"] = out["spend_thousands"] / (total.iloc[0] if len(total) else float("nan")) * 100
    out["per_child"] = out["indicator"].map(own["per_child"])
    out["sn_median"] = out["indicator"].map(sn)
    out["region"] = out["indicator"].map(region["per_child"])
    out["england"] = out["indicator"].map(england["per_child"])
    out["status"] = out["indicator"].map(own["status"])
    return out
