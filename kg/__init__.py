"""kg: a knowledge graph of research concepts from paper abstracts.

>>> import kg
>>> g = kg.KnowledgeGraph.from_papers([kg.Paper(id="p1", title="",
...     abstract="We fine-tune Llama 2 with Direct Preference Optimization (DPO) on the CALVIN benchmark.")])
>>> sorted(e.name for e in g.entities())
['CALVIN', 'DPO', 'Llama 2']
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Entity, Evidence, Mention, Paper, PaperExtraction, Relation, Result  # noqa: E402
from .graph import KnowledgeGraph, build, load  # noqa: E402

__all__ = [
    "__version__", "KnowledgeGraph", "build", "load",
    "Paper", "Mention", "Entity", "Relation", "Result", "Evidence", "PaperExtraction",
]
