"""Canonical linking across papers."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import extract_batch
from kg.linking import link, variant_of
from kg.model import Mention, Paper, PaperExtraction
from kg.names import name_key


def linked(*abstracts):
    papers = [Paper(f"p{i}", "", a) for i, a in enumerate(abstracts)]
    return link(extract_batch(papers))


def entity_of(out, surface):
    return next(e for e in out.entities.values() if surface in e.aliases | {e.name})


def test_spelling_variants_are_one_entity():
    out = linked("We fine-tune Llama 2 on math.", "LLaMA-2 is strong.", "We compare Llama2 and GPT-4.")
    e = entity_of(out, "Llama 2")
    assert e.papers == {"p0", "p1", "p2"} and e.type == "Model"


def test_acronym_and_long_form_across_papers():
    out = linked("We use Direct Preference Optimization (DPO) for alignment.", "DPO is simple.",
                 "direct preference optimization needs no reward model.")
    assert entity_of(out, "DPO").papers == {"p0", "p1", "p2"}


def test_an_acronym_defined_differently_stays_two_entities():
    out = linked("We propose Pairwise Rank Lifting (PRL) for retrieval.",
                 "We introduce Progressive Residual Learning (PRL) for super-resolution.")
    prl = [e for e in out.entities.values() if name_key(e.name).startswith("prl")]
    assert len(prl) == 2 and len({e.name for e in prl}) == 2


def test_size_variant_is_its_own_entity_linked_to_its_family():
    out = linked("We fine-tune Llama 2 and Llama2-7B on code.")
    assert "Llama2-7B" in out.entities and "Llama 2" in out.entities
    assert ("Llama2-7B", "variantOf", "Llama 2") in {(r.head, r.type, r.tail) for r in out.variant_relations}


def test_a_plus_after_a_name_is_a_new_version_not_punctuation():
    out = linked("Compared to its predecessor QuilloNet, QuilloNet+ solves faster.",
                 "We run QuilloNet+ and ZorbNet++ on shelves.")
    assert {"QuilloNet", "QuilloNet+", "ZorbNet++"} <= set(out.entities)
    assert entity_of(out, "QuilloNet+").papers == {"p0", "p1"}


def test_versions_of_a_benchmark_or_model_are_entities_of_their_own():
    # the typology: a version suffix makes its own entity; a reader of MOT17 results must not find
    # them under MOT20, nor FlashAttention-2's under FlashAttention
    out = linked("We track on MOT17 and MOT20 and classify clips of Kinetics-400 and Kinetics-700.",
                 "Our kernel is faster than FlashAttention-2 and FlashAttention.",
                 "We train policies in ManiSkill2 and evaluate them in ManiSkill3.")
    names = set(out.entities)
    assert {"MOT17", "MOT20", "Kinetics-400", "Kinetics-700", "FlashAttention-2", "FlashAttention",
            "ManiSkill2", "ManiSkill3"} <= names
    variants = {(r.head, r.type, r.tail) for r in out.variant_relations}
    assert ("FlashAttention-2", "variantOf", "FlashAttention") in variants
    # spellings of one version stay one entity
    out = linked("We classify Kinetics400 clips.", "Results on Kinetics-400 improve.")
    assert entity_of(out, "Kinetics-400").papers == {"p0", "p1"}


def test_variant_names():
    known = {name_key(n): n for n in ["DPO", "PARL", "Llama 2", "Transformer"]}
    assert variant_of("OPA-DPO", known) == "DPO"
    assert variant_of("rDPO", known) == "DPO"
    assert variant_of("A-PARL", known) == "PARL"
    assert variant_of("Q-Transformer", known) is None  # a new method, not a version of Transformer


def test_one_type_per_entity_by_votes():
    out = linked("We evaluate on the Kestrel benchmark.", "Kestrel is hard.", "Results on Kestrel improve.")
    assert entity_of(out, "Kestrel").type == "Benchmark"


def test_linking_does_not_depend_on_paper_order():
    a = ["We use Direct Preference Optimization (DPO).", "DPO and PPO compared.", "We train Llama2-7B with PPO."]
    papers = [Paper(f"p{i}", "", t) for i, t in enumerate(a)]
    xs = extract_batch(papers)
    one, two = link(xs), link(list(reversed(xs)))
    assert {(e.name, e.type, e.id, frozenset(e.papers)) for e in one.entities.values()} == \
           {(e.name, e.type, e.id, frozenset(e.papers)) for e in two.entities.values()}


def test_slugs_are_unique_and_stable():
    out = linked("We compare C and C++ and Llama 2.")
    slugs = [e.id for e in out.entities.values()]
    assert len(slugs) == len(set(s.lower() for s in slugs))


def test_a_name_one_paper_coins_is_found_in_the_others():
    out = linked("We introduce Halyard, a planner for long tasks. Halyard is fast.",
                 "We compare our agent with Halyard on long tasks.")
    e = entity_of(out, "Halyard")
    assert e.papers == {"p0", "p1"}
    m = next(m for m in out.extractions[1].mentions if m.text == "Halyard")
    assert m.component == "linking.corpus_name" and out.extractions[1].paper.text[m.start:m.end] == "Halyard"


def test_a_coined_name_inside_a_web_address_is_no_mention():
    out = linked("We introduce Halyard, a planner for long tasks. Halyard is fast.",
                 "We compare our agent with MPC. Code: https://github.com/lab/Halyard-fork and "
                 r"\href{https://lab.github.io/Halyard}{the Halyard page}.")
    mentions = out.extractions[1].mentions
    text = out.extractions[1].paper.text
    # only the link's shown text, "the Halyard page", is the abstract's own
    assert [text[m.start:m.end] for m in mentions if m.canonical == "Halyard"] == ["Halyard"]
    (m,) = [m for m in mentions if m.canonical == "Halyard"]
    assert text[m.start - 5:m.end] == "{the Halyard"


def test_two_senses_never_share_one_entity_name():
    out = linked("We build on Adaptive Token Routing (ATR) for parsing. ATR is fast.",
                 "We propose Automatic Term Ranking (ATR) for retrieval.",
                 "Automatic Term Ranking works well; ATR is simple.")
    atr = [e for e in out.entities.values() if e.name.startswith("ATR") or "Term Ranking" in e.name]
    papers = sorted(p for e in atr for p in e.papers)
    assert len(atr) == 2 and papers == ["p0", "p1", "p2"]
    assert len({e.name for e in atr}) == 2


def test_coined_names_found_in_any_text_case_and_script():
    from kg.linking import _CoinedIndex

    index = _CoinedIndex(["Halyard", "Halyard Policy Optimization"])
    text = "Über-robust: Halyard policy optimization beats İstanbul baselines; HALYARD is not Halyard’s."
    uses = index.uses(text)
    assert [text[i:i + len(s)] for i, s in uses] == ["Halyard policy optimization", "Halyard"]
    assert uses[1][0] == text.rindex("Halyard")  # own case for one word; "HALYARD" is not it
    # a character that lowers to two ("İ") shifts lower-cased positions: the match stays exact
    text = "İİ then halyard policy optimization."
    assert [text[i:i + len(s)] for i, s in index.uses(text)] == ["halyard policy optimization"]


def test_ordinary_words_a_cue_coined_are_not_found_in_other_papers():
    # "the Wordle corpus" coins "Wordle" as a name shaped like an ordinary word: other papers'
    # sentence-initial "Wordle" would otherwise all become mentions; introduced names still spread
    out = linked("We release the Wordle corpus of games.", "Wordle is a game. We introduce Halyard, a planner.",
                 "Halyard plans well.")
    assert not any(m.text == "Wordle" for m in out.extractions[1].mentions)
    assert any(m.text == "Halyard" for m in out.extractions[2].mentions)


def test_a_two_letter_acronym_one_paper_defines_does_not_spread():
    out = linked("We store facts in a Knowledge Base (KB) and query the KB.",
                 "Our parser reads a knowledge base of rules.")
    assert not out.extractions[1].mentions


def test_spellings_of_one_definition_are_one_sense():
    # "Representation from Transformer" is a spelling of BERT's definition, not a second BERT
    out = linked("We fine-tune Bidirectional Encoder Representations from Transformers (BERT).",
                 "We use Bidirectional Encoder Representation from Transformer (BERT) for tagging.",
                 "BERT is strong.")
    bert = [e for e in out.entities.values() if e.name.startswith("BERT")]
    assert [(e.name, sorted(e.papers)) for e in bert] == [("BERT", ["p0", "p1", "p2"])]


def test_an_acronym_defined_as_the_lexicon_defines_it_keeps_its_plain_name():
    # FPS: frames per second in two papers (as the lexicon has it), farthest point sampling in a third
    xs = [PaperExtraction(Paper("a", "", "It runs at 30 frames per second (FPS)."),
                          [Mention("a", 17, 34, "frames per second", "Metric", "FPS", "abbreviation"),
                           Mention("a", 36, 39, "FPS", "Metric", "FPS", "abbreviation")], abbreviations={"FPS": "frames per second"}),
          PaperExtraction(Paper("b", "", "We report FPS."), [Mention("b", 10, 13, "FPS", "Metric", "FPS", "lexicon")]),
          PaperExtraction(Paper("c", "", "We use farthest point sampling (FPS)."),
                          [Mention("c", 7, 30, "farthest point sampling", "Method", "FPS", "abbreviation"),
                           Mention("c", 32, 35, "FPS", "Method", "FPS", "abbreviation")],
                          abbreviations={"FPS": "farthest point sampling"})]
    names = {e.name for e in link(xs).entities.values()}
    assert "FPS" in names and "FPS (farthest point sampling)" in names
    assert not any(n.startswith("FPS (") and "sampling" not in n for n in names)


def test_an_ordinary_word_a_paper_names_is_not_spread_to_other_papers():
    named = PaperExtraction(Paper("a", "", "We term our method Efficient."),
                            [Mention("a", 19, 28, "Efficient", "Method", "Efficient", "names.named")])
    other = PaperExtraction(Paper("b", "", "Efficient training matters."), [])
    linked = link([named, other])
    assert not [m for x in linked.extractions if x.paper.id == "b" for m in x.mentions]


def _coined_uses_by_brute_force(surfaces: list[str], text: str) -> list[tuple[int, str]]:
    """The specification of _CoinedIndex.uses: at each word start, the longest coined name
    (single words in their own case, longer names in any case) that ends where a word ends."""
    first_seen: dict[str, str] = {}
    for s in surfaces:
        first_seen.setdefault(s if " " not in s else s.lower(), s)
    found = []
    for w in re.finditer(r"(?<![\w-])(?=(\w[\w'-]*))", text):
        i, best = w.start(), None
        for s in surfaces:
            piece = text[i:i + len(s)]
            same = piece == s if " " not in s else piece.lower() == s.lower()
            end = i + len(s)
            if same and s.split()[0].lower() == w.group(1).lower() and not (
                    end < len(text) and (text[end].isalnum() or text[end] == "-")):
                if best is None or len(s) > len(best):
                    best = s
        if best is not None:
            found.append((i, first_seen[best if " " not in best else best.lower()]))
    return found


@settings(max_examples=300, deadline=None)
@given(surfaces=st.lists(st.sampled_from(["Halyard", "Halyard Policy", "Halyard Policy Optimization", "HPO", "Kite-Net",
                                          "Kite", "kite net", "Net", "Policy Optimization"]), min_size=1, max_size=6),
       words=st.lists(st.sampled_from(["Halyard", "halyard", "Policy", "policy", "Optimization", "HPO", "Kite-Net",
                                       "Kite", "kite", "net", "Net", "Net-2", "the", ",", ".", "-", "(", ")"]), max_size=14))
def test_coined_name_index_finds_the_longest_name_at_each_word(surfaces, words):
    from kg.linking import _CoinedIndex

    text = " ".join(words).replace(" ,", ",").replace(" .", ".")
    assert _CoinedIndex(surfaces).uses(text) == _coined_uses_by_brute_force(surfaces, text)


def test_a_result_without_benchmark_or_metric_is_kept_with_its_qualifier():
    out = linked("We propose Zorbl, a token merger. Zorbl achieves up to 2.3x speed-up over ViT-B/16.")
    (x,) = out.extractions
    r = next(r for r in x.results if r.number == "2.3")
    assert (r.subject, r.benchmark, r.metric, r.unit) == ("Zorbl", None, None, "x")


STORE_ABSTRACTS = [
    "Halyard: Fast Planning. We propose Halyard, which builds on Llama 2 and DPO and outperforms "
    "Llama2-7B on CALVIN.",
    "We fine-tune LLaMA-2-7B with Halyard on CALVIN and LIBERO.",
    "Direct Preference Optimization (DPO) aligns Llama 2 with human preferences.",
]


def _snapshot(out):
    return ({n: (e.id, e.type, sorted(e.aliases), sorted(e.papers), e.mention_count, e.type_votes)
             for n, e in out.entities.items()},
            list(out.extractions), out.variant_relations)


def test_linking_a_compressed_store_gives_what_linking_the_objects_gives():
    from kg.store import ExtractionStore

    xs = extract_batch([Paper(f"p{i}", "", a) for i, a in enumerate(STORE_ABSTRACTS)])
    assert _snapshot(link(ExtractionStore(xs))) == _snapshot(link(xs))


def test_the_linked_papers_read_the_same_every_time_in_input_order():
    xs = extract_batch([Paper(f"p{i}", "", a) for i, a in reversed(list(enumerate(STORE_ABSTRACTS)))])
    out = link(xs)
    first, again = list(out.extractions), list(out.extractions)
    assert first == again and [x.paper.id for x in first] == ["p2", "p1", "p0"]
    assert out.extractions[-1] == first[-1] and out.extractions[:2] == first[:2]
    # the corpus name Halyard (coined by p0) is a mention in p1 too, whichever is read first
    assert any(m.text == "Halyard" and m.component == "linking.corpus_name" for m in out.extractions[1].mentions)
    # every mention carries its entity's name and type
    for x in first:
        for m in x.mentions:
            assert m.canonical in out.entities and m.type == out.entities[m.canonical].type


def test_a_variant_relation_cites_the_first_paper_by_id_whatever_the_input_order():
    papers = [Paper("b", "", "We fine-tune Llama2-7B on math."), Paper("a", "", "Llama2-7B is a small Llama 2.")]
    for ordered in (papers, papers[::-1]):
        (variant,) = [r for r in link(extract_batch(ordered)).variant_relations if r.tail == "Llama 2"]
        assert variant.evidence.paper_id == "a" and variant.evidence.sentence == "Llama2-7B is a small Llama 2."


def test_a_coined_phrase_edged_by_a_function_word_does_not_spread():
    # a name rule that took "A Quilted" for a name must not make every "a quilted" a mention of it
    def ex(pid, text, *ms):
        return PaperExtraction(Paper(pid, "", text), [Mention(pid, text.index(t), text.index(t) + len(t), t, "Method", t,
                                                              "names.title") for t in ms])
    out = link([ex("a", "A Quilted Stitcher. We sew.", "A Quilted"),
                ex("b", "We sew a quilted seam with Halyard Policy Optimization.", "Halyard Policy Optimization"),
                ex("c", "Halyard Policy Optimization and a quilted seam.")])
    assert [m.text for m in out.extractions[2].mentions] == ["Halyard Policy Optimization"]
