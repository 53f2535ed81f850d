"""The example queries of ontology/queries on a real build of examples/papers.jsonl.

Needs the ``example_build_dir`` fixture of tests/conftest.py (skipped without it).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from kg.export.rdf import entity_iri
from kg.namespace import KG, ontology_path
from kg.query import format_result, read_query, run_query
from kg.validate import validate


@pytest.fixture(scope="module")
def build(request) -> Path:
    try:
        return request.getfixturevalue("example_build_dir")
    except pytest.FixtureLookupError:
        pytest.skip("needs the example_build_dir fixture (tests/conftest.py)")


def run(build: Path, prefix: str):
    (path,) = sorted(ontology_path("queries").glob(f"{prefix}-*.rq"))
    return run_query(build, read_query(path), timeout=60)


def column(result, name: str) -> list:
    i = result.variables.index(name)
    return [row[i] for row in result.rows]


def test_every_example_query_answers(build):
    for path in sorted(ontology_path("queries").glob("*.rq")):
        result = run_query(build, read_query(path), timeout=60)
        assert result.boolean is True or result.rows, path.name
        assert format_result(result, "table")


def test_methods_evaluated_on_glue(build):
    assert "BERT" in column(run(build, "01"), "name")


def test_best_pdms_on_navsim_is_a_decimal(build):
    r = run(build, "02")
    values = [Decimal(v) for v in column(r, "value")]
    assert values == sorted(values, reverse=True)
    assert values[0] == Decimal("88.1")
    assert column(r, "achievedBy")[0] == "DiffusionDrive"
    assert r.terms[0][r.variables.index("value")]["datatype"].endswith("#decimal")


def test_openvla_builds_on_llama_2(build):
    r = run(build, "03")
    assert "OpenVLA" in column(r, "name")
    assert run(build, "14").boolean is True
    evidence = run(build, "07")
    assert "basedOn" in column(evidence, "relation")
    assert any("Llama 2" in s for s in column(evidence, "evidence"))


def test_papers_proposing_a_method_that_outperforms_rt_2_x(build):
    r = run(build, "04")
    assert "OpenVLA" in column(r, "method")
    assert any("RT-2-X" in s for s in column(r, "evidence"))


def test_datasets_with_autonomous_driving(build):
    assert "nuScenes" in column(run(build, "05"), "name")


def test_training_data(build):
    r = run(build, "09")
    assert ("OpenVLA", "Open X-Embodiment") in set(zip(column(r, "name"), column(r, "trainedOn")))


def test_acronyms(build):
    r = run(build, "10")
    assert ("DPO", "Direct Preference Optimization") in set(zip(column(r, "acronym"), column(r, "longForm")))


def test_metrics_on_navsim(build):
    r = run(build, "11")
    assert "PDMS" in column(r, "metric")
    i = column(r, "metric").index("PDMS")
    assert Decimal(column(r, "highest")[i]) == Decimal("88.1")


def test_neighbourhood_of_openvla(build):
    g = rdflib.Graph().parse(data=format_result(run(build, "13"), "turtle"), format="turtle")
    openvla = rdflib.URIRef(entity_iri("OpenVLA"))
    assert (openvla, KG.basedOn, rdflib.URIRef(entity_iri("Llama_2"))) in g
    assert (openvla, KG.outperforms, rdflib.URIRef(entity_iri("RT-2-X"))) in g


def test_entity_counts_and_co_occurrence(build):
    counts = [int(n) for n in column(run(build, "08"), "papers")]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert run(build, "06").rows and run(build, "12").rows


def test_validation_speaks_plain_words(build):
    for v in validate(build):
        assert "http://" not in str(v) and "https://" not in str(v), str(v)
