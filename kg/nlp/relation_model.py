"""Paper-level proposals and relations, decided by linear models over an entity's uses in a paper.

Most relations an abstract states have the paper's own method as head ("we evaluate X on CALVIN",
"X builds on Llama 2", a task in the title) or the paper itself when it names no method of its own
(typology: PAPER). They are stated across sentences more often than inside one. So, for each entity
of a paper, two questions are asked of everything the paper says around it:

* is it something the paper proposes? (:func:`proposal_features`)
* what is the paper's own method (or the paper) to it: uses, addresses, evaluatedOn, trainedOn,
  basedOn, outperforms, or nothing? (:func:`relation_features`)

Features are the words before and after each mention, trigger stems in the clause that leads to it,
whether the paper's own method or "we" speaks in that sentence, negation and contrast before it,
where the mention stands (title, first sentence, a sentence with a number) and what the
sentence-level rules found. The models are :class:`kg.nlp.linear.LinearModel` files trained by
``scripts/train_models.py`` on the annotated abstracts; the functions here are pure, working on
plain offsets, so training reads gold mentions and kg reads its own.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .rules import starting_with

#: the labels of the relation model; the head is the paper's own method or PAPER
RELATION_LABELS = ("none", "uses", "addresses", "evaluatedOn", "trainedOn", "basedOn", "outperforms")
PROPOSAL_LABELS = ("no", "yes")


@dataclass(frozen=True)
class EntityMention:
    """One mention as the models see it: character offsets into the paper's text."""

    start: int
    end: int
    canonical: str
    type: str


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?%?|[():;,]")
#: stems that announce a relation in the words leading to a mention
TRIGGERS = ("use", "using", "leverag", "employ", "adopt", "utiliz", "utilis", "appl", "build", "built", "based",
            "extend", "extension", "combin", "integrat", "incorporat", "inspired", "backbone", "initializ",
            "fine-tun", "finetun", "distill", "evaluat", "experiment", "benchmark", "test", "validat", "assess",
            "achiev", "outperform", "surpass", "beat", "exceed", "better", "superior", "improv", "state-of-the-art",
            "sota", "train", "pretrain", "pre-train", "learn", "dataset", "data", "address", "tackl", "solv",
            "enabl", "toward", "study", "studi", "focus", "propos", "introduc", "present", "develop", "design",
            "compar", "baseline", "than", "over", "via", "through", "powered", "equipped", "plug", "rely", "relies",
            "task", "problem", "challenge", "domain", "application")
#: words that make what follows an example, a contrast or a denial, not a relation
CONTRAST = ("unlike", "without", "instead", "rather", "existing", "prior", "previous", "traditional",
            "conventional", "standard", "than", "compared", "versus", "vs", "not", "no", "fail", "fails",
            "such", "including", "like", "e.g", "other", "others", "recent", "current", "popular")
_OWN = re.compile(starting_with(["we", "our", "this", "the", "proposed", "it"])
                  + r"\b(we|our|ours|this (?:paper|work|study|thesis)|the proposed|proposed|it|its)\b", re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s?%|\b\d+\.\d+\b")
#: the authors speaking of their own work (narrower than ``_OWN``: "it" may be anyone's)
_AUTHORS = re.compile(starting_with(["we", "our", "us", "here", "this"])
                      + r"\b(we|our|ours|us|here|this (?:paper|work|study|thesis|article|report|letter|note|survey|review))\b",
                      re.I)


_TRIGGER_AT_START = re.compile("|".join(sorted(map(re.escape, TRIGGERS), key=len, reverse=True)))


@lru_cache(maxsize=1 << 16)
def _word_stems(word: str) -> tuple[str, ...]:
    """The trigger stems a word starts with ("evaluated" -> "evaluat"; every one, as both
    "pretrain" and "pre-train" may)."""
    return tuple(t for t in TRIGGERS if word.startswith(t)) if _TRIGGER_AT_START.match(word) else ()


def _stems(words: Sequence[str]) -> set[str]:
    return {t for w in words for t in _word_stems(w)}


@dataclass
class PaperView:
    """What both models read of one paper: its text, sentences and mentions."""

    text: str
    sentences: list[tuple[int, int]]  # character spans
    mentions: list[EntityMention]
    title_end: int  # character offset where the abstract starts (0 without a title)
    _words: dict[int, tuple[list[int], list[int], list[str]]] = field(default_factory=dict, repr=False)
    _context: dict[tuple[int, int], list[str]] = field(default_factory=dict, repr=False)
    _flags: dict[int, tuple[bool, bool]] = field(default_factory=dict, repr=False)
    _first_authors: int | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _in_sentence: dict[int, list[EntityMention]] | None = field(default=None, repr=False)
    _by_name: dict[str, list[EntityMention]] | None = field(default=None, repr=False)

    def sentence_of(self, pos: int) -> int:
        if self._starts is None:  # asked for every mention: the starts are listed once
            self._starts = [a for a, _ in self.sentences]
        i = bisect_right(self._starts, pos) - 1
        return min(max(i, 0), len(self.sentences) - 1)

    def in_sentence(self, i: int) -> list[EntityMention]:
        """The mentions that start in sentence ``i``, in the order of :attr:`mentions`."""
        if self._in_sentence is None:  # asked for every mention: grouped once
            self._in_sentence = {}
            for x in self.mentions:
                self._in_sentence.setdefault(self._sentence_holding(x.start), []).append(x)
        return self._in_sentence.get(i, [])

    def _sentence_holding(self, pos: int) -> int:
        """The sentence whose span holds ``pos``, or -1 (a mention outside every sentence)."""
        i = self.sentence_of(pos)
        s0, s1 = self.sentence(i)
        return i if s0 <= pos < s1 else -1

    def of_name(self, name: str) -> list[EntityMention]:
        """The mentions of one canonical name, in the order of :attr:`mentions`."""
        if self._by_name is None:
            self._by_name = {}
            for x in self.mentions:
                self._by_name.setdefault(x.canonical, []).append(x)
        return self._by_name.get(name, [])

    def sentence(self, i: int) -> tuple[int, int]:
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def words(self, i: int) -> tuple[list[int], list[int], list[str]]:
        """Sentence ``i``'s words: their starts, ends and lower-case forms (computed once)."""
        got = self._words.get(i)
        if got is None:
            s0, s1 = self.sentence(i)
            found = list(_WORD.finditer(self.text, s0, s1))
            got = self._words[i] = ([m.start() for m in found], [m.end() for m in found],
                                    [m.group(0).lower() for m in found])
        return got

    def sentence_flags(self, i: int) -> tuple[bool, bool]:
        """Whether sentence ``i`` speaks in the authors' voice, and whether it holds a score."""
        got = self._flags.get(i)
        if got is None:
            s0, s1 = self.sentence(i)
            got = self._flags[i] = (_OWN.search(self.text, s0, s1) is not None,
                                    _NUMBER.search(self.text, s0, s1) is not None)
        return got

    def background(self, i: int) -> bool:
        """Whether sentence ``i`` sets the scene: a sentence of the abstract before the authors
        first speak of their own work ("we", "our", "this paper"). What it names is the field's
        or earlier work's, seldom something the paper uses."""
        if self._first_authors is None:
            first_body = 1 if self.title_end else 0
            self._first_authors = next((k for k in range(first_body, len(self.sentences))
                                        if _AUTHORS.search(self.text, *self.sentences[k])), len(self.sentences))
        if self.sentences and self.sentences[i][0] < self.title_end:
            return False
        return i < self._first_authors

    def words_between(self, i: int, a: int, b: int) -> list[str]:
        starts, ends, words = self.words(i)
        return words[bisect_left(starts, a):bisect_right(ends, b)]


def _mention_context(view: PaperView, m: EntityMention, own: set[str]) -> list[str]:
    """Features of one mention's surroundings (shared by both models)."""
    si = view.sentence_of(m.start)
    s0, _s1 = view.sentence(si)
    f = list(_plain_context(view, m, si))
    # only the mentions that start in this sentence matter below
    neighbours = view.in_sentence(si)
    # the clause that leads to the mention: from the last own mention, else the sentence start
    own_in_sentence = [x for x in neighbours if x.canonical in own and x.start < m.start]
    lead_start = own_in_sentence[-1].end if own_in_sentence else s0
    for t in _stems(view.words_between(si, lead_start, m.start)[-12:]):
        f.append(f"trig={t}")
    if own_in_sentence:
        f.append("own_before")
    elif any(x.canonical in own and x.start > m.start for x in neighbours):
        f.append("own_after")
    for x in neighbours:
        if x.end <= m.start and x.canonical != m.canonical and x.canonical not in own:
            f.append(f"other_before={x.type}")
    return f


def _plain_context(view: PaperView, m: EntityMention, si: int) -> list[str]:
    """The features of a mention's surroundings that do not depend on what the paper proposes."""
    got = view._context.get((m.start, m.end))
    if got is not None:
        return got
    s0, s1 = view.sentence(si)
    before = view.words_between(si, s0, m.start)
    after = view.words_between(si, m.end, s1)
    b = before[-3:]
    b = ["<s>"] * (3 - len(b)) + b
    a = (after[:2] + ["</s>", "</s>"])[:2]
    f = [f"b1={b[2]}", f"b2={b[1]}", f"b21={b[1]}_{b[2]}", f"b3={b[0]}", f"a1={a[0]}", f"a2={a[1]}",
         f"a12={a[0]}_{a[1]}"]
    in_title = m.start < view.title_end
    pos = "title" if in_title else "first" if si == (1 if view.title_end else 0) else \
        "last" if si == len(view.sentences) - 1 else "body"
    f.append(f"pos={pos}")
    for t in _stems(before[-4:]):
        f.append(f"near={t}")
    for t in _stems(after[:4]):
        f.append(f"after={t}")
    voice, number = view.sentence_flags(si)
    if voice:
        f.append("we_sentence")
    for w in before[-5:]:
        if w in CONTRAST:
            f.append(f"contrast={w}")
    if number:
        f.append("number_sentence")
    if view.background(si):
        f.append("background")
    if any(x.type == m.type and x.canonical != m.canonical and 0 <= m.start - x.end <= 6
           and view.text[x.end:m.start].strip() in (",", "and", ", and", "or") for x in view.in_sentence(si)):
        f.append("listed")
    view._context[(m.start, m.end)] = f
    return f


def _type_of(ms: list[EntityMention]) -> str:
    counts: dict[str, int] = {}
    for m in ms:
        counts[m.type] = counts.get(m.type, 0) + 1
    return max(sorted(counts), key=counts.get)


def relation_features(view: PaperView, tail: str, head: str, own: set[str], rule_relations: set[str],
                      proposed: bool) -> list[str]:
    """Features of the pair (``head``: the paper's own method or PAPER, ``tail``: an entity of the paper).

    ``own`` are the names of what the paper proposes; ``rule_relations`` the relation types the
    sentence-level rules stated between head and tail.
    """
    ms = view.of_name(tail)
    ttype = _type_of(ms)
    hk = "paper" if head == "PAPER" else "own"
    f = {f"tt={ttype}", f"hk={hk}", f"tt_hk={ttype}|{hk}", f"n={min(len(ms), 4)}"}
    if proposed:
        f.add("t_proposed")
        f.add(f"t_proposed|{ttype}")
    for r in rule_relations:
        f.add(f"rule={r}")
        f.add(f"rule={r}|{ttype}")
    if all(m.start < view.title_end for m in ms):
        f.add("title_only")
    if all(view.background(view.sentence_of(m.start)) for m in ms):
        f.add("background_only")
        f.add(f"background_only|{ttype}")
    for m in ms:
        for x in _mention_context(view, m, own):
            f.add(x)
            if x.startswith(("trig=", "near=", "b1=", "pos=")):
                f.add(f"{ttype}|{x}")
    return sorted(f)


def proposal_features(view: PaperView, name: str, rule_proposed: bool, in_lexicon: bool) -> list[str]:
    """Features of whether the paper proposes ``name``."""
    ms = view.of_name(name)
    ttype = _type_of(ms)
    f = {f"tt={ttype}", f"n={min(len(ms), 4)}"}
    if rule_proposed:
        f.add("rule")
        f.add(f"rule|{ttype}")
    if in_lexicon:
        f.add("known")
    first = min(ms, key=lambda m: m.start)
    if view.title_end and first.start == 0:
        f.add("title_start")
        if view.text[first.end:first.end + 2].strip().startswith(":"):
            f.add("title_lead")
    for m in ms:
        for x in _mention_context(view, m, set()):
            if not x.startswith(("other_before", "own_")):
                f.add(x)
                if x.startswith(("b1=", "trig=", "a1=")):
                    f.add(f"{ttype}|{x}")
        if re.match(r"\s*\(", view.text[m.end:m.end + 3]):
            f.add("defined_here")
        if re.match(r"\s*,\s*(?:a|an|the)\b", view.text[m.end:m.end + 8]):
            f.add("appositive")
    return sorted(f)
