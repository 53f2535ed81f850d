"""The extraction rules as data: each rule's id, what it fires on, and its measured confidence.

``ontology/rules/rules.jsonl`` holds one record per rule, written by ``scripts/measure_rules.py``
from the annotated abstracts: how often the rule fired there, how often on a gold mention's span
(``span_confidence``) and with the gold type (``confidence``), each smoothed toward the designer's
prior so that a rarely firing rule keeps it. The mention classifier reads them to decide when a
rule's word outweighs its own (:mod:`kg.nlp.spans`), and a mention keeps the confidence of what
chose it.

>>> r = load_rules()["names.title"]
>>> r.component, 0.5 < r.confidence <= 1
('kg_names', True)
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import ontology_path

#: a rule whose span confidence reaches this makes a mention whatever the classifier says
ACCEPT = 0.9
#: only a rule whose typed confidence reaches this types anything (and then only where it is
#: more confident than the classifier)
TYPE_FLOOR = 0.55


@dataclass(frozen=True)
class Rule:
    id: str
    component: str
    fires_on: str
    prior: float
    confidence: float
    span_confidence: float
    support: int = 0


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict[str, Rule]:
    """Rules by id from ``ontology/rules/rules.jsonl`` (or ``path``); a bad line names its file and line."""
    file = Path(path) if path else ontology_path("rules", "rules.jsonl")
    rules: dict[str, Rule] = {}
    with open(file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                rules[d["id"]] = Rule(d["id"], d["component"], d["fires_on"], float(d["prior"]),
                                      float(d["confidence"]), float(d["span_confidence"]), int(d.get("support") or 0))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{file}:{n}: bad rule record: {exc}") from None
    return rules


def confidence(rule_id: str, default: float = 0.5) -> float:
    """The measured, typed confidence of a rule (``default`` for one the table lacks)."""
    r = load_rules().get(rule_id)
    return r.confidence if r else default
