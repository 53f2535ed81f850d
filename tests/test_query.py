"""SPARQL: sources, prefixes, the example queries, output formats, errors, updates, timeout."""
from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

from kg.export.rdf import entity_iri, sample_graph, to_rdflib, write_rdf
from kg.namespace import ontology_path
from kg.query import (
    PREFIXES, QueryError, QueryResult, QueryTimeout, format_result, load_store, read_query,
    run_query,
)

WHEN = "2025-01-01T00:00:00Z"
INJECTION = 'x" } ; DELETE WHERE { ?s ?p ?o } ; INSERT DATA { <a> <b> "c" } # """ \\ <script>\n'


def query_graph() -> nx.MultiDiGraph:
    """The sample graph, a third NAVSIM result whose value sorts first as text but last as a
    number, and a paper whose title looks like a SPARQL injection."""
    g = sample_graph()
    g.graph["results"].append({"subject": "entity:OpenVLA", "benchmark": "entity:NAVSIM",
                               "metric": "entity:PDMS", "value": "9.5", "number": "9.5", "unit": None,
                               "paper": "p-openvla", "sentence": "A made-up 9.5.", "rule": "result"})
    g.add_node("paper:p-evil", kind="paper", type="Paper", label=INJECTION, paper_id="p-evil",
               title=INJECTION, abstract="", year=2024, authors=[], venue=None, url=None)
    return g


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("qbuild")
    write_rdf(query_graph(), out, formats=("turtle", "nt", "jsonld", "trig"), generated_at=WHEN)
    return out


@pytest.fixture(scope="module")
def store(build, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("qstore") / "store"
    assert load_store(build / "graph.nt", target) == len(list(ox.parse(path=str(build / "graph.nt"))))
    return target


def example(name: str) -> str:
    (path,) = sorted(ontology_path("queries").glob(f"{name}*.rq"))
    return read_query(path)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_every_source_kind_gives_the_same_answer(build, store):
    n = len(list(ox.parse(path=str(build / "graph.nt"))))
    sources = [build, build / "graph.ttl", build / "graph.nt", build / "graph.jsonld",
               build / "graph.trig", store, str(store), query_graph(),
               to_rdflib(query_graph(), generated_at=WHEN)]
    for source in sources:
        assert run_query(source, COUNT).rows == [(str(n),)], source


def test_store_object_and_missing_source(build, tmp_path):
    s = ox.Store()
    s.bulk_load(path=str(build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert run_query(s, "ASK { ?s a kg:Model }").boolean is True
    with pytest.raises(QueryError, match="no such file"):
        run_query(tmp_path / "nope.ttl", COUNT)
    with pytest.raises(QueryError, match="holds no kg build"):
        run_query(tmp_path, COUNT)


def test_load_store_refuses_a_folder_that_is_not_a_store(build, tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(QueryError, match="not a pyoxigraph store"):
        load_store(build, tmp_path)


def test_prefixes_are_prebound_and_a_query_may_redeclare_them(build):
    r = run_query(build, "SELECT ?l WHERE { entity:OpenVLA skos:prefLabel ?l }")
    assert r.rows == [("OpenVLA",)]
    r = run_query(build, "PREFIX kg: <http://example.org/other#> ASK { ?s kg:basedOn ?o }")
    assert r.boolean is False
    for prefix in ("kg", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "mls", "schema", "void"):
        assert prefix in PREFIXES


def test_data_prefixes_follow_the_build_base(tmp_path):
    write_rdf(sample_graph(), tmp_path, base_iri="https://example.org/x/", generated_at=WHEN)
    r = run_query(tmp_path, "SELECT ?l WHERE { entity:OpenVLA skos:prefLabel ?l }")
    assert r.rows == [("OpenVLA",)]
    assert "entity:OpenVLA" in format_result(run_query(tmp_path, "SELECT ?e WHERE { ?e skos:prefLabel 'OpenVLA' }"))


def test_there_are_ten_or_more_example_queries_and_all_run(build):
    paths = sorted(ontology_path("queries").glob("*.rq"))
    assert len(paths) >= 10
    for path in paths:
        text = read_query(path)
        assert text.startswith("# Question:")
        result = run_query(build, text)
        assert result.boolean is True or len(result.rows) > 0, path.name


def test_best_result_orders_by_decimal_value(build):
    r = run_query(build, example("02"))
    values = [Decimal(row[r.variables.index("value")]) for row in r.rows]
    assert values == sorted(values, reverse=True)
    assert values[0] == Decimal("88.1") and values[-1] == Decimal("9.5")  # numeric, not text, order
    assert r.rows[0][r.variables.index("achievedBy")] == "DiffusionDrive"
    cell = r.terms[0][r.variables.index("value")]
    assert cell["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_example_answers(build):
    def column(name, var):
        r = run_query(build, example(name))
        return [row[r.variables.index(var)] for row in r.rows]

    assert column("03", "name") == ["Llama2-7B", "OpenVLA"]  # basedOn and variantOf, transitively
    assert column("04", "method") == ["OpenVLA"]
    assert column("01", "name") == ["BERT"]
    dpo = example("04").replace('IN ("rt2x")', 'IN ("dpo", "directpreferenceoptimization")')
    assert [row[1] for row in run_query(build, dpo).rows] == ["OPA-DPO"]
    assert set(column("05", "name")) == {"NAVSIM", "nuScenes"}
    assert column("07", "relation") == ["basedOn"]
    assert ("OpenVLA", "Open X-Embodiment") in set(zip(column("09", "name"), column("09", "trainedOn")))
    assert ("DPO", "Direct Preference Optimization") in set(zip(column("10", "acronym"), column("10", "longForm")))
    assert column("11", "metric") == ["PDMS"]
    assert run_query(build, example("14")).boolean is True
    calvin = example("01").replace('"glue"', '"calvin"')
    assert [row[0] for row in run_query(build, calvin).rows] == ["OpenVLA"]


def test_construct_query(build):
    r = run_query(build, example("13"))
    assert r.kind == "graph" and r.variables == ["subject", "predicate", "object"]
    turtle = format_result(r, "table")
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (rdflib.URIRef(entity_iri("OpenVLA")), rdflib.URIRef(PREFIXES["kg"] + "basedOn"),
            rdflib.URIRef(entity_iri("Llama_2"))) in g
    nt = format_result(r, "nt")
    assert len(nt.strip().splitlines()) == len(g)
    assert format_result(r, "csv").startswith("subject,predicate,object")


def test_ask_formats(build):
    yes = run_query(build, "ASK { entity:OpenVLA kg:basedOn entity:Llama_2 }")
    no = run_query(build, "ASK { entity:Llama_2 kg:basedOn entity:OpenVLA }")
    assert (yes.kind, yes.boolean, no.boolean) == ("ask", True, False)
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}
    assert format_result(no, "table") == "no\n"
    assert format_result(yes, "csv") == "true\n"


def test_select_formats(build):
    q = ("SELECT ?name ?value ?none WHERE { ?r kg:achievedBy ?e ; kg:value ?value . "
         "?e skos:prefLabel ?name } ORDER BY DESC(?value)")
    r = run_query(build, q)
    table = format_result(r, "table")
    lines = table.splitlines()
    assert lines[0].split("|")[0].strip() == "name" and lines[-1] == f"({len(r.rows)} rows)"
    assert len({len(line) for line in lines[2:-1]}) == 1  # aligned (numbers right-aligned)
    rows = list(csv.reader(io.StringIO(format_result(r, "csv"))))
    assert rows[0] == ["name", "value", "none"] and rows[1] == ["DiffusionDrive", "88.1", ""]
    tsv = format_result(r, "tsv").splitlines()
    assert tsv[0] == "?name\t?value\t?none"
    assert tsv[1] == '"DiffusionDrive"\t"88.1"^^<http://www.w3.org/2001/XMLSchema#decimal>\t'
    doc = json.loads(format_result(r, "json"))
    assert doc["head"]["vars"] == ["name", "value", "none"]
    first = doc["results"]["bindings"][0]
    assert first["name"] == {"type": "literal", "value": "DiffusionDrive"}
    assert first["value"]["datatype"].endswith("#decimal") and "none" not in first
    # the JSON is what an independent SPARQL results parser reads
    parsed = ox.parse_query_results(format_result(r, "json"), format=ox.QueryResultsFormat.JSON)
    assert [str(s["name"]) for s in parsed][0] == '"DiffusionDrive"'
    with pytest.raises(ValueError):
        format_result(r, "xml")


def test_table_cuts_long_cells(build):
    r = run_query(build, "SELECT ?a WHERE { ?p dcterms:abstract ?a }")
    assert all(len(line) <= 80 for line in format_result(r, "table").splitlines())
    assert any(len(line) > 80 for line in format_result(r, "table", max_width=None).splitlines())


def test_injection_looking_title_round_trips(build):
    r = run_query(build, 'SELECT ?t WHERE { ?p dcterms:identifier "p-evil" ; dcterms:title ?t }')
    assert r.rows == [(INJECTION,)]
    assert json.loads(format_result(r, "json"))["results"]["bindings"][0]["t"]["value"] == INJECTION
    assert list(csv.reader(io.StringIO(format_result(r, "csv"), newline="")))[1] == [INJECTION]
    assert run_query(build, COUNT).rows == run_query(build, COUNT).rows  # nothing was deleted


def test_syntax_error_has_line_and_column(build):
    q = "SELECT ?s WHERE {\n  ?s a kg:Model .\n  BIND(1 AS) .\n}"
    with pytest.raises(QueryError) as err:
        run_query(build, q)
    assert (err.value.line, err.value.column) == (3, 13)
    assert str(err.value).startswith("line 3, column 13: ")


@pytest.mark.parametrize(("query", "where", "says"), [
    ("SELEC ?s WHERE { ?s ?p ?o }", (1, 1), "'SELEC' is no SPARQL keyword (did you mean SELECT?)"),
    ("SELECT ?s WHERE { ?s ?p ?o }\nLIMT 3", (2, 1), "'LIMT' is no SPARQL keyword (did you mean LIMIT?)"),
    ("SELECT ?s WHERE { ?s ?p ?o", None, "the query ends too early: 1 '{' is not closed by a '}'"),
    ("SELECT ?s WHERE { ?s ?p ?o FILTER(regex(?s, \"a\") }", None, "1 '(' is not closed by a ')'"),
    ("?s WHERE { ?s ?p ?o }", None, "the query has no SELECT, ASK, CONSTRUCT or DESCRIBE"),
])
def test_a_typo_is_said_in_plain_words(build, query, where, says):
    with pytest.raises(QueryError) as err:
        run_query(build, query)
    assert says in err.value.message and "'0' ..= '9'" not in err.value.message
    if where is not None:
        assert (err.value.line, err.value.column) == where


def test_keywords_and_functions_in_any_case_are_no_typos(build):
    q = ('select ?s where { ?s a kg:Method ; skos:prefLabel ?l . filter(regex(str(?l), "a", "i") && lang(?l) = "") '
         'optional { ?s kg:uses ?u } } order by desc(?s) limit 2')
    assert run_query(build, q).kind == "select"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX kg: <https://w3id.org/kg/ontology#>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
    "  delete { ?s ?p ?o } where { ?s ?p ?o }",
    "LOAD <http://example.org/x.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "BASE <http://example.org/> CREATE GRAPH <g>",
])
def test_updates_are_rejected(build, store, update):
    before = run_query(store, COUNT).rows
    with pytest.raises(QueryError, match="updates"):
        run_query(store, update)
    with pytest.raises(QueryError, match="updates"):
        run_query(build, update, timeout=5)
    assert run_query(store, COUNT).rows == before


def test_service_is_refused(build):
    with pytest.raises(QueryError, match="SERVICE") as err:
        run_query(build, "SELECT * WHERE {\n  ?a ?b ?c .\n  service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert (err.value.line, err.value.column) == (3, 3)
    ok = 'SELECT ?service WHERE { ?service ?p "SERVICE" . FILTER(?p != <http://x/SERVICE>) } # SERVICE'
    assert run_query(build, ok).kind == "select"  # "service" as a name, string, IRI or comment is fine


def test_empty_query(build):
    with pytest.raises(QueryError, match="empty"):
        run_query(build, "  \n")
    with pytest.raises(QueryError, match="no SELECT"):
        run_query(build, "PREFIX a: <http://a/>  # only a prologue\n")


def test_unknown_prefix_is_named(build):
    with pytest.raises(QueryError) as err:
        run_query(build, 'SELECT ?x WHERE {\n  ?x skos:prefLabel "a:b" ;\n     nope:thing ?y }')
    assert "unknown prefix nope:" in str(err.value)
    assert (err.value.line, err.value.column) == (3, 6)


def slow_graph(n: int = 400) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"entity:e{i}", kind="entity", type="Method", label=f"e{i}", slug=f"e{i}", aliases=[],
                   mention_count=1, confidence=1.0)
    return g


def test_timeout_stops_a_slow_query(tmp_path):
    write_rdf(slow_graph(), tmp_path, formats=("nt",), generated_at=WHEN)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="did not finish within 1 s"):
        run_query(tmp_path, slow, timeout=1)
    assert time.monotonic() - start < 10
    # a quick query with a timeout answers normally, errors keep their position
    assert run_query(tmp_path, "ASK { ?s a kg:Method }", timeout=30).boolean is True
    with pytest.raises(QueryError) as err:
        run_query(tmp_path, "SELECT * WHERE {\n ?s ?p }", timeout=30)
    assert err.value.line == 2 and not isinstance(err.value, QueryTimeout)
    with pytest.raises(QueryError):
        run_query(tmp_path, COUNT, timeout=0)


def test_timeout_on_a_store_folder(store):
    r = run_query(store, "SELECT ?l WHERE { entity:OpenVLA skos:prefLabel ?l }", timeout=30)
    assert isinstance(r, QueryResult) and r.rows == [("OpenVLA",)]
