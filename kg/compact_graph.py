"""The graph laid out compactly: what ``kg build`` writes its outputs from.

A networkx MultiDiGraph spends some 500 bytes on an edge (a dictionary of keys, one of
attributes and a slot in two adjacency dictionaries) and some 400 on each piece of evidence
(a dictionary); a build of 100,000 abstracts has well over a million edges, most of them
``mentions``. :class:`CompactGraph` holds the same graph as tuples: a node's outgoing edges as
``(target, key, payload)``, a relation's evidence as tuples, a paper as its
:class:`~kg.model.Paper` record; an evidence sentence that is its paper's text between the
evidence's offsets (all the extractor's are) is read from the paper, not kept twice. It answers the reading half of networkx's API that the
exporters and :class:`kg.graph.KnowledgeGraph` use (``nodes``, ``edges``, ``succ``, ``pred``,
``out_edges``, ``in_edges``, ``degree``, ``graph``) with the attribute dictionaries networkx
would hold, built as they are read, in the order networkx would give them; so every export
of a CompactGraph is byte for byte the export of its networkx graph.
:meth:`CompactGraph.to_networkx` is that graph (:func:`kg.graph.build_graph` returns it).

The graph's layout (node ids and attributes, edge keys and attributes) is described in
:mod:`kg.graph`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .model import PAPER, Paper, PaperExtraction

if TYPE_CHECKING:
    from .linking import LinkedCorpus

#: evidence as the graph holds it: (paper, sentence, start, end, confidence, rule), where the
#: sentence is a string, or the Paper whose text between start and end (stripped) it is
EvidenceTuple = tuple[str, "str | Paper", int, int, float, str]


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def entity_node(slug: str) -> str:
    return f"entity:{slug}"


def _evidence_tuple(paper_id: str, sentence: str, start: int, end: int, confidence: float, rule: str,
                    paper: Paper | None = None, text: str | None = None) -> EvidenceTuple:
    """The tuple of one piece of evidence; given its ``paper`` (and that paper's ``text``), the
    sentence is kept as the paper when the text between the offsets says it."""
    if paper is not None and paper.id == paper_id and text[start:end].strip() == sentence:
        return (paper_id, paper, start, end, round(confidence, 3), rule)
    return (paper_id, sentence, start, end, round(confidence, 3), rule)


def _evidence_key(e: EvidenceTuple) -> tuple:
    """What makes two pieces of evidence duplicates: all their fields (``repr`` keeps 1 and 1.0
    apart; a sentence read from the paper is the one at its offsets, which the key holds)."""
    return (e[0], e[1] if isinstance(e[1], str) else None, repr(e[2]), repr(e[3]), repr(e[4]), e[5])


def evidence_dict(e: EvidenceTuple) -> dict[str, Any]:
    sentence = e[1] if isinstance(e[1], str) else e[1].text[e[2]:e[3]].strip()
    return {"paper": e[0], "sentence": sentence, "start": e[2], "end": e[3], "confidence": e[4], "rule": e[5]}


def _paper_attrs(p: Paper) -> dict[str, Any]:
    return {"kind": "paper", "type": "Paper", "label": p.title or p.id, "paper_id": p.id, "title": p.title,
            "abstract": p.abstract, "year": p.year, "authors": list(p.authors), "venue": p.venue, "url": p.url,
            **({"doi": p.doi} if p.doi else {})}


def _sentence_of(x: PaperExtraction, name: str) -> tuple[str, int, int]:
    for m in x.mentions:
        if m.canonical == name:
            return x.paper.text[m.sentence_start:m.sentence_end].strip(), m.sentence_start, m.sentence_end
    return "", 0, 0


class CompactGraph:
    """A read-only graph of papers and entities with networkx's reading API (see the module).

    >>> from kg.linking import link
    >>> from kg.model import Mention
    >>> text = "We evaluate DPO on CALVIN."
    >>> x = PaperExtraction(Paper("p1", "", text), [Mention("p1", 12, 15, "DPO", "Method", "DPO", "lexicon"),
    ...                                            Mention("p1", 19, 25, "CALVIN", "Benchmark", "CALVIN", "lexicon")])
    >>> g = CompactGraph.from_linked(link([x]), kg_version="test")
    >>> list(g.nodes), g.number_of_edges()
    (['paper:p1', 'entity:CALVIN', 'entity:DPO'], 2)
    >>> g.edges["paper:p1", "entity:DPO", "mentions"]
    {'type': 'mentions', 'count': 1}
    >>> nx.utils.graphs_equal(g.to_networkx(), g.copy())
    True
    """

    def __init__(self, graph_attrs: dict[str, Any], papers: dict[str, Paper], entities: dict[str, dict[str, Any]],
                 mentions: dict[str, tuple[tuple[str, int], ...]],
                 relations: dict[tuple[str, str, str], tuple[EvidenceTuple, ...]]):
        """``mentions``: each paper node's entity nodes with their counts, sorted; ``relations``:
        the evidence of each ``(head, type, tail)``, without duplicates, in order. Both are
        emptied: the graph keeps what they hold in its own layout."""
        self.graph = graph_attrs
        self._papers = papers  # node id -> Paper, in node order
        self._entities = entities  # node id -> attributes, in node order
        self._out = _adjacency(mentions, relations)
        self._n_edges = sum(len(es) for es in self._out.values())
        self._in: tuple[dict[str, list[str]], Counter] | None = None  # built when first asked for
        self.nodes = _Nodes(self)
        #: node -> "paper" or "entity", answered without building the node's attributes
        self.kinds: Mapping[str, str] = _Kinds(self)
        self.edges = _Edges(self)
        self.succ = self.adj = _Adjacency(self, incoming=False)
        self.pred = _Adjacency(self, incoming=True)

    @classmethod
    def from_linked(cls, linked: LinkedCorpus, *, kg_version: str | None = None) -> CompactGraph:
        """Lay a linked corpus out as the graph described in :mod:`kg.graph`, made by
        ``kg_version`` (default: this kg's version)."""
        if kg_version is None:
            from . import __version__  # the package imports this module
            kg_version = __version__
        slug = {name: e.id for name, e in linked.entities.items()}
        # one string per node id, shared by every edge that names it
        node = {name: entity_node(e.id) for name, e in linked.entities.items()}

        def node_of(name: str, pnode: str) -> str:
            return pnode if name == PAPER else node[name]

        entities = {node[name]: {"kind": "entity", "type": e.type, "label": e.name, "slug": e.id,
                                        "aliases": sorted(e.aliases), "papers": sorted(e.papers),
                                        "mention_count": e.mention_count,
                                        "confidence": e.type_votes.get(e.type, 1.0)}
                    for name, e in sorted(linked.entities.items(), key=lambda kv: kv[1].id)}
        evidence: dict[tuple[str, str, str], list[EvidenceTuple]] = defaultdict(list)
        mentions: dict[str, tuple[tuple[str, int], ...]] = {}
        pnodes = {}
        paper_of: dict[str, Paper] = {}
        results = []  # with each paper's id, to be sorted by it
        # one reading of the papers: a large corpus's linked papers are rewritten as they are read
        for x in linked.extractions:
            pid = x.paper.id
            pnode = pnodes[pid] = paper_node(pid)
            paper, text = x.paper, x.paper.text
            paper_of[pid] = paper
            mentions[pnode] = tuple(sorted(Counter(node[m.canonical] for m in x.mentions).items()))
            for name in x.proposes:
                sent = _sentence_of(x, name)
                evidence[(pnode, "proposes", node[name])].append(
                    _evidence_tuple(pid, sent[0], sent[1], sent[2], 0.9, "relations.proposes", paper, text))
            for r in x.relations:
                ev = r.evidence
                evidence[(node_of(r.head, pnode), r.type, node_of(r.tail, pnode))].append(
                    _evidence_tuple(ev.paper_id, ev.sentence, ev.start, ev.end, ev.confidence, ev.rule, paper, text))
            for r in x.results:
                if r.subject != PAPER and r.subject not in slug:
                    continue
                results.append((pid, {
                    "subject": node_of(r.subject, pnode),
                    "benchmark": node.get(r.benchmark), "metric": node.get(r.metric),
                    "value": r.value, "number": r.number, "unit": r.unit, "paper": pid,
                    "sentence": r.evidence.sentence, "rule": r.evidence.rule}))
        for r in linked.variant_relations:
            ev = r.evidence
            paper = paper_of.get(ev.paper_id)
            evidence[(node[r.head], r.type, node[r.tail])].append(
                _evidence_tuple(ev.paper_id, ev.sentence, ev.start, ev.end, ev.confidence, ev.rule,
                                paper, paper.text if paper is not None else None))
        papers = {pnodes[pid]: paper_of[pid] for pid in sorted(paper_of)}
        relations = {}
        while evidence:  # emptied as it goes: at a million papers each copy held is gigabytes
            key, evs = evidence.popitem()
            unique = {_evidence_key(e): e for e in evs}.values()
            relations[key] = tuple(sorted(unique, key=lambda e: (e[0], e[2], e[5])))
        results.sort(key=lambda pr: pr[0])  # stable: a paper's results keep their order
        results = [r for _, r in results]
        return cls({"kg_version": kg_version, "results": results}, papers, entities, mentions, relations)

    def paper_records(self) -> list[Paper]:
        """The papers, as the build read them, in node order."""
        return list(self._papers.values())

    # --- what networkx answers ----------------------------------------------------------------
    def __iter__(self) -> Iterator[str]:
        yield from self._papers
        yield from self._entities

    def __contains__(self, node: object) -> bool:
        return node in self._papers or node in self._entities

    def __len__(self) -> int:
        return len(self._papers) + len(self._entities)

    def number_of_nodes(self) -> int:
        return len(self)

    def number_of_edges(self) -> int:
        return self._n_edges

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def node_attrs(self, node: str) -> dict[str, Any]:
        """The attributes of ``node`` (a new dictionary each time; KeyError for no such node)."""
        p = self._papers.get(node)
        if p is not None:
            return _paper_attrs(p)
        return dict(self._entities[node])

    @staticmethod
    def edge_attrs(key: str, payload: Any) -> dict[str, Any]:
        if key == "mentions":
            return {"type": "mentions", "count": payload}
        return {"type": key, "evidence": [evidence_dict(e) for e in payload],
                "papers": sorted({e[0] for e in payload}), "confidence": max(e[4] for e in payload)}

    def out_entries(self, node: str) -> tuple[tuple[str, str, Any], ...]:
        """``(target, key, payload)`` of each edge from ``node``, in networkx's order."""
        if node not in self:
            raise nx.NetworkXError(f"The node {node} is not in the graph.")
        return self._out.get(node, ())

    def predecessors_of(self, node: str) -> list[str]:
        """The nodes with an edge to ``node``, in networkx's order (by the edge added first)."""
        if node not in self:
            raise nx.NetworkXError(f"The node {node} is not in the graph.")
        return self._incoming()[0].get(node, [])

    def _incoming(self) -> tuple[dict[str, list[str]], Counter]:
        """Each node's predecessors and its number of incoming edges; worked out once.

        networkx orders a node's predecessors by the edge that first joined them, and the
        "mentions" edges were added first: so the heads of its "mentions" edges, by id, then
        the other heads of relations, by id."""
        if self._in is None:
            by_mention: dict[str, list[str]] = defaultdict(list)
            by_relation: dict[str, list[str]] = defaultdict(list)
            counts: Counter = Counter()
            for u, entries in self._out.items():  # by id (see _adjacency)
                mentioned = None
                for v, k, _payload in entries:  # grouped by target, "mentions" first
                    counts[v] += 1
                    if k == "mentions":
                        by_mention[v].append(u)
                        mentioned = v
                    elif v != mentioned and (not by_relation[v] or by_relation[v][-1] != u):
                        by_relation[v].append(u)
            preds = {v: by_mention.get(v, []) + by_relation.get(v, []) for v in set(by_mention) | set(by_relation)}
            self._in = (preds, counts)
        return self._in

    def out_edges(self, node: str | None = None, keys: bool = False, data: bool = False) -> list[tuple]:
        if node is None:
            return list(self.edges(keys=keys, data=data))
        return [_edge(node, v, k, payload, keys, data) for v, k, payload in self.out_entries(node)]

    def in_edges(self, node: str, keys: bool = False, data: bool = False) -> list[tuple]:
        return [_edge(u, node, k, payload, keys, data) for u in self.predecessors_of(node)
                for v, k, payload in self._out[u] if v == node]

    def degree(self, node: str) -> int:
        """Edges in and out of ``node`` (a loop counts twice, as in networkx)."""
        return len(self.out_entries(node)) + self._incoming()[1][node]

    def copy(self) -> nx.MultiDiGraph:
        """The networkx graph (as :meth:`to_networkx`)."""
        return self.to_networkx()

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a networkx MultiDiGraph, nodes and edges added in the order that gives
        the same iteration order as this graph's."""
        g = nx.MultiDiGraph()
        g.graph.update(self.graph)
        for n in self:
            g.add_node(n, **self.node_attrs(n))
        entries = [(u, v, k, payload) for u, es in self._out.items() for v, k, payload in es]
        for u, v, k, payload in sorted(entries, key=lambda e: (e[2] != "mentions", e[0], e[2], e[1])):
            g.add_edge(u, v, key=k, **self.edge_attrs(k, payload))
        return g


def _adjacency(mentions: dict[str, tuple[tuple[str, int], ...]],
               relations: dict[tuple[str, str, str], tuple[EvidenceTuple, ...]]) -> dict[str, tuple[tuple[str, str, Any], ...]]:
    """Each node's outgoing edges, ``(target, key, payload)``, in networkx's order for the graph
    :func:`kg.graph.build_graph` made: the "mentions" edges were added first, sorted, then the
    relations sorted by head, type and tail; a node's targets come in the order their first edge
    was added, each with its keys in the order they were added. ``mentions`` and ``relations``
    are emptied as they are laid out."""
    by_head: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)
    for key in sorted(relations):
        by_head[key[0]].append((key[2], key[1], relations.pop(key)))
    out = {}
    for u in sorted(set(mentions) | set(by_head)):
        entries = [(v, "mentions", n) for v, n in mentions.pop(u, ())] + by_head.pop(u, [])
        first: dict[str, int] = {}
        for i, (v, _k, _payload) in enumerate(entries):
            first.setdefault(v, i)
        entries.sort(key=lambda e: first[e[0]])  # stable: keys stay in the order they were added
        out[u] = tuple(entries)
    return out


def _edge(u: str, v: str, k: str, payload: Any, keys: bool, data: bool) -> tuple:
    out: tuple = (u, v)
    if keys:
        out += (k,)
    if data:
        out += (CompactGraph.edge_attrs(k, payload),)
    return out


class _Nodes(Mapping):
    """``graph.nodes``: node -> attributes; ``graph.nodes(data=True)`` gives ``(node, attributes)``."""

    def __init__(self, g: CompactGraph):
        self._g = g

    def __getitem__(self, node: str) -> dict[str, Any]:
        return self._g.node_attrs(node)

    def __iter__(self) -> Iterator[str]:
        return iter(self._g)

    def __len__(self) -> int:
        return len(self._g)

    def __contains__(self, node: object) -> bool:
        return node in self._g

    def __call__(self, data: bool = False) -> Iterator:
        if not data:
            return iter(self._g)
        return ((n, self._g.node_attrs(n)) for n in self._g)


def node_kinds(graph: Any, kind_of: Callable[[str, dict], str]) -> Mapping[str, str]:
    """Each node's kind ("paper" or "entity"): a CompactGraph's own :attr:`CompactGraph.kinds`,
    which it answers without building a node's attributes (a million papers' dictionaries);
    for any other graph, ``kind_of(node, attributes)`` of each node.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:p1", kind="paper"); g.add_node("entity:DPO", kind="entity")
    >>> dict(node_kinds(g, lambda node, data: data["kind"]))
    {'paper:p1': 'paper', 'entity:DPO': 'entity'}
    """
    if isinstance(graph, CompactGraph):
        return graph.kinds
    return {node: kind_of(node, data) for node, data in graph.nodes(data=True)}


class _Kinds(Mapping):
    """``graph.kinds``: node -> its ``kind`` attribute, from where the graph keeps the node."""

    def __init__(self, g: CompactGraph):
        self._papers, self._entities, self._g = g._papers, g._entities, g

    def __getitem__(self, node: str) -> str:
        if node in self._papers:
            return "paper"
        if node in self._entities:
            return "entity"
        raise KeyError(node)

    def __iter__(self) -> Iterator[str]:
        return iter(self._g)

    def __len__(self) -> int:
        return len(self._g)


class _Edges:
    """``graph.edges``: ``graph.edges[u, v, key]`` is an edge's attributes, ``graph.edges(keys=True,
    data=True)`` every edge in networkx's order."""

    def __init__(self, g: CompactGraph):
        self._g = g

    def __call__(self, keys: bool = False, data: bool = False) -> Iterator[tuple]:
        """Every edge, one at a time (a list of them all would hold a second copy of the graph)."""
        g = self._g
        return (edge for u in g for edge in g.out_edges(u, keys=keys, data=data))

    def __iter__(self) -> Iterator[tuple]:
        return self(keys=True)  # as networkx's view of a multigraph's edges: (u, v, key)

    def __len__(self) -> int:
        return self._g.number_of_edges()

    def __getitem__(self, edge: tuple[str, str, str]) -> dict[str, Any]:
        u, v, k = edge
        for target, key, payload in self._g.out_entries(u):
            if target == v and key == k:
                return CompactGraph.edge_attrs(k, payload)
        raise KeyError(f"no edge {u} -> {v} ({k})")


class _Adjacency(Mapping):
    """``graph.succ`` / ``graph.pred``: node -> {neighbour: {key: attributes}}."""

    def __init__(self, g: CompactGraph, incoming: bool):
        self._g = g
        self._incoming = incoming

    def __getitem__(self, node: str) -> Mapping:
        if node not in self._g:
            raise KeyError(node)
        return _Neighbours(self._g, node, self._incoming)

    def __iter__(self) -> Iterator[str]:
        return iter(self._g)

    def __len__(self) -> int:
        return len(self._g)


class _Neighbours(Mapping):
    """The neighbours of one node, each mapped to its edges' keys and attributes."""

    def __init__(self, g: CompactGraph, node: str, incoming: bool):
        self._g = g
        self._node = node
        self._incoming = incoming
        self._by_target: dict[str, dict[str, Any]] | None = None
        if incoming:
            self._order = g.predecessors_of(node)
        else:  # each target's edges, grouped once: an entity can have thousands of targets
            self._by_target = {}
            for v, k, payload in g.out_entries(node):
                self._by_target.setdefault(v, {})[k] = payload
            self._order = list(self._by_target)
        self._members = set(self._order)

    def _keys(self, other: str) -> dict[str, Any]:
        if self._by_target is not None:
            found = self._by_target.get(other)
        else:
            found = {k: payload for target, k, payload in self._g.out_entries(other) if target == self._node}
        if not found:
            raise KeyError(other)
        return found

    def __getitem__(self, other: str) -> Mapping:
        return _Keys(self._keys(other))

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, other: object) -> bool:
        return other in self._members


class _Keys(Mapping):
    """The edges between two nodes: key -> attributes (built when read)."""

    def __init__(self, payloads: dict[str, Any]):
        self._payloads = payloads

    def __getitem__(self, key: str) -> dict[str, Any]:
        return CompactGraph.edge_attrs(key, self._payloads[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._payloads)

    def __len__(self) -> int:
        return len(self._payloads)
