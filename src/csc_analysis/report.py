"""Per-authority runs: execute the notebooks with papermill and build a self-contained HTML pack.

A pack is `OUT/<la-slug>/`: one executed `.ipynb` and one `.html` per notebook, `index.html`
linking them, and `pack.json` recording what went in. Every page works with no network:
the Vega libraries are inlined and nbconvert's CDN scripts are left out (templates/csc_pack).
A pack is built in a temporary folder and moved into place only when complete, so an
interrupted or failed run never leaves a half-written pack that looks finished.
"""

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat
import pandas as pd

from . import __version__, exports
from .errors import CscError
from .paths import PACKAGE_DIR, notebooks_dir
from .registry import LA

TEMPLATES = PACKAGE_DIR / "templates"
PACK_CSS = """
body { font-family: Arial, Helvetica, sans-serif; }
.csc-pack-nav, .csc-pack-footer { max-width: 1100px; margin: 0.5em auto; padding: 0.5em 1em; font-size: 0.95em; }
.csc-pack-footer { border-top: 1px solid #ccc; color: #333; }
.csc-chart-figure { margin: 0.5em 0; }
.csc-alt-text { max-width: 60em; }
table.csc-data-table, table.csc-provenance { border-collapse: collapse; font-size: 0.9em; }
table.csc-data-table th, table.csc-data-table td, table.csc-provenance th, table.csc-provenance td {
  border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
a { color: #0050a0; }
""" + (PACKAGE_DIR / "templates" / "csc_pack" / "print.css").read_text(encoding="utf-8")


@dataclass
class PackResult:
    """What happened to one LA's pack."""

    la_name: str
    status: str  # built | skipped | failed
    pack_dir: Path
    error: str = ""
    seconds: float = 0.0
    notebooks: list[str] = field(default_factory=list)


def available_notebooks(folder: Path | None = None) -> list[Path]:
    """The analysis notebooks, in name order (01_..., 02_...)."""
    folder = folder or notebooks_dir()
    return sorted(p for p in folder.glob("[0-9]*.ipynb"))


def select_notebooks(names: list[str], folder: Path | None = None) -> list[Path]:
    """Notebooks by name or stem (`04_statistical_neighbours` or just `04`); all when `names` is empty."""
    found = available_notebooks(folder)
    if not names:
        return found
    chosen = []
    for name in names:
        hits = [p for p in found if p.name == name or p.stem == name or p.stem.startswith(f"{name}_")]
        if len(hits) != 1:
            raise CscError(f"unknown notebook {name!r}; available: {', '.join(p.stem for p in found)}")
        chosen.append(hits[0])
    return chosen


def parse_parameters(pairs: list[str]) -> dict:
    """`KEY=VALUE` strings into a dict; values read as YAML scalars (2024 -> int; none/null -> None)."""
    import yaml

    out = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
            raise CscError(f"parameter {pair!r} is not KEY=VALUE")
        if raw.strip().lower() in ("none", "null"):
            out[key.strip()] = None
            continue
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        # Dates stay text (ISO): notebooks parse them, and papermill passes parameters as JSON.
        out[key.strip()] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def declared_parameters(notebook: Path) -> set[str]:
    """The names a notebook's `parameters` cell declares (papermill reads them)."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def check_parameters(params: dict, notebooks: list[Path]) -> None:
    """Every user parameter must be declared by at least one of the notebooks being run."""
    declared = set().union(*(declared_parameters(nb) for nb in notebooks)) if notebooks else set()
    unknown = sorted(set(params) - declared)
    if unknown:
        raise CscError(f"parameter(s) {', '.join(unknown)} not declared by any notebook; "
                       f"declared: {', '.join(sorted(declared))}")


def inputs_hash(notebooks: list[Path], params: dict, show_code: bool, provenance: pd.DataFrame,
                outputs: tuple[str, ...] = ()) -> str:
    """Fingerprint of everything that determines a pack (`outputs`: extra files asked for), to skip up-to-date packs."""
    h = hashlib.sha256(f"{__version__}|{show_code}|{json.dumps(params, sort_keys=True, default=str)}|"
                       f"{','.join(outputs)}".encode())
    for nb in notebooks:
        h.update(nb.name.encode() + hashlib.sha256(nb.read_bytes()).digest())
    h.update("".join(provenance["sha256"]).encode())
    return h.hexdigest()


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one inline script (vl-convert ships them; no CDN)."""
    import vl_convert

    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


def render_html(nb: nbformat.NotebookNode, title: str, la_name: str, footer_html: str, show_code: bool) -> str:
    """An executed notebook as a self-contained HTML page."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="csc_pack", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"metadata": {"name": title}, "csc_vega_bundle": vega_bundle(), "csc_css": PACK_CSS,
                 "csc_la_name": html.escape(la_name), "csc_footer": footer_html}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first Markdown heading of a notebook."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return match.group(1).strip()
    return fallback


def provenance_html(provenance: pd.DataFrame, params: dict) -> str:
    """Data files with checksums and years, parameters and package version, as HTML."""
    rows = "".join(
        f"<tr><td>{html.escape(r.file)}</td><td>{html.escape(r.publication)}</td><td>{html.escape(r.years)}</td>"
        f"<td><code>{r.sha256}</code></td></tr>" for r in provenance.itertuples())
    shown = ", ".join(f"{html.escape(k)} = {html.escape(repr(v))}" for k, v in params.items())
    return (f"<p>Parameters: {shown}. Package: csc-analysis {__version__}.</p>"
            '<details><summary>Data files used (SHA-256)</summary><table class="csc-provenance">'
            "<thead><tr><th>File</th><th>Publication</th><th>Years</th><th>SHA-256</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></details>"
            "<p>Contains public sector information licensed under the Open Government Licence v3.0.</p>")


def index_html(la: LA, pages: list[tuple[str, str]], provenance: pd.DataFrame, params: dict, run_date: str) -> str:
    """The pack's front page: LA, data vintage, run date, version, links and provenance."""
    latest = max(int(y) for y in re.findall(r"\d{4}", " ".join(provenance["years"])))
    links = "".join(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for href, title in pages)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(la.la_name)}: children's social care analysis pack</title><style>{PACK_CSS}
main {{ max-width: 1100px; margin: 1em auto; padding: 0 1em; }}</style></head>
<body><main>
<h1>{html.escape(la.la_name)}: children's social care analysis pack</h1>
<p>{html.escape(la.la_name)} (DfE code {la.la_code}, ONS code {la.new_la_code}, {html.escape(la.region_name)}).
Data vintage: statistics published to {latest} (children's social care years to 31 March {latest}; workforce at
30 September {latest}). Run on {run_date} with csc-analysis {__version__}.</p>
<h2>Analyses</h2><ul>{links}</ul>
<h2>Provenance</h2>{provenance_html(provenance, params)}
</main></body></html>
"""


def build_pack(la: LA, notebooks: list[Path], out_dir: Path, params: dict, provenance: pd.DataFrame, *,
               show_code: bool = False, force: bool = False, export: bool = False, xlsx: bool = True,
               pdf: bool = False) -> PackResult:
    """Execute and render every notebook for one LA into OUT/<slug>/, atomically.

    `export` adds charts/ (SVG and PNG), `xlsx` the workbook <slug>.xlsx, `pdf` an A4 PDF of every page.
    """
    import papermill

    start = dt.datetime.now()
    pack_dir = out_dir / la.slug
    params = {**params, "la": la.la_name}
    outputs = tuple(name for name, wanted in (("charts", export), ("xlsx", xlsx), ("pdf", pdf)) if wanted)
    fingerprint = inputs_hash(notebooks, params, show_code, provenance, outputs)
    manifest = pack_dir / "pack.json"
    if not force and manifest.exists():
        try:
            if json.loads(manifest.read_text()).get("inputs_hash") == fingerprint:
                return PackResult(la.la_name, "skipped", pack_dir)
        except (OSError, ValueError):
            pass  # unreadable manifest: rebuild
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{la.slug}-", dir=out_dir))
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write the output folder ({exc.strerror})") from None
    run_date = start.strftime("%Y-%m-%d %H:%M")
    footer = provenance_html(provenance, params)
    pages, done, tables, written = [], [], [], []
    try:
        for nb_path in notebooks:
            own = {k: v for k, v in params.items() if k in declared_parameters(nb_path)}
            executed = work / nb_path.name
            try:
                papermill.execute_notebook(str(nb_path), str(executed), parameters=own, kernel_name="python3",
                                           progress_bar=False, cwd=str(work),
                                           extra_arguments=["--IPKernelApp.log_level=ERROR"])  # quiet start-up
            except papermill.PapermillExecutionError as exc:
                message = f"{nb_path.stem}: {exc.ename}: {str(exc.evalue).splitlines()[0] if exc.evalue else ''}"
                return _failed(la, pack_dir, work, message, start)
            nb = nbformat.read(executed, as_version=4)
            title = notebook_title(nb, nb_path.stem)
            page = render_html(exports.with_chart_html(nb), f"{la.la_name}: {title}", la.la_name, footer, show_code)
            (work / f"{nb_path.stem}.html").write_text(page, encoding="utf-8")
            if export:
                (work / "charts").mkdir(exist_ok=True)
                written += exports.export_charts(nb, work / "charts", nb_path.stem, la.la_name)
            source = f"{title} ({nb_path.stem}.html); data files under Provenance in index.html"
            tables += [{**t, "la_name": t["la_name"] or la.la_name, "source": t["source"] or source,
                        "sheet": f"{nb_path.stem[:2]} {t['title']}"} for t in exports.table_records(nb)]
            pages.append((f"{nb_path.stem}.html", title))
            done.append(nb_path.stem)
        (work / "index.html").write_text(index_html(la, pages, provenance, params, run_date), encoding="utf-8")
        if xlsx:
            written.append(exports.write_workbook(tables, work / f"{la.slug}.xlsx"))
        if pdf:
            written += exports.write_pdfs([(work / "index.html", "Contents"),
                                           *[(work / href, title) for href, title in pages]], la.la_name, run_date)
        (work / "pack.json").write_text(json.dumps({
            "la_code": la.la_code, "la_name": la.la_name, "notebooks": done, "parameters": params,
            "package_version": __version__, "run_date": run_date, "inputs_hash": fingerprint,
            "exports": [str(p.relative_to(work)) for p in written],
            "data_files": provenance[["file", "sha256"]].to_dict("records")}, indent=2, default=str))
        _swap_in(work, pack_dir)
    except Exception as exc:  # noqa: BLE001 - any failure leaves no half pack; the caller reports it
        return _failed(la, pack_dir, work, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                       start)
    return PackResult(la.la_name, "built", pack_dir, seconds=(dt.datetime.now() - start).total_seconds(),
                      notebooks=done)


def _swap_in(work: Path, pack_dir: Path) -> None:
    """Replace the old pack with the finished one, with only renames at the moment of change."""
    old = None
    if pack_dir.exists():
        old = pack_dir.with_name(f".{pack_dir.name}-old-{os.getpid()}")
        os.replace(pack_dir, old)
    os.replace(work, pack_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _failed(la: LA, pack_dir: Path, work: Path, message: str, start: dt.datetime) -> PackResult:
    shutil.rmtree(work, ignore_errors=True)
    return PackResult(la.la_name, "failed", pack_dir, error=message,
                      seconds=(dt.datetime.now() - start).total_seconds())


def _build_one(args: tuple) -> PackResult:
    la, notebooks, out_dir, params, provenance, options = args
    try:
        return build_pack(la, notebooks, out_dir, params, provenance, **options)
    except CscError as exc:
        return PackResult(la.la_name, "failed", out_dir / la.slug, error=str(exc))


def build_many(las: list[LA], notebooks: list[Path], out_dir: Path, params: dict, provenance: pd.DataFrame,
               jobs: int = 1, progress=None, **options) -> list[PackResult]:
    """Build packs for many LAs in worker processes, carrying on past failures."""
    tasks = [(la, notebooks, out_dir, params, provenance, options) for la in las]
    results = []
    if jobs <= 1:
        for task in tasks:
            results.append(_build_one(task))
            if progress:
                progress(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for future in as_completed([pool.submit(_build_one, t) for t in tasks]):
            results.append(future.result())
            if progress:
                progress(results[-1])
    return sorted(results, key=lambda r: r.la_name)


def summary_frame(results: list[PackResult]) -> pd.DataFrame:
    """One row per LA: la_name, status, seconds, pack_dir, error."""
    return pd.DataFrame([{"la_name": r.la_name, "status": r.status, "seconds": round(r.seconds, 1),
                          "pack_dir": str(r.pack_dir), "error": r.error} for r in results])
