"""Build kg's spaCy pipeline: ``spacy.blank("en")`` plus kg's registered components.

The pipeline needs no downloaded model. Every component is a ``@Language.factory``, so the
same pipeline can be assembled from a spaCy config::

    [nlp]
    lang = "en"
    pipeline = ["kg_sentencizer", "kg_lexicon", "kg_abbreviations", "kg_names", "kg_mentions", "kg_relations"]
"""
from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

# registering the factories is a side effect of importing their modules
from . import abbreviations, lexicon, mentions, names, spans  # noqa: F401
from . import relations as _relations  # noqa: F401
from .doctext import TextKeepingTokenizer, doc_text

PIPELINE = ("kg_sentencizer", "kg_lexicon", "kg_abbreviations", "kg_names", "kg_spans", "kg_mentions", "kg_relations")
#: bump when extraction output changes, so cached per-paper results are recomputed
PIPELINE_VERSION = "3"

_SENTENCE_END = {".", "!", "?"}
_NO_SPLIT_BEFORE = re.compile(r"^[a-z0-9(\[,;:%]")


_BOUNDARY = re.compile(r"(?:(?<=[.!?])[ \t]+|\n\s*)(?=\S)")


@Language.component("kg_sentencizer", assigns=["token.is_sent_start"])
def sentencize(doc: Doc) -> Doc:
    """Sentences end at ``. ! ?`` (a token of its own, so not "e.g.") before a word that
    does not continue the sentence, and at line breaks (so a title is its own sentence).

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
    # split brackets and arrows inside words, so "(OPA)-DPO" and "ABC→D" have token edges
    # where names begin and end; and keep more of a real corpus in the tokenizer cache
    infixes = list(nlp.Defaults.infixes) + [r"[()\[\]]", r"→"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # a sentence's full stop after a name ending in capitals or digits ("Mistral-7B.", "DiT.")
    # is punctuation, not part of an abbreviation like "U.S."
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[A-Z0-9]{2})\.", r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    try:
        nlp.tokenizer.max_cache_size = 200_000
    except AttributeError:  # spaCy < 3.8
        pass


def build_nlp(lexicon_dir: str | None = None, *, relations: bool = True, ner_model: str | Path | None = None,
              exclude: tuple[str, ...] = (), rules_only: bool = False, models_dir: str | Path | None = None,
              span_threshold: float | None = None) -> Language:
    """The kg pipeline. ``lexicon_dir`` overrides the shipped ``ontology/lexicon``;
    ``exclude`` leaves out components (for ablations), ``relations=False`` the relation stage,
    ``ner_model`` adds a statistical NER trained by ``scripts/train_ner.py`` (as ``kg_ner``, before
    the mention resolver, which takes its spans where no rule found a name). None is shipped:
    measured, it lowers typed F1 on the dev set from 0.92 to 0.60 (see the README).

    >>> nlp = build_nlp()
    >>> nlp.pipe_names[:3]
    ['kg_sentencizer', 'kg_lexicon', 'kg_abbreviations']
    >>> build_nlp(exclude=("kg_names",)).pipe_names[:5]
    ['kg_sentencizer', 'kg_lexicon', 'kg_abbreviations', 'kg_spans', 'kg_mentions']
    >>> "kg_spans" in build_nlp(rules_only=True).pipe_names
    False
    """
    unknown = set(exclude) - set(PIPELINE)
    if unknown:
        raise ValueError(f"no such component: {', '.join(sorted(unknown))} (components: {', '.join(PIPELINE)})")
    nlp = spacy.blank("en")
    customise_tokenizer(nlp)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    cfg = {"lexicon_dir": lexicon_dir}
    for pipe in PIPELINE:
        if pipe in exclude or (pipe == "kg_relations" and not relations) or (pipe == "kg_spans" and rules_only):
            continue
        if pipe == "kg_spans":
            nlp.add_pipe(pipe, config={**cfg, "models_dir": str(models_dir) if models_dir else None,
                                       "threshold": span_threshold})
            continue
        if pipe == "kg_relations":
            nlp.add_pipe(pipe, config={**cfg, "learned": not rules_only,
                                       "models_dir": str(models_dir) if models_dir else None})
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
