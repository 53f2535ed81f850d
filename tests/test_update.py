"""`kg build --update`: adding papers to a build gives the same graph as building them all."""
import json

from click.testing import CliRunner

from kg.cli import cli

PAPERS = [
    {"id": "u1", "title": "Kestrel: Fast Planning", "abstract": "We propose Kestrel. Kestrel builds on PPO and is evaluated on the Meta-World benchmark."},
    {"id": "u2", "title": "", "abstract": "We fine-tune Llama 2 with Direct Preference Optimization (DPO) for dialogue."},
    {"id": "u3", "title": "", "abstract": "Kestrel outperforms SAC on the Meta-World benchmark and reaches 91.5% success rate."},
]


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_update_equals_full_rebuild(tmp_path):
    runner = CliRunner()
    first, second, both = (write(tmp_path / n, rows) for n, rows in
                           (("a.jsonl", PAPERS[:2]), ("b.jsonl", PAPERS[2:]), ("all.jsonl", PAPERS)))
    pin = ["--generated-at", "2026-01-01T00:00:00Z"]
    inc, full = tmp_path / "inc", tmp_path / "full"
    assert runner.invoke(cli, ["-q", "build", first, "-o", str(inc), *pin]).exit_code == 0
    result = runner.invoke(cli, ["-v", "build", "--update", str(inc), second, *pin])
    assert result.exit_code == 0, result.output
    assert "reused=2, extracted=1" in result.output  # the old papers were not extracted again
    assert runner.invoke(cli, ["-q", "build", both, "-o", str(full), "--no-cache", *pin]).exit_code == 0
    for name in ("graph.json", "graph.ttl", "graph.html"):
        assert (inc / name).read_bytes() == (full / name).read_bytes(), name


def test_update_needs_an_existing_build(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--update", str(tmp_path / "nope"), write(tmp_path / "a.jsonl", PAPERS)])
    assert result.exit_code == 2 and "no such build folder" in result.output


def _paper_ids(build_dir) -> set[str]:
    data = json.loads((build_dir / "graph.json").read_text("utf-8"))
    return {n["paper_id"] for n in data["nodes"] if n.get("kind") == "paper"}


MORE = [{"id": f"m{i}", "title": f"Heron-{i}: Sparse Routing",
         "abstract": f"We propose Heron-{i}, a sparse router evaluated on the GLUE benchmark."} for i in range(3)]


def test_update_after_a_build_killed_between_outputs_and_cache_keeps_every_paper(tmp_path):
    """A kill after graph.json was moved into place but before the cache was leaves an old
    cache beside new outputs: the next --update takes the build's papers from graph.json."""
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(cli, ["-q", "build", write(tmp_path / "a.jsonl", PAPERS[:1]), "-o", str(out)]).exit_code == 0
    old_cache = (out / ".kg-cache" / "extractions.jsonl.gz").read_bytes()
    assert runner.invoke(cli, ["-q", "build", "--update", str(out), write(tmp_path / "b.jsonl", PAPERS[1:])]).exit_code == 0
    assert _paper_ids(out) == {"u1", "u2", "u3"}
    (out / ".kg-cache" / "extractions.jsonl.gz").write_bytes(old_cache)  # the cache lags the outputs
    result = runner.invoke(cli, ["build", "--update", str(out), write(tmp_path / "c.jsonl", MORE[:1])])
    assert result.exit_code == 0, result.output
    assert "taking the papers of the build" in result.output and "another graph.json" in result.output
    assert _paper_ids(out) == {"u1", "u2", "u3", "m0"}


def test_update_with_a_cache_missing_entries_keeps_every_paper(tmp_path):
    import gzip

    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(cli, ["-q", "build", write(tmp_path / "a.jsonl", PAPERS), "-o", str(out)]).exit_code == 0
    path = out / ".kg-cache" / "extractions.jsonl.gz"
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)
    assert json.loads(lines[-1]) == {"end": {"papers": 3}}
    for cut in (lines[:2] + lines[3:], lines[:-1]):  # an entry lost; the end line lost
        path.write_bytes(gzip.compress("".join(cut).encode("utf-8")))
        result = runner.invoke(cli, ["build", "--update", str(out), write(tmp_path / "c.jsonl", MORE[:1])])
        assert result.exit_code == 0, result.output
        assert "the cache is incomplete" in result.output
        assert _paper_ids(out) == {"u1", "u2", "u3", "m0"}


def test_cache_and_outputs_are_committed_together(tmp_path):
    """The cache names the graph.json it was written with, so a mismatch can be seen."""
    import hashlib

    from kg.cache import read_cache

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["-q", "build", write(tmp_path / "a.jsonl", PAPERS), "-o", str(out)]).exit_code == 0
    contents = read_cache(out)
    assert contents.graph_sha1 == hashlib.sha1((out / "graph.json").read_bytes()).hexdigest()
    assert contents.incomplete is None and len(contents.papers) == 3
