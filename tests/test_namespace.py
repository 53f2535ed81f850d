"""kg/namespace.py against ontology/kg.ttl, shapes.ttl and the example queries."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.namespace import (
    DCTERMS, ENTITY_CLASSES, KG, KG_ONTOLOGY_IRI, KG_ONTOLOGY_VERSION, KG_ONTOLOGY_VERSION_IRI,
    PREFIXES, RELATION_PROPERTIES, SKOS, ontology_path,
)

NS = str(KG)
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path("kg.ttl"), format="turtle")


def kg_terms_in(text: str) -> set[str]:
    """Every kg:xxx prefixed name and <...#xxx> IRI of the kg namespace in a text."""
    names = set(re.findall(r"(?<![\w:])kg:([A-Za-z_][\w-]*)", text))
    names |= set(re.findall(re.escape(NS) + r"([A-Za-z_][\w-]*)", text))
    return names


def test_every_namespace_term_is_declared_in_kg_ttl_and_vice_versa(ontology):
    declared = {str(s)[len(NS):] for s, _, t in ontology.triples((None, RDF.type, None))
                if str(s).startswith(NS) and t in DECLARATIONS}
    in_class = set(KG.__annotations__)
    assert in_class == declared, (f"only in kg/namespace.py: {sorted(in_class - declared)}; "
                                  f"only in kg.ttl: {sorted(declared - in_class)}")


def test_kg_ttl_uses_no_undeclared_kg_term(ontology):
    used = {str(t)[len(NS):] for triple in ontology for t in triple
            if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= set(KG.__annotations__)


def test_unknown_term_raises():
    with pytest.raises(AttributeError):
        KG.basedon  # noqa: B018 - a typo must not mint an IRI
    assert KG.basedOn == URIRef(NS + "basedOn")


def test_ontology_header(ontology):
    onto = URIRef(KG_ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) == URIRef(KG_ONTOLOGY_VERSION_IRI)
    assert str(ontology.value(onto, OWL.versionInfo)) == KG_ONTOLOGY_VERSION
    description = ontology.value(onto, DCTERMS.description)
    assert description is not None and len(str(description)) > 200
    assert ontology.value(onto, DCTERMS.title) is not None


def test_every_term_has_label_and_comment(ontology):
    for name in KG.__annotations__:
        term = KG[name]
        assert ontology.value(term, RDFS.label) is not None, name
        assert ontology.value(term, RDFS.comment) is not None, name


def test_every_relation_has_domain_range_and_is_mapped(ontology):
    for key, prop in RELATION_PROPERTIES.items():
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology, key
        assert ontology.value(prop, RDFS.domain) is not None, key
        assert ontology.value(prop, RDFS.range) is not None, key
    # the public counterparts the issue names
    lpwc = "https://linkedpaperswithcode.com/property/"
    wdt = "http://www.wikidata.org/prop/direct/"
    assert (KG.uses, RDFS.subPropertyOf, URIRef(wdt + "P2283")) in ontology
    assert (KG.basedOn, RDFS.subPropertyOf, URIRef(wdt + "P144")) in ontology
    assert (KG.uses, SKOS.closeMatch, URIRef(lpwc + "hasMethod")) in ontology
    assert (KG.uses, SKOS.closeMatch, URIRef(lpwc + "hasModel")) in ontology
    assert (KG.uses, SKOS.closeMatch, URIRef(lpwc + "usesDataset")) in ontology
    assert (KG.addresses, SKOS.closeMatch, URIRef(lpwc + "hasTask")) in ontology
    assert (KG.basedOn, RDF.type, OWL.TransitiveProperty) in ontology
    assert (KG.variantOf, RDFS.subPropertyOf, KG.basedOn) in ontology


def test_classes_aligned_to_ml_schema(ontology):
    mls = "http://www.w3.org/ns/mls#"
    expected = {"Method": "Algorithm", "Model": "Model", "Dataset": "Dataset", "Benchmark": "Dataset",
                "Task": "Task", "Metric": "EvaluationMeasure"}
    for cls, parent in expected.items():
        assert (KG[cls], RDFS.subClassOf, URIRef(mls + parent)) in ontology, cls
    assert (KG.value, RDFS.range, rdflib.XSD.decimal) in ontology


def test_tables_cover_the_typology():
    assert set(ENTITY_CLASSES) == set(ENTITY_TYPES)
    assert set(RELATION_PROPERTIES) == set(RELATION_TYPES) | {"proposes", "mentions"}


def test_shapes_and_queries_use_only_declared_terms():
    known = set(KG.__annotations__)
    shapes = ontology_path("shapes.ttl").read_text("utf-8")
    assert kg_terms_in(shapes) <= known, kg_terms_in(shapes) - known
    queries = sorted(ontology_path("queries").glob("*.rq"))
    assert len(queries) >= 10
    for q in queries:
        text = q.read_text("utf-8")
        assert kg_terms_in(text) <= known, (q.name, kg_terms_in(text) - known)
        assert text.startswith("# Question:"), q.name


def test_both_parsers_read_the_ontology_files():
    for name in ("kg.ttl", "shapes.ttl"):
        path = ontology_path(name)
        assert path.is_file()
        n_ox = len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
        n_rdflib = len(rdflib.Graph().parse(path, format="turtle"))
        assert n_ox == n_rdflib > 50


def test_prefixes():
    assert PREFIXES["kg"] == NS
    for prefix in ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "mls", "schema", "void"):
        assert PREFIXES[prefix].startswith("http"), prefix


def _class_names(ontology: rdflib.Graph, node) -> set[str]:
    """The kg class names of a domain or range: one class, or an owl:unionOf list of them."""
    union = ontology.value(node, OWL.unionOf)
    members = list(rdflib.collection.Collection(ontology, union)) if union is not None else [node]
    return {str(m)[len(NS):] for m in members}


def test_relation_signatures_are_the_ontologys_domains_and_ranges(ontology):
    """One truth for what may relate to what: the extractor's table (kg.model) is the ontology's."""
    from kg.model import RELATION_SIGNATURES

    for relation, (heads, tails) in RELATION_SIGNATURES.items():
        prop = RELATION_PROPERTIES[relation]
        assert _class_names(ontology, ontology.value(prop, RDFS.domain)) == set(heads), relation
        assert _class_names(ontology, ontology.value(prop, RDFS.range)) == set(tails), relation
