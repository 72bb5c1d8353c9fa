"""Placements, stability and care leavers: where new placements are made, beside neighbours and England."""

import pandas as pd

from .registry import LA

# Where new placements were made (location and distance from home), in reading order.
LOCATIONS = [
    "new_placements_inside_under20",
    "new_placements_inside_over20",
    "new_placements_outside_under20",
    "new_placements_outside_over20",
    "new_placements_distance_unknown",
]
LOCATION_LABELS = {
    "new_placements_inside_under20": "Inside LA, under 20 miles",
    "new_placements_inside_over20": "Inside LA, over 20 miles",
    "new_placements_outside_under20": "Outside LA, under 20 miles",
    "new_placements_outside_over20": "Outside LA, over 20 miles",
    "new_placements_distance_unknown": "Distance not recorded",
}
HEADLINE = [
    "new_placements_outside_la_pct",
    "new_placements_over20_pct",
    "cla_3plus_placements_pct",
    "long_term_stability_pct",
    "cla_3plus_sw_pct",
    "care_leavers_17_18_eet_pct",
    "care_leavers_19_21_eet_pct",
]
# Everything the notebook benchmarks: the headline percentages and the counts behind the summary.
INDICATORS = ["new_placements", "placement_changes"] + HEADLINE


def location_mix(tidy: pd.DataFrame, la: LA, sn_codes: list[str], year: int) -> pd.DataFrame:
    """Share of the year's new placements in each location, for the LA, its neighbours, region and England.

    The LA, region and England shares are their own counts over their total new placements;
    the neighbours' figure is the median of each neighbour's share (neighbours with that
    cell suppressed are left out, and `sn_n` says how many remain). A suppressed LA cell stays
    missing with its symbol. Columns: location, label, group, share_pct, count, status, sn_n.
    """
    rows = tidy[(tidy["year"] == year) & tidy["indicator"].isin(LOCATIONS + ["new_placements"])]
    rows = rows.assign(area=rows["la_code"].fillna(rows["new_la_code"]))
    values = rows.pivot_table(index="area", columns="indicator", values="value", aggfunc="first", dropna=False)
    values = values.reindex(columns=LOCATIONS + ["new_placements"])
    shares = values[LOCATIONS].div(values["new_placements"], axis=0) * 100
    status = rows.set_index(["area", "indicator"])["status"]
    region = rows.loc[(rows["geographic_level"] == "regional") & (rows["la_name"] == la.region_name), "area"]
    england = rows.loc[rows["geographic_level"] == "national", "area"]
    groups = [
        (la.la_name, la.la_code),
        ("Region", region.iloc[0] if len(region) else None),
        ("England", england.iloc[0] if len(england) else None),
    ]
    sn = shares[shares.index.isin(sn_codes)]
    out = []
    for loc in LOCATIONS:
        for group, area in groups:
            known = area in shares.index
            out.append(
                {
                    "location": loc,
                    "group": group,
                    "share_pct": shares.at[area, loc] if known else float("nan"),
                    "count": values.at[area, loc] if known else float("nan"),
                    "status": status.get((area, loc)),
                    "sn_n": None,
                }
            )
        out.append(
            {
                "location": loc,
                "group": "Neighbour median",
                "share_pct": sn[loc].median(),
                "count": float("nan"),
                "status": None,
                "sn_n": int(sn[loc].notna().sum()),
            }
        )
    out = pd.DataFrame(out)
    out.insert(1, "label", out["location"].map(LOCATION_LABELS))
    return out
