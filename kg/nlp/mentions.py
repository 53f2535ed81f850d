"""Choose the final mentions from the candidates of the lexicon, abbreviation and name rules.

Candidates overlap ("Llama 2" from the lexicon inside "Llama2-7B" from the name rules). The
resolver keeps the longest candidate, breaking ties by how reliable its component is, drops
stop names and abbreviations defined as descriptions, and gives the mentions of one name in
one paper one canonical name.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..names import clean_surface, name_key, plain_name, url_spans
from .context_types import context_types, evaluated_learning, guessed_spans
from .doctext import doc_text, span_text
from .lexicon import CANDIDATES, Lexicon, load_lexicon
from .names import NameRules, initials, load_name_rules
from .rules import AUTHORS_NAMES, confidence
from .spans import SCORED

MENTIONS = "kg_mentions"

#: how much each component's typing is trusted (used for overlaps and for type votes)
COMPONENT_WEIGHT = {
    "abbreviation": 3.0, "abbreviation.glued": 3.0, "lexicon": 2.5, "names.title": 2.0, "names.cue": 1.5,
    "names.named": 1.5, "names.team": 1.5, "names.kind": 1.5, "names.metric": 1.5, "names.listed_task": 1.0, "model": 1.0,
    "names.family": 1.2, "names.size": 1.2, "names.version": 1.2, "names.after_number": 1.0, "names.introduced": 1.5,
    # above the lexicon: where the authors introduce a name as their own, the list's sense of it
    # is another thing's
    "names.introduced_own": 2.6,
    "names.shape": 0.6, "linking.corpus_name": 0.8, "ner": 0.4,
}

#: NER label -> entity type (the NER is coarse; a rule or the lexicon types a name it knows)
NER_TYPE = {"Method": "Method", "Dataset": "Dataset", "Task": "Task", "Metric": "Metric"}
#: words a statistical span may begin with that are not part of the name ("the CNN model")
_LEADING = frozenset("a an the our their its this these those such each both any".split())
_MAX_NER_TOKENS = 8


def _in_address(span: Span, urls: list[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps one of the web addresses ``urls`` (character spans)."""
    return any(a < span.end_char and span.start_char < b for a, b in urls)


def _long_form_spans(text: str, long_forms: list[str]) -> list[tuple[int, int]]:
    """Where each of ``long_forms`` is written in ``text`` (character spans).

    >>> _long_form_spans("The Institute for Quilt Studies (IQS) and IQS.", ["Institute for Quilt Studies"])
    [(4, 31)]
    """
    return [(m.start(), m.end()) for long in long_forms for m in re.finditer(re.escape(long), text)]


def component_weight(component: str) -> float:
    return COMPONENT_WEIGHT.get(component, 0.5)


#: a number reported for the measure right before: "precision of 0.76", "precision (91.2%)", "runtime to
#: 12 ms", "the throughput per token by $1.36\times$"
_NUMBER_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:of|to|by|at|below|under|[:=(]|is|was|reaches|reached)?\s*"
                           r"(?:about\s+|up to\s+)?[$~]?[\d.]*\d")
#: ... or before it, with its unit: "~0.3 s latency", "91.2% precision"
_NUMBER_BEFORE = re.compile(r"\d(?:\s*(?:%|[a-zA-Zµ]{1,3}))?\s+$|\d%$")
#: a release written after its name: "CroCo v2", "NAVSIM v1.2"
_VERSION = re.compile(r"[vV]\d+(?:\.\d+)*|[1-9]\.\d(?:\.\d+)?")  # "CroCo v2", "WAT-SL 2.0"; not a score ("MMLU 71.2")
#: a model's size written after its name: "OpenCoder 8B", "Qwen2.5-VL 3B"
_SIZE = re.compile(r"\d+(?:\.\d+)?[BM]")
#: what a number of billions counts when it is not a model's size ("trained on 8B tokens")
_COUNTED = frozenset("tokens parameters params images words samples examples hours steps pairs frames "
                     "videos documents sentences trajectories clips".split())


def versioned_names(doc: Doc, candidates: list[Span]) -> list[Span]:
    """Each name followed by its release or size as a word of its own, as one longer candidate
    (``resolve`` prefers it): "VideoMAE V2" keeps the name's type, a size makes a Model
    ("OpenCoder 8B", as "Llama2-7B"; the typology's model at a fixed configuration). Only a
    name the lexicon or the name rules typed as a model, dataset or benchmark, or could only
    guess (its shape), takes a size; none takes a count ("8B tokens").

    >>> import spacy
    >>> doc = spacy.blank("en")("We compare OpenCoder 8B with CroCo v2 and MoE 30B.")
    >>> spans = [Span(doc, 2, 3, "Method", span_id="names.shape"), Span(doc, 5, 6, "Model", span_id="names.shape"),
    ...          Span(doc, 8, 9, "Method", span_id="lexicon")]
    >>> [(s.text, s.label_) for s in versioned_names(doc, spans)]
    [('OpenCoder 8B', 'Model'), ('CroCo v2', 'Model')]

    A model's tier is a release too ("Nano Banana Pro", "GPT-4 Turbo").
    """
    out = []
    for s in candidates:
        if s.end >= len(doc) or not doc[s.end - 1].whitespace_ or s.label_ not in _RELEASED:
            continue
        nxt = doc[s.end].text
        after = doc[s.end + 1] if s.end + 1 < len(doc) else None
        if after is not None and not doc[s.end].whitespace_ and after.text not in ",.;:)":
            continue  # the word goes on ("v2-style")
        if _VERSION.fullmatch(nxt):
            label = s.label_
        elif _TIER.fullmatch(nxt) and s.label_ == "Model":
            label = "Model"  # "Nano Banana Pro", "Gemini 3 Pro Image", "GPT-4 Turbo": a release of the model
        elif (_SIZE.fullmatch(nxt) and (s.label_ == "Model" or s.id_ == "names.shape")
              and not (after is not None and after.lower_ in _COUNTED)):
            label = "Model"
        else:
            continue
        text = doc[s.start:s.end + 1].text
        out.append(Span(doc, s.start, s.end + 1, label=label, kb_id=text, span_id="names.version"))
    return out


#: the tiers a model is released in, as a word of their own
_TIER = re.compile(r"Pro|Max|Mini|mini|Flash|Lite|Plus|Turbo|Ultra|Image")
#: the types of things that have releases and sizes
_RELEASED = frozenset(("Model", "Method", "Dataset", "Benchmark"))


def resolve(candidates: list[Span]) -> list[Span]:
    """Non-overlapping spans: longest first, then the most reliable component.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We use Llama2-7B here")
    >>> a = Span(doc, 2, 3, label="Model", span_id="lexicon")
    >>> b = Span(doc, 2, 5, label="Model", span_id="names.size")
    >>> [s.text for s in resolve([a, b])]
    ['Llama2-7B']
    """
    ordered = sorted(candidates, key=lambda s: (-(s.end_char - s.start_char), -component_weight(s.id_), s.start))
    return _first_come(ordered)


def _first_come(ordered: list[Span]) -> list[Span]:
    """The spans of ``ordered`` that overlap none before them, in text order."""
    taken: set[int] = set()
    out = []
    for span in ordered:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        out.append(span)
    return sorted(out, key=lambda s: s.start)


def _widens(learned: Span, rule_mention: Span) -> bool:
    """Whether the classifier's ``learned`` span takes the place of ``rule_mention``: a lexicon
    term written in lower case, strictly inside it ("pruning" in "token pruning")."""
    return (learned.start <= rule_mention.start and rule_mention.end <= learned.end
            and (rule_mention.start, rule_mention.end) != (learned.start, learned.end)
            and rule_mention.id_ == "lexicon" and span_text(rule_mention).islower())


#: a short run of capitals ("SEC", "IMO", "OOIs")
_BARE_ACRONYM = re.compile(r"[A-Z]{2,4}s?")


def _without_bare_acronyms(chosen: list[Span], typed: dict[str, str]) -> list[Span]:
    """``chosen`` without the short acronyms that only their shape made names: two to four
    capitals the paper does not define, the lexicon does not know and no words around them
    type. Measured on unseen abstracts these are mostly a field's abbreviations (SEC, IMO, UV,
    LULC), not named methods; a name the paper defines is the abbreviation rule's."""
    shape_only: dict[str, bool] = {}
    for s in chosen:
        shape_only[s.kb_id_] = shape_only.get(s.kb_id_, True) and s.id_ == "names.shape"
    return [s for s in chosen if not (shape_only[s.kb_id_] and s.kb_id_ not in typed
                                      and _BARE_ACRONYM.fullmatch(s.kb_id_))]


class MentionResolver:
    def __init__(self, lexicon: Lexicon, rules: NameRules | None = None):
        self.lexicon = lexicon
        self.rules = rules or load_name_rules()

    def __call__(self, doc: Doc) -> Doc:
        abbreviations = doc._.kg_abbreviations or {}
        non_entities = {name_key(s) for s, (_, canonical, _) in abbreviations.items() if not canonical}
        non_entities |= {name_key(long) for _s, (long, canonical, _) in abbreviations.items() if not canonical}
        # no mention in a web address, nor inside the long form of a definition that names nothing
        # of the typology ("the Institute for Computational Linguistics (ILC)"): the names inside
        # a long form are not tagged there (typology)
        urls = url_spans(doc_text(doc))
        outside = _long_form_spans(
            doc_text(doc), [long for long, canonical, _ in abbreviations.values() if not canonical and " " in long])
        candidates = [s for s in doc.spans.get(CANDIDATES, []) if self._admissible(s, non_entities, urls, outside)]
        chosen = resolve(candidates + versioned_names(doc, candidates))
        learned = self.learned_mentions(doc, chosen, non_entities, urls, outside)
        chosen += [s for s, _p in learned]
        chosen = sorted(chosen + self.statistical_mentions(doc, chosen), key=lambda s: s.start)
        # one canonical per name within a paper: a name rule's surface defers to an
        # abbreviation or lexicon canonical for the same key
        by_key: dict[str, str] = {}
        for s in chosen:  # names the lexicon or a definition gives come first
            if s.id_ in ("lexicon", "abbreviation", "abbreviation.glued"):
                for key in (name_key(span_text(s)), name_key(s.kb_id_)):
                    by_key.setdefault(key, s.kb_id_)
        # otherwise the paper's most frequent spelling ("DiffusionVLA" over the title's "Diffusion-VLA")
        spellings = Counter(s.kb_id_ for s in chosen)
        for s in sorted(chosen, key=lambda s: (-spellings[s.kb_id_], s.start)):
            by_key.setdefault(name_key(s.kb_id_), s.kb_id_)
            by_key.setdefault(name_key(span_text(s)), s.kb_id_)
        # the acronym of a title's name is that name: "Auto-GNN: ..." and "... (AGNN)"
        for t in (s for s in chosen if s.id_ == "names.title"):
            for short, (_long, canonical, _type) in abbreviations.items():
                if canonical and name_key(initials(t.kb_id_)) == name_key(short):
                    target = by_key.get(name_key(t.kb_id_), t.kb_id_)
                    by_key[name_key(canonical)] = by_key[name_key(short)] = target
            # ... also undefined: "Gaussian Entropy Fields: ..." and "GEF achieves ..." (names.title
            # takes such a lead for a name because the abstract uses its initials)
            short = initials(t.kb_id_)
            if len(t.kb_id_.split()) > 1 and len(short) > 1 and \
                    any(s.id_ == "names.shape" and span_text(s) == short for s in chosen):
                by_key[name_key(short)] = by_key.get(name_key(t.kb_id_), t.kb_id_)
        for s in chosen:  # canonical names carry no LaTeX (typology): "MemR$^3$" is MemR3
            s.kb_id_ = plain_name(by_key.get(name_key(s.kb_id_), by_key.get(name_key(span_text(s)), s.kb_id_)))
        # by token offsets: a Span's hash changes with its name and label, which change here
        guessed = guessed_spans(doc)
        # each mention's confidence: its rule's measured precision, or the classifier's probability
        scores = {(s.start, s.end): confidence(s.id_) for s in chosen}
        scores.update({(s.start, s.end): p for s, p in learned})
        # a name the rules could only guess the type of takes the one its context says
        said = context_types(doc, chosen, guessed, self.rules.cue_types)
        said.update(evaluated_learning(doc_text(doc), chosen))
        for s in chosen:
            if s.kb_id_ in said:
                s.label_ = said[s.kb_id_]
        chosen = _without_bare_acronyms(chosen, said)
        chosen = [s for s in chosen if not self._unreported_measure(s, chosen)]
        doc.spans[MENTIONS] = chosen
        doc.spans[MENTIONS].attrs["confidence"] = [round(scores.get((s.start, s.end), 0.5), 3) for s in chosen]
        return doc

    def _unreported_measure(self, span: Span, chosen: list[Span]) -> bool:
        """A measure word of general language ("geometric precision", ``reported-only-metrics.txt``)
        where its sentence reports no measure: it names no other metric and no number is next to it."""
        text = span_text(span).lower()
        if span.label_ != "Metric" or text not in self.rules.reported_only_metrics:
            return False
        sent = span.sent
        if any(o.label_ == "Metric" and o.sent == sent and span_text(o).lower() != text for o in chosen):
            return False
        text_of_doc = doc_text(span.doc)
        return not (_NUMBER_AFTER.match(text_of_doc, span.end_char)
                    or _NUMBER_BEFORE.search(text_of_doc, max(0, span.start_char - 16), span.start_char))

    def learned_mentions(self, doc: Doc, chosen: list[Span], non_entities: set[str], urls: list[tuple[int, int]],
                         outside: list[tuple[int, int]] = ()) -> list[tuple[Span, float]]:
        """The mentions the classifier (``kg_spans``, in accurate mode) found where no rule did,
        with its probability, the most probable first where they overlap. The rules decide what
        they proposed; the classifier adds what they could not propose (lower-case tasks, methods
        and metrics that no list names), and overlaps no rule's mention but one: a lower-case
        lexicon term inside its span gives way to it, as "pruning" in "token pruning" (the
        typology's span is the shortest name that stands alone, and the compound is that name).
        ``chosen`` (the rules' mentions) loses what gives way; nothing inside ``urls`` or the long
        forms ``outside`` is added."""
        if SCORED not in doc.spans:
            return []
        scored = doc.spans[SCORED]
        by_rules = {i for s in chosen for i in range(s.start, s.end)}
        added: set[int] = set()
        ranked = sorted(((s, p) for s, p in zip(scored, scored.attrs.get("scores", []))
                         if self._admissible(s, non_entities, urls, outside)),
                        key=lambda sp: (-sp[1], -(sp[0].end - sp[0].start), sp[0].start))
        out = []
        for s, p in ranked:
            tokens = range(s.start, s.end)
            if any(i in added for i in tokens):
                continue
            if any(i in by_rules for i in tokens):
                inside = [c for c in chosen if c.start < s.end and s.start < c.end]
                if not all(_widens(s, c) for c in inside):
                    continue  # a rule's mention that stands
                for c in inside:
                    chosen.remove(c)
            added.update(tokens)
            out.append((s, p))
        return out

    def _admissible(self, span: Span, non_entities: set[str], urls: list[tuple[int, int]],
                    outside: list[tuple[int, int]] = ()) -> bool:
        """Whether a rule's or the classifier's span may be a mention at all: it holds text, is no
        stop name, no abbreviation the paper defines as a description, in no web address and not
        inside the long form of a definition that names nothing (``outside``)."""
        text = span_text(span)
        # a compound of ordinary words is the authors' name where they introduce it ("Audio-VLA")
        own = span.id_ in AUTHORS_NAMES
        return (bool(text.strip()) and not self.lexicon.is_stopname(text, compounds=not own)
                and name_key(text) not in non_entities
                and not _in_address(span, urls)
                and not any(a <= span.start_char and span.end_char <= b for a, b in outside))

    def statistical_mentions(self, doc: Doc, chosen: list[Span]) -> list[Span]:
        """The NER's spans (``doc.ents``, when the pipeline has ``kg_ner``) where no rule found
        anything: the rules are more precise on names, the NER finds descriptive mentions.
        Leading determiners are trimmed; stop names and long spans are dropped."""
        if not doc.ents:
            return []
        taken = {i for s in chosen for i in range(s.start, s.end)}
        out = []
        for ent in doc.ents:
            start, end = ent.start, ent.end
            while start < end and doc[start].lower_ in _LEADING:
                start += 1
            while start < end and doc[end - 1].is_punct:
                end -= 1
            if end <= start or end - start > _MAX_NER_TOKENS or any(i in taken for i in range(start, end)):
                continue
            span = doc[start:end]
            text = clean_surface(span.text)
            if (ent.label_ not in NER_TYPE or self.lexicon.is_stopname(text) or not any(c.isalpha() for c in text)
                    or any(t.is_sent_start for t in span[1:])):
                continue
            out.append(Span(doc, start, end, label=NER_TYPE[ent.label_], kb_id=text, span_id="ner"))
        return out


@Language.factory("kg_mentions", default_config={"lexicon_dir": None, "rules_dir": None},
                  assigns=["doc.spans"])
def make_mention_resolver(nlp: Language, name: str, lexicon_dir: str | None, rules_dir: str | None) -> MentionResolver:
    return MentionResolver(load_lexicon(lexicon_dir), load_name_rules(rules_dir))
