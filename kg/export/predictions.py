"""Per-paper extraction records: the JSON Lines that ``kg extract`` writes.

The format is the prediction format of the evaluation script (``eval/score.py``): one paper
a line with ``entities`` (start/end into the paper's text, which is ``title + "\\n\\n" +
abstract``), ``proposes`` and ``relations``; kg adds ``results`` and ``abbreviations``.
"""
from __future__ import annotations

from typing import Any

from ..model import PaperExtraction


def extraction_record(x: PaperExtraction) -> dict[str, Any]:
    """One paper's extraction as a JSON-ready dict.

    >>> from kg.model import Paper, Mention
    >>> p = Paper("p1", "", "We use DPO.")
    >>> rec = extraction_record(PaperExtraction(p, [Mention("p1", 7, 10, "DPO", "Method", "DPO", "lexicon")]))
    >>> rec["entities"][0]["canonical"], rec["text"][7:10]
    ('DPO', 'DPO')
    """
    p = x.paper
    return {
        "id": p.id, "title": p.title, "text": p.text,
        "entities": [{"start": m.start, "end": m.end, "text": m.text, "type": m.type, "canonical": m.canonical,
                      "component": m.component, "confidence": m.confidence} for m in x.mentions],
        "proposes": list(x.proposes),
        "relations": [{"head": r.head, "type": r.type, "tail": r.tail, "sentence": r.evidence.sentence,
                       "confidence": r.evidence.confidence, "rule": r.evidence.rule} for r in x.relations],
        "results": [{"subject": r.subject, "benchmark": r.benchmark, "metric": r.metric, "value": r.value,
                     "number": r.number, "unit": r.unit, "sentence": r.evidence.sentence} for r in x.results],
        "abbreviations": dict(sorted(x.abbreviations.items())),
    }
