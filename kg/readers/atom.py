"""arXiv API search results: the Atom XML that ``export.arxiv.org/api/query`` returns, saved to a
file. Each ``<entry>`` is a paper: the arXiv id (without its version) is the id, ``<summary>``
the abstract, ``<published>`` the year, ``<arxiv:doi>`` the DOI, ``<arxiv:journal_ref>`` the
venue (else "arXiv"), the ``alternate`` link the URL, and the ``<category>`` terms are kept for
``--categories``.

The file is parsed as it is read (Python's expat, which resolves no external entity and limits
entity expansion). An entry without a summary is reported by its line and skipped; XML that
breaks off is reported where it breaks, after the entries before it.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["looks_like_atom", "read_records", "read_entries"]

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")


def looks_like_atom(head: str) -> bool:
    """Whether the first characters of a file are an Atom feed.

    >>> looks_like_atom('<?xml version="1.0"?>\\n<feed xmlns="http://www.w3.org/2005/Atom">')
    True
    """
    start = head.lstrip()[:4000]
    return start.startswith(("<?xml", "<feed")) and "http://www.w3.org/2005/Atom" in start


def _text(entry: ET.Element, tag: str) -> str | None:
    found = entry.find(tag)
    return found.text if found is not None and found.text else None


def entry_fields(entry: ET.Element, number: int) -> dict[str, Any] | str:
    """One ``<entry>`` as kg reads a paper (lower-case keys), or why it is skipped."""
    raw_id = _text(entry, ATOM + "id") or ""
    if "/api/errors" in raw_id:  # the API answers a bad request with an entry that describes it
        return f"entry {number} is an arXiv API error: {' '.join((_text(entry, ATOM + 'summary') or '').split())}"
    summary = _text(entry, ATOM + "summary")
    if not summary or not summary.strip():
        return f"entry {number} has no summary (abstract)"
    m = _ABS_ID.search(raw_id)
    url = next((link.get("href") for link in entry.findall(ATOM + "link")
                if link.get("rel") == "alternate" and link.get("href")), None)
    return {
        "id": m.group("id") if m else raw_id or None,
        "title": _text(entry, ATOM + "title") or "",
        "abstract": summary,
        "year": _text(entry, ATOM + "published"),
        "authors": [name for a in entry.findall(ATOM + "author") if (name := _text(a, ATOM + "name"))],
        "doi": _text(entry, ARXIV + "doi"),
        "venue": _text(entry, ARXIV + "journal_ref") or "arXiv",
        "url": url or (f"https://arxiv.org/abs/{m.group('id')}" if m else None),
        "categories": [c.get("term") for c in entry.findall(ATOM + "category") if c.get("term")],
    }


def read_records(path: str, sniff) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line, record)`` for each entry of the Atom file that ``sniff`` opened."""
    from . import _open_text, _raw_lines
    with _open_text(sniff, None) as stream:  # read errors (corrupt gzip, ...) become InputError
        yield from read_entries(path, _raw_lines(stream, path))


def read_entries(path: str, lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line, record)`` for each entry of an Atom feed read line by line; a str record is
    why the entry at that line is skipped.

    >>> feed = '''<?xml version="1.0" encoding="UTF-8"?>
    ... <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
    ...   <entry>
    ...     <id>http://arxiv.org/abs/2310.01234v2</id>
    ...     <published>2023-10-02T17:01:02Z</published>
    ...     <title>Sparse DPO &amp; Friends</title>
    ...     <summary>  We study DPO.
    ...     </summary>
    ...     <author><name>Kim Lee</name></author>
    ...     <arxiv:doi>10.1234/sdpo</arxiv:doi>
    ...     <category term="cs.LG"/>
    ...   </entry>
    ...   <entry><id>http://arxiv.org/abs/2310.05678v1</id><title>No summary</title></entry>
    ... </feed>'''
    >>> [(line, r if isinstance(r, str) else (r["id"], r["title"], r["authors"], r["doi"], r["categories"]))
    ...  for line, r in read_entries("search.atom", feed.splitlines(keepends=True))]
    [(3, ('2310.01234', 'Sparse DPO & Friends', ['Kim Lee'], '10.1234/sdpo', ['cs.LG'])), (13, 'entry 2 has no summary (abstract)')]
    """
    from . import InputError

    parser = ET.XMLPullParser(events=("start", "end"))
    entries = 0
    started = 0
    number = 0
    root_seen = False
    try:
        for number, line in enumerate(lines, 1):
            parser.feed(line)
            for event, element in parser.read_events():
                if event == "start" and not root_seen:
                    root_seen = True
                    if element.tag != ATOM + "feed":
                        raise InputError(path, number, f"not an Atom feed (the document is a <{element.tag}>)")
                elif event == "start" and element.tag == ATOM + "entry":
                    started = number
                elif event == "end" and element.tag == ATOM + "entry":
                    entries += 1
                    yield started, entry_fields(element, entries)
                    element.clear()
        parser.close()
    except ET.ParseError as e:
        if not entries:
            raise InputError(path, number or None, f"not Atom XML ({e})") from None
        yield number, f"the XML breaks off after entry {entries} ({e}); the rest of the file is not read"
        return
    if not entries:
        raise InputError(path, None, "no <entry> in this Atom feed")
