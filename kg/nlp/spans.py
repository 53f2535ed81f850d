"""The learned mention classifier: the spans no rule proposed, scored and typed by a linear model.

Rules find names well where the lexicon knows them or their shape gives them away; they
generalise badly to lower-case tasks and methods ("trajectory tracking", "token compression")
and to typing names they have never seen ("AncientBench" is a Benchmark, "SNRI" a Metric).
This component looks at spans the rules do not propose and lets a model trained on the
annotated abstracts decide, from the words of the span, the words around it and what the rules
said about the words around it, whether the span is a mention and of which type. What the rules
proposed they decide themselves (:mod:`kg.nlp.mentions`): measured by cross-validation, letting
the classifier also accept, reject and type the rules' candidates lost more than it gained
(typed F1 on seed-dev 0.873 against 0.895 when it only adds).

Candidates are the rule candidates (lexicon, abbreviations, name rules) and *term candidates*:
word sequences inside a chunk (a run of words between punctuation and function words) whose
last word is a known head of task, method or metric names ("tracking", "estimation", "rate"),
or that are capitalised or name-shaped. Features are strings (:func:`span_features`; those a
word brings in one role come as a cached tuple); the model is a :class:`kg.nlp.linear.LinearModel`
trained by ``scripts/train_models.py``.

The model is trained on all candidates, the rules' too (their features are what tells a rule's
kind of span from the rest). The component writes every term candidate no rule proposed that the
model takes for a mention to ``doc.spans["kg_scored"]`` (label = type, kb_id = its surface,
span id ``model``), with the probability in the group's ``attrs["scores"]``;
:mod:`kg.nlp.mentions` adds those that overlap no rule's mention but a lower-case lexicon term
inside them ("pruning" in "token pruning").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span

from ..model import ENTITY_TYPES
from ..names import clean_surface, name_key
from .doctext import doc_sentences, doc_text, title_break
from .lexicon import CANDIDATES, Lexicon, load_lexicon, load_terms
from .linear import LinearModel
from .names import is_name_shaped

SCORED = "kg_scored"  # Doc.spans key of the spans the model accepted
LABELS = ("O", *ENTITY_TYPES)
MODELS = Path(__file__).resolve().parent.parent / "models"
CLUSTERS_FILE = MODELS / "word-clusters.tsv.gz"
PHRASES_FILE = MODELS / "phrases.tsv.gz"
MAX_WORDS = 6

#: function words: a term never starts or ends on one, and they cut chunks
FUNCTION_WORDS = frozenset("""
a an the this that these those our their its his her my your we they it he she i you us them one
of in on at by for with without from to into onto over under about via through across between among against
during within upon toward towards per than as like unlike
and or but nor so yet either neither both whether if then while when where which who whom whose what how why
is are was were be been being am has have had having do does did can could may might must shall should will would
not no also only very more most less least such other another each every all any some many much few several
however therefore thus moreover furthermore here there although though because since until unless
e.g. i.e. etc vs versus using based
""".split())
#: suffixes after a hyphen that make the word a modifier: "PPO-based" names PPO
_MODIFIER_SUFFIXES = frozenset("""based style like driven guided aware free conditioned specific level scale
only centric powered enabled oriented inspired assisted accelerated""".split())


@dataclass
class Candidate:
    start: int  # token indices
    end: int
    sources: list[Span] = field(default_factory=list)  # rule candidates with exactly this span


@lru_cache(maxsize=1 << 16)
def word_shape(word: str) -> str:
    """A compressed shape: runs of capitals, lower case and digits become ``X``, ``x``, ``d``.

    >>> word_shape("OpenVLA"), word_shape("Llama2-7B"), word_shape("tracking"), word_shape("3D")
    ('XxX', 'Xxd-dX', 'x', 'dX')
    """
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


@lru_cache(maxsize=1 << 16)
def head_form(word: str) -> str:
    """The singular, lower-case form a head word is looked up by.

    >>> head_form("Policies"), head_form("rates"), head_form("loss"), head_form("analysis")
    ('policy', 'rate', 'loss', 'analysis')
    """
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass
class _DocView:
    """What the features need of a Doc, computed once: token texts, where words and chunks
    start and end, sentences and the title."""

    text: str
    tokens: list[str]
    lower: list[str]
    space_after: list[bool]
    starts: list[int]  # character offsets
    sent_start: list[bool]
    title_end: int  # token index where the abstract starts (0 when there is no title)
    title_colon: int  # token index of the title's colon, or -1
    boundary: list[bool]  # token is punctuation or a function word: chunks stop there
    word_start: list[bool]
    word_end: list[bool]

    def surface(self, start: int, end: int) -> str:
        """The text of tokens ``start:end``."""
        return self.text[self.starts[start]:self.starts[end - 1] + len(self.tokens[end - 1])]


_PUNCT_IN_WORD = {"-", "+", "/", "'", ".", "&"}


def doc_view(doc: Doc) -> _DocView:
    text = doc_text(doc)
    n = len(doc)
    starts = doc.to_array(IDX).tolist() if n else []
    ends = [a + b for a, b in zip(starts, doc.to_array(LENGTH).tolist())] if n else []
    tokens = [text[a:b] for a, b in zip(starts, ends)]
    lower = [t.lower() for t in tokens]
    space_after = [text[b:b + 1] == " " for b in ends]  # spaCy's whitespace_: one trailing space
    sent_start = [False] * n
    if n and doc.has_annotation("SENT_START"):
        for s in doc_sentences(doc):
            if s.start < n:
                sent_start[s.start] = True
    elif n:
        sent_start[0] = True
    pos = title_break(text)
    title_end = bisect_right(starts, pos) if pos >= 0 else 0
    title_colon = next((i for i in range(title_end) if tokens[i] == ":"), -1)
    boundary = [False] * n
    for i, (tok, low) in enumerate(zip(tokens, lower)):
        if low in FUNCTION_WORDS or not tok[:1].isalnum() and (
                tok not in _PUNCT_IN_WORD or i == 0 or space_after[i - 1] or space_after[i]
                or i + 1 == n or not tokens[i + 1][:1].isalnum()):
            boundary[i] = True
    # words: runs of tokens with no space between them; "-based" and the like end a word
    word_start = [False] * n
    word_end = [False] * n
    for i in range(n):
        if boundary[i]:
            continue
        prev_glued = i > 0 and not space_after[i - 1] and not boundary[i - 1]
        if not prev_glued or (i >= 2 and tokens[i - 1] == "-" and lower[i] in _MODIFIER_SUFFIXES):
            word_start[i] = True
        nxt_glued = i + 1 < n and not space_after[i] and not boundary[i + 1]
        if not nxt_glued or (i + 2 < n and tokens[i + 1] == "-" and lower[i + 2] in _MODIFIER_SUFFIXES):
            word_end[i] = True
    return _DocView(text, tokens, lower, space_after, starts, sent_start, title_end, title_colon, boundary,
                    word_start, word_end)


def chunks(view: _DocView) -> list[list[str]]:
    """The chunks of a Doc as lists of lower-case words (a word: tokens with no space between).

    >>> import spacy
    >>> chunks(doc_view(spacy.blank("en")("Contact-rich robotic manipulation (CRM) with RL.")))
    [['contact-rich', 'robotic', 'manipulation'], ['crm'], ['rl']]
    """
    out: list[list[str]] = []
    chunk: list[str] = []
    for i, low in enumerate(view.lower):
        if view.boundary[i]:
            if chunk:
                out.append(chunk)
                chunk = []
        elif view.word_start[i] or not chunk:
            chunk.append(low)
        else:
            chunk[-1] += low
    if chunk:
        out.append(chunk)
    return out


def phrase_key(surface: str) -> str:
    """How a phrase is looked up in the phrase counts: lower case, single spaces."""
    return " ".join(surface.lower().split())


def term_candidates(view: _DocView, heads: frozenset[str],
                    single: Callable[[int, int], bool] | None = None) -> list[tuple[int, int]]:
    """Token spans of at most :data:`MAX_WORDS` words inside a chunk that end on a known head
    word, or whose words are all capitalised, or that hold a name-shaped word; a single ordinary
    word only where ``single(start, end)`` says so (one word alone is rarely a term: the
    classifier sees those a public list knows, and the rules' own).

    >>> import spacy
    >>> doc = spacy.blank("en")("We study trajectory tracking with the Affordance Memory Bank.")
    >>> v = doc_view(doc)
    >>> sorted(doc[s:e].text for s, e in term_candidates(v, frozenset({"tracking"})))
    ['Affordance', 'Affordance Memory', 'Affordance Memory Bank', 'Bank', 'Memory', 'Memory Bank', 'study trajectory tracking', 'tracking', 'trajectory tracking']
    """
    out = []
    n = len(view.tokens)
    tokens, lower, boundary = view.tokens, view.lower, view.boundary
    i = 0
    while i < n:
        if boundary[i]:
            i += 1
            continue
        j = i
        while j < n and not boundary[j]:
            j += 1
        # the chunk tokens[i:j] as words: (first token, last token, capitalised, name-shaped)
        words = []
        for k in range(i, j):
            if not view.word_start[k]:
                continue  # inside a word, or the hyphen before "-based"
            e = k
            while e + 1 < j and not view.word_end[e]:
                e += 1
            first = tokens[k][:1]
            words.append((k, e, first.isupper() or first.isdigit(), first.isupper(),
                          any(is_name_shaped(tokens[t]) for t in range(k, e + 1))))
        for a in range(len(words)):
            capital = upper = shaped = False
            for b in range(a, min(len(words), a + MAX_WORDS)):
                _s, last, cap, up, named = words[b]
                capital = cap if b == a else capital and cap
                upper = upper or up
                shaped = shaped or named
                if not tokens[last][:1].isalnum():
                    continue
                if (capital and upper) or shaped or head_form(lower[last]) in heads:
                    if b == a and not shaped and single is not None and not single(words[a][0], last + 1):
                        continue
                    out.append((words[a][0], last + 1))
        i = j
    return out


_NUMBER_TOKEN = re.compile(r"^[+-]?\d[\d.,]*%?$")


def _context_word(w: str) -> str:
    """A neighbouring word as a feature: numbers are one word, ``<num>``."""
    return "<num>" if _NUMBER_TOKEN.match(w) else w


@lru_cache(maxsize=2)
def load_clusters(path: str | None = None) -> dict[str, tuple[str, str, str]]:
    """word -> its classes at three granularities (``scripts/build_background.py`` writes the file).

    >>> load_clusters()["tracking"] == load_clusters()["estimation"]
    True
    """
    import gzip
    out: dict[str, tuple[str, str, str]] = {}
    with gzip.open(Path(path) if path else CLUSTERS_FILE, "rt", encoding="utf-8") as f:
        for line in f:
            w, a, b, c = line.rstrip("\n").split("\t")
            out[w] = (a, b, c)
    return out


_NO_CLUSTER = ("-", "-", "-")


@lru_cache(maxsize=2)
def load_phrases(path: str | None = None) -> dict[str, tuple[int, int]]:
    """phrase -> (abstracts using it, abstracts using it as a whole chunk), from
    ``scripts/build_background.py``."""
    import gzip
    out: dict[str, tuple[int, int]] = {}
    with gzip.open(Path(path) if path else PHRASES_FILE, "rt", encoding="utf-8") as f:
        for line in f:
            p, df, whole = line.rstrip("\n").split("\t")
            out[p] = (int(df), int(whole))
    return out


def _bucket(n: int) -> int:
    """0, 1, 2, 3, ... for 0, 1-2, 3-5, 6-11, 12-23, ...: counts on a log scale."""
    return n.bit_length() if n < 3 else (n // 3).bit_length() + 2


#: one part of a candidate's features: a feature string, or a tuple of them that recurs (a word's
#: features in one role), which :class:`~kg.nlp.linear.LinearModel` looks up once and caches
Feature = str | tuple[str, ...]


def flatten(feats: Sequence[Feature]) -> list[str]:
    """The feature strings of a candidate whose features come in groups."""
    return [x for g in feats for x in ((g,) if isinstance(g, str) else g)]


class WordFeatures:
    """The features a word brings in each role (last word, first word, a word inside, a neighbour),
    computed once per word and role: most words recur from paper to paper."""

    def __init__(self, clusters: dict[str, tuple[str, str, str]], size: int = 1 << 17):
        self.clusters = clusters
        self.group = lru_cache(maxsize=size)(self._group)

    def _group(self, role: str, token: str) -> tuple[str, ...]:
        w = token.lower()
        c = self.clusters.get(w, _NO_CLUSTER)
        if role == "h":
            return (f"last={w}", f"head={head_form(w)}", f"last3={w[-3:]}", f"lshape={word_shape(token)}",
                    f"hc256={c[1]}", f"hc1k={c[2]}")
        if role == "f":  # the first word of a span of one word is its last: no cluster twice
            return (f"first={w}", f"first3={w[:3]}", f"fshape={word_shape(token)}")
        if role == "fc":
            return (f"fc256={c[1]}", f"fc1k={c[2]}")
        if role == "m":  # a word inside a span of three or more
            return (f"mc256={c[1]}",)
        if role == "w":
            return (f"w={w}",)
        if role in ("l1", "r1"):
            return (f"{role}={w}", f"{role}c256={c[1]}", f"{role}c1k={c[2]}")
        return (f"{role}={w}",)  # l2, r2


def _neighbours(view: _DocView, start: int, end: int) -> tuple[str, str]:
    """The words right before and after tokens ``start:end`` in their sentence (``<s>``, ``</s>`` at its edges)."""
    left = _context_word(view.lower[start - 1]) if start > 0 and not view.sent_start[start] else "<s>"
    right = _context_word(view.lower[end]) if end < len(view.tokens) and not view.sent_start[end] else "</s>"
    return left, right


def neighbour_features(view: _DocView, start: int, end: int, words_features: WordFeatures) -> tuple[Feature, Feature]:
    """The first two feature groups of a span (:func:`span_features`): its neighbours'."""
    l1, r1 = _neighbours(view, start, end)
    return words_features.group("l1", l1), words_features.group("r1", r1)


def span_features(view: _DocView, start: int, end: int, sources: list[Span], lexicon: Lexicon,
                  inside: list[str], covering: list[str], lower_text: str,
                  terms: dict[str, tuple[str, ...]], words_features: WordFeatures,
                  phrases: dict[str, tuple[int, int]]) -> list[Feature]:
    """The features of one candidate span (tokens ``start:end``), in groups (:func:`flatten`)."""
    tokens, lower = view.tokens, view.lower
    group = words_features.group
    words = [tokens[k] for k in range(start, end) if tokens[k][:1].isalnum()]
    last = lower[end - 1]
    head = head_form(last)
    f: list[Feature] = [f"n={min(len(words), 5)}", group("h", tokens[end - 1]), group("f", tokens[start]),
                        "shape=" + "_".join(word_shape(w) for w in words[:4])]
    if start != end - 1:
        f.append(group("fc", tokens[start]))
    for w in words:
        f.append(group("w", w))
    l1, r1 = _neighbours(view, start, end)
    l2 = _context_word(lower[start - 2]) if start > 1 and l1 != "<s>" and not view.sent_start[start - 1] else "<s>"
    r2 = _context_word(lower[end + 1]) if end + 1 < len(tokens) and r1 != "</s>" else "</s>"
    # the neighbours come first, where _add_paper_context finds them
    f[:0] = [group("l1", l1), group("r1", r1)]
    f += [group("l2", l2), group("r2", r2), f"l1head={l1}|{head}", f"headr1={head}|{r1}"]
    if end - start > 2:
        for k in range(start + 1, end - 1):
            f.append(group("m", lower[k]))
    if start < view.title_end:
        f.append("title")
        if view.title_colon > 0 and end <= view.title_colon:
            f.append("title_lead" + ("_all" if start == 0 and end == view.title_colon else ""))
    elif view.sent_start[start]:
        f.append("sent_start")
    caps = sum(1 for w in words if w[:1].isupper())
    f.append("caps=" + ("all" if caps == len(words) else "some" if caps else "none"))
    if any(is_name_shaped(w) for w in words):
        f.append("name_shaped")
        pieces = [p for w in words for p in name_pieces(w)]
        f += [f"piece={p}" for p in pieces if not p.isdigit()]
        if pieces:
            f += [f"piece_first={pieces[0]}", f"piece_last={pieces[-1] if not pieces[-1][:1].isdigit() else '<num>'}"]
        if re.search(r"\d+(?:\.\d+)?[BMK]\b", " ".join(words)):
            f.append("size_suffix")
    if r1 == "(" and end + 2 < len(tokens) and tokens[end + 2] == ")":
        f.append("defines:" + word_shape(tokens[end + 1]))
    if l1 == "(" and r1 == ")":
        f.append("in_parens")
    if end + 1 < len(tokens) and tokens[end] == "-" and lower[end + 1] in _MODIFIER_SUFFIXES:
        f.append("modifier")
    surface = view.surface(start, end)
    uses = lower_text.count(surface.lower())
    f.append(f"uses={min(uses, 4)}")
    if start < view.title_end and uses > 1:
        f.append("title_and_abstract")
    for s in sources:
        f.append(f"src={s.id_}")
        f.append(f"src={s.id_}|{s.label_}")
        if s.id_ == "lexicon":
            entry = lexicon.lookup(s.kb_id_)
            if entry is not None:
                f.append(f"lexfile={entry.source}|{s.label_}")
    if not sources:
        f.append("src=none")
    for tag in terms.get(name_key(surface), ()):
        f.append(f"term={tag}")
    if len(words) > 1:
        df, whole = phrases.get(phrase_key(surface), (0, 0))
        f.append(f"df={_bucket(df)}")
        if df:
            f.append(f"whole={min(4, 4 * whole // df)}")
        if start > 0 and not view.boundary[start - 1]:  # could the phrase extend to the left?
            wider = phrases.get(phrase_key(lower[start - 1] + " " + surface), (0, 0))[0]
            f.append(f"df_left={_bucket(wider)}|{_bucket(df)}")
    for t in inside:
        f.append(f"inside={t}")
    for t in covering:
        f.append(f"covered={t}")
    return f


def _add_paper_context(view: _DocView, cands: list[Candidate], feats: list[list[Feature]]) -> None:
    """Give each candidate the contexts of the paper's other uses of the same words: a name is
    typed by all it occurs with ("on AncientBench", "AncientBench contains ...")."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(view.surface(c.start, c.end).lower(), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        # feats[i][0] and [1] are the left and right neighbours' groups: (word, c256, c1k)
        pooled = sorted({"any_" + x for i in members for g in feats[i][:2] for x in g[:2]})
        for i in members:
            feats[i].extend(pooled)


_NAME_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+[A-Za-z]?")


def name_pieces(word: str) -> list[str]:
    """The parts of a name-shaped word, lower case: what its family or kind shows through.

    >>> name_pieces("AncientBench"), name_pieces("Llama2-7B"), name_pieces("ViTA-Seg")
    (['ancient', 'bench'], ['llama', '2', '7b'], ['vi', 'ta', 'seg'])
    """
    return [p.lower() for p in _NAME_PIECES.findall(word)]


class SpanClassifier:
    """Scores the term candidates of a Doc that no rule proposed with a :class:`LinearModel`."""

    def __init__(self, lexicon: Lexicon, model: LinearModel, threshold: float | None = None,
                 terms: dict[str, tuple[str, ...]] | None = None,
                 clusters: dict[str, tuple[str, str, str]] | None = None):
        self.lexicon = lexicon
        self.terms = terms if terms is not None else {}
        self.words = WordFeatures(clusters if clusters is not None else load_clusters())
        self.phrases = load_phrases()
        self.model = model
        #: a candidate is kept when its probability of being a mention reaches this
        self.threshold = threshold if threshold is not None else float(model.meta.get("threshold", 0.5))
        self.heads = frozenset(model.meta.get("heads", ()))

    def candidates(self, doc: Doc, only_open: bool = False) -> tuple[_DocView, list[Candidate], list[list[Feature]]]:
        """Every candidate span with its rule sources and features (also what training reads).

        ``only_open``: the full features only of the candidates no rule proposed (all that
        :meth:`__call__` scores); the rules' get their neighbours alone, which the paper context
        of the others pools (:func:`_add_paper_context`)."""
        view = doc_view(doc)
        by_span: dict[tuple[int, int], Candidate] = {}
        for s in doc.spans.get(CANDIDATES, []):
            c = by_span.get((s.start, s.end))
            if c is None:
                c = by_span[(s.start, s.end)] = Candidate(s.start, s.end)
            c.sources.append(s)
        terms = self.terms

        def known_term(a: int, b: int) -> bool:
            return name_key(view.surface(a, b)) in terms

        for a, b in term_candidates(view, self.heads, known_term):
            if (a, b) not in by_span:
                by_span[(a, b)] = Candidate(a, b)
        cands = sorted(by_span.values(), key=lambda c: (c.start, c.end))
        lexical = [(c.start, c.end, s.label_) for c in cands for s in c.sources if s.id_ == "lexicon"]
        lower_text = view.text.lower()
        feats = []
        for c in cands:
            if only_open and c.sources:
                feats.append(list(neighbour_features(view, c.start, c.end, self.words)))
                continue
            inside = sorted({t for a, b, t in lexical if c.start <= a and b <= c.end and (a, b) != (c.start, c.end)})
            covering = sorted({t for a, b, t in lexical if a <= c.start and c.end <= b and (a, b) != (c.start, c.end)})
            feats.append(span_features(view, c.start, c.end, c.sources, self.lexicon, inside, covering, lower_text, self.terms,
                                       self.words, self.phrases))
        _add_paper_context(view, cands, feats)
        return view, cands, feats

    def __call__(self, doc: Doc) -> Doc:
        view, cands, feats = self.candidates(doc, only_open=True)
        # the rules decide on what they proposed (kg_mentions): the model scores the rest
        open_ = [i for i, c in enumerate(cands) if not c.sources]
        probs = self.model.probabilities([feats[i] for i in open_]) if open_ else []
        spans, scores = [], []
        for i, p in zip(open_, probs):
            decided = decide(self.model.labels, p.tolist(), self.threshold)
            if decided is None:
                continue
            c = cands[i]
            label, score = decided
            spans.append(Span(doc, c.start, c.end, label=label, kb_id=clean_surface(view.surface(c.start, c.end)),
                              span_id="model"))
            scores.append(score)
        group = doc.spans.setdefault(SCORED, [])
        for s in spans:
            group.append(s)
        group.attrs["scores"] = scores
        return doc


def decide(labels: Sequence[str], probs: Sequence[float], threshold: float) -> tuple[str, float] | None:
    """The type and probability of a mention for a candidate, or None when it is no mention.

    ``probs`` are the classifier's label probabilities (``labels[0]`` is "no mention").

    >>> labels = ("O", "Method", "Model")
    >>> decide(labels, [0.2, 0.5, 0.3], 0.5), decide(labels, [0.6, 0.3, 0.1], 0.5)
    (('Method', 0.8), None)
    """
    p_mention = 1.0 - probs[0]
    if p_mention < threshold:
        return None
    best = max(range(1, len(labels)), key=lambda i: probs[i])
    return labels[best], round(p_mention, 4)


@lru_cache(maxsize=8)
def load_model(path: str) -> LinearModel:
    """A model file, read once per process."""
    return LinearModel.load(Path(path))


def model_path(models_dir: str | None, name: str) -> str:
    """``name`` in ``models_dir``, or in the models shipped with kg (``kg/models``)."""
    return str((Path(models_dir) if models_dir else MODELS) / name)


@Language.factory("kg_spans", default_config={"lexicon_dir": None, "models_dir": None, "threshold": None},
                  assigns=["doc.spans"])
def make_span_classifier(nlp: Language, name: str, lexicon_dir: str | None, models_dir: str | None,
                         threshold: float | None) -> SpanClassifier:
    return SpanClassifier(load_lexicon(lexicon_dir), load_model(model_path(models_dir, "mentions.json.gz")), threshold,
                          load_terms(lexicon_dir))


