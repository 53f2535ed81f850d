"""Sentence-level relations, proposals and results, each pinned on a sentence written for it."""
import json
from pathlib import Path

import pytest


def rels(x):
    return {(r.head, r.type, r.tail) for r in x.relations}


TITLE = "Orca-Nav: Navigation with Language"


@pytest.mark.parametrize("sentence,expected", [
    ("Orca-Nav builds on Llama 2 and DINOv2.", {("Orca-Nav", "basedOn", "Llama 2"), ("Orca-Nav", "basedOn", "DINOv2")}),
    ("Orca-Nav is fine-tuned from Mistral-7B.", {("Orca-Nav", "basedOn", "Mistral-7B")}),
    ("Orca-Nav outperforms RT-2 and OpenVLA by a wide margin.",
     {("Orca-Nav", "outperforms", "RT-2"), ("Orca-Nav", "outperforms", "OpenVLA")}),
    ("We evaluate Orca-Nav on the CALVIN benchmark and on LIBERO.",
     {("Orca-Nav", "evaluatedOn", "CALVIN"), ("Orca-Nav", "evaluatedOn", "LIBERO")}),
    ("Orca-Nav is trained on the Open X-Embodiment dataset.", {("Orca-Nav", "trainedOn", "Open X-Embodiment")}),
    ("Orca-Nav uses LoRA for efficient adaptation.", {("Orca-Nav", "uses", "LoRA")}),
    ("We use Orca-Nav for autonomous driving.", {("Orca-Nav", "addresses", "autonomous driving")}),
    # a claim of speed is one of superiority, however many words the comparison takes
    ("Orca-Nav achieves up to 2.6x faster attention computation than FlashAttention.",
     {("Orca-Nav", "outperforms", "FlashAttention")}),
    ("Our method demonstrates a 40 times speedup over COLMAP.", {("Orca-Nav", "outperforms", "COLMAP")}),
])
def test_patterns(extract, sentence, expected):
    x = extract(f"We propose Orca-Nav. {sentence}", title=TITLE)
    assert expected <= rels(x)


@pytest.mark.parametrize("sentence,absent", [
    ("Unlike PPO, Orca-Nav needs no reward model.", ("Orca-Nav", "outperforms", "PPO")),
    ("Orca-Nav does not outperform GPT-4 on hard tasks.", ("Orca-Nav", "outperforms", "GPT-4")),
    ("Orca-Nav fails to beat GPT-4 on long horizons.", ("Orca-Nav", "outperforms", "GPT-4")),
    ("Compared with BERT, Orca-Nav is smaller.", ("Orca-Nav", "outperforms", "BERT")),
    ("Orca-Nav is on par with CLIP.", ("Orca-Nav", "outperforms", "CLIP")),
    ("Orca-Nav outperforms baselines on several tasks.", ("Orca-Nav", "outperforms", "baselines")),
])
def test_negation_and_comparison_give_no_relation(extract, sentence, absent):
    x = extract(f"We propose Orca-Nav. {sentence}", title=TITLE)
    assert absent not in rels(x)


def test_what_a_method_does_without_requiring_is_not_used(extract):
    x = extract("We propose Orca-Nav, a multi-image agent. Orca-Nav achieves stable tool use behavior via pure RL "
                "training without requiring costly supervised fine-tuning data. Orca-Nav outperforms GPT-4o.",
                title=TITLE)
    assert ("Orca-Nav", "uses", "SFT") not in rels(x)
    assert ("Orca-Nav", "outperforms", "GPT-4o") in rels(x)


def test_what_a_sentence_opening_on_unlike_names_before_its_comma_is_not_used(extract):
    x = extract("We propose Orca-Nav, a pose-free mapping method. Unlike prior works that use COLMAP for "
                "initialization, Orca-Nav uses VGGT to obtain initial poses. In contrast to methods built on "
                "NeRF, our method uses Gaussian Splatting.")
    assert not {r for r in rels(x) if r[2] in ("COLMAP", "NeRF")}
    assert ("Orca-Nav", "uses", "VGGT") in rels(x)


def test_a_metric_the_paper_introduces_is_proposed(extract):
    # typology: proposes goes from a paper to anything it contributes, a measure too
    x = extract("To quantify this uncertainty, we introduce Quilt Entropy, a computable metric of denoising paths. "
                "Quilt Entropy correlates with sample quality.")
    assert {m.type for m in x.mentions if m.canonical == "Quilt Entropy"} == {"Metric"}
    assert "Quilt Entropy" in x.proposes


def test_proposes_from_we_propose(extract):
    x = extract("In this work, we propose Kitewing, a simple planner. Kitewing outperforms PPO.")
    assert x.proposes == ["Kitewing"]
    assert ("Kitewing", "outperforms", "PPO") in rels(x)


def test_a_known_name_that_leads_the_title_is_proposed(extract):
    # the lexicon knows Zephyr, and the proposal model learned that known names are seldom
    # proposed; the paper that made it still proposes it (typology: a title's leading name)
    x = extract("Zephyr-7B is a chat model fine-tuned from Mistral 7B with distilled direct preference "
                "optimization (dDPO). Zephyr-7B outperforms Llama2-Chat-70B on MT-Bench.",
                title="Zephyr: Distilling Chat Alignment into a Small Model")
    assert x.proposes == ["Zephyr"]
    assert ("Zephyr", "evaluatedOn", "MT-Bench") in rels(x)


def test_what_a_denied_method_comes_with_is_denied_too(zephyr):
    # "unlike RLHF with PPO, never samples from the model": neither is what Zephyr uses
    assert {("Zephyr", "uses", "PPO"), ("Zephyr", "uses", "RLHF")}.isdisjoint(rels(zephyr))
    assert ("Zephyr", "uses", "dDPO") in rels(zephyr)


def test_data_no_sentence_evaluates_on_is_used_not_evaluated_on(zephyr):
    # "the model imitates dialogues from the UltraChat dataset": training data, not a benchmark
    assert ("Zephyr", "evaluatedOn", "UltraChat") not in rels(zephyr)
    assert ("Zephyr", "evaluatedOn", "MT-Bench") in rels(zephyr)


def test_data_a_score_is_reported_on_is_evaluated_on(extract):
    # no evaluation word, but a score: "obtains a 61% win rate" on the data the sentence opens with
    x = extract("We propose Kitewing, a preference optimisation method. On summarization with the Reddit TL;DR "
                "dataset, Kitewing obtains a 61% win rate over reference summaries.")
    assert ("Kitewing", "evaluatedOn", "Reddit TL;DR") in rels(x)


def test_proposes_only_the_first_name_after_the_verb(extract):
    x = extract("We propose Kitewing, which builds on PPO and uses LoRA.")
    assert x.proposes == ["Kitewing"]


def test_well_known_name_used_is_not_proposed(extract):
    x = extract("We introduce a planner that uses PPO.")
    assert "PPO" not in x.proposes


def test_our_method_statements_attach_to_the_paper_method(extract):
    x = extract("We propose Kitewing. Our method is evaluated on the MT-Bench benchmark.")
    assert ("Kitewing", "evaluatedOn", "MT-Bench") in rels(x)


def test_its_after_an_additive_opening_speaks_of_the_papers_method(extract):
    x = extract("We propose Kitewing, a pre-training method. Furthermore, its learned features outperform "
                "leading encoders such as DINOv2 and CLIP.")
    assert {("Kitewing", "outperforms", "DINOv2"), ("Kitewing", "outperforms", "CLIP")} <= rels(x)
    # after "However," it is mostly a prior system's limitation
    x = extract("We propose Kitewing. DINOv2 is strong. However, its features outperform CLIP only by day.")
    assert ("Kitewing", "outperforms", "CLIP") not in rels(x)


def test_an_evaluation_is_of_the_proposed_system_its_sentence_names(extract):
    # the paper proposes a paradigm first and then a system: the experiments are the system's
    x = extract("We propose a robust paradigm, termed Quill-by-Correction, which starts from a complete shape. "
                "Building upon this paradigm, we introduce QuillNet, a multi-stage framework that refines "
                "geometry. Experiments on the ShapeNet dataset demonstrate the superiority of QuillNet over "
                "prior baselines.", title="Rethinking Completion: A Quill-by-Correction Perspective")
    assert ("QuillNet", "evaluatedOn", "ShapeNet") in rels(x)
    assert ("Quill-by-Correction", "evaluatedOn", "ShapeNet") not in rels(x)


def test_a_name_a_gerund_opens_on_is_acted_on_not_the_subject(extract):
    x = extract("We propose Kitewing, a robot policy. Serving the Llama2 backbone with 4-bit quantization "
                "keeps its success rate unchanged.")
    assert ("Llama 2", "uses", "quantization") not in rels(x)
    x = extract("We propose Kitewing, a robot policy. OpenVLA builds on Llama 2.")
    assert ("OpenVLA", "basedOn", "Llama 2") in rels(x)  # a name that opens the sentence still is


def test_a_stage_of_the_method_that_opens_a_sentence_speaks_for_the_method(extract):
    x = extract("We propose Orca-Nav, a planner. Optimisation uses Group Relative Policy Optimization (GRPO). "
                "Its decoder relies on LoRA. Prior work uses DPO.", title=TITLE)
    assert {("Orca-Nav", "uses", "GRPO"), ("Orca-Nav", "uses", "LoRA")} <= rels(x)
    assert ("Orca-Nav", "uses", "DPO") not in rels(x)  # others' work, not a stage of the method
    # before the authors speak, a stage names no one's method yet
    x = extract("Optimisation uses DPO in most systems. We propose Orca-Nav.", title=TITLE)
    assert ("Orca-Nav", "uses", "DPO") not in rels(x)


def test_an_apposition_describes_the_name_before_it_not_the_subject(extract):
    x = extract("We propose Orca-Nav. Orca-Nav builds on Mistral-7B, a variant of Llama 2, and uses LoRA.",
                title=TITLE)
    assert {("Orca-Nav", "basedOn", "Mistral-7B"), ("Orca-Nav", "uses", "LoRA")} <= rels(x)
    assert ("Orca-Nav", "basedOn", "Llama 2") not in rels(x)  # "a variant of" is said of Mistral-7B
    # a name in brackets right after the subject is the subject's: the apposition describes both
    x = extract("We propose Orca Navigation Planner (ON-P+), an enhanced Diffusion Policy method.", title=TITLE)
    assert any(r.type == "basedOn" and r.tail == "Diffusion Policy" for r in x.relations)
    # after the apposition ends (", and ..."), the subject speaks again
    x = extract("We propose Orca-Nav. Orca-Nav uses LoRA, a cheap method, and builds on Llama 2.", title=TITLE)
    assert ("Orca-Nav", "basedOn", "Llama 2") in rels(x)


def test_a_name_in_apposition_after_the_opening_words_is_the_subject(extract):
    # "it ... outperforms" is said of the dialogue version, not of the base model the paper proposes
    x = extract("We introduce Mistral 7B, a small language model. An instruction-following version, Mistral 7B-Instruct, is "
                "fine-tuned from Mistral 7B on public data; it scores 6.8 on MT-Bench and outperforms Llama 2 13B-Chat.")
    assert ("Mistral-7B-Instruct", "outperforms", "Llama2-13B-Chat") in rels(x)
    assert ("Mistral-7B", "outperforms", "Llama2-13B-Chat") not in rels(x)


def test_paper_without_a_method_is_the_head(extract):
    x = extract("This paper studies imitation learning for robotic manipulation.")
    assert x.proposes == []
    assert ("PAPER", "addresses", "imitation learning") in rels(x)


def test_result_with_number_metric_and_benchmark(extract):
    x = extract("We propose Kitewing. Kitewing achieves 88.1 PDMS on NAVSIM.")
    result = next(r for r in x.results if r.subject == "Kitewing")
    assert (result.benchmark, result.metric, result.number) == ("NAVSIM", "PDMS", "88.1")
    assert ("NAVSIM", "measuredBy", "PDMS") in rels(x)


def test_percentage_result(extract):
    x = extract("We propose Kitewing. Kitewing reaches 92.3% accuracy on ImageNet.")
    r = next(r for r in x.results if r.subject == "Kitewing")
    assert (r.benchmark, r.metric, r.number, r.unit) == ("ImageNet", "accuracy", "92.3", "%")


def test_counts_are_not_results(extract):
    x = extract("We propose Kitewing and test it on 29 tasks across 3 robots.")
    assert x.results == []


def test_every_relation_has_its_sentence(extract):
    x = extract("We propose Kitewing. Kitewing builds on PPO. It is fast.")
    r = next(r for r in x.relations if r.type == "basedOn")
    assert r.evidence.sentence == "Kitewing builds on PPO."
    assert x.paper.text[r.evidence.start:r.evidence.end].strip() == r.evidence.sentence
    assert r.evidence.rule == "relations.basedOn"


def test_result_belongs_to_the_nearest_method_unless_a_comparison_intervenes(extract):
    x = extract("This benchmark ranks planners. TransFuser reaches 84.0 PDMS on NAVSIM, on par with UniAD at 83.4 PDMS. "
                "OpenVLA outperforms RT-2-X by 16.5% success rate.")
    got = {(r.subject, r.number) for r in x.results}
    assert {("TransFuser", "84.0"), ("UniAD", "83.4"), ("OpenVLA", "16.5")} <= got


def test_result_takes_the_benchmark_nearest_its_number(extract):
    x = extract("We propose Zorblax. On the Reddit TL;DR dataset, Zorblax obtains a 61% win rate, "
                "and it also holds up on the Anthropic HH dataset.")
    r = next(r for r in x.results if r.number == "61")
    assert r.benchmark == "Reddit TL;DR"


# --- the wrong facts a new user found in the example build (issue 14), each on an abstract written for it ---

def test_a_relation_is_stated_of_the_tail_in_its_own_clause(extract):
    x = extract("This report describes Zorbo, a family of open models with 7 and 13 billion parameters, and "
                "Zorbo-Chat, its dialogue-tuned counterpart. Zorbo-Chat is tuned with PPO.", title="Zorbo: Open Models")
    assert ("Zorbo", "uses", "Zorbo-Chat") not in rels(x)
    assert ("Zorbo", "uses", "PPO") not in rels(x)  # the sentence gives PPO to Zorbo-Chat


def test_a_task_the_title_denies_is_not_addressed(extract):
    x = extract("We propose Zorbl, which fits a policy to preferences with a single supervised loss.",
                title="Zorbl: Aligning Language Models Without Reinforcement Learning")
    assert not any(r.type == "addresses" and r.tail == "reinforcement learning" for r in x.relations)


def test_a_number_for_another_system_is_that_systems_result(extract):
    x = extract("We propose Zorbl. On the Reddit TL;DR dataset, Zorbl obtains a 61% win rate, compared with 57% "
                "for PPO, and it also holds up on the Anthropic HH dataset.")
    got = {(r.subject, r.benchmark, r.number) for r in x.results}
    assert ("Zorbl", "Reddit TL;DR", "61") in got and ("PPO", "Reddit TL;DR", "57") in got
    assert not any(r.number == "57" and (r.subject == "Zorbl" or r.benchmark == "Anthropic HH") for r in x.results)
    assert ("Zorbl", "uses", "PPO") not in rels(x)  # "compared with ... PPO" states no use


def test_each_number_takes_the_metric_of_its_own_clause(extract):
    x = extract("We propose Zorbl. Zorbl reaches an F1 score of 0.82, seam loss of 0.04, a quilt drift of 0.07 "
                "and recall of 0.96.")
    by_number = {r.number: r for r in x.results}
    assert by_number["0.82"].metric == "F1" and by_number["0.96"].metric == "recall"
    assert by_number["0.04"].metric == "seam loss"  # a measure word names a metric the lexicon lacks
    # no measure named: the number keeps the words that say what it is
    assert by_number["0.07"].metric is None and "quilt drift" in by_number["0.07"].value


def test_a_setting_of_the_run_is_no_result(extract):
    x = extract("We propose Zorbl. Trained with a learning rate of 0.001 and a batch size of 64, Zorbl reaches "
                "an accuracy of 91.2% and a quilt drift of 0.07.")
    assert sorted(r.number for r in x.results) == ["0.07", "91.2"]


def test_result_values_keep_sign_spread_and_unit(extract):
    x = extract("We propose Zorbl. Zorbl reaches 88.1\u00b10.3 top-1 accuracy on CIFAR-10 and 90.2 \u00b1 0.4% "
                "accuracy on CIFAR-100. Zorbl reduces the error rate on GLUE by \u22125.2 points. "
                "ResNet-50 reaches 0.81 accuracy on ImageNet, while Zorbl achieves 85.2% accuracy on ImageNet.")
    got = {(r.subject, r.benchmark, r.number, r.unit) for r in x.results}
    assert ("Zorbl", "CIFAR-10", "88.1", None) in got and ("Zorbl", "CIFAR-100", "90.2", "%") in got
    assert not any(r.number in ("0.3", "0.4") for r in x.results)  # a spread is no result of its own
    assert ("Zorbl", "GLUE", "-5.2", "points") in got  # U+2212 is a minus sign
    assert ("ResNet-50", "ImageNet", "0.81", None) in got and ("Zorbl", "ImageNet", "85.2", "%") in got


def test_the_papers_model_does_not_use_its_own_variants(extract):
    # the example corpus's Llama 2 paper: its results sentence names Llama2-70B
    import json
    from pathlib import Path
    papers = [json.loads(line) for line in (Path(__file__).parents[2] / "examples" / "papers.jsonl").open()]
    p = next(p for p in papers if p["title"].startswith("Llama 2:"))
    x = extract(p["abstract"], title=p["title"])
    assert "Llama 2" in x.proposes
    assert not any(r.head == "Llama 2" and r.tail == "Llama2-70B" and r.type != "variantOf" for r in x.relations)
    # "Llama 2-Chat is fine-tuned ... with Proximal Policy Optimization (PPO)": PPO is Llama 2-Chat's
    assert ("Llama 2", "uses", "PPO") not in rels(x) and ("Llama 2-Chat", "uses", "PPO") in rels(x)
    assert ("Llama 2", "uses", "SFT") not in rels(x)


def test_a_list_of_numbers_takes_a_list_of_metrics_in_order(extract):
    x = extract("We propose Zorbl. Against rule-based filters, Zorbl gains 12.5%, 8.25% and 10.75% in precision, "
                "recall and F1 respectively.")
    got = {r.number: r.metric for r in x.results}
    assert got == {"12.5": "precision", "8.25": "recall", "10.75": "F1"}


def test_lists_of_different_lengths_are_not_paired(extract):
    x = extract("We propose Zorbl. Zorbl gains 12.5% and 8.25% in precision, recall and F1.")
    assert {r.number: r.metric for r in x.results}["12.5"] != "precision"


def test_a_number_continuing_a_list_keeps_the_metric(extract):
    x = extract("We propose Zorbl. Zorbl reaches a BLEU score of 31.4 for Fr-En and 29.9 for En-Fr.")
    assert {r.number: r.metric for r in x.results} == {"31.4": "BLEU", "29.9": "BLEU"}


def test_a_margin_takes_the_sentences_one_metric_but_a_speed_up_does_not(extract):
    x = extract("We propose Zorbl. Zorbl attains a success rate of 71%, beating two planners by 14% and 9%, "
                "and runs 3.5x faster.")
    got = {r.number: r.metric for r in x.results}
    assert got == {"71": "success rate", "14": "success rate", "9": "success rate", "3.5": None}


def test_a_number_past_its_clause_takes_the_sentences_one_benchmark(extract):
    x = extract("We propose Zorbl. Zorbl reaches a BLEU score of 31.4 for Fr-En and 29.9 for En-Fr on the "
                "Quillbench benchmark.")
    assert {(r.number, r.benchmark) for r in x.results} == {("31.4", "Quillbench"), ("29.9", "Quillbench")}
    x = extract("We propose Zorbl. Zorbl gains 4.5% accuracy on GLUE, while it gains 2.1% on SuperGLUE.")
    assert {(r.number, r.benchmark) for r in x.results} == {("4.5", "GLUE"), ("2.1", "SuperGLUE")}


def test_the_number_a_result_is_compared_with_is_not_its_own(extract):
    x = extract("We propose Zorbl. Zorbl reaches 0.95 mean AUC vs. 0.89 for the plain detector, and an accuracy "
                "of 82% versus 70%.")
    assert sorted(r.number for r in x.results) == ["0.95", "82"]
    x = extract("We propose Zorbl. Zorbl raises the BLEU score on Quillbench from 16.38 to 22.62.")
    assert {(r.number, r.metric) for r in x.results} == {("22.62", "BLEU")}
    # the change set off by a comma is an aside of the metric's clause
    x = extract("We propose Zorbl. We achieve a 6-point improvement over the best system on ROUGE-L, from 16.38 to 22.62.")
    assert ("22.62", "ROUGE-L") in {(r.number, r.metric) for r in x.results}
    # a number given to another named system stays that system's result
    x = extract("We propose Zorbl. Zorbl obtains a 61% win rate, compared with 57% for PPO.")
    assert {(r.subject, r.number) for r in x.results} == {("Zorbl", "61"), ("PPO", "57")}


def test_a_list_of_numbers_repeats_the_metrics_of_the_list_before_it(extract):
    x = extract("We propose Zorbl. Zorbl reduces the word error rate (WER) by 14.3% and the character error rate "
                "(CER) by 11.4% on read speech, and by 52.8% and 41.3% on spontaneous speech.")
    wer, cer = "word error rate", "character error rate"
    assert {(r.number, r.metric) for r in x.results} == {("14.3", wer), ("11.4", cer), ("52.8", wer), ("41.3", cer)}


def test_a_test_statistic_is_not_a_result(extract):
    # a p-value or a sample size qualifies a result; it is none itself
    x = extract("We propose Zorbl. Zorbl reaches a mean AUC of 0.95 versus 0.89 for the baseline (p < 0.001) "
                "over n = 240 scans, and an accuracy of 82%.")
    assert sorted(r.number for r in x.results) == ["0.95", "82"]
    x = extract("We propose Zorbl. Zorbl improves the F1 score to 0.71 (p-value of 0.02).")
    assert [r.number for r in x.results] == ["0.71"]
    # the word "Faster" of a name is no result verb: a cohort's figures are no results
    x = extract("We propose Zorbl. A Faster R-CNN detector was trained on Quillset (1,213 patients; 52.4 percent "
                "male; mean age 63.2 years).")
    assert x.results == []


def test_latex_percent_and_times_are_read_as_units(extract):
    # arXiv abstracts keep their LaTeX: "52\\%" is a percentage, "2.6$\\times$" a speed-up
    x = extract("We propose Zorbl. Zorbl reaches 52\\% accuracy on Quillbench, and up to 2.6$\\times$ faster "
                "decoding than beam search.")
    got = {r.number: (r.unit, r.metric, r.value) for r in x.results}
    assert got["52"] == ("%", "accuracy", "52%")
    assert got["2.6"] == ("\u00d7", None, "2.6\u00d7")  # a speed-up takes no accuracy from its list


def test_a_result_on_two_listed_benchmarks_is_two_results(extract):
    x = extract("We propose Zorbl. On nuScenes and Argoverse 2, Zorbl reaches 75% of the supervised accuracy.")
    assert {(r.benchmark, r.number) for r in x.results} == {("nuScenes", "75"), ("Argoverse 2", "75")}
    # a list named past the number's clause, the sentence's only benchmarks, holds it too
    x = extract("We propose Zorbl. Zorbl shows large gains (up to 63% in terms of required samples) for policy "
                "alignment in the large-scale environments of the DeepMind Control Suite and Meta-World tasks.")
    assert {(r.benchmark, r.number) for r in x.results} == {("DeepMind Control Suite", "63"), ("Meta-World", "63")}
    # "respectively" pairs a list with numbers instead
    x = extract("We propose Zorbl. On nuScenes and Argoverse 2, Zorbl gains 4.5% and 2.1%, respectively.")
    assert {(r.benchmark, r.number) for r in x.results} == {("nuScenes", "4.5"), ("Argoverse 2", "2.1")}


def test_a_benchmark_right_after_a_bracketed_number_is_its_own(extract):
    x = extract("We propose Quillrec. Quillrec obtains the best Chamfer Distance (0.64) on DTU and F1 score (0.44) "
                "on Tanks and Temples.")
    got = {r.number: r.benchmark for r in x.results}
    assert got == {"0.64": "DTU", "0.44": "Tanks and Temples"}


def test_a_short_form_defined_after_the_verb_is_proposed_though_its_long_form_has_function_words(extract):
    x = extract("In this work, we propose a Mixture of Sparse and Dense Routers (MoSDR) for retrieval. "
                "MoSDR outperforms BM25.")
    assert "MoSDR" in x.proposes
    x = extract("We propose to use Proximal Policy Optimization (PPO) for the planner.")
    assert "PPO" not in x.proposes


def test_percent_in_words_and_signed_changes_are_scores(extract):
    x = extract("We propose Zorbl. Zorbl reaches an accuracy of 82 percent, and gains +11 points on GLUE, "
                "on 3 datasets.")
    got = {(r.number, r.unit) for r in x.results}
    assert ("82", "%") in got and ("11", "points") in got
    assert not any(r.number == "3" for r in x.results)  # a count is still no score


def test_a_metric_is_measured_on_the_benchmarks_its_clause_names(extract):
    x = extract("We present Quillrec, a surface reconstruction method. Quillrec reaches a Chamfer Distance "
                "of 0.64 on DTU and an F1 score of 0.44 on Tanks and Temples, and the best SSIM (0.85) "
                "and LPIPS (0.13) on Mip-NeRF 360.")
    measured = {(h, t) for h, r, t in rels(x) if r == "measuredBy"}
    assert ("DTU", "Chamfer distance") in measured and ("DTU", "F1") not in measured
    assert ("Tanks and Temples", "F1") in measured
    assert ("Mip-NeRF 360", "SSIM") in measured and ("Mip-NeRF 360", "LPIPS") in measured
    assert not any(h == "DTU" and t in ("SSIM", "LPIPS") for h, t in measured)
    x = extract("Zorbnet improves accuracy by 3 points on the Quill dataset and the Plank dataset.")
    measured = {(h, t) for h, r, t in rels(x) if r == "measuredBy"}
    assert {h for h, t in measured if t == "accuracy"} >= {"Quill", "Plank"}


def test_a_metric_a_sentence_reports_on_listed_benchmarks_is_measured_on_each(extract):
    # no number needed where the sentence says it measures; a list before the metric gives each
    x = extract("We propose Zorbnet. Extensive experiments on the ModelNet40 and ScanObjectNN datasets show "
                "that Zorbnet achieves higher accuracy under strong perturbations.")
    measured = {(h, t) for h, r, t in rels(x) if r == "measuredBy"}
    assert {("ModelNet40", "accuracy"), ("ScanObjectNN", "accuracy")} <= measured
    # a sentence that only names both measures nothing
    x = extract("We propose Zorbnet. We collect ModelNet40 shapes and discuss accuracy.")
    assert not any(r == "measuredBy" for h, r, t in rels(x))


def test_the_examples_of_a_class_share_its_relation(extract):
    # "surpasses ... methods (e.g., A, B, C)" and "such as": the examples are outperformed
    x = extract("We propose Zorbattn, a sparse attention method. Zorbattn consistently surpasses sparse "
                "attention methods (e.g., MInference, XAttention, FlexPrefill) in accuracy.")
    assert {t for h, r, t in rels(x) if h == "Zorbattn" and r == "outperforms"} >= {"MInference", "XAttention", "FlexPrefill"}
    # however far the list runs from the verb
    x = extract("We propose Zorbattn. Zorbattn consistently surpasses state-of-the-art sparse attention methods "
                "(e.g., MInference, XAttention, FlexPrefill, SnapKV and StreamingLLM) in accuracy.")
    assert {t for h, r, t in rels(x) if h == "Zorbattn" and r == "outperforms"} >= {
        "MInference", "XAttention", "FlexPrefill", "SnapKV", "StreamingLLM"}
    x = extract("We propose Zorbplan, a planner. Zorbplan is evaluated on manipulation benchmarks such as CALVIN and LIBERO.")
    assert {t for h, r, t in rels(x) if h == "Zorbplan" and r == "evaluatedOn"} >= {"CALVIN", "LIBERO"}


def test_a_family_named_in_the_own_systems_description_is_its_base(extract):
    # typology: "a diffusion policy framework" is a mention of the family, and the system is basedOn it
    x = extract("We introduce Quillcon (QC+), an enhanced MPC algorithm for contact-rich manipulation.")
    assert ("Quillcon", "basedOn", "model predictive control") in rels(x) or \
        any(h in ("Quillcon", "QC+") and r == "basedOn" and t == "model predictive control" for h, r, t in rels(x))
    x = extract("We present Zorbdp. It works.", title="Zorbdp: An End-to-End Visual-Force Diffusion Policy with Slow-Fast Learning")
    assert ("Zorbdp", "basedOn", "Diffusion Policy") in rels(x)
    # stated by the description itself, whatever the relation model would say of the pair
    assert {r.evidence.rule for r in x.relations if (r.head, r.type, r.tail) == ("Zorbdp", "basedOn", "Diffusion Policy")} \
        == {"relations.basedOn.described"}
    # a method the description only says the system is for, or that it uses, is no base
    x = extract("We propose Zorbo, a planner for robots that uses PPO.")
    assert ("Zorbo", "basedOn", "PPO") not in rels(x)


def test_a_named_baseline_is_evaluated_on_the_benchmark_the_paper_proposes(extract):
    # a Benchmark paper: the systems it evaluates are evaluatedOn it (typology); "X learning"
    # names a method here, not the field, as the text evaluates it
    x = extract("Long chains of instructions remain hard for robots. We introduce QuillBench, a benchmark of "
                "chained kitchen instructions. A baseline based on multi-goal contrastive learning (MGCL) is "
                "evaluated on the QuillBench benchmark.", title="QuillBench: Chained Instructions for Robots")
    assert "QuillBench" in x.proposes
    types = {m.canonical: m.type for m in x.mentions}
    assert types["multi-goal contrastive learning"] == "Method"
    assert ("multi-goal contrastive learning", "evaluatedOn", "QuillBench") in rels(x)


def test_the_field_a_paper_studies_stays_a_task(extract):
    x = extract("We study multi-goal contrastive learning (MGCL) for robots and propose Zorbnet-2, "
                "which is evaluated on CALVIN.")
    assert {m.canonical: m.type for m in x.mentions}["multi-goal contrastive learning"] == "Task"


@pytest.mark.parametrize("sentence,proposed", [
    # the gerund after "by" says what the authors did
    ("We fill this gap for Welsh by constructing QuillSet, a corpus of annotated tweets.", "QuillSet"),
    ("We close the gap by releasing QuillSet, a corpus of annotated tweets.", "QuillSet"),
    ("We also release QuillSet to the community.", "QuillSet"),
    ("To support evaluation, we build QuillSet, a benchmark of annotated tweets.", "QuillSet"),
    # a shared-task system paper names its system as the submission's
    ("We present the submission of QuillTeam to the Open Translation Shared Task.", "QuillTeam"),
    # "our ... model, namely X"
    ("We show this through our tree-recursive neural model, namely QuillRecursive, which reads trees. "
     "QuillRecursive reaches the new state of the art.", "QuillRecursive"),
    # the authors' voice may be their report's; their kind of thing may name it in apposition
    ("This technical report introduces Quill-Parser, a document parsing engine.", "Quill-Parser"),
    ("Our strategy, QGS, raises the opacity of surface points. QGS removes the artifact.", "QGS"),
    # a participle names what the noun phrase it opens holds
    ("Based on a proposed QuillSF dataset, our results show that QuillRecon works.", "QuillSF"),
    ("We teach GNNs with our recently developed open source library – QuillGraph, the first of its kind.", "QuillGraph"),
])
def test_proposal_verbs_and_naming_phrases(extract, sentence, proposed):
    assert proposed in extract(sentence).proposes


@pytest.mark.parametrize("sentence", [
    "Recent guidance helps in developing QuillSet pipelines.",  # a gerund not after "by"
    "Two datasets, namely QuillSet and ZorbSet, are used.",  # "namely" only after the authors' own system
    # a participle is no act of proposing what comes after its noun phrase, nor of others' work
    "Results show that our proposed method outperforms QuillCapsNet on two datasets.",
    "A recently proposed method, QuillCapsNet, has been shown to work well. We study it.",
])
def test_no_proposal_from_a_gerund_or_a_list(extract, sentence):
    assert extract(sentence).proposes == []


def test_an_appositive_types_a_name_shaped_word(extract):
    x = extract("We build on QuilLSD, a corpus of tweets, and report the F1 of ZorbNet, and an accuracy "
                "score of 62.7% on QuilLSD.")
    first = {}
    for m in x.mentions:
        first.setdefault(m.text, m.type)
    assert first["QuilLSD"] == "Dataset"
    assert first["ZorbNet"] != "Metric"  # the comma goes on with the sentence


@pytest.mark.parametrize("sentence,proposed", [
    ("In this paper, we introduce two merging strategies: Quilt-Constrained Layer Merging (QCLM) and "
     "Mask-guided Quilt Merging (Mask-QuM). QCLM is fast.", {"QCLM", "Mask-QuM"}),
    ("We present Zorbl, a method built from two key modules: gap-aware quilt filtering (GA-QF) and "
     "gap-aware data stitching (GA-DS). Zorbl is fast.", {"Zorbl", "GA-QF", "GA-DS"}),
    # a word of the long form itself is no sign of use ("data exploitation")
    ("We present Zorbl, a method built from two key modules: gap-aware quilt filtering (GA-QF) and "
     "gap-aware data exploitation (GA-DE). Zorbl is fast.", {"Zorbl", "GA-QF", "GA-DE"}),
])
def test_the_parts_of_their_system_the_authors_define_are_proposed(extract, sentence, proposed):
    assert proposed <= set(extract(sentence).proposes)


@pytest.mark.parametrize("sentence,absent", [
    ("We propose to use Proximal Policy Optimization (PPO) for the planner.", "PPO"),  # a known name
    ("We introduce Zorbl, a planner that adopts Quilted Gap Search (QGS). Zorbl is fast.", "QGS"),
    ("We introduce Zorbl, a corpus that reflects a campaign at the Quill University Language Lab (QULL). "
     "Zorbl is large.", "QULL"),
    ("Prior work defined Quilted Gap Search (QGS). We study it.", "QGS"),  # not the authors'
    # a quantity their module works through: "via" / "integrates" say it is used
    ("We introduce two key modules: a quilt correction strategy, which finds glossy regions via the "
     "Degree of Linear Quiltness (DoLQ), and a densification step. Zorbl is fast.", "DoLQ"),
])
def test_a_name_the_authors_define_but_only_use_is_not_proposed(extract, sentence, absent):
    assert absent not in extract(sentence).proposes


def test_a_name_only_set_against_the_method_is_not_used(extract):
    x = extract("We propose Orca-Nav. Unlike PPO, Orca-Nav needs no reward model. Orca-Nav reaches 90% success.",
                title=TITLE)
    assert not [r for r in x.relations if r.tail == "PPO"]


def test_respectively_pairs_the_listed_benchmarks_and_numbers_in_order(extract):
    x = extract("We propose Zorbl. Evaluations on three benchmarks, QuillBench, GapBench, and ZorbBench, show "
                "that Zorbl gains 0.6%, 1.2%, and 0.9%, respectively.")
    assert {(r.benchmark, r.number) for r in x.results} == \
        {("QuillBench", "0.6"), ("GapBench", "1.2"), ("ZorbBench", "0.9")}


def test_the_method_is_trained_on_the_corpus_the_paper_builds(extract):
    x = extract("We present Zorbl, an encoder-decoder model. For pre-training we build the Quilted Crawl Corpus "
                "(QCC), 750 GB of web text, and release it. Zorbl is pre-trained on QCC.",
                title="Zorbl: A Unified Text-to-Text Model")
    assert "QCC" in x.proposes
    assert ("Zorbl", "trainedOn", "QCC") in rels(x)


def test_systems_the_method_is_only_compared_with_are_not_used(extract):
    x = extract("We propose Zorbl, a quilted video encoder. Its representations outperform leading pre-training "
                "models (e.g., QuillMAE and GapCLR) when transferred to 3D tasks. Zorbl uses FlashQuill for speed.",
                title="Zorbl: Quilted Video Pre-training")
    assert not [r for r in x.relations if r.tail in ("QuillMAE", "GapCLR") and r.type != "outperforms"]
    assert ("Zorbl", "uses", "FlashQuill") in rels(x)


def test_what_others_commonly_use_or_the_method_is_faster_than_is_not_used(extract):
    x = extract("We propose Zorbl. Our losses are superior to commonly used heatmap losses (QuillMSE, GapKL). Zorbl "
                "has 10 times lower latency than QuillGuard. Zorbl uses FlashQuill for speed.", title="Zorbl: Pose Losses")
    assert not [r for r in x.relations if r.tail in ("QuillMSE", "GapKL", "QuillGuard") and r.type in ("uses", "basedOn")]
    assert ("Zorbl", "uses", "FlashQuill") in rels(x)
    # "more than 10x": a quantity, no comparison
    x = extract("We propose Zorbl. Zorbl compresses models such as QuillNet-34 by more than 10x.", title="Zorbl: Compression")
    assert not [r for r in x.relations if r.tail == "QuillNet-34" and r.type == "outperforms"]


@pytest.mark.parametrize("comparison", ["comes close to", "is comparable to", "is on par with", "rivals"])
def test_systems_a_sentence_measures_the_method_against_are_not_used(extract, comparison):
    x = extract(f"We propose Zorbl, a quilted video encoder. On code, Zorbl {comparison} QuillCoder-7B without "
                f"code-specific training. Zorbl uses FlashQuill for speed.", title="Zorbl: Quilted Video Pre-training")
    assert not [r for r in x.relations if r.tail == "QuillCoder-7B" and r.type in ("uses", "basedOn")]
    assert ("Zorbl", "uses", "FlashQuill") in rels(x)


@pytest.fixture(scope="module")
def zephyr(extract):
    """The Zephyr paper of the bundled examples (``examples/papers.jsonl``, written for kg)."""
    path = Path(__file__).resolve().parents[2] / "examples" / "papers.jsonl"
    paper = next(json.loads(line) for line in path.read_text("utf-8").splitlines() if '"ex-006"' in line)
    return extract(paper["abstract"], title=paper["title"])


def test_a_sentence_naming_hundreds_of_things_is_read_up_to_its_first_hundred_names(extract):
    # a list or table pasted as one sentence: every name is still a mention, but the relation
    # stage, whose work grows with the square of a sentence's names, reads its first 100 only
    from kg.nlp.relations import MAX_SENTENCE_MENTIONS
    names = [f"Zorb{i}Net" for i in range(MAX_SENTENCE_MENTIONS + 50)]
    x = extract("We propose Orca-Nav. Orca-Nav outperforms " + ", ".join(names) + ".", title=TITLE)
    assert {m.text for m in x.mentions} >= set(names)
    beaten = {r.tail for r in x.relations if r.head == "Orca-Nav" and r.type == "outperforms"}
    assert "Zorb0Net" in beaten and names[-1] not in beaten


def test_a_learning_paradigm_in_a_title_is_not_addressed_where_the_title_says_what_for(extract):
    # "Unsupervised Learning of Robot Motion": the paradigm is how, the motion is what
    x = extract("We propose Zorbl, which works well.", title="Zorbl: Unsupervised Learning of Robot Motion")
    # the title states no problem here (the relation model, reading the whole paper, may still judge)
    assert not [r for r in x.relations if r.tail == "unsupervised learning" and r.evidence.rule.startswith("relations.")]
    x = extract("We propose Zorbl, which works well.", title="Zorbl: A Diffusion Model for Multi-Task Learning")
    assert ("Zorbl", "addresses", "multi-task learning") in rels(x), rels(x)


def test_what_the_paper_says_of_a_size_of_its_system_it_says_of_the_system(extract):
    x = extract("Quorra-7B is a chat model fine-tuned from Mistral-7B. Quorra-7B outperforms Llama2-Chat-70B on MT-Bench.",
                title="Quorra: Distilling Chat Alignment into a Small Model")
    assert x.proposes == ["Quorra"]
    assert {("Quorra", "outperforms", "Llama2-Chat-70B"), ("Quorra", "evaluatedOn", "MT-Bench")} <= rels(x), rels(x)
    assert "Quorra-7B" in {m.canonical for m in x.mentions}  # the size stays an entity of its own


@pytest.mark.parametrize("text,proposed", [
    ("We show that our algorithm, Quilted Policy Improvement (QPI), transfers to new teams on Overcooked.", ["QPI"]),
    ("A bimanual quilt impedance controller (QIC) is proposed for our robot.", ["QIC"]),
    ("QuorraNet was proposed in prior work. ZorbNet is proposed by Lee et al. for sewing.", []),
])
def test_our_kind_apposition_and_the_present_passive_propose(extract, text, proposed):
    assert extract(text, title="Quilting Robots").proposes == proposed


def test_a_family_the_paper_describes_its_system_with_is_not_proposed(extract):
    # typology: "a novel X" names the kind of an unnamed system; its statements take PAPER as head
    x = extract("In this paper, we propose a graph autoencoder for link prediction. It beats baselines.",
                title="Learning Links in Quilt Graphs")
    assert x.proposes == []
    assert ("PAPER", "addresses", "link prediction") in rels(x)
    # a family the lexicon writes with a capital, which the paper writes in lower case
    x = extract("This paper investigates transformer-based architectures for speaker identification in "
                "conversations. Our experiments compare pre-trained and from-scratch training and introduce a "
                "multi-scale temporal transformer for hierarchical motion modeling. The temporal transformer "
                "achieves 95.7% accuracy.", title="Beyond Looks: Transformer-based Speaker Identification from Gestures")
    assert x.proposes == []
    assert not {r for r in rels(x) if r[0] == "Transformer"}
    # a proper name the lexicon knows is still proposed by the paper that made it
    x = extract("We propose Direct Preference Optimization (DPO), which needs no reward model.",
                title="Direct Preference Optimization: Your Language Model is Secretly a Reward Model")
    assert x.proposes == ["DPO"]


def test_an_architecture_that_follows_another_design_is_based_on_it(extract):
    x = extract("We introduce Quorra-7B, a 7-billion-parameter language model. Its architecture follows the "
                "LLaMA-2 design with two modifications.", title="Quorra-7B: A Small Language Model")
    assert ("Quorra-7B", "basedOn", "Llama 2") in rels(x), rels(x)


def test_a_family_named_only_in_an_apposition_about_another_name_is_not_used(extract):
    x = extract("We propose Zorbl. Zorbl applies stitched seam ranking (sSRK), a variant of Seam Ranking Kernels "
                "(SRK) that learns from rankings. Zorbl reaches 7.3 on MT-Bench.", title="Zorbl: Quilted Chat Models")
    assert "SRK" in {m.canonical for m in x.mentions}
    assert not [r for r in x.relations if r.head == "Zorbl" and r.tail == "SRK"], rels(x)


@pytest.mark.parametrize("closing,model", [
    ("Our source code and trained models are openly accessible online.", True),
    ("Codes and pre-trained models are available at our project page.", True),
    ("We release the Kestrel corpus and the distilled models.", True),
    ("We release the source code for training the model at our project page.", False),
    ("Code and data are available online.", False),
    ("Our 7B model is openly available.", True),
    # the size or openness of another model the paper builds on or compares with
    ("It is initialized from the Qwen2.5-VL-7B model.", False),
    ("It improves Qwen3 base 1.7B and 4B models across 7B and 32B model sizes.", False),
    ("It ranks first among open-source models.", False),
])
def test_the_papers_system_is_a_model_when_its_weights_are_released(extract, closing, model):
    """Typology: a paper's own system is a Model when the abstract gives its size or releases its
    weights ("code and models"), not when it releases code or data alone."""
    x = extract(f"We propose Quillfish, a segmentation network for aerial scenes. {closing}")
    assert {m.type for m in x.mentions if m.canonical == "Quillfish"} == {"Model" if model else "Method"}


def test_a_size_in_brackets_after_the_papers_system_makes_it_a_model(extract):
    x = extract("We introduce Quillfish. Quillfish (1.96B) is pre-trained from scratch on web text.")
    assert {m.type for m in x.mentions if m.canonical == "Quillfish"} == {"Model"}


@pytest.mark.parametrize("sentence,expected", [
    ("Built upon Llama 2 and DINOv2, Orca-Nav adds a planner.",
     {("Orca-Nav", "basedOn", "Llama 2"), ("Orca-Nav", "basedOn", "DINOv2")}),
    ("Building on Mistral-7B, our method reads maps.", {("Orca-Nav", "basedOn", "Mistral-7B")}),
])
def test_a_sentence_opening_on_what_the_system_is_built_on_states_its_base(extract, sentence, expected):
    x = extract(f"We propose Orca-Nav. {sentence}", title=TITLE)
    assert expected <= rels(x)
    assert not {(h, "uses", t) for h, _, t in expected} & rels(x)


def test_an_opening_built_on_another_system_says_nothing_of_the_papers(extract):
    x = extract("We propose Orca-Nav. Built on Llama 2, Vicuna adds chat tuning.", title=TITLE)
    assert ("Orca-Nav", "basedOn", "Llama 2") not in rels(x)


def test_the_systems_a_benchmark_paper_evaluates_are_evaluated_on_its_benchmark(extract):
    # typology: a paper whose contribution is a benchmark states its uses with PAPER as head, and
    # the named systems it evaluates are evaluatedOn the benchmark, not used by the paper
    x = extract("We introduce QuillBench, a benchmark of chained kitchen instructions. We evaluate proprietary "
                "models including GPT-4o and Claude 3 Opus, as well as Llama 2.",
                title="QuillBench: Chained Instructions for Robots")
    found = rels(x)
    assert {("GPT-4o", "evaluatedOn", "QuillBench"), ("Llama 2", "evaluatedOn", "QuillBench")} <= found
    assert not {r for r in found if r[0] == "PAPER" and r[1] == "uses" and r[2] in ("GPT-4o", "Llama 2")}
    # nor is the paper evaluated on the benchmark it makes, however its sentences put it
    x = extract("We release QuillBench, a benchmark of kitchen instructions. Experiments on QuillBench show that "
                "current models fail.", title="QuillBench: Chained Instructions for Robots")
    assert ("PAPER", "evaluatedOn", "QuillBench") not in rels(x)


def test_a_paper_with_a_system_of_its_own_evaluates_that_system_on_its_data(extract):
    x = extract("We introduce QuillBench, a benchmark of kitchen instructions. We also propose Orca-Nav, a planner. "
                "We evaluate Orca-Nav and GPT-4o on QuillBench.", title="QuillBench: Chained Instructions for Robots")
    assert "Orca-Nav" in x.proposes
    assert not [r for r in x.relations if r.evidence.rule == "relations.evaluatedOn.own_data"]


def test_a_learning_paradigm_a_title_names_as_its_approach_is_not_addressed(extract):
    # typology: a field used as the technique stays a Task, and the paper uses it
    x = extract("We study bucket filling for excavators. Our policy is trained in simulation.",
                title="Autonomous Excavation: A Reinforcement Learning Approach")
    assert ("PAPER", "addresses", "reinforcement learning") not in rels(x)
    assert ("PAPER", "addresses", "autonomous excavation") in rels(x)


def test_data_the_paper_releases_with_its_models_stays_data(extract):
    x = extract("We propose Quillfish, a distillation method. We also curate QuillSet, a corpus of images. "
                "We release QuillSet and the distilled models.")
    assert {m.type for m in x.mentions if m.canonical == "Quillfish"} == {"Model"}
    assert "Model" not in {m.type for m in x.mentions if m.canonical == "QuillSet"}


def test_the_rules_alone_state_a_benchmark_papers_statements_with_the_paper_as_head(extract_rules):
    # typology: a benchmark cannot head uses or addresses; the rules-only mode takes the same head
    # as the default one (the paper's first proposed system, else PAPER)
    x = extract_rules("We introduce QuillBench, a benchmark of kitchen instructions. We use LoRA to adapt "
                      "the baselines for autonomous driving.", title="QuillBench: Chained Instructions for Robots")
    heads = {h for h, _, _ in rels(x)}
    assert "QuillBench" in x.proposes and "QuillBench" not in heads


def test_the_named_parts_of_the_papers_system_are_proposed_and_used(extract):
    # typology: named parts of the paper's own system are Methods the paper proposes; the system uses them
    x = extract("We propose Zorb, a framework for articulated manipulation. Zorb employs a Hybrid Controller "
                "that switches modes.", title="Zorb: Articulated Manipulation")
    assert x.proposes[:1] == ["Zorb"] and "Hybrid Controller" in x.proposes
    assert ("Zorb", "uses", "Hybrid Controller") in rels(x)
    y = extract("We study articulated manipulation. A Hybrid Controller switches modes.")
    assert "Hybrid Controller" not in y.proposes  # no system of the paper's own to be a part of


def test_the_key_modules_of_an_unnamed_system_are_proposed_and_used_by_the_paper(extract):
    # typology: named parts are Methods the paper proposes and its system uses; an unnamed system is PAPER
    x = extract("We present a quilt completion framework. Our approach introduces two key modules: a Stitch "
                "Gap Estimator (SGE), which measures seams, and a Patch Feature Gatherer (PFG), which pools "
                "patches. Experiments on QuiltNet-5K show gains.")
    assert set(x.proposes) == {"SGE", "PFG"}
    assert {("PAPER", "uses", "SGE"), ("PAPER", "uses", "PFG")} <= set(rels(x))
    assert not any(h == "SGE" for h, _, _ in rels(x))
    # the system named, its parts stay what it uses
    y = extract("We present Quillo, a quilt completion framework. In Quillo, we design two key modules: a Stitch "
                "Gap Estimator (SGE) and a Patch Feature Gatherer (PFG).")
    assert y.proposes[0] == "Quillo" and ("Quillo", "uses", "SGE") in rels(y)


def test_released_weights_make_the_papers_system_a_model_not_its_parts(extract):
    x = extract("We propose QuillNet, a stitch detector, with a novel Seam Gate Module (SGM). "
                "Code and models are released.")
    types = {m.canonical: m.type for m in x.mentions}
    assert types["QuillNet"] == "Model" and types["SGM"] == "Method"


def test_a_measure_written_with_an_equals_sign_reports_its_value(extract):
    x = extract("QuillNet reaches F1=0.88 and accuracy=0.91 on the CoNLL-2014 test set. See https://q.org/a?b=1.")
    found = {(r.metric, r.value) for r in x.results}
    assert {("F1", "0.88"), ("accuracy", "0.91")} <= found
    types = {m.text: m.type for m in x.mentions}
    assert types["CoNLL-2014"] in ("Dataset", "Benchmark")  # a year dates data: no Model release


def test_what_a_system_is_based_on_is_not_also_listed_as_used(extract):
    x = extract("We propose QuillGS, a quilting method built on Gaussian Splatting. QuillGS uses Gaussian "
                "Splatting to render seams.")
    found = set(rels(x))
    assert ("QuillGS", "basedOn", "Gaussian Splatting") in found
    assert ("QuillGS", "uses", "Gaussian Splatting") not in found


def test_one_of_a_known_family_the_authors_build_is_not_the_family_proposed(extract):
    # typology: a family name inside a description of the paper's own system is the family
    x = extract("Generative adversarial networks (GANs) are popular. In this paper, we propose a new GAN "
                "model with a word-level conditional architecture for text style transfer.")
    assert "GAN" not in x.proposes
    x = extract("We introduce a novel Neural Radiance Fields (NeRF) module conditioned on map predictions.")
    assert "NeRF" not in x.proposes
    # the paper that introduces a name the lexicon knows is not one of its family ("We introduce a
    # modern Hopfield network with continuous states"): no noun after it, no earlier mention
    x = extract("We introduce a modern Hopfield network with continuous states and a new update rule.")
    assert x.proposes == ["modern Hopfield network"]
    # a new long form is the authors' own, though the lexicon has its short form for another thing
    x = extract("We introduce a novel Spatial-prioritized and Rank-aware 3D object detection (SR3D) framework.")
    assert x.proposes == ["SR3D"]


def test_a_cost_measure_beside_a_quality_measure_is_the_systems_not_the_benchmarks(extract):
    x = extract("Zorbnet surpasses OpenVLA on LIBERO by 21.1% in success rate, while reducing inference latency "
                "by 2.7-fold.")
    assert ("LIBERO", "measuredBy", "success rate") in rels(x)
    assert ("LIBERO", "measuredBy", "latency") not in rels(x)
    # alone, the cost is what the benchmark reports
    x = extract("We test on the nuScenes dataset, with a runtime 1/17X to the second-best approach.")
    assert ("nuScenes", "measuredBy", "runtime") in rels(x)


@pytest.mark.parametrize("sentence,name", [
    ("We present a new method for sentence classification, Quill-LSTM-CNN, that reads wide contexts.", "Quill-LSTM-CNN"),
    ("In this work, we propose an effective and scalable framework, Naturalistic Quilting for Context "
     "Enhancement (NQCE).", "NQCE"),
])
def test_a_name_after_a_kind_in_apposition_is_proposed_whatever_the_kind_holds(extract, sentence, name):
    assert extract(sentence).proposes == [name]


def test_our_novel_thing_is_proposed_where_no_verb_of_contribution_introduces_it(extract):
    x = extract("We compare early-fusion CNNs with a marker-aware baseline and our novel shallow "
                "Quilt-Independent Model (QIM-S) with 5.5K parameters. QIM-S learns stronger representations.")
    assert x.proposes == ["QIM-S"]
    x = extract("We assess alignment on IdenProf and our new QUILT-Professions set.")
    assert x.proposes == ["QUILT-Professions"]
    # another's: "their new", or a new thing of no name
    assert extract("Their new QuillNet model is fast, and our new results on MMLU hold.").proposes == []


@pytest.mark.parametrize("sentence,name", [
    # a gerund of contribution in the authors' voice
    ("In this work, we cast fact checking as retrieval, proposing the Quilted Evidence Retrieval Network (QERN).",
     "QERN"),
    # "describes the X system" (shared-task papers, mostly)
    ("This paper describes the QuillSum system architecture, which addresses the shared task.", "QuillSum"),
])
def test_a_gerund_of_contribution_or_a_described_system_is_proposed(extract, sentence, name):
    assert extract(sentence).proposes == [name]
    # a system described as another's is not, nor a purpose ("for developing X")
    assert extract("This section describes the BERT model we compare with.").proposes == []
    assert extract("We introduce QuillBench and offer guidance for developing more robust MM-RAG "
                   "pipelines.").proposes == ["QuillBench"]
