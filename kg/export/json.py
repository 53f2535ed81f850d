"""JSON export: networkx node-link data, deterministic, written atomically."""
from __future__ import annotations

import json
import os
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
    data = nx.node_link_data(graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["key"], e["target"]))
    data["graph"] = {**data.get("graph", {}), "format": "kg-node-link", "format_version": FORMAT_VERSION}
    return data


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    path = Path(path)
    with atomic_write(path) as f:
        json.dump(to_node_link(graph), f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    return path


def read_json(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a ``graph.json``; a file that is not a kg graph gets a clear error."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file (is it a kg build folder?)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or "nodes" not in data or "links" not in data:
        raise ValueError(f"{path}: not a kg graph.json (no nodes/links)")
    g = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    g.graph.pop("format", None)
    g.graph.pop("format_version", None)
    return g
