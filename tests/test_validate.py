"""SHACL validation: a good build conforms; broken builds get violations in plain words."""
from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from kg.export.rdf import entity_iri, paper_iri, sample_graph, to_rdflib, write_rdf
from kg.namespace import DCTERMS, KG, PROV, SKOS, ontology_path
from kg.validate import Violation, load_rdflib, validate

WHEN = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("vbuild")
    write_rdf(sample_graph(), out, formats=("turtle", "nt", "jsonld", "trig"), generated_at=WHEN)
    return out


def good() -> rdflib.Graph:
    return to_rdflib(sample_graph(), generated_at=WHEN)


def only(violations: list[Violation], path: str) -> list[Violation]:
    return [v for v in violations if v.path == path]


def test_a_good_build_conforms(build):
    for source in (build, build / "graph.ttl", build / "graph.nt", build / "graph.jsonld",
                   build / "graph.trig", sample_graph(), good()):
        assert validate(source) == [], source
    conforms, _, text = pyshacl.validate(load_rdflib(build), shacl_graph=str(ontology_path("shapes.ttl")))
    assert conforms, text


def test_entity_with_two_types():
    g = good()
    g.add((URIRef(entity_iri("OpenVLA")), RDF.type, KG.Method))
    problems = validate(g)
    (v,) = only(problems, "rdf:type")
    assert v.severity == "violation"
    assert v.focus == 'entity "OpenVLA" (entity:OpenVLA)'
    assert "exactly one kg type" in v.message
    assert str(v) == ('Violation: entity "OpenVLA" (entity:OpenVLA), rdf:type: must have exactly one kg type '
                      "(Method, Model, Dataset, Benchmark, Task or Metric)")


def test_result_value_as_a_string():
    g = good()
    (r,) = [r for r in g.subjects(KG.value, Literal("88.1", datatype=XSD.decimal))]
    g.remove((r, KG.value, None))
    g.add((r, KG.value, Literal("88.1")))
    (v,) = validate(g)
    assert v.path == "kg:value" and "decimal" in v.message
    assert v.focus.startswith('result "DiffusionDrive / NAVSIM / PDMS = 88.1"')
    assert '"88.1"' in str(v) and "http" not in str(v)


def test_statement_problems():
    g = good()
    st = next(s for s in g.subjects(RDF.type, RDF.Statement)
              if g.value(s, RDF.predicate) == KG.basedOn and g.value(s, RDF.subject) == URIRef(entity_iri("OpenVLA")))
    g.remove((st, KG.evidenceText, None))
    g.set((st, KG.confidence, Literal("1.5", datatype=XSD.decimal)))
    g.remove((st, KG.rule, None))
    problems = validate(g)
    assert {v.path for v in problems} == {"kg:evidenceText", "kg:confidence", "kg:rule"}
    for v in problems:
        assert v.focus.startswith('statement "OpenVLA kg:basedOn Llama 2"'), v
    (conf,) = only(problems, "kg:confidence")
    assert "between 0 and 1" in conf.message and conf.value == '"1.5" (xsd:decimal)'
    (rule,) = only(problems, "kg:rule")
    assert rule.severity == "warning"
    assert problems[-1] is rule  # most severe first


def test_statement_whose_triple_is_not_asserted():
    g = good()
    g.remove((URIRef(entity_iri("OpenVLA")), KG.basedOn, URIRef(entity_iri("Llama_2"))))
    (v,) = validate(g)
    assert "not asserted" in v.message and "OpenVLA kg:basedOn Llama 2" in v.focus
    # validate() runs this SHACL-SPARQL constraint on pyoxigraph; pySHACL agrees
    conforms, report, _ = pyshacl.validate(g, shacl_graph=str(ontology_path("shapes.ttl")))
    assert not conforms
    (focus,) = set(report.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#focusNode")))
    assert str(focus) == v.focus_iri


def test_paper_without_title_and_statement_without_paper():
    g = good()
    paper = URIRef(paper_iri("p-openvla"))
    g.remove((paper, DCTERMS.title, None))
    st = next(g.subjects(RDF.type, RDF.Statement))
    g.remove((st, PROV.wasDerivedFrom, None))
    problems = validate(g)
    titles = only(problems, "dcterms:title")
    assert len(titles) == 1 and titles[0].focus == "paper (paper:p-openvla)"
    assert "title" in titles[0].message and titles[0].severity == "warning"
    assert any(v.path == "prov:wasDerivedFrom" and "paper" in v.message for v in problems)


def test_domain_and_range():
    g = good()
    g.add((URIRef(entity_iri("OpenVLA")), KG.evaluatedOn, URIRef(entity_iri("autonomous_driving"))))
    g.add((URIRef(entity_iri("NAVSIM")), KG.basedOn, URIRef(entity_iri("DPO"))))
    problems = validate(g)
    messages = {str(v) for v in problems}
    assert ('Violation: entity "OpenVLA" (entity:OpenVLA), kg:evaluatedOn: kg:evaluatedOn must point to '
            'a Benchmark or Dataset (found entity:autonomous_driving)') in messages
    assert any(v.focus.startswith('entity "NAVSIM"') and v.path is None and "Method or Model" in v.message
               for v in problems)


def test_entity_without_name_and_untyped_entity():
    g = good()
    dpo = URIRef(entity_iri("DPO"))
    g.remove((dpo, SKOS.prefLabel, None))
    g.remove((URIRef(entity_iri("PDMS")), RDF.type, None))
    problems = validate(g)
    assert any(v.path == "skos:prefLabel" and v.focus == "entity (entity:DPO)" for v in problems)
    assert any(v.path == "rdf:type" and "PDMS" in v.focus for v in problems)


def test_validate_a_broken_file_in_plain_words(tmp_path):
    g = good()
    g.add((URIRef(entity_iri("OpenVLA")), RDF.type, KG.Method))
    g.serialize(tmp_path / "graph.ttl", format="turtle")
    (v,) = validate(tmp_path)
    assert "entity:OpenVLA" in str(v) and "https://" not in str(v)


def test_shapes_are_valid_shacl():
    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"))
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_everything_the_extractor_emits_validates(tmp_path):
    """A build of abstracts that state every relation, with a named method and with none (PAPER
    heads: "we train on X" from a paper of no method of its own), conforms to the shapes."""
    import kg
    from kg.model import Paper

    papers = [
        Paper("v1", "Wren: Sparse Routing for Vision", "We propose Wren, a vision model based on ViT and trained on "
              "ImageNet. Wren is a variant of ViT for image classification. Wren outperforms ResNet-50 on CIFAR-10 "
              "and reaches 91.2% top-1 accuracy on CIFAR-10. We use Adam and the AdamW optimizer."),
        Paper("v2", "A Study of Pretraining Data", "We train on ImageNet and the COCO dataset and evaluate on "
              "CIFAR-10 with top-1 accuracy. This paper studies image classification using ResNet-50."),
    ]
    g = kg.build(papers)
    types = {k for _, _, k in g.nx.edges(keys=True)}
    assert {"trainedOn", "evaluatedOn", "addresses", "uses"} <= types
    out = tmp_path / "out"
    g.save(out, html=False, generated_at=WHEN)
    assert validate(out) == []
