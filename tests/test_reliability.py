"""A build never destroys a good earlier build, never touches unrelated files, and is
byte-for-byte reproducible.

* a build killed with SIGKILL half way through writing, or whose export fails, or that is
  interrupted, leaves the previous graph.json / graph.ttl / void.ttl / graph.html as they were;
* a build into a folder holding other files leaves them alone;
* two builds of the same input are byte-identical (``--generated-at`` / ``SOURCE_DATE_EPOCH``
  pin the one timestamp, the provenance record's), with one worker or two.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.io import STAGING_PREFIX, atomic_outputs, atomic_write

WHEN = "2025-01-01T00:00:00Z"
OUTPUTS = ("graph.json", "graph.ttl", "void.ttl", "graph.html")

PAPERS = [
    {"id": "r-1", "title": "Foo-Net: Deeper Residual Features",
     "abstract": "We propose Foo-Net, which builds on ResNet-50 and is evaluated on the ImageNet benchmark. "
                 "Foo-Net reaches 81.2% top-1 accuracy on ImageNet and outperforms ResNet-50."},
    {"id": "r-2", "title": "Bar-Former: Attention for Reading",
     "abstract": "We introduce Bar-Former, a Transformer model trained on SQuAD. Bar-Former outperforms BERT on "
                 "the SQuAD benchmark with a higher F1 score."},
    {"id": "r-3", "title": "Baz-RL: Sample-Efficient Policies",
     "abstract": "We present Baz-RL, a reinforcement learning method based on PPO. Baz-RL is evaluated on the Atari "
                 "benchmark and outperforms PPO on most games."},
    {"id": "r-4", "title": "Distilling Image Classifiers",
     "abstract": "We distil ResNet-50 into a small student network and evaluate it on CIFAR-10 and ImageNet."},
]
EXTRA = {"id": "r-5", "title": "Qux-Seg: Segmenting Street Scenes",
         "abstract": "We propose Qux-Seg for semantic segmentation. Qux-Seg builds on DeepLabv3 and is evaluated on "
                     "Cityscapes, where it improves mIoU."}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def build(src: Path, out: Path, *extra, env=None):
    """``kg -q build SRC -o OUT EXTRA`` in-process (the root logger's handlers are put back)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        result = CliRunner().invoke(cli, ["-q", "build", str(src), "-o", str(out), *map(str, extra)], env=env)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kg build raised {result.exception!r}: {result.stderr}")
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def good_build(tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """A folder holding a good build of PAPERS plus a user's own file; the corpus of a
    second, different build (PAPERS + EXTRA); and the folder's snapshot."""
    out = tmp_path / "out"
    result = build(write_jsonl(tmp_path / "a.jsonl", PAPERS), out, "--generated-at", WHEN)
    assert result.exit_code == 0, result.stderr
    (out / "notes.txt").write_text("my notes about this build\n")  # a kg build folder may hold the user's files
    assert all((out / name).is_file() for name in OUTPUTS)
    return out, write_jsonl(tmp_path / "b.jsonl", [*PAPERS, EXTRA]), snapshot(out)


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    after = snapshot(out)
    assert sorted(after) == sorted(before), "files appeared or disappeared"
    for name in before:
        assert after[name] == before[name], f"{name} changed"


# --------------------------------------------------------------------------- killed builds


_STALLED_BUILD = textwrap.dedent("""
    import sys, time
    import kg.export.html as html
    from kg.io import atomic_write

    marker, args = sys.argv[1], sys.argv[2:]

    def stalled_write_html(graph, path, **options):
        page, selection = html.render_html(graph, **options)
        with atomic_write(path) as f:
            f.write(page[: len(page) // 2])
            f.flush()
            open(marker, "w").close()
            time.sleep(600)  # killed here, half way through graph.html
        return selection

    html.write_html = stalled_write_html
    import kg.cli
    kg.cli.main(args)
""")


def _stall_build_in_graph_html(src: Path, out: Path, marker: Path) -> subprocess.Popen:
    """A ``kg build SRC -o OUT`` in its own process, stalled half way through graph.html."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED_BUILD, str(marker), "-q", "build", str(src), "-o", str(out),
         "--generated-at", "2025-06-01T00:00:00Z"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"the build never stalled in graph.html: {proc.communicate()}")
        time.sleep(0.05)
    return proc


def test_build_killed_half_way_leaves_the_previous_outputs(good_build, tmp_path):
    out, newer, before = good_build
    proc = _stall_build_in_graph_html(newer, out, tmp_path / "writing-graph.html")
    try:
        # the new graph.json, graph.ttl and void.ttl are written (staged), graph.html half written
        (stage,) = [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
        staged = json.loads((stage / "graph.json").read_text("utf-8"))
        assert any(n.get("paper_id") == "r-5" for n in staged["nodes"])
        assert (stage / "graph.ttl").is_file() and (stage / "void.ttl").is_file()
        assert any(p.name.startswith(".graph.html.") for p in stage.iterdir())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    # everything the user sees is the previous build, byte for byte
    visible = {k: v for k, v in snapshot(out).items() if not k.startswith(STAGING_PREFIX)}
    assert visible == before
    # the next build finishes the job and clears the dead build's staging folder
    result = build(newer, out, "--generated-at", WHEN)
    assert result.exit_code == 0, result.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-staging")]
    assert any(n.get("paper_id") == "r-5" for n in json.loads((out / "graph.json").read_text())["nodes"])
    assert (out / "notes.txt").read_bytes() == before["notes.txt"]


def test_export_failing_half_way_leaves_the_previous_outputs(good_build, monkeypatch):
    import kg.export.html

    out, newer, before = good_build
    real = kg.export.html.render_html

    def half_then_fail(graph, path, **options):
        page, _ = real(graph, **options)
        with atomic_write(path) as f:
            f.write(page[: len(page) // 2])
            raise RuntimeError("renderer crashed")

    monkeypatch.setattr(kg.export.html, "write_html", half_then_fail)
    result = build(newer, out, "--generated-at", "2025-06-01T00:00:00Z")
    assert result.exit_code == 1
    assert result.stderr == "kg: error: internal error: RuntimeError: renderer crashed (run with -v for the traceback)\n"
    assert_untouched(out, before)


def test_rdf_export_failing_after_graph_ttl_leaves_the_previous_outputs(good_build, monkeypatch):
    import kg.export.rdf

    out, newer, before = good_build
    real = kg.export.rdf.write_rdf

    def ttl_then_fail(graph, out_dir, **options):
        real(graph, out_dir, **options)  # graph.ttl and void.ttl are written ...
        raise OSError(28, "No space left on device", str(Path(out_dir) / "graph.nt"))  # ... then the disk fills

    monkeypatch.setattr(kg.export.rdf, "write_rdf", ttl_then_fail)
    result = build(newer, out, "--generated-at", "2025-06-01T00:00:00Z")
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: cannot write ") and result.stderr.endswith(
        "graph.nt: No space left on device\n")
    assert_untouched(out, before)


def _terminate(proc: subprocess.Popen) -> str:
    """SIGTERM to ``proc``; its stderr once it has exited (killed if it has not within 60 s)."""
    try:
        os.kill(proc.pid, signal.SIGTERM)
        return proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def test_terminated_build_cleans_up_like_an_interrupted_one(good_build, tmp_path):
    """SIGTERM (a scheduler's stop, ``kill``) removes the staging folder at once, as Ctrl-C does."""
    out, newer, before = good_build
    proc = _stall_build_in_graph_html(newer, out, tmp_path / "writing-graph.html")
    stderr = _terminate(proc)
    assert proc.returncode == 143
    assert stderr == "kg: terminated; earlier outputs are left as they were\n"
    assert_untouched(out, before)  # no staging folder either


def test_interrupted_build_leaves_the_previous_outputs(good_build, monkeypatch):
    import kg.export.html

    out, newer, before = good_build

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.export.html, "write_html", interrupted)
    result = build(newer, out, "--generated-at", "2025-06-01T00:00:00Z")
    assert result.exit_code == 130
    assert result.stderr == "kg: interrupted; earlier outputs are left as they were\n"
    assert_untouched(out, before)


def test_failed_read_leaves_the_previous_outputs(good_build, tmp_path):
    out, _, before = good_build
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(PAPERS[0]) + "\n{broken\n")
    result = build(bad, out, "--strict")
    assert result.exit_code == 2
    assert_untouched(out, before)


def test_api_save_failing_half_way_leaves_no_mix(good_build, monkeypatch):
    import kg
    import kg.export.html

    out, _, before = good_build

    def fail(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    g = kg.KnowledgeGraph.from_papers([kg.Paper(p["id"], p["title"], p["abstract"]) for p in [*PAPERS, EXTRA]])
    monkeypatch.setattr(kg.export.html, "write_html", fail)
    with pytest.raises(RuntimeError):
        g.save(out, generated_at="2025-06-01T00:00:00Z")
    assert_untouched(out, before)


# --------------------------------------------------------------------------- unrelated files


def test_build_into_a_folder_with_unrelated_files_leaves_them_alone(tmp_path):
    out = tmp_path / "site"
    (out / "assets" / "img").mkdir(parents=True)
    mine = {
        "index.md": b"# my site\n",
        "papers.csv": b"title,abstract\nA,B\n",
        "graph.json.bak": b'{"an": "old copy"}',
        ".hidden": b"secret",
        "assets/img/logo.png": b"\x89PNG\r\n\x1a\n....",
        "assets/style.css": b"body{}",
    }
    for name, data in mine.items():
        (out / name).write_bytes(data)
    os.chmod(out / "index.md", 0o600)
    src = write_jsonl(tmp_path / "p.jsonl", PAPERS)
    refused = build(src, out, "--generated-at", WHEN)  # not a kg build: refused without --force
    assert refused.exit_code == 2 and "not a kg build folder and not empty" in refused.stderr
    assert "--force" in refused.stderr and snapshot(out) == mine
    for force in (["--force"], []):  # into the folder, then over its own outputs
        result = build(src, out, "--generated-at", WHEN, *force)
        assert result.exit_code == 0, result.stderr
        files = snapshot(out)
        for name, data in mine.items():
            assert files[name] == data
        assert sorted(f for f in set(files) - set(mine) if not f.startswith(".kg-cache/")) == sorted(
            [*OUTPUTS, ".kg-build.json"])
    assert (out / "index.md").stat().st_mode & 0o777 == 0o600


# --------------------------------------------------------------------------- determinism


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "p.jsonl", [*PAPERS, EXTRA])


_BASES = ["ResNet-50", "BERT", "PPO", "Transformer", "Llama 2", "ViT"]
_SETS = ["ImageNet", "SQuAD", "CIFAR-10", "COCO", "the Atari benchmark", "GLUE"]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """Over 256 papers: extraction runs in several batches, spread over the workers."""
    records = [*PAPERS, EXTRA]
    for i in range(260):
        name = f"Net{i}-{'ABCDEFGH'[i % 8]}"
        records.append({"id": f"gen-{i:03d}", "title": f"{name}: Study Number {i}",
                        "abstract": f"We propose {name}, which builds on {_BASES[i % 6]} and is evaluated on "
                                    f"{_SETS[(i // 6) % 6]}. {name} reaches {50 + i % 40}.{i % 10}% accuracy."})
    return write_jsonl(tmp_path_factory.mktemp("big") / "p.jsonl", records)


def test_two_builds_are_byte_identical_with_one_or_two_workers(corpus, tmp_path):
    builds = {}
    for name, extra in (("a", []), ("b", []), ("two-workers", ["--workers", "2"])):
        result = build(corpus, tmp_path / name, "--generated-at", WHEN, *extra)
        assert result.exit_code == 0, result.stderr
        builds[name] = _outputs(tmp_path / name)
    assert builds["a"] == builds["b"] == builds["two-workers"]
    assert b"2025-01-01T00:00:00Z" in builds["a"]["graph.ttl"]


def test_many_batches_over_two_workers_give_the_same_bytes(big_corpus, tmp_path):
    for name, extra in (("one", []), ("two", ["--workers", "2"])):
        result = build(big_corpus, tmp_path / name, "--generated-at", WHEN, "--no-html", "--rdf-format", "nt", *extra)
        assert result.exit_code == 0, result.stderr
    for name in ("graph.json", "graph.ttl", "graph.nt", "void.ttl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert len(json.loads((tmp_path / "two" / "graph.json").read_text())["nodes"]) > 265


def test_source_date_epoch_pins_the_time_like_generated_at(corpus, tmp_path):
    pinned = build(corpus, tmp_path / "pinned", "--generated-at", WHEN)
    epoch = build(corpus, tmp_path / "epoch", env={"SOURCE_DATE_EPOCH": "1735689600"})  # 2025-01-01T00:00:00Z
    assert pinned.exit_code == epoch.exit_code == 0
    assert _outputs(tmp_path / "pinned") == _outputs(tmp_path / "epoch")


def test_the_only_timestamp_is_the_provenance_record(corpus, tmp_path):
    build(corpus, tmp_path / "jan", "--generated-at", WHEN)
    build(corpus, tmp_path / "jun", "--generated-at", "2025-06-30T12:34:56+00:00")
    jan, jun = _outputs(tmp_path / "jan"), _outputs(tmp_path / "jun")
    assert jan["graph.json"] == jun["graph.json"]
    assert jan["graph.html"] == jun["graph.html"]
    for name in ("graph.ttl", "void.ttl"):
        a, b = jan[name].decode().splitlines(), jun[name].decode().splitlines()
        assert len(a) == len(b)
        changed = [(x, y) for x, y in zip(a, b) if x != y]
        assert changed, name
        for x, y in changed:
            assert ("2025-01-01T00:00:00Z" in x or "20250101T000000Z" in x), x
            assert ("2025-06-30T12:34:56Z" in y or "20250630T123456Z" in y), y
    # and no clock time sneaks into the data: nothing looks like today's date
    today = time.strftime("%Y-%m-%d").encode()
    assert all(today not in data for data in jan.values()) or today == b"2025-01-01"


def test_the_order_of_the_input_records_does_not_change_the_graph(tmp_path):
    """ResNet-50 is a variant of ResNet: the evidence of that edge must not depend on which
    paper came first (it used to be the first mention in input order)."""
    a = {"id": "v-1", "title": "Residual Networks Revisited",
         "abstract": "We revisit ResNet and train ResNet-50 on ImageNet with a longer schedule."}
    b = {"id": "v-2", "title": "Distilling Image Classifiers",
         "abstract": "We distil ResNet-50 into a small student network and evaluate it on CIFAR-10."}
    build(write_jsonl(tmp_path / "ab.jsonl", [a, b]), tmp_path / "ab", "--generated-at", WHEN)
    build(write_jsonl(tmp_path / "ba.jsonl", [b, a]), tmp_path / "ba", "--generated-at", WHEN)
    assert _outputs(tmp_path / "ab") == _outputs(tmp_path / "ba")


# --------------------------------------------------------------------------- kg.io


def test_atomic_outputs_stages_and_moves_everything_at_the_end(tmp_path):
    out = tmp_path / "out"
    with atomic_outputs(out) as stage:
        assert stage.parent == out and stage.name.startswith(STAGING_PREFIX)
        with atomic_write(stage / "a.json") as f:
            f.write("a")
        (stage / "sub").mkdir()
        (stage / "sub" / "b.ttl").write_text("b")
        assert not (out / "a.json").exists()  # nothing visible until the block ends
    assert (out / "a.json").read_text() == "a" and (out / "sub" / "b.ttl").read_text() == "b"
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "sub"]
    assert (out / "a.json").stat().st_mode & 0o044 == 0o044  # readable like any new file, not 0600


def test_atomic_outputs_failure_changes_nothing_and_cleans_up(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("old")
    with pytest.raises(ValueError):
        with atomic_outputs(out) as stage:
            (stage / "a.json").write_text("new")
            (stage / "b.json").write_text("new")
            raise ValueError("half way")
    assert sorted(p.name for p in out.iterdir()) == ["a.json"] and (out / "a.json").read_text() == "old"


def test_atomic_outputs_nest(tmp_path):
    """The CLI stages a build and KnowledgeGraph.save may stage its own files inside: fine."""
    out = tmp_path / "out"
    with atomic_outputs(out) as outer:
        with atomic_outputs(outer) as inner:
            (inner / "graph.json").write_text("{}")
        assert (outer / "graph.json").exists() and not (out / "graph.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["graph.json"]


def test_atomic_outputs_removes_only_stages_of_dead_processes(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    stale = out / f"{STAGING_PREFIX}{dead.pid}-abc"
    live = out / f"{STAGING_PREFIX}{os.getppid()}-def"  # a running process: maybe a concurrent build
    for d in (stale, live):
        d.mkdir(parents=True)
        (d / "graph.json").write_text("{}")
    with atomic_outputs(out) as stage:
        (stage / "x").write_text("x")
    assert not stale.exists() and live.exists()


def test_atomic_outputs_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        with atomic_outputs(tmp_path / "f"):
            pass


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("old")
    os.chmod(p, 0o640)
    with atomic_write(p) as f:
        f.write("new")
    assert p.read_text() == "new" and p.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- known bugs elsewhere


def test_input_error_survives_pickling():
    import pickle

    from kg.readers import InputError

    e = pickle.loads(pickle.dumps(InputError("a.jsonl", 3, "invalid JSON")))
    assert (str(e), e.path, e.line, e.problem) == ("a.jsonl:3: invalid JSON", "a.jsonl", 3, "invalid JSON")


# --------------------------------------------------------------------------- a user's files are never lost


def test_a_first_build_into_a_home_like_folder_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    mine = {"graph.nt": b"<a> <b> <c> .\n", "graph.trig": b"{}", "graph.jsonld": b"{}", "context.jsonld": b"{}",
            "graph.html": b"<p>my page</p>", ".bashrc": b"alias k=kg\n"}
    for name, data in mine.items():
        (home / name).write_bytes(data)
    for extra in ([], ["--no-html"], ["--rdf-format", "nt"]):
        result = build(write_jsonl(tmp_path / "p.jsonl", PAPERS), home, *extra)
        assert result.exit_code == 2 and "not a kg build folder and not empty" in result.stderr
        assert snapshot(home) == mine


def test_a_build_removes_only_what_an_earlier_build_wrote(tmp_path):
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "p.jsonl", PAPERS)
    assert build(src, out, "--rdf-format", "nt").exit_code == 0
    (out / "graph.trig").write_text("my own TriG\n")  # not written by kg, though it has a kg-like name
    manifest = json.loads((out / ".kg-build.json").read_text("utf-8"))
    assert manifest["files"] == sorted([*OUTPUTS, "graph.nt"])
    assert build(src, out, "--no-html").exit_code == 0
    assert not (out / "graph.nt").exists() and not (out / "graph.html").exists()  # the earlier build's
    assert (out / "graph.trig").read_text() == "my own TriG\n"


def test_outputs_never_replace_inputs(tmp_path):
    src = write_jsonl(tmp_path / "p.jsonl", PAPERS)
    before = src.read_bytes()
    result = CliRunner().invoke(cli, ["extract", str(src), "-o", str(src)])
    assert result.exit_code == 2 and "is an input of this command" in result.stderr
    assert src.read_bytes() == before
    out = tmp_path / "out"
    assert build(src, out).exit_code == 0
    graph = (out / "graph.json").read_bytes()
    for command in (["view", str(out), "-o", str(out / "graph.json")],
                    ["extract", str(src), "-o", str(out / "graph.ttl")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and "is a file of the kg build" in result.stderr, command
    assert (out / "graph.json").read_bytes() == graph
    result = build(out / "graph.json", out)
    assert result.exit_code == 2 and "is a file of the build" in result.stderr


def test_build_from_standard_input(tmp_path):
    data = "".join(json.dumps(r) + "\n" for r in PAPERS)
    result = CliRunner().invoke(cli, ["build", "-", "-o", str(tmp_path / "out")], input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"read {len(PAPERS)} records from 1 file: {len(PAPERS)} papers built")


def test_a_file_name_that_is_not_utf8_builds_and_caches(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.jsonl"), "wb") as f:
        f.write("".join(json.dumps(r) + "\n" for r in PAPERS).encode("utf-8"))
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 0, result.stderr
    assert (out / ".kg-cache" / "extractions.jsonl.gz").is_file()
    again = CliRunner().invoke(cli, ["-v", "build", str(folder), "-o", str(out)])
    assert again.exit_code == 0 and f"reused={len(PAPERS)}, extracted=0" in again.stderr


def _state(pid: int) -> str | None:
    """A process's state letter ("R", "S", "Z", ...), None when it is gone (Linux /proc)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_terminated_parallel_build_stops_its_workers(tmp_path):
    """SIGTERM during extraction over a process pool: kg exits 143 and leaves no worker behind."""
    words = "policy planner benchmark dataset transformer diffusion agent reward memory vision".split()
    src = write_jsonl(tmp_path / "many.jsonl", [
        {"id": f"p{i}", "title": f"Zorb{i}: Learning {words[i % 10]} models",
         "abstract": " ".join(f"We propose Zorb{i} for {words[(i + k) % 10]} tasks and evaluate it on CALVIN "
                              f"with PPO and DPO, reaching {k}.{i % 10}% success." for k in range(12))}
        for i in range(3000)])
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "-q", "build", str(src), "-o", str(tmp_path / "out"),
                             "--workers", "2", "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(workers := _children(proc.pid)) < 2:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no worker processes started: {proc.communicate()}")
        time.sleep(0.1)
    time.sleep(1.0)  # extracting
    stderr = _terminate(proc)
    assert proc.returncode == 143, stderr
    assert "kg: terminated" in stderr
    deadline = time.monotonic() + 10
    while any(_state(w) not in (None, "Z") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_state(w) in (None, "Z") for w in workers)
