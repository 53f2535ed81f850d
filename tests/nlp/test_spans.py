"""The mention classifier (kg_spans): word shapes, term candidates, how the rules and the
classifier decide together, and the component on a real Doc with a hand-made model."""
from __future__ import annotations

import numpy as np
import pytest
import spacy

from kg.nlp.lexicon import load_lexicon
from kg.nlp.linear import LinearModel
from kg.nlp.pipeline import build_nlp
from kg.nlp.rules import ACCEPT, TYPE_FLOOR, Rule
from kg.nlp.spans import LABELS, MAX_WORDS, SCORED, SpanClassifier, decide, doc_view, head_form, term_candidates, \
    word_shape

# --------------------------------------------------------------------------- word shape, head form


@pytest.mark.parametrize("word, shape", [
    ("BERT", "X"), ("tracking", "x"), ("ResNet50", "XxXxd"), ("GPT-4o", "X-dx"), ("3D", "dX"),
    ("Brindlecorn-7B", "Xx-dX"), ("x", "x"),
    ("aB1cD2eF3gH4", "xXdxXdxX"),  # at most 8 characters
])
def test_word_shape(word, shape):
    assert word_shape(word) == shape


@pytest.mark.parametrize("word, form", [
    ("Policies", "policy"), ("rates", "rate"), ("Tracking", "tracking"), ("loss", "loss"), ("analysis", "analysis"),
    ("corpus", "corpus"), ("ties", "tie"), ("estimations", "estimation"), ("RATE", "rate"),
])
def test_head_form(word, form):
    assert head_form(word) == form


# --------------------------------------------------------------------------- term candidates

SENTENCE = "We improve gripper pose estimation for the robot arm and fine-tune Brindlecorn-7B on it."


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def texts(doc, spans) -> set[str]:
    return {doc[a:b].text for a, b in spans}


def test_a_lower_case_term_ending_on_a_known_head_is_a_candidate(blank):
    doc = blank(SENTENCE)
    found = texts(doc, term_candidates(doc_view(doc), frozenset({"estimation"})))
    assert {"gripper pose estimation", "pose estimation"} <= found
    # chunks stop at function words and punctuation: no candidate runs over "for the"
    assert not any("for" in t.split() or "the" in t.split() for t in found)
    # no head, no capital, no name shape: "robot arm" is no term
    assert "robot arm" not in found
    # the same words are candidates only when their last word is a head
    assert not texts(doc, term_candidates(doc_view(doc), frozenset({"planning"}))) & {"gripper pose estimation",
                                                                                     "pose estimation"}


def test_heads_are_matched_in_their_singular_form(blank):
    doc = blank("We compare sparse reward rates across shelves.")
    found = texts(doc, term_candidates(doc_view(doc), frozenset({"rate"})))
    assert "sparse reward rates" in found


def test_a_single_ordinary_word_is_a_candidate_only_where_single_says_so(blank):
    doc = blank(SENTENCE)
    view = doc_view(doc)
    heads = frozenset({"estimation", "arm"})
    asked = []

    def nowhere(a, b):
        asked.append(doc[a:b].text)
        return False

    found = texts(doc, term_candidates(view, heads, nowhere))
    assert "estimation" not in found and "arm" not in found
    assert {"estimation", "arm"} <= set(asked)  # single() is asked with the word's token span
    assert "pose estimation" in found  # longer terms need no permission
    # a name-shaped word needs none either
    assert "Brindlecorn-7B" in found
    # only the word single() accepts
    only_arm = texts(doc, term_candidates(view, heads, lambda a, b: doc[a:b].text == "arm"))
    assert "arm" in only_arm and "estimation" not in only_arm
    # without single(), every single word ending on a head is a candidate
    assert {"estimation", "arm"} <= texts(doc, term_candidates(view, heads))


def test_capitalised_words_are_candidates_without_a_head(blank):
    doc = blank("Results on the Quillmaker Shelf Suite improve over Skerrin and VexNet-3.")
    view = doc_view(doc)
    found = texts(doc, term_candidates(view, frozenset(), lambda a, b: False))
    assert {"Quillmaker Shelf Suite", "Shelf Suite", "VexNet-3"} <= found
    # one capitalised word alone waits for single(): a sentence's first word is no name
    assert not found & {"Results", "Skerrin", "Quillmaker"}
    assert {"Results", "Skerrin"} <= texts(doc, term_candidates(view, frozenset()))
    # lower-case words without a head are nothing
    assert not any(t.islower() for t in found)


def test_a_term_has_at_most_max_words_words(blank):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "tracking"]
    doc = blank("We study " + " ".join(words) + ".")
    found = texts(doc, term_candidates(doc_view(doc), frozenset({"tracking"})))
    assert max(len(t.split()) for t in found) == MAX_WORDS
    assert " ".join(words[-MAX_WORDS:]) in found
    assert " ".join(words[-MAX_WORDS - 1:]) not in found


# --------------------------------------------------------------------------- decide

TYPES = ("O", "Method", "Model", "Task")


def rule(rid: str, confidence: float, span_confidence: float) -> Rule:
    return Rule(rid, "kg_names", "test", 0.5, confidence, span_confidence)


def test_a_rule_that_reaches_accept_makes_a_mention_the_classifier_rejects():
    sure = {"names.sure": rule("names.sure", 0.95, ACCEPT)}  # exactly ACCEPT is enough
    got = decide(TYPES, [0.95, 0.03, 0.01, 0.01], [("names.sure", "Model")], sure, 0.5)
    assert got is not None
    label, score = got
    assert label == "Model"  # and, more confident than the classifier, it types the span
    assert score == pytest.approx(ACCEPT)  # the confidence is the rule's, not the classifier's 0.05


def test_a_rule_below_accept_does_not_overrule_a_rejection():
    almost = {"names.almost": rule("names.almost", 0.95, ACCEPT - 0.01)}
    assert decide(TYPES, [0.95, 0.03, 0.01, 0.01], [("names.almost", "Model")], almost, 0.5) is None


def test_below_threshold_and_no_confident_rule_is_no_mention():
    assert decide(TYPES, [0.6, 0.3, 0.05, 0.05], [], {}, 0.5) is None
    # a rule the table does not know counts for nothing
    assert decide(TYPES, [0.6, 0.3, 0.05, 0.05], [("names.unknown", "Model")], {}, 0.5) is None
    # and the threshold is the caller's: the same probabilities pass a lower one
    assert decide(TYPES, [0.6, 0.3, 0.05, 0.05], [], {}, 0.4) == ("Method", 0.4)


def test_a_more_confident_rule_types_the_span():
    # the classifier: a mention (0.8), Method given a mention 0.5/0.8 = 0.625; the rule says Model at 0.8
    rules = {"names.size": rule("names.size", 0.8, 0.7)}
    assert decide(TYPES, [0.2, 0.5, 0.3, 0.0], [("names.size", "Model")], rules, 0.5) == ("Model", 0.8)


def test_the_classifier_type_wins_when_it_is_surer_than_the_rule():
    # Method given a mention: 0.85/0.9 = 0.94 > the rule's 0.8
    rules = {"names.size": rule("names.size", 0.8, 0.7)}
    assert decide(TYPES, [0.1, 0.85, 0.05, 0.0], [("names.size", "Model")], rules, 0.5) == ("Method", 0.9)


def test_a_rule_below_the_type_floor_never_types():
    # the classifier is unsure of the type (Method 0.4/0.9 = 0.44), the rule more sure but below the floor
    weak = TYPE_FLOOR - 0.05
    rules = {"names.weak": rule("names.weak", weak, 0.7)}
    assert 0.4 / 0.9 < weak
    assert decide(TYPES, [0.1, 0.4, 0.3, 0.2], [("names.weak", "Task")], rules, 0.5)[0] == "Method"


def test_the_most_confident_of_several_rules_types_the_span():
    rules = {"a": rule("a", 0.7, 0.7), "b": rule("b", 0.9, 0.7)}
    assert decide(TYPES, [0.2, 0.4, 0.2, 0.2], [("a", "Task"), ("b", "Model")], rules, 0.5)[0] == "Model"


# --------------------------------------------------------------------------- the component on a real Doc

TEXT = ("We study gripper pose estimation and wrist tracking on cluttered shelves, "
        "and fine-tune Brindlecorn-7B as the planner.")


def row(**weights: float) -> list[float]:
    r = [0.0] * len(LABELS)
    for label, w in weights.items():
        r[LABELS.index(label)] = w
    return r


@pytest.fixture(scope="module")
def candidates_nlp():
    """The rule components only: what kg_spans reads (its candidates), nothing that chooses."""
    return build_nlp(mode="rules", relations=False, exclude=("kg_mentions",))


@pytest.fixture(scope="module")
def tiny_model() -> LinearModel:
    """"O" unless a span starts on "gripper" and ends on "estimation" (Task), or is Brindlecorn-7B
    alone (Model): one of the two features is not enough against the bias."""
    return LinearModel(LABELS, {
        "first=gripper": row(Task=3.0), "last=estimation": row(Task=3.0),
        "first=brindlecorn-7b": row(Model=4.0), "last=brindlecorn-7b": row(Model=4.0),
    }, row(O=5.0), {"heads": ["estimation", "tracking"], "threshold": 0.5})


@pytest.fixture
def classifier(tiny_model):
    return SpanClassifier(load_lexicon(), tiny_model, terms={}, rules={})


def scored(doc):
    group = doc.spans[SCORED]
    return [(s.text, s.label_) for s in group], list(group.attrs["scores"])


def test_the_classifier_marks_the_spans_it_was_weighted_for_and_only_them(candidates_nlp, classifier):
    assert "kg_spans" not in candidates_nlp.pipe_names and "kg_mentions" not in candidates_nlp.pipe_names
    doc = candidates_nlp(TEXT)
    view, cands, feats = classifier.candidates(doc)
    seen = {doc[c.start:c.end].text for c in cands}
    # the model was offered more than it takes: other term candidates and the rules' candidates
    assert {"gripper pose estimation", "pose estimation", "wrist tracking", "Brindlecorn-7B"} <= seen
    classifier(doc)
    spans, scores = scored(doc)
    assert spans == [("gripper pose estimation", "Task"), ("Brindlecorn-7B", "Model")]
    assert len(scores) == len(spans)
    # each score is the model's probability of a mention for that span
    probs = {doc[c.start:c.end].text: 1.0 - p[0] for c, p in zip(cands, classifier.model.probabilities(feats))}
    assert scores == [pytest.approx(probs["gripper pose estimation"], abs=1e-4),
                      pytest.approx(probs["Brindlecorn-7B"], abs=1e-4)]
    assert all(s >= 0.5 for s in scores)


def test_scored_spans_keep_the_name_a_rule_gave_or_their_surface(candidates_nlp, classifier):
    doc = classifier(candidates_nlp(TEXT))
    by_text = {s.text: s for s in doc.spans[SCORED]}
    assert by_text["gripper pose estimation"].id_ == "model"  # no rule proposed it
    assert by_text["gripper pose estimation"].kb_id_ == "gripper pose estimation"
    assert by_text["Brindlecorn-7B"].id_ == "names.size"  # the size rule proposed it too
    assert by_text["Brindlecorn-7B"].kb_id_ == "Brindlecorn-7B"


def test_a_threshold_given_overrides_the_model_meta(candidates_nlp, tiny_model):
    # "gripper pose estimation" scores about 0.73, Brindlecorn-7B about 0.95
    strict = SpanClassifier(load_lexicon(), tiny_model, threshold=0.9, terms={}, rules={})
    spans, _ = scored(strict(candidates_nlp(TEXT)))
    assert spans == [("Brindlecorn-7B", "Model")]


def test_a_sure_rule_makes_a_mention_the_model_does_not_want(candidates_nlp):
    """In the component too: the size rule, made sure here, keeps a span the model has no weight for."""
    blind = LinearModel(LABELS, {}, row(O=5.0), {"heads": ["estimation"], "threshold": 0.5})
    sure = {"names.size": Rule("names.size", "kg_names", "test", 0.9, 0.95, 0.95)}
    doc = SpanClassifier(load_lexicon(), blind, terms={}, rules=sure)(candidates_nlp(TEXT))
    spans, scores = scored(doc)
    assert spans == [("Brindlecorn-7B", "Model")]
    assert scores == [0.95]
    # the same model with no rule table marks nothing
    doc = SpanClassifier(load_lexicon(), blind, terms={}, rules={})(candidates_nlp(TEXT))
    assert scored(doc) == ([], [])


def test_a_known_public_term_is_offered_as_a_single_word(candidates_nlp, tiny_model):
    """A single ordinary word is a candidate where the public term list names it."""
    doc = candidates_nlp("The planner handles tracking well.")
    plain = SpanClassifier(load_lexicon(), tiny_model, terms={}, rules={})
    listed = SpanClassifier(load_lexicon(), tiny_model, terms={"tracking": ("pwc:Task",)}, rules={})
    assert "tracking" not in {doc[c.start:c.end].text for c in plain.candidates(doc)[1]}
    _view, cands, feats = listed.candidates(doc)
    by_text = {doc[c.start:c.end].text: f for c, f in zip(cands, feats)}
    assert "tracking" in by_text
    assert "term=pwc:Task" in by_text["tracking"]
    assert np.isfinite(listed.model.probabilities([by_text["tracking"]])).all()
