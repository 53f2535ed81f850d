"""Abbreviation definitions: "Direct Preference Optimization (DPO)" <-> "DPO".

The algorithm is Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing, extended for the ways ML
abstracts write definitions:

* both directions: ``long form (SF)`` and ``SF (long form)``;
* short forms with digits, hyphens and lower case (``GPT-4o``, ``BESO``, ``DiT``, ``V-GPS``);
* a short form glued to a following word, as in ``On-Policy Alignment (OPA)-DPO``.

:func:`find_long_form` is the pure matching function; :func:`find_definitions` scans text.
The words they know (where a long form stops, which head nouns type it) are files under
``ontology/rules/`` (:class:`AbbreviationRules`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import ENTITY_TYPES, SYSTEM_TYPES
from .names import NOT_NAMES, load_name_rules, whole_word
from .rules import listed, load_rule_set, read_rule_file, read_words, rules_path

_PAREN = re.compile(r"\(([^()]{1,60})\)")
_WORD = re.compile(r"[\w][\w'’.-]*", re.UNICODE)


class AbbreviationRules:
    """The word lists of the abbreviations component: the files ``long-form-stops.txt``,
    ``descriptors.txt``, ``head-nouns.tsv``, ``learning-paradigms.txt`` and ``outside-heads.txt`` in ``rules_dir``
    (default: the shipped ``ontology/rules``), each saying in its header what it lists and why.

    >>> rules = load_abbreviation_rules()
    >>> rules.head_types["benchmark"], "the" in rules.stop_left
    ('Benchmark', True)
    """

    def __init__(self, rules_dir: str | Path | None = None):
        self.stop_left = read_words(rules_path(rules_dir, "long-form-stops.txt"))
        self.descriptors = read_words(rules_path(rules_dir, "descriptors.txt"))
        self.head_types = dict(read_rule_file(rules_path(rules_dir, "head-nouns.tsv"), ENTITY_TYPES))
        self.learning_paradigms = read_words(rules_path(rules_dir, "learning-paradigms.txt"))
        self.outside_heads = read_words(rules_path(rules_dir, "outside-heads.txt"))


def load_abbreviation_rules(rules_dir: str | Path | None = None) -> AbbreviationRules:
    """The abbreviations component's word lists from ``rules_dir`` (default: the shipped
    ``ontology/rules``), read once per folder."""
    return load_rule_set(AbbreviationRules, rules_dir)


_SHIPPED = load_abbreviation_rules()
#: the name rules' modifiers ("-driven", "-based"), looked up once rather than per definition
_NAME_RULES = load_name_rules()


@dataclass(frozen=True)
class Definition:
    """One abbreviation definition found in a text, with character offsets."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


#: the one short form with a space: a dimension before an acronym, "3D HPE" for "3D human pose estimation"
_DIMENSION_ACRONYM = re.compile(r"[1-4]D [A-Z][A-Za-z0-9-]{1,7}")


def is_short_form(candidate: str) -> bool:
    """Whether a parenthesised string can be an abbreviation.

    >>> is_short_form("DPO"), is_short_form("GPT-4o"), is_short_form("e.g. this"), is_short_form("2019")
    (True, True, False, False)
    >>> is_short_form("3D HPE"), is_short_form("see HPE")
    (True, False)
    """
    c = candidate.strip()
    if not 2 <= len(c) <= 12 or (" " in c and not _DIMENSION_ACRONYM.fullmatch(c)):
        return False
    if not c[0].isalnum() or not any(ch.isalpha() for ch in c):
        return False
    # an abbreviation has at least one capital (or is a known lower-case style like "diff")
    return any(ch.isupper() for ch in c)


def _alignment_score(sf: list[str], text: str) -> int | None:
    """Best score of matching ``sf`` as a subsequence of ``text`` with sf[0] at text[0].

    A character matched at a word start scores 2, at a capital 1, elsewhere 0; None when
    ``sf`` is not a subsequence. Dynamic programming over (short-form index, position).
    """
    lower = text.lower()
    weights = [2 if i == 0 or not text[i - 1].isalnum() else (1 if text[i].isupper() else 0)
               for i in range(len(text))]
    if not lower or lower[0] != sf[0]:
        return None
    neg = -1
    best = [weights[0]] + [neg] * (len(text) - 1)  # best score with sf[0..k] ending at i
    for k in range(1, len(sf)):
        new = [neg] * len(text)
        running = neg
        for i in range(len(text)):
            if i > 0:
                running = max(running, best[i - 1])
            if running >= 0 and lower[i] == sf[k]:
                new[i] = running + weights[i]
        best = new
    score = max(best)
    return score if score >= 0 else None


def find_long_form(short: str, words_before: str, rules: AbbreviationRules = _SHIPPED) -> str | None:
    """Find the long form of ``short`` at the end of ``words_before``.

    Schwartz-Hearst's rule: the short form's characters occur in order in the long form,
    the first at the start of its first word, within ``min(|SF| + 5, 2 * |SF|)`` words.
    Where several long forms fit, the one whose word starts and capitals spell the short
    form best wins, then the shortest (Schwartz-Hearst alone takes the shortest, which
    cuts "BEhavior generation with ScOre-based ..." to "ScOre-based ...").

    >>> find_long_form("DPO", "we use Direct Preference Optimization")
    'Direct Preference Optimization'
    >>> find_long_form("BESO", "BEhavior generation with ScOre-based Diffusion Policies")
    'BEhavior generation with ScOre-based Diffusion Policies'
    >>> find_long_form("SDMs", "variants of score-based diffusion models")
    'score-based diffusion models'
    >>> find_long_form("XYZ", "nothing matches here") is None
    True
    """
    sf = [c.lower() for c in short if c.isalnum()]
    if len(sf) > 2 and short.endswith("s") and short[-2].isupper():
        sf = sf[:-1]  # plural short form: "SDMs"
    if not sf:
        return None
    words = words_before.split()
    max_words = min(len(sf) + 5, len(sf) * 2)
    words = words[-max_words:]
    best: tuple[int, int, str] | None = None
    for i in range(len(words) - 1, -1, -1):
        if (words[i].lower() in rules.stop_left and not (words[i].lower() == "of" and "o" in short[1:])) \
                or "(" in words[i] or ")" in words[i]:
            # a stop word, or another definition's short form: "Layer Merging (LM) and ..."; an
            # "of" the short form spells with its lower-case "o" is the long form's ("Maps of
            # Dynamics (MoD)", "Theory of Mind (ToM)")
            break
        candidate = " ".join(words[i:]).strip(" ,;:-")
        if len(candidate) <= len(short) or candidate.lower() == short.lower() or words[i].lower() in ("and", "or"):
            continue  # "and" may join a long form's words, not begin it
        score = _alignment_score(sf, candidate)
        if score is None:
            continue
        # prefer spelling score; on ties prefer fewer words (the shortest long form)
        key = (score, -(len(words) - i))
        if best is None or key > best[:2]:
            best = (key[0], key[1], candidate)
    return best[2] if best else None


def find_definitions(text: str, rules: AbbreviationRules = _SHIPPED) -> list[Definition]:
    """All ``long form (SF)`` and ``SF (long form)`` definitions in ``text``.

    >>> [(d.long, d.short) for d in find_definitions(
    ...     "We study Direct Preference Optimization (DPO) and reinforcement learning (RL).")]
    [('Direct Preference Optimization', 'DPO'), ('reinforcement learning', 'RL')]
    >>> d = find_definitions("we propose On-Policy Alignment (OPA)-DPO framework")[0]
    >>> d.long, d.short
    ('On-Policy Alignment', 'OPA')
    >>> find_definitions("a vector-quantized variational autoencoder-based (VQ-VAE) framework")[0].long
    'vector-quantized variational autoencoder'
    """
    out: list[Definition] = []
    for m in _PAREN.finditer(text):
        if text[m.start() - 1:m.start()] == "$" or text[m.end():m.end() + 1] in ("^", "_"):
            continue  # LaTeX math: "$(ST)^2$" is a name's typesetting, no definition
        inner = m.group(1).strip()
        # "(DPO; Rafailov et al.)", "(DPO, 2023)": keep the first part
        first = re.split(r"[;,]\s", inner, maxsplit=1)[0].strip()
        before_start = max(0, text.rfind(".", 0, m.start()) + 1, m.start() - 300)
        before = text[before_start:m.start()]
        quoted = re.search(r"[\"“']([^\"“”']{3,120})[\"”']\s*$", before)
        if quoted:  # a quoted long form: "BEhavior generation with ... Policies" (BESO)
            before_start += quoted.start(1)
            before = quoted.group(1)
        if is_short_form(first):
            long = find_long_form(first, before, rules)
            if long:
                long_end = before_start + len(before.rstrip())
                long_start = long_end - len(long)
                if text[long_start:long_end] != long:
                    idx = text.rfind(long, before_start, m.start())
                    if idx < 0:
                        continue
                    long_start, long_end = idx, idx + len(long)
                s = m.start(1) + inner.index(first)
                based = re.search(r"-based$", long)
                if based:  # "a vector-quantized variational autoencoder-based (VQ-VAE) framework": the family
                    long, long_end = long[:based.start()], long_end - len(based.group(0))
                out.append(Definition(first, long, s, s + len(first), long_start, long_end))
                continue
        # reverse form: "SF (long form)"
        words = before.rstrip().split()
        if words and is_short_form(words[-1].strip(",;:")) and " " in first:
            short = words[-1].strip(",;:")
            if find_long_form(short, first, rules) == first:
                s_end = before_start + len(before.rstrip())
                s_start = s_end - len(words[-1])
                ls = m.start(1) + inner.index(first)
                out.append(Definition(short, first, s_start, s_start + len(short), ls, ls + len(first)))
    return out


# --- the spaCy component -------------------------------------------------------------------

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from ..names import name_key  # noqa: E402
from .lexicon import CANDIDATES, Lexicon, load_lexicon  # noqa: E402
from .doctext import doc_text  # noqa: E402

if not Doc.has_extension("kg_abbreviations"):
    Doc.set_extension("kg_abbreviations", default=None)

#: words that make a long form a description ("large vision-language models"), not a name
#: (``descriptors.txt``)
DESCRIPTORS = _SHIPPED.descriptors
#: words that make "... learning" the name of a learning problem rather than of a method
#: (``learning-paradigms.txt``)
LEARNING_PARADIGMS = _SHIPPED.learning_paradigms


def _long_form_words(long: str) -> list[str]:
    """A long form's words, lower case, hyphenated parts apart: its head is the last."""
    return long.lower().replace("-", " ").split()


def _names_a_known_task(long: str, short: str, lexicon: Lexicon, rules: AbbreviationRules = _SHIPPED) -> bool:
    """Whether a long form ends with a task the lexicon knows, under an all-capital short form:
    "Multi-Modal Image Fusion (MMIF)", "targeted aspect-based sentiment analysis (TABSA)" name
    a qualified form of a task, whatever their head noun. A coined mixed-case short form names
    the authors' method, as in :func:`long_form_type`; so does a kind of learning that is no
    paradigm ("Contrastive Continual Learning") and a named augmentation (typology: "data
    augmentation" is a Task, named augmentation techniques are Methods).

    >>> from kg.nlp.lexicon import LexiconEntry
    >>> lex = Lexicon.from_entries([LexiconEntry("image fusion", "Task"), LexiconEntry("data augmentation", "Task")])
    >>> _names_a_known_task("Multi-Modal Image Fusion", "MMIF", lex), _names_a_known_task("Multi-Modal Image Fusion", "MMFuse", lex)
    (True, False)
    >>> _names_a_known_task("Soft Contextual Data Augmentation", "SCA", lex)
    False
    """
    if not re.fullmatch(r"[A-Z0-9]+s?", short) or not any(c.isalpha() for c in short):
        return False
    words = _long_form_words(long)
    if words[-1] == "augmentation" or words[-1] == "learning" and (
            len(words) < 2 or words[-2] not in rules.learning_paradigms):
        return False
    spaced = long.split()
    for i in range(len(spaced) - 1):
        entry = lexicon.lookup(" ".join(spaced[i:]))
        if entry is not None:
            return entry.type == "Task"
    return False


def _known_end_type(long: str, lexicon: Lexicon) -> str | None:
    """The type of the longest name the lexicon knows that ends a long form, short of the whole.

    >>> from kg.nlp.lexicon import LexiconEntry
    >>> lex = Lexicon.from_entries([LexiconEntry("contrastive learning", "Method")])
    >>> _known_end_type("Multi-Label Adaptive Contrastive Learning", lex), _known_end_type("Imitation Learning", lex)
    ('Method', None)
    """
    spaced = long.split()
    for i in range(1, len(spaced)):
        entry = lexicon.lookup(" ".join(spaced[i:]))
        if entry is not None:
            return entry.type
    return None


def long_form_type(long: str, short: str, rules: AbbreviationRules = _SHIPPED) -> str:
    """The type a new abbreviation names, from the head noun of its long form.

    Task heads ("... Learning", "... Detection") count only for all-capital short forms:
    a coined mixed-case short form names the authors' method ("ResiP", "DoC").

    >>> long_form_type("Goal-Conditioned Imitation Learning", "GCIL")
    'Task'
    >>> long_form_type("Residual for Precise manipulation", "ResiP")
    'Method'
    >>> long_form_type("Arcade Learning Environment", "ALE")
    'Benchmark'
    >>> long_form_type("Progressive Residual Learning", "PRL")
    'Method'
    """
    words = _long_form_words(long)
    head = words[-1]
    etype = rules.head_types.get(head, "Method")
    if etype == "Task" and any(c.islower() for c in short.rstrip("s")):
        return "Method"
    if head == "learning" and (len(words) < 2 or words[-2] not in rules.learning_paradigms):
        return "Method"  # "Progressive Residual Learning" names a method; "Imitation Learning" a field
    return etype


#: a verb of contribution in the authors' voice right before a long form, no word of a problem
#: or purpose between ("we propose Visual Point Grounding (VPG)"; not "we introduce the task of
#: ...", "we propose a method for multi-object tracking (MOT)")
_CONTRIBUTED = re.compile(r"\b(?:we|our)\s+(?:\w+\s+){0,2}?(?:propose[sd]?|introduce[sd]?|design(?:s|ed)?|"
                          r"develop(?:s|ed)?|devise[sd]?)\s+"
                          r"(?:(?!(?:tasks?|problems?|challenges?|settings?|to|for|on|in|of|with|address\w*|"
                          r"tackl\w*|solv\w*)\b)[\w()-]+,?\s+){0,6}$", re.I)
#: the kinds a word right after a definition gives it; "model" is left out, as a paper's own
#: system is a Model only with a size or released weights (typology)
_KIND_AFTER = {"mechanism": "Method", "module": "Method"}


def kind_after(text: str, d: Definition) -> str | None:
    """What the words right after ``long form (SF)`` call the thing it defines: "... (SCaR)
    benchmark comprising", "... (AGE) task", "... (SIFM), a method that" (typology: the text's
    own word wins), if anything.

    >>> text = "We introduce a Spatial Compositional Reasoning (SCaR) benchmark."
    >>> kind_after(text, find_definitions(text)[0])
    'Benchmark'
    >>> text = "We propose Synergistic Feature Manipulation (SFM), a method that edits images."
    >>> kind_after(text, find_definitions(text)[0])
    'Method'
    >>> text = "We propose Pocket Knowledge Base Population (PKBP), the task of building small KBs."
    >>> kind_after(text, find_definitions(text)[0])
    'Task'
    """
    if text[d.short_end:d.short_end + 1] != ")":
        return None
    after = text[d.short_end + 1:d.short_end + 60]
    word = re.match(r"\s+([a-z]+)\b", after)
    if word is not None:
        kind = _KIND_AFTER.get(word.group(1)) or _NAME_RULES.cue_types.get(word.group(1))
        return kind if kind != "Model" else None
    kind = _NAME_RULES.described_as(after)
    if kind is None and _DESCRIBED_AS_METHOD.match(after):
        return "Method"
    if kind is None and _DESCRIBED_AS_TASK.match(after):
        return "Task"
    return kind if kind != "Model" else None


#: ", a novel method that ...": an appositive that calls the defined thing a method
_DESCRIBED_AS_METHOD = re.compile(r"\s*,\s*(?:a|an)\s+(?:[\w-]+,?\s+){0,3}?"
                                  r"(?:method|framework|approach|algorithm|technique)\b")
#: ", the task of ...", ", a new task that ...": an appositive that calls the defined thing a task
_DESCRIBED_AS_TASK = re.compile(r"\s*,\s*(?:a|an|the)\s+(?:new\s+|novel\s+)?task\s+(?:of|that|where|in which)\b")


def is_description(long: str, lexicon: Lexicon, rules: AbbreviationRules = _SHIPPED) -> bool:
    """Whether a long form describes a kind of system rather than naming one."""
    if lexicon.is_stopname(long) or lexicon.is_stopname(re.sub(r"^(?:\d+D|multi-?modal|large|small)\s+", "", long, flags=re.I)):
        return True  # "3D foundation models": a description with a qualifier
    ws = [w.lower() for w in re.split(r"[\s]+", long)]
    # a capitalised compound of ordinary words is coined for the name ("Meta-Policy Controller")
    titled = all(w[:1].isupper() for w in long.split())
    if all(w in rules.descriptors or lexicon.is_stopname(w, compounds=not titled) for w in ws):
        return True
    if re.match(r"\d+D\s", long) and all(w in rules.descriptors for w in ws[1:]):
        return True  # a dimension qualifies a description: "2D visual foundation models"
    heads = long.lower().replace("-", " ").split()
    typed_head = listed(heads[-1], rules.head_types)  # a task, metric or data word heads it
    if re.fullmatch(r"[a-z]+(?:-[a-z]+){2,}", long[:1].lower() + long[1:]) and not typed_head:
        # one compound of three parts or more is a modifier: "out-of-distribution (OOD) data",
        # also where it opens a sentence ("Out-of-distribution (OOD) detection is ...")
        return True
    if listed(heads[-1], rules.outside_heads):
        return True  # "autism spectrum disorder (ASD)", "user-generated content (UGC)": outside the typology
    if len(heads) > 2 and heads[1] in ("for", "of") and listed(heads[0], rules.outside_heads):
        return True  # the head before its complement: "Institute for Computational Linguistics (ILC)"
    # a short lower-case phrase the lexicon does not know, whose head names no task, metric or
    # data ("knowledge base (KB)", "named entities (NEs)"), is a common noun, not a name
    return long.islower() and len(heads) <= 2 and lexicon.lookup(long) is None and not typed_head


class AbbreviationDetector:
    """Finds definitions, types them, and marks every use of the short form in the paper."""

    def __init__(self, lexicon: Lexicon, rules: AbbreviationRules | None = None):
        self.lexicon = lexicon
        self.rules = rules or _SHIPPED

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(CANDIDATES, [])
        found: dict[str, tuple[str, str, str]] = {}
        text = doc_text(doc)
        for d in find_definitions(text, self.rules):
            entry = self.lexicon.lookup(d.long)
            # "we propose path-consistent safety filtering (PACS)": the authors' own, whatever
            # else the short form names (the lexicon's PACS dataset, PET the scan)
            contributed = _CONTRIBUTED.search(text, max(0, d.long_start - 80), d.long_start) is not None
            if entry is None and (is_description(d.long, self.lexicon, self.rules)
                                  or (listed(d.short, NOT_NAMES) and not contributed)
                                  or _NAME_RULES.modifier.search(d.short)):
                # a description ("3D foundation models (3DFMs)"), what is never a name here
                # ("unmanned aerial vehicle (UAV)", ontology/rules/not-names.txt) or a modifier
                # ("large language model-driven (LLM-driven)"): suppress other rules
                found[d.short] = (d.long, "", "")
                continue
            if entry is None and self.lexicon.is_stopname(d.short):
                continue
            if entry is not None:
                canonical, etype = entry.name, entry.type
            else:
                said = kind_after(text, d)
                etype = said or long_form_type(d.long, d.short, self.rules)
                if etype == "Method" and not said and not contributed and _names_a_known_task(d.long, d.short, self.lexicon,
                                                                                               self.rules):
                    etype = "Task"  # "Multi-Modal Image Fusion (MMIF)": a qualified form of a known task
                if etype == "Task" and not said and not d.long.islower() and _known_end_type(d.long, self.lexicon) == "Method":
                    # "Multi-Label Adaptive Contrastive Learning (MACL)": a coined kind of a known method
                    # ("multi-goal contrastive learning" in lower case may be the field a paper studies)
                    etype = "Method"
                if etype == "Task" and not said and contributed:
                    etype = "Method"  # "we design Boundary Extraction (BE) and ...": a part of the authors' system
                short_entry = self.lexicon.lookup_as_written(d.short)
                if short_entry is not None and (name_key(d.long) in _keys_of(short_entry) or (
                        not contributed and _long_form_words(d.long)[-1] not in self.rules.head_types
                        and not any(_spelled_out(d.short, n, self.rules) for n in (short_entry.name, *short_entry.aliases)))):
                    # the lexicon's name, spelled out: "CALVIN (Composing Actions from Language and
                    # Vision)" is the benchmark the lexicon knows by its short form alone. Where the
                    # lexicon spells the short form out otherwise ("MLS": Multilingual LibriSpeech,
                    # not Mobile Laser Scanning), or the long form's head says what it is
                    # ("Relative Trajectory Error"), the paper's is a sense of its own.
                    canonical, etype = short_entry.name, short_entry.type
                elif etype in ("Task", "Metric"):
                    canonical = d.long.lower() if not d.long.isupper() else d.long
                else:
                    canonical = d.short.rstrip("s") if d.short.endswith("s") and d.short[-2:-1].isupper() else d.short
            glued = re.match(r"\)-([A-Za-z][\w.-]*[\w])", text[d.short_end:d.short_end + 40])
            if glued and _NAME_RULES.is_modifier(glued.group(1)):
                glued = None  # "reinforcement learning (RL)-based": RL, used as a modifier
            if glued:  # "On-Policy Alignment (OPA)-DPO": the name is OPA-DPO, a variant of DPO
                name = f"{d.short}-{glued.group(1)}"
                family = self.lexicon.lookup(glued.group(1))
                span = doc.char_span(d.long_start, d.short_end + glued.end(), alignment_mode="strict")
                if span is not None:
                    span.label_ = family.type if family and family.type in SYSTEM_TYPES else "Method"
                    span.kb_id_, span.id_ = name, "abbreviation.glued"
                    group.append(span)
                found[d.short] = (d.long, "", "")
                continue
            found[d.short] = (d.long, canonical, etype)
            for start, end in ((d.long_start, d.long_end), (d.short_start, d.short_end)):
                span = doc.char_span(start, end, label=etype, kb_id=canonical, alignment_mode="strict")
                if span is not None:
                    span.id_ = "abbreviation"
                    group.append(span)
        for short, (_long, canonical, etype) in found.items():
            if not canonical:
                continue
            for span in _occurrences(doc, short):
                span.label_, span.kb_id_, span.id_ = etype, canonical, "abbreviation"
                group.append(span)
        doc._.kg_abbreviations = {s: v for s, v in found.items()}
        return doc


def _spelled_out(short: str, name: str, rules: AbbreviationRules = _SHIPPED) -> bool:
    """Whether a lexicon name is a long form, of ``short`` or of anything: words apart ("Multilingual
    LibriSpeech") or joined by hyphens into the short form's letters ("mixture-of-depths" for MoD).

    >>> _spelled_out("MoD", "mixture-of-depths"), _spelled_out("CALVIN", "CALVIN")
    (True, False)
    """
    return " " in name or ("-" in name and name.lower() != short.lower() and find_long_form(short, name, rules) == name)


def _keys_of(entry) -> set[str]:
    return {name_key(s) for s in (entry.name, *entry.aliases)}


def _occurrences(doc: Doc, short: str) -> list[Span]:
    """Every exact-case use of a short form (and its plural) as a whole word; a short form
    defined in the plural ("robotic limbs (SRLs)") is used in the singular too ("an SRL device")."""
    out = []
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():  # "SRLs", "MoDs"
        short = short[:-1]
    for m in whole_word(short, plural=True).finditer(doc_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="strict")
        if span is not None:
            out.append(span)
    return out


@Language.factory("kg_abbreviations", default_config={"lexicon_dir": None, "rules_dir": None},
                  assigns=["doc.spans", "doc._.kg_abbreviations"])
def make_abbreviation_detector(nlp: Language, name: str, lexicon_dir: str | None,
                               rules_dir: str | None) -> AbbreviationDetector:
    """``rules_dir``: a folder with the word lists to use instead of the shipped ``ontology/rules``
    (every file: see :class:`AbbreviationRules`)."""
    return AbbreviationDetector(load_lexicon(lexicon_dir), load_abbreviation_rules(rules_dir))
