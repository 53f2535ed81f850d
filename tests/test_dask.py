"""``--dask``: extraction mapped over a Dask cluster gives the same build, byte for byte."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from pathlib import Path  # noqa: E402

from kg.cli import cli  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

OUTPUTS = ("graph.ttl", "graph.json", "graph.html", "void.ttl", ".kg-cache/extractions.jsonl.gz")


def build(out, *extra):
    result = CliRunner().invoke(cli, ["-q", "build", str(EXAMPLES / "papers.jsonl"), "-o", str(out),
                                      "--generated-at", "2026-01-01T00:00:00Z", *extra])
    assert result.exit_code == 0, result.output
    return out


def test_a_local_cluster_build_is_byte_identical(tmp_path):
    here = build(tmp_path / "here")
    there = build(tmp_path / "dask", "--dask", "local:2")
    for name in OUTPUTS:
        assert (here / name).read_bytes() == (there / name).read_bytes(), name


def test_extract_on_a_local_cluster_matches(tmp_path):
    runner = CliRunner()
    for out, extra in ((tmp_path / "a.jsonl", []), (tmp_path / "b.jsonl", ["--dask", "local:2"])):
        result = runner.invoke(cli, ["-q", "extract", str(EXAMPLES / "papers.jsonl"), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


@pytest.mark.parametrize("address,extra,code,said", [
    ("local:0", [], 2, "number of workers"),
    ("nonsense", [], 2, "scheduler address"),
    ("local:2", ["--workers", "2"], 2, "not both"),
])
def test_a_bad_address_is_refused_before_any_work(tmp_path, address, extra, code, said):
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES / "papers.jsonl"), "-o", str(tmp_path / "o"),
                                      "--dask", address, *extra])
    assert result.exit_code == code and said in result.stderr
    assert not (tmp_path / "o" / "graph.ttl").exists()


def test_an_unreachable_scheduler_is_said_plainly(tmp_path):
    import socket

    import dask

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = CliRunner().invoke(cli, ["build", str(EXAMPLES / "papers.jsonl"), "-o", str(tmp_path / "o"),
                                          "--dask", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1 and "cannot reach the scheduler" in result.stderr
