"""Local caseload snapshots: validation, DfE caseload measure, suppression, costs."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_analysis import caseload_snapshot, privacy
from csc_analysis.errors import CscError

HEADER = "Worker ID,Team,Role,Employment type,ASYE,FTE,Caseload,Start date,Leave date\n"


def write(tmp_path, rows, name="snap.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def test_valid_rows_and_problems_reported(tmp_path):
    path = write(
        tmp_path,
        [
            "007,North,Social Worker,Permanent,false,1,20,01/09/2020,",
            "008,North,Social Worker,agency,No,0.5,10,2021-01-04,",
            ",North,Social Worker,permanent,false,1,12,01/09/2020,",  # missing ID
            "010,North,Social Worker,locum,false,1,12,01/09/2020,",  # unknown type
            "011,North,Social Worker,permanent,maybe,1,12,01/09/2020,",  # bad asye
            "012,North,Social Worker,permanent,false,2.5,12,01/09/2020,",  # bad fte
            "013,North,Social Worker,permanent,false,1,-1,01/09/2020,",  # bad caseload
            "014,North,Social Worker,permanent,false,1,3,31/02/2020,",  # impossible date
            "015,South,Team Manager,permanent,a) Yes,1,0,44927,",  # Excel serial date, ASYE 'a) Yes'
            "016,South,Social Worker,permanent,false,1,5,01/01/2019,01/01/2020",  # left before the snapshot
            "016,South,Social Worker,permanent,false,1,5,01/01/2019,",  # duplicate of the line above
        ],
    )
    snap = caseload_snapshot.read_snapshot(path, as_at="2024-09-30")
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
        caseload_snapshot.read_snapshot(path)


def test_xlsx_snapshot(tmp_path):
    frame = pd.DataFrame(
        {
            "worker_id": ["001", "002"],
            "team": ["A", "A"],
            "employment_type": ["agency", "permanent"],
            "asye": [False, True],
            "fte": [1.0, 0.8],
            "caseload": [22, 15],
            "start_date": [pd.Timestamp("2022-05-01"), pd.Timestamp("2024-01-10")],
        }
    )
    frame.to_excel(tmp_path / "snap.xlsx", index=False)
    snap = caseload_snapshot.read_snapshot(tmp_path / "snap.xlsx", as_at="2024-09-30")
    assert list(snap.workers.worker_id) == ["001", "002"] and snap.report.unusable == 0


def test_caseload_per_fte_the_dfe_way():
    workers = pd.DataFrame({"caseload": [20, 10, 0], "fte": [1.0, 0.5, 1.0]})
    assert caseload_snapshot.caseload_per_fte(workers) == pytest.approx(
        30 / 1.5
    )  # the manager with 0 cases is excluded


def test_over_threshold_uses_asye_limit():
    workers = pd.DataFrame({"caseload": [19, 19, 26], "asye": [True, False, False]})
    assert list(caseload_snapshot.over_threshold(workers)) == [True, False, True]


def test_team_summary_merges_small_teams_and_suppresses():
    rows = [
        {
            "worker_id": f"W{i}",
            "team": "Big",
            "employment_type": "agency" if i < 3 else "permanent",
            "asye": False,
            "fte": 1.0,
            "caseload": 30 if i < 2 else 10,
        }
        for i in range(8)
    ]
    rows += [
        {
            "worker_id": f"S{i}",
            "team": f"Tiny {i}",
            "employment_type": "permanent",
            "asye": False,
            "fte": 1.0,
            "caseload": 12,
        }
        for i in range(2)
    ]
    table = caseload_snapshot.team_summary(pd.DataFrame(rows)).set_index("team")
    assert "Tiny 0" not in table.index and table.loc["Smaller teams (combined)", "workers"] == privacy.SUPPRESSED
    assert table.loc["Big", "workers_over_limit"] == privacy.SUPPRESSED  # 2 workers: below 5
    # 3 agency workers: their share of Big's FTE would give their FTE; and Big's row is the only other
    # one, so All teams minus Big would give the 2 combined workers: the whole row is hidden.
    assert (table.loc["Big"] == privacy.SUPPRESSED).all()
    assert table.loc["All teams", "workers"] == 10


def test_secondary_suppression():
    frame = pd.DataFrame({"team": ["A", "B", "C", "All"], "n": [3, 10, 12, 25]})
    out = privacy.suppress(frame, ["n"], 5, total_label="All", label_column="team")
    assert list(out.n) == ["c", "c", 12, 25]
    assert list(privacy.suppress(frame.iloc[:3], ["n"], 5).n) == ["c", 10, 12]


def test_agency_premium_and_scenarios():
    cost = caseload_snapshot.agency_premium(10, 500, 40000, 25, days_per_year=220)
    assert cost["agency_cost_per_fte"] == 110000 and cost["permanent_cost_per_fte"] == 50000
    assert cost["annual_premium"] == 600000
    table = caseload_snapshot.conversion_scenarios(10, 500, 40000, 25, 220, steps=2)
    assert list(table.posts_converted) == [0, 5, 10] and list(table.annual_saving) == [0, 300000, 600000]


def test_agency_cost_inputs_that_make_no_sense_are_refused():
    # `-p days_per_year=0` made each agency FTE "cost £-58,500 more a year"; `-p agency_day_rate=-5` likewise.
    for args, message in [
        ((10, 500, 40000, 25, 0), "days_per_year 0 must be at least 1 day"),
        ((10, 500, 40000, 25, 400), "days_per_year 400 must be at most 366 days"),
        ((10, -5, 40000, 25, 220), "agency_day_rate (£ a day) -5 must be at least 1"),
        ((10, 500, 0, 25, 220), "permanent_salary (£ a year) 0 must be at least 1"),
        ((10, 500, 40000, -30, 220), "on_cost_pct -30 must be at least 0"),
    ]:
        with pytest.raises(CscError, match=f"^{re.escape(message)}$"):
            caseload_snapshot.agency_premium(*args)


def test_agency_cheaper_than_permanent_reads_as_less_never_minus():
    from csc_analysis.words import workforce as workforce_words

    # £200 x 220 days = £44,000 against £45,000 x 1.3 = £58,500: agency is £14,500 a year cheaper per FTE; for
    # 2.5 FTE, £36,250. With £550 a day: £121,000 - £58,500 = £62,500 more; x 2.5 = £156,250.
    cheap = caseload_snapshot.agency_premium(2.5, 200, 45000, 30, 220)
    text = workforce_words.agency_premium_sentence(cheap, 2.5, 200, 220, 45000, 30)
    assert text == (
        "With an agency day rate of £200 over 220 days (£44,000 a year) against a permanent salary of £45,000 plus "
        "30% on-costs (£58,500), each agency FTE costs £14,500 less a year than a permanent one: at these rates the "
        "snapshot's 2.5 agency FTE cost **£36,250 a year less** than permanent staff would."
    )
    dear = caseload_snapshot.agency_premium(2.5, 550, 45000, 30, 220)
    assert workforce_words.agency_premium_sentence(dear, 2.5, 550, 220, 45000, 30).endswith(
        "each agency FTE costs £62,500 more a year. For the 2.5 agency FTE in the snapshot the premium is "
        "**£156,250 a year**."
    )
    saving = caseload_snapshot.conversion_scenarios(2.5, 200, 45000, 30, 220, steps=2)["annual_saving"]
    # whole posts: 0, 1.25 -> 1 and 2.5 -> 2 (numpy rounds halves to even); 0, not -0.0, for no posts converted
    assert [str(x) for x in saving] == ["0.0", "-14500.0", "-29000.0"]


COMBINED = "Smaller teams (combined)"


def snapshot(teams: dict[str, list[tuple[str, float, int]]]) -> pd.DataFrame:
    """SYNTHETIC workers: team -> [(employment_type, fte, caseload), ...]."""
    rows = [
        {
            "worker_id": f"{team}-{i}",
            "team": team,
            "employment_type": kind,
            "asye": False,
            "fte": fte,
            "caseload": cases,
        }
        for team, people in teams.items()
        for i, (kind, fte, cases) in enumerate(people)
    ]
    return pd.DataFrame(rows)


def truth(workers: pd.DataFrame, threshold: int = 5, other_limit: int = 25) -> dict[str, dict[str, float]]:
    """What each row of the team summary describes, worked out here from the workers themselves."""
    sizes = workers.groupby("team")["team"].transform("size")
    label = workers["team"].where(sizes >= threshold, COMBINED)
    groups = {name: workers[label == name] for name in label.unique()} | {"All teams": workers}
    out = {}
    for name, g in groups.items():
        agency = g["employment_type"] == "agency"
        out[name] = {
            "workers": len(g),
            "agency_workers": agency.sum(),
            "permanent_workers": (~agency).sum(),
            "fte": g["fte"].sum(),
            "cases": g["caseload"].sum(),
            "agency_fte": g.loc[agency, "fte"].sum(),
            "permanent_fte": g.loc[~agency, "fte"].sum(),
            "workers_over_limit": (g["caseload"] > other_limit).sum(),
        }
    return out


def shown(table: pd.DataFrame, team: str, column: str):
    """A figure as a reader sees it, or None when it is not there (suppressed, missing or not a column)."""
    if column in ("agency_fte", "permanent_fte"):  # a reader can multiply the agency share by the FTE
        pct, fte = shown(table, team, "agency_pct"), shown(table, team, "fte")
        if pct is None or fte is None:
            return None
        return fte * pct / 100 if column == "agency_fte" else fte * (100 - pct) / 100
    if column not in table or team not in set(table["team"]):
        return None
    value = table.set_index("team").at[team, column]
    return None if value == privacy.SUPPRESSED or pd.isna(value) else float(value)


# Each additive figure and the people it is about (whose number must not be small in any group a reader isolates).
ADDITIVE = {
    "workers": "workers",
    "agency_workers": "agency_workers",
    "permanent_workers": "permanent_workers",
    "fte": "workers",
    "cases": "workers",
    "workers_over_limit": "workers_over_limit",
    "agency_fte": "agency_workers",
    "permanent_fte": "permanent_workers",
}


def disclosures(table: pd.DataFrame, workers: pd.DataFrame, threshold: int = 5) -> list[str]:
    """Every way a reader could learn something about fewer than `threshold` people from the table."""
    facts, found = truth(workers, threshold), []
    body = [t for t in facts if t != "All teams"]
    for team in facts:  # a figure about a small group, shown directly
        for figure, people in ADDITIVE.items():
            if 0 < facts[team][people] < threshold and shown(table, team, figure) is not None:
                found.append(f"{team}: {figure} shown for {facts[team][people]} {people}")
    for figure, people in ADDITIVE.items():  # total minus the shown rows (column differencing)
        if shown(table, "All teams", figure) is None:
            continue
        unknown = [t for t in body if shown(table, t, figure) is None]
        if len(unknown) == 1:
            found.append(f"{figure} of {unknown[0]} = total minus the shown rows")
        group = sum(facts[t][people] for t in unknown)
        if unknown and group < threshold:
            found.append(f"{figure} of {unknown} (about {group} {people}) = total minus the shown rows")
        if unknown and figure in facts["All teams"] and figure == people and 0 <= group < threshold:
            found.append(f"{figure}: total minus shown rows gives the small count {group}")
    for team in facts:  # workers = agency + permanent (row differencing)
        parts = [shown(table, team, p) for p in ("agency_workers", "permanent_workers")]
        if shown(table, team, "workers") is not None and parts.count(None) == 1:
            found.append(f"{team}: a hidden agency/permanent count = workers minus the other")
    return found


def test_one_worker_combined_row_discloses_nothing():
    # Big: 3 agency + 5 permanent, 1.0 FTE each; Mid: 5 agency + 5 permanent, 0.8 FTE; Tiny: one permanent
    # worker, 0.6 FTE, 12 cases. Tiny is combined alone, so its row would show that one worker.
    workers = snapshot(
        {
            "Big": [("agency", 1.0, 30)] * 2 + [("agency", 1.0, 10)] + [("permanent", 1.0, 10)] * 5,
            "Mid": [("agency", 0.8, 20)] * 5 + [("permanent", 0.8, 20)] * 5,
            "Tiny": [("permanent", 0.6, 12)],
        }
    )
    table = caseload_snapshot.team_summary(workers)
    combined = table.set_index("team").loc[COMBINED]
    assert (combined == privacy.SUPPRESSED).all()  # no FTE (0.6), cases (12), share or median of one worker
    assert table.set_index("team").at["All teams", "workers"] == 19  # 8 + 10 + 1
    assert disclosures(table, workers) == []


team_people = st.lists(
    st.tuples(st.sampled_from(["agency", "permanent"]), st.sampled_from([0.5, 0.8, 1.0]), st.integers(0, 30)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]), team_people, min_size=1, max_size=5))
def test_no_differencing_path_reveals_a_small_group(teams):
    workers = snapshot(teams)
    assert disclosures(caseload_snapshot.team_summary(workers), workers) == []


def test_a_snapshot_date_or_caseload_limit_that_makes_no_sense_is_refused(tmp_path):
    # `-p snapshot_date=30/09/2024` was read by guessing; `-p asye_limit=-1` counted every worker as over the limit.
    path = write(tmp_path, ["007,North,Social Worker,Permanent,false,1,20,13/09/2020,"])
    with pytest.raises(CscError, match=r"^snapshot_date '30/09/2024': expected a date as YYYY-MM-DD$"):
        caseload_snapshot.read_snapshot(path, as_at="30/09/2024")
    workers = caseload_snapshot.read_snapshot(path, as_at="2024-09-30").workers
    with pytest.raises(CscError, match=r"^asye_limit -1 must be at least 1 case$"):
        caseload_snapshot.over_threshold(workers, asye_limit=-1)
    with pytest.raises(CscError, match=r"^other_limit 0 must be at least 1 case$"):
        caseload_snapshot.team_summary(workers, other_limit=0)
