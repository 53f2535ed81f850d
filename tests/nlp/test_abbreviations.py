import pytest
"""Abbreviation definitions: the pure algorithm and the pipeline component."""
from kg.nlp.abbreviations import find_definitions, find_long_form, is_short_form, long_form_type


@pytest.fixture
def extract(extract_rules):
    """These tests pin the rule component itself: the pipeline without the classifier."""
    return extract_rules


def test_long_form_before_short_form():
    defs = find_definitions("We train with Proximal Policy Optimization (PPO) on Atari.")
    assert [(d.long, d.short) for d in defs] == [("Proximal Policy Optimization", "PPO")]


def test_offsets_point_at_the_text():
    text = "Our Graph Attention Network (GAT) layers are fast."
    d = find_definitions(text)[0]
    assert text[d.long_start:d.long_end] == "Graph Attention Network"
    assert text[d.short_start:d.short_end] == "GAT"


def test_short_form_before_long_form():
    defs = find_definitions("We compare against GAT (Graph Attention Network) baselines.")
    assert [(d.short, d.long) for d in defs] == [("GAT", "Graph Attention Network")]


def test_a_long_form_may_join_words_with_and_where_the_short_form_spells_them():
    assert find_long_form("VLN", "agents for vision and language navigation") == "vision and language navigation"
    assert find_long_form("DUQN", "we propose a dual user and quilt network") == "dual user and quilt network"
    # "and" joins the long form only where the short form needs the words before it
    assert find_long_form("IL", "we combine RL and imitation learning") == "imitation learning"
    assert find_long_form("Adroit", "grasping and dexterous hand manipulation") is None  # never begins one
    assert find_long_form("NER", "tasks such as tagging and named entity recognition") == "named entity recognition"
    # nor across another definition: "Quilt Layer Merging (QLM) and Mask-guided Seam Merging (MSM)"
    assert find_long_form("MSM", "Quilt Layer Merging (QLM) and Mask-guided Seam Merging") == "Mask-guided Seam Merging"


def test_a_long_form_starts_after_the_words_that_introduce_examples():
    # "tasks such as A, B (SF)": the long form is B's words, not the list's
    defs = find_definitions("datasets for tasks such as temporal action localization, spatiotemporal action "
                            "detection (STAD), or multiobject tracking (MOT).")
    assert [(d.long, d.short) for d in defs] == [("spatiotemporal action detection", "STAD"),
                                                 ("multiobject tracking", "MOT")]


def test_a_dimension_before_an_acronym_is_one_short_form():
    defs = find_definitions("Monocular 3D human pose estimation (3D HPE) is hard.")
    assert [(d.long, d.short) for d in defs] == [("3D human pose estimation", "3D HPE")]


def test_mixed_case_and_plural_short_forms():
    assert find_long_form("MoDE", "we propose Mixture-of-Denoising Experts") == "Mixture-of-Denoising Experts"
    assert find_long_form("SDMs", "a family of score-based diffusion models") == "score-based diffusion models"


def test_parentheses_that_are_not_abbreviations():
    assert find_definitions("Results improve (see Table 2) and (2019) is cited (p < 0.05).") == []
    assert not is_short_form("e.g. this")
    assert not is_short_form("1999")


def test_unrelated_words_are_not_a_long_form():
    assert find_long_form("XYZ", "a method that works well") is None


def test_quoted_long_form():
    defs = find_definitions('Our model "Temporal Fusion Network" (TFN) is simple.')
    assert [(d.long, d.short) for d in defs] == [("Temporal Fusion Network", "TFN")]


def test_long_form_types():
    assert long_form_type("Visual Question Answering", "VQA") == "Task"
    assert long_form_type("Masked Autoencoder Benchmark Suite", "MABS") == "Benchmark"
    assert long_form_type("Word Error Rate", "WER") == "Metric"
    assert long_form_type("Hierarchical Planning Learning", "HiPL") == "Method"  # coined, mixed case


def test_component_links_short_and_long_form(extract):
    x = extract("We introduce Sparse Token Routing (STR), a new layer. STR halves the cost of attention.")
    names = {(m.text, m.canonical) for m in x.mentions}
    assert ("Sparse Token Routing", "STR") in names
    assert sum(1 for m in x.mentions if m.text == "STR") == 2
    assert x.abbreviations == {"STR": "Sparse Token Routing"}


def test_a_short_form_the_lexicon_knows_alone_keeps_its_type_when_the_paper_spells_it_out(extract):
    x = extract("We evaluate on CALVIN (Composing Actions from Language and Vision), a benchmark of long tasks.")
    calvin = {m.text: (m.type, m.canonical) for m in x.mentions}
    assert calvin["CALVIN"] == calvin["Composing Actions from Language and Vision"] == ("Benchmark", "CALVIN")
    # a short form the lexicon spells out otherwise is a sense of the paper's own
    x = extract("We scan streets with Mobile Quilt Scanning (MLS). MLS is cheap.")
    assert {m.canonical for m in x.mentions if m.text == "MLS"} == {"MLS"}


def test_description_is_not_an_entity(extract):
    x = extract("Large language models (LLMs) are strong. We probe LLMs with puzzles.")
    assert not [m for m in x.mentions if m.text in ("LLMs", "Large language models")]


def test_glued_short_form_names_a_variant(extract):
    x = extract("We propose Calibrated Sampling (CS)-DPO, which reduces reward hacking relative to DPO.")
    assert "CS-DPO" in {m.canonical for m in x.mentions}
    assert "CS-DPO" in x.proposes


def test_a_common_noun_abbreviated_is_no_entity(extract):
    # "knowledge base (KB)" abbreviates a common noun; "Zorbl Policy Search (ZPS)" names a method
    x = extract("We answer from a knowledge base (KB). The KB is large. We propose Zorbl Policy Search (ZPS).")
    found = {m.text for m in x.mentions}
    assert "KB" not in found and "knowledge base" not in found and {"ZPS", "Zorbl Policy Search"} <= found


def test_a_definition_of_hardware_or_a_modifier_is_no_name(extract):
    x = extract("We fly an unmanned aerial vehicle (UAV) with a reinforcement learning (RL)-based controller. "
                "3D foundation models (3DFMs) are large.")
    texts = {m.text for m in x.mentions}
    assert not texts & {"UAV", "unmanned aerial vehicle", "RL-based", "3DFMs", "3D foundation models"}
    assert "RL" in texts or "reinforcement learning" in texts


def test_a_condition_content_or_device_abbreviated_is_no_entity(extract):
    # outside the typology however the paper abbreviates it; a named method still is a name
    x = extract("Speech marks Alzheimer's disease (AD) and autism spectrum disorder (ASD). We filter "
                "user-generated content (UGC) with Head Mounted Devices (HMDs) and propose Quill Gradient Search (QGS) "
                "for autonomous mobile robots (AMRs). A Ring Laser Gyroscope (RLG) drifts less. A Mach-Zehnder "
                "interferometer (MZI) chip scans each region of interest (ROI) on the da Vinci Research Kit (dVRK).")
    texts = {m.text for m in x.mentions}
    assert not texts & {"AD", "ASD", "UGC", "HMDs", "AMRs", "RLG", "Alzheimer's disease", "user-generated content",
                        "MZI", "ROI", "dVRK"}
    assert "QGS" in texts


@pytest.mark.parametrize("long, short", [("2D visual foundation models", "VFMs"),
                                         ("video foundational models", "VFMs"), ("Vision FMs", "VFMs")])
def test_a_kind_of_model_abbreviated_is_a_description(extract, long, short):
    x = extract(f"We distil {long} ({short}) into Quill Gradient Search (QGS). {short} are large.")
    texts = {m.text for m in x.mentions}
    assert short not in texts and long not in texts, texts
    assert "QGS" in texts


@pytest.mark.parametrize("long, short", [
    ("visual-inertial odometry", "VIO"), ("video temporal grounding", "VTG"), ("image quality assessment", "IQA"),
    ("software vulnerability identification", "SVI"), ("point cloud completion", "PCC"),
    ("time series forecasting", "TSF"), ("event extraction", "EE"), ("coreference resolution", "CR"),
    ("human-robot collaboration", "HRC"), ("multi-agent cooperation", "MAC")])
def test_a_problems_head_makes_a_task(long, short):
    assert long_form_type(long, short) == "Task"
    assert long_form_type(long.title(), short[0] + short[1:].lower()) == "Method"  # a coined mixed-case name


def test_an_abbreviated_modifier_defines_no_entity(extract):
    # "model-driven (LLM-driven)" abbreviates a modifier: neither form is a name, here or elsewhere
    x = extract("We simulate large language model-driven (LLM-driven) characters. LLM-driven characters "
                "plan with Quill Gradient Search (QGS).")
    texts = {m.text for m in x.mentions}
    assert not {t for t in texts if "driven" in t}, texts
    assert "QGS" in texts


@pytest.mark.parametrize("text,absent", [
    # a language or a linguistic object
    ("Most speech is in Modern Standard Arabic (MSA), rich in multiword expressions (MWEs), as in other Low "
     "Resource Languages (LRLs). We propose Quill Gradient Search (QGS) for MSA.",
     {"MSA", "MWEs", "LRLs", "Modern Standard Arabic", "Low Resource Languages"}),
    # a mathematical object (typology: scaling laws, theorems and distributions are not entities)
    ("We identify a Quill-Stitch Scaling Law (QSSL) and a Thread Limit Theorem (TLT) under the quilted Gamma "
     "distribution (QGD). We propose Quill Gradient Search (QGS).",
     {"QSSL", "TLT", "QGD", "Quill-Stitch Scaling Law", "Thread Limit Theorem"}),
])
def test_an_abbreviated_language_or_mathematical_object_is_no_entity(extract, text, absent):
    texts = {m.text for m in extract(text).mentions}
    assert not texts & absent, texts
    assert "QGS" in texts


def test_an_abbreviated_compound_modifier_is_no_entity_but_a_headed_one_is(extract):
    x = extract("Models fail on out-of-distribution (OOD) data and need human-in-the-loop (HITL) checks. "
                "We report the cross-compression-rate (CCR) of Quill Gradient Search (QGS).")
    texts = {m.text for m in x.mentions}
    assert not texts & {"OOD", "HITL", "out-of-distribution", "human-in-the-loop"}, texts
    assert {"CCR", "QGS"} <= texts  # "rate" heads a metric
    # opening a sentence does not make the compound a name
    x = extract("Out-of-distribution (OOD) detection matters. We propose Quill Gradient Search (QGS).")
    assert not {m.text for m in x.mentions} & {"Out-of-distribution", "OOD"}


@pytest.mark.parametrize("text,name,etype", [
    ("We introduce a large-scale Quilted Scene Reasoning (QSR) benchmark comprising 1M samples.", "QSR", "Benchmark"),
    ("We define a novel Stitch-Grounding Explanation (SGE) task, where models explain stitches.",
     "stitch-grounding explanation", "Task"),
    ("We propose Synergistic Quilt Feature Manipulation (SQFM), a method that edits features.", "SQFM", "Method"),
    ("We further propose a Quilt Cache Retrieval (QCR) mechanism that retrieves frames.", "QCR", "Method"),
    ("We propose Pocket Quilt Base Population (PQBP), the task of building small knowledge bases.",
     "pocket quilt base population", "Task"),
])
def test_the_word_after_a_definition_says_what_it_defines(extract, text, name, etype):
    """Typology: the text's own word wins over the long form's head ("... Manipulation" heads tasks)."""
    types = {m.canonical: m.type for m in extract(text).mentions}
    assert types.get(name) == etype, types


def test_a_short_form_in_another_case_is_not_the_lexicons_name(extract):
    # the lexicon's MiMo (a model) matches only in its case: MIMO here is the wireless technique
    x = extract("We study multiple-input multiple-output (MIMO) systems. MIMO channels vary.")
    assert {m.canonical for m in x.mentions if m.text == "MIMO"} == {"MIMO"}
    assert "Model" not in {m.type for m in x.mentions}


def test_latex_brackets_are_no_definition(extract):
    x = extract("We introduce $(ST)^2$, a method for teaching Sequential Tasks $(ST)^2$ step by step.")
    assert not {m.canonical for m in x.mentions} & {"ST", "Sequential Tasks $"}


def test_a_capitalised_compound_of_ordinary_words_defined_is_a_name(extract):
    # "Meta" and "Policy" are each ordinary, and MPC is also the lexicon's model predictive control
    x = extract("We propose the Meta-Policy Controller (MPC), which adapts policies. MPC employs bi-level optimization.")
    assert x.proposes == ["MPC"]
    assert {m.text for m in x.mentions if m.canonical == "MPC"} == {"Meta-Policy Controller", "MPC"}


def test_a_short_form_defined_in_the_plural_is_the_papers_sense_in_the_singular_too(extract):
    # SRL is also the lexicon's semantic role labeling: the paper's definition wins in every use
    x = extract("Supernumerary robotic limbs (SRLs) assist workers. Designing an SRL device is hard.")
    assert {m.canonical for m in x.mentions if m.text in ("SRL", "SRLs")} == {"SRL"}


def test_an_organisation_abbreviated_is_no_entity_nor_the_names_inside_it(extract):
    # typology: organisations are outside; the names inside a long form are not tagged there
    x = extract("The Institute for Computational Linguistics (ILC) built the corpus. "
                "Teleoperation of Connected and Autonomous Vehicles (CAVs) needs low latency.")
    assert not {"ILC", "computational linguistics", "autonomous driving"} & {m.canonical for m in x.mentions}


def test_a_short_form_the_lexicon_spells_out_otherwise_is_the_papers_own(extract):
    # MoD is the lexicon's mixture-of-depths; this paper spells it out (with an "of" its short form
    # spells) as something else, in the plural and then in the singular
    x = extract("Maps of Dynamics (MoDs) encode typical motion patterns. We use a sparse MoD representation.")
    assert {m.canonical for m in x.mentions if m.text in ("Maps of Dynamics", "MoDs", "MoD")} == {"MoD"}
    assert "mixture-of-depths" not in {m.canonical for m in x.mentions}


def test_a_definition_the_authors_propose_is_theirs_whatever_else_the_short_form_names(extract):
    # PACS is a dataset the lexicon knows, PET a scan never named here (not-names.txt): the
    # authors' own definitions win
    x = extract("We propose path-consistent safety filtering (PACS) for diffusion policies. PACS is safe. "
                "We also introduce Prior knowledge and memory Enriched Transformer (PET). PET is fast.")
    assert x.proposes == ["PACS", "PET"]
    assert {m.type for m in x.mentions if m.canonical in ("PACS", "PET")} == {"Method"}
    # without the authors' verb the lexicon's sense stays
    y = extract("Results on PACS (Photo Art Cartoon Sketch) are reported.")
    assert {m.type for m in y.mentions if m.text == "PACS"} == {"Benchmark"}


def test_an_of_the_short_form_does_not_spell_stops_the_long_form():
    assert find_long_form("ToM", "abilities such as Theory of Mind") == "Theory of Mind"
    assert find_long_form("DPO", "the accuracy of Direct Preference Optimization") == "Direct Preference Optimization"


def test_a_definition_the_authors_contribute_is_a_method_unless_they_call_it_a_task(extract):
    x = extract("We design Quilt Boundary Extraction (QBE) and Seam Region Extraction (SRE) to refine masks. "
                "We introduce a novel Stitch-Grounding Explanation (SGE) task. We propose a method for "
                "quilt pattern detection (QPD).")
    types = {m.canonical: m.type for m in x.mentions}
    assert types["QBE"] == types["SRE"] == "Method"
    assert types["stitch-grounding explanation"] == types["quilt pattern detection"] == "Task", types


def test_an_all_capital_short_form_of_a_qualified_known_task_is_a_task(extract):
    # "image fusion" and "sentiment analysis" are tasks the lexicon knows; the long forms qualify them
    x = extract("Multi-Spectral Image Fusion (MSIF) merges views. Prior MSIF methods blur edges.")
    assert {(m.text, m.type) for m in x.mentions if "MSIF" in m.text} == {("MSIF", "Task")}
    x = extract("Cross-lingual sentiment analysis (CLSA) is hard. We study CLSA in nine languages.")
    assert {m.type for m in x.mentions if m.text == "CLSA"} == {"Task"}
    # a coined mixed-case short form, or a named augmentation, is a method
    x = extract("Our Graph-guided Image Fusion (GraFu) merges views. GraFu is fast.")
    assert {m.type for m in x.mentions if m.text == "GraFu"} == {"Method"}
    x = extract("Mixed Sample Data Augmentation (MSDA) helps. MSDA mixes two images.")
    assert {m.type for m in x.mentions if m.text == "MSDA"} == {"Method"}


def test_a_long_form_ending_in_a_known_method_is_a_method_whatever_its_head_noun(extract):
    # "contrastive learning" is a Method the lexicon knows; "imitation learning" a Task (a field)
    x = extract("Multi-Label Adaptive Contrastive Learning (MLACL) is introduced to align labels. MLACL is fast.")
    assert {m.type for m in x.mentions if m.text == "MLACL"} == {"Method"}
    assert x.proposes == ["MLACL"]
    x = extract("Goal-Conditioned Imitation Learning (GCIL) is hard. We study GCIL on robots.")
    assert {m.type for m in x.mentions if m.text == "GCIL"} == {"Task"}


def test_a_family_defined_as_the_base_of_a_description_is_the_family_not_the_papers_name(extract):
    x = extract("We present a vector-quantized variational autoencoder-based (VQ-VAE) compression framework "
                "for electron microscopy.")
    assert {m.text for m in x.mentions if m.canonical == "VQ-VAE"} == {"vector-quantized variational autoencoder", "VQ-VAE"}
    assert x.proposes == []
