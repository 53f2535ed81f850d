"""CSV and TSV: a header row with ``title`` and ``abstract`` columns (any case), the rows
streamed through the :mod:`csv` module (quoted fields may span lines; a row is reported by the
line it starts on). The delimiter is the format's, else the first that finds both columns.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from . import InputError, _has_columns, _header_cells, _open_text, _raw_lines, _Sniff

__all__ = ["read_records"]


def read_records(path: str, sniff: _Sniff, fmt: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with _open_text(sniff, "") as stream:
        lines = _raw_lines(stream, path)
        header_line = next(lines, "")
        header_lines = header_line.count("\n") or 1
        delimiters = ("\t", ",", ";") if fmt == "tsv" else (",", ";", "\t")
        columns: dict[str, int] = {}
        found: list[str] = []
        for delimiter in delimiters:
            cells = _header_cells(header_line, delimiter)
            found = found or cells
            if _has_columns(cells):
                columns = {name: i for i, name in reversed(list(enumerate(cells)))}  # first wins
                break
        else:
            shown = ", ".join(repr(c) for c in found[:12]) or "none"
            raise InputError(path, 1, f"no 'title' and 'abstract' columns in the {fmt.upper()} header (found: {shown})")
        reader = csv.reader(lines, delimiter=delimiter)
        count = 0
        while True:
            line = header_lines + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                count += 1
                yield line, f"bad {fmt.upper()} record: {e}"
                continue
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            yield line, {name: row[i] for name, i in columns.items() if i < len(row)}
        if not count:
            raise InputError(path, None, f"no records after the {fmt.upper()} header")
