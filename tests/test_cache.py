"""The per-paper extraction cache (kg/cache.py): lossless, incremental = full rebuild, safe."""
from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

from kg import cache as kc
from kg.export.json import write_json
from kg.graph import KnowledgeGraph, build_graph
from kg.linking import link
from kg.model import Evidence, Mention, Paper, PaperExtraction, Relation, Result

OLD = [
    Paper("t-01", "DPO: Direct Preference Optimization",
          "We propose Direct Preference Optimization (DPO), which fine-tunes Llama 2 on the Anthropic HH dataset. "
          "DPO outperforms PPO on summarization, reaching a 61% win rate on the TL;DR dataset.",
          2023, ("A. Rivera", "K. Okafor"), "NeurIPS", "https://example.org/dpo", "test:1"),
    Paper("t-02", "", "We evaluate OpenVLA on the CALVIN benchmark and the LIBERO benchmark. "
          "OpenVLA builds on Llama 2 and reaches 92.1% success rate on LIBERO.", 2024),
    Paper("t-03", "Diffusion Policy: Visuomotor Policy Learning via Action Diffusion",
          "We introduce Diffusion Policy, a new way of generating robot behavior. "
          "Diffusion Policy outperforms BC-RNN on the Push-T benchmark with a 46.9% improvement.", 2023),
]
NEW = [
    Paper("t-04", "RLHF at Scale",
          "Reinforcement learning from human feedback (RLHF) trains a reward model, then optimizes the policy with "
          "Proximal Policy Optimization (PPO). We compare DPO and PPO with Llama 2 on the Anthropic HH dataset.",
          2024, ("M. Lindqvist",), "ICLR"),
    Paper("t-05", "", "Étude: we fine-tune Mistral 7B with DPO and evaluate on MT-Bench, where it scores 7.6.", 2024),
]


def _graph_json(extractions: list[PaperExtraction], path: Path) -> str:
    g = build_graph(link(extractions), kg_version="test")
    write_json(g, path)
    return path.read_text("utf-8")


def test_round_trip_is_lossless(tmp_path):
    xs = kc.build_extractions(tmp_path, OLD + NEW)
    # hand-made records whose fields differ from what offsets give, and optional Nones
    p = Paper("h-1", "Title", "Body text here. Second sentence (X).", None, (), None, None, None)
    odd = PaperExtraction(
        p,
        [Mention("h-1", 7, 11, "BODY", "Method", "Body", "names.shape", 7, 22, 0.4),
         Mention("other-paper", 0, 5, "Title", "Task", "title", "lexicon")],
        ["Body"],
        [Relation("PAPER", "uses", "Body", Evidence("h-1", "not the text", 7, 22, 0.7, "r")),
         Relation("Body", "addresses", "title", Evidence("elsewhere", "Body text here.", 7, 22, 1.0, ""))],
        [Result("Body", None, None, "7.5 %", "7.5", None, Evidence("h-1", "Second sentence (X).", 23, 43, 0.6, "x"))],
        {"X": "eXtra", "Ü": "Übung"})
    kc.save_cache(tmp_path, [*xs, odd])
    loaded = kc.load_cache(tmp_path)
    assert len(loaded) == len(xs) + 1
    for x in [*xs, odd]:
        y = loaded[kc.cache_key(x.paper)]
        assert y == x
        assert y.paper == x.paper and y.paper.authors == x.paper.authors
    manifest = json.loads((tmp_path / kc.CACHE_DIR / kc.MANIFEST_FILE).read_text("utf-8"))
    assert manifest["papers"] == len(xs) + 1 and manifest["pipeline_version"]


def test_incremental_build_equals_full_rebuild(tmp_path):
    inc, full = tmp_path / "inc", tmp_path / "full"
    kc.build_extractions(inc, OLD)
    stats = kc.CacheStats()
    updated = kc.build_extractions(inc, NEW, update=True, stats=stats)
    assert (stats.reused, stats.extracted) == (len(OLD), len(NEW))  # old papers not re-extracted
    rebuilt = kc.build_extractions(full, list(reversed(NEW + OLD)))
    assert [x.paper.id for x in updated] == sorted(p.id for p in OLD + NEW)
    a = _graph_json(updated, tmp_path / "a.json")
    b = _graph_json(rebuilt, tmp_path / "b.json")
    assert a == b
    # and the same graph as the cache-free path
    g = KnowledgeGraph.from_papers(sorted(OLD + NEW, key=lambda p: p.id))
    g.nx.graph["kg_version"] = "test"
    write_json(g.nx, tmp_path / "c.json")
    assert (tmp_path / "c.json").read_text("utf-8") == a
    # a second update with nothing new re-extracts nothing and changes nothing
    stats = kc.CacheStats()
    again = kc.build_extractions(inc, [], update=True, stats=stats)
    assert stats.extracted == 0 and _graph_json(again, tmp_path / "d.json") == a


def test_changed_abstract_is_reextracted(tmp_path):
    kc.build_extractions(tmp_path, OLD)
    changed = Paper(OLD[1].id, OLD[1].title,
                    OLD[1].abstract + " We also fine-tune it on the Open X-Embodiment dataset.", OLD[1].year)
    stats = kc.CacheStats()
    xs = kc.build_extractions(tmp_path, [OLD[0], changed, OLD[2]], stats=stats)
    assert (stats.reused, stats.extracted) == (2, 1)
    x = next(x for x in xs if x.paper.id == changed.id)
    assert x.paper.text == changed.text and x == kc.extract_with_cache([changed], {}).__next__()
    # --update with a paper of a known id replaces the old version of it
    newer = Paper(OLD[2].id, OLD[2].title, "We evaluate Diffusion Policy on the CALVIN benchmark.", 2025)
    stats = kc.CacheStats()
    xs = kc.build_extractions(tmp_path, [newer], update=True, stats=stats)
    assert (stats.reused, stats.extracted) == (2, 1)
    assert [x.paper for x in xs if x.paper.id == newer.id] == [newer]
    # changed metadata only: reused, with the new record
    moved = Paper(OLD[0].id, OLD[0].title, OLD[0].abstract, 2022, venue="ICML")
    stats = kc.CacheStats()
    (x,) = kc.extract_with_cache([moved], kc.load_cache(tmp_path), stats=stats)
    assert stats.reused == 1 and x.paper == moved and x.paper.venue == "ICML"


def test_pipeline_version_change_invalidates(tmp_path, monkeypatch):
    import kg.nlp.pipeline as pipeline

    kc.build_extractions(tmp_path, OLD)
    assert len(kc.load_cache(tmp_path)) == len(OLD)
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-changed")
    contents = kc.read_cache(tmp_path)
    assert contents.entries == {} and "pipeline_version" in contents.stale
    assert [p.id for p in contents.papers] == [p.id for p in OLD]  # still known, for --update
    stats = kc.CacheStats()
    xs = kc.build_extractions(tmp_path, NEW, update=True, stats=stats)
    assert (stats.reused, stats.extracted) == (0, len(OLD) + len(NEW))
    assert {x.paper.id for x in xs} == {p.id for p in OLD + NEW}
    assert len(kc.load_cache(tmp_path)) == len(OLD) + len(NEW)  # rewritten with the new version


def test_lexicon_change_invalidates(tmp_path, monkeypatch):
    kc.build_extractions(tmp_path, OLD[:1])
    monkeypatch.setattr(kc, "lexicon_fingerprint", lambda lexicon_dir=None: "another lexicon")
    assert kc.load_cache(tmp_path) == {}


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _bad_line(data: bytes) -> bytes:
    lines = gzip.decompress(data).split(b"\n")
    return gzip.compress(b"\n".join([lines[0], b'{"key": "t-01", "paper": ', *lines[2:]]))


def _wrong_key(data: bytes) -> bytes:
    lines = gzip.decompress(data).split(b"\n")
    rec = json.loads(lines[1])
    rec["paper"]["abstract"] += " tampered"
    return gzip.compress(b"\n".join([lines[0], json.dumps(rec).encode(), *lines[2:]]))


@pytest.mark.parametrize("corrupt", [lambda d: b"not a gzip file", _truncated, _bad_line, _wrong_key,
                                     lambda d: gzip.compress(b'{"manifest": 3}\n')],
                         ids=["garbage", "truncated", "bad-json", "wrong-key", "bad-manifest"])
def test_corrupt_cache_is_ignored_with_a_warning(tmp_path, caplog, corrupt):
    kc.build_extractions(tmp_path, OLD)
    path = kc.cache_path(tmp_path)
    path.write_bytes(corrupt(path.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="kg.cache"):
        assert kc.load_cache(tmp_path) == {}
    assert any("ignoring the extraction cache" in r.getMessage() for r in caplog.records)
    stats = kc.CacheStats()
    xs = kc.build_extractions(tmp_path, OLD, stats=stats)  # a build still works, extracting everything
    assert stats.extracted == len(OLD) and len(xs) == len(OLD)
    assert len(kc.load_cache(tmp_path)) == len(OLD)  # and repairs the cache


def test_fully_cached_build_never_builds_the_pipeline(tmp_path, monkeypatch):
    import kg.extract

    first = kc.build_extractions(tmp_path, OLD + NEW)

    def boom():
        raise AssertionError("the pipeline was built")

    monkeypatch.setattr(kg.extract, "_process_nlp", boom)
    for workers in (1, 2):
        assert kc.build_extractions(tmp_path, OLD + NEW, workers=workers) == first


def test_extract_with_cache_keeps_input_order(tmp_path):
    kc.build_extractions(tmp_path, [OLD[0], NEW[1]])
    cache = kc.load_cache(tmp_path)
    papers = [OLD[2], OLD[0], NEW[0], OLD[1], NEW[1]]
    stats = kc.CacheStats()
    out = list(kc.extract_with_cache(papers, cache, stats=stats, batch_size=1))
    assert [x.paper.id for x in out] == [p.id for p in papers]
    assert (stats.reused, stats.extracted) == (2, 3)


def test_update_of_a_build_without_cache_reads_graph_json(tmp_path):
    kc.build_extractions(tmp_path, OLD)
    KnowledgeGraph(build_graph(link(kc.build_extractions(tmp_path, OLD)))).save(tmp_path, html=False, rdf=False)
    kc.cache_path(tmp_path).unlink()
    xs = kc.build_extractions(tmp_path, NEW, update=True)
    assert [x.paper.id for x in xs] == sorted(p.id for p in OLD + NEW)
    with pytest.raises(FileNotFoundError, match="not a kg build folder"):
        kc.build_extractions(tmp_path / "nothing-here", NEW, update=True)


def test_a_rebuild_passes_unchanged_entries_on_as_their_bytes(tmp_path, monkeypatch):
    """A reused extraction whose paper record is unchanged is stored as the cache's own bytes,
    never decoded on the way (each decode and encode cost about 0.1 ms a paper); one whose
    record changed (its venue) is decoded and gets the new record."""
    first = kc.build_extractions(tmp_path, OLD)
    decoded = []
    real_decode = kc.decode
    monkeypatch.setattr(kc, "decode", lambda blob: decoded.append(1) or real_decode(blob))
    stats = kc.CacheStats()
    again = kc.build_extractions(tmp_path, OLD, stats=stats)
    assert stats.reused == len(OLD) and decoded == []
    assert list(again) == list(first)
    moved = [Paper(**{**{f: getattr(OLD[0], f) for f in OLD[0].__dataclass_fields__}, "venue": "ICML"}), *OLD[1:]]
    xs = kc.build_extractions(tmp_path, moved)
    assert len(decoded) == 1 and xs[0].paper.venue == "ICML" and xs[0].mentions == first[0].mentions


def test_a_paper_record_built_by_hand_with_a_list_is_reused_all_the_same(tmp_path):
    listed = Paper("h-1", "Zorbl", "We propose Zorbl and evaluate it on CALVIN.", 2024, ["A. Quill"])  # type: ignore[arg-type]
    kc.build_extractions(tmp_path, [listed])
    stats = kc.CacheStats()
    (again,) = kc.build_extractions(tmp_path, [listed], stats=stats)
    assert stats.reused == 1 and again.paper.authors == ["A. Quill"]
