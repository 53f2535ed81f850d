#!/usr/bin/env python3
"""Train a small statistical NER for kg's pipeline (an experiment: kg ships no trained model).

The rules find *named* artifacts; a NER trained on SciREX also finds descriptive mentions
("semantic image segmentation", "pixel-level accuracy"), which SciERC and SciREX annotate and
kg's typology does not. ``benchmarks/evaluate.py --ner-model DIR`` measures it. It is a
spaCy ``ner`` (hash embeddings + CNN, no pretrained vectors) over kg's own tokenizer, with four
coarse labels: Method, Dataset, Task, Metric.

Training data, chosen by licence (SciERC states none, so nothing here is trained on it):

* SciREX train titles and abstracts (Apache-2.0), fully annotated: every unlabelled token
  is a negative;
* kg's rule pipeline over ACL Anthology abstracts from 2016 on (CC BY 4.0): weak labels,
  where tokens the rules leave unlabelled are *missing*, not negatives, because the rules
  only ever find named things.

Needs ``../shared`` beside the checkout (``external/scirex``, ``external/acl-abstracts``);
without it the script says so and exits. Deterministic for a given seed and spaCy version.

    python scripts/train_ner.py --holdout 40 --weak 0 --out /tmp/ner   # keep 40 SciREX papers out to score
    python benchmarks/evaluate.py --external --ner-model /tmp/ner
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: kg type -> NER label (the NER is coarse; the rules and the lexicon refine its types)
LABEL_OF = {"Method": "Method", "Model": "Method", "Dataset": "Dataset", "Benchmark": "Dataset",
            "Task": "Task", "Metric": "Metric"}


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def scirex_items(path: Path) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    items = []
    for d in read_jsonl(path):
        spans = [(e["start"], e["end"], LABEL_OF[e["type"]]) for e in d["entities"] if e.get("type") in LABEL_OF]
        items.append((d["id"], d["text"], spans))
    return sorted(items)


def weak_items(path: Path, n: int, seed: int) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """kg's rule mentions over ``n`` ACL abstracts from 2016 on, drawn with ``seed``."""
    from kg.extract import extract_papers
    from kg.model import Paper
    from kg.nlp.pipeline import build_nlp

    records = sorted((r for r in read_jsonl(path) if (r.get("year") or 0) >= 2016 and r.get("abstract")),
                     key=lambda r: r["id"])
    random.Random(seed).shuffle(records)
    papers = [Paper(r["id"], r.get("title") or "", r["abstract"]) for r in records[:n]]
    nlp = build_nlp(relations=False)
    items = []
    for x in extract_papers(papers, nlp=nlp):
        spans = [(m.start, m.end, LABEL_OF[m.type]) for m in x.mentions if m.type in LABEL_OF]
        items.append((x.paper.id, x.paper.text, spans))
    return items


def examples(nlp, items, *, unlabelled: str):
    from spacy.training import Example
    from spacy.util import filter_spans

    out = []
    for _id, text, spans in items:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=lab, alignment_mode="contract") for s, e, lab in spans]
        ref = nlp.make_doc(text)
        ref.set_ents(filter_spans([s for s in ents if s is not None and len(s)]), default=unlabelled)
        out.append(Example(doc, ref))
    return out


def train(train_examples, dev_examples, *, epochs: int, seed: int, log=print):
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    from kg.nlp.pipeline import customise_tokenizer

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    customise_tokenizer(nlp)
    nlp.add_pipe("ner")
    optimizer = nlp.initialize(lambda: train_examples)
    rng = random.Random(seed)
    best, best_bytes = -1.0, None
    for epoch in range(epochs):
        rng.shuffle(train_examples)
        losses: dict = {}
        t0 = time.perf_counter()
        for batch in minibatch(train_examples, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        score = nlp.evaluate(dev_examples)["ents_f"] if dev_examples else None
        log(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.0f}  dev ents F1 "
            f"{'-' if score is None else f'{score:.3f}'}  {time.perf_counter() - t0:.0f}s")
        if score is None or score > best:
            best = score if score is not None else best
            best_bytes = nlp.to_bytes()
    nlp.from_bytes(best_bytes)
    return nlp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, required=True, help="folder to write the spaCy pipeline to")
    ap.add_argument("--weak", type=int, default=3000, help="ACL abstracts to weak-label (0: none)")
    ap.add_argument("--holdout", type=int, default=0, help="SciREX papers kept out of training to score on")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    scirex = a.shared / "external" / "scirex" / "train.jsonl"
    acl = a.shared / "external" / "acl-abstracts" / "abstracts.jsonl.gz"
    if not scirex.exists():
        print(f"train_ner: {scirex} not found: this script needs the project's shared data folder "
              "(--shared); nothing to do", file=sys.stderr)
        return 0

    import spacy

    from kg.nlp.pipeline import customise_tokenizer

    tok = spacy.blank("en")
    customise_tokenizer(tok)
    gold = scirex_items(scirex)
    rng = random.Random(a.seed)
    rng.shuffle(gold)
    held, gold = gold[:a.holdout], gold[a.holdout:]
    train_examples = examples(tok, gold, unlabelled="outside")
    if a.weak and acl.exists():
        t0 = time.perf_counter()
        weak = weak_items(acl, a.weak, a.seed)
        print(f"weak labels: {len(weak)} ACL abstracts, {sum(len(s) for *_, s in weak)} mentions, "
              f"{time.perf_counter() - t0:.0f}s")
        train_examples += examples(tok, weak, unlabelled="missing")
    dev_examples = examples(tok, held, unlabelled="outside")
    print(f"training on {len(train_examples)} docs, scoring on {len(dev_examples)}")
    nlp = train(train_examples, dev_examples, epochs=a.epochs, seed=a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(a.out)
    meta = {"trained_on": {"scirex_train_papers": len(gold), "acl_weak_abstracts": a.weak if acl.exists() else 0},
            "held_out_scirex_ids": sorted(i for i, *_ in held), "seed": a.seed, "epochs": a.epochs, "spacy": spacy.__version__}
    (a.out / "kg-training.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
