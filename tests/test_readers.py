"""Tests for kg.readers: formats, detection, listings, failure modes, streaming, ids."""
from __future__ import annotations

import codecs
import re
import gzip
import json
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Paper, paper_id_for
from kg.readers import (
    FORMATS, MAX_ABSTRACT_CHARS, InputError, ReadStats, Skipped, detect_format, read_papers,
)

ABSTRACT = (
    "We propose a compact method for ranking candidate molecules and evaluate it on two public "
    "benchmarks, where it improves recall by four points over strong baselines."
)
ABSTRACT2 = (
    "Protein docking remains hard because the search space is vast. We add a learned graph prior "
    "over residue contacts and show that it narrows the search considerably."
)


def read(paths, **kwargs):
    """Papers and skips of a non-strict read."""
    skipped: list[Skipped] = []
    stats = ReadStats()
    papers = list(read_papers(paths if isinstance(paths, list) else [paths], stats=stats,
                              on_skip=skipped.append, **kwargs))
    assert stats.read == len(papers) and stats.skipped == skipped
    return papers, skipped


def jsonl(path: Path, *records, raw_lines=()) -> Path:
    lines = [json.dumps(r) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- formats


def test_jsonl_fields_and_aliases(tmp_path):
    path = jsonl(
        tmp_path / "p.jsonl",
        {"id": "x1", "title": "Ranking Molecules", "abstract": ABSTRACT, "year": "2021-05-01",
         "authors": "Ada Lovelace, Alan Turing and Grace Hopper", "venue": "ICML", "url": "https://e.org/1"},
        {"Title": "Docking", "paperAbstract": ABSTRACT2, "authors": [{"name": "A. B"}, "C D"], "year": 2020},
        {"title": "Summary Alias", "summary": "An abstract in the summary field.", "paper_id": 17,
         "authors": "Smith, J.; Doe, K."},
    )
    papers, skipped = read(path)
    assert not skipped
    a, b, c = papers
    assert (a.id, a.title, a.abstract, a.year, a.venue, a.url) == (
        "x1", "Ranking Molecules", ABSTRACT, 2021, "ICML", "https://e.org/1")
    assert a.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert a.source == f"{path}:1"
    assert (b.title, b.abstract, b.year, b.authors) == ("Docking", ABSTRACT2, 2020, ("A. B", "C D"))
    assert b.id == paper_id_for("Docking", ABSTRACT2)
    assert (c.id, c.abstract, c.authors, c.source) == (
        "17", "An abstract in the summary field.", ("Smith, J.", "Doe, K."), f"{path}:3")


def test_json_array_wrapped_and_single(tmp_path):
    arr = tmp_path / "a.json"
    arr.write_text(json.dumps([{"title": "One", "abstract": "First."}, 5,
                               {"title": "Two", "abstract": "Second."}], indent=2))
    papers, skipped = read(arr)
    assert [p.title for p in papers] == ["One", "Two"]
    assert papers[0].source == f"{arr}:2" and papers[1].source.startswith(f"{arr}:")
    assert skipped[0].reason == "record 2 is not a JSON object (got number)"
    assert skipped[0].line is not None and skipped[0].line > 2

    wrapped = tmp_path / "w.json"
    wrapped.write_text('{"meta": {"n": 1},\n "papers": [\n  {"title": "W", "abstract": "Wrapped."}\n ]}\n')
    papers, _ = read(wrapped)
    assert [(p.title, p.source) for p in papers] == [("W", f"{wrapped}:3")]

    single = tmp_path / "s.json"
    single.write_text('{\n  "title": "Single",\n  "abstract": "Just one."\n}\n')
    assert [p.title for p in read(single)[0]] == ["Single"]


def test_csv_and_tsv(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_bytes(
        b'ID,Title,ABSTRACT,Year\r\n'
        b'c1,"Quoted, Title","Line one\r\nline two",2019\r\n'
        b'\r\n'
        b'c2,Plain,Second abstract.,\r\n'
    )
    papers, skipped = read(csv_path)
    assert not skipped
    assert [(p.id, p.title, p.abstract, p.year) for p in papers] == [
        ("c1", "Quoted, Title", "Line one\nline two", 2019), ("c2", "Plain", "Second abstract.", None)]
    assert [p.source for p in papers] == [f"{csv_path}:2", f"{csv_path}:5"]

    tsv_path = tmp_path / "p.tsv"
    tsv_path.write_text("title\tabstract\tauthors\nT1\tA tab separated abstract.\tX Y; Z W\n")
    (paper,), _ = read(tsv_path)
    assert (paper.title, paper.abstract, paper.authors) == ("T1", "A tab separated abstract.", ("X Y", "Z W"))

    semicolon = tmp_path / "s.csv"
    semicolon.write_text("title;abstract\nT;Semicolons are common in some locales.\n")
    assert [p.title for p in read(semicolon)[0]] == ["T"]


LISTING = """\
new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Jun 3

Sparse Mixture Routers for Tiny Devices

We introduce a routing scheme that lets small devices run mixture-of-experts models by activating only two experts per token. On three keyword-spotting benchmarks it cuts latency by half while keeping accuracy within one point of the dense baseline.

Submitted by someone

· 4 authors

17

Graph Priors for Protein Docking

Protein docking remains hard because the search space is vast. We add a learned graph prior over residue contacts and show that it narrows the search, improving success rates on a standard docking benchmark by eleven points.

Upvote

42

Published on Jun 2, 2024
"""


def test_listing_drops_chrome(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(LISTING)
    papers, skipped = read(path)
    assert not skipped
    assert [p.title for p in papers] == ["Sparse Mixture Routers for Tiny Devices", "Graph Priors for Protein Docking"]
    assert papers[0].abstract.startswith("We introduce a routing scheme") and papers[0].abstract.endswith("baseline.")
    assert papers[1].source == f"{path}:21"
    assert papers[0].id == paper_id_for(papers[0].title, papers[0].abstract)


def test_listing_wrapped_and_same_block_layouts(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "Trending\n\n"
        "A Wrapped Abstract Paper\n\n"
        "This abstract was copied from a page that wraps text at a fixed width, so\n"
        "it spans several physical lines; they must be joined back into one\n"
        "paragraph with single spaces.\n\n"
        "Title And Abstract In One Block\n"
        "Ada Lovelace, Charles Babbage\n"
        "Here the title line is followed directly by an author line and then by the abstract, "
        "with no blank line between them, which some pages produce when copied.\n\n"
        "This paragraph has no title in front of it and is long enough to look like an abstract, "
        "so it is reported rather than silently dropped.\n"
    )
    papers, skipped = read(path)
    assert [p.title for p in papers] == ["A Wrapped Abstract Paper", "Title And Abstract In One Block"]
    assert papers[0].abstract == (
        "This abstract was copied from a page that wraps text at a fixed width, so it spans several "
        "physical lines; they must be joined back into one paragraph with single spaces.")
    assert papers[1].abstract.startswith("Here the title line")
    assert [(s.line, s.reason) for s in skipped] == [(13, "paragraph with no title line before it (not a paper?)")]


def test_folder_recursive_sorted_hidden_and_gzip(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    jsonl(root / "b.jsonl", {"title": "B", "abstract": "Bee."})
    with gzip.open(root / "sub" / "c.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"title": "C", "abstract": "Sea."}) + "\n")
    (root / "a.csv").write_text("title,abstract\nA,Ay.\n")
    jsonl(root / ".secret.jsonl", {"title": "H", "abstract": "Hidden."})
    jsonl(root / ".hidden" / "h.jsonl", {"title": "H2", "abstract": "Hidden too."})
    (root / "README.md").write_text("not papers")
    # gzip recognised by magic bytes even without .gz in the name
    (root / "sub" / "d.json").write_bytes(gzip.compress(b'[{"title": "D", "abstract": "Dee."}]'))
    stats = ReadStats()
    papers = list(read_papers([root], stats=stats))
    assert [p.title for p in papers] == ["A", "B", "C", "D"]
    assert papers[2].source == f"{root / 'sub' / 'c.jsonl.gz'}:1"
    assert stats.files == 4 and stats.summary() == "4 papers read from 4 files"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("a.jsonl", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("a.ndjson", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("a.json", '[{"title": "T", "abstract": "A."}]', "json"),
    ("a.json", '{"title": "T", "abstract": "A."}\n{"title": "U", "abstract": "B."}\n', "jsonl"),
    ("a.jsonl", '[\n{"title": "T", "abstract": "A."}\n]', "json"),
    ("a.json", '{\n "papers": []\n}', "json"),
    ("a.csv", "title,abstract\nT,A.\n", "csv"),
    ("a.tsv", "title\tabstract\nT\tA.\n", "tsv"),
    ("a.txt", "Title\tAbstract\nT\tA.\n", "tsv"),
    ("data", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("data", '[{"title": "T"}]', "json"),
    ("a.txt", "[Preprint] Some Title\n\nSome abstract.\n", "listing"),
    ("a.txt", "Some Title\n\nSome abstract.\n", "listing"),
])
def test_detect_format(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content)
    assert detect_format(path) == expected
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress(content.encode()))
    assert detect_format(gz) == expected


def test_forced_format_and_unknown_format(tmp_path):
    path = tmp_path / "papers.dat"
    path.write_text("title,abstract\nT,An abstract.\n")
    assert [p.title for p in read(path, format="csv")[0]] == ["T"]
    with pytest.raises(ValueError, match="unknown format"):
        read_papers([path], format="xml")
    assert set(FORMATS) == {"listing", "jsonl", "json", "csv", "tsv", "bibtex", "ris", "atom"}


def test_single_path_argument(tmp_path):
    path = jsonl(tmp_path / "p.jsonl", {"title": "T", "abstract": "A."})
    assert [p.title for p in read_papers(str(path))] == ["T"]


# --------------------------------------------------------------------------- failure modes


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as e:
        read_papers([tmp_path / "nope.jsonl"])
    assert str(e.value) == f"{tmp_path / 'nope.jsonl'}: no such file or directory"


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t\n", codecs.BOM_UTF8])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty file") as e:
        list(read_papers([path]))
    assert e.value.path == str(path) and str(path) in str(e.value)


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("h.csv", "title,abstract\n", "no records after the CSV header"),
    ("e.json", "[ ]", "no records (empty JSON array)"),
    ("n.txt", "Subscribe\n\nJun 3\n\nJust a short line\n", "no papers found"),
])
def test_file_without_records(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=re.escape(problem)):
        list(read_papers([path]))


def test_directory_without_papers(tmp_path):
    (tmp_path / "notes.md").write_text("hello")
    with pytest.raises(InputError, match="no readable papers in directory") as e:
        list(read_papers([tmp_path]))
    assert e.value.path == str(tmp_path)
    # bad files inside a directory are reported, and the directory still fails if nothing is left
    (tmp_path / "empty.jsonl").write_text("")
    jsonl(tmp_path / "bad.jsonl", {"title": "no abstract"})
    skipped: list[Skipped] = []
    with pytest.raises(InputError, match="2 skipped"):
        list(read_papers([tmp_path], on_skip=skipped.append))
    assert [(Path(s.path).name, s.line, s.reason) for s in skipped] == [
        ("bad.jsonl", 1, "missing abstract (fields: title)"), ("empty.jsonl", None, "empty file")]


def test_bad_file_in_directory_is_skipped_unless_strict(tmp_path):
    jsonl(tmp_path / "a.jsonl", {"title": "A", "abstract": "Ay."})
    (tmp_path / "b.csv").write_text("name,text\nx,y\n")
    papers, skipped = read(tmp_path)
    assert [p.title for p in papers] == ["A"]
    assert skipped[0].path == str(tmp_path / "b.csv") and "no 'title' and 'abstract' columns" in skipped[0].reason
    with pytest.raises(InputError, match="b.csv:1"):
        list(read_papers([tmp_path], strict=True))


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 4,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    b"PK\x03\x04\x14\x00\x00\x00",
    b'{"title": "T", "abstract": "A"}\x00\x00\x00\x01\x02',
    # a NUL every other byte looks like UTF-16 text, but decodes to control characters
    bytes(b for i in range(1, 2000) for b in (i * 37 % 255 + 1, 0)),
])
def test_binary_data(tmp_path, content):
    path = tmp_path / "blob.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="binary data") as e:
        list(read_papers([path]))
    assert str(e.value).startswith(f"{path}:1: ")


def test_truncated_gzip(tmp_path):
    data = gzip.compress(("\n".join(json.dumps({"title": f"T{i}", "abstract": f"A {i}."}) for i in range(5000))).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="corrupt gzip data") as e:
        list(read_papers([path]))
    assert e.value.line is not None and str(path) in str(e.value)


@pytest.mark.parametrize(("encoding", "bom"), [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
])
@pytest.mark.parametrize("suffix", ["jsonl", "csv", "txt"])
def test_encodings_with_bom(tmp_path, encoding, bom, suffix):
    title, abstract = "Café Δ Models", (
        "Un résumé with ünïcödé — and “quotes”, long enough to count as an abstract paragraph "
        "when it appears in a listing file.")
    text = {
        "jsonl": json.dumps({"title": title, "abstract": abstract}, ensure_ascii=False) + "\r\n",
        "csv": f"title,abstract\r\n{title},\"{abstract}\"\r\n",
        "txt": f"{title}\r\n\r\n{abstract}\r\n",
    }[suffix]
    path = tmp_path / f"p.{suffix}"
    path.write_bytes(bom + text.encode(encoding))
    (paper,), skipped = read(path)
    assert (paper.title, paper.abstract) == (title, abstract) and not skipped


def test_latin1_fallback(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("title,abstract\nNaïve Bayes for Café Reviews,Une étude très simple.\n".encode("latin-1"))
    (paper,), _ = read(path)
    assert (paper.title, paper.abstract) == ("Naïve Bayes for Café Reviews", "Une étude très simple.")
    # Windows-1252 quotes decode too
    path.write_bytes("title,abstract\nQuoted,It \x93works\x94 \x96 mostly.\n".encode("latin-1"))
    (paper,), _ = read(path)
    assert paper.abstract == "It \u201cworks\u201d \u2013 mostly."


def test_crlf_line_ends(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"title": "A", "abstract": "One."}\r\n{"title": "B", "abstract": "Two."}\r\n')
    assert [(p.title, p.abstract, p.source) for p in read(path)[0]] == [
        ("A", "One.", f"{path}:1"), ("B", "Two.", f"{path}:2")]


def test_bad_json_lines_are_skipped_with_line_numbers(tmp_path):
    path = jsonl(tmp_path / "p.jsonl", {"title": "Good", "abstract": "Fine."}, raw_lines=[
        '{"title": "Cut", "abstract": "trunc',
        "",
        '["a", "list"]',
        "42",
        '{"title": "Also good", "abstract": "Fine too."}',
    ])
    papers, skipped = read(path)
    assert [p.title for p in papers] == ["Good", "Also good"]
    assert [(s.line, s.reason.split(":")[0]) for s in skipped] == [
        (2, "invalid JSON"), (4, "not a JSON object (got array)"), (5, "not a JSON object (got number)")]
    assert str(skipped[0]).startswith(f"{path}:2: invalid JSON: Unterminated string")
    assert papers[1].source == f"{path}:6"


def test_invalid_json_document_is_fatal_with_line(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[\n {"title": "A", "abstract": "B"},\n {"title": oops}\n]\n')
    with pytest.raises(InputError, match="invalid JSON") as e:
        list(read_papers([path]))
    assert e.value.line == 3 and str(e.value).startswith(f"{path}:3: invalid JSON")


def test_csv_without_columns_names_found_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,Summary Text,year\nx,y,2020\n")
    with pytest.raises(InputError) as e:
        list(read_papers([path]))
    assert str(e.value) == (f"{path}:1: no 'title' and 'abstract' columns in the CSV header "
                            "(found: 'name', 'summary text', 'year')")


def test_empty_or_missing_abstract_skipped(tmp_path):
    path = jsonl(tmp_path / "p.jsonl",
                 {"title": "No abstract key"}, {"title": "Blank", "abstract": "  \n\t "},
                 {"title": "Controls only", "abstract": "\x00\x07\x1b"}, {"title": "Number", "abstract": 3},
                 {"title": "Ok", "abstract": "Present."})
    papers, skipped = read(path)
    assert [p.title for p in papers] == ["Ok"]
    assert [(s.line, s.reason) for s in skipped] == [
        (1, "missing abstract (fields: title)"), (2, "empty abstract"), (3, "empty abstract"),
        (4, "abstract is not text (got number)")]

    csv_path = tmp_path / "p.csv"
    csv_path.write_text("title,abstract\nA,\nB,Fine.\n")
    papers, skipped = read(csv_path)
    assert [p.title for p in papers] == ["B"] and [(s.line, s.reason) for s in skipped] == [(2, "empty abstract")]


def test_duplicate_ids(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", {"id": "X", "title": "First", "abstract": "One."},
              {"title": "Same", "abstract": "Same text."})
    b = tmp_path / "b.csv"
    b.write_text("id,title,abstract\nX,Second,Two.\n,Same,Same text.\n")
    papers, skipped = read([a, b])
    assert [p.title for p in papers] == ["First", "Same"]
    same_id = paper_id_for("Same", "Same text.")
    assert [str(s) for s in skipped] == [
        f"{b}:2: duplicate id X (first at {a}:1)", f"{b}:3: duplicate id {same_id} (first at {a}:2)"]


def test_text_cleaning(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Résumé")
    path = jsonl(tmp_path / "p.jsonl", {
        "id": " id\x001 ",
        "title": f"  A\x07 Title\n\twith   <script>alert(1)</script> \x85 {decomposed}\u200b ",
        "abstract": f"\ufeffLine\x1b one\r\nLine\ttwo\x9f\x0cend {decomposed}\ud800.",
    })
    (paper,), _ = read(path)
    assert paper.id == "id1"
    assert paper.title == "A Title with <script>alert(1)</script> Résumé\u200b"
    assert paper.abstract == "Line one\nLine\ttwo\nend Résumé\ufffd."
    assert paper.title == unicodedata.normalize("NFC", paper.title)


def test_enormous_abstract_and_title_skipped(tmp_path):
    path = jsonl(tmp_path / "p.jsonl", {"title": "Huge", "abstract": "word " * (MAX_ABSTRACT_CHARS // 4)},
                 {"title": "T" * 5000, "abstract": "Fine."}, {"title": "Ok", "abstract": "Fine."})
    papers, skipped = read(path)
    assert [p.title for p in papers] == ["Ok"]
    assert skipped[0].line == 1 and skipped[0].reason.startswith("abstract too long (125,000 characters")
    assert skipped[1].line == 2 and skipped[1].reason.startswith("title too long")

    csv_path = tmp_path / "p.csv"
    csv_path.write_text("title,abstract\nHuge," + "x" * 200_000 + "\nOk,Fine.\n")
    papers, skipped = read(csv_path)
    assert [p.title for p in papers] == ["Ok"] and skipped[0].line == 2


def test_strict_mode_raises_on_first_bad_record(tmp_path):
    path = jsonl(tmp_path / "p.jsonl", {"title": "A", "abstract": "One."}, {"title": "B", "abstract": ""})
    papers = read_papers([path], strict=True)
    assert next(papers).title == "A"
    with pytest.raises(InputError) as e:
        next(papers)
    assert (e.value.path, e.value.line, e.value.problem) == (str(path), 2, "empty abstract")
    assert str(e.value) == f"{path}:2: empty abstract"


def test_skips_reported_to_stats_and_logged_without_callback(tmp_path, caplog):
    path = jsonl(tmp_path / "p.jsonl", {"title": "A", "abstract": "One."}, {"title": "B"})
    stats = ReadStats()
    assert len(list(read_papers([path], stats=stats))) == 1
    assert stats.summary() == f"1 paper read from 1 file, 1 skipped ({path}:2: missing abstract (fields: title))"
    assert f"{path}:2: missing abstract" in caplog.text


# --------------------------------------------------------------------------- streaming, ids


def test_streaming_reads_lazily(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"title": "Streaming Paper", "abstract": "An abstract."})
    with open(path, "w") as f:
        for i in range(200_000):
            f.write(line.replace("Streaming", f"Streaming {i}") + "\n")
        f.write("{not json at the very end\n")
    start = time.perf_counter()
    papers = read_papers([path], strict=True)  # strict: reading to the end would raise
    first = next(papers)
    assert first.title == "Streaming 0 Paper" and time.perf_counter() - start < 1.0
    assert next(papers).title == "Streaming 1 Paper"
    papers.close()


def test_stable_ids_across_formats_and_runs(tmp_path):
    title = "Graph Priors for Protein Docking"
    jsonl_path = jsonl(tmp_path / "p.jsonl", {"title": title, "abstract": ABSTRACT2})
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(f'title,abstract\n{title},"{ABSTRACT2}"\n')
    listing = tmp_path / "p.txt"
    listing.write_text(f"Subscribe\n\n{title}\n\n{ABSTRACT2}\n")
    ids = {read(p)[0][0].id for p in (jsonl_path, csv_path, listing, jsonl_path)}
    assert ids == {paper_id_for(title, ABSTRACT2)}


# --------------------------------------------------------------------------- properties

_values = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none(),
                    st.lists(st.one_of(st.text(), st.dictionaries(st.text(), st.text())), max_size=3))
_keys = st.sampled_from(["id", "title", "abstract", "year", "authors", "venue", "url", "summary", "TITLE"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=st.dictionaries(st.one_of(_keys, st.text()), _values), ascii_only=st.booleans())
def test_any_jsonl_record_is_a_paper_or_a_skip(tmp_path, record, ascii_only):
    path = tmp_path / "prop.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=ascii_only) + "\n", encoding="utf-8", errors="surrogatepass")
    papers, skipped = read(path)
    assert len(papers) + len(skipped) == 1
    for paper in papers:
        assert isinstance(paper, Paper) and paper.abstract and paper.id
        paper.text.encode("utf-8")  # no lone surrogates survive
        assert "\x00" not in paper.text and paper.title == " ".join(paper.title.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(["jsonl", "json", "csv", "tsv", "txt"]))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"prop.{suffix}"
    path.write_bytes(data)
    try:
        read(path)
    except InputError as e:
        assert str(e).startswith(str(path)) and "\n" not in str(e)


# --------------------------------------------------------------------------- inputs read once

def _many(n: int) -> bytes:
    return "".join(json.dumps({"id": f"s{i}", "title": f"Paper {i}", "abstract": ABSTRACT}) + "\n"
                   for i in range(n)).encode("utf-8")


def _feed(data: bytes) -> int:
    """A pipe whose other end writes ``data`` from a thread; returns the reading end."""
    import os
    import threading

    r, w = os.pipe()

    def write() -> None:
        with os.fdopen(w, "wb") as f:
            f.write(data)
    threading.Thread(target=write, daemon=True).start()
    return r


@pytest.mark.parametrize("fmt", [None, "jsonl"])
@pytest.mark.parametrize("gzipped", [False, True])
def test_a_pipe_is_read_whole(fmt, gzipped):
    """``<(cat papers.jsonl)`` and ``/dev/stdin``: a stream that cannot be rewound."""
    import os

    data = _many(300)
    fd = _feed(gzip.compress(data) if gzipped else data)
    try:
        papers, skipped = read(Path(f"/dev/fd/{fd}"), format=fmt)
    finally:
        os.close(fd)
    assert len(papers) == 300 and not skipped
    assert papers[-1].id == "s299"


def test_standard_input_as_dash(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_many(40))))
    papers, _ = read(Path("-"))
    assert len(papers) == 40 and papers[0].source == "<stdin>:1"
    with pytest.raises(InputError, match="more than once"):
        list(read_papers(["-", "-"]))


def test_a_fifo_is_read_without_hanging(tmp_path):
    import os
    import threading

    fifo = tmp_path / "papers.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(_many(50))
    threading.Thread(target=write, daemon=True).start()
    papers, _ = read(fifo)
    assert len(papers) == 50


def test_a_gzip_bomb_is_stopped(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(_many(3))
        for _ in range(80):
            f.write(b" " * (1 << 20))
    with pytest.raises(InputError, match=r"bomb\.jsonl\.gz:4: gzip data inflates more than 100 times"):
        read(path)


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    import os

    (tmp_path / "ok").mkdir()
    (tmp_path / "locked").mkdir()
    jsonl(tmp_path / "ok" / "a.jsonl", {"title": "T", "abstract": ABSTRACT})
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    papers, skipped = read(tmp_path)
    assert len(papers) == 1
    assert [(Path(s.path).name, s.reason) for s in skipped] == [("locked", "cannot read folder: Permission denied")]
    with pytest.raises(InputError, match="locked: cannot read folder: Permission denied"):
        list(read_papers([tmp_path], strict=True))


def test_a_file_name_that_is_not_utf8(tmp_path):
    import os

    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.jsonl"), "wb") as f:
        f.write(_many(2))
    papers, _ = read(tmp_path)
    assert len(papers) == 2
    assert papers[0].source.endswith("caf\\xe9.jsonl:1")
    papers[0].source.encode("utf-8")  # printable, and storable in any UTF-8 output


# --------------------------------------------------------------------------- reference-manager exports

BIB = r"""% exported by a reference manager
@article{kestrel2024,
  title     = {{Kestrel}: Fast Planning with {PPO} for M{\"u}nchen Streets},
  author    = {Lovelace, Ada and Alan M. Turing},
  journal   = {Transactions on Robot Learning},
  year      = {2024},
  doi       = {https://doi.org/10.5555/kestrel.2024},
  abstract  = {We propose Kestrel. Kestrel builds on PPO and is evaluated on the Meta-World benchmark.}
}

@inproceedings{noabstract2023,
  title     = {A Paper Without an Abstract},
  booktitle = {Proceedings of Something},
  year      = {2023}
}
"""

RIS = """TY  - JOUR
ID  - wren-2025
TI  - Wren: Sparse Routing for Vision
AU  - Hopper, Grace
AU  - Liskov, Barbara
PY  - 2025///
T2  - Journal of Vision Models
DO  - 10.5555/wren.2025
UR  - https://example.org/wren
AB  - We propose Wren, a vision model trained on ImageNet.
ER  - 

TY  - CONF
TI  - No Abstract Here
PY  - 2022
ER  - 
"""


def test_bibtex_export(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(BIB, encoding="utf-8")
    assert detect_format(path) == "bibtex"
    papers, skipped = read(path)
    (p,) = papers
    assert (p.id, p.title, p.year, p.authors, p.venue, p.doi) == (
        "kestrel2024", "Kestrel: Fast Planning with PPO for München Streets", 2024, ("Ada Lovelace", "Alan M. Turing"),
        "Transactions on Robot Learning", "10.5555/kestrel.2024")
    assert [(s.line, s.reason) for s in skipped] == [(11, "entry noabstract2023 has no abstract")]


def test_ris_export(tmp_path):
    path = tmp_path / "library.ris"
    path.write_text(RIS, encoding="utf-8")
    papers, skipped = read(path)
    (p,) = papers
    assert (p.id, p.title, p.year, p.authors, p.venue, p.url, p.doi) == (
        "wren-2025", "Wren: Sparse Routing for Vision", 2025, ("Grace Hopper", "Barbara Liskov"),
        "Journal of Vision Models", "https://example.org/wren", "10.5555/wren.2025")
    assert [(s.line, s.reason) for s in skipped] == [(13, "record 2 has no abstract")]
    assert read_papers([path], format="ris") is not None and detect_format(tmp_path / "library.ris") == "ris"


def test_exports_build_to_rdf_with_their_dois(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "in" / "b.ris").write_text(RIS, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "-o", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "2 papers built, 2 skipped" in result.stderr
    answer = CliRunner().invoke(cli, ["query", str(out), "SELECT ?id ?doi WHERE { ?p dcterms:identifier ?id ; "
                                      "owl:sameAs ?doi } ORDER BY ?id", "--format", "csv"])
    assert answer.stdout.splitlines() == ["id,doi", "kestrel2024,https://doi.org/10.5555/kestrel.2024",
                                          "wren-2025,https://doi.org/10.5555/wren.2025"]


def test_openalex_works_and_the_arxiv_snapshot(tmp_path):
    works = [
        {"id": "https://openalex.org/W4000000001", "doi": "https://doi.org/10.5555/heron.2023",
         "display_name": "Heron: Sparse Routers", "publication_year": 2023,
         "abstract_inverted_index": {"We": [0], "propose": [1], "Heron,": [2], "a": [3], "router": [4],
                                     "evaluated": [5], "on": [6], "GLUE.": [7]},
         "authorships": [{"author": {"display_name": "Grace Hopper"}}],
         "primary_location": {"source": {"display_name": "Journal of Routing"}}},
        {"id": "https://openalex.org/W4000000002", "display_name": "No Abstract", "abstract_inverted_index": None},
    ]
    snapshot = {"id": "2310.01234", "title": "Quill:\n  Dense Retrieval", "abstract": "  We propose Quill.\n",
                "authors": "Kim Lee and Bo Park", "categories": "cs.CL cs.IR", "update_date": "2024-02-01",
                "versions": [{"version": "v1", "created": "Mon, 2 Oct 2023 17:01:02 GMT"}]}
    a = jsonl(tmp_path / "openalex.jsonl", *works)
    b = jsonl(tmp_path / "arxiv.jsonl", snapshot)
    papers, skipped = read([a, b])
    heron, quill = papers
    assert (heron.id, heron.abstract, heron.year, heron.authors, heron.venue, heron.doi) == (
        "W4000000001", "We propose Heron, a router evaluated on GLUE.", 2023, ("Grace Hopper",),
        "Journal of Routing", "10.5555/heron.2023")
    assert [s.reason.split(" (")[0] for s in skipped] == ["missing abstract"]
    assert (quill.id, quill.title, quill.year, quill.url, quill.authors) == (
        "2310.01234", "Quill: Dense Retrieval", 2023, "https://arxiv.org/abs/2310.01234", ("Kim Lee", "Bo Park"))


def test_categories_keep_only_the_arxiv_records_asked_for(tmp_path):
    rows = [{"id": f"2310.0123{i}", "title": f"Paper {i}", "abstract": ABSTRACT, "authors": "Kim Lee",
             "categories": cats, "update_date": "2024-02-01"} for i, cats in enumerate(["cs.CL cs.IR", "cs.RO", "cs.LG"])]
    path = jsonl(tmp_path / "snapshot.jsonl", *rows)
    stats = ReadStats()
    kept = list(read_papers([path], stats=stats, categories=["cs.RO", "cs.LG"]))
    assert [p.id for p in kept] == ["2310.01231", "2310.01232"] and stats.filtered == 1 and not stats.skipped
    assert len(list(read_papers([path]))) == 3


ATOM_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"
      xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title type="html">ArXiv Query: search_query=all:docking</title>
  <opensearch:totalResults>3</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2405.00001v3</id>
    <updated>2024-06-01T10:00:00Z</updated>
    <published>2024-05-01T09:30:00Z</published>
    <title>Kestrel: Learned Priors
      for Protein Docking</title>
    <summary>  Protein docking remains hard. We propose Kestrel &amp; show &lt;gains&gt; on DB5.
    </summary>
    <author><name>Ada Lovelace</name></author>
    <author><name>Bo Park</name></author>
    <arxiv:doi>10.5555/kestrel.2024</arxiv:doi>
    <arxiv:journal_ref>Bioinformatics 40 (2024)</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/2405.00001v3" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2405.00001v3" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="q-bio.BM" scheme="http://arxiv.org/schemas/atom"/>
    <category term="q-bio.BM" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2405.00002v1</id>
    <published>2024-05-02T09:30:00Z</published>
    <title>An Entry Without Summary</title>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/cond-mat/0102536v1</id>
    <published>2001-02-28T20:12:09Z</published>
    <title>Old-style Identifiers</title>
    <summary>We study an old identifier scheme.</summary>
    <author><name>Grace Hopper</name></author>
    <category term="cond-mat" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


def test_arxiv_api_atom_feed(tmp_path):
    path = tmp_path / "search.xml"
    path.write_text(ATOM_FEED, encoding="utf-8")
    assert detect_format(path) == "atom"
    papers, skipped = read(path)
    kestrel, old = papers
    assert (kestrel.id, kestrel.title, kestrel.year, kestrel.authors, kestrel.doi, kestrel.venue, kestrel.url) == (
        "2405.00001", "Kestrel: Learned Priors for Protein Docking", 2024, ("Ada Lovelace", "Bo Park"),
        "10.5555/kestrel.2024", "Bioinformatics 40 (2024)", "http://arxiv.org/abs/2405.00001v3")
    assert kestrel.abstract == "Protein docking remains hard. We propose Kestrel & show <gains> on DB5."
    assert (old.id, old.venue, old.url) == ("cond-mat/0102536", "arXiv", "https://arxiv.org/abs/cond-mat/0102536")
    assert [(s.line, s.reason) for s in skipped] == [(24, "entry 2 has no summary (abstract)")]
    assert [p.id for p in read_papers([path], categories=["cs.LG"])] == ["2405.00001"]


def test_an_atom_feed_that_breaks_off_keeps_the_entries_before(tmp_path):
    cut = ATOM_FEED[:ATOM_FEED.index("<entry>\n    <id>http://arxiv.org/abs/cond-mat")] + "<entry><id>x</id><title>"
    path = tmp_path / "cut.atom"
    path.write_text(cut, encoding="utf-8")
    papers, skipped = read(path)
    assert [p.id for p in papers] == ["2405.00001"]
    assert "breaks off after entry 2" in skipped[-1].reason
    with pytest.raises(InputError, match="not an Atom feed"):
        bad = tmp_path / "other.xml"
        bad.write_text('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', encoding="utf-8")
        list(read_papers([bad]))


def test_semantic_scholar_api_papers(tmp_path):
    page = {"total": 2, "offset": 0, "data": [
        {"paperId": "0123456789abcdef0123456789abcdef01234567", "corpusId": 777,
         "externalIds": {"DOI": "10.5555/wren.2025", "ArXiv": "2501.00007", "CorpusId": 777},
         "url": "https://www.semanticscholar.org/paper/0123456789abcdef0123456789abcdef01234567",
         "title": "Wren: Small Parsers", "abstract": "We propose Wren, a parser.", "year": 2025,
         "venue": "", "publicationVenue": {"name": "Transactions of Parsing"},
         "authors": [{"authorId": "11", "name": "Kim Lee"}]},
        {"paperId": "fedcba9876543210fedcba9876543210fedcba98", "externalIds": {}, "title": "No Abstract Here",
         "abstract": None, "year": 2024, "authors": []},
    ]}
    path = tmp_path / "s2.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    papers, skipped = read(path)
    (wren,) = papers
    assert (wren.id, wren.doi, wren.venue, wren.year, wren.authors) == (
        "0123456789abcdef0123456789abcdef01234567", "10.5555/wren.2025", "Transactions of Parsing", 2025, ("Kim Lee",))
    assert len(skipped) == 1 and "abstract" in skipped[0].reason


def test_semantic_scholar_bulk_papers_and_abstracts_are_joined_on_corpus_id(tmp_path):
    papers_file = jsonl(tmp_path / "papers-part0.jsonl",
                        {"corpusid": 1, "externalids": {"DOI": "10.5555/a"}, "title": "Alpha Parsing",
                         "authors": [{"authorId": "1", "name": "Ada Lovelace"}], "venue": "ACL", "year": 2021,
                         "url": "https://www.semanticscholar.org/paper/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                        {"corpusid": 2, "externalids": {}, "title": "Beta Tagging", "authors": [], "venue": None,
                         "year": 2022, "url": None},
                        {"corpusid": 3, "externalids": {}, "title": "Gamma Without Abstract", "authors": [],
                         "year": 2023, "url": None})
    abstracts_file = jsonl(tmp_path / "abstracts-part0.jsonl",
                           {"corpusid": 2, "openaccessinfo": {}, "abstract": "We tag beta sequences."},
                           {"corpusid": 1, "openaccessinfo": {}, "abstract": "We parse alpha sentences."},
                           {"corpusid": 9, "openaccessinfo": {}, "abstract": "An abstract without its paper."})
    for order in ([abstracts_file, papers_file], [papers_file, abstracts_file]):
        papers, skipped = read(order)
        got = sorted((p.id, p.title, p.abstract, p.doi, p.source.split("/")[-1]) for p in papers)
        assert got == [
            ("CorpusId:2", "Beta Tagging", "We tag beta sequences.", None, "papers-part0.jsonl:2"),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Alpha Parsing", "We parse alpha sentences.", "10.5555/a",
             "papers-part0.jsonl:1")]
        assert sorted(s.reason for s in skipped) == [
            "Semantic Scholar abstract of CorpusId:9 has no record in the papers files read",
            "Semantic Scholar paper CorpusId:3 has no abstract in the abstracts files read"]


def test_a_gzipped_atom_feed_cut_short_is_an_input_error_with_its_line(tmp_path):
    import gzip as _gzip
    import hashlib
    entries = "".join(  # distinct entries, so that the gzip data stays large
        f"  <entry><id>http://arxiv.org/abs/2405.{i:05d}v1</id><title>Paper {i}</title><summary>We study "
        f"{hashlib.sha256(str(i).encode()).hexdigest()} at length.</summary></entry>\n" for i in range(2000))
    big = ATOM_FEED.replace("</feed>", entries + "</feed>")  # well past the 64 KiB that choose the format
    data = _gzip.compress(big.encode("utf-8"))
    path = tmp_path / "search.atom.gz"
    path.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(InputError, match=r"search\.atom\.gz:\d+: corrupt gzip data"):
        list(read_papers([path]))
