"""The extraction rules as data: each rule's id, what it fires on, and its measured confidence.

``ontology/rules/rules.jsonl`` holds one record per rule, written by ``scripts/measure_rules.py``
from the annotated abstracts: how often the rule fired there, how often on a gold mention's span
(``span_confidence``) and with the gold type (``confidence``), each smoothed toward the designer's
prior so that a rarely firing rule keeps it. A mention keeps the confidence of the rule that made
it, and a relation that of its rule; a relation rule states a pair only from a confidence on.

>>> r = load_rules()["names.title"]
>>> r.component, 0.5 < r.confidence <= 1
('kg_names', True)
"""
from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import ontology_path

@dataclass(frozen=True)
class Rule:
    id: str
    component: str
    fires_on: str
    prior: float
    confidence: float
    span_confidence: float
    support: int = 0


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict[str, Rule]:
    """Rules by id from ``ontology/rules/rules.jsonl`` (or ``path``); a bad line names its file and line."""
    file = Path(path) if path else ontology_path("rules", "rules.jsonl")
    rules: dict[str, Rule] = {}
    with open(file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                rules[d["id"]] = Rule(d["id"], d["component"], d["fires_on"], float(d["prior"]),
                                      float(d["confidence"]), float(d["span_confidence"]), int(d.get("support") or 0))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{file}:{n}: bad rule record: {exc}") from None
    return rules


def confidence(rule_id: str, default: float = 0.5) -> float:
    """The measured, typed confidence of a rule (``default`` for one the table lacks)."""
    r = load_rules().get(rule_id)
    return r.confidence if r else default


# --- the word lists: files under ontology/rules/ ----------------------------------------------
#
# What the rules know is data apart from how they use it: a list can be read, reviewed and
# changed without reading the code, and a pipeline built with other lists (the components'
# ``rules_dir`` setting) to measure what a change does.

#: the rule a name the authors introduce as another kind than the lexicon's entry of it comes from
OWN_NAME = "names.introduced_own"
#: the rules whose names the authors introduce as theirs: a title's lead, "we propose X", and X
#: introduced as another kind than the lexicon's X
AUTHORS_NAMES = frozenset({"names.title", "names.introduced", OWN_NAME})


_COMMENT = re.compile(r"(?:^|\s)#.*")


def read_rule_file(path: Path, *values: Collection[str], lower: bool = True,
                   phrases: bool = False) -> list[tuple[str, ...]]:
    """The entries of a rule file: one a line, a word then one field per ``values`` (the values
    that field may take), separated by tabs; ``#`` starts a comment. A malformed line is an
    error naming the file and line: a word silently dropped would change what the rules find.
    ``lower``: the word must be in lower case, for lists matched against lower-cased text;
    ``phrases``: the first field may be words separated by single spaces ("memory footprint").
    """
    rows: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = _COMMENT.sub("", line.rstrip("\n")).strip()
            if not line:
                continue
            fields = tuple(x.strip() for x in line.split("\t"))
            problem = _rule_line_problem(fields, values, lower, phrases)
            if problem is None and fields[0] in seen:
                problem = f"{fields[0]!r} is listed already, on line {seen[fields[0]]}"
            if problem is not None:
                raise ValueError(f"{path}:{n}: bad rule line {line!r}: {problem}")
            seen[fields[0]] = n
            rows.append(fields)
    return rows


def _rule_line_problem(fields: tuple[str, ...], values: tuple[Collection[str], ...], lower: bool,
                       phrases: bool = False) -> str | None:
    if len(fields) != 1 + len(values):
        return f"expected {1 + len(values)} tab-separated field(s), got {len(fields)}"
    if phrases and not re.fullmatch(r"\S+(?: \S+)*", fields[0]):
        return "the phrase is empty or has spaces other than one between words"
    if any(not x or re.search(r"\s", x) for x in fields[1 if phrases else 0:]):
        return "a field is empty or holds a space (one word a line, fields separated by tabs)"
    if lower and fields[0] != fields[0].lower():
        return "the word must be in lower case (it is matched against lower-cased text)"
    for field, allowed in zip(fields[1:], values):
        if field not in allowed:
            return f"{field!r} is not one of {', '.join(allowed)}"
    return None


def starting_with(words: Collection[str], ignore_case: bool = True) -> str:
    """A lookahead for the first letters of ``words``, to put before a regular expression whose
    every alternative starts with one of them: the engine then passes over most positions of a
    text at the cost of one character test, where it would try a (case-insensitive) alternation
    in full at each. It changes no match.

    >>> starting_with(["Bench", "data"])
    '(?=[BDbd])'
    >>> bool(re.compile(starting_with(["than", "vs"]) + "(?:than|vs)", re.I).search("better THAN"))
    True
    """
    firsts = {w[0] for w in words if w}
    if ignore_case:
        firsts |= {c.swapcase() for c in firsts}
    return "(?=[" + re.escape("".join(sorted(firsts))) + "])" if firsts else "(?!)"


def read_words(path: Path, lower: bool = True, phrases: bool = False) -> frozenset[str]:
    """The words (or, with ``phrases``, phrases) of a one-a-line rule file (see :func:`read_rule_file`)."""
    return frozenset(w for (w,) in read_rule_file(path, lower=lower, phrases=phrases))


def listed(word: str, words: Collection[str]) -> bool:
    """Whether ``word``, or ``word`` without a plural "s", is one of ``words``.

    >>> listed("benchmarks", {"benchmark"}), listed("benchmark", {"benchmark"}), listed("metrics", {"benchmark"})
    (True, True, False)
    """
    return word in words or word.rstrip("s") in words


def rules_path(rules_dir: str | Path | None, name: str) -> Path:
    """A rule file in ``rules_dir``, by default the shipped ``ontology/rules``.

    >>> rules_path(None, "not-names.txt").is_file()
    True
    """
    return Path(rules_dir) / name if rules_dir else ontology_path("rules", name)


@lru_cache(maxsize=16)
def _load_rule_set(cls: type, rules_dir: Path):
    return cls(rules_dir)


def load_rule_set(cls: type, rules_dir: str | Path | None = None):
    """``cls(rules_dir)`` (a component's word lists), built once per class and folder; the
    default folder is the shipped ``ontology/rules``."""
    return _load_rule_set(cls, Path(rules_dir).resolve() if rules_dir else ontology_path("rules"))
