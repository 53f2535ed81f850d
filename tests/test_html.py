"""graph.html without a browser: view selection, escaping, determinism, no external resources.

The browser side (drawing, search, clicks, no requests) is in test_html_browser.py, which
reuses :func:`sample_graph` from here.
"""
from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.export import html as kghtml
from kg.export.html import (DEFAULT_MAX_NODES, ViewSelection, find_mentions, render_html,
                            select_view, write_html)

EVIL_TITLE = ('Evil <script>window.__kgPwned = 1</script> "quoted" & \'single\' '
              '<img src=x onerror="window.__kgPwned = 2"> \u2028line\u2029sep')
EVIL_ENTITY = "<b>Bold</b><script>window.__kgPwned = 3</script>"
EVIL_ALIAS = "</script><script>window.__kgPwned = 4</script>"


def _ev(paper: str, sentence: str, confidence: float = 0.9) -> dict:
    return {"paper": paper, "sentence": sentence, "start": 0, "end": len(sentence),
            "confidence": confidence, "rule": "test"}


def sample_graph() -> nx.MultiDiGraph:
    """A small graph following the contract of kg/graph.py, with hostile text in it."""
    g = nx.MultiDiGraph()
    papers = {
        "p1": {"title": "BERT: Pre-training of Deep Bidirectional Transformers", "year": 2019,
               "url": "https://arxiv.org/abs/1810.04805", "authors": ["J. Devlin", "M. Chang"],
               "venue": "NAACL"},
        "p2": {"title": EVIL_TITLE, "year": 2020, "url": "javascript:window.__kgPwned = 5",
               "authors": ["<i>Mallory</i>"], "venue": "<b>Venue</b>"},
        "p3": {"title": "RoBERTa: A Robustly Optimized BERT Pretraining Approach", "year": 2019,
               "url": None, "authors": [], "venue": None},
    }
    for pid, d in papers.items():
        g.add_node(f"paper:{pid}", kind="paper", type="Paper", label=d["title"], paper_id=pid,
                   abstract="An abstract.", **d)
    entities = {
        "bert": ("Model", "BERT", ["BERT-base", "Bidirectional Encoder Representations from Transformers"],
                 ["p1", "p2", "p3"]),
        "roberta": ("Model", "RoBERTa", ["Robustly optimized BERT approach"], ["p3"]),
        "squad": ("Dataset", "SQuAD", ["Stanford Question Answering Dataset"], ["p1", "p3"]),
        "glue": ("Benchmark", "GLUE", [], ["p1", "p3"]),
        "question-answering": ("Task", "question answering", ["QA"], ["p1"]),
        "f1": ("Metric", "F1", ["F1 score"], ["p1"]),
        "evil": ("Method", EVIL_ENTITY, [EVIL_ALIAS], ["p2"]),
        "lonely": ("Method", "Lonely Method", [], []),
    }
    for slug, (etype, name, aliases, ps) in entities.items():
        g.add_node(f"entity:{slug}", kind="entity", type=etype, label=name, slug=slug,
                   aliases=sorted(aliases), papers=sorted(ps), mention_count=len(ps) * 2,
                   confidence=0.9)
        for p in ps:
            g.add_edge(f"paper:{p}", f"entity:{slug}", key="mentions", count=2)

    def rel(h: str, t: str, rtype: str, *evidence: dict) -> None:
        g.add_edge(h, t, key=rtype, type=rtype, papers=sorted({e["paper"] for e in evidence}),
                   confidence=max(e["confidence"] for e in evidence), evidence=list(evidence))

    rel("paper:p1", "entity:bert", "proposes", _ev("p1", "We introduce BERT, a new language representation model."))
    rel("paper:p3", "entity:roberta", "proposes", _ev("p3", "We present RoBERTa, a robustly optimized BERT approach."))
    rel("entity:roberta", "entity:bert", "basedOn",
        _ev("p3", "RoBERTa builds on bert with more data and longer training."))
    rel("entity:bert", "entity:squad", "evaluatedOn",
        _ev("p1", "We evaluate BERT on SQuAD v1.1 and GLUE.", 0.95),
        _ev("p3", "Like BERT-base, we report results on the Stanford Question Answering Dataset.", 0.7))
    rel("entity:bert", "entity:glue", "evaluatedOn", _ev("p1", "We evaluate BERT on SQuAD v1.1 and GLUE."))
    rel("entity:roberta", "entity:bert", "outperforms",
        _ev("p3", "RoBERTa \U0001F600 outperforms BERT on GLUE and SQuAD."))
    rel("entity:squad", "entity:question-answering", "addresses",
        _ev("p1", "SQuAD is a benchmark for question answering."))
    rel("entity:glue", "entity:f1", "measuredBy", _ev("p1", "GLUE tasks are scored with F1."))
    rel("entity:evil", "entity:bert", "uses",
        _ev("p2", "We use BERT </script><script>window.__kgPwned = 6</script> here.\u2028Next."))
    g.graph["results"] = [
        {"subject": "entity:bert", "benchmark": "entity:squad", "metric": "entity:f1",
         "value": "93.2 F1", "number": "93.2", "unit": None, "paper": "p1",
         "sentence": "BERT reaches 93.2 F1 on SQuAD v1.1.", "rule": "test"},
    ]
    return g


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def chain_graph(n: int) -> nx.MultiDiGraph:
    """Entities e0..e{n-1}: e_i is linked to e_{i+1}; e0 also to every tenth one (a hub)."""
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"entity:e{i}", kind="entity", type="Method", label=f"Entity {i}",
                   aliases=[f"E{i}"], papers=[], mention_count=1)
    for i in range(n - 1):
        g.add_edge(f"entity:e{i}", f"entity:e{i + 1}", key="uses", type="uses", papers=[],
                   evidence=[])
    for i in range(10, n, 10):
        g.add_edge("entity:e0", f"entity:e{i}", key="basedOn", type="basedOn", papers=[],
                   evidence=[])
    return g


# ----------------------------------------------------------------------------- selection

def test_small_graph_shows_everything():
    g = sample_graph()
    sel = select_view(g)
    assert isinstance(sel, ViewSelection)
    assert set(sel.entities) == {n for n, d in g.nodes(data=True) if d["kind"] == "entity"}
    assert set(sel.papers) == {"paper:p1", "paper:p2", "paper:p3"}
    assert not sel.truncated and sel.note is None
    assert (sel.total_entities, sel.total_papers) == (8, 3)
    assert set(sel.edges) == {(u, v, k) for u, v, k in g.edges(keys=True)}
    assert DEFAULT_MAX_NODES == 300


def test_budget_keeps_the_most_connected_and_says_so():
    g = chain_graph(1200)
    sel = select_view(g, max_nodes=300)
    assert len(sel.entities) == 300
    assert sel.entities[0] == "entity:e0"  # the hub
    assert sel.truncated
    assert sel.note.startswith("showing the 300 most connected of 1,200 entities")
    assert "--focus" in sel.note and "--max-nodes" in sel.note
    # every tenth entity (linked to the hub: 3 neighbours) ranks before plain chain members
    assert set(sel.entities[1:120]) == {f"entity:e{i}" for i in range(10, 1200, 10)}
    shown = set(sel.nodes)
    assert all(u in shown and v in shown for u, v, _ in sel.edges)


def test_no_limit():
    g = chain_graph(50)
    assert len(select_view(g, max_nodes=None).entities) == 50
    assert len(select_view(g, max_nodes=0).entities) == 50
    with pytest.raises(ValueError):
        select_view(g, max_nodes=-1)
    with pytest.raises(ValueError):
        select_view(g, hops=-1)


def test_focus_by_alias_name_or_id_case_insensitive_with_hops():
    g = sample_graph()
    one = select_view(g, focus="bidirectional ENCODER representations from transformers")
    assert one.focus == "entity:bert"
    assert one.entities[0] == "entity:bert"
    assert set(one.entities) == {"entity:bert", "entity:roberta", "entity:squad", "entity:glue",
                                 "entity:evil"}
    assert "within 1 hop of BERT" in one.note and not one.truncated
    two = select_view(g, focus="entity:BERT", hops=2)
    assert {"entity:f1", "entity:question-answering"} <= set(two.entities)
    assert "entity:lonely" not in two.entities
    assert select_view(g, focus="squad").focus == "entity:squad"
    assert select_view(g, focus="  SQuAD ").focus == "entity:squad"
    assert select_view(g, focus="qa").focus == "entity:question-answering"
    zero = select_view(g, focus="glue", hops=0)
    assert zero.entities == ("entity:glue",)
    assert set(zero.papers) == {"paper:p1", "paper:p3"}


def test_focus_truncated_keeps_the_nearest():
    g = chain_graph(400)
    sel = select_view(g, focus="Entity 205", hops=3, max_nodes=5)
    assert sel.entities[0] == "entity:e205"
    assert set(sel.entities[1:3]) == {"entity:e204", "entity:e206"}
    assert sel.truncated and "nearest to Entity 205" in sel.note and "--max-nodes" in sel.note


def test_focus_on_a_paper():
    g = sample_graph()
    sel = select_view(g, focus="paper:p3", include_papers=False)
    assert sel.papers == ("paper:p3",)
    assert set(sel.entities) >= {"entity:roberta", "entity:bert", "entity:squad", "entity:glue"}


def test_unknown_focus_lists_close_matches():
    g = sample_graph()
    with pytest.raises(ValueError, match="RoBERTa") as err:
        select_view(g, focus="roberto")
    assert "close matches" in str(err.value)
    with pytest.raises(ValueError, match="no close matches"):
        select_view(g, focus="zzzzzzzzzz")


def test_without_papers():
    sel = select_view(sample_graph(), include_papers=False)
    assert sel.papers == ()
    assert all(not u.startswith("paper:") for u, _, _ in sel.edges)


def test_select_view_is_pure():
    g = sample_graph()
    before = (copy.deepcopy(list(g.nodes(data=True))), copy.deepcopy(list(g.edges(keys=True, data=True))),
              copy.deepcopy(g.graph))
    select_view(g, max_nodes=2)
    select_view(g, focus="BERT", hops=2)
    render_html(g, max_nodes=3)
    assert before == (list(g.nodes(data=True)), list(g.edges(keys=True, data=True)), g.graph)


def test_paper_budget():
    g = chain_graph(30)
    for p in range(40):
        g.add_node(f"paper:q{p}", kind="paper", type="Paper", label=f"Paper {p}", year=2000 + p)
        g.add_edge(f"paper:q{p}", "entity:e0", key="mentions", count=1)
    sel = select_view(g, max_nodes=10)
    assert len(sel.papers) == 10 and sel.papers[0] == "paper:q39"  # most recent first on ties
    assert "10 of the 40 linked papers" in sel.note


# ----------------------------------------------------------------------------- page content

def test_page_is_self_contained_and_offline():
    html, _ = render_html(sample_graph())
    head = html[:html.index("<style>")]
    assert "default-src 'none'" in head and "connect-src 'none'" in head
    no_data = re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", html, flags=re.S)
    # nothing that loads a resource
    assert not re.search(r"<(?:link|img|iframe|object|embed|audio|video|source)\b", no_data, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", no_data, re.I)
    assert not re.search(r"\b(?:src|href|action|poster)\s*=\s*[\"']?\s*(?:https?:)?//", no_data, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?\s*(?:https?:)?//", no_data, re.I)
    assert len(re.findall(r"<script\b", html)) == 3  # data, vis-network, viewer


# URLs in the vendored vis-network build: licence headers and core-js's metadata strings,
# none of them loaded. A new one after an upgrade must be reviewed and added here.
VENDORED_URLS = {
    "https://visjs.github.io/vis-network/", "http://almende.com", "https://github.com/visjs",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://opensource.org/licenses/MIT",
    "https://github.com/zloirock/core-js/blob/v3.51.0/LICENSE", "https://github.com/zloirock/core-js",
    "http://naver.github.io/egjs",
}
_URL = re.compile(r"https?://[^\s\"'<>()\\,]+")


def test_only_data_links_and_licence_urls():
    vendored = set(_URL.findall((kghtml.STATIC / "vis-network.min.js").read_text(encoding="utf-8")))
    assert vendored <= VENDORED_URLS, vendored - VENDORED_URLS
    svg_namespace = {"http://www.w3.org/2000/svg"}  # names the leaderboard chart's vocabulary; never fetched
    for name in ("viewer.js", "viewer.css", "template.html"):
        assert set(_URL.findall((kghtml.STATIC / name).read_text(encoding="utf-8"))) <= svg_namespace, name
    html, _ = render_html(sample_graph())
    data_urls = {"https://arxiv.org/abs/1810.04805"}
    assert set(_URL.findall(html)) <= VENDORED_URLS | data_urls | svg_namespace


def test_text_is_escaped():
    g = sample_graph()
    html, _ = render_html(g, title='My <script>alert("t")</script> graph')
    # nothing from the data can close the data block or open markup
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in block
    assert "window.__kgPwned" not in html.replace(block, "")
    assert "<img" not in html
    assert "<title>My &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; graph</title>" in html
    assert '<h1 id="kg-title">My &lt;script&gt;' in html
    # ... and the data round-trips exactly
    data = page_data(html)
    assert data["papers"]["paper:p2"]["title"] == EVIL_TITLE
    assert data["entities"]["entity:evil"]["name"] == EVIL_ENTITY
    assert data["entities"]["entity:evil"]["aliases"] == [EVIL_ALIAS]
    sentences = [ev["s"] for r in data["rels"] for ev in r["ev"]]
    assert "We use BERT </script><script>window.__kgPwned = 6</script> here.\u2028Next." in sentences


def test_only_http_links():
    data = page_data(render_html(sample_graph())[0])
    assert data["papers"]["paper:p1"]["url"] == "https://arxiv.org/abs/1810.04805"
    assert data["papers"]["paper:p2"]["url"] is None  # javascript: dropped
    assert data["paperDetails"]["paper:p2"]["url"] is None


def test_viewer_never_parses_data_as_html():
    js = (kghtml.STATIC / "viewer.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "DOMParser", "createContextualFragment", "setHTML"):
        assert sink not in code, sink
    # vis-network's own tooltips take HTML strings: the viewer gives nodes no "title"
    data = page_data(render_html(sample_graph())[0])
    assert all("title" not in n for n in data["nodes"] + data["edges"])


def test_page_shows_counts_note_and_legend_data():
    g = sample_graph()
    html, sel = render_html(g, max_nodes=3)
    assert '<p class="kg-stats" id="kg-stats">3 papers \u00b7 8 entities</p>' in html
    assert sel.note and f">{sel.note}</p>" in html.replace("&#39;", "'")
    data = page_data(html)
    assert data["meta"]["entities"] == 8 and data["meta"]["papers"] == 3
    assert data["meta"]["shownEntities"] == 3
    types = {t["name"]: t for t in data["types"]}
    assert list(types) == ["Method", "Model", "Dataset", "Benchmark", "Task", "Metric"]
    assert types["Model"]["count"] == 2 and types["Method"]["count"] == 2
    assert sum(t["shown"] for t in data["types"]) == 3
    # no note when all is shown
    assert 'id="kg-note"' not in render_html(g)[0]


def test_nodes_edges_and_styles():
    g = sample_graph()
    data = page_data(render_html(g)[0])
    nodes = {n["id"]: n for n in data["nodes"]}
    opts = data["options"]
    assert nodes["entity:bert"]["group"] == "Model"
    assert opts["groups"]["Model"]["color"]["background"] == kghtml.TYPE_COLORS["Model"]
    assert nodes["entity:bert"]["size"] > nodes["entity:roberta"]["size"]  # 3 papers vs 1
    assert nodes["paper:p1"]["group"] == "Paper" and opts["groups"]["Paper"]["shape"] == "square"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes.values())
    edges = [e for e in data["edges"] if e["rel"] == "evaluatedOn"]
    assert len(edges) == 2 and all(e["label"] == "evaluatedOn" for e in edges)
    styles = {r["name"]: r for r in data["relations"]}
    assert styles["evaluatedOn"]["dashes"] == kghtml.RELATION_STYLES["evaluatedOn"]["dashes"]
    assert styles["evaluatedOn"]["count"] == 2 and styles["mentions"]["count"] == 11
    assert not data["meta"]["papersVisible"]
    # labels that stay readable when zoomed out: in a small view, everybody's
    assert nodes["entity:bert"]["minLabelPx"] == 13
    assert all(n.get("minLabelPx") for n in data["nodes"] if n["group"] != "Paper")
    big = page_data(render_html(chain_graph(400))[0])["nodes"]
    assert sum(1 for n in big if n.get("minLabelPx")) == kghtml.HEADLINES == 30
    assert opts["physics"]["enabled"] is False
    assert opts["layout"]["improvedLayout"] is False
    assert opts["edges"]["smooth"] is False
    assert opts["interaction"]["hideEdgesOnDrag"] is True


def test_panel_data_evidence_highlights_and_results():
    data = page_data(render_html(sample_graph())[0])
    bert = data["entities"]["entity:bert"]
    assert bert["name"] == "BERT" and bert["type"] == "Model" and bert["nPapers"] == 3
    assert bert["papers"][0] in {"paper:p2"}  # most recent first
    rels = [data["rels"][i] for i in bert["rels"]]
    assert {r["type"] for r in rels} == {"proposes", "basedOn", "evaluatedOn", "outperforms", "uses"}
    squad = next(r for r in rels if r["t"] == "entity:squad")
    assert squad["n"] == 2 and squad["np"] == 2
    first, second = squad["ev"]
    assert first["s"] == "We evaluate BERT on SQuAD v1.1 and GLUE."  # best confidence first
    assert first["hh"] == [[12, 16]] and first["ht"] == [[20, 25]]
    assert second["hh"] == [[5, 14]]  # the alias BERT-base
    assert second["ht"] == [[second["s"].index("Stanford"), second["s"].index(".")]]
    assert first["p"] == "paper:p1"
    based = next(r for r in rels if r["type"] == "basedOn")
    assert based["ev"][0]["ht"] == [[18, 22]]  # "bert": case-insensitive
    emoji = next(r for r in rels if r["type"] == "outperforms")["ev"][0]
    s = emoji["s"]  # offsets are UTF-16 (JavaScript) ones: the emoji counts twice
    at = s.index(" BERT ") + 1
    assert emoji["ht"] == [[at + 1, at + 5]]
    assert bert["results"] and data["results"][bert["results"][0]]["v"] == "93.2 F1"
    paper = data["paperDetails"]["paper:p1"]
    assert paper["proposes"] == ["entity:bert"] and paper["year"] == 2019
    assert "entity:squad" in paper["mentions"]


def test_find_mentions():
    assert find_mentions("We fine-tune BERT and RoBERTa.", ["bert"]) == [[13, 17]]
    assert find_mentions("bert-base beats BERT", ["BERT", "BERT-base"]) == [[0, 9], [16, 20]]
    assert find_mentions("\U0001F600 BERT", ["BERT"]) == [[3, 7]]
    assert find_mentions("C++ and C", ["C++"]) == [[0, 3]]
    assert find_mentions("anything", []) == []
    assert find_mentions("a b", ["a"]) == []  # single characters are never highlighted


def test_deterministic_output(tmp_path: Path):
    g = sample_graph()
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    sel = write_html(g, a, title="t")
    write_html(sample_graph(), b, title="t")
    assert a.read_bytes() == b.read_bytes()
    assert isinstance(sel, ViewSelection)
    assert render_html(g, seed=1)[0] != render_html(g, seed=2)[0]  # the seed drives the layout


def test_large_view_layout_is_fast_complete_and_deterministic():
    g = chain_graph(900)
    g.add_node("entity:alone", kind="entity", type="Task", label="Alone", papers=[])
    html1, sel = render_html(g, max_nodes=None)
    html2, _ = render_html(g, max_nodes=None)
    assert html1 == html2
    nodes = page_data(html1)["nodes"]
    assert len(nodes) == 901 == len(sel.entities)
    xy = {(n["x"], n["y"]) for n in nodes}
    assert len(xy) == 901  # nobody stacked on anybody
    assert page_data(html1)["options"]["physics"]["enabled"] is False


def test_byte_identical_across_processes(tmp_path: Path):
    """Same graph, other interpreter and hash seed: same bytes (no set or dict order leaks)."""
    import subprocess
    import sys

    script = (
        "import sys, importlib.util, hashlib\n"
        f"spec = importlib.util.spec_from_file_location('t', {str(Path(__file__))!r})\n"
        "t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)\n"
        "from kg.export.html import render_html\n"
        "g = t.chain_graph(1000)\n"
        "for n, d in t.sample_graph().nodes(data=True): g.add_node(n, **d)\n"
        "a = render_html(g, max_nodes=None)[0] + render_html(t.sample_graph())[0]\n"
        # a leaderboard whose papers the view does not show records them in its own order
        "b = t.sample_graph(); r = b.graph['results'][0]\n"
        "for i in range(60):  # more than the viewer lists per entity (MAX_RESULTS)\n"
        "    b.add_node(f'paper:p{i}', kind='paper', type='Paper', label=f'P{i}', paper_id=f'p{i}',\n"
        "               title=f'P{i}', year=2000 + i)\n"
        "    b.graph['results'].append({**r, 'paper': f'p{i}', 'number': str(i), 'value': str(i)})\n"
        "a += render_html(b, include_papers=False)[0]\n"
        "print(hashlib.sha256(a.encode()).hexdigest())\n")
    root = Path(__file__).resolve().parents[1]
    digests = set()
    for seed in ("1", "2"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        out = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, check=True,
                             capture_output=True, text=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_write_html_is_atomic_and_returns_the_selection(tmp_path: Path, monkeypatch):
    path = tmp_path / "out" / "graph.html"
    sel = write_html(sample_graph(), path, max_nodes=2, focus="bert")
    assert path.exists() and sel.truncated and sel.focus == "entity:bert"
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kghtml, "render_html", boom)
    with pytest.raises(RuntimeError):
        write_html(sample_graph(), path)
    assert path.read_bytes() == before


def odd_graph() -> nx.MultiDiGraph:
    """Sparse attributes, an unknown type and relation, dangling references."""
    g = nx.MultiDiGraph()
    g.add_node("entity:x", label="X")  # no kind, no type
    g.add_node("entity:y", kind="entity", label="Y", type="Software", papers=["missing"],
               aliases="YY")
    g.add_edge("entity:x", "entity:y", key="relatedTo",
               evidence=[{"paper": "missing", "sentence": "X relatedTo Y."}, "junk"])
    g.graph["results"] = [{"subject": None, "benchmark": "entity:y", "metric": "entity:gone",
                           "value": "1", "paper": None, "sentence": None}, "junk"]
    return g


def test_empty_and_odd_graphs():
    html, sel = render_html(nx.MultiDiGraph())
    assert sel.entities == () and sel.note is None and page_data(html)["nodes"] == []
    html, sel = render_html(odd_graph())
    data = page_data(html)
    assert set(sel.entities) == {"entity:x", "entity:y"}
    assert {t["name"] for t in data["types"]} == {"Entity", "Software"}
    assert data["relations"][0]["name"] == "relatedTo"
    assert data["entities"]["entity:y"]["aliases"] == ["YY"]
    assert data["papers"]["paper:missing"] == {"title": "missing", "year": None, "url": None}
    assert data["labels"]["entity:gone"] == ["gone", "Entity"]


def test_assets_can_be_inlined():
    assets = kghtml._assets()
    assert "vis-network" in assets["vis_js"][:200] and "@version" in assets["vis_js"][:400]
    for name in ("vis_js", "viewer_js"):
        assert "</script" not in assets[name].lower() and "<!--" not in assets[name]
    static = kghtml.STATIC
    assert (static / "vis-network.LICENSE-MIT").exists()
    assert (static / "vis-network.LICENSE-APACHE-2.0").exists()
    assert "10.1.5" in (static / "README.md").read_text(encoding="utf-8")


def test_a_slice_is_grouped_into_communities_laid_out_apart(example_graph):
    from kg.export.html import _grouped_layout, _layout, communities, select_view

    g = example_graph.nx
    sel = select_view(g, max_nodes=60)
    groups = communities(g, sel)
    assert groups == communities(g, sel)  # seeded: the same page every time
    assert sorted(n for c in groups for n in c) == sorted(sel.entities)
    assert len(groups) >= 2 and all(len(a) >= len(b) for a, b in zip(groups, groups[1:]))
    pos = _grouped_layout(g, sel, _layout(g, sel, 42), groups)
    centres = []
    for c in groups:
        xs, ys = [pos[n][0] for n in c], [pos[n][1] for n in c]
        centres.append((sum(xs) / len(c), sum(ys) / len(c), max(math.hypot(x - sum(xs) / len(c), y - sum(ys) / len(c))
                                                                 for x, y in zip(xs, ys))))
    for i, (x1, y1, r1) in enumerate(centres):  # no community's members reach into another's
        for x2, y2, r2 in centres[i + 1:]:
            assert math.hypot(x1 - x2, y1 - y2) > r1 + r2
    assert not select_view(g).truncated and communities(g, select_view(g)) == []  # the whole graph
    assert communities(g, select_view(g, focus="Llama 2", max_nodes=60)) == []


def test_the_page_carries_its_communities(example_graph, tmp_path):
    from kg.export.html import write_html

    write_html(example_graph.nx, tmp_path / "slice.html", max_nodes=60)
    payload = page_data((tmp_path / "slice.html").read_text(encoding="utf-8"))
    assert payload["communities"] and all({"id", "label", "size", "x", "y", "color"} <= set(c) for c in payload["communities"])
    members = [n for n in payload["nodes"] if "community" in n]
    assert len(members) == sum(c["size"] for c in payload["communities"])
    write_html(example_graph.nx, tmp_path / "all.html")
    assert page_data((tmp_path / "all.html").read_text(encoding="utf-8"))["communities"] == []
