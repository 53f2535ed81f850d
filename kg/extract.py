"""Run the NLP pipeline over papers: Paper -> spaCy Doc -> PaperExtraction.

:func:`extract_batch` is a pure function of a batch of papers (given the pipeline), so the
same code runs in one process, in a local process pool (``workers``), or under a
distributed engine that maps it over partitions of a corpus.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .model import Evidence, Mention, Paper, PaperExtraction, Relation, Result
from .nlp.mentions import MENTIONS
from .nlp.pipeline import build_nlp


def doc_to_extraction(doc: Doc, paper: Paper) -> PaperExtraction:
    """Turn an annotated Doc into the records of one paper."""
    sentences = {s.start: (s.start_char, s.end_char) for s in doc.sents}
    mentions = []
    hints = doc._.kg_type_hints or {}
    for span in doc.spans.get(MENTIONS, []):
        s_start, s_end = sentences.get(span.sent.start, (0, len(doc.text)))
        mentions.append(Mention(
            paper_id=paper.id, start=span.start_char, end=span.end_char, text=span.text,
            type=hints.get(span.kb_id_, span.label_), canonical=span.kb_id_, component=span.id_,
            sentence_start=s_start, sentence_end=s_end))
    text = doc.text

    def evidence(a: int, b: int, conf: float, rule: str) -> Evidence:
        return Evidence(paper.id, text[a:b].strip(), a, b, conf, rule)

    relations = [Relation(h.head, h.type, h.tail, evidence(h.sent_start, h.sent_end, h.confidence, h.rule))
                 for h in doc._.kg_relations or []]
    results = [Result(r.subject, r.benchmark, r.metric, r.value, r.number, r.unit,
                      evidence(r.sent_start, r.sent_end, 0.6, r.rule)) for r in doc._.kg_results or []]
    abbreviations = {s: v[0] for s, v in (doc._.kg_abbreviations or {}).items() if v[1]}
    return PaperExtraction(paper=paper, mentions=mentions, proposes=list(doc._.kg_proposes or []),
                           relations=relations, results=results, abbreviations=abbreviations)


def extract_batch(papers: list[Paper], nlp: Language | None = None) -> list[PaperExtraction]:
    """Extract one batch of papers.

    >>> [x.paper.id for x in extract_batch([Paper("a", "", "We evaluate on the CALVIN benchmark.")])]
    ['a']
    """
    nlp = nlp or _process_nlp()
    docs = nlp.pipe((p.text for p in papers), batch_size=max(1, len(papers)))
    return [doc_to_extraction(doc, p) for doc, p in zip(docs, papers)]


_NLP: Language | None = None


def _process_nlp() -> Language:
    """One pipeline per process: building the lexicon matcher takes seconds."""
    global _NLP
    if _NLP is None:
        _NLP = build_nlp()
    return _NLP


def _batches(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    it = iter(papers)
    while batch := list(itertools.islice(it, size)):
        yield batch


def extract_papers(papers: Iterable[Paper], *, nlp: Language | None = None, workers: int = 1,
                   batch_size: int = 256) -> Iterator[PaperExtraction]:
    """Extract every paper, streaming: memory stays flat in the number of papers.

    With ``workers > 1`` batches go to a process pool (each process builds the pipeline
    once); results come back in input order.
    """
    if workers <= 1:
        nlp = nlp or _process_nlp()
        for batch in _batches(papers, batch_size):
            yield from extract_batch(batch, nlp)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers) as pool:
        for out in pool.imap(extract_batch, _batches(papers, batch_size), chunksize=1):
            yield from out
