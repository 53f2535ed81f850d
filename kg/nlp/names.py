"""Rules that find names the lexicon lacks: name-shaped words, cue nouns and title names.

* Name-shaped words: acronyms, CamelCase and mixed tokens (``MoDE``, ``OpenVLA``,
  ``RT-2-X``, ``Llama2-7B``, ``GPT-4o``), typed by their family, a size suffix or the
  words around them.
* Cue nouns: ``the X benchmark``, ``X dataset``, ``an algorithm named X``, ``X-based``.
* Title names: the leading name of a title in the ``Name: ...`` form.

The shape tests are pure functions; :class:`NameFinder` is the thin spaCy component. The
words they know (names that are not names, cue nouns, campaigns, ...) are files under
``ontology/rules/`` (:class:`NameRules`).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import DATA_TYPES, ENTITY_TYPES, SYSTEM_TYPES
from ..names import clean_surface
from .context_types import guessed_spans, mark_guessed
from .doctext import FULL_STOP_WITHOUT_SPACE, doc_text, title_break
from .lexicon import CANDIDATES, Lexicon, load_lexicon
from .rules import AUTHORS_NAMES, OWN_NAME, listed, load_rule_set, read_rule_file, read_words, rules_path, starting_with

def _alternatives(words: Collection[str]) -> str:
    """A regular-expression alternation of literal words; one that never matches for none."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)"


#: a shared task's name ends so: "MRQA 2019 Shared Task" (a two-word kind, beside name-suffix-types.tsv)
_SHARED_TASK = re.compile(r"(?<=\S)\s+shared[ -]task$", re.I)
#: what an entity is at the grain where the text's word can contradict a list: a system, data,
#: a measure or a problem (a Model the text calls a method is no contradiction)
_KIND_GROUP = {"Method": "system", "Model": "system", "Dataset": "data", "Benchmark": "data",
               "Metric": "Metric", "Task": "Task"}

#: a word that, hyphenated after a name, makes a modifier of it by its form alone: a participle
#: ("GPU-accelerated", "LLM-Assisted", "JIT-compiling") or an adjective or adverb ("LLM-friendly",
#: "GNSS-independent", "ID-consistent", "ROI-wise"); capitalised, only a participle in "-ed" (a
#: capitalised "-Learning", "-Critic" or "-Student" may end a name); a name's own suffix is a
#: noun ("-Bench", "-loss", "-val", "-mini")
_MODIFIER_FORM = r"[a-z]{2,}ing|[A-Za-z][a-z]+ed|[a-z]{3,}(?:ly|ent|ant|able|ible|ive|ic|al|ous|ful|less|wise)"

#: a year written as a word of its own: an edition of an event, never in a problem's name
_YEAR = re.compile(r"(?:19|20)\d\d")
#: words that make a paper one about a shared task (the campaigns' own names are in campaigns.tsv)
_SHARED_TASK_WORDS = r"\bshared[- ]tasks?\b|\bchallenge\b|\bcompetition\b|\bcampaign\b"


class NameRules:
    """The word lists of the names component and the patterns built from them: the files
    ``not-names.txt``, ``campaigns.tsv``, ``cue-nouns.tsv``, ``naming-verbs.txt``,
    ``introducing-verbs.txt``, ``modifier-suffixes.txt``, ``generic-cue-words.txt``,
    ``name-determiners.txt``, ``not-name-starts.txt``, ``title-task-heads.txt``, ``title-task-leads.txt``,
    ``task-list-nouns.txt``, ``metric-heads.txt``, ``metric-leads.txt``, ``based-families.txt``,
    ``reported-only-metrics.txt``, ``cost-metrics.txt``, ``hardware-nouns.txt`` and ``name-suffix-types.tsv`` in
    ``rules_dir`` (default: the shipped ``ontology/rules``), each saying in its header what it lists and why.

    >>> rules = load_name_rules()
    >>> rules.cue_types["benchmark"], "GPU" in rules.not_names, rules.is_name_shaped("OpenVLA")
    ('Benchmark', True, True)
    """

    def __init__(self, rules_dir: str | Path | None = None):
        def path(name: str) -> Path:
            return rules_path(rules_dir, name)
        self.not_names = read_words(path("not-names.txt"), lower=False)
        campaigns = read_rule_file(path("campaigns.tsv"), ("not-a-name", "name"), ("benchmark", "-"), lower=False)
        cues = read_rule_file(path("cue-nouns.tsv"), ENTITY_TYPES, ("introduced", "-"))
        self.cue_types = {word: etype for word, etype, _ in cues}
        #: the kinds a name the authors introduce may be called first: "we propose a novel algorithm, X"
        self.introduced_kinds = [word for word, _, introduced in cues if introduced == "introduced"]
        self.campaigns = frozenset(c.lower() for c, _, _ in campaigns)
        self.naming_verbs = read_words(path("naming-verbs.txt"))
        introducing_verbs = read_words(path("introducing-verbs.txt"))
        self.modifier_suffixes = read_words(path("modifier-suffixes.txt"))
        self.generic_cue_words = read_words(path("generic-cue-words.txt"))
        self.determiners = read_words(path("name-determiners.txt"))
        self.not_name_start = read_words(path("not-name-starts.txt"))
        self.hardware_nouns = read_words(path("hardware-nouns.txt"))
        self.title_task_heads = read_words(path("title-task-heads.txt"))
        self.title_task_leads = read_words(path("title-task-leads.txt"))
        self.metric_heads = read_words(path("metric-heads.txt"))
        # languages, institutions, devices: words that qualify a task without making a new one
        # ("Arabic Coreference Resolution" is coreference resolution)
        self.outside_heads = read_words(path("outside-heads.txt"))
        self.metric_leads = read_words(path("metric-leads.txt"))
        # "a Boundary-aware Negative Sampler", "the Auto-think Switch": a part its capitals name
        self.part_heads = read_words(path("part-heads.txt"))
        self.reported_only_metrics = read_words(path("reported-only-metrics.txt"), phrases=True)
        self.cost_metrics = read_words(path("cost-metrics.txt"), phrases=True)
        # "a diffusion-based action sampler": a family named by its stem (based-families.txt)
        based = read_words(path("based-families.txt"))
        self.based_family = re.compile(r"(?<![\w-])(" + _alternatives(based) + r")-based\b", re.I) if based else None
        title_word = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*"
        self.named_part = re.compile(
            starting_with(["a", "the", "our", "its", "introduce", "propose", "design", "develop", "novel", "with", "("])
            # or an enumerator: "two core components: (1) Depth-of-field Supervision and (2) ..."
            + r"(?:\b(?i:a|an|the|our|its|introduce[sd]?|propose[sd]?|design(?:s|ed)?|develop(?:s|ed)?|novel|new|with)"
            r"|\((?:\d|i{1,3}|iv|v)\))\s+"
            # one describing word may come first: "a pluggable Reference Adapter"
            r"(?:[a-z]+(?:-[a-z]+)?\s+)?"
            r"(?P<name>" + title_word + r"(?:\s+(?:(?:of|and|for|with)\s+)?" + title_word + r"){1,4})"
            # the whole run of capitals, no short form after it (the abbreviation rule's)
            r"(?![\w-])(?!\s+[A-Z(])")
        # "tasks such as", "applications including (", "domains, e.g.,": a list of problems follows
        task_list_nouns = read_words(path("task-list-nouns.txt"))
        self.task_list = re.compile(starting_with(task_list_nouns) + r"\b(?:" + _alternatives(task_list_nouns)
                                    + r")(?:\s*(?:,|--|\u2014|\u2013)?\s*(?:\(\s*)?(?:such as|like|including|e\.g\.,?|namely)\s+|\s*:\s+)",
                                    re.I)
        suffixes = read_rule_file(path("name-suffix-types.tsv"), ENTITY_TYPES)
        self.suffix_types = {word: etype for word, etype in suffixes}
        # "AncientBench", "UniDoc-Bench": the kind a name's last part says (name-suffix-types.tsv)
        # as a word's capitalised end ("AncientBench"), in upper case, or title-cased words ("Shared Task")
        self.kind_suffix = re.compile(r"(?:(?<=[a-z0-9])|[-\s])(" + "|".join(
            w[0].upper() + re.escape(w[1:]) + "|" + re.escape(w.upper()) + "|" + re.escape(w.title())
            for w in sorted(self.suffix_types)) + r")$")

        # evaluation campaigns and their editions ("SemEval-2020", "WMT"), and task or track
        # numbers ("Subtask-2", "Task-1"): never names (the typology names a campaign's tracks)
        editions = [c for c, edition, _ in campaigns if edition == "not-a-name"]
        bare = [c for c, edition, _ in campaigns if edition == "name"]
        self.not_a_name = re.compile(
            r"^(?:(?i:" + _alternatives(editions) + r")(?:[- ]?\d{1,4})?|(?i:" + _alternatives(bare) + r"|shared-?task)"
            r"|(?:Sub)?(?:[Tt]ask|Track)-?\d+[A-Za-z]?)$")
        # a paper about a shared task: it says so, or names a campaign as the campaign writes itself
        # ("IWSLT 2022", "WMT19", "SemEval-2020"; "FIRE" and "TAC" in capitals only)
        self.shared_task_paper = re.compile(
            r"(?i:" + _SHARED_TASK_WORDS + r")|(?<![\w-])(?:" + _alternatives([c for c, _, _ in campaigns]) + r")(?![a-z])")
        # a shared task's track in its campaign form ("SemEval-2020 Task 4"): a Benchmark (typology)
        self.campaign_task = re.compile(
            r"^(?i:" + _alternatives([c for c, _, track in campaigns if track == "benchmark"]) + r")[- ]?\d{2,4}"
            r"(?:\s+(?:Shared\s+)?Task\s*\d+[A-Za-z]?)$")
        # a campaign's track by its own words: "the WMT19 news translation task", "WMT 2018 Parallel
        # Corpus Filtering Shared Task", "the AmericasNLP 2021 Shared Task on Open Machine
        # Translation" (typology: one Benchmark a track; the campaign alone is none)
        campaign = r"(?=[A-Z])(?i:" + _alternatives([c for c, _, _ in campaigns]) + r")"
        track_word = (r"(?!(?i:shared|tasks?|subtasks?|tracks?|competition|challenge|workshop|evaluation|campaign"
                      r"|official|main|first|second|third)\b)[A-Za-z][\w-]*")
        self.campaign_track = re.compile(
            starting_with([c.upper() for c, _, _ in campaigns], ignore_case=False) + r"(?<![\w-])(?:"
            r"(?P<track>" + campaign + r"(?:[- ]?'?\d{2,4})? +(?i:shared +)?" + track_word + r"(?: +" + track_word
            + r"){0,4}?) +(?i:shared +)?(?i:task)\b(?![\w-])"
            # "... 2021 Shared Task on Open Machine Translation", "CoNLL 2017 Shared Task: Multilingual
            # Parsing from Raw Text to Universal Dependencies"
            r"|(?P<titled>" + campaign + r"[- ]?'?\d{2,4} +(?i:shared +)?Task(?: +on|:) +[A-Z][\w-]*"
            r"(?: +(?:(?:of|from|to|for|and|in|on|with) +)?[A-Z][\w-]*){0,7})"
            # "SemEval-2017 Task 10", "IJCNLP-2017 Task 2": a numbered track of a campaign that numbers them
            r"|(?P<numbered>(?=[A-Z])(?i:" + _alternatives([c for c, _, track in campaigns if track == "benchmark"])
            + r")[- ]?\d{2,4} +(?:Shared +)?Task +\d+[A-Za-z]?)(?![\w-]))")
        # "WMT21 shared task", "the WMT19 tasks": a campaign's edition as the event, no entity
        self.campaign_event = re.compile(campaign + r"[- ]?'?\d{2,4}")
        self.event_after = re.compile(r" +(?i:shared +)?(?i:tasks?)\b")
        # "PPO-based", and any participle, adjective or adverb after a hyphen: "GPU-accelerated",
        # "LiDAR-assisted", "LLM-friendly" describe a use of the name before it
        self.modifier = re.compile(r"(?<=.)-(?:(?i:" + _alternatives(self.modifier_suffixes) + r")|"
                                   + _MODIFIER_FORM + r")$")
        # a chunk right after a naming verb ("an algorithm named X"), the verb not followed by
        # punctuation (in lower case: "Named Entity Recognition" names no "Entity")
        self.named_chunk = re.compile(r"(?<!\S)[" + re.escape("([{\"'`“‘") + r"]*(?:"
                                      + _alternatives(self.naming_verbs) + r")\s+(?=(\S+))")
        self.introduced = re.compile(
            # the authors' voice: "we", "this paper", "this technical report"
            r"\b(?i:we|this (?:paper|work|thesis|study|article|(?:technical )?report))\s+(?i:first\s+|also\s+|further\s+|then\s+)?"
            # "we present and evaluate X": a second verb, coordinated, before the name
            r"(?i:" + _alternatives(introducing_verbs) + r")s?d?(?:\s+and\s+[a-z]+)?\s+(?:the\s+|"
            # "we propose a novel algorithm, RALI, which ...": the kind, then the name in apposition
            r"(?i:an?)\s+(?:[\w-]+\s+){0,3}?(?P<kind>" + _alternatives(self.introduced_kinds) + r"),\s+(?=[A-Z]))?"
            # LaTeX markup around the name is no part of it: "we propose $\textit{RegCache}$, a ..."
            r"(?:\$?\\(?:textit|textbf|emph|texttt|textsc|mathrm|mathbf|mathcal)\{)?"
            # a LaTeX super- or subscript or sign may end the name: "we propose RealD$^2$, a ..."
            r"(?P<name>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,4}?\+{0,2}(?:\$(?:[\^_]\{?[\w+]{1,4}\}?|\+)\$)?)(?:\}\$?)?"
            r"(?P<after>\s*,\s*(?:a|an|the|which)\b|\s+\(|\s*,\s*(?=[a-z])|\s*[.;:](?=\s|$)|\s+(?=which\s|that\s))")
        self.introduced_cue = re.compile(r"\s+(" + _alternatives(self.introduced_kinds) + r")$")
        # "Our strategy, NGS, encourages ...": the authors' kind of thing, then its name in apposition
        self.our_kind_named = re.compile(
            r"\b[Oo]ur\s+(?:[\w-]+\s+){0,2}?(?P<kind>" + _alternatives(self.introduced_kinds + ["strategy", "technique", "system"])
            + r"),\s+(?P<name>[A-Z][\w-]*[A-Za-z0-9])(?=\s*[,(])")
        data_cues = [w for w, t in self.cue_types.items() if t in DATA_TYPES]
        self.data_cue = re.compile(starting_with(data_cues) + r"\b(?:" + _alternatives(data_cues) + r")\b", re.I)
        # ", a new large-scale benchmark for", ": A Dataset of": what the words right after a name call it
        kinds = [w for w, t in self.cue_types.items() if t in ("Benchmark", "Dataset", "Metric")]
        self.description = re.compile(r"\s*[,:]\s*(?i:an?|the)?\s*(?:[\w-]+,?\s+){0,3}?(" + _alternatives(kinds)
                                      + r")\b", re.I)
        # ", a family of lightweight Time Series Foundation Models, which ...": the last cue noun of
        # the appositive's noun phrase (it ends at punctuation or a word that starts a modifier)
        self.appositive = re.compile(r"\s*,\s*(?i:an?|the)\s+((?:[^,.;:()\[\]]|\([^()]{0,30}\)){1,120})")
        # names recur within and across papers, so the shape test is cached per set of lists
        self.is_name_shaped = lru_cache(maxsize=1 << 18)(self._is_name_shaped)

    def kind_of(self, name: str) -> str | None:
        """The type a name's last part says ("AncientBench", "ZorbData"), if any.

        >>> load_name_rules().kind_of("UniDoc-Bench"), load_name_rules().kind_of("Bench")
        ('Benchmark', None)
        >>> load_name_rules().kind_of("BladeMistress Corpus")
        'Dataset'
        >>> load_name_rules().kind_of("GIR-Bench-T2I"), load_name_rules().kind_of("Zorb-Net-T2I")
        ('Benchmark', None)
        >>> load_name_rules().kind_of("MRQA 2019 Shared Task"), load_name_rules().kind_of("Zorb Challenge")
        ('Benchmark', 'Benchmark')
        """
        if _SHARED_TASK.search(name) and name.split()[0][:1].isupper():
            return "Benchmark"  # "MRQA 2019 Shared Task" (typology: shared tasks are Benchmarks)
        kind = self.kind_suffix.search(name)
        if kind is None and "-" in name[1:]:
            # a split or edition of it: "GIR-Bench-T2I", "MT-Bench-101", "SWE-Bench-Verified"
            base, _, part = name.rpartition("-")
            kind = self.kind_suffix.search(base) if 0 < len(part) <= 10 and "-" not in part else None
            if kind is not None and self.suffix_types[kind.group(1).lower()] != "Benchmark":
                kind = None  # "ZorbData-v2" is a version, a suffix of data no split
        return self.suffix_types[kind.group(1).lower()] if kind is not None and kind.start() > 0 else None

    def described_as(self, after: str) -> str | None:
        """The type an appositive or subtitle gives a name: ", a new benchmark for ...", ": A Dataset
        of ..." (the first cue noun within its first words; typology: the text's own word wins).

        >>> load_name_rules().described_as(", a large-scale benchmark for code agents")
        'Benchmark'
        >>> load_name_rules().described_as(" Learning to Plan with Benchmarks") is None
        True
        """
        m = self.description.match(after)
        return self.cue_types.get(m.group(1).lower()) if m else None

    def appositive_kind(self, after: str) -> str | None:
        """The type the noun phrase in apposition after a name gives it: its last cue noun before
        the phrase's modifiers start (typology: the text's own word wins).

        >>> rules = load_name_rules()
        >>> rules.appositive_kind(", a family of lightweight Time Series Foundation Models, which ...")
        'Model'
        >>> rules.appositive_kind(", a new benchmark for code agents built on GitHub issues")
        'Benchmark'
        >>> rules.appositive_kind(" (Corn), a ...") is None
        True
        """
        m = self.appositive.match(after)
        if m is None:
            return None
        kind = None
        for word in re.sub(r"\([^()]*\)", " ", m.group(1)).split()[:14]:  # "an uncertainty quantification (UQ) method"
            word = word.lower()
            if word in _APPOSITIVE_ENDS or word in ("of", "and", "or") and kind is not None:
                break  # "a suite of models" is a suite; "a family of models" is models
            kind = self.cue_types.get(word, kind)
        return kind

    def is_modifier(self, word: str) -> bool:
        """Whether ``word``, hyphenated after a name, makes a modifier of it ("based", "assisted").

        >>> load_name_rules().is_modifier("accelerated"), load_name_rules().is_modifier("Net")
        (True, False)
        """
        return word.lower() in self.modifier_suffixes or re.fullmatch(_MODIFIER_FORM, word) is not None

    def _is_name_shaped(self, word: str) -> bool:
        w = word.strip()
        if len(w) < 2 or listed(w, self.not_names) or self.not_a_name.match(w):
            return False
        dimension = _DIMENSION_PREFIX.match(w)
        if dimension is not None and w[dimension.end():] not in ("OF", "OFs", "DOF", "DOFs", "DoF", "DoFs"):
            # a dimension before a name: "3D-BabyRobot", "3DGS-QA" ("6DoF" and "3D" are none)
            return self._is_name_shaped(w[dimension.end():])
        if _NUMBERISH.match(w) or _HARDWARE.match(w) or not w[0].isalpha():
            return False
        if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+", w):
            # capitalised ordinary words joined by hyphens ("Open-Source", "Vision-Language"),
            # unless the last says what the name is ("Zorb-Bench")
            return self.kind_of(w) is not None
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9.\-+/]*[A-Za-z0-9+]$", w):
            return False
        if re.match(r"[a-z]{3,}[-/]", w):
            return False  # an ordinary word leading a compound: "human-AI", "multi-MDP", "overhead-SPUS"
        if re.fullmatch(r"[A-Z][A-Za-z0-9-]*[A-Za-z0-9]\+\+?", w):
            return True  # "PALMS+", "Dimitra++": a version mark after a capitalised name
        letters = [c for c in w if c.isalpha()]
        if len(letters) < 2 and not re.match(r"^[A-Z]\d+$", w):
            return False
        if _ALL_CAPS.match(w) and sum(c.isupper() for c in w) >= 2:
            return True
        if _HAS_UPPER_INSIDE.match(w) and any(c.islower() for c in w):
            return True  # CamelCase, rDPO, DINOv2
        if w[0].isupper() and re.search(r"\d", w) and re.search(r"[a-z]", w):
            return True  # Llama2, ResNet-34
        return bool(re.match(r"^[A-Z][a-z]+-\d", w))  # Llama-2, Gemma-2B


def load_name_rules(rules_dir: str | Path | None = None) -> NameRules:
    """The names component's word lists from ``rules_dir`` (default: the shipped
    ``ontology/rules``), read once per folder."""
    return load_rule_set(NameRules, rules_dir)


_HAS_UPPER_INSIDE = re.compile(r"^.+[A-Z]")
_ALL_CAPS = re.compile(r"^[A-Z][A-Z0-9]*(?:[-/][A-Z0-9]+)*s?$")
_SIZE_SUFFIX = re.compile(r"[-_ ]?(\d+(?:\.\d+)?[BMK]|\d+x\d+[BMK]|XXL|XL|Large|Base|Small|Tiny|Mini|Nano)$", re.I)
#: function words inside a title's lead that make it a phrase unless the abstract names it again
_TITLE_LEAD_FUNCTION_WORDS = frozenset("of for in on to with from the a an".split())
#: the word after a name, past a model number or a degree-of-freedom count ("xArm 850", "6-DoF")
_WORD_AFTER_NAME = re.compile(r"(?:\s+(?:\d+-?(?i:DoF)|\d+(?:\.\d+)?|[A-Z]?\d+[A-Za-z]?))?[\s-]+([A-Za-z]+)\b")
#: the word right before a name
_WORD_BEFORE_NAME = re.compile(r"\b([A-Za-z]+)\s+$")
_YEAR_SUFFIX = re.compile(r"[-_ ]?(?:19|20)\d\d$")
_COUNT_SUFFIX = re.compile(r"\d[Kk]$")
_DIMENSION_PREFIX = re.compile(r"[1-9]D-?(?=[A-Z][A-Za-z0-9])")
_NUMBERISH = re.compile(r"^[\d.,%x×]+[A-Za-z]{0,2}$")
_HARDWARE = re.compile(r"^(?:[A-Z]{1,2}\d{3,}|[TGCN]PUs?(?:-?v?\d+\w*)?|RTX\d*|Xeon\w*|M\d(?:Pro|Max)?)$")  # A6000, TPUv4

_SHIPPED = load_name_rules()
#: acronyms and tokens that look like names but never are entities here (``not-names.txt``)
NOT_NAMES = _SHIPPED.not_names
#: nouns after a name that say what it is (``cue-nouns.tsv``)
CUE_TYPES = _SHIPPED.cue_types
#: words that introduce a name after them: "an algorithm named X" (``naming-verbs.txt``)
NAMING_VERBS = _SHIPPED.naming_verbs


def is_name_shaped(word: str) -> bool:
    """Whether one word looks like a proper name of an artifact, not an ordinary word.

    >>> [is_name_shaped(w) for w in ["OpenVLA", "MoDE", "RT-2-X", "Llama2-7B", "GPT-4o", "TAXONS"]]
    [True, True, True, True, True, True]
    >>> [is_name_shaped(w) for w in ["Policy", "policy", "LLMs", "55B", "A6000", "I", "O(1/T)", "human-AI"]]
    [False, False, False, False, False, False, False, False]
    """
    return _SHIPPED.is_name_shaped(word)


def size_variant_family(name: str) -> str | None:
    """The family of a size variant: ``Llama2-7B`` -> ``Llama2``; None when there is no suffix.

    >>> size_variant_family("Llama2-7B"), size_variant_family("DiffusionVLA-2B"), size_variant_family("CALVIN")
    ('Llama2', 'DiffusionVLA', None)
    """
    m = _SIZE_SUFFIX.search(name)
    if not m or m.start() == 0:
        return None
    family = name[:m.start()].rstrip("-_ ")
    return family if len(family) >= 2 else None


@dataclass(frozen=True)
class Word:
    """A run of tokens with no space between them ("RT-2-X" is three tokens, one word)."""

    start: int  # token index
    end: int

    def text(self, doc: Doc) -> str:
        return doc[self.start:self.end].text


_EDGE_PUNCT = set(".,;:!?()[]{}\"'`“”‘’")


_EDGE_CHARS = "".join(_EDGE_PUNCT)


def _word_at(doc: Doc, start_char: int, end_char: int, rules: NameRules) -> Word | None:
    """The word of the space-delimited chunk ``text[start_char:end_char]``, edge punctuation,
    a possessive and a ``-based``-like modifier taken off, in whole tokens."""
    span = doc.char_span(start_char, end_char)  # a chunk between spaces always has token edges
    if span is None:
        return None
    s, e = span.start, span.end
    while s < e and doc[s].text in _EDGE_PUNCT:
        s += 1
    while e > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].text in ("'s", "’s")):
        e -= 1
    # "PPO-based", "BERT-style": the name is the part before the modifier
    if e - s >= 3 and doc[e - 2].text == "-" and rules.is_modifier(doc[e - 1].text):
        e -= 2
    return Word(s, e) if s < e else None


#: a space-delimited chunk that may hold a name-shaped word: a capital after its first
#: character, or a capital and a digit (see :func:`is_name_shaped`); a superset, tested next
_SHAPED_CHUNK = re.compile(r"(?<!\S)(?=\S*[A-Z])(?:\S+[A-Z]\S*|[A-Z]\S*\d\S*|\S*\d\S*[A-Z]\S*|[A-Z]\w+\+\+?\S*)")
_NAME_GOES_ON = re.compile(r" (?=[A-Z])(\S+)")
#: capitalised words that start a sentence rather than continue a name
_NOT_IN_NAMES = frozenset("the a an this these that those we our it its in on for to with by as at from "
                          "however moreover furthermore finally experiments results".split())
_CHUNK_BREAK = re.compile(FULL_STOP_WITHOUT_SPACE + r"|/(?<=[A-Za-z]{2}/)(?=[A-Za-z]{2})")


#: a team's or system's entry in a shared task: "LIMSI's submission to ...", "NICT's Machine
#: Translation Systems for WMT19", "the USI-UPF team"; "the submission by the CMU-01 team", "our
#: team Scubed's approach", "with the team name: CNLP-NITS"
_TEAM_AFTER = re.compile(r"(?:[’']s?\s+(?:[\w-]+\s+){0,5}?(?:submissions?|participation|entry|entries|contribution|"
                         r"systems?)|\s+team)\b", re.I)
_TEAM_BEFORE = re.compile(r"\b(?:(?:submissions?|participation|contribution|entry|entries)\s+(?:of|by)\s+"
                          r"(?:the\s+)?(?:team\s+)?|(?:our|the)\s+team\s+|team\s+name\s*(?::|is)?\s*)$", re.I)
_EDITION_AFTER = re.compile(r"\s*[-’']?\d{2,4}\b")


def names_a_team(text: str, start: int, end: int, rules: NameRules | None = None) -> bool:
    """Whether the name at ``text[start:end]`` is a team's, in a paper about a shared task
    (typology: the team or system name is the paper's proposed Method).

    >>> text = "This paper describes NICT's submission to the WMT19 shared task. NICT's baseline is weak."
    >>> names_a_team(text, 21, 25), names_a_team(text, 65, 69)
    (True, False)
    >>> names_a_team("We build on BERT's attention heads.", 12, 16)
    False

    An event's edition is no team: "the submissions of NaNoGenMo 2018".
    """
    if _EDITION_AFTER.match(text, end):
        return False
    return (_TEAM_AFTER.match(text, end) is not None or _TEAM_BEFORE.search(text, max(0, start - 60), start) is not None) \
        and (rules or _SHIPPED).shared_task_paper.search(text) is not None


def _single_names(parts: list[str], rules: NameRules) -> bool:
    """Whether the parts a conjunction split are two or more single name-shaped words ("FlashCodec
    and UnifiedServe"): names of their own, each found by its shape, not one name.

    >>> _single_names(["FlashCodec", "UnifiedServe"], _SHIPPED), _single_names(["Look", "Tell"], _SHIPPED)
    (True, False)
    """
    return len(parts) > 1 and all(len(p.split()) == 1 and rules.is_name_shaped(p) for p in parts)


def _candidate_chunks(text: str, rules: NameRules = _SHIPPED) -> list[tuple[int, int, bool]]:
    """(start, end, after a naming verb) of the chunks that may be names, in text order.

    >>> text = "We call it an agent named Bob and use OpenVLA (RT-2) models."
    >>> [(text[s:e], named) for s, e, named in _candidate_chunks(text)]
    [('Bob', True), ('OpenVLA', False), ('(RT-2)', False)]
    """
    # a sentence's full stop with no space after it ("baselines.This") ends a chunk as a space
    # would, and so does a slash between words: "PSNR/SSIM", "PPO/CEM" name two things (not the
    # "/16" of "ViT-B/16")
    text = _CHUNK_BREAK.sub(" ", text)
    found = {m.start(): (m.start(), m.end(), False) for m in _SHAPED_CHUNK.finditer(text)}
    for m in rules.named_chunk.finditer(text):
        chunk = m.group(1)
        if chunk[0] not in _EDGE_PUNCT and chunk[:1].isupper():
            end = m.start(1) + len(chunk)
            # the name goes on over capitalised words: "a defense termed Intent Inversion that
            # ...", "a novel model called Dual BERT, which ..."
            for _ in range(4):
                more = _NAME_GOES_ON.match(text, end) if text[end - 1].isalnum() or text[end - 1] == "+" else None
                if more is None or more.group(1).lower() in _NOT_IN_NAMES:
                    break  # "an open-source platform called MTET The evaluation shows ...": a sentence's start
                end = more.end()
            found[m.start(1)] = (m.start(1), end, True)
    return [found[k] for k in sorted(found)]


def _word_core(chunk: str, rules: NameRules) -> str:
    """What :func:`_word_at` leaves of a chunk, on the string: a cheap test before building tokens."""
    core = chunk.strip(_EDGE_CHARS)
    if core.endswith(("'s", "’s")):
        core = core[:-2].rstrip(_EDGE_CHARS)
    return rules.modifier.sub("", core)


def _cue_after(doc: Doc, end: int, rules: NameRules) -> str | None:
    """The type named by a cue noun right after token ``end`` ("X benchmark", "X-based")."""
    return rules.cue_types.get(doc[end].lower_) if end < len(doc) else None


class NameFinder:
    """Adds name-shaped, cue-introduced and title-leading names to the candidate spans."""

    def __init__(self, lexicon: Lexicon, rules: NameRules | None = None, title_tasks: bool = True):
        self.lexicon = lexicon
        self.rules = rules or _SHIPPED
        self.find_title_tasks = title_tasks

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(CANDIDATES, [])
        for span in self.find(doc):
            group.append(span)
        return doc

    def find(self, doc: Doc) -> list[Span]:
        spans: list[Span] = []
        text = doc_text(doc)
        title_end = _title_end(doc)
        body_start = doc[title_end].idx if 0 < title_end < len(doc) else 0
        rules = self.rules
        campaign_title: bool | None = None  # read from the title only when a title word is in question
        hardware: set[str] = set()  # names the text puts next to a robot, an arm, a sensor: none of their uses is a name
        for start, end, named in _candidate_chunks(text, rules):
            core = _word_core(text[start:end], rules)
            if not core or not (named or rules.is_name_shaped(core)):
                continue
            w = _word_at(doc, start, end, rules)
            if w is None:
                continue
            name_end = doc[w.end - 1].idx + len(doc[w.end - 1])
            name = text[doc[w.start].idx:name_end]
            if self.lexicon.is_stopname(name) or not (named or rules.is_name_shaped(name)):
                continue
            if rules.campaign_event.fullmatch(name) and (rules.event_after.match(text, name_end)
                                                         or text[max(0, start - 4):start].lower() == " at "):
                continue  # "the WMT19 shared task", "UCAM at WMT19: ...": the campaign's edition, no entity
            if not named and self._hardware(text, doc[w.start].idx, name_end):
                hardware.add(name)  # "the dual-arm teleoperated robot ALOHA", "ViperX 6-DoF arms" (typology)
                continue
            etype, conf, rule = self.type_of(doc, w, name)
            guessed = rule == "names.shape"  # typed by its shape alone: the context may say better
            if guessed and not named and name_end <= body_start and _TITLE_GOES_ON.match(text, name_end) and \
                    next(occurrences(text[body_start:], name, ignore_case=False), None) is None:
                # a word of the title that only its capitals make look like a name, that more of
                # the title's words follow and that the abstract never uses ("BEV-Aerial Feature
                # Matching", "ID-Consistent, Precise Expression Generation"); a name that ends
                # the title is kept ("Probing ... With X-Probe"), the title's lead is
                # title_name's, and a shared-task title's team stays (_names_a_campaign)
                if campaign_title is None:
                    campaign_title = self._names_a_campaign(doc, title_end, body_start)
                if not campaign_title:
                    continue
            if named and rule == "names.shape":
                rule = "names.named"  # "an agent named Zorbl": the words say it is a name
            elif guessed and names_a_team(text, doc[w.start].idx, name_end, self.rules):
                etype, rule, guessed = "Method", "names.team", False
            if etype:
                spans.append(Span(doc, w.start, w.end, label=etype, kb_id=name, span_id=rule))
                if guessed:
                    mark_guessed(doc, spans[-1])
        if hardware:
            spans = [s for s in spans if s.kb_id_ not in hardware]
        spans.extend(self.cue_phrases(doc, title_end))
        spans.extend(self.introduced_names(doc))
        title = self.title_name(doc, title_end)
        if title is not None:
            spans.append(title)
        if self.find_title_tasks:
            spans.extend(self.title_tasks(doc, title_end, spans))
        spans.extend(self.campaign_tracks(doc))
        spans.extend(self.metric_phrases(doc, spans))
        spans.extend(self.listed_tasks(doc, spans))
        spans.extend(self.named_parts(doc, title_end))
        spans.extend(self.based_families(doc))
        spans.extend(_recurrences(doc, [s for s in spans if s.id_ in _RECURRING]))
        return spans

    def _names_a_campaign(self, doc: Doc, title_end: int, body_start: int) -> bool:
        """Whether the title is a shared-task paper's: its team and the campaign's tracks are
        names its abstract often does not repeat ("The USYD-JD Speech Translation System for
        IWSLT2021", "IITP-AI-NLP-ML@ CL-SciSumm 2020")."""
        campaigns = self.rules.campaigns
        return _SHARED_TASK_TITLE.search(doc_text(doc), 0, body_start) is not None or any(
            t.lower_ in campaigns or _CAMPAIGN_EDITION.sub("", t.lower_.split("-")[0]) in campaigns
            for t in doc[:title_end])

    def type_of(self, doc: Doc, w: Word, text: str) -> tuple[str | None, float, str]:
        """Type a name-shaped word by its family, its size suffix, then the words around it."""
        cue = _cue_after(doc, w.end, self.rules)
        if cue in DATA_TYPES:
            return cue, 0.8, "names.cue"
        end = doc[w.end - 1].idx + len(doc[w.end - 1])
        after = doc_text(doc)[end:end + 80]
        said = None if _LIST_GOES_ON.match(after) else self.rules.described_as(after)
        if said is not None:  # "deISEAR, a corpus designed ...": the text's own word types it
            return said, 0.8, "names.cue"
        if w.start > 0 and re.fullmatch(r"\d+\.\d+|\d+(?:\.\d+)?%", doc[w.start - 1].text) and not text[0].islower() \
                and not (w.start > 1 and doc[w.start - 2].text[:1].isupper() and doc[w.start - 2].whitespace_):
            # "88.1 PDMS", "42.0 AP"; not a version's number: "Llama 3.2 Vision-8B"
            return "Metric", 0.6, "names.after_number"
        kind = self.rules.kind_of(text)
        if kind is not None:
            return kind, 0.7, "names.kind"
        family = _family_entry(self.lexicon, text)
        if family is not None:
            return family.type, 0.7, "names.family"
        if size_variant_family(text):
            if _COUNT_SUFFIX.search(text):
                # "SUSTech1K", "Conan-91K", "FastUMI-100K": thousands count examples, not parameters;
                # a guess the context may make a Benchmark
                return "Dataset", 0.5, "names.shape"
            return "Model", 0.7, "names.size"
        if cue == "Model" and not text.endswith("s"):
            return "Model", 0.6, "names.cue"
        if cue in ("Method", "Metric", "Task"):
            return cue, 0.6, "names.cue"
        if _YEAR_SUFFIX.search(text):
            return "Dataset", 0.4, "names.shape"  # "CoNLL-2014", "COCO-2017": a year dates data, a guess the context may retype
        if re.match(r"^[A-Za-z]+-\d", text):  # RT-2, GPT-4: numbered releases are models
            return "Model", 0.5, "names.shape"
        return "Method", 0.4, "names.shape"

    def _hardware(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` is a piece of hardware by the noun right before
        or after it ("robot ALOHA", "xArm 850", "ViperX 6-DoF arms", "Unitree G1 humanoid"), a
        size, a model number or a degree-of-freedom count allowed between."""
        after = _WORD_AFTER_NAME.match(text, end)
        before = _WORD_BEFORE_NAME.search(text, max(0, start - 30), start)
        return any(m is not None and listed(m.group(1).lower(), self.rules.hardware_nouns) for m in (after, before))

    def cue_phrases(self, doc: Doc, title_end: int) -> list[Span]:
        """``the X benchmark`` / ``X dataset`` with X capitalised words."""
        out = []
        rules = self.rules
        for m in rules.data_cue.finditer(doc_text(doc)):
            found = doc.char_span(m.start(), m.end())
            if found is None or len(found) != 1:
                continue
            tok = found[0]
            cue = rules.cue_types.get(tok.lower_)
            if cue not in DATA_TYPES or tok.i == 0:
                continue
            end = tok.i
            start = end
            while start > 0 and _capitalised_name_token(doc[start - 1], rules) and end - start < 4:
                start -= 1
            while start < end and (doc[start].lower_ in rules.determiners or doc[start].text == "-"):
                start += 1
            if start == end:
                continue
            in_title = title_end and end < title_end
            has_shape = any(rules.is_name_shaped(t.text) for t in doc[start:end])
            if (in_title or doc[start].is_sent_start) and not has_shape:
                continue  # title case and sentence starts capitalise ordinary words
            if tok.text[:1].isupper() and not has_shape:
                continue  # "A Shared Benchmark": a capitalised cue is part of a title-cased phrase
            if start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_punct or (
                    start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_):
                continue  # "Birds-to-Words dataset": a cut inside a hyphenated word
            text = doc[start:end].text
            if self.lexicon.is_stopname(text) or text in rules.not_names or rules.not_a_name.match(text) or all(
                    w.lower() in rules.generic_cue_words or self.lexicon.is_stopname(w) for w in text.split()):
                continue
            out.append(Span(doc, start, end, label=cue, kb_id=text, span_id="names.cue"))
        return out

    def introduced_names(self, doc: Doc) -> list[Span]:
        """Names the authors introduce: "we introduce Directional Stimulus Prompting, a novel
        framework", "we introduce diff history, a simple ...", "we propose X (...)"."""
        out = []
        rules = self.rules
        for m in rules.introduced.finditer(doc_text(doc)):
            name = m.group("name")
            cue = rules.introduced_cue.search(name)
            cue_type = rules.cue_types.get(cue.group(1)) if cue else None
            name = name[:cue.start()] if cue else name
            if _single_names(re.split(r"\s(?:and|or|&)\s", name), rules):
                continue  # "we present FlashCodec and UnifiedServe, two systems": two names, each found by its shape
            appositive = m.group("after").startswith(",")
            # a compound of ordinary words the authors introduce as a name is theirs ("we propose
            # Audio-VLA, a ..."), though the same compound found by its shape is a description
            if self.lexicon.is_stopname(name, compounds=not appositive) or name.lower().split()[0] in rules.not_name_start:
                continue
            title_case = all(w[:1].isupper() or w.lower() in ("of", "for", "with", "and") for w in name.split())
            if not (appositive or title_case) or (not title_case and len(name.split()) > 3):
                continue
            if m.group("after").strip()[:1] in ".;:" and not (title_case and name[:1].isupper()):
                continue  # "we propose Kitewing." names it; "we present experiments." does not
            if not title_case and name.split()[-1].endswith("s") and not name.split()[-1].endswith("ss"):
                continue  # "we present the evaluation results, ...": a plural common noun, not a name
            span = doc.char_span(m.start("name"), m.start("name") + len(name), alignment_mode="strict")
            if span is None:
                continue
            entry = self.lexicon.lookup_as_written(name)
            # the kind it was called: data kinds only, as a paper's own system is a Model only with
            # a size or released weights (typology)
            kind = self.rules.cue_types.get(m.group("kind").lower()) if m.group("kind") else None
            said = cue_type or (kind if kind in DATA_TYPES else None) or self.rules.kind_of(name) \
                or self.rules.described_as(doc_text(doc)[m.end("name"):])
            if entry is not None and appositive:
                # "we introduce FLAME, a family of ... models" where the lexicon's FLAME is a
                # dataset: the authors name a new thing of their own, not the listed one
                apposed = self.rules.appositive_kind(doc_text(doc)[m.end("name"):m.end("name") + 160])
                if apposed is not None and _KIND_GROUP[apposed] != _KIND_GROUP[entry.type]:
                    own_type = apposed if _KIND_GROUP[apposed] != "system" else (self.rules.kind_of(name) or "Method")
                    out.append(Span(doc, span.start, span.end, label=own_type, kb_id=name, span_id=OWN_NAME))
                    continue
            out.append(Span(doc, span.start, span.end, label=entry.type if entry else (said or "Method"),
                            kb_id=entry.name if entry else name, span_id="names.introduced"))
            if entry is None and said is None:
                mark_guessed(doc, out[-1])
        for m in rules.our_kind_named.finditer(doc_text(doc)):
            name = m.group("name")
            span = doc.char_span(m.start("name"), m.end("name"))
            if span is None or self.lexicon.lookup_as_written(name) or self.lexicon.is_stopname(name) \
                    or listed(name, rules.not_names):
                continue  # a known name is the lexicon's to type
            kind = rules.cue_types.get(m.group("kind").lower())
            out.append(Span(doc, span.start, span.end, label=kind if kind in DATA_TYPES else "Method",
                            kb_id=name, span_id="names.introduced"))
        return out

    def title_name(self, doc: Doc, title_end: int) -> Span | None:
        """The leading name of a ``Name: rest`` title, when it is a name (see the typology)."""
        if title_end <= 0:
            return None
        team = self.team_name(doc, title_end)
        if team is not None:
            return team
        colon = next((t.i for t in doc[:title_end] if t.text == ":"), None)
        if colon is None:
            return self.title_method(doc, title_end)
        if colon == 0 or colon > 6:
            return None
        lead = doc[0:colon]
        text = lead.text
        if not text.split():
            return None
        body = doc_text(doc)[doc[title_end].idx:] if title_end < len(doc) else ""
        shaped = len(words_of(lead)) == 1 and self.rules.is_name_shaped(text.replace("-", "")) or \
            any(self.rules.is_name_shaped(t.text) for t in lead if t.text.isalnum())
        # used again in the abstract, or by its initials ("Gaussian Entropy Fields: ..." and "GEF
        # achieves ...": a name the paper abbreviates without spelling out again)
        confirmed = _mentioned_again(text, body) or _abbreviated_in(text, body)
        if text.split()[0].lower() in ("the", "a", "an") or (text.split()[0].lower().endswith("ly") and colon > 1):
            lead, text = doc[1:colon], doc[1:colon].text  # "The AI Economist", "Provably Robust DPO"
            if len(lead) == 0 or not text.strip():
                return None
            confirmed = confirmed or _mentioned_again(text, body)
        if lead[0].lower_ in self.rules.not_name_start and lead[0].whitespace_:
            return None  # "On Attention Redundancy:", "From D-Coi to SoNaR:", "How X Helps:"
        if lead[0].text.lower().endswith("ing") and not confirmed:
            return None  # "Steering Your Generalists:", "Understanding ...:"
        if not (shaped or confirmed) or self.lexicon.is_stopname(text, compounds=not confirmed):
            return None  # a compound of ordinary words is a name where the abstract uses it again
        parts = re.split(r"\s(?:and|&|vs\.?|or)\s", text)
        if len(parts) > 1 and (not next(occurrences(body, text, ignore_case=False), None)
                               or _single_names(parts, self.rules)):
            # "MT-Bench and Chatbot Arena: ...", "USIM and U0: ...", and "Convolutions and Self-Attention: ..."
            # where the abstract says "convolutions and self-attention": two things. A name written
            # so again is one ("Look and Tell: A Dataset ...")
            return None
        if "survey" in doc[colon:title_end].text.lower() and not shaped:
            return None
        if not confirmed and any(t.is_lower and t.lower_ in _TITLE_LEAD_FUNCTION_WORDS for t in lead[1:]):
            return None  # "The Dawn of Agentic EDA: A Survey ...": a phrase, not a name, where the abstract never uses it
        entry = self.lexicon.lookup_as_written(text)
        said = "Benchmark" if self.rules.campaign_task.match(text) else \
            self.rules.kind_of(text) or self.rules.described_as(doc_text(doc)[doc[colon].idx:doc[title_end - 1].idx])
        etype = entry.type if entry else said or "Method"
        span = Span(doc, lead.start, lead.end, label=etype, kb_id=entry.name if entry else text, span_id="names.title")
        if entry is None and said is None:
            mark_guessed(doc, span)
        return span

    def title_method(self, doc: Doc, title_end: int) -> Span | None:
        """A title that leads with the paper's own kind of a known method: "Block Pruning for
        Faster Transformers", "Group-wise Contrastive Learning for Dialogue Generation". The
        capitalised words before the title's first preposition end on a lexicon Method, have
        words of their own in front of it, and the abstract uses them again; the name is
        spelled as the abstract first does."""
        end = next((t.i for t in doc[:title_end] if t.lower_ in _TITLE_BREAK_WORDS), None)
        start = 0
        while start < (end or 0) and listed(doc[start].lower_, self.rules.determiners):
            start += 1
        if end is None or end - start < 2 or not all(_title_word(doc, i) for i in range(start, end)) \
                or doc[start].lower_.endswith("ing"):
            return None  # "Enriching Knowledge Distillation with ...": what the paper does to a method
        for i in range(start + 1, end):
            if doc[i - 1].text == "-" or doc[i].text == "-":
                continue  # not inside a hyphenated word
            entry = self.lexicon.lookup_as_written(doc[i:end].text)  # not SimPLe in "A Simple ..."
            if entry is None or entry.type != "Method":
                continue
            lead = doc[start:end]
            body = doc_text(doc)[doc[title_end].idx:] if title_end < len(doc) else ""
            again = next(occurrences(body, lead.text), None)
            if again is None or self.lexicon.lookup(lead.text) is not None or self.lexicon.is_stopname(lead.text):
                return None
            return Span(doc, lead.start, lead.end, label="Method", kb_id=body[again[0]:again[1]], span_id="names.title")
        return None

    def team_name(self, doc: Doc, title_end: int) -> Span | None:
        """The system or team a shared-task paper's title leads with: "GL at SemEval-2019 Task 5:
        ...", "Team Quorra at WMT 2020", "Scubed at 3C task B" (typology: the paper's proposed
        Method; the campaign, the track and a leading "Team" are no part of it). The words after
        "at" (or a separate "@") must name a campaign (``campaigns.tsv``) or a task, track,
        challenge or shared task; "X@Y" written as one token is left to the other title rules."""
        at = next((t.i for t in doc[:min(title_end, 6)] if t.lower_ in ("at", "@")), None)
        if not at:
            return None
        start = 1 if doc[0].lower_ == "team" and at > 1 else 0
        lead = doc[start:at]
        if len(lead) > 4 or any(t.is_punct and t.text not in "-_" or t.lower_ in ("and", "+") for t in lead) \
                or not lead.text[:1].isupper() and not self.rules.is_name_shaped(lead.text):
            return None  # two systems ("X and Y at ...") are left to the other title rules
        after = [t.lower_ for t in doc[at + 1:min(title_end, at + 8)]]
        # the word after "at" (not "the"), without an edition's "+" ("WebNLG+")
        first = next((t.text.rstrip("+") for t in doc[at + 1:title_end] if t.lower_ != "the"), None)
        known = self.lexicon.lookup(first) if first is not None else None
        if not any(w in self.rules.campaigns or w.split("-")[0] in self.rules.campaigns
                   or w in ("task", "subtask", "track", "challenge", "shared") for w in after) \
                and not (known is not None and known.type == "Benchmark") \
                and not (first is not None and self.rules.is_name_shaped(first)
                         and self.rules.shared_task_paper.search(doc_text(doc))):
            return None  # "NILC at WebNLG+: ...", "UAlberta at LSCDiscovery: ..." in a shared-task paper
        text = lead.text
        if self.lexicon.is_stopname(text) or lead[0].lower_ in self.rules.not_name_start:
            return None
        return Span(doc, lead.start, lead.end, label="Method", kb_id=text, span_id="names.title")

    def campaign_tracks(self, doc: Doc) -> list[Span]:
        """A shared task's track named by its campaign and its own words (a Benchmark: the typology
        names a campaign's tracks, not the campaign): "the WMT19 news translation task" gives
        "WMT19 news translation"; "the AmericasNLP 2021 Shared Task on Open Machine Translation" is
        the track's whole name. "the WMT 2019 shared task" names only the campaign, and no words
        of the track's own that are function words make one ("the SemEval task of ...")."""
        from .spans import FUNCTION_WORDS  # spans imports this module
        out = []
        doc_chars = doc_text(doc)
        title_end = title_break(doc_chars)
        for m in self.rules.campaign_track.finditer(doc_chars):
            group = next(g for g in ("track", "titled", "numbered") if m.group(g))
            text = m.group(group)
            words = text.split()
            if group == "track" and any(w.lower() in FUNCTION_WORDS for w in words[1:]):
                continue
            if group == "titled" and m.start() < title_end and ":" in text:
                continue  # "... at the SIGMORPHON 2019 Shared Task: Sparse Two-headed Models": the paper's subtitle
            span = doc.char_span(m.start(group), m.end(group), alignment_mode="strict")
            if span is None:
                continue
            name = re.sub(r"\s+(?i:shared)\s+(?=\S+\s)", " ", text, count=1) if group == "track" \
                else re.sub(r"(?<=Task): ", " on ", text, count=1)  # "Shared Task: X" is "Shared Task on X"
            if group == "titled":
                known = self.lexicon.lookup(text[:text.index("Task") + 4])
                if known is not None and known.type == "Benchmark":
                    name = known.name  # the edition's one track the lexicon knows ("CoNLL 2017 UD shared task")
            out.append(Span(doc, span.start, span.end, label="Benchmark", kb_id=name, span_id="names.campaign_track"))
        return out

    def metric_phrases(self, doc: Doc, found: list[Span]) -> list[Span]:
        """Measures the text names by how it uses them: a lower-case phrase ending on a measure
        word right before "of <number>" ("hamming loss of 0.04"), a known measure at a cutoff
        ("mAP@0.7", "BLEU@4"), and the items of a list the
        text calls metrics ("metrics such as success rate, safety rate and PSNR"). A phrase
        another rule or the lexicon already covers in part is left to them."""
        from .spans import head_form  # spans imports this module
        text = doc_text(doc)
        rules = self.rules
        taken = [(s.start_char, s.end_char) for s in doc.spans.get(CANDIDATES, [])]
        taken += [(s.start_char, s.end_char) for s in found]
        out: list[Span] = []

        def add(a: int, b: int, name: str, around: bool = False) -> None:
            # ``around``: a list item may hold a shorter name ("safe success rate")
            if self.lexicon.is_stopname(name) or any(x < b and a < y and not (around and a <= x and y <= b)
                                                      for x, y in taken):
                return
            span = doc.char_span(a, b, alignment_mode="strict")
            if span is not None:
                taken.append((a, b))
                out.append(Span(doc, span.start, span.end, label="Metric", kb_id=name, span_id="names.metric"))

        for m in _BEFORE_NUMBER.finditer(text):
            phrase = self._measure_words(text, m.start())
            if phrase is not None:
                add(*phrase, text[phrase[0]:phrase[1]])
        for m in _RANKED_MEASURE.finditer(text):  # "Top-3 accuracy", not a model "Top-3"
            for word in ("w1", "w2"):
                if m.group(word) and listed(head_form(m.group(word)), rules.metric_heads):
                    add(m.start(), m.end(word), text[m.start():m.end(word)].lower(), around=True)
                    break
        # "mAP@0.7", "BLEU@4", "EM@1": a known measure at a cutoff (the pattern is tried only
        # where an "@" is: it would scan every word for one)
        for m in _AT_CUTOFF.finditer(text) if "@" in text else ():
            entry = self.lexicon.lookup_as_written(m.group(1))
            if entry is not None and entry.type == "Metric":
                known = self.lexicon.lookup_as_written(m.group(0))
                add(m.start(), m.end(), known.name if known is not None and known.type == "Metric" else m.group(0),
                    around=True)
        for m in _METRIC_LIST.finditer(text):
            for a, b in _list_items(text, m.end()):
                words = text[a:b].split()
                while len(words) > 1 and (listed(words[0], rules.determiners) or listed(words[0], rules.metric_leads)):
                    a += len(words.pop(0)) + 1
                # a phrase of ordinary words is a measure's name only when it ends on a measure word:
                # "success rate", not "CIDEr show clear improvements"
                if len(words) == 1 or listed(head_form(words[-1]), rules.metric_heads) or all(
                        w[:1].isupper() or not w.isalpha() for w in words):
                    add(a, b, text[a:b], around=True)
        return out

    def listed_tasks(self, doc: Doc, found: list[Span]) -> list[Span]:
        """The problems a list names: each lower-case item after "tasks such as", "applications
        including", "domains like" (``task-list-nouns.txt``): "tasks like code review and content
        moderation" names two Tasks. An item that another rule or the lexicon names exactly is
        theirs; one that only holds a shorter name is the longer problem ("streaming video
        captioning" around "video captioning"). Items that read as things rather than problems
        are left out: a plural noun ("assistive robots"), a phrase with a function word
        ("further demonstrating the versatility"), a single word ("media", "entertainment")."""
        from .spans import FUNCTION_WORDS, head_form  # spans imports this module
        text = doc_text(doc)
        rules = self.rules
        taken = {(s.start_char, s.end_char) for s in doc.spans.get(CANDIDATES, [])}
        taken.update((s.start_char, s.end_char) for s in found)
        out: list[Span] = []
        for m in rules.task_list.finditer(text):
            for a, b in _list_items(text, m.end()):
                words = text[a:b].split()
                while len(words) > 1 and listed(words[0], rules.determiners):
                    a += len(words.pop(0)) + 1
                last = words[-1].lower()
                # a single word in such a list is a setting or a sector more often than a problem
                # ("media and entertainment", "preparation, collection and close-out")
                if (len(words) < 2 or not all(w[:1].islower() or w[:1].isdigit() for w in words) or (a, b) in taken
                        or any(w in FUNCTION_WORDS or w == "etc" for w in words)
                        or (head_form(last) != last and not last.endswith("ics"))
                        or self.lexicon.is_stopname(text[a:b])):
                    continue
                span = doc.char_span(a, b, alignment_mode="strict")
                if span is not None:
                    taken.add((a, b))
                    out.append(Span(doc, span.start, span.end, label="Task", kb_id=text[a:b], span_id="names.listed_task"))
        return out

    def based_families(self, doc: Doc) -> list[Span]:
        """The stem of "diffusion-based" as a mention of the family the lexicon lists as
        "diffusion-based model" (``based-families.txt``), unless the word before makes a name of
        its own with the stem (one the lexicon lists: "anisotropic diffusion")."""
        if self.rules.based_family is None:
            return []
        out = []
        text = doc_text(doc)
        for m in self.rules.based_family.finditer(text):
            family = self.lexicon.lookup(f"{m.group(1)}-based model")
            before = re.search(r"([\w-]+)\s+$", text[max(0, m.start() - 40):m.start()])
            if family is None or before is not None and self.lexicon.lookup(f"{before.group(1)} {m.group(1)}"):
                continue
            span = doc.char_span(m.start(1), m.end(1))
            if span is not None:
                out.append(Span(doc, span.start, span.end, label=family.type, kb_id=family.name,
                                span_id="names.based_family"))
        return out

    def named_parts(self, doc: Doc, title_end: int) -> list[Span]:
        """Parts of a system the text names in capitals: "a Boundary-aware Negative Sampler", "the
        Auto-think Switch", "employs a Hybrid Controller that ..." (typology: the named parts of
        the paper's own system are Methods). A whole run of two to five capitalised words after a
        determiner, an introducing verb or "with" (and at most one describing word: "a pluggable
        Reference Adapter", "with Cross-Plane Mamba blocks"), in the abstract, ending on a part noun
        (``part-heads.txt``) or followed by one in lower case ("a Local Gram Flow loss"); not a name
        the lexicon knows with a part noun added ("a Transformer Encoder"), nor a compound of
        ordinary words the lexicon lists as no name."""
        text = doc_text(doc)
        rules = self.rules
        body_start = doc[title_end].idx if 0 < title_end < len(doc) else 0
        out: list[Span] = []
        for m in rules.named_part.finditer(text, body_start):
            name = m.group("name")
            words = name.split()
            # the part noun ends the name ("Hybrid Controller") or follows it in lower case ("a
            # Backward Reflective Reasoning module", "a Local Gram Flow loss")
            after = re.match(r"\s+([a-z]+)\b", text[m.end("name"):m.end("name") + 20])
            headed = listed(words[-1].lower(), rules.part_heads)
            if not (headed or after is not None and listed(after.group(1), rules.part_heads)) \
                    or headed and self.lexicon.lookup(" ".join(words[:-1])) is not None \
                    or self.lexicon.lookup(name) is not None or self.lexicon.is_stopname(name):
                continue
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="strict")
            if span is not None:
                out.append(Span(doc, span.start, span.end, label="Method", kb_id=name, span_id="names.part"))
        return out

    def _measure_words(self, text: str, end: int) -> tuple[int, int] | None:
        """The measure name ending at ``end``: up to four lower-case words back, without the
        words of degree in front ("average", "lower"); at least two words, the last a measure word."""
        from .spans import FUNCTION_WORDS, head_form  # spans imports this module
        rules = self.rules
        words: list[tuple[int, int]] = []
        i = end
        while len(words) < 4:
            j = i
            while j > 0 and text[j - 1] == " ":
                j -= 1
            if j == i and words:
                break  # no space before the word: punctuation or the text's start
            k = j
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "-"):
                k -= 1
            word = text[k:j]
            if not word or not _MEASURE_WORD.fullmatch(word) or word in FUNCTION_WORDS or listed(word, rules.metric_leads):
                break
            words.append((k, j))
            i = k
        if len(words) < 2 or not listed(head_form(text[words[0][0]:words[0][1]]), rules.metric_heads):
            return None
        return words[-1][0], words[0][1]

    def title_tasks(self, doc: Doc, title_end: int, found: list[Span]) -> list[Span]:
        """The problems a title names: a run of capitalised words that ends on a problem head
        (``title-task-heads.txt``) and holds nothing any other rule found.

        After "for" or "in" the run says what the work is for ("Fast Policy Learning for
        Multi-Agent Navigation", "... for Cooperative Energy Scheduling"). Anywhere else in the
        title it may as well describe the paper's own system, so there it is a problem only where
        the abstract uses it again in running text ("BrepGPT: Autoregressive B-rep Generation
        with ..." and "... framework for B-rep generation"). Either way the name is the longest
        end of the run, of two words or more, that the abstract repeats, else (after "for" or
        "in") the whole run. Tasks are lower-case names: the canonical name is the run in lower
        case."""
        if not title_end:
            return []
        taken: set[int] | None = None  # the tokens other rules found names on, when a run needs them
        body = doc_text(doc)[doc[title_end - 1].idx:]
        out = []
        k = 0
        while k < title_end - 1:
            after_for = doc[k].lower_ in ("for", "in") and bool(doc[k].whitespace_)
            if after_for:
                run_start = k + 1
            elif _title_word(doc, k) and not _title_break(doc, k) and (
                    k == 0 or not _title_word(doc, k - 1) or _title_break(doc, k - 1)):
                run_start = k
            else:
                k += 1
                continue
            run_end = run_start
            while run_end < title_end and _title_word(doc, run_end) and not _title_break(doc, run_end):
                run_end += 1
            k = max(k + 1, run_end)
            while run_end > run_start and doc[run_end - 1].text == "-":
                run_end -= 1
            if run_end - run_start < 2 or not listed(doc[run_end - 1].lower_, self.rules.title_task_heads):
                continue
            lead = self._without_lead(doc, run_start, run_end)
            if lead is None:
                continue
            repeated = self._repeated_end(doc, run_start, lead[0], run_end, body)
            span = repeated or (lead if after_for else None)
            if span is None:
                continue
            start, end = span
            if any(_YEAR.fullmatch(t.text) or t.lower_ in self.rules.campaigns for t in doc[start:end]):
                continue  # a campaign's edition ("for IWSLT 2022 Evaluation"), no problem
            if taken is None:
                others = [*doc.spans.get(CANDIDATES, []), *found]
                taken = {i for s in others for i in range(s.start, s.end)}
                known_tasks = {(s.start, s.end) for s in others if s.label_ == "Task"}
            if any(i in taken for i in range(start, end)) and not (
                    repeated and self._narrows_known_task(doc, start, end, taken, known_tasks)):
                continue
            name = clean_surface(doc[start:end].text)
            out.append(Span(doc, start, end, label="Task", kb_id=_lower_title_case(name), span_id="names.title_task"))
            taken.update(range(start, end))
        return out

    def _narrows_known_task(self, doc: Doc, start: int, end: int, taken: set[int],
                            known_tasks: set[tuple[int, int]]) -> bool:
        """Whether the title run ``start:end`` is a known task with words of its own before it
        ("Intraoral 3D Reconstruction", "Egocentric Video Question Answering"): the other names
        inside it are that one task, ending where the run ends. The abstract using the longer
        name again makes it the problem the paper works on, not a description of it. A language
        or a kind of network before the task makes no new one ("Arabic Coreference Resolution",
        "Neural Dialogue Generation"; typology)."""
        inside = [(a, b) for a, b in known_tasks if start <= a and b <= end]
        ending = [(a, b) for a, b in inside if b == end and a > start]
        if not ending or any(t.lower_ in self.rules.outside_heads or t.lower_ in ("neural", "deep")
                             for t in doc[start:ending[0][0]]):
            return False
        covered = {i for a, b in inside for i in range(a, b)}
        return all(i in covered for i in range(start, end) if i in taken)

    def _without_lead(self, doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """The run without a verb, participle or praise word that leads into the problem
        ("for Detecting ...", "for Enhanced Pulmonary Nodule Detection", "for Robust
        Locomotion"), if two words or more remain."""
        while start < end - 1 and doc[start + 1].text != "-" and (
                doc[start].lower_.endswith(("ing", "ed")) or doc[start].lower_ in self.rules.title_task_leads):
            start += 1
        # a hyphenated one ("for Real-Time Camera Pose Estimation"), where two words stay
        if start + 3 < end and doc[start + 1].text == "-" and not doc[start].whitespace_ \
                and not doc[start + 1].whitespace_ and doc[start:start + 3].text.lower() in self.rules.title_task_leads \
                and sum(t.text != "-" for t in doc[start + 3:end]) >= 2:
            start += 3
        return (start, end) if sum(t.text != "-" for t in doc[start:end]) >= 2 else None

    def _repeated_end(self, doc: Doc, start: int, first: int, end: int, body: str) -> tuple[int, int] | None:
        """The longest end of the title run ``start:end``, of two words or more and starting at
        ``first`` or later (past a leading verb or praise word), that the abstract uses again in
        lower case."""
        for s in range(first, end - 1):
            if doc[s].text == "-" or (s > start and doc[s - 1].text == "-" and not doc[s - 1].whitespace_):
                continue  # not inside a hyphenated word
            if sum(t.text != "-" for t in doc[s:end]) < 2:
                break
            phrase = clean_surface(doc[s:end].text)
            for a, b in occurrences(body, phrase):
                used = body[a:b]
                if any(w[:1].islower() for w in used.split()[1:]) or used[1:].islower():
                    return s, end
        return None


#: rules whose names recur in the abstract as further mentions of the same entity
_RECURRING = AUTHORS_NAMES | {"names.title_task", "names.listed_task"}


# words that end a run of capitalised title words even when a title capitalises them ("... For
# Multi-Agent Navigation", "... Via Gaussian Splatting")
_TITLE_BREAKS = frozenset("a about across after against among an and around as at before beyond by during "
                          "for from in into of on onto over the through to toward towards under upon using "
                          "versus via with within without".split())


#: words that end an appositive's head noun phrase: relative pronouns, prepositions, participles
#: that start a modifier ("a benchmark for ...", "a model that ...", "a dataset built from ...")
_APPOSITIVE_ENDS = frozenset("""that which who whose where for to with in on by from using via at as into over under
through across than but designed built based trained tailored consisting comprising containing featuring
covering spanning including""".split())
#: a comma that goes on with the sentence, not into a description of the name before it
#: ("DriveLM, and an accuracy score of 62.7%")
_LIST_GOES_ON = re.compile(r"\s*,\s*(?:and|or|but|while|whereas|which|where|with|achiev\w*|reach\w*)\b", re.I)


#: "of 0.04", "of about 22 days": a number a measure right before it takes
_BEFORE_NUMBER = re.compile(r"(?=\s)(?<=[a-z])(?=\s+of\s+(?:(?:about|around|approximately|only|up to|over|nearly|"
                            r"just|roughly|under|below|above)\s+)?[+-]?\$?\d)")
#: a lower-case word of a measure name ("hamming", "time-to-goal", "top-3")
_MEASURE_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: a measure's name at a cutoff or a number of samples: "mAP@0.7", "BLEU@4", "Recall@10", "pass@k"
_AT_CUTOFF = re.compile(r"(?<![\w@])([A-Za-z][\w-]*)@(?:\d+(?:\.\d+)?|[kKN])\b")
#: a measure over the best k answers: "top-3 accuracy", "Top-5 error", "top-k recall"
_RANKED_MEASURE = re.compile(r"(?=[Tt])(?<![\w-])[Tt]op-?(?:\d+|[kKN])\s+(?P<w1>[a-z]+)(?:\s+(?P<w2>[a-z]+))?(?![\w-])")
#: "metrics such as", "metrics including", "evaluation metrics:": a list of measures follows
_METRIC_LIST = re.compile(r"(?=[Mm])\b[Mm]etrics\s*,?\s*(?:such as|like|including|namely|e\.g\.,?|:)\s+")
#: one word of a list item, and what separates items
_LIST_WORD = re.compile(r"[A-Za-z](?:\w|-(?!-))*|\d(?:\w|-(?!-))*")  # not across a dash written "--"
#: words no measure's name in a list holds: a clause or a phrase goes on there
_NOT_IN_ITEMS = frozenset("and or etc in on for of with to from by at as is are was were which that".split())
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _list_items(text: str, i: int) -> list[tuple[int, int]]:
    """The items of the list starting at ``i``: up to the first thing that is no item (a
    longer phrase, a bracket, the sentence's end).

    >>> t = "metrics such as success rate, PSNR and safe success rate. Then"
    >>> [t[a:b] for a, b in _list_items(t, 16)]
    ['success rate', 'PSNR', 'safe success rate']
    """
    out = []
    while True:
        start = end = i
        words = 0
        while words < 5:
            m = _LIST_WORD.match(text, end)
            if m is None or m.group(0).lower() in _NOT_IN_ITEMS:
                break
            end, words = m.end(), words + 1
            if text[end:end + 1] != " " or _LIST_SEPARATOR.match(text, end):
                break
            end += 1
        end = end if words and text[end - 1:end] != " " else end - 1
        sep = _LIST_SEPARATOR.match(text, end)
        if not words or words > 4 or (sep is None and text[end:end + 1] not in ("", ".", ";", ")", "\n", "\u2014")
                                      and text[end:end + 2] not in (" (", "--")):
            break  # no item, or one that goes on: not a short name
        out.append((start, end))
        if sep is None:
            break
        i = sep.end()
    return out


#: words that end a title's leading name when the title has no colon
_TITLE_BREAK_WORDS = frozenset("""for with via in on of through by using from to and as under toward towards at
against without beyond""".split())


def _lower_title_case(name: str) -> str:
    """A title's capitalised words in lower case, its acronyms and mixed-case words as written:
    task names are lower case, "3D" and "VideoQA" are not.

    >>> _lower_title_case("Intraoral 3D Reconstruction"), _lower_title_case("Multi-Robot SLAM")
    ('intraoral 3D reconstruction', 'multi-robot SLAM')
    """
    return re.sub(r"(?<![A-Za-z0-9])[A-Za-z][a-z]*(?![A-Za-z0-9])", lambda m: m.group(0).lower(), name)


def _title_break(doc: Doc, i: int) -> bool:
    """Whether token ``i`` of a title ends a capitalised run: a function word, unless it is the
    "of" inside a hyphenated word ("Out-of-Domain Detection"); a "-to-" still parts what it joins
    ("Real-to-Real 3D Data Generation": the problem is 3D data generation)."""
    return doc[i].lower_ in _TITLE_BREAKS and not (
        doc[i].lower_ == "of" and i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_)


def _title_word(doc: Doc, i: int) -> bool:
    """Whether token ``i`` of a title continues a capitalised run: a capitalised or numeric word,
    or a hyphen inside a word ("Multi-Agent", "6-DOF")."""
    tok = doc[i]
    if tok.text == "-":
        return i > 0 and not doc[i - 1].whitespace_ and i + 1 < len(doc) and not tok.whitespace_
    return tok.text[:1].isupper() or tok.text[:1].isdigit() or (
        i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and tok.text[:1].isalpha())


def _recurrences(doc: Doc, introduced: list[Span]) -> list[Span]:
    """Every other use of a name the paper introduces ("Dropout's Dream Land", "diff history")."""
    out = []
    seen = {(s.start_char, s.end_char) for s in introduced}
    # a name the authors introduce as their own recurs over the lexicon's sense of it everywhere,
    # the title's lead too
    seen_own = {(s.start_char, s.end_char) for s in introduced if s.id_ == OWN_NAME}
    guessed = guessed_spans(doc)
    for span in introduced:
        was_guessed = (span.start, span.end, span.id_) in guessed
        taken = seen_own if span.id_ == OWN_NAME else seen
        for a, b in occurrences(doc_text(doc), span.text, ignore_case=" " in span.text or span.text.islower()):
            if (a, b) in taken:
                continue
            found = doc.char_span(a, b, alignment_mode="strict")
            if found is not None:
                taken.add((a, b))
                out.append(Span(doc, found.start, found.end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_))
                if was_guessed:
                    mark_guessed(doc, out[-1])
    return out


@lru_cache(maxsize=1 << 14)
def whole_word(name: str, flags: int = 0, plural: bool = False) -> re.Pattern:
    """A compiled pattern for ``name`` as a whole word (optionally with a plural "s"); cached,
    since names recur across papers and compiling costs more than searching.

    >>> bool(whole_word("DPO").search("OPA-DPO and DPO")), bool(whole_word("DPO").search("OPA-DPO"))
    (True, False)
    """
    return re.compile(r"(?<![\w-])" + re.escape(name) + (r"s?(?![\w])" if plural else r"(?![\w-])"), flags)


def occurrences(text: str, phrase: str, ignore_case: bool = True) -> Iterator[tuple[int, int]]:
    """Where ``phrase`` occurs in ``text`` as a whole word: what ``whole_word(phrase,
    re.I).finditer`` (or without ``re.I``) finds, without compiling a pattern for each phrase.

    >>> list(occurrences("B-rep generation, not B-rep generations.", "b-rep Generation"))
    [(0, 16)]
    """
    if ignore_case:
        lower, wanted = text.lower(), phrase.lower()
        if len(lower) != len(text) or len(wanted) != len(phrase):  # a letter whose lower case is longer
            yield from (m.span() for m in whole_word(phrase, re.I).finditer(text))
            return
    else:
        lower, wanted = text, phrase
    if not wanted:
        return
    i = lower.find(wanted)
    while i >= 0:
        j = i + len(wanted)
        if not (i and _in_word(text[i - 1])) and not (j < len(text) and _in_word(text[j])):
            yield i, j
            i = lower.find(wanted, j)
        else:
            i = lower.find(wanted, i + 1)


def _in_word(c: str) -> bool:
    """Whether ``c`` continues a word, as ``[\\w-]`` says."""
    return c.isalnum() or c in "_-"


def words_of(span: Span) -> list[str]:
    return span.text.split()


def initials(name: str) -> str:
    """The acronym a name abbreviates to: capital parts kept, other words by their first letter.

    >>> initials("Auto-GNN"), initials("Value-Guided Policy Steering")
    ('AGNN', 'VGPS')
    """
    parts = [p for p in re.split(r"[-\s]+", name) if p]
    return "".join(p if p.isupper() else p[0].upper() for p in parts)


def _abbreviated_in(name: str, body: str) -> bool:
    """Whether ``body`` uses the initials of a name of two or more capitalised words as a word.

    >>> _abbreviated_in("Gaussian Entropy Fields", "Experiments show that GEF achieves ...")
    True
    >>> _abbreviated_in("Gaussian Entropy Fields", "We fit Gaussian fields.")
    False
    """
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    short = initials(name)
    return len(short) >= 2 and next(occurrences(body, short, ignore_case=False), None) is not None


def _mentioned_again(name: str, body: str) -> bool:
    """Whether the abstract names ``name`` again, alone or with a size ("Quorra-7B")."""
    if next(occurrences(body, name), None) is not None:
        return True
    if name not in body:  # the pattern below needs the name as written: no pattern to compile
        return False
    return re.search(r"(?<![\w-])" + re.escape(name) + r"[-_ ]?\d+(?:\.\d+)?[BM]\b", body) is not None


#: more words of a title after a word of it: "BEV-Aerial Feature ...", "ID-Consistent, Precise ..."
_TITLE_GOES_ON = re.compile(r",?[ \t]+[A-Za-z]")
#: a campaign's edition glued to its name ("iwslt2021", "semeval-2020")
_CAMPAIGN_EDITION = re.compile(r"[-']?\d{2,4}$")
#: a title of a shared-task paper by its words: "IITP-AI-NLP-ML@ CL-SciSumm 2020", "... à DEFT 2020 challenge"
_SHARED_TASK_TITLE = re.compile(r"@|\b(?:shared[- ]tasks?|challenge|competition)\b", re.I)


def _title_end(doc: Doc) -> int:
    """Token index where the abstract starts (after the title's blank line), or 0."""
    pos = doc_text(doc).find("\n\n")
    if pos < 0:
        return 0
    blank = doc.char_span(pos, pos + 2, alignment_mode="expand")  # the space token holding it
    return blank.end if blank is not None and blank.start <= 61 else 0


def _capitalised_name_token(tok: Token, rules: NameRules) -> bool:
    if tok.is_punct and tok.text != "-":
        return False
    return tok.text == "-" or tok.text[:1].isupper() or rules.is_name_shaped(tok.text)


def _family_entry(lexicon: Lexicon, text: str):
    """A lexicon Method/Model that ``text`` is a prefix, suffix or size variant of."""
    family = size_variant_family(text)
    if family and lexicon.lookup(family):
        return lexicon.lookup(family)
    parts = re.split(r"[-_]", text)
    if len(parts) >= 2:
        for cand in (parts[-1], parts[0], "-".join(parts[:-1]), "-".join(parts[1:])):
            e = lexicon.lookup(cand)
            if e is not None and len(cand) >= 2 and (e.type in SYSTEM_TYPES or cand == parts[0]):
                return e
    return None


@Language.factory("kg_names", default_config={"lexicon_dir": None, "rules_dir": None, "title_tasks": True},
                  assigns=["doc.spans"])
def make_name_finder(nlp: Language, name: str, lexicon_dir: str | None, rules_dir: str | None,
                     title_tasks: bool) -> NameFinder:
    """``rules_dir``: a folder with the word lists to use instead of the shipped ``ontology/rules``
    (every file: see :class:`NameRules`); ``title_tasks``: whether to find the problems a title
    names (:meth:`NameFinder.title_tasks`; the accurate mode's classifier finds them itself)."""
    return NameFinder(load_lexicon(lexicon_dir), load_name_rules(rules_dir), title_tasks=title_tasks)
