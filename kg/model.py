"""The typed records that pass between kg's stages.

papers -> (NLP) -> mentions, relations, results per paper -> (linking) -> entities -> graph.
Every record is a small frozen dataclass so stages cannot mutate each other's output.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, fields
from urllib.parse import quote

#: The six entity types of the typology (shared/spec/typology.md).
ENTITY_TYPES: tuple[str, ...] = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")

#: The relation types of the typology, besides ``proposes`` (kept apart: it always has a paper head).
RELATION_TYPES: tuple[str, ...] = (
    "uses", "evaluatedOn", "trainedOn", "basedOn", "variantOf",
    "outperforms", "addresses", "measuredBy",
)

#: The head of a relation stated by a paper that names no method of its own.
PAPER = "PAPER"

#: The types that name systems (what a paper proposes and builds on) and those that name data
#: (what it trains and evaluates on): the groups the typology's relation signatures use.
SYSTEM_TYPES: tuple[str, ...] = ("Method", "Model")
DATA_TYPES: tuple[str, ...] = ("Dataset", "Benchmark")
#: Allowed (head types, tail types) of each relation, from the typology; "Paper" stands for PAPER.
#: The ontology's rdfs:domain and rdfs:range say the same (a test holds the two together), so
#: whatever the extractor emits validates against ontology/shapes.ttl.
RELATION_SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uses": (("Paper", *SYSTEM_TYPES), ENTITY_TYPES),
    "evaluatedOn": (("Paper", *SYSTEM_TYPES), DATA_TYPES),
    "trainedOn": (SYSTEM_TYPES, DATA_TYPES),  # a paper is not trained on anything; its model is
    "basedOn": (SYSTEM_TYPES, SYSTEM_TYPES),
    "variantOf": (SYSTEM_TYPES, SYSTEM_TYPES),
    "outperforms": (SYSTEM_TYPES, SYSTEM_TYPES),
    "addresses": (("Paper", *SYSTEM_TYPES), ("Task",)),
    "measuredBy": (DATA_TYPES, ("Metric",)),
}


def relation_allowed(relation: str, head_type: str, tail_type: str) -> bool:
    """Whether the typology allows ``relation`` between entities of these types.

    >>> relation_allowed("evaluatedOn", "Model", "Benchmark"), relation_allowed("addresses", "Benchmark", "Task")
    (True, False)
    """
    heads, tails = RELATION_SIGNATURES.get(relation, ((), ()))
    return head_type in heads and tail_type in tails


def doi_url(doi: str) -> str:
    """The resolver URL of a DOI (``Paper.doi``), percent-encoded where a URL needs it.

    >>> doi_url("10.1162/tacl_a_00001"), doi_url("10.1000/a b<c>")
    ('https://doi.org/10.1162/tacl_a_00001', 'https://doi.org/10.1000/a%20b%3Cc%3E')
    """
    return "https://doi.org/" + quote(str(doi), safe="/:;()._-")


def paper_id_for(title: str, abstract: str) -> str:
    """A stable id from a paper's content: the same text always gets the same id.

    >>> paper_id_for("A Title", "Some abstract.") == paper_id_for("A Title", "Some abstract.")
    True
    >>> paper_id_for("A Title", "Some abstract.").startswith("p-")
    True
    """
    text = unicodedata.normalize("NFC", f"{title.strip()}\n\n{abstract.strip()}")
    return "p-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _pickled_by_fields(cls):
    """Pickle a frozen slotted record as its class and field values: a third faster to load
    than the default state dict, which matters where a build keeps a million papers
    compressed (:mod:`kg.store`) and reads them back several times."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(getattr(self, n) for n in names)

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Paper:
    """One paper: at least a title and an abstract.

    ``text`` is what offsets index: ``title + "\\n\\n" + abstract``, or the abstract alone
    when there is no title (the convention of ``eval/score.py``).

    >>> p = Paper(id="x", title="DPO", abstract="We study DPO.")
    >>> p.text
    'DPO\\n\\nWe study DPO.'
    >>> p.abstract_offset
    5
    """

    id: str
    title: str
    abstract: str
    year: int | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    url: str | None = None
    source: str | None = None  # "file:line" the record came from, for messages
    doi: str | None = None  # "10.1234/abc", without a resolver prefix

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.abstract}" if self.title else self.abstract

    @property
    def abstract_offset(self) -> int:
        return len(self.title) + 2 if self.title else 0


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of a paper's text that names an entity.

    ``start``/``end`` are character offsets into ``Paper.text``; ``sentence`` is the
    sentence that holds it; ``canonical`` the name of the entity it links to;
    ``component`` the pipeline component that found it (lexicon, abbreviation, names, ...).
    """

    paper_id: str
    start: int
    end: int
    text: str
    type: str
    canonical: str
    component: str
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 1.0


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a statement comes from: a paper and the sentence that states it."""

    paper_id: str
    sentence: str
    start: int = 0  # sentence offsets in Paper.text
    end: int = 0
    confidence: float = 1.0
    rule: str = ""


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two entities (by canonical name) or ``PAPER`` and an entity."""

    head: str
    type: str
    tail: str
    evidence: Evidence


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Result:
    """An n-ary result: (subject, benchmark or dataset, metric, value).

    ``number`` is the numeric part of ``value`` as a decimal string (so it can be typed
    ``xsd:decimal``), ``unit`` what follows it ("%", "x", "Hz"); ``value`` keeps the phrase.
    """

    subject: str
    benchmark: str | None
    metric: str | None
    value: str
    number: str | None
    unit: str | None
    evidence: Evidence


@dataclass(slots=True)
class PaperExtraction:
    """Everything the NLP stage found in one paper, before cross-paper linking."""

    paper: Paper
    mentions: list[Mention] = field(default_factory=list)
    proposes: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    #: abbreviation definitions found in this paper: short form -> long form
    abbreviations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Entity:
    """A canonical entity: all mentions of one thing across papers, with one type."""

    id: str  # stable slug of the canonical name (IRI-safe)
    name: str  # canonical name
    type: str
    aliases: set[str] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)
    mention_count: int = 0
    type_votes: dict[str, float] = field(default_factory=dict)
