"""Run the NLP pipeline over papers: Paper -> spaCy Doc -> PaperExtraction.

:func:`extract_batch` is a pure function of a batch of papers (given the pipeline): a paper's
extraction depends on its own text only, never on the other papers of the batch, and the
input is not changed. So the same code runs in one process, in a local process pool
(``workers``), or under a distributed engine that maps it over partitions of a corpus.

:func:`extract_papers` streams: it reads ``batch_size`` papers at a time, keeps at most
``2 * workers`` batches in flight, and yields results in input order, so its memory does not
grow with the number of papers (only what the caller keeps does).
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import re
import sys
import weakref
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .model import Evidence, Mention, Paper, PaperExtraction, Relation, Result
from .nlp.mentions import MENTIONS
from .nlp.doctext import doc_sentences, doc_text
from .nlp.pipeline import build_nlp

_intern = sys.intern
log = logging.getLogger(__name__)

#: papers per ``nlp.pipe`` call (and per task sent to a worker process)
DEFAULT_BATCH_SIZE = 256


def doc_to_extraction(doc: Doc, paper: Paper) -> PaperExtraction:
    """Turn an annotated Doc into the records of one paper.

    Mentions carry the character span of their sentence: the sentence of ``doc.sents`` that
    holds the mention's first token (what ``span.sent`` gives, found here by bisection
    over the sentence starts, since ``span.sent`` and ``doc.text`` are linear scans in spaCy).
    """
    text = doc_text(doc)
    sent_starts: list[int] = []
    sent_chars: list[tuple[int, int]] = []
    for s in doc_sentences(doc):
        sent_starts.append(s.start)
        sent_chars.append((s.start_char, s.end_char))
    pid = _intern(paper.id)
    ext = doc._  # one accessor object for all of kg's attributes (each ``doc._`` builds one)
    hints = ext.kg_type_hints or {}
    mentions = []
    group = doc.spans.get(MENTIONS, [])
    confidences = group.attrs.get("confidence") if group else None
    for k, span in enumerate(group):
        i = bisect_right(sent_starts, span.start) - 1
        s_start, s_end = sent_chars[i] if i >= 0 else (0, len(text))
        canonical = span.kb_id_
        mentions.append(Mention(
            paper_id=pid, start=span.start_char, end=span.end_char, text=text[span.start_char:span.end_char],
            type=_intern(hints.get(canonical, span.label_)), canonical=_intern(canonical),
            component=_intern(span.id_), sentence_start=s_start, sentence_end=s_end,
            confidence=confidences[k] if confidences else 1.0))

    def evidence(a: int, b: int, conf: float, rule: str) -> Evidence:
        return Evidence(pid, text[a:b].strip(), a, b, conf, _intern(rule))

    relations = [Relation(_intern(h.head), _intern(h.type), _intern(h.tail),
                          evidence(h.sent_start, h.sent_end, h.confidence, h.rule))
                 for h in ext.kg_relations or []]
    results = [Result(r.subject, r.benchmark, r.metric, r.value, r.number, r.unit,
                      evidence(r.sent_start, r.sent_end, 0.6, r.rule)) for r in ext.kg_results or []]
    abbreviations = {s: v[0] for s, v in (ext.kg_abbreviations or {}).items() if v[1]}
    return PaperExtraction(paper=paper, mentions=mentions, proposes=list(ext.kg_proposes or []),
                           relations=relations, results=results, abbreviations=abbreviations)


#: how many recurring words a process keeps tokenized for good (a few hundred bytes each, with
#: their lexemes and cache entries): a stream of abstracts repeats fewer distinct words than this
RECURRING_WORDS_KEPT = 100_000
#: how many words seen once a process keeps, waiting for them to recur, before it starts afresh
WORDS_SEEN_ONCE_KEPT = 400_000


class _RecurringWords:
    """The words a pipeline was given outside memory zones, and the ones seen once so far."""

    def __init__(self):
        self.kept: set[str] = set()
        self.seen_once: set[str] = set()


_recurring_words: weakref.WeakKeyDictionary[Language, _RecurringWords] = weakref.WeakKeyDictionary()


def remember_recurring_words(nlp: Language, texts: list[str]) -> int:
    """Tokenize, outside any memory zone, the whitespace-separated words that recur across
    texts (in two of ``texts``, or in one after an earlier call saw them) and were not
    remembered before, at most :data:`RECURRING_WORDS_KEPT` per pipeline; returns how many it added.

    Inside a memory zone spaCy's tokenizer caches nothing: each word is split by the prefix,
    suffix and infix rules again and its lexeme made and freed, which cost a quarter of the
    extraction time. Words tokenized outside a zone stay in the tokenizer's cache and the
    vocabulary, so later batches read them from there; the tokens are the same either way. A
    word one paper repeats (its own system's name) is not kept for that: the vocabulary would
    grow with the papers again.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> remember_recurring_words(nlp, ["we tune Zorbl and Zorbl", "we tune PPO"])  # we, tune
    2
    >>> remember_recurring_words(nlp, ["PPO and DPO"])  # PPO and "and": seen before
    2
    """
    words = _recurring_words.get(nlp)
    if words is None:
        words = _recurring_words[nlp] = _RecurringWords()
    room = RECURRING_WORDS_KEPT - len(words.kept)
    if room <= 0:
        return 0
    counts = Counter(word for text in texts for word in dict.fromkeys(text.split()))  # in text order
    new = []
    for w, n in counts.items():
        if w in words.kept:
            continue
        if n > 1 or w in words.seen_once:
            new.append(w)
        else:
            words.seen_once.add(w)
    new = new[:room]
    if new:
        words.kept.update(new)
        words.seen_once.difference_update(new)
        tokenizer = nlp.tokenizer
        for w in new:  # one at a time: spaCy caches no word of a text after one it has a special case for
            tokenizer(w)
    if len(words.seen_once) > WORDS_SEEN_ONCE_KEPT:
        words.seen_once.clear()
    return len(new)


def extract_batch(papers: list[Paper], nlp: Language | None = None) -> list[PaperExtraction]:
    """Extract one batch of papers (pure: each paper's result depends on that paper alone).

    >>> [x.paper.id for x in extract_batch([Paper("a", "", "We evaluate on the CALVIN benchmark.")])]
    ['a']
    """
    nlp = nlp or _process_nlp()
    try:
        remember_recurring_words(nlp, [p.text for p in papers])
    except Exception:  # noqa: BLE001 - a speed-up only: the batch is extracted the same without it
        log.debug("could not keep the batch's recurring words tokenized", exc_info=True)
    # a memory zone frees the strings, lexemes and tokenizer cache entries this batch adds to the
    # shared vocabulary: without it they stay for the life of the process (a corpus of 200,000
    # papers held 1.9 GB); the Docs die with the zone, after their records are taken out
    with nlp.memory_zone():
        try:
            docs = nlp.pipe((p.text for p in papers), batch_size=max(1, len(papers)))
            return [doc_to_extraction(doc, p) for doc, p in zip(docs, papers)]
        except Exception:  # noqa: BLE001 - one bad paper must not cost the batch: retry one by one
            return [_extract_one(p, nlp) for p in papers]


def _extract_one(paper: Paper, nlp: Language) -> PaperExtraction:
    """One paper; if the pipeline fails on it, the paper is kept without entities and the
    failure is logged with its id, so no paper is dropped silently."""
    try:
        return doc_to_extraction(nlp(paper.text), paper)
    except Exception as exc:  # noqa: BLE001
        log.warning("extraction failed for paper %s (%s): %s: %s; it is kept without entities",
                    paper.id, paper.source or "no source", type(exc).__name__, exc)
        return PaperExtraction(paper)


_NLP: dict[str, Language] = {}


def _process_nlp(mode: str = "default") -> Language:
    """One pipeline per process and mode (:data:`kg.nlp.pipeline.MODES`): building the lexicon
    matcher takes seconds."""
    if mode not in _NLP:
        _NLP[mode] = build_nlp(mode=mode)
    return _NLP[mode]


def _batches(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    it = iter(papers)
    while batch := list(itertools.islice(it, size)):
        yield batch


# --- worker processes ------------------------------------------------------------------------
#: the pipeline a forked worker uses (set in the parent just before the pool forks)
_WORKER_NLP: Language | None = None

_Parts = tuple  # (mentions, proposes, relations, results, abbreviations) of one paper


def _extract_parts(papers: list[Paper]) -> list[_Parts]:
    """Run in a worker: the records of each paper without the paper itself.

    The parent already holds the Paper objects, so sending them back would only double the
    pickling and leave the parent with a second copy of every text.
    """
    nlp = _WORKER_NLP or _process_nlp()
    return [(x.mentions, x.proposes, x.relations, x.results, x.abbreviations)
            for x in extract_batch(papers, nlp)]


def _pool_context():
    # fork: workers inherit the parent's pipeline (built once, shared copy-on-write) and
    # start at once; elsewhere each worker builds its own pipeline on its first batch
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()


def extract_papers(papers: Iterable[Paper], *, nlp: Language | None = None, workers: int = 1,
                   batch_size: int = DEFAULT_BATCH_SIZE, mode: str = "default",
                   dask: str | None = None) -> Iterator[PaperExtraction]:
    """Extract every paper, streaming: memory stays flat in the number of papers.

    Papers are read lazily, ``batch_size`` at a time; the pipeline is built on the first
    batch (so an empty input costs nothing). With ``workers > 1`` batches go to a process
    pool; at most ``2 * workers`` batches are in flight, and results come back in input order.
    A custom ``nlp`` with ``workers > 1`` needs the ``fork`` start method (Linux, macOS
    with fork): it is inherited by the workers, not pickled. With ``dask`` (a scheduler
    address, or ``local:N``) the batches go to a Dask cluster instead (:func:`extract_on_dask`).
    """
    global _WORKER_NLP
    batches = _batches(papers, batch_size)
    if dask is not None:
        if nlp is not None:
            raise ValueError("a custom nlp cannot be sent to a Dask cluster: its workers build their own")
        yield from extract_on_dask(batches, dask, mode=mode)
        return
    if workers <= 1:
        for batch in batches:
            nlp = nlp or _process_nlp(mode)
            yield from extract_batch(batch, nlp)
        return
    first = next(batches, None)
    if first is None:
        return
    ctx = _pool_context()
    if ctx.get_start_method() == "fork":
        _WORKER_NLP = nlp or _process_nlp(mode)  # build once, before forking
    elif nlp is not None or mode != "default":
        raise ValueError("a custom nlp or mode with workers > 1 needs the 'fork' start method")
    try:
        with ctx.Pool(workers) as pool:
            yield from _in_order(itertools.chain([first], batches),
                                 lambda batch: pool.apply_async(_extract_parts, (batch,)), _assemble, 2 * workers)
    finally:
        _WORKER_NLP = None


def _in_order(batches: Iterable[list[Paper]], submit, collect, window: int) -> Iterator[PaperExtraction]:
    """Submit batches (``submit(batch)`` gives a handle), keeping at most ``window`` of them in
    flight, and yield what ``collect(batch, handle)`` makes of each, in input order."""
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, submit(batch)))
        if len(pending) >= window:
            yield from collect(*pending.popleft())
    while pending:
        yield from collect(*pending.popleft())


def _assemble(batch: list[Paper], result) -> Iterator[PaperExtraction]:
    for paper, (mentions, proposes, relations, results, abbreviations) in zip(batch, result.get()):
        yield PaperExtraction(paper, mentions, proposes, relations, results, abbreviations)


# --- a Dask cluster --------------------------------------------------------------------------

def _extract_records(papers: list[Paper], mode: str) -> list[str]:
    """Run on a Dask worker: each paper's extraction as the JSON line the cache stores (the
    paper itself is not sent back). The worker process builds its pipeline once."""
    import json

    from .cache import extraction_to_json

    return [json.dumps(extraction_to_json(x), ensure_ascii=False, separators=(",", ":"))
            for x in extract_batch(papers, _process_nlp(mode))]


def check_dask_address(address: str) -> None:
    """Raise ValueError for an address that is neither ``local:N`` nor a scheduler's, and
    ImportError when Dask's distributed scheduler is not installed; before any work is done.

    >>> check_dask_address("local:0")
    Traceback (most recent call last):
    ...
    ValueError: --dask local:0: local:N needs a number of workers from 1 to 256
    """
    if address.startswith("local:"):
        count = address.split(":", 1)[1]
        if not count.isdigit() or not 1 <= int(count) <= 256:
            raise ValueError(f"--dask {address}: local:N needs a number of workers from 1 to 256")
    elif not re.fullmatch(r"(?:[a-z]+://)?[\w.\-\[\]:]+:\d+/?", address):
        raise ValueError(f"--dask {address}: give a scheduler address (tcp://host:8786) or local:N")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ImportError("--dask needs Dask's distributed scheduler: pip install 'kg[dask]'") from None


def dask_client(address: str):
    """A ``distributed.Client`` for ``address`` (``tcp://host:8786``, any address the
    scheduler gives), or for a new ``LocalCluster`` of N single-threaded worker processes
    (``local:N``); and the cluster to close after, or None."""
    check_dask_address(address)
    from distributed import Client, LocalCluster

    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address.split(":", 1)[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address), None  # waits distributed.comm.timeouts.connect (30 s by default)
    except (OSError, TimeoutError) as e:
        raise ConnectionError(f"--dask {address}: cannot reach the scheduler ({e})") from None


def extract_on_dask(batches: Iterable[list[Paper]], address: str, *, mode: str = "default",
                    in_flight: int | None = None) -> Iterator[PaperExtraction]:
    """Extract ``batches`` of papers on the Dask cluster at ``address`` (see :func:`dask_client`),
    in input order, with at most ``in_flight`` batches submitted and not yet collected (default:
    two per worker thread), so the client's memory stays flat as on one machine.

    Each worker runs :func:`_extract_records` and sends back the cache's JSON lines, which are
    read here with the client's own Paper records: the result is the same, byte for byte, as
    extracting in this process. Workers need kg installed (the same version as here).
    """
    import json

    from .cache import extraction_from_json

    client, cluster = dask_client(address)
    try:
        window = in_flight or max(2, 2 * sum(client.nthreads().values()))

        def collect(batch: list[Paper], future) -> Iterator[PaperExtraction]:
            for paper, line in zip(batch, future.result()):
                yield extraction_from_json(json.loads(line), paper=paper)

        yield from _in_order(batches, lambda batch: client.submit(_extract_records, batch, mode, pure=False),
                             collect, window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
