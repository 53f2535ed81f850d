#!/usr/bin/env python3
"""Build what the mention classifier knows from unannotated abstracts: word classes and phrase counts.

Writes ``kg/models/word-clusters.tsv.gz`` and ``kg/models/phrases.tsv.gz``.

The mention classifier learns from about two hundred annotated abstracts, too few to have seen
most words. Words that occur in the same contexts in many more (unannotated) abstracts fall
into the same class ("tracking", "avoidance", "estimation"; "robust", "efficient", "scalable"),
so what the classifier learns about one word carries over to its class (the word-cluster
features of Ratinov & Roth, 2009, and Turian et al., 2010).

Corpus: ``../shared/corpus/arxiv25-pool.jsonl.gz`` (3,490 arXiv abstracts, CC0; none is in an
annotated or held-out set) and the CC BY 4.0 part (2016 on) of
``../shared/external/acl-abstracts/abstracts.jsonl.gz`` (26,336 ACL Anthology abstracts).
Method: lower-cased tokens from kg's tokenizer; words seen at least ``MIN_COUNT`` times; counts
of the 4,000 most frequent context words at offsets -2, -1, +1, +2 (kept apart, so the classes
are syntactic as well as topical); positive PMI; a truncated SVD to ``DIM`` dimensions; k-means at
three granularities. Every step is seeded, so the same corpus gives the same file.

Output lines: ``word<TAB>c64<TAB>c256<TAB>c1024`` (gzipped, no timestamp). The file holds word
classes only, no text of the abstracts.

Phrase counts: a term is a phrase that the field uses as a unit. For every run of two to four
words inside a chunk (words between punctuation and function words, as :mod:`kg.nlp.spans` cuts
them), the number of abstracts that use it and the number that use it as a whole chunk
("for trajectory tracking" but not "robot trajectory tracking errors"); phrases used by at least
``MIN_PHRASE_DF`` abstracts are kept. Lines: ``phrase<TAB>abstracts<TAB>as a whole chunk``.

    python scripts/build_background.py [--shared ../shared] [--out kg/models]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIN_COUNT = 5
MIN_PHRASE_DF = 3
CONTEXTS = 4000
DIM = 100
GRANULARITIES = (64, 256, 1024)
SEED = 13


def abstracts(shared: Path):
    with gzip.open(shared / "corpus" / "arxiv25-pool.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield f"{d.get('title') or ''}\n\n{d.get('abstract') or ''}"
    with gzip.open(shared / "external" / "acl-abstracts" / "abstracts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if (d.get("year") or 0) >= 2016:
                yield f"{d.get('title') or ''}\n\n{d.get('abstract') or ''}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "models", help="folder to write both files to")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus" / "arxiv25-pool.jsonl.gz").exists():
        print(f"build_background: {args.shared} is not here (it holds the unannotated abstracts); nothing to build.")
        return 0
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import KMeans
    from sklearn.utils.extmath import randomized_svd

    from kg.nlp.pipeline import build_nlp

    t = time.perf_counter()
    tokenizer = build_nlp(relations=False, exclude=("kg_lexicon", "kg_abbreviations", "kg_names", "kg_spans",
                                                    "kg_mentions")).tokenizer
    from kg.nlp.spans import chunks, doc_view
    docs, chunked = [], []
    for doc in tokenizer.pipe(abstracts(args.shared)):
        docs.append([tok.lower_ for tok in doc if not tok.is_space])
        chunked.append(chunks(doc_view(doc)))
    counts = Counter(w for d in docs for w in d)
    vocab = sorted(w for w, n in counts.items() if n >= MIN_COUNT)
    index = {w: i for i, w in enumerate(vocab)}
    contexts = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:CONTEXTS]]
    cindex = {w: i for i, w in enumerate(contexts)}
    print(f"{len(docs)} abstracts, {sum(map(len, docs))} tokens, {len(vocab)} words "
          f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    rows, cols = [], []
    for d in docs:
        ids = [index.get(w, -1) for w in d]
        cids = [cindex.get(w, -1) for w in d]
        for k, offset in enumerate((-2, -1, 1, 2)):
            for i, wi in enumerate(ids):
                j = i + offset
                if wi >= 0 and 0 <= j < len(d) and cids[j] >= 0:
                    rows.append(wi)
                    cols.append(k * CONTEXTS + cids[j])
    m = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                          shape=(len(vocab), 4 * CONTEXTS)).tocsr()
    total = m.sum()
    pw = np.asarray(m.sum(axis=1)).ravel() / total
    pc = np.asarray(m.sum(axis=0)).ravel() / total
    m = m.tocoo()
    pmi = np.log((m.data / total) / (pw[m.row] * pc[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    u, s, _ = randomized_svd(ppmi, n_components=DIM, random_state=SEED)
    vectors = u * np.sqrt(s)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    labels = []
    for k in GRANULARITIES:
        km = KMeans(n_clusters=k, n_init=3, random_state=SEED).fit(vectors)
        labels.append(km.labels_)
        print(f"k-means {k}: done ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    write_gzip(args.out / "word-clusters.tsv.gz",
               (f"{w}\t{labels[0][i]}\t{labels[1][i]}\t{labels[2][i]}\n" for i, w in enumerate(vocab)))
    print(f"wrote word-clusters.tsv.gz: {len(vocab)} words", file=sys.stderr)
    df, whole = phrase_counts(chunked)
    kept = sorted(p for p, n in df.items() if n >= MIN_PHRASE_DF)
    write_gzip(args.out / "phrases.tsv.gz", (f"{p}\t{df[p]}\t{whole[p]}\n" for p in kept))
    print(f"wrote phrases.tsv.gz: {len(kept)} phrases", file=sys.stderr)
    return 0


def phrase_counts(chunked: list[list[list[str]]]) -> tuple[Counter, Counter]:
    """Abstracts using each 2-4 word run of a chunk, and using it as a whole chunk."""
    df: Counter = Counter()
    whole: Counter = Counter()
    for doc_chunks in chunked:
        seen, wholes = set(), set()
        for chunk in doc_chunks:
            n = len(chunk)
            for i in range(n):
                for j in range(i + 2, min(n, i + 4) + 1):
                    seen.add(" ".join(chunk[i:j]))
            if 2 <= n <= 4:
                wholes.add(" ".join(chunk))
        df.update(seen)
        whole.update(wholes)
    return df, whole


def write_gzip(path: Path, lines) -> None:
    """Write text lines gzipped, with no timestamp or name in the header (same input, same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for line in lines:
            if line.count("\t") and "\n" not in line[:-1]:
                f.write(line.encode("utf-8"))
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
