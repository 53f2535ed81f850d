"""Surface forms of names: the normal key that decides "same name", and IRI-safe slugs.

Shared by the lexicon matcher (which looks names up by key) and the linker (which merges
mentions whose keys agree), so both fold variants the same way.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: a word of capitals ending in S, at the end of a name: an acronym whose S is a letter of it
_ACRONYM_S = re.compile(r"(?<![A-Za-z])[A-Z0-9]{2,}S\W*$")
_SIZE_LETTER_S = re.compile(r"[-\s]S$")  # "ViT-S": a size (Small), not a plural
_VERSION_MARK = re.compile(r"(?<=\w)(?:\++|\*)$")  # "C3+", "PALMS++", "RRT*"
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def clean_surface(text: str) -> str:
    """Unicode-normalise a surface form: NFKC, one kind of hyphen and apostrophe, single spaces.

    >>> clean_surface("LLaMA\u20112  model")
    'LLaMA-2 model'
    """
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).replace("\u2019", "'")
    return " ".join(s.split())


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """The key under which two surface forms count as the same name.

    Folds case, Unicode, spaces, hyphens and punctuation, a possessive and a plural ending.

    >>> name_key("Llama 2") == name_key("LLaMA-2") == name_key("Llama2")
    True
    >>> name_key("Diffusion Policies") == name_key("diffusion policy")
    True
    >>> name_key("LLMs") == name_key("LLM"), name_key("Llama2-7B") == name_key("Llama 2")
    (True, False)
    >>> name_key("PALMS+") == name_key("PaLM"), name_key("PALMS+") == name_key("PALMS")
    (False, False)
    >>> name_key("RRT*") == name_key("RRT"), name_key("ViT-S") == name_key("ViTs")
    (False, False)
    """
    surface = clean_surface(plain_name(name))  # "MemR$^3$" is MemR3, "PALMS$+$" PALMS+
    # a name's trailing "+", "++" or "*" is a new version of it ("C3+" after "C3", "PALMS+",
    # "RRT*" after "RRT"), not punctuation
    found = _VERSION_MARK.search(surface)
    mark = found.group(0) if found else ""
    surface = surface[:len(surface) - len(mark)]
    s = re.sub(r"'s\b", "", surface.lower())
    s = _NON_ALNUM.sub("", s)
    if _ACRONYM_S.search(surface) or _SIZE_LETTER_S.search(surface):
        return s + mark  # "PALMS", "ADAS", "ViT-S": the capital S is the name's own letter, not a plural
    if len(s) > 4 and s.endswith("ies"):
        s = s[:-3] + "y"
    elif len(s) > 3 and s.endswith("s") and not s.endswith(("ss", "us", "is")):
        s = s[:-1]
    return s + mark


#: LaTeX that arXiv abstracts leave in names: a super- or subscript ("MemR$^3$", "Zoo3D$_{0}$"),
#: a font command ("$\\textbf{VK-Det}$"), a sign or a Greek letter in maths mode ("PALMS$+$")
_LATEX_SCRIPT = re.compile(r"\$\s*[\^_]\s*\{?([^{}$\\]{1,8})\}?\s*\$")
_LATEX_FONT = re.compile(r"\$?\\(?:text(?:bf|it|tt|sc|rm|sf)?|math(?:rm|bf|it|sf|tt|cal)|emph)\{([^{}$]*)\}\$?")
_LATEX_SYMBOLS = {"+": "+", "\\pi": "\u03c0", "\\alpha": "\u03b1", "\\beta": "\u03b2", "\\mu": "\u03bc",
                  "\\lambda": "\u03bb", "\\tau": "\u03c4", "\\delta": "\u03b4", "\\times": "\u00d7"}
_LATEX_SYMBOL = re.compile(r"\$\s*(" + "|".join(re.escape(k) for k in _LATEX_SYMBOLS) + r")\s*\$")


def plain_name(name: str) -> str:
    r"""A name without the LaTeX markup an abstract may write it with (typology: canonical names
    carry none; mentions keep the text as written).

    >>> plain_name("MemR$^3$"), plain_name("Endo-G$^{2}$"), plain_name("PALMS$+$"), plain_name("$\\textbf{VK-Det}$")
    ('MemR3', 'Endo-G2', 'PALMS+', 'VK-Det')
    >>> plain_name("ShowUI-$\\pi$"), plain_name("Llama 2")
    ('ShowUI-π', 'Llama 2')
    """
    if "$" not in name and "\\" not in name:
        return name
    s = _LATEX_FONT.sub(r"\1", name)
    s = _LATEX_SCRIPT.sub(r"\1", s)
    s = _LATEX_SYMBOL.sub(lambda m: _LATEX_SYMBOLS[m.group(1)], s)
    return s if "$" not in s and "\\" not in s else name


def slugify(name: str) -> str:
    """A stable, IRI-safe slug of a canonical name.

    >>> slugify("Llama 2"), slugify("GPT-4o"), slugify("Dropout's Dream Land"), slugify("ViT-B/16")
    ('Llama_2', 'GPT-4o', 'Dropouts_Dream_Land', 'ViT-B_16')
    """
    s = unicodedata.normalize("NFKD", clean_surface(name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("'", "")
    s = re.sub(r"[^A-Za-z0-9.\-]+", "_", s).strip("_.")
    return s or "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


#: a web address, with its scheme or as a domain with a path ("github.com/x/Y", "x.github.io/Y"),
#: up to a space or a brace (LaTeX's ``\href{address}{shown text}``: the shown text is the
#: abstract's): a name inside one is no mention (typology)
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s{}]+|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/[^\s{}]*")


def url_spans(text: str) -> list[tuple[int, int]]:
    r"""The character spans of the web addresses in ``text``.

    >>> t = "Code: https://github.com/x/ZorbVLA and github.com/y/Quill; see Llama-3.1/8B and ViT-B/16."
    >>> [t[a:b] for a, b in url_spans(t)]
    ['https://github.com/x/ZorbVLA', 'github.com/y/Quill;']
    >>> t = r"at \href{https://z.github.io/Quill/}{Quill}."
    >>> [t[a:b] for a, b in url_spans(t)]
    ['https://z.github.io/Quill/']
    """
    if "/" not in text and "www." not in text:  # most abstracts: no address, and no regex run
        return []
    return [m.span() for m in _WEB_ADDRESS.finditer(text)]
