"""End to end, through real processes: a JSON Lines file -> ``kg build`` -> RDF, HTML and
JSON -> ``kg query`` answers; and the real process's files equal an in-process build's, byte
for byte (another process, another hash seed: nothing depends on set order)."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.model import ENTITY_TYPES

WHEN = "2025-01-01T00:00:00Z"

ABSTRACTS = [
    {"id": "e2e-1", "title": "Foo-Net: Deeper Residual Features for Image Recognition",
     "abstract": "We propose Foo-Net, which builds on ResNet-50 and is evaluated on the ImageNet benchmark. "
                 "Foo-Net reaches 81.2% top-1 accuracy on ImageNet and outperforms ResNet-50 by a clear margin.",
     "year": 2024, "authors": ["Ada Byron", "Alan Church"]},
    {"id": "e2e-2", "title": "Bar-Former: Attention for Reading Comprehension",
     "abstract": "We introduce Bar-Former, a Transformer variant for question answering. Bar-Former is trained on "
                 "SQuAD and evaluated on the SQuAD benchmark, where it improves exact match over BERT.",
     "year": 2023},
    {"id": "e2e-3", "title": "Pruning Convolutional Networks at Scale",
     "abstract": "We study structured pruning of ResNet-50 and VGG-16 on ImageNet. Pruned models keep most of their "
                 "accuracy while using fewer parameters, and the method transfers to object detection on COCO."},
    {"id": "e2e-4", "title": "Baz-RL: Sample-Efficient Policy Learning",
     "abstract": "We present Baz-RL, a reinforcement learning method based on PPO. Baz-RL is evaluated on the Atari "
                 "benchmark and outperforms PPO on most games."},
]

BASED_ON = ("SELECT ?method ?base WHERE { ?m kg:basedOn ?b . ?m skos:prefLabel ?method . "
            "?b skos:prefLabel ?base } ORDER BY ?method")


def kg_command() -> list[str]:
    """The installed ``kg`` script if there is one, else ``python -m kg.cli``."""
    script = shutil.which("kg")
    return [script] if script else [sys.executable, "-m", "kg.cli"]


def run(*args: str, seed: str = "7") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([*kg_command(), *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    src = root / "abstracts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ABSTRACTS), encoding="utf-8")
    out = root / "out"
    proc = run("build", str(src), "-o", str(out), "--generated-at", WHEN)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0] == "read 4 records from 1 file: 4 papers built, 0 skipped"
    assert lines[-4:] == [f"wrote {out / n}" for n in ("graph.json", "graph.ttl", "void.ttl", "graph.html")]
    return out


def test_graph_ttl_parses_and_states_the_relation(build):
    from kg.namespace import KG, SKOS

    g = rdflib.Graph().parse(build / "graph.ttl", format="turtle")
    assert len(g) > 50
    assert len(set(ox.parse(path=str(build / "graph.ttl"), format=ox.RdfFormat.TURTLE))) == len(g)
    labels = {str(o): s for s, o in g.subject_objects(SKOS.prefLabel)}
    assert {"Foo-Net", "ResNet-50", "ImageNet"} <= set(labels)
    assert (labels["Foo-Net"], KG.basedOn, labels["ResNet-50"]) in g
    assert len(rdflib.Graph().parse(build / "void.ttl", format="turtle")) > 0


def test_graph_json_has_typed_nodes(build):
    data = json.loads((build / "graph.json").read_text("utf-8"))
    nodes = {n["label"]: n for n in data["nodes"]}
    assert all(n["type"] in (*ENTITY_TYPES, "Paper") for n in data["nodes"])
    assert nodes["Foo-Net"]["type"] in ("Method", "Model")
    assert nodes["ResNet-50"]["type"] in ("Method", "Model")
    assert nodes["ImageNet"]["type"] in ("Dataset", "Benchmark")
    papers = [n for n in data["nodes"] if n["type"] == "Paper"]
    assert sorted(n["paper_id"] for n in papers) == ["e2e-1", "e2e-2", "e2e-3", "e2e-4"]
    links = {(e["source"], e["key"], e["target"]) for e in data["links"]}
    assert (nodes["Foo-Net"]["id"], "basedOn", nodes["ResNet-50"]["id"]) in links


def test_graph_html_embeds_the_nodes(build):
    html = (build / "graph.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for name in ("Foo-Net", "ResNet-50", "ImageNet", "Baz-RL"):
        assert name in html
    assert "<script src=" not in html  # one self-contained page


def test_kg_query_answers_foo_net_based_on_resnet_50(build):
    proc = run("query", str(build), BASED_ON, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()
    assert rows[0] == "method,base"
    assert "Foo-Net,ResNet-50" in rows[1:]
    assert proc.stderr == ""


def test_a_build_in_another_process_is_byte_identical(build, tmp_path):
    """This process (its own hash seed) builds the same input: every output is the same."""
    from kg.cli import cli

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        result = CliRunner().invoke(cli, ["-q", "build", str(build.parent / "abstracts.jsonl"), "-o",
                                          str(tmp_path / "here"), "--generated-at", WHEN])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert result.exit_code == 0, result.stderr
    for name in ("graph.json", "graph.ttl", "void.ttl", "graph.html"):
        assert (tmp_path / "here" / name).read_bytes() == (build / name).read_bytes(), name
