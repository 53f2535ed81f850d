"""The three extraction modes: rules (``--rules-only``), default, accurate (``--accurate``):
which components each runs, that they key the cache apart, and the CLI flags end to end."""
from __future__ import annotations

import json
import logging
import re

import pytest
from click.testing import CliRunner

import kg.extract
from kg.cache import MANIFEST_FILE, CACHE_DIR, cache_key, manifest, pipeline_version
from kg.cli import cli
from kg.model import Paper
from kg.nlp.pipeline import MODES, PIPELINE, PIPELINE_VERSION, build_nlp

# made-up names, none of them in ontology/lexicon
PAPERS = [
    {"id": "tw-1", "title": "Tarnwick: Frugal Grasp Planning for Cluttered Shelf Picking",
     "abstract": "We propose Tarnwick, a grasp planner for cluttered shelf picking that builds on Skerrin. "
                 "Tarnwick is trained on the Plovetta-Grasp dataset and evaluated on the Quillmaker benchmark, "
                 "where it reaches a 91.5% grasp success rate. Unlike Skerrin, Tarnwick needs no depth camera."},
    {"id": "gf-2", "title": "Glimmerfold: Token Pruning for Fast Video Captioning",
     "abstract": "We introduce Glimmerfold, a token pruning method for video captioning. Glimmerfold removes "
                 "redundant frame tokens before the decoder and improves the CIDEr score of Brindlecorn-7B "
                 "by 3.1 points. Redundant tokens also hamper robust state estimation on mobile robots."},
]


@pytest.fixture(scope="module")
def pipelines():
    """One pipeline per mode, built once for the module (the CLI is handed these, see ``spy``)."""
    return {mode: build_nlp(mode=mode) for mode in MODES}


# --------------------------------------------------------------------------- components per mode


def test_only_accurate_runs_the_mention_classifier(pipelines):
    without = [p for p in PIPELINE if p != "kg_spans"]
    assert pipelines["rules"].pipe_names == without
    assert pipelines["default"].pipe_names == without
    assert pipelines["accurate"].pipe_names == list(PIPELINE)
    names = pipelines["accurate"].pipe_names
    assert names.index("kg_names") < names.index("kg_spans") < names.index("kg_mentions")


def test_only_rules_mode_runs_the_relations_without_models(pipelines):
    assert pipelines["rules"].get_pipe("kg_relations").relation_model is None
    assert pipelines["rules"].get_pipe("kg_relations").proposal_model is None
    for mode in ("default", "accurate"):
        relations = pipelines[mode].get_pipe("kg_relations")
        assert relations.relation_model is not None and relations.proposal_model is not None
    assert pipelines["rules"].config["components"]["kg_relations"]["learned"] is False
    assert pipelines["default"].config["components"]["kg_relations"]["learned"] is True


@pytest.mark.parametrize("mode", ["fast", "Accurate", "rules-only", ""])
def test_an_unknown_mode_is_refused(mode):
    with pytest.raises(ValueError, match="no such mode"):
        build_nlp(mode=mode)


def test_the_accurate_pipeline_scores_candidates(pipelines):
    doc = pipelines["accurate"](PAPERS[0]["title"] + "\n\n" + PAPERS[0]["abstract"])
    assert "kg_scored" in doc.spans
    assert len(doc.spans["kg_scored"].attrs["scores"]) == len(doc.spans["kg_scored"])
    assert "kg_scored" not in pipelines["default"](PAPERS[0]["abstract"]).spans


# --------------------------------------------------------------------------- cache versions


def test_each_mode_has_its_own_cache_version():
    versions = {mode: pipeline_version(mode) for mode in MODES}
    assert len(set(versions.values())) == len(MODES)
    assert versions["default"] == PIPELINE_VERSION  # caches of the default mode stay valid
    assert all(v.startswith(PIPELINE_VERSION) for v in versions.values())  # a bump invalidates every mode
    assert {mode: manifest(mode=mode)["pipeline_version"] for mode in MODES} == versions
    paper = Paper("tw-1", PAPERS[0]["title"], PAPERS[0]["abstract"])
    assert len({cache_key(paper, v) for v in versions.values()}) == len(MODES)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def spy(pipelines, monkeypatch):
    """The modes the CLI asks build_nlp for, in order; it gets the module's pipelines."""
    asked: list[str] = []

    def fake_build_nlp(*args, mode: str = "default", **kwargs):
        assert not args and not kwargs, (args, kwargs)
        asked.append(mode)
        return pipelines[mode]

    monkeypatch.setattr(kg.extract, "_NLP", {})  # no pipeline kept from another test
    monkeypatch.setattr(kg.extract, "build_nlp", fake_build_nlp)
    return asked


@pytest.fixture
def papers_file(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path


def run(*args):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    return result


def read_jsonl(path) -> list[dict]:
    lines = path.read_text("utf-8").splitlines()
    assert lines and all(line.strip() for line in lines)
    return [json.loads(line) for line in lines]


def check_records(rows: list[dict]) -> None:
    assert [r["id"] for r in rows] == ["gf-2", "tw-1"] or [r["id"] for r in rows] == ["tw-1", "gf-2"]
    for r in rows:
        assert set(r) >= {"id", "title", "text", "entities", "proposes", "relations", "results", "abbreviations"}
        for e in r["entities"]:
            assert r["text"][e["start"]:e["end"]] == e["text"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["tw-1"]["proposes"] == ["Tarnwick"]
    assert by_id["gf-2"]["proposes"] == ["Glimmerfold"]


@pytest.mark.parametrize("flag, mode", [("--accurate", "accurate"), ("--rules-only", "rules")])
def test_kg_extract_runs_in_the_mode_its_flag_asks(flag, mode, spy, papers_file, tmp_path):
    out = tmp_path / f"{mode}.jsonl"
    result = run("extract", flag, papers_file, "-o", out)
    assert spy == [mode]
    assert f"wrote {out}" in result.stderr
    rows = read_jsonl(out)
    check_records(rows)
    components = {e["component"] for r in rows for e in r["entities"]}
    rules = {rel["rule"] for r in rows for rel in r["relations"]}
    if mode == "rules":
        # no learned part at all: every mention and relation comes from a named rule
        assert "model" not in components
        assert not any(rule.startswith("model.") for rule in rules)
    else:
        # the classifier finds a lower-case term no rule or lexicon entry names ("state estimation")
        assert "model" in components


def test_kg_extract_without_a_flag_uses_the_default_mode(spy, papers_file, tmp_path):
    run("extract", papers_file, "-o", tmp_path / "x.jsonl")
    assert spy == ["default"]
    check_records(read_jsonl(tmp_path / "x.jsonl"))


def _cache_stats(stderr: str) -> tuple[int, int]:
    m = re.search(r"extraction cache: CacheStats\(reused=(\d+), extracted=(\d+)\)", stderr)
    assert m, stderr
    return int(m.group(1)), int(m.group(2))


def _manifest(out) -> dict:
    return json.loads((out / CACHE_DIR / MANIFEST_FILE).read_text("utf-8"))


def test_kg_build_does_not_reuse_a_cache_made_in_another_mode(spy, papers_file, tmp_path):
    out = tmp_path / "build"
    common = ("--generated-at", "2025-01-01T00:00:00Z")

    run("-v", "build", papers_file, "-o", out, *common)
    assert _manifest(out)["pipeline_version"] == pipeline_version("default")
    assert _manifest(out)["papers"] == 2
    assert spy == ["default"]

    second = run("-v", "build", "--rules-only", papers_file, "-o", out, *common)
    assert _cache_stats(second.stderr) == (0, 2)  # the default mode's extractions are not the rules'
    assert spy == ["default", "rules"]
    assert _manifest(out)["pipeline_version"] == pipeline_version("rules")
    for name in ("graph.ttl", "graph.json", "graph.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    assert "Tarnwick" in json.dumps(graph)

    # the same mode again reuses every paper and never builds a pipeline
    third = run("-v", "build", "--rules-only", papers_file, "-o", out, *common)
    assert _cache_stats(third.stderr) == (2, 0)
    assert spy == ["default", "rules"]

    # and back to the default mode: extracted again
    fourth = run("-v", "build", papers_file, "-o", out, *common)
    assert _cache_stats(fourth.stderr) == (0, 2)
    assert _manifest(out)["pipeline_version"] == pipeline_version("default")


def test_kg_build_accurate_keys_its_cache_apart(spy, papers_file, tmp_path):
    out = tmp_path / "build"
    run("-v", "build", "--rules-only", papers_file, "-o", out, "--no-html")
    again = run("-v", "build", "--accurate", papers_file, "-o", out, "--no-html")
    assert _cache_stats(again.stderr) == (0, 2)
    assert spy == ["rules", "accurate"]
    assert _manifest(out)["pipeline_version"] == pipeline_version("accurate")
    assert (out / "graph.ttl").is_file() and (out / "graph.json").is_file()
