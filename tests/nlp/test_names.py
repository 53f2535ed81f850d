"""Rules for names the lexicon lacks."""
import pytest

from kg.nlp.names import is_name_shaped, size_variant_family


@pytest.mark.parametrize("word", ["OpenVLA", "MoDE", "RT-2-X", "Llama2-7B", "GPT-4o", "TAXONS", "DINOv2", "rDPO"])
def test_name_shaped(word):
    assert is_name_shaped(word)


@pytest.mark.parametrize("word", ["Policy", "policy", "LLMs", "55B", "A6000", "GPU", "TPUv4", "Open-Source", "2D", "O(1/T)",
                                  "CITATION", "End2End"])
def test_not_name_shaped(word):
    assert not is_name_shaped(word)


@pytest.fixture
def extract(extract_rules):
    """These tests pin the rule component itself: the pipeline without the classifier."""
    return extract_rules


def test_size_variant_family():
    assert size_variant_family("Qwen2.5-7B") == "Qwen2.5"
    assert size_variant_family("FooNet-Large") == "FooNet"
    assert size_variant_family("FooNet") is None


def by_text(x):
    return {m.text: m for m in x.mentions}


def test_unknown_acronym_is_a_method_by_default(extract):
    m = by_text(extract("We compare ZORBL with two baselines."))["ZORBL"]
    assert m.type == "Method" and m.component.startswith("names")


def test_a_family_named_by_its_based_modifier(extract):
    # "diffusion-based" names the diffusion model family, by its stem; not after a word that
    # makes a name of its own with the stem, nor a stem the list does not hold ("flow-based")
    x = extract("We propose Zorbplan, which samples actions with a diffusion-based sampler and a "
                "flow-based head, and compare with anisotropic diffusion-based filters.")
    fam = [m for m in x.mentions if m.canonical == "diffusion model"]
    assert [(m.text, m.type, m.component) for m in fam] == [("diffusion", "Method", "names.based_family")]


def test_a_split_of_a_named_benchmark_is_a_benchmark(extract):
    ms = by_text(extract("Results on Quil-Bench-T2I and Quil-Bench-Edit are reported, and Zorb-Net-T2I is used."))
    assert ms["Quil-Bench-T2I"].type == ms["Quil-Bench-Edit"].type == "Benchmark"
    assert ms["Zorb-Net-T2I"].type == "Method"


def test_a_shared_task_or_challenge_is_a_benchmark(extract):
    # typology: shared tasks and challenges are Benchmarks, whatever the title leads with
    x = extract("We present the results of the Zorbl shared task on reading comprehension.",
                title="ZORBL 2019 Shared Task: Evaluating Generalization in Reading Comprehension")
    assert by_text(x)["ZORBL 2019 Shared Task"].type == "Benchmark"
    x = extract("We describe the ZorbQA Challenge results.", title="ZorbQA Challenge: A Report")
    assert by_text(x)["ZorbQA Challenge"].type == "Benchmark"


def test_cue_noun_types_a_new_name(extract):
    ms = by_text(extract("We evaluate on the Kestrel-Nav benchmark and the GraniteQA dataset."))
    assert ms["Kestrel-Nav"].type == "Benchmark"
    assert ms["GraniteQA"].type == "Dataset"


def test_a_treebank_is_a_dataset(extract):
    ms = by_text(extract("Queries run over the Brindle treebank of spoken Frisian."))
    assert ms["Brindle"].type == "Dataset"


def test_size_suffix_makes_a_model(extract):
    assert by_text(extract("We release Falconet-13B for research."))["Falconet-13B"].type == "Model"


def test_number_before_an_acronym_makes_a_metric(extract):
    assert by_text(extract("Our planner reaches 91.2 QXS on the driving test."))["QXS"].type == "Metric"
    # a name's version number is no score: "Kestrel 3.2 Vision-8B" is a model's size
    assert by_text(extract("We fine-tune Kestrel 3.2 Vision-8B on charts."))["Vision-8B"].type == "Model"


def test_title_leading_name_is_proposed(extract):
    x = extract("We present a planner. Halyard beats strong baselines.", title="Halyard: Planning with Ropes")
    assert "Halyard" in x.proposes
    assert [m.text for m in x.mentions].count("Halyard") == 2


def test_descriptive_title_is_not_a_name(extract):
    x = extract("We study how agents plan.", title="Understanding Planning: A Study of Agents")
    assert x.proposes == []


def test_survey_proposes_nothing(extract):
    x = extract("This survey reviews Transformer variants. We present a taxonomy of ViT models.",
                title="Vision Transformers: A Survey")
    assert x.proposes in ([], ["Vision Transformer"])


@pytest.mark.parametrize("title", ["Dual Quilt Network Model for Biased Product Review Classification",
                                   "Large Language Models for Code Review", "LLMs as Reviewers: Automating Peer Review"])
def test_a_problem_named_with_review_does_not_make_the_paper_a_survey(extract, title):
    x = extract("In this work, we propose a dual user and quilt network (DUQN) model to learn user profiles.", title=title)
    assert x.proposes == ["DUQN"]


@pytest.mark.parametrize("title", ["Quilting Robots: A Comprehensive Survey", "A Review of Quilting Robots",
                                   "An Overview of Seam Planning"])
def test_a_survey_title_proposes_no_method_of_its_abstract(extract, title):
    x = extract("We propose StitchNet, a taxonomy of seam planners.", title=title)
    assert "StitchNet" not in x.proposes


def test_a_name_introduced_after_its_kind_in_apposition(extract):
    # a bare acronym found by its shape alone is dropped; called "a novel algorithm" first, it is named
    x = extract("We propose a novel algorithm, QALI, which aligns images with text. "
                "We also present a dataset, ZORBSET, of annotated posts.")
    ms = by_text(x)
    assert ms["QALI"].type == "Method" and ms["QALI"].component == "names.introduced"
    assert ms["ZORBSET"].type == "Dataset"
    assert "QALI" in x.proposes
    # no name after the comma: nothing is introduced
    assert not extract("We propose a novel framework, which combines planning and learning.").mentions


def test_a_name_the_authors_introduce_as_another_kind_than_the_lexicon_is_theirs(extract):
    # the lexicon's COMET is a metric; a paper that introduces "COMET, an autoregressive framework"
    # names a method of its own, every use of it (the title's lead too), and proposes it
    x = extract("We propose COMET, an autoregressive framework for planning grasps. COMET outperforms "
                "two planners.", title="COMET: Grasp Planning by Autoregression")
    comet = [m for m in x.mentions if m.text == "COMET"]
    assert len(comet) == 3 and {(m.type, m.component) for m in comet} == {("Method", "names.introduced_own")}
    assert x.proposes == ["COMET"]
    # the appositive's head noun types it however many words describe it
    y = by_text(extract("We introduce DIOR, a family of lightweight and capable vision-language models, which "
                        "run on phones."))
    assert y["DIOR"].type == "Method" and y["DIOR"].component == "names.introduced_own"
    # a bracketed short form inside the appositive is no part of its head noun phrase
    w = by_text(extract("We propose DIOR, an uncertainty quantification (UQ) method for video models."))
    assert w["DIOR"].type == "Method" and w["DIOR"].component == "names.introduced_own"
    # the same kind as the lexicon's, or used without an introduction: the lexicon's entity
    assert by_text(extract("We evaluate with COMET, the learned metric."))["COMET"].type == "Metric"
    z = by_text(extract("We present DIOR, a dataset of aerial images."))["DIOR"]
    assert z.type == "Dataset" and z.component == "lexicon"


def test_a_part_of_a_system_named_in_capitals_is_a_method(extract):
    # typology: the named parts of the paper's own system are Methods it proposes; lower-case
    # descriptions of parts are not entities, nor a known name with a part noun added
    x = extract("We propose QuillNet for retrieval. A Boundary-aware Negative Sampler raises difficulty, while "
                "a Contrastive Span Attention loss highlights mismatches. QuillNet also employs a Hybrid "
                "Controller that combines both, a lightweight fusion module and a Transformer Encoder.")
    ms = by_text(x)
    for name in ("Boundary-aware Negative Sampler", "Contrastive Span Attention", "Hybrid Controller"):
        assert ms[name].type == "Method" and ms[name].component == "names.part", name
    assert not {"fusion module", "Transformer Encoder"} & set(ms)
    # the part noun may follow the name in lower case; a known name with it is still no part
    y = by_text(extract("We first propose a Backward Quilt Reasoning module that revisits trajectories, "
                        "and a Transformer Encoder block."))
    assert y["Backward Quilt Reasoning"].component == "names.part"
    assert "Transformer Encoder" not in y
    assert ("QuillNet", "uses", "Hybrid Controller") in {(r.head, r.type, r.tail) for r in x.relations}
    # a named strategy or augmentor is a part too; a known method called a strategy is not
    z = by_text(extract("We propose QuillNet. We design a Multi-level Stitch Control strategy and a "
                        "Discriminative Seam Augmentor, and follow a Curriculum Learning strategy."))
    assert z["Multi-level Stitch Control"].component == "names.part"
    assert z["Discriminative Seam Augmentor"].component == "names.part"
    assert z["Curriculum Learning"].component != "names.part"
    # or numbered in a list of the system's components
    e = by_text(extract("We propose QuillNet, which comprises two core components: (1) Seam-of-field Supervision, "
                        "which uses blur, and (2) Multi-View Stitch Supervision, which aligns views."))
    assert e["Seam-of-field Supervision"].component == e["Multi-View Stitch Supervision"].component == "names.part"


def test_introduced_multiword_name(extract):
    x = extract("We introduce Gradient Lens Attribution, a novel framework for explaining classifiers. "
                "Gradient Lens Attribution is fast.")
    assert "Gradient Lens Attribution" in x.proposes
    assert [m.text for m in x.mentions].count("Gradient Lens Attribution") == 2


def test_modifier_suffix_is_not_part_of_the_name(extract):
    assert "PPO" in by_text(extract("A PPO-based agent learns to walk."))


def test_companies_and_hardware_are_not_entities(extract):
    texts = {m.text for m in extract("We train on an NVIDIA A6000 GPU with PyTorch.").mentions}
    assert not texts & {"NVIDIA", "A6000", "GPU", "PyTorch"}


def test_robots_cameras_and_robot_software_are_not_entities(extract):
    x = extract("We deploy QuorraNet on a Unitree Go2 and a UR5e arm with a RealSense camera, running ROS2 "
                "and Nav2, and compare it with ZorbVLA.")
    texts = {m.text for m in x.mentions}
    assert not texts & {"Go2", "UR5e", "RealSense", "ROS2", "Nav2"}, texts
    assert {"QuorraNet", "ZorbVLA"} <= texts


def test_number_formats_quantities_and_complexity_classes_are_not_entities(extract):
    x = extract("Finding the plan is NP-hard. QuorraNet stores FP32 weights, runs INT8 kernels in a GUI, and "
                "tracks the CoM and the ground reaction forces (GRF) of the robot.")
    texts = {m.text for m in x.mentions}
    assert not texts & {"NP-hard", "FP32", "INT8", "GUI", "CoM", "GRF"}, texts
    x = extract("QuorraNet fuses RADAR and Synthetic Aperture Radar (SAR) images with point cloud data (PCD).")
    assert {m.text for m in x.mentions} == {"QuorraNet"}
    assert "QuorraNet" in texts


@pytest.mark.parametrize("word", ["SemEval-2020", "SEMEVAL-2019", "WMT", "IWSLT", "Subtask-2", "Task-1", "POS",
                                  "LREC", "IBM", "OOV", "KGs", "SIGMORPHON", "VarDial", "SIGMORPHON-2020", "UNESCO"])
def test_campaigns_and_task_numbers_are_not_names(word):
    # the typology names a shared task's tracks, not the campaign or its edition
    assert not is_name_shaped(word)


def test_a_corpus_named_by_its_language_is_no_dataset(extract):
    found = by_text(extract("We collect a Chinese corpus and a French dataset, and test on the Zorbla corpus. "
                            "Pairs are English-German."))
    assert "Zorbla" in found and not {"Chinese", "French", "English-German"} & set(found)


def test_a_cue_inside_a_hyphenated_word_names_nothing(extract):
    assert "Words" not in by_text(extract("We evaluate on the Birds-to-Words dataset."))


def test_named_entity_is_not_a_name_introduced_by_named(extract):
    found = by_text(extract("Named Entity Recognition in tweets is hard; we train an agent named Zorbl."))
    assert "Entity" not in found and found["Zorbl"].type == "Method"


def test_a_numbered_track_a_team_takes_part_in_is_a_benchmark_it_is_evaluated_on(extract):
    x = extract("This paper describes our participation in SemEval 2017 Task 10. We use a CRF.",
                title="Quorra-Center at SemEval-2017 Task 10: Sequence Labelling with Quilts")
    assert {m.text for m in x.mentions if m.type == "Benchmark"} == {"SemEval-2017 Task 10", "SemEval 2017 Task 10"}
    assert ("Quorra-Center", "evaluatedOn", "SemEval-2017 Task 10") in {(r.head, r.type, r.tail) for r in x.relations}


def test_a_campaign_task_title_is_a_benchmark(extract):
    x = extract("This paper describes SemEval-2020 Task 4 and its data.", title="SemEval-2020 Task 4: Commonsense Validation")
    assert by_text(x)["SemEval-2020 Task 4"].type == "Benchmark"
    assert not any(m.text == "SemEval-2020" for m in extract("Our system ranked first at SemEval-2020.").mentions)


def test_a_plural_common_noun_after_we_present_is_no_name(extract):
    found = by_text(extract("We present the evaluation results, which show gains. "
                            "We introduce zorbl history, a simple memory for agents."))
    assert "evaluation results" not in found and "zorbl history" in found


def test_a_name_says_its_kind(extract):
    found = by_text(extract("We evaluate on QuillBench and Zorb-Bench, and release PlankData for training."))
    assert (found["QuillBench"].type, found["Zorb-Bench"].type, found["PlankData"].type) == \
        ("Benchmark", "Benchmark", "Dataset")


def test_an_appositive_or_subtitle_types_the_name(extract):
    x = extract("We introduce Quillory, a large-scale benchmark for code agents.")
    assert by_text(x)["Quillory"].type == "Benchmark"
    x = extract("Quillset covers many tasks.", title="Quillset: A Dataset of Annotated Proofs")
    assert by_text(x)["Quillset"].type == "Dataset"


def test_a_participle_after_a_hyphen_is_no_name(extract):
    found = by_text(extract("We train a GPU-accelerated, LiDAR-assisted planner with a ZRK-pretrained encoder."))
    assert not any("-" in t for t in found)
    # capitalised too, as in titles; but a capitalised noun may end a name
    found = by_text(extract("QRN-Enhanced ZRK-Assisted Planning with the OS-Critic and the DRL-Student.",
                            title="QRN-Enhanced ZRK-Assisted Planning"))
    assert not {t for t in found if t.endswith(("Enhanced", "Assisted"))}, found
    assert {"OS-Critic", "DRL-Student"} <= set(found), found


def test_an_adjective_or_adverb_after_a_hyphen_is_no_name(extract):
    found = by_text(extract("We design a QRN-friendly, GNSS-independent and ID-consistent tracker, computed "
                            "ROI-wise, that stays ZRK-efficient."))
    assert not any("-" in t for t in found), found


def test_a_noun_after_a_hyphen_stays_part_of_the_name(extract):
    found = by_text(extract("We evaluate QuorraNet on ZRK-Bench and train it with the KAT-loss."))
    assert {"ZRK-Bench", "KAT-loss"} <= set(found), found


def test_a_sentence_run_into_the_next_without_a_space_makes_no_name(extract):
    # abstracts pasted from PDFs lose the space after a full stop
    found = by_text(extract("We compare with strong baselines.Experiments show that QuorraNet wins.Moreover it is "
                            "fast on ZRK-Bench."))
    assert set(found) >= {"QuorraNet", "ZRK-Bench"}
    assert not any("." in t for t in found), found


def test_a_slash_between_names_names_each_of_them(extract):
    found = by_text(extract("We report PSNR/SSIM for PPO/CEM planners on ZRK-Bench/QRN-Bench with ViT-B/16."))
    assert {"PSNR", "SSIM", "PPO", "CEM", "ZRK-Bench", "QRN-Bench", "ViT-B/16"} <= set(found), found
    assert not any("/" in t for t in found if t != "ViT-B/16"), found


def test_a_name_with_a_version_mark_or_in_latex_markup_is_introduced(extract):
    assert "Quillon++" in extract("We propose Quillon++, a novel framework for talking heads.").proposes
    x = extract("In this work, we propose $\\textit{QuillCache}$, a training-free algorithm. QuillCache is fast.")
    assert x.proposes == ["QuillCache"] and [m.text for m in x.mentions].count("QuillCache") == 2


def test_an_acronym_ending_in_s_is_not_a_plural_of_a_known_name(extract):
    # "PALMS" is no plural of the lexicon's "PaLM"
    x = extract("We present PALMS+, a localization system.", title="PALMS+: Localization from Floor Plans")
    assert x.proposes == ["PALMS+"] and not any(m.canonical == "PaLM" for m in x.mentions)


def test_a_compound_led_by_an_ordinary_word_is_no_name(extract):
    x = extract("We study human-AI teaming and multi-MDP planning over cross-SIEM logs, and propose TeamNet.")
    names = {m.canonical for m in x.mentions}
    assert not names & {"human-AI", "multi-MDP", "cross-SIEM"} and "TeamNet" in names


def test_a_preposition_or_conjunction_starts_no_name(extract):
    # what follows "we propose to use", "we present and evaluate", "we develop for" is no name;
    # a second, coordinated verb still introduces the name after it
    x = extract("In this paper, we present and evaluate Quillgum, a fully annotated dataset. "
                "We propose to use Zorbert, a pretrained model, and develop for Modern Plank a tagger.")
    names = {m.text for m in x.mentions}
    assert not any(n.split()[0].lower() in ("and", "to", "for", "in") for n in names)
    assert by_text(x)["Quillgum"].type == "Dataset"
    # a title opening with a preposition names no system; one word that only starts with it does
    assert not extract("This paper provides a study on quill redundancy in Zorbert. Analyses on quill redundancy help.",
                       title="On Quill Redundancy: A Study").proposes
    assert extract("We present In-N-Quill, a method.", title="In-N-Quill: Egocentric Grasping").proposes == ["In-N-Quill"]
    # a sentence's capitalised first word is no part of a cue-introduced name
    assert "QLS" in by_text(extract("In QLS dataset, our model improves the accuracy."))


def test_the_problem_a_title_is_for_is_a_task(extract):
    x = extract("We propose QuorraNet, a planner for many robots.",
                title="Fast Policy Learning for Cooperative Shelf Inspection in Multi-Agent Warehouse Navigation")
    found = {m.text: (m.type, m.canonical) for m in x.mentions}
    assert found["Cooperative Shelf Inspection"] == ("Task", "cooperative shelf inspection")
    assert found["Multi-Agent Warehouse Navigation"] == ("Task", "multi-agent warehouse navigation")
    assert "Fast Policy Learning" not in found  # not after "for" or "in": the paper's own description


def test_a_title_lead_the_abstract_abbreviates_is_the_paper_s_name(extract):
    # "Quilted Entropy Fields" is neither name-shaped nor used again, but "QEF" is its initials
    x = extract("Quilting needs sparsity. Experiments show that QEF achieves competitive precision on DTU.",
                title="Quilted Entropy Fields: Driving Sparsity in Quilting")
    assert x.proposes == ["Quilted Entropy Fields"]
    assert {m.canonical for m in x.mentions if m.text in ("QEF", "Quilted Entropy Fields")} == {"Quilted Entropy Fields"}
    # a descriptive lead without its initials in the abstract stays a description
    x = extract("Quilting needs sparsity. Experiments show competitive precision on DTU.",
                title="Quilted Entropy Fields: Driving Sparsity in Quilting")
    assert x.proposes == []


def test_a_name_the_authors_introduce_with_latex_is_found_with_it(extract):
    # arXiv abstracts keep LaTeX: "RealQuill$^2$" is the name RealQuill2, "QuilloNet$+$" a new version
    x = extract("We propose RealQuill$^2$, a sewing model. RealQuill$^2$ outperforms ZorbNet on shelves.")
    assert x.proposes == ["RealQuill2"]
    assert {m.text for m in x.mentions if m.canonical == "RealQuill2"} == {"RealQuill$^2$"}
    assert ("RealQuill2", "outperforms", "ZorbNet") in {(r.head, r.type, r.tail) for r in x.relations}
    x = extract("We propose QuilloNet$+$, a sewing model. QuilloNet$+$ outperforms QuilloNet on shelves.")
    assert ("QuilloNet+", "outperforms", "QuilloNet") in {(r.head, r.type, r.tail) for r in x.relations}


def test_a_title_problem_leaves_out_the_verb_that_leads_into_it(extract):
    x = extract("We propose QuorraNet.", title="QuorraNet: Quilted Attention for Detecting Shelf Gap Localization")
    assert {m.text for m in x.mentions if m.type == "Task"} == {"Shelf Gap Localization"}
    x = extract("We propose QuorraNet.", title="QuorraNet: Quilted Attention for Robust Shelf Gap Localization")
    assert {m.text for m in x.mentions if m.type == "Task"} == {"Shelf Gap Localization"}


def test_a_title_problem_the_abstract_repeats_is_a_task_wherever_the_title_names_it(extract):
    x = extract("We present QuorraNet, a framework for shelf gap localization. Our key idea is quilted attention.",
                title="QuorraNet: Autoregressive Shelf Gap Localization with Quilted Attention")
    tasks = {(m.text, m.canonical) for m in x.mentions if m.type == "Task"}
    # the title's run and its use in the abstract are both mentions of one Task
    assert tasks == {("Shelf Gap Localization", "shelf gap localization"), ("shelf gap localization", "shelf gap localization")}
    assert ("QuorraNet", "addresses", "shelf gap localization") in {(r.head, r.type, r.tail) for r in x.relations}
    # not after "for" or "in", a run the abstract does not use again describes the paper's system
    x = extract("We present QuorraNet, a framework for warehouses.",
                title="QuorraNet: Autoregressive Shelf Gap Localization with Quilted Attention")
    assert not [m for m in x.mentions if m.type == "Task"]


def test_a_title_phenomenon_the_paper_sets_out_to_solve_is_a_task(extract):
    # typology: problems a paper sets out to solve are Tasks (distribution shift, catastrophic forgetting)
    x = extract("Retrievers suffer from what we term stitch collapse. We propose QuorraNet to prevent stitch collapse.",
                title="Mitigating Stitch Collapse in Quilt Retrieval")
    assert ("Stitch Collapse", "stitch collapse") in {(m.text, m.canonical) for m in x.mentions if m.type == "Task"}


def test_a_title_problem_narrowing_a_known_task_is_the_paper_s_task_when_the_abstract_repeats_it(extract):
    # the lexicon knows "3D reconstruction"; the title and the abstract say which one
    x = extract("Intraoral 3D reconstruction helps dentists. Quorra3R pairs sparse views.",
                title="Quorra3R: Geometry-Aware Pairing for Intraoral 3D Reconstruction")
    tasks = {m.text: m.canonical for m in x.mentions if m.type == "Task"}
    assert tasks == {"Intraoral 3D Reconstruction": "intraoral 3D reconstruction",
                     "Intraoral 3D reconstruction": "intraoral 3D reconstruction"}
    # not repeated, the known task stands: the words before it only describe the paper's setting
    x = extract("Quorra3R pairs sparse views for 3D reconstruction.",
                title="Quorra3R: Geometry-Aware Pairing for Intraoral 3D Reconstruction")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"3D reconstruction"}
    # a language makes no new task (typology: "Arabic coreference resolution" is coreference resolution)
    x = extract("Arabic coreference resolution lacks data; we transfer from English.",
                title="Quilted Transfer for Arabic Coreference Resolution")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"coreference resolution"}


def test_a_title_problem_is_the_end_of_the_run_the_abstract_repeats(extract):
    # "6-DOF" and "Posture-Dependent" qualify the problem; the abstract names it without them
    x = extract("Vehicles require six-degree-of-freedom (6-DOF) quill control. We show learned quill control.",
                title="Fast Policy Learning for 6-DOF Quill Control of Underwater Vehicles")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"quill control"}
    x = extract("Robots need dexterous bimanual quilting.", title="QuiltDP: A Policy for Posture-Dependent Bimanual Quilting")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == set()  # "quilting" is no problem head
    x = extract("Robots need dexterous bimanual shelf inspection.",
                title="QuiltDP: Diffusion Policy for Posture-Dependent Bimanual Shelf Inspection")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"bimanual shelf inspection"}


def test_a_capitalised_preposition_ends_a_title_problem(extract):
    x = extract("We propose QuorraNet. Shelf gap localization during quilted inspection is hard.",
                title="Learning Shelf Gap Localization During Quilted Inspection Via Quorra Attention")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"shelf gap localization"}
    x = extract("We propose QuorraNet.", title="Fast Policy Learning For Multi-Agent Shelf Navigation")
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {"multi-agent shelf navigation"}
    # problems named by a recovery, an induction, a transfer: heads of title-task-heads.txt too
    for title, task in (("QuorraNet for Quilt Pattern Recovery", "quilt pattern recovery"),
                        ("QuorraNet for Semi-Supervised Stitch Lexicon Induction", "semi-supervised stitch lexicon induction"),
                        ("QuorraNet for Cross-Fabric Seam Transfer", "cross-fabric seam transfer")):
        x = extract("We propose QuorraNet.", title=title)
        assert {m.canonical for m in x.mentions if m.type == "Task"} == {task}


def test_no_title_problem_over_a_name_another_rule_found_nor_in_accurate_mode(extract):
    x = extract("We propose QuorraNet.", title="QuorraNet for Robotic Manipulation")
    assert [(m.text, m.component) for m in x.mentions if m.type == "Task"] == [("Robotic Manipulation", "lexicon")]
    from kg.nlp.pipeline import build_nlp
    from kg.nlp.lexicon import CANDIDATES
    doc = build_nlp(mode="accurate")("QuorraNet for Cooperative Shelf Inspection\n\nWe propose QuorraNet.")
    assert not [s for s in doc.spans[CANDIDATES] if s.id_ == "names.title_task"]


def test_phrase_occurrences_in_any_case_are_whole_words_even_where_lower_case_is_longer():
    import re
    from kg.nlp.names import occurrences, whole_word
    for text in ("Route planning, route-planning and route plannings; ROUTE PLANNING.",
                 "İstanbul route planning, then Route Planning.",  # "İ" lower-cases to two characters
                 "deep net deep net deep net deep net"):
        for phrase in ("route planning", "Route planning", "deep net deep net"):
            assert list(occurrences(text, phrase)) == [m.span() for m in whole_word(phrase, re.I).finditer(text)]
            assert list(occurrences(text, phrase, ignore_case=False)) == \
                [m.span() for m in whole_word(phrase).finditer(text)]
    assert list(occurrences("İstanbul route planning", "route planning")) == [(9, 23)]


@pytest.mark.parametrize("title,name", [
    ("Quorrel at SemEval-2020 Task 4: Commonsense Validation with Quilts", "Quorrel"),
    ("Team Quorra Beale at SemEval-2019 Task 4: Hyperpartisan News", "Quorra Beale"),
    ("Quorrel at 3C task B - A simple baseline for citation classification", "Quorrel"),
    ("QUO-NLP at the QuillEval 2019 Shared Task: Stacked Models", "QUO-NLP"),
    ("Quorrel at WebNLG+: Pretrained Models for Data-to-Text Generation", "Quorrel"),  # a benchmark the lexicon knows
    ("Quorrel at QuillDiscovery: Contextual Embeddings for Stitch Change", "Quorrel"),  # a shared task by its shape
    ("Quorrel at WMT19: Transfer Learning Ensembles", "Quorrel"),  # the campaign's edition is no entity
])
def test_the_team_or_system_a_shared_task_title_leads_with_is_proposed(extract, title, name):
    x = extract("We describe our system for the shared task. Our system ranked third.", title=title)
    assert x.proposes == [name]
    assert {m.text: m.type for m in x.mentions}[name] == "Method"
    assert not any(m.text == "WMT19" for m in x.mentions)


@pytest.mark.parametrize("abstract,title,name", [
    ("This paper describes QUILT's submission to the WMT19 news translation task. We use Transformers.", "", "QUILT"),
    ("This paper presents the ZQX’s participation in the WMT19 shared task on robustness.", "", "ZQX"),
    ("In this work, we introduce the methods proposed by the QuillKernel team in the dialect challenge.", "", "QuillKernel"),
    ("We describe our systems for news translation.", "ZQX’s Machine Translation Systems for the WMT19 News Task", "ZQX"),
    # a campaign named as it writes itself makes a shared-task paper, with no "shared task" said
    ("The paper presents the QX-TSC’s pipeline for IWSLT 2022.", "The QX-TSC’s Speech Translation System for IWSLT 2022", "QX-TSC"),
    ("We took part in the WMT21 shared task on a Tamil-Telugu pair with the team name: QNLP-NITS.", "", "QNLP-NITS"),
])
def test_a_team_named_in_a_shared_task_paper_is_proposed(extract, abstract, title, name):
    x = extract(abstract, title=title)
    assert x.proposes == [name]
    assert {m.text: m.type for m in x.mentions}[name] == "Method"


def test_no_team_outside_a_shared_task_paper_nor_an_event_edition(extract):
    x = extract("This paper describes QUILT's attention heads and ZQX's system for parsing.")
    assert x.proposes == []
    # a campaign's edition in a title's "for ..." is no task
    x = extract("We describe our entry.", title="Quorrel's Systems for the IWSLT 2022 Offline Evaluation")
    assert not any(m.type == "Task" for m in x.mentions)
    x = extract("We examine the submissions of QuillGenMo 2018, an online shared-task-like event.")
    assert "QuillGenMo" not in x.proposes


def test_a_shared_task_track_is_a_benchmark_named_by_its_campaign_and_own_words(extract):
    x = extract("We describe our systems for the WMT19 shared news translation task and the "
                "WMT 2018 parallel corpus filtering task. Both took part in the WMT21 shared task too.",
                title="Our Submission to the AmericasNLP 2021 Shared Task on Open Machine Translation")
    ms = by_text(x)
    assert ms["WMT19 shared news translation"].type == "Benchmark"
    assert ms["WMT19 shared news translation"].canonical == "WMT19 news translation"
    assert ms["WMT 2018 parallel corpus filtering"].type == "Benchmark"
    assert ms["AmericasNLP 2021 Shared Task on Open Machine Translation"].type == "Benchmark"
    # the campaign's edition as the event is no entity (typology), nor a track with no words of its own
    assert not any(m.text.startswith("WMT21") for m in x.mentions)
    assert not any("Our Submission" in m.text for m in x.mentions)


def test_a_campaign_named_in_passing_makes_no_track(extract):
    x = extract("Most systems at the SemEval task of humor detection and the WMT 2020 shared task used BERT.")
    assert not any(m.type == "Benchmark" for m in x.mentions)


def test_a_title_with_at_but_no_shared_task_names_no_team(extract):
    x = extract("We study scaling.", title="Learning at Scale: Robots That Quilt")
    assert x.proposes == []


def test_a_phrase_ending_on_a_measure_word_before_of_and_a_number_is_a_metric(extract):
    x = extract("Quillformer reaches an F1 score of 0.82, quill drift loss of 0.04 and an average stitch "
                "completion time of 3.2 s, trained with a learning rate of 0.001 on a performance budget of 5 GPUs.",
                title="Quillformer: Sewing with Transformers")
    metrics = {m.canonical for m in x.mentions if m.type == "Metric"}
    assert {"quill drift loss", "stitch completion time"} <= metrics  # "average" says how much, not which
    assert not {"learning rate", "performance budget"} & metrics  # a setting; no measure word
    bound = {(r.metric, r.number) for r in x.results if r.subject == "Quillformer"}
    assert {("quill drift loss", "0.04"), ("stitch completion time", "3.2")} <= bound


def test_a_measure_over_the_top_k_answers_is_one_metric(extract):
    x = extract("Quillformer reaches a seam accuracy of 90% and Top-3 seam accuracy of 100%; the top-3 candidates "
                "are kept.", title="Quillformer: Sewing with Transformers")
    types = {m.text: (m.type, m.canonical) for m in x.mentions}
    assert types["Top-3 seam accuracy"] == ("Metric", "top-3 seam accuracy")
    assert "Top-3" not in types and "top-3 candidates" not in types  # no model "Top-3"; "candidates" measures nothing


def test_the_items_of_a_list_the_text_calls_metrics_are_metrics(extract):
    x = extract("The suite reports standardized metrics such as seam success rate, QZR, and safe seam success rate. "
                "Other metrics such as BLEU-4 and stitch density show clear gains on quilting.")
    types = {m.text: m.type for m in x.mentions}
    assert types["QZR"] == "Metric"  # the list types an acronym its shape alone would call a Method
    assert types["seam success rate"] == types["safe seam success rate"] == "Metric"
    assert "stitch density show clear gains" not in types  # a clause is no list item


def test_the_items_of_a_list_of_tasks_or_applications_are_tasks(extract):
    x = extract("Quill agents suit tasks like seam review and thread moderation. QuorraNet serves applications "
                "such as streaming quilt captioning, embroidery, and sewing robots, and domains (e.g., further "
                "improving the stitches). We find that seam review remains hard.")
    tasks = {m.text for m in x.mentions if m.type == "Task"}
    assert {"seam review", "thread moderation", "streaming quilt captioning"} <= tasks
    assert len([m for m in x.mentions if m.text == "seam review"]) == 2  # its later use is a mention too
    # a thing, a clause, a single word (a sector or a setting more often than a problem): no problems
    assert not tasks & {"sewing robots", "further improving the stitches", "embroidery"}
    x = extract("Quill agents face challenges such as thread ambiguity.")
    assert not [m for m in x.mentions if m.type == "Task"]


def test_a_title_leading_with_its_own_kind_of_a_known_method_names_and_proposes_it(extract):
    x = extract("We introduce a seam pruning approach for small models. Seam pruning extends movement pruning.",
                title="Seam Pruning for Faster Quilting Transformers")
    assert x.proposes == ["seam pruning"]
    assert {m.text: m.type for m in x.mentions}["Seam Pruning"] == "Method"
    # not without the abstract using the name again, nor when the title says what is done to a method
    x = extract("We study pruning of quilting models.", title="Seam Pruning for Faster Quilting Transformers")
    assert x.proposes == []
    x = extract("Enriching seam pruning helps. We enrich seam pruning with teachers.",
                title="Enriching Seam Pruning with Teachers")
    assert "enriching seam pruning" not in [p.lower() for p in x.proposes]


def test_a_compound_of_ordinary_words_the_authors_introduce_is_their_name(extract):
    # "Audio" and "VLA" are each no name, and a shape-found "Audio-VLA" would be a description
    x = extract("This paper proposes Audio-VLA, a multimodal manipulation policy. Audio-VLA employs DINOv2.",
                title="Audio-VLA: Adding Contact Audio Perception to Robot Policies")
    assert "Audio-VLA" in x.proposes
    assert ("Audio-VLA", "uses", "DINOv2") in {(r.head, r.type, r.tail) for r in x.relations}


def test_a_name_introduced_before_which_is_a_name(extract):
    x = extract("In this paper, we introduce Quill Ranker which ranks paragraphs. We introduce a method which "
                "works. Quill Ranker improves recall.")
    assert x.proposes == ["Quill Ranker"]


def test_a_known_measure_at_a_cutoff_is_one_metric(extract):
    x = extract("We report mAP@0.7, EM@1 and AP@0.95, and mail results to quill@42.")
    assert {m.text for m in x.mentions if m.type == "Metric"} == {"mAP@0.7", "EM@1", "AP@0.95"}


def test_a_title_word_only_its_capitals_make_a_name_is_none_unless_the_abstract_uses_it(extract):
    x = extract("We match ground images to satellite maps for off-road localization.",
                title="Particle Filtering with BEV-Aerial Feature Matching for Geo-Localization")
    assert "BEV-Aerial" not in {m.canonical for m in x.mentions}
    x = extract("We match ground images with ZorbNet-Lite and show ZorbNet-Lite is fast.",
                title="Particle Filtering with ZorbNet-Lite Feature Matching")
    assert "ZorbNet-Lite" in {m.canonical for m in x.mentions}


def test_a_shared_task_title_keeps_its_team_though_the_abstract_does_not_repeat_it(extract):
    x = extract("We describe our submission, a cascade of recognition and translation models.",
                title="The ZORB-JD Speech Translation System for IWSLT2021")
    assert "ZORB-JD" in {m.canonical for m in x.mentions}


def test_a_dimension_before_a_name_keeps_it_a_name(extract):
    x = extract("As a demonstration, we introduce the 3D-BabyRobot dataset, a collection of clips. "
                "We also estimate 6DoF poses and 3D shapes.")
    found = {m.canonical: m.type for m in x.mentions}
    assert found.get("3D-BabyRobot") == "Dataset"
    assert not {"6DoF", "3D"} & set(found)


def test_a_name_after_a_naming_verb_runs_over_its_capitalised_words(extract):
    x = extract("We propose a defense termed Intent Inversion that blocks attacks. A score called Usability "
                "Index is reported. We propose a novel model called Dual BERT, which reads twice.")
    found = {m.canonical for m in x.mentions}
    assert {"Intent Inversion", "Usability Index", "Dual BERT"} <= found
    assert not {"Intent", "Usability", "Dual"} & found


def test_the_items_of_a_list_of_tasks_after_a_colon_are_tasks(extract):
    x = extract("QuillBench evaluates three proofreading tasks: segment type identification, split error "
                "correction, and merge error detection. It also covers two tasks: (1) a motion and (2) a grasp.")
    found = {m.canonical for m in x.mentions if m.type == "Task"}
    assert {"segment type identification", "split error correction", "merge error detection"} <= found
    assert not {"a motion", "motion"} & found


def test_a_named_part_after_with_or_a_describing_word_is_found(extract):
    x = extract("In addition, a pluggable Reference Adapter enables editing. Zorbnet augments its backbone with "
                "Cross-Plane Zorb blocks. We train with Graph Neural Network layers.")
    found = {m.canonical: m.component for m in x.mentions}
    assert found.get("Reference Adapter") == found.get("Cross-Plane Zorb") == "names.part"
    assert "Graph Neural Network" not in found  # a known name with a part noun is no part of the paper's


def test_a_name_run_stops_at_a_sentence_start_and_a_title_keeps_the_name_it_ends_on(extract):
    x = extract("We built an open-source platform called MTET The evaluation shows gains.",
                title="Probing Multilingual Sentence Representations With X-Probe")
    found = {m.canonical for m in x.mentions}
    assert {"MTET", "X-Probe"} <= found and "MTET The" not in found


def test_a_list_of_tasks_set_off_by_dashes_is_read_to_its_closing_dash(extract):
    x = extract("We show transfer to real-world manipulation tasks--such as peg insertion and bottle lid "
                "opening--without fine-tuning.")
    found = {m.canonical for m in x.mentions if m.type == "Task"}
    assert {"peg insertion", "bottle lid opening"} <= found, found


def test_a_title_problem_keeps_the_of_inside_its_hyphenated_word(extract):
    x = extract("Prior studies on out-of-domain detection need labels.",
                title="Unsupervised Out-of-Domain Detection via Pre-trained Transformers")
    assert "out-of-domain detection" in {m.canonical for m in x.mentions if m.type == "Task"}


def test_a_name_counted_in_thousands_is_data_not_a_model_size(extract):
    # "-7B" counts parameters (a Model); "-91K" counts examples
    x = extract("We release Quillo-91K, a corpus of stitches, and train Quillo-7B on it. "
                "Experiments on four datasets (Stitch5K, SeamSet, HemNet and Purl3D) follow.")
    types = {m.text: m.type for m in x.mentions}
    assert types["Quillo-91K"] == "Dataset" and types["Stitch5K"] == "Dataset"
    assert types["Quillo-7B"] == "Model"
    y = extract("We evaluate on the QuillBench-2K benchmark.")
    assert {m.type for m in y.mentions if m.text == "QuillBench-2K"} == {"Benchmark"}


def test_a_title_lead_phrase_with_function_words_is_no_name_unless_the_abstract_uses_it(extract):
    x = extract("This survey reviews quilting agents and their QEDA tools.",
                title="The Dawn of Agentic QEDA: A Survey of Autonomous Quilt Design")
    assert x.proposes == [] and not any("Dawn" in m.text for m in x.mentions)
    # named again in the abstract, the same form is the paper's name
    y = extract("We present Chain of Quilts, a prompting method. Chain of Quilts helps small models.",
                title="Chain of Quilts: Prompting for Stitch Reasoning")
    assert y.proposes == ["Chain of Quilts"]


def test_a_title_lead_joining_two_ordinary_terms_names_nothing_though_the_abstract_repeats_it(extract):
    x = extract("We study the relation between stitches and self-attention in quilting models. "
                "We propose seam attention, which unites both.",
                title="Stitches and Self-Attention: Re-interpreting Seams in Quilt Models")
    assert not any("Stitches and" in p for p in x.proposes)
    assert "seam attention" in x.proposes


def test_a_title_that_opens_with_an_article_and_a_case_sensitive_lexicon_name_in_other_case_names_nothing(extract):
    # "Simple" is not the method SimPLe, and "A" is no word of a name
    x = extract("We present a simple and effective quilt parser for Telugu.",
                title="A Simple and Effective Quilt Parser for Telugu")
    assert x.proposes == [] and not any(m.text.lower() == "a simple" for m in x.mentions)


def test_two_names_introduced_together_are_two_entities_a_name_with_and_written_so_again_is_one(extract):
    x = extract("We present QuillCodec and SeamServe, two systems for video serving. QuillCodec and SeamServe cut latency.",
                title="QuillCodec and SeamServe: Fast Quilt Serving")
    assert set(x.proposes) == {"QuillCodec", "SeamServe"}
    assert not any(" and " in m.text for m in x.mentions)
    y = extract("We release Look and Quilt, a dataset of stitches. Look and Quilt holds 5,000 videos.",
                title="Look and Quilt: A Dataset for Stitch Grounding")
    assert y.proposes[:1] == ["Look and Quilt"]


def test_a_name_next_to_a_hardware_noun_is_no_entity_anywhere_in_the_paper(extract):
    # typology: hardware, robots and sensors are not entities
    x = extract("QUILTA2 extends the dual-arm teleoperated robot QUILTA. Like QUILTA, it carries two "
                "StitchX 6-DoF arms. We train QuillPolicy on it and compare with OpenVLA.")
    names = {m.text for m in x.mentions}
    assert not {"QUILTA", "StitchX"} & names
    assert {"QuillPolicy", "OpenVLA"} <= names


def test_a_shared_tasks_full_name_after_a_colon_is_the_track_and_the_names_inside_are_not_tagged(extract):
    x = extract("We describe our entry to the AmericasNLP 2031 Shared Task: Open Machine Translation for "
                "Indigenous Languages of the Americas. Our system ranks third.",
                title="Quorrel at the AmericasNLP 2031 Shared Task: Stacked Translators for Many Languages")
    tracks = {m.canonical for m in x.mentions if m.type == "Benchmark"}
    # one name, as "Shared Task on X" gives it; in the title the words after the colon are the paper's own
    assert tracks == {"AmericasNLP 2031 Shared Task on Open Machine Translation for Indigenous Languages"}
    assert not any(m.canonical == "machine translation" for m in x.mentions)
    # the lexicon's name for an edition's one track wins, and no name inside the long name is tagged
    x = extract("We describe our entry to the CoNLL 2017 Shared Task: Multilingual Parsing from Raw Text to "
                "Universal Dependencies. Our parser ranks third.")
    assert {m.canonical for m in x.mentions if m.type == "Benchmark"} == {"CoNLL 2017 UD shared task"}
    assert not any(m.canonical == "Universal Dependencies" for m in x.mentions)


@pytest.mark.parametrize("title,task", [
    ("Quorra: Real-Time 3D Object Detection with Aligned Learning", "3D object detection"),
    ("Zorbnet: A Robot for Real-time Illegal Parking Recognition", "illegal parking recognition"),
    ("Quillot: Drones for Efficient Flood Depth Mapping", "flood depth mapping"),
])
def test_a_title_problems_setting_or_praise_word_is_left_off_it(extract, title, task):
    x = extract("We build the system and test it.", title=title)
    assert {m.canonical for m in x.mentions if m.type == "Task"} == {task}
