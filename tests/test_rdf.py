"""RDF export: every serialisation parses back (rdflib and pyoxigraph), identically and
deterministically; IRIs are stable; statement nodes and typed results are there."""
from __future__ import annotations

import json
import warnings
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, Literal, URIRef

from kg.export.rdf import (
    CONTEXT_FILE, DEFAULT_BASE_IRI, RDF_FORMATS, VOID_FILE, data_prefixes, entity_iri, iter_triples,
    paper_iri, resolve_generated_at, sample_graph, to_rdflib, write_rdf,
)
from kg.namespace import DCTERMS, KG, PROV, SKOS, VOID

WHEN = "2025-01-01T00:00:00Z"
ALL = ("turtle", "nt", "jsonld", "trig")
NASTY_TITLE = ('He said """hi""" <script>alert("x")</script>\n'
               'back\\slash \\n \\" \'; DROP TABLE papers; -- '
               '" } ; DELETE WHERE { ?s ?p ?o } # \t tab é 漢字 \U0001F600')
NASTY_PAPER_ID = "arXiv:2406.09246v2/x y#z"


def contract_graph() -> nx.MultiDiGraph:
    """The sample graph plus the awkward cases: escaping, unsafe ids and slugs, a paper-headed
    relation, an edge without evidence sentences, a result of the paper itself."""
    g = sample_graph()
    pid = NASTY_PAPER_ID
    g.add_node(f"paper:{pid}", kind="paper", type="Paper", label=NASTY_TITLE, paper_id=pid,
               title=NASTY_TITLE, abstract="An abstract with a \r carriage return.", year="2023",
               authors=["A. Ünal"], venue="NeurIPS", url="https://example.org/a?b=c&d=<e>")
    for slug, name, etype in [("Caf\u00e9 3.", "Café 3.", "Model"), ("a/b", "a/b", "Task"),
                              ("-lead", "-lead", "Method")]:
        g.add_node(f"entity:{slug}", kind="entity", type=etype, label=name, slug=slug, aliases=[],
                   papers=[pid], mention_count=1, confidence=0.6666666)
        g.add_edge(f"paper:{pid}", f"entity:{slug}", key="mentions", type="mentions", count=1)
    ev = {"paper": pid, "sentence": NASTY_TITLE, "start": 0, "end": 10, "confidence": 0.75, "rule": "r"}
    g.add_edge(f"paper:{pid}", "entity:a/b", key="addresses", type="addresses", papers=[pid],
               confidence=0.75, evidence=[ev])
    g.add_edge(f"paper:{pid}", "entity:Café 3.", key="uses", type="uses", papers=[pid],
               confidence=0.75, evidence=[ev, {**ev, "sentence": "Second sentence.", "rule": "r2"}])
    g.add_edge("entity:-lead", "entity:Café 3.", key="uses", type="uses", papers=[pid],
               confidence=0.5, evidence=[])
    g.graph["results"].append({"subject": f"paper:{pid}", "benchmark": "entity:NAVSIM",
                               "metric": "entity:PDMS", "value": "9.5", "number": "9.5", "unit": None,
                               "paper": pid, "sentence": NASTY_TITLE, "rule": "result"})
    return g


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return contract_graph()


@pytest.fixture(scope="module")
def build(graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    write_rdf(graph, out, formats=ALL, generated_at=WHEN)
    return out


def rdflib_triples(path: Path) -> set:
    if path.suffix == ".trig":
        ds = rdflib.Dataset()
        ds.parse(path, format="trig")
        return {(s, p, o) for s, p, o, _ in ds.quads()}
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[path.suffix]
    return set(rdflib.Graph().parse(path, format=fmt))


def ox_triples(path: Path) -> set:
    return {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path))}


def test_write_rdf_files(graph, tmp_path):
    written = write_rdf(graph, tmp_path, formats=("nt",), generated_at=WHEN)
    assert [p.name for p in written] == ["graph.ttl", "graph.nt", VOID_FILE]  # graph.ttl always
    written = write_rdf(graph, tmp_path / "all", formats=ALL, generated_at=WHEN)
    assert [p.name for p in written] == [*RDF_FORMATS.values(), CONTEXT_FILE, VOID_FILE]
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporaries


def test_every_format_parses_back_identically_with_both_parsers(build):
    reference_rdflib = rdflib_triples(build / "graph.nt")
    reference_ox = ox_triples(build / "graph.nt")
    assert len(reference_rdflib) == len(reference_ox) > 400
    for name in RDF_FORMATS.values():
        assert rdflib_triples(build / name) == reference_rdflib, name
        assert ox_triples(build / name) == reference_ox, name


def test_to_rdflib_equals_the_files(graph, build):
    assert set(to_rdflib(graph, generated_at=WHEN)) == rdflib_triples(build / "graph.ttl")


def test_void_counts(build):
    void = rdflib.Graph().parse(build / VOID_FILE)
    dataset = URIRef(DEFAULT_BASE_IRI + "dataset")
    triples = ox_triples(build / "graph.nt")
    assert int(void.value(dataset, VOID.triples)) == len(triples)
    assert (dataset, RDF.type, VOID.Dataset) in void
    partitions = {void.value(b, VOID["class"]): int(void.value(b, VOID.entities))
                  for b in void.objects(dataset, VOID.classPartition)}
    models = sum(1 for s, p, o in triples if p.value == str(RDF.type) and o.value == str(KG.Model))
    assert partitions[KG.Model] == models
    props = {void.value(b, VOID.property): int(void.value(b, VOID.triples))
             for b in void.objects(dataset, VOID.propertyPartition)}
    assert sum(props.values()) == len(triples)
    assert int(void.value(dataset, VOID.classes)) == len(partitions)


def test_void_distinct_counts_are_exact_however_the_hashes_are_buffered(graph, tmp_path, monkeypatch):
    """VoID's distinct subjects and objects are counted in a sorted array, merged as a small
    buffer fills (as a million-paper build does many times): the counts are those of sets."""
    import kg.export.rdf as rdf

    monkeypatch.setattr(rdf._DistinctHashes, "BUFFER", 3)
    monkeypatch.setattr(rdf, "_MERGE_EVERY", 1)
    write_rdf(graph, tmp_path, formats=("nt",), generated_at=WHEN)
    triples = ox_triples(tmp_path / "graph.nt")
    void = rdflib.Graph().parse(tmp_path / VOID_FILE)
    dataset = URIRef(DEFAULT_BASE_IRI + "dataset")
    assert int(void.value(dataset, VOID.distinctSubjects)) == len({t[0] for t in triples})
    assert int(void.value(dataset, VOID.distinctObjects)) == len({t[2] for t in triples})


def test_jsonld_context_file(build):
    context = json.loads((build / CONTEXT_FILE).read_text("utf-8"))
    document = json.loads((build / "graph.jsonld").read_text("utf-8"))
    assert document["@context"] == context["@context"]
    assert context["@context"]["basedOn"] == {"@id": str(KG.basedOn), "@type": "@id"}
    assert context["@context"]["value"] == {"@id": str(KG.value), "@type": str(XSD.decimal)}
    assert context["@context"]["entity"] == DEFAULT_BASE_IRI + "entity/"


def test_deterministic_byte_identical(graph, tmp_path):
    a = write_rdf(graph, tmp_path / "a", formats=ALL, generated_at=WHEN)
    b = write_rdf(contract_graph(), tmp_path / "b", formats=ALL, generated_at=WHEN)
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_source_date_epoch_pins_the_time(graph, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert resolve_generated_at() == WHEN
    write_rdf(graph, tmp_path / "a", formats=("nt",))
    write_rdf(graph, tmp_path / "b", formats=("nt",), generated_at=WHEN)
    assert (tmp_path / "a" / "graph.nt").read_bytes() == (tmp_path / "b" / "graph.nt").read_bytes()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_generated_at().endswith("Z")


def test_same_slug_same_iri_across_builds(graph):
    other = nx.MultiDiGraph()
    other.add_node("entity:Llama_2", kind="entity", type="Model", label="Llama 2", slug="Llama_2",
                   aliases=[], papers=["p-x"], mention_count=1, confidence=1.0)
    other.add_node("entity:OpenVLA", kind="entity", type="Model", label="OpenVLA", slug="OpenVLA",
                   aliases=[], papers=["p-x"], mention_count=1, confidence=1.0)
    sentence = "OpenVLA builds on a Llama 2 language model."
    ev = {"paper": "p-openvla", "sentence": sentence, "start": 0, "end": len(sentence),
          "confidence": 0.5, "rule": "pattern:builds_on"}
    other.add_edge("entity:OpenVLA", "entity:Llama_2", key="basedOn", type="basedOn",
                   papers=["p-openvla"], confidence=0.5, evidence=[ev])
    first = set(to_rdflib(graph, generated_at=WHEN).subjects())
    second = set(to_rdflib(other, generated_at="2030-01-01T00:00:00Z").subjects())
    shared = {str(s) for s in first & second}
    assert entity_iri("Llama_2") in shared and entity_iri("OpenVLA") in shared
    # the statement node of the same evidence is the same node too
    assert any(s.startswith(data_prefixes()["stmt"]) for s in shared)


def test_direct_triples_and_statement_nodes(graph, build):
    g = rdflib.Graph().parse(build / "graph.ttl")
    openvla, llama = URIRef(entity_iri("OpenVLA")), URIRef(entity_iri("Llama_2"))
    assert (openvla, KG.basedOn, llama) in g
    statements = list(g.subjects(RDF.subject, openvla))
    based = [s for s in statements if g.value(s, RDF.predicate) == KG.basedOn]
    assert len(based) == 1
    st = based[0]
    assert (st, RDF.type, RDF.Statement) in g and g.value(st, RDF.object) == llama
    assert g.value(st, PROV.wasDerivedFrom) == URIRef(paper_iri("p-openvla"))
    assert str(g.value(st, KG.evidenceText)) == "OpenVLA builds on a Llama 2 language model."
    confidence = g.value(st, KG.confidence)
    assert confidence.datatype == XSD.decimal and confidence.toPython() == Decimal("0.9")
    assert str(g.value(st, KG.rule)) == "pattern:builds_on"
    run = g.value(st, PROV.wasGeneratedBy)
    assert (run, RDF.type, KG.ExtractionRun) in g
    assert str(g.value(run, KG.kgVersion)) == "0.1.0"
    assert g.value(run, PROV.startedAtTime) == Literal(WHEN, datatype=XSD.dateTime)
    # one statement node per evidence of every edge but mentions
    expected = sum(max(1, len(d.get("evidence") or ())) for _, _, k, d in graph.edges(keys=True, data=True)
                   if k != "mentions")
    assert len(set(g.subjects(RDF.type, RDF.Statement))) == expected
    # mentions are direct triples only
    assert not list(g.subjects(RDF.predicate, KG.mentions))


def test_edge_without_sentences_keeps_paper_and_confidence(build):
    g = rdflib.Graph().parse(build / "graph.ttl")
    lead = URIRef(entity_iri("-lead"))
    (st,) = [s for s in g.subjects(RDF.subject, lead)]
    assert g.value(st, PROV.wasDerivedFrom) == URIRef(paper_iri(NASTY_PAPER_ID))
    assert g.value(st, KG.confidence).toPython() == Decimal("0.5")
    assert g.value(st, KG.evidenceText) is None


def test_result_value_is_a_decimal(build):
    g = rdflib.Graph().parse(build / "graph.ttl")
    navsim = URIRef(entity_iri("NAVSIM"))
    values = {}
    for r in g.subjects(KG.benchmark, navsim):
        assert (r, RDF.type, KG.Result) in g
        v = g.value(r, KG.value)
        assert v.datatype == XSD.decimal
        values[str(g.value(r, KG.valueText))] = v.toPython()
    assert values["88.1"] == Decimal("88.1")
    assert values["9.5"] == Decimal("9.5")
    unit = [g.value(r, KG.unit) for r in g.subjects(KG.benchmark, URIRef(entity_iri("CALVIN")))]
    assert [str(u) for u in unit] == ["%"]


def test_entities_and_papers(build):
    g = rdflib.Graph().parse(build / "graph.ttl")
    dpo = URIRef(entity_iri("DPO"))
    assert (dpo, RDF.type, KG.Method) in g
    assert str(g.value(dpo, SKOS.prefLabel)) == "DPO"
    assert {str(a) for a in g.objects(dpo, SKOS.altLabel)} == {"Direct Preference Optimization"}
    paper = URIRef(paper_iri("p-openvla"))
    assert (paper, RDF.type, KG.Paper) in g
    assert g.value(paper, DCTERMS.issued) == Literal("2024", datatype=XSD.gYear)
    assert {str(a) for a in g.objects(paper, DCTERMS.creator)} == {"Moo Jin Kim", "Karl Pertsch"}
    assert (paper, KG.mentions, URIRef(entity_iri("OpenVLA"))) in g
    assert (paper, KG.proposes, URIRef(entity_iri("OpenVLA"))) in g


def test_escaping_round_trips_exactly(build):
    iri = paper_iri(NASTY_PAPER_ID)
    assert iri == DEFAULT_BASE_IRI + "paper/arXiv%3A2406.09246v2%2Fx%20y%23z"
    for name in RDF_FORMATS.values():
        g = rdflib_triples(build / name)
        titles = {str(o) for s, p, o in g if str(s) == iri and p == DCTERMS.title}
        assert titles == {NASTY_TITLE}, name
        ids = {str(o) for s, p, o in g if str(s) == iri and p == DCTERMS.identifier}
        assert ids == {NASTY_PAPER_ID}, name
        ox_titles = {o.value for s, p, o in ox_triples(build / name)
                     if s.value == iri and p.value == str(DCTERMS.title)}
        assert ox_titles == {NASTY_TITLE}, name


def test_unsafe_slugs_are_percent_encoded(build):
    assert entity_iri("Café 3.") == DEFAULT_BASE_IRI + "entity/Caf%C3%A9%203%2E"
    assert entity_iri("a/b") == DEFAULT_BASE_IRI + "entity/a%2Fb"
    subjects = {str(s) for s, _, _ in rdflib_triples(build / "graph.ttl")}
    for slug in ("Café 3.", "a/b", "-lead"):
        assert entity_iri(slug) in subjects


def test_custom_base_iri(graph, tmp_path):
    base = "https://example.org/my-kg"  # a missing slash is added
    write_rdf(graph, tmp_path, formats=("jsonld",), base_iri=base, generated_at=WHEN)
    g = rdflib.Graph().parse(tmp_path / "graph.ttl")
    data = {str(s) for s in g.subjects()}
    assert all(s.startswith(base + "/") for s in data)
    assert (URIRef(base + "/entity/OpenVLA"), KG.basedOn, URIRef(base + "/entity/Llama_2")) in g
    assert "@prefix entity: <https://example.org/my-kg/entity/>" in (tmp_path / "graph.ttl").read_text()
    assert set(rdflib.Graph().parse(tmp_path / "graph.jsonld", format="json-ld")) == set(g)


@pytest.mark.parametrize("bad", ["", "no-scheme", "http://x y/", "urn:has space"])
def test_bad_base_iri(graph, tmp_path, bad):
    with pytest.raises(ValueError, match="base IRI"):
        write_rdf(graph, tmp_path, base_iri=bad)


def test_unknown_format(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_rdf(graph, tmp_path, formats=("rdfxml",))


def test_unknown_edge_type_is_skipped_with_a_warning():
    g = sample_graph()
    g.add_edge("entity:DPO", "entity:PDMS", key="likes", type="likes", papers=[], evidence=[])
    with pytest.warns(UserWarning, match="likes"):
        triples = list(iter_triples(g, generated_at=WHEN))
    assert not any("likes" in t.predicate.value for t in triples)


def test_empty_graph(tmp_path):
    written = write_rdf(nx.MultiDiGraph(), tmp_path, formats=ALL, generated_at=WHEN)
    for p in written:
        assert p.stat().st_size > 0
    assert len(ox_triples(tmp_path / "graph.nt")) == 8  # the dataset and run descriptions


def test_streaming_does_not_use_rdflib(graph, tmp_path, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("write_rdf must not build an rdflib Graph")

    monkeypatch.setattr(rdflib.Graph, "add", boom)
    write_rdf(graph, tmp_path, formats=ALL, generated_at=WHEN)


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_text, slug=_text, paper_id=_text)
def test_any_text_round_trips(tmp_path_factory, title, slug, paper_id):
    g = nx.MultiDiGraph()
    g.add_node(f"paper:{paper_id}", kind="paper", type="Paper", label=title, paper_id=paper_id,
               title=title, abstract=title, authors=[title])
    g.add_node(f"entity:{slug}", kind="entity", type="Task", label=title, slug=slug, aliases=[title + "x"],
               mention_count=1, confidence=1.0)
    g.add_edge(f"paper:{paper_id}", f"entity:{slug}", key="proposes", type="proposes", papers=[paper_id],
               confidence=1.0, evidence=[{"paper": paper_id, "sentence": title, "start": 0, "end": 1,
                                          "confidence": 1.0, "rule": title}])
    out = tmp_path_factory.mktemp("hyp")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_rdf(g, out, formats=ALL, generated_at=WHEN)
    ref = ox_triples(out / "graph.nt")
    for name in RDF_FORMATS.values():
        assert ox_triples(out / name) == ref
        assert rdflib_triples(out / name) == rdflib_triples(out / "graph.nt")
    e, p = entity_iri(slug), paper_iri(paper_id)
    assert (ox.NamedNode(p), ox.NamedNode(str(DCTERMS.title)), ox.Literal(title)) in ref
    assert (ox.NamedNode(e), ox.NamedNode(str(SKOS.prefLabel)), ox.Literal(title)) in ref
