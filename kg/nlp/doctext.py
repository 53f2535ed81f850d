"""The text of a Doc, read once.

spaCy rebuilds ``Doc.text`` (and ``Span.text``) from all the tokens on every access, so a
component that looks at the text once per mention would be quadratic in practice. The
components read it through :func:`doc_text`, which keeps it in ``doc.user_data``.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

_KEY = "kg_text"

#: a full stop that ends a sentence though no space follows it ("... the baselines.This shows"),
#: as abstracts pasted from PDFs have: a word ending in two lower-case letters or two digits before it
#: ("University-1652.Our"), a capitalised word after (not "e.g.The", "Stream.FM" or "v1.Beta")
FULL_STOP_WITHOUT_SPACE = r"\.(?<=[a-z]{2}\.|[0-9]{2}\.)(?=[A-Z][a-z])"  # the full stop first: a regex scans faster from a literal
#: the place right after such a full stop, where the next sentence starts
AFTER_FULL_STOP_WITHOUT_SPACE = r"(?=[A-Z][a-z])(?<=[a-z]{2}\.|[0-9]{2}\.)"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc.

    >>> import spacy
    >>> doc = spacy.blank("en")("We use DPO.")
    >>> doc_text(doc) == doc.text
    True
    """
    text = doc.user_data.get(_KEY)  # a Doc's text never changes: its tokens are fixed
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text`` by slicing the cached Doc text."""
    return doc_text(span.doc)[span.start_char:span.end_char]


#: a blank line further in than this is a paragraph break of an abstract, not the end of a title
_TITLE_MAX_CHARS = 300


def title_break(text: str) -> int:
    """Where the blank line after a paper's title starts in its text (kg writes a paper as title,
    blank line, abstract: :attr:`kg.model.Paper.text`), or -1 when there is no title.

    >>> title_break("Halyard: Sailing Agents\\n\\nWe present Halyard."), title_break("We present Halyard.")
    (23, -1)
    """
    pos = text.find("\n\n")
    return pos if pos <= _TITLE_MAX_CHARS else -1


class TextKeepingTokenizer:
    """spaCy's tokenizer, keeping each Doc's input text for :func:`doc_text`, so that the
    text is never rebuilt from the tokens (a Doc's text is its input, character for character).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    >>> doc_text(nlp("We use DPO."))
    'We use DPO.'
    >>> import pickle
    >>> [t.text for t in pickle.loads(pickle.dumps(nlp.tokenizer))("We use DPO.")]
    ['We', 'use', 'DPO', '.']
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):
        if name == "tokenizer":  # not set yet: a copy or an unpickled one being built
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __setattr__(self, name, value):
        """Settings go to the wrapped tokenizer, as on spaCy's (``nlp.tokenizer.infix_finditer =
        ...``): set on the wrapper, they would do nothing."""
        if name == "tokenizer":
            object.__setattr__(self, name, value)
        else:
            setattr(self.tokenizer, name, value)


_SENTS_KEY = "kg_sents"


def doc_sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, computed once per Doc (each pass over ``doc.sents`` visits every token).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> nlp.add_pipe("sentencizer")  # doctest: +ELLIPSIS
    <...>
    >>> [s.text for s in doc_sentences(nlp("One here. Two there."))]
    ['One here.', 'Two there.']
    """
    sents = doc.user_data.get(_SENTS_KEY)
    if sents is None:
        sents = doc.user_data[_SENTS_KEY] = list(doc.sents)
    return sents


def sentences_with(doc: Doc, spans: list[Span]) -> list[tuple[Span, list[Span]]]:
    """Each sentence of ``doc`` with the ``spans`` (sorted by start) that start in it.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> doc = nlp("One here. Two there.")
    >>> [(s.text, [m.text for m in ms]) for s, ms in sentences_with(doc, [doc[0:1], doc[3:4], doc[4:5]])]
    [('One here.', ['One']), ('Two there.', ['Two', 'there'])]
    """
    out, i = [], 0
    for sent in doc_sentences(doc):
        j = i
        while j < len(spans) and spans[j].start < sent.end:
            j += 1
        out.append((sent, spans[i:j]))
        i = j
    return out
