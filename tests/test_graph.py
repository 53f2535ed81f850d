"""The graph and the Python API."""
import pytest

import kg
from kg.model import Paper

PAPERS = [
    Paper("a1", "KiteNet: Fast Planning", "We propose KiteNet. KiteNet builds on Llama 2 and outperforms RT-2 on the CALVIN benchmark.",
          year=2024, url="https://example.org/kite"),
    Paper("a2", "", "We fine-tune LLaMA-2 with Direct Preference Optimization (DPO) on the nuScenes dataset."),
    Paper("a3", "", "DPO is simple. KiteNet is evaluated on the CALVIN benchmark and reaches 4.1 success rate."),
]


@pytest.fixture(scope="module")
def g():
    return kg.KnowledgeGraph.from_papers(PAPERS)


def test_one_node_per_paper_and_entity(g):
    kinds = [d["kind"] for _, d in g.nx.nodes(data=True)]
    assert kinds.count("paper") == 3
    assert {n for n, d in g.nx.nodes(data=True) if d["kind"] == "paper"} == {"paper:a1", "paper:a2", "paper:a3"}


def test_entity_lookup_by_alias_and_case(g):
    assert g.entity("llama-2").name == "Llama 2"
    assert g.entity("Direct Preference Optimization").name == "DPO"
    with pytest.raises(KeyError):
        g.entity("no such thing")


def test_entity_carries_papers_relations_and_evidence(g):
    kite = g.entity("KiteNet")
    assert set(kite.papers) == {"a1", "a3"}
    based = [r for r in kite.relations if r.type == "basedOn"]
    assert based[0].tail == "Llama 2"
    assert based[0].evidence[0].sentence == "KiteNet builds on Llama 2 and outperforms RT-2 on the CALVIN benchmark."
    assert based[0].papers == ["a1"]


def test_entities_by_type(g):
    assert [e.name for e in g.entities(type="Benchmark")] == ["CALVIN"]
    assert "nuScenes" in [e.name for e in g.entities(type="Dataset")]


def test_neighbors_and_papers_mentioning(g):
    assert "Llama 2" in [e.name for e in g.neighbors("KiteNet")]
    assert [p.id for p in g.papers_mentioning("DPO")] == ["a2", "a3"]
    assert g.papers_mentioning("KiteNet")[0].url == "https://example.org/kite"


def test_relations_and_proposes(g):
    assert ("a1", "proposes", "KiteNet") in {(r.head, r.type, r.tail) for r in g.relations("proposes")}
    assert ("KiteNet", "evaluatedOn", "CALVIN") in {(r.head, r.type, r.tail) for r in g.relations()}


def test_results_are_numbers_with_names(g):
    r = next(r for r in g.results() if r["subject"] == "KiteNet")
    assert (r["benchmark"], r["metric"], r["number"]) == ("CALVIN", "success rate", "4.1")


def test_info_counts(g):
    info = g.info()
    assert info["papers"] == 3 and info["entities"]["Model"] >= 2 and info["relations"]["basedOn"] == 1


def test_json_nodes_have_id_label_type(g):
    data = g.to_json()
    for node in data["nodes"]:
        assert {"id", "label", "type"} <= node.keys()
    assert {n["type"] for n in data["nodes"] if n["id"].startswith("paper:")} == {"Paper"}


def test_save_and_load_round_trip(g, tmp_path):
    g.save(tmp_path, generated_at="2026-01-01T00:00:00Z")
    assert {p.name for p in tmp_path.iterdir()} >= {"graph.json", "graph.ttl", "graph.html"}
    back = kg.load(tmp_path)
    assert back.to_json() == g.to_json()
    assert back.entity("KiteNet").relations == g.entity("KiteNet").relations


def test_sparql_over_the_python_graph(g):
    result = g.query("SELECT ?label WHERE { ?m kg:basedOn ?b . ?b skos:prefLabel ?label }")
    assert [row[0] for row in result.rows] == ["Llama 2"]


def test_to_networkx_is_a_copy(g):
    copy = g.to_networkx()
    copy.remove_node("paper:a1")
    assert "paper:a1" in g.nx


def test_build_from_files(tmp_path):
    f = tmp_path / "papers.jsonl"
    f.write_text('{"id": "x", "title": "", "abstract": "We evaluate PPO on the Meta-World benchmark."}\n')
    g = kg.build([f])
    assert g.entity("Meta-World").type == "Benchmark"


def test_the_python_api_has_no_surprises(g):
    assert {"build", "load", "KnowledgeGraph"} <= set(dir(kg))
    assert [e.name for e in g.entities("benchmark")] == [e.name for e in g.entities("Benchmark")] == ["CALVIN"]
    with pytest.raises(ValueError, match="Method, Model, Dataset, Benchmark, Task, Metric"):
        g.entities("Tool")
    calvin = g.entities("Benchmark")[0]
    assert calvin.relations == g.entity("CALVIN").relations and calvin.relations
    assert all(r.head and r.tail == "CALVIN" for r in calvin.relations if r.type == "evaluatedOn")
    assert g.entities("Benchmark", relations=False)[0].relations == ()
    assert g.relations("evaluatedon") == g.relations("evaluatedOn") != []
    with pytest.raises(ValueError, match="evaluatedOn"):
        g.relations("evaluated")
    rows = g.query("SELECT ?m WHERE { ?m kg:evaluatedOn ?b . ?b skos:prefLabel 'CALVIN' }", labels=True).rows
    assert ("KiteNet",) in rows
    iris = g.query("SELECT ?m WHERE { ?m kg:evaluatedOn ?b . ?b skos:prefLabel 'CALVIN' }").rows
    assert all(r[0].startswith("https://") for r in iris)
