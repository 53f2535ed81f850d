"""Train kg's learned components from annotated abstracts, and measure them by cross-validation.

    python scripts/train_models.py                 # train on all annotated dev papers, write kg/models/
    python scripts/train_models.py --cv 5          # 5-fold cross-validation: score.py figures per set
    python scripts/train_models.py --cv 5 --json cv.json

Needs the project's shared folder beside the checkout (``../shared``: the annotated papers in
``corpus/*.gold.jsonl`` and the scorer in ``eval/``) and scikit-learn (``pip install -e ".[train]"``);
without them it says so and exits. kg itself needs neither: it ships only the weights.

The mention classifier (:mod:`kg.nlp.spans`) learns from every annotated paper of seed-dev,
arxiv25-dev and acl-dev: each candidate span (rule candidates and term candidates) is labelled
with the type of the gold mention of exactly that span, or O. Training is deterministic (L-BFGS
from zeros, papers in file order), so the same data gives the same model file, byte for byte.

Cross-validation splits the papers of all sets into K folds by a hash of the paper id; each fold's
papers are extracted with a model trained on the other folds (the head-word vocabulary included),
and the predictions are scored per set with ``eval/score.py``, as ``benchmarks/evaluate.py`` does.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from evaluate import DEV_SETS, load_dev  # noqa: E402  (benchmarks/evaluate.py: the annotated sets)

#: regularisation of the logistic regression (inverse strength), chosen by cross-validation
C = 0.3
#: the probability of being a mention at which a candidate no rule proposed is added, chosen by
#: cross-validation (0.35, 0.5 and 0.7 tried: 0.5 as good as 0.7 and better than 0.35)
THRESHOLD = 0.5
#: a feature seen in fewer training candidates than this is dropped
MIN_COUNT = 2


def fold_of(paper_id: str, k: int) -> int:
    return int(hashlib.sha1(paper_id.encode("utf-8")).hexdigest(), 16) % k


def lexicon_heads(min_count: int = 2) -> set[str]:
    """Last words of the lexicon's task, method and metric names (and their aliases)."""
    from kg.nlp.lexicon import load_lexicon
    from kg.nlp.spans import head_form
    counts: Counter = Counter()
    for e in load_lexicon().unique_entries():
        if e.type in ("Task", "Method", "Metric"):
            for n in (e.name, *e.aliases):
                w = n.split()[-1] if n.split() else ""
                if w.isalpha() and len(w) > 2 and w.islower():
                    counts[head_form(w)] += 1
    return {w for w, n in counts.items() if n >= min_count}


def gold_heads(papers: list[dict]) -> set[str]:
    from kg.nlp.spans import head_form
    out = set()
    for p in papers:
        for m in p["entities"]:
            w = m["text"].split()[-1] if m["text"].split() else ""
            if w.isalpha() and len(w) > 2:
                out.add(head_form(w))
    return out


class Featurizer:
    """Runs the rule stages once per paper and gives each candidate's features and label."""

    def __init__(self, title_tasks: bool = False):
        from kg.nlp.lexicon import load_lexicon, load_terms
        from kg.nlp.pipeline import build_nlp
        # by default the candidates the accurate pipeline gives its classifier: no title problems
        # from the rules (``title_tasks=True`` for measuring every rule)
        self.nlp = build_nlp(mode="rules", relations=False, exclude=("kg_mentions",), title_tasks=title_tasks)
        self.lexicon = load_lexicon()
        self.terms = load_terms()
        self.docs: dict[str, object] = {}

    def doc(self, paper: dict):
        d = self.docs.get(paper["id"])
        if d is None:
            d = self.docs[paper["id"]] = self.nlp(paper["text"])
        return d

    def examples(self, papers: list[dict], heads: set[str]) -> tuple[list[list[str]], list[str]]:
        from kg.nlp.linear import LinearModel
        from kg.nlp.spans import SpanClassifier, flatten
        probe = SpanClassifier(self.lexicon, LinearModel(("O",), {}, [0.0], {"heads": sorted(heads)}),
                               terms=self.terms)
        X, y = [], []
        for p in papers:
            doc = self.doc(p)
            gold = {(m["start"], m["end"]): m["type"] for m in p["entities"]}
            _view, cands, feats = probe.candidates(doc)
            for c, f in zip(cands, feats):
                X.append(flatten(f))
                y.append(gold.get((doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])), "O"))
        return X, y


def fit(X: list[list[str]], y: list[str], labels: tuple[str, ...], c: float, meta: dict):
    """A logistic regression over binary features; returns kg's :class:`LinearModel`.

    Features seen in fewer than ``MIN_COUNT`` examples are dropped; a label never seen in
    training gets a bias that keeps it from ever being predicted.
    """
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from kg.nlp.linear import LinearModel

    counts = Counter(f for feats in X for f in set(feats))
    rows = [{f: 1 for f in feats if counts[f] >= MIN_COUNT} for feats in X]
    vec = DictVectorizer(sort=True)
    M = vec.fit_transform(rows)
    seen = [lab for lab in labels if lab in set(y)]
    if len(seen) < 2:
        raise ValueError(f"too few kinds of label to train on: {seen}")
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    clf.fit(M, np.array([seen.index(v) for v in y]))
    coef = np.zeros((M.shape[1], len(labels)))
    bias = np.full(len(labels), -30.0)
    if len(seen) == 2:  # one weight vector: the log-odds of the second label against the first
        coef[:, labels.index(seen[1])] = clf.coef_[0]
        bias[labels.index(seen[0])], bias[labels.index(seen[1])] = 0.0, clf.intercept_[0]
    else:
        for j, lab in enumerate(seen):
            coef[:, labels.index(lab)] = clf.coef_[j]
            bias[labels.index(lab)] = clf.intercept_[j]
    names = vec.get_feature_names_out()
    weights = {str(f): coef[i].tolist() for i, f in enumerate(names) if np.abs(coef[i]).max() >= 1e-3}
    return LinearModel(labels, weights, bias.tolist(), {**meta, "C": c, "examples": len(y), "features": len(weights)})


def train(X: list[list[str]], y: list[str], heads: set[str], c: float = C, threshold: float = THRESHOLD):
    """The mention classifier."""
    from kg.nlp.spans import LABELS
    return fit(X, y, LABELS, c, {"heads": sorted(heads), "threshold": threshold})


#: the relation and proposal models' regularisation and thresholds, chosen by cross-validation
RELATION_C, RELATION_THRESHOLD = 0.3, 0.3
#: a relation less confident than this (its rule's or the model's, times its tail's) is not drawn
RELATION_MIN_CONFIDENCE = 0.2
#: the relation model's own addresses and uses are drawn from a higher confidence: chosen on the
#: cross-validated predictions of the three dev sets for precision first (the issue's "right
#: first, then complete"): relations precision 0.555 -> 0.624 at F1 0.517 -> 0.511
RELATION_MIN_CONFIDENCE_BY_TYPE = {"addresses": 0.5, "uses": 0.35}
PROPOSAL_C = 0.3
#: a name the proposal rules found stays proposed unless the model's probability is below KEEP; one
#: they did not find is added at ADD or above (cross-validated: rules alone 0.947 / 0.859 / 0.750
#: proposes F1 on seed / arxiv25 / acl with gold mentions, the model alone 0.929 / 0.870 / 0.800,
#: this 0.947 / 0.870 / 0.757)
PROPOSAL_KEEP, PROPOSAL_ADD = 0.3, 0.8
#: when a gold pair holds two relations, the one the relation model learns
_RELATION_ORDER = ("basedOn", "evaluatedOn", "trainedOn", "outperforms", "addresses", "uses")


def gold_paper(feat: Featurizer, p: dict) -> dict:
    """One annotated paper as the relation stage sees it, with the gold mentions in place of kg's:
    the Doc, the mentions, the gold proposals and head, and what the sentence rules find."""
    from spacy.tokens import Span

    from kg.nlp.mentions import MENTIONS
    from kg.nlp.doctext import sentences_with
    from kg.nlp.relations import RelationExtractor, main_head, paper_view

    doc = feat.doc(p)
    spans = []
    for m in sorted(p["entities"], key=lambda m: m["start"]):
        s = doc.char_span(m["start"], m["end"], alignment_mode="expand")
        if s is not None and (not spans or s.start >= spans[-1].end):
            spans.append(Span(doc, s.start, s.end, label=m["type"], kb_id=m["canonical"]))
    doc.spans[MENTIONS] = spans
    sentences = sentences_with(doc, spans)
    rules = RelationExtractor(lexicon=feat.lexicon)
    proposes = list(p.get("proposes", []))
    types: dict[str, str] = {}
    for s in spans:
        types.setdefault(s.kb_id_, s.label_)
    head = main_head(proposes, types)
    hits = rules.stated_relations(doc, sentences, head, proposes)
    return {"doc": doc, "view": paper_view(doc, spans), "spans": spans, "types": types, "proposes": proposes,
            "head": head, "hits": hits, "rule_proposes": rules.proposals(doc, spans, sentences)}


def relation_examples(feat: Featurizer, papers: list[dict]):
    """Proposal and relation examples from the gold mentions of ``papers``: for each entity of a
    paper, whether the paper proposes it, and the gold relation of the paper's own method (or
    PAPER) to it; with the same evidence from the rules that kg computes at run time."""
    from kg.nlp.relations import OWN
    from kg.nlp.relation_model import RELATION_LABELS, proposal_features, relation_features

    Xp, yp, Xr, yr = [], [], [], []
    for p in papers:
        g = gold_paper(feat, p)
        view, types, head, proposes = g["view"], g["types"], g["head"], g["proposes"]
        for name, t in types.items():
            if t in OWN:
                Xp.append(proposal_features(view, name, name in g["rule_proposes"],
                                            feat.lexicon.lookup(name) is not None))
                yp.append("yes" if name in proposes else "no")
        rule_types: dict[str, set[str]] = {}
        for h in g["hits"]:
            if h.head == head:
                rule_types.setdefault(h.tail, set()).add(h.type)
        gold = {}
        for r in p.get("relations", []):
            if r["head"] == head and r["type"] in RELATION_LABELS:
                gold.setdefault(r["tail"], set()).add(r["type"])
        for tail in types:
            if tail == head:
                continue
            Xr.append(relation_features(view, tail, head, set(proposes), rule_types.get(tail, set()), tail in proposes))
            yr.append(next((r for r in _RELATION_ORDER if r in gold.get(tail, ())), "none"))
    return Xp, yp, Xr, yr


def train_all(feat: Featurizer, papers: list[dict], heads: set[str], out: Path, c: float = C,
              threshold: float = THRESHOLD) -> dict:
    """Train the three models on ``papers`` and write them into the folder ``out``."""
    from kg.nlp.relation_model import PROPOSAL_LABELS, RELATION_LABELS
    X, y = feat.examples(papers, heads)
    mentions = train(X, y, heads, c, threshold)
    mentions.save(out / "mentions.json.gz")
    Xp, yp, Xr, yr = relation_examples(feat, papers)
    proposals = fit(Xp, yp, PROPOSAL_LABELS, PROPOSAL_C, {"keep_threshold": PROPOSAL_KEEP,
                                                          "add_threshold": PROPOSAL_ADD})
    proposals.save(out / "proposals.json.gz")
    relations = fit(Xr, yr, RELATION_LABELS, RELATION_C, {"threshold": RELATION_THRESHOLD,
                                                          "min_confidence": RELATION_MIN_CONFIDENCE,
                                                          "min_confidence_by_type": RELATION_MIN_CONFIDENCE_BY_TYPE})
    relations.save(out / "relations.json.gz")
    return {"mentions": (len(y), Counter(y)), "proposals": (len(yp), Counter(yp)), "relations": (len(yr), Counter(yr))}


def predictions(papers: list[dict], models_dir: Path | None, mode: str = "accurate") -> dict[str, dict]:
    """Extract ``papers`` with the full pipeline and return score.py prediction records."""
    from evaluate import predict_papers
    return predict_papers(papers, models_dir=models_dir, mode=mode)


def cross_validate(k: int, papers: list[dict], c: float = C, threshold: float = THRESHOLD,
                   modes: tuple[str, ...] = ("default", "accurate")) -> dict[str, dict[str, dict]]:
    """Predictions for every paper, by ``mode``, each from models trained without its fold."""
    feat = Featurizer()
    lex = lexicon_heads()
    preds: dict[str, dict[str, dict]] = {m: {} for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(k):
            t = time.perf_counter()
            train_p = [p for p in papers if fold_of(p["id"], k) != fold]
            test_p = [p for p in papers if fold_of(p["id"], k) == fold]
            folder = Path(tmp) / f"fold{fold}"
            sizes = train_all(feat, train_p, lex | gold_heads(train_p), folder, c, threshold)
            for mode in modes:
                preds[mode].update(predictions(test_p, folder, mode))
            print(f"fold {fold + 1}/{k}: trained on {len(train_p)} papers ({sizes['mentions'][0]} candidates), "
                  f"extracted {len(test_p)} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    return preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation instead of training")
    ap.add_argument("--C", type=float, default=C, help=f"inverse regularisation strength (default {C})")
    ap.add_argument("--threshold", type=float, default=THRESHOLD, help=f"mention probability to keep a span (default {THRESHOLD})")
    ap.add_argument("--json", type=Path, help="with --cv: also write the figures as JSON")
    ap.add_argument("--predictions", type=Path, metavar="DIR",
                    help="with --cv: write the cross-validated predictions, SET.MODE.pred.jsonl, into DIR")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "models", help="folder to write the models to")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus").is_dir():
        print(f"train_models: {SHARED} is not here (it holds the annotated papers); nothing to train on.")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_models: needs scikit-learn (pip install -e '.[train]')")
        return 2
    papers = load_dev()
    if args.cv:
        from evaluate import score_sets
        by_mode = cross_validate(args.cv, papers, args.C, args.threshold)
        rows = [{"mode": mode, **row} for mode, preds in by_mode.items() for row in score_sets(papers, preds)]
        if args.predictions:
            args.predictions.mkdir(parents=True, exist_ok=True)
            for mode, preds in by_mode.items():
                for name in DEV_SETS:
                    with open(args.predictions / f"{name}.{mode}.pred.jsonl", "w", encoding="utf-8") as f:
                        for p in papers:
                            if p["set"] == name:
                                f.write(json.dumps(preds[p["id"]]) + "\n")
        for r in rows:
            print(json.dumps(r))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), "utf-8")
        return 0
    sizes = train_all(Featurizer(), papers, lexicon_heads() | gold_heads(papers), args.out, args.C, args.threshold)
    for name, (n, labels) in sizes.items():
        print(f"wrote {args.out / (name + '.json.gz')}: {n} examples from {len(papers)} papers ({labels.most_common()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
