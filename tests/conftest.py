"""Shared fixtures: a build of the bundled example corpus, made once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def example_graph():
    """The KnowledgeGraph of ``examples/papers.jsonl``."""
    import kg

    return kg.build([EXAMPLES / "papers.jsonl"])


@pytest.fixture(scope="session")
def example_build_dir(example_graph, tmp_path_factory) -> Path:
    """A folder holding a full build of the example corpus (graph.json, graph.ttl, graph.html)."""
    out = tmp_path_factory.mktemp("example-build")
    example_graph.save(out, generated_at="2026-01-01T00:00:00Z")
    return out
