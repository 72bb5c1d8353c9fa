"""SSDA903 reader: files found by their columns, years stitched (latest return wins), codes checked,
children counted as DfE counts them, and the counts reconciled. Every expected value is worked by
hand from the rows written below."""

import pandas as pd
import pytest

from csc_analysis import ssda903
from csc_analysis.errors import CscError

# Return 2022-23 (folder name gives 2023). D's SEX is "M", not valid before 2025, so D has no usable
# header and D's episode is left out; X's PLACE "ZZ" is not a code.
HEADER_2023 = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
A,1,15/06/2010,WBRI,,,
B,2,01/01/2015,WBRI,,,
C,1,10/10/2008,WBRI,,,
D,M,01/01/2012,WBRI,,,
H,2,01/01/2016,WBRI,,,
K,1,01/01/2011,WBRI,,,
"""
EPISODES_2023 = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
A,01/06/2022,S,C2,N1,U4,PR1,,,,,,
B,01/05/2022,S,C2,N1,K2,PR1,01/09/2022,E13,,,,
C,01/01/2020,S,C2,N1,U4,PR1,,,,,,
D,01/02/2023,S,C2,N1,U5,PR1,,,,,,
H,01/03/2023,S,C2,N1,U4,PR1,,,,,,
K,01/10/2022,S,C2,N1,U4,PR1,,,,,,
X,01/05/2022,S,C2,N1,ZZ,PR1,,,,,,
"""
# Return 2023-24: A's episode now ended; C's first placement corrected from U4 to K2 and a move to
# U4; H's episode closed late (20/03/2023, in the earlier year); F had a short break (V3, left out)
# then an H5 placement (valid: starts before April 2024); G's K3 is not valid before 2025. K is gone.
HEADER_2024 = """CHILD,SEX,DOB
A,1,15/06/2010
C,1,10/10/2008
F,2,01/03/2009
H,2,01/01/2016
"""
EPISODES_2024 = """CHILD,DECOM,RNE,LS,PLACE,DEC,REC
A,01/06/2022,S,C2,U4,15/05/2023,E13
C,01/01/2020,S,C2,K2,01/07/2023,X1
C,01/07/2023,P,C2,U4,,
F,01/04/2023,S,V3,U4,10/04/2023,E13
F,05/02/2024,S,C2,H5,,
G,01/01/2024,S,C2,K3,,
H,01/03/2023,S,C2,U4,20/03/2023,E13
"""


@pytest.fixture
def returns_dir(tmp_path):
    first, second = tmp_path / "return_2022-23", tmp_path / "2024"
    first.mkdir()
    second.mkdir()
    (first / "header.csv").write_text(HEADER_2023)
    (first / "episodes.csv").write_text(EPISODES_2023)
    (second / "children.csv").write_text(HEADER_2024)  # any file name: recognised by its columns
    (second / "eps.csv").write_text(EPISODES_2024)
    (second / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nA,15/06/2010,01/01/2024,PN1\n")
    return tmp_path


def test_years_come_from_folder_names(returns_dir):
    assert ssda903.read(returns_dir).years == [2023, 2024]


def test_latest_return_wins_by_child_and_start_date(returns_dir):
    eps = ssda903.read(returns_dir).episodes.set_index(["CHILD", "DECOM"])
    # C's episode from 01/01/2020: U4 in 2023, K2 in 2024 -> K2 (residential), ended 01/07/2023 with X1.
    c = eps.loc[("C", pd.Timestamp("2020-01-01"))]
    assert (c["PLACE"], c["category"], c["DEC"], c["REC"]) == ("K2", "residential", pd.Timestamp("2023-07-01"), "X1")
    # A's episode: open in 2023, ended 15/05/2023 (E13) in 2024.
    assert eps.loc[("A", pd.Timestamp("2022-06-01")), "DEC"] == pd.Timestamp("2023-05-15")
    # Episodes: A, B, C (2), F (2), H, K = 8; D has no usable header, X and G are unusable rows.
    assert len(eps) == 8 and "D" not in eps.index.get_level_values(0)


def test_episode_missing_from_next_return_ends_on_1_april(returns_dir):
    ret = ssda903.read(returns_dir)
    k = ret.episodes.set_index("CHILD").loc["K"]
    assert k["DEC"] == pd.Timestamp("2023-04-01") and k["REC"] == ""
    assert any(
        "1 episode(s) open at the end of one return are missing from the next" in n
        for n in ssda903.read(returns_dir, threshold=1).notes
    )
    # With the default threshold the counts (1 each) are hidden in the notes too.
    assert any("fewer than 5 episode(s) open at the end of one return" in n for n in ret.notes)
    assert any("fewer than 5 episode row(s) belong to a child with no usable header" in n for n in ret.notes)


def test_unusable_rows_counted_by_reason(returns_dir):
    problems = ssda903.read(returns_dir).problems(threshold=1)
    got = {(r.column, r.problem): r.rows for r in problems.itertuples()}
    assert got == {
        ("SEX", "not 1/2 (the codes for 2023 returns)"): 1,
        ("PLACE", "not a known code"): 1,
        ("PLACE", "code not valid for the episode's start date"): 1,
    }
    # With the default threshold the counts of 1 are suppressed, never shown.
    assert set(ssda903.read(returns_dir).problems()["rows"]) == {"c"}


def test_counts_each_child_once_and_leave_out_short_breaks(returns_dir):
    counts = ssda903.year_counts(ssda903.read(returns_dir).episodes, [2023, 2024]).set_index("year")
    # 2023: at 31/03/2023 A, C and K (H closed 20/03/2023); started A, B, H, K; ceased B, H.
    assert counts.loc[2023].tolist() == [3, 4, 2]
    # 2024: at 31/03/2024 C (U4 from 01/07/2023) and F (H5); started F (its V3 short break does not
    # count); ceased A (15/05/2023). K's episode ended 01/04/2023 with no reason: not ceased.
    assert counts.loc[2024].tolist() == [2, 1, 1]


def test_reconciliation_explains_revisions_and_remainder(returns_dir):
    published = pd.DataFrame(
        {
            "la_code": "999",
            "year": [2023, 2023, 2023, 2024, 2024, 2024],
            "indicator": ["cla_at31", "cla_starts", "cla_ceased"] * 2,
            "value": [10, 10, 10, 2, 1, 1],
        }
    )
    table = ssda903.reconcile(ssda903.read(returns_dir), published, "999", threshold=1).set_index(["year", "measure"])
    # The 2023 return alone: at 31 March A, C, H, K = 4; ceased B = 1. Stitched: 3 and 2 (H closed late).
    assert table.loc[(2023, "stock"), ["as_returned", "stitched", "revised"]].tolist() == [4, 3, -1]
    assert table.loc[(2023, "ceased"), ["as_returned", "stitched", "revised"]].tolist() == [1, 2, 1]
    assert "later returns changed it by -1" in table.loc[(2023, "stock"), "explanation"]
    assert "differs from the published figure by -6" in table.loc[(2023, "stock"), "explanation"]
    assert table.loc[(2024, "stock"), "explanation"] == "matches"
    hidden = ssda903.reconcile(ssda903.read(returns_dir), published, "999").set_index(["year", "measure"])
    assert hidden.loc[(2023, "stock"), "revised"] == "c" and hidden.loc[(2023, "stock"), "stitched"] == "c"
    assert "later returns changed it by fewer than 5 (down)" in hidden.loc[(2023, "stock"), "explanation"]


def test_sex_codes_change_in_2025(tmp_path):
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "h.csv").write_text("CHILD,SEX,DOB\nA,1,01/01/2010\nB,F,01/01/2011\n")
    (tmp_path / "2025" / "e.csv").write_text(
        "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nB,01/05/2024,S,C2,H5,,\nB,01/06/2023,S,C2,K3,01/07/2023,E13\n"
    )
    ret = ssda903.read(tmp_path)
    got = {(r.column, r.problem): r.rows for r in ret.problems(threshold=1).itertuples()}
    # A's "1" is not M/F/U in 2025; H5 was removed for episodes from 1 April 2024; K3 starts then.
    assert got == {
        ("SEX", "not F/M/U (the codes for 2025 returns)"): 1,
        ("PLACE", "code not valid for the episode's start date"): 2,
    }


def test_xml_return(tmp_path):
    (tmp_path / "ssda903_2024.xml").write_text(
        "<Message><Children><Child><ChildIdentifiers><CHILD>A</CHILD><SEX>1</SEX><DOB>2010-06-15</DOB>"
        "</ChildIdentifiers><Episodes><Episode><DECOM>2023-06-01</DECOM><RNE>S</RNE><LS>C2</LS><PLACE>U4</PLACE>"
        "<DEC></DEC><REC></REC></Episode></Episodes></Child></Children></Message>"
    )
    ret = ssda903.read(tmp_path)
    assert ret.years == [2024]
    assert ssda903.year_counts(ret.episodes, [2024]).iloc[0].tolist() == [2024, 1, 1, 0]


def test_folder_without_episodes_is_a_clear_error(tmp_path):
    (tmp_path / "h.csv").write_text("CHILD,SEX,DOB\nA,1,01/01/2010\n")
    with pytest.raises(CscError, match="no SSDA903 Episodes table"):
        ssda903.read(tmp_path)
