"""A per-paper extraction cache in a build folder, for fast rebuilds and ``kg build --update``.

The NLP stage is by far the slowest part of a build, and a paper's extraction depends only
on its own text and on the pipeline (code and lexicon). So a build folder keeps every
paper's :class:`~kg.model.PaperExtraction` (before linking) in
``DIR/.kg-cache/extractions.jsonl.gz``, keyed by :func:`cache_key`: the paper id, the sha1
of the paper text and :data:`kg.nlp.pipeline.PIPELINE_VERSION`.

File layout (one gzip'd JSON Lines file, written atomically with :func:`kg.io.atomic_write`):

* line 1: ``{"manifest": {...}}``, the format, pipeline version, kg version and lexicon
  fingerprint the entries were made with. If any of them differs from the running kg, no
  entry is reused (the papers are still known, so ``--update`` re-extracts them).
* then one line per paper: ``{"key", "paper", "mentions", "proposes", "relations",
  "results", "abbreviations"}``, lossless (a mention's text or an evidence sentence equal to
  what its offsets give is stored as ``null`` and rebuilt on load);
* last: ``{"end": {"papers": N}}``. A file without it, or with another count, is incomplete.

The manifest also records ``graph_sha1``, the sha1 of the ``graph.json`` the cache was written
with. The cache is written in the same staging folder as the build's outputs and moved into
place with them; should a build be killed between those moves, the cache and the outputs
disagree, and ``--update`` sees it: the papers of a build are those of its ``graph.json``, and
the cache's list of papers is used for them only when its ``graph_sha1`` is that file's. Its
entries, keyed by paper text and pipeline, are reused either way.

``DIR/.kg-cache/manifest.json`` repeats the manifest (with the paper count) for people and
tools; the copy inside the data file is the one that counts, so the two files can never
disagree about which pipeline made the entries.

A cache that cannot be read is ignored with a warning (the build then re-extracts
everything), never a crash.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .io import atomic_write
from .model import Evidence, Mention, Paper, PaperExtraction, Relation, Result
from .nlp import pipeline as _pipeline
from .store import ExtractionStore, decode, encode

log = logging.getLogger("kg.cache")

CACHE_DIR = ".kg-cache"
EXTRACTIONS_FILE = "extractions.jsonl.gz"
MANIFEST_FILE = "manifest.json"
FORMAT = "kg-extraction-cache"
FORMAT_VERSION = 2
#: format versions whose entries are read (version 1 had no end line and no graph_sha1)
_READABLE_VERSIONS = (1, 2)

_CORRUPT = (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, KeyError, TypeError,
            IndexError, AttributeError)  # json.JSONDecodeError and gzip.BadGzipFile are among these


# --- keys and fingerprints --------------------------------------------------------------------

def text_hash(paper: Paper) -> str:
    """sha1 of the text the pipeline reads (``Paper.text``: title and abstract)."""
    return hashlib.sha1(paper.text.encode("utf-8")).hexdigest()


def pipeline_version(mode: str = "default") -> str:
    """The version the cache keys carry: the pipeline's, and which mode made the extraction.

    >>> pipeline_version() != pipeline_version("accurate") != pipeline_version("rules")
    True
    """
    return _pipeline.PIPELINE_VERSION + ("" if mode == "default" else f"+{mode}")


def cache_key(paper: Paper, pipeline_version: str | None = None) -> str:
    """The key of one paper's extraction: id, text hash and pipeline version.

    >>> k = cache_key(Paper("a", "T", "x"))
    >>> k.split("\\t")[0], len(k.split("\\t")[1]), k == cache_key(Paper("a", "T", "x", year=2020))
    ('a', 40, True)
    >>> k == cache_key(Paper("a", "T", "y"))
    False
    """
    return f"{paper.id}\t{text_hash(paper)}\t{pipeline_version or _pipeline.PIPELINE_VERSION}"


@lru_cache(maxsize=2)
def models_fingerprint() -> str:
    """sha1 over the shipped models and the rule table (what the learned components read)."""
    from .nlp.spans import MODELS
    from .resources import ontology_path

    return _files_fingerprint([*sorted(MODELS.glob("*.gz")), *sorted(ontology_path("rules").glob("*"))])


@lru_cache(maxsize=8)
def lexicon_fingerprint(lexicon_dir: str | None = None) -> str:
    """sha1 over the lexicon files and the stop list the pipeline loads (names and bytes)."""
    from .nlp.lexicon import lexicon_files
    from .resources import ontology_path

    d = Path(lexicon_dir) if lexicon_dir else ontology_path("lexicon")
    return _files_fingerprint([*lexicon_files(d), d / "stopnames.txt"])


def _files_fingerprint(paths: Iterable[Path]) -> str:
    """sha1 over the names and bytes of the files among ``paths`` that exist."""
    h = hashlib.sha1()
    for p in paths:
        if p.is_file():
            h.update(p.name.encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def manifest(lexicon_dir: str | None = None, mode: str = "default") -> dict[str, Any]:
    """What entries made now are valid for: compared field by field on load."""
    from . import __version__

    return {"format": FORMAT, "format_version": FORMAT_VERSION, "pipeline_version": pipeline_version(mode),
            "kg_version": __version__, "lexicon": lexicon_fingerprint(lexicon_dir), "models": models_fingerprint()}


def cache_path(build_dir: str | os.PathLike) -> Path:
    return Path(build_dir) / CACHE_DIR / EXTRACTIONS_FILE


def file_sha1(path: str | os.PathLike) -> str | None:
    """sha1 of a file's bytes, or None when it cannot be read."""
    h = hashlib.sha1()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


# --- (de)serialisation ------------------------------------------------------------------------

def _ev_to(ev: Evidence, pid: str, text: str) -> list:
    return [None if ev.paper_id == pid else ev.paper_id,
            None if text[ev.start:ev.end].strip() == ev.sentence else ev.sentence,
            ev.start, ev.end, ev.confidence, ev.rule]


def _ev_from(v: list, pid: str, text: str) -> Evidence:
    ev_pid, sentence, a, b, conf, rule = v
    return Evidence(pid if ev_pid is None else ev_pid, text[a:b].strip() if sentence is None else sentence,
                    a, b, conf, rule)


def extraction_to_json(x: PaperExtraction) -> dict[str, Any]:
    """A JSON-ready dict of one extraction; :func:`extraction_from_json` inverts it exactly.

    >>> p = Paper("p1", "T", "We use DPO.", 2024, ("A. B",))
    >>> x = PaperExtraction(p, [Mention("p1", 10, 13, "DPO", "Method", "DPO", "lexicon", 3, 14)],
    ...                     ["DPO"], [Relation("PAPER", "uses", "DPO", Evidence("p1", "We use DPO.", 3, 14, 0.7, "r"))])
    >>> extraction_from_json(json.loads(json.dumps(extraction_to_json(x)))) == x
    True
    """
    p = x.paper
    pid, text = p.id, p.text
    return {
        "paper": {"id": p.id, "title": p.title, "abstract": p.abstract, "year": p.year,
                  "authors": list(p.authors), "venue": p.venue, "url": p.url, "source": p.source,
                  **({"doi": p.doi} if p.doi else {})},
        "mentions": [[m.start, m.end, None if text[m.start:m.end] == m.text else m.text, m.type, m.canonical,
                      m.component, m.sentence_start, m.sentence_end, m.confidence,
                      None if m.paper_id == pid else m.paper_id] for m in x.mentions],
        "proposes": list(x.proposes),
        "relations": [[r.head, r.type, r.tail, _ev_to(r.evidence, pid, text)] for r in x.relations],
        "results": [[r.subject, r.benchmark, r.metric, r.value, r.number, r.unit, _ev_to(r.evidence, pid, text)]
                    for r in x.results],
        "abbreviations": dict(x.abbreviations),
    }


def _record_hash(p: Paper) -> int | None:
    """``hash(p)``, or None for a record made by hand with a list in it (``authors=[...]``)."""
    try:
        return hash(p)
    except TypeError:
        return None


def _paper_from_json(d: dict[str, Any]) -> Paper:
    return Paper(d["id"], d["title"], d["abstract"], d.get("year"), tuple(d.get("authors") or ()),
                 d.get("venue"), d.get("url"), d.get("source"), d.get("doi"))


def extraction_from_json(d: dict[str, Any], paper: Paper | None = None) -> PaperExtraction:
    """The inverse of :func:`extraction_to_json` (``paper``: use this record instead of the stored one)."""
    p = paper if paper is not None else _paper_from_json(d["paper"])
    pid, text = p.id, p.text
    mentions = [Mention(pid if m_pid is None else m_pid, a, b, text[a:b] if t is None else t, ty, canonical,
                        component, s0, s1, conf)
                for a, b, t, ty, canonical, component, s0, s1, conf, m_pid in d["mentions"]]
    relations = [Relation(h, ty, t, _ev_from(ev, pid, text)) for h, ty, t, ev in d["relations"]]
    results = [Result(s, b, m, v, n, u, _ev_from(ev, pid, text)) for s, b, m, v, n, u, ev in d["results"]]
    return PaperExtraction(p, mentions, list(d["proposes"]), relations, results, dict(d["abbreviations"]))


# --- reading and writing ----------------------------------------------------------------------

@dataclass
class CacheContents:
    """What a build folder's cache holds.

    ``entries``: reusable extractions by :func:`cache_key` (empty when the cache was made by
    another pipeline, kg version or lexicon); ``papers``: every paper the cache lists, valid
    or not; ``stale``: why entries were dropped; ``graph_sha1``: the ``graph.json`` the cache
    was written with; ``incomplete``: why the list of papers cannot be trusted (no end line,
    or a count that disagrees with the file or with ``manifest.json``).
    """

    entries: dict[str, bytes] = field(default_factory=dict)  # cache key -> the extraction, compressed (kg.store)
    #: cache key -> ``hash()`` of the entry's Paper record, so that a reused entry whose record
    #: is unchanged is passed on as its bytes, never decoded
    paper_hashes: dict[str, int] = field(default_factory=dict)
    papers: list[Paper] = field(default_factory=list)
    found: bool = False
    stale: str | None = None
    graph_sha1: str | None = None
    incomplete: str | None = None


def read_cache(build_dir: str | os.PathLike, *, lexicon_dir: str | None = None,
               mode: str = "default", papers: bool = True) -> CacheContents:
    """Read ``build_dir``'s cache. Missing: empty. Unreadable or corrupt: empty, with a warning.
    ``papers=False`` leaves ``CacheContents.papers`` empty (only ``--update`` needs them: a
    million Paper records are gigabytes)."""
    path = cache_path(build_dir)
    if not path.is_file():
        return CacheContents()
    want = manifest(lexicon_dir, mode)
    out = CacheContents(found=True)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            header = json.loads(f.readline() or "null")
            have = header["manifest"]
            if have.get("format") != FORMAT:
                raise ValueError("not a kg extraction cache")
            diff = [k for k in ("pipeline_version", "kg_version", "lexicon", "models") if have.get(k) != want[k]]
            if have.get("format_version") not in _READABLE_VERSIONS:
                diff.insert(0, "format_version")
            if diff:
                out.stale = ", ".join(f"{k} {have.get(k)!r} -> {want.get(k)!r}" for k in diff)
            out.graph_sha1 = have.get("graph_sha1")
            end = None
            listed = 0
            for n, line in enumerate(f, 2):
                if not line.strip():
                    continue
                d = json.loads(line)
                if "end" in d:
                    end = d["end"]["papers"]
                    break
                paper = _paper_from_json(d["paper"])
                listed += 1
                if papers:
                    out.papers.append(paper)
                if out.stale:
                    continue
                key = cache_key(paper, want["pipeline_version"])
                if d["key"] != key:
                    raise ValueError(f"line {n}: key does not match the paper's text")
                out.entries[key] = encode(extraction_from_json(d, paper))  # a million objects would not fit
                out.paper_hashes[key] = _record_hash(paper)
        out.incomplete = _incompleteness(path, listed, end, out.graph_sha1)
    except _CORRUPT as exc:
        log.warning("ignoring the extraction cache %s: it cannot be read (%s: %s); "
                    "every paper will be extracted again", path, type(exc).__name__, exc)
        return CacheContents()
    if out.stale:
        log.info("extraction cache %s was made by another pipeline (%s): re-extracting", path, out.stale)
        out.entries = {}
        out.paper_hashes = {}
    return out


def _incompleteness(path: Path, n: int, end: int | None, graph_sha1: str | None) -> str | None:
    """Why a cache's list of papers is not the whole list it was written with, or None."""
    if end is None:
        return "it has no end line (cut short, or written by an older kg)"
    if end != n:
        return f"its end line counts {end} papers, it holds {n}"
    try:
        counted = json.loads((path.parent / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None  # the copy for people is optional
    if isinstance(counted, dict) and counted.get("graph_sha1") == graph_sha1 and counted.get("papers") != n:
        return f"its {MANIFEST_FILE} counts {counted.get('papers')} papers, it holds {n}"
    return None


def load_cache(build_dir: str | os.PathLike, *, lexicon_dir: str | None = None,
               mode: str = "default") -> dict[str, PaperExtraction]:
    """The reusable extractions in ``build_dir`` by :func:`cache_key` (empty if none, stale or corrupt)."""
    return {k: decode(v) for k, v in read_cache(build_dir, lexicon_dir=lexicon_dir, mode=mode).entries.items()}


def save_cache(build_dir: str | os.PathLike, extractions: Iterable[PaperExtraction], *,
               lexicon_dir: str | None = None, compresslevel: int = 1, mode: str = "default",
               graph_sha1: str | None = None) -> int:
    """Write ``extractions`` (an iterable, consumed as it streams) as ``build_dir``'s cache.

    Replaces the previous cache atomically; returns the number of papers written. The
    extractions must come from the running pipeline (they are keyed with its version).
    ``graph_sha1`` names the ``graph.json`` the cache goes with (:meth:`kg.graph.KnowledgeGraph.save`
    passes it, writing both in one staging folder).
    """
    path = cache_path(build_dir)
    head = {**manifest(lexicon_dir, mode), "graph_sha1": graph_sha1}
    n = 0
    with atomic_write(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=compresslevel, mtime=0) as gz:
            gz.write((json.dumps({"manifest": head}, ensure_ascii=False) + "\n").encode("utf-8"))
            for x in extractions:
                rec = {"key": cache_key(x.paper, head["pipeline_version"]), **extraction_to_json(x)}
                gz.write((json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
                n += 1
            gz.write((json.dumps({"end": {"papers": n}}) + "\n").encode("utf-8"))
    with atomic_write(path.parent / MANIFEST_FILE) as f:
        f.write(json.dumps({**head, "papers": n, "file": EXTRACTIONS_FILE}, indent=1, ensure_ascii=False) + "\n")
    return n


# --- extraction with reuse --------------------------------------------------------------------

@dataclass
class CacheStats:
    reused: int = 0
    extracted: int = 0


def extract_with_cache(papers: Iterable[Paper], cache: dict[str, PaperExtraction | bytes], *, workers: int = 1,
                       batch_size: int | None = None, stats: CacheStats | None = None,
                       nlp: Any = None, mode: str = "default", dask: str | None = None) -> Iterator[PaperExtraction]:
    """Extractions of ``papers`` in input order: from ``cache`` when the paper's key is there,
    else from the pipeline (new or changed papers only, streamed in batches over ``workers``).

    A reused extraction gets the new Paper record (metadata such as year or venue may have
    changed; the id and text cannot have, they are in the key). When every paper is cached
    the pipeline is never built.
    """
    for x in _extract_with_cache(papers, cache, workers=workers, batch_size=batch_size, stats=stats, nlp=nlp,
                                 mode=mode, dask=dask):
        yield decode(x[1]) if isinstance(x, tuple) else x


def _extract_with_cache(papers: Iterable[Paper], cache: dict[str, PaperExtraction | bytes], *, workers: int = 1,
                        batch_size: int | None = None, stats: CacheStats | None = None, nlp: Any = None,
                        mode: str = "default", dask: str | None = None,
                        paper_hashes: dict[str, int] | None = None) -> Iterator[PaperExtraction | tuple[str, bytes]]:
    """:func:`extract_with_cache`, giving a reused extraction as ``(paper id, its encoded bytes)``
    (:mod:`kg.store`), to be stored as it is. With ``paper_hashes`` (:attr:`CacheContents.paper_hashes`)
    an entry whose Paper record hashes as the new one is not even decoded to compare them."""
    from .extract import DEFAULT_BATCH_SIZE, extract_papers

    stats = stats if stats is not None else CacheStats()
    version = pipeline_version(mode)
    paper_hashes = paper_hashes or {}
    # reused extractions, compressed, and None where an extracted one goes: the pipeline reads on
    # until it has a batch of new papers, so with few of them almost every paper waits here
    order: list[tuple[str, bytes] | None] = []
    head = 0

    def misses() -> Iterator[Paper]:
        for p in papers:
            key = cache_key(p, version)
            x = cache.get(key)
            if x is None:
                order.append(None)
                yield p
                continue
            stats.reused += 1
            if not isinstance(x, bytes):  # an object (load_cache's): compared as it is, encoded once
                blob = encode(x if x.paper == p else replace(x, paper=p))
            elif (h := paper_hashes.get(key)) is not None and h == _record_hash(p):
                blob = x  # the record is unchanged: the cache's bytes as they are
            else:
                cached = decode(x)
                blob = x if cached.paper == p else encode(replace(cached, paper=p))
            order.append((p.id, blob))

    def flush_hits() -> Iterator[tuple[str, bytes]]:
        nonlocal head
        while head < len(order) and order[head] is not None:
            yield order[head]
            order[head] = None  # let it go once yielded
            head += 1

    for x in extract_papers(misses(), workers=workers, batch_size=batch_size or DEFAULT_BATCH_SIZE, nlp=nlp,
                            mode=mode, dask=dask):
        yield from flush_hits()
        head += 1  # x's own slot
        stats.extracted += 1
        yield x
        if head > 4096:  # keep the bookkeeping list short
            del order[:head]
            head = 0
    yield from flush_hits()


def _build_papers(build_dir: Path, contents: CacheContents) -> list[Paper]:
    """The papers an existing build holds: those of its graph.json, read from the cache when
    the cache was written with that very graph.json and is complete."""
    from .graph import GRAPH_JSON, KnowledgeGraph

    graph = build_dir / GRAPH_JSON
    if graph.is_file():
        if contents.found and not contents.incomplete and contents.graph_sha1 == file_sha1(graph):
            return contents.papers
        if not contents.found:
            why = "there is none"
        elif contents.incomplete:
            why = f"the cache is incomplete: {contents.incomplete}"
        elif contents.graph_sha1 is None:
            why = "the cache does not say which graph.json it goes with (written by an older kg)"
        else:
            why = "the cache was written with another graph.json (a build interrupted while moving its files?)"
        log.warning("taking the papers of the build in %s from its %s, not from its extraction cache: %s",
                    build_dir, GRAPH_JSON, why)
        return KnowledgeGraph.load(build_dir).papers()
    if contents.found and contents.papers and not contents.incomplete:
        log.warning("%s has no %s: taking the build's papers from its extraction cache", build_dir, GRAPH_JSON)
        return contents.papers
    if contents.found:
        raise FileNotFoundError(f"{build_dir}: no {GRAPH_JSON}, and the extraction cache cannot say which papers "
                                f"the build holds ({contents.incomplete or 'it lists none'}); build it again "
                                f"without --update")
    raise FileNotFoundError(f"{build_dir}: not a kg build folder (no {CACHE_DIR}/{EXTRACTIONS_FILE} "
                            f"or {GRAPH_JSON}); build it first without --update")


def build_extractions(build_dir: str | os.PathLike, papers: Iterable[Paper], *, update: bool = False,
                      workers: int = 1, progress: Callable[[Iterator], Iterator] | None = None,
                      stats: CacheStats | None = None, save: bool = True,
                      mode: str = "default", dask: str | None = None) -> ExtractionStore:
    """The extractions of a build in ``build_dir``, reusing its cache; saves the new cache.

    * ``update=False`` (``kg build``): the build holds exactly ``papers``. Papers already in
      the cache with the same id and text are not extracted again.
    * ``update=True`` (``kg build --update DIR NEW...``): the build holds the papers it held
      before plus ``papers``; a new paper with the id of an old one replaces it. Old papers
      are not re-extracted (unless the cache is from another pipeline: then they are, from
      the paper records the cache keeps).

    Returns the extractions sorted by paper id, kept compressed (:mod:`kg.store`), so ``link()``
    sees the same order however the build was made (an incremental build gives the same graph as a full rebuild).
    ``progress`` wraps the extraction iterator (e.g. a progress bar).
    """
    build_dir = Path(build_dir)
    contents = read_cache(build_dir, mode=mode, papers=update)
    if contents.incomplete and not update:
        log.info("extraction cache %s: %s (its entries are still reused)", cache_path(build_dir), contents.incomplete)
    stream: Iterable[Paper] = papers
    if update:
        new = list(papers)
        new_ids = {p.id for p in new}
        stream = [p for p in _build_papers(build_dir, contents) if p.id not in new_ids] + new
    contents.papers = []  # not needed any more
    it = _extract_with_cache(stream, contents.entries, workers=workers, stats=stats, mode=mode, dask=dask,
                             paper_hashes=contents.paper_hashes)
    if progress is not None:
        it = progress(it)
    store = ExtractionStore(spill=True)
    for x in it:
        if isinstance(x, tuple):
            store.append_encoded(*x)  # a reused entry: its bytes, as the cache held them
        else:
            store.append(x)
    extractions = store.sorted_by_id()
    contents.entries.clear()
    contents.paper_hashes.clear()
    if save:
        save_cache(build_dir, extractions, mode=mode)
    return extractions


__all__ = [
    "CACHE_DIR", "CacheContents", "CacheStats", "build_extractions", "cache_key", "extract_with_cache",
    "extraction_from_json", "extraction_to_json", "lexicon_fingerprint", "load_cache", "models_fingerprint",
    "pipeline_version", "read_cache",
    "save_cache", "text_hash",
]
