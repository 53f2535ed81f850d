"""The mention resolver: rule candidates first, a statistical NER's spans only in the gaps."""
import re

import pytest
from spacy.language import Language
from spacy.util import filter_spans

from kg.extract import doc_to_extraction
from kg.model import Paper
from kg.nlp.pipeline import build_nlp

#: what the stand-in NER tags: (regex, label)
_FAKE_ENTS = [(r"the lattice rescoring", "Task"), (r"the model", "Method"), (r"DPO objective", "Method"),
              (r"quantum basket weaving", "Fruit")]


@Language.component("test_fake_ner")
def _fake_ner(doc):
    spans = []
    for pattern, label in _FAKE_ENTS:
        for m in re.finditer(pattern, doc.text):
            span = doc.char_span(m.start(), m.end(), label=label)
            if span is not None:
                spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


@pytest.fixture(scope="module")
def nlp_with_ner():
    nlp = build_nlp(relations=False)
    nlp.add_pipe("test_fake_ner", before="kg_mentions")
    return nlp


def mentions(nlp, text):
    x = doc_to_extraction(nlp(text), Paper("t", "", text))
    return {(m.text, m.type, m.component) for m in x.mentions}


def test_statistical_spans_fill_gaps_rules_win_overlaps(nlp_with_ner):
    found = mentions(nlp_with_ner, "We apply the DPO objective to the lattice rescoring of the model outputs.")
    assert ("lattice rescoring", "Task", "ner") in found  # leading determiner trimmed
    assert ("DPO", "Method", "lexicon") in found  # the rule's shorter name wins the overlap
    assert not any(t in ("DPO objective", "model", "the model") for t, _, _ in found)  # overlap; stop name


def test_unknown_labels_are_ignored(nlp_with_ner):
    assert not any(c == "ner" for *_, c in mentions(nlp_with_ner, "We study quantum basket weaving."))


def test_rule_pipeline_has_no_statistical_mentions(nlp):
    assert "kg_ner" not in nlp.pipe_names


def test_a_mention_carries_its_rules_measured_confidence_even_when_renamed(extract):
    from kg.nlp.rules import load_rules
    rules = load_rules()
    # the title's spelling "Zorb-VLA" is renamed to the abstract's "ZorbVLA" (the paper's usual one)
    x = extract("We propose ZorbVLA, a policy. ZorbVLA builds on Direct Preference Optimization (DPO).",
                title="Zorb-VLA: Robots That Plan")
    assert {m.canonical for m in x.mentions if m.text.startswith("Zorb")} == {"ZorbVLA"}
    for m in x.mentions:
        assert m.confidence == round(rules[m.component].confidence, 3), (m.text, m.component, m.confidence)


def test_in_accurate_mode_a_mention_carries_the_classifiers_probability_even_when_renamed():
    from kg.nlp.mentions import MENTIONS
    from kg.nlp.pipeline import build_nlp
    from kg.nlp.spans import SCORED
    nlp = build_nlp(mode="accurate")
    doc = nlp("Zorb-VLA: Robots That Plan\n\nWe propose ZorbVLA, a policy. ZorbVLA builds on Direct Preference "
              "Optimization (DPO) for trajectory tracking.")
    scored = doc.spans[SCORED]
    probability = {(s.start, s.end): p for s, p in zip(scored, scored.attrs["scores"])}
    mentions = doc.spans[MENTIONS]
    assert {s.kb_id_ for s in mentions if s.text.startswith("Zorb")} == {"ZorbVLA"}
    for s, confidence in zip(mentions, mentions.attrs["confidence"]):
        assert confidence == round(probability[(s.start, s.end)], 3), (s.text, confidence)


def test_a_short_acronym_only_its_shape_made_a_name_is_dropped(extract):
    x = extract("Analysts in a SOC triage alerts by hand. We propose Frugal Alert Triage (FAT), which ranks alerts. "
                "FAT halves the queue on the QXB benchmark, and SiftNet is its backbone.")
    names = {m.canonical: m.type for m in x.mentions}
    assert "SOC" not in names  # undefined, unknown, untyped by its context: a domain abbreviation
    assert names.get("FAT") == "Method"  # defined in the paper
    assert names.get("QXB") == "Benchmark"  # typed by the words around it
    assert "SiftNet" in names  # not a bare run of capitals
