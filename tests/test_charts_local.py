"""Notebook 06's monthly chart (charts.local) on a small hand-made table: suppressed months are gaps, never 0."""

import pandas as pd

from csc_analysis.charts.local import monthly_lines


def test_a_suppressed_month_is_a_gap_in_the_line_and_c_in_the_table():
    wide = pd.DataFrame(
        {"period": ["2025-01", "2025-02", "2025-03"], "contacts": [410, 388, 402], "referrals": [52, "c", 47]}
    )
    fig = monthly_lines(wide, {"contacts": "Contacts", "referrals": "Referrals"}, "Contacts and referrals", "Children")
    spec = fig.chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    referrals = [r["value"] for r in rows if r["measure"] == "Referrals"]
    assert referrals == [52, None, 47]  # no point at all for February, not a 0
    assert [r["value"] for r in rows if r["measure"] == "Contacts"] == [410, 388, 402]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Contacts", "Referrals"]
    dashes = spec["encoding"]["strokeDash"]["scale"]["range"]
    assert len(dashes) == 2 and dashes[0] != dashes[1]  # told apart without colour
    assert fig.alt_text.startswith("Children by month from January 2025 to March 2025 for: Contacts, Referrals.")
    assert fig.table.set_index("Month").loc["2025-02", "Referrals"] == "c"
