"""JSON export: networkx node-link data, deterministic, written atomically."""
from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from ..io import atomic_write

FORMAT_VERSION = 1


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link data whose nodes carry ``id``, ``label`` and ``type`` (papers: ``Paper``).

    >>> g = nx.MultiDiGraph(results=[])
    >>> g.add_node("entity:DPO", kind="entity", type="Method", label="DPO")
    >>> to_node_link(g)["nodes"][0]["type"]
    'Method'
    """
    return {"directed": graph.is_directed(), "graph": _meta(graph), "links": list(_links(graph)),
            "multigraph": graph.is_multigraph(), "nodes": list(_nodes(graph))}


def _meta(graph: nx.MultiDiGraph) -> dict[str, Any]:
    return {**graph.graph, "format": "kg-node-link", "format_version": FORMAT_VERSION}


def _links(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """networkx's node-link records of the edges, by source, key and target (one source at a
    time, and each edge's attributes only as it is written: an entity named in many papers has
    thousands of edges, each with its evidence)."""
    for u in sorted(graph.nodes):
        edges = sorted(((k, v) for _, v, k in graph.out_edges(u, keys=True)))
        if not edges:
            continue
        neighbours = graph.succ[u]
        for k, v in edges:
            yield {**neighbours[v][k], "source": u, "target": v, "key": k}


def _nodes(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """networkx's node-link records of the nodes, by id."""
    for n in sorted(graph.nodes):
        yield {**graph.nodes[n], "id": n}


def is_node_link_json(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a kg ``graph.json`` (its format tag is near the top: keys are sorted)."""
    try:
        with open(path, "rb") as f:
            return b'"kg-node-link"' in f.read(8192)
    except OSError:
        return False


#: a list longer than this (a relation's evidence from many papers, the build's results) is
#: written one item at a time rather than dumped whole
_STREAMED_LIST = 256


def _dumped(value: Any, depth: int) -> Iterator[str]:
    """The pieces of ``value`` as ``json.dump(..., indent=1, sort_keys=True)`` writes it ``depth``
    levels deep, without the first line's indent (JSON strings hold no raw newline, so every
    newline of the dump starts a line to indent); long lists inside it are written item by item,
    so no piece holds them whole.

    >>> v = {"b": [{"x": i} for i in range(300)], "a": 1}
    >>> nl = chr(10)
    >>> "".join(_dumped(v, 2)) == json.dumps(v, indent=1, sort_keys=True).replace(nl, nl + "  ")
    True
    """
    if isinstance(value, dict) and value and _holds_long_list(value):
        pad = " " * (depth + 1)
        for i, key in enumerate(sorted(value)):
            yield ("{\n" if i == 0 else ",\n") + pad + json.dumps(key, ensure_ascii=False) + ": "
            yield from _dumped(value[key], depth + 1)
        yield "\n" + " " * depth + "}"
    elif isinstance(value, list) and len(value) > _STREAMED_LIST:
        pad = " " * (depth + 1)
        for i, item in enumerate(value):
            yield ("[\n" if i == 0 else ",\n") + pad
            yield from _dumped(item, depth + 1)
        yield "\n" + " " * depth + "]"
    else:
        yield json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n" + " " * depth)


def _holds_long_list(value: dict) -> bool:
    return any(isinstance(x, list) and len(x) > _STREAMED_LIST or isinstance(x, dict) and _holds_long_list(x)
               for x in value.values())


def iter_node_link_json(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The text of :func:`to_node_link` as ``json.dump(indent=1, sort_keys=True)`` writes it,
    in pieces: one node or link at a time, so writing ``graph.json`` never holds a second copy
    of the graph (node-link dicts of every node and edge) in memory.

    >>> g = nx.MultiDiGraph(results=[])
    >>> g.add_node("entity:DPO", kind="entity", type="Method", label="DPO")
    >>> "".join(iter_node_link_json(g)) == json.dumps(to_node_link(g), ensure_ascii=False, indent=1,
    ...                                               sort_keys=True)
    True
    """
    def items(key: str, rows: Iterable[dict[str, Any]], last: bool) -> Iterator[str]:
        first = True
        for row in rows:
            pieces = _dumped(row, 2)
            yield (f' "{key}": [\n' if first else ",\n") + "  " + next(pieces)
            yield from pieces
            first = False
        yield f' "{key}": []' if first else "\n ]"
        yield "\n}" if last else ",\n"

    yield "{\n" + f' "directed": {json.dumps(graph.is_directed())},\n'
    yield ' "graph": '
    yield from _dumped(_meta(graph), 1)
    yield ",\n"
    yield from items("links", _links(graph), last=False)
    yield f' "multigraph": {json.dumps(graph.is_multigraph())},\n'
    yield from items("nodes", _nodes(graph), last=True)


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike, *, digest: Any = None) -> Path:
    """Write ``graph.json`` atomically, streamed (see :func:`iter_node_link_json`), as UTF-8
    with ``\n`` line ends on every platform. ``digest``, a :mod:`hashlib` object, is updated
    with the bytes written (the build hashes its graph.json so, without reading it back)."""
    path = Path(path)
    with atomic_write(path, "wb") as f:
        for piece in itertools.chain(iter_node_link_json(graph), ("\n",)):
            data = piece.encode("utf-8")
            f.write(data)
            if digest is not None:
                digest.update(data)
    return path


def read_json(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a ``graph.json``; a file that is not a kg graph, or is damaged, raises ValueError
    naming the file and the problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file (is it a kg build folder?)") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a kg graph.json (not UTF-8 text at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("links"), list):
        raise ValueError(f"{path}: not a kg graph.json (no lists of nodes and links)")
    if not isinstance(data.get("graph"), dict) or data["graph"].get("format") != "kg-node-link":
        raise ValueError(f"{path}: not a kg graph.json (no \"format\": \"kg-node-link\" in its graph record)")
    for i, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str) or not isinstance(node.get("type"), str) \
                or node.get("kind") not in ("entity", "paper"):
            raise ValueError(f"{path}: damaged kg graph.json: node {i + 1} lacks an id, a type or a kind")
    for i, link in enumerate(data["links"]):
        if not isinstance(link, dict) or not all(isinstance(link.get(k), str) for k in ("source", "target", "key")):
            raise ValueError(f"{path}: damaged kg graph.json: link {i + 1} lacks a source, a target or a key")
    try:
        g = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    except (KeyError, TypeError, ValueError, nx.NetworkXError) as exc:
        raise ValueError(f"{path}: damaged kg graph.json ({type(exc).__name__}: {exc})") from None
    g.graph.pop("format", None)
    g.graph.pop("format_version", None)
    return g
