"""Every IRI of kg's ontology, defined once, and the vocabularies it builds on.

:class:`KG` lists the terms of ``ontology/kg.ttl`` (a test checks that the two agree
term for term); ``_fail = True`` makes a typo such as ``KG.basedon`` an error instead of a
silently minted IRI.

>>> KG.basedOn
rdflib.term.URIRef('https://w3id.org/kg/ontology#basedOn')
>>> KG.basedon
Traceback (most recent call last):
...
AttributeError: term 'basedon' not in namespace 'https://w3id.org/kg/ontology#'
>>> PREFIXES["kg"] == str(KG)
True
>>> ontology_path("kg.ttl").name
'kg.ttl'
"""
from __future__ import annotations


from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace

from .resources import ontology_path  # noqa: E402  (one implementation, re-exported)

__all__ = [
    "KG", "KG_ONTOLOGY_IRI", "KG_ONTOLOGY_VERSION", "KG_ONTOLOGY_VERSION_IRI",
    "MLS", "SCHEMA", "FABIO", "LPWC", "LPWC_CLASS", "WDT", "VANN", "SH",
    "RDF", "RDFS", "OWL", "XSD", "SKOS", "DCTERMS", "PROV", "VOID",
    "PREFIXES", "ENTITY_CLASSES", "RELATION_PROPERTIES", "ontology_path",
]


class KG(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``): classes, relations and statement properties."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    # classes
    Paper: URIRef  # a research paper (title + abstract) the graph was extracted from
    Method: URIRef  # named algorithm, procedure, objective, framework or architecture family
    Model: URIRef  # specific named network: checkpoint or model family with weights or an API
    Dataset: URIRef  # named collection of data, mainly used to train
    Benchmark: URIRef  # named evaluation suite, leaderboard, environment suite or challenge
    Task: URIRef  # named problem or research area
    Metric: URIRef  # named evaluation measure
    Result: URIRef  # n-ary result: subject, benchmark or dataset, metric, decimal value
    ExtractionRun: URIRef  # one kg build (prov:Activity) that generated statements

    # relations (object properties)
    mentions: URIRef  # Paper -> entity
    proposes: URIRef  # Paper -> entity
    uses: URIRef
    evaluatedOn: URIRef
    trainedOn: URIRef
    basedOn: URIRef
    variantOf: URIRef
    outperforms: URIRef
    addresses: URIRef
    measuredBy: URIRef

    # results (object properties)
    achievedBy: URIRef  # Result -> Method, Model or Paper
    benchmark: URIRef  # Result -> Benchmark or Dataset
    metric: URIRef  # Result -> Metric

    # datatype properties
    value: URIRef  # Result -> xsd:decimal
    valueText: URIRef  # Result -> the value phrase as written
    unit: URIRef  # Result -> unit after the number
    evidenceText: URIRef  # statement or Result -> the sentence that states it
    confidence: URIRef  # statement -> xsd:decimal in [0, 1]
    rule: URIRef  # statement or Result -> the extraction rule that produced it
    kgVersion: URIRef  # ExtractionRun -> kg version string
    mentionCount: URIRef  # entity -> number of mentions in the corpus
    typeConfidence: URIRef  # entity -> share of type votes won by its type
    venue: URIRef  # Paper -> venue name


#: The ontology document's IRI and version (``owl:versionIRI`` in ``ontology/kg.ttl``).
KG_ONTOLOGY_IRI = "https://w3id.org/kg/ontology"
KG_ONTOLOGY_VERSION = "0.1.0"
KG_ONTOLOGY_VERSION_IRI = f"{KG_ONTOLOGY_IRI}/{KG_ONTOLOGY_VERSION}"

#: ML-Schema, the W3C ML Schema community group's vocabulary.
MLS = Namespace("http://www.w3.org/ns/mls#")
#: schema.org (http form, the one most RDF data and Wikidata use).
SCHEMA = Namespace("http://schema.org/")
#: FaBiO, the FRBR-aligned Bibliographic Ontology (SPAR).
FABIO = Namespace("http://purl.org/spar/fabio/")
#: Linked Papers With Code properties and classes (metaphacts/linkedpaperswithcode ontology).
LPWC = Namespace("https://linkedpaperswithcode.com/property/")
LPWC_CLASS = Namespace("https://linkedpaperswithcode.com/class/")
#: Wikidata direct-claim properties (P2283 "uses", P144 "based on").
WDT = Namespace("http://www.wikidata.org/prop/direct/")
VANN = Namespace("http://purl.org/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefix -> namespace IRI, used for Turtle output, SPARQL pre-binding and compact display.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "mls": str(MLS),
    "schema": str(SCHEMA),
    "fabio": str(FABIO),
    "void": str(VOID),
    "lpwc": str(LPWC),
    "wdt": str(WDT),
    "sh": str(SH),
}

#: Entity type name (kg.model.ENTITY_TYPES) -> class.
ENTITY_CLASSES: dict[str, URIRef] = {
    "Method": KG.Method, "Model": KG.Model, "Dataset": KG.Dataset,
    "Benchmark": KG.Benchmark, "Task": KG.Task, "Metric": KG.Metric,
}

#: Edge key of the networkx graph -> property.
RELATION_PROPERTIES: dict[str, URIRef] = {
    "mentions": KG.mentions, "proposes": KG.proposes, "uses": KG.uses,
    "evaluatedOn": KG.evaluatedOn, "trainedOn": KG.trainedOn, "basedOn": KG.basedOn,
    "variantOf": KG.variantOf, "outperforms": KG.outperforms, "addresses": KG.addresses,
    "measuredBy": KG.measuredBy,
}


