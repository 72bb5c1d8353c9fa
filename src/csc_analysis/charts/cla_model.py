"""Charts for the SSDA903 placement projection (notebook 07). Every input is already suppressed:
a hidden count ("c") is drawn as a gap and kept as "c" in the data table."""

import altair as alt
import pandas as pd

from ..ssda903 import CATEGORIES, CATEGORY_LABELS
from . import INDEPENDENT_Y, PALETTE, Figure, base_config
from .placements import CATEGORY_COLOURS

LABELS = [CATEGORY_LABELS[c] for c in CATEGORIES]
COLOUR = alt.Scale(domain=LABELS, range=CATEGORY_COLOURS[: len(LABELS)])
KIND_COLOUR = alt.Scale(domain=["Recorded", "Baseline"], range=[PALETTE["la"], PALETTE["sn"]])  # the legend: only these


NUMERIC = ["children", "lo80", "hi80", "lo95", "hi95", "cost", "cost_low", "cost_high"]


def _numbers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Chart data: `columns` and every other count or cost column as numbers (a hidden "c" becomes a gap)."""
    out = frame.copy()
    for col in dict.fromkeys(columns + [c for c in NUMERIC if c in out]):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[(table["age_band"] == "all") & (table["placement_category"] != "all")]
    return rows.assign(category=rows["placement_category"].map(CATEGORY_LABELS))


def mix_chart(table: pd.DataFrame, la_name: str, prefix: str = "") -> Figure:
    """Children looked after at the latest 31 March in the returns, by placement category."""
    actual = table[table["kind"] == "actual"]
    date = actual["date"].max()
    rows = _labelled(actual[actual["date"] == date])
    nums = _numbers(rows, ["children"])
    total = pd.to_numeric(
        actual[(actual["date"] == date) & (actual["placement_category"] == "all") & (actual["age_band"] == "all")][
            "children"
        ],
        errors="coerce",
    ).iloc[0]
    top = nums.loc[nums["children"].idxmax()]
    title = (
        f"{prefix}{la_name}: {top['children'] / total:.0%} of the {total:,.0f} children looked after on "
        f"{pd.Timestamp(date):%d %B %Y} were in {top['category'].lower()}"
    )
    chart = (
        alt.Chart(nums)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=LABELS, title=None),
            x=alt.X("children:Q", title="Children looked after"),
            color=alt.Color("category:N", scale=COLOUR, legend=None),
            tooltip=[alt.Tooltip("category:N"), alt.Tooltip("children:Q", format=",.0f")],
        )
    )
    chart = base_config(chart.properties(width=460, height=200, description=title, title=title))
    text = f"Bar chart of children looked after by placement category. {title}. Counts under 5 are hidden."
    return Figure(chart, text, rows[["date", "category", "children"]])


def flows_chart(flows: pd.DataFrame, la_name: str, prefix: str = "") -> Figure:
    """Children entering and leaving care each year to 31 March, by placement category (entry: first
    placement; exit: last placement). `flows`: year, category, flow, children (suppressed)."""
    nums = _numbers(flows, ["children"]).assign(category=flows["category"].map(CATEGORY_LABELS))
    latest = nums[nums["year"] == nums["year"].max()]
    entries = latest.loc[latest["flow"] == "entries", "children"].sum()
    exits = latest.loc[latest["flow"] == "exits", "children"].sum()
    year = int(nums["year"].max())
    title = (
        f"{prefix}{la_name}: at least {entries:,.0f} children entered care and {exits:,.0f} left in the year to "
        f"31 March {year}, seen at month ends"
    )
    chart = (
        alt.Chart(nums)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year to 31 March", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("flow:N", sort=["entries", "exits"]),
            y=alt.Y("children:Q", title="Children", stack=None),
            color=alt.Color(
                "flow:N", title=None, scale=alt.Scale(domain=["entries", "exits"], range=[PALETTE["sn"], PALETTE["la"]])
            ),
            facet=alt.Facet("category:N", sort=LABELS, columns=3, title=None),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("category:N"),
                alt.Tooltip("flow:N"),
                alt.Tooltip("children:Q", format=",.0f"),
            ],
        )
    )
    chart = base_config(
        chart.properties(
            width=190,
            height=150,
            description=title,
            title=alt.TitleParams(
                title, subtitle="Entries by first placement, exits (including at 18) by last; counts under 5 hidden"
            ),
            resolve=INDEPENDENT_Y,
        )
    )
    text = (
        f"Bar charts, one per placement category, of children entering (blue) and leaving (vermillion) care each "
        f"year. {title}. Children who came and went within one month are not counted."
    )
    return Figure(chart, text, flows)


def fan_chart(table: pd.DataFrame, la_name: str, prefix: str = "") -> Figure:
    """Recorded children by placement category at each 31 March, then the baseline projection with 80% and
    95% intervals, one panel per category."""
    rows = _numbers(
        _labelled(table[table["kind"].isin(["actual", "baseline"])]), ["children", "lo80", "hi80", "lo95", "hi95"]
    )
    rows = rows.assign(
        series=rows["kind"].map({"actual": "Recorded", "baseline": "Baseline"}), date=pd.to_datetime(rows["date"])
    )
    last = rows[rows["date"] == rows["date"].max()]
    origin = rows[(rows["kind"] == "actual")]
    origin = origin[origin["date"] == origin["date"].max()]
    change = last.set_index("category")["children"] - origin.set_index("category")["children"]
    grow = change.idxmax()
    title = (
        f"{prefix}{la_name}: {grow.lower()} is projected to change most, by {change[grow]:+,.0f} children by "
        f"{rows['date'].max():%B %Y}"
    )
    base = alt.Chart().encode(x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")))
    layers = alt.layer(
        base.mark_area(opacity=0.18, color=PALETTE["sn"]).encode(y=alt.Y("lo95:Q"), y2=alt.Y2("hi95:Q")),
        base.mark_area(opacity=0.3, color=PALETTE["sn"]).encode(y=alt.Y("lo80:Q"), y2=alt.Y2("hi80:Q")),
        base.mark_line(point=True).encode(
            y=alt.Y("children:Q", title="Children looked after"),
            color=alt.Color("series:N", scale=KIND_COLOUR, title=None),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=["Recorded", "Baseline"], range=[[1, 0], [6, 3]]), title=None
            ),
            tooltip=[
                alt.Tooltip("category:N"),
                alt.Tooltip("series:N"),
                alt.Tooltip("date:T", format="%d %b %Y"),
                alt.Tooltip("children:Q", format=",.0f"),
                alt.Tooltip("lo80:Q", format=",.0f"),
                alt.Tooltip("hi80:Q", format=",.0f"),
            ],
        ),
        data=rows,
        width=190,
        height=150,
    )
    chart = base_config(
        layers.facet(
            facet=alt.Facet("category:N", sort=LABELS, title=None),
            columns=3,
            resolve=INDEPENDENT_Y,
            description=title,
            title=alt.TitleParams(
                title, subtitle="Dashed: projection; darker band 80%, lighter band 95% interval; counts under 5 hidden"
            ),
        )
    )
    text = (
        f"Line charts, one per placement category, of children looked after at 31 March, recorded and projected "
        f"with 80% and 95% intervals. {title}."
    )
    return Figure(chart, text, table[(table["age_band"] == "all") & table["kind"].isin(["actual", "baseline"])])


def scenario_chart(table: pd.DataFrame, la_name: str, scenario_text: str, prefix: str = "") -> Figure:
    """Baseline and scenario side by side at the last projected 31 March, by category, with 80% intervals."""
    date = table["date"].max()
    rows = _numbers(
        _labelled(table[(table["date"] == date) & table["kind"].isin(["baseline", "scenario"])]),
        ["children", "lo80", "hi80"],
    )
    rows = rows.assign(series=rows["kind"].str.capitalize())
    totals = _numbers(
        table[
            (table["date"] == date) & (table["placement_category"] == "all") & (table["age_band"] == "all")
        ].set_index("kind"),
        ["children"],
    )["children"]
    diff = totals.get("scenario") - totals.get("baseline")
    title = (
        f"{prefix}{la_name}: the scenario gives {abs(diff):,.0f} {'fewer' if diff < 0 else 'more'} children "
        f"looked after by {pd.Timestamp(date):%B %Y} than the baseline"
    )
    y = alt.Y("category:N", sort=LABELS, title=None)
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            y=y,
            yOffset=alt.YOffset("series:N", sort=["Baseline", "Scenario"]),
            x=alt.X("children:Q", title="Children"),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=["Baseline", "Scenario"], range=[PALETTE["sn"], "#E69F00"]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("category:N"),
                alt.Tooltip("series:N"),
                alt.Tooltip("children:Q", format=",.0f"),
                alt.Tooltip("lo80:Q", format=",.0f"),
                alt.Tooltip("hi80:Q", format=",.0f"),
            ],
        )
    )
    rules = (
        alt.Chart(rows)
        .mark_rule(color="#000000")
        .encode(
            y=y, yOffset=alt.YOffset("series:N", sort=["Baseline", "Scenario"]), x=alt.X("lo80:Q"), x2=alt.X2("hi80:Q")
        )
    )
    chart = base_config(
        alt.layer(
            bars,
            rules,
            width=460,
            height=320,
            description=title,
            title=alt.TitleParams(title, subtitle=[f"Scenario: {scenario_text}", "Black lines: 80% intervals"]),
        )
    )
    text = f"Bar chart of projected children by placement category, baseline beside scenario. {title}."
    return Figure(
        chart,
        text,
        table[(table["date"] == date) & table["kind"].isin(["baseline", "scenario"]) & (table["age_band"] == "all")],
    )


def cost_chart(table: pd.DataFrame, la_name: str, prefix: str = "") -> Figure:
    """Yearly cost of the children looked after at each projected 31 March, baseline and scenario, by category."""
    proj = table[table["kind"].isin(["baseline", "scenario"])]
    rows = _numbers(_labelled(proj), ["cost"]).assign(cost_m=lambda f: f["cost"] / 1e6)
    totals = _numbers(
        proj[(proj["placement_category"] == "all") & (proj["age_band"] == "all")], ["cost", "cost_low", "cost_high"]
    )
    totals = totals.assign(lo=totals["cost_low"] / 1e6, hi=totals["cost_high"] / 1e6)
    first = totals[totals["kind"] == "baseline"].iloc[0]
    title = (
        f"{prefix}{la_name}: children looked after on {pd.Timestamp(first['date']):%d %B %Y} would cost about "
        f"£{first['cost'] / 1e6:,.1f}m a year (80% interval £{first['lo']:,.1f}m to £{first['hi']:,.1f}m)"
    )
    x = alt.X("date:O", title="31 March", axis=alt.Axis(labelAngle=0))
    off = alt.XOffset("kind:N", sort=["baseline", "scenario"])
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=x,
            xOffset=off,
            y=alt.Y("cost_m:Q", title="£ million a year"),
            color=alt.Color("category:N", sort=LABELS, scale=COLOUR, title=None, legend=alt.Legend(columns=3)),
            opacity=alt.Opacity(
                "kind:N", scale=alt.Scale(domain=["baseline", "scenario"], range=[1, 0.55]), title=None
            ),
            tooltip=[
                alt.Tooltip("date:O"),
                alt.Tooltip("kind:N"),
                alt.Tooltip("category:N"),
                alt.Tooltip("cost_m:Q", format=",.2f", title="£m"),
            ],
        )
    )
    rules = (
        alt.Chart(totals)
        .mark_rule(color="#000000", strokeWidth=2)
        .encode(x=x, xOffset=off, y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"))
    )
    chart = base_config(
        alt.layer(
            bars,
            rules,
            width=480,
            height=280,
            description=title,
            title=alt.TitleParams(
                title, subtitle="Left bar baseline, right (paler) bar scenario; black line: 80% interval of the total"
            ),
        )
    )
    text = (
        f"Stacked bar chart of the yearly cost of the projected children looked after by placement category, "
        f"baseline beside scenario. {title}."
    )
    return Figure(
        chart,
        text,
        proj[proj["age_band"] == "all"][
            ["date", "kind", "placement_category", "children", "cost", "cost_low", "cost_high"]
        ],
    )
