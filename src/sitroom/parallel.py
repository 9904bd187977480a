"""Analysis in parallel: local worker processes or a Dask cluster, results back in input order.

The pipeline's stage functions are pure and documents and reports pickle, so the same
``analyse_batch`` runs in this process, in a ``--workers N`` process pool or on Dask workers
(``--dask tcp://scheduler:8786``). Only the caller writes to the store (one writer), in input order.

Memory stays flat on inputs of any length: documents are read lazily and at most ``window``
batches are in flight; a batch's results are yielded (and can be stored) before more is read.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Protocol

from .model import Document, Report
from .pipeline import Failure, analyze_many
from .settings import DEFAULT, Settings

Outcome = tuple[str, Document, Report | Failure | None]  # ("report" | "failed" | "skipped", doc, result)


def analyse_one(doc: Document, settings: Settings = DEFAULT) -> Report | Failure:
    """``analyze_many`` owns the error policy; this only guards the batch against what escapes it."""
    try:
        return next(iter(analyze_many([doc], settings)))
    except Exception as exc:  # noqa: BLE001 - an analyser bug must cost one document, not the batch
        return Failure(doc, "analysis", f"{type(exc).__name__}: {exc}")


def analyse_batch(docs: list[Document], settings: Settings = DEFAULT) -> list[Report | Failure]:
    """The unit of work sent to a worker process or a Dask worker (module level: picklable)."""
    return [analyse_one(doc, settings) for doc in docs]


class _Executor(Protocol):
    def submit(self, docs: list[Document]) -> Any: ...  # a future with .result()
    def close(self) -> None: ...


class _Serial:
    """Runs batches here, when they are asked for (the reference the parallel runs must equal)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, docs: list[Document]) -> Future:
        future: Future = Future()
        future.set_result(analyse_batch(docs, self.settings))
        return future

    def close(self) -> None:
        pass


class _Local:
    def __init__(self, workers: int, settings: Settings) -> None:
        # "spawn": a clean interpreter per worker (no inherited threads or open store handles).
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self.settings = settings

    def submit(self, docs: list[Document]) -> Future:
        return self.pool.submit(analyse_batch, docs, self.settings)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    def __init__(self, address: Any, settings: Settings) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise RuntimeError("--dask needs the optional dependency: pip install 'sitroom[dask]'") from exc
        # ``address`` is a scheduler address ("tcp://host:8786") or a cluster object (tests).
        self.client = Client(address)
        self.settings = settings

    def submit(self, docs: list[Document]) -> Any:
        return self.client.submit(analyse_batch, docs, self.settings, pure=False)

    def close(self) -> None:
        self.client.close()


def executor(workers: int = 1, dask: Any = None, settings: Settings = DEFAULT) -> _Executor:
    if dask is not None:
        return _Dask(dask, settings)
    if workers > 1:
        return _Local(workers, settings)
    return _Serial(settings)


def outcomes(
    items: Iterable[Document | Failure],
    skip: Callable[[Document], bool] | None = None,
    *,
    workers: int = 1,
    dask: Any = None,
    settings: Settings = DEFAULT,
    batch_size: int = 8,
    window: int | None = None,
) -> Iterator[Outcome]:
    """Read failures, skipped documents and analysed ones, all in input order.

    ``skip`` is asked in this process when a document is read (e.g. "already in the store").
    """
    run = executor(workers, dask, settings)
    if window is None:
        # Enough batches in flight to keep every worker busy; none when analysing here.
        window = 64 if dask is not None else (4 * workers if workers > 1 else 0)
    pending: deque[tuple[list[Outcome], Any]] = deque()
    try:
        iterator = iter(items)
        while batch := list(islice(iterator, batch_size)):
            entries: list[Outcome] = []
            todo: list[Document] = []
            for item in batch:
                if isinstance(item, Failure):
                    entries.append(("failed", item.document, item))
                elif skip is not None and skip(item):
                    entries.append(("skipped", item, None))
                else:
                    entries.append(("report", item, None))
                    todo.append(item)
            pending.append((entries, run.submit(todo) if todo else None))
            while len(pending) > window:
                yield from _settle(*pending.popleft())
        while pending:
            yield from _settle(*pending.popleft())
    finally:
        run.close()


def _settle(entries: list[Outcome], future: Any) -> Iterator[Outcome]:
    results = iter(future.result() if future is not None else ())
    for status, doc, result in entries:
        if status == "report":
            result = next(results)
            status = "report" if isinstance(result, Report) else "failed"
        yield status, doc, result
