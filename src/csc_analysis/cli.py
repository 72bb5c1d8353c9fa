"""`csc-analysis`: the command line. Each command is a thin wrapper over a package function."""

import sys

import click
import pandas as pd

from . import __version__, catalogue, demo, load, neighbours
from . import benchmark as engine
from .errors import CscError


class _Group(click.Group):
    """Turns a CscError anywhere below into click's one-line `Error: ...` and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CscError as exc:
            raise click.ClickException(str(exc)) from None


def emit(frame: pd.DataFrame, fmt: str) -> None:
    """Write a table to stdout as CSV (for other tools) or aligned text (for people)."""
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.10g")
    elif frame.empty:
        click.echo("(no rows)")
    else:
        click.echo(frame.astype(object).where(frame.notna(), "").to_string(index=False))


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "table"]),
    default="table",
    show_default=True,
    help="csv for other tools, table for reading.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csc-analysis")
@click.option(
    "--data-dir",
    envvar="CSC_DATA_DIR",
    type=click.Path(file_okay=False),
    help="Folder of EES downloads to use instead of the bundled data [env: CSC_DATA_DIR].",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None) -> None:
    """Children's social care statistics for English local authorities."""
    ctx.obj = {"data_dir": data_dir}


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Include predecessor LAs (pre-reorganisation).")
@FORMAT
@click.pass_obj
def las(obj: dict, show_all: bool, fmt: str) -> None:
    """List the local authorities: DfE code, ONS code, name, region, years with data."""
    table = load.registry(obj["data_dir"]).las
    if not show_all:
        table = table[table["current"]]
    table = table.assign(predecessors=table["predecessors"].map(" ".join), successors=table["successors"].map(" ".join))
    emit(table, fmt)


@cli.command()
@FORMAT
def indicators(fmt: str) -> None:
    """List the indicator catalogue: id, label, unit, polarity, source."""
    emit(catalogue.catalogue_frame(), fmt)


@cli.command()
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option(
    "--indicator",
    "indicator_ids",
    multiple=True,
    metavar="ID",
    help="Indicator id (repeatable); default every indicator.",
)
@FORMAT
@click.pass_obj
def data(obj: dict, la: str, indicator_ids: tuple[str, ...], fmt: str) -> None:
    """Print one LA's published figures as tidy rows, all years."""
    for ind in indicator_ids:
        catalogue.get(ind)
    tidy = load.published(obj["data_dir"])
    target = load.registry(obj["data_dir"]).resolve(la)
    rows = tidy[tidy["la_code"] == target.la_code]
    if indicator_ids:
        rows = rows[rows["indicator"].isin(indicator_ids)]
    emit(rows.sort_values(["indicator", "year"]), fmt)


@cli.command()
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option("--year", type=int, help="One year (time_period); default every year.")
@click.option(
    "--sn-model",
    type=click.Choice(neighbours.MODELS),
    default="2025",
    show_default=True,
    help="DfE statistical-neighbour model.",
)
@click.option(
    "--indicator",
    "indicator_ids",
    multiple=True,
    metavar="ID",
    help="Indicator id (repeatable); default every catalogue indicator.",
)
@FORMAT
@click.pass_obj
def benchmark(obj: dict, la: str, year: int | None, sn_model: str, indicator_ids: tuple[str, ...], fmt: str) -> None:
    """Compare an LA with its statistical neighbours, region and England, per indicator and year."""
    for ind in indicator_ids:
        catalogue.get(ind)
    tidy = load.published(obj["data_dir"])
    reg = load.registry(obj["data_dir"])
    target = reg.resolve(la)
    if year is not None and year not in set(tidy["year"]):
        raise CscError(f"year {year} is outside the data ({tidy['year'].min()}-{tidy['year'].max()})")
    sn = neighbours.sn_table(load.sn_models(obj["data_dir"]), reg, target, sn_model)
    if sn_model != "2021" and sn["note"].iloc[0].startswith(neighbours.FALLBACK_NOTE):
        click.echo(
            f"note: {target.la_name} ({target.la_code}) is not in the {sn_model} statistical-neighbour "
            "model; using its April 2021 groupings (2021 model)",
            err=True,
        )
    table = engine.benchmark(
        tidy, target, list(sn["la_code"]), list(indicator_ids) or None, [year] if year is not None else None
    )
    emit(table, fmt)


@cli.command()
@click.option("--la", help="LA name, 3-digit DfE code or ONS code.")
@click.option("--all", "all_las", is_flag=True, help="Every current LA (153).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="outputs",
    show_default=True,
    help="Folder for the packs; each LA gets OUT/<la-slug>/.",
)
@click.option(
    "--notebook",
    "notebook_names",
    multiple=True,
    metavar="NAME",
    help="Notebook to run, e.g. 04_statistical_neighbours or 04 (repeatable); default all.",
)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    multiple=True,
    metavar="KEY=VALUE",
    help=(
        "Notebook parameter (repeatable), e.g. -p year=2024 -p sn_model=2021; "
        "NN:KEY=VALUE gives it to notebook NN only, e.g. -p 07:horizon=3."
    ),
)
@click.option("--show-code", is_flag=True, help="Include the code cells in the HTML.")
@click.option(
    "--export-charts",
    is_flag=True,
    help="Also write every chart as SVG and PNG under charts/, marked with the LA and data year.",
)
@click.option(
    "--xlsx/--no-xlsx",
    default=True,
    show_default=True,
    help="Write <la-slug>.xlsx: one sheet per table shown in the pack.",
)
@click.option("--pdf", is_flag=True, help="Also write an A4 PDF of every page (needs Chromium and Playwright).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    metavar="N",
    help="Notebooks run at once, each in its own kernel, across all the LAs being built "
    "[default: the number of cores].",
)
@click.option("--force", is_flag=True, help="Rebuild packs that are already up to date.")
@click.option(
    "--demo",
    "demo_mode",
    is_flag=True,
    help="Fill the local-data sections with generated data; every title and file name then says "
    "SYNTHETIC and the pack goes to OUT/<la-slug>-SYNTHETIC/.",
)
@click.pass_obj
def run(
    obj: dict,
    la: str | None,
    all_las: bool,
    out_dir: str,
    notebook_names: tuple[str, ...],
    parameters: tuple[str, ...],
    show_code: bool,
    export_charts: bool,
    xlsx: bool,
    pdf: bool,
    jobs: int | None,
    force: bool,
    demo_mode: bool,
) -> None:
    """Run the notebooks for one LA (or all) and write self-contained HTML packs."""
    from pathlib import Path

    from tqdm import tqdm

    from . import exports, report, shared

    if bool(la) == all_las:
        raise CscError("give either --la <LA> or --all")
    reg = load.registry(obj["data_dir"])
    targets = [reg.resolve(la)] if la else reg.current()
    notebooks = report.select_notebooks(list(notebook_names))
    if not notebooks:
        raise CscError("no notebooks found to run")
    params = report.parse_parameters(list(parameters))
    if "data_dir" in params:
        raise CscError("give the data folder as csc-analysis --data-dir PATH run ..., not -p data_dir")
    report.check_parameters(params, notebooks)
    demo_mode = demo_mode or params.get("demo") is True  # `--demo` and `-p demo=true` are the same
    demo.check_run(params, demo_mode)
    if demo_mode:
        params["demo"] = True  # passed to the notebooks that declare `demo`
    out = Path(out_dir)
    report.check_writable(out)
    if pdf:
        exports.find_chromium()  # fail now, in one line, rather than after running every notebook
    report.check_years(params, load.published(obj["data_dir"]))  # parsed once, the cache filled before the kernels
    shared.ranks(load.published(obj["data_dir"]))  # the all-LA rankings every page uses, computed once
    options = {
        "show_code": show_code,
        "force": force,
        "export": export_charts,
        "xlsx": xlsx,
        "pdf": pdf,
        "data_dir": obj["data_dir"],
    }
    with tqdm(total=len(targets), unit="LA", disable=len(targets) == 1, file=sys.stderr) as bar:
        results = report.build_many(
            targets,
            notebooks,
            out,
            params,
            load.provenance(obj["data_dir"]),
            jobs=jobs or report.default_jobs(),
            progress=lambda r: bar.update(1),
            **options,
        )
    summary = report.summary_frame(results)
    if all_las:
        report.write_summary(summary, out / "run-summary.csv")
    for r in results:
        if r.status == "failed":
            click.echo(f"FAILED {r.la_name}: {r.error}", err=True)
        elif len(results) == 1:
            click.echo(f"{r.status} {r.pack_dir / 'index.html'}")
    counts = summary["status"].value_counts()
    click.echo(
        f"{counts.get('built', 0)} built, {counts.get('skipped', 0)} up to date, "
        f"{counts.get('failed', 0)} failed" + (f" (summary: {out / 'run-summary.csv'})" if all_las else "")
    )
    if counts.get("failed", 0):
        sys.exit(1)


@cli.command("forecast")
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option(
    "--indicator",
    default="referrals",
    show_default=True,
    metavar="ID",
    help="Count indicator to forecast (annual), e.g. referrals, cin_at31, cpp_at31, cla_at31.",
)
@click.option(
    "--horizon", type=click.IntRange(1, 36), help="Periods ahead [default: 3 years, or 12 months with --local]."
)
@click.option("--until", type=int, metavar="YEAR", help="Fit on data up to and including YEAR only (annual).")
@click.option(
    "--local",
    "local_path",
    type=click.Path(),
    metavar="PATH",
    help="Monthly forecast from an Annex A folder (List 3) or a referral CSV/xlsx.",
)
@click.option(
    "--suppress-below",
    type=click.IntRange(0),
    default=5,
    show_default=True,
    help="With --local: show counts, and forecast figures that round to them, below this as c; 0: show all.",
)
@FORMAT
@click.pass_obj
def forecast_cmd(
    obj: dict,
    la: str,
    indicator: str,
    horizon: int | None,
    until: int | None,
    local_path: str | None,
    suppress_below: int,
    fmt: str,
) -> None:
    """Forecast referrals (or another count) with 80% and 95% intervals, model chosen by backtest."""
    from pathlib import Path

    from . import annexa, forecast, privacy
    from .words import forecast as forecast_words

    target = load.registry(obj["data_dir"]).resolve(la)
    if local_path:
        path = Path(local_path)
        source = annexa.find_list(path, "referrals") if path.is_dir() else path
        events, report = annexa.read_list(source)
        click.echo(report.summary(), err=True)
        counts, messages = annexa.monthly_counts(events)
        try:
            result = forecast.monthly(counts, horizon or 12)
        except CscError as exc:
            raise CscError(f"{source.name}: {exc}") from None
        history, future, note = privacy.suppress_forecast(
            result.history, result.forecast, suppress_below, total=report.used
        )
        result.history = history.assign(period=history["period"].dt.strftime("%Y-%m"))
        result.forecast = future.assign(period=future["period"].dt.strftime("%Y-%m"))
        messages += [note] if note else []
    else:
        ind = catalogue.get(indicator)
        if ind.unit != "count":
            raise CscError(f"indicator {indicator!r} is a {ind.unit}; forecasting needs a count (e.g. referrals)")
        tidy = load.published(obj["data_dir"])
        series = tidy.loc[(tidy["la_code"] == target.la_code) & (tidy["indicator"] == indicator), ["year", "value"]]
        if until is not None:
            if until not in set(series["year"]):
                raise CscError(
                    f"--until {until}: {target.la_name} has no {indicator} for that year "
                    f"(years {series['year'].min()}-{series['year'].max()})"
                )
            series = series[series["year"] <= until]
        try:
            result = forecast.annual(series, horizon or 3)
        except CscError as exc:
            raise CscError(f"cannot forecast {indicator} for {target.la_name}: {exc}") from None
        messages = []
    for message in messages + result.messages + [forecast_words.backtest_sentence(result)]:
        click.echo(f"note: {message}", err=True)
    emit(forecast.long_table(result, indicator), fmt)


@cli.command("local")
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option(
    "--annex-a",
    "annex_a",
    required=True,
    multiple=True,
    type=click.Path(),
    metavar="PATH [PATH...]",
    help="Annex A workbook(s), CSV(s) or folder(s); lists are recognised by their columns.",
)
@click.argument("more_paths", nargs=-1, type=click.Path(), metavar="")
@click.option(
    "--suppress-below",
    type=click.IntRange(0),
    default=5,
    show_default=True,
    help="Show counts from 1 to N-1 as suppressed; 0 turns suppression off (for your own use only).",
)
@click.option("--as-at", metavar="YYYY-MM-DD", help="Extract date [default: the latest date in the lists].")
@FORMAT
@click.pass_obj
def local_cmd(
    obj: dict,
    la: str,
    annex_a: tuple[str, ...],
    more_paths: tuple[str, ...],
    suppress_below: int,
    as_at: str | None,
    fmt: str,
) -> None:
    """Monthly local performance from an Annex A extract: tidy indicator rows, complete months only."""
    from . import annexa, annexa_indicators, localdata

    target = load.registry(obj["data_dir"]).resolve(la)
    day = localdata.iso_day(as_at, "--as-at") if as_at else None
    lists = annexa.read_annex_a([*annex_a, *more_paths], today=day)
    quality = annexa_indicators.quality(lists, suppress_below)
    click.echo(quality.to_string(index=False), err=True)
    emit(annexa_indicators.indicators(lists, target.la_code, suppress_below, day), fmt)


@cli.command("project")
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option("--horizon", type=click.IntRange(1, 10), default=3, show_default=True, help="Years ahead.")
@click.option(
    "--starts-change-pct",
    type=float,
    default=0.0,
    show_default=True,
    help="Scenario: % change in children starting to be looked after each projected year (-90 to 200).",
)
@click.option(
    "--ceased-change-pct",
    type=float,
    default=0.0,
    show_default=True,
    help="Scenario: % change in children ceasing to be looked after each projected year (-90 to 200).",
)
@click.option(
    "--costs",
    "costs_path",
    type=click.Path(),
    metavar="PATH",
    help="CSV/xlsx with placement_type, share_pct, weekly_cost: adds yearly cost columns "
    "(with --ssda903: placement_category, weekly_cost).",
)
@click.option(
    "--ssda903",
    "ssda903_path",
    type=click.Path(),
    metavar="PATH",
    help="SSDA903 returns (folder or file, CSV or XML): project by placement category and age band.",
)
@click.option(
    "--reference-years",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="With --ssda903: years of returns to estimate the rates from.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(),
    metavar="FILE",
    help="With --ssda903: CSV/xlsx of changes (change, age_band, placement_category, to_category, pct, number).",
)
@FORMAT
@click.pass_obj
def project_cmd(
    obj: dict,
    la: str,
    horizon: int,
    starts_change_pct: float,
    ceased_change_pct: float,
    costs_path: str | None,
    ssda903_path: str | None,
    reference_years: int,
    scenario_path: str | None,
    fmt: str,
) -> None:
    """Project children looked after (stock + starts - ceased) with 80%/95% intervals, a scenario and costs.

    With --ssda903, project from the LA's own SSDA903 returns by placement category and age band."""
    from . import forecast, localdata, projection

    forecast.check_change_pct(starts_change_pct, "--starts-change-pct")
    forecast.check_change_pct(ceased_change_pct, "--ceased-change-pct")
    target = load.registry(obj["data_dir"]).resolve(la)
    if ssda903_path:
        emit(
            _project_ssda903(
                obj["data_dir"], target, ssda903_path, reference_years, horizon, scenario_path, costs_path
            ),
            fmt,
        )
        return
    if scenario_path:
        raise CscError("--scenario needs --ssda903 (without it, use --starts-change-pct and --ceased-change-pct)")
    hist = projection.history(load.published(obj["data_dir"]), target)
    if not projection.usable(hist):
        raise CscError(
            f"{target.la_name}: fewer than two years with published children looked after, starts and "
            "ceased; nothing to project from"
        )
    costs = projection.check_costs(localdata.read_table(costs_path)) if costs_path else None
    baseline = projection.project(hist, horizon)
    scenario = projection.project(hist, horizon, starts_change_pct, ceased_change_pct)
    for message in baseline.messages:
        click.echo(f"note: {message}", err=True)
    table = projection.long_table(baseline, scenario, costs)
    table.insert(0, "la_name", target.la_name)
    table.insert(0, "la_code", target.la_code)
    emit(table, fmt)


def _project_ssda903(
    data_dir: str | None,
    target,
    path: str,
    reference_years: int,
    horizon: int,
    scenario_path: str | None,
    costs_path: str | None,
) -> pd.DataFrame:
    """`project --ssda903`: read the returns, the scenario and costs, run the model, notes to stderr."""
    from . import cla_model, localdata, ssda903

    scenario = cla_model.check_scenario(localdata.read_table(scenario_path), scenario_path) if scenario_path else None
    if not costs_path:
        weekly, note = cla_model.published_costs(load.published(data_dir), target.la_code)
    else:
        weekly, note = cla_model.check_costs(localdata.read_table(costs_path), costs_path), f"Costs from {costs_path}."
    returns = ssda903.read(path)
    click.echo(
        f"note: read {len(returns.reports)} SSDA903 table(s), returns {returns.years[0]}-{returns.years[-1]}", err=True
    )
    for p in returns.problems().itertuples():
        click.echo(f"note: {p.file}: {p.rows} row(s) not used ({p.column} {p.problem})", err=True)
    result = cla_model.project(returns, reference_years, horizon, scenario, weekly)
    for message in returns.notes + result.messages + [note]:
        click.echo(f"note: {message}", err=True)
    table = result.table
    table.insert(0, "la_code", target.la_code)
    return table


@cli.command()
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write to.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same files.")
@click.option(
    "--year",
    type=int,
    default=2025,
    show_default=True,
    help="Last reporting year of the Annex A lists; the caseload snapshot is at 30 September of it.",
)
@click.option(
    "--annex-a-format",
    "annex_a_format",
    type=click.Choice(["workbook", "csv"]),
    default="workbook",
    show_default=True,
    help="Annex A as one workbook SYNTHETIC_Annex_A.xlsx (a sheet per list, as Ofsted "
    "asks) or as one CSV per list (SYNTHETIC_Annex_A_List_1_contacts.csv ...).",
)
@click.pass_obj
def synth(obj: dict, la: str, out_dir: str, seed: int, year: int, annex_a_format: str) -> None:
    """Write SYNTHETIC Annex A (all eleven lists, 3 years; one workbook by default), a caseload snapshot and SSDA903
    returns (OUT/ssda903/<year>/, up to 5 years) shaped like the LA's published data. The same seed gives the same
    files."""
    from pathlib import Path

    from .synth import annexa as synth_annexa
    from .synth import caseload_snapshot as synth_snapshot
    from .synth import ssda903 as synth_ssda903

    tidy = load.published(obj["data_dir"])
    target = load.registry(obj["data_dir"]).resolve(la)
    paths = synth_annexa.write(
        synth_annexa.generate(tidy, target, year, 3, seed), out_dir, target, annex_a_format == "workbook"
    )
    try:
        paths += synth_ssda903.write(
            synth_ssda903.generate(tidy, target, year, 5, seed), Path(out_dir) / "ssda903", target
        )
    except CscError as exc:  # e.g. suppressed published figures: the other files are still useful
        click.echo(f"note: no synthetic SSDA903: {exc}", err=True)
    wf_year = synth_snapshot.usable_year(tidy, target, year)
    paths.append(synth_snapshot.write_snapshot(synth_snapshot.snapshot(tidy, target, wf_year, seed), out_dir))
    for path in paths:
        click.echo(str(path))


@cli.command()
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@FORMAT
@click.pass_obj
def ofsted(obj: dict, la: str, fmt: str) -> None:
    """Print an LA's Ofsted ILACS judgements as at 31 March 2024 and 2025 and its monitoring and focused visits."""
    from . import inspections

    registry = load.registry(obj["data_dir"])
    target = registry.resolve(la)
    snapshots = inspections.attach_codes(load.ofsted_snapshots(obj["data_dir"]), registry)
    visits = inspections.attach_codes(load.ofsted_visits(obj["data_dir"]), registry)
    records = inspections.la_records(snapshots, visits, target)
    records.insert(0, "la_code", target.la_code)
    emit(records.assign(as_at=records["as_at"].dt.date, date=records["date"].dt.date), fmt)
    if fmt == "table":
        click.echo(f"\n{inspections.VISITS_UNGRADED} Visits listed: {inspections.coverage(visits)}.")


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="csc-analysis")
    except BrokenPipeError:  # e.g. `csc-analysis data ... | head`
        sys.stderr.close()
        sys.exit(0)
