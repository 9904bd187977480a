"""Run the pipeline over gold files and score every set: the library side of ``sitroom eval``.

Each record is analysed once (``sitroom.analyze``), turned into the report dict of the contract,
scored by the set's scorer (``metrics.py``) and dropped: only per-record counts are kept. A record
whose analysis fails is counted as an error and scored against an empty report, so failures lower
the metrics instead of stopping the run.
"""

from __future__ import annotations

import json
import math
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document
from ..pipeline import analyze
from ..settings import DEFAULT, Settings
from . import metrics
from .metrics import Counts, MetricValue

MAX_ERROR_SAMPLES = 5


@dataclass(slots=True)
class SetResult:
    """Scores of one set (one ``dataset`` of one gold file)."""

    name: str
    path: str
    scorer: str | None
    records: int = 0
    errors: int = 0
    no_event: int = 0
    seconds: float = 0.0
    metrics: dict[str, MetricValue] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def value(self, metric: str) -> float | None:
        found = self.metrics.get(metric)
        return found.value if found else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "path": self.path,
            "scorer": self.scorer,
            "records": self.records,
            "errors": self.errors,
            "no_event": self.no_event,
            "seconds": round(self.seconds, 3),
            "metrics": {name: value.to_dict() for name, value in self.metrics.items()},
            "error_samples": self.error_samples,
        }


@dataclass(slots=True)
class _Task:
    """One record to analyse and score; picklable so a process pool can take it."""

    key: int  # index of the SetResult it belongs to
    scorer: str | None
    document: Document
    gold: dict[str, Any]


@dataclass(slots=True)
class _Outcome:
    key: int
    id: str
    counts: Counts
    error: str | None
    no_event: bool
    summary: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------
# Reading gold files
# ------------------------------------------------------------------------------------------


def _document(record: dict[str, Any]) -> Document:
    return Document(
        id=str(record.get("id", "")),
        text=record.get("text") or "",
        format="html" if record.get("format") == "html" else "text",
        published=record.get("published"),
        url=record.get("url"),
        title=record.get("title"),
    )


def _jsonl_tasks(path: Path, limit: int | None, results: list[SetResult]) -> list[_Task]:
    """The first ``limit`` records of a JSONL gold file, grouped into one SetResult per dataset."""
    keys: dict[str, int] = {}
    tasks: list[_Task] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(tasks) >= limit:
                break
            if not line.strip():
                continue
            record = json.loads(line)
            dataset = str(record.get("dataset") or path.stem)
            gold = record.get("gold") or {}
            if dataset not in keys:
                keys[dataset] = len(results)
                results.append(SetResult(dataset, str(path), metrics.scorer_name(dataset, gold)))
            key = keys[dataset]
            tasks.append(_Task(key, results[key].scorer, _document(record), gold))
    return tasks


def _seed_task(path: Path, results: list[SetResult]) -> list[_Task]:
    """seed-gold.json: one document (the sample article, found next to the gold file) and its gold."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    info = gold.get("document") or {}
    result = SetResult("seed", str(path), "seed")
    results.append(result)
    rel = info.get("path") or ""
    text_path = next((base / rel for base in (path.parent, path.parent.parent) if rel and (base / rel).is_file()), None)
    if text_path is None:
        result.errors, result.records = 1, 1
        result.error_samples.append(f"seed: sample text {rel!r} not found next to {path}")
        return []
    doc = Document(id="seed", text=text_path.read_text(encoding="utf-8"), published=info.get("published"))
    return [_Task(len(results) - 1, "seed", doc, gold)]


def _is_seed(path: Path) -> bool:
    return path.suffix == ".json"


def load_tasks(
    paths: Sequence[str | Path], limit: int | None = None, limits: Mapping[str, int | None] | None = None
) -> tuple[list[SetResult], list[_Task]]:
    """Tasks of every file; ``limits`` maps a file's stem ("acled2020") to its own limit."""
    results: list[SetResult] = []
    tasks: list[_Task] = []
    for raw in paths:
        path = Path(raw)
        n = limits[path.stem] if limits and path.stem in limits else limit
        tasks += _seed_task(path, results) if _is_seed(path) else _jsonl_tasks(path, n, results)
    return results, tasks


# ------------------------------------------------------------------------------------------
# Analysing and scoring
# ------------------------------------------------------------------------------------------


def _evaluate(task: _Task, settings: Settings = DEFAULT) -> _Outcome:
    error = None
    try:
        report = analyze(task.document, settings).to_dict()
    except Exception as exc:  # noqa: BLE001 - evaluation counts every failure and goes on
        report, error = metrics.EMPTY_REPORT, f"{task.document.id}: {type(exc).__name__}: {exc}{_where(exc)}"
    counts: Counts = {}
    if task.scorer is not None:
        try:
            counts = metrics.SCORERS[task.scorer](report, task.gold)
        except Exception as exc:  # noqa: BLE001 - a malformed gold record must not stop the run
            error = error or f"{task.document.id}: scoring: {type(exc).__name__}: {exc}"
    no_event = error is None and not report.get("events")
    return _Outcome(task.key, task.document.id, counts, error, no_event, _summary(report))


def _summary(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the first event says, in a few fields: enough to see why a record missed."""
    events = report.get("events") or []
    first = events[0] if events else None
    out: dict[str, Any] = {"events": len(events), "figures": len(report.get("figures") or []),
                           "places": len(report.get("places") or []), "quotes": len(report.get("quotes") or [])}
    if first:
        place = next((p for p in report.get("places") or [] if p.get("id") == first.get("place")), None)
        out["first_event"] = {
            "type": first.get("type"), "sub_type": first.get("sub_type"), "date": first.get("date"),
            "fatalities": (first.get("fatalities") or {}).get("best"),
            "place": place and [place.get("name"), place.get("lat"), place.get("lon")],
            "evidence": (first.get("evidence") or {}).get("text"),
        }
    return out


def _where(exc: BaseException) -> str:
    """Where the failure was raised ("events.py:123 in find_events"), so the owner can find it."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {Path(last.filename).name}:{last.lineno} in {last.name})"


def _outcomes(tasks: list[_Task], workers: int) -> Iterator[_Outcome]:
    if workers <= 1 or len(tasks) < 2:
        yield from map(_evaluate, tasks)
        return
    import multiprocessing

    # The first record is analysed here before the pool forks, so lazily built lookups
    # (gazetteer, lexicons) are built once and shared by the workers instead of once per worker.
    yield _evaluate(tasks[0])
    with multiprocessing.get_context().Pool(workers) as pool:
        yield from pool.imap(_evaluate, tasks[1:], chunksize=4)


def _progress(enabled: bool, total: int) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def _detail(set_name: str, outcome: _Outcome) -> dict[str, Any]:
    missed = [name for name, (hits, total) in outcome.counts.items()
              if (hits > 0 if metrics.lower_is_better(name) else hits < total)]
    return {"set": set_name, "id": outcome.id, "error": outcome.error, "missed": missed,
            "counts": {name: list(pair) for name, pair in outcome.counts.items()}, "predicted": outcome.summary}


def run(
    paths: Sequence[str | Path],
    limit: int | None = None,
    progress: bool = True,
    workers: int = 1,
    limits: Mapping[str, int | None] | None = None,
    on_record: Callable[[dict[str, Any]], None] | None = None,
) -> list[SetResult]:
    """Analyse every record of the gold files once and score it.

    ``limit`` takes the first N records of each file (``limits`` overrides it per file stem);
    ``workers`` > 1 analyses in a process pool. ``on_record`` receives, per record, a JSON-able
    dict (set, id, error, counts, and ``missed``: the metrics this record failed), for error analysis.
    """
    results, tasks = load_tasks(paths, limit, limits)
    counts: list[list[Counts]] = [[] for _ in results]
    started = time.perf_counter()
    last = started
    with _progress(progress and sys.stderr is not None, len(tasks)) as bar:
        job = bar.add_task("evaluating", total=len(tasks))
        for outcome in _outcomes(tasks, workers):
            result = results[outcome.key]
            result.records += 1
            result.no_event += outcome.no_event
            if outcome.error:
                result.errors += 1
                if len(result.error_samples) < MAX_ERROR_SAMPLES:
                    result.error_samples.append(outcome.error)
            counts[outcome.key].append(outcome.counts)
            if on_record is not None:
                on_record(_detail(result.name, outcome))
            now = time.perf_counter()
            result.seconds += now - last  # wall time while this set's records came in
            last = now
            bar.update(job, advance=1, description=f"evaluating {result.name}")
    for result, set_counts in zip(results, counts, strict=True):
        result.metrics = metrics.aggregate(set_counts)
    return results


# ------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------


def _fmt_value(name: str, value: MetricValue) -> tuple[str, str]:
    if value.value is None:
        return "-", "n/a"
    if metrics.lower_is_better(name):
        return f"{value.value:g}", "count, lower is better"
    if value.total == 0 and value.hits == 0:
        return f"{value.value:.3f}", ""  # derived (F1)
    return f"{value.value:.3f}", f"{value.hits:g}/{value.total:g}"


def format_table(results: Iterable[SetResult]) -> str:
    """A plain-text table per set: header line with counts and speed, then one line per metric."""
    blocks = []
    for r in results:
        # Wall time between results: with workers it is approximate, and meaningless for tiny sets.
        rate = f", {r.records / r.seconds:.1f} docs/s" if r.seconds >= 0.05 else ""
        lines = [
            f"{r.name}  [{r.scorer or 'no scorer'}]  records {r.records}, errors {r.errors}, "
            f"no event {r.no_event}, {r.seconds:.1f} s{rate}"
        ]
        width = max((len(n) for n in r.metrics), default=6)
        for name, value in r.metrics.items():
            shown, detail = _fmt_value(name, value)
            lines.append(f"  {name:<{width}}  {shown:>7}  {detail}")
        lines += [f"  error: {sample}" for sample in r.error_samples]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def raised_pins(results: Iterable[SetResult], pins: Mapping[str, Any]) -> dict[str, Any]:
    """The pins file with every pin raised to what ``results`` reach (never loosened).

    A share is pinned at its value rounded down to 2 decimals minus 0.01 (noise margin); a count
    (lower is better) at its value. Only metrics already in the file are touched.
    """
    by_name = {r.name: r for r in results}
    out = json.loads(json.dumps(pins))
    for set_name, set_pins in out.get("sets", {}).items():
        result = by_name.get(set_name)
        if result is None:
            continue
        for metric, pin in set_pins.items():
            value = result.value(metric)
            if value is None:
                continue
            if metrics.lower_is_better(metric):
                set_pins[metric] = min(pin, value)
            else:
                set_pins[metric] = max(pin, max(0.0, round(math.floor(value * 100) / 100 - 0.01, 2)))
    return out
