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

SETS = ("seed-dev", "arxiv25-dev", "acl-dev")
#: regularisation of the logistic regression (inverse strength), chosen by cross-validation
C = 0.3
#: the probability of being a mention at which a candidate is kept, chosen by cross-validation
THRESHOLD = 0.5
#: a feature seen in fewer training candidates than this is dropped
MIN_COUNT = 2


def load_gold(sets=SETS) -> list[dict]:
    papers = []
    for name in sets:
        for line in (SHARED / "corpus" / f"{name}.gold.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                d["set"] = name
                papers.append(d)
    return papers


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

    def __init__(self):
        from kg.nlp.lexicon import load_lexicon, load_terms
        from kg.nlp.pipeline import build_nlp
        self.nlp = build_nlp(rules_only=True, relations=False, exclude=("kg_mentions",))
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
        from kg.nlp.spans import SpanClassifier
        probe = SpanClassifier(self.lexicon, LinearModel(("O",), {}, [0.0], {"heads": sorted(heads)}),
                               terms=self.terms)
        X, y = [], []
        for p in papers:
            doc = self.doc(p)
            gold = {(m["start"], m["end"]): m["type"] for m in p["entities"]}
            _view, cands, feats = probe.candidates(doc)
            for c, f in zip(cands, feats):
                X.append(f)
                y.append(gold.get((doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])), "O"))
        return X, y


def train(X: list[list[str]], y: list[str], heads: set[str], c: float = C, threshold: float = THRESHOLD):
    """A logistic regression over the features; returns kg's :class:`LinearModel`."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from kg.nlp.linear import LinearModel
    from kg.nlp.spans import LABELS

    counts = Counter(f for feats in X for f in set(feats))
    rows = [{f: 1 for f in feats if counts[f] >= MIN_COUNT} for feats in X]
    vec = DictVectorizer(sort=True)
    M = vec.fit_transform(rows)
    labels = [lab for lab in LABELS if lab in set(y)]
    if len(labels) < 3:
        raise ValueError(f"too few kinds of label to train on: {labels}")
    clf = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    clf.fit(M, np.array([labels.index(v) for v in y]))
    coef = np.zeros((M.shape[1], len(LABELS)))
    bias = np.full(len(LABELS), -30.0)  # a label never seen in training is never predicted
    for j, lab in enumerate(labels):
        coef[:, LABELS.index(lab)] = clf.coef_[j]
        bias[LABELS.index(lab)] = clf.intercept_[j]
    names = vec.get_feature_names_out()
    weights = {str(f): coef[i].tolist() for i, f in enumerate(names) if np.abs(coef[i]).max() >= 1e-3}
    return LinearModel(LABELS, weights, bias.tolist(), {"heads": sorted(heads), "C": c, "threshold": threshold, "examples": len(y),
                                                        "features": len(weights)})


def predictions(papers: list[dict], model_path: Path | None, rules_only: bool = False) -> dict[str, dict]:
    """Extract ``papers`` with the full pipeline and return score.py prediction records."""
    from evaluate import predict_papers
    return predict_papers(papers, span_model=model_path, rules_only=rules_only)


def cross_validate(k: int, papers: list[dict], c: float = C, threshold: float = THRESHOLD) -> dict[str, dict]:
    feat = Featurizer()
    lex = lexicon_heads()
    preds: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(k):
            t = time.perf_counter()
            train_p = [p for p in papers if fold_of(p["id"], k) != fold]
            test_p = [p for p in papers if fold_of(p["id"], k) == fold]
            heads = lex | gold_heads(train_p)
            X, y = feat.examples(train_p, heads)
            model = train(X, y, heads, c, threshold)
            path = Path(tmp) / f"fold{fold}.json.gz"
            model.save(path)
            preds.update(predictions(test_p, path))
            print(f"fold {fold + 1}/{k}: trained on {len(train_p)} papers ({len(y)} candidates), "
                  f"extracted {len(test_p)} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    return preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation instead of training")
    ap.add_argument("--C", type=float, default=C, help=f"inverse regularisation strength (default {C})")
    ap.add_argument("--threshold", type=float, default=THRESHOLD, help=f"mention probability to keep a span (default {THRESHOLD})")
    ap.add_argument("--json", type=Path, help="with --cv: also write the figures as JSON")
    ap.add_argument("--predictions", type=Path, metavar="DIR",
                    help="with --cv: write the cross-validated predictions, SET.pred.jsonl, into DIR")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "models" / "mentions.json.gz")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus").is_dir():
        print(f"train_models: {SHARED} is not here (it holds the annotated papers); nothing to train on.")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_models: needs scikit-learn (pip install -e '.[train]')")
        return 2
    papers = load_gold()
    if args.cv:
        from evaluate import score_sets
        preds = cross_validate(args.cv, papers, args.C, args.threshold)
        rows = score_sets(papers, preds)
        if args.predictions:
            args.predictions.mkdir(parents=True, exist_ok=True)
            for name in SETS:
                with open(args.predictions / f"{name}.pred.jsonl", "w", encoding="utf-8") as f:
                    for p in papers:
                        if p["set"] == name:
                            f.write(json.dumps(preds[p["id"]]) + "\n")
        for r in rows:
            print(json.dumps(r))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), "utf-8")
        return 0
    feat = Featurizer()
    heads = lexicon_heads() | gold_heads(papers)
    X, y = feat.examples(papers, heads)
    model = train(X, y, heads, args.C, args.threshold)
    model.save(args.out)
    print(f"wrote {args.out}: {model.meta['features']} features, {len(y)} candidates from {len(papers)} papers "
          f"({Counter(y).most_common()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
