#!/usr/bin/env python3
"""Build ``ontology/lexicon/terms.tsv``: names of research terms from public lists, as evidence.

The lexicon (``*.jsonl``) says what a name *is*; this list only says that a public catalogue
lists a phrase, and as what. The mention classifier (:mod:`kg.nlp.spans`) reads it as a feature
("a topic of the Computer Science Ontology", "a Papers with Code task"), so a lower-case task
such as "trajectory tracking" or "disturbance rejection" that no curated entry names can still
be recognised, while the annotated abstracts decide how much each source is worth.

Reads ``../shared/external/lexicon/`` (beside the checkout): ``cso_topics.jsonl`` (CSO, CC BY 4.0),
``mlso_pwc.jsonl``, ``sota_tdm.jsonl``, ``pwc_datasets_datafinder.jsonl``, ``ibm_nlp_tdms.jsonl``,
``sota_extractor_tables.jsonl`` (Papers with Code content, CC BY-SA 4.0), ``hf_transformers_models.jsonl``
and ``timm_model_index.jsonl`` (Apache-2.0). The output mixes them, so it is CC BY-SA 4.0.

Each line: ``phrase<TAB>tags``, the phrase lower-cased and Unicode-normalised, tags a sorted,
comma-separated set of ``source:type`` (``cso:topic``, ``cso:ai``, ``pwc:Task``, ``pwc:Method``, ...).
Phrases longer than six words, without a letter, or in parentheses are left out. Deterministic.

    python scripts/build_terms.py [--shared ../shared] [--out ontology/lexicon/terms.tsv]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: file -> tag prefix
SOURCES = {
    "cso_topics.jsonl": "cso",
    "mlso_pwc.jsonl": "pwc",
    "sota_tdm.jsonl": "pwc",
    "pwc_datasets_datafinder.jsonl": "pwc",
    "ibm_nlp_tdms.jsonl": "pwc",
    "sota_extractor_tables.jsonl": "sota",
    "hf_transformers_models.jsonl": "hf",
    "timm_model_index.jsonl": "timm",
}


def phrase(name: str) -> str | None:
    s = unicodedata.normalize("NFKC", name).replace("\u2019", "'")
    s = " ".join(s.split()).strip().lower()
    if not s or len(s.split()) > 6 or len(s) < 2 or not re.search(r"[a-z]", s) or re.search(r"[()\[\]{}<>|;]", s):
        return None
    return s


def tags_of(prefix: str, entry: dict) -> set[str]:
    if prefix == "cso":
        return {"cso:topic"} | ({"cso:ai"} if entry.get("ai") else set())
    return {f"{prefix}:{entry.get('type') or 'untyped'}"}


def build(shared: Path) -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    for file, prefix in SOURCES.items():
        path = shared / "external" / "lexicon" / file
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                e = json.loads(line)
                for name in (e["name"], *e.get("aliases", [])):
                    p = phrase(name)
                    if p is not None:
                        terms.setdefault(p, set()).update(tags_of(prefix, e))
    return terms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "ontology" / "lexicon" / "terms.tsv")
    args = ap.parse_args(argv)
    if not (args.shared / "external" / "lexicon").is_dir():
        print(f"build_terms: {args.shared}/external/lexicon is not here; nothing to build from.")
        return 0
    terms = build(args.shared)
    tmp = args.out.with_name(args.out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# phrase\ttags (source:type) -- CC BY-SA 4.0, built by scripts/build_terms.py; see README.md\n")
        for p in sorted(terms):
            f.write(f"{p}\t{','.join(sorted(terms[p]))}\n")
    tmp.replace(args.out)
    print(f"wrote {args.out}: {len(terms)} phrases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
