"""kg: a knowledge graph of research concepts from paper abstracts.

>>> import kg
>>> g = kg.KnowledgeGraph.from_papers([kg.Paper(id="p1", title="",
...     abstract="We fine-tune Llama 2 with Direct Preference Optimization (DPO) on the CALVIN benchmark.")])
>>> sorted(e.name for e in g.entities())
['CALVIN', 'DPO', 'Llama 2']
"""
from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any  # noqa: E402

from .model import Entity, Evidence, Mention, Paper, PaperExtraction, Relation, Result  # noqa: E402

if TYPE_CHECKING:
    from .graph import KnowledgeGraph, build, load


def __getattr__(name: str) -> Any:
    # the graph API pulls in spaCy; loading it lazily keeps `kg query` and `kg --help` quick
    if name in ("KnowledgeGraph", "build", "load"):
        from . import graph
        return getattr(graph, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazy names are attributes too (so tab completion and dir(kg) show them)
    return sorted(set(globals()) | set(__all__))

__all__ = [
    "__version__", "KnowledgeGraph", "build", "load",
    "Paper", "Mention", "Entity", "Relation", "Result", "Evidence", "PaperExtraction",
]
