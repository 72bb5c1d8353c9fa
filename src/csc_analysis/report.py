"""Per-authority runs: execute the notebooks (papermill parameters, warm kernels) and build a self-contained HTML pack.

A pack is `OUT/<la-slug>/`: one executed `.ipynb` and one `.html` per notebook, `index.html`
linking them, and `pack.json` recording what went in and every file the package wrote. Every
page works with no network: the Vega libraries are inlined and nbconvert's CDN scripts are left
out (templates/csc_pack).

The pack folder is shared with its owner: a run replaces only files that `pack.json` says the
package wrote, never anything else. Pages are built in a hidden work folder and moved in one file
at a time with `os.replace`, `pack.json` last, so at every moment the folder holds a readable
pack (old pages, new pages or a mix) and a failed or interrupted run leaves the previous pack.
A run of some notebooks (`--notebook 03`) updates those pages and keeps the others.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from . import __version__, demo, exports, kernels, load, paths, safe
from .cache import file_digest
from .errors import CscError
from .registry import LA

TEMPLATES = paths.PACKAGE_DIR / "templates"


def _css(*names: str) -> str:
    return "\n".join((TEMPLATES / "csc_pack" / name).read_text(encoding="utf-8") for name in names)


PACK_CSS = _css("pack.css", "print.css")  # every notebook page


@cache
def _pack_templates():
    """The pack's own Jinja templates (templates/csc_pack), autoescaped: every value is escaped as it is placed."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "csc_pack"), autoescape=True, undefined=jinja2.StrictUndefined
    )


def _parts():
    return _pack_templates().get_template("pack_parts.html.j2").module


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
    folder = folder or paths.notebooks_dir()
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
    """`KEY=VALUE` strings into a dict; values read as YAML scalars (2024 -> int; none/null -> None).

    `NN:KEY=VALUE` gives the parameter to notebook NN only (two notebooks may declare one name with different
    meanings: `placement_costs` is a cost-per-placement-type table in 05 and a cost-per-category table in 07).

    >>> parse_parameters(["year=2024", "07:horizon=2", "as_at=2025-03-31", "annex_a=none"])
    {'year': 2024, '07:horizon': 2, 'as_at': '2025-03-31', 'annex_a': None}
    """
    import yaml

    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not re.fullmatch(r"(\d\d:)?[A-Za-z_]\w*", key.strip()):
            raise CscError(f"parameter {pair!r} is not KEY=VALUE or NN:KEY=VALUE (NN: a notebook's number)")
        if raw.strip().lower() in ("none", "null"):
            out[key.strip()] = None
            continue
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except (yaml.YAMLError, ValueError):  # ValueError: a date YAML cannot make, e.g. 2025-13-01
            value = raw
        # Dates stay text (ISO): notebooks parse them, and papermill passes parameters as JSON.
        out[key.strip()] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def declared_parameters(notebook: Path) -> frozenset[str]:
    """The names a notebook's `parameters` cell declares (papermill reads them; read once per file version)."""
    return frozenset(declared_types(notebook))


def declared_types(notebook: Path) -> dict[str, str]:
    """Each declared parameter's annotation as papermill reads it (`int`, `Optional[str]`, ...), by name."""
    stat = Path(notebook).stat()
    return dict(_declared(str(notebook), stat.st_mtime_ns, stat.st_size))


@cache
def _declared(notebook: str, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    import papermill

    return tuple((name, p["inferred_type_name"]) for name, p in papermill.inspect_notebook(notebook).items())


# What a value read from `-p KEY=VALUE` must be for each annotation a parameters cell uses, in words for the error.
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text", "list": "a list"}


def checked_parameter(name: str, value: object, annotation: str, notebook: str) -> object:
    """`value` as the notebook's annotation wants it, or a one-line error naming the parameter and the notebook.

    YAML reads `-p sn_model=2021` as a number and `-p indicators=referrals` as text: a number for a text
    parameter becomes text (so do the numbers in a list: `[350, 354]` are LA codes), and text for a list
    parameter a list of one. `Optional[X]` also takes None and `Union[X, Y]` either; an annotation not listed
    in `_KINDS` passes the value as given.

    >>> checked_parameter("sn_model", 2021, "str", "04")
    '2021'
    >>> checked_parameter("indicators", "referrals", "Optional[list]", "04")
    ['referrals']
    >>> checked_parameter("horizon", "three", "int", "02_referral_forecast")
    Traceback (most recent call last):
    csc_analysis.errors.CscError: parameter horizon='three': 02_referral_forecast expects a whole number
    """
    optional = annotation.startswith("Optional[")
    inner = annotation[len("Optional[") : -1] if optional else annotation
    kinds = inner[len("Union[") : -1].split(", ") if inner.startswith("Union[") else [inner]
    if value is None and optional:
        return None
    if not set(kinds) <= set(_KINDS):
        return value
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if "str" in kinds and number and not {"int", "float"} & set(kinds):
        return str(value)
    if "list" in kinds and isinstance(value, str) and "str" not in kinds:
        return [value]
    for kind in kinds:
        if kind == "bool" and isinstance(value, bool):
            return value
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if kind == "str" and isinstance(value, str):
            return value
        if kind == "list" and isinstance(value, list):
            return [str(x) if isinstance(x, int | float) and not isinstance(x, bool) else x for x in value]
    wanted = " or ".join(_KINDS[k] for k in kinds) + (" or none" if optional else "")
    raise CscError(f"parameter {name}={value!r}: {notebook} expects {wanted}")


def notebook_parameters(params: dict, notebook: Path) -> dict:
    """The parameters one notebook gets: every `KEY` it declares, then its own `NN:KEY` ones, which win; each
    value as the notebook's annotation wants it (`checked_parameter`)."""
    declared = declared_types(notebook)
    own = {k: v for k, v in params.items() if k in declared}
    scoped = {k.partition(":")[2]: v for k, v in params.items() if k.startswith(f"{notebook.stem[:2]}:")}
    chosen = {**own, **{k: v for k, v in scoped.items() if k in declared}}
    return {k: checked_parameter(k, v, declared[k], notebook.stem) for k, v in chosen.items()}


def check_parameters(params: dict, notebooks: list[Path]) -> None:
    """Every user parameter must be declared by at least one of the notebooks being run (an `NN:KEY`
    parameter by notebook NN), with a value each of them can take: checked before any kernel starts."""
    declared = set().union(*(declared_parameters(nb) for nb in notebooks)) if notebooks else set()
    declared |= {f"{nb.stem[:2]}:{name}" for nb in notebooks for name in declared_parameters(nb)}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise CscError(
            f"parameter(s) {', '.join(unknown)} not declared by any notebook; declared: {', '.join(sorted(declared))}"
        )
    for nb in notebooks:
        notebook_parameters(params, nb)


def check_years(params: dict, tidy: pd.DataFrame) -> None:
    """A `year` parameter must be a year the data hold: a later one would quietly show the latest year instead."""
    first, last = int(tidy["year"].min()), int(tidy["year"].max())
    for key, value in params.items():
        if key.rpartition(":")[2] == "year" and isinstance(value, int) and not first <= value <= last:
            raise CscError(f"parameter {key}={value} is outside the data ({first}-{last})")


def data_digests(data_dir: str | os.PathLike | None) -> dict[str, str]:
    """SHA-256 of every file the notebooks read from the data folder, by file name ("missing" for a file that
    is not there: only the notebooks that need it fail, naming it)."""
    return {
        path.name: file_digest(path) if path.exists() else "missing"
        for path in load.input_files(paths.data_dir(data_dir))
    }


def local_digests(params: dict) -> dict[str, str]:
    """SHA-256 of each local file a parameter names (a file, or every file in a folder), by path."""
    out = {}
    for value in params.values():
        if not isinstance(value, str) or not value or not Path(value).exists():
            continue
        root = Path(value)
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                out[str(path)] = file_digest(path)
    return out


def page_hash(notebook: Path, params: dict, options: dict, data: dict[str, str]) -> str:
    """Fingerprint of everything that makes one page: the notebook's bytes, its parameters, the bytes
    of the data and local files it reads, the options that change output and the package version."""
    inputs = {
        "version": __version__,
        "notebook": notebook.name,
        "parameters": params,
        "options": options,
        "data": data,
        "local_files": local_digests(params),
    }
    h = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode())
    h.update(notebook.read_bytes())
    return h.hexdigest()


# UTF-8 bytes whatever the child's stdout encoding (Windows consoles' is not UTF-8).
_BUNDLE = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle().encode('utf-8'))"
_BUNDLE_LOCK = threading.Lock()


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one inline script (vl-convert ships them; no CDN), made once a process.

    vl-convert holds the GIL while it bundles (1.3 s of CPU here), which would stall every thread of this process,
    those that drive the kernels too; a child Python makes it instead. `build_many` asks for it as soon as a run
    has pages to do, so it is ready by the first page."""
    with _BUNDLE_LOCK:  # one child, whichever thread asks first
        return _vega_bundle()


def _prepare_bundle() -> None:
    """`vega_bundle`, made while the first pages run; a failure is reported by the first page that needs it."""
    with contextlib.suppress(CscError):
        vega_bundle()


@cache
def _vega_bundle() -> str:
    done = subprocess.run([sys.executable, "-c", _BUNDLE], capture_output=True, encoding="utf-8", check=False)
    if done.returncode or not done.stdout:
        raise CscError(f"vl-convert could not bundle Vega for the pages: {_first_line(done.stderr.strip())}")
    return done.stdout.replace("</script", "<\\/script")


def render_html(nb: nbformat.NotebookNode, title: str, la_name: str, footer_html: str, show_code: bool) -> str:
    """An executed notebook as a self-contained HTML page (templates/csc_pack, through `page_exporter`)."""
    from . import page_exporter

    resources = {
        "metadata": {"name": title},
        "csc_vega_bundle": vega_bundle(),
        "csc_css": PACK_CSS,
        "csc_la_name": safe.html_text(la_name),
        "csc_footer": footer_html,
    }
    body, _ = page_exporter.exporter(show_code).from_notebook_node(nb, resources=resources)
    return body


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first Markdown heading of a notebook: in a Markdown cell, or displayed by a code cell
    (a title that depends on parameters, e.g. one that says SYNTHETIC in a demo)."""
    for cell in nb.cells:
        texts = (
            [cell.source]
            if cell.cell_type == "markdown"
            else ["".join(out.get("data", {}).get("text/markdown", "")) for out in cell.get("outputs", [])]
        )
        for text in texts:
            match = re.search(r"^#\s+(.+)$", text, flags=re.M)
            if match:
                return match.group(1).strip()
    return fallback


def _shown_parameters(params: dict) -> dict[str, str]:
    """Parameters as the pages show them: name -> the value's repr."""
    return {str(k): repr(v) for k, v in params.items()}


def provenance_html(provenance: pd.DataFrame, params: dict) -> str:
    """Data files with checksums and years, parameters and package version, as HTML."""
    files = provenance[["file", "publication", "years", "sha256"]].to_dict("records")
    return str(_parts().provenance(files, _shown_parameters(params), __version__))


MARKER_CLASS = {"▲": "better", "●": "similar", "▼": "worse", "◇": "neutral", "–": "none"}


def scorecard_html(card: pd.DataFrame, pages: dict, ofsted: str = "") -> str:
    """The index page's scorecard: one row per headline indicator, linked to the page that explains it.

    The marker says better/similar/worse in words and a symbol; colour only repeats it. Every value
    comes from data, so the template escapes every cell."""
    from . import scorecard

    if card.empty:
        return "<p>No scorecard: this LA has no published headline figures.</p>"
    shown = scorecard.display_table(card)
    rows = []
    for (_, r), (_, line) in zip(shown.iterrows(), card.iterrows()):
        page = pages.get(line["page"])
        marker = r["vs neighbours"]
        rows.append(
            {
                "area": r["Area"],
                "label": r["Indicator"],
                "href": page["files"][0] if page else "",
                "latest": r["Latest"],
                "count": r["Count"],
                "count_label": line["count_label"],
                "others": [r[c] for c in shown.columns[4:-1]],
                "marker": marker,
                "marker_class": MARKER_CLASS.get(marker[:1], "none"),
            }
        )
    return str(_parts().scorecard(list(shown.columns), rows, ofsted, scorecard.MARKER_NOTE))


def pack_scorecard(
    la: LA, data_dir: str | os.PathLike | None, sn_model: str | int | list[str] = "2025"
) -> tuple[pd.DataFrame, str]:
    """The scorecard frame for an LA and a sentence on its latest Ofsted judgement.

    What does not depend on the LA is read once per data vintage (`_scorecard_inputs`), not once per LA."""
    from . import inspections, neighbours, scorecard
    from .cache import key

    folder = paths.data_dir(data_dir)
    tidy, registry, models, latest, visits = _scorecard_inputs(folder, key(load.input_files(folder)))
    sn = neighbours.sn_table(models, registry, la, sn_model)
    card = scorecard.for_la(tidy, la, list(sn["la_code"]))
    own = latest[latest["la_code"] == la.la_code]
    ofsted = (
        f"Ofsted (ILACS): {own.iloc[0]['overall']} overall, inspected {own.iloc[0]['inspection_date']:%d %B %Y}."
        if len(own)
        else "Ofsted (ILACS): no judgement in the outcomes as at 31 March 2025."
    )
    since = inspections.visits_since(visits, latest, la)
    return card, f"{ofsted} {inspections.latest_visit_phrase(since, inspections.coverage(visits))}"


@lru_cache(maxsize=2)
def _scorecard_inputs(folder: Path, vintage: str) -> tuple:
    """The published table, registry, SN models, and Ofsted judgements and visits with DfE codes, from `folder`.

    Cached by `vintage`, the SHA-256 of every input file (`cache.key`): a changed file is read again. The
    frames are shared between calls: every use filters them, none changes them."""
    from . import inspections

    registry = load.registry(folder)
    return (
        load.published(folder),
        registry,
        load.sn_models(folder),
        inspections.attach_codes(load.ofsted("latest", folder), registry),
        inspections.attach_codes(load.ofsted_visits(folder), registry),
    )


def index_html(
    la: LA, pages: dict, provenance: pd.DataFrame, run_date: str, card_html: str = "", demo_on: bool = False
) -> str:
    """The pack's front page: LA, data vintage and run date, the scorecard, every page in the pack, and a
    collapsed "About this pack" with parameters, versions and the data files' checksums."""
    from markupsafe import Markup

    latest = max(int(y) for y in re.findall(r"\d{4}", " ".join(provenance["years"])))
    listed = [
        {
            "href": page["files"][0],
            "title": page.get("title", stem),
            "run_date": page.get("run_date", "by an earlier version"),
            "parameters": _shown_parameters(page.get("parameters", {})),
        }
        for stem, page in sorted(pages.items())
    ]
    return (
        _pack_templates()
        .get_template("pack_index.html.j2")
        .render(
            la=la,
            latest=latest,
            run_date=run_date,
            pages=listed,
            version=__version__,
            heading=demo.label(f"{la.la_name}: children's social care analysis pack", demo_on),
            note=demo.banner(demo_on).replace("**", "") if demo_on else "",
            css=Markup(_css("pack.css", "print.css", "scorecard.css")),  # the package's own files, not data
            scorecard=Markup(card_html),
            provenance=Markup(provenance_html(provenance, {"la": la.la_name})),
        )
    )


def build_pack(
    la: LA,
    notebooks: list[Path],
    out_dir: Path,
    params: dict,
    provenance: pd.DataFrame,
    *,
    show_code: bool = False,
    force: bool = False,
    export: bool = False,
    xlsx: bool = True,
    pdf: bool = False,
    data_dir: str | os.PathLike | None = None,
    jobs: int = 1,
) -> PackResult:
    """Execute and render the notebooks for one LA into OUT/<slug>/, replacing only the package's own files.

    `export` adds charts/ (SVG and PNG), `xlsx` the workbook <slug>.xlsx of every table in the pack, `pdf` an
    A4 PDF of every page and of the index. Up to `jobs` notebooks run at once, each in its own kernel.

    `data_dir` is the data folder the notebooks read (None: the bundled data); it is passed to each
    notebook as its `data_dir` parameter. Pages whose inputs are unchanged are not rebuilt unless `force`.
    """
    return build_many(
        [la],
        notebooks,
        out_dir,
        params,
        provenance,
        jobs=jobs,
        show_code=show_code,
        force=force,
        export=export,
        xlsx=xlsx,
        pdf=pdf,
        data_dir=data_dir,
    )[0]


@dataclass
class _Pack:
    """One LA's pack while it is built: the pages to run, the hidden work folder, the pages done so far."""

    la: LA
    pack_dir: Path
    work: Path
    old: dict
    todo: dict  # notebook path -> (its own parameters, inputs fingerprint)
    digests: dict
    provenance: pd.DataFrame
    params: dict
    options: dict
    start: dt.datetime
    pages: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # notebook stem -> the tables its page shows (for the workbook)
    scorecard: tuple[pd.DataFrame, str] | None = None  # `pack_scorecard`'s, once computed (`_scorecard`)
    error: str = ""


def _plan(
    la: LA,
    notebooks: list[Path],
    out_dir: Path,
    params: dict,
    provenance: pd.DataFrame,
    *,
    show_code: bool = False,
    force: bool = False,
    export: bool = False,
    xlsx: bool = True,
    pdf: bool = False,
    data_dir: str | os.PathLike | None = None,
) -> "_Pack | PackResult":
    """What one LA's run has to do: a `_Pack` with the pages to rebuild, or a skipped result when none."""
    start = dt.datetime.now()
    demo_on = bool(params.get("demo"))  # `run --demo`: every title and file name says SYNTHETIC
    pack_dir = out_dir / demo.file_stem(la.slug, demo_on)
    folder = str(Path(data_dir).resolve()) if data_dir else None
    params = {**params, "la": la.la_name, "data_dir": folder}
    options = {"show_code": show_code, "export_charts": export, "xlsx": xlsx, "pdf": pdf}
    digests = data_digests(folder)
    provenance = provenance.assign(sha256=provenance["file"].map(digests).fillna(provenance["sha256"]))
    old = read_manifest(pack_dir)
    wanted = {}
    for nb_path in notebooks:
        own = notebook_parameters(params, nb_path)
        wanted[nb_path] = (own, page_hash(nb_path, own, options, digests))
    todo = {nb: w for nb, w in wanted.items() if force or not _up_to_date(old, pack_dir, nb.stem, w[1])}
    if not todo:
        return PackResult(la.la_name, "skipped", pack_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{la.slug}-", dir=out_dir))
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write the output folder ({exc.strerror})") from None
    return _Pack(la, pack_dir, work, old, todo, digests, provenance, params, options, start)


def _execute(pack: _Pack, nb_path: Path, kernel: kernels.Kernel) -> nbformat.NotebookNode | None:
    """Run one notebook of a pack in `kernel` (a worker's thread), in the pack's work folder: the executed
    notebook, or None when the pack has already failed or this page fails (recorded on the pack; the first
    failure wins, and the pack's pages that have not started are not run)."""
    if pack.error:
        return None
    nb = kernels.parameterized(nb_path, pack.todo[nb_path][0])
    try:
        return kernel.run(nb, pack.work)
    except kernels.PageError as exc:
        pack.error = pack.error or f"{nb_path.stem}: {exc.ename}: {_first_line(exc.evalue)}"
    except Exception as exc:  # noqa: BLE001 - any failure fails this LA's pack only; the caller reports it
        pack.error = pack.error or f"{nb_path.stem}: {type(exc).__name__}: {_first_line(exc)}"
    return None


def _render(pack: _Pack, nb_path: Path, nb: nbformat.NotebookNode) -> None:
    """Write an executed page into the pack's work folder (the caller's thread, while the workers' kernels run
    the next pages) and note it on the pack; a failure is recorded on the pack as `_execute`'s are."""
    own, fingerprint = pack.todo[nb_path]
    try:
        page, tables = _build_page(
            pack.la,
            nb_path,
            nb,
            pack.work,
            own,
            pack.provenance,
            pack.options["show_code"],
            pack.options["export_charts"],
            bool(pack.params.get("demo")),
        )
    except CscError as exc:
        pack.error = pack.error or str(exc)
        return
    except Exception as exc:  # noqa: BLE001 - any failure fails this LA's pack only; the caller reports it
        pack.error = pack.error or f"{nb_path.stem}: {type(exc).__name__}: {_first_line(exc)}"
        return
    pack.tables[nb_path.stem] = tables
    pack.pages[nb_path.stem] = {
        **page,
        "parameters": own,
        "options": pack.options,
        "inputs_hash": fingerprint,
        "run_date": pack.start.strftime("%Y-%m-%d %H:%M"),
    }


def _finish(pack: _Pack) -> PackResult:
    """Write the index and the pack-wide files, then move everything into the pack, `pack.json` last."""
    la, work, pack_dir, old = pack.la, pack.work, pack.pack_dir, pack.old
    demo_on, folder = bool(pack.params.get("demo")), pack.params["data_dir"]
    run_date = pack.start.strftime("%Y-%m-%d %H:%M")
    try:
        if pack.error:
            return _failed(la, pack_dir, pack.error, pack.start)
        pages = {nb.stem: pack.pages[nb.stem] for nb in pack.todo}  # notebook order, whatever finished first
        manifest: dict[str, Any] = {
            "la_code": la.la_code,
            "la_name": la.la_name,
            "package_version": __version__,
            "run_date": run_date,
            "data_folder": folder or "bundled",
            "data_files": [{"file": k, "sha256": v} for k, v in pack.digests.items()],
            "pages": {**old.get("pages", {}), **pages},
        }
        card, ofsted = _scorecard(pack)
        (work / "index.html").write_text(
            index_html(
                la,
                manifest["pages"],
                pack.provenance,
                run_date,
                scorecard_html(card, manifest["pages"], ofsted),
                demo_on,
            ),
            encoding="utf-8",
        )
        extras = _pack_exports(
            la,
            work,
            pack_dir,
            manifest["pages"],
            pages,
            pack.tables,
            run_date,
            pack.options["xlsx"],
            pack.options["pdf"],
            card,
            demo_on,
        )
        manifest["files"] = ["index.html", *extras]
        install(
            work,
            pack_dir,
            old,
            manifest,
            [f for page in pages.values() for f in page["files"]] + ["index.html", *extras],
        )
    except CscError as exc:
        return _failed(la, pack_dir, str(exc), pack.start)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the previous pack; the caller reports it
        return _failed(la, pack_dir, f"{type(exc).__name__}: {_first_line(exc)}", pack.start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        pack.tables.clear()  # `--all` keeps every LA's plan to the end: not every LA's tables
    return PackResult(
        la.la_name, "built", pack_dir, seconds=(dt.datetime.now() - pack.start).total_seconds(), notebooks=list(pages)
    )


def _scorecard(pack: _Pack) -> tuple[pd.DataFrame, str]:
    """The pack's scorecard and Ofsted sentence (`pack_scorecard`), computed on first use."""
    if pack.scorecard is None:
        pack.scorecard = pack_scorecard(pack.la, pack.params["data_dir"], pack.params.get("sn_model") or "2025")
    return pack.scorecard


def _first_line(error: BaseException | str) -> str:
    return str(error).splitlines()[0] if str(error) else ""


def _pack_exports(
    la: LA,
    work: Path,
    pack_dir: Path,
    pages: dict,
    rebuilt: dict,
    rebuilt_tables: dict,
    run_date: str,
    xlsx: bool,
    pdf: bool,
    card: pd.DataFrame,
    demo_on: bool = False,
) -> list[str]:
    """The pack-wide files, written into `work`: the workbook of every table on every page in the pack
    (`rebuilt_tables` for the pages rebuilt in this run; the others' are read from the pack), and PDFs of
    the index and the rebuilt pages (each rebuilt page's PDF is added to its own files). Returns the
    pack-wide files written."""
    extras = []
    if xlsx:
        tables = []
        for stem, page in sorted(pages.items()):
            found = rebuilt_tables[stem] if stem in rebuilt else _tables_in_pack(pack_dir, page)
            if found is None:
                continue
            source = f"{page.get('title', stem)} ({stem}.html); data files under Provenance in index.html"
            tables += [
                {
                    **t,
                    "la_name": t["la_name"] or la.la_name,
                    "source": t["source"] or source,
                    "sheet": f"{stem[:2]} {t['title']}",
                }
                for t in found
            ]
        from . import scorecard
        from .charts import table_record

        first = (
            table_record(
                scorecard.display_table(card),
                title="Scorecard",
                la_name=la.la_name,
                source="index.html (DfE, MHCLG and ONS published statistics)",
            )
            if len(card)
            else None
        )
        workbook = f"{demo.file_stem(la.slug, demo_on)}.xlsx"
        exports.write_workbook(tables, work / workbook, first=first)
        extras.append(workbook)
    if pdf:
        printed = [(work / "index.html", "Contents")] + [
            (work / f"{stem}.html", page["title"]) for stem, page in sorted(rebuilt.items())
        ]
        exports.write_pdfs(printed, la.la_name, run_date)
        extras.append("index.pdf")
        for stem, page in rebuilt.items():
            page["files"].append(f"{stem}.pdf")
    return extras


def _tables_in_pack(pack_dir: Path, page: dict) -> list[dict] | None:
    """The tables of a page an earlier run left in the pack, from its executed notebook (None: none to read)."""
    executed = next((f for f in page["files"] if f.endswith(".ipynb")), None)
    if executed is None or not (pack_dir / executed).exists():
        return None
    try:
        return exports.table_records(nbformat.read(pack_dir / executed, as_version=4))
    except (OSError, ValueError):  # a page an older version wrote that cannot be read: no tables from it
        return None


def _build_page(
    la: LA,
    nb_path: Path,
    nb: nbformat.NotebookNode,
    work: Path,
    params: dict,
    provenance: pd.DataFrame,
    show_code: bool,
    export: bool,
    demo_on: bool = False,
) -> tuple[dict, list[dict]]:
    """Write one executed notebook and its page into `work`: its title and the files written (relative to
    `work`), and the tables it shows."""
    exports.with_vega(nb)  # the kernel left compiling its charts for JupyterLab to this process (`vega_by_builder`)
    nbformat.write(nb, work / nb_path.name, indent=None)  # one line: the C JSON encoder, 0.4 s less for 2.7 MB
    title = demo.label(notebook_title(nb, nb_path.stem), demo_on)
    page = render_html(
        exports.with_chart_html(nb),
        f"{la.la_name}: {title}",
        la.la_name,
        provenance_html(provenance, params),
        show_code,
    )
    (work / f"{nb_path.stem}.html").write_text(page, encoding="utf-8")
    files = [f"{nb_path.stem}.html", nb_path.name]
    if export:
        (work / "charts").mkdir(exist_ok=True)
        stem = demo.file_stem(nb_path.stem, demo_on)
        files += [f"charts/{p.name}" for p in exports.export_charts(nb, work / "charts", stem, la.la_name)]
    return {"title": title, "files": files}, exports.table_records(nb)


def read_manifest(pack_dir: Path) -> dict:
    """The pack's `pack.json`, or {} when there is none or it cannot be read (then the package owns nothing)."""
    try:
        manifest = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict):
        return {}
    if "pages" not in manifest and "inputs_hash" in manifest:  # written by 0.1.0, before pages were recorded
        manifest = {
            **manifest,
            "pages": {
                stem: {
                    "files": [f"{stem}.html", f"{stem}.ipynb"]
                    + sorted(f"charts/{p.name}" for p in (pack_dir / "charts").glob(f"{stem}-chart-*"))
                }
                for stem in manifest.get("notebooks", [])
            },
        }
    return manifest if isinstance(manifest.get("pages"), dict) else {}


def owned_files(manifest: dict) -> set[str]:
    """Every file (relative to the pack folder) a manifest says the package wrote."""
    if not manifest:
        return set()
    return {"index.html", "pack.json", *manifest.get("files", [])}.union(
        *(page.get("files", []) for page in manifest["pages"].values())
    )


def _up_to_date(manifest: dict, pack_dir: Path, stem: str, fingerprint: str) -> bool:
    page = manifest.get("pages", {}).get(stem, {})
    return page.get("inputs_hash") == fingerprint and all((pack_dir / f).exists() for f in page.get("files", []))


def install(work: Path, pack_dir: Path, old: dict, manifest: dict, files: list[str]) -> None:
    """Move `files` (relative paths) from `work` into the pack one at a time, remove the package's own
    files that the new manifest no longer lists, and write `pack.json` last.

    A file already in the pack folder that the old manifest does not list belongs to someone else: the run
    stops before changing anything, naming it.
    """
    mine = owned_files(old)
    for rel in files + ["pack.json"]:
        if (pack_dir / rel).exists() and rel not in mine:
            raise CscError(
                f"{pack_dir / rel}: exists and was not written by csc-analysis; move it or use another --out"
            )
    for rel in files:
        (pack_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(work / rel, pack_dir / rel)
    for rel in mine - owned_files(manifest):
        (pack_dir / rel).unlink(missing_ok=True)
    (work / "pack.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    os.replace(work / "pack.json", pack_dir / "pack.json")


def _failed(la: LA, pack_dir: Path, message: str, start: dt.datetime) -> PackResult:
    return PackResult(
        la.la_name, "failed", pack_dir, error=message, seconds=(dt.datetime.now() - start).total_seconds()
    )


# The kernels' environment (they inherit this process's). Each kernel does its numerical work on one thread: the run
# is parallel across notebooks instead, and BLAS threads competing for the same cores make small model fits (forecast
# backtests) many times slower. glibc's malloc serves a large block (a column of the published table is 2.4 MB) from
# its own mapping, handed back when freed, only while the block is over its mmap threshold; by default the threshold
# rises to the largest block freed (up to 32 MiB), after which a page's large temporary arrays come from the heap and
# their memory stays with the kernel. Held at glibc's starting value (128 KiB), a kernel's peak is 20 MiB lower
# (issue #18's 400 MiB; about 4% more CPU). Other C libraries ignore the variable. Arrow (pandas' strings) allocates
# through the same C allocator, not its own pool (mimalloc), which keeps what it frees: without this a warm kernel
# crept up by 8 MiB over 26 LAs' pages and peaked 30 MiB higher.
KERNEL_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_MMAP_THRESHOLD_": "131072",
    "ARROW_DEFAULT_MEMORY_POOL": "system",
}


def default_jobs() -> int:
    """Notebooks run at once when `--jobs` is not given: the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_many(
    las: list[LA],
    notebooks: list[Path],
    out_dir: Path,
    params: dict,
    provenance: pd.DataFrame,
    jobs: int = 1,
    progress=None,
    **options,
) -> list[PackResult]:
    """Build packs for many LAs, carrying on past failures; results in the order of `las`.

    Notebooks, not whole LAs, are the unit of work: every (LA, notebook) page goes into one queue, in LA
    then notebook order, and `jobs` workers each take the next page and run it in the worker's own warm
    kernel (`kernels.Kernel`: started once, cleared between pages), so the cores stay busy to the last
    page and no page pays for starting Python and importing the package again. This thread writes each
    page (notebook, HTML, charts) while the kernels run the next ones. An LA's pack is finished
    (index, workbook, PDFs, moved into place) as soon as its last page is done. A failing notebook fails
    its LA only; that LA's pages not yet started are not run. `progress` is called with each LA's result
    as it is known.
    """
    for name, value in KERNEL_ENV.items():
        os.environ.setdefault(name, value)  # kernels inherit this process's environment
    results: dict[int, PackResult] = {}
    packs: dict[int, _Pack] = {}

    def done(i: int, result: PackResult) -> None:
        results[i] = result
        if progress:
            progress(result)

    try:
        for i, la in enumerate(las):
            try:
                planned = _plan(la, notebooks, out_dir, params, provenance, **options)
            except CscError as exc:
                planned = PackResult(la.la_name, "failed", out_dir / la.slug, error=str(exc))
            if isinstance(planned, PackResult):
                done(i, planned)
            else:
                packs[i] = planned
        left = {i: len(pack.todo) for i, pack in packs.items()}
        if packs:
            threading.Thread(target=_prepare_bundle, name="csc-vega-bundle", daemon=True).start()
        # Closed on the way out, whatever the way: the workers stop and their kernels too before work folders go.
        with contextlib.closing(_run_pages(packs, max(1, jobs))) as pages:
            for i, nb_path, nb in pages:
                if nb is not None and not packs[i].error:
                    _render(packs[i], nb_path, nb)
                left[i] -= 1
                if not left[i]:
                    done(i, _finish(packs[i]))
                elif packs[i].scorecard is None and not packs[i].error:
                    # This thread would otherwise wait while the workers run the pack's other pages: the scorecard,
                    # which needs no page, is made now rather than after the last page, when nothing runs beside it.
                    with contextlib.suppress(Exception):  # `_finish` makes it again and reports the failure
                        _scorecard(packs[i])
    finally:
        for pack in packs.values():  # an interrupted run leaves no work folder behind
            shutil.rmtree(pack.work, ignore_errors=True)
    return [results[i] for i in range(len(las))]


def _run_pages(packs: dict[int, "_Pack"], jobs: int):
    """Run every pack's pages on `jobs` worker threads, each with its own warm kernel; yields each page as it is
    done: its pack number, notebook and the executed notebook (None if the page failed or was not run).

    The caller renders each page while the workers' kernels run the next ones: a worker that rendered its own
    page would leave its kernel idle meanwhile (1.35 s after a pack's first page). At most `jobs` executed pages
    wait for the caller; a worker with another one waits for room. An interrupt (or any error outside a page)
    stops the workers after their current page, shuts their kernels down and is raised here."""
    tasks: queue.SimpleQueue = queue.SimpleQueue()
    for i, pack in packs.items():
        for nb in pack.todo:
            tasks.put((i, nb))
    finished: queue.Queue = queue.Queue(maxsize=jobs)
    stop = threading.Event()

    def hand_over(item: tuple) -> None:
        while not stop.is_set():  # the caller may have stopped taking pages (an interrupt)
            try:
                finished.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def work() -> None:
        kernel = kernels.Kernel()
        try:
            while not stop.is_set():
                try:
                    i, nb = tasks.get_nowait()
                except queue.Empty:
                    return
                hand_over((i, nb, _execute(packs[i], nb, kernel), None))
        except BaseException as exc:  # noqa: BLE001 - an interrupt inside a page: handed to the caller's thread
            hand_over((None, None, None, exc))
        finally:
            kernel.shutdown()

    count = sum(len(pack.todo) for pack in packs.values())
    workers = [threading.Thread(target=work, name=f"csc-page-{n}", daemon=True) for n in range(min(jobs, count))]
    for worker in workers:
        worker.start()
    try:
        for _ in range(count):
            i, nb_path, nb, exc = finished.get()
            if exc is not None:
                raise exc
            yield i, nb_path, nb
    finally:
        stop.set()
        for worker in workers:
            worker.join()


def check_writable(out_dir: Path) -> None:
    """Fail in one line, before any work, when the packs cannot be written to `out_dir`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise CscError(f"{out_dir}: cannot write the output folder ({exc.strerror})") from None


def write_summary(summary: pd.DataFrame, path: Path) -> None:
    """`run-summary.csv`; a folder that has become unwritable is a one-line error."""
    try:
        summary.to_csv(path, index=False)
    except OSError as exc:
        raise CscError(f"{path}: cannot write the run summary ({exc.strerror})") from None


def summary_frame(results: list[PackResult]) -> pd.DataFrame:
    """One row per LA: la_name, status, seconds, pack_dir, error."""
    return pd.DataFrame(
        [
            {
                "la_name": r.la_name,
                "status": r.status,
                "seconds": round(r.seconds, 1),
                "pack_dir": str(r.pack_dir),
                "error": r.error,
            }
            for r in results
        ]
    )
