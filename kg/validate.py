"""Check a kg build against ``ontology/shapes.ttl`` (SHACL) and say what is wrong in plain words.

>>> from kg.export.rdf import sample_graph
>>> validate(sample_graph())
[]
>>> g = sample_graph()
>>> g.nodes["entity:OpenVLA"]["type"] = "Banana"
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     problems = validate(g)
>>> print(next(p for p in problems if p.path == "rdf:type"))
Violation: entity "OpenVLA" (entity:OpenVLA), rdf:type: must have exactly one kg type (Method, Model, Dataset, Benchmark, Task or Metric)

>>> len(problems)  # the domain and range checks of OpenVLA's relations fail too
7

Validation runs pySHACL over an rdflib graph, except the SHACL-SPARQL constraints of
class-targeted shapes, which run as one pyoxigraph query each (pySHACL would run one rdflib
query per focus node). Measured on a shared 2-core machine: 126k triples 40 s; 1M triples
about 10 min (2 min to load into rdflib, 8 min of pySHACL).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, URIRef

from .namespace import DCTERMS, KG, PREFIXES, SH, SKOS, ontology_path

__all__ = ["Violation", "validate", "load_rdflib", "SEVERITIES"]

#: Severity names, most severe first.
SEVERITIES = ("violation", "warning", "info")
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_ENTITY_TYPES = {KG.Method, KG.Model, KG.Dataset, KG.Benchmark, KG.Task, KG.Metric}


@dataclass(frozen=True)
class Violation:
    """One problem of a build: which node (in words), which property, what is wrong."""

    focus: str  # e.g. 'entity "OpenVLA" (entity:OpenVLA)'
    path: str | None  # the property, compact (rdf:type), or None for the node itself
    message: str
    severity: str = "violation"  # one of SEVERITIES
    value: str | None = None  # the offending value, when there is one
    focus_iri: str = ""

    def __str__(self) -> str:
        where = f"{self.focus}, {self.path}" if self.path else self.focus
        text = f"{self.severity.capitalize()}: {where}: {self.message}"
        if self.value is not None:
            text += f" (found {self.value})"
        return text


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else f"<{iri}>"


def _data_prefixes(g: rdflib.Graph) -> dict[str, str]:
    from .export.rdf import DEFAULT_BASE_IRI, data_prefixes

    base = next((str(o) for o in g.objects(None, URIRef("http://rdfs.org/ns/void#uriSpace"))), DEFAULT_BASE_IRI)
    try:
        return data_prefixes(base)
    except ValueError:
        return data_prefixes(DEFAULT_BASE_IRI)


def _short(text: str, n: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


class _Labeller:
    def __init__(self, g: rdflib.Graph):
        self.g = g
        self.prefixes = {**PREFIXES, **_data_prefixes(g)}

    def compact(self, term: Any) -> str:
        if isinstance(term, URIRef):
            return _compact(str(term), self.prefixes)
        if isinstance(term, rdflib.BNode):
            return f"_:{term}"
        if isinstance(term, rdflib.Literal):
            return f'"{_short(term, 60)}"' + (f" ({_compact(str(term.datatype), self.prefixes)})" if term.datatype else "")
        return str(term)

    def name(self, node: Any) -> str:
        g = self.g
        for prop in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
            value = g.value(node, prop)
            if value is not None:
                return _short(value, 60)
        return self.compact(node)

    def describe(self, node: Any) -> str:
        g = self.g
        types = set(g.objects(node, RDF.type))
        iri = self.compact(node)
        if types & _ENTITY_TYPES or g.value(node, SKOS.prefLabel) is not None:
            label = g.value(node, SKOS.prefLabel)
            return f'entity "{_short(label, 60)}" ({iri})' if label is not None else f"entity ({iri})"
        if KG.Paper in types:
            title = g.value(node, DCTERMS.title)
            return f'paper "{_short(title, 60)}" ({iri})' if title else f"paper ({iri})"
        if RDF.Statement in types:
            s, p, o = (g.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            what = " ".join("?" if x is None else self.compact(x) if x is p else self.name(x) for x in (s, p, o))
            return f'statement "{what}" ({iri})'
        if KG.Result in types or g.value(node, KG.value) is not None:
            parts = []
            for prop in (KG.achievedBy, KG.benchmark, KG.metric):
                value = g.value(node, prop)
                if value is not None:
                    parts.append(self.name(value))
            text = g.value(node, KG.valueText) or g.value(node, KG.value)
            desc = " / ".join(parts) + (f" = {text}" if text is not None else "")
            return f'result "{desc}" ({iri})'
        if KG.ExtractionRun in types:
            return f"extraction run {iri}"
        return iri


def load_rdflib(source: Any) -> rdflib.Graph:
    """An rdflib Graph from a build folder, an RDF file (any format), an rdflib Graph or a
    graph of :mod:`kg.graph` (networkx, or compact). Files are parsed by pyoxigraph (fast), quads flattened."""
    if isinstance(source, rdflib.Graph):
        return source
    from .compact_graph import CompactGraph

    if isinstance(source, (nx.Graph, CompactGraph)):
        from .export.rdf import to_rdflib
        return to_rdflib(source, generated_at="1970-01-01T00:00:00Z")
    from .query import resolve_graph_file, rdf_format

    path = resolve_graph_file(source)
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    from .export.rdf import _to_rdflib_term

    fmt = rdf_format(path)
    parsed = ox.parse(path=str(path), format=fmt)
    add = g.add
    for q in parsed:
        add((_to_rdflib_term(q.subject), _to_rdflib_term(q.predicate), _to_rdflib_term(q.object)))
    return g


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(str(ontology_path("shapes.ttl")), format="turtle")


@dataclass(frozen=True)
class _SparqlCheck:
    query: str  # selects ?this
    message: str
    severity: str


def _split_sparql_constraints(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[_SparqlCheck]]:
    """Take the SHACL-SPARQL constraints of class-targeted shapes out of ``shapes``: pySHACL
    runs one rdflib query per focus node (minutes on a big build), while one pyoxigraph query
    over the whole graph gives the same answer in a second. The others stay with pySHACL."""
    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    checks: list[_SparqlCheck] = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        select = shapes.value(constraint, SH.select)
        classes = sorted(shapes.objects(shape, SH.targetClass))
        other_targets = [p for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                         if shapes.value(shape, p) is not None]
        if select is None or not classes or other_targets or "$this" not in str(select):
            continue
        prologue = []
        for declared in shapes.objects(None, SH.declare):
            prefix, ns = shapes.value(declared, SH.prefix), shapes.value(declared, SH.namespace)
            if prefix is not None and ns is not None:
                prologue.append(f"PREFIX {prefix}: <{ns}>")
        inner = re.sub(r"\$this\b", "?this", str(select))
        values = " ".join(f"<{c}>" for c in classes)
        query = ("\n".join(prologue) + f"\nSELECT DISTINCT ?this WHERE {{ VALUES ?kgClass {{ {values} }} "
                 f"?this a ?kgClass . {{ {inner} }} }}")
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        checks.append(_SparqlCheck(query, str(message or "does not conform to its shape"),
                                   _SEVERITY.get(severity, "violation")))
        core.remove((shape, SH.sparql, constraint))
    return core, checks


def _run_sparql_checks(data: rdflib.Graph, checks: list[_SparqlCheck]) -> list[tuple[Any, _SparqlCheck]]:
    if not checks:
        return []
    from .query import open_store

    store = open_store(data)
    out = []
    for check in checks:
        for solution in store.query(check.query):
            out.append((URIRef(solution["this"].value), check))
    return out


def validate(source: Any, *, shapes: str | os.PathLike | None = None) -> list[Violation]:
    """Validate a build (folder, RDF file, rdflib Graph or networkx graph) against the SHACL
    shapes; return the problems found, most severe first (an empty list: the build conforms).
    """
    import pyshacl

    data = load_rdflib(source)
    shapes_graph = rdflib.Graph().parse(str(shapes), format="turtle") if shapes else _shapes()
    core, checks = _split_sparql_constraints(shapes_graph)
    _, report, _ = pyshacl.validate(
        data, shacl_graph=core, inference="none", abort_on_first=False,
        allow_warnings=True, advanced=False, meta_shacl=False, debug=False,
    )
    labeller = _Labeller(data)
    found: set[Violation] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = _SEVERITY.get(report.value(result, SH.resultSeverity), "violation")
        shape = report.value(result, SH.sourceShape)
        if message is None and shape is not None:
            message = shapes_graph.value(shape, SH.message)
        found.add(Violation(
            focus=labeller.describe(focus) if focus is not None else "(graph)",
            path=labeller.compact(path) if isinstance(path, URIRef) else (None if path is None else "(path)"),
            message=str(message) if message is not None else "does not conform to its shape",
            severity=severity,
            value=labeller.compact(value) if value is not None and value != focus else None,
            focus_iri=str(focus) if focus is not None else "",
        ))
    for focus, check in _run_sparql_checks(data, checks):
        found.add(Violation(focus=labeller.describe(focus), path=None, message=check.message,
                            severity=check.severity, focus_iri=str(focus)))
    order = {name: i for i, name in enumerate(SEVERITIES)}
    return sorted(found, key=lambda v: (order.get(v.severity, 9), v.focus, v.path or "", v.message, v.value or ""))
