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
