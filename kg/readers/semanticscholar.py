"""Semantic Scholar: Graph API paper JSON, and the bulk datasets' ``papers`` and ``abstracts``
files, which hold a paper's metadata and its abstract apart, joined on ``corpusid``.

A Graph API paper (``paperId``, ``externalIds``, ``title``, ``abstract``, ``year``, ``authors``,
``venue``, ``url``; one object, a search page's ``data`` array, or JSON Lines) is one record.
The bulk files are JSON Lines: a ``papers`` record has ``corpusid``, ``externalids``, ``title``,
``authors``, ``venue``, ``year`` and ``url`` but no abstract; an ``abstracts`` record has
``corpusid`` and ``abstract``. Give both (files or folders, in any order): the reader keeps a
record of either kind until its partner arrives, so memory grows with the records still waiting
for one (give the papers files of the slice you want, not the whole corpus). At the end, a paper
whose abstract never came is reported and skipped, as is an abstract whose paper never came.

The paper id is the Semantic Scholar paper id (the hash in the Graph API and in the bulk URL),
else ``CorpusId:N``; the DOI comes from ``externalIds``.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["BulkJoin", "is_api_paper", "is_bulk_paper", "is_bulk_abstract", "paper_fields", "corpus_id"]

_PAPER_URL = re.compile(r"semanticscholar\.org/paper/(?:[^/]+/)?([0-9a-f]{40})\b")


def is_api_paper(fields: dict[str, Any]) -> bool:
    """A Graph API paper (keys in lower case)."""
    return "paperid" in fields and ("externalids" in fields or "corpusid" in fields)


def is_bulk_paper(fields: dict[str, Any]) -> bool:
    """A record of the bulk ``papers`` files: metadata, no abstract."""
    return "corpusid" in fields and "title" in fields and "abstract" not in fields and "paperid" not in fields


def is_bulk_abstract(fields: dict[str, Any]) -> bool:
    """A record of the bulk ``abstracts`` files: an abstract and its corpus id, no title."""
    return "corpusid" in fields and "abstract" in fields and "title" not in fields


def corpus_id(fields: dict[str, Any]) -> str:
    return str(fields.get("corpusid"))


def _external(fields: dict[str, Any], name: str) -> Any:
    ids = fields.get("externalids")
    if not isinstance(ids, dict):
        return None
    return next((v for k, v in ids.items() if k.lower() == name.lower()), None)


def paper_fields(fields: dict[str, Any], abstract: str | None = None) -> dict[str, Any]:
    """A Semantic Scholar record's fields as kg reads a paper (lower-case keys); ``abstract``
    is the one a bulk ``abstracts`` record gives a bulk ``papers`` record.

    >>> api = {"paperid": "649def34f8be52c8b66281af98ae884c09aef38b", "externalids": {"DOI": "10.18653/v1/x", "ArXiv": "2310.01234"},
    ...        "title": "Sparse DPO", "abstract": "We study DPO.", "year": 2023, "authors": [{"authorId": "1", "name": "Kim Lee"}],
    ...        "venue": "", "journal": {"name": "TACL"}, "url": "https://www.semanticscholar.org/paper/649def34f8be52c8b66281af98ae884c09aef38b"}
    >>> f = paper_fields(api)
    >>> f["id"], f["doi"], f["venue"], f["authors"]
    ('649def34f8be52c8b66281af98ae884c09aef38b', '10.18653/v1/x', 'TACL', [{'authorId': '1', 'name': 'Kim Lee'}])
    >>> bulk = {"corpusid": 42, "externalids": {"DOI": None}, "title": "T", "url": None, "venue": "ACL", "year": 2020}
    >>> paper_fields(bulk, "An abstract.")["id"], paper_fields(bulk, "An abstract.")["abstract"]
    ('CorpusId:42', 'An abstract.')
    """
    url = fields.get("url") if isinstance(fields.get("url"), str) else None
    from_url = _PAPER_URL.search(url or "")
    paper_id = fields.get("paperid") or (from_url.group(1) if from_url else None) or \
        (f"CorpusId:{fields['corpusid']}" if fields.get("corpusid") is not None else None)
    venue = fields.get("venue") or None
    if not venue:
        for key in ("publicationvenue", "journal"):
            holder = fields.get(key)
            if isinstance(holder, dict) and holder.get("name"):
                venue = holder["name"]
                break
    out = {**fields, "id": paper_id, "venue": venue, "doi": _external(fields, "DOI") or fields.get("doi"),
           "year": fields.get("year") or fields.get("publicationdate"),
           "url": url or (f"https://www.semanticscholar.org/paper/{fields['paperid']}" if fields.get("paperid") else None)}
    if abstract is not None:
        out["abstract"] = abstract
    return out


class BulkJoin:
    """The bulk ``papers`` and ``abstracts`` records of one read, joined on ``corpusid`` as they
    come: each waits (with the file and line it came from) until its partner is read.

    >>> join = BulkJoin()
    >>> join.join({"corpusid": 7, "abstract": "We parse."}, "abstracts.jsonl", 1) is None
    True
    >>> fields, name, line = join.join({"corpusid": 7, "title": "Parsing", "url": None}, "papers.jsonl", 4)
    >>> fields["abstract"], fields["id"], name, line
    ('We parse.', 'CorpusId:7', 'papers.jsonl', 4)
    >>> join.join({"corpusid": 8, "title": "Alone", "url": None}, "papers.jsonl", 5)
    >>> join.unmatched()
    [('papers.jsonl', 5, 'Semantic Scholar paper CorpusId:8 has no abstract in the abstracts files read')]
    """

    def __init__(self) -> None:
        self.papers: dict[str, tuple[dict[str, Any], str, int]] = {}  # corpus id -> (fields, file, line)
        self.abstracts: dict[str, tuple[Any, str, int]] = {}  # corpus id -> (abstract, file, line)

    def join(self, record: dict[str, Any], name: str, line: int) -> tuple[dict[str, Any], str, int] | None:
        """A record with its partner joined in (and where the paper record stood); a record of
        neither kind as it is; None while the partner has not been read."""
        if is_bulk_abstract(record):
            key = corpus_id(record)
            waiting = self.papers.pop(key, None)
            if waiting is None:
                self.abstracts[key] = (record.get("abstract"), name, line)
                return None
            fields, name, line = waiting
            return paper_fields(fields, record.get("abstract")), name, line
        if is_bulk_paper(record):
            key = corpus_id(record)
            waiting_abstract = self.abstracts.pop(key, None)
            if waiting_abstract is None:
                self.papers[key] = (record, name, line)
                return None
            return paper_fields(record, waiting_abstract[0]), name, line
        return record, name, line

    def unmatched(self) -> list[tuple[str, int, str]]:
        """(file, line, reason) for each record whose partner never came, in file order; forgets them."""
        out = [(name, line, f"Semantic Scholar paper CorpusId:{key} has no abstract in the abstracts files read")
               for key, (_, name, line) in sorted(self.papers.items(), key=lambda kv: (kv[1][1], kv[1][2]))]
        out += [(name, line, f"Semantic Scholar abstract of CorpusId:{key} has no record in the papers files read")
                for key, (_, name, line) in sorted(self.abstracts.items(), key=lambda kv: (kv[1][1], kv[1][2]))]
        self.papers.clear()
        self.abstracts.clear()
        return out
