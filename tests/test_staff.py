"""Local caseload snapshots: validation, DfE caseload measure, suppression, costs."""

import pandas as pd
import pytest

from csc_analysis import privacy, staff
from csc_analysis.errors import CscError

HEADER = "Worker ID,Team,Role,Employment type,ASYE,FTE,Caseload,Start date,Leave date\n"


def write(tmp_path, rows, name="snap.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def test_valid_rows_and_problems_reported(tmp_path):
    path = write(tmp_path, [
        "007,North,Social Worker,Permanent,false,1,20,01/09/2020,",
        "008,North,Social Worker,agency,No,0.5,10,2021-01-04,",
        ",North,Social Worker,permanent,false,1,12,01/09/2020,",          # missing ID
        "010,North,Social Worker,locum,false,1,12,01/09/2020,",           # unknown type
        "011,North,Social Worker,permanent,maybe,1,12,01/09/2020,",       # bad asye
        "012,North,Social Worker,permanent,false,2.5,12,01/09/2020,",     # bad fte
        "013,North,Social Worker,permanent,false,1,-1,01/09/2020,",       # bad caseload
        "014,North,Social Worker,permanent,false,1,3,31/02/2020,",        # impossible date
        "015,South,Team Manager,permanent,a) Yes,1,0,44927,",              # Excel serial date, ASYE 'a) Yes'
        "016,South,Social Worker,permanent,false,1,5,01/01/2019,01/01/2020",  # left before the snapshot
        "016,South,Social Worker,permanent,false,1,5,01/01/2019,",        # duplicate of the line above
    ])
    snap = staff.read_snapshot(path, as_at="2024-09-30")
    assert list(snap.workers.worker_id) == ["007", "008", "015"]  # leading zeros kept
    assert snap.workers.loc[2, "start_date"] == pd.Timestamp("2023-01-01")
    assert bool(snap.workers.loc[2, "asye"]) is True
    assert snap.report.rows == 11 and snap.report.unusable == 8
    summary = snap.report.summary()
    assert "missing worker ID" in summary and "duplicate worker ID" in summary and "not a date" in summary
    assert "007" not in summary and "North" not in summary


def test_missing_required_column_is_one_line_error(tmp_path):
    path = tmp_path / "snap.csv"
    path.write_text("Worker ID,Team,FTE\n1,A,1\n")
    with pytest.raises(CscError, match=r"snap.csv: missing column\(s\): employment_type"):
        staff.read_snapshot(path)


def test_xlsx_snapshot(tmp_path):
    frame = pd.DataFrame({"worker_id": ["001", "002"], "team": ["A", "A"], "employment_type": ["agency", "permanent"],
                          "asye": [False, True], "fte": [1.0, 0.8], "caseload": [22, 15],
                          "start_date": [pd.Timestamp("2022-05-01"), pd.Timestamp("2024-01-10")]})
    frame.to_excel(tmp_path / "snap.xlsx", index=False)
    snap = staff.read_snapshot(tmp_path / "snap.xlsx", as_at="2024-09-30")
    assert list(snap.workers.worker_id) == ["001", "002"] and snap.report.unusable == 0


def test_caseload_per_fte_the_dfe_way():
    workers = pd.DataFrame({"caseload": [20, 10, 0], "fte": [1.0, 0.5, 1.0]})
    assert staff.caseload_per_fte(workers) == pytest.approx(30 / 1.5)  # the manager with 0 cases is excluded


def test_over_threshold_uses_asye_limit():
    workers = pd.DataFrame({"caseload": [19, 19, 26], "asye": [True, False, False]})
    assert list(staff.over_threshold(workers)) == [True, False, True]


def test_team_summary_merges_small_teams_and_suppresses():
    rows = [{"worker_id": f"W{i}", "team": "Big", "employment_type": "agency" if i < 3 else "permanent",
             "asye": False, "fte": 1.0, "caseload": 30 if i < 2 else 10} for i in range(8)]
    rows += [{"worker_id": f"S{i}", "team": f"Tiny {i}", "employment_type": "permanent", "asye": False, "fte": 1.0,
              "caseload": 12} for i in range(2)]
    table = staff.team_summary(pd.DataFrame(rows)).set_index("team")
    assert "Tiny 0" not in table.index and table.loc["Smaller teams (combined)", "workers"] == privacy.SUPPRESSED
    assert table.loc["Big", "workers_over_limit"] == privacy.SUPPRESSED  # 2 workers: below 5
    assert table.loc["Big", "agency_pct"] == pytest.approx(3 / 8 * 100, abs=0.05)
    assert table.loc["All teams", "workers"] == 10


def test_secondary_suppression():
    frame = pd.DataFrame({"team": ["A", "B", "C", "All"], "n": [3, 10, 12, 25]})
    out = privacy.suppress(frame, ["n"], 5, total_label="All", label_column="team")
    assert list(out.n) == ["c", "c", 12, 25]
    assert list(privacy.suppress(frame.iloc[:3], ["n"], 5).n) == ["c", 10, 12]


def test_agency_premium_and_scenarios():
    cost = staff.agency_premium(10, 500, 40000, 25, days_per_year=220)
    assert cost["agency_cost_per_fte"] == 110000 and cost["permanent_cost_per_fte"] == 50000
    assert cost["annual_premium"] == 600000
    table = staff.conversion_scenarios(10, 500, 40000, 25, 220, steps=2)
    assert list(table.posts_converted) == [0, 5, 10] and list(table.annual_saving) == [0, 300000, 600000]
