"""JSON Lines: one JSON object per line, streamed line by line.

A line that is not valid JSON, not an object, or longer than ``MAX_LINE_CHARS`` is reported by
its number and skipped; keys are matched in any case.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import MAX_LINE_CHARS, _kind, _lines, _open_text, _Sniff

__all__ = ["read_records"]


def read_records(path: str, sniff: _Sniff) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with _open_text(sniff, None) as stream:
        for number, line in _lines(stream, path):
            if line is None:
                yield number, f"line too long (over {MAX_LINE_CHARS:,} characters)"
                continue
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                record = json.loads(line)
            except RecursionError:
                yield number, "invalid JSON: nested too deeply"
                continue
            except ValueError as e:
                detail = f"{e.msg} (column {e.colno})" if isinstance(e, json.JSONDecodeError) else str(e)
                yield number, f"invalid JSON: {detail}"
                continue
            if isinstance(record, dict):
                yield number, {str(k).lower(): v for k, v in record.items()}
            else:
                yield number, f"not a JSON object (got {_kind(record)})"
