"""Abbreviation definitions: "Direct Preference Optimization (DPO)" <-> "DPO".

The algorithm is Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing, extended for the ways ML
abstracts write definitions:

* both directions: ``long form (SF)`` and ``SF (long form)``;
* short forms with digits, hyphens and lower case (``GPT-4o``, ``BESO``, ``DiT``, ``V-GPS``);
* a short form glued to a following word, as in ``On-Policy Alignment (OPA)-DPO``.

:func:`find_long_form` is the pure matching function; :func:`find_definitions` scans text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,60})\)")
_WORD = re.compile(r"[\w][\w'’.-]*", re.UNICODE)
#: words that end a long-form search to the left: a definition never spans these
_STOP_LEFT = {"we", "our", "the", "a", "an", "this", "that", "which", "is", "are", "of", "and", "or", "to"}


@dataclass(frozen=True)
class Definition:
    """One abbreviation definition found in a text, with character offsets."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def is_short_form(candidate: str) -> bool:
    """Whether a parenthesised string can be an abbreviation.

    >>> is_short_form("DPO"), is_short_form("GPT-4o"), is_short_form("e.g. this"), is_short_form("2019")
    (True, True, False, False)
    """
    c = candidate.strip()
    if not 2 <= len(c) <= 12 or " " in c:
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


def find_long_form(short: str, words_before: str) -> str | None:
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
        if words[i].lower() in _STOP_LEFT:
            break
        candidate = " ".join(words[i:]).strip(" ,;:-")
        if len(candidate) <= len(short) or candidate.lower() == short.lower():
            continue
        score = _alignment_score(sf, candidate)
        if score is None:
            continue
        # prefer spelling score; on ties prefer fewer words (the shortest long form)
        key = (score, -(len(words) - i))
        if best is None or key > best[:2]:
            best = (key[0], key[1], candidate)
    return best[2] if best else None


def find_definitions(text: str) -> list[Definition]:
    """All ``long form (SF)`` and ``SF (long form)`` definitions in ``text``.

    >>> [(d.long, d.short) for d in find_definitions(
    ...     "We study Direct Preference Optimization (DPO) and reinforcement learning (RL).")]
    [('Direct Preference Optimization', 'DPO'), ('reinforcement learning', 'RL')]
    >>> d = find_definitions("we propose On-Policy Alignment (OPA)-DPO framework")[0]
    >>> d.long, d.short
    ('On-Policy Alignment', 'OPA')
    """
    out: list[Definition] = []
    for m in _PAREN.finditer(text):
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
            long = find_long_form(first, before)
            if long:
                long_end = before_start + len(before.rstrip())
                long_start = long_end - len(long)
                if text[long_start:long_end] != long:
                    idx = text.rfind(long, before_start, m.start())
                    if idx < 0:
                        continue
                    long_start, long_end = idx, idx + len(long)
                s = m.start(1) + inner.index(first)
                out.append(Definition(first, long, s, s + len(first), long_start, long_end))
                continue
        # reverse form: "SF (long form)"
        words = before.rstrip().split()
        if words and is_short_form(words[-1].strip(",;:")) and " " in first:
            short = words[-1].strip(",;:")
            if find_long_form(short, first) == first:
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
from .names import whole_word  # noqa: E402

if not Doc.has_extension("kg_abbreviations"):
    Doc.set_extension("kg_abbreviations", default=None)

#: words that make a long form a description ("large vision-language models"), not a name
DESCRIPTORS = frozenset("""large small language languages vision visual vision-language vision-language-action
action multimodal multi-modal foundation pretrained pre-trained generative neural deep model models agent agents
system systems artificial intelligence machine general-purpose open-source based""".split())

_HEAD_TYPES = {
    **dict.fromkeys("benchmark benchmarks suite challenge environment environments arena leaderboard".split(), "Benchmark"),
    **dict.fromkeys("dataset datasets corpus corpora".split(), "Dataset"),
    **dict.fromkeys("rate rates score scores error accuracy distance divergence precision recall ratio".split(), "Metric"),
    **dict.fromkeys("""learning recognition detection segmentation translation summarization answering generation
        classification prediction parsing tagging navigation manipulation driving retrieval captioning reasoning planning
        understanding synthesis tracking localization""".split(), "Task"),
}


#: words that make "... learning" the name of a learning problem rather than of a method
LEARNING_PARADIGMS = frozenset("""imitation reinforcement supervised unsupervised semi self contrastive representation
transfer multi task meta federated continual lifelong incremental few shot zero one active online offline curriculum
deep machine metric manifold multitask multiview view instance ensemble adversarial robot policy""".split())


def long_form_type(long: str, short: str) -> str:
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
    words = long.lower().replace("-", " ").split()
    head = words[-1]
    etype = _HEAD_TYPES.get(head, "Method")
    if etype == "Task" and any(c.islower() for c in short.rstrip("s")):
        return "Method"
    if head == "learning" and (len(words) < 2 or words[-2] not in LEARNING_PARADIGMS):
        return "Method"  # "Progressive Residual Learning" names a method; "Imitation Learning" a field
    return etype


def is_description(long: str, lexicon: Lexicon) -> bool:
    """Whether a long form describes a kind of system rather than naming one."""
    if lexicon.is_stopname(long):
        return True
    ws = [w.lower() for w in re.split(r"[\s]+", long)]
    if all(w in DESCRIPTORS or lexicon.is_stopname(w) for w in ws):
        return True
    # a short lower-case phrase the lexicon does not know, whose head names no task, metric or
    # data ("knowledge base (KB)", "named entities (NEs)"), is a common noun, not a name
    heads = long.lower().replace("-", " ").split()
    return (long.islower() and len(heads) <= 2 and lexicon.lookup(long) is None
            and heads[-1] not in _HEAD_TYPES and heads[-1].rstrip("s") not in _HEAD_TYPES)


class AbbreviationDetector:
    """Finds definitions, types them, and marks every use of the short form in the paper."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(CANDIDATES, [])
        found: dict[str, tuple[str, str, str]] = {}
        for d in find_definitions(doc_text(doc)):
            entry = self.lexicon.lookup(d.long)
            if entry is None and is_description(d.long, self.lexicon):
                found[d.short] = (d.long, "", "")  # known non-entity: suppress other rules
                continue
            if entry is None and self.lexicon.is_stopname(d.short):
                continue
            if entry is not None:
                canonical, etype = entry.name, entry.type
            else:
                etype = long_form_type(d.long, d.short)
                short_entry = self.lexicon.lookup(d.short)
                if short_entry is not None and name_key(d.long) in _keys_of(short_entry):
                    canonical, etype = short_entry.name, short_entry.type
                elif etype in ("Task", "Metric"):
                    canonical = d.long.lower() if not d.long.isupper() else d.long
                else:
                    canonical = d.short.rstrip("s") if d.short.endswith("s") and d.short[-2:-1].isupper() else d.short
            glued = re.match(r"\)-([A-Za-z][\w.-]*[\w])", doc_text(doc)[d.short_end:d.short_end + 40])
            if glued:  # "On-Policy Alignment (OPA)-DPO": the name is OPA-DPO, a variant of DPO
                name = f"{d.short}-{glued.group(1)}"
                family = self.lexicon.lookup(glued.group(1))
                span = doc.char_span(d.long_start, d.short_end + glued.end(), alignment_mode="strict")
                if span is not None:
                    span.label_ = family.type if family and family.type in ("Method", "Model") else "Method"
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


def _keys_of(entry) -> set[str]:
    return {name_key(s) for s in (entry.name, *entry.aliases)}


def _occurrences(doc: Doc, short: str) -> list[Span]:
    """Every exact-case use of a short form (and its plural) as a whole word."""
    out = []
    for m in whole_word(short, plural=True).finditer(doc_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="strict")
        if span is not None:
            out.append(span)
    return out


@Language.factory("kg_abbreviations", default_config={"lexicon_dir": None},
                  assigns=["doc.spans", "doc._.kg_abbreviations"])
def make_abbreviation_detector(nlp: Language, name: str, lexicon_dir: str | None) -> AbbreviationDetector:
    return AbbreviationDetector(load_lexicon(lexicon_dir))
