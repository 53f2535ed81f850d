"""The lexicon files, their loader and the matcher's rules."""
import json

import pytest

from kg.model import ENTITY_TYPES
from kg.nlp.lexicon import Lexicon, LexiconEntry, lexicon_files, load_lexicon, read_entries
from kg.resources import ontology_path


def test_shipped_files_load_and_are_typed():
    lex = load_lexicon()
    assert len(lex.unique_entries()) > 5000
    assert {e.type for e in lex.unique_entries()} == set(ENTITY_TYPES)
    assert lexicon_files()[0].name == "core.jsonl"  # the project's own list wins


@pytest.mark.parametrize("name,etype", [
    ("DPO", "Method"), ("Llama 2", "Model"), ("nuScenes", "Dataset"), ("CALVIN", "Benchmark"),
    ("reinforcement learning", "Task"), ("success rate", "Metric"), ("LLaMA-2", "Model"),
    ("direct preference optimization", "Method"),
])
def test_well_known_entities(name, etype):
    entry = load_lexicon().lookup(name)
    assert entry is not None and entry.type == etype


def test_generic_names_are_stop_names():
    lex = load_lexicon()
    for generic in ("large language models", "framework", "policy", "foundation models"):
        assert lex.is_stopname(generic) or lex.lookup(generic) is None


def test_a_research_area_is_a_task_a_paradigm_word_is_not(extract):
    # typology: a Task is a named problem or research area (NLP as computer vision is); the bare
    # paradigms "machine learning" and "deep learning" stay stop names
    x = extract("While NLP has broadened to multimodal models, machine learning and deep learning pipelines remain.")
    assert {(m.text, m.canonical, m.type) for m in x.mentions} == {("NLP", "natural language processing", "Task")}


def test_the_satellite_system_is_no_method(extract):
    # "GPS" was an alias of guided policy search; in robotics papers it is the positioning system
    x = extract("Indoor localization in GPS-denied environments is hard. We fuse GPS and IMU readings.")
    assert not [m for m in x.mentions if m.text == "GPS"]
    x = extract("We train the policy with guided policy search (GPS). GPS converges fast.")
    assert {m.canonical for m in x.mentions if m.text == "GPS"} == {"guided policy search"}


@pytest.mark.parametrize("short,not_this", [
    ("E2E", "E2E NLG Challenge"),  # end-to-end, in driving and robotics papers
    ("FM", "factorization machine"),  # a foundation model, or flow matching
    ("CUHK", "CUHK03"),  # the university
    ("TAMP", "task planning"),  # task and motion planning, a problem of its own
    ("DMD", "Koopman operator"),  # dynamic mode decomposition
])
def test_ambiguous_short_forms_name_no_unrelated_entry(short, not_this):
    entry = load_lexicon().lookup(short)
    assert entry is None or entry.name != not_this


def test_bad_entry_names_file_and_line(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"name": "A", "type": "Method"}\n{"name": "B", "type": "Gadget"}\n')
    with pytest.raises(ValueError, match=r"x\.jsonl:2: .*Gadget"):
        list(read_entries(f))


def test_earlier_entries_keep_their_names():
    lex = Lexicon.from_entries([LexiconEntry("PAL", "Method", ("Program-aided Language model",)),
                                LexiconEntry("PAL", "Dataset")])
    assert lex.lookup("PAL").type == "Method"


def mentions(extract, text):
    return [(m.text, m.type) for m in extract(text).mentions]


def test_short_forms_match_in_their_own_case_only(extract):
    found = mentions(extract, "We train a SAC agent; the sac of grain is heavy.")
    assert ("SAC", "Method") in found and not [t for t, _ in found if t == "sac"]


def test_part_of_a_hyphenated_name_is_not_a_match(extract):
    found = [t for t, _ in mentions(extract, "We evaluate V-GPS and high-precision insertion.")]
    assert "GPS" not in found and "precision" not in found


def test_modifier_after_a_name_keeps_the_name(extract):
    assert ("Transformer", "Method") in mentions(extract, "We study Transformer-based policies.")


def test_span_is_the_shortest_name(extract):
    found = [t for t, _ in mentions(extract, "We use policy gradient methods on the CALVIN benchmark.")]
    assert "policy gradient" in found and "CALVIN" in found


def test_spelling_variants_match(extract):
    found = {m.canonical for m in extract("We fine-tune LLaMA-2 and Llama2 with diffusion policies.").mentions}
    assert {"Llama 2", "Diffusion Policy"} <= found


def test_a_name_written_with_spaces_and_hyphens_mixed_is_the_whole_name(extract):
    # "13B-Chat" after "Llama 2 ": the dialogue checkpoint, not the family it belongs to
    found = {m.text: m.canonical for m in extract("Mistral 7B-Instruct outperforms Llama 2 13B-Chat.").mentions}
    assert found == {"Mistral 7B-Instruct": "Mistral-7B-Instruct", "Llama 2 13B-Chat": "Llama2-13B-Chat"}


def test_a_venue_name_holds_no_mentions(extract):
    found = {m.canonical for m in extract("Our system took part in the news task of the Fourth Conference on Machine "
                                          "Translation, where it improves machine translation of German news.").mentions}
    assert "machine translation" in found  # the lower-case use is the task; the venue's words are not
    assert [m.text for m in extract("We submitted to the Conference on Machine Translation.").mentions] == []


def test_lexicon_files_are_sorted_jsonl():
    for path in lexicon_files():
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        assert rows, path
        assert all(r["type"] in ENTITY_TYPES for r in rows), path
    assert ontology_path("lexicon", "stopnames.txt").exists()


def test_a_stop_phrase_hides_names_inside_it_but_not_a_name_that_holds_it():
    import spacy

    from kg.nlp.lexicon import LexiconMatcher
    nlp = spacy.blank("en")
    lex = Lexicon.from_entries([LexiconEntry("point cloud completion", "Task"), LexiconEntry("Transformers", "Method"),
                                LexiconEntry("cloud", "Task")], ["point cloud", "Hugging Face Transformers"])
    matcher = LexiconMatcher(nlp, lex, lex.stop_phrases)
    found = [s.text for s in matcher(nlp("Point cloud completion with Hugging Face Transformers on a point cloud."))]
    assert found == ["Point cloud completion"]


def test_typeset_apostrophes_and_campaign_years_find_the_lexicons_names(extract):
    # ACL abstracts write U+2019 for the apostrophe, and campaigns' years three ways
    x = extract("We gain 1.4 BLEU in the WMT\u201914 En-De translation task, with a Cohen\u2019s kappa of 0.8 "
                "between annotators.")
    found = {m.canonical: m.type for m in x.mentions}
    assert found.get("WMT14 English-German") == "Dataset" and found.get("Cohen's kappa") == "Metric"
    x = extract("Results on WMT'14 En-De and WMT14 En-De agree.")
    assert {m.canonical for m in x.mentions if m.text.startswith("WMT")} == {"WMT14 English-German"}


@pytest.mark.parametrize("text", [
    "Controller gains are tuned at runtime and users are unseen at training time.",
    "Weights are stored in FP32 precision and activations in INT8 precision.",
])
def test_a_measure_word_in_another_sense_is_no_metric(extract, text):
    assert not [m for m in extract(text).mentions if m.type == "Metric"]


def test_a_measure_word_reported_is_a_metric(extract):
    x = extract("Our method improves precision by 3 points and halves the runtime.")
    assert {"precision", "runtime"} <= {m.canonical for m in x.mentions if m.type == "Metric"}


def test_a_name_with_a_lower_case_prefix_letter_matches_only_in_its_case(extract):
    x = extract("We build a 3D map of the room and report 3D mAP on nuScenes.")
    assert [m.text for m in x.mentions if m.type == "Metric"] == ["3D mAP"]


def test_a_narrower_or_broader_term_is_not_linked_to_its_neighbour(extract):
    # typology: different scope stays different (the lexicon's scope audit)
    x = extract("We study monocular depth estimation and depth estimation from stereo, and text style transfer "
                "as a form of style transfer.")
    names = {m.canonical for m in x.mentions}
    assert {"monocular depth estimation", "depth estimation", "style transfer"} <= names, names
    assert "neural style transfer" not in names


def test_names_that_differ_only_in_case_are_each_found(extract):
    # the metric FID and Fusion-in-Decoder's FiD share a name key; a size suffix is no plural
    x = extract("Our model reaches an FID of 2.3 and a MOS of 4.1, while FiD reads passages. ViT-S and RRT* help.")
    found = {(m.text, m.canonical, m.type) for m in x.mentions}
    assert {("FID", "FID", "Metric"), ("MOS", "MOS", "Metric"), ("FiD", "Fusion-in-Decoder", "Method"),
            ("ViT-S", "ViT-S", "Model"), ("RRT*", "RRT*", "Method")} <= found, found


@pytest.mark.parametrize("text,name,not_this", [
    ("We address event detection in news.", "event detection", "event extraction"),
    ("We improve feature matching across views.", "feature matching", "image matching"),
    ("We study humanoid locomotion on rough ground.", "humanoid locomotion", "humanoid control"),
    ("The model is trained with SGNS.", "SGNS", "skip-gram"),
    ("We compare with Claude-Opus-4 on hard tasks.", "Claude Opus 4", "Claude 4"),
    ("We evaluate on NTU RGB+D 120.", "NTU RGB+D 120", "NTU RGB+D"),
    ("Features are V-JEPA 2 embeddings.", "V-JEPA 2", "VJEPA2Model"),
])
def test_a_version_or_a_neighbouring_task_is_its_own_entry(extract, text, name, not_this):
    # typology: other versions and narrower or broader terms are entities of their own
    names = {m.canonical for m in extract(text).mentions}
    assert name in names and not_this not in names, names


@pytest.mark.parametrize("text,not_this", [
    ("We reconstruct 4D humans from monocular video.", "HMR 2.0"),
    ("The teacher generates pseudo-labels for unlabeled frames.", "self-training"),
    ("Words are represented by context vectors from a corpus.", "CoVe"),
])
def test_an_ordinary_phrase_is_not_a_names_alias(extract, text, not_this):
    assert not_this not in {m.canonical for m in extract(text).mentions}


def test_a_memory_measure_is_a_metric_only_where_it_is_reported(extract):
    assert not [m for m in extract("The cache keeps a constant memory footprint.").mentions if m.type == "Metric"]
    x = extract("It cuts the memory footprint to 2.1 GB.")
    assert "memory footprint" in {m.canonical for m in x.mentions if m.type == "Metric"}


def test_a_one_word_tasks_plural_names_its_products_not_the_task(extract):
    x = extract("We give recommendations for annotators and compare the translations of two systems.")
    assert x.mentions == []
    x = extract("We build a dialogue agent for book recommendation.")
    assert {m.canonical for m in x.mentions} == {"recommender systems"}


def test_a_name_with_capitals_inside_written_in_lower_case_is_the_ordinary_word(extract):
    # PRImA (a layout dataset), HoVer and GloVe the lexicon knows; "prima facie", "hover" are words
    x = extract("The prima facie case is weak: drones hover and users wear a glove.")
    assert x.mentions == []
    x = extract("We train on PRImA with GloVe vectors.")
    assert {m.canonical for m in x.mentions} == {"PRImA", "GloVe"}


def test_an_entry_keeps_its_own_name_against_another_entrys_alias_without_its_kind(extract):
    # the lexicon's "ADE corpus" (aliased "ADE dataset") must not take the metric ADE's name
    x = extract("We report the average displacement error on the THÖR benchmark.")
    assert {(m.canonical, m.type) for m in x.mentions if "displacement" in m.text} == {("ADE", "Metric")}
