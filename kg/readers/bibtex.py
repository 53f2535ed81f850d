"""BibTeX exports (Zotero, Mendeley, JabRef): entries with an ``abstract`` field become papers.

Parsed with bibtexparser 2, whose middlewares take off the braces that protect capitals and
turn LaTeX accents into text (``{\\"u}`` -> ``ü``). An entry's citation key is its paper id;
``author`` ("Lovelace, Ada and Alan Turing") gives the authors, ``journal`` or ``booktitle`` the
venue, ``doi`` and ``url`` are kept. An entry without an abstract, or that bibtexparser cannot
read, is reported by its line and skipped.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["read_records"]


def _authors(field: str) -> list[str]:
    """``"Lovelace, Ada and Alan Turing"`` -> ``["Ada Lovelace", "Alan Turing"]``.

    >>> _authors("Lovelace, Ada and Alan M. Turing and {Google DeepMind}")
    ['Ada Lovelace', 'Alan M. Turing', 'Google DeepMind']
    """
    import re

    out = []
    for name in re.split(r"\s+and\s+", field.strip()):
        name = name.strip().strip("{}").strip()
        if "," in name:
            last, first = [p.strip() for p in name.split(",", 1)]
            name = f"{first} {last}".strip()
        if name:
            out.append(name)
    return out


def read_records(path: str, text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line, record)`` for each entry of a BibTeX document; a str record is why it is skipped.

    >>> doc = '@article{lee24, title = {Sparse {DPO} for B{\\\\"u}hler}, author = {Lee, Kim and Bo Park},\\n'
    >>> doc += '  year = {2024}, journal = {TACL}, doi = {10.1162/tacl.1}, abstract = {We study DPO.}}\\n'
    >>> doc += '@misc{nope, title = {No Abstract}}\\n'
    >>> [(line, r if isinstance(r, str) else (r["id"], r["title"], r["authors"], r["venue"], r["doi"]))
    ...  for line, r in read_records("refs.bib", doc)]
    [(1, ('lee24', 'Sparse DPO for Bühler', ['Kim Lee', 'Bo Park'], 'TACL', '10.1162/tacl.1')), (3, 'entry nope has no abstract')]
    """
    import bibtexparser
    from bibtexparser import middlewares as mw

    from . import InputError

    try:
        library = bibtexparser.parse_string(text, append_middleware=[mw.LatexDecodingMiddleware()])
    except Exception as exc:  # noqa: BLE001 - the parser's own errors have no common base
        raise InputError(path, None, f"not a BibTeX file bibtexparser can read ({type(exc).__name__}: {exc})") from exc
    for block in library.failed_blocks:
        yield (getattr(block, "start_line", 0) or 0) + 1, f"a BibTeX entry that cannot be read ({type(block).__name__})"
    count = 0
    for entry in library.entries:
        count += 1
        line = (getattr(entry, "start_line", 0) or 0) + 1
        fields = {f.key.lower(): f.value for f in entry.fields}
        if not str(fields.get("abstract") or "").strip():
            yield line, f"entry {entry.key} has no abstract"
            continue
        yield line, {
            "id": entry.key, "title": fields.get("title", ""), "abstract": fields["abstract"],
            "year": fields.get("year"), "authors": _authors(str(fields.get("author", ""))),
            "venue": fields.get("journal") or fields.get("booktitle") or fields.get("publisher"),
            "url": fields.get("url"), "doi": fields.get("doi"),
        }
    if not count and not library.failed_blocks:
        raise InputError(path, None, "no BibTeX entries found")
