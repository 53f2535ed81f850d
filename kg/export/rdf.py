"""RDF export of the knowledge graph: Turtle, N-Triples, JSON-LD, TriG and a VoID description.

The input is the graph described in :mod:`kg.graph` (a networkx MultiDiGraph, or the
:class:`kg.compact_graph.CompactGraph` ``kg build`` writes from: the same reading API); the vocabulary is
``ontology/kg.ttl`` (:class:`kg.namespace.KG`). What a build looks like::

    entity:OpenVLA a kg:Model ; skos:prefLabel "OpenVLA" ; kg:basedOn entity:Llama_2 .
    stmt:9c1e...   a rdf:Statement ; rdf:subject entity:OpenVLA ; rdf:predicate kg:basedOn ;
                   rdf:object entity:Llama_2 ; prov:wasDerivedFrom paper:p-1 ;
                   kg:evidenceText "..." ; kg:confidence 0.9 ; kg:rule "..." ;
                   prov:wasGeneratedBy run:kg-0.1.0-20250101T000000Z .
    result:77ab... a kg:Result ; kg:achievedBy entity:DiffusionDrive ; kg:benchmark entity:NAVSIM ;
                   kg:metric entity:PDMS ; kg:value 88.1 ; kg:valueText "88.1" ; ...

IRIs. All data IRIs live under one base IRI (``base_iri``, default :data:`DEFAULT_BASE_IRI`):

* ``<base>entity/<slug>``: the entity's slug (node ``entity:<slug>``), percent-encoded where
  unsafe, so two builds of overlapping corpora give the same entity the same IRI;
* ``<base>paper/<paper id>``: the paper id, percent-encoded (``arXiv:2406.09246`` ->
  ``arXiv%3A2406.09246``);
* ``<base>stmt/<hash>`` and ``<base>result/<hash>``: a hash of what the node states
  (head, relation, tail, paper, sentence, rule), stable across builds;
* ``<base>run/kg-<version>-<time>``: the extraction run; ``<base>dataset``: the build itself
  (the VoID dataset, and the named graph of the TriG output).

The Turtle prefixes ``entity:`` and ``paper:`` make a networkx node id read as its IRI.

Output is deterministic: subjects in a fixed order (dataset, run, papers by id, entities by
id, each followed by its statement nodes, then results), predicates and objects sorted, no
blank nodes; the run's start time comes from ``generated_at``, else ``SOURCE_DATE_EPOCH``,
else the clock. Triples are generated lazily and written by streaming: no file format
needs the whole graph in memory, and Turtle, N-Triples and TriG are serialised by
pyoxigraph (about ten times faster than rdflib's Turtle writer). JSON-LD is written by this
module (one node object a line, compacted by ``context.jsonld``, which is also embedded in
the file so that it parses offline).

>>> import tempfile
>>> g = sample_graph()
>>> out = write_rdf(g, tempfile.mkdtemp(), formats=("turtle", "nt"), generated_at="2025-01-01T00:00:00Z")
>>> [p.name for p in out]
['graph.ttl', 'graph.nt', 'void.ttl']
>>> rg = to_rdflib(g, generated_at="2025-01-01T00:00:00Z")
>>> from kg.namespace import KG
>>> (entity_iri("OpenVLA"), KG.basedOn, entity_iri("Llama_2")) in {(str(s), p, str(o)) for s, p, o in rg}
True
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import json
import os
import re
import warnings
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import numpy as np
import pyoxigraph as ox
import rdflib

from ..compact_graph import CompactGraph, node_kinds
from ..io import atomic_write
from ..model import doi_url
from ..namespace import (
    DCTERMS, ENTITY_CLASSES, KG, OWL, PREFIXES, PROV, RDF, RDFS, RELATION_PROPERTIES, SCHEMA, SKOS,
    VOID, XSD,
)

__all__ = [
    "DEFAULT_BASE_IRI", "RDF_FORMATS", "VOID_FILE", "CONTEXT_FILE", "STREAMING_THRESHOLD",
    "to_rdflib", "write_rdf", "iter_triples", "jsonld_context", "entity_iri", "paper_iri",
    "data_prefixes", "normalize_base_iri", "resolve_generated_at", "sample_graph",
]

#: Default base of data IRIs. A w3id.org permanent-identifier path (not yet registered):
#: stable, and shared by every build that keeps the default, so overlapping corpora agree
#: on entity IRIs. Set your own (``base_iri=``) to publish data under a domain you control.
DEFAULT_BASE_IRI = "https://w3id.org/kg/data/"

#: Output format -> file name in the build folder.
RDF_FORMATS = {"turtle": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld", "trig": "graph.trig"}
_FORMAT_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
                   "json": "jsonld"}
VOID_FILE = "void.ttl"
CONTEXT_FILE = "context.jsonld"
#: Above this many triples, build an rdflib Graph only if you must (``to_rdflib`` warns):
#: rdflib needs ~1.5 KB a triple and its Turtle writer ~50 us a triple.
STREAMING_THRESHOLD = 200_000

_OX_TYPE = ox.NamedNode(str(RDF.type))
_XSD_STRING = str(XSD.string)

#: Vocabulary prefixes written in Turtle / TriG output (data prefixes are added per build).
_OUTPUT_PREFIXES = ("kg", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "void")


# --------------------------------------------------------------------------------------
# IRIs
# --------------------------------------------------------------------------------------

def normalize_base_iri(base_iri: str) -> str:
    """Check that ``base_iri`` is an absolute IRI and make it end with ``/`` or ``#``.

    >>> normalize_base_iri("https://example.org/kg")
    'https://example.org/kg/'
    >>> normalize_base_iri("no scheme")
    Traceback (most recent call last):
    ...
    ValueError: base IRI must be an absolute IRI such as https://example.org/kg/, got 'no scheme'
    """
    base = (base_iri or "").strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base) or re.search(r'[\s<>"{}|\\^`]', base):
        raise ValueError(f"base IRI must be an absolute IRI such as https://example.org/kg/, got {base_iri!r}")
    if not base.endswith(("/", "#")):
        base += "/"
    try:
        ox.NamedNode(base)
    except ValueError as e:
        raise ValueError(f"base IRI {base_iri!r} is not a valid IRI: {e}") from None
    return base


def _segment(text: str) -> str:
    """Percent-encode one IRI path segment: only unreserved ASCII stays as is.

    A trailing dot is encoded too (``x.`` cannot end a Turtle prefixed name in every parser).

    >>> _segment("Llama_2"), _segment("arXiv:2406.09246"), _segment("Café 3.")
    ('Llama_2', 'arXiv%3A2406.09246', 'Caf%C3%A9%203%2E')
    """
    if not text:
        raise ValueError("an IRI segment cannot be empty")
    s = quote(text, safe="-._~")
    if s.endswith("."):
        s = s[:-1] + "%2E"
    return s


def data_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefixes of a build's data IRIs.

    >>> data_prefixes("https://example.org/kg/")["entity"]
    'https://example.org/kg/entity/'
    """
    base = normalize_base_iri(base_iri)
    return {name: f"{base}{name}/" for name in ("entity", "paper", "stmt", "result", "run")}


def entity_iri(slug: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI of the entity with this slug (node ``entity:<slug>``).

    >>> entity_iri("Llama_2")
    'https://w3id.org/kg/data/entity/Llama_2'
    """
    return f"{normalize_base_iri(base_iri)}entity/{_segment(slug)}"


def paper_iri(paper_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI of a paper from its id, percent-encoded.

    >>> paper_iri("10.1234/x y")
    'https://w3id.org/kg/data/paper/10.1234%2Fx%20y'
    """
    return f"{normalize_base_iri(base_iri)}paper/{_segment(paper_id)}"


def _hash(*parts: Any) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------------------
# Literals
# --------------------------------------------------------------------------------------

def resolve_generated_at(generated_at: str | _dt.datetime | int | float | None = None) -> str:
    """The extraction run's start time as an ``xsd:dateTime`` in UTC (``...Z``).

    ``generated_at`` pins it (ISO 8601 string, datetime or Unix time); without it the
    ``SOURCE_DATE_EPOCH`` environment variable does (reproducible builds), else the clock.

    >>> resolve_generated_at("2025-01-02T03:04:05+01:00")
    '2025-01-02T02:04:05Z'
    >>> resolve_generated_at(0)
    '1970-01-01T00:00:00Z'
    """
    if generated_at is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            generated_at = int(epoch)
    if generated_at is None:
        when = _dt.datetime.now(_dt.timezone.utc)
    elif isinstance(generated_at, _dt.datetime):
        when = generated_at
    elif isinstance(generated_at, (int, float)):
        when = _dt.datetime.fromtimestamp(generated_at, _dt.timezone.utc)
    else:
        try:
            when = _dt.datetime.fromisoformat(str(generated_at).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"generated_at must be an ISO 8601 date-time, got {generated_at!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decimal_text(value: Any) -> str | None:
    """A number (or numeric string) as an ``xsd:decimal`` lexical form, or None.

    >>> [_decimal_text(v) for v in ("88.1", "+26.3", "1,234.5", "1e-3", 0.9, 3, "abc", "nan", True)]
    ['88.1', '26.3', '1234.5', '0.001', '0.9', '3', None, None, None]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    out = format(d, "f")
    if out.startswith("+"):
        out = out[1:]
    if out in ("-0", "-0.0"):
        out = out[1:]
    return out


def _lit(value: Any, datatype: str | None = None) -> ox.Literal:
    if datatype is None or datatype == _XSD_STRING:
        return ox.Literal(str(value))
    return ox.Literal(str(value), datatype=ox.NamedNode(datatype))


def _dec(value: Any) -> ox.Literal | None:
    text = _decimal_text(value)
    return None if text is None else ox.Literal(text, datatype=ox.NamedNode(str(XSD.decimal)))


def _kg_version(graph: nx.MultiDiGraph) -> str:
    version = graph.graph.get("kg_version")
    if version:
        return str(version)
    try:
        from kg import __version__  # type: ignore[attr-defined]
        return str(__version__)
    except Exception:  # kg/__init__ absent or without a version
        return "0.1.0"


# --------------------------------------------------------------------------------------
# Triples
# --------------------------------------------------------------------------------------

def _kind(node_id: str, attrs: dict) -> str:
    """A node's kind: its ``kind`` attribute, else what its id says."""
    return attrs.get("kind") or ("paper" if str(node_id).startswith("paper:") else "entity")


class _Minter:
    """Maps node ids and records of one graph to IRIs under one base."""

    def __init__(self, graph: nx.MultiDiGraph, base_iri: str, generated_at: Any):
        self.graph = graph
        self.base = normalize_base_iri(base_iri)
        self.prefixes = data_prefixes(self.base)
        self.version = _kg_version(graph)
        self.started = resolve_generated_at(generated_at)
        compact = self.started.replace("-", "").replace(":", "")
        self.run = ox.NamedNode(f"{self.prefixes['run']}{_segment(f'kg-{self.version}-{compact}')}")
        self.dataset = ox.NamedNode(f"{self.base}dataset")
        self._cache: dict[str, ox.NamedNode] = {}
        # a CompactGraph's paper nodes are "paper:<its id>": their IRIs are made from the node id
        # as they are asked for, not kept (a million of them would hold some 200 MB to the end)
        self._papers_by_node_id = isinstance(graph, CompactGraph)
        self._last_paper: tuple[str, ox.NamedNode] = ("", self.dataset)

    def paper(self, paper_id: str) -> ox.NamedNode:
        paper_id = str(paper_id)
        last_id, last_iri = self._last_paper  # a paper's edges and their evidence come together
        if paper_id == last_id:
            return last_iri
        iri = ox.NamedNode(self.prefixes["paper"] + _segment(paper_id))
        self._last_paper = (paper_id, iri)
        return iri

    def node(self, node_id: str) -> ox.NamedNode:
        """The IRI of a graph node (``paper:<id>`` or ``entity:<slug>``)."""
        iri = self._cache.get(node_id)
        if iri is not None:
            return iri
        if self._papers_by_node_id and node_id.startswith("paper:"):
            return self.paper(node_id[6:])
        attrs = self.graph.nodes[node_id] if node_id in self.graph else {}
        if _kind(node_id, attrs) == "paper":
            pid = attrs.get("paper_id") or str(node_id).removeprefix("paper:")
            iri = self.paper(pid)
        else:
            slug = attrs.get("slug") or str(node_id).removeprefix("entity:")
            iri = ox.NamedNode(self.prefixes["entity"] + _segment(str(slug)))
        self._cache[node_id] = iri
        return iri


def _sort_key(pair: tuple[ox.NamedNode, Any]) -> tuple[int, str, str]:
    p, o = pair
    return (0 if p == _OX_TYPE else 1, p.value, str(o))


def _group(subject: ox.NamedNode, pairs: Iterable[tuple[ox.NamedNode, Any]]) -> Iterator[ox.Triple]:
    seen = set()
    for p, o in sorted(pairs, key=_sort_key):
        if (p, o) in seen:
            continue
        seen.add((p, o))
        yield ox.Triple(subject, p, o)


def _N(term: Any) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_P = {name: _N(getattr(ns, local)) for name, ns, local in [
    ("type", RDF, "type"), ("label", RDFS, "label"), ("prefLabel", SKOS, "prefLabel"),
    ("altLabel", SKOS, "altLabel"), ("title", DCTERMS, "title"), ("abstract", DCTERMS, "abstract"),
    ("identifier", DCTERMS, "identifier"), ("issued", DCTERMS, "issued"),
    ("creator", DCTERMS, "creator"), ("created", DCTERMS, "created"), ("url", SCHEMA, "url"),
    ("subject", RDF, "subject"), ("predicate", RDF, "predicate"), ("object", RDF, "object"),
    ("Statement", RDF, "Statement"), ("wasDerivedFrom", PROV, "wasDerivedFrom"),
    ("wasGeneratedBy", PROV, "wasGeneratedBy"), ("startedAtTime", PROV, "startedAtTime"),
    ("Dataset", VOID, "Dataset"), ("uriSpace", VOID, "uriSpace"), ("sameAs", OWL, "sameAs"),
]}
_K = {name: _N(KG[name]) for name in KG.__annotations__}
_REL = {key: _N(prop) for key, prop in RELATION_PROPERTIES.items()}
_CLASS = {name: _N(cls) for name, cls in ENTITY_CLASSES.items()}


def _year(value: Any) -> ox.Literal | None:
    if value in (None, ""):
        return None
    try:
        return _lit(f"{int(str(value).strip()):04d}", str(XSD.gYear))
    except ValueError:
        return _lit(str(value))


def _paper_pairs(m: _Minter, attrs: dict) -> list:
    pairs: list = [(_P["type"], _K["Paper"])]
    pid = attrs.get("paper_id")
    if pid:
        pairs.append((_P["identifier"], _lit(pid)))
    if attrs.get("title"):
        pairs.append((_P["title"], _lit(attrs["title"])))
    if attrs.get("abstract"):
        pairs.append((_P["abstract"], _lit(attrs["abstract"])))
    year = _year(attrs.get("year"))
    if year is not None:
        pairs.append((_P["issued"], year))
    for author in attrs.get("authors") or ():
        if author:
            pairs.append((_P["creator"], _lit(author)))
    if attrs.get("venue"):
        pairs.append((_K["venue"], _lit(attrs["venue"])))
    if attrs.get("url"):
        pairs.append((_P["url"], _lit(attrs["url"], str(XSD.anyURI))))
    if attrs.get("doi"):  # the paper is the work its DOI names
        pairs.append((_P["sameAs"], ox.NamedNode(doi_url(attrs["doi"]))))
    return pairs


def _entity_pairs(m: _Minter, node_id: str, attrs: dict) -> list:
    pairs: list = []
    etype = attrs.get("type")
    if etype in _CLASS:
        pairs.append((_P["type"], _CLASS[etype]))
    elif etype:
        warnings.warn(f"entity {node_id!r} has unknown type {etype!r}: exported without a kg type",
                      stacklevel=3)
    label = attrs.get("label") or attrs.get("name")
    if label:
        pairs.append((_P["prefLabel"], _lit(label)))
    for alias in attrs.get("aliases") or ():
        if alias and alias != label:
            pairs.append((_P["altLabel"], _lit(alias)))
    slug = attrs.get("slug") or str(node_id).removeprefix("entity:")
    pairs.append((_P["identifier"], _lit(slug)))
    if attrs.get("mention_count") is not None:
        try:
            pairs.append((_K["mentionCount"], _lit(int(attrs["mention_count"]), str(XSD.integer))))
        except (TypeError, ValueError):
            pass
    conf = _dec(attrs.get("confidence"))
    if conf is not None:
        pairs.append((_K["typeConfidence"], conf))
    return pairs


def _statement_nodes(m: _Minter, u: str, key: str, v: str, data: dict) -> Iterator[ox.Triple]:
    """One rdf:Statement node per evidence of the edge ``u -key-> v``."""
    s, p, o = m.node(u), _REL[key], m.node(v)
    evidence = list(data.get("evidence") or ())
    if not evidence:  # no sentence: still record which papers state it, with what confidence
        evidence = [{"paper": pid, "confidence": data.get("confidence")} for pid in data.get("papers") or ()]
    nodes: dict[str, list] = {}
    for ev in evidence:
        paper = ev.get("paper")
        sentence = ev.get("sentence")
        rule = ev.get("rule")
        iri = m.prefixes["stmt"] + _hash(u, key, v, paper, sentence, rule, ev.get("start"), ev.get("end"))
        pairs = nodes.setdefault(iri, [
            (_P["type"], _P["Statement"]), (_P["subject"], s), (_P["predicate"], p), (_P["object"], o),
            (_P["wasGeneratedBy"], m.run),
        ])
        if paper:
            pairs.append((_P["wasDerivedFrom"], m.paper(paper)))
        if sentence:
            pairs.append((_K["evidenceText"], _lit(sentence)))
        conf = _dec(ev.get("confidence", data.get("confidence")))
        if conf is not None:
            pairs.append((_K["confidence"], conf))
        if rule:
            pairs.append((_K["rule"], _lit(rule)))
    for iri in sorted(nodes):
        yield from _group(ox.NamedNode(iri), nodes[iri])


def _result_iri(m: _Minter, r: dict) -> str:
    return m.prefixes["result"] + _hash(r.get("subject"), r.get("benchmark"), r.get("metric"), r.get("value"),
                                        r.get("number"), r.get("unit"), r.get("paper"), r.get("sentence"),
                                        r.get("rule"))


def _result_pairs(m: _Minter, r: dict, pairs: list) -> None:
    for field, prop in (("subject", "achievedBy"), ("benchmark", "benchmark"), ("metric", "metric")):
        if r.get(field):
            pairs.append((_K[prop], m.node(r[field])))
    number = _dec(r.get("number"))
    if number is not None:
        pairs.append((_K["value"], number))
    if r.get("value") not in (None, ""):
        pairs.append((_K["valueText"], _lit(r["value"])))
    if r.get("unit"):
        pairs.append((_K["unit"], _lit(r["unit"])))
    if r.get("paper"):
        pairs.append((_P["wasDerivedFrom"], m.paper(r["paper"])))
    if r.get("sentence"):
        pairs.append((_K["evidenceText"], _lit(r["sentence"])))
    if r.get("rule"):
        pairs.append((_K["rule"], _lit(r["rule"])))
    conf = _dec(r.get("confidence"))
    if conf is not None:
        pairs.append((_K["confidence"], conf))


def _result_triples(m: _Minter, results: Sequence[dict]) -> Iterator[ox.Triple]:
    """One kg:Result node per distinct result, in IRI order; the nodes' terms are made one node
    at a time (a million-paper build has some 200,000 results, each with its sentence)."""
    iris = [_result_iri(m, r) for r in results]
    order = sorted(range(len(results)), key=iris.__getitem__)  # stable: one node's results in input order
    k = 0
    while k < len(order):
        iri = iris[order[k]]
        pairs = [(_P["type"], _K["Result"]), (_P["wasGeneratedBy"], m.run)]
        while k < len(order) and iris[order[k]] == iri:
            _result_pairs(m, results[order[k]], pairs)
            k += 1
        yield from _group(ox.NamedNode(iri), pairs)


def _iter(m: _Minter) -> Iterator[ox.Triple]:
    g = m.graph
    yield from _group(m.dataset, [
        (_P["type"], _P["Dataset"]), (_P["uriSpace"], _lit(m.base)),
        (_P["wasGeneratedBy"], m.run), (_P["created"], _lit(m.started, str(XSD.dateTime))),
    ])
    yield from _group(m.run, [
        (_P["type"], _K["ExtractionRun"]), (_K["kgVersion"], _lit(m.version)),
        (_P["startedAtTime"], _lit(m.started, str(XSD.dateTime))),
        (_P["label"], _lit(f"kg {m.version} extraction run {m.started}")),
    ])

    kinds = node_kinds(g, _kind)
    # papers first, then entities, each by id (two sorts: no key tuple per node)
    nodes = sorted((n for n in g.nodes if kinds[n] == "paper"), key=str) + \
        sorted((n for n in g.nodes if kinds[n] != "paper"), key=str)
    unknown: set[str] = set()
    for n in nodes:
        attrs = g.nodes[n]
        subject = m.node(n)
        pairs = _paper_pairs(m, attrs) if kinds[n] == "paper" else _entity_pairs(m, n, attrs)
        edges = sorted((((k if k in _REL else (d.get("type") or k)), str(v), v, d)
                        for _, v, k, d in g.out_edges(n, keys=True, data=True)), key=lambda e: e[:2])
        stated = []
        for key, _, v, data in edges:
            if key not in _REL:
                unknown.add(str(key))
                continue
            pairs.append((_REL[key], m.node(v)))
            if key != "mentions":
                stated.append((key, v, data))
        yield from _group(subject, pairs)
        for key, v, data in stated:
            yield from _statement_nodes(m, n, key, v, data)
    if unknown:
        warnings.warn(f"edges of unknown type not exported: {', '.join(sorted(unknown))}", stacklevel=2)
    yield from _result_triples(m, g.graph.get("results") or ())


def iter_triples(graph: nx.MultiDiGraph, base_iri: str = DEFAULT_BASE_IRI, *,
                 generated_at: str | None = None) -> Iterator[ox.Triple]:
    """The triples of ``graph`` as pyoxigraph terms, grouped by subject, in output order."""
    return _iter(_Minter(graph, base_iri, generated_at))


def _to_rdflib_term(term: Any) -> rdflib.term.Identifier:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"cannot convert {term!r}")


def _bind_prefixes(g: rdflib.Graph, base_iri: str) -> None:
    for prefix in _OUTPUT_PREFIXES:
        g.bind(prefix, PREFIXES[prefix], override=True, replace=True)
    for prefix, ns in data_prefixes(base_iri).items():
        g.bind(prefix, ns, override=True, replace=True)


def to_rdflib(graph: nx.MultiDiGraph, base_iri: str = DEFAULT_BASE_IRI, *,
              generated_at: str | None = None) -> rdflib.Graph:
    """The graph as an rdflib Graph, with kg's prefixes bound. For small graphs: above
    :data:`STREAMING_THRESHOLD` triples prefer :func:`write_rdf`, which streams."""
    out = rdflib.Graph()
    _bind_prefixes(out, base_iri)
    n = 0
    for t in iter_triples(graph, base_iri, generated_at=generated_at):
        out.add((_to_rdflib_term(t.subject), _to_rdflib_term(t.predicate), _to_rdflib_term(t.object)))
        n += 1
    if n > STREAMING_THRESHOLD:
        warnings.warn(f"to_rdflib built an rdflib Graph of {n} triples; write_rdf streams instead",
                      stacklevel=2)
    return out


# --------------------------------------------------------------------------------------
# JSON-LD
# --------------------------------------------------------------------------------------

# JSON key -> (property, coercion); coercion "@id" for IRIs, a datatype, or None for strings.
_JSONLD_TERMS: dict[str, tuple[str, str | None]] = {
    "label": (str(RDFS.label), None),
    "prefLabel": (str(SKOS.prefLabel), None),
    "altLabel": (str(SKOS.altLabel), None),
    "title": (str(DCTERMS.title), None),
    "abstract": (str(DCTERMS.abstract), None),
    "identifier": (str(DCTERMS.identifier), None),
    "issued": (str(DCTERMS.issued), str(XSD.gYear)),
    "creator": (str(DCTERMS.creator), None),
    "created": (str(DCTERMS.created), str(XSD.dateTime)),
    "url": (str(SCHEMA.url), str(XSD.anyURI)),
    "sameAs": (str(OWL.sameAs), "@id"),
    "subject": (str(RDF.subject), "@id"),
    "predicate": (str(RDF.predicate), "@id"),
    "object": (str(RDF.object), "@id"),
    "wasDerivedFrom": (str(PROV.wasDerivedFrom), "@id"),
    "wasGeneratedBy": (str(PROV.wasGeneratedBy), "@id"),
    "startedAtTime": (str(PROV.startedAtTime), str(XSD.dateTime)),
    "uriSpace": (str(VOID.uriSpace), None),
    **{key: (str(prop), "@id") for key, prop in RELATION_PROPERTIES.items()},
    "achievedBy": (str(KG.achievedBy), "@id"),
    "benchmark": (str(KG.benchmark), "@id"),
    "metric": (str(KG.metric), "@id"),
    "value": (str(KG.value), str(XSD.decimal)),
    "valueText": (str(KG.valueText), None),
    "unit": (str(KG.unit), None),
    "evidenceText": (str(KG.evidenceText), None),
    "confidence": (str(KG.confidence), str(XSD.decimal)),
    "rule": (str(KG.rule), None),
    "kgVersion": (str(KG.kgVersion), None),
    "mentionCount": (str(KG.mentionCount), str(XSD.integer)),
    "typeConfidence": (str(KG.typeConfidence), str(XSD.decimal)),
    "venue": (str(KG.venue), None),
}
_JSONLD_CLASSES = {
    **{name: str(cls) for name, cls in ENTITY_CLASSES.items()},
    "Paper": str(KG.Paper), "Result": str(KG.Result), "ExtractionRun": str(KG.ExtractionRun),
    "Statement": str(RDF.Statement),
}


class _Compactor:
    def __init__(self, base_iri: str):
        self.prefixes = {**{p: PREFIXES[p] for p in _OUTPUT_PREFIXES}, **data_prefixes(base_iri)}
        # longest namespace first, so entity: wins over a shorter base-level prefix
        self._order = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self.by_property = {iri: (key, coerce) for key, (iri, coerce) in _JSONLD_TERMS.items()}
        self.classes = {iri: name for name, iri in _JSONLD_CLASSES.items()}

    def iri(self, iri: str) -> str:
        for prefix, ns in self._order:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(self, term: Any, coerce: str | None) -> Any:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value) if coerce == "@id" else {"@id": self.iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dt = term.datatype.value
        if coerce == dt or (coerce is None and dt == _XSD_STRING):
            return term.value
        if dt == _XSD_STRING:  # the key coerces to a datatype: override with an explicit string
            return {"@value": term.value, "@type": self.iri(_XSD_STRING)}
        return {"@value": term.value, "@type": self.iri(dt)}

    def node(self, subject: ox.NamedNode, triples: list[ox.Triple]) -> dict:
        obj: dict[str, Any] = {"@id": self.iri(subject.value)}
        props: dict[str, list] = {}
        for t in triples:
            p = t.predicate.value
            if p == str(RDF.type) and isinstance(t.object, ox.NamedNode):
                props.setdefault("@type", []).append(self.classes.get(t.object.value) or self.iri(t.object.value))
                continue
            key, coerce = self.by_property.get(p) or (self.iri(p), None)
            props.setdefault(key, []).append(self.value(t.object, coerce))
        for key in sorted(props, key=lambda k: (k != "@type", k)):
            values = props[key]
            obj[key] = values[0] if len(values) == 1 else values
        return obj


def jsonld_context(base_iri: str = DEFAULT_BASE_IRI) -> dict:
    """The JSON-LD context of a build (the content of ``context.jsonld``)."""
    ctx: dict[str, Any] = dict(_Compactor(base_iri).prefixes)
    for name, iri in _JSONLD_CLASSES.items():
        ctx[name] = iri
    for key, (iri, coerce) in _JSONLD_TERMS.items():
        ctx[key] = {"@id": iri, "@type": coerce} if coerce else iri
    return {"@context": ctx}


def _write_jsonld(triples: Iterable[ox.Triple], f, base_iri: str) -> None:
    compactor = _Compactor(base_iri)
    ctx = json.dumps(jsonld_context(base_iri)["@context"], ensure_ascii=False, indent=2)
    f.write('{\n"@context": ' + ctx + ',\n"@graph": [\n')
    first = True
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        line = json.dumps(compactor.node(subject, list(group)), ensure_ascii=False)
        f.write(("" if first else ",\n") + line)
        first = False
    f.write("\n]\n}\n")


# --------------------------------------------------------------------------------------
# VoID
# --------------------------------------------------------------------------------------

class _DistinctHashes:
    """How many distinct 64-bit hashes were added, kept as a sorted array of 8 bytes each (a
    set of Python ints takes about 80: 670 MB for the 8 million subjects and objects of a
    million-paper build).

    >>> d = _DistinctHashes()
    >>> for h in [3, 1, 3, -7, 1]:
    ...     d.add(h)
    >>> len(d)
    3
    """

    #: hashes gathered before they are merged into the sorted distinct ones
    BUFFER = 1 << 22

    def __init__(self) -> None:
        self._distinct = np.empty(0, dtype=np.int64)
        self._buffer = array("q")
        self.add = self._buffer.append

    def _merge(self) -> None:
        if self._buffer:
            # sorted in place and the old arrays let go before the result is made: at most about
            # twice the distinct hashes in memory at once (np.unique makes two more copies)
            merged = np.concatenate([self._distinct, np.frombuffer(self._buffer, dtype=np.int64)])
            self._distinct = self._buffer = None
            merged.sort()
            first = np.empty(len(merged), dtype=bool)
            first[:1] = True
            np.not_equal(merged[1:], merged[:-1], out=first[1:])
            self._distinct = merged[first]
            del merged, first
            self._buffer = array("q")
            self.add = self._buffer.append

    def merge_if_full(self) -> None:
        if len(self._buffer) >= self.BUFFER:
            self._merge()

    def __len__(self) -> int:
        self._merge()
        return len(self._distinct)


#: triples between two looks at whether the distinct-hash buffers are full
_MERGE_EVERY = 1 << 16


class _Stats:
    """Counts what VoID describes while the triples stream past."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects = _DistinctHashes()
        self.objects = _DistinctHashes()
        self.classes: Counter[str] = Counter()
        self.properties: Counter[str] = Counter()

    def watch(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        # terms hash in Rust; keeping hashes, not terms, bounds memory (collisions: negligible)
        properties: Counter = Counter()
        classes: Counter = Counter()
        subjects, objects = self.subjects, self.objects
        n = 0
        last_subject = None
        for t in triples:
            n += 1
            if t.subject != last_subject:  # a subject's triples mostly come together
                last_subject = t.subject
                subjects.add(hash(last_subject))
            objects.add(hash(t.object))
            if not n % _MERGE_EVERY:
                subjects.merge_if_full()
                objects.merge_if_full()
            p = t.predicate
            properties[p] += 1
            if p == _OX_TYPE:
                classes[t.object] += 1
            yield t
        self.triples += n
        self.properties.update({p.value: c for p, c in properties.items()})
        self.classes.update({o.value: c for o, c in classes.items()})


_FORMAT_FEATURES = {
    "turtle": "http://www.w3.org/ns/formats/Turtle", "nt": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD", "trig": "http://www.w3.org/ns/formats/TriG",
}


def _void_triples(m: _Minter, stats: _Stats, formats: Sequence[str]) -> Iterator[ox.Triple]:
    V = lambda local: ox.NamedNode(str(VOID[local]))  # noqa: E731
    integer = str(XSD.integer)
    d = m.dataset
    pairs = [
        (_P["type"], _P["Dataset"]),
        (ox.NamedNode(str(DCTERMS.title)), _lit("kg knowledge graph build")),
        (ox.NamedNode(str(DCTERMS.created)), _lit(m.started, str(XSD.dateTime))),
        (_P["wasGeneratedBy"], m.run),
        (V("uriSpace"), _lit(m.base)),
        (V("triples"), _lit(stats.triples, integer)),
        (V("entities"), _lit(len(stats.subjects), integer)),
        (V("distinctSubjects"), _lit(len(stats.subjects), integer)),
        (V("distinctObjects"), _lit(len(stats.objects), integer)),
        (V("classes"), _lit(len(stats.classes), integer)),
        (V("properties"), _lit(len(stats.properties), integer)),
    ]
    for ns in (KG, SKOS, DCTERMS, PROV, RDF, SCHEMA):
        pairs.append((V("vocabulary"), ox.NamedNode(str(ns))))
    for fmt in formats:
        pairs.append((V("feature"), ox.NamedNode(_FORMAT_FEATURES[fmt])))
    partitions: list[ox.Triple] = []
    for i, (cls, count) in enumerate(sorted(stats.classes.items()), 1):
        b = ox.BlankNode(f"class{i}")
        pairs.append((V("classPartition"), b))
        partitions += [ox.Triple(b, V("class"), ox.NamedNode(cls)),
                       ox.Triple(b, V("entities"), _lit(count, integer))]
    for i, (prop, count) in enumerate(sorted(stats.properties.items()), 1):
        b = ox.BlankNode(f"property{i}")
        pairs.append((V("propertyPartition"), b))
        partitions += [ox.Triple(b, V("property"), ox.NamedNode(prop)),
                       ox.Triple(b, V("triples"), _lit(count, integer))]
    # keep partitions in numeric order (class2 before class10)
    yield from (ox.Triple(d, p, o) for p, o in sorted(pairs, key=lambda po: (
        _sort_key(po)[:2], int(re.sub(r"\D", "", po[1].value) or 0) if isinstance(po[1], ox.BlankNode) else 0,
        str(po[1]))))
    yield from partitions


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def _normalize_formats(formats: Iterable[str] | str) -> list[str]:
    if isinstance(formats, str):
        formats = [formats]
    out = ["turtle"]
    for fmt in formats:
        name = _FORMAT_ALIASES.get(str(fmt).lower(), str(fmt).lower())
        if name not in RDF_FORMATS:
            raise ValueError(f"unknown RDF format {fmt!r}; choose from {', '.join(RDF_FORMATS)}")
        if name not in out:
            out.append(name)
    return out


def write_rdf(graph: nx.MultiDiGraph, out_dir: str | os.PathLike, *,
              formats: Iterable[str] | str = ("turtle",), base_iri: str = DEFAULT_BASE_IRI,
              generated_at: str | None = None) -> list[Path]:
    """Write the graph to ``out_dir``: ``graph.ttl`` always, the other ``formats`` asked for
    (``"nt"``, ``"jsonld"`` with ``context.jsonld``, ``"trig"``), and ``void.ttl``.

    Every file is written atomically and streamed (nothing holds the whole RDF graph): the
    triples are generated once, for graph.ttl, and the other formats are serialised from
    graph.ttl read back by pyoxigraph's streaming parser.
    Returns the paths written, in the order turtle, other formats, context, void.
    """
    fmts = _normalize_formats(formats)
    minter = _Minter(graph, base_iri, generated_at)
    generated_at = minter.started  # one instant for every pass
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefixes = {**{p: PREFIXES[p] for p in _OUTPUT_PREFIXES}, **minter.prefixes}
    written: list[Path] = []

    stats = _Stats()
    turtle = out / RDF_FORMATS["turtle"]
    for fmt in fmts:
        path = out / RDF_FORMATS[fmt]
        if fmt == "turtle":  # the one pass that runs Python code over the graph
            source = stats.watch(_iter(_Minter(graph, minter.base, generated_at)))
        else:  # the others re-read graph.ttl with pyoxigraph's parser: same triples, same order
            source = (q.triple for q in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
        if fmt == "jsonld":
            with atomic_write(path) as f:
                _write_jsonld(source, f, minter.base)
        else:
            with atomic_write(path, "wb") as f:
                if fmt == "turtle":
                    ox.serialize(source, f, ox.RdfFormat.TURTLE, prefixes=prefixes)
                elif fmt == "nt":
                    ox.serialize(source, f, ox.RdfFormat.N_TRIPLES)
                else:  # trig: the build as one named graph, <base>dataset
                    quads = (ox.Quad(t.subject, t.predicate, t.object, minter.dataset) for t in source)
                    ox.serialize(quads, f, ox.RdfFormat.TRIG, prefixes=prefixes)
        written.append(path)
    if "jsonld" in fmts:
        path = out / CONTEXT_FILE
        with atomic_write(path) as f:
            f.write(json.dumps(jsonld_context(minter.base), ensure_ascii=False, indent=2) + "\n")
        written.append(path)
    path = out / VOID_FILE
    with atomic_write(path, "wb") as f:
        ox.serialize(_void_triples(minter, stats, fmts), f, ox.RdfFormat.TURTLE, prefixes=prefixes)
    written.append(path)
    return written


# --------------------------------------------------------------------------------------
# A sample graph (docs, doctests and tests)
# --------------------------------------------------------------------------------------

def sample_graph() -> nx.MultiDiGraph:
    """A small graph following the contract of :mod:`kg.graph`: five papers, entities of
    every type, every relation type, and results (DiffusionDrive 88.1 PDMS on NAVSIM)."""
    g = nx.MultiDiGraph()
    papers = {
        "p-openvla": ("OpenVLA: An Open-Source Vision-Language-Action Model",
                      "We present OpenVLA, a 7B-parameter open-source VLA trained on 970k robot "
                      "episodes from the Open X-Embodiment dataset. OpenVLA builds on a Llama 2 "
                      "language model. OpenVLA outperforms RT-2-X by 16.5% absolute task success "
                      "rate. We evaluate on CALVIN.", 2024, ["Moo Jin Kim", "Karl Pertsch"]),
        "p-diffusiondrive": ("DiffusionDrive: Truncated Diffusion Model for End-to-End Autonomous Driving",
                             "DiffusionDrive addresses autonomous driving. On the planning-oriented "
                             "NAVSIM dataset, DiffusionDrive achieves 88.1 PDMS. Trained on nuScenes.",
                             2024, ["Bencheng Liao"]),
        "p-opadpo": ("OPA-DPO: On-Policy Alignment for Vision-Language Models",
                     "We propose OPA-DPO, a variant of Direct Preference Optimization (DPO). "
                     "OPA-DPO outperforms DPO on AMBER with a lower hallucination rate, using "
                     "Llama2-7B.", 2025, []),
        "p-dpo": ("DPO: Direct Preference Optimization",
                  "We propose Direct Preference Optimization (DPO). DPO outperforms PPO on summarization.",
                  2023, []),
        "p-bert": ("BERT: Deep Bidirectional Transformers for Language Understanding",
                   "BERT is evaluated on the GLUE benchmark.", 2019, []),
    }
    for pid, (title, abstract, year, authors) in papers.items():
        g.add_node(f"paper:{pid}", kind="paper", type="Paper", label=title, paper_id=pid,
                   title=title, abstract=abstract, year=year, authors=authors, venue=None,
                   url=f"https://example.org/{pid}")
    entities = [
        ("OpenVLA", "OpenVLA", "Model", [], ["p-openvla"]),
        ("Llama_2", "Llama 2", "Model", ["LLaMA-2", "Llama2"], ["p-openvla"]),
        ("Llama2-7B", "Llama2-7B", "Model", [], ["p-opadpo"]),
        ("RT-2-X", "RT-2-X", "Model", [], ["p-openvla"]),
        ("Open_X-Embodiment", "Open X-Embodiment", "Dataset", [], ["p-openvla"]),
        ("CALVIN", "CALVIN", "Benchmark", [], ["p-openvla"]),
        ("DiffusionDrive", "DiffusionDrive", "Method", [], ["p-diffusiondrive"]),
        ("Diffusion_Policy", "Diffusion Policy", "Method", [], ["p-diffusiondrive"]),
        ("NAVSIM", "NAVSIM", "Benchmark", [], ["p-diffusiondrive"]),
        ("nuScenes", "nuScenes", "Dataset", [], ["p-diffusiondrive"]),
        ("PDMS", "PDMS", "Metric", ["PDM Score"], ["p-diffusiondrive"]),
        ("TransFuser", "TransFuser", "Method", [], ["p-diffusiondrive"]),
        ("autonomous_driving", "autonomous driving", "Task", [], ["p-diffusiondrive"]),
        ("DPO", "DPO", "Method", ["Direct Preference Optimization"], ["p-dpo", "p-opadpo"]),
        ("PPO", "PPO", "Method", ["Proximal Policy Optimization"], ["p-dpo"]),
        ("BERT", "BERT", "Model", [], ["p-bert"]),
        ("GLUE", "GLUE", "Benchmark", ["General Language Understanding Evaluation"], ["p-bert"]),
        ("OPA-DPO", "OPA-DPO", "Method", [], ["p-opadpo"]),
        ("AMBER", "AMBER", "Benchmark", [], ["p-opadpo"]),
        ("hallucination_rate", "hallucination rate", "Metric", [], ["p-opadpo"]),
        ("success_rate", "success rate", "Metric", [], ["p-openvla"]),
    ]
    for slug, name, etype, aliases, eps in entities:
        g.add_node(f"entity:{slug}", kind="entity", type=etype, label=name, slug=slug,
                   aliases=sorted(aliases), papers=eps, mention_count=2 * len(eps), confidence=1.0)
        for pid in eps:
            g.add_edge(f"paper:{pid}", f"entity:{slug}", key="mentions", count=1)

    def rel(head, rtype, tail, pid, sentence, conf=0.9, rule="pattern"):
        ev = {"paper": pid, "sentence": sentence, "start": 0, "end": len(sentence),
              "confidence": conf, "rule": rule}
        g.add_edge(head, tail, key=rtype, type=rtype, papers=[pid], confidence=conf, evidence=[ev])

    ov, dd, od = "p-openvla", "p-diffusiondrive", "p-opadpo"
    rel(f"paper:{ov}", "proposes", "entity:OpenVLA", ov, "We present OpenVLA, a 7B-parameter open-source VLA.", 1.0, "title")
    rel("entity:OpenVLA", "basedOn", "entity:Llama_2", ov, "OpenVLA builds on a Llama 2 language model.", 0.9, "pattern:builds_on")
    rel("entity:OpenVLA", "trainedOn", "entity:Open_X-Embodiment", ov, "We present OpenVLA, trained on 970k robot episodes from the Open X-Embodiment dataset.", 0.85, "pattern:trained_on")
    rel("entity:OpenVLA", "outperforms", "entity:RT-2-X", ov, "OpenVLA outperforms RT-2-X by 16.5% absolute task success rate.", 0.95, "pattern:outperforms")
    rel("entity:OpenVLA", "evaluatedOn", "entity:CALVIN", ov, "We evaluate on CALVIN.", 0.8, "pattern:evaluate_on")
    rel(f"paper:{dd}", "proposes", "entity:DiffusionDrive", dd, "DiffusionDrive: Truncated Diffusion Model for End-to-End Autonomous Driving", 1.0, "title")
    rel("entity:DiffusionDrive", "addresses", "entity:autonomous_driving", dd, "DiffusionDrive addresses autonomous driving.", 0.8, "pattern:addresses")
    rel("entity:DiffusionDrive", "evaluatedOn", "entity:NAVSIM", dd, "On the planning-oriented NAVSIM dataset, DiffusionDrive achieves 88.1 PDMS.", 0.9, "pattern:on")
    rel("entity:DiffusionDrive", "basedOn", "entity:Diffusion_Policy", dd, "DiffusionDrive is a truncated diffusion policy.", 0.7, "pattern:family")
    rel("entity:DiffusionDrive", "trainedOn", "entity:nuScenes", dd, "Trained on nuScenes.", 0.8, "pattern:trained_on")
    rel("entity:NAVSIM", "measuredBy", "entity:PDMS", dd, "On the planning-oriented NAVSIM dataset, DiffusionDrive achieves 88.1 PDMS.", 0.9, "result")
    rel("entity:CALVIN", "measuredBy", "entity:success_rate", ov, "OpenVLA outperforms RT-2-X by 16.5% absolute task success rate.", 0.6, "result")
    rel(f"paper:{od}", "proposes", "entity:OPA-DPO", od, "We propose OPA-DPO, a variant of Direct Preference Optimization (DPO).", 1.0, "pattern:propose")
    rel("entity:OPA-DPO", "variantOf", "entity:DPO", od, "We propose OPA-DPO, a variant of Direct Preference Optimization (DPO).", 0.9, "name:prefix")
    rel("entity:OPA-DPO", "outperforms", "entity:DPO", od, "OPA-DPO outperforms DPO on AMBER with a lower hallucination rate, using Llama2-7B.", 0.9, "pattern:outperforms")
    rel("entity:OPA-DPO", "uses", "entity:Llama2-7B", od, "OPA-DPO outperforms DPO on AMBER with a lower hallucination rate, using Llama2-7B.", 0.7, "pattern:using")
    rel("entity:OPA-DPO", "evaluatedOn", "entity:AMBER", od, "OPA-DPO outperforms DPO on AMBER with a lower hallucination rate, using Llama2-7B.", 0.8, "pattern:on")
    rel("entity:Llama2-7B", "variantOf", "entity:Llama_2", od, "using Llama2-7B", 0.9, "name:suffix")
    rel("entity:DiffusionDrive", "outperforms", "entity:TransFuser", dd, "DiffusionDrive outperforms TransFuser (84.0 PDMS).", 0.9, "pattern:outperforms")
    rel("entity:AMBER", "measuredBy", "entity:hallucination_rate", od, "OPA-DPO outperforms DPO on AMBER with a lower hallucination rate.", 0.7, "result")
    pd, pb = "p-dpo", "p-bert"
    rel(f"paper:{pd}", "proposes", "entity:DPO", pd, "We propose Direct Preference Optimization (DPO).", 0.9, "pattern:propose")
    rel("entity:DPO", "outperforms", "entity:PPO", pd, "DPO outperforms PPO on summarization.", 0.9, "pattern:outperforms")
    rel(f"paper:{pb}", "proposes", "entity:BERT", pb, "BERT: Deep Bidirectional Transformers for Language Understanding", 0.9, "title")
    rel("entity:BERT", "evaluatedOn", "entity:GLUE", pb, "BERT is evaluated on the GLUE benchmark.", 0.8, "pattern:evaluated_on")
    g.graph["results"] = [
        {"subject": "entity:DiffusionDrive", "benchmark": "entity:NAVSIM", "metric": "entity:PDMS",
         "value": "88.1", "number": "88.1", "unit": None, "paper": dd,
         "sentence": "On the planning-oriented NAVSIM dataset, DiffusionDrive achieves 88.1 PDMS.", "rule": "result:achieves"},
        {"subject": "entity:TransFuser", "benchmark": "entity:NAVSIM", "metric": "entity:PDMS",
         "value": "84.0", "number": "84.0", "unit": None, "paper": dd,
         "sentence": "DiffusionDrive outperforms TransFuser (84.0 PDMS).", "rule": "result:paren"},
        {"subject": "entity:OpenVLA", "benchmark": "entity:CALVIN", "metric": "entity:success_rate",
         "value": "+16.5% absolute", "number": "16.5", "unit": "%", "paper": ov,
         "sentence": "OpenVLA outperforms RT-2-X by 16.5% absolute task success rate.", "rule": "result:by"},
        {"subject": "entity:OPA-DPO", "benchmark": "entity:AMBER", "metric": None,
         "value": "4.01", "number": "4.01", "unit": None, "paper": od,
         "sentence": "OPA-DPO reaches 4.01 on AMBER.", "rule": "result:reaches"},
    ]
    g.graph["kg_version"] = "0.1.0"
    return g
