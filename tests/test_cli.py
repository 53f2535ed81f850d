"""The ``kg`` command line, end to end: bad inputs, summaries, --strict, -q, exit statuses,
queries (errors, updates, timeouts), info, validate, view, load, extract.

Exit statuses (kg/cli.py): 0 ok, 1 unexpected failure, 2 bad usage or unreadable input,
3 validation violations, 4 query error or timeout. Every error is ONE line on stderr,
``kg: error: <file>[:<line>]: <problem>``, never a traceback.

Most cases run in-process through click's CliRunner (the NLP pipeline loads once); a few run
through a real ``python -m kg.cli`` / ``kg`` process to see the real stderr.
"""
from __future__ import annotations

import codecs
import gzip
import http.server
import json
import logging
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

WHEN = "2025-01-01T00:00:00Z"

GOOD = {"id": "g-1", "title": "Foo-Net: Deeper Residual Features",
        "abstract": "We propose Foo-Net, which builds on ResNet-50 and is evaluated on the ImageNet benchmark. "
                    "Foo-Net reaches 81.2% top-1 accuracy on ImageNet."}
OTHER = {"id": "g-2", "title": "Bar-Former: Attention for Reading",
         "abstract": "We introduce Bar-Former, a Transformer model trained on SQuAD. Bar-Former outperforms BERT "
                     "on the SQuAD benchmark."}
THIRD = {"id": "g-3", "title": "Baz-RL: Sample-Efficient Policies",
         "abstract": "We present Baz-RL, a reinforcement learning method based on PPO. Baz-RL is evaluated on the "
                     "Atari benchmark and outperforms PPO."}


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


# --------------------------------------------------------------------------- helpers


def invoke(args, env=None):
    """CliRunner.invoke, then give the root logger back its handlers (the CLI points it at
    the runner's stderr, which would hide later log records from pytest's caplog)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=True)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def run_kg(*args, env=None):
    """Run ``kg ARGS`` in-process; return the click Result (stdout and stderr apart)."""
    result = invoke(args, env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kg {' '.join(map(str, args))} raised {result.exception!r}:\n{result.stderr}")
    return result


def error_of(result, code: int = 2) -> str:
    """The one error line of a failed run (and check it is the only error and no traceback)."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error: ")]
    assert len(errors) == 1, result.stderr
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0]
    return errors[0].removeprefix("kg: error: ")


def build(tmp_path: Path, *inputs, out: str = "out", extra=(), html: bool = False):
    args = ["build", *inputs, "-o", tmp_path / out, "--generated-at", WHEN, *extra]
    if not html:
        args.append("--no-html")
    return run_kg(*args)


def papers_of(out: Path) -> dict[str, dict]:
    data = json.loads((out / "graph.json").read_text("utf-8"))
    return {n["paper_id"]: n for n in data["nodes"] if n.get("kind") == "paper"}


# --------------------------------------------------------------------------- fatal inputs


def _write(path: Path, data) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _empty_dir(tmp: Path) -> Path:
    d = tmp / "papers"
    d.mkdir()
    (d / "README.md").write_text("notes, not papers")
    return d


def _dir_of_bad_files(tmp: Path) -> Path:
    d = tmp / "papers"
    d.mkdir()
    (d / "a.jsonl").write_text("")
    (d / "b.csv").write_text("name,text\nx,y\n")
    return d


# name -> (make input, expected error as a regex; {p} is the input path)
FATAL = {
    "missing file": (lambda t: t / "nope.jsonl", r"{p}: no such file or directory"),
    "empty file": (lambda t: _write(t / "e.jsonl", ""), r"{p}: empty file"),
    "only blank lines": (lambda t: _write(t / "e.jsonl", "\n  \n\r\n"), r"{p}: empty file"),
    "folder without papers": (_empty_dir, r"{p}: no readable papers in directory \(0 paper files, 0 skipped; "
                                          r"1 other files? ignored; paper files end in .*\)"),
    "folder of bad files": (_dir_of_bad_files, r"{p}: no readable papers in directory \(2 paper files, 2 skipped; .*\)"),
    "binary data": (lambda t: _write(t / "b.jsonl", bytes(range(256)) * 8), r"{p}:1: binary data, not text .*"),
    "a PDF named .txt": (lambda t: _write(t / "paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
                         r"{p}:1: binary data: this is a PDF document, not text"),
    "invalid JSON document": (lambda t: _write(t / "d.json", '[\n {"title": "A", "abstract": "B."},\n {"title": \n]\n'),
                              r"{p}:4: invalid JSON: Expecting value \(column 1\)"),
    "JSON object without papers": (lambda t: _write(t / "d.json", '{"kind": "listing", "count": 2}'),
                                   r"{p}: JSON object has no title/abstract and no list of papers \(keys: kind, count\)"),
    "CSV without title/abstract": (lambda t: _write(t / "c.csv", "name,text\nFoo,We use BERT.\n"),
                                   r"{p}:1: no 'title' and 'abstract' columns in the CSV header "
                                   r"\(found: 'name', 'text'\)"),
    "CSV header only": (lambda t: _write(t / "c.csv", "title,abstract\n"), r"{p}: no records after the CSV header"),
    "truncated gzip": (lambda t: _write(t / "p.jsonl.gz", gzip.compress(jsonl(GOOD).encode() * 20)[:40]),
                       r"{p}: corrupt gzip data: .*"),
    "every record bad": (lambda t: _write(t / "p.jsonl", jsonl({"id": "h", "title": "Huge", "abstract": "word " * 210_000})),
                         r"{p}: no papers could be read \(1 record skipped; first: {p}:1: abstract too long "
                         r"\(1,050,000 characters; limit 100,000\)\)"),
}


@pytest.mark.parametrize("case", sorted(FATAL))
def test_unreadable_input_is_one_line_naming_file_and_line_exit_2(tmp_path, case):
    make, expected = FATAL[case]
    path = make(tmp_path)
    result = build(tmp_path, path)
    message = error_of(result, 2)
    assert re.fullmatch(expected.format(p=re.escape(str(path))), message), message
    assert not (tmp_path / "out" / "graph.json").exists()


def test_bad_usage_is_one_line_exit_2(tmp_path):
    good = _write(tmp_path / "p.jsonl", jsonl(GOOD))
    assert error_of(run_kg("build", good, "-o", good)) == f"{good}: exists and is not a folder (-o names the output folder)"
    assert error_of(run_kg("build", good, "-o", good / "out")) == \
        f"{good / 'out'}: cannot be written: {good} is a file, not a folder (-o)"
    assert error_of(run_kg("extract", good, "-o", good / "x" / "x.jsonl")) == \
        f"{good / 'x' / 'x.jsonl'}: cannot be written: {good} is a file, not a folder (-o)"
    assert error_of(build(tmp_path, good, extra=["--generated-at", "last tuesday"])).startswith(
        "--generated-at must be an ISO 8601 date-time")
    assert error_of(run_kg("build", good, "-o", tmp_path / "o", env={"SOURCE_DATE_EPOCH": "soon"})) == \
        "SOURCE_DATE_EPOCH must be a Unix time in whole seconds, got 'soon'"
    assert error_of(build(tmp_path, good, extra=["--base-iri", "not an iri"])).startswith("--base-iri: base IRI must be")
    # click's own usage errors keep exit 2 too
    assert run_kg("build").exit_code == 2
    assert run_kg("build", good, "--workers", "0").exit_code == 2


# --------------------------------------------------------------------------- accepted inputs


def test_encodings_bom_crlf_and_mixed_bytes_are_read(tmp_path):
    cafe = {"id": "l-1", "title": "Caf\u00e9-Net for Na\u00efve Readers",
            "abstract": "We propose Caf\u00e9-Net, evaluated on the ImageNet benchmark."}
    files = {
        "latin1.jsonl": jsonl(cafe).encode("latin-1"),
        "utf16.jsonl": jsonl({**GOOD, "id": "u16"}).encode("utf-16"),  # with its BOM
        "utf16le.jsonl": jsonl({**GOOD, "id": "u16le"}).encode("utf-16-le"),  # without
        "bom.jsonl": codecs.BOM_UTF8 + jsonl({**GOOD, "id": "bom"}).encode(),
        "crlf.jsonl": jsonl({**GOOD, "id": "crlf", "abstract": GOOD["abstract"] + "\r\nSecond line."}).replace(
            "\n", "\r\n").encode(),
        "mixed.jsonl": jsonl({**GOOD, "id": "m-1"}).encode() + jsonl({**cafe, "id": "m-2"}).encode("latin-1"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        result = build(tmp_path, tmp_path / name, out=f"{name}.out")
        assert result.exit_code == 0, (name, result.stderr)
        assert "skipped" not in result.stderr.replace(", 0 skipped", ""), (name, result.stderr)
    assert papers_of(tmp_path / "latin1.jsonl.out")["l-1"]["title"] == "Caf\u00e9-Net for Na\u00efve Readers"
    assert papers_of(tmp_path / "mixed.jsonl.out")["m-2"]["title"] == "Caf\u00e9-Net for Na\u00efve Readers"
    assert papers_of(tmp_path / "bom.jsonl.out")["bom"]["title"] == GOOD["title"]
    assert papers_of(tmp_path / "utf16le.jsonl.out")["u16le"]["title"] == GOOD["title"]
    assert papers_of(tmp_path / "utf16.jsonl.out")["u16"]["title"] == GOOD["title"]
    crlf = papers_of(tmp_path / "crlf.jsonl.out")["crlf"]
    assert "\r" not in crlf["abstract"] and crlf["abstract"].endswith("ImageNet.\nSecond line.")


def test_control_characters_html_and_foreign_text(tmp_path):
    records = [
        {"id": "c-1", "title": "Ctl\u0007Net\u0000 \u001b[31mRed",
         "abstract": "We propose Ctl\u0001Net, evaluated on the ImageNet benchmark.\u000cNext page.\u0085"},
        {"id": "h-1", "title": "<script>alert(1)</script><b>Bold</b>-Net",
         "abstract": "We propose BoldNet </script><img src=x onerror=alert(2)>, evaluated on ImageNet."},
        {"id": "n-1", "title": "\u6df1\u5ea6\u6b8b\u5dee\u5b66\u4e60",
         "abstract": "\u6211\u4eec\u63d0\u51fa\u4e86\u4e00\u79cd\u65b0\u7684\u56fe\u50cf\u8bc6\u522b\u65b9\u6cd5\u3002"},
        {"id": "n-2", "title": "\u0413\u043b\u0443\u0431\u043e\u043a\u0438\u0435 \u0441\u0435\u0442\u0438",
         "abstract": "\u041c\u044b \u0443\u043b\u0443\u0447\u0448\u0430\u0435\u043c ResNet-50 \u043d\u0430 ImageNet."},
        {"id": "n-3", "title": "\u0634\u0628\u0643\u0627\u062a \u0639\u0645\u064a\u0642\u0629",
         "abstract": "\u0646\u0642\u062a\u0631\u062d \u0637\u0631\u064a\u0642\u0629 \u062c\u062f\u064a\u062f\u0629 \u0644\u0644\u062a\u0639\u0631\u0641."},
    ]
    src = _write(tmp_path / "p.jsonl", jsonl(*records))
    result = build(tmp_path, src, html=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "read 5 records from 1 file: 5 papers built, 0 skipped"
    papers = papers_of(tmp_path / "out")
    assert set(papers) == {"c-1", "h-1", "n-1", "n-2", "n-3"}
    assert papers["c-1"]["title"] == "CtlNet [31mRed"
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", papers["c-1"]["abstract"])
    assert papers["h-1"]["title"] == "<script>alert(1)</script><b>Bold</b>-Net"  # kept as text
    html = (tmp_path / "out" / "graph.html").read_text("utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>Bold</b>" not in html


# --------------------------------------------------------------------------- bad records


SKIPPED = {
    "truncated last line": ('{"id": "t-2", "title": "Cut", "abstr', r"invalid JSON: Unterminated string starting at \(column 31\)"),
    "invalid JSON line": ("{not json}", r"invalid JSON: Expecting property name enclosed in double quotes \(column 2\)"),
    "not an object": ("[1, 2]", r"not a JSON object \(got array\)"),
    "empty abstract": ({"id": "x", "title": "Nothing", "abstract": " \n\t "}, r"empty abstract"),
    "missing abstract": ({"id": "x", "title": "Nothing"}, r"missing abstract \(fields: id, title\)"),
    "abstract not text": ({"id": "x", "title": "T", "abstract": ["a", "b"]}, r"abstract is not text \(got array\)"),
    "duplicate id": ({**OTHER, "id": GOOD["id"]}, r"duplicate id g-1 \(first at {p}:1\)"),
    "one-megabyte abstract": ({"id": "x", "title": "Huge", "abstract": "word " * 210_000},
                              r"abstract too long \(1,050,000 characters; limit 100,000\)"),
    "control characters only": ({"id": "x", "title": "T", "abstract": "\u0000\u0007\u001b"}, r"empty abstract"),
}


@pytest.mark.parametrize("case", sorted(SKIPPED))
def test_bad_record_is_reported_skipped_and_counted(tmp_path, case):
    bad, reason = SKIPPED[case]
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, bad, THIRD))
    result = build(tmp_path, src)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    p = re.escape(str(src))
    assert re.fullmatch(f"kg: skipped {p}:2: {reason.format(p=p)}", lines[0]), lines[0]
    key = {"truncated last line": "invalid JSON", "invalid JSON line": "invalid JSON",
           "control characters only": "empty abstract", "one-megabyte abstract": "abstract too long",
           "abstract not text": "abstract is not text", "not an object": "not a JSON object"}.get(case, case)
    assert lines[1] == f"read 3 records from 1 file: 2 papers built, 1 skipped (1 {key})"
    assert set(papers_of(tmp_path / "out")) == {"g-1", "g-3"}


@pytest.mark.parametrize("case", ["invalid JSON line", "duplicate id", "empty abstract"])
def test_strict_makes_a_bad_record_fatal(tmp_path, case):
    bad, reason = SKIPPED[case]
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, bad, THIRD))
    p = re.escape(str(src))
    message = error_of(build(tmp_path, src, extra=["--strict"]), 2)
    assert re.fullmatch(f"{p}:2: {reason.format(p=p)}", message), message
    assert not (tmp_path / "out").exists()


def test_bad_records_in_a_large_file_are_skipped_and_the_rest_built(tmp_path):
    records = [{"id": f"big-{i:03d}", "title": f"Model {i}: Study {i}",
                "abstract": f"We train Model-{i} on ImageNet and compare it with ResNet-50 in setting {i}."}
               for i in range(120)]
    records[17] = '{"id": "big-017", "title": "broken'
    records[55] = {"id": "big-055", "title": "No text", "abstract": ""}
    records[90] = {**records[3]}  # duplicate id big-003
    src = _write(tmp_path / "big.jsonl", jsonl(*records))
    result = build(tmp_path, src)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1].removeprefix("skipped ") for line in lines[:3]] == [f"{src}:{n}" for n in (18, 56, 91)]
    assert lines[3] == "read 120 records from 1 file: 117 papers built, 3 skipped (1 duplicate id, 1 empty abstract, 1 invalid JSON)"
    assert len(papers_of(tmp_path / "out")) == 117


def test_bad_file_inside_a_folder_is_skipped_with_the_rest_built(tmp_path):
    d = tmp_path / "papers"
    d.mkdir()
    _write(d / "a.jsonl", jsonl(GOOD))
    _write(d / "b.csv", "name,text\nx,y\n")
    _write(d / "c.jsonl", "")
    result = build(tmp_path, d)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"kg: skipped {d / 'b.csv'}:1: no 'title' and 'abstract' columns")
    assert lines[1] == f"kg: skipped {d / 'c.jsonl'}: empty file"
    assert lines[2] == ("read 3 records from 3 files: 1 paper built, 2 skipped "
                        "(1 empty file, 1 no 'title' and 'abstract' columns in the CSV header)")
    assert error_of(build(tmp_path, d, extra=["--strict"])).startswith(f"{d / 'b.csv'}:1: no 'title'")


def test_summary_and_written_files(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, OTHER, THIRD))
    result = build(tmp_path, src, html=True)
    assert result.exit_code == 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "read 3 records from 1 file: 3 papers built, 0 skipped"
    assert re.fullmatch(r"\d+ entities, \d+ relations, \d+ results", lines[1])
    out = tmp_path / "out"
    assert lines[2:] == [f"wrote {out / n}" for n in ("graph.json", "graph.ttl", "void.ttl", "graph.html")]
    assert sorted(p.name for p in out.iterdir() if p.name not in (".kg-cache", ".kg-build.json")) == [
        "graph.html", "graph.json", "graph.ttl", "void.ttl"]
    assert (out / ".kg-cache" / "extractions.jsonl.gz").is_file()  # the per-paper cache for rebuilds
    assert all((out / n).stat().st_mode & 0o044 == 0o044 for n in ("graph.json", "graph.html"))  # not 0600


def test_quiet_silences_warnings_and_summary_but_not_errors(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, "{oops", THIRD))
    result = run_kg("-q", "build", src, "-o", tmp_path / "out", "--no-html", "--generated-at", WHEN)
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
    result = run_kg("-q", "build", src, "-o", tmp_path / "out", "--strict")
    assert error_of(result) == f"{src}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"


def test_workers_2_reports_reader_errors_instead_of_hanging(tmp_path):
    """A reader error used to travel into the process pool, fail to unpickle there and hang."""
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, "{oops", THIRD))
    box: list = []
    worker = threading.Thread(target=lambda: box.append(build(tmp_path, src, extra=["--workers", "2", "--strict"])),
                              daemon=True)
    worker.start()
    worker.join(120)
    assert box, "kg build --workers 2 --strict hung"
    assert error_of(box[0]) == f"{src}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"
    result = build(tmp_path, src, extra=["--workers", "2"])
    assert result.exit_code == 0 and "2 papers built, 1 skipped" in result.stderr


def test_extract_command(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, {"id": "x"}, OTHER))
    result = run_kg("extract", src, "-o", tmp_path / "x.jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[1] == "read 3 records from 1 file: 2 papers built, 1 skipped (1 missing abstract)"
    rows = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["g-1", "g-2"]
    for r in rows:
        for e in r["entities"]:
            assert r["text"][e["start"]:e["end"]] == e["text"]
    assert error_of(run_kg("extract", src, "-o", tmp_path)).endswith("is a folder (-o names the JSON Lines file to write)")


def test_extract_gives_each_paper_a_variant_relation_with_its_own_sentence(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(
        {"id": "a", "title": "Quillformer: Sewing", "abstract": "We propose Quillformer and release Quillformer-7B."},
        {"id": "b", "title": "Sewing at scale", "abstract": "Seams are hard. We compare Quillformer-7B with Quillformer."}))
    assert run_kg("extract", src, "-o", tmp_path / "x.jsonl").exit_code == 0
    rows = {r["id"]: r for r in map(json.loads, (tmp_path / "x.jsonl").read_text("utf-8").splitlines())}
    for pid, row in rows.items():
        variant = [r for r in row["relations"] if r["type"] == "variantOf"]
        assert variant and all(r["sentence"] in row["text"] for r in variant), (pid, variant)


# --------------------------------------------------------------------------- unexpected failures


def test_unexpected_exception_is_one_line_exit_1_traceback_only_with_v(tmp_path, monkeypatch):
    from kg.compact_graph import CompactGraph

    def broken(*a, **k):
        raise RuntimeError("layout exploded\nsecond line")

    monkeypatch.setattr(CompactGraph, "from_linked", broken)
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD))
    result = build(tmp_path, src)
    assert error_of(result, 1) == ("internal error: RuntimeError: layout exploded second line "
                                   "(run with -v for the traceback)")
    verbose = run_kg("-v", "build", src, "-o", tmp_path / "out", "--no-html")
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr and "in broken" in verbose.stderr
    assert verbose.stderr.rstrip().splitlines()[-1] == "kg: error: internal error: RuntimeError: layout exploded second line"


def test_disk_full_while_writing_is_one_line_exit_1(tmp_path, monkeypatch):
    import errno

    import kg.export.json

    def full(graph, path, **_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(kg.export.json, "write_json", full)
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD))
    message = error_of(build(tmp_path, src), 1)
    assert re.fullmatch(r"cannot write .*graph\.json: No space left on device", message), message


# the real process: real stderr, real exit status, the installed script

def _kg_command() -> list[str]:
    return [sys.executable, "-m", "kg.cli"]


def test_real_process_prints_one_line_without_traceback(tmp_path):
    """Real processes (the installed script when there is one): real stderr, real status."""
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD))
    crash = ("import kg.readers, kg.cli\n"
             "def broken(*a, **k):\n    raise ZeroDivisionError('numbers are hard')\n"
             "kg.readers.read_papers = broken\n"
             "kg.cli.main()\n")
    script = shutil.which("kg")
    cases = {  # name: (command, status, the whole of stderr)
        "missing file": ([script] if script else _kg_command(), ["build", tmp_path / "missing.jsonl"], 2,
                         f"kg: error: {tmp_path / 'missing.jsonl'}: no such file or directory\n"),
        "binary data": (_kg_command(), ["build", _write(tmp_path / "bin.jsonl", bytes(range(256)) * 4)], 2,
                        f"kg: error: {tmp_path / 'bin.jsonl'}:1: binary data, not text (contains NUL or control bytes)\n"),
        "internal error": ([sys.executable, "-c", crash], ["build", src], 1,
                           "kg: error: internal error: ZeroDivisionError: numbers are hard "
                           "(run with -v for the traceback)\n"),
    }
    procs = {name: subprocess.Popen([*command, *map(str, args), "-o", str(tmp_path / "out")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, (command, args, _, _) in cases.items()}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=180)
        _, _, status, expected = cases[name]
        assert (proc.returncode, out, err) == (status, "", expected), name
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- query, info, validate, view, load


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small build folder (with graph.html)."""
    root = tmp_path_factory.mktemp("cli-build")
    src = _write(root / "p.jsonl", jsonl(GOOD, OTHER, THIRD))
    result = invoke(["-q", "build", src, "-o", root / "out", "--generated-at", WHEN])
    assert result.exit_code == 0, result.stderr
    return root / "out"


BASED_ON = "SELECT ?h ?t WHERE { ?m kg:basedOn ?b . ?m skos:prefLabel ?h . ?b skos:prefLabel ?t } ORDER BY ?h"


def test_query_answers(built):
    result = run_kg("query", built, BASED_ON, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "h,t"
    assert "Foo-Net,ResNet-50" in result.stdout.splitlines()
    ask = run_kg("query", built, "ASK { ?m a kg:Method }", "--format", "json")
    assert json.loads(ask.stdout)["boolean"] is True


def test_malformed_query_gives_line_and_column_exit_4(built, tmp_path):
    message = error_of(run_kg("query", built, "SELECT ?s\nWHERE { ?s ?p }"), 4)
    assert re.match(r"line 2, column \d+: ", message), message
    rq = _write(tmp_path / "bad.rq", "PREFIX ex: <http://example.org/>\nSELECT ?x\nWHERE {\n  ?x ex:p\n}\n")
    message = error_of(run_kg("query", built, "-f", rq), 4)
    assert re.match(rf"{re.escape(str(rq))}:5:\d+: ", message), message
    assert error_of(run_kg("query", built, "SELECT ?x WHERE { ?x nope:p ?y }"), 4) == \
        "line 1, column 22: unknown prefix nope: (declare it with PREFIX nope: <...>)"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/evil.ttl>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "PREFIX ex: <http://example.org/>\n# a comment\nDELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
])
def test_updates_are_refused_and_change_nothing(built, update):
    before = (built / "graph.ttl").read_bytes()
    result = run_kg("query", built, update)
    assert result.exit_code == 4, result.stderr
    error_of(result, 4)
    assert (built / "graph.ttl").read_bytes() == before


@pytest.fixture()
def local_endpoint():
    """A local HTTP server that records every request: (its URL, the list of paths asked for)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


def test_service_clauses_are_refused_without_touching_the_network(built, local_endpoint):
    url, hits = local_endpoint
    for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                  f"select * where {{ ?a ?b ?c .\n  service silent <{url}> {{ ?s ?p ?o }} }}"):
        message = error_of(run_kg("query", built, query), 4)
        assert re.fullmatch(r"line [12], column \d+: SERVICE \(a federated query to another endpoint\) is not run: "
                            r"kg queries only the graph it is given", message), message
    rq = _write(built.parent / "federated.rq", f"SELECT *\nWHERE {{\n  SERVICE <{url}> {{ ?s ?p ?o }}\n}}\n")
    assert error_of(run_kg("query", built, "-f", rq), 4).startswith(f"{rq}:3:3: SERVICE (a federated query")
    # "service" as a variable, in a string, an IRI or a comment is fine
    ok = run_kg("query", built, 'SELECT ?service WHERE { ?service ?p "SERVICE" } # SERVICE\nLIMIT 1')
    assert ok.exit_code == 0, ok.stderr
    assert hits == []


def test_the_query_api_does_not_touch_the_network_either(built, local_endpoint):
    from kg.query import QueryError, run_query

    url, hits = local_endpoint
    with pytest.raises(QueryError):
        run_query(built, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert hits == []


def test_timeout_stops_a_slow_query_exit_4(built):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    start = time.monotonic()
    message = error_of(run_kg("query", built, slow, "--timeout", "0.5"), 4)
    assert message == "the query did not finish within 0.5 s and was stopped"
    assert time.monotonic() - start < 20
    assert run_kg("query", built, "ASK { ?s ?p ?o }", "--timeout", "30").exit_code == 0
    assert error_of(run_kg("query", built, "ASK {}", "--timeout", "0")) == "--timeout must be a positive number of seconds, got 0"


def test_query_sources_that_are_not_graphs_exit_2(built, tmp_path):
    assert error_of(run_kg("query", tmp_path / "nowhere", "ASK {}")) == f"{tmp_path / 'nowhere'}: no such file or folder"
    (tmp_path / "empty").mkdir()
    assert error_of(run_kg("query", tmp_path / "empty", "ASK {}")).startswith(f"{tmp_path / 'empty'} holds no kg build")
    bad = _write(tmp_path / "bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    message = error_of(run_kg("query", bad, "ASK {}"))
    assert message.startswith(f"cannot read {bad}: ") and "line 2" in message
    assert error_of(run_kg("query", built)) == "give a query as an argument or with -f FILE.rq (one of them)"
    assert error_of(run_kg("query", built, "-f", tmp_path / "none.rq")) == f"{tmp_path / 'none.rq'}: No such file or directory"
    latin = _write(tmp_path / "l.rq", "ASK { ?s ?p \"caf\xe9\" }".encode("latin-1"))
    assert error_of(run_kg("query", built, "-f", latin)) == f"{latin}: not UTF-8 text (byte 16)"


def test_info(built, tmp_path):
    result = run_kg("info", built)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "papers    3"
    data = json.loads(run_kg("info", built, "--json").stdout)
    assert data["papers"] == 3 and "Method" in data["entities"]
    (tmp_path / "empty").mkdir()
    assert error_of(run_kg("info", tmp_path / "empty")) == f"{tmp_path / 'empty' / 'graph.json'}: no such file (is it a kg build folder?)"
    other = _write(tmp_path / "other.json", '{"hello": "world"}')
    assert error_of(run_kg("info", other)) == f"{other}: not a kg graph.json (no lists of nodes and links)"
    broken = _write(tmp_path / "broken.json", '{"nodes": [')
    assert error_of(run_kg("info", broken)).startswith(f"{broken}:1:")


def test_validate(tmp_path):
    import rdflib

    from kg.export.rdf import entity_iri, sample_graph, write_rdf
    from kg.namespace import KG, RDF

    good = tmp_path / "good"
    write_rdf(sample_graph(), good, generated_at=WHEN)
    result = run_kg("validate", good)
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "conforms\n"
    g = rdflib.Graph().parse(good / "graph.ttl")
    g.add((rdflib.URIRef(entity_iri("OpenVLA")), RDF.type, KG.Method))  # now a Model and a Method
    bad = tmp_path / "bad"
    bad.mkdir()
    g.serialize(bad / "graph.ttl", format="turtle")
    result = run_kg("validate", bad)
    assert result.exit_code == 3
    assert "entity:OpenVLA" in result.stdout
    assert re.fullmatch(r"\d+ violation\(s\)\n", result.stderr)
    broken = _write(tmp_path / "broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    assert error_of(run_kg("validate", broken)).startswith(f"{broken}: not valid RDF: ")
    assert error_of(run_kg("validate", tmp_path / "nowhere")) == f"{tmp_path / 'nowhere'}: no such file or folder"


def test_view_focus_hops_and_unknown_focus(built, tmp_path):
    out = tmp_path / "view.html"
    result = run_kg("view", built, "--focus", "Foo-Net", "--hops", "1", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"showing \d+ entities within 1 hop of Foo-Net \(\d+ in all\)", result.stderr.splitlines()[0])
    assert result.stderr.splitlines()[-1] == f"wrote {out}"
    html = out.read_text("utf-8")
    assert "Foo-Net" in html and "ResNet-50" in html
    message = error_of(run_kg("view", built, "--focus", "Foo-Nett", "-o", tmp_path / "v2.html"))
    assert message == "--focus: no entity named 'Foo-Nett' in the graph (close matches: Foo-Net)"
    assert not (tmp_path / "v2.html").exists()
    assert error_of(run_kg("view", built, "-o", tmp_path)).endswith("is a folder (-o names the HTML file to write)")


def test_load_then_query_the_store(built, tmp_path):
    store = tmp_path / "store"
    result = run_kg("load", built, "--store", store)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(rf"loaded \d+ triples into {re.escape(str(store))}; query it with: .*\n", result.stderr)
    answer = run_kg("query", store, BASED_ON, "--format", "csv")
    assert answer.exit_code == 0, answer.stderr
    assert answer.stdout == run_kg("query", built, BASED_ON, "--format", "csv").stdout
    assert run_kg("query", store, "DELETE WHERE { ?s ?p ?o }").exit_code == 4
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    assert error_of(run_kg("load", built, "--store", taken)).endswith("exists and is not a pyoxigraph store: choose an empty or new folder")
    assert (taken / "notes.txt").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    assert error_of(run_kg("load", tmp_path / "empty", "--store", tmp_path / "s2")).startswith(f"{tmp_path / 'empty'} holds no kg build")


# --------------------------------------------------------------------------- known bugs elsewhere


def test_a_title_that_is_an_article_and_a_colon_does_not_kill_the_build(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD, {"id": "art", "title": "The: A Study of Articles",
                                                    "abstract": "We study articles in English text with BERT."}))
    result = build(tmp_path, src)
    assert result.exit_code == 0, result.stderr
    assert set(papers_of(tmp_path / "out")) == {"g-1", "art"}



def test_rebuild_removes_outputs_the_new_build_does_not_write(tmp_path):
    """A folder holds one build: a graph.nt from an earlier build would otherwise be what
    ``kg query`` reads (it prefers N-Triples) while graph.ttl holds the new graph."""
    first = _write(tmp_path / "first.jsonl", json.dumps({"id": "a", "title": "", "abstract": "We evaluate DPO on CALVIN."}))
    second = _write(tmp_path / "second.jsonl", json.dumps({"id": "b", "title": "", "abstract": "We evaluate PPO on LIBERO."}))
    out = tmp_path / "out"
    assert invoke(["build", first, "-o", out, "--rdf-format", "nt", "--no-cache"]).exit_code == 0
    assert (out / "graph.nt").exists() and (out / "graph.html").exists()
    assert invoke(["build", second, "-o", out, "--no-html", "--no-cache"]).exit_code == 0
    assert not (out / "graph.nt").exists() and not (out / "graph.html").exists()
    result = invoke(["query", out, "SELECT ?p WHERE { ?p a <https://w3id.org/kg/ontology#Paper> }", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "paper/b" in result.output and "paper/a" not in result.output


# --------------------------------------------------------------------------- no surprises (issue 18, item 8)


def test_timeout_inf_means_no_limit_and_nan_is_refused(built):
    result = run_kg("query", built, "ASK { ?s ?p ?o }", "--timeout", "inf", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == "true\n"
    assert "positive number" in error_of(run_kg("query", built, "ASK {}", "--timeout", "nan"))


def test_a_query_file_with_a_byte_order_mark(built, tmp_path):
    q = tmp_path / "q.rq"
    q.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }\n")
    result = run_kg("query", built, "-f", q, "--format", "csv")
    assert result.exit_code == 0 and result.stdout == "true\n"


def test_querying_graph_json_says_what_to_query(built):
    message = error_of(run_kg("query", built / "graph.json", "ASK { ?s ?p ?o }"))
    assert "node-link JSON, not RDF" in message and "query the build folder" in message


@pytest.mark.parametrize("damage", ['{"nodes": [', '{"nodes": 5, "links": []}', '{"nodes": [{"id": 3}], "links": []}',
                                    '{"nodes": [], "links": [], "graph": {"format": "kg-node-link"}, "x": '])
def test_a_damaged_graph_json_is_named_not_an_internal_error(built, tmp_path, damage):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "graph.json").write_text(damage)
    new = _write(tmp_path / "new.jsonl", jsonl({"id": "n-1", "title": "T", "abstract": "We study sparse attention."}))
    for args in (["info", out], ["view", out], ["-q", "build", "--update", out, new]):
        message = error_of(run_kg(*args))
        assert message.startswith(f"{out / 'graph.json'}"), (args, message)


def test_table_output_escapes_terminal_controls(tmp_path):
    ttl = tmp_path / "evil.ttl"
    ttl.write_text('<http://e/a> <http://e/p> "red \\u001b[31mALERT\\u001b[0m \\u202eedoc" .\n', encoding="utf-8")
    out = run_kg("query", ttl, "SELECT ?o WHERE { ?s ?p ?o }", "--format", "table").stdout
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[31mALERT" in out and "\\u202eedoc" in out


def test_an_interrupted_query_does_not_talk_of_outputs(built, monkeypatch):
    import kg.query

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(kg.query, "run_query", interrupted)
    result = run_kg("query", built, "ASK {}")
    assert result.exit_code == 130 and result.stderr == "kg: interrupted\n"


def test_an_unreadable_input_is_one_error_line(tmp_path, monkeypatch):
    import builtins

    src = _write(tmp_path / "locked.jsonl", jsonl(GOOD))
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file) == str(src):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", guarded)
    for command in (["build", src, "-o", tmp_path / "out"], ["extract", src, "-o", tmp_path / "x.jsonl"]):
        message = error_of(run_kg(*command))
        assert message == f"{src}: cannot read: Permission denied", message


def test_a_papers_file_where_a_build_is_wanted(tmp_path):
    src = _write(tmp_path / "p.jsonl", jsonl(GOOD))
    for command in (["info", src], ["query", src, "ASK {}"], ["view", src]):
        message = error_of(run_kg(*command))
        assert message == f"{src}: is a file of papers, not a kg build; build one first (kg build {src} -o OUT) and give OUT"
    ld = tmp_path / "g.json"
    ld.write_text('{"@context": {"x": "http://x/"}, "@id": "http://x/a", "x:p": "v"}')
    assert run_kg("query", ld, "ASK { ?s ?p ?o }", "--format", "csv").stdout == "true\n"  # JSON-LD is RDF


def test_load_into_a_store_that_holds_a_build_asks_what_to_do(built, tmp_path):
    store = tmp_path / "store"
    first = run_kg("load", built, "--store", store)
    assert first.exit_code == 0
    n = int(re.search(r"loaded (\d+) triples", first.stderr).group(1))
    message = error_of(run_kg("load", built, "--store", store))
    assert f"the store already holds {n} triples" in message and "--replace" in message and "--add" in message
    assert run_kg("load", built, "--store", store, "--add").stderr.startswith("loaded 0 triples")
    assert run_kg("load", built, "--store", store, "--replace").stderr.startswith(f"loaded {n} triples")
    count = run_kg("query", store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv").stdout
    assert count.split() == ["n", str(n)]


def test_the_progress_bar_knows_its_total_only_when_counting_is_cheap(tmp_path):
    import gzip

    from kg.cli import _known_total
    lines = [json.dumps({"title": f"T{i}", "abstract": "An abstract."}) for i in range(5)]
    a = tmp_path / "a.jsonl"
    a.write_text("\n".join(lines[:3]) + "\n\n")  # a blank line is no record
    b = tmp_path / "b.jsonl"
    b.write_text("\n".join(lines[3:]))  # no final newline
    assert _known_total([a, b], None) == 5
    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(gzip.compress(b"\n".join(x.encode() for x in lines)))
    assert _known_total([a, gz], None) is None
    assert _known_total([tmp_path / "papers.csv"], None) is None and _known_total([a], "csv") is None
