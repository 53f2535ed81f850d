"""``kg serve`` as other tools use it: started as a user starts it, queried over HTTP on
127.0.0.1 with SPARQLWrapper and plain requests (SPARQL 1.1 Protocol)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
SPARQLWrapper = pytest.importorskip("SPARQLWrapper")

from kg.query import run_query  # noqa: E402

ASK_OPENVLA = "ASK { entity:OpenVLA kg:basedOn entity:Llama_2 }"
SELECT_LABELS = "SELECT ?label WHERE { ?e a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(source: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(source), "--port", str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kg serve exited: {proc.stderr.read()}")
        try:
            httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("kg serve did not start within 60 s")


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err


@pytest.fixture(scope="module")
def server(example_build_dir):
    proc, base = start(example_build_dir, "--timeout", "20")
    yield base
    stop(proc)


def sparql_wrapper(base: str, query: str, fmt: str, method: str = "GET"):
    client = SPARQLWrapper.SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


def test_sparqlwrapper_select_gives_what_kg_query_gives(server, example_build_dir):
    prefixes = "PREFIX kg: <https://w3id.org/kg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    for method in ("GET", "POST"):
        got = sparql_wrapper(server, prefixes + SELECT_LABELS, SPARQLWrapper.JSON, method).convert()
        labels = [b["label"]["value"] for b in got["results"]["bindings"]]
        assert labels == [row[0] for row in run_query(example_build_dir, SELECT_LABELS).rows]
        assert "CALVIN" in labels


def test_sparqlwrapper_ask_in_xml_and_construct_in_turtle(server):
    answer = sparql_wrapper(server, ASK_OPENVLA, SPARQLWrapper.XML)
    assert answer.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert answer.convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    graph = sparql_wrapper(server, "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a kg:Benchmark ; skos:prefLabel ?l }",
                           SPARQLWrapper.TURTLE).convert()
    assert b"CALVIN" in graph


@pytest.mark.parametrize("accept,media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml;q=0.9, text/csv;q=0.5", "application/sparql-results+xml"),
])
def test_select_answers_by_content_negotiation(server, accept, media_type):
    r = httpx.get(server + "/sparql", params={"query": SELECT_LABELS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
    assert "CALVIN" in r.text


def test_construct_as_n_triples_and_a_query_in_the_body(server):
    r = httpx.post(server + "/sparql", content="DESCRIBE entity:OpenVLA",
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert all(line.endswith(" .") for line in r.text.splitlines() if line)


@pytest.mark.parametrize("request_kwargs,status", [
    ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403),
    ({"method": "POST", "content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403),
    ({"method": "GET", "params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403),
    ({"method": "GET", "params": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}}, 400),
    ({"method": "GET", "params": {"query": "SELEC ?x WHERE { ?x ?p ?o }"}}, 400),
    ({"method": "GET", "params": {}}, 400),
    ({"method": "GET", "params": {"query": "ASK {}", "default-graph-uri": "http://example.org/g"}}, 400),
    ({"method": "GET", "params": {"query": "ASK {}"}, "headers": {"Accept": "text/html"}}, 406),
    ({"method": "POST", "content": "query=ASK{}", "headers": {"Content-Type": "text/plain"}}, 415),
])
def test_what_the_endpoint_refuses(server, request_kwargs, status):
    r = httpx.request(url=server + "/sparql", **request_kwargs)
    assert r.status_code == status and r.text.strip()  # with a reason in plain words


def test_the_graph_is_unchanged_after_an_update_attempt(server):
    httpx.post(server + "/sparql", data={"update": "CLEAR ALL"})
    assert httpx.get(server + "/sparql", params={"query": ASK_OPENVLA}).json()["boolean"] is True


def test_viewer_and_void_beside_the_endpoint(server):
    page = httpx.get(server + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html") and "vis" in page.text
    void = httpx.get(server + "/.well-known/void")
    assert void.status_code == 200 and void.headers["content-type"].startswith("text/turtle")
    assert "void:Dataset" in void.text or "rdfs.org/ns/void#Dataset" in void.text


def test_a_store_is_served_and_a_slow_query_stopped(example_build_dir, tmp_path):
    from kg.query import load_store
    load_store(example_build_dir, tmp_path / "store")
    proc, base = start(tmp_path / "store", "--timeout", "0.5")
    try:
        assert httpx.get(base + "/sparql", params={"query": ASK_OPENVLA}).json()["boolean"] is True
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        r = httpx.get(base + "/sparql", params={"query": slow}, timeout=30)
        assert r.status_code == 503 and "0.5 s" in r.text
        assert "Dataset" in httpx.get(base + "/.well-known/void").text
        page = httpx.get(base + "/")  # a store has no viewer: the page says where to query
        assert page.status_code == 200 and "/sparql" in page.text
    finally:
        code, err = stop(proc)
    assert code == 0 and "stopped" in err


def test_a_port_in_use_is_said_plainly(example_build_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(example_build_dir), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_serving_a_papers_file_says_build_first(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"id": "p1", "title": "T", "abstract": "We propose Zorbl."}) + "\n")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(papers)], capture_output=True, text=True,
                          timeout=60, env={**os.environ})
    assert done.returncode == 2 and "build one first" in done.stderr
