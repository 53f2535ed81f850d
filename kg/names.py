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
    """
    surface = clean_surface(name)
    # a name's trailing "+" or "++" is a new version of it ("C3+" after "C3", "PALMS+"), not punctuation
    plus = len(surface) - len(surface.rstrip("+")) if re.search(r"\w\++$", surface) else 0
    surface = surface[:len(surface) - plus] if plus else surface
    s = re.sub(r"'s\b", "", surface.lower())
    s = _NON_ALNUM.sub("", s)
    if _ACRONYM_S.search(surface):
        return s + "+" * plus  # "PALMS", "ADAS": the capital S is the acronym's own letter, not a plural
    if len(s) > 4 and s.endswith("ies"):
        s = s[:-3] + "y"
    elif len(s) > 3 and s.endswith("s") and not s.endswith(("ss", "us", "is")):
        s = s[:-1]
    return s + "+" * plus


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
