"""JSON documents: an array of objects, one object, or an object holding such an array under
``papers``, ``data``, ``records``, ``items`` or ``results`` (an API page). A document is loaded
whole (use JSON Lines for large inputs); each record is reported by the line it starts on.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import _ABSTRACT_KEYS, _TITLE_KEYS, _WRAPPER_KEYS, InputError, _get, _kind, _read_whole, _Sniff

__all__ = ["read_records"]


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _array_items(text: str, pos: int) -> Iterator[tuple[int, Any]]:
    """Positions and values of the items of the (valid) JSON array starting at ``pos``."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        value, end = decoder.raw_decode(text, pos)
        yield pos, value
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)


def _member_positions(text: str, pos: int) -> Iterator[tuple[str, int]]:
    """Keys and value positions of the members of the (valid) JSON object starting at ``pos``."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past the colon
        yield key, pos
        pos = _skip_ws(text, decoder.raw_decode(text, pos)[1])
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)


def read_records(path: str, sniff: _Sniff) -> Iterator[tuple[int, dict[str, Any] | str]]:
    text = _read_whole(path, sniff)
    try:
        document = json.loads(text)
    except RecursionError as e:
        raise InputError(path, None, "invalid JSON: nested too deeply") from e
    except json.JSONDecodeError as e:
        hint = "; is it JSON Lines? use --format jsonl" if e.msg == "Extra data" else ""
        raise InputError(path, e.lineno, f"invalid JSON: {e.msg} (column {e.colno}){hint}") from e
    except ValueError as e:
        raise InputError(path, None, f"invalid JSON: {e}") from e
    start = _skip_ws(text, 0)
    if isinstance(document, dict):
        lower = {str(k).lower(): v for k, v in document.items()}
        if _get(lower, _ABSTRACT_KEYS) is not None or _get(lower, _TITLE_KEYS) is not None:
            yield text.count("\n", 0, start) + 1, lower
            return
        wrapper = next((k for k in document if str(k).lower() in _WRAPPER_KEYS and isinstance(document[k], list)), None)
        if wrapper is None:
            keys = ", ".join(map(str, list(document)[:8])) or "none"
            raise InputError(path, None, f"JSON object has no title/abstract and no list of papers (keys: {keys})")
        start = next(p for k, p in _member_positions(text, start) if k == wrapper)
    elif not isinstance(document, list):
        raise InputError(path, None, f"expected a JSON array of objects, got a {_kind(document)}")
    line, last = 1, 0
    count = 0
    for pos, item in _array_items(text, start):
        line, last = line + text.count("\n", last, pos), pos
        count += 1
        if isinstance(item, dict):
            yield line, {str(k).lower(): v for k, v in item.items()}
        else:
            yield line, f"record {count} is not a JSON object (got {_kind(item)})"
    if not count:
        raise InputError(path, None, "no records (empty JSON array)")
