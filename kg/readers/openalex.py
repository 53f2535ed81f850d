"""OpenAlex works (API pages or the snapshot's JSON Lines): their fields mapped to a paper record.

OpenAlex ships no abstract text, only ``abstract_inverted_index`` (word -> positions); the
abstract is rebuilt from it. The OpenAlex id is the paper id, the DOI is kept, authors come
from ``authorships``, the venue from ``primary_location.source``, the URL from its landing page.
"""
from __future__ import annotations

from typing import Any

__all__ = ["is_work", "paper_fields"]


def is_work(fields: dict[str, Any]) -> bool:
    """Whether a record (keys in lower case) is an OpenAlex work."""
    return "abstract_inverted_index" in fields or str(fields.get("id", "")).startswith("https://openalex.org/")


def abstract_from_index(index: Any) -> str | None:
    """The text of an inverted index: every word at each of its positions, in order.

    >>> abstract_from_index({"We": [0], "study": [1], "DPO": [2, 5], "and": [3], "use": [4], ".": [6]})
    'We study DPO and use DPO .'
    >>> abstract_from_index(None) is None
    True
    """
    if not isinstance(index, dict) or not index:
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for pos in positions if isinstance(positions, list) else ():
            if isinstance(pos, int) and pos >= 0:
                placed[pos] = str(word)
    return " ".join(placed[i] for i in sorted(placed)) or None


def paper_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A work's fields as kg reads a paper (lower-case keys), keeping what the work already has.

    >>> w = {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/x", "display_name": "Sparse DPO",
    ...      "publication_year": 2024, "abstract_inverted_index": {"We": [0], "study": [1], "DPO.": [2]},
    ...      "authorships": [{"author": {"display_name": "Kim Lee"}}],
    ...      "primary_location": {"source": {"display_name": "TACL"}, "landing_page_url": "https://example.org/x"}}
    >>> f = paper_fields(w)
    >>> (f["id"], f["title"], f["abstract"], f["year"], f["authors"], f["venue"], f["url"], f["doi"])
    ('W1', 'Sparse DPO', 'We study DPO.', 2024, ['Kim Lee'], 'TACL', 'https://example.org/x', 'https://doi.org/10.1/x')
    """
    location = fields.get("primary_location") if isinstance(fields.get("primary_location"), dict) else {}
    source = location.get("source") if isinstance(location.get("source"), dict) else {}
    authors = [a.get("author", {}).get("display_name") for a in fields.get("authorships") or []
               if isinstance(a, dict) and isinstance(a.get("author"), dict)]
    return {
        **fields,
        "id": str(fields.get("id", "")).rsplit("/", 1)[-1] or None,
        "title": fields.get("title") or fields.get("display_name") or "",
        "abstract": fields.get("abstract") or abstract_from_index(fields.get("abstract_inverted_index")),
        "year": fields.get("publication_year") or fields.get("year"),
        "authors": [a for a in authors if a] or fields.get("authors"),
        "venue": source.get("display_name") or fields.get("venue"),
        "url": location.get("landing_page_url") or fields.get("url"),
        "doi": fields.get("doi"),
    }
