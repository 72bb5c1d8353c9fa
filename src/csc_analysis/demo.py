"""Demo or local data: the one choice every section built from local files makes.

A pack for a real LA holds published figures and the LA's own files, nothing made up. A section
that needs a local file (the monthly referral forecast, the caseload snapshot and the agency cost
worked from it) shows, without one, a short box: what the section would show and the exact
command to add the file. Generated data appear only when asked for (`csc-analysis run --demo`, or
`demo = True` in a notebook's parameters), and then every page title, chart title and exported file
name says SYNTHETIC. The CLI (`run --demo`) and the notebooks make the choice through `choose`.
"""

import dataclasses
import shlex
from dataclasses import dataclass

from .charts import alt  # Altair as `charts` imports it (without jsonschema's IRI parsers)
from .errors import CscError

SYNTHETIC = "SYNTHETIC"


@dataclass(frozen=True)
class LocalSection:
    """A notebook section built from a local file: what it shows and how to give it the file."""

    title: str
    shows: str
    notebook: str
    parameter: str
    file: str
    generated: str


SECTIONS = {
    "monthly_forecast": LocalSection(
        "Monthly referral forecast",
        "referrals a month from your own Annex A referral list, the school-year pattern, and a forecast of the "
        "next 12 months with 80% and 95% intervals",
        "02",
        "local_data",
        "an Annex A folder (List 3) or a CSV/xlsx with one row per referral and its date",
        "Annex A referrals (List 3) shaped like {la}'s published totals; they describe no real child",
    ),
    "caseload_snapshot": LocalSection(
        "Caseloads by team and the cost of agency cover",
        "caseloads by team against the caseload limits, how many workers hold how many cases, caseload per "
        "case-holding FTE beside the published figure, and what agency cover costs over permanent staff",
        "03",
        "local_workforce",
        "a caseload snapshot (CSV/xlsx, one row per worker: worker_id, team, role, "
        "employment_type, asye, fte, caseload, start_date, leave_date)",
        "caseload snapshot matching {la}'s published workforce totals; it describes no real person",
    ),
    "local_performance": LocalSection(
        "Local performance month by month",
        "month by month the front door (contacts, conversion to referral, referrals, no further action), "
        "assessments and their timeliness, section 47 enquiries and initial conferences within 15 working days, the "
        "children in need, child protection and looked-after cohorts with their starts and ends, and compliance on "
        "the extract date, each beside the published figures, with a reconciliation with the published year",
        "06",
        "annex_a",
        "an Annex A extract: the workbook, a CSV, or a folder of per-list files (lists are "
        "recognised by their columns)",
        "set of Annex A lists shaped like {la}'s published figures; they describe no real child",
    ),
    "placement_projection": LocalSection(
        "Placements next year and the year after",
        "a reconciliation of your returns with the published figures, the current placement mix and the flows in "
        "and out of care by placement, a projection of children by placement category and age with 80% and 95% "
        "intervals, a scenario beside the baseline, their costs, and how well the method did in a backtest",
        "07",
        "ssda903",
        "your SSDA903 returns (a folder with one folder per year, CSV or XML)",
        "set of SSDA903 returns made from {la}'s published figures; they describe no real child",
    ),
}
# The notebook parameters naming a local file, for checking `run --demo` against them.
LOCAL_PARAMETERS = {s.parameter for s in SECTIONS.values()} | {"placement_costs"}


def choose(path: str | None, demo: bool, parameter: str = "the local file") -> str:
    """'local' when a file is given, 'demo' when generated data are asked for, else 'none'.

    Both at once is an error: a pack is either about the LA's own data or a labelled demo.

    >>> choose("snapshot.csv", False), choose(None, True), choose(None, False)
    ('local', 'demo', 'none')
    """
    if path and demo:
        raise CscError(
            f"{parameter} = {path!r} and demo mode were both given; a demo uses generated data "
            "only, so give one or the other"
        )
    return "local" if path else "demo" if demo else "none"


def check_run(params: dict, demo: bool) -> None:
    """`csc-analysis run --demo` with a local-file parameter (`-p local_workforce=...`) is an error."""
    for name in sorted(LOCAL_PARAMETERS & set(params)):
        choose(params[name], demo, name)


def command(section: str, la_name: str) -> str:
    """The exact command that runs a section's notebook on one's own file."""
    s = SECTIONS[section]
    return f"csc-analysis run --la {shlex.quote(la_name)} --notebook {s.notebook} -p {s.parameter}=PATH"


def missing_box(section: str, la_name: str) -> str:
    """Markdown for a section without its local file: what it shows and the command to add one."""
    s = SECTIONS[section]
    return (
        f"> **{s.title}: add your own file.** This section shows {s.shows}. It needs {s.file}, which stays "
        f"on your machine (only counts and rates reach the pack). Add it with\n>\n"
        f"> `{command(section, la_name)}`\n>\n"
        f"> or set `{s.parameter}` in the notebook's parameters cell. `csc-analysis run --la "
        f"{shlex.quote(la_name)} --demo` shows the section filled with generated example data, labelled as such."
    )


def demo_note(section: str, la_name: str) -> str:
    """Markdown at the top of a section filled with generated data (demo mode)."""
    return (
        f"**{SYNTHETIC} DEMO DATA.** This section uses a generated "
        + SECTIONS[section].generated.format(la=la_name)
        + "."
    )


def label(text: str, demo: bool) -> str:
    """A title as shown: 'SYNTHETIC DEMO: <text>' in demo mode, else unchanged."""
    return f"{SYNTHETIC} DEMO: {text}" if demo else text


def file_stem(stem: str, demo: bool) -> str:
    """An exported file's name stem: '<stem>-SYNTHETIC' in demo mode, else unchanged."""
    return f"{stem}-{SYNTHETIC}" if demo else stem


def banner(demo: bool) -> str:
    """The line under a demo page's title ('' outside demo mode)."""
    if not demo:
        return ""
    return (
        f"**{SYNTHETIC} DEMO.** This page was run in demo mode: sections that need local files use "
        "generated data shaped like the LA's published totals; they describe no real child or worker. "
        "Published figures elsewhere on the page are real."
    )


def mark(figure, demo: bool):
    """A chart drawn from generated data, with 'SYNTHETIC DEMO:' before its title and text, and SYNTHETIC
    as the status printed on its exported image (demo mode)."""
    if not demo:
        return figure
    chart = figure.chart.copy(deep=True)
    title = chart.title
    if isinstance(title, str):
        chart.title = label(title, True)
    elif isinstance(title, alt.TitleParams):
        title.text = label(title.text if isinstance(title.text, str) else " ".join(title.text), True)
    return dataclasses.replace(figure, chart=chart, alt_text=label(figure.alt_text, True), status=SYNTHETIC)
