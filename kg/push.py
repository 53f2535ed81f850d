"""``kg push``: send a build to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

A lab that runs Oxigraph, Apache Jena Fuseki or GraphDB gets a build into it with one request:
``PUT`` (``--replace``: the graph's content becomes the build) or ``POST`` (the build is added
to what the graph holds), to the store's graph-store URL with ``?default`` or ``?graph=IRI``.
The graph file is streamed, so a large build is not read into memory.

Credentials never come from the command line (where other users of the machine see them in
the process list, and the shell keeps them in its history): ``KG_PUSH_USER`` and
``KG_PUSH_PASSWORD`` (HTTP Basic) or ``KG_PUSH_TOKEN`` (a bearer token) in the environment, else
the endpoint host's entry in ``~/.netrc`` (or the file ``NETRC`` names).

>>> push_url("http://localhost:7878/store", None)
'http://localhost:7878/store?default'
>>> push_url("http://localhost:3030/kg/data", "https://example.org/graphs/acl")
'http://localhost:3030/kg/data?graph=https%3A%2F%2Fexample.org%2Fgraphs%2Facl'
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from .query import rdf_format, resolve_graph_file

#: bytes sent per chunk of the streamed upload
CHUNK_SIZE = 1 << 20
USER_VARIABLE, PASSWORD_VARIABLE, TOKEN_VARIABLE = "KG_PUSH_USER", "KG_PUSH_PASSWORD", "KG_PUSH_TOKEN"


class PushError(Exception):
    """The build could not be sent: a bad endpoint, no connection, or the store said no."""


@dataclass(frozen=True)
class PushReport:
    file: Path
    url: str
    method: str
    bytes_sent: int
    status: int
    authenticated_by: str | None


def push_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of the default graph or of the named graph ``graph``."""
    target = "default" if graph is None else "graph=" + quote(graph, safe="")
    return endpoint + ("&" if "?" in endpoint else "?") + target


def _check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{endpoint}: the endpoint must be an http:// or https:// URL "
                        f"(Oxigraph: http://HOST:7878/store)")
    if parts.password is not None:
        raise PushError(f"the endpoint URL holds a password: give it in {PASSWORD_VARIABLE} (with {USER_VARIABLE}) "
                        f"or in ~/.netrc instead, never on the command line")


def _auth(endpoint: str):
    """(httpx auth, extra headers, what authenticated): from the environment, else netrc."""
    import httpx

    env = os.environ
    if env.get(TOKEN_VARIABLE):
        return None, {"Authorization": f"Bearer {env[TOKEN_VARIABLE]}"}, TOKEN_VARIABLE
    if env.get(USER_VARIABLE) or env.get(PASSWORD_VARIABLE):
        if not (env.get(USER_VARIABLE) and env.get(PASSWORD_VARIABLE)):
            raise PushError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE} (or {TOKEN_VARIABLE})")
        return httpx.BasicAuth(env[USER_VARIABLE], env[PASSWORD_VARIABLE]), {}, USER_VARIABLE
    netrc_file = Path(env.get("NETRC") or Path.home() / ".netrc")
    if netrc_file.is_file():
        import netrc

        try:
            entry = netrc.netrc(str(netrc_file)).authenticators(urlsplit(endpoint).hostname or "")
        except (netrc.NetrcParseError, OSError) as e:
            raise PushError(f"cannot read {netrc_file}: {e}") from None
        if entry is not None:
            login, _account, password = entry
            return httpx.BasicAuth(login or "", password or ""), {}, str(netrc_file)
    return None, {}, None


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            yield chunk


def push(source: str | os.PathLike, endpoint: str, *, graph: str | None = None, replace: bool = False,
         timeout: float = 300.0) -> PushReport:
    """Send the RDF of ``source`` (a build folder or an RDF file) to ``endpoint``, the store's
    Graph Store Protocol URL: into the default graph, or the named graph ``graph``;
    ``replace`` replaces the graph's content, else the build is added to it."""
    import httpx

    _check_endpoint(endpoint)
    path = resolve_graph_file(source)
    media_type = rdf_format(path).media_type
    url = push_url(endpoint, graph)
    auth, headers, authenticated_by = _auth(endpoint)
    size = path.stat().st_size
    headers = {**headers, "Content-Type": media_type, "Content-Length": str(size)}
    method = "PUT" if replace else "POST"
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.request(method, url, content=_chunks(path), headers=headers, auth=auth)
    except httpx.TimeoutException:
        raise PushError(f"{endpoint}: no answer within {timeout:g} s") from None
    except httpx.HTTPError as e:
        raise PushError(f"{endpoint}: cannot connect ({e})") from None
    if response.status_code in (401, 403):
        how = f" (credentials from {authenticated_by})" if authenticated_by else \
            f"; give credentials in {USER_VARIABLE} and {PASSWORD_VARIABLE}, {TOKEN_VARIABLE}, or ~/.netrc"
        raise PushError(f"{endpoint}: the store refused the push: HTTP {response.status_code}{how}")
    if response.status_code >= 300:
        said = " ".join(response.text.split())[:300]
        raise PushError(f"{endpoint}: the store answered HTTP {response.status_code}" + (f": {said}" if said else ""))
    return PushReport(path, url, method, size, response.status_code, authenticated_by)
