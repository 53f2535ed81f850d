"""The knowledge graph: a networkx MultiDiGraph of papers and canonical entities.

This module is also kg's Python API (:class:`KnowledgeGraph`). A graph kg builds is held as a
:class:`kg.compact_graph.CompactGraph` (the same layout, read through the same networkx API,
in a fifth of the memory) until :attr:`KnowledgeGraph.nx` is first asked for.

Graph layout (what the exporters read):

* Paper nodes: id ``"paper:<paper id>"``; attributes ``kind="paper"``, ``type="Paper"``,
  ``label`` (title, or the id), ``paper_id``, ``title``, ``abstract``, ``year``, ``authors``
  (list), ``venue``, ``url``.
* Entity nodes: id ``"entity:<slug>"``; attributes ``kind="entity"``, ``type`` (one of
  :data:`kg.model.ENTITY_TYPES`), ``label`` (canonical name), ``slug``, ``aliases`` (sorted
  list of other surface forms), ``papers`` (sorted paper ids), ``mention_count``,
  ``confidence`` (share of type votes won by ``type``).
* Edges, keyed by their type (so one edge per head, type and tail):
  ``mentions`` paper -> entity (attribute ``count``); ``proposes`` paper -> entity;
  relation types of :data:`kg.model.RELATION_TYPES` between entities, or from a paper when
  the paper names no method of its own. Every edge but ``mentions`` carries ``type``,
  ``papers`` (sorted ids), ``confidence`` (the best of its evidence) and ``evidence``: a list
  of dicts ``{"paper", "sentence", "start", "end", "confidence", "rule"}``.
* ``graph.graph["results"]``: list of dicts ``{"subject", "benchmark", "metric"`` (node ids
  or None), ``"value", "number", "unit", "paper", "sentence", "rule"}``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from .linking import LinkedCorpus
from .compact_graph import CompactGraph, entity_node, paper_node  # noqa: F401 (node ids: part of this API)
from .model import ENTITY_TYPES, PAPER, RELATION_TYPES, Evidence, Paper, PaperExtraction
from .names import name_key

log = logging.getLogger(__name__)

GRAPH_JSON = "graph.json"
GRAPH_HTML = "graph.html"


@dataclass(frozen=True)
class GraphRelation:
    """A relation as the graph holds it: one head, type and tail, with all its evidence."""

    head: str
    type: str
    tail: str
    evidence: tuple[Evidence, ...]

    @property
    def papers(self) -> list[str]:
        return sorted({e.paper_id for e in self.evidence})


@dataclass(frozen=True)
class EntityRecord:
    """An entity with everything the graph knows about it (see :meth:`KnowledgeGraph.entity`)."""

    name: str
    type: str
    id: str
    aliases: tuple[str, ...]
    papers: tuple[str, ...]
    mention_count: int
    relations: tuple[GraphRelation, ...] = ()


def build_graph(linked: LinkedCorpus, *, kg_version: str | None = None) -> nx.MultiDiGraph:
    """Lay a linked corpus out as the graph described in this module's docstring."""
    return CompactGraph.from_linked(linked, kg_version=kg_version).to_networkx()


class KnowledgeGraph:
    """A knowledge graph of papers and research entities (the Python API).

    >>> g = KnowledgeGraph.from_papers([Paper("p1", "OpenVLA: An Open Model",
    ...     "We introduce OpenVLA. OpenVLA builds on Llama 2 and outperforms RT-2-X on the CALVIN benchmark.")])
    >>> g.entity("openvla").type in ("Method", "Model")
    True
    >>> [r.tail for r in g.entity("OpenVLA").relations if r.type == "basedOn"]
    ['Llama 2']
    >>> [e.name for e in g.entities(type="Benchmark")]
    ['CALVIN']
    """

    def __init__(self, graph: nx.MultiDiGraph | CompactGraph):
        self._graph = graph
        self._index: dict[str, str] | None = None

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx graph. A graph built here is held compactly (:mod:`kg.compact_graph`)
        until this is first asked for; from then on it is this networkx graph."""
        if isinstance(self._graph, CompactGraph):
            self._graph = self._graph.to_networkx()
        return self._graph

    # --- construction ---------------------------------------------------------------------
    @classmethod
    def from_papers(cls, papers: Iterable[Paper | str | os.PathLike], *, workers: int = 1,
                    progress: Any = None, mode: str = "default", dask: str | None = None,
                    **read_options: Any) -> "KnowledgeGraph":
        """Build from Paper records and/or input files (any format :mod:`kg.readers` reads);
        ``mode`` is "default", "accurate" (adds the mention classifier) or "rules" (no trained
        models): :data:`kg.nlp.pipeline.MODES`; ``dask`` extracts on a Dask cluster (a scheduler
        address, or ``local:N``) instead of ``workers`` local processes."""
        from .extract import extract_papers
        from .linking import link

        stream = _paper_stream(papers, **read_options)
        extractions = extract_papers(stream, workers=workers, mode=mode, dask=dask)
        if progress is not None:
            extractions = progress(extractions)
        return cls(CompactGraph.from_linked(link(extractions)))

    # --- lookups --------------------------------------------------------------------------
    def _node(self, name: str) -> str:
        """The node id of an entity given its name, an alias, its slug or its node id."""
        if self._index is None:
            index: dict[str, str] = {}
            for n, d in sorted(self._graph.nodes(data=True), key=lambda nd: (nd[1].get("kind") != "entity", nd[0])):
                if d.get("kind") != "entity":
                    continue
                for s in (d["label"], d["slug"], n):
                    index.setdefault(s.lower(), n)
                    index.setdefault(name_key(s), n)
                for s in d.get("aliases", ()):
                    index.setdefault(s.lower(), n)
                    index.setdefault(name_key(s), n)
            self._index = index
        node = self._index.get(name.lower()) or self._index.get(name_key(name))
        if node is None:
            raise KeyError(f"no entity named {name!r}")
        return node

    def _label(self, node: str) -> str:
        return PAPER if self._graph.nodes[node].get("kind") == "paper" else self._graph.nodes[node]["label"]

    def _record(self, node: str, with_relations: bool = False) -> EntityRecord:
        d = self._graph.nodes[node]
        rels: tuple[GraphRelation, ...] = ()
        if with_relations:
            rels = tuple(self._relations_of(node))
        return EntityRecord(d["label"], d["type"], d["slug"], tuple(d.get("aliases", ())),
                            tuple(d.get("papers", ())), d.get("mention_count", 0), rels)

    def _as_relation(self, u: str, v: str, key: str, data: dict[str, Any]) -> GraphRelation:
        """An edge as a relation; a paper head is named by its paper id."""
        head = self._label(u) if self._graph.nodes[u].get("kind") == "entity" else u.split(":", 1)[1]
        evidence = tuple(Evidence(e["paper"], e["sentence"], e["start"], e["end"], e["confidence"], e["rule"])
                         for e in data.get("evidence", ()))
        return GraphRelation(head, key, self._label(v), evidence)

    def _relations_of(self, node: str) -> Iterator[GraphRelation]:
        edges = list(self._graph.out_edges(node, keys=True, data=True)) + list(self._graph.in_edges(node, keys=True, data=True))
        for u, v, k, d in sorted(edges, key=lambda e: (e[2], e[0], e[1])):
            if k != "mentions":
                yield self._as_relation(u, v, k, d)

    def entities(self, type: str | None = None, *, relations: bool = True) -> list[EntityRecord]:
        """All entities (optionally of one type, named in any case), most mentioned first, each
        with its relations as :meth:`entity` gives them (``relations=False`` leaves them out).

        >>> g = KnowledgeGraph.from_papers([Paper("p1", "", "We evaluate DPO on the CALVIN benchmark.")])
        >>> [(e.name, [(r.head, r.type, r.tail) for r in e.relations]) for e in g.entities("benchmark")]
        [('CALVIN', [('p1', 'evaluatedOn', 'CALVIN')])]
        >>> g.entities("Tool")
        Traceback (most recent call last):
        ...
        ValueError: no entity type 'Tool'; the types are Method, Model, Dataset, Benchmark, Task, Metric
        """
        wanted = None if type is None else _entity_type(type)
        out = [self._record(n, with_relations=relations) for n, d in self._graph.nodes(data=True)
               if d.get("kind") == "entity" and (wanted is None or d["type"] == wanted)]
        return sorted(out, key=lambda e: (-len(e.papers), -e.mention_count, e.name))

    def entity(self, name: str) -> EntityRecord:
        """One entity by name, alias or slug (case-insensitive), with its relations and evidence."""
        return self._record(self._node(name), with_relations=True)

    def relations(self, type: str | None = None) -> list[GraphRelation]:
        """Every relation between entities (or from papers), optionally of one type (named in any
        case: "evaluatedon" is evaluatedOn)."""
        wanted = None if type is None else _relation_type(type)
        out = []
        for u, v, k, d in sorted(self._graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])):
            if k != "mentions" and (wanted is None or k == wanted):
                out.append(self._as_relation(u, v, k, d))
        return out

    def neighbors(self, name: str, relation: str | None = None) -> list[EntityRecord]:
        """Entities related to ``name`` in either direction (optionally by one relation type)."""
        node = self._node(name)
        found = set()
        for u, v, k in list(self._graph.out_edges(node, keys=True)) + list(self._graph.in_edges(node, keys=True)):
            other = v if u == node else u
            if k != "mentions" and (relation is None or k == relation) and \
                    self._graph.nodes[other].get("kind") == "entity":
                found.add(other)
        return sorted((self._record(n) for n in found), key=lambda e: e.name)

    def papers_mentioning(self, name: str) -> list[Paper]:
        """The papers that mention an entity."""
        node = self._node(name)
        out = []
        for p in sorted(self._graph.nodes[node].get("papers", ())):
            d = self._graph.nodes.get(paper_node(p))
            if d:
                out.append(Paper(d["paper_id"], d["title"], d["abstract"], d.get("year"),
                                 tuple(d.get("authors") or ()), d.get("venue"), d.get("url"), doi=d.get("doi")))
        return out

    def papers(self) -> list[Paper]:
        return [Paper(d["paper_id"], d["title"], d["abstract"], d.get("year"), tuple(d.get("authors") or ()),
                      d.get("venue"), d.get("url"), doi=d.get("doi"))
                for _, d in sorted(self._graph.nodes(data=True)) if d.get("kind") == "paper"]

    def results(self) -> list[dict[str, Any]]:
        """Numeric results: dicts with subject, benchmark, metric (names), value, number, unit, paper."""
        def name(node: str | None) -> str | None:
            return None if node is None else self._label(node)
        return [{**r, "subject": name(r["subject"]), "benchmark": name(r["benchmark"]), "metric": name(r["metric"])}
                for r in self._graph.graph.get("results", [])]

    def leaderboard(self, benchmark: str, metric: str | None = None, *, as_frame: bool = False) -> Any:
        """The results on ``benchmark`` (any of its names), best first within each metric and unit:
        a list of :class:`kg.leaderboard.LeaderboardRow`, or with ``as_frame`` a pandas DataFrame
        (pandas must be installed). ``metric`` keeps one metric (any of its names).

        >>> from kg.export.rdf import sample_graph
        >>> rows = KnowledgeGraph(sample_graph()).leaderboard("NAVSIM")
        >>> [(r.rank, r.subject, r.metric, r.value) for r in rows]
        [(1, 'DiffusionDrive', 'PDMS', '88.1'), (2, 'TransFuser', 'PDMS', '84.0')]
        """
        from .leaderboard import rank_results

        bench = self._label(self._node(benchmark))
        wanted = None
        if metric is not None:
            try:
                wanted = self._label(self._node(metric))
            except KeyError:
                wanted = metric
        results = [r for r in self.results() if r["benchmark"] == bench
                   and (wanted is None or (r["metric"] or "").lower() == wanted.lower())]
        years = {p: self._graph.nodes[paper_node(p)].get("year") for p in {r.get("paper") for r in results}
                 if p and paper_node(p) in self._graph}
        rows = rank_results(results, years)
        if not as_frame:
            return rows
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("leaderboard(as_frame=True) needs pandas: pip install pandas") from None
        from dataclasses import asdict
        return pd.DataFrame([asdict(r) for r in rows])

    def info(self) -> dict[str, Any]:
        """Counts by entity and relation type, and the most connected entities."""
        types = Counter(d["type"] for _, d in self._graph.nodes(data=True))
        rels = Counter(k for _, _, k in self._graph.edges(keys=True))
        degree = Counter({n: self._graph.degree(n) for n, d in self._graph.nodes(data=True) if d.get("kind") == "entity"})
        top = [(self._graph.nodes[n]["label"], self._graph.nodes[n]["type"], deg) for n, deg in
               sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
        return {"papers": types.pop("Paper", 0), "entities": dict(sorted(types.items())),
                "relations": dict(sorted(rels.items())), "results": len(self._graph.graph.get("results", [])),
                "most_connected": top}

    # --- conversions ----------------------------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (a copy, safe to change)."""
        return self._graph.copy()

    def to_rdflib(self, base_iri: str | None = None):
        """The graph as an rdflib Graph, typed against ``ontology/kg.ttl``."""
        from .export.rdf import DEFAULT_BASE_IRI, to_rdflib
        return to_rdflib(self._graph, base_iri or DEFAULT_BASE_IRI)

    def query(self, sparql: str, *, labels: bool = False, **kwargs: Any):
        """Run a SPARQL query over the graph (on pyoxigraph); returns a ``kg.query.QueryResult``.
        With ``labels=True`` its ``rows`` name entities by their label and papers by their title
        instead of their IRIs (``terms`` keep the IRIs).

        >>> g = KnowledgeGraph.from_papers([Paper("p1", "", "We evaluate DPO on the CALVIN benchmark.")])
        >>> g.query("SELECT ?b WHERE { ?x kg:evaluatedOn ?b }", labels=True).rows
        [('CALVIN',)]
        """
        from .query import run_query
        result = run_query(self._graph, sparql, **kwargs)
        if labels:
            from .export.rdf import entity_iri, paper_iri
            names: dict[str, str] = {}
            for _, d in self._graph.nodes(data=True):
                if d.get("kind") == "entity":
                    names[entity_iri(d["slug"])] = d["label"]
                elif d.get("kind") == "paper":
                    names[paper_iri(d["paper_id"])] = d.get("title") or d["paper_id"]
            result.rows = [tuple(names.get(c, c) if c is not None else None for c in row) for row in result.rows]
        return result

    def to_html(self, path: str | os.PathLike, **kwargs: Any):
        """Write the interactive HTML view (see :func:`kg.export.html.write_html`)."""
        from .export.html import write_html
        return write_html(self._graph, path, **kwargs)

    def to_json(self) -> dict[str, Any]:
        """Node-link JSON: nodes with ``id``, ``label``, ``type`` (papers are ``Paper``)."""
        from .export.json import to_node_link
        return to_node_link(self._graph)

    def save(self, directory: str | os.PathLike, *, html: bool = True, rdf: bool = True, force: bool = False,
             extractions: Iterable[PaperExtraction] | None = None, mode: str = "default",
             **options: Any) -> list[Path]:
        """Write ``graph.json`` (and ``graph.ttl``, ``void.ttl``, ``graph.html``) into ``directory``.

        The files are written to a staging folder and moved into place together, so a build
        that fails half way leaves the previous outputs as they were. The folder holds one
        build: its manifest (``.kg-build.json``) lists the files written, and the files an
        earlier build listed that this one does not write (``graph.nt`` when ``nt`` is no
        longer asked for) are removed. A non-empty folder that is not a kg build raises
        :class:`kg.io.OutputFolderError` unless ``force``; nothing kg did not write is ever
        removed. With ``extractions`` (the build's, in ``mode``) the per-paper extraction
        cache is written in the same staging folder, tied to this ``graph.json``.
        """
        from . import __version__
        from .export.json import write_json
        from .export.rdf import write_rdf
        from .io import atomic_outputs, claim_output_folder

        out = Path(directory)
        owned = claim_output_folder(out, force=force)
        with atomic_outputs(out, owned=owned, manifest={"kg_version": __version__}) as stage:
            graph_sha1 = hashlib.sha1()
            with timed("graph.json"):
                staged = [write_json(self._graph, stage / GRAPH_JSON, digest=graph_sha1)]
            if extractions is not None:  # before the other exports: a consumed record can go
                from .cache import save_cache
                with timed("extraction cache"):
                    save_cache(stage, extractions, mode=mode, graph_sha1=graph_sha1.hexdigest())
            if rdf:
                with timed("RDF (" + ", ".join(options.get("formats") or ("turtle",)) + ") and void.ttl"):
                    staged += write_rdf(self._graph, stage, **{k: v for k, v in options.items()
                                                           if k in ("formats", "base_iri", "generated_at")})
            if html:
                with timed("graph.html"):
                    self.to_html(stage / GRAPH_HTML, **{k: v for k, v in options.items()
                                                          if k in ("max_nodes", "focus", "hops", "title")})
                staged.append(stage / GRAPH_HTML)
        return [out / p.relative_to(stage) for p in staged]

    @classmethod
    def load(cls, path: str | os.PathLike) -> "KnowledgeGraph":
        """Load a build folder (or its ``graph.json``) written by :meth:`save` or ``kg build``."""
        from .export.json import read_json
        p = Path(path)
        return cls(read_json(p / GRAPH_JSON if p.is_dir() else p))

    def __repr__(self) -> str:
        i = self.info()
        return f"<KnowledgeGraph: {i['papers']} papers, {sum(i['entities'].values())} entities>"


def _paper_stream(items: Iterable[Paper | str | os.PathLike], **read_options: Any) -> Iterator[Paper]:
    from .readers import read_papers
    paths: list = []
    for item in items:
        if isinstance(item, Paper):
            yield item
        else:
            paths.append(item)
    if paths:
        yield from read_papers(paths, **read_options)


def build(inputs: Iterable[Paper | str | os.PathLike], **options: Any) -> KnowledgeGraph:
    """Build a knowledge graph from input files or Paper records: ``kg.build(["papers.jsonl"])``."""
    return KnowledgeGraph.from_papers(inputs, **options)


def load(path: str | os.PathLike) -> KnowledgeGraph:
    """Load a saved build: ``kg.load("outputs")``."""
    return KnowledgeGraph.load(path)


def _entity_type(name: str) -> str:
    """One of the six entity types, named in any case; a clear error for anything else."""
    return _one_of(name, ENTITY_TYPES, "entity type")


def _relation_type(name: str) -> str:
    """A relation type, named in any case; a clear error for anything else."""
    return _one_of(name, ("proposes", *RELATION_TYPES), "relation type")


def _one_of(name: str, known: tuple[str, ...], what: str) -> str:
    wanted = str(name).strip().lower()
    for t in known:
        if t.lower() == wanted:
            return t
    raise ValueError(f"no {what} {name!r}; the types are {', '.join(known)}")


@contextmanager
def timed(stage: str, detail: Callable[[], str] | None = None) -> Iterator[None]:
    """Log how long a stage took, with ``detail()`` (called after it) when given; ``kg build``
    shows these lines on a terminal, or with -v."""
    start = time.perf_counter()
    yield
    said = f"{stage}: {detail()}" if detail is not None else stage
    log.info("%s: %.2f s", said, time.perf_counter() - start)
