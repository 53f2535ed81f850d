"""Rules that find names the lexicon lacks: name-shaped words, cue nouns and title names.

* Name-shaped words: acronyms, CamelCase and mixed tokens (``MoDE``, ``OpenVLA``,
  ``RT-2-X``, ``Llama2-7B``, ``GPT-4o``), typed by their family, a size suffix or the
  words around them.
* Cue nouns: ``the X benchmark``, ``X dataset``, ``an algorithm named X``, ``X-based``.
* Title names: the leading name of a title in the ``Name: ...`` form.

The shape tests are pure functions; :class:`NameFinder` is the thin spaCy component.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doctext import doc_text
from .lexicon import CANDIDATES, Lexicon, load_lexicon

#: acronyms and tokens that look like names but never are entities here: field names, hardware,
#: units, venues and funders (typology: venues and companies are not entities), common nouns
NOT_NAMES = frozenset("""
AI ML NLP CV RL? GPU GPUs CPU CPUs TPU TPUs API APIs SOTA SoTA LLM LLMs VLM VLMs VLA VLAs LVLM LVLMs MLLM MLLMs
LM LMs PLM PLMs US UK EU USA IEEE ACM ACL EMNLP NAACL NeurIPS ICML ICLR CVPR ICCV ECCV AAAI IJCAI COLING
URL URLs PDF HTML JSON XML SQL OK TV PhD MSc BSc II III IV VI VII VIII IX XI XII
DNN DNNs NN NNs ANN ANNs IoT RGB RGB-D HD FPS GB MB KB TB Hz kHz MHz GHz ms
QA? MoE? LiDAR 2D 3D 4D 6D 6-DoF DoF POS PoS ISO NE NEs
EACL AACL IJCNLP LREC TACL JMLR ICASSP INTERSPEECH SIGIR KDD WSDM CIKM ECIR ICWSM SIGDIAL arXiv
IBM NSF DARPA LDC NIH
OOV ID IDs KG KGs KBs
""".replace("?", "").split())

#: evaluation campaigns and their editions ("SemEval-2020", "WMT 2019"): the typology names a
#: campaign's tracks, not the campaign; and task or track numbers ("Subtask-2", "Task-1")
_NOT_A_NAME = re.compile(r"^(?:(?i:SemEval|IWSLT|WASSA|TRAC|BEA|CLEF|TAC|NTCIR|FIRE|WNUT|WAT|GermEval|EVALITA|"
                         r"IberLEF|LT-EDI|DravidianLangTech)(?:[- ]?\d{1,4})?|(?i:WMT|CoNLL|shared-?task)"
                         r"|(?:Sub)?(?:[Tt]ask|Track)-?\d+[A-Za-z]?)$")
#: a shared task's track in its campaign form ("SemEval-2020 Task 4"): a Benchmark (typology)
_CAMPAIGN_TASK = re.compile(r"^(?i:SemEval|IWSLT|WMT|CoNLL|GermEval|EVALITA|IberLEF|NTCIR|CLEF)[- ]?\d{2,4}"
                            r"(?:\s+(?:Shared\s+)?Task\s*\d+[A-Za-z]?)$")

_HAS_UPPER_INSIDE = re.compile(r"^.+[A-Z]")
_ALL_CAPS = re.compile(r"^[A-Z][A-Z0-9]*(?:[-/][A-Z0-9]+)*s?$")
_SIZE_SUFFIX = re.compile(r"[-_ ]?(\d+(?:\.\d+)?[BMK]|\d+x\d+[BMK]|XXL|XL|Large|Base|Small|Tiny|Mini|Nano)$", re.I)
_NUMBERISH = re.compile(r"^[\d.,%x×]+[A-Za-z]{0,2}$")
_HARDWARE = re.compile(r"^(?:[A-Z]{1,2}\d{3,}|[TGCN]PUs?(?:-?v?\d+\w*)?|RTX\d*|Xeon\w*|M\d(?:Pro|Max)?)$")  # A6000, TPUv4

#: nouns after a name that say what it is
CUE_TYPES = {
    "benchmark": "Benchmark", "benchmarks": "Benchmark", "suite": "Benchmark", "challenge": "Benchmark",
    "leaderboard": "Benchmark", "environment": "Benchmark", "environments": "Benchmark", "arena": "Benchmark",
    "dataset": "Dataset", "datasets": "Dataset", "corpus": "Dataset", "corpora": "Dataset",
    "model": "Model", "models": "Model", "checkpoint": "Model", "checkpoints": "Model", "llm": "Model",
    "algorithm": "Method", "algorithms": "Method", "method": "Method", "methods": "Method",
    "framework": "Method", "architecture": "Method", "loss": "Method", "approach": "Method",
    "metric": "Metric", "score": "Metric",
    "task": "Task",
}
#: words that introduce a name after them: "an algorithm named X"
NAMING_VERBS = {"named", "called", "dubbed", "termed", "coined"}


@lru_cache(maxsize=1 << 18)
def is_name_shaped(word: str) -> bool:
    """Whether one word looks like a proper name of an artifact, not an ordinary word.

    >>> [is_name_shaped(w) for w in ["OpenVLA", "MoDE", "RT-2-X", "Llama2-7B", "GPT-4o", "TAXONS"]]
    [True, True, True, True, True, True]
    >>> [is_name_shaped(w) for w in ["Policy", "policy", "LLMs", "55B", "A6000", "I", "O(1/T)"]]
    [False, False, False, False, False, False, False]
    """
    w = word.strip()
    if len(w) < 2 or w in NOT_NAMES or w.rstrip("s") in NOT_NAMES or _NOT_A_NAME.match(w):
        return False
    if _NUMBERISH.match(w) or _HARDWARE.match(w) or not w[0].isalpha():
        return False
    if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+", w):
        return False  # capitalised ordinary words joined by hyphens: "Open-Source", "Vision-Language"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9.\-+/]*[A-Za-z0-9+]$", w):
        return False
    letters = [c for c in w if c.isalpha()]
    if len(letters) < 2 and not re.match(r"^[A-Z]\d+$", w):
        return False
    if _ALL_CAPS.match(w) and sum(c.isupper() for c in w) >= 2:
        return True
    if _HAS_UPPER_INSIDE.match(w) and any(c.islower() for c in w):
        return True  # CamelCase, rDPO, DINOv2
    if w[0].isupper() and re.search(r"\d", w) and re.search(r"[a-z]", w):
        return True  # Llama2, ResNet-34
    return bool(re.match(r"^[A-Z][a-z]+-\d", w))  # Llama-2, Gemma-2B


def size_variant_family(name: str) -> str | None:
    """The family of a size variant: ``Llama2-7B`` -> ``Llama2``; None when there is no suffix.

    >>> size_variant_family("Llama2-7B"), size_variant_family("DiffusionVLA-2B"), size_variant_family("CALVIN")
    ('Llama2', 'DiffusionVLA', None)
    """
    m = _SIZE_SUFFIX.search(name)
    if not m or m.start() == 0:
        return None
    family = name[:m.start()].rstrip("-_ ")
    return family if len(family) >= 2 else None


@dataclass(frozen=True)
class Word:
    """A run of tokens with no space between them ("RT-2-X" is three tokens, one word)."""

    start: int  # token index
    end: int

    def text(self, doc: Doc) -> str:
        return doc[self.start:self.end].text


_MODIFIER_SUFFIXES = {"based", "style", "like", "driven", "generated", "trained", "conditioned", "guided",
                      "specific", "free", "aware", "level", "scale", "only", "centric", "powered", "enabled"}
_EDGE_PUNCT = set(".,;:!?()[]{}\"'`“”‘’")


_EDGE_CHARS = "".join(_EDGE_PUNCT)
_MODIFIER = re.compile(r"(?<=.)-(?:" + "|".join(sorted(_MODIFIER_SUFFIXES)) + r")$", re.I)


def _word_at(doc: Doc, start_char: int, end_char: int) -> Word | None:
    """The word of the space-delimited chunk ``text[start_char:end_char]``, edge punctuation,
    a possessive and a ``-based``-like modifier taken off, in whole tokens."""
    span = doc.char_span(start_char, end_char)  # a chunk between spaces always has token edges
    if span is None:
        return None
    s, e = span.start, span.end
    while s < e and doc[s].text in _EDGE_PUNCT:
        s += 1
    while e > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].text in ("'s", "’s")):
        e -= 1
    # "PPO-based", "BERT-style": the name is the part before the modifier
    if e - s >= 3 and doc[e - 2].text == "-" and doc[e - 1].lower_ in _MODIFIER_SUFFIXES:
        e -= 2
    return Word(s, e) if s < e else None


#: a space-delimited chunk that may hold a name-shaped word: a capital after its first
#: character, or a capital and a digit (see :func:`is_name_shaped`); a superset, tested next
_SHAPED_CHUNK = re.compile(r"(?<!\S)(?:\S+[A-Z]\S*|[A-Z]\S*\d\S*|\S*\d\S*[A-Z]\S*)")
#: a chunk right after a naming verb ("an algorithm named X"), the verb not followed by punctuation
#: (in lower case: "Named Entity Recognition" names no "Entity")
_NAMED_CHUNK = re.compile(r"(?<!\S)[" + re.escape("([{\"'`“‘") + r"]*(?:" + "|".join(sorted(NAMING_VERBS))
                          + r")\s+(?=(\S+))")


def _candidate_chunks(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, after a naming verb) of the chunks that may be names, in text order.

    >>> text = "We call it an agent named Bob and use OpenVLA (RT-2) models."
    >>> [(text[s:e], named) for s, e, named in _candidate_chunks(text)]
    [('Bob', True), ('OpenVLA', False), ('(RT-2)', False)]
    """
    found = {m.start(): (m.start(), m.end(), False) for m in _SHAPED_CHUNK.finditer(text)}
    for m in _NAMED_CHUNK.finditer(text):
        chunk = m.group(1)
        if chunk[0] not in _EDGE_PUNCT and chunk[:1].isupper():
            found[m.start(1)] = (m.start(1), m.start(1) + len(chunk), True)
    return [found[k] for k in sorted(found)]


def _word_core(chunk: str) -> str:
    """What :func:`_word_at` leaves of a chunk, on the string: a cheap test before building tokens."""
    core = chunk.strip(_EDGE_CHARS)
    if core.endswith(("'s", "’s")):
        core = core[:-2].rstrip(_EDGE_CHARS)
    return _MODIFIER.sub("", core)


def _cue_after(doc: Doc, end: int) -> str | None:
    """The type named by a cue noun right after token ``end`` ("X benchmark", "X-based")."""
    if end < len(doc) and doc[end].lower_ in CUE_TYPES:
        return CUE_TYPES[doc[end].lower_]
    return None


class NameFinder:
    """Adds name-shaped, cue-introduced and title-leading names to the candidate spans."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(CANDIDATES, [])
        for span in self.find(doc):
            group.append(span)
        return doc

    def find(self, doc: Doc) -> list[Span]:
        spans: list[Span] = []
        text = doc_text(doc)
        title_end = _title_end(doc)
        for start, end, named in _candidate_chunks(text):
            core = _word_core(text[start:end])
            if not core or not (named or is_name_shaped(core)):
                continue
            w = _word_at(doc, start, end)
            if w is None:
                continue
            name = text[doc[w.start].idx:doc[w.end - 1].idx + len(doc[w.end - 1])]
            if self.lexicon.is_stopname(name) or not (named or is_name_shaped(name)):
                continue
            etype, conf, rule = self.type_of(doc, w, name)
            if named and rule == "names.shape":
                rule = "names.named"  # "an agent named Zorbl": the words say it is a name
            if etype:
                spans.append(Span(doc, w.start, w.end, label=etype, kb_id=name, span_id=rule))
        spans.extend(self.cue_phrases(doc, title_end))
        spans.extend(self.introduced_names(doc))
        title = self.title_name(doc, title_end)
        if title is not None:
            spans.append(title)
        spans.extend(_recurrences(doc, [s for s in spans if s.id_ in ("names.title", "names.introduced")]))
        return spans

    def type_of(self, doc: Doc, w: Word, text: str) -> tuple[str | None, float, str]:
        """Type a name-shaped word by its family, its size suffix, then the words around it."""
        cue = _cue_after(doc, w.end)
        if cue in ("Benchmark", "Dataset"):
            return cue, 0.8, "names.cue"
        if w.start > 0 and re.fullmatch(r"\d+\.\d+|\d+(?:\.\d+)?%", doc[w.start - 1].text) and not text[0].islower():
            return "Metric", 0.6, "names.after_number"  # "88.1 PDMS", "42.0 AP"
        family = _family_entry(self.lexicon, text)
        if family is not None:
            return family.type, 0.7, "names.family"
        if size_variant_family(text):
            return "Model", 0.7, "names.size"
        if cue == "Model" and not text.endswith("s"):
            return "Model", 0.6, "names.cue"
        if cue in ("Method", "Metric", "Task"):
            return cue, 0.6, "names.cue"
        if re.match(r"^[A-Za-z]+-\d", text):  # RT-2, GPT-4: numbered releases are models
            return "Model", 0.5, "names.shape"
        return "Method", 0.4, "names.shape"

    def cue_phrases(self, doc: Doc, title_end: int) -> list[Span]:
        """``the X benchmark`` / ``X dataset`` with X capitalised words."""
        out = []
        for m in _DATA_CUE.finditer(doc_text(doc)):
            found = doc.char_span(m.start(), m.end())
            if found is None or len(found) != 1:
                continue
            tok = found[0]
            cue = CUE_TYPES.get(tok.lower_)
            if cue not in ("Benchmark", "Dataset") or tok.i == 0:
                continue
            end = tok.i
            start = end
            while start > 0 and _capitalised_name_token(doc[start - 1]) and end - start < 4:
                start -= 1
            while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].text == "-"):
                start += 1
            if start == end:
                continue
            in_title = title_end and end < title_end
            has_shape = any(is_name_shaped(t.text) for t in doc[start:end])
            if (in_title or doc[start].is_sent_start) and not has_shape:
                continue  # title case and sentence starts capitalise ordinary words
            if tok.text[:1].isupper() and not has_shape:
                continue  # "A Shared Benchmark": a capitalised cue is part of a title-cased phrase
            if start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_punct or (
                    start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_):
                continue  # "Birds-to-Words dataset": a cut inside a hyphenated word
            text = doc[start:end].text
            if self.lexicon.is_stopname(text) or text in NOT_NAMES or _NOT_A_NAME.match(text) or all(
                    w.lower() in _GENERIC_CUE_WORDS or self.lexicon.is_stopname(w) for w in text.split()):
                continue
            out.append(Span(doc, start, end, label=cue, kb_id=text, span_id="names.cue"))
        return out

    def introduced_names(self, doc: Doc) -> list[Span]:
        """Names the authors introduce: "we introduce Directional Stimulus Prompting, a novel
        framework", "we introduce diff history, a simple ...", "we propose X (...)"."""
        out = []
        for m in _INTRODUCED.finditer(doc_text(doc)):
            name = m.group("name")
            cue = re.search(r"\s+(algorithm|method|framework|approach|model|architecture|dataset|benchmark|corpus|suite)$", name)
            cue_type = CUE_TYPES.get(cue.group(1)) if cue else None
            name = name[:cue.start()] if cue else name
            if self.lexicon.is_stopname(name) or name.lower().split()[0] in _NOT_NAME_START:
                continue
            appositive = m.group("after").startswith(",")
            title_case = all(w[:1].isupper() or w.lower() in ("of", "for", "with", "and") for w in name.split())
            if not (appositive or title_case) or (not title_case and len(name.split()) > 3):
                continue
            if not title_case and name.split()[-1].endswith("s") and not name.split()[-1].endswith("ss"):
                continue  # "we present the evaluation results, ...": a plural common noun, not a name
            span = doc.char_span(m.start("name"), m.start("name") + len(name), alignment_mode="strict")
            if span is None:
                continue
            entry = self.lexicon.lookup(name)
            out.append(Span(doc, span.start, span.end, label=entry.type if entry else (cue_type or "Method"),
                            kb_id=entry.name if entry else name, span_id="names.introduced"))
        return out

    def title_name(self, doc: Doc, title_end: int) -> Span | None:
        """The leading name of a ``Name: rest`` title, when it is a name (see the typology)."""
        if title_end <= 0:
            return None
        colon = next((t.i for t in doc[:title_end] if t.text == ":"), None)
        if colon is None or colon == 0 or colon > 6:
            return None
        lead = doc[0:colon]
        text = lead.text
        if not text.split():
            return None
        body = doc_text(doc)[doc[title_end].idx:] if title_end < len(doc) else ""
        shaped = len(words_of(lead)) == 1 and is_name_shaped(text.replace("-", "")) or \
            any(is_name_shaped(t.text) for t in lead if t.text.isalnum())
        confirmed = _mentioned_again(text, body)
        if text.split()[0].lower() in ("the", "a", "an") or (text.split()[0].lower().endswith("ly") and colon > 1):
            lead, text = doc[1:colon], doc[1:colon].text  # "The AI Economist", "Provably Robust DPO"
            if len(lead) == 0 or not text.strip():
                return None
            confirmed = confirmed or _mentioned_again(text, body)
        if lead[0].text.lower().endswith("ing") and not confirmed:
            return None  # "Steering Your Generalists:", "Understanding ...:"
        if not (shaped or confirmed) or self.lexicon.is_stopname(text):
            return None
        if re.search(r"\s(and|&|vs\.?|or)\s", text) and not confirmed:
            return None  # "MT-Bench and Chatbot Arena: ..." names two things
        if "survey" in doc[colon:title_end].text.lower() and not shaped:
            return None
        entry = self.lexicon.lookup(text)
        etype = entry.type if entry else "Benchmark" if _CAMPAIGN_TASK.match(text) else "Method"
        return Span(doc, lead.start, lead.end, label=etype, kb_id=entry.name if entry else text,
                    span_id="names.title")


_INTRODUCED = re.compile(
    r"\b(?i:we|this (?:paper|work|thesis))\s+(?i:first\s+|also\s+|further\s+|then\s+)?"
    r"(?i:propose|introduce|present|develop|call|name|term)s?d?\s+(?:the\s+)?"
    r"(?P<name>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,4}?)(?P<after>\s*,\s*(?:a|an|the|which)\b|\s+\(|\s*,\s*(?=[a-z]))")
_DATA_CUE = re.compile(r"\b(?:" + "|".join(k for k, v in CUE_TYPES.items() if v in ("Benchmark", "Dataset"))
                       + r")\b", re.I)
#: words that say what part of an evaluation something is, not what it is called ("Shared Task leaderboard")
_GENERIC_CUE_WORDS = frozenset("shared task tasks subtask track official test dev training validation".split())
_DETERMINERS = {"a", "an", "the", "our", "this", "these", "that", "their", "its", "new", "novel", "large", "standard"}
_NOT_NAME_START = {"a", "an", "this", "that", "these", "our", "new", "novel", "two", "three", "several", "methods",
                   "method", "approach", "it", "them", "its", "their", "how", "what", "some", "both", "each"}


def _recurrences(doc: Doc, introduced: list[Span]) -> list[Span]:
    """Every other use of a name the paper introduces ("Dropout's Dream Land", "diff history")."""
    out = []
    seen = {(s.start_char, s.end_char) for s in introduced}
    for span in introduced:
        flags = re.I if " " in span.text or span.text.islower() else 0
        for m in whole_word(span.text, flags).finditer(doc_text(doc)):
            if (m.start(), m.end()) in seen:
                continue
            found = doc.char_span(m.start(), m.end(), alignment_mode="strict")
            if found is not None:
                seen.add((m.start(), m.end()))
                out.append(Span(doc, found.start, found.end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_))
    return out


@lru_cache(maxsize=1 << 14)
def whole_word(name: str, flags: int = 0, plural: bool = False) -> re.Pattern:
    """A compiled pattern for ``name`` as a whole word (optionally with a plural "s"); cached,
    since names recur across papers and compiling costs more than searching.

    >>> bool(whole_word("DPO").search("OPA-DPO and DPO")), bool(whole_word("DPO").search("OPA-DPO"))
    (True, False)
    """
    return re.compile(r"(?<![\w-])" + re.escape(name) + (r"s?(?![\w])" if plural else r"(?![\w-])"), flags)


def words_of(span: Span) -> list[str]:
    return span.text.split()


def _mentioned_again(name: str, body: str) -> bool:
    return whole_word(name, re.I).search(body) is not None


def _title_end(doc: Doc) -> int:
    """Token index where the abstract starts (after the title's blank line), or 0."""
    pos = doc_text(doc).find("\n\n")
    if pos < 0:
        return 0
    blank = doc.char_span(pos, pos + 2, alignment_mode="expand")  # the space token holding it
    return blank.end if blank is not None and blank.start <= 61 else 0


def _capitalised_name_token(tok: Token) -> bool:
    if tok.is_punct and tok.text != "-":
        return False
    return tok.text == "-" or tok.text[:1].isupper() or is_name_shaped(tok.text)


def _family_entry(lexicon: Lexicon, text: str):
    """A lexicon Method/Model that ``text`` is a prefix, suffix or size variant of."""
    family = size_variant_family(text)
    if family and lexicon.lookup(family):
        return lexicon.lookup(family)
    parts = re.split(r"[-_]", text)
    if len(parts) >= 2:
        for cand in (parts[-1], parts[0], "-".join(parts[:-1]), "-".join(parts[1:])):
            e = lexicon.lookup(cand)
            if e is not None and len(cand) >= 2 and (e.type in ("Method", "Model") or cand == parts[0]):
                return e
    return None


@Language.factory("kg_names", default_config={"lexicon_dir": None},
                  assigns=["doc.spans"])
def make_name_finder(nlp: Language, name: str, lexicon_dir: str | None) -> NameFinder:
    return NameFinder(load_lexicon(lexicon_dir))
