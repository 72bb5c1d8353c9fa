"""Charts for demand trends (notebook 01)."""

import altair as alt
import pandas as pd

from ..catalogue import format_value, get
from ..words.common import signed_pct
from . import INDEPENDENT_Y, PALETTE, Figure, base_config, panel_header, wrap_label

COMPARATORS = ["la", "sn", "region", "england"]


def index_chart(change: pd.DataFrame, la_name: str, indicators: list[str], baseline_year: int) -> Figure:
    """Indexed growth since the baseline year (= 100): LA, neighbours' median, region, England."""
    names = {"la": la_name, "sn": "Neighbour median", "region": "Region", "england": "England"}
    rows = change[change["indicator"].isin(indicators) & (change["year"] >= baseline_year)]
    long = rows.melt(
        id_vars=["indicator", "year"],
        value_vars=[f"{c}_index" for c in COMPARATORS],
        var_name="series",
        value_name="index",
    ).dropna(subset=["index"])
    long = long.iloc[::-1]  # the LA's rows last: its line is drawn on top
    long["series"] = long["series"].str.replace("_index", "").map(names)
    long["panel"] = long["indicator"].map(lambda i: get(i).label)
    long["panel_title"] = long["panel"].map(wrap_label)
    domain = list(names.values())
    colour = alt.Scale(domain=domain, range=[PALETTE["la"], PALETTE["sn"], PALETTE["region"], PALETTE["england"]])
    dash = alt.Scale(domain=domain, range=[[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]])
    width = alt.Scale(domain=domain, range=[3.5, 2, 2, 2])
    x = alt.X("year:O", title=None)
    lines = (
        alt.Chart()
        .mark_line(point=False)
        .encode(
            x=x,
            y=alt.Y("index:Q", title=f"Index ({baseline_year} = 100)", scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", scale=colour, title=None),
            strokeDash=alt.StrokeDash("series:N", scale=dash, title=None),
            strokeWidth=alt.StrokeWidth("series:N", scale=width, title=None),  # legend=None would drop the legend
            tooltip=[
                alt.Tooltip("panel:N"),
                alt.Tooltip("year:O"),
                alt.Tooltip("series:N"),
                alt.Tooltip("index:Q", format=".1f"),
            ],
        )
    )
    points = (
        alt.Chart()
        .transform_filter(alt.datum.series == la_name)
        .mark_point(filled=True, size=45, color=PALETTE["la"])
        .encode(x=x, y=alt.Y("index:Q"))
    )
    rule = alt.Chart().mark_rule(color="#999999").encode(y=alt.datum(100))
    last = rows.sort_values("year").groupby("indicator").tail(1)
    up = last[last["la_pct"] > last["sn_pct"]]
    comparable = last[last["la_pct"].notna() & last["sn_pct"].notna()]
    if len(comparable):
        title = (
            f"Since {baseline_year}, {la_name} has risen more or fallen less than its neighbours' median on "
            f"{len(up)} of {len(comparable)} measures"
        )
    else:
        title = f"{la_name} has no {baseline_year} baseline to index against"
    chart = base_config(
        alt.layer(lines, points, rule, data=long, width=190, height=130).facet(
            facet=alt.Facet("panel_title:N", title=None, header=panel_header()),
            columns=3,
            resolve=INDEPENDENT_Y,
            title=alt.TitleParams(
                title,
                subtitle=f"Each line is indexed to its own {baseline_year} value (= 100); {la_name} solid with points",
            ),
            description=title,
        )
    )
    drawn = long["indicator"].nunique()
    text = (
        f"Indexed growth since {baseline_year} for {drawn} rate{'' if drawn == 1 else 's'}, comparing {la_name} "
        f"with its neighbours' median, its region and England. {title}."
        if drawn
        else f"Nothing is drawn: none of the {len(indicators)} rates has a {baseline_year} figure to index against."
    )
    table = rows[["indicator", "year"] + [f"{c}_pct" for c in COMPARATORS]].rename(
        columns={
            "la_pct": f"{la_name} % change",
            "sn_pct": "neighbour median % change",
            "region_pct": "region % change",
            "england_pct": "England % change",
        }
    )
    return Figure(chart, text, table)


def front_door_chart(door: pd.DataFrame, la_name: str, year: int) -> Figure:
    """Conversion at each front-door step: the LA against its neighbours' median and England."""
    rows = door[door["conversion"] != ""].melt(
        id_vars=["conversion"], value_vars=["la", "sn_median", "england"], var_name="who", value_name="per_100"
    )
    rows["who"] = rows["who"].map({"la": la_name, "sn_median": "Neighbour median", "england": "England"})
    rows = rows.iloc[::-1]  # the LA's rows last: its marks are drawn on top
    domain = [la_name, "Neighbour median", "England"]
    enc = {
        "y": alt.Y("conversion:N", title=None, sort=list(door["conversion"][1:])),
        "x": alt.X("per_100:Q", title="Per 100 at the previous step"),
        "color": alt.Color(
            "who:N",
            scale=alt.Scale(domain=domain, range=[PALETTE["la"], PALETTE["sn"], PALETTE["england"]]),
            title=None,
        ),
        "shape": alt.Shape("who:N", scale=alt.Scale(domain=domain, range=["diamond", "circle", "square"]), title=None),
        "size": alt.Size("who:N", scale=alt.Scale(domain=domain, range=[220, 90, 90]), title=None),  # one merged legend
        "tooltip": ["conversion:N", "who:N", alt.Tooltip("per_100:Q", format=".1f")],
    }
    points = alt.Chart(rows.dropna()).mark_point(filled=True, opacity=0.9).encode(**enc)
    s47 = door.set_index("step").loc["s47"]
    if pd.notna(s47["la"]) and pd.notna(s47["sn_median"]):
        title = (
            f"{la_name} started {s47['la']:.0f} section 47 enquiries per 100 referrals in {year}, "
            f"against {s47['sn_median']:.0f} for its neighbours"
        )
    else:
        title = f"{la_name}'s front-door conversion in {year} (some figures suppressed)"
    chart = base_config(
        points.properties(
            width=560,
            height=150,
            description=title,
            title=alt.TitleParams(title, subtitle="Referral → section 47 → ICPC → plan"),
        )
    )
    text = (
        f"Dot plot of three conversion ratios in {year}: section 47 enquiries per 100 referrals, ICPCs per 100 "
        f"section 47 enquiries and plans per 100 ICPCs, for {la_name} (diamond), its neighbours' median and England. "
        f"{title}."
    )
    table = door[["label", "count", "conversion", "la", "sn_median", "england"]].rename(
        columns={"label": "step", "count": f"{la_name} count", "la": f"{la_name} per 100"}
    )
    return Figure(chart, text, table, year=str(year))


def care_flow_chart(flow: pd.DataFrame, la_name: str) -> Figure:
    """Children starting and ceasing to be looked after each year, and the net flow."""
    rows = flow.melt(id_vars=["year"], value_vars=["starts", "ceased"], var_name="flow", value_name="children")
    rows["flow"] = rows["flow"].map({"starts": "Started to be looked after", "ceased": "Ceased to be looked after"})
    domain = ["Started to be looked after", "Ceased to be looked after"]
    bars = (
        alt.Chart(rows.dropna())
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            xOffset=alt.XOffset("flow:N"),
            y=alt.Y("children:Q", title="Children"),
            color=alt.Color("flow:N", scale=alt.Scale(domain=domain, range=[PALETTE["sn"], "#E69F00"]), title=None),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("flow:N"), alt.Tooltip("children:Q", format=",.0f")],
        )
    )
    labels = (
        alt.Chart(flow.dropna(subset=["net_flow"]))
        .mark_text(dy=-8, fontWeight="bold")
        .encode(x=alt.X("year:O"), y=alt.Y("max_flow:Q"), text=alt.Text("net_label:N"))
        .transform_calculate(
            max_flow="max(datum.starts, datum.ceased)",
            net_label="'net ' + (datum.net_flow > 0 ? '+' : '') + format(datum.net_flow, ',.0f')",
        )
    )
    known = flow.dropna(subset=["net_flow"])
    more_in = int((known["net_flow"] > 0).sum())
    title = (
        f"More children started than ceased to be looked after in {more_in} of {len(known)} years in {la_name}"
        if len(known)
        else f"{la_name}: care flow figures are suppressed or not published"
    )
    chart = base_config(
        alt.layer(
            bars,
            labels,
            width=560,
            height=240,
            description=title,
            title=alt.TitleParams(title, subtitle="Net = started − ceased"),
        )
    )
    text = (
        f"Bar chart of children starting (blue) and ceasing (orange) to be looked after in {la_name} by year, with "
        f"the net flow written above. {title}."
    )
    return Figure(chart, text, flow[["year", "starts", "ceased", "net_flow", "at31", "at31_change"]])


def duration_chart(profile: pd.DataFrame, la_name: str, year: int) -> Figure:
    """How long child protection plans open at 31 March had lasted: LA, neighbours' median, England."""
    rows = profile.melt(id_vars=["band"], value_vars=["la", "sn_median", "england"], var_name="who", value_name="pct")
    rows["who"] = rows["who"].map({"la": la_name, "sn_median": "Neighbour median", "england": "England"})
    rows = rows.iloc[::-1]  # the LA's rows last: its marks are drawn on top
    domain = [la_name, "Neighbour median", "England"]
    bars = (
        alt.Chart(rows.dropna())
        .mark_bar()
        .encode(
            y=alt.Y("band:N", sort=list(profile["band"]), title=None),
            yOffset=alt.YOffset("who:N", sort=domain),
            x=alt.X("pct:Q", title="% of plans open at 31 March"),
            color=alt.Color(
                "who:N",
                scale=alt.Scale(domain=domain, range=[PALETTE["la"], PALETTE["sn"], PALETTE["england"]]),
                title=None,
            ),
            tooltip=[alt.Tooltip("band:N"), alt.Tooltip("who:N"), alt.Tooltip("pct:Q", format=".1f")],
        )
    )
    long_row = profile.set_index("indicator").loc["cpp_at31_2y_plus_pct"]
    if pd.notna(long_row["la"]):
        title = (
            f"{long_row['la']:.1f}% of {la_name}'s child protection plans at 31 March {year} had lasted two years "
            f"or more (England {long_row['england']:.1f}%)"
        )
    else:
        title = f"{la_name}'s plan durations at 31 March {year} (longest band suppressed)"
    chart = base_config(bars.properties(width=520, height=260, description=title, title=title))
    text = (
        f"Grouped bar chart of the share of child protection plans open at 31 March {year} in each duration band, "
        f"for {la_name}, its neighbours' median and England. {title}."
    )
    return Figure(
        chart, text, profile[["band", "la", "sn_median", "england"]].rename(columns={"la": la_name}), year=str(year)
    )


def pre_pandemic_table(table: pd.DataFrame, la_name: str):
    """`demand.pre_pandemic` as a committee table: for each measure its count and rate per 10,000 in each
    pre-pandemic year and the latest year, with the % change since each. A year without a figure says why
    ("not in the bundled data", a DfE symbol), never 0."""
    years = sorted(table["compared_year"].unique())
    rows = []
    for (label, _), part in table.groupby(["label", "count_indicator"], sort=False):
        part = part.set_index("compared_year")
        latest = int(part["year"].iloc[0])
        for kind, now, then, change in (
            ("Count", "count", "compared_count", "count_change_pct"),
            ("Per 10,000 children", "rate", "compared_rate", "rate_change_pct"),
        ):
            unit_name = "count" if kind == "Count" else "rate_per_10k"
            indicator = part["count_indicator" if kind == "Count" else "rate_indicator"].iloc[0]
            row = {"Measure": label, "Figure": kind}
            for y in years:
                row[f"Year to 31 March {y}"] = (
                    format_value(part.loc[y, then], unit_name, indicator).replace(" per 10,000", "")
                    if pd.notna(part.loc[y, then])
                    else part.loc[y, "compared_note"]
                )
            row["Latest year (to 31 March)"] = latest
            row["Latest"] = format_value(part[now].iloc[0], unit_name, indicator).replace(" per 10,000", "")
            for y in years:
                pct = part.loc[y, change]
                row[f"Change since {y}"] = signed_pct(pct) if pd.notna(pct) else "–"
            rows.append(row)
    shown = pd.DataFrame(rows)
    return shown.style.hide(axis="index").set_caption(
        f"{la_name} now and before the pandemic: counts and rates per 10,000 children aged 0-17 (children looked "
        "after and on a plan: at 31 March; the others: during the year)"
    )
