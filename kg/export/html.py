"""``graph.html``: a single self-contained, offline page to explore the knowledge graph.

The page is one file: vis-network's standalone build (shipped in ``kg/export/static``), the
viewer's own JavaScript and CSS, and the graph data are all inlined, and a Content Security
Policy forbids every network request, so it opens from disk with no network at all.

What the page shows is decided in Python by :func:`select_view` (pure, testable):

* by default the ``max_nodes`` most connected entities (connected = number of distinct
  neighbours, papers included), with a note saying so when the graph has more;
* with ``focus``, the entity (matched by node id, name or alias, case-insensitively) and the
  entities within ``hops`` relation edges of it, nearest first;
* the papers linked to the shown entities (at most ``max_nodes`` of them, most linked first),
  hidden behind a toggle in the page.

Positions are computed here, so the browser never runs a long physics simulation (physics
starts off and is a toggle): a seeded networkx spring layout of the linked entities (of the
``LAYOUT_CORE`` best-ranked ones in larger views, the others placed around a neighbour), dots
then pushed apart where they overlap; unlinked entities on a spiral around it; papers next to
their entities. The same graph and arguments give a byte-identical page.

A view that is a slice of a larger graph opens as an overview: the shown entities are grouped
into communities (:func:`communities`: seeded Louvain over their relations and shared papers),
laid out apart from each other, and each community of three or more is drawn as one node
labelled with its best-ranked names; a click expands it, and a toggle regroups them.

A benchmark's or dataset's panel opens with its leaderboard (:mod:`kg.leaderboard`) and, when
its results span two years or more, an inline SVG chart of the best value by year; a metric's
panel lists the benchmarks it is reported on.

Safety: every text from abstracts and titles reaches the page only as JSON inside a
``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped,
and the viewer builds the DOM with ``textContent`` (never ``innerHTML``); links are made only
from ``http(s)`` URLs.

Test hook: the page sets ``window.kgView``, with ``ready`` (true after the network's first
draw; ``readyTime`` is then ``performance.now()`` in ms), ``select(nodeId)`` (select a node
and open its side panel; returns false for an id not in the view), ``search(text)`` (what the
search box does on Enter; returns the chosen node id or null), ``domPosition(nodeId)`` (the
node's position in CSS pixels relative to the network's canvas, from ``network.canvasToDOM``),
``setTypeVisible(type, on)``, ``setRelationVisible(type, on)``, ``setPapersVisible(on)``,
``setPhysics(on)``, ``visibleNodeIds()``, ``clusters()`` (the community clusters drawn),
``expand(clusterId)``, ``setGrouped(on)``, ``showEdge(edgeId)`` (an edge's evidence in the
panel), ``error`` (set if drawing failed) and ``network`` (the vis.Network).
"""
from __future__ import annotations

import difflib
import json
import math
import random
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from ..compact_graph import node_kinds
from ..io import atomic_write
from ..model import ENTITY_TYPES, RELATION_TYPES, doi_url

__all__ = ["DEFAULT_MAX_NODES", "ViewSelection", "select_view", "communities", "render_html", "write_html",
           "find_mentions", "TYPE_COLORS", "RELATION_STYLES"]

#: Entities shown when no ``max_nodes`` is given: readable at once, fast to draw.
DEFAULT_MAX_NODES = 300
#: At most this many (linked) entities get the spring layout (networkx's dense solver, under a
#: second; its sparse one takes 3 s at 500 nodes and 14 s at 2,000); the rest are placed
#: breadth-first around a placed neighbour.
LAYOUT_CORE = 400
#: Typical distance in pixels between a node and its nearest neighbour in the layout.
NODE_SPACING = 50.0
#: Weight of "mentioned by the same paper" in the layout, shared among the paper's entities.
CO_MENTION = 0.6
#: Views of at most this many entities show every label at once.
SMALL_VIEW = 80
#: At most this many best-ranked entities get "headline" labels, readable when zoomed out.
HEADLINES = 30
#: Per relation, the evidence sentences put in the page (best confidence first).
MAX_EVIDENCE = 3
#: Per entity, the papers listed in its side panel (most recent first).
MAX_PAPERS_LISTED = 20
#: Per entity, relations to entities outside the view listed in its panel (all in-view ones are).
MAX_OFFVIEW_RELATIONS = 8
#: Per entity, results listed in its panel.
MAX_RESULTS = 20
#: Per benchmark or dataset, leaderboard rows shown in its panel.
MAX_BOARD_ROWS = 25
#: Above this many drawn edges, edges are hidden while zooming too.
LARGE_EDGES = 3000
#: A community of at least this many shown entities is drawn as one cluster in the overview.
MIN_COMMUNITY = 3
#: Names a cluster's label gives (its best-ranked members).
COMMUNITY_LABEL_NAMES = 3

STATIC = Path(__file__).with_name("static")

#: Entity type -> colour (Tableau 10 hues: distinct, colour-blind tolerant, fine on white).
TYPE_COLORS: dict[str, str] = {
    "Method": "#4E79A7",
    "Model": "#F28E2B",
    "Dataset": "#59A14F",
    "Benchmark": "#E15759",
    "Task": "#B07AA1",
    "Metric": "#3D9A94",
    "Paper": "#8795A6",
}
_EXTRA_COLORS = ("#9C755F", "#EDC948", "#FF9DA7", "#BAB0AC", "#76B7B2")

#: Relation type -> edge style: colour, dash pattern (False = solid), width.
RELATION_STYLES: dict[str, dict[str, Any]] = {
    "proposes": {"color": "#2D3748", "dashes": False, "width": 1.8},
    "uses": {"color": "#7B8794", "dashes": False, "width": 1.2},
    "evaluatedOn": {"color": "#E15759", "dashes": [6, 4], "width": 1.4},
    "trainedOn": {"color": "#59A14F", "dashes": [6, 4], "width": 1.4},
    "basedOn": {"color": "#4E79A7", "dashes": False, "width": 1.4},
    "variantOf": {"color": "#4E79A7", "dashes": [2, 4], "width": 1.4},
    "outperforms": {"color": "#F28E2B", "dashes": False, "width": 2.2},
    "addresses": {"color": "#B07AA1", "dashes": [8, 3, 2, 3], "width": 1.4},
    "measuredBy": {"color": "#3D9A94", "dashes": [2, 4], "width": 1.4},
    "mentions": {"color": "#CBD2D9", "dashes": False, "width": 0.6},
}
_OTHER_RELATION = {"color": "#A0AEC0", "dashes": [4, 4], "width": 1.0}

_URL_RE = re.compile(r"^https?://", re.IGNORECASE)


# --------------------------------------------------------------------------- selection

@dataclass(frozen=True)
class ViewSelection:
    """Which part of a graph a page shows, and why.

    ``entities`` and ``papers`` are node ids in display priority (best first); ``edges`` are
    ``(head, tail, key)`` triples between shown nodes; ``note`` is the sentence the page
    shows when the view is a slice (``None`` when everything is shown).
    """

    entities: tuple[str, ...]
    papers: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]
    total_entities: int
    total_papers: int
    truncated: bool
    note: str | None
    focus: str | None = None
    hops: int = 1
    max_nodes: int | None = DEFAULT_MAX_NODES

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.entities + self.papers


def _kind(node: str, data: dict) -> str:
    kind = data.get("kind")
    if kind in ("entity", "paper"):
        return kind
    return "paper" if str(node).startswith("paper:") or data.get("type") == "Paper" else "entity"


def _label(node: str, data: dict) -> str:
    label = data.get("label") or data.get("title") or data.get("name")
    return str(label) if label else str(node).split(":", 1)[-1]


def _aliases(data: dict) -> list[str]:
    aliases = data.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [aliases]
    return [str(a) for a in aliases if a]


def _n_papers(data: dict) -> int:
    papers = data.get("papers")
    return len(papers) if isinstance(papers, (list, tuple, set, frozenset)) else 0


def _fmt(n: int) -> str:
    return f"{n:,}"


def _plural(n: int, word: str) -> str:
    return f"{_fmt(n)} {word}{'' if n == 1 else 's'}"


def _entities(n: int) -> str:
    return f"{_fmt(n)} {'entity' if n == 1 else 'entities'}"


def _connectedness(graph: nx.MultiDiGraph, node: str) -> int:
    """Distinct neighbours, in either direction (papers included)."""
    neighbours = set(graph.pred[node]) | set(graph.succ[node])
    neighbours.discard(node)
    return len(neighbours)


def _rank_key(graph: nx.MultiDiGraph, node: str) -> tuple:
    data = graph.nodes[node]
    return (-_connectedness(graph, node), -_n_papers(data), -int(data.get("mention_count") or 0),
            _label(node, data).casefold(), str(node))


def _resolve_focus(graph: nx.MultiDiGraph, focus: str) -> str:
    """The node ``focus`` names: a node id (with or without its ``entity:``/``paper:`` prefix),
    a name or an alias, case-insensitively. Raises ValueError with close matches."""
    query = focus.strip().casefold()
    by_id, by_label, by_alias = [], [], []
    for node, data in graph.nodes(data=True):
        node_s = str(node)
        if query in (node_s.casefold(), node_s.split(":", 1)[-1].casefold()):
            by_id.append(node)
        elif _label(node, data).casefold() == query:
            by_label.append(node)
        elif any(a.casefold() == query for a in _aliases(data)):
            by_alias.append(node)
    for found in (by_id, by_label, by_alias):
        if found:
            # an entity before a paper of the same name, then the most connected
            return min(found, key=lambda n: (_kind(n, graph.nodes[n]) != "entity",
                                             _rank_key(graph, n)))
    names: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if _kind(node, data) != "entity":
            continue
        for name in [_label(node, data), *_aliases(data)]:
            names.setdefault(name.casefold(), name)
    close = difflib.get_close_matches(query, sorted(names), n=5, cutoff=0.6)
    hint = ("close matches: " + ", ".join(names[c] for c in close)) if close else "no close matches"
    raise ValueError(f"no entity named {focus!r} in the graph ({hint})")


def _relation_neighbours(graph: nx.MultiDiGraph, node: str, kinds: dict[str, str]) -> set[str]:
    """Entities linked to ``node`` by a relation (``mentions`` excluded, except from a paper)."""
    out: set[str] = set()
    from_paper = kinds[node] == "paper"
    for other, keys in graph.succ[node].items():
        if kinds[other] == "entity" and (from_paper or any(k != "mentions" for k in keys)):
            out.add(other)
    for other, keys in graph.pred[node].items():
        if kinds[other] == "entity" and any(k != "mentions" for k in keys):
            out.add(other)
    out.discard(node)
    return out


def select_view(graph: nx.MultiDiGraph, *, max_nodes: int | None = DEFAULT_MAX_NODES,
                focus: str | None = None, hops: int = 1,
                include_papers: bool = True) -> ViewSelection:
    """Choose the nodes and edges a page shows (pure: reads ``graph``, changes nothing).

    ``max_nodes`` bounds the entities shown (and, separately, the papers); ``None`` or 0
    shows all. Without ``focus``: the most connected entities. With ``focus`` (a node id,
    name or alias, case-insensitive; unknown -> ``ValueError`` listing close matches): that
    node and the entities within ``hops`` relation edges of it, nearest and then most
    connected first. Papers linked to the shown entities come with ``include_papers``.
    """
    if max_nodes is not None and max_nodes < 0:
        raise ValueError("max_nodes must be >= 0 (0 or None: no limit)")
    if hops < 0:
        raise ValueError("hops must be >= 0")
    budget = max_nodes or None
    kinds = node_kinds(graph, _kind)
    all_entities = [n for n, k in kinds.items() if k == "entity"]
    all_papers = [n for n, k in kinds.items() if k == "paper"]
    n_entities, n_papers = len(all_entities), len(all_papers)

    focus_node: str | None = None
    focus_paper: str | None = None
    notes: list[str] = []
    truncated = False
    if focus is None:
        ranked = sorted(all_entities, key=lambda n: _rank_key(graph, n))
        entities = ranked[:budget] if budget else ranked
        if len(entities) < n_entities:
            truncated = True
            notes.append(f"showing the {_fmt(len(entities))} most connected of "
                         f"{_fmt(n_entities)} entities; use kg view GRAPH --focus ENTITY "
                         f"--hops N or --max-nodes N for other slices")
    else:
        focus_node = _resolve_focus(graph, focus)
        # breadth-first over relation edges; distance decides priority, then rank
        dist = {focus_node: 0}
        queue = deque([focus_node])
        while queue:
            node = queue.popleft()
            if dist[node] >= hops:
                continue
            for other in sorted(_relation_neighbours(graph, node, kinds)):
                if other not in dist:
                    dist[other] = dist[node] + 1
                    queue.append(other)
        if kinds[focus_node] == "paper":
            focus_paper = focus_node
        reached = [n for n in dist if kinds[n] == "entity"]
        reached.sort(key=lambda n: (dist[n], _rank_key(graph, n)))
        entities = reached[:budget] if budget else reached
        label = _label(focus_node, graph.nodes[focus_node])
        within = f"within {_plural(hops, 'hop')} of {label}"
        if len(entities) < len(reached):
            truncated = True
            notes.append(f"showing the {_fmt(len(entities))} entities nearest to {label} (of "
                         f"{_fmt(len(reached))} {within}; {_fmt(n_entities)} in all); "
                         f"use --max-nodes N to show more")
        else:
            notes.append(f"showing {_entities(len(entities))} {within} "
                         f"({_fmt(n_entities)} in all)")

    shown = set(entities)
    papers: list[str] = []
    if include_papers or focus_paper:
        links: dict[str, int] = {}
        for node in entities:
            for other in set(graph.pred[node]) | set(graph.succ[node]):
                if kinds[other] == "paper":
                    links[other] = links.get(other, 0) + 1
        def paper_key(p: str) -> tuple:
            year = graph.nodes[p].get("year")
            year = year if isinstance(year, int) else -1
            return (p != focus_paper, -links.get(p, 0), -year, str(p))
        candidates = sorted(links if include_papers else (), key=paper_key)
        if focus_paper and focus_paper not in candidates:
            candidates.insert(0, focus_paper)
        papers = candidates[:budget] if budget else candidates
        if len(papers) < len(candidates):
            truncated = True
            notes.append(f"{_fmt(len(papers))} of the {_fmt(len(candidates))} linked papers")
    nodes = shown | set(papers)
    edges = sorted((u, v, str(k)) for u, v, k in graph.edges(keys=True)
                   if u in nodes and v in nodes)
    return ViewSelection(
        entities=tuple(entities), papers=tuple(papers), edges=tuple(edges),
        total_entities=n_entities, total_papers=n_papers, truncated=truncated,
        note="; ".join(notes) if notes else None, focus=focus_node, hops=hops,
        max_nodes=budget)


# --------------------------------------------------------------------------- layout

def _layout_graph(graph: nx.MultiDiGraph, sel: ViewSelection) -> nx.Graph:
    """What pulls shown entities together: their relations (weight 1) and, more weakly, the
    papers that mention both (``CO_MENTION`` split over the paper's entities)."""
    entities = set(sel.entities)
    weights: dict[tuple[str, str], float] = {}
    for u, v, key in sel.edges:
        if u != v and u in entities and v in entities and key != "mentions":
            weights[(u, v) if u < v else (v, u)] = 1.0
    by_paper: dict[str, list[str]] = {}
    for node in sel.entities:
        for p in graph.nodes[node].get("papers") or ():
            by_paper.setdefault(str(p), []).append(node)
    for members in by_paper.values():
        k = len(members)
        if k < 2 or k > 40:
            continue
        w = CO_MENTION / (k - 1)
        for i in range(k):
            for j in range(i + 1, k):
                u, v = members[i], members[j]
                pair = (u, v) if u < v else (v, u)
                weights[pair] = min(1.0, weights.get(pair, 0.0) + w)
    lay = nx.Graph()
    lay.add_nodes_from(sel.entities)
    lay.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return lay


def _spread(raw: dict, nodes: list[str], target: float) -> dict[str, tuple[float, float]]:
    """Scale spring-layout output so that the median nearest-neighbour distance is ``target``
    pixels (spring layout returns a unit box whatever the node count)."""
    import numpy as np

    xy = np.array([raw[n] for n in nodes], dtype=float)
    if len(nodes) < 2:
        return {n: (0.0, 0.0) for n in nodes}
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    nearest = float(np.median(d.min(axis=1)))
    factor = target / nearest if nearest > 1e-9 else target
    return {n: (float(x) * factor, float(y) * factor) for n, (x, y) in zip(nodes, xy)}


def _node_size(data: dict) -> float:
    """A dot's radius in pixels: grows with the square root of the entity's paper count."""
    return round(min(42.0, 8.0 + 5.0 * math.sqrt(_n_papers(data))), 1)


def _headline_count(n_entities: int) -> int:
    """How many of the best-ranked entities get headline labels, readable when zoomed out."""
    return min(HEADLINES, max(3, n_entities // 8))


def _footprint(graph: nx.MultiDiGraph, sel: ViewSelection) -> dict[str, float]:
    """The room a shown entity needs around its centre: its dot and, for headline entities
    (every entity in a small view), half its label's width, so that labels do not overlap."""
    out = {}
    n = len(sel.entities)
    for rank, node in enumerate(sel.entities):
        data = graph.nodes[node]
        size = _node_size(data)
        headline = rank < _headline_count(n)
        if headline or n <= SMALL_VIEW:  # small views show every label
            font = 26.0 if headline else 18.0  # (about their size in layout pixels)
            size = max(size, 0.3 * font * min(len(_label(node, data)), 40))
        out[node] = size
    return out


def _separate(pos: dict, nodes: list[str], radius: dict[str, float], seed: int,
              gap: float = 16.0, rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Push apart dots that overlap (or nearly: ``gap`` leaves room for a label), keeping the
    layout's shape; spring layouts pile big, well-linked entities into the middle."""
    import numpy as np

    if len(nodes) < 2:
        return pos
    xy = np.array([pos[n] for n in nodes], dtype=float)
    r = np.array([radius[n] for n in nodes], dtype=float)
    need = r[:, None] + r[None, :] + gap
    np.fill_diagonal(need, 0.0)
    jitter = np.random.default_rng(seed).normal(scale=1e-3, size=xy.shape)
    xy += jitter  # no two points exactly equal
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        short = np.clip(need - dist, 0.0, None)
        if not short.any():
            break
        push = (delta / dist[..., None]) * (short / 2.0)[..., None]
        xy += push.sum(axis=1) * 0.5
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def _component_layout(lay: nx.Graph, comp: list[str], footprint: dict[str, float],
                      seed: int) -> dict[str, tuple[float, float]]:
    """One connected component, centred on (0, 0)."""
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    # (not lay.subgraph: a subgraph view may iterate its nodes in set order, which changes
    # with PYTHONHASHSEED, and so would the layout)
    members = set(comp)
    sub = nx.Graph()
    sub.add_nodes_from(comp)
    sub.add_edges_from((u, v, d) for u, v, d in lay.edges(comp, data=True) if v in members)
    if len(comp) == 2:
        raw = {comp[0]: (-1.0, 0.0), comp[1]: (1.0, 0.0)}
    else:
        iterations = 50 if len(comp) <= 10 else 150 if len(comp) <= 150 else 60
        raw = nx.spring_layout(sub, k=2.2 / math.sqrt(len(comp)), seed=seed,
                               iterations=iterations, weight="weight")
    pos = _separate(_spread(raw, comp, NODE_SPACING), comp, footprint, seed)
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    return {n: (x - cx, y - cy) for n, (x, y) in pos.items()}


def _pack_components(lay: nx.Graph, nodes: list[str], footprint: dict[str, float],
                     seed: int) -> dict[str, tuple[float, float]]:
    """Lay out each connected component of ``lay`` restricted to ``nodes``, then pack the
    components (largest first) along a spiral around the first, each where it overlaps none
    placed before (spring layout alone pushes small components and lone nodes far away)."""
    import numpy as np

    members = set(nodes)
    rank = {n: i for i, n in enumerate(nodes)}
    seen: set[str] = set()
    comps: list[list[str]] = []
    for start in nodes:  # components, found in rank order (deterministic)
        if start in seen:
            continue
        comp, queue = [start], deque([start])
        seen.add(start)
        while queue:
            for other in lay[queue.popleft()]:
                if other in members and other not in seen:
                    seen.add(other)
                    comp.append(other)
                    queue.append(other)
        comps.append(sorted(comp, key=rank.__getitem__))
    comps.sort(key=lambda c: (-len(c), rank[c[0]]))
    gap = 0.5 * NODE_SPACING
    centres = np.zeros((len(comps), 2))
    radii = np.zeros(len(comps))
    pitch = NODE_SPACING / (2 * math.pi)  # the spiral: r = pitch * theta
    theta = 0.0
    pos: dict[str, tuple[float, float]] = {}
    for i, comp in enumerate(comps):
        local = _component_layout(lay, comp, footprint, seed)
        radius = max(math.hypot(x, y) + footprint.get(n, 10.0) for n, (x, y) in local.items())
        if i == 0:
            centre = (0.0, 0.0)
        else:
            while True:
                r = pitch * theta
                centre = (r * math.cos(theta), r * math.sin(theta))
                d = np.hypot(centres[:i, 0] - centre[0], centres[:i, 1] - centre[1])
                if bool(np.all(d >= radii[:i] + radius + gap)):
                    break
                theta += 0.5 * NODE_SPACING / max(r, NODE_SPACING)
        centres[i], radii[i] = centre, radius
        for n, (x, y) in local.items():
            pos[n] = (x + centre[0], y + centre[1])
    return pos


def _layout(graph: nx.MultiDiGraph, sel: ViewSelection,
            seed: int) -> dict[str, tuple[float, float]]:
    """Positions in CSS pixels for every shown node: deterministic for a seed.

    Up to ``LAYOUT_CORE`` entities (in larger views, the best-ranked linked ones): each
    connected component gets a seeded spring layout, and the components are packed around the
    largest one. The other entities: around a placed neighbour, breadth-first, or (with no
    link to any) on a spiral around the drawing. Papers: near their entities.
    """
    if not sel.nodes:
        return {}
    lay = _layout_graph(graph, sel)
    rank = {n: i for i, n in enumerate(sel.entities)}
    if len(sel.entities) <= LAYOUT_CORE:
        core = list(sel.entities)
    else:
        core = [n for n in sel.entities if lay.degree(n) > 0][:LAYOUT_CORE]
    pos = _pack_components(lay, core, _footprint(graph, sel), seed) if core else {}
    rng = random.Random(seed)
    golden = math.pi * (3 - math.sqrt(5))
    children: dict[str, int] = {}
    queue = deque(core)
    while queue:  # the rest of the linked entities, around the neighbour that reached them
        parent = queue.popleft()
        px, py = pos[parent]
        for child in sorted(lay[parent], key=rank.__getitem__):
            if child in pos:
                continue
            i = children.get(parent, 0)
            children[parent] = i + 1
            r = 0.6 * NODE_SPACING + 0.3 * NODE_SPACING * math.sqrt(i)
            a = i * golden + rng.random() * 0.5
            pos[child] = (px + r * math.cos(a), py + r * math.sin(a))
            queue.append(child)
    rest = [n for n in sel.entities if n not in pos]
    if rest:  # entities with no link in the view: a spiral around the drawing
        if pos:
            cx = sum(x for x, _ in pos.values()) / len(pos)
            cy = sum(y for _, y in pos.values()) / len(pos)
            radius = max(math.hypot(x - cx, y - cy) for x, y in pos.values()) + NODE_SPACING
        else:
            cx = cy = radius = 0.0
        step = NODE_SPACING * NODE_SPACING * 1.2
        for i, node in enumerate(rest):
            r = math.sqrt(radius * radius + i * step)
            a = i * golden
            pos[node] = (cx + r * math.cos(a), cy + r * math.sin(a))
    shown = set(sel.entities)
    for paper in sel.papers:  # papers: near the middle of the entities they are linked to
        near = sorted({n for n in list(graph.succ[paper]) + list(graph.pred[paper]) if n in shown})
        if near:
            x = sum(pos[n][0] for n in near) / len(near)
            y = sum(pos[n][1] for n in near) / len(near)
        else:
            x = y = 0.0
        a = rng.random() * 2 * math.pi
        r = NODE_SPACING * (0.35 + 0.3 * rng.random())
        pos[paper] = (x + r * math.cos(a), y + r * math.sin(a))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


# --------------------------------------------------------------------------- page data

def _darken(color: str, factor: float = 0.72) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(int(c * factor) for c in (r, g, b)))


def _luminance(color: str) -> float:
    def ch(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def _text_on(color: str) -> str:
    """Black or white, whichever contrasts more with ``color``."""
    lum = _luminance(color)
    return "#111111" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


def _type_colors(types: Iterable[str]) -> dict[str, str]:
    colors = dict(TYPE_COLORS)
    extra = iter(_EXTRA_COLORS * 10)
    for t in sorted(set(types) - set(colors)):
        colors[t] = next(extra)
    return colors


def _relation_style(rel: str) -> dict[str, Any]:
    return RELATION_STYLES.get(rel, _OTHER_RELATION)


def _utf16(text: str, index: int) -> int:
    """A code-point offset as the UTF-16 offset JavaScript strings use."""
    prefix = text[:index]
    return index if prefix.isascii() else len(prefix.encode("utf-16-le")) // 2


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_mentions(sentence: str, names: Iterable[str]) -> list[list[int]]:
    """Spans of ``sentence`` naming any of ``names`` (case-insensitive, whole words, longest
    name first, no overlaps; names shorter than 2 characters are ignored), as ``[start, end]``
    offsets in UTF-16 code units (JavaScript string offsets), in order.

    >>> find_mentions("We fine-tune BERT and RoBERTa.", ["bert"])
    [[13, 17]]
    """
    wanted = sorted({n for n in names if n and len(n.strip()) >= 2}, key=lambda n: (-len(n), n))
    if not wanted or not sentence:
        return []
    low = sentence.lower()
    if len(low) != len(sentence):  # lower() changed lengths (rare scripts): no offsets to trust
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in sentence)
    spans: list[tuple[int, int]] = []
    for name in wanted:
        key = name.lower()
        if len(key) != len(name):
            key = "".join(c if len(c.lower()) != 1 else c.lower() for c in name)
        at = low.find(key)
        while at >= 0:
            end = at + len(key)
            if ((at == 0 or not (_is_word(low[at - 1]) and _is_word(key[0])))
                    and (end == len(low) or not (_is_word(low[end]) and _is_word(key[-1])))
                    and all(end <= s or at >= e for s, e in spans)):
                spans.append((at, end))
            at = low.find(key, at + 1)
    return [[_utf16(sentence, a), _utf16(sentence, b)] for a, b in sorted(spans)]


def _clean_url(url: Any) -> str | None:
    return url if isinstance(url, str) and _URL_RE.match(url.strip()) else None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


class _PageData:
    """Builds the JSON the viewer reads (see ``static/viewer.js`` for the reading side)."""

    def __init__(self, graph: nx.MultiDiGraph, sel: ViewSelection, seed: int) -> None:
        self.g = graph
        self.sel = sel
        self.seed = seed
        self.kinds = node_kinds(graph, _kind)
        self.shown = set(sel.nodes)
        self.shown_entities = set(sel.entities)
        self.labels: dict[str, list] = {}  # other entities the page names: [label, type]
        self.paper_info: dict[str, dict] = {}
        self.rels: list[dict] = []
        self.rel_index: dict[tuple[str, str, str], int] = {}
        types = [str(graph.nodes[n].get("type") or "Entity") for n in graph if self.kinds[n] == "entity"]
        self.colors = _type_colors(types)

    # -- small lookups
    def node_type(self, node: str) -> str:
        if self.kinds.get(node) == "paper":
            return "Paper"
        return str(self.g.nodes[node].get("type") or "Entity")

    def names(self, node: str) -> tuple[str, ...]:
        if node not in self.g or self.kinds.get(node) != "entity":
            return ()
        data = self.g.nodes[node]
        return (_label(node, data), *_aliases(data))

    def ref(self, node: str | None) -> str | None:
        """Record that the page mentions ``node`` (so the viewer can name it)."""
        if node is None:
            return None
        node = str(node)
        if self.kinds.get(node) == "paper":
            return self.paper(node)
        if node not in self.labels and node not in self.shown_entities:  # shown: in "entities"
            if node in self.g:
                self.labels[node] = [_label(node, self.g.nodes[node]), self.node_type(node)]
            else:
                self.labels[node] = [node.split(":", 1)[-1], "Entity"]
        return node

    def paper(self, paper_id: str) -> str:
        """Record a paper (by paper id or node id); returns its node id."""
        node = paper_id if str(paper_id).startswith("paper:") else f"paper:{paper_id}"
        if node not in self.paper_info:
            data = self.g.nodes[node] if node in self.g else {}
            year = data.get("year")
            info = {"title": str(data.get("title") or data.get("label") or node.split(":", 1)[-1]),
                    "year": year if isinstance(year, int) else None,
                    "url": _clean_url(data.get("url") or (doi_url(data["doi"]) if data.get("doi") else None))}
            self.paper_info[node] = info
        return node

    def relation(self, u: str, v: str, key: str) -> int:
        triple = (u, v, key)
        if triple in self.rel_index:
            return self.rel_index[triple]
        data = self.g.edges[u, v, key]
        evidence = [e for e in (data.get("evidence") or []) if isinstance(e, dict)]
        evidence.sort(key=lambda e: (-(e.get("confidence") or 0), str(e.get("paper")),
                                     str(e.get("sentence"))))
        head_names, tail_names = self.names(u), self.names(v)
        ev_out = []
        for e in evidence[:MAX_EVIDENCE]:
            sentence = str(e.get("sentence") or "")
            item: dict[str, Any] = {"s": sentence, "hh": find_mentions(sentence, head_names),
                                    "ht": find_mentions(sentence, tail_names)}
            if e.get("paper"):
                item["p"] = self.paper(str(e["paper"]))
            ev_out.append(item)
        papers = data.get("papers") or sorted(
            {str(e.get("paper")) for e in evidence if e.get("paper")})
        rel = {"h": self.ref(u), "t": self.ref(v), "type": str(data.get("type") or key),
               "ev": ev_out, "n": len(evidence), "np": len(papers)}
        if isinstance(data.get("confidence"), (int, float)):
            rel["c"] = round(float(data["confidence"]), 3)
        self.rel_index[triple] = len(self.rels)
        self.rels.append(rel)
        return self.rel_index[triple]

    # -- the parts of the payload
    def build(self, pyvis_nodes: list[dict], pyvis_edges: list[dict], options: dict,
              title: str) -> dict[str, Any]:
        g, sel = self.g, self.sel
        for node in sel.nodes:
            self.ref(node)
        entities = {node: self.entity_details(node) for node in sel.entities}
        papers_detail = {node: self.paper_details(node) for node in sel.papers}
        results = self.results()
        for node, idx in results[1].items():
            if node in entities:
                entities[node]["results"] = idx[:MAX_RESULTS]
        for node, extra in self.leaderboards().items():
            entities[node].update(extra)
        type_counts: dict[str, int] = {}
        for n, d in g.nodes(data=True):
            if self.kinds[n] == "entity":
                t = str(d.get("type") or "Entity")
                type_counts[t] = type_counts.get(t, 0) + 1
        shown_counts: dict[str, int] = {}
        for n in sel.entities:
            t = self.node_type(n)
            shown_counts[t] = shown_counts.get(t, 0) + 1
        order = [t for t in ENTITY_TYPES if t in type_counts] + sorted(
            t for t in type_counts if t not in ENTITY_TYPES)
        types = [{"name": t, "color": self.colors[t], "text": _text_on(self.colors[t]),
                  "count": type_counts[t], "shown": shown_counts.get(t, 0)} for t in order]
        rel_counts: dict[str, int] = {}
        for e in pyvis_edges:
            rel_counts[e["rel"]] = rel_counts.get(e["rel"], 0) + 1
        rel_order = [r for r in ("proposes", *RELATION_TYPES) if r in rel_counts] + sorted(
            r for r in rel_counts if r not in RELATION_TYPES and r not in ("proposes", "mentions"))
        if "mentions" in rel_counts:
            rel_order.append("mentions")
        relations = [{"name": r, **_relation_style(r), "count": rel_counts[r]} for r in rel_order]
        index = []  # entities not in the view, for the search box
        for n in sorted(g.nodes, key=str):  # ids first: every node's attributes at once are gigabytes
            if self.kinds[n] == "entity" and n not in self.shown_entities:
                d = g.nodes[n]
                item = [_label(n, d), str(d.get("type") or "Entity")]
                aliases = _aliases(d)
                if aliases:
                    item.append(aliases)
                index.append(item)
        paper_color = self.colors["Paper"]
        return {
            "meta": {"title": title, "papers": sel.total_papers, "entities": sel.total_entities,
                     "shownEntities": len(sel.entities), "shownPapers": len(sel.papers),
                     "note": sel.note, "truncated": sel.truncated, "focus": sel.focus,
                     "hops": sel.hops, "maxNodes": sel.max_nodes, "seed": self.seed,
                     "papersVisible": False, "physics": False},
            "types": types,
            "paperType": {"name": "Paper", "color": paper_color, "text": _text_on(paper_color),
                          "count": sel.total_papers, "shown": len(sel.papers)},
            "relations": relations,
            "options": options,
            "nodes": pyvis_nodes,
            "edges": pyvis_edges,
            "entities": entities,
            "paperDetails": papers_detail,
            "papers": self.paper_info,
            "labels": self.labels,
            "rels": self.rels,
            "results": results[0],
            "index": index,
        }

    def entity_details(self, node: str) -> dict[str, Any]:
        g, data = self.g, self.g.nodes[node]
        paper_ids = [str(p) for p in (data.get("papers") or [])]
        def recent(pid: str) -> tuple:
            pnode = pid if pid.startswith("paper:") else f"paper:{pid}"
            d = g.nodes[pnode] if pnode in g else {}
            year = d.get("year") if isinstance(d.get("year"), int) else -1
            return (-year, str(d.get("title") or pid).casefold(), pid)
        listed = [self.paper(p) for p in sorted(set(paper_ids), key=recent)[:MAX_PAPERS_LISTED]]
        in_view, off_view = [], []
        # (adjacency dicts: g.in_edges(...) views are slow to list on large graphs)
        incident = [(u, node, k) for u, keys in g.pred[node].items() for k in keys]
        incident += [(node, v, k) for v, keys in g.succ[node].items() for k in keys if v != node]
        for u, v, key in incident:
            if key == "mentions":
                continue
            other = v if u == node else u
            (in_view if other in self.shown else off_view).append((u, v, key))
        off_view.sort(key=lambda e: (-len(g.edges[e].get("evidence") or ()), e[2], e[0], e[1]))
        rels = [self.relation(*e) for e in sorted(in_view) + off_view[:MAX_OFFVIEW_RELATIONS]]
        details: dict[str, Any] = {
            "name": _label(node, data), "type": self.node_type(node), "aliases": _aliases(data),
            "nPapers": len(paper_ids), "papers": listed,
            "mentions": int(data.get("mention_count") or 0), "rels": rels,
            "relsMore": max(0, len(off_view) - MAX_OFFVIEW_RELATIONS)}
        if isinstance(data.get("confidence"), (int, float)):
            details["confidence"] = round(float(data["confidence"]), 3)
        return details

    def paper_details(self, node: str) -> dict[str, Any]:
        g, data = self.g, self.g.nodes[node]
        self.paper(node)
        proposes, mentions, rels = [], [], []
        for v, key in sorted((v, k) for v, keys in g.succ[node].items() for k in keys):
            if key == "proposes":
                proposes.append(self.ref(v))
            elif key == "mentions":
                if len(mentions) < 200:
                    mentions.append(self.ref(v))
            if key != "mentions":
                rels.append(self.relation(node, v, key))
        authors = [str(a) for a in (data.get("authors") or [])]
        return {"title": self.paper_info[node]["title"], "year": self.paper_info[node]["year"],
                "url": self.paper_info[node]["url"], "venue": data.get("venue") or None,
                "authors": authors[:12], "authorsMore": max(0, len(authors) - 12),
                "paperId": str(data.get("paper_id") or node.split(":", 1)[-1]),
                "proposes": proposes, "mentions": mentions, "rels": rels}

    def leaderboards(self) -> dict[str, dict[str, Any]]:
        """Per shown benchmark or dataset, its leaderboard (``board``: rank, subject, metric, value,
        year, paper, direction; and ``chart``: the best value by year of its most reported ranked
        metric); per shown metric, the benchmarks it is reported on (``reportedOn``)."""
        from ..leaderboard import rank_results

        on: dict[str, list[dict]] = {}
        by_metric: dict[str, dict[str, int]] = {}
        for r in self.g.graph.get("results") or []:
            if not isinstance(r, dict) or not r.get("benchmark"):
                continue
            if r["benchmark"] in self.shown_entities:
                on.setdefault(r["benchmark"], []).append(r)
            if r.get("metric") in self.shown_entities:
                counts = by_metric.setdefault(r["metric"], {})
                counts[r["benchmark"]] = counts.get(r["benchmark"], 0) + 1
        out: dict[str, dict[str, Any]] = {}
        for node, results in on.items():
            years = {p: self.paper_info_year(p) for p in sorted({str(r["paper"]) for r in results if r.get("paper")})}
            rows = rank_results([{**r, "metric": (self.names(r["metric"]) or (str(r["metric"]),))[0]
                                  if r.get("metric") else None} for r in results], years)
            board = [{"r": row.rank, "s": self.ref(row.subject) if row.subject != "PAPER" else None,
                      "m": row.metric, "v": row.value, "y": row.year, "d": row.direction,
                      "p": self.paper(row.paper) if row.paper else None} for row in rows[:MAX_BOARD_ROWS]]
            ranked = [row for row in rows if row.rank is not None and row.year is not None]
            groups: dict[tuple, list] = {}
            for row in ranked:
                groups.setdefault((row.metric, row.unit), []).append(row)
            extra: dict[str, Any] = {"board": board, "boardMore": max(0, len(rows) - MAX_BOARD_ROWS)}
            if groups:
                (metric, unit), members = max(groups.items(), key=lambda kv: (len(kv[1]), str(kv[0])))
                best: dict[int, float] = {}
                for row in members:
                    y, v = int(row.year), float(row.number)
                    if y not in best or (v > best[y] if row.direction == "higher" else v < best[y]):
                        best[y] = v
                if len(best) >= 2:
                    extra["chart"] = {"metric": metric, "unit": unit, "direction": members[0].direction,
                                      "points": sorted([y, v] for y, v in best.items())}
            out[node] = extra
        for node, counts in by_metric.items():
            out.setdefault(node, {})["reportedOn"] = [
                [self.ref(b), n] for b, n in sorted(counts.items(), key=lambda bn: (-bn[1], str(bn[0])))][:MAX_RESULTS]
        return out

    def paper_info_year(self, paper_id: str) -> int | None:
        return self.paper_info[self.paper(paper_id)]["year"]

    def results(self) -> tuple[list[dict], dict[str, list[int]]]:
        out: list[dict] = []
        by_node: dict[str, list[int]] = {}
        for r in self.g.graph.get("results") or []:
            if not isinstance(r, dict):
                continue
            involved = [r.get(k) for k in ("subject", "benchmark", "metric")]
            hits = [n for n in dict.fromkeys(involved)
                    if n in self.shown_entities and len(by_node.get(n, ())) < MAX_RESULTS]
            if not hits:  # involves no shown entity, or only ones whose list is full
                continue
            sentence = str(r.get("sentence") or "")
            item: dict[str, Any] = {
                "s": self.ref(r.get("subject")), "b": self.ref(r.get("benchmark")),
                "m": self.ref(r.get("metric")), "v": str(r.get("value") or ""), "sent": sentence}
            if r.get("paper"):
                item["p"] = self.paper(str(r["paper"]))
            marks = {}
            for k, n in zip(("s", "b", "m"), involved):
                if n:
                    marks[k] = find_mentions(sentence, self.names(str(n)))
            item["hl"] = marks
            for n in hits:
                by_node.setdefault(n, []).append(len(out))
            out.append(item)
        return out, by_node


def communities(graph: nx.MultiDiGraph, sel: ViewSelection, seed: int = 42) -> list[list[str]]:
    """The communities of the shown entities, for the overview of a view that is a slice of a
    larger graph: Louvain (seeded) over the relations between them and the papers that mention
    them together; each community in display order (best-ranked member first), the communities
    by size, then by their best member. Empty for a focus view or a view of the whole graph.

    >>> from kg.export.rdf import sample_graph
    >>> g = sample_graph()
    >>> groups = communities(g, select_view(g, max_nodes=6))
    >>> all(len(c) >= 1 for c in groups), sum(map(len, groups))
    (True, 6)
    """
    if sel.focus is not None or not sel.truncated or len(sel.entities) < 2 * MIN_COMMUNITY:
        return []
    shown = set(sel.entities)
    rank = {n: i for i, n in enumerate(sel.entities)}
    weights: dict[tuple[str, str], float] = {}
    for u in sel.entities:
        for v, keys in graph.succ[u].items():
            if v in shown and v != u:
                pair = (u, v) if rank[u] < rank[v] else (v, u)
                weights[pair] = weights.get(pair, 0.0) + sum(1 for k in keys if k != "mentions")
    for paper in (n for n, d in graph.nodes(data=True) if _kind(n, d) == "paper"):
        members = sorted((v for v in graph.succ[paper] if v in shown), key=rank.__getitem__)
        if 2 <= len(members) <= 40:  # a paper naming everything says little about any pair
            share = CO_MENTION / (len(members) - 1)
            for i, u in enumerate(members):
                for v in members[i + 1:]:
                    weights[(u, v)] = weights.get((u, v), 0.0) + share
    g = nx.Graph()
    g.add_nodes_from(sel.entities)
    g.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()) if w > 0)
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    groups = [sorted(c, key=rank.__getitem__) for c in found]
    return sorted(groups, key=lambda c: (-len(c), rank[c[0]]))


def _vis_data(graph: nx.MultiDiGraph, sel: ViewSelection, pos: dict, page: _PageData
              ) -> tuple[list[dict], list[dict], dict]:
    """Node, edge and option data, assembled with a pyvis ``Network`` (in bulk: pyvis's
    ``add_edge`` scans all existing edges, which took 34 s for 20,000 nodes)."""
    from pyvis.network import Network

    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    nodes = []
    rank = {n: i for i, n in enumerate(sel.entities)}
    headlines = _headline_count(len(sel.entities))
    for node in sel.nodes:
        data = graph.nodes[node]
        x, y = pos[node]
        t = page.node_type(node)
        if t == "Paper":
            nodes.append({"id": node, "label": _short(_label(node, data), 32), "group": "Paper",
                          "x": x, "y": y})
            continue
        item = {"id": node, "label": _short(_label(node, data), 40), "group": t,
                "x": x, "y": y, "size": _node_size(data)}
        # the viewer keeps these labels at least this many pixels high on screen when
        # zoomed out: the headline entities', and in small views everybody's
        if rank[node] < headlines:
            item["minLabelPx"] = 13
        elif len(sel.entities) <= SMALL_VIEW:
            item["minLabelPx"] = 10
        nodes.append(item)
    # node colours by type go in the options' groups; edge styles by relation type are in the
    # page's "relations" list, applied by the viewer (one style per type, not per edge)
    groups: dict[str, dict] = {}
    for t in sorted({n["group"] for n in nodes}):
        color = page.colors.get(t, "#BAB0AC")
        group = {"shape": "dot", "color": {
            "background": color, "border": _darken(color),
            "highlight": {"background": color, "border": "#1A202C"},
            "hover": {"background": color, "border": "#1A202C"}}}
        if t == "Paper":
            group.update(shape="square", size=7, font={"size": 11, "color": "#4A5568"})
        groups[t] = group
    edges = []
    for i, (u, v, key) in enumerate(sel.edges):
        if key == "mentions":
            edges.append({"id": f"e{i}", "from": u, "to": v, "rel": "mentions"})
            continue
        rel = str(graph.edges[u, v, key].get("type") or key)
        edges.append({"id": f"e{i}", "from": u, "to": v, "rel": rel, "label": rel,
                      "r": page.relation(u, v, key)})
    net.nodes = nodes
    net.edges = edges
    net.node_ids = list(sel.nodes)
    net.node_map = {n["id"]: n for n in nodes}
    large = len(edges) > LARGE_EDGES
    net.options = {
        "autoResize": True,
        "groups": groups,
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "physics": {"enabled": False, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90,
                                         "avoidOverlap": 0.3},
                    "stabilization": {"enabled": False}},
        "nodes": {"shape": "dot", "borderWidth": 1.5, "borderWidthSelected": 3,
                  "font": {"face": "Inter, system-ui, -apple-system, Segoe UI, Roboto, "
                                   "Helvetica, Arial, sans-serif",
                           "size": 14, "color": "#1A202C", "strokeWidth": 3,
                           "strokeColor": "#FFFFFF"},
                  # labels under 7 px on screen are not drawn: zoomed out, only the headline
                  # entities' labels show (the viewer keeps those >= 13 px; see minLabelPx)
                  "scaling": {"label": {"drawThreshold": 8}}},
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "arrowStrikethrough": False,
                  "font": {"size": 10, "face": "Inter, system-ui, sans-serif", "color": "#4A5568",
                           "strokeWidth": 3, "strokeColor": "#FFFFFF", "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 9}}},
        "interaction": {"hover": True, "hideEdgesOnDrag": True, "hideEdgesOnZoom": large,
                        "tooltipDelay": 120, "multiselect": False, "navigationButtons": False,
                        "keyboard": False, "zoomSpeed": 0.8},
    }
    net_nodes, net_edges, _heading, _h, _w, options_json = net.get_network_data()
    return net_nodes, net_edges, json.loads(options_json)


def _grouped_layout(graph: nx.MultiDiGraph, sel: ViewSelection, pos: dict, groups: list[list[str]]) -> dict:
    """Positions that keep each community together and apart from the others: each community's
    members keep their arrangement, shrunk into a disc whose area grows with their number, and
    the discs are packed, largest first, outwards along a spiral. Papers move with the entity
    they are placed beside."""
    discs = []
    for members in groups:
        xy = [pos[m] for m in members]
        cx, cy = sum(x for x, _ in xy) / len(xy), sum(y for _, y in xy) / len(xy)
        spread = max((math.hypot(x - cx, y - cy) for x, y in xy), default=0.0)
        radius = NODE_SPACING * (0.35 + 0.45 * math.sqrt(len(members)))
        discs.append((radius, members, cx, cy, (radius - NODE_SPACING * 0.3) / spread if spread else 0.0))
    placed: list[tuple[float, float, float]] = []
    out: dict[str, tuple[float, float]] = {}
    for radius, members, cx, cy, shrink in sorted(discs, key=lambda d: -d[0]):
        angle, step = 0.0, 0
        while True:
            reach = 0.0 if not placed else (placed[0][2] + radius) * 0.5 + step * NODE_SPACING * 0.15
            x, y = reach * math.cos(angle), reach * math.sin(angle)
            if all(math.hypot(x - px, y - py) >= pr + radius + NODE_SPACING * 0.4 for px, py, pr in placed):
                break
            step += 1
            angle += 0.5
        placed.append((x, y, radius))
        for m in members:
            mx, my = pos[m]
            out[m] = (round(x + (mx - cx) * shrink, 2), round(y + (my - cy) * shrink, 2))
    for paper in sel.papers:
        px, py = pos[paper]
        anchor = min((e for e in graph.succ[paper] if e in out),
                     key=lambda e: math.hypot(pos[e][0] - px, pos[e][1] - py), default=None)
        out[paper] = (px, py) if anchor is None else (
            round(out[anchor][0] + px - pos[anchor][0], 2), round(out[anchor][1] + py - pos[anchor][1], 2))
    return out


def _community_payload(graph: nx.MultiDiGraph, groups: list[list[str]], nodes: list[dict], page: _PageData,
                       pos: dict) -> list[dict]:
    """The overview's clusters (see :func:`communities`): each node of one gets its ``community``
    number, and the page a label of its best-ranked names, the colour of its commonest type and
    the centre of its members, where the cluster is drawn."""
    by_id = {n["id"]: n for n in nodes}
    out = []
    for k, members in enumerate(c for c in groups if len(c) >= MIN_COMMUNITY):
        for m in members:
            by_id[m]["community"] = k
        names = [_short(_label(m, graph.nodes[m]), 24) for m in members[:COMMUNITY_LABEL_NAMES]]
        more = len(members) - len(names)
        types: dict[str, int] = {}
        for m in members:
            types[page.node_type(m)] = types.get(page.node_type(m), 0) + 1
        main = max(sorted(types), key=types.__getitem__)
        color = page.colors.get(main, "#BAB0AC")
        x = sum(pos[m][0] for m in members) / len(members)
        y = sum(pos[m][1] for m in members) / len(members)
        out.append({"id": k, "size": len(members), "names": names, "more": more, "x": round(x, 2), "y": round(y, 2),
                    "label": "\n".join(names) + (f"\n+{more} more" if more else ""),
                    "color": color, "border": _darken(color)})
    return out


# --------------------------------------------------------------------------- rendering

def _script_json(payload: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``,
    no HTML entities, no JavaScript line terminators."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    assets = {
        "vis_js": (STATIC / "vis-network.min.js").read_text(encoding="utf-8"),
        "viewer_js": (STATIC / "viewer.js").read_text(encoding="utf-8"),
        "viewer_css": (STATIC / "viewer.css").read_text(encoding="utf-8"),
        "template": (STATIC / "template.html").read_text(encoding="utf-8"),
    }
    for name in ("vis_js", "viewer_js"):
        if re.search(r"</script|<!--", assets[name], re.IGNORECASE):
            raise RuntimeError(f"{name} cannot be inlined: it contains </script or <!--")
    if re.search(r"</style", assets["viewer_css"], re.IGNORECASE):
        raise RuntimeError("viewer.css cannot be inlined: it contains </style")
    return assets


def render_html(graph: nx.MultiDiGraph, *, max_nodes: int | None = DEFAULT_MAX_NODES,
                focus: str | None = None, hops: int = 1, title: str = "kg graph",
                seed: int = 42, include_papers: bool = True) -> tuple[str, ViewSelection]:
    """The page as a string, and the selection it shows (see :func:`write_html`)."""
    from jinja2 import Environment

    sel = select_view(graph, max_nodes=max_nodes, focus=focus, hops=hops,
                      include_papers=include_papers)
    pos = _layout(graph, sel, seed)
    groups = communities(graph, sel, seed)
    if groups:
        pos = _grouped_layout(graph, sel, pos, groups)
    page = _PageData(graph, sel, seed)
    nodes, edges, options = _vis_data(graph, sel, pos, page)
    payload = page.build(nodes, edges, options, title)
    payload["communities"] = _community_payload(graph, groups, nodes, page, pos)
    assets = _assets()
    env = Environment(autoescape=True, keep_trailing_newline=True)
    template = env.from_string(assets["template"])
    stats = f"{_plural(sel.total_papers, 'paper')} \u00b7 {_entities(sel.total_entities)}"
    html = template.render(
        title=title, stats=stats, note=sel.note, data_json=_script_json(payload),
        vis_js=assets["vis_js"], viewer_js=assets["viewer_js"], viewer_css=assets["viewer_css"])
    return html, sel


def write_html(graph: nx.MultiDiGraph, path: str | Path, *,
               max_nodes: int | None = DEFAULT_MAX_NODES, focus: str | None = None,
               hops: int = 1, title: str = "kg graph", seed: int = 42) -> ViewSelection:
    """Write ``graph`` as one self-contained offline HTML page at ``path`` (atomically).

    Shows the selection :func:`select_view` makes (``max_nodes``, ``focus``, ``hops``);
    the same graph and arguments always give a byte-identical file. Returns the selection,
    whose ``note`` says what was left out (``None`` when nothing was).
    """
    html, sel = render_html(graph, max_nodes=max_nodes, focus=focus, hops=hops, title=title,
                            seed=seed)
    with atomic_write(path) as f:
        f.write(html)
    return sel
