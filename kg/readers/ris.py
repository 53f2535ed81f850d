"""RIS exports (Zotero, Mendeley, EndNote): records with an abstract (``AB`` or ``N2``) become papers.

Parsed with rispy. ``ID`` (or the record number) is the paper id; ``AU``/``A1`` give the
authors, ``T2``/``JO``/``JF`` the venue, ``PY``/``Y1`` the year, ``DO`` and ``UR`` are kept. A
record without an abstract is reported by the line of its ``TY`` tag and skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["read_records"]

_START = re.compile(r"^TY  - ", re.M)


def _first(record: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v), None)
        if value:
            return value
    return None


def _first_last(name: str) -> str:
    """``"Lovelace, Ada"`` -> ``"Ada Lovelace"``; a name without a comma as it is."""
    last, comma, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if comma else name.strip()


def read_records(path: str, text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line, record)`` for each RIS record; a str record is why it is skipped.

    >>> doc = ("TY  - JOUR\\nTI  - Sparse DPO\\nAU  - Lee, Kim\\nPY  - 2024///\\nT2  - TACL\\n"
    ...        "DO  - 10.1162/tacl.1\\nAB  - We study DPO.\\nER  - \\n\\nTY  - CONF\\nTI  - No Abstract\\nER  - \\n")
    >>> [(line, r if isinstance(r, str) else (r["title"], r["authors"], r["year"], r["venue"], r["doi"]))
    ...  for line, r in read_records("refs.ris", doc)]
    [(1, ('Sparse DPO', ['Kim Lee'], '2024///', 'TACL', '10.1162/tacl.1')), (10, 'record 2 has no abstract')]
    """
    import rispy

    from . import InputError

    starts = [text.count("\n", 0, m.start()) + 1 for m in _START.finditer(text)]
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # noqa: BLE001 - rispy's errors have no common base
        raise InputError(path, None, f"not a RIS file rispy can read ({type(exc).__name__}: {exc})") from exc
    if not records:
        raise InputError(path, None, "no RIS records found (each starts with 'TY  - ')")
    for n, record in enumerate(records, 1):
        line = starts[n - 1] if n - 1 < len(starts) else None
        abstract = _first(record, "abstract", "notes_abstract")
        if not str(abstract or "").strip():
            yield line, f"record {n} has no abstract"
            continue
        authors = [_first_last(a) for a in (record.get("authors") or record.get("first_authors") or []) if a]
        yield line, {
            "id": _first(record, "id"), "title": _first(record, "title", "primary_title") or "",
            "abstract": abstract, "year": _first(record, "year", "publication_year", "date"),
            "authors": authors,
            "venue": _first(record, "secondary_title", "journal_name", "alternate_title3", "alternate_title1"),
            "url": _first(record, "urls", "url"), "doi": _first(record, "doi"),
        }
