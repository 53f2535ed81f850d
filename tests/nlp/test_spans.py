"""The mention classifier (kg_spans): word shapes, term candidates, how the rules and the
classifier decide together, and the component on a real Doc with a hand-made model."""
from __future__ import annotations

import numpy as np
import pytest
import spacy

from kg.nlp.lexicon import load_lexicon
from kg.nlp.linear import LinearModel
from kg.nlp.pipeline import build_nlp
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


def test_below_threshold_is_no_mention_and_the_threshold_is_the_callers():
    assert decide(TYPES, [0.6, 0.3, 0.05, 0.05], 0.5) is None
    assert decide(TYPES, [0.6, 0.3, 0.05, 0.05], 0.4) == ("Method", 0.4)
    assert decide(TYPES, [0.5, 0.1, 0.1, 0.3], 0.5) == ("Task", 0.5)  # exactly the threshold is enough


def test_the_most_probable_type_wins_and_the_score_is_the_probability_of_a_mention():
    # a mention with 0.9; Model 0.5 is the likeliest type, though not more likely than all others together
    assert decide(TYPES, [0.1, 0.25, 0.5, 0.15], 0.5) == ("Model", 0.9)


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
    return SpanClassifier(load_lexicon(), tiny_model, terms={})


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
    # Brindlecorn-7B is weighted too, but the size rule proposed it: the rules decide on their own spans
    assert spans == [("gripper pose estimation", "Task")]
    # each score is the model's probability of a mention for that span
    probs = {doc[c.start:c.end].text: 1.0 - p[0] for c, p in zip(cands, classifier.model.probabilities(feats))}
    assert scores == [pytest.approx(probs["gripper pose estimation"], abs=1e-4)]
    assert scores[0] >= 0.5


def test_scored_spans_are_named_by_their_surface_and_the_model(candidates_nlp, classifier):
    doc = classifier(candidates_nlp("We study gripper pose estimation here."))
    (span,) = doc.spans[SCORED]
    assert span.id_ == "model"
    assert span.kb_id_ == "gripper pose estimation"


def test_a_threshold_given_overrides_the_model_meta(candidates_nlp, tiny_model):
    # "gripper pose estimation" scores about 0.73
    strict = SpanClassifier(load_lexicon(), tiny_model, threshold=0.9, terms={})
    assert scored(strict(candidates_nlp(TEXT))) == ([], [])
    loose = SpanClassifier(load_lexicon(), tiny_model, threshold=0.7, terms={})
    assert scored(loose(candidates_nlp(TEXT)))[0] == [("gripper pose estimation", "Task")]


def test_a_known_public_term_is_offered_as_a_single_word(candidates_nlp, tiny_model):
    """A single ordinary word is a candidate where the public term list names it."""
    doc = candidates_nlp("The planner handles tracking well.")
    plain = SpanClassifier(load_lexicon(), tiny_model, terms={})
    listed = SpanClassifier(load_lexicon(), tiny_model, terms={"tracking": ("pwc:Task",)})
    assert "tracking" not in {doc[c.start:c.end].text for c in plain.candidates(doc)[1]}
    _view, cands, feats = listed.candidates(doc)
    by_text = {doc[c.start:c.end].text: f for c, f in zip(cands, feats)}
    assert "tracking" in by_text
    assert "term=pwc:Task" in by_text["tracking"]
    assert np.isfinite(listed.model.probabilities([by_text["tracking"]])).all()


def test_scoring_builds_full_features_only_for_what_it_scores(candidates_nlp, classifier):
    """The component computes the features of the candidates no rule proposed (what it scores)
    exactly as training does, and of the rules' only the neighbours the paper context pools."""
    doc = candidates_nlp(TEXT + " Brindlecorn-7B tracks grippers, and gripper pose estimation helps.")
    _view, cands, full = classifier.candidates(doc)
    _view, same, light = classifier.candidates(doc, only_open=True)
    assert [(c.start, c.end) for c in cands] == [(c.start, c.end) for c in same]
    assert any(c.sources for c in cands) and any(not c.sources for c in cands)
    for c, f_full, f_light in zip(cands, full, light):
        if c.sources:
            assert f_light[:2] == f_full[:2] and len(f_light) < len(f_full)
        else:
            assert f_light == f_full
