"""Notebook 05's placement chart (charts.placements) on small hand-made tables: title, order, suppressed bars."""

import pandas as pd

from csc_analysis.charts import placements as place_charts

LOCATIONS = {
    "new_placements_inside": "Inside the LA boundary",
    "new_placements_outside_under20": "Outside, under 20 miles",
    "new_placements_outside_over20": "Outside, 20 miles or more",
}


def _mix(la_shares, england_shares, status=None):
    """A `placements.location_mix`-shaped table for "Testshire" and England (shares in the LOCATIONS order)."""
    rows = []
    for group, shares in (("Testshire", la_shares), ("England", england_shares)):
        for (location, label), share in zip(LOCATIONS.items(), shares):
            rows.append(
                {
                    "location": location,
                    "label": label,
                    "group": group,
                    "share_pct": share,
                    "count": None if pd.isna(share) else share * 10,
                    "status": (status or {}).get((group, location)),
                }
            )
    return pd.DataFrame(rows)


def test_location_title_adds_the_two_outside_shares():
    # Outside: 20.4 + 10.3 = 30.7 -> "31%"; England 15.0 + 8.0 = 23.0 -> "23%".
    fig = place_charts.location_chart(_mix([69.3, 20.4, 10.3], [77.0, 15.0, 8.0]), "Testshire", 2025)
    title = "31% of Testshire's new placements in 2025 were outside its boundary (England 23%)"
    assert fig.chart.to_dict()["title"]["text"] == title
    assert title in fig.alt_text


def test_a_suppressed_share_is_said_where_its_bar_would_be_and_never_drawn_as_zero():
    mix = _mix([80.0, float("nan"), 5.0], [77.0, 15.0, 8.0], {("Testshire", "new_placements_outside_under20"): "c"})
    fig = place_charts.location_chart(mix, "Testshire", 2025)
    spec = fig.chart.to_dict()
    assert spec["title"]["text"] == "Where Testshire's new placements were made in 2025 (some counts suppressed)"
    bars, notes = (spec["datasets"][layer["data"]["name"]] for layer in spec["layer"])
    assert [(r["group"], r["location"]) for r in bars if r["share_pct"] is None] == []
    assert len(bars) == 5  # six rows, the suppressed one left out
    assert [r["group"] for r in bars][-2:] == ["Testshire", "Testshire"]  # the LA's bars drawn last, on top
    assert [r["note"] for r in notes] == ["Testshire: suppressed to protect confidentiality"]
    assert fig.table["status"].tolist().count("c") == 1  # the data table keeps the symbol
