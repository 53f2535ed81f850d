"""Score kg's extraction against annotated abstracts, with an ablation by component.

Needs the project's shared folder beside the checkout (``../shared``: the dev gold in
``corpus/``, the scorer ``eval/score.py`` and the public sets in ``external/``); a clone
without it has nothing to score, and the script says so and exits cleanly.

    python benchmarks/evaluate.py                 # dev set: full pipeline and ablations
    python benchmarks/evaluate.py --external      # also SciERC train/dev and SciREX train
    python benchmarks/evaluate.py --external --ner-model /tmp/ner   # + a trained NER (experiment)

The rule pipeline is what kg ships. ``--ner-model`` adds rows with a statistical NER written
by ``scripts/train_ner.py``; it learns from SciREX train, so with it SciREX is scored only on
the papers that ``--holdout N`` kept out of training (listed in the model's kg-training.json).
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

#: pipeline label -> (components left out, statistical NER on)
ABLATIONS = {
    "lexicon only": (("kg_abbreviations", "kg_names"), False),
    "+ abbreviations": (("kg_names",), False),
    "+ unseen-name rules (rules only)": ((), False),
    "+ statistical NER (experiment)": ((), True),
}


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    return score


def predict(gold_path: Path, exclude: tuple[str, ...], ner: bool, ner_model: Path | None,
            only: set[str] | None = None) -> dict:
    from kg.export.predictions import extraction_record
    from kg.extract import extract_papers
    from kg.linking import link
    from kg.model import Paper
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp(exclude=exclude, ner_model=ner_model if ner else None)
    papers = []
    for line in gold_path.read_text("utf-8").splitlines():
        d = json.loads(line)
        if only is not None and d["id"] not in only:
            continue
        title, abstract = d.get("title"), d.get("abstract")
        if title is None or abstract is None:  # the dev gold keeps only the text
            title, _, abstract = d["text"].partition("\n\n") if "\n\n" in d["text"] else ("", "", d["text"])
        papers.append(Paper(d["id"], title, abstract))
    linked = link(extract_papers(papers, nlp=nlp))
    out = {}
    for x in linked.extractions:
        rec = extraction_record(x)
        names = {m.canonical for m in x.mentions}
        rec["relations"] += [{"head": r.head, "type": r.type, "tail": r.tail} for r in linked.variant_relations
                             if r.head in names and r.tail in names]
        out[x.paper.id] = rec
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--external", action="store_true", help="also score SciERC and SciREX (train/dev)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--ner-model", type=Path, help="also score with this NER (scripts/train_ner.py writes one)")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(f"kg evaluate: {SHARED} is not here (it holds the gold data and the scorer); nothing to score.")
        return 0
    score = load_scorer()
    ablations = {k: v for k, v in ABLATIONS.items() if args.ner_model or not v[1]}
    external = {k: v for k, v in ablations.items() if not v[0]}
    scirex_held_out = None
    if args.ner_model:
        training = json.loads((args.ner_model / "kg-training.json").read_text("utf-8"))
        scirex_held_out = set(training.get("held_out_scirex_ids", []))
    sets = [("dev", SHARED / "corpus" / "seed-dev.gold.jsonl")]
    if args.external:
        sets += [(name, SHARED / "external" / f"{name}.jsonl") for name in ("scierc/train", "scierc/dev", "scirex/train")]
    rows = []
    for set_name, path in sets:
        gold = score.load(path)
        only = None
        if set_name.startswith("scirex") and scirex_held_out is not None:
            if not scirex_held_out:
                print("SciREX: the NER was trained on all of SciREX train; skipped (train one with --holdout)")
                continue
            only, set_name = scirex_held_out, f"{set_name} (held out: {len(scirex_held_out)})"
            gold = {k: v for k, v in gold.items() if k in only}
        for g in gold.values():
            g["entities"] = [m for m in g.get("entities", []) if m.get("type") in score.TYPES]
        for label, (exclude, ner) in (ablations if set_name == "dev" else external).items():
            t = time.perf_counter()
            res = score.score(gold, predict(path, exclude, ner, args.ner_model, only))
            pe, me = res["paper_entities"], res["mentions"]
            rows.append({"set": set_name, "pipeline": label, "typed": pe["TYPED"]["f1"], "coarse": pe["COARSE"]["f1"],
                         "untyped": pe["UNTYPED"]["f1"], "mentions": me["UNTYPED"]["f1"], "linking": res["linking"]["f1"],
                         "relations": res["relations"].get("ALL", {}).get("f1", 0.0), "proposes": res["proposes"]["f1"],
                         "seconds": round(time.perf_counter() - t, 1)})
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    cols = ["set", "pipeline", "typed", "coarse", "untyped", "mentions", "linking", "relations", "proposes", "seconds"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    print("\n(typed/coarse/untyped: paper-level entity F1; mentions: untyped exact-span F1; score.py figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
