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


def _scored_doc(text: str, scored: list[tuple[str, str, float]]):
    """A Doc through the rule stages, with ``scored`` (surface, type, probability) set as what the
    classifier accepted: the resolver's input in accurate mode, independent of the shipped model."""
    from spacy.tokens import Span
    from kg.nlp.spans import SCORED
    nlp = build_nlp(mode="rules", relations=False, exclude=("kg_mentions",))
    doc = nlp(text)
    spans = []
    for surface, label, _p in scored:
        start = text.index(surface)
        c = doc.char_span(start, start + len(surface))
        spans.append(Span(doc, c.start, c.end, label=label, kb_id=surface, span_id="model"))
    doc.spans[SCORED] = spans
    doc.spans[SCORED].attrs["scores"] = [p for _s, _l, p in scored]
    return doc


def test_in_accurate_mode_the_classifier_adds_what_no_rule_found_and_never_overrides_a_rule():
    from kg.nlp.lexicon import load_lexicon
    from kg.nlp.mentions import MENTIONS, MentionResolver
    from kg.nlp.rules import load_rules
    rules = load_rules()
    text = ("Zorb-VLA: Robots That Plan\n\nWe propose ZorbVLA, a policy. ZorbVLA builds on Direct Preference "
            "Optimization (DPO) for shelf restocking and wrist tracking.")
    doc = _scored_doc(text, [("shelf restocking", "Task", 0.8), ("wrist tracking", "Task", 0.6),
                             ("restocking and wrist", "Method", 0.9),  # overlaps two better-placed spans
                             ("ZorbVLA, a policy", "Model", 0.99)])  # overlaps a rule's mention
    MentionResolver(load_lexicon())(doc)
    mentions = doc.spans[MENTIONS]
    found = {s.text: (s.label_, s.id_, c) for s, c in zip(mentions, mentions.attrs["confidence"])}
    # the most probable of overlapping classifier spans wins, then what overlaps it is dropped
    assert found["restocking and wrist"] == ("Method", "model", 0.9)
    assert "shelf restocking" not in found and "wrist tracking" not in found
    # a rule's mention stays as the rule made it, with the rule's measured confidence, renamed or not
    assert "ZorbVLA, a policy" not in found
    assert {s.kb_id_ for s in mentions if s.text.startswith("Zorb")} == {"ZorbVLA"}
    for s, c in zip(mentions, mentions.attrs["confidence"]):
        if s.id_ != "model":
            assert c == round(rules[s.id_].confidence, 3), (s.text, s.id_, c)


def test_in_accurate_mode_a_classifier_span_keeps_its_probability_as_confidence():
    from kg.nlp.lexicon import load_lexicon
    from kg.nlp.mentions import MENTIONS, MentionResolver
    doc = _scored_doc("We propose ZorbVLA for shelf restocking and wrist tracking.",
                      [("shelf restocking", "Task", 0.8123), ("wrist tracking", "Task", 0.6)])
    MentionResolver(load_lexicon())(doc)
    mentions = doc.spans[MENTIONS]
    found = {s.text: (s.label_, c) for s, c in zip(mentions, mentions.attrs["confidence"])}
    assert found["shelf restocking"] == ("Task", 0.812)
    assert found["wrist tracking"] == ("Task", 0.6)


def test_a_short_acronym_only_its_shape_made_a_name_is_dropped(extract):
    x = extract("Analysts in a SOC triage alerts by hand. We propose Frugal Alert Triage (FAT), which ranks alerts. "
                "FAT halves the queue on the QXB benchmark, and SiftNet is its backbone.")
    names = {m.canonical: m.type for m in x.mentions}
    assert "SOC" not in names  # undefined, unknown, untyped by its context: a domain abbreviation
    assert names.get("FAT") == "Method"  # defined in the paper
    assert names.get("QXB") == "Benchmark"  # typed by the words around it
    assert "SiftNet" in names  # not a bare run of capitals


def test_in_accurate_mode_a_classifier_compound_replaces_a_lower_case_lexicon_term_inside_it():
    from kg.nlp.lexicon import load_lexicon
    from kg.nlp.mentions import MENTIONS, MentionResolver
    text = "We apply stitch pruning and DPO tuning to video captioning models."
    doc = _scored_doc(text, [("stitch pruning", "Method", 0.6), ("DPO tuning", "Method", 0.9),
                             ("captioning models", "Method", 0.9)])
    rules_alone = build_nlp(mode="rules", relations=False)(text)
    assert {"pruning", "DPO", "video captioning"} <= {s.text for s in rules_alone.spans[MENTIONS]}
    MentionResolver(load_lexicon())(doc)
    found = {s.text: s.id_ for s in doc.spans[MENTIONS]}
    # the compound is the name that stands alone; the lexicon's lower-case term inside it gives way
    assert found.get("stitch pruning") == "model" and "pruning" not in found
    # a name written as a name stays: "DPO" is not widened to "DPO tuning"
    assert found.get("DPO") == "lexicon" and "DPO tuning" not in found
    # nor is a lexicon term the classifier's span only overlaps
    assert found.get("video captioning") == "lexicon" and "captioning models" not in found


def test_a_name_inside_a_web_address_is_no_mention(extract):
    x = extract("We propose ZorbVLA, a policy. Code is at \\url{https://github.com/lab/ZorbVLA} and "
                "github.com/lab/QuillNet-7B, and the data at https://zorb.github.io/ZRK-Bench/.")
    text = x.paper.text
    addresses = [(text.index(u), text.index(u) + len(u)) for u in
                 ("https://github.com/lab/ZorbVLA", "github.com/lab/QuillNet-7B", "https://zorb.github.io/ZRK-Bench/")]
    assert not [m.text for m in x.mentions if any(a < m.end and m.start < b for a, b in addresses)]
    assert [m.text for m in x.mentions if m.text == "ZorbVLA"] == ["ZorbVLA"]  # the one outside the addresses


def _typed(x):
    return {m.text: m.type for m in x.mentions}


def test_a_release_or_size_written_after_a_name_is_part_of_the_name(extract):
    x = extract("We initialise the encoder from KestrelNet v2 and compare it with QuillLM 8B and Llama 2 13B "
                "on the HalBench v1.2 benchmark of planning problems.")
    found = _typed(x)
    assert found.get("QuillLM 8B") == "Model" and found.get("Llama 2 13B") == "Model"
    assert "KestrelNet v2" in found and found.get("HalBench v1.2") == "Benchmark"
    assert not {"KestrelNet", "QuillLM", "HalBench"} & set(found)


def test_a_count_of_billions_after_a_name_is_not_its_size(extract):
    found = _typed(extract("QuillLM is pretrained on 2T tokens, and Llama 2 on 8B tokens of code."))
    assert "Llama 2" in found and not any(t.endswith("8B") for t in found)


def test_a_name_written_with_latex_has_a_plain_canonical_name(extract):
    # typology: canonical names carry no LaTeX markup; mentions keep the text as written
    x = extract("We propose QuilR$^3$, a memory agent. QuilR$^3$ beats ZorbNet on shelves.",
                title="QuilR$^3$: Quilted Retrieval")
    assert {(m.text, m.canonical) for m in x.mentions if "QuilR" in m.text} == {("QuilR$^3$", "QuilR3")}
    assert x.proposes == ["QuilR3"]
    assert ("QuilR3", "outperforms", "ZorbNet") in {(r.head, r.type, r.tail) for r in x.relations}


def test_a_general_language_measure_word_is_a_metric_only_where_measures_are_reported(extract):
    x = extract("Zorbnet achieves competitive geometric precision on DTU. It reaches a precision of 0.76. "
                "We report precision, recall and F1. Even at 8-bit precision it runs.")
    starts = [m.start for m in x.mentions if m.text == "precision"]
    text = x.paper.text
    assert [text[s - 2:s + 12] for s in starts] == ["a precision of", "t precision, r"]
    x = extract("Zorbnet needs tight runtime coupling. It cuts the runtime to 12 ms. A real-time stack "
                "(~0.3 s latency on one GPU) runs it, though links add latency.")
    assert [m.text for m in x.mentions if m.type == "Metric"] == ["runtime", "latency"]
    x = extract("Structured sparsity enhances the throughput per token by $1.36\\times$ on one GPU.")
    assert [m.text for m in x.mentions if m.type == "Metric"] == ["throughput"]


def test_a_name_with_its_release_size_or_tier_is_one_model_mention(extract):
    x = extract("We compare QuillNet 8B, StitchLM v2 and GPT-4 Turbo with Gemini 3 Pro Image on stitching.")
    names = {m.text: m.type for m in x.mentions}
    assert names["QuillNet 8B"] == "Model" and names["GPT-4 Turbo"] == "Model"
    assert names["Gemini 3 Pro Image"] == "Model" and "StitchLM v2" in names
    assert "Gemini 3 Pro" not in names


def test_a_release_number_after_a_name_is_part_of_it_a_score_is_not(extract):
    x = extract("We present QuillTag 2.0, an annotation tool. Unlike QuillTag, "
                "QuillTag 2.0 scores MMLU 71.2 and 80.1 on GSM8K.")
    names = {m.canonical for m in x.mentions}
    assert {"QuillTag 2.0", "QuillTag", "MMLU", "GSM8K"} <= names
    assert x.proposes == ["QuillTag 2.0"]
    assert not any("71.2" in n for n in names)
