"""The lexicon of known entities and the spaCy component that matches it.

Entries live in ``ontology/lexicon/*.jsonl``: one ``{"name", "type", "aliases",
"variant_of"?, "case_sensitive"?}`` object a line (see ``ontology/lexicon/README.md``).
``stopnames.txt`` beside them lists generic names that are never entities.
"""
from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..model import ENTITY_TYPES
from ..names import clean_surface, name_key
from ..resources import ontology_path
from .doctext import doc_text

CANDIDATES = "kg_candidates"  # Doc.spans key where components put typed candidate spans


@dataclass(frozen=True)
class LexiconEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    variant_of: str | None = None
    case_sensitive: bool = False
    source: str = ""


@dataclass
class Lexicon:
    """Entries by name key, plus the stop list.

    >>> lex = Lexicon.from_entries([LexiconEntry("DPO", "Method", ("Direct Preference Optimization",))])
    >>> lex.lookup("direct preference optimization").name
    'DPO'
    """

    entries: dict[str, LexiconEntry] = field(default_factory=dict)
    stopnames: frozenset[str] = frozenset()
    stop_phrases: tuple[str, ...] = ()
    #: forms matched only in their own case (:func:`needs_exact_case`), as written: two entries
    #: may share a name key and differ in case (the metric FID, Fusion-in-Decoder's FiD)
    cased: dict[str, LexiconEntry] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[LexiconEntry], stopnames: Iterable[str] = ()) -> "Lexicon":
        stopnames = tuple(stopnames)
        lex = cls(stopnames=frozenset(name_key(s) for s in stopnames), stop_phrases=stopnames)
        entries = list(entries)
        for e in entries:
            lex.add(e)
        for e in entries:
            lex.add(e, bare_names=True)
        return lex

    def add(self, entry: LexiconEntry, bare_names: bool = False) -> None:
        """Add an entry; an earlier entry keeps the names it already has (core files load first).

        With ``bare_names``, an alias that carries its kind ("helpful-harmless dataset") registers
        the bare name instead, since the typology's span is the shortest name that stands alone;
        :meth:`from_entries` adds those after every entry's own names, so that no entry loses its
        name to another's bare alias (the metric ADE to "ADE dataset").

        >>> lex = Lexicon.from_entries([LexiconEntry("ADE corpus", "Dataset", ("ADE dataset",)),
        ...                             LexiconEntry("ADE", "Metric", case_sensitive=True)])
        >>> lex.lookup("ADE").type, lex.lookup("ADE corpus").type
        ('Metric', 'Dataset')
        """
        if bare_names:
            surfaces = [a.rsplit(" ", 1)[0] for a in entry.aliases
                        if re.search(r"\s(dataset|datasets|benchmark|benchmarks|corpus)$", a) and a.count(" ") >= 1]
        else:
            surfaces = [entry.name, *entry.aliases]
        for surface in surfaces:
            key = name_key(surface)
            if key and key not in self.stopnames:
                self.entries.setdefault(key, entry)
                if needs_exact_case(entry, surface):
                    self.cased.setdefault(surface, entry)

    def lookup(self, surface: str) -> LexiconEntry | None:
        return self.entries.get(name_key(surface))

    def lookup_as_written(self, surface: str) -> LexiconEntry | None:
        """The entry a surface names in its own case: a form the lexicon matches only in its
        case (:func:`needs_exact_case`) names nothing in another ("MIMO" is not the model MiMo).

        >>> lex = Lexicon.from_entries([LexiconEntry("MiMo", "Model", case_sensitive=True)])
        >>> lex.lookup("MIMO").name, lex.lookup_as_written("MIMO"), lex.lookup_as_written("MiMo").name
        ('MiMo', None, 'MiMo')
        >>> lex = Lexicon.from_entries([LexiconEntry("Fusion-in-Decoder", "Method", ("FiD",)), LexiconEntry("FID", "Metric")])
        >>> lex.lookup("FID").name, lex.lookup_as_written("FID").name
        ('Fusion-in-Decoder', 'FID')
        """
        if surface in self.cased:
            return self.cased[surface]
        entry = self.lookup(surface)
        if entry is None:
            return None
        key = name_key(surface)
        forms = [f for f in (entry.name, *entry.aliases) if name_key(f) == key]
        if forms and all(needs_exact_case(entry, f) for f in forms) and \
                not any(surface in surface_variants(f, entry.type) for f in forms):
            return None
        return entry

    def is_stopname(self, surface: str, compounds: bool = True) -> bool:
        """A stop name, or (unless ``compounds`` is false) a compound of stop names that the
        lexicon does not list ("English-German", "text/image").

        >>> Lexicon.from_entries([], ["english", "german"]).is_stopname("English-German")
        True
        >>> Lexicon.from_entries([], ["english", "german"]).is_stopname("English-German", compounds=False)
        False
        """
        if name_key(surface) in self.stopnames:
            return True
        if not compounds or ("-" not in surface and "/" not in surface) or self.lookup(surface) is not None:
            return False  # "encoder-decoder" is a name of its own
        parts = [p for p in re.split(r"[-/\u2013]", surface) if p.strip()]
        return len(parts) > 1 and all(name_key(p) in self.stopnames for p in parts)

    def __len__(self) -> int:
        return len(self.entries)

    def unique_entries(self) -> list[LexiconEntry]:
        seen: dict[int, LexiconEntry] = {}
        for e in self.entries.values():
            seen.setdefault(id(e), e)
        return list(seen.values())


def read_entries(path: Path) -> Iterable[LexiconEntry]:
    """Parse one lexicon file; a malformed line is an error naming the file and line."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                etype = d["type"]
                if etype not in ENTITY_TYPES:
                    raise ValueError(f"type {etype!r} is not one of {', '.join(ENTITY_TYPES)}")
                yield LexiconEntry(
                    name=clean_surface(d["name"]), type=etype,
                    aliases=tuple(clean_surface(a) for a in d.get("aliases") or () if a),
                    variant_of=d.get("variant_of"), case_sensitive=bool(d.get("case_sensitive")),
                    source=path.name)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: bad lexicon entry: {exc}") from None


def lexicon_files(directory: Path | None = None) -> list[Path]:
    """The lexicon files, the project's own ``core.jsonl`` first so its types win."""
    directory = directory or ontology_path("lexicon")
    files = sorted(directory.glob("*.jsonl"))
    return sorted(files, key=lambda p: (p.name != "core.jsonl", p.name))


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Load every lexicon file of a folder (default: the shipped ``ontology/lexicon``)."""
    d = Path(directory) if directory else ontology_path("lexicon")
    stop = d / "stopnames.txt"
    stopnames = [ln.strip() for ln in stop.read_text("utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")] if stop.exists() else []
    entries = (e for p in lexicon_files(d) for e in read_entries(p))
    return Lexicon.from_entries(entries, stopnames)


@lru_cache(maxsize=4)
def load_terms(directory: str | None = None) -> dict[str, tuple[str, ...]]:
    """``terms.tsv`` of a lexicon folder: name key -> the public lists that name the phrase, as
    ``source:type`` tags (evidence for the mention classifier, not entries: see the lexicon README).

    >>> load_terms()[name_key("trajectory tracking")]
    ('cso:topic',)
    """
    d = Path(directory) if directory else ontology_path("lexicon")
    path = d / "terms.tsv"
    terms: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return terms
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            phrase, sep, tags = line.rstrip("\n").partition("\t")
            if not sep:
                raise ValueError(f"{path}:{n}: expected 'phrase<TAB>tags'")
            key = name_key(phrase)
            if key:
                terms[key] = tuple(sorted(set(terms.get(key, ())) | set(tags.split(","))))
    return terms


_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,5}s?$")

#: nouns that follow a name without being part of it ("DPO algorithm", "Atari 2600 games")
GENERIC_HEADS = frozenset("""method methods model models algorithm algorithms architecture architectures mechanism
mechanisms objective objectives game games dataset datasets benchmark benchmarks framework frameworks approach
approaches technique techniques task tasks loss losses network networks policy policies""".split())


def needs_exact_case(entry: LexiconEntry, surface: str) -> bool:
    """Whether a surface form matches only in its own case (rule 3 of ``ontology/lexicon/README.md``).

    Forms of at most four letters and digits ("SAC", "RL", "IoU", "T5"), forms with a word that
    opens in lower case before a capital ("3D mAP", "xLSTM") and, in an entry
    marked ``case_sensitive``, every form with a capital ("CLIP" but not "clip").

    >>> needs_exact_case(LexiconEntry("SAC", "Method"), "SAC")
    True
    >>> needs_exact_case(LexiconEntry("3D AP", "Metric"), "3D mAP")
    True
    >>> e = LexiconEntry("CLIP", "Model", ("contrastive language-image pre-training",), case_sensitive=True)
    >>> needs_exact_case(e, "CLIP"), needs_exact_case(e, "contrastive language-image pre-training")
    (True, False)
    """
    if len(re.sub(r"[\W_]", "", surface)) <= 4 or re.search(r"(?:^|[\s-])[a-z]+[A-Z]", surface):
        return True  # short, or a word that opens in lower case before a capital ("3D mAP", not "3D map")
    return entry.case_sensitive and surface != surface.lower()


def surface_variants(surface: str, entry_type: str) -> set[str]:
    """Spellings the field uses for one name: hyphen/space/joined forms and plurals.

    >>> sorted(surface_variants("Llama 2", "Model"))
    ['Llama 2', 'Llama-2', 'Llama2']
    >>> sorted(surface_variants("diffusion policy", "Method"))
    ['diffusion policies', 'diffusion policy', 'diffusion-policies', 'diffusion-policy']
    >>> sorted(surface_variants("recommendation", "Task"))
    ['recommendation']
    >>> sorted(surface_variants("Decision Transformer", "Method"))
    ['Decision Transformer', 'Decision Transformers', 'Decision-Transformer', 'Decision-Transformers']
    >>> sorted(surface_variants("Llama 2 13B Chat", "Model"))[:4]
    ['Llama 2 13B Chat', 'Llama 2 13B-Chat', 'Llama 2-13B Chat', 'Llama 2-13B-Chat']
    """
    out = {surface}
    if " " in surface or "-" in surface:
        parts = re.split(r"[ -]", surface)
        if len(parts) == 2 and parts[1][:1].isdigit():  # "Llama 2" -> "Llama2"
            out.add(parts[0] + parts[1])
        out.add(surface.replace("-", " "))
        out.add(surface.replace(" ", "-"))
        if len(parts) <= 4 and re.search(r"\d", surface):  # versions mix them: "Llama 2 13B-Chat"
            for seps in itertools.product(" -", repeat=len(parts) - 1):
                out.add(parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:])))
    elif re.match(r"^[A-Za-z]+\d+$", surface) and not surface.isupper():
        out.add(re.sub(r"(\d+)$", r" \1", surface))
        out.add(re.sub(r"(\d+)$", r"-\1", surface))
    if entry_type in ("Method", "Task", "Metric") and surface[-1:].islower() and \
            (surface.islower() or " " in surface) and not (entry_type == "Task" and surface.isalpha()):
        # a one-word task's plural names its products, not the task: "translations",
        # "recommendations" (advice), "detections"
        out |= {plural(v) for v in list(out)}
    elif entry_type == "Method" and _ACRONYM.match(surface) and not surface.endswith("s"):
        out.add(surface + "s")  # "GANs", "GNNs"
    year = _CAMPAIGN_YEAR.match(surface)
    if year:  # "WMT14", "WMT'14" and "WMT’14" are one campaign's year
        out |= {f"{year[1]}{mark}{year[2]}{surface[year.end():]}" for mark in ("", "'", "\u2019")}
    # typeset text writes the apostrophe as U+2019 ("Cohen’s kappa")
    out |= {v.replace("'", "\u2019") for v in out if "'" in v}
    return out


#: a campaign's name and the two digits of its year ("WMT14", "IWSLT'14")
_CAMPAIGN_YEAR = re.compile(r"^([A-Z]{2,})['\u2019]?(\d{2})(?=$|[\s-])")


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


class LexiconMatcher:
    """Finds lexicon names in a Doc: case-insensitively, except for short acronyms."""

    def __init__(self, nlp: Language, lexicon: Lexicon, stop_phrases: Iterable[str] = ()):
        self.lexicon = lexicon
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.stops = PhraseMatcher(nlp.vocab, attr="LOWER")
        multiword = sorted({p for p in stop_phrases if " " in p.strip()})
        if multiword:
            self.stops.add("STOP", list(nlp.tokenizer.pipe(multiword)))
        exact: dict[str, list[str]] = {}
        folded: dict[str, list[str]] = {}
        #: match id -> entry: a folded form by its name key, an exact one by its entry, since
        #: entries that share a key in different case ("FID", "FiD") are both matched
        self.entry_of: dict[str, LexiconEntry] = {}
        for key, entry in lexicon.entries.items():
            for surface in (entry.name, *entry.aliases):
                if name_key(surface) == key and not needs_exact_case(entry, surface):
                    folded.setdefault(key, []).extend(surface_variants(surface, entry.type))
                    self.entry_of[key] = entry
        for surface, entry in lexicon.cased.items():
            match_id = f"={entry.type}:{entry.name}"
            exact.setdefault(match_id, []).extend(surface_variants(surface, entry.type))
            self.entry_of[match_id] = entry
        for table, matcher in ((exact, self.exact), (folded, self.folded)):
            for key, surfaces in table.items():
                matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(surfaces)))))

    def __call__(self, doc: Doc) -> list[Span]:
        # a stop phrase ("Hugging Face Transformers") hides every name inside it or across its
        # edge, but not a longer name that holds it ("point cloud completion")
        stops = [(start, end) for _, start, end in self.stops(doc)]
        venues = [m.span(1) for m in _VENUE.finditer(doc_text(doc))]
        spans = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                entry = self.entry_of.get(doc.vocab.strings[match_id])
                if entry is None or _glued(doc, start, end) or any(
                        a < end and start < b and not (start <= a and b <= end and (start, end) != (a, b))
                        for a, b in stops):
                    continue
                if venues and any(a <= doc[start].idx and doc[end - 1].idx < b for a, b in venues):
                    continue  # "the Fourth Conference on Machine Translation": a venue's name, not the task
                if entry.type == "Metric" and start and _NOT_A_MEASURE_BEFORE.fullmatch(doc[start - 1].text):
                    continue  # "at runtime", "at training time", "FP32 precision": a time or a number format
                if matcher is self.folded and _camel_name_in_lower_case(entry, doc[start:end].text):
                    continue  # "prima facie" is no PRImA, "glove" no GloVe
                end = self._shortest_name(doc, start, end, entry)
                spans.append(Span(doc, start, end, label=entry.type, kb_id=entry.name, span_id="lexicon"))
        return spans

    def _shortest_name(self, doc: Doc, start: int, end: int, entry: LexiconEntry) -> int:
        """Drop a generic head noun that an alias carries ("policy gradient methods" -> "policy
        gradient"): the typology's span is the shortest name that stands alone."""
        if end - start >= 2 and doc[end - 1].lower_ in GENERIC_HEADS:
            if self.lexicon.lookup_as_written(doc[start:end - 1].text) is entry:
                return end - 1
        return end


#: the capitalised name of a venue ("Conference on Machine Translation", "Workshop on Noisy
#: User-generated Text"): the names inside it are the venue's, not mentions (README rule 5)
_VENUE = re.compile(r"\b(?:Conference|Workshop|Symposium|Meeting)s?\s+on\s+(?:the\s+)?"
                    r"((?:[A-Z][\w'-]*)(?:\s+(?:[A-Z][\w'-]*|and|of|for|in|&)(?=\s+[A-Z])|\s+[A-Z][\w'-]*)*)")


#: a word before a measure's name that gives the name another sense: a moment of a run ("at
#: runtime", "at training time") or a number format ("FP32 precision", "numerical precision")
_NOT_A_MEASURE_BEFORE = re.compile(r"at|numerical|floating-point|half|single|double|(?:FP|INT|BF|fp|int|bf)\d+", re.I)


def _camel_name_in_lower_case(entry: LexiconEntry, text: str) -> bool:
    """Whether ``text``, all in lower case, spells a name the field writes with capitals inside
    a word ("PRImA", "GloVe") and never in lower case: the text then means an ordinary word.

    >>> e = LexiconEntry("PRImA", "Dataset")
    >>> _camel_name_in_lower_case(e, "prima"), _camel_name_in_lower_case(e, "PRIMA")
    (True, False)
    >>> _camel_name_in_lower_case(LexiconEntry("word2vec", "Method"), "word2vec")
    False
    """
    return text.islower() and _CAMEL.search(entry.name) is not None and not any(
        a.islower() for a in entry.aliases)


#: a capital inside a word after a lower-case letter, or a lower-case letter between capitals
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z][a-z]+[A-Z]")


def _glued(doc: Doc, start: int, end: int) -> bool:
    """A match that is only part of a hyphenated word (rule 4 of ``ontology/lexicon/README.md``).

    "GPS" in "V-GPS" and "precision" in "high-precision" are parts of other words;
    "Transformer" in "Transformer-based" is a name that a modifier follows.
    """
    text = doc_text(doc)
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    left_glued = a >= 2 and text[a - 1] == "-" and text[a - 2].isalnum()
    right_glued = b + 1 < len(text) and text[b] == "-" and text[b + 1].isalnum()
    if left_glued:
        return True
    if right_glued and text[b + 1].isupper():
        return True
    one_lower_word = end - start == 1 and doc[start].text.islower()
    return one_lower_word and right_glued and not re.match(r"-(based|style|like|driven|free|aware)\b", text[b:b + 12])


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None},
                  assigns=["doc.spans"])
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> "LexiconComponent":
    return LexiconComponent(nlp, load_lexicon(lexicon_dir))


class LexiconComponent:
    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.matcher = LexiconMatcher(nlp, lexicon, lexicon.stop_phrases)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(CANDIDATES, [])
        for span in self.matcher(doc):
            group.append(span)
        return doc
