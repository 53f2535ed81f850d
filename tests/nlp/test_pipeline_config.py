"""kg's pipeline rebuilds from its own spaCy config: tokenizer, components and their settings."""
import pytest
import spacy
from spacy.lang.en import English
from thinc.api import Config

from kg.nlp.pipeline import customise_tokenizer

TITLE = "Zorbl: Sparse Reward Shaping for Long-Horizon Robot Manipulation"
ABSTRACT = (
    "We propose Zorbl, a framework that shapes sparse rewards for long-horizon manipulation. "
    "Zorbl fine-tunes Llama2-7B as a planner with On-Policy Alignment (OPA)-DPO and uses "
    "Direct Preference Optimization (DPO) to rank subgoals. On the CALVIN benchmark and the "
    "Kestrel-Nav dataset, Zorbl improves the success rate of OpenVLA by 12.4 points; its "
    "state abstraction ABC→D is learned end to end.")
TEXT = TITLE + "\n\n" + ABSTRACT


def spans(nlp, key):
    doc = nlp(TEXT)
    return [(s.start_char, s.end_char, s.label_, s.kb_id_, s.id_) for s in doc.spans[key]]


def annotations(nlp):
    """What kg's components leave on the Doc besides spans: abbreviations, relations, ..."""
    doc = nlp(TEXT)
    return {k: repr(getattr(doc._, k)) for k in dir(doc._) if k.startswith("kg_")}


def tokens(nlp, text):
    return [t.text for t in nlp.tokenizer(text)]


def from_config(config):
    """The pipeline a config describes, after a trip through its text (as ``nlp.to_disk`` writes it)."""
    return spacy.util.load_model_from_config(Config().from_str(config.to_str()))


@pytest.fixture(scope="module")
def rebuilt(nlp):
    return from_config(nlp.config)


def test_the_config_names_kg_tokenizer(nlp):
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": "kg.Tokenizer.v1"}
    assert nlp.config["components"]["kg_names"]["rules_dir"] is None


def assert_same_pipeline(built, rebuilt):
    assert rebuilt.pipe_names == built.pipe_names
    mentions = spans(built, "kg_mentions")
    assert len(mentions) >= 5  # the abstract has names for every rule to find
    assert spans(rebuilt, "kg_mentions") == mentions
    assert spans(rebuilt, "kg_candidates") == spans(built, "kg_candidates")
    assert annotations(rebuilt) == annotations(built)


def test_config_round_trip_gives_the_same_pipeline(nlp, rebuilt):
    assert_same_pipeline(nlp, rebuilt)


def test_config_round_trip_without_the_classifier(rules_nlp):
    assert "kg_spans" not in rules_nlp.pipe_names
    assert_same_pipeline(rules_nlp, from_config(rules_nlp.config))


def test_english_from_config_gives_the_same_pipeline(nlp):
    assert_same_pipeline(nlp, English.from_config(nlp.config))


@pytest.mark.parametrize("text, expected", [
    ("(OPA)-DPO", ["(", "OPA", ")", "-DPO"]),
    ("ABC→D", ["ABC", "→", "D"]),
    ("We fine-tune Mistral-7B.", ["We", "fine", "-", "tune", "Mistral-7B", "."]),
    ("PHUMA beats Humanoid-X.", ["PHUMA", "beats", "Humanoid", "-", "X", "."]),
    ("(F0.5=65.0)", ["(", "F0.5", "=", "65.0", ")"]),
])
def test_the_rebuilt_tokenizer_splits_as_kg_does(nlp, rebuilt, text, expected):
    assert tokens(nlp, text) == expected
    assert tokens(rebuilt, text) == expected
    assert tokens(spacy.blank("en"), text) != expected  # what kg's tokenizer changes


def test_customise_tokenizer_still_customises_a_blank_pipeline(nlp):
    blank = spacy.blank("en")
    customise_tokenizer(blank)
    assert tokens(blank, "(OPA)-DPO and ABC→D") == tokens(nlp, "(OPA)-DPO and ABC→D")


def test_a_full_stop_without_a_space_after_it_ends_a_sentence(nlp):
    doc = nlp("We compare with strong baselines.This shows that e.g.The ZRK-7B.Beta model and v1.Beta hold.")
    assert [s.text for s in doc.sents] == ["We compare with strong baselines.",
                                           "This shows that e.g.The ZRK-7B.Beta model and v1.Beta hold."]
    # after a number too: the number is no part of a name "University-1652.Our"
    doc = nlp("We train on Zorb-1652.Our data come from drones.")
    assert [s.text for s in doc.sents] == ["We train on Zorb-1652.", "Our data come from drones."]
    assert "Zorb-1652" in [t.text for t in doc]
