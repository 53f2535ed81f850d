"""The rule components' word lists are data under ontology/rules/, chosen by ``rules_dir``."""
import re
import shutil

import pytest
import spacy

from kg.nlp import abbreviations, names
from kg.nlp.abbreviations import AbbreviationRules, load_abbreviation_rules
from kg.nlp.lexicon import CANDIDATES
from kg.nlp.names import NameRules, load_name_rules
from kg.nlp.rules import read_rule_file
from kg.resources import ontology_path

SHIPPED = ontology_path("rules")
NAME_FILES = ["not-names.txt", "campaigns.tsv", "cue-nouns.tsv", "naming-verbs.txt", "introducing-verbs.txt",
              "modifier-suffixes.txt", "generic-cue-words.txt", "name-determiners.txt", "not-name-starts.txt",
              "name-suffix-types.tsv", "title-task-heads.txt", "title-task-leads.txt", "task-list-nouns.txt", "metric-heads.txt",
              "metric-leads.txt", "part-heads.txt", "based-families.txt", "reported-only-metrics.txt",
              "hardware-nouns.txt", "cost-metrics.txt"]
ABBREVIATION_FILES = ["long-form-stops.txt", "descriptors.txt", "head-nouns.tsv", "learning-paradigms.txt",
                      "outside-heads.txt"]


@pytest.fixture
def rules_dir(tmp_path):
    """A copy of the shipped lists to edit."""
    return shutil.copytree(SHIPPED, tmp_path / "rules")


def append(path, line):
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    return sum(1 for _ in open(path, encoding="utf-8"))  # the line number of what was appended


def pipeline(component, rules_dir=None):
    """A blank pipeline with kg's tokenizer and one rule component, its lists set by its config."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}})
    nlp.add_pipe(component, config={"rules_dir": str(rules_dir) if rules_dir else None})
    return nlp


def candidates(nlp, text):
    doc = nlp(text)
    return {(s.text, s.label_) for s in doc.spans[CANDIDATES]}


def test_shipped_rule_files_load():
    name_rules, abbreviation_rules = load_name_rules(), load_abbreviation_rules()
    assert {"GPU", "NeurIPS", "arXiv"} <= name_rules.not_names
    assert name_rules.cue_types["corpus"] == "Dataset" and "named" in name_rules.naming_verbs
    assert name_rules.not_a_name.match("SemEval-2020") and not name_rules.not_a_name.match("CoNLL-2003")
    assert name_rules.campaign_task.match("SemEval-2020 Task 4")
    assert abbreviation_rules.head_types["environment"] == "Benchmark" and "the" in abbreviation_rules.stop_left
    # the names other modules import are the shipped lists, read once
    assert names.NOT_NAMES is name_rules.not_names and names.CUE_TYPES is name_rules.cue_types
    assert abbreviations.DESCRIPTORS is abbreviation_rules.descriptors
    assert load_name_rules(SHIPPED) is load_name_rules() and load_name_rules(str(SHIPPED)) is name_rules


def test_every_shipped_list_is_read():
    """A file under ontology/rules/ that no component reads would be a list that silently does nothing."""
    lists = {p.name for p in SHIPPED.iterdir() if p.suffix in (".txt", ".tsv")}
    assert lists == set(NAME_FILES) | set(ABBREVIATION_FILES)


@pytest.mark.parametrize("file, line, problem", [
    ("not-names.txt", "ZORBL QZXR", "holds a space"),
    ("not-names.txt", "GPU", "listed already, on line"),
    ("naming-verbs.txt", "Christened", "lower case"),
    ("cue-nouns.tsv", "testbed\tBenchmark", "expected 3 tab-separated field"),
    ("cue-nouns.tsv", "testbed\tTestbed\t-", "'Testbed' is not one of"),
    ("campaigns.tsv", "ZorblEval\tmaybe\t-", "'maybe' is not one of"),
])
def test_a_malformed_line_names_file_and_line(rules_dir, file, line, problem):
    n = append(rules_dir / file, line)
    with pytest.raises(ValueError, match=re.escape(f"{rules_dir / file}:{n}: ") + ".*" + re.escape(problem)):
        NameRules(rules_dir)


def test_a_malformed_abbreviation_list_names_file_and_line(rules_dir):
    n = append(rules_dir / "head-nouns.tsv", "testbed")
    with pytest.raises(ValueError, match=re.escape(f"{rules_dir / 'head-nouns.tsv'}:{n}: ")):
        AbbreviationRules(rules_dir)


def test_comments_and_blank_lines_are_not_words(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("# a header\n\nbenchmark\tBenchmark  # why it is here\n", encoding="utf-8")
    assert read_rule_file(path, ("Benchmark",)) == [("benchmark", "Benchmark")]


ACRONYM = "We train QZXR on long-horizon tasks and compare QZXR with two baselines."


def test_a_not_names_list_from_rules_dir_drops_a_name(rules_dir):
    assert ("QZXR", "Method") in candidates(pipeline("kg_names"), ACRONYM)
    append(rules_dir / "not-names.txt", "QZXR  # a made-up acronym, listed for this test")
    assert candidates(pipeline("kg_names", rules_dir), ACRONYM) == set()
    assert ("QZXR", "Method") in candidates(pipeline("kg_names"), ACRONYM)  # the shipped lists are untouched


DEFINITION = "We study the Quorn Zephyr Routine (QZR) and run QZR twice."


def test_a_head_noun_list_from_rules_dir_types_an_abbreviation(rules_dir):
    assert ("QZR", "Method") in candidates(pipeline("kg_abbreviations"), DEFINITION)
    append(rules_dir / "head-nouns.tsv", "routine\tBenchmark")
    found = candidates(pipeline("kg_abbreviations", rules_dir), DEFINITION)
    assert ("QZR", "Benchmark") in found and ("QZR", "Method") not in found


def test_a_phrase_list_takes_words_separated_by_one_space(tmp_path):
    from kg.nlp.rules import read_words
    path = tmp_path / "phrases.txt"
    path.write_text("# measures\nmemory footprint\nlatency\n", "utf-8")
    assert read_words(path, phrases=True) == {"memory footprint", "latency"}
    with pytest.raises(ValueError, match="phrases.txt:2"):
        read_words(path)  # a word list holds no phrase
    path.write_text("memory  footprint\n", "utf-8")
    with pytest.raises(ValueError, match="phrases.txt:1"):
        read_words(path, phrases=True)


def test_a_cost_measure_list_from_rules_dir_reaches_the_relations(rules_dir):
    from kg.nlp.pipeline import build_nlp
    text = "Zorbnet surpasses OpenVLA on LIBERO by 21.1% in success rate, while reducing inference latency 2-fold."

    def measures(rules=None):
        nlp = build_nlp(mode="rules")
        nlp.replace_pipe("kg_relations", "kg_relations",
                         config={"learned": False, "rules_dir": str(rules) if rules else None})
        return {(h.head, h.tail) for h in nlp(text)._.kg_relations if h.type == "measuredBy"}

    assert ("LIBERO", "latency") not in measures()  # a cost beside a quality measure (the shipped list)
    path = rules_dir / "cost-metrics.txt"
    path.write_text("".join(line for line in open(path, encoding="utf-8") if line.strip() != "latency"), "utf-8")
    assert ("LIBERO", "latency") in measures(rules_dir)
