"""Canonical linking: merge the mentions of one thing across papers into one entity.

Mentions merge when any of their surface forms share a name key (:func:`kg.names.name_key`:
case, hyphens, spaces, Unicode, plural and possessive folded) or an abbreviation joins
them (``DPO`` / ``Direct Preference Optimization``). An acronym that two papers define
differently is two entities, told apart by their long forms. A size or version variant
(``Llama2-7B``, ``OPA-DPO``) keeps its own entity and is linked ``variantOf`` its family.
Each entity gets one type: the weighted vote of all its mentions in all papers.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial

from .model import (DATA_TYPES, PAPER, SYSTEM_TYPES, Entity, Evidence, Mention, PaperExtraction, Relation, Result,
                    relation_allowed)
from .names import name_key, slugify, url_spans
from .nlp.lexicon import Lexicon, load_lexicon
from .nlp.mentions import component_weight
from .nlp.names import is_name_shaped, size_variant_family
from .nlp.rules import AUTHORS_NAMES


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key is the root, so the result does not depend on input order
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


@dataclass
class LinkedCorpus:
    """The outcome of linking: entities by canonical name and the papers rewritten to them.

    ``extractions`` reads like a list; after :func:`link` it rewrites each paper to the
    entities when it is read, from the papers kept compressed (:mod:`kg.store`), so a large
    corpus is never held twice as objects.
    """

    entities: dict[str, Entity] = field(default_factory=dict)
    extractions: Sequence[PaperExtraction] = field(default_factory=list)
    variant_relations: list[Relation] = field(default_factory=list)


def _known_sense(short: str, long: str, lexicon: Lexicon) -> bool:
    """Whether a paper defines an acronym as the lexicon does ("frames per second (FPS)"):
    then it is the lexicon's sense, the plain one, not a sense of its own."""
    entry = lexicon.lookup_as_written(short)
    return entry is not None and lexicon.lookup(long) is entry


def _is_acronym(surface: str) -> bool:
    s = surface.rstrip("s") if surface.endswith("s") and surface[-2:-1].isupper() else surface
    return bool(re.fullmatch(r"[A-Za-z0-9\-]{1,10}", s)) and sum(c.isupper() for c in s) >= 2


class _KeyStats:
    """What the mentions under one cluster key say, gathered in one pass over the papers and
    merged per entity once the keys are joined: per-key state, never per-mention objects."""

    __slots__ = ("names", "lexicon_name", "votes", "surfaces", "papers", "count", "first")

    def __init__(self) -> None:
        self.names: Counter = Counter()  # canonical name -> mentions
        self.lexicon_name: tuple[int, str] | None = None  # (mention order, name) of the first lexicon mention
        self.votes: Counter = Counter()  # (type, component) -> mentions
        self.surfaces: set[str] = set()
        self.papers: set[str] = set()
        self.count = 0
        #: the first mention in paper id order: (paper rank by id, mention, paper position, sentence start, end)
        self.first: tuple[int, int, int, int, int] | None = None

    def merge(self, other: _KeyStats) -> None:
        self.names.update(other.names)
        if other.lexicon_name is not None and (self.lexicon_name is None or other.lexicon_name < self.lexicon_name):
            self.lexicon_name = other.lexicon_name
        self.votes.update(other.votes)
        self.surfaces |= other.surfaces
        self.papers |= other.papers
        self.count += other.count
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first

    def type_votes(self) -> dict[str, float]:
        """Each type's summed component weight (exactly rounded, whatever the papers' order)."""
        by_type: dict[str, list[float]] = defaultdict(list)
        for (etype, component), n in self.votes.items():
            by_type[etype].append(component_weight(component) * n)
        return {t: math.fsum(ws) for t, ws in by_type.items()}


def link(extractions: Iterable[PaperExtraction], lexicon: Lexicon | None = None) -> LinkedCorpus:
    """Link the mentions of many papers into canonical entities.

    The papers are read in id order, so the result does not depend on the input order; its
    ``extractions`` keep the input order. An :class:`~kg.store.ExtractionStore` is read as it
    is (twice, then once per reading of ``extractions``); other iterables are stored first.

    >>> from kg.model import Paper
    >>> def ex(pid, *ms):
    ...     p = Paper(pid, "", " ".join(m[0] for m in ms))
    ...     return PaperExtraction(p, [Mention(pid, 0, len(t), t, ty, c, "lexicon") for t, ty, c in ms])
    >>> out = link([ex("a", ("LLaMA-2", "Model", "LLaMA-2")), ex("b", ("Llama 2", "Model", "Llama 2"))])
    >>> [(e.name, sorted(e.papers)) for e in out.entities.values()]
    [('Llama 2', ['a', 'b'])]
    >>> [x.mentions[0].canonical for x in out.extractions]
    ['Llama 2', 'Llama 2']
    """
    from .store import ExtractionStore

    lexicon = lexicon if lexicon is not None else load_lexicon()
    store = ExtractionStore.wrap(extractions)
    by_id = store.id_order()

    # 1. names coined by a paper, found wherever other papers use them; acronyms defined with
    #    different long forms in different papers are ambiguous
    coined: dict[str, tuple[str, str]] = {}
    senses: dict[str, set[str]] = defaultdict(set)
    for i in by_id:
        x = store[i]
        _collect_coined(x, coined, lexicon)
        for short, long in x.abbreviations.items():
            if _spells(short, long):  # a long form whose words do not spell the acronym is a misreading
                senses[name_key(short)].add(_sense_key(long))
    corpus_names = _CorpusNames(coined)
    ambiguous = frozenset(k for k, v in senses.items() if len(v) > 1)
    cluster_key = partial(_cluster_key, ambiguous=ambiguous, lexicon=lexicon)

    # 2. union the keys of each paper's clusters (canonical + surfaces), and gather what each
    #    key's mentions say: names, type votes, surfaces, papers
    uf = _UnionFind()
    stats: dict[str, _KeyStats] = {}
    long_forms_of_key: dict[str, set[str]] = defaultdict(set)
    seq = 0
    uses_of: dict[int, tuple[tuple[int, int, str], ...]] = {}  # paper position -> its uses of coined names
    for rank, i in enumerate(by_id):
        x = store[i]
        uses = corpus_names.uses(x)
        if uses:  # kept, small, so that reading the linked papers need not search them again
            uses_of[i] = uses
            x = corpus_names.with_uses(x, uses)
        pid = store.ids[i]  # one string per paper, shared by every entity's paper set
        by_canonical: dict[str, set[str]] = defaultdict(set)
        for m in x.mentions:
            by_canonical[m.canonical].add(m.text)
        for canonical, surfaces in by_canonical.items():
            root = cluster_key(x, canonical)
            uf.find(root)
            for s in surfaces:
                k = name_key(s)
                if not k or (k in ambiguous and _is_acronym(s)):
                    continue
                if _is_acronym(s) and k != name_key(canonical) and k in senses:
                    continue  # an acronym joins through its own definition only
                uf.union(root, k)
        for j, m in enumerate(x.mentions):
            key = cluster_key(x, m.canonical)
            s = stats.get(key)
            if s is None:
                s = stats[key] = _KeyStats()
            s.names[m.canonical] += 1
            if m.component == "lexicon" and s.lexicon_name is None:
                entry = lexicon.lookup_as_written(m.canonical)
                if entry is not None:
                    s.lexicon_name = (seq, entry.name)
            s.votes[(m.type, m.component)] += 1
            s.surfaces.add(m.text)
            s.papers.add(pid)
            s.count += 1
            if s.first is None:  # papers come in id order
                s.first = (rank, j, i, m.sentence_start, m.sentence_end)
            seq += 1
        for short, long in x.abbreviations.items():
            long_forms_of_key[cluster_key(x, short)].add(long)

    # 3. one record per entity: the keys' records merged under their union root
    merged: dict[str, _KeyStats] = {}
    for key in list(stats):
        s = stats.pop(key)
        root = uf.find(key)
        if root in merged:
            merged[root].merge(s)
        else:
            merged[root] = s
    long_forms: dict[str, set[str]] = defaultdict(set)
    for key, longs in long_forms_of_key.items():
        if uf.parent.get(key):
            long_forms[uf.find(key)] |= longs
    del long_forms_of_key

    root_name: dict[str, str] = {}
    taken: dict[str, str] = {}  # name -> the root that has it
    # the entities of a sense of an ambiguous acronym (a "short|long" key joined them)
    sensed = {uf.find(k) for k in list(uf.parent) if "|" in k}
    # the plain sense first (the lexicon's, or the only one), so that it keeps the plain name and
    # the other senses are named by their long forms ("FPS" and "FPS (farthest point sampling)")
    for root in sorted(merged, key=lambda r: (r in sensed, r)):
        s = merged[root]
        lexicon_name = s.lexicon_name[1] if s.lexicon_name else None
        name = lexicon_name or sorted(s.names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        long = sorted(long_forms.get(root) or [""])[0]
        if root in sensed or (name in taken and taken[name] != root):
            # an acronym with two senses (the union root need not carry the "|" mark when a
            # long form joined it): name each sense by its long form, never one name for two
            if long and long.lower() != name.lower():
                name = f"{name} ({long})"
            n = 2
            base = name
            while name in taken and taken[name] != root:
                name, n = f"{base} ({n})", n + 1
        taken[name] = root
        root_name[root] = name

    entities: dict[str, Entity] = {}
    first_mention: dict[str, tuple[int, int, int, int, int]] = {}
    used_slugs: set[str] = set()
    for root in sorted(root_name, key=lambda r: (name_key(root_name[r]), root_name[r])):
        name = root_name[root]
        s = merged.pop(root)
        votes = s.type_votes()
        etype = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        slug = base = slugify(name)
        n = 2
        while slug.lower() in used_slugs:
            slug, n = f"{base}-{n}", n + 1
        used_slugs.add(slug.lower())
        total = math.fsum(votes.values()) or 1.0
        entities[name] = Entity(
            id=slug, name=name, type=etype,
            aliases={a for a in s.surfaces if a != name} | {lf for lf in long_forms.get(root, ()) if lf != name},
            papers=s.papers, mention_count=s.count,
            type_votes={t: round(v / total, 3) for t, v in votes.items()})
        if s.first is not None:
            first_mention[name] = s.first

    # 4. the papers, rewritten to the entities' names and types as they are read
    renamed = {k: root_name[uf.find(k)] for k in uf.parent}
    del uf
    variants = _variant_relations(entities, first_mention, store, lexicon)
    view = LinkedExtractions(store, corpus_names, uses_of, cluster_key, renamed, entities,
                             frozenset((r.head, r.tail) for r in variants))
    return LinkedCorpus(entities=entities, extractions=view, variant_relations=variants)


def _cluster_key(x: PaperExtraction, canonical: str, *, ambiguous: frozenset[str], lexicon: Lexicon) -> str:
    """The union-find key of a canonical name in paper ``x``: its name key, and for an
    ambiguous acronym the sense the paper defines it with."""
    k = name_key(canonical)
    if k in ambiguous:
        short, long = next(((s, lf) for s, lf in x.abbreviations.items() if name_key(s) == k), (None, None))
        if long and not _known_sense(short, long, lexicon):
            return f"{k}|{_sense_key(long)}"
    return k


class LinkedExtractions(Sequence[PaperExtraction]):
    """The papers of a linked corpus, in input order, each rewritten to the entities when read:
    corpus names marked, mentions, relations, results and proposals renamed to their entities,
    and what linking rules out dropped (relations the typology does not allow, "uses" where
    the names make a ``variantOf``)."""

    def __init__(self, store, corpus_names: _CorpusNames, uses_of: dict[int, tuple[tuple[int, int, str], ...]],
                 cluster_key, renamed: dict[str, str], entities: dict[str, Entity],
                 variants: frozenset[tuple[str, str]]):
        self._store = store
        self._corpus_names = corpus_names
        self._uses_of = uses_of
        self._cluster_key = cluster_key
        self._renamed = renamed
        self._entities = entities
        self._variants = variants

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # a negative index counts from the end
        return self._rewrite(i, self._store[i])

    def __iter__(self) -> Iterator[PaperExtraction]:
        for i, x in enumerate(self._store):
            yield self._rewrite(i, x)

    @property
    def paper_ids(self) -> list[str]:
        """The papers' ids, in order, without reading the papers."""
        return self._store.ids

    def _rewrite(self, i: int, x: PaperExtraction) -> PaperExtraction:
        x = self._corpus_names.with_uses(x, self._uses_of.get(i, ()))
        entities, renamed = self._entities, self._renamed

        def canon(name: str) -> str:
            if name == PAPER:
                return name
            return renamed.get(self._cluster_key(x, name), name)

        mentions = [_renamed(m, canon(m.canonical), entities) for m in x.mentions]
        known = {m.canonical for m in mentions}
        relations = [r if canon(r.head) == r.head and canon(r.tail) == r.tail else
                     replace(r, head=canon(r.head), tail=canon(r.tail)) for r in x.relations]
        # "OPA-DPO uses DPO" says less than "OPA-DPO variantOf DPO"
        relations = [r for r in relations if (r.head == PAPER or r.head in known) and r.tail in known
                     and r.head != r.tail and relation_allowed(
                         r.type, "Paper" if r.head == PAPER else entities[r.head].type, entities[r.tail].type)
                     and not (r.type in ("uses", "basedOn") and (r.head, r.tail) in self._variants)]
        results = [_typed_result(r, canon, entities) for r in x.results]
        proposes = list(dict.fromkeys(canon(p) for p in x.proposes if canon(p) in known))
        return PaperExtraction(x.paper, mentions, proposes, relations, results, x.abbreviations)


def _renamed(m: Mention, canonical: str, entities: dict[str, Entity]) -> Mention:
    """``m`` with its entity's name and type (the same object when both are already so:
    copying a frozen dataclass costs more than the rest of linking)."""
    etype = entities[canonical].type
    return m if m.canonical == canonical and m.type == etype else replace(m, canonical=canonical, type=etype)


#: components whose names a paper coins; such a name found in another paper is a mention there too
_COINED = AUTHORS_NAMES | {"names.named", "abbreviation", "abbreviation.glued", "names.cue"}
#: where a word starts, with the word (zero-width, so a word after an apostrophe starts too)
_WORD_START = re.compile(r"(?<![\w-])(?=(\w[\w'-]*))")


def _collect_coined(x: PaperExtraction, coined: dict[str, tuple[str, str]], lexicon: Lexicon | None) -> None:
    """Add the names ``x`` coins to ``coined`` (surface -> (canonical, type)); the first paper
    to coin a surface keeps it."""
    for m in x.mentions:
        if m.component in _COINED and len(m.text) >= 4 and not m.text.islower() and _distinctive(m, lexicon):
            coined.setdefault(m.text, (m.canonical, m.type))


class _CorpusNames:
    """Names that one paper coins ("Halyard: ..."), found wherever other papers use them.

    A name the lexicon lacks is only found where its own rule fires (a title, a definition,
    a cue noun); once a paper has coined it, its plain uses elsewhere are mentions of the
    same entity. Single words match in their own case, longer names in any case.
    """

    def __init__(self, coined: dict[str, tuple[str, str]]):
        self.coined = coined
        self.index = _CoinedIndex(coined) if coined else None

    def uses(self, x: PaperExtraction) -> tuple[tuple[int, int, str], ...]:
        """Where ``x`` uses a coined name outside its own mentions: (start, end, the coined surface)."""
        if self.index is None:
            return ()
        text = x.paper.text
        found = self.index.uses(text)
        if not found:
            return ()
        # a name inside a web address is no mention (typology)
        taken = [(m.start, m.end) for m in x.mentions] + url_spans(text)
        out = []
        for i, surface in found:
            end = i + len(surface)
            if any(a < end and i < b for a, b in taken):
                continue
            out.append((i, end, surface))
            taken.append((i, end))
        return tuple(out)

    def with_uses(self, x: PaperExtraction, uses: tuple[tuple[int, int, str], ...]) -> PaperExtraction:
        """``x`` with a mention at each of ``uses`` (``x`` itself if there are none)."""
        if not uses:
            return x
        text = x.paper.text
        added = []
        for i, end, surface in uses:
            canonical, etype = self.coined[surface]
            s0 = max(text.rfind(". ", 0, i) + 2, text.rfind("\n", 0, i) + 1, 0)
            s1 = text.find(". ", end)
            s1 = len(text) if s1 < 0 else s1 + 1
            added.append(Mention(x.paper.id, i, end, text[i:end], etype, canonical, "linking.corpus_name", s0, s1))
        return replace(x, mentions=sorted(x.mentions + added, key=lambda m: m.start))

    def added(self, x: PaperExtraction) -> PaperExtraction:
        """``x`` with a mention wherever it uses a coined name (``x`` itself if it uses none)."""
        return self.with_uses(x, self.uses(x))


@lru_cache(maxsize=1 << 16)
def _sense_key(long: str) -> str:
    """The key of what a long form means: plurals and a trailing generic noun folded, so that
    spellings of one definition are one sense, not two senses of an ambiguous acronym.

    >>> bert = _sense_key("Bidirectional Encoder Representations from Transformers")
    >>> bert == _sense_key("Bidirectional Encoder Representation from Transformer")
    True
    >>> _sense_key("Bi-directional Long Short-Term Memory networks") == _sense_key("Bidirectional Long Short Term Memory")
    True
    >>> _sense_key("Adaptive Token Routing") == _sense_key("Automatic Term Ranking")
    False
    """
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in re.split(r"[^0-9a-z]+", long.lower()) if w]
    while len(words) > 1 and words[-1] in _SENSE_HEADS:
        words.pop()
    return name_key("".join(words))


def _spells(short: str, long: str) -> bool:
    """Whether the initials of a long form's words (and its inner capitals) spell the acronym.

    >>> _spells("BERT", "Bidirectional Encoder Representations from Transformers")
    True
    >>> _spells("BERT", "baselines including both pretrained models"), _spells("RoBERTa", "Robustly optimized BERT approach")
    (False, True)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    starts = [c.lower() for w in re.split(r"[\s\-/]+", long) if w
              for i, c in enumerate(w) if c.isalpha() and (i == 0 or c.isupper())]
    if not letters or not starts or letters[0] != starts[0]:
        return False
    it = iter(starts)
    return all(c in it for c in letters[1:])


#: trailing nouns a definition may or may not include ("... Memory (networks)")
_SENSE_HEADS = frozenset("network model architecture method approach algorithm framework system task".split())


#: words no coined name of several words starts or ends with
_EDGE_FUNCTION_WORDS = frozenset("a an the our this these that those its their of for in on to with and or by from as at "
                                 "is are via".split())


def _distinctive(m: Mention, lexicon: Lexicon | None) -> bool:
    """Whether a coined name can be recognised in other papers by its spelling alone: a single
    word only if the paper introduced it by name ("we introduce Halyard", "Halyard: ...") or it
    is name-shaped (a cue noun's "Chinese corpus" or a capitalised "Word" is not), never a stop
    name, and never a definition of a two-letter acronym."""
    if lexicon is not None and lexicon.is_stopname(m.text):
        return False
    if m.component == "abbreviation" and len(m.canonical.rstrip("s")) <= 2:
        return False  # "Knowledge Base (KB)": two letters abbreviate common nouns, not coined names
    words = m.text.split()
    if len(words) > 1:
        # not a phrase that starts or ends on a function word ("A Simple" a title rule once took)
        return not (words[0].lower() in _EDGE_FUNCTION_WORDS or words[-1].lower() in _EDGE_FUNCTION_WORDS)
    if is_name_shaped(m.text):
        return True
    # one ordinary word ("Efficient", "Collaborative" after "termed") is found in other papers
    # as the word, not as the name: only a word abstracts do not use in running text spreads
    return (m.component in AUTHORS_NAMES or m.component == "names.named") and not _ordinary_word(m.text)


def _ordinary_word(word: str) -> bool:
    """Whether a word is one that unannotated abstracts use (kg's word classes list it).

    >>> _ordinary_word("Efficient"), _ordinary_word("Halyard")
    (True, False)
    """
    from .nlp.spans import load_clusters
    return word.lower() in load_clusters()


class _CoinedIndex:
    """Coined names by their first word (lower case) and length, so that a paper costs the same
    however many names the corpus coins: at a word that starts some coined name, the lengths
    of the names with that first word are tried, longest first; where there are more of them
    than places a name can end (the word ends within the longest name), those places instead."""

    #: above this many name lengths for one first word, try the places a name can end instead
    _FEW = 8

    def __init__(self, surfaces: Iterable[str]):
        exact: dict[str, dict[str, str]] = defaultdict(dict)
        folded: dict[str, dict[str, str]] = defaultdict(dict)
        lengths: dict[str, set[int]] = defaultdict(set)
        for surface in surfaces:  # the first of equal names wins, as in the corpus order
            first = surface.split()[0].lower()
            if " " in surface:  # longer names match in any case
                folded[first].setdefault(surface.lower(), surface)
            else:  # single words in their own case
                exact[first].setdefault(surface, surface)
            lengths[first].add(len(surface))
        self.exact, self.folded = dict(exact), dict(folded)
        self.lengths = {first: (sorted(ls, reverse=True), frozenset(ls)) for first, ls in lengths.items()}

    def uses(self, text: str) -> list[tuple[int, str]]:
        """Where ``text`` uses a coined name, in text order: (start, name), the longest name
        that starts at each word.

        >>> _CoinedIndex(["Halyard", "Halyard Policy Optimization"]).uses("Halyard policy optimization, halyard, Halyard.")
        [(0, 'Halyard Policy Optimization'), (38, 'Halyard')]
        """
        found = []
        n = len(text)
        for w in _WORD_START.finditer(text):
            first = w.group(1).lower()
            known = self.lengths.get(first)
            if known is None:
                continue
            i = w.start()
            ordered, allowed = known
            if len(ordered) > self._FEW:  # many lengths: the places a name can end, within the longest
                limit, ends = i + ordered[0], []
                for m in _NAME_END.finditer(text, i + 1):
                    if m.start() > limit:
                        break
                    ends.append(m.start())
                ordered = [e - i for e in reversed(ends) if e - i in allowed]
            exact, folded = self.exact.get(first, {}), self.folded.get(first, {})
            for length in ordered:
                end = i + length
                if end < n and (text[end].isalnum() or text[end] == "-"):
                    continue
                piece = text[i:end]
                surface = exact.get(piece) or folded.get(piece.lower())
                if surface is not None:
                    found.append((i, surface))
                    break
        return found


#: a character no name continues into (not alphanumeric, not a hyphen), or the end of the text
_NAME_END = re.compile(r"[^\w-]|_|\Z")


def _typed_result(r: Result, canon, entities: dict[str, Entity]) -> Result:
    """A result rewritten to canonical names, keeping only parts of the right type.

    A result with neither benchmark nor metric stays: the typology counts any numeric claim
    about a method's performance or cost ("up to 2.3x speed-up"), its qualifier in the value."""
    def typed(name: str | None, types: tuple[str, ...]) -> str | None:
        if not name:
            return None
        c = canon(name)
        return c if c in entities and entities[c].type in types else None

    subject = typed(r.subject, SYSTEM_TYPES) or PAPER
    benchmark, metric = typed(r.benchmark, DATA_TYPES), typed(r.metric, ("Metric",))
    return replace(r, subject=subject, benchmark=benchmark, metric=metric)


def variant_of(name: str, known: dict[str, str]) -> str | None:
    """The family a name is a size, version or prefix variant of, among ``known`` keys.

    ``known`` maps name keys to entity names.

    >>> known = {name_key(n): n for n in ["Llama 2", "DPO", "PARL", "Llama2-7B"]}
    >>> variant_of("Llama2-7B", known), variant_of("OPA-DPO", known), variant_of("rDPO", known)
    ('Llama 2', 'DPO', 'DPO')
    >>> variant_of("A-PARL", known), variant_of("DPO", known), variant_of("Auto-GNN", {"gnn": "GNN"})
    ('PARL', None, None)
    """
    own = name_key(name)
    candidates = []
    family = size_variant_family(name)
    if family:
        candidates.append(family)
    parts = re.split(r"[-_]", name)
    if len(parts) >= 2 and " " not in name:
        # a suffix variant ("RT-2-X", "Llama 2-Chat") of any family; a prefix variant only
        # for an acronym prefix of an acronym-like family ("OPA-DPO", "A-PARL"), since
        # "Auto-GNN" or "Q-Transformer" name new methods, not versions of GNN or Transformer
        candidates.append("-".join(parts[:-1]))
        rest = "-".join(parts[1:])
        if parts[0].isupper() and sum(c.isupper() for c in rest) >= 2:
            candidates.append(rest)
    m = re.fullmatch(r"([a-z]{1,2})([A-Z][A-Z0-9-]+)", name)  # rDPO, cGAN
    if m:
        candidates.append(m.group(2))
    for c in candidates:
        k = name_key(c)
        if k and k != own and k in known and len(k) >= 2:
            return known[k]
    return None


def _variant_relations(entities: dict[str, Entity], first_mention: dict[str, tuple[int, int, int, int, int]],
                       store, lexicon: Lexicon | None = None) -> list[Relation]:
    """``variantOf`` for every Method/Model entity whose name extends another entity's name,
    or that the lexicon lists as a variant of another entity in the graph; the evidence is
    the sentence of the entity's first mention in paper id order (``first_mention``: the
    paper's rank by id, the mention's place, the paper's position in ``store``, the sentence's
    offsets)."""
    systems = {name_key(e.name): e.name for e in entities.values() if e.type in SYSTEM_TYPES}
    out = []
    for e in entities.values():
        if e.type not in SYSTEM_TYPES:
            continue
        entry = lexicon.lookup_as_written(e.name) if lexicon is not None else None
        family = systems.get(name_key(entry.variant_of)) if entry is not None and entry.variant_of else None
        family = family or variant_of(e.name, systems)
        if family is None or family == e.name or e.name not in first_mention:
            continue
        _, _, i, start, end = first_mention[e.name]
        paper = store[i].paper
        sentence = paper.text[start:end].strip()
        out.append(Relation(e.name, "variantOf", family,
                            Evidence(paper.id, sentence, start, end, 0.8, "linking.variant")))
    return out
