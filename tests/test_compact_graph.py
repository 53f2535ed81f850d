"""The compact graph kg build writes from: the same graph, and the same outputs, as networkx's."""
import networkx as nx
import pytest

import kg
from kg.compact_graph import CompactGraph
from kg.export.html import render_html
from kg.export.json import iter_node_link_json
from kg.export.rdf import write_rdf
from kg.extract import extract_papers
from kg.graph import KnowledgeGraph
from kg.linking import link
from kg.model import Paper

PAPERS = [
    Paper("q1", "QuillNet: Fast Stitch Planning", "We propose QuillNet. QuillNet builds on Llama 2 and outperforms "
          "RT-2 on the CALVIN benchmark, reaching a success rate of 91.2%. QuillNet uses PPO.", year=2024,
          authors=("A. Quill", "B. Seam"), url="https://example.org/quill"),
    Paper("q2", "", "We fine-tune LLaMA-2 with Direct Preference Optimization (DPO) on the nuScenes dataset. "
          "DPO outperforms PPO on CALVIN."),
    Paper("q3", "Seams", "QuillNet is evaluated on the CALVIN benchmark and on LIBERO. Unlike PPO, DPO needs no "
          "reward model. We study stitch planning for robotic manipulation.", year=2023),
]


@pytest.fixture(scope="module")
def linked():
    return link(extract_papers(PAPERS))


@pytest.fixture(scope="module")
def graphs(linked):
    compact = CompactGraph.from_linked(linked, kg_version="test")
    return compact, compact.to_networkx()


def test_it_reads_as_its_networkx_graph_node_for_node_and_edge_for_edge(graphs):
    compact, g = graphs
    assert list(compact.nodes(data=True)) == list(g.nodes(data=True))
    assert list(compact.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
    assert list(compact.edges) == list(g.edges)
    assert (compact.number_of_nodes(), compact.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    assert compact.graph == g.graph
    for node in g:
        assert list(compact.succ[node]) == list(g.succ[node])
        assert list(compact.pred[node]) == list(g.pred[node])  # networkx's order: by the edge added first
        assert {v: dict(keys) for v, keys in compact.pred[node].items()} == \
            {v: dict(keys) for v, keys in g.pred[node].items()}
        assert compact.out_edges(node, keys=True, data=True) == list(g.out_edges(node, keys=True, data=True))
        assert compact.in_edges(node, keys=True, data=True) == list(g.in_edges(node, keys=True, data=True))
        assert compact.degree(node) == g.degree(node)
        for v, k in ((v, k) for _, v, k in g.out_edges(node, keys=True)):
            assert compact.edges[node, v, k] == g.edges[node, v, k]
    assert compact.nodes.get("paper:nope") is None and "paper:q1" in compact
    assert dict(compact.kinds) == {n: d["kind"] for n, d in g.nodes(data=True)}  # without the attributes
    with pytest.raises(KeyError):
        compact.edges["paper:q1", "paper:q2", "mentions"]


def test_its_exports_are_those_of_its_networkx_graph_byte_for_byte(graphs, tmp_path):
    compact, g = graphs
    assert "".join(iter_node_link_json(compact)) == "".join(iter_node_link_json(g))
    a, b = tmp_path / "a", tmp_path / "b"
    for graph, folder in ((g, a), (compact, b)):
        folder.mkdir()
        write_rdf(graph, folder, formats=("turtle", "nt", "jsonld"), generated_at="2025-01-01T00:00:00Z")
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for p in a.iterdir():
        assert p.read_bytes() == (b / p.name).read_bytes(), p.name
    assert render_html(compact) == render_html(g)
    assert render_html(compact, focus="CALVIN", hops=2) == render_html(g, focus="CALVIN", hops=2)


def test_the_api_holds_the_compact_graph_until_networkx_is_asked_for():
    g = kg.KnowledgeGraph.from_papers(PAPERS)
    assert isinstance(g._graph, CompactGraph)
    compact_answers = (g.info(), g.entity("QuillNet"), g.entities(), g.relations(), g.neighbors("DPO"),
                       g.papers_mentioning("CALVIN"), g.results(), g.query("SELECT ?b WHERE { ?x kg:evaluatedOn ?b }").rows)
    assert isinstance(g.nx, nx.MultiDiGraph) and isinstance(g._graph, nx.MultiDiGraph)
    g._index = None
    assert compact_answers == (g.info(), g.entity("QuillNet"), g.entities(), g.relations(), g.neighbors("DPO"),
                               g.papers_mentioning("CALVIN"), g.results(),
                               g.query("SELECT ?b WHERE { ?x kg:evaluatedOn ?b }").rows)
    assert nx.utils.graphs_equal(g.to_networkx(), KnowledgeGraph.from_papers(PAPERS).to_networkx())


def test_evidence_reads_its_sentence_from_the_paper_or_keeps_its_own():
    from kg.model import Evidence, Mention, PaperExtraction, Relation

    text = "We train Kestrel with DPO. Kestrel beats PPO."
    p = Paper("k1", "", text)
    ms = [Mention("k1", 9, 16, "Kestrel", "Method", "Kestrel", "names.named", 0, 26),
          Mention("k1", 22, 25, "DPO", "Method", "DPO", "lexicon", 0, 26),
          Mention("k1", 41, 44, "PPO", "Method", "PPO", "lexicon", 27, 45)]
    rels = [Relation("Kestrel", "uses", "DPO", Evidence("k1", "We train Kestrel with DPO.", 0, 26, 0.9, "r")),
            # a sentence that is not the text between its offsets (written by hand, say) stays as it is
            Relation("Kestrel", "outperforms", "PPO", Evidence("k1", "Kestrel beats PPO (hand-written).", 27, 45, 0.8, "r"))]
    g = CompactGraph.from_linked(link([PaperExtraction(p, ms, [], rels)]), kg_version="test")
    uses = g.edges["entity:Kestrel", "entity:DPO", "uses"]["evidence"][0]
    beats = g.edges["entity:Kestrel", "entity:PPO", "outperforms"]["evidence"][0]
    assert uses["sentence"] == "We train Kestrel with DPO." and (uses["start"], uses["end"]) == (0, 26)
    assert beats["sentence"] == "Kestrel beats PPO (hand-written)."


def test_graph_json_writes_long_lists_item_by_item_with_the_same_bytes(tmp_path):
    """A build's results and a relation stated by many papers are written one item at a time
    (a million-paper build's results dumped whole took over a gigabyte): the file is still
    exactly ``json.dump(node-link data, indent=1, sort_keys=True)``."""
    import json

    from kg.export.json import to_node_link, write_json

    g = nx.MultiDiGraph(results=[{"subject": "entity:quillnet", "number": i / 3, "value": f"{i}%",
                                  "sentence": f"QuillNet reaches {i}% on “CALVIN”."} for i in range(700)])
    g.add_node("entity:quillnet", kind="entity", type="Method", label="QuillNet", aliases=[])
    g.add_node("entity:calvin", kind="entity", type="Benchmark", label="CALVIN", aliases=[])
    evidence = [{"paper": f"p{i}", "sentence": f"QuillNet is evaluated on CALVIN ({i}).", "confidence": 0.5}
                for i in range(300)]
    g.add_edge("entity:quillnet", "entity:calvin", key="evaluatedOn", type="evaluatedOn", evidence=evidence,
               papers=sorted(e["paper"] for e in evidence), confidence=0.5)
    write_json(g, tmp_path / "graph.json")
    expected = json.dumps(to_node_link(g), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert (tmp_path / "graph.json").read_text("utf-8") == expected
