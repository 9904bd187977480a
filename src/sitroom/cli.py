"""The ``sitroom`` command: a thin shell over the library (sources -> pipeline -> store -> export).

Every command calls library functions; errors become one clean line on stderr. Reports and query
results go to stdout, everything else (progress, notes, per-document errors) to stderr, so
``sitroom analyze ... --format jsonl > out.jsonl`` holds nothing but reports.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import SitroomError
from .model import Document, Report
from .pipeline import Failure, analyze_many
from .settings import DEFAULT
from .sources import count_documents, read_paths

app = typer.Typer(
    name="sitroom",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SAMPLE = "data/samples/mosul_2017.txt"
SAMPLE_PUBLISHED = "2017-06-19"

F = TypeVar("F", bound=Callable[..., Any])


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    geojson = "geojson"
    acled = "acled"
    ucdp = "ucdp"
    gkg = "gkg"
    parquet = "parquet"


class ExportKind(StrEnum):
    events = "events"
    figures = "figures"
    linked = "linked"
    all = "all"


DbOption = Annotated[Path, typer.Option("--db", envvar="SITROOM_DB", help="SQLite store file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows (0: no limit).")]
CountryOption = Annotated[str | None, typer.Option("--country", help="ISO country code, e.g. IQ.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only facts dated on or after YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only facts dated on or before YYYY-MM-DD.")]
DocOption = Annotated[str | None, typer.Option("--doc", help="Only facts of this document id.")]
PublishedOption = Annotated[
    str | None,
    typer.Option("--published", help="Publication date YYYY-MM-DD for documents that carry none "
                 "(the base for 'on Sunday', 'last week')."),
]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")]


# -- plumbing ------------------------------------------------------------------------------------
def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    # Soft wrap: a summary line with a long path stays one line (scripts read it); tables still fit the width.
    return Console(highlight=False, soft_wrap=True)


def _say(console: Console, prefix: str, message: str, style: str) -> None:
    """One line on stderr, never wrapped, never read as markup."""
    console.print(f"{prefix}: ", style=style, end="", markup=False)
    console.print(message, markup=False, soft_wrap=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    _say(_stderr(), "error", message, "bold red")
    return typer.Exit(code)


def _clean_errors(fn: F) -> F:
    """Turn expected errors into one line on stderr and exit status 1 (no tracebacks)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SitroomError as exc:
            raise _fail(str(exc)) from None
        except sqlite3.Error as exc:
            raise _fail(f"database error: {exc}") from None
        except BrokenPipeError:
            # `sitroom analyze ... | head`: the reader went away; stop quietly.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            raise _fail(f"{(exc.strerror or str(exc)).lower()}{where}") from None
        except KeyboardInterrupt:
            raise _fail("interrupted", 130) from None

    return wrapper  # type: ignore[return-value]


def _check_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option) from None


def _open_store(db: Path, create: bool = False) -> Any:
    from .store import Store  # imported here: `sitroom analyze` never touches SQLite

    return Store(db, create=create)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def _limit(limit: int) -> int | None:
    return limit or None


Outcome = tuple[str, Document, Report | Failure | None]  # ("report" | "failed" | "skipped", doc, result)


def _outcomes(items: Iterable[Document | Failure], skip: Callable[[Document], bool] | None = None,
              workers: int = 1, dask: str | None = None) -> Iterator[Outcome]:
    """Read failures, skipped documents and analysed ones, all in input order."""
    if workers > 1 or dask:
        from . import parallel

        yield from parallel.outcomes(items, skip, workers=workers, dask=dask)
        return
    for item in items:
        if isinstance(item, Failure):
            yield "failed", item.document, item
        elif skip is not None and skip(item):
            yield "skipped", item, None
        else:
            result = _analyse_one(item)
            yield ("report" if isinstance(result, Report) else "failed"), item, result


def _analyse_one(doc: Document) -> Report | Failure:
    """``analyze_many`` owns the error policy; this only guards the batch against what escapes it."""
    try:
        return next(iter(analyze_many([doc], DEFAULT)))
    except Exception as exc:  # noqa: BLE001 - an analyser bug must cost one document, not the batch
        return Failure(doc, "analysis", f"{type(exc).__name__}: {exc}")


def _progress(err: Console, enabled: bool) -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, disable=not (enabled and err.is_terminal), transient=False,
        # rich would otherwise route sys.stdout into the live display (stderr): reports must stay on stdout.
        redirect_stdout=False, redirect_stderr=False,
    )


def _report_failure(err: Console, failure: Failure) -> None:
    stage = "" if failure.stage == "read" else f" [{failure.stage}]"
    _say(err, "failed", f"{failure.document.id}: {failure.reason}{stage}", "red")


def _note_language(err: Console, report: Report) -> None:
    lang = report.document.language
    if lang not in (None, "en"):
        _say(err, "note", f"{report.document.id}: not English (language {lang}); kept without facts", "yellow")


def _run(
    paths: list[str], published: str | None, progress: bool, skip: Callable[[Document], bool] | None = None,
    workers: int = 1, dask: str | None = None,
) -> Iterator[Outcome]:
    """Read, analyse and report per-document problems on stderr; yields every outcome."""
    err = _stderr()
    note = functools.partial(_note, err)
    with _progress(err, progress) as bar:
        task = bar.add_task("analysing", total=count_documents(paths) if progress and err.is_terminal else None)
        for outcome in _outcomes(read_paths(paths, DEFAULT, published=published, on_note=note), skip, workers, dask):
            result = outcome[2]
            if isinstance(result, Failure):
                _report_failure(err, result)
            elif isinstance(result, Report):
                _note_language(err, result)
            bar.advance(task)
            yield outcome


def _note(err: Console, doc_id: str, message: str) -> None:
    _say(err, "note", f"{doc_id}: {message}", "yellow")


# -- commands ------------------------------------------------------------------------------------
def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"sitroom {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Sourced, mapped records of what happened, from crisis and conflict news. Offline.

    Start with `sitroom demo`; analyse your own files with `sitroom analyze PATH`, store them with
    `sitroom ingest PATH --db FILE`, then query with figures / events / quotes / search / show / stats.
    """


@app.command()
@_clean_errors
def demo(db: DbOption = Path("sitroom.db")) -> None:
    """Analyse the bundled sample article and store it.

    The report goes into --db (./sitroom.db) and a readable summary is printed: figures with
    bounds and sources, quotes with speakers, places with coordinates, events, contradictions.
    """
    from .pipeline import analyze

    text = resources.files("sitroom").joinpath(SAMPLE).read_text(encoding="utf-8")
    doc = Document(id="sample:mosul_2017", text=text, published=SAMPLE_PUBLISHED, source="sitroom sample article")
    report = analyze(doc)
    with _open_store(db, create=True) as store:
        # Replace: the printed summary and the stored report must agree after an upgrade.
        added = store.add(report, doc.content_hash, replace=True)
    out = _stdout()
    render_report(report.to_dict(), out)
    state = "stored in" if added.status == "stored" else "updated in"
    out.print(f"\nReport {added.id} {state} {db}.", markup=False)
    out.print("\nExplore further:", style="bold")
    steps = (
        (f"sitroom figures --db {db}", "figures with bounds and sources"),
        (f"sitroom quotes --db {db}", "who said what"),
        (f"sitroom events --db {db}", "events with ACLED types"),
        (f"sitroom show {added.id} --db {db} --json", "the whole report, every fact with its offsets"),
        (f"sitroom export --format geojson --db {db} -o sitroom.geojson", "facts with coordinates, for a map"),
        ("sitroom ingest PATH... --db FILE", "store your own .txt / .html / .jsonl files"),
        ("sitroom analyze PATH... --format json", "print reports without storing them"),
        (f"sitroom serve --db {db}", "the situation room in a browser: open http://127.0.0.1:8000/ "
         "(map, timeline, table, every fact highlighted in its text)"),
    )
    for command, what in steps:
        out.print(f"  # {what}", style="dim", markup=False)
        out.print(f"  {command}", markup=False)


@app.command()
@_clean_errors
def analyze(
    paths: Annotated[list[str], typer.Argument(
        help="Files (.txt .html .jsonl, optionally .gz), directories, or - for stdin.", metavar="PATH")],
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="table (readable), json (one report; a list when several) or jsonl (one a line).")
    ] = Format.table,
    published: PublishedOption = None,
    progress: ProgressOption = True,
) -> None:
    """Print reports for PATHs without storing them.

    stdout holds nothing but reports (jsonl: one a line, in input order, document.id = the input
    id); progress and one line per failed document go to stderr. Exit status 1 only when no
    document could be processed.
    """
    published = _check_date(published, "--published")
    out = _stdout()
    collected: list[dict[str, Any]] = []
    done = failed = 0
    for status, _doc, result in _run(paths, published, progress):
        if status != "report":
            failed += 1
            continue
        done += 1
        assert isinstance(result, Report)
        if fmt is Format.jsonl:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif fmt is Format.json:
            collected.append(result.to_dict())
        else:
            render_report(result.to_dict(), out)
    if fmt is Format.json and collected:
        _print_json(collected[0] if len(collected) == 1 else collected)
    sys.stdout.flush()
    if not done:
        raise _fail(f"nothing could be processed ({failed} failed)" if failed else "no documents found")


@app.command()
@_clean_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt .html .jsonl .warc .arc .rss .atom .xml, "
                                               "optionally .gz), directories, or -.",
                                               metavar="PATH")],
    db: DbOption = Path("sitroom.db"),
    published: PublishedOption = None,
    reanalyse: Annotated[bool, typer.Option(
        "--reanalyse", help="Analyse content already stored again and replace its report.")] = False,
    progress: ProgressOption = True,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Analyse in N local processes (one writer stores the reports).")] = 1,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS",
        help="Analyse on a Dask cluster (scheduler address, e.g. tcp://host:8786); needs sitroom[dask].")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Write Parquet shards to DIR instead of the store; merge them later "
        "with `sitroom load DIR`.")] = None,
    shard_size: Annotated[int, typer.Option(
        "--shard-size", min=1, help="Documents per Parquet shard (with --out).")] = 1000,
) -> None:
    """Analyse PATHs and store the reports (or, with --out, write them as Parquet shards).

    Documents are keyed by content hash: content already stored is skipped (a re-run adds
    nothing twice) and a failed document is recorded with its reason while the batch goes on.
    """
    published = _check_date(published, "--published")
    run = functools.partial(_run, paths, published, progress, workers=workers, dask=dask)
    if out is not None:
        stored, skipped, failed = _ingest_to_shards(run, out, shard_size, reanalyse)
    else:
        stored, skipped, failed = _ingest_to_store(run, db, reanalyse)
        if stored:
            _link_after_ingest(db)
    if not stored and not skipped:
        raise _fail(f"nothing could be processed ({failed} failed)" if failed else "no documents found")


def _ingest_to_store(run: Callable[..., Iterator[Outcome]], db: Path, reanalyse: bool) -> tuple[int, int, int]:
    stored = skipped = failed = 0
    with _open_store(db, create=True) as store, store.batch():
        skip = None if reanalyse else (lambda d: store.has(d.content_hash))
        for status, doc, result in run(skip=skip):
            if isinstance(result, Report):
                added = store.add(result, doc.content_hash, replace=reanalyse)
                stored += added.status in ("stored", "replaced")
                skipped += added.status == "duplicate"
            elif isinstance(result, Failure):
                store.add_failure(result)
                failed += 1
            elif status == "skipped":
                skipped += 1
    _stdout().print(f"stored {stored}, skipped {skipped} as duplicates, failed {failed} -> {db}", markup=False)
    return stored, skipped, failed


def _ingest_to_shards(run: Callable[..., Iterator[Outcome]], out: Path, shard_size: int,
                      reanalyse: bool) -> tuple[int, int, int]:
    from .shards import ShardWriter, stored_hashes

    seen = set() if reanalyse else stored_hashes(out)
    stored = skipped = failed = 0
    with ShardWriter(out, shard_size) as writer:
        def skip(doc: Document) -> bool:
            return doc.content_hash in seen

        for status, doc, result in run(skip=skip):
            if status == "skipped":
                skipped += 1
                continue
            if isinstance(result, Report):
                seen.add(doc.content_hash)  # the same content twice in one run is written once
                stored += 1
            else:
                failed += 1
            if result is not None:
                writer.add(doc, result)
    _stdout().print(f"wrote {stored} reports and {failed} failures in {len(writer.written)} shard(s), skipped "
                    f"{skipped} already written -> {out}", markup=False)
    _stdout().print(f"merge them into a store with: sitroom load {out} --db FILE", markup=False)
    return stored, skipped, failed


@app.command()
@_clean_errors
def load(
    directories: Annotated[list[Path], typer.Argument(help="Directories of Parquet shards written by "
                                                      "`sitroom ingest --out DIR`.", metavar="DIR")],
    db: DbOption = Path("sitroom.db"),
) -> None:
    """Merge Parquet shards into the store (content already stored is skipped), then link.

    Shards from several machines or runs can be loaded one after another or together; loading
    the same shards twice adds nothing.
    """
    from .shards import load as load_shards

    total_stored = 0
    with _open_store(db, create=True) as store:
        for directory in directories:
            try:
                counts = load_shards(directory, store)
            except FileNotFoundError as exc:
                raise _fail(str(exc)) from None
            total_stored += counts.stored
            _stdout().print(f"{directory}: stored {counts.stored}, skipped {counts.duplicates} as duplicates, "
                            f"recorded {counts.failed} failures -> {db}", markup=False)
    if total_stored:
        _link_after_ingest(db)


@app.command()
@_clean_errors
def figures(
    db: DbOption = Path("sitroom.db"),
    category: Annotated[str | None, typer.Option("--category", help="killed, injured, displaced, trapped, ...")] = None,
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option("--source", help="Attributed source contains this text.")] = None,
    doc: DocOption = None,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """Figures with low/best/high bounds and sources."""
    with _open_store(db) as store:
        rows = store.figures(category=category, country=country, since=_check_date(since, "--since"),
                             until=_check_date(until, "--until"), source=source, document=doc, limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    table = _table("date", "category", "who", "bounds", "place", "source", "document")
    for r in rows:
        source_text = f"{r['source_name']} ({r['source_cue']})" if r["source_name"] else ""
        table.add_row(r["date"] or r["published"] or "", r["category"], r["who"] or "",
                      _bounds(r["low"], r["best"], r["high"]), _place(r), source_text, r["doc_id"])
    _show(table, len(rows), "figures")


@app.command()
@_clean_errors
def events(
    db: DbOption = Path("sitroom.db"),
    type_: Annotated[str | None, typer.Option("--type", help="ACLED event type, e.g. Battles.")] = None,
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlet or attribution contains this text.")] = None,
    doc: DocOption = None,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """Events with ACLED types, actors, place, date and fatalities."""
    with _open_store(db) as store:
        rows = store.events(type=type_, country=country, since=_check_date(since, "--since"),
                            until=_check_date(until, "--until"), source=source, document=doc, limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    table = _table("date", "type", "actors", "place", "fatalities", "document")
    for r in rows:
        kind = r["type"] + (f" / {r['sub_type']}" if r["sub_type"] else "")
        actors = " vs ".join(a for a in (r["actor1"], r["actor2"]) if a)
        table.add_row(r["date"] or r["published"] or "", kind, actors, _place(r),
                      _bounds(r["fatalities_low"], r["fatalities_best"], r["fatalities_high"]), r["doc_id"])
    _show(table, len(rows), "events")


@app.command()
@_clean_errors
def quotes(
    db: DbOption = Path("sitroom.db"),
    speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker name contains this text.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    doc: DocOption = None,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """Quotes with their speakers."""
    with _open_store(db) as store:
        rows = store.quotes(speaker=speaker, since=_check_date(since, "--since"), until=_check_date(until, "--until"),
                            document=doc, limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    table = _table("speaker", "quote", "document")
    for r in rows:
        who = (r["speaker"] or "(unattributed)") + (f", {r['speaker_role']}" if r["speaker_role"] else "")
        table.add_row(who, _short(r["evidence_text"], 160), r["doc_id"])
    _show(table, len(rows), "quotes")


@app.command()
@_clean_errors
def search(
    text: Annotated[str, typer.Argument(help="Words to find (all of them) in titles and texts.")],
    db: DbOption = Path("sitroom.db"),
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over stored documents."""
    with _open_store(db) as store:
        rows = store.search(text, limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    table = _table("document", "title", "published", "snippet")
    for r in rows:
        table.add_row(r["id"], r["title"] or "", r["published"] or "", r["snippet"])
    _show(table, len(rows), "documents")


@app.command()
@_clean_errors
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id (see `sitroom search` or `stats`).")],
    db: DbOption = Path("sitroom.db"),
    as_json: JsonOption = False,
) -> None:
    """One stored report (--json: the full report)."""
    with _open_store(db) as store:
        report = store.get(doc_id)
    if report is None:
        raise _fail(f"no document {doc_id!r} in {db}")
    if as_json:
        return _print_json(report)
    render_report(report, _stdout())


@app.command()
@_clean_errors
def stats(db: DbOption = Path("sitroom.db"), as_json: JsonOption = False) -> None:
    """Documents stored and failed, facts by kind."""
    with _open_store(db) as store:
        data = store.stats()
    if as_json:
        return _print_json(data)
    table = _table("", "count")
    table.add_row("documents stored", str(data["documents"]))
    table.add_row("documents failed", str(data["failed"]))
    for kind, n in data["facts"].items():
        table.add_row(kind, str(n))
    for key, label in (("figures_by_category", "figures"), ("events_by_type", "events"),
                       ("failures_by_stage", "failures")):
        for name, n in data[key].items():
            table.add_row(f"  {label}: {name}", str(n))
    _stdout().print(table)


@app.command()
@_clean_errors
def failures(db: DbOption = Path("sitroom.db"), limit: LimitOption = 50, as_json: JsonOption = False) -> None:
    """Documents that failed, with stage and reason."""
    with _open_store(db) as store:
        rows = store.failures(limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    table = _table("document", "stage", "reason", "when")
    for r in rows:
        table.add_row(r["doc_id"], r["stage"], r["reason"], r["failed_at"])
    _show(table, len(rows), "failures")


@app.command()
@_clean_errors
def export(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="csv, json, geojson; acled, ucdp (linked events), gkg (counts), parquet (needs -o).")
    ] = ExportFormat.csv,
    kind: Annotated[ExportKind | None, typer.Option(
        "--kind", help="events (ACLED columns), figures or linked (cross-document events); json/geojson default "
        "to all, csv to events, parquet to linked.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = Path("sitroom.db"),
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Export events, figures and linked events: CSV, JSON, GeoJSON, ACLED, UCDP GED, GDELT GKG, Parquet.

    Events carry ACLED's columns (event_date ... fatalities) plus UCDP-style low/best/high;
    figures carry their bounds, attribution and evidence offsets. Linked events (see `sitroom
    link`) are one row per real event with every document that reports it (json: `documents`).
    acled and ucdp write one row per linked event; gkg one row per document with its counts.
    Column mappings: docs/exports.md.
    """
    from . import export as exporter

    if kind is None:
        kind = {ExportFormat.csv: ExportKind.events, ExportFormat.parquet: ExportKind.linked}.get(fmt, ExportKind.all)
    if fmt in (ExportFormat.csv, ExportFormat.parquet) and kind is ExportKind.all:
        raise typer.BadParameter(f"{fmt.value} holds one kind: events, figures or linked", param_hint="--kind")
    kinds = ["events", "figures", "linked"] if kind is ExportKind.all else [kind.value]
    filters = {"country": country, "since": _check_date(since, "--since"), "until": _check_date(until, "--until")}
    with _open_store(db) as store:
        if fmt is ExportFormat.parquet:
            if output is None:
                raise typer.BadParameter("parquet is binary: give a file with -o", param_hint="--output")
            count = exporter.export_parquet(store, str(output), kinds[0], **filters)
        elif output is None:
            count = exporter.export(store, fmt.value, sys.stdout, kinds, **filters)  # type: ignore[arg-type]
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = exporter.export(store, fmt.value, fh, kinds, **filters)  # type: ignore[arg-type]
    if output is not None:
        _stdout().print(f"wrote {count} {'features' if fmt is ExportFormat.geojson else 'rows'} to {output}",
                        markup=False)


@app.command()
@_clean_errors
def link(
    db: DbOption = Path("sitroom.db"),
    as_json: JsonOption = False,
    limit: LimitOption = 50,
) -> None:
    """Link events and figures across documents: one real event, every report of it.

    Events of different documents join when type, place (within a distance set by its
    precision), date (within a window set by its precision), actors and wording agree; figures
    for the same quantity are reconciled (contradictions, and revisions such as "rose to 40"
    that supersede). This recomputes every link; `sitroom ingest` and `sitroom load` end by
    linking only what they added and its neighbourhood.
    """
    from .link import link_store

    with _open_store(db) as store:
        result = link_store(store)
        rows = store.linked_events(min_documents=2, limit=_limit(limit))
    if as_json:
        return _print_json(rows)
    err = _stderr()
    _say(err, "linked", f"{len(result.events)} events -> {len(result.multi)} reported by several documents; "
         f"{len(result.figures)} figure groups, {len(result.conflicts)} contradictions/revisions", "green")
    table = _table("date", "type", "place", "fatalities", "sources", "documents")
    for r in rows:
        table.add_row(r["date"] or "", r["type"] or "", _place(r), _bounds(r["low"], r["best"], r["high"]),
                      ", ".join(r["sources"]), ", ".join(r["documents"]))
    _show(table, len(rows), "linked events")


def _link_after_ingest(db: Path) -> None:
    """Ingest ends by linking what it added (and its neighbourhood), so the store's linked events
    always cover what it holds without re-linking everything after each small ingest."""
    from .relink import link_new

    with _open_store(db) as store:
        done = link_new(store)
        several = store.linked_events_count(min_documents=2)
    how = "all documents" if done.full else f"{done.relinked} of {done.total} documents"
    # stdout, beside the "stored ..." summary: stderr carries one line per problem document only.
    _stdout().print(f"linked: {done.new} new documents (relinked {how}); {several} events reported by several "
                    "documents", markup=False)


@app.command()
@_clean_errors
def watch(
    urls: Annotated[list[str], typer.Argument(help="RSS/Atom feed or page URLs (http or https).", metavar="URL")],
    db: DbOption = Path("sitroom.db"),
    every: Annotated[str, typer.Option("--every", help="Time between rounds: 30s, 15m, 1h.")] = "15m",
    rounds: Annotated[int, typer.Option("--rounds", min=0, help="Stop after N rounds (0: run until stopped).")] = 0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Also fetch private, loopback and link-local addresses.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")] = 20.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest response read.")] = 10 * 1024 * 1024,
) -> None:
    """Fetch feeds or pages every --every and store what is new (the only networked command).

    http(s) only, a timeout and a size limit per request, at most 5 redirects, no private
    addresses unless --allow-private; entries already seen are remembered in DB.watch.json.
    """
    from .watch import Limits, parse_interval
    from .watch import watch as run_watch

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    limits = Limits(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    try:
        run_watch(urls, db, interval, limits, lambda message: _say(_stderr(), "watch", message, "cyan"),
                  rounds=rounds or None)
    except KeyboardInterrupt:
        _say(_stderr(), "watch", "stopped", "cyan")


@app.command()
@_clean_errors
def serve(
    db: DbOption = Path("sitroom.db"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on; non-loopback needs SITROOM_TOKEN.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """The situation room: map, timeline, table, documents with every fact highlighted; JSON API under /api/.

    Reads are open on loopback; writes (Add) need 'Authorization: Bearer <token>' from
    SITROOM_TOKEN or the token file DB.token, created on first run.
    """
    from .web import serve as run_server

    run_server(db, host=host, port=port, say=lambda message: _say(_stderr(), "serve", message, "cyan"))


gazetteer_app = typer.Typer(help="The offline gazetteer: add GeoNames country dumps for villages it lacks.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
@_clean_errors
def gazetteer_import(
    dumps: Annotated[list[Path], typer.Argument(help="GeoNames dumps: IQ.txt, allCountries.txt (.gz ok)")],
) -> None:
    """Import GeoNames country dumps (download.geonames.org/export/dump/) into your gazetteer.

    The packaged gazetteer knows places of 500+ inhabitants; a country dump adds its villages,
    districts and natural features. Stored under $SITROOM_HOME/gazetteer (default
    ~/.local/share/sitroom/gazetteer) and used by every later run.
    """
    from . import gazetteer

    for dump in dumps:
        if not dump.is_file():
            raise _fail(f"{dump}: no such file")
        folder = gazetteer.import_geonames_dump(dump)
        _say(_stderr(), "imported", f"{dump} -> {folder}", "green")


@app.command("eval")
@_clean_errors
def eval_(
    gold: Annotated[list[Path], typer.Argument(
        help="Gold files: dev-set .jsonl or seed-gold.json.", metavar="GOLD")],
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Score at most N records per file.")]
    = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes that analyse records.")] = 1,
) -> None:
    """Score the pipeline against gold files: one table per set (records, errors, records with
    no event, each metric). Metric definitions: sitroom/evaluation/metrics.py."""
    from . import evaluation

    results = evaluation.run([str(p) for p in gold], limit=limit, progress=True, workers=workers)
    if as_json:
        return _print_json(_jsonable(results))
    sys.stdout.write(str(evaluation.format_table(results)).rstrip("\n") + "\n")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# -- rendering -----------------------------------------------------------------------------------
def _table(*columns: str) -> Table:
    table = Table(show_header=True, header_style="bold", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _show(table: Table, count: int, what: str) -> None:
    out = _stdout()
    if not count:
        out.print(f"no {what} found", markup=False)
        return
    out.print(table)


def _bounds(low: Any, best: Any, high: Any) -> str:
    """UCDP-style bounds as a reader would say them: 120, ≤120, ≥40, 100-999 (best 150)."""

    def n(v: Any) -> str:
        return f"{v:,}" if isinstance(v, int | float) else "?"

    if low is None and best is None and high is None:
        return ""
    if low == best == high:
        return n(best)
    if low is None and high is None:
        return f"~{n(best)}"
    if low is None:
        text = f"≤{n(high)}"
    elif high is None:
        text = f"≥{n(low)}"
    else:
        text = f"{n(low)}-{n(high)}"
    return f"{text} (best {n(best)})" if best is not None else text


def _place(row: dict[str, Any]) -> str:
    return ", ".join(x for x in (row.get("place"), row.get("country")) if x)


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_report(data: dict[str, Any], out: Console) -> None:
    """A readable summary of one report (the JSON contract): figures, quotes, places, events, contradictions."""
    doc = data["document"]
    places = {p["id"]: p for p in data.get("places", [])}
    actors = {a["id"]: a for a in data.get("actors", [])}
    figs = {f["id"]: f for f in data.get("figures", [])}
    meta = " · ".join(str(x) for x in (doc.get("published"), doc.get("outlet"), doc.get("language"), doc.get("url"))
                      if x)
    title = doc.get("title") or _title_segment(data) or _short(data["text"].split("\n", 1)[0], 76)
    out.print(Panel(f"{title}\n{meta}".rstrip(), title=str(doc["id"]),
                    title_align="left", expand=False), markup=False)

    def place_name(pid: str | None) -> str:
        p = places.get(pid or "")
        if not p:
            return ""
        return f"{p['name']}, {p['country']}" if p.get("country") and p.get("feature") != "country" else p["name"]

    def actor_name(ref: str | None) -> str:
        return actors[ref]["name"] if ref in actors else (ref or "")

    table = _table("figure", "who", "bounds", "place", "date", "source")
    for f in data.get("figures", []):
        src = f.get("source") or {}
        table.add_row(f["category"], f.get("who") or "", _bounds(f["low"], f["best"], f["high"]),
                      place_name(f.get("place")), f.get("date") or "", f"{src['name']} ({src['cue']})" if src else "")
    _section(out, "Figures", table, len(data.get("figures", [])))

    table = _table("speaker", "role", "quote")
    for q in data.get("quotes", []):
        speaker = q.get("speaker") or {}
        table.add_row(speaker.get("name") or "(unattributed)", speaker.get("role") or "",
                      _short(q["evidence"]["text"], 140))
    _section(out, "Quotes", table, len(data.get("quotes", [])))

    table = _table("place", "country", "lat", "lon", "feature", "mentions")
    for p in data.get("places", []):
        coords = [f"{p[k]:.4f}" if isinstance(p.get(k), int | float) else "" for k in ("lat", "lon")]
        mentions = str(len(p.get("mentions", [])))
        table.add_row(p["name"], p.get("country") or "", *coords, p.get("feature") or "", mentions)
    _section(out, "Places", table, len(places))

    table = _table("date", "type", "actor1", "actor2", "place", "fatalities")
    for e in data.get("events", []):
        fat = e.get("fatalities") or {}
        kind = e["type"] + (f" / {e['sub_type']}" if e.get("sub_type") else "")
        table.add_row(e.get("date") or "", kind, actor_name(e.get("actor1")), actor_name(e.get("actor2")),
                      place_name(e.get("place")), _bounds(fat.get("low"), fat.get("best"), fat.get("high")))
    _section(out, "Events", table, len(data.get("events", [])))

    table = _table("figures", "why")
    for c in data.get("contradictions", []):
        pair = [figs.get(fid) for fid in c["figures"]]
        described = "\n".join(
            f"{_bounds(f['low'], f['best'], f['high'])} {f['category']}: {_short(f['evidence']['text'], 80)}"
            if f else str(fid) for fid, f in zip(c["figures"], pair, strict=False)
        )
        table.add_row(described, c["why"])
    _section(out, "Contradictions", table, len(data.get("contradictions", [])))

    if actors:
        names = ", ".join(f"{a['name']} ({a['type']})" for a in actors.values())
        out.print(f"Actors: {names}", markup=False)


def _title_segment(data: dict[str, Any]) -> str | None:
    """Plain-text documents carry their headline as a ``title`` segment, not in ``document.title``."""
    seg = next((s for s in data.get("segments", []) if s.get("kind") == "title"), None)
    return data["text"][seg["start"]:seg["end"]] if seg else None


def _section(out: Console, title: str, table: Table, count: int) -> None:
    out.print(f"\n{title} ({count})", style="bold", markup=False)
    if count:
        out.print(table)
    else:
        out.print("  none found", style="dim", markup=False)
