"""Build kg's spaCy pipeline: ``spacy.blank("en")`` plus kg's registered components.

The pipeline needs no downloaded model. Every component is a ``@Language.factory`` and the
tokenizer a registered function, so ``nlp.config`` describes the whole pipeline and
``spacy.util.load_model_from_config(nlp.config)`` rebuilds it (or ``spacy.load`` what
``nlp.to_disk`` wrote), once this module is imported to register them::

    [nlp]
    lang = "en"
    pipeline = ["kg_sentencizer", "kg_lexicon", "kg_abbreviations", "kg_names", "kg_spans", "kg_mentions", "kg_relations"]

    [nlp.tokenizer]
    @tokenizers = "kg.Tokenizer.v1"
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

# registering the factories is a side effect of importing their modules
from . import abbreviations, lexicon, mentions, names, spans  # noqa: F401
from . import relations as _relations  # noqa: F401
from .doctext import AFTER_FULL_STOP_WITHOUT_SPACE, FULL_STOP_WITHOUT_SPACE, TextKeepingTokenizer, doc_text

PIPELINE = ("kg_sentencizer", "kg_lexicon", "kg_abbreviations", "kg_names", "kg_spans", "kg_mentions", "kg_relations")
#: the extraction modes, fastest first (see :func:`build_nlp`)
MODES = ("rules", "default", "accurate")
#: bump when extraction output changes, so cached per-paper results are recomputed
PIPELINE_VERSION = "68"

_SENTENCE_END = {".", "!", "?"}
_NO_SPLIT_BEFORE = re.compile(r"^[a-z0-9(\[,;:%]")


# spaces after a sentence end, line breaks, and the place right after a full stop with no space
# after it ("baselines.This": spaCy's tokenizer splits the full stop off)
_BOUNDARY = re.compile(r"(?:(?<=[.!?])[ \t]+|\n\s*)(?=\S)|" + AFTER_FULL_STOP_WITHOUT_SPACE)


@Language.component("kg_sentencizer", assigns=["token.is_sent_start"])
def sentencize(doc: Doc) -> Doc:
    """Sentences end at ``. ! ?`` (a token of its own, so not "e.g.") before a word that
    does not continue the sentence, space or no space ("baselines.This"), and at line breaks
    (so a title is its own sentence).

    Only the starts are marked, found with one pass of a regular expression over the text:
    a loop over every token costs more than the rest of the pipeline's bookkeeping.
    """
    if not len(doc):
        return doc
    doc[0].is_sent_start = True
    text = doc_text(doc)
    starts = doc.to_array(IDX).tolist()  # each token's first character, to map characters to tokens
    for m in _BOUNDARY.finditer(text):
        start = m.end()
        if text[m.start()] != "\n":
            if _NO_SPLIT_BEFORE.match(text[start:start + 1]):
                continue
            if doc[bisect_right(starts, m.start() - 1) - 1].text not in _SENTENCE_END:
                continue
        first = bisect_right(starts, start) - 1  # the token of the next sentence's first character
        if first > 0:
            doc[first].is_sent_start = True
    if len(doc) > 1 and doc[1].is_sent_start is None:
        doc[1].is_sent_start = False  # so that a one-sentence Doc counts as segmented
    return doc


def customise_tokenizer(nlp: Language) -> None:
    """Give ``nlp``'s own spaCy tokenizer kg's rules (see :func:`_customise`), in place: for a
    pipeline that keeps spaCy's tokenizer in its config (``scripts/train_ner.py``)."""
    _customise(nlp.tokenizer, nlp.Defaults)


def _customise(tokenizer: Tokenizer, defaults) -> None:
    # split brackets, braces and arrows inside words, so "(OPA)-DPO", "ABC→D" and LaTeX's
    # "\textit{RegCache}" have token edges where names begin and end; and keep more of a real
    # corpus in the tokenizer cache
    # ... and a full stop glued to the next sentence ("University-1652.Our data"), which spaCy
    # splits after a letter only: the sentencizer's own pattern
    # ... and an equals sign before a number ("F1=0.88", "(F0.5=65.0)"): a measure and its value
    infixes = list(defaults.infixes) + [r"[()\[\]{}]", r"→", FULL_STOP_WITHOUT_SPACE, r"(?<=[A-Za-z0-9%])=(?=[0-9.+-])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # a sentence's full stop after a name ending in capitals or digits ("Mistral-7B.", "DiT.",
    # "Humanoid-X.") is punctuation, not part of an abbreviation like "U.S." or an initial "J."
    suffixes = list(defaults.suffixes) + [r"(?<=[A-Z0-9]{2})\.", r"(?<=[a-z][A-Z])\.", r"(?<=[\w]-[A-Z])\."]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    try:
        tokenizer.max_cache_size = 200_000
    except AttributeError:  # spaCy < 3.8
        pass


@registry.tokenizers("kg.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], TextKeepingTokenizer]:
    """kg's tokenizer, by name in a spaCy config: spaCy's own for the language with kg's infixes
    and suffixes, keeping each Doc's text (:class:`~kg.nlp.doctext.TextKeepingTokenizer`).

    Registered, rather than set on a built pipeline, so that ``nlp.config`` says which tokenizer
    the pipeline has: a pipeline rebuilt from its config then splits words where this one does.

    >>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}})
    >>> [t.text for t in nlp("(OPA)-DPO maps ABC→D")]  # spaCy's: '(', 'OPA)-DPO', 'maps', 'ABC→D'
    ['(', 'OPA', ')', '-DPO', 'maps', 'ABC', '→', 'D']
    """
    make_spacy_tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> TextKeepingTokenizer:
        tokenizer = make_spacy_tokenizer(nlp)
        _customise(tokenizer, nlp.Defaults)
        return TextKeepingTokenizer(tokenizer)
    return make


#: the config that gives a blank pipeline kg's tokenizer
_TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}}


def build_nlp(lexicon_dir: str | None = None, *, relations: bool = True, ner_model: str | Path | None = None,
              exclude: tuple[str, ...] = (), mode: str = "default", models_dir: str | Path | None = None,
              span_threshold: float | None = None, title_tasks: bool | None = None) -> Language:
    """The kg pipeline in one of :data:`MODES`:

    * ``"default"``: the rules find and type mentions; the trained proposal and relation models
      (``kg/models``) decide what the paper proposes and how its method relates to each entity;
    * ``"accurate"``: also the trained mention classifier (``kg_spans``), which scores the rules'
      candidates and lower-case term candidates: better on new papers, about three times slower;
    * ``"rules"``: the rules alone (``--rules-only``).

    ``lexicon_dir`` overrides the shipped ``ontology/lexicon``, ``models_dir`` the shipped models;
    ``exclude`` leaves out components (for ablations), ``relations=False`` the relation stage,
    ``ner_model`` adds a statistical NER trained by ``scripts/train_ner.py`` (as ``kg_ner``, before
    the mention resolver, which takes its spans where no rule found a name). None is shipped:
    measured, it lowers typed F1 on the dev set from 0.92 to 0.60 (see the README).
    ``title_tasks``: whether the name rules find the problems a title names ("... for Multi-Agent
    Navigation"); by default in every mode but ``"accurate"``, whose classifier finds them.

    >>> nlp = build_nlp()
    >>> nlp.pipe_names[:3]
    ['kg_sentencizer', 'kg_lexicon', 'kg_abbreviations']
    >>> build_nlp(exclude=("kg_names",), mode="accurate").pipe_names[:5]
    ['kg_sentencizer', 'kg_lexicon', 'kg_abbreviations', 'kg_spans', 'kg_mentions']
    >>> "kg_spans" in build_nlp().pipe_names, "kg_spans" in build_nlp(mode="accurate").pipe_names
    (False, True)
    """
    if mode not in MODES:
        raise ValueError(f"no such mode: {mode!r} (modes: {', '.join(MODES)})")
    unknown = set(exclude) - set(PIPELINE)
    if unknown:
        raise ValueError(f"no such component: {', '.join(sorted(unknown))} (components: {', '.join(PIPELINE)})")
    nlp = spacy.blank("en", config=_TOKENIZER_CONFIG)
    cfg = {"lexicon_dir": lexicon_dir}
    models = {"models_dir": str(models_dir) if models_dir else None}
    for pipe in PIPELINE:
        if pipe in exclude or (pipe == "kg_relations" and not relations) or (pipe == "kg_spans" and mode != "accurate"):
            continue
        if pipe == "kg_spans":
            nlp.add_pipe(pipe, config={**cfg, **models, "threshold": span_threshold})
            continue
        if pipe == "kg_relations":
            nlp.add_pipe(pipe, config={**cfg, **models, "learned": mode != "rules"})
            continue
        if pipe == "kg_names":
            # the problems a title names: the rules' stand-in for what the classifier finds itself
            # (measured: with both, accurate mode's blind typed F1 drops 0.694 -> 0.689)
            found = mode != "accurate" if title_tasks is None else title_tasks
            nlp.add_pipe(pipe, config={**cfg, "title_tasks": found})
            continue
        nlp.add_pipe(pipe, config=cfg if pipe != "kg_sentencizer" else {})
    if ner_model is not None:
        nlp.add_pipe("ner", name=NER, source=load_ner_model(Path(ner_model)),
                     before="kg_mentions" if "kg_mentions" in nlp.pipe_names else None)
    return nlp


#: the pipeline name of the statistical NER (spaCy's ``ner`` factory)
NER = "kg_ner"


def load_ner_model(path: Path) -> Language:
    """A NER pipeline written by ``scripts/train_ner.py``, for ``add_pipe(source=...)``."""
    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"{path}: no trained NER here (scripts/train_ner.py writes one)")
    return spacy.load(path)
