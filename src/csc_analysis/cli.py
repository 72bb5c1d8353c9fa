"""`csc-analysis`: the command line. Each command is a thin wrapper over a package function."""

import sys

import click
import pandas as pd

from . import __version__, catalogue, load, neighbours
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


FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "table"]), default="table",
                      show_default=True, help="csv for other tools, table for reading.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csc-analysis")
@click.option("--data-dir", envvar="CSC_DATA_DIR", type=click.Path(file_okay=False),
              help="Folder of EES downloads to use instead of the bundled data [env: CSC_DATA_DIR].")
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
    table = table.assign(predecessors=table["predecessors"].map(" ".join),
                         successors=table["successors"].map(" ".join))
    emit(table, fmt)


@cli.command()
@FORMAT
def indicators(fmt: str) -> None:
    """List the indicator catalogue: id, label, unit, polarity, source."""
    emit(catalogue.catalogue_frame(), fmt)


@cli.command()
@click.option("--la", required=True, help="LA name, 3-digit DfE code or ONS code.")
@click.option("--indicator", "indicator_ids", multiple=True, metavar="ID",
              help="Indicator id (repeatable); default every indicator.")
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
@click.option("--sn-model", type=click.Choice(neighbours.MODELS), default="2025", show_default=True,
              help="DfE statistical-neighbour model.")
@click.option("--indicator", "indicator_ids", multiple=True, metavar="ID",
              help="Indicator id (repeatable); default every catalogue indicator.")
@FORMAT
@click.pass_obj
def benchmark(obj: dict, la: str, year: int | None, sn_model: str, indicator_ids: tuple[str, ...],
              fmt: str) -> None:
    """Compare an LA with its statistical neighbours, region and England, per indicator and year."""
    for ind in indicator_ids:
        catalogue.get(ind)
    tidy = load.published(obj["data_dir"])
    reg = load.registry(obj["data_dir"])
    target = reg.resolve(la)
    if year is not None and year not in set(tidy["year"]):
        raise CscError(f"year {year} is outside the data ({tidy['year'].min()}-{tidy['year'].max()})")
    sn = neighbours.sn_table(load.sn_models(obj["data_dir"]), reg, target, sn_model)
    table = neighbours.benchmark(tidy, target, list(sn["la_code"]), list(indicator_ids) or None,
                                 [year] if year is not None else None)
    emit(table, fmt)


@cli.command()
@click.option("--la", help="LA name, 3-digit DfE code or ONS code.")
@click.option("--all", "all_las", is_flag=True, help="Every current LA (153).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs", show_default=True,
              help="Folder for the packs; each LA gets OUT/<la-slug>/.")
@click.option("--notebook", "notebook_names", multiple=True, metavar="NAME",
              help="Notebook to run, e.g. 04_statistical_neighbours or 04 (repeatable); default all.")
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="KEY=VALUE",
              help="Notebook parameter (repeatable), e.g. -p year=2024 -p sn_model=2021.")
@click.option("--show-code", is_flag=True, help="Include the code cells in the HTML.")
@click.option("--export-charts", is_flag=True, help="Also write every chart as SVG and PNG under charts/.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for --all.")
@click.option("--force", is_flag=True, help="Rebuild packs that are already up to date.")
@click.pass_obj
def run(obj: dict, la: str | None, all_las: bool, out_dir: str, notebook_names: tuple[str, ...],
        parameters: tuple[str, ...], show_code: bool, export_charts: bool, jobs: int, force: bool) -> None:
    """Run the notebooks for one LA (or all) and write self-contained HTML packs."""
    from pathlib import Path

    from tqdm import tqdm

    from . import report

    if bool(la) == all_las:
        raise CscError("give either --la <LA> or --all")
    reg = load.registry(obj["data_dir"])
    targets = reg.current() if all_las else [reg.resolve(la)]
    notebooks = report.select_notebooks(list(notebook_names))
    if not notebooks:
        raise CscError("no notebooks found to run")
    params = report.parse_parameters(list(parameters))
    report.check_parameters(params, notebooks)
    load.published(obj["data_dir"])  # parse once and fill the cache before the kernels start
    options = {"show_code": show_code, "force": force, "export": export_charts}
    with tqdm(total=len(targets), unit="LA", disable=len(targets) == 1, file=sys.stderr) as bar:
        results = report.build_many(targets, notebooks, Path(out_dir), params, load.provenance(obj["data_dir"]),
                                    jobs=jobs, progress=lambda r: bar.update(1), **options)
    summary = report.summary_frame(results)
    if all_las:
        summary.to_csv(Path(out_dir) / "run-summary.csv", index=False)
    for r in results:
        if r.status == "failed":
            click.echo(f"FAILED {r.la_name}: {r.error}", err=True)
        elif len(results) == 1:
            click.echo(f"{r.status} {r.pack_dir / 'index.html'}")
    counts = summary["status"].value_counts()
    click.echo(f"{counts.get('built', 0)} built, {counts.get('skipped', 0)} up to date, "
               f"{counts.get('failed', 0)} failed" + (f" (summary: {Path(out_dir) / 'run-summary.csv'})" if all_las else ""))
    if counts.get("failed", 0):
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="csc-analysis")
    except BrokenPipeError:  # e.g. `csc-analysis data ... | head`
        sys.stderr.close()
        sys.exit(0)
