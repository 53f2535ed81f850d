"""Extraction (kg/extract.py): pure per batch, the same with a process pool, streaming."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import kg.extract as ke
from kg.model import Paper
from kg.readers import read_papers

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "papers.jsonl"


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return list(read_papers([EXAMPLES]))


def test_workers_give_the_same_extractions_in_input_order(papers):
    papers = papers[:20]
    one = list(ke.extract_papers(papers, workers=1, batch_size=5))
    two = list(ke.extract_papers(iter(papers), workers=2, batch_size=3))
    assert [x.paper.id for x in two] == [p.id for p in papers]
    assert two == one
    assert all(x.paper is p for x, p in zip(two, papers))  # the caller's records, not copies


def test_extract_batch_is_pure(papers):
    nlp = ke._process_nlp()
    batch = papers[:8]
    before = list(batch)
    a = ke.extract_batch(batch, nlp)
    assert batch == before
    # a paper's extraction depends on that paper alone: not on its batch, its place, or earlier calls
    b = ke.extract_batch(batch[5:], nlp) + ke.extract_batch(batch[:5], nlp)
    assert a == b[3:] + b[:3]
    assert ke.extract_batch(list(reversed(batch)), nlp) == list(reversed(a))
    assert ke.extract_batch(batch, nlp) == a


def test_sentence_offsets_are_those_of_span_sent(papers):
    nlp = ke._process_nlp()
    from kg.nlp.mentions import MENTIONS

    for p, doc in zip(papers[:10], nlp.pipe(p.text for p in papers[:10])):
        x = ke.doc_to_extraction(doc, p)
        expected = [(s.sent.start_char, s.sent.end_char) for s in doc.spans[MENTIONS]]
        assert [(m.sentence_start, m.sentence_end) for m in x.mentions] == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_empty_input_builds_no_pipeline(monkeypatch, workers):
    def boom():
        raise AssertionError("the pipeline was built")

    monkeypatch.setattr(ke, "_process_nlp", boom)
    assert list(ke.extract_papers([], workers=workers)) == []


def test_input_is_read_lazily(papers):
    """Memory stays flat: only a bounded window of the input is read ahead."""
    consumed = 0

    def endless():
        nonlocal consumed
        for p in itertools.cycle(papers):
            consumed += 1
            yield p

    out = ke.extract_papers(endless(), workers=2, batch_size=2)
    got = list(itertools.islice(out, 3))
    out.close()
    assert len(got) == 3
    assert consumed <= (2 * 2 + 1) * 2 + 2


def test_a_paper_the_pipeline_fails_on_is_kept_and_reported(monkeypatch, caplog):
    from kg import extract as extract_module
    from kg.model import Paper
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp()
    real = extract_module.doc_to_extraction

    def fail_on_bad(doc, paper):
        if paper.id == "bad":
            raise RuntimeError("boom")
        return real(doc, paper)

    monkeypatch.setattr(extract_module, "doc_to_extraction", fail_on_bad)
    caplog.set_level("WARNING", logger="kg")  # an earlier `kg -q` in this process may have raised it
    papers = [Paper("good", "", "We evaluate PPO on the CALVIN benchmark."), Paper("bad", "", "We use DPO.")]
    out = extract_module.extract_batch(papers, nlp)
    assert [x.paper.id for x in out] == ["good", "bad"]
    assert out[0].mentions and out[1].mentions == []
    assert "extraction failed for paper bad" in caplog.text


def test_extraction_keeps_no_vocabulary_per_paper():
    """Each batch runs in a spaCy memory zone: the new words of a corpus are not kept in the
    shared vocabulary (they made a build's memory grow with every paper)."""
    nlp = ke._process_nlp()
    ke.extract_batch([Paper("w0", "", "We evaluate Zorbl on the CALVIN benchmark.")], nlp)  # warm up
    before = len(nlp.vocab.strings)
    papers = [Paper(f"w{i}", f"Qz{i}xv Routing", f"We propose Qz{i}xv and Mlk{i}pt, evaluated on Brq{i}ds-{i}.")
              for i in range(1, 300)]
    xs = ke.extract_batch(papers, nlp)
    assert len(nlp.vocab.strings) - before < 50  # without the zone: about 2,300 new strings
    assert any(m.text == "Qz7xv" for m in xs[6].mentions)  # the records keep their own text


def test_words_that_recur_across_papers_are_remembered_outside_the_memory_zone():
    """Words several papers use stay tokenized (cached) between batches; the tokens are the
    same as without; a word only one paper uses, however often, is not kept."""
    import spacy

    from kg.nlp.pipeline import _TOKENIZER_CONFIG

    texts = ["We don't tune Zorbl-7B, e.g. on CALVIN and Zorbl-7B wins.",
             "They don't tune PPO or e.g. on CALVIN and more (ours)."]
    fresh = spacy.blank("en", config=_TOKENIZER_CONFIG)
    expected = [[t.text for t in fresh(x)] for x in texts]
    nlp = spacy.blank("en", config=_TOKENIZER_CONFIG)
    added = ke.remember_recurring_words(nlp, texts)
    with nlp.memory_zone():
        assert [[t.text for t in nlp(x)] for x in texts] == expected
    # kept for good: the words of both papers, those after "don't" (a special case) too
    assert added == 6 and all(w in nlp.vocab.strings for w in ("tune", "CALVIN", "on"))
    assert "Zorbl-7B" not in nlp.vocab.strings and "PPO" not in nlp.vocab.strings
    assert ke.remember_recurring_words(nlp, ["PPO again"]) == 1  # seen in an earlier batch
    assert "PPO" in nlp.vocab.strings


def test_remembered_words_are_capped(monkeypatch):
    import spacy

    monkeypatch.setattr(ke, "RECURRING_WORDS_KEPT", 3)
    nlp = spacy.blank("en")
    assert ke.remember_recurring_words(nlp, ["a b c d e", "a b c d e"]) == 3
    assert ke.remember_recurring_words(nlp, ["f g", "f g"]) == 0
