"""The arXiv metadata snapshot (JSON Lines with ``id``, ``title``, ``abstract``, ``authors``,
``categories``, ``versions`` / ``update_date``): its fields mapped to a paper record.

The arXiv id is the paper id and gives the URL (``https://arxiv.org/abs/ID``); the year is that
of the first version (else of ``update_date``); the categories are kept for filtering.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["is_snapshot_record", "paper_fields"]

_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def is_snapshot_record(fields: dict[str, Any]) -> bool:
    """Whether a record (keys in lower case) is one of the arXiv metadata snapshot."""
    return "categories" in fields and ("versions" in fields or "update_date" in fields) and \
        bool(_ARXIV_ID.match(str(fields.get("id", ""))))


def paper_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A snapshot record's fields as kg reads a paper (lower-case keys).

    >>> r = {"id": "2310.01234", "title": "Sparse\\n  DPO", "abstract": "  We study DPO.\\n",
    ...      "authors": "Kim Lee, Bo Park and Ada Lovelace", "categories": "cs.LG cs.CL",
    ...      "versions": [{"version": "v1", "created": "Mon, 2 Oct 2023 17:01:02 GMT"}], "update_date": "2024-01-05"}
    >>> f = paper_fields(r)
    >>> (f["id"], f["year"], f["url"], f["categories"])
    ('2310.01234', 2023, 'https://arxiv.org/abs/2310.01234', ['cs.LG', 'cs.CL'])
    """
    year = None
    versions = fields.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        m = re.search(r"\b(\d{4})\b", str(versions[0].get("created", "")))
        year = int(m.group(1)) if m else None
    arxiv_id = str(fields["id"])
    return {
        **fields,
        "year": year or fields.get("update_date"),
        "url": fields.get("url") or f"https://arxiv.org/abs/{arxiv_id}",
        "venue": fields.get("venue") or fields.get("journal-ref") or "arXiv",
        "categories": str(fields.get("categories", "")).split(),
    }
