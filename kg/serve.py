"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a kg build or store.

Other tools (SPARQLWrapper, YASGUI, a notebook, another triple store's federation) talk to a
build through the standard protocol instead of through ``kg query``:

* ``/sparql``: queries by GET (``?query=``), by POST as a form (``query=``) or as the body
  (``application/sparql-query``). SELECT and ASK answers come as SPARQL JSON (the default), XML,
  CSV or TSV, CONSTRUCT and DESCRIBE answers as Turtle (the default) or N-Triples, by the
  request's ``Accept`` header. Updates are refused (403), and so are SERVICE clauses (400),
  as by ``kg query``; each query runs under a time limit (503 when it is up).
* ``/``: the build's HTML viewer (``graph.html``), when the source is a build folder that has one.
* ``/.well-known/void``: the VoID description of the data (the build's ``void.ttl``, or the
  ``void:Dataset`` statements of a store).

The application is a Starlette app (:func:`make_app`) run by uvicorn (:func:`serve`) on a
socket bound first (:func:`listen`). It
listens on 127.0.0.1 unless told otherwise, and sends no CORS headers: a web page from
elsewhere cannot read the graph through a visitor's browser.

The protocol's tests (``tests/test_serve.py``) run ``kg serve`` and query it with SPARQLWrapper.
"""
from __future__ import annotations

import html
import math
import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from .query import (GRAPH_SERIALIZATIONS, QueryError, QueryTimeout, UpdateRefused, is_store, open_store,
                    run_query_serialized)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: seconds a query may run before it is stopped (``kg serve --timeout``)
DEFAULT_TIMEOUT = 30.0

#: media types of SELECT and ASK answers -> result format name
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
#: media types of CONSTRUCT and DESCRIBE answers -> RDF format name
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "nt", "text/plain": "nt",
}
_READ_ONLY = "this endpoint is read-only: updates are refused"
_VOID_QUERY = ("CONSTRUCT { ?d ?p ?o } WHERE { ?d a <http://rdfs.org/ns/void#Dataset> ; ?p ?o }")


def negotiate(accept: str | None, offers: dict[str, str], default: str) -> str | None:
    """The format of ``offers`` (media type -> format) that an ``Accept`` header prefers:
    ``default`` for no header or a wildcard, None when it accepts none of them.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_MEDIA_TYPES, "json")
    'xml'
    >>> negotiate(None, RESULT_MEDIA_TYPES, "json"), negotiate("*/*", GRAPH_MEDIA_TYPES, "turtle")
    ('json', 'turtle')
    >>> negotiate("text/html", RESULT_MEDIA_TYPES, "json") is None
    True
    """
    if not accept or not accept.strip():
        return default
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media.lower()))
    for _q, _position, media in sorted(ranges):
        if media in offers:
            return offers[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            if any(m.startswith(major) and f == default for m, f in offers.items()):
                return default
            found = next((f for m, f in offers.items() if m.startswith(major)), None)
            if found is not None:
                return found
    return None


class Endpoint:
    """What the routes answer from: the source, opened once, and its build files."""

    def __init__(self, source: str | Path, timeout: float | None = DEFAULT_TIMEOUT):
        path = Path(source)
        # a store folder is opened read-only by each query's worker; a file or build is read
        # into memory once here, and each worker (forked) shares it
        self.source: Any = path if is_store(path) else open_store(path)
        self.folder = path if path.is_dir() and not is_store(path) else None
        self.timeout = None if timeout is None or math.isinf(timeout) else float(timeout)
        self.name = path.name or str(path)

    def query(self, sparql: str, results_format: str, graph_format: str):
        return run_query_serialized(self.source, sparql, results_format=results_format,
                                    graph_format=graph_format, timeout=self.timeout)


def make_app(source: str | Path, *, timeout: float | None = DEFAULT_TIMEOUT):
    """The Starlette application of ``kg serve`` over ``source`` (a build folder, an RDF file
    or a store folder made by ``kg load``)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    endpoint = Endpoint(source, timeout)

    def refuse(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    async def sparql(request: Request) -> Response:
        if request.method == "GET":
            params: Any = request.query_params
        else:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            try:
                body = (await request.body()).decode("utf-8")
            except UnicodeDecodeError:
                return refuse(400, "the request body is not UTF-8 text")
            if content_type == "application/x-www-form-urlencoded":
                params = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
            elif content_type == "application/sparql-query":
                params = {"query": body}
            elif content_type == "application/sparql-update":
                return refuse(403, _READ_ONLY)
            else:
                return refuse(415, "POST a query as application/x-www-form-urlencoded (query=...) "
                                   "or as application/sparql-query")
        if "update" in params:
            return refuse(403, _READ_ONLY)
        query = params.get("query")
        if not query:
            return refuse(400, "no query: give one as ?query=... (GET) or query=... (POST)")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return refuse(400, "default-graph-uri and named-graph-uri are not supported: the endpoint "
                               "answers from its one dataset, all graphs as the default graph")
        accept = request.headers.get("accept")
        results_format = negotiate(accept, RESULT_MEDIA_TYPES, "json")
        graph_format = negotiate(accept, GRAPH_MEDIA_TYPES, "turtle")
        if results_format is None and graph_format is None:
            return refuse(406, "acceptable answers: " + ", ".join(sorted({*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES})))
        try:
            answer = await run_in_threadpool(endpoint.query, str(query), results_format or "json",
                                             graph_format or "turtle")
        except UpdateRefused as e:
            return refuse(403, str(e))
        except QueryTimeout as e:
            return refuse(503, str(e))
        except QueryError as e:
            return refuse(400, str(e))
        wanted = graph_format if answer.kind == "graph" else results_format
        if wanted is None:
            return refuse(406, f"a {answer.kind.upper() if answer.kind != 'graph' else 'CONSTRUCT or DESCRIBE'} "
                               f"answer cannot be given in the accepted formats")
        return Response(answer.data, media_type=answer.media_type)

    async def viewer(request: Request) -> Response:
        page = endpoint.folder / "graph.html" if endpoint.folder else None
        if page is not None and page.is_file():
            return FileResponse(page, media_type="text/html")
        name = html.escape(endpoint.name)
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>kg: {name}</title>"
                            f"<h1>kg SPARQL endpoint</h1><p>{name} has no viewer (build it with "
                            f"<code>kg build</code>). Query it at <a href=\"/sparql\">/sparql</a>; "
                            f"its description is at <a href=\"/.well-known/void\">/.well-known/void</a>.</p>")

    async def void(request: Request) -> Response:
        described = endpoint.folder / "void.ttl" if endpoint.folder else None
        if described is not None and described.is_file():
            return FileResponse(described, media_type=GRAPH_SERIALIZATIONS["turtle"].media_type)
        answer = await run_in_threadpool(endpoint.query, _VOID_QUERY, "json", "turtle")
        return Response(answer.data, media_type=answer.media_type)

    return Starlette(routes=[
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/", viewer, methods=["GET"]),
        Route("/.well-known/void", void, methods=["GET"]),
    ])


def listen(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A socket bound to ``host:port``, before anything is loaded: a port in use is an OSError
    at once, not after a large graph has been read."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: Any, sock: socket.socket) -> None:
    """Run ``app`` on the bound ``sock`` until Ctrl-C or SIGTERM, then close it."""
    import uvicorn

    with sock:
        try:
            uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn shuts down, then raises the signal it caught again
            pass
