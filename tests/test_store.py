"""The compressed store a build keeps its papers' extractions in between extraction and export."""
import pickle

import pytest

from kg.model import Evidence, Mention, Paper, PaperExtraction, Relation, Result
from kg.store import ExtractionStore, decode, encode


def _extraction(pid: str, title: str = "") -> PaperExtraction:
    text = "We fine-tune Llama 2 with DPO on UltraFeedback and reach 81.2% win rate."
    paper = Paper(pid, title, text, year=2024, authors=("A. Writer",), doi="10.1/x")
    off = paper.abstract_offset
    ev = Evidence(pid, text, off, off + len(text), 0.8, "relations.uses")
    return PaperExtraction(
        paper,
        [Mention(pid, off + 13, off + 20, "Llama 2", "Model", "Llama 2", "lexicon", off, off + len(text)),
         Mention(pid, off + 26, off + 29, "DPO", "Method", "DPO", "lexicon", off, off + len(text))],
        ["Llama 2"], [Relation("Llama 2", "uses", "DPO", ev)],
        [Result("Llama 2", None, "win rate", "81.2%", "81.2", "%", ev)], {"DPO": "Direct Preference Optimization"})


def test_what_goes_in_comes_out_equal_in_order_and_by_index():
    xs = [_extraction("p2", "Second"), _extraction("p1"), _extraction("p3", "Third")]
    store = ExtractionStore(xs)
    assert len(store) == 3 and list(store) == xs and store == xs
    assert store[1] == xs[1] and store[-1] == xs[2] and store[0:2] == xs[:2]
    assert store.ids == ["p2", "p1", "p3"]


def test_it_sorts_by_paper_id_without_changing_what_it_holds():
    store = ExtractionStore([_extraction("p2"), _extraction("p10"), _extraction("p1")])
    ordered = store.sorted_by_id()
    assert [x.paper.id for x in ordered] == ["p1", "p10", "p2"] == ordered.ids
    assert [x.paper.id for x in store] == ["p2", "p10", "p1"]


def test_a_read_is_a_new_object_so_changing_it_leaves_the_store_as_it_was():
    store = ExtractionStore([_extraction("p1")])
    x = store[0]
    x.mentions.clear()
    assert len(store[0].mentions) == 2


def test_draining_hands_each_extraction_out_once_and_empties_the_store():
    xs = [_extraction(f"p{i}") for i in range(5)]
    store = ExtractionStore(xs)
    assert list(store.drain()) == xs
    assert len(store) == 0 and store.ids == []


def test_it_takes_far_less_memory_than_the_objects():
    xs = [_extraction(f"p{i}", "A title of some length for the paper") for i in range(200)]
    store = ExtractionStore(xs)
    assert store.nbytes() < 0.8 * sum(len(pickle.dumps(x)) for x in xs)


@pytest.mark.parametrize("record", [
    _extraction("p1").paper, _extraction("p1").mentions[0], _extraction("p1").relations[0],
    _extraction("p1").results[0], _extraction("p1"),
])
def test_every_record_round_trips_through_pickle_and_the_store_encoding(record):
    assert pickle.loads(pickle.dumps(record)) == record
    assert decode(encode(record)) == record


def test_a_store_spilled_to_a_file_reads_sorts_and_drains_as_one_in_memory():
    xs = [_extraction("p2", "Second"), _extraction("p1"), _extraction("p3", "Third")]
    disk = ExtractionStore(xs, spill=True)
    assert disk == xs and disk[-1] == xs[-1] and disk[1:] == xs[1:] and disk.nbytes() == ExtractionStore(xs).nbytes()
    ordered = disk.sorted_by_id()
    disk.append(_extraction("p0"))  # the original grows; the sorted store reads only its own papers
    assert [x.paper.id for x in ordered] == ["p1", "p2", "p3"] and len(disk) == 4
    assert [x.paper.id for x in ordered.drain()] == ["p1", "p2", "p3"] and len(ordered) == 0
