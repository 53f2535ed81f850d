"""Score kg's extraction on the annotated sets side by side, with an ablation by component.

Needs the project's shared folder beside the checkout (``../shared``: the dev gold in
``corpus/``, the scorers ``eval/score.py`` and ``eval/blind.py``, the blind set in
``eval/blind/`` and the public sets in ``external/``); a clone without it has nothing to
score, and the script says so and exits cleanly.

    python benchmarks/evaluate.py                  # seed-dev, arxiv25-dev, acl-dev, blind: the shipped pipeline
    python benchmarks/evaluate.py --ablation       # + each component's share, on every set
    python benchmarks/evaluate.py --external       # + SciERC train/dev and SciREX train
    python benchmarks/evaluate.py --json out.json

The shipped models were trained on the three dev sets, so the dev figures of the default and
accurate modes are training-set figures; ``scripts/train_models.py --cv 5`` gives the
cross-validated ones. The
blind set (25 papers, gold stored as salted hashes) was never trained or tuned on: it prints
totals only, and is the honest estimate of quality on new papers.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

DEV_SETS = ("seed-dev", "arxiv25-dev", "acl-dev")
BLIND = SHARED / "eval" / "blind" / "arxiv25-blind.jsonl"

#: pipeline label -> build_nlp keyword arguments
ABLATIONS = {
    "lexicon only": {"mode": "rules", "exclude": ("kg_abbreviations", "kg_names")},
    "+ abbreviations": {"mode": "rules", "exclude": ("kg_names",)},
    "+ name rules (--rules-only)": {"mode": "rules"},
    "+ proposal and relation models (default)": {},
    "+ mention classifier (--accurate)": {"mode": "accurate"},
}
SHIPPED = ("+ proposal and relation models (default)", "+ mention classifier (--accurate)")


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def split_text(d: dict) -> tuple[str, str]:
    """A gold record's title and abstract (the dev gold keeps only ``text``)."""
    if d.get("title") is not None and d.get("abstract") is not None:
        return d["title"], d["abstract"]
    text = d["text"]
    if "\n\n" in text:
        title, _, abstract = text.partition("\n\n")
        return title, abstract
    return "", text


def predict_papers(papers: list[dict], **pipeline) -> dict[str, dict]:
    """Extract and link ``papers`` (records with ``id`` and ``text`` or ``title``/``abstract``)
    and return score.py prediction records by id (variant relations between the paper's own
    entities included, as ``kg extract`` writes them)."""
    from kg.export.predictions import extraction_record
    from kg.extract import extract_papers
    from kg.linking import link
    from kg.model import Paper
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp(**pipeline)
    linked = link(extract_papers([Paper(d["id"], *split_text(d)) for d in papers], nlp=nlp))
    out = {}
    for x in linked.extractions:
        rec = extraction_record(x)
        names = {m.canonical for m in x.mentions}
        rec["relations"] += [{"head": r.head, "type": r.type, "tail": r.tail} for r in linked.variant_relations
                             if r.head in names and r.tail in names]
        out[x.paper.id] = rec
    return out


def figures(res: dict) -> dict:
    """The headline figures of a score.py (or blind.py) result."""
    pe = res["paper_entities"]
    rel = res["relations"].get("ALL", {})
    out = {"typed": pe["TYPED"]["f1"], "untyped": pe["UNTYPED"]["f1"],
           "relations P": rel.get("p", 0.0), "relations R": rel.get("r", 0.0), "relations": rel.get("f1", 0.0),
           "proposes": res["proposes"]["f1"]}
    if "mentions" in res:
        out["mentions"] = res["mentions"]["UNTYPED"]["f1"]
        out["linking"] = res["linking"]["f1"]
        out["results"] = res["results"]["STRICT"]["f1"]
    return out


def score_sets(papers: list[dict], preds: dict[str, dict]) -> list[dict]:
    """score.py figures per dev set for predictions of papers carrying a ``set`` field."""
    score = load_module("score", SHARED / "eval" / "score.py")
    rows = []
    for name in dict.fromkeys(p["set"] for p in papers):
        gold = {p["id"]: p for p in papers if p["set"] == name}
        for g in gold.values():
            g["entities"] = [m for m in g.get("entities", []) if m.get("type") in score.TYPES]
        rows.append({"set": name, **figures(score.score(gold, {i: preds[i] for i in gold if i in preds}))})
    return rows


def load_dev(sets=DEV_SETS) -> list[dict]:
    papers = []
    for name in sets:
        for line in (SHARED / "corpus" / f"{name}.gold.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                papers.append({**json.loads(line), "set": name})
    return papers


def score_blind(**pipeline) -> dict:
    blind_mod = load_module("blind", SHARED / "eval" / "blind.py")
    blind = [json.loads(line) for line in BLIND.read_text("utf-8").splitlines() if line.strip()]
    preds = predict_papers(blind, **pipeline)
    return {"set": "blind", **figures(blind_mod.score(blind, preds))}


def score_external(**pipeline) -> list[dict]:
    score = load_module("score", SHARED / "eval" / "score.py")
    rows = []
    for name in ("scierc/train", "scierc/dev", "scirex/train"):
        gold = score.load(SHARED / "external" / f"{name}.jsonl")
        for g in gold.values():
            g["entities"] = [m for m in g.get("entities", []) if m.get("type") in score.TYPES]
        res = score.score(gold, predict_papers(list(gold.values()), **pipeline))
        rows.append({"set": name, "coarse": res["paper_entities"]["COARSE"]["f1"], **figures(res)})
    return rows


COLUMNS = ["set", "pipeline", "typed", "untyped", "mentions", "linking", "relations P", "relations R", "relations",
           "proposes", "results", "seconds"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ablation", action="store_true", help="also score the pipeline without each component")
    ap.add_argument("--external", action="store_true", help="also score SciERC and SciREX (train/dev)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(f"kg evaluate: {SHARED} is not here (it holds the gold data and the scorers); nothing to score.")
        return 0
    dev = load_dev()
    pipelines = ABLATIONS if args.ablation else {k: ABLATIONS[k] for k in SHIPPED}
    rows = []
    for label, kwargs in pipelines.items():
        t = time.perf_counter()
        for row in score_sets(dev, predict_papers(dev, **kwargs)) + [score_blind(**kwargs)]:
            rows.append({**row, "pipeline": label, "seconds": round(time.perf_counter() - t, 1)})
        if args.external:
            rows += [{**r, "pipeline": label} for r in score_external(**kwargs)]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for r in sorted(rows, key=lambda r: ([*DEV_SETS, "blind"].index(r["set"]) if r["set"] in DEV_SETS or r["set"] == "blind"
                                         else 9, list(pipelines).index(r["pipeline"]))):
        print("| " + " | ".join(str(r.get(c, "")) if not isinstance(r.get(c), float) else f"{r[c]:.3f}"
                                for c in COLUMNS) + " |")
    print("\n(typed/untyped: paper-level entity F1; mentions: untyped exact-span F1; relations P/R/F1; proposes F1; "
          "results: STRICT F1; blind.py gives entities, relations and proposes only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
