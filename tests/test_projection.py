"""The children-looked-after stock-and-flow projection and its costing."""

import numpy as np
import pandas as pd
import pytest

from csc_analysis import localdata, projection
from csc_analysis.errors import CscError


def _history(stock0=500.0, starts=(100,) * 6, ceased=(100,) * 6):
    """A published-looking history: stock follows stock + starts - ceased exactly."""
    years = np.arange(2020, 2020 + len(starts))
    stock = stock0 + np.cumsum(np.array(starts, float) - np.array(ceased, float))
    return pd.DataFrame(
        {
            "year": years,
            "stock": stock,
            "starts": np.array(starts, float),
            "ceased": np.array(ceased, float),
            "identity_gap": 0.0,
        }
    )


def test_oldham_history_and_identity_gap(published, registry):
    hist = projection.history(published, registry.resolve("Oldham")).set_index("year")
    # cla_number_and_rate_per_10k_children.csv: 540 (2023), 240 started and 195 ceased in 2024, 590 (2024).
    assert hist.loc[2024, ["stock", "starts", "ceased"]].tolist() == [590, 240, 195]
    assert hist.loc[2024, "identity_gap"] == 590 - (540 + 240 - 195)


def test_oldham_central_path_by_hand(published, registry):
    proj = projection.project(projection.history(published, registry.resolve("Oldham")), horizon=2)
    # Starts: mean of 2023-2025 (191, 240, 197). Exit rate: mean of ceased / stock a year earlier for
    # 2023-2025 (190/539, 195/540, 208/590). 582 at 31 March 2025.
    starts = (191 + 240 + 197) / 3
    rate = (190 / 539 + 195 / 540 + 208 / 590) / 3
    y2026 = 582 + starts - rate * 582
    assert proj.stock["mean"].tolist() == pytest.approx([y2026, y2026 + starts - rate * y2026])
    assert "Starts are projected at 209 a year (the mean of 2023-2025)." in proj.messages


def test_steady_state_and_scenarios_apply_each_year():
    hist = _history()  # 100 in and 100 out of 500 every year: exit rate 20%
    assert projection.project(hist, horizon=3).stock["mean"].tolist() == pytest.approx([500, 500, 500])
    fewer = projection.project(hist, horizon=3, starts_change_pct=-10).stock["mean"]
    assert fewer.tolist() == pytest.approx([490, 490 + 90 - 0.2 * 490, 482 + 90 - 0.2 * 482])
    more_leaving = projection.project(hist, horizon=2, ceased_change_pct=10).stock["mean"]
    assert more_leaving.tolist() == pytest.approx([490, 490 + 100 - 0.22 * 490])


def test_intervals_widen_stay_above_zero_and_repeat():
    rng = np.random.default_rng(1)
    hist = _history(stock0=40, starts=tuple(20 + rng.integers(-8, 8, 8)), ceased=tuple(20 + rng.integers(-8, 8, 8)))
    out = projection.project(hist, horizon=4).stock
    width = out["hi95"] - out["lo95"]
    assert (np.diff(width) > 0).all()
    assert (out["lo95"] >= 0).all() and (out["lo95"] <= out["lo80"]).all() and (out["hi80"] <= out["hi95"]).all()
    assert ((out["lo80"] <= out["mean"]) & (out["mean"] <= out["hi80"])).all()
    pd.testing.assert_frame_equal(out, projection.project(hist, horizon=4).stock)  # fixed seed


def test_nothing_to_project_from_is_an_error():
    hist = _history()
    hist["stock"] = np.nan
    assert not projection.usable(hist) and projection.usable(_history())
    with pytest.raises(CscError, match="fewer than two years with a published stock"):
        projection.project(hist)
    with pytest.raises(CscError, match="horizon 0 must be at least 1"):
        projection.project(_history(), horizon=0)


def test_cost_is_children_times_weekly_cost_times_weeks():
    stock = pd.DataFrame({"year": [2026], "mean": [100.0], "lo80": [80.0], "hi80": [120.0]})
    costs = pd.DataFrame({"placement_type": ["Foster", "Home"], "share_pct": ["75", "25"], "weekly_cost": [500, 5000]})
    out = projection.cost(stock, costs).set_index("placement_type")
    assert out.at["Foster", "children"] == 75
    assert out.at["Home", "cost"] == pytest.approx(25 * 5000 * 365.25 / 7)
    assert out.at["Home", "cost_low"] == pytest.approx(20 * 5000 * 365.25 / 7)


@pytest.mark.parametrize(
    "costs, match",
    [
        ({"placement_type": ["A", "B"], "share_pct": [50, 40], "weekly_cost": [1, 1]}, "adds up to 90, expected 100"),
        (
            {"placement_type": ["A"], "share_pct": [100], "weekly_cost": [-5]},
            "weekly_cost '-5' is not a number of 0 or more",
        ),
        ({"placement_type": ["A"], "share_pct": ["lots"], "weekly_cost": [1]}, "share_pct 'lots' is not a number"),
        (
            {"placement_type": ["A", "A"], "share_pct": [50, 50], "weekly_cost": [1, 1]},
            "placement type 'A' is listed twice",
        ),
        ({"placement_type": ["A"], "share_pct": [100]}, "missing column 'weekly_cost'"),
    ],
)
def test_bad_cost_tables_are_one_line_errors(costs, match):
    with pytest.raises(CscError, match=match):
        projection.check_costs(pd.DataFrame(costs))


def test_illustrative_costs_are_valid():
    costs = projection.check_costs(localdata.read_table(projection.ILLUSTRATIVE_COSTS))
    assert costs["share_pct"].sum() == 100 and len(costs) == 5
