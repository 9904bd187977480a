"""The situation room: a JSON API under ``/api/`` and a static single-page app over one store.

- Reads use one read-only SQLite connection per worker thread (``mode=ro``): a read endpoint
  cannot write even by mistake. Writes (``POST /api/documents``) go through ``Store`` under a lock.
- One error shape everywhere: ``{"error": {"status": 400, "code": "bad_request", "message": "..."}}``.
- Security headers on every response (CSP without inline script, nosniff, frame denial), a
  request body limit, and Host checking against DNS rebinding when serving on loopback.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import mimetypes
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, relink
from ..errors import SitroomError
from ..store import Store
from . import queries
from .auth import check_bearer
from .queries import Filters

mimetypes.add_type("application/geo+json", ".geojson")
log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("sitroom.web").joinpath("static")))
MAX_BODY = 4 * 1024 * 1024  # bytes; a pasted article or saved HTML page fits with room to spare
MAX_PAGE = 500
MAX_CSV = 200_000
CACHE_SIZE = 64  # map/timeline aggregations kept per process

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 500: "internal"}


class GuardMiddleware:
    """Security headers on every response, body size limit, Host check (pure ASGI: streams untouched)."""

    def __init__(self, app: ASGIApp, *, max_body: int, allowed_hosts: frozenset[str] | None) -> None:
        self.app, self.max_body, self.allowed_hosts = app, max_body, allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        host = headers.get(b"host", b"").decode("latin-1").lower()
        if self.allowed_hosts is not None and _host_name(host) not in self.allowed_hosts:
            await _error(400, "bad_host", "unexpected Host header")(scope, receive, send_secured)
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _error(413, "too_large", f"request body over {self.max_body} bytes")(scope, receive, send_secured)
            return
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A body without Content-Length (chunked) is read here, up to the limit, then replayed.
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                more = message.get("more_body", False)
                if size > self.max_body:
                    await _error(413, "too_large", f"request body over {self.max_body} bytes")(
                        scope, receive, send_secured)
                    return
            body, replayed = b"".join(chunks), False

            async def replay() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.app(scope, replay, send_secured)
            return
        await self.app(scope, receive, send_secured)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


class Database:
    """Per-thread read-only connections and stores (sqlite3 objects stay in their thread)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.uri = Path(path).resolve().as_uri() + "?mode=ro"
        self.local = threading.local()
        self.write_lock = threading.Lock()
        self.cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.cache_lock = threading.Lock()

    def read(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.uri, uri=True, timeout=10)
            conn.execute("PRAGMA query_only = ON")
            self.local.conn = conn
        return conn

    def cached(self, db: sqlite3.Connection, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Aggregations by filters, recomputed only after the store changed (LRU of CACHE_SIZE)."""
        full = (queries.data_version(db), *key)
        with self.cache_lock:
            if full in self.cache:
                self.cache.move_to_end(full)
                return self.cache[full]
        value = compute()
        with self.cache_lock:
            self.cache[full] = value
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return value

    def store(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.path, create=False)
            self.local.store = store
        return store


class NewDocument(BaseModel):
    text: str = Field(min_length=1, max_length=3_000_000, description="Plain text, or a saved HTML page")
    format: Literal["text", "html"] = "text"
    title: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    outlet: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    id: str | None = Field(default=None, max_length=200, pattern=r"^[\w.:@/-]+$")


DateQ = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Order = Annotated[Literal["asc", "desc"], Query()]
LayerQ = Annotated[Literal["events", "figures", "all"], Query()]
BboxQ = Annotated[str | None, Query(max_length=100, description="south,west,north,east")]
MinSources = Annotated[int, Query(ge=1, le=10_000, description="At least this many outlets report it")]
LinkedId = Annotated[str, PathParam(max_length=100, pattern=r"^[\w.:-]+$")]


def filters(
    since: DateQ = None,
    until: DateQ = None,
    type: Annotated[str | None, Query(max_length=100, description="Event type (events) or category (figures)")]
    = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    document: Annotated[str | None, Query(max_length=300)] = None,
) -> Filters:
    for value in (since, until):
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ApiError(400, "bad_request", f"{value!r} is not a valid date") from None
    return Filters(since, until, type, country, actor, source, document)


FiltersDep = Annotated[Filters, Depends(filters)]


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        south, west, north, east = (float(v) for v in value.split(","))
    except ValueError:
        raise ApiError(400, "bad_request", "bbox must be south,west,north,east in degrees") from None
    if not (-90 <= south <= north <= 90 and -360 <= west <= east <= 360):
        raise ApiError(400, "bad_request", "bbox out of range")
    return south, west, north, east


def _sort(kind: queries.Kind, sort: str) -> str:
    if sort not in queries.SORTS[kind]:
        raise ApiError(400, "bad_request", f"sort must be one of {', '.join(queries.SORTS[kind])}")
    return sort


def _linked_sort(sort: str) -> str:
    if sort not in queries.LINKED_SORTS:
        raise ApiError(400, "bad_request", f"sort must be one of {', '.join(queries.LINKED_SORTS)}")
    return sort


def _need_token(request: Request) -> None:
    token = request.app.state.token
    if not token:
        raise ApiError(403, "forbidden", "writes are disabled: the server runs without a token")
    if not check_bearer(request.headers.get("authorization"), token):
        raise ApiError(401, "unauthorized", "missing or wrong 'Authorization: Bearer <token>'")


class Reader:
    """Runs each query on the read connection of the thread it runs in.

    FastAPI may resolve a dependency in one worker thread and run the endpoint in another, and
    sqlite3 connections must stay in their thread: so the connection is looked up per call.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        return self.database.read().execute(sql, args)


def reader(request: Request) -> Reader:
    """Read access; checks the token first when reads are not open."""
    state = request.app.state
    if not state.reads_open and not check_bearer(request.headers.get("authorization"), state.token):
        raise ApiError(401, "unauthorized", "this server needs 'Authorization: Bearer <token>' for reads")
    return Reader(state.database)


Db = Annotated[Any, Depends(reader)]  # a Reader: queries only call .execute


def create_app(db_path: str | Path, *, token: str | None = None, reads_open: bool = True,
               allowed_hosts: frozenset[str] | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The ASGI app over the store at ``db_path`` (created when missing).

    ``token``: writes need ``Authorization: Bearer <token>`` (no token: writes are refused).
    ``reads_open=False``: reads need the token too (serving beyond loopback).
    """
    path = str(db_path)
    Store(path, create=True).close()  # create and migrate once, so read-only connections work
    database = Database(path)

    app = FastAPI(title="sitroom", version=__version__, openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None, description="Sourced facts from crisis news: documents, events, figures, "
                  "quotes, places, search, stats. Errors: {\"error\": {status, code, message}}.")
    _handlers(app)
    app.state.database, app.state.token, app.state.reads_open = database, token, reads_open

    @app.get("/api/stats", tags=["meta"])
    def stats(db: Db) -> dict[str, Any]:
        data = database.store().stats()
        data["options"] = queries.options(db)
        data["reads_open"] = reads_open
        data["writes_enabled"] = bool(token)
        return data

    @app.get("/api/auth", tags=["meta"], summary="Check a bearer token (200 when it allows writes)")
    def auth(request: Request) -> dict[str, bool]:
        _need_token(request)
        return {"write": True}

    @app.get("/api/documents", tags=["documents"])
    def list_documents(db: Db, offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
        return queries.documents(db, offset=offset, limit=limit)

    @app.get("/api/documents/{doc_id:path}", tags=["documents"], summary="One stored report with its text")
    def get_document(doc_id: str, db: Db) -> dict[str, Any]:
        report = database.store().get(doc_id)
        if report is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}")
        return report

    @app.post("/api/documents", tags=["documents"], status_code=201, summary="Analyse and store (needs token)")
    def add_document(body: NewDocument, request: Request) -> dict[str, Any]:
        _need_token(request)
        return _add(database, body)

    @app.get("/api/events", tags=["facts"])
    def events(db: Db, f: FiltersDep, sort: str = "date", order: Order = "desc", offset: Offset = 0,
               limit: Limit = 50) -> dict[str, Any]:
        return queries.page(db, "events", f, sort=_sort("events", sort), order=order, offset=offset, limit=limit)

    @app.get("/api/figures", tags=["facts"])
    def figures(db: Db, f: FiltersDep, sort: str = "date", order: Order = "desc", offset: Offset = 0,
                limit: Limit = 50) -> dict[str, Any]:
        return queries.page(db, "figures", f, sort=_sort("figures", sort), order=order, offset=offset, limit=limit)

    @app.get("/api/events.csv", tags=["facts"], summary="Events under the filters as CSV")
    def events_csv(db: Db, f: FiltersDep, sort: str = "date", order: Order = "desc") -> StreamingResponse:
        return _csv(queries.iter_rows(db, "events", f, sort=_sort("events", sort), order=order, limit=MAX_CSV),
                    "events.csv")

    @app.get("/api/figures.csv", tags=["facts"], summary="Figures under the filters as CSV")
    def figures_csv(db: Db, f: FiltersDep, sort: str = "date", order: Order = "desc") -> StreamingResponse:
        return _csv(queries.iter_rows(db, "figures", f, sort=_sort("figures", sort), order=order, limit=MAX_CSV),
                    "figures.csv")

    @app.get("/api/quotes", tags=["facts"])
    def quotes(db: Db, speaker: Annotated[str | None, Query(max_length=200)] = None,
               document: Annotated[str | None, Query(max_length=300)] = None, offset: Offset = 0,
               limit: Limit = 50) -> dict[str, Any]:
        return queries.quotes(db, speaker=speaker, document=document, offset=offset, limit=limit)

    @app.get("/api/places", tags=["facts"])
    def places(db: Db, country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
               document: Annotated[str | None, Query(max_length=300)] = None, offset: Offset = 0,
               limit: Limit = 50) -> dict[str, Any]:
        return queries.places(db, country=country, document=document, offset=offset, limit=limit)

    @app.get("/api/fact", tags=["facts"], summary="One event or figure by document and id")
    def fact(db: Db, kind: Literal["event", "figure"], doc: Annotated[str, Query(max_length=300)],
             id: Annotated[str, Query(max_length=100)]) -> dict[str, Any]:
        row = queries.fact(db, kind, doc, id)
        if row is None:
            raise ApiError(404, "not_found", f"no {kind} {id!r} in {doc!r}")
        return row

    @app.get("/api/contradictions", tags=["facts"])
    def contradictions(db: Db, document: Annotated[str | None, Query(max_length=300)] = None,
                       offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
        return queries.contradictions(db, document=document, offset=offset, limit=limit)

    @app.get("/api/linked", tags=["linked"], summary="Linked events: one real event with all the reports of it")
    def linked(db: Db, f: FiltersDep, min_sources: MinSources = 1, bbox: BboxQ = None, sort: str = "date",
               order: Order = "desc", offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
        return queries.linked_page(db, f, min_sources=min_sources, bbox=_bbox(bbox), sort=_linked_sort(sort),
                                   order=order, offset=offset, limit=limit)

    @app.get("/api/linked.csv", tags=["linked"], summary="Linked events under the filters as CSV")
    def linked_csv(db: Db, f: FiltersDep, min_sources: MinSources = 1, sort: str = "date",
                   order: Order = "desc") -> StreamingResponse:
        return _csv(queries.iter_linked(db, f, min_sources=min_sources, sort=_linked_sort(sort), order=order,
                                        limit=MAX_CSV), "linked.csv")

    @app.get("/api/linked/{linked_id}", tags=["linked"],
             summary="One linked event: every report with its own toll, and the figure conflicts among them")
    def linked_one(linked_id: LinkedId, db: Db) -> dict[str, Any]:
        row = queries.linked_event(db, linked_id)
        if row is None:
            raise ApiError(404, "not_found", f"no linked event {linked_id!r}")
        return row

    @app.get("/api/search", tags=["search"], summary="Full text over documents (FTS5) and fact evidence")
    def search(db: Db, q: Annotated[str, Query(min_length=1, max_length=500)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        docs = database.store().search(q, limit=limit)
        facts = queries.search_facts(db, q.strip(), limit=limit) if q.strip() else []
        return {"query": q, "documents": docs, "facts": facts}

    @app.get("/api/map", tags=["map"], summary="Events/figures clustered on a grid for a zoom level")
    def map_(db: Db, f: FiltersDep, layer: LayerQ = "all", zoom: Annotated[int, Query(ge=0, le=18)] = 3,
             bbox: Annotated[str | None, Query(max_length=100, description="south,west,north,east")] = None,
             ) -> dict[str, Any]:
        box = _bbox(bbox)
        # Two cached layers: facts by point (one SQL aggregation per filter set), then cells per zoom.
        points = database.cached(db, ("points", f, layer), lambda: queries.map_points(db, f, layer=layer))
        clusters = database.cached(db, ("cells", f, layer, zoom), lambda: queries.map_clusters(points, zoom))
        return queries.in_view(db, clusters, box)

    @app.get("/api/map/items", tags=["map"], summary="The items inside a bbox (a clicked cluster)")
    def map_items(db: Db, f: FiltersDep, bbox: Annotated[str, Query(max_length=100)], layer: LayerQ = "all",
                  limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
        box = _bbox(bbox)
        assert box is not None
        return queries.map_items(db, f, layer=layer, bbox=box, limit=limit)

    @app.get("/api/timeline", tags=["map"], summary="Counts per day and type (the date filter is not applied)")
    def timeline(db: Db, f: FiltersDep, layer: Literal["events", "figures"] = "events") -> dict[str, Any]:
        return database.cached(db, ("timeline", f, layer), lambda: queries.timeline(db, f, layer=layer))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Outermost: applies to errors and static files too.
    app.add_middleware(GuardMiddleware, max_body=max_body, allowed_hosts=allowed_hosts)  # type: ignore[arg-type]
    return app


def _add(database: Database, body: NewDocument) -> dict[str, Any]:
    from ..model import Document
    from ..pipeline import analyze

    doc = Document(id=body.id or "", text=body.text, format=body.format, title=body.title,
                   published=body.published, outlet=body.outlet, url=body.url, source="web")
    if not doc.id:
        doc.id = f"web:{doc.content_hash[:16]}"
    try:
        report = analyze(doc)
    except SitroomError as exc:
        raise ApiError(422, "unprocessable", str(exc)) from None
    with database.write_lock:
        store = database.store()
        added = store.add(report, doc.content_hash)
        linked = _link_new(store)
    data = report.to_dict()
    return {"status": added.status, "id": added.id,
            "counts": {k: len(data.get(k, [])) for k in ("figures", "quotes", "events", "places", "contradictions")},
            "linked": queries.linked_of(database.read(), added.id) if linked else None}


def _link_new(store: Store) -> bool:
    """Link the new document with its neighbourhood (``relink.link_new``); False when that failed.

    The document is stored by then: a failed link must not answer an error the client would retry.
    The document stays unlinked, and the next link run (``sitroom link``, the next add) takes it up.
    """
    try:
        relink.link_new(store)
    except Exception:  # any failure: logged, and the stored document is still reported as stored
        log.exception("linking after an added document failed")
        return False
    return True


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """CSV text in chunks; cells a spreadsheet would run as formulas get a leading ' (CSV injection)."""
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for n, row in enumerate(rows):
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: ("'" + v if isinstance(v, str) and v.startswith(_FORMULA) else v) for k, v in row.items()})
        if n % 500 == 499:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv(rows: Iterator[dict[str, Any]], name: str) -> StreamingResponse:
    return StreamingResponse(csv_chunks(rows), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                   for e in exc.errors()]
        first = details[0] if details else {"where": "?", "problem": "invalid"}
        return _error(400, "bad_request", f"{first['where']}: {first['problem']}", json.loads(json.dumps(details)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, _CODES.get(exc.status_code, "error"), str(exc.detail))

    @app.exception_handler(SitroomError)
    async def sitroom_error(_: Request, exc: SitroomError) -> JSONResponse:
        return _error(400, "bad_request", str(exc))

    @app.exception_handler(sqlite3.Error)
    async def db_error(_: Request, exc: sqlite3.Error) -> JSONResponse:
        return _error(500, "database", f"database error: {exc}")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # A bug: the same error shape, no traceback or internals in the response.
        return _error(500, "internal", f"internal error ({type(exc).__name__})")
