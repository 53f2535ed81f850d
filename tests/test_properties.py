"""Property-based tests (hypothesis) of the stages on arbitrary Unicode text.

* extraction never raises; every mention's offsets lie inside ``paper.text`` and its text is
  the slice; relation heads and tails are canonical names of the paper's mentions or PAPER;
* the RDF of a graph built from arbitrary titles and abstracts parses back with rdflib and
  pyoxigraph, to the same triples, with titles intact;
* the HTML page of such a graph escapes the data: the only ``<script`` tags are the page's own
  and no raw title holding ``<`` appears in it.

Text mixes arbitrary Unicode (any category but surrogates: they cannot be encoded, and the
readers replace them) with words the pipeline reacts to, so the rules do fire.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import PAPER, Paper

PROPERTY = settings(deadline=None, max_examples=80, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(PROPERTY, max_examples=25)

#: Words and phrases the pipeline reacts to: names, cue phrases, numbers, units, brackets.
VOCABULARY = [
    "We propose", "we introduce", "Foo-Net", "ResNet-50", "ImageNet", "benchmark", "dataset",
    "builds on", "is based on", "outperforms", "is evaluated on", "trained on", "a variant of",
    "achieves", "81.2%", "top-1 accuracy", "BLEU", "F1", "(", ")", "(DPO)", "Direct Preference Optimization",
    "Llama 2", "GPT-4", "BERT", "SQuAD", "CALVIN", "x", ",", ".", ";", ":", "-", "\u2013", "\n",
    "\u00e9", "\u00df", "\U0001f600", "\u200b", "\ufeff", "\u0301", "e\u0301", "\r\n", "\t", "\x00", "\x85",
    "\u2028", "<script>", "</script>", "&amp;", '"', "'", "\\", "\u05e9\u05dc\u05d5\u05dd", "\u6df1\u5ea6",
]

#: Markup that must never reach a page unescaped.
HOSTILE = [
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<ScRiPt src=//x.example/a.js>",
    "<!--", "-->", "<img src=x onerror=alert(3)>", "<b>bold</b>", "</title><h1>x</h1>", "<svg/onload=alert(4)>",
    "]]>", "&lt;script&gt;", "\u2028", "<\u0000script>",
]

# arbitrary Unicode without surrogates (no UTF-8 encoding exists for them)
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
phrase = st.lists(st.one_of(any_text, st.sampled_from(VOCABULARY)), max_size=14).map(" ".join)
paper_id = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(lambda s: s.strip())


@pytest.fixture(scope="module")
def nlp():
    from kg.extract import _process_nlp
    return _process_nlp()


def _extract(nlp, papers):
    from kg.extract import extract_batch
    return extract_batch(papers, nlp)


@PROPERTY
@given(title=phrase, abstract=phrase)
def test_extraction_never_raises_and_offsets_are_exact(nlp, title, abstract):
    paper = Paper("p1", title, abstract)
    (x,) = _extract(nlp, [paper])
    text = paper.text
    assert x.paper == paper
    names = {m.canonical for m in x.mentions}
    for m in x.mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start:m.end] == m.text, m
        assert 0 <= m.sentence_start <= m.start and m.end <= m.sentence_end <= len(text), m
        assert m.canonical, m
    for r in x.relations:
        assert r.head in names or r.head == PAPER, r
        assert r.tail in names, r
        assert r.head != r.tail or r.head == PAPER, r
        assert 0 <= r.evidence.start <= r.evidence.end <= len(text)
    for name in x.proposes:
        assert name in names
    for res in x.results:
        assert res.subject in names or res.subject == PAPER
        assert res.benchmark is None or res.benchmark in names
        assert res.metric is None or res.metric in names


@PROPERTY
@given(text=st.text(max_size=300))
def test_extraction_of_any_text_at_all(nlp, text):
    """Any str, lone surrogates included (the readers would replace them; the extractor must
    not crash on them either)."""
    (x,) = _extract(nlp, [Paper("p", "", text)])
    for m in x.mentions:
        assert text[m.start:m.end] == m.text


papers_strategy = st.lists(
    st.builds(lambda pid, title, abstract, hostile: (pid, f"{title} {hostile}".strip(), abstract),
              paper_id, phrase, phrase, st.sampled_from(["", *HOSTILE])),
    min_size=1, max_size=4, unique_by=lambda t: t[0])


def _graph(papers):
    from kg.graph import KnowledgeGraph
    return KnowledgeGraph.from_papers([Paper(pid, title, abstract or "x") for pid, title, abstract in papers])


@FEW
@given(papers=papers_strategy)
def test_rdf_of_any_graph_parses_back_with_both_parsers(nlp, papers):
    from kg.export.rdf import write_rdf

    g = _graph(papers)
    with tempfile.TemporaryDirectory() as d:
        write_rdf(g.nx, d, formats=("turtle", "nt"), generated_at="2025-01-01T00:00:00Z")
        ttl, nt = Path(d, "graph.ttl"), Path(d, "graph.nt")
        rg = rdflib.Graph().parse(ttl, format="turtle")
        ox_ttl = set(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
        ox_nt = set(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
        rdflib.Graph().parse(Path(d, "void.ttl"), format="turtle")
    assert len(rg) == len(ox_ttl) == len(ox_nt) > 0
    assert ox_ttl == ox_nt
    dct_title = rdflib.URIRef("http://purl.org/dc/terms/title")
    titles = {str(o) for o in rg.objects(None, dct_title)}
    for _, title, _ in papers:
        if title:
            assert title in titles


def _script_tags(html: str) -> int:
    return len(re.findall(r"<script", html, re.IGNORECASE))


@pytest.fixture(scope="module")
def plain_page(nlp) -> str:
    """The page of a graph without markup: what the page itself holds."""
    from kg.export.html import render_html
    html, _ = render_html(_graph([("p", "A plain title", "We propose Foo-Net.")]).nx)
    return html


@FEW
@given(papers=papers_strategy)
def test_html_of_any_graph_escapes_the_data(nlp, plain_page, papers):
    from kg.export.html import render_html

    g = _graph(papers)
    html, _ = render_html(g.nx, max_nodes=None)
    # the only <script> tags are the page's own
    assert _script_tags(html) == _script_tags(plain_page)
    assert html.lower().count("</script") == plain_page.lower().count("</script")
    assert html.count("<!--") == plain_page.count("<!--")
    # no text of the data holding "<" shows raw (unless the page itself holds it anyway)
    for _, d in g.nx.nodes(data=True):
        for key in ("title", "abstract", "label"):
            value = d.get(key) or ""
            if "<" in value and value not in plain_page:
                assert value not in html, (key, value)
    for hostile in HOSTILE:
        if "<" in hostile and any(hostile in t for _, t, _ in papers):
            assert hostile not in html


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text | phrase,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                          max_leaves=6)
record = st.fixed_dictionaries({}, optional={"id": json_value, "title": st.one_of(phrase, json_value),
                                             "abstract": st.one_of(phrase, json_value), "year": json_value,
                                             "authors": json_value})


@FEW
@given(records=st.lists(record, min_size=1, max_size=5))
def test_kg_build_of_any_records_succeeds_or_fails_in_one_line(nlp, records):
    """Any JSON Lines file: exit 0 (with a summary) or 2 (one error line), never a crash."""
    import json
    import logging

    from click.testing import CliRunner

    from kg.cli import cli

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "p.jsonl")
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        try:
            result = CliRunner().invoke(cli, ["build", str(src), "-o", str(Path(d, "out")), "--no-html",
                                              "--generated-at", "2025-01-01T00:00:00Z"])
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if result.exit_code == 2:
        assert lines[-1].startswith(f"kg: error: {src}")
    else:
        summary = [line for line in lines if line.startswith("read ")]
        assert len(summary) == 1 and summary[0].startswith(f"read {len(records)} record")


@pytest.mark.parametrize("title", ["The: A Study of Articles", "A: Benchmarks", "An: Overview", "\r\n :", " : x"])
def test_extraction_of_a_title_with_an_empty_name_before_the_colon(nlp, title):
    (x,) = _extract(nlp, [Paper("p", title, "We study articles in text with BERT.")])
    assert x.paper.title == title
