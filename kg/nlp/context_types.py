"""Type the names the rules could only guess, from what the paper says around them.

A name found by its shape alone ("HITSZ-VCM", "NLVRv2"), or introduced or put in a title with
no word for what it is, gets a default type (Method). The paper usually says more, somewhere
(typology: the text's own word wins; without one, evaluation-only use makes a Benchmark):

* a cue noun after the list the name closes: "on HITSZ-VCM and BUPT datasets";
* a cue noun before the list it opens: "language modeling benchmarks (sWUGGY, sBLIMP, tSC)",
  "two amodal benchmarks, COOCA and KINS", "the question answering benchmark, Q-Bench-Video";
* a copula: "DexCanvas is the first manipulation dataset";
* the company it keeps: a list whose other members are typed with confidence ("GQA, NLVRv2,
  and Open Images");
* a score's place: "13.2% on QAEGO4D", "the splits of EgoTaskQA".

The last two are not used for a name the paper introduces (its title's, "we propose X"): its
own system keeps the company of the systems it is compared with.

The functions here are pure: :func:`context_types` reads a Doc's text and its mentions and
returns the type each guessed name should have; the resolver (:mod:`kg.nlp.mentions`) applies it.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from collections.abc import Collection, Mapping

from spacy.tokens import Doc, Span

from ..model import DATA_TYPES
from .doctext import doc_text, sentences_with
from .rules import AUTHORS_NAMES

#: ``doc.user_data`` key: (start, end, rule) of the candidate spans whose type is a default (the rule
#: too: a lexicon span on the same tokens is typed with confidence)
GUESSED = "kg_guessed_types"

_LIST_GAP = re.compile(r"\s*(?:[,;/&]\s*(?:(?:and|or)\s+)?|(?:and|or|as well as)\s+|\(\s*)(?:the\s+)?", re.I)
_LEAD_IN = r"\s*(?:[:(,]|,?\s*(?:such as|including|like|namely|e\.g\.,?|i\.e\.,?))\s*(?:the\s+)?$"
_SCORE_PLACE = re.compile(r"(?:\d%?|\d\s?points?)\s+on\s+(?:the\s+)?$|"
                          r"\b(?:(?:test|validation|evaluation)\s+(?:split|set)s?|splits) of\s+(?:the\s+)?$", re.I)
_SHARED_TASK_AFTER = re.compile(r"\s+(?:'?\d{2,4}\s+)?(?i:shared\s+tasks?|challenge)\b")
#: what each kind of evidence weighs in the vote for a name's type
_WEIGHT = {"cue": 2.0, "company": 1.0, "score": 1.0}


def mark_guessed(doc: Doc, span: Span) -> None:
    """Record that ``span``'s type is a default, for :func:`context_types` to revisit."""
    doc.user_data.setdefault(GUESSED, set()).add((span.start, span.end, span.id_))


def guessed_spans(doc: Doc) -> Collection[tuple[int, int, str]]:
    return doc.user_data.get(GUESSED, ())


def _lists(text: str, mentions: list[Span]) -> list[list[Span]]:
    """The mentions of one sentence grouped into coordinated lists ("A, B, and C"; "A / B")."""
    groups: list[list[Span]] = []
    closed = True  # a list ends at the member after its "and" ("A, B and C, D can ...": D is not in it)
    for m in mentions:
        gap = text[groups[-1][-1].end_char:m.start_char] if groups else ""
        if groups and not closed and _LIST_GAP.fullmatch(gap):
            groups[-1].append(m)
        else:
            groups.append([m])
        closed = re.search(r"\b(?:and|or|as well as)\b", gap) is not None and len(groups[-1]) > 1
    return groups


@lru_cache(maxsize=8)
def _cue_patterns(words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """A cue noun after a name or list, before one ("benchmarks such as", "a new indoor dataset
    X", "a dataset named X"), and after a copula ("X is a new dataset")."""
    cue_words = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    after = re.compile(r"^\s+(?:[a-z][\w-]*[^\Ws]\s+)?(" + cue_words + r")\b", re.I)  # not "uses datasets"
    # a determiner before the noun, so that a verb is not read as one ("we benchmark X")
    before = re.compile(r"\b(" + cue_words + r")" + _LEAD_IN + r"|\b(?:a|an|the|our|this)\s+(?:[\w-]+,?\s+){0,3}?("
                        + cue_words + r")\s+(?:(?:named|called|dubbed|termed)\s+)?$", re.I)
    copula = re.compile(r"^\s+(?:is|are|was|were)\s+(?:a|an|the|one of the)\s+(?:[\w-]+\s+){0,4}?(" + cue_words + r")\b",
                        re.I)
    return after, before, copula


def context_types(doc: Doc, mentions: list[Span], guessed: Collection[tuple[int, int, str]],
                  cue_types: Mapping[str, str]) -> dict[str, str]:
    """The type each name whose every mention is a guess should have, where the text says one.

    ``mentions``: the paper's mentions in text order (labels and canonical names set);
    ``guessed``: the (start, end, rule) of those typed by default; ``cue_types``: cue noun
    -> type (``ontology/rules/cue-nouns.tsv``).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> doc = nlp("Experiments on GQA, Zorb and Open Images. Results on Quux and Blip datasets.")
    >>> ms = [Span(doc, 2, 3, "Benchmark", kb_id="GQA"), Span(doc, 4, 5, "Method", kb_id="Zorb"),
    ...       Span(doc, 6, 8, "Dataset", kb_id="Open Images"), Span(doc, 11, 12, "Method", kb_id="Quux"),
    ...       Span(doc, 13, 14, "Method", kb_id="Blip")]
    >>> sorted(context_types(doc, ms, {(4, 5, ""), (11, 12, ""), (13, 14, "")}, {"datasets": "Dataset"}).items())
    [('Blip', 'Dataset'), ('Quux', 'Dataset'), ('Zorb', 'Benchmark')]
    """
    by_name: dict[str, list[Span]] = {}
    for m in mentions:
        by_name.setdefault(m.kb_id_, []).append(m)
    open_names = {n for n, ms in by_name.items() if all((m.start, m.end, m.id_) in guessed for m in ms)}
    if not open_names:
        return {}
    # a name the paper introduces (in its title, or "we propose X") is its own system: only the
    # words that say what it is count, not the company it keeps in a list of others' work
    introduced = {n for n in open_names if any(m.id_ in AUTHORS_NAMES for m in by_name[n])}
    cue_after, cue_before, copula = _cue_patterns(tuple(sorted(cue_types)))
    text = doc_text(doc)
    votes: dict[str, Counter] = {n: Counter() for n in open_names}
    for sent, in_sent in sentences_with(doc, sorted(mentions, key=lambda m: m.start)):
        for group in _lists(text, in_sent):
            members = [m for m in group if m.kb_id_ in open_names]
            if not members:
                continue
            said = None
            after = cue_after.match(text[group[-1].end_char:group[-1].end_char + 40])
            if _SHARED_TASK_AFTER.match(text, group[-1].end_char):
                said = "Benchmark"  # "the MEDIQA-WV 2025 shared task" (typology: shared tasks are Benchmarks)
            elif after is not None:
                said = cue_types.get(after.group(1).lower())
            if said is None:
                before = cue_before.search(text[max(sent.start_char, group[0].start_char - 80):group[0].start_char])
                # after a bare comma, one name is in apposition only if nothing but punctuation follows
                # it ("the QA benchmark, Q-Bench-Video, showing"; not "Given a dataset, CLARGA can")
                if before is not None and before.group(1) is None:  # "a large-scale indoor dataset X"
                    said = cue_types.get(before.group(2).lower()) if len(group) == 1 else None
                elif before is not None:
                    bare_comma = before.group(0)[len(before.group(1)):].strip() == ","
                    if not bare_comma or len(group) > 1 or re.match(r"\s*[,.;)]", text[group[-1].end_char:]):
                        said = cue_types.get(before.group(1).lower())
            if said is None and len(group) == 1:
                be = copula.match(text[group[0].end_char:group[0].end_char + 80])
                said = cue_types.get(be.group(1).lower()) if be is not None else None
            if said in (*DATA_TYPES, "Model", "Metric"):
                for m in members:
                    votes[m.kb_id_][said] += _WEIGHT["cue"]
                continue
            known = Counter(m.label_ for m in group if m.kb_id_ not in open_names)
            if known and sum(known[t] for t in DATA_TYPES) == sum(known.values()):
                company = max(DATA_TYPES, key=lambda t: (known[t], t == "Benchmark"))
            elif known and known["Model"] == sum(known.values()):
                company = "Model"
            else:
                company = None
            for m in members:
                if m.kb_id_ in introduced:
                    continue
                if company is not None:
                    votes[m.kb_id_][company] += _WEIGHT["company"]
                if _SCORE_PLACE.search(text[max(sent.start_char, m.start_char - 30):m.start_char]):
                    votes[m.kb_id_]["Benchmark"] += _WEIGHT["score"]
    return {n: max(v.items(), key=lambda tv: (tv[1], tv[0]))[0] for n, v in votes.items() if v}


#: "... is evaluated on", "... was trained on": what the text says of a system
_EVALUATED = re.compile(r"\)?\s+(?:is|are|was|were)\s+(?:(?:then|also|further|first|extensively)\s+)?"
                        r"(?:evaluated|tested|validated|benchmarked|trained)\s+(?:on|in)\b")


def evaluated_learning(text: str, mentions: list[Span]) -> dict[str, str]:
    """Names of a kind of learning typed Task that the text says are evaluated or trained on
    something: Methods. "X learning" names a field (Task: "imitation learning") as often as a
    method ("multi-context imitation learning (MCIL)"); only a method or model is evaluated on a
    benchmark (typology), so "(MCIL) is evaluated on the CALVIN benchmark" says which.

    >>> import spacy
    >>> doc = spacy.blank("en")("A multi-context imitation learning (MCIL) baseline: MCIL is evaluated on CALVIN.")
    >>> ms = [Span(doc, 1, 6, "Task", kb_id="multi-context imitation learning"),
    ...       Span(doc, 7, 8, "Task", kb_id="multi-context imitation learning"),
    ...       Span(doc, 11, 12, "Task", kb_id="multi-context imitation learning")]
    >>> evaluated_learning(doc.text, ms)
    {'multi-context imitation learning': 'Method'}
    """
    out = {}
    for m in mentions:
        if (m.label_ == "Task" and m.kb_id_.lower().endswith("learning")
                and _EVALUATED.match(text, m.end_char) is not None):
            out[m.kb_id_] = "Method"
    return out
