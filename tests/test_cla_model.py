"""The monthly model: transition, exit, entry and ageing counts from hand-made episodes, and the
simulation's ageing out, scenarios, intervals, costs and suppression."""

import numpy as np
import pandas as pd
import pytest

from csc_analysis import cla_model as cm
from csc_analysis.errors import CscError
from csc_analysis.ssda903 import CATEGORIES, PLACE_CATEGORY

FOST, RES = CATEGORIES.index("fostering"), CATEGORIES.index("residential")
K = len(CATEGORIES)


def episodes(rows):
    frame = pd.DataFrame(rows, columns=["CHILD", "DOB", "DECOM", "DEC", "RNE", "LS", "PLACE", "REC"])
    for col in ("DOB", "DECOM", "DEC"):
        frame[col] = pd.to_datetime(frame[col])
    return frame.assign(category=frame["PLACE"].map(PLACE_CATEGORY))


# Month ends 31/01/2024, 29/02/2024, 31/03/2024: two monthly steps.
EPISODES = episodes(
    [
        ("P", "2012-05-01", "2023-01-01", None, "S", "C2", "U4", ""),  # 11, fostering throughout
        ("Q", "2009-06-01", "2023-01-01", "2024-02-15", "S", "C2", "K2", "X1"),  # 14, residential -> fostering
        ("Q", "2009-06-01", "2024-02-15", None, "P", "C2", "U4", ""),
        ("R", "2020-03-01", "2023-05-01", "2024-03-10", "S", "C2", "U4", "E13"),  # 3, goes home in March
        ("S", "2006-02-20", "2022-01-01", "2024-02-20", "S", "C2", "U4", "E17"),  # 18 on 20/02/2024
        ("T", "2016-07-01", "2024-03-05", None, "S", "C2", "K2", ""),  # 7, enters in March
        ("U", "2015-01-01", "2024-01-10", None, "S", "V3", "U4", ""),  # short breaks: left out
        ("W", "2014-01-01", "2024-02-03", "2024-02-20", "S", "C2", "U4", "E13"),  # in and out within February
        ("V", "2006-08-15", "2023-01-01", None, "S", "C2", "U4", ""),  # 17, 18 on 15/08/2024
    ]
)


@pytest.fixture(scope="module")
def observed():
    return cm.observe(EPISODES, pd.Timestamp("2024-01-31"), pd.Timestamp("2024-03-31"))


def test_transition_counts(observed):
    t = observed.transitions
    assert observed.months == 2
    # P (10-12, band 3): fostering -> fostering twice.
    assert t[3, FOST, FOST] == 2
    # Q (13-15, band 4): residential -> fostering (move on 15/02), then fostering -> fostering.
    assert t[4, RES, FOST] == 1 and t[4, FOST, FOST] == 1
    # R (1-4, band 1): stays in January, goes home (E13) in March.
    assert t[1, FOST, FOST] == 1 and t[1, FOST, K + cm.EXITS.index("home")] == 1
    # V (17, band 6) stays twice. S turns 18 in February: ageing, not an exit rate. U, W never count.
    assert t[6, FOST, FOST] == 2
    assert t.sum() == 2 + 2 + 2 + 2
    assert observed.aged_out == 1


def test_entries_and_origin(observed):
    # T enters residential in March aged 7; nobody else is new at a month end (W left within February).
    assert observed.entries.sum() == 1 and observed.entries[7, RES] == 1
    o = observed.origin
    # At 31/03/2024: P (11 -> row 3) and Q (14 -> row 4) fostering, T (7 -> row 2) residential, V aged 17
    # with 5 months to 15/08/2024 (row 6 + 5 - 1 = 10).
    assert o[3, FOST] == 1 and o[4, FOST] == 1 and o[2, RES] == 1 and o[10, FOST] == 1 and o.sum() == 4


def test_monthly_flows(observed):
    m = observed.monthly.set_index(["date", "category"])
    assert m.loc[(pd.Timestamp("2024-02-29"), "fostering"), "exits"] == 1  # S, at 18
    assert m.loc[(pd.Timestamp("2024-03-31"), "fostering"), "exits"] == 1  # R
    assert m.loc[(pd.Timestamp("2024-03-31"), "residential"), "entries"] == 1  # T
    assert m.loc[(pd.Timestamp("2024-01-31"), "fostering"), "stock"] == 4  # P, R, S, V (Q residential)


def model(origin_rows: dict, stay: float = 1e6, exit_home: float = 0.0, months: int = 10**6) -> cm.Observed:
    """An Observed with given origin and rates: every state stays (or goes home) with these counts."""
    trans = np.zeros((len(cm.BANDS), K, len(cm.OUTCOMES)))
    for c in range(K):
        trans[:, c, c] = stay
        trans[:, c, K + cm.EXITS.index("home")] = exit_home
    origin = np.zeros((len(cm.ROW_BAND), K), int)
    for (row, cat), n in origin_rows.items():
        origin[row, cat] = n
    return cm.Observed(
        pd.Timestamp("2022-03-31"),
        pd.Timestamp("2025-03-31"),
        months,
        trans,
        np.zeros((18, K), int),
        origin,
        0,
        pd.DataFrame(),
    )


def test_seventeen_year_olds_leave_in_their_birthday_month():
    # Ten children with three months to their 18th birthday (row 8), no exits or entries to speak of.
    res = cm.simulate(model({(8, FOST): 10}), horizon=1, sims=200)
    assert (res.exits[:, :2, -1] == 0).all() and (res.exits[:, 2, -1] == 10).all()
    assert (res.stock[:, 0].sum(axis=(1, 2)) == 0).all()


def test_transfer_scenario_moves_five_a_month():
    scenario = cm.check_scenario(
        pd.DataFrame(
            {
                "change": ["transfer"],
                "placement_category": ["residential"],
                "to_category": ["fostering"],
                "number": ["5"],
            }
        )
    )
    res = cm.simulate(model({(3, RES): 20}), horizon=1, scenario=scenario, sims=100)
    assert (res.monthly[:, 0, RES] == 15).all() and (res.monthly[:, 3, RES] == 0).all()
    assert (res.monthly[:, 3, FOST] == 20).all()


def test_exit_rate_and_its_uncertainty():
    # 10% of children go home each month: 1,000 children -> 1000 x 0.9^12 = 282.4 after a year.
    precise = cm.simulate(model({(0, FOST): 1000}, stay=9000, exit_home=1000), horizon=1, sims=400)
    vague = cm.simulate(model({(0, FOST): 1000}, stay=9, exit_home=1), horizon=1, sims=400)
    mean = precise.stock[:, 0].sum(axis=(1, 2)).mean()
    assert abs(mean - 282.4) / 282.4 < 0.03

    def width(r):
        total = r.stock[:, 0].sum(axis=(1, 2))
        return np.percentile(total, 90) - np.percentile(total, 10)

    # The same rate estimated from ten child-months is far less certain: a much wider interval.
    assert width(vague) > 3 * width(precise)


def test_entries_scenario_for_an_age_band():
    obs = model({})
    obs.entries = np.zeros((18, K), int)
    obs.entries[14, FOST] = 300  # 300 entries aged 14 over 30 months: 10 a month
    obs.entries[5, FOST] = 300
    obs.months = 30
    scenario = cm.check_scenario(pd.DataFrame({"change": ["entries"], "age_band": ["13-15"], "pct": ["-100"]}))
    base = cm.simulate(obs, 1, sims=200)
    less = cm.simulate(obs, 1, scenario=scenario, sims=200)
    assert abs(base.entries.sum(axis=(1, 2)).mean() - 240) < 10  # 20 a month for 12 months
    assert abs(less.entries.sum(axis=(1, 2)).mean() - 120) < 8  # only the 5-year-olds remain


@pytest.mark.parametrize(
    "row, message",
    [
        ({"change": "more"}, "change 'more' is not one of"),
        ({"change": "entries", "age_band": "13-16", "pct": "-10"}, "age_band '13-16'"),
        ({"change": "entries", "pct": "-10", "number": "3"}, "either pct or number"),
        ({"change": "transfer", "placement_category": "residential", "number": "5"}, "a transfer needs"),
        ({"change": "exits", "pct": "ten"}, "pct 'ten' is not a number"),
    ],
)
def test_bad_scenario_rows(row, message):
    with pytest.raises(CscError, match=message):
        cm.check_scenario(pd.DataFrame([row]), "s.csv")


def test_costs_need_every_category():
    with pytest.raises(CscError, match="no weekly_cost for residential"):
        cm.check_costs(
            pd.DataFrame({"placement_category": [c for c in CATEGORIES if c != "residential"], "weekly_cost": 100})
        )
    weekly = cm.check_costs(pd.DataFrame({"placement_category": CATEGORIES[::-1], "weekly_cost": range(6)}))
    assert weekly[CATEGORIES.index("other")] == 0 and weekly[FOST] == 5


def test_actual_rows_cost_and_suppression():
    # One year: 30 fostering aged 5-9, 3 residential aged 5-9 (band row 2).
    stock = np.zeros((1, len(cm.BANDS), K), int)
    stock[0, 2, FOST], stock[0, 2, RES] = 30, 3
    weekly = np.full(K, 100.0)
    rows = cm.actual_rows(stock, [2024], weekly)
    total = rows[(rows.placement_category == "all") & (rows.age_band == "all")].iloc[0]
    assert total["children"] == 33 and total["cost"] == pytest.approx(33 * 100 * 365.25 / 7)
    table = cm.suppress_table(rows).set_index(["age_band", "placement_category"])
    # The 3 is hidden, and so is the 30 beside it in the same band (else 33 - 30 gives it away).
    assert table.loc[("5-9", "residential"), "children"] == "c" and table.loc[("5-9", "fostering"), "children"] == "c"
    assert table.loc[("5-9", "residential"), "cost"] == "c"
    assert table.loc[("all", "all"), "children"] == 33


def test_year_to_year_variation_beyond_chance():
    obs = model({})
    # Entries 100 and 140 in two years: mean 120, variance (ddof 1) 800; beyond Poisson 800 - 120 = 680,
    # over 120^2 = 14,400 -> 0.0472. Exits 100 of 1,000 child-months both years: no variation.
    obs.yearly = pd.DataFrame({"entries": [100, 140], "child_months": [1000, 1000], "exits": [100, 100]})
    phi_e, phi_x = cm.dispersion(obs)
    assert phi_e == pytest.approx(680 / 14400) and phi_x == 0
    obs.yearly = obs.yearly.iloc[:1]
    assert cm.dispersion(obs) == (0.0, 0.0)


def test_rates_table_hides_small_states(observed):
    assert cm.rates_table(observed).empty  # no state has 5 child-months
    row = (
        cm.rates_table(observed, threshold=1)
        .set_index(["age_band", "placement_category"])
        .loc[("13-15", "residential")]
    )
    assert row["child_months"] == 1 and row["move_pct"] == 100 and row["stay_pct"] == 0


def test_scaled_exit_probabilities_stay_probabilities():
    # Raising exit rates (a scenario or a bad year) caps exits at what staying leaves room for; float
    # rounding once left a probability of 1 + 2e-16, which numpy's multinomial refuses.
    rng = np.random.default_rng(5)
    g = rng.gamma(np.full(len(cm.OUTCOMES), 0.003), size=(2000, 1, K, len(cm.OUTCOMES)))  # nearly certain outcomes
    p = g / np.maximum(g.sum(-1, keepdims=True), 1e-300)
    p = p[np.isclose(p.sum(-1), 1).all(axis=(1, 2))]
    out = cm.scale_exits(p, np.full(len(p), 1.36))
    assert out.min() >= 0 and out.max() <= 1
    assert np.allclose(out.sum(-1), 1)
    rng.multinomial(np.ones(out.shape[:-1], int), out)  # accepted


def test_backtest_verdict_in_words():
    rows = []
    for step, (m_mae, n_mae, c80, c95) in {1: (10.0, 12.0, 81.0, 95.0), 2: (20.0, 15.0, 70.0, 85.0)}.items():
        rows += [
            {
                "step": step,
                "category": "all",
                "method": "markov",
                "cases": 9,
                "mae": m_mae,
                "cover80": c80,
                "cover95": c95,
                "best": m_mae < n_mae,
            },
            {"step": step, "category": "all", "method": "no_change", "cases": 9, "mae": n_mae, "best": n_mae < m_mae},
            {"step": step, "category": "fostering", "method": "markov", "cases": 9, "mae": 1.0, "best": True},
        ]
    text = cm.backtest_verdict(pd.DataFrame(rows))
    assert (
        "**1 year ahead**, this model came closest for the total (mean error in children: this model 10.0, "
        "assuming no change 12.0)" in text
    )
    assert "closest in 1 of 1 placement categories (fostering)" in text
    assert "**2 years ahead**, assuming no change came closest" in text and "95% intervals 85%" in text
    assert "too narrow" in text and "no better than" not in text
