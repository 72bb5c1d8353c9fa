"""Local performance from hand-made Annex A fixtures (tests/fixtures/annexa/hand), answers worked by hand.

The fixture files are named export_a..g on purpose: lists are recognised by their columns.
Bank holidays 2024 used below: Mon 6 May, Mon 27 May. The data run from 1 May (first contact,
an Excel serial 45413) to 10 July 2024 (last contact), so May and June are complete, July is not.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from csc_analysis import annexa, annexa_indicators
from csc_analysis.cli import cli
from csc_analysis.errors import CscError

HAND = Path(__file__).parent / "fixtures" / "annexa" / "hand"
US = Path(__file__).parent / "fixtures" / "annexa" / "us_dates"


@pytest.fixture(scope="module")
def lists():
    return annexa.read_annex_a(HAND, today="2024-12-31")


@pytest.fixture(scope="module")
def table(lists):
    return annexa_indicators.indicators(lists, "353", threshold=0).set_index(["indicator", "period"])


def test_lists_recognised_by_columns(lists):
    assert {k: v.source for k, v in lists.items()} == {
        "contacts": "export_a.csv",
        "referrals": "export_b.csv",
        "assessments": "export_c.csv",
        "s47": "export_d.csv",
        "cp": "export_e.csv",
        "cla": "export_f.csv",
        "care_leavers": "export_g.csv",
    }
    # export_a: title row, 21 data rows; excluded: no ID (row 21), duplicate H012 10/06 (row 22), 15/06/1924 (row 23).
    assert lists["contacts"].report.rows == 21 and lists["contacts"].report.used == 18
    assert sorted(lists["contacts"].report.problems) == [
        (21, "child_id", "missing child ID"),
        (22, "row", "duplicate of an earlier row"),
        (23, "contact_date", "date more than 25 years before the extract"),
    ]
    # export_c: H025 authorised 19/06/2024 before its start 20/06/2024.
    assert lists["assessments"].report.problems == [(7, "authorised", "end before start")]
    assert "Date of Birth" not in lists["contacts"].rows and "dob" not in lists["contacts"].rows


def test_front_door(table):
    # May: contacts H001-H010 = 10, referrals 5 (NFA a) Yes for H001, H003); June: 6 contacts, 4 referrals,
    # NFA Yes 1 of the 3 answered (H015's is blank).
    assert table.loc[("contacts", "2024-05"), "value"] == 10 and table.loc[("contacts", "2024-06"), "value"] == 6
    assert table.loc[("referrals", "2024-05"), "value"] == 5 and table.loc[("referrals", "2024-06"), "value"] == 4
    assert table.loc[("contact_conversion_pct", "2024-05"), "value"] == 50.0
    assert table.loc[("contact_conversion_pct", "2024-06"), "value"] == 66.7  # 4 / 6
    assert table.loc[("referrals_nfa_pct", "2024-05"), ["numerator", "denominator", "value"]].tolist() == [2, 5, 40.0]
    assert table.loc[("referrals_nfa_pct", "2024-06"), ["numerator", "denominator", "value"]].tolist() == [1, 3, 33.3]
    assert table.loc[("contacts", "2024-07"), "status"] == "partial month"
    assert pd.isna(table.loc[("contacts", "2024-07"), "value"])
    assert "2024-04" not in table.loc["contacts"].index  # the data start on 1 May


def test_assessments_with_a_bank_holiday_in_the_45_day_window(table):
    # June: H020 45 working days (within), H021 46, H022 61 -> 1 of 3. May: H023 7 days -> 1 of 1.
    assert table.loc[("assessments_completed", "2024-06"), "value"] == 3
    assert table.loc[("assessments_within_45wd_pct", "2024-06"), ["numerator", "denominator", "value"]].tolist() == [
        1,
        3,
        33.3,
    ]
    assert table.loc[("assessments_within_45wd_pct", "2024-05"), "value"] == 100.0


def test_icpc_on_the_15th_working_day_and_a_month_without_conferences(table):
    # June ICPCs: H030 21 working days (late), H031 15 with 27 May inside, H032 exactly 15 -> 2 of 3.
    assert table.loc[("icpcs_held", "2024-06"), "value"] == 3
    assert table.loc[("icpc_within_15wd_pct", "2024-06"), "value"] == 66.7
    # May: three strategy discussions, no conference: 0 held and no percentage (not 0%).
    assert table.loc[("s47_started", "2024-05"), "value"] == 3 and table.loc[("icpcs_held", "2024-05"), "value"] == 0
    assert pd.isna(table.loc[("icpc_within_15wd_pct", "2024-05"), "value"])
    assert table.loc[("s47_started", "2024-06"), "value"] == 1


def test_open_cohorts_starts_and_ends(table):
    # CP: H040 (2022, open), H041 02/05-14/06, H032 from 11/06, H043 from 15/04.
    assert table.loc[("cpp_open_at_month_end", "2024-05"), "value"] == 3  # H040, H041, H043
    assert table.loc[("cpp_open_at_month_end", "2024-06"), "value"] == 3  # H040, H032, H043
    assert table.loc[("cpp_started", "2024-06"), "value"] == 1 and table.loc[("cpp_ended", "2024-06"), "value"] == 1
    # CLA: H050 (2023), H051 20/05-03/06, H052 from 17/06.
    assert (
        table.loc[("cla_at_month_end", "2024-05"), "value"] == 2
        and table.loc[("cla_at_month_end", "2024-06"), "value"] == 2
    )
    assert table.loc[("cla_started", "2024-05"), "value"] == 1 and table.loc[("cla_ceased", "2024-06"), "value"] == 1


def test_extract_date_measures(table):
    # Extract date 10 July 2024 (latest date). CP open: H040 visited 26/06 (10 working days), H032 25/06 (11),
    # H043 09/07 (1) -> 2 of 3; open two years or more: H040 only.
    assert table.loc[("cpp_visited_within_10wd_pct", "2024-07"), ["numerator", "denominator"]].tolist() == [2, 3]
    assert table.loc[("cpp_open_2y_plus", "2024-07"), "value"] == 1
    # CLA open: H050 reviewed 15/03 (117 days, due every 183) in time; H052 looked after 23 days, no review -> 1 of 2.
    assert table.loc[("cla_review_in_time_pct", "2024-07"), "value"] == 50.0
    # Health: only H050 is due (H052 looked after 17 working days); assessed 01/09/2023, 313 days -> 1 of 1.
    assert table.loc[("cla_health_assessment_in_time_pct", "2024-07"), ["numerator", "denominator"]].tolist() == [1, 1]
    # Care leavers: H063 died (not counted); in touch H060, H062 of 3; suitable H060, H062 of 3.
    assert table.loc[("care_leavers_in_touch_pct", "2024-07"), "value"] == 66.7
    assert table.loc[("care_leavers_suitable_accommodation_pct", "2024-07"), "value"] == 66.7


def test_suppression_of_indicators_and_quality_counts(lists):
    shown = annexa_indicators.indicators(lists, "353", threshold=5).set_index(["indicator", "period"])
    assert shown.loc[("contacts", "2024-05"), "value"] == 10  # 10 is shown
    assert shown.loc[("referrals", "2024-06"), "status"] == "suppressed"  # 4
    assert pd.isna(shown.loc[("referrals", "2024-06"), "value"])
    # 5 of 10 converted: numerator 5, denominator 10, difference 5 -> shown; 4 of 6 in June -> suppressed.
    assert shown.loc[("contact_conversion_pct", "2024-05"), "value"] == 50.0
    assert shown.loc[("contact_conversion_pct", "2024-06"), "status"] == "suppressed"
    quality = annexa_indicators.quality(lists, 5).set_index(["list", "measure"])["rows"]
    assert quality[("List 1 (contacts)", "rows read")] == 21
    assert quality[("List 1 (contacts)", "rows excluded")] == "c" and quality[("List 1 (contacts)", "rows used")] == "c"


def test_local_cli_contract_and_us_dates_refused():
    out = CliRunner().invoke(
        cli,
        [
            "local",
            "--la",
            "Oldham",
            "--annex-a",
            str(HAND / "export_a.csv"),
            str(HAND / "export_b.csv"),
            "--suppress-below",
            "0",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "la_code,period,indicator,value,numerator,denominator,status"
    assert "353,2024-05,contacts,10.0,,," in lines and "353,2024-07,contacts,,,,partial month" in lines
    assert "H001" not in out.output
    refused = CliRunner().invoke(cli, ["local", "--la", "Oldham", "--annex-a", str(US)])
    assert refused.exit_code == 1
    assert "column 'Date of referral': dates are month-first (US mm/dd/yyyy, e.g. row 2)" in refused.output


def test_no_list_recognised_is_one_line_error(tmp_path):
    (tmp_path / "notes.csv").write_text("Team,Comment\nA,x\n")
    with pytest.raises(CscError, match="no Annex A list recognised"):
        annexa.read_annex_a(tmp_path)


REREF = HAND / "rereferrals" / "list3.csv"


def test_rereferrals_within_12_months_and_partial_history():
    # hand/rereferrals/list3.csv (List 3 only): referrals from 01/01/2023 to 31/03/2024, so the extract starts on
    # 01/01/2023 and a month has 12 months of history from January 2024 (1 Jan 2024 looks back to 1 Jan 2023).
    # Rule: a previous referral on the same calendar date a year earlier is within 12 months.
    # Jan 2024: R01 01/01/2024 after 01/01/2023 (exactly 12 months: yes); R02 03/01/2024 after 02/01/2023
    #   (12 months and a day: no); R03 10/01/2024 (none) -> 1 of 3.
    # Feb 2024: R03 15/02/2024 after 10/01/2024 (yes); R04 20/02/2024 (none); R10 29/02/2024 after 28/02/2023
    #   (29 Feb less a year is 28 Feb: yes) -> 2 of 3.
    # Mar 2024: R05 05/03/2024 after 20/06/2023 (yes); R07 31/03/2024 (none in the extract) -> 1 of 2.
    lists = annexa.read_annex_a(REREF, today="2024-12-31")
    table = annexa_indicators.indicators(lists, "353", threshold=0).set_index(["indicator", "period"])
    pct = table.loc["rereferrals_12m_pct"]
    assert pct.loc["2024-01", ["numerator", "denominator", "value"]].tolist() == [1, 3, 33.3]
    assert pct.loc["2024-02", ["numerator", "denominator", "value"]].tolist() == [2, 3, 66.7]
    assert pct.loc["2024-03", ["numerator", "denominator", "value"]].tolist() == [1, 2, 50.0]
    assert table.loc[("rereferrals_12m", "2024-02"), "value"] == 2
    # June 2023: R09 10/06 and 20/06/2023 is a re-referral, but June 2023 cannot see back to June 2022; March 2023:
    # R08 says 2 in the last 12 months, the earlier one before the extract. No value, status partial history.
    for month in ("2023-01", "2023-03", "2023-06", "2023-12"):
        for ind in ("rereferrals_12m", "rereferrals_12m_pct"):
            assert table.loc[(ind, month), "status"] == "partial history"
            assert pd.isna(table.loc[(ind, month), "value"])
    assert table.loc[("referrals", "2023-06"), "value"] == 3  # the referrals themselves are counted
    # 'Number of Referrals in Last 12 Months' (counting the referral itself) on the 8 referrals of 2024: all agree
    # with the dates except R07 31/03/2024, which says 2 with no referral since 31/03/2023.
    assert annexa_indicators.rereferral_check(lists, pd.Timestamp("2023-01-01")) == (8, 1)
    quality = annexa_indicators.quality(lists, 0).set_index("measure")["rows"]
    assert quality["re-referral column checked against dates"] == 8
    assert quality["re-referral column disagreeing with dates"] == 1
    assert (
        annexa_indicators.quality(lists, 5).set_index("measure")["rows"]["re-referral column disagreeing with dates"]
        == "c"
    )


def test_rereferrals_in_the_hand_extract_are_all_partial_history(table):
    # export_b runs May-June 2024 only: no month can see 12 months back.
    assert table.loc[("rereferrals_12m_pct", "2024-05"), "status"] == "partial history"
    assert table.loc[("rereferrals_12m_pct", "2024-06"), "status"] == "partial history"


def test_an_as_at_date_that_is_not_iso_is_refused(lists):
    # pd.Timestamp("01/02/2025") guessed 2 January 2025 (month first).
    with pytest.raises(CscError, match=r"^as_at '01/02/2025': expected a date as YYYY-MM-DD$"):
        annexa_indicators.extract_period(lists, "01/02/2025")
    assert annexa_indicators.extract_period(lists, "2024-06-30")[1] == pd.Timestamp("2024-06-30")
