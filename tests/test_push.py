"""``kg push`` into a real Oxigraph server started here on 127.0.0.1 (``pip install oxigraph``
gives the ``oxigraph`` command): the README's example queries answer there as ``kg query``
answers them."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kg.query import run_query

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted((ROOT / "ontology" / "queries").glob("*.rq"))
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server is not installed "
                                                                   "(pip install oxigraph)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path):
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"oxigraph did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=300,
                          env=env)


def remote(base: str, query: str) -> list[tuple]:
    """The answer of the Oxigraph server, as rows of values (triples for CONSTRUCT and DESCRIBE)."""
    r = httpx.post(base + "/query", data={"query": query}, timeout=60,
                   headers={"Accept": "application/sparql-results+json, application/n-triples"})
    assert r.status_code == 200, r.text
    if r.headers["content-type"].startswith("application/n-triples"):
        import pyoxigraph as ox
        return sorted((t.subject.value, t.predicate.value, t.object.value)
                      for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
    answer = r.json()
    if "boolean" in answer:
        return [(answer["boolean"],)]
    names = answer["head"]["vars"]
    return sorted(tuple((b.get(n) or {}).get("value") for n in names) for b in answer["results"]["bindings"])


def local_rows(build: Path, query: str) -> list[tuple]:
    result = run_query(build, query)
    if result.kind == "ask":
        return [(result.boolean,)]
    return sorted(tuple(t["value"] if t else None for t in cells) for cells in result.terms)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_the_example_queries_answer_in_oxigraph_as_in_kg_query(oxigraph, example_build_dir):
    done = kg("push", str(example_build_dir), "--endpoint", oxigraph + "/store")
    assert done.returncode == 0, done.stderr
    assert "added to the default graph" in done.stderr
    assert (remote(oxigraph, COUNT)) == local_rows(example_build_dir, COUNT)
    for path in QUERIES:
        query = path.read_text(encoding="utf-8")
        assert (remote(oxigraph, query)) == local_rows(example_build_dir, query), path.name


def test_replace_and_named_graphs(oxigraph, example_build_dir):
    n = local_rows(example_build_dir, COUNT)[0][0]
    for _ in range(2):  # pushing twice with --replace leaves one copy
        assert kg("push", str(example_build_dir), "--endpoint", oxigraph + "/store", "--replace").returncode == 0
    assert (remote(oxigraph, COUNT)) == [(n,)]
    graph = "https://example.org/graphs/kg-examples"
    done = kg("push", str(example_build_dir / "graph.ttl"), "--endpoint", oxigraph + "/store", "--graph", graph)
    assert done.returncode == 0 and f"<{graph}>" in done.stderr
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert (remote(oxigraph, per_graph)) == [(graph, n)]


def test_credentials_come_from_the_environment_never_the_command_line(oxigraph, example_build_dir, tmp_path):
    done = kg("push", str(example_build_dir), "--endpoint", oxigraph.replace("http://", "http://ann:secret@") + "/store")
    assert done.returncode == 1 and "KG_PUSH_PASSWORD" in done.stderr and "secret" not in done.stderr
    import os
    env = {**os.environ, "KG_PUSH_USER": "ann"}
    env.pop("KG_PUSH_PASSWORD", None)
    env.pop("KG_PUSH_TOKEN", None)
    done = kg("push", str(example_build_dir), "--endpoint", oxigraph + "/store", env=env)
    assert done.returncode == 1 and "KG_PUSH_PASSWORD" in done.stderr


def test_an_unreachable_or_wrong_endpoint_is_said_plainly(oxigraph, example_build_dir):
    done = kg("push", str(example_build_dir), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert done.returncode == 1 and "cannot connect" in done.stderr
    done = kg("push", str(example_build_dir), "--endpoint", oxigraph + "/no-such-service")
    assert done.returncode == 1 and "HTTP 404" in done.stderr
    done = kg("push", str(example_build_dir), "--endpoint", "ftp://example.org/store")
    assert done.returncode == 1 and "http://" in done.stderr


def test_where_credentials_come_from(monkeypatch, tmp_path):
    import httpx as _httpx

    from kg.push import _auth
    for var in ("KG_PUSH_USER", "KG_PUSH_PASSWORD", "KG_PUSH_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example.org login ann password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))

    def header(endpoint: str) -> str | None:
        auth, headers, _ = _auth(endpoint)
        request = _httpx.Request("POST", endpoint, headers=headers)
        if auth is not None:
            request = next(auth.auth_flow(request))
        return request.headers.get("Authorization")

    def basic(user: str, password: str) -> str:
        import base64
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    assert header("https://store.example.org/store") == basic("ann", "s3cret")
    assert header("https://other.example.org/store") is None
    monkeypatch.setenv("KG_PUSH_USER", "bob")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "pw")
    assert header("https://store.example.org/store") == basic("bob", "pw")
    monkeypatch.setenv("KG_PUSH_TOKEN", "tok")
    assert header("https://store.example.org/store") == "Bearer tok"
