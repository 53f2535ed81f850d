"""The paper-level features of the proposal and relation models (kg.nlp.relation_model) and the
head the paper's own statements get (kg.nlp.relations.main_head), on a paper written here with
mentions placed by hand."""
from __future__ import annotations

import pytest

from kg.model import PAPER
from kg.nlp.relation_model import EntityMention, PaperView, proposal_features, relation_features
from kg.nlp.relations import main_head

TITLE = "Tarnwick: Frugal Grasp Planning for Cluttered Shelf Picking"
SENTENCES = [
    "We propose Tarnwick, a grasp planner for cluttered shelf picking.",
    "Building on Skerrin, Tarnwick is evaluated on the Quillmaker benchmark.",
    "Unlike Skerrin, Tarnwick needs no depth camera.",
    "Experiments on the Plovetta suite report a 12.5% higher success rate.",
]
TEXT = TITLE + "\n\n" + " ".join(SENTENCES)
OWN = {"Tarnwick"}


def _sentence_spans() -> list[tuple[int, int]]:
    spans = [(0, len(TITLE))]
    for s in SENTENCES:
        a = TEXT.find(s)
        assert a >= 0
        spans.append((a, a + len(s)))
    return spans


def _every(surface: str, type_: str, canonical: str | None = None) -> list[EntityMention]:
    out, i = [], 0
    while (i := TEXT.find(surface, i)) >= 0:
        out.append(EntityMention(i, i + len(surface), canonical or surface, type_))
        i += len(surface)
    assert out, surface
    return out


def make_view() -> PaperView:
    mentions = (_every("Tarnwick", "Method") + _every("Skerrin", "Method") + _every("Quillmaker", "Benchmark")
                + _every("Plovetta", "Benchmark") + _every("cluttered shelf picking", "Task")
                + _every("Cluttered Shelf Picking", "Task", "cluttered shelf picking")
                + _every("success rate", "Metric"))
    return PaperView(TEXT, _sentence_spans(), sorted(mentions, key=lambda m: m.start), len(TITLE) + 2)


@pytest.fixture
def view() -> PaperView:
    return make_view()


def relation(view, tail, head="Tarnwick", own=OWN, rules=frozenset(), proposed=False) -> list[str]:
    return relation_features(view, tail, head, set(own), set(rules), proposed)


def test_the_view_finds_sentences_by_offset(view):
    assert view.sentence_of(TEXT.find("Quillmaker")) == 2
    assert view.sentence_of(0) == 0  # the title
    assert view.words_between(2, *view.sentence(2))[:3] == ["building", "on", "skerrin"]


# --------------------------------------------------------------------------- relation features


def test_the_trigger_stem_of_the_words_leading_to_the_tail(view):
    f = relation(view, "Quillmaker")
    assert "trig=evaluat" in f  # "Tarnwick is evaluated on the Quillmaker benchmark"
    assert "Benchmark|trig=evaluat" in f  # and crossed with the tail's type
    # the clause leading to the tail starts after the paper's own name: "Building on" leads to Skerrin
    assert "trig=build" not in f


def test_without_the_own_name_the_clause_runs_from_the_sentence_start(view):
    # proposing nothing, "Building on Skerrin, Tarnwick is evaluated on" all leads to Quillmaker
    f = relation(view, "Quillmaker", head=PAPER, own=set())
    assert {"trig=build", "trig=evaluat", "hk=paper"} <= set(f)
    assert "own_before" not in f


def test_own_before_when_the_proposed_name_precedes_the_tail_in_its_sentence(view):
    assert "own_before" in relation(view, "Quillmaker")
    # Skerrin comes before Tarnwick in both of its sentences
    skerrin = relation(view, "Skerrin")
    assert "own_before" not in skerrin and "own_after" in skerrin
    # Plovetta's sentence does not name Tarnwick: neither
    plovetta = relation(view, "Plovetta")
    assert "own_before" not in plovetta and "own_after" not in plovetta


def test_contrast_after_unlike(view):
    assert "contrast=unlike" in relation(view, "Skerrin")
    assert not any(x.startswith("contrast=") for x in relation(view, "Quillmaker"))


def test_the_tail_type_head_kind_and_proposal_are_features(view):
    f = relation(view, "Quillmaker", rules={"evaluatedOn"}, proposed=True)
    assert {"tt=Benchmark", "hk=own", "tt_hk=Benchmark|own", "n=1", "rule=evaluatedOn",
            "rule=evaluatedOn|Benchmark", "t_proposed"} <= set(f)
    assert "t_proposed" not in relation(view, "Quillmaker")
    assert "n=2" in relation(view, "Skerrin")
    assert f == sorted(set(f))  # a sorted set: the same paper gives the same features


def test_a_tail_named_in_the_title_and_abstract(view):
    f = relation(view, "cluttered shelf picking")
    assert {"pos=title", "pos=first", "tt=Task"} <= set(f)
    assert "title_only" not in f
    assert "we_sentence" in f  # "We propose Tarnwick, ... for cluttered shelf picking."


def test_a_number_in_the_sentence(view):
    assert "number_sentence" in relation(view, "Plovetta")
    assert "number_sentence" not in relation(view, "Quillmaker")


# --------------------------------------------------------------------------- proposal features


def test_title_lead_for_the_name_that_opens_the_title(view):
    f = proposal_features(view, "Tarnwick", rule_proposed=True, in_lexicon=False)
    assert {"title_start", "title_lead", "rule", "rule|Method"} <= set(f)
    assert "known" not in f
    assert "Method|b1=propose" in f  # "We propose Tarnwick"
    assert "appositive" in f  # "Tarnwick, a grasp planner"
    # the proposal model asks what the paper proposes before it is known: nothing of "own" leaks in
    assert not any(x.startswith(("own_", "other_before")) for x in f)


def test_no_title_lead_for_other_names(view):
    for name in ("Skerrin", "Quillmaker", "cluttered shelf picking"):
        f = proposal_features(view, name, rule_proposed=False, in_lexicon=True)
        assert "title_lead" not in f and "title_start" not in f
        assert "known" in f and "rule" not in f


def test_no_title_lead_without_a_colon_or_without_a_title():
    title = "Tarnwick Plans Frugal Grasps"
    text = title + "\n\nWe propose Tarnwick."
    view = PaperView(text, [(0, len(title)), (len(title) + 2, len(text))],
                     [EntityMention(0, 8, "Tarnwick", "Method"), EntityMention(text.rfind("Tarnwick"),
                                                                               text.rfind("Tarnwick") + 8,
                                                                               "Tarnwick", "Method")],
                     len(title) + 2)
    f = proposal_features(view, "Tarnwick", False, False)
    assert "title_start" in f and "title_lead" not in f
    abstract_only = "Tarnwick: we propose it."
    view = PaperView(abstract_only, [(0, len(abstract_only))], [EntityMention(0, 8, "Tarnwick", "Method")], 0)
    f = proposal_features(view, "Tarnwick", False, False)
    assert "title_start" not in f and "title_lead" not in f


# --------------------------------------------------------------------------- the head


def test_main_head_is_the_first_proposed_method_or_model():
    types = {"QuillBench": "Benchmark", "Tarnwick": "Method", "Skerrin-7B": "Model", "Plovetta": "Dataset"}
    assert main_head(["QuillBench", "Tarnwick", "Skerrin-7B"], types) == "Tarnwick"
    assert main_head(["Plovetta", "Skerrin-7B", "Tarnwick"], types) == "Skerrin-7B"


def test_main_head_is_the_paper_when_it_proposes_no_method_or_model():
    types = {"QuillBench": "Benchmark", "Plovetta": "Dataset", "shelf picking": "Task"}
    assert main_head(["QuillBench", "Plovetta"], types) == PAPER
    assert main_head([], types) == PAPER
    assert main_head(["shelf picking"], types) == PAPER
    assert main_head(["Unmentioned"], types) == PAPER  # a proposal without a typed mention


def test_sentences_before_the_authors_speak_set_the_scene():
    title = "Brannock: Steady Gait Transfer"
    sentences = ["Legged robots usually learn gaits with PPO in simulation.",
                 "Such gaits transfer poorly to hardware.",
                 "We propose Brannock, which fine-tunes gaits with SAC on the robot.",
                 "Brannock halves falls."]
    text = title + "\n\n" + " ".join(sentences)
    spans = [(0, len(title))] + [(text.find(s), text.find(s) + len(s)) for s in sentences]
    mentions = [EntityMention(text.find(n, len(title)), text.find(n, len(title)) + len(n), n, "Method")
                for n in ("PPO", "Brannock", "SAC")]
    view = PaperView(text, spans, sorted(mentions, key=lambda m: m.start), len(title) + 2)
    assert [view.background(i) for i in range(len(spans))] == [False, True, True, False, False]
    assert "background_only" in relation_features(view, "PPO", "Brannock", {"Brannock"}, set(), False)
    assert "background_only" not in relation_features(view, "SAC", "Brannock", {"Brannock"}, set(), False)
