"""Listings: the plain text copied from a paper-aggregator page. A title line is followed by
its abstract paragraph (on the next lines or after a blank line); page chrome around them
(navigation words, dates, upvote counts, "Submitted by ...", author lines) is dropped.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from . import MAX_LINE_CHARS, InputError, _clean, _lines, _open_text, _Sniff

__all__ = ["read_records"]

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?"
_CHROME_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?",
        rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?",
        rf"{_MONTH}\s+\d{{4}}",
        r"\d{4}-\d{2}-\d{2}(?:[ T][\d:]+)?", r"\d{1,2}/\d{1,2}/\d{2,4}",
        r"(?:published|submitted|updated|posted|added)\s+(?:on|by|at|in|\d).{0,60}",
        r"\d+\s+(?:min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\s+ago",
        r"[+\-]?[\d.,]+\s*[km]?",  # upvote, star and comment counts
        r"[\d.,]+\s*[km]?\s+(?:authors?|comments?|upvotes?|likes?|stars?|citations?|views?|replies|points?|votes?)",
        r"[·•|]\s*.{0,60}",  # "· 3 authors"
        r"(?:authors?|by|from)\s*:.*",
        r"(?:https?://|www\.)\S+", r"arxiv:\s*\d{4}\.\d{4,5}(?:v\d+)?", r"(?:doi:\s*)?10\.\d{4,9}/\S+",
        r"[^\w]*",  # nothing but punctuation, symbols, emoji
    )
]
_CHROME_WORDS = {
    "new", "subscribe", "get trending papers in your email inbox!", "upvote", "upvoted",
    "daily papers", "trending papers", "trending", "papers", "abstract", "pdf", "code", "paper",
    "demo", "project page", "view arxiv page", "view pdf", "add to collection", "comments",
    "community", "sign up", "log in", "login", "search", "previous", "next", "load more",
    "show more", "read more", "more", "submitted", "authors", "github", "arxiv", "daily",
    "weekly", "monthly", "today", "yesterday", "this week", "share", "copy link", "bookmark",
    "save", "collections", "papers with code", "hide", "show", "expand", "collapse", "reply",
}
_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "bin", "al", "et", "al."}
_MAX_CHROME_CHARS = 100
_MAX_TITLE_LINE_CHARS = 250
_MAX_TITLE_WORDS = 30
_MIN_ABSTRACT_CHARS = 100
_MIN_ABSTRACT_WORDS = 12


def _is_author_line(line: str) -> bool:
    """``"Ada Lovelace, Alan M. Turing and Grace Hopper"``: two or more capitalised names."""
    parts = [p.strip() for p in re.split(r",|;|\band\b|&", line) if p.strip()]
    if len(parts) < 2:
        return False
    for part in parts:
        words = part.split()
        if not 2 <= len(words) <= 5 or not words[0][:1].isupper():
            return False
        if not all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return False
        if any(ch.isdigit() or ch in ":?!" for ch in part):
            return False
    return True


def _is_chrome(line: str) -> bool:
    """A line of page chrome: short, and a known word, a date, a count, a byline, ..."""
    if len(line) > _MAX_CHROME_CHARS * 2:
        return False
    if len(line) <= _MAX_CHROME_CHARS:
        if line.casefold() in _CHROME_WORDS or any(p.fullmatch(line) for p in _CHROME_PATTERNS):
            return True
        if re.match(r"by(?:\s|[A-Z])", line):  # "byAK and the research community" (case-sensitive)
            return True
    return _is_author_line(line)


def _is_title(line: str) -> bool:
    return (
        len(line) <= _MAX_TITLE_LINE_CHARS
        and len(line.split()) <= _MAX_TITLE_WORDS
        and not line.endswith(".")
        and any(ch.isalpha() for ch in line)
    )


def _is_paragraph(lines: list[tuple[int, str]]) -> bool:
    if len(lines) == 1 and _is_title(lines[0][1]):
        return False
    text = " ".join(t for _, t in lines)
    return len(text) >= _MIN_ABSTRACT_CHARS and len(text.split()) >= _MIN_ABSTRACT_WORDS


def _join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines with spaces, but not after a word-internal hyphen ("pre-" "trained")."""
    text = ""
    for line in lines:
        glue = "" if not text or (text.endswith("-") and text[-2:-1].isalnum()) else " "
        text += glue + line
    return text


def _trim_chrome(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop chrome lines at the start of a block, and at its end unless they continue a sentence."""
    start, end = 0, len(lines)
    while start < end and _is_chrome(lines[start][1]):
        start += 1
    while end > start and _is_chrome(lines[end - 1][1]) and (
            end - 1 == start or lines[end - 2][1].endswith((".", "!", "?", ")", '"', "'"))):
        end -= 1
    return lines[start:end]


def _listing_blocks(path: str, sniff: _Sniff) -> Iterator[list[tuple[int, str]] | tuple[int, str]]:
    """Blocks of non-blank cleaned lines; a too-long line is yielded as ``(line, reason)``."""
    block: list[tuple[int, str]] = []
    with _open_text(sniff, None) as stream:
        for number, raw in _lines(stream, path):
            if raw is None:
                if block:
                    yield block
                    block = []
                yield number, f"line too long (over {MAX_LINE_CHARS:,} characters)"
                continue
            line = _clean(raw, single_line=True)
            if line:
                block.append((number, line))
            elif block:
                yield block
                block = []
    if block:
        yield block


def read_records(path: str, sniff: _Sniff) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Pair title lines with the abstract paragraphs that follow them (see module docstring).

    A block (lines between blank lines) that is a single title-like line (short, no final
    period) becomes the pending title; the next paragraph-like block (long enough, several
    words) is its abstract. A block whose first line is title-like and whose remaining lines
    form a paragraph is a title and abstract on their own. Chrome lines at the edges of blocks
    are dropped; a paragraph with no title before it is reported.
    """
    pending: tuple[int, str] | None = None
    count = 0
    for block in _listing_blocks(path, sniff):
        if isinstance(block, tuple):
            count += 1
            yield block
            pending = None
            continue
        lines = _trim_chrome(block)
        if not lines:
            continue
        if len(lines) == 1 and _is_title(lines[0][1]):
            pending = lines[0]
            continue
        if not _is_paragraph(lines):
            continue
        title: tuple[int, str] | None = None
        if len(lines) >= 2 and _is_title(lines[0][1]):
            rest = _trim_chrome(lines[1:])
            # title and abstract in one block, unless this is a hard-wrapped abstract
            # following a pending title (an unwrapped first abstract line settles it)
            if rest and _is_paragraph(rest) and (pending is None or len(rest[0][1]) > _MAX_TITLE_LINE_CHARS):
                title, lines = lines[0], rest
        title = title or pending
        pending = None
        count += 1
        if title is None:
            yield lines[0][0], "paragraph with no title line before it (not a paper?)"
            continue
        yield title[0], {"title": title[1], "abstract": _join_lines(t for _, t in lines)}
    if not count:
        raise InputError(path, None, "no papers found: expected a title line followed by an abstract paragraph")


# --------------------------------------------------------------------------- read_papers
