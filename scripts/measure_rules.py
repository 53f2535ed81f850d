"""Measure the precision of each extraction rule on the annotated abstracts: ``ontology/rules/rules.jsonl``.

    python scripts/measure_rules.py            # write ontology/rules/rules.jsonl and print the table
    python scripts/measure_rules.py --check    # print the table, write nothing

Needs the project's shared folder beside the checkout (``../shared/corpus/*.gold.jsonl``); without
it, it says so and exits. Each rule's record: its id (what the graph and ``kg extract`` name as a
mention's ``component`` or a relation's ``rule``), the component it lives in, what it fires on, the
type it gives, the designer's prior confidence, and what it scored on every annotated dev paper:
how often it fired (``support``), how often on a gold mention's exact span (``span_precision``)
and with the gold type (``precision``). ``confidence`` is the precision smoothed toward the prior
(``(hits + 5 * prior) / (support + 5)``), so a rule that rarely fires keeps its prior;
``span_confidence`` is the same for the span alone.

kg reads the confidences at run time (:mod:`kg.nlp.rules`): a mention keeps the confidence of the
rule that made it (a mention the classifier added in accurate mode, the classifier's probability),
and the graph and the RDF carry it.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SMOOTHING = 5

#: rule id -> (component, what it fires on, prior confidence)
MENTION_RULES = {
    "lexicon": ("kg_lexicon", "a name or alias of ontology/lexicon/*.jsonl, in its own case for short forms", 0.8),
    "abbreviation": ("kg_abbreviations", "a long form and its short form defined in the paper (Schwartz & Hearst), "
                     "and every later use of the short form", 0.8),
    "abbreviation.glued": ("kg_abbreviations", "a short form glued to a name after its definition: "
                           "'On-Policy Alignment (OPA)-DPO' names OPA-DPO", 0.9),
    "names.named": ("kg_names", "the capitalised words after 'named', 'called', 'dubbed', 'termed'", 0.9),
    "names.team": ("kg_names", "a name-shaped word a shared-task paper gives as a team's: 'X's submission to', "
                   "'the X team', 'the participation of X'", 0.8),
    "names.shape": ("kg_names", "a name-shaped word the lexicon lacks: an acronym, CamelCase, letters with digits", 0.5),
    "names.kind": ("kg_names", "a name whose last part says its kind: -Bench, Arena, Gym, Suite (Benchmark), "
                   "-Data, Dataset, Corpus (Dataset); ontology/rules/name-suffix-types.tsv", 0.7),
    "names.size": ("kg_names", "a name-shaped word ending in a size or scale (-7B, -XL, -Large)", 0.7),
    "names.version": ("kg_mentions", "a typed name followed by its release or size as a word of its own (CroCo v2, OpenCoder 8B)", 0.7),
    "names.family": ("kg_names", "a name-shaped word whose prefix, suffix or size family is a lexicon name", 0.7),
    "names.cue": ("kg_names", "capitalised words before a cue noun (the X benchmark, X dataset, X-based), or a name-shaped word an appositive types (X, a corpus of ...)", 0.7),
    "names.after_number": ("kg_names", "an acronym right after a score (88.1 PDMS)", 0.7),
    "names.introduced": ("kg_names", "the name after 'we propose / introduce / present' or 'named / called'", 0.8),
    "names.introduced_own": ("kg_names", "a name the authors introduce with an appositive whose kind contradicts the "
                             "lexicon's type of that name ('we introduce FLAME, a family of ... models' where the "
                             "lexicon's FLAME is a dataset): the paper's own thing, typed by the appositive", 0.8),
    "names.title": ("kg_names", "the leading name of a 'Name: subtitle' title, or of a title that leads with its "
                    "own kind of a lexicon method the abstract names again ('Block Pruning for ...')", 0.85),
    "names.title_task": ("kg_names", "a capitalised run in a title ending on a problem head (title-task-heads.txt), "
                         "after 'for' or 'in' or repeated in the abstract, where no other rule found a name; "
                         "and its uses in the abstract", 0.6),
    "names.metric": ("kg_names", "a lower-case phrase ending on a measure word (metric-heads.txt) before 'of <number>' "
                     "(hamming loss of 0.04), a measure over the top k answers (Top-3 accuracy), a known measure at a cutoff "
                     "(mAP@0.7, EM@1), or an item of a list the text calls metrics", 0.7),
    "names.campaign_track": ("kg_names", "a shared task's track by its campaign and its own words (the WMT19 news "
                             "translation task, the AmericasNLP 2021 Shared Task on Open Machine Translation)", 0.8),
    "names.listed_task": ("kg_names", "a lower-case item of a list after 'tasks / applications / domains such as, "
                          "like, including' (task-list-nouns.txt) that no other rule names; and its uses", 0.6),
    "names.based_family": ("kg_names", "the stem of 'diffusion-based' (based-families.txt) as a mention of the family "
                           "the lexicon lists as 'diffusion-based model'", 0.7),
    "names.part": ("kg_names", "a run of two to five capitalised words after a determiner or an introducing verb, "
                   "in the abstract, ending on a part noun (part-heads.txt): 'a Boundary-aware Negative Sampler', "
                   "'the Auto-think Switch'", 0.6),
}


#: relation rules (kg/nlp/relations.py): id -> (what it fires on, prior confidence)
RELATION_RULES = {
    "relations.outperforms": ("'outperforms / surpasses / beats / better than' between subject and tail, not negated", 0.8),
    "relations.basedOn": ("'builds on / based on / extends / fine-tuned from / initialized from / backbone'", 0.7),
    "relations.basedOn.combines": ("'combines ... with', 'generalizes'", 0.5),
    "relations.basedOn.described": ("a method or model named in the description of the paper's own system "
                                    "('X, an enhanced CI-MPC algorithm', 'X: A ... Diffusion Model')", 0.7),
    "relations.basedOn.opening": ("a method or model in a sentence's opening 'Built on / Building upon / Based on X,' "
                                  "before the paper's own system or its authors", 0.7),
    "relations.evaluatedOn.own_data": ("a named method or model after 'we evaluate / benchmark / test / assess' in a "
                                       "paper that contributes a benchmark or dataset and no system", 0.7),
    "relations.uses.inspired": ("'inspired by' (typology: uses)", 0.6),
    "relations.trainedOn": ("'trained / pre-trained / fine-tuned ... on' before a dataset", 0.8),
    "relations.evaluatedOn": ("'on / in / across X' before a benchmark or dataset in a sentence about evaluation", 0.8),
    "relations.uses": ("'uses / leverages / employs / with / via / by' before the tail", 0.6),
    "relations.uses.task": ("'via / using / based on' before a task, or 'X-based'", 0.5),
    "relations.uses.title": ("a method named in the title of a paper that names its own", 0.6),
    "relations.addresses": ("'for / to / in / address / tackle' before a task, or 'X tasks'", 0.7),
    "relations.addresses.title": ("a task in the title", 0.8),
    "relations.measuredBy": ("a benchmark and a metric in one sentence with a number", 0.5),
}


def smoothed(hits: int, support: int, prior: float) -> float:
    """A precision smoothed toward the rule's prior: a rule that rarely fires keeps its prior.

    >>> smoothed(0, 0, 0.7), smoothed(9, 10, 0.5), smoothed(90, 100, 0.5)
    (0.7, 0.767, 0.881)
    """
    return round((hits + SMOOTHING * prior) / (support + SMOOTHING), 3)


def measure_relations() -> list[dict]:
    """Each relation rule's precision on the gold mentions of the annotated papers, its head the
    gold proposed method (or PAPER), as at run time."""
    import train_models as T

    feat = T.Featurizer()
    counts: Counter = Counter()
    for p in T.load_dev():
        g = T.gold_paper(feat, p)
        gold = {(r["head"], r["type"], r["tail"]) for r in p.get("relations", [])}
        for h in {(h.head, h.type, h.tail, h.rule) for h in g["hits"]}:
            counts[h[3], "support"] += 1
            counts[h[3], "hits"] += h[:3] in gold
    out = []
    for rule, (fires_on, prior) in RELATION_RULES.items():
        n, hits = counts[rule, "support"], counts[rule, "hits"]
        conf = smoothed(hits, n, prior)
        out.append({"id": rule, "component": "kg_relations", "fires_on": fires_on, "prior": prior, "support": n,
                    "span_precision": None, "precision": round(hits / n, 3) if n else None,
                    "confidence": conf, "span_confidence": conf, "types": {}})
    return out


def measure() -> list[dict]:
    import train_models as T
    from kg.nlp.lexicon import CANDIDATES
    from kg.nlp.mentions import versioned_names

    papers = T.load_dev()
    feat = T.Featurizer(title_tasks=True)  # every rule the default mode runs
    counts: Counter = Counter()
    types: dict[str, Counter] = {}
    for p in papers:
        doc = feat.doc(p)
        gold = {(m["start"], m["end"]): m["type"] for m in p["entities"]}
        seen = set()
        candidates = list(doc.spans.get(CANDIDATES, []))
        for s in candidates + versioned_names(doc, candidates):  # the resolver adds the versioned names
            key = (s.start_char, s.end_char, s.id_)
            if key in seen:
                continue
            seen.add(key)
            g = gold.get((s.start_char, s.end_char))
            counts[s.id_, "support"] += 1
            counts[s.id_, "span"] += g is not None
            counts[s.id_, "typed"] += g == s.label_
            types.setdefault(s.id_, Counter())[s.label_] += 1
    out = []
    for rule, (component, fires_on, prior) in MENTION_RULES.items():
        n = counts[rule, "support"]
        hits = counts[rule, "typed"]
        out.append({"id": rule, "component": component, "fires_on": fires_on, "prior": prior, "support": n,
                    "span_precision": round(counts[rule, "span"] / n, 3) if n else None,
                    "precision": round(hits / n, 3) if n else None,
                    "confidence": smoothed(hits, n, prior),
                    "span_confidence": smoothed(counts[rule, "span"], n, prior),
                    "types": dict(sorted(types.get(rule, Counter()).items()))})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print the table only")
    ap.add_argument("--out", type=Path, default=ROOT / "ontology" / "rules" / "rules.jsonl")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus").is_dir():
        print(f"measure_rules: {SHARED} is not here (it holds the annotated papers); nothing to measure.")
        return 0
    rows = measure() + measure_relations()
    print("| rule | fires | span precision | typed precision | confidence |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['id']} | {r['support']} | {r['span_precision']} | {r['precision']} | {r['confidence']} |")
    if not args.check:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        tmp.replace(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
