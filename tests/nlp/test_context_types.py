"""Names the rules could only guess the type of take the type their context says (kg.nlp.context_types)."""
from __future__ import annotations


def types(x) -> dict[str, str]:
    return {m.canonical: m.type for m in x.mentions}


def test_a_cue_noun_after_a_list_types_every_member(extract):
    x = extract("We propose Zorbl. Experiments on the QuVex and BlarnQA datasets show that Zorbl is fast.")
    t = types(x)
    assert t["QuVex"] == t["BlarnQA"] == "Dataset" and t["Zorbl"] == "Method"


def test_a_cue_noun_before_a_list_types_every_member(extract):
    x = extract("We propose Zorbl. Zorbl leads on three reasoning benchmarks (QuVex, BlarnQA-2 and TrimQA).")
    assert {types(x)[n] for n in ("QuVex", "BlarnQA-2", "TrimQA")} == {"Benchmark"}


def test_the_company_a_name_keeps(extract):
    x = extract("We propose Zorbl. We evaluate Zorbl on ImageNet, QuVex-LT and CIFAR-10.")
    assert types(x)["QuVex-LT"] in ("Benchmark", "Dataset")
    x = extract("We propose Zorbl. Zorbl outperforms GPT-4o, Llama 2 and QuVex-7 in our study.")
    assert types(x)["QuVex-7"] == "Model"


def test_a_copula_says_what_a_name_is(extract):
    x = extract("We introduce QuVex. QuVex is the first large-scale tactile dataset of its kind.", title="")
    assert types(x)["QuVex"] == "Dataset"


def test_a_score_on_a_name_makes_a_benchmark(extract):
    x = extract("We propose Zorbl. Zorbl reaches 71.3% on QuVex, a gain of four points.")
    assert types(x)["QuVex"] == "Benchmark"


def test_a_clause_is_no_apposition(extract):
    # "Given a dataset, Zorbl can ...": the comma ends a clause, it does not name the dataset
    x = extract("We introduce Zorbl, a fusion architecture. Given a labelled dataset, Zorbl can be trained quickly.")
    assert types(x)["Zorbl"] == "Method"


def test_a_list_ends_at_its_and(extract):
    # the paper's system after "A, B and C," is no member of the list of benchmarks
    x = extract("We propose Zorbl. On reasoning benchmarks such as QuVex, BlarnQA and TrimQA, Zorbl is the best.")
    t = types(x)
    assert t["Zorbl"] == "Method" and t["TrimQA"] == "Benchmark"


def test_the_papers_own_name_keeps_no_company(extract):
    x = extract("We evaluate ZorbNet on ImageNet, CIFAR-10 and ZorbNet as a target, too.",
                title="ZorbNet: Fast Sparse Routing")
    assert types(x)["ZorbNet"] == "Method"


def test_a_name_the_lexicon_types_is_not_retyped(extract):
    x = extract("We propose Zorbl. Experiments on the nuScenes and QuVex benchmarks show gains.")
    t = types(x)
    assert t["nuScenes"] == "Dataset" and t["QuVex"] == "Benchmark"


def test_a_kind_before_a_name_or_in_a_listed_apposition_types_it(extract):
    x = extract("We collect a large-scale indoor dataset QuVex3D with 100 scenes. Zorbl is evaluated on QuVex3D.")
    assert types(x)["QuVex3D"] == "Dataset"
    x = extract("We introduce QuVex-1K, a large-scale, multi-modal dataset of densities.")
    assert types(x)["QuVex-1K"] == "Dataset"
    x = extract("We analyse QA-based evaluation through our proposed metric, QuilEval. QuilEval beats ROUGE.")
    assert types(x)["QuilEval"] == "Metric"
    # a verb is no kind: "we benchmark X" says nothing of what X is
    x = extract("We benchmark ZorbNet against strong baselines.")
    assert types(x)["ZorbNet"] == "Method"


def test_a_dataset_named_a_shared_task_and_a_titled_corpus_are_typed_by_their_words(extract):
    x = extract("We construct a new dataset named QuillRain3D with 100 scenes. Zorbl is trained on QuillRain3D.")
    assert types(x)["QuillRain3D"] == "Dataset"
    x = extract("We describe our system for the QUORRA-WV 2025 shared task on wound care.")
    assert types(x)["QUORRA-WV"] == "Benchmark"
    x = extract("We present a corpus of chat logs. The Quillmistress Corpus holds a million lines.",
                title="Quillmistress Corpus: Chat Logs of an Online Game")
    assert types(x)["Quillmistress Corpus"] == "Dataset"
