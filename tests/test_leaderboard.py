"""Leaderboards: `kg leaderboard OUT BENCHMARK` and `KnowledgeGraph.leaderboard` (kg/leaderboard.py)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.leaderboard import metric_direction
from kg.model import Paper

PAPERS = [
    Paper("l1", "Zorbl: Sparse Routing for Vision", "We propose Zorbl. Zorbl reaches 84.1% accuracy on ImageNet and a "
          "top-5 error of 3.9% on ImageNet.", 2023),
    Paper("l2", "Quix: Dense Routing for Vision", "We propose Quix. Quix reaches 86.0% accuracy on ImageNet and a "
          "top-5 error of 3.1% on ImageNet.", 2024),
    Paper("l3", "Mirel: Tiny Vision Models", "We propose Mirel. Mirel reaches 0.79 accuracy on ImageNet with 5M "
          "parameters.", 2025),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lb") / "out"
    kg.build(PAPERS).save(out, html=False, generated_at="2025-01-01T00:00:00Z")
    return out


def test_directions_of_common_metrics():
    assert [metric_direction(m) for m in ("accuracy", "top-5 error", "FID", "BLEU", "latency", "Elo")] == [
        "higher", "lower", "lower", "higher", "lower", None]


def test_best_first_within_metric_and_unit(built):
    rows = kg.load(built).leaderboard("imagenet")  # any of its names, any case
    by = [(r.metric, r.unit, r.rank, r.subject) for r in rows]
    assert [b for b in by if b[0] == "accuracy" and b[1] == "%"] == [("accuracy", "%", 1, "Quix"), ("accuracy", "%", 2, "Zorbl")]
    assert [b for b in by if b[0] == "top-5 error"] == [("top-5 error", "%", 1, "Quix"), ("top-5 error", "%", 2, "Zorbl")]
    # a fraction is not ranked against percentages
    assert ("accuracy", None, 1, "Mirel") in by
    assert {r.year for r in rows if r.subject == "Quix"} == {2024}


def test_metric_filter_and_formats(built):
    runner = CliRunner()
    result = runner.invoke(cli, ["leaderboard", str(built), "ImageNet", "--metric", "top-5 error", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["rank"], r["subject"], r["value"], r["direction"]) for r in rows] == [
        ("1", "Quix", "3.1%", "lower"), ("2", "Zorbl", "3.9%", "lower")]
    data = json.loads(runner.invoke(cli, ["leaderboard", str(built), "ImageNet", "--format", "json"]).stdout)
    assert {d["subject"] for d in data} == {"Quix", "Zorbl", "Mirel"} and all("sentence" in d for d in data)
    table = runner.invoke(cli, ["leaderboard", str(built), "ImageNet"]).stdout
    header, _rule, *lines = table.splitlines()
    assert [c.strip() for c in header.split("|")][:4] == ["rank", "subject", "metric", "value"]
    assert lines.index(next(x for x in lines if "Quix" in x and "86.0%" in x)) < lines.index(
        next(x for x in lines if "Zorbl" in x and "84.1%" in x))
    markdown = runner.invoke(cli, ["leaderboard", str(built), "ImageNet", "--format", "markdown"]).stdout
    assert markdown.startswith("| rank | subject |")


def test_unknown_benchmark_and_no_results_are_errors(built):
    runner = CliRunner()
    result = runner.invoke(cli, ["leaderboard", str(built), "NoSuchBench"])
    assert result.exit_code == 2 and "no such entity" in result.stderr
    result = runner.invoke(cli, ["leaderboard", str(built), "ImageNet", "--metric", "BLEU"])
    assert result.exit_code == 2 and "no results on ImageNet for the metric BLEU" in result.stderr


def test_as_frame(built):
    pd = pytest.importorskip("pandas")
    frame = kg.load(built).leaderboard("ImageNet", "accuracy", as_frame=True)
    assert isinstance(frame, pd.DataFrame) and list(frame["subject"])[:2] == ["Quix", "Zorbl"]
