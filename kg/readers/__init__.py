"""The reading stage: turn input files into a stream of :class:`~kg.model.Paper` records.

Formats (see :data:`FORMATS`), chosen per file by :func:`detect_format` unless forced:

* ``listing`` (:mod:`kg.readers.listing`) -- plain text copied from a paper-aggregator page: a title line followed by its
  abstract paragraph (on the next lines or after a blank line), with page chrome around them
  (navigation words, dates, upvote counts, "Submitted by ...", author lines) that is ignored.
* ``jsonl`` (:mod:`kg.readers.jsonl`) -- one JSON object per line (streamed line by line).
* ``json`` (:mod:`kg.readers.jsondoc`) -- a JSON array of objects, a single object, or an object holding such an array
  under ``papers``/``data``/``records``/``items``/``results``. JSON documents are loaded whole:
  use JSON Lines for large inputs.
* ``csv`` / ``tsv`` (:mod:`kg.readers.table`) -- a header row with ``title`` and ``abstract`` columns (any case),
  streamed through the :mod:`csv` module.
* JSON and JSON Lines records of known bulk sources are mapped to papers: OpenAlex works
  (:mod:`kg.readers.openalex`: the abstract rebuilt from ``abstract_inverted_index``, the DOI
  kept) and the arXiv metadata snapshot (:mod:`kg.readers.arxiv`: year of the first version,
  the abs page as URL).
* Semantic Scholar Graph API papers (:mod:`kg.readers.semanticscholar`), and its bulk
  ``papers`` and ``abstracts`` JSON Lines, joined on ``corpusid`` across the inputs of one read
  (a record waits for its partner; those whose partner never comes are reported at the end).
* ``atom`` -- arXiv API search results saved as Atom XML (:mod:`kg.readers.atom`), parsed as
  they are read; the entries' categories are kept for ``categories``.
* ``bibtex`` / ``ris`` -- reference-manager exports (Zotero, Mendeley, EndNote): see
  :mod:`kg.readers.bibtex` and :mod:`kg.readers.ris`; an entry without an abstract is reported
  and skipped. Their DOI is kept (``Paper.doi``, ``owl:sameAs <https://doi.org/...>`` in RDF).

Records are objects or rows with ``title`` and ``abstract`` (aliases ``paperAbstract``,
``summary``) and optional ``id`` (alias ``paper_id``/``paperId``), ``year``, ``authors``
(a list of names or of ``{"name": ...}`` objects, or a ``"A, B and C"`` / ``"A; B"`` string),
``venue`` and ``url``; keys are matched case-insensitively. A record without an id gets
:func:`kg.model.paper_id_for`. ``Paper.source`` is ``"path:line"``.

Each input is opened and read once, from its first byte to its last, so pipes, FIFOs, process
substitutions (``<(zcat a.gz)``) and standard input (the path ``-``, shown as ``<stdin>``) read
whole: the first 64 KiB choose compression, encoding and format and are then given to the
reader again. Any input may be gzipped (recognised by its magic bytes); gzip data that inflates
more than :data:`MAX_GZIP_RATIO` times is stopped with an error. A directory is read
recursively, in sorted order, skipping hidden files and files without a known extension; a
sub-folder that cannot be listed is reported like an unreadable file. A file name that is not
valid text in the file system's encoding is shown with ``\\xNN`` escapes. The text encoding is
decided per file from its first bytes: a UTF-8/UTF-16/UTF-32 byte-order mark, BOM-less UTF-16,
else UTF-8 if the first 64 KiB decode as UTF-8 (later stray bytes decode as Latin-1), else
Windows-1252 (the printable superset of Latin-1; its five undefined bytes decode as Latin-1).

Text is cleaned: C0/C1 control characters other than newline and tab are removed (vertical
tab, form feed and NEL become newlines, CR LF and CR become LF), lone surrogates become U+FFFD,
a stray byte-order mark is dropped, text is NFC-normalised; titles have their whitespace
collapsed to single spaces; abstracts are stripped. HTML in titles is kept as text.

Problems: a file that cannot be read at all (missing, empty, binary, a CSV without
title/abstract columns, an invalid JSON document) raises :class:`InputError`; inside a
directory such a file is reported and skipped instead (unless ``strict``), but a directory
that yields no paper at all is an error. A bad record (invalid JSON line, not an object,
missing or empty abstract, over-long text, duplicate id) is reported as a :class:`Skipped`
to ``on_skip`` and ``stats`` and skipped; with ``strict=True`` it raises :class:`InputError`.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import logging
import math
import os
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Union

from kg.model import Paper, paper_id_for

__all__ = [
    "FORMATS", "InputError", "ReadStats", "Skipped", "detect_format", "read_papers",
    "MAX_ABSTRACT_CHARS", "MAX_TITLE_CHARS",
]

log = logging.getLogger(__name__)

PathLike = Union[str, "os.PathLike[str]"]

#: The input formats, as accepted by ``read_papers(format=...)`` and ``--format``.
FORMATS: tuple[str, ...] = ("listing", "jsonl", "json", "csv", "tsv", "bibtex", "ris", "atom")

#: Abstracts longer than this are skipped: real abstracts are never that long.
MAX_ABSTRACT_CHARS = 100_000
#: Titles longer than this are skipped (likely an abstract in the title field).
MAX_TITLE_CHARS = 2_000
#: A line longer than this (a JSON line or a listing paragraph) is skipped without being kept
#: in memory whole.
MAX_LINE_CHARS = 2_000_000
#: How many leading bytes are inspected to choose encoding and format.
SNIFF_BYTES = 64 * 1024

#: File extensions read from directories (each may also end in ``.gz``) and their format.
EXTENSIONS: dict[str, str] = {
    ".txt": "listing", ".text": "listing", ".listing": "listing",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".atom": "atom", ".xml": "atom",
}

_TITLE_KEYS = ("title",)
_ABSTRACT_KEYS = ("abstract", "paperabstract", "summary")
_ID_KEYS = ("id", "paper_id", "paperid")
_WRAPPER_KEYS = ("papers", "data", "records", "items", "results")


# --------------------------------------------------------------------------- errors, stats


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else path


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class InputError(Exception):
    """A fatal input problem. ``str(e)`` is one line: ``"path:line: problem"``.

    >>> e = InputError("papers.jsonl", 3, "invalid JSON: Expecting value (column 1)")
    >>> str(e)
    'papers.jsonl:3: invalid JSON: Expecting value (column 1)'
    >>> (e.path, e.line)
    ('papers.jsonl', 3)
    >>> str(InputError("missing.csv", None, "no such file or directory"))
    'missing.csv: no such file or directory'
    """

    def __init__(self, path: PathLike, line: int | None, problem: str) -> None:
        self.path: str = str(path)
        self.line: int | None = line
        self.problem: str = _one_line(problem)
        super().__init__(f"{_where(self.path, line)}: {self.problem}")

    def __reduce__(self):  # so the error crosses a process pool intact
        return (type(self), (self.path, self.line, self.problem))


@dataclass
class Skipped:
    """A bad record (or, inside a directory, a bad file) that was skipped.

    >>> str(Skipped("a.jsonl", 7, "missing abstract"))
    'a.jsonl:7: missing abstract'
    """

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{_where(self.path, self.line)}: {self.reason}"


@dataclass
class ReadStats:
    """Counts filled in by :func:`read_papers`: papers yielded, files opened, skips.

    >>> s = ReadStats(read=2, files=1)
    >>> s.summary()
    '2 papers read from 1 file'
    >>> s.skipped.append(Skipped("a.jsonl", 3, "missing abstract"))
    >>> s.summary()
    '2 papers read from 1 file, 1 skipped (a.jsonl:3: missing abstract)'
    """

    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    files: int = 0
    filtered: int = 0  # records left out by a ``categories`` filter

    def summary(self, examples: int = 3) -> str:
        """One line: papers read, files, skips with the first few ``examples``."""
        text = f"{self.read} paper{'s' * (self.read != 1)} read from {self.files} file{'s' * (self.files != 1)}"
        if self.skipped:
            shown = "; ".join(str(s) for s in self.skipped[:examples])
            more = len(self.skipped) - examples
            text += f", {len(self.skipped)} skipped ({shown}{f'; and {more} more' if more > 0 else ''})"
        return text


# --------------------------------------------------------------------------- text cleaning

_CONTROL_MAP: dict[int, str | None] = {c: None for c in itertools.chain(range(0x20), range(0x7F, 0xA0))}
_CONTROL_MAP.update({0x09: "\t", 0x0A: "\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0xFEFF: None})
_SURROGATE = re.compile("[\ud800-\udfff]")
#: characters that text does not contain: controls other than tab and line ends, replacement marks
_BINARY_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")


def _clean(text: str, *, single_line: bool) -> str:
    """Strip controls, fix surrogates, NFC-normalise; collapse whitespace if ``single_line``."""
    if _NEEDS_CLEANING.search(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_MAP)
        text = _SURROGATE.sub("\ufffd", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()) if single_line else text.strip()


# --------------------------------------------------------------------------- records -> Paper


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


def _get(fields: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value is not None:
            return value
    return None


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})(?!\d)", value)
        value = int(match.group(1)) if match else None
    return value if isinstance(value, int) and 1000 <= value <= 2999 else None


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.split(";") if ";" in value else re.split(r",|\band\b|&", value)
    elif isinstance(value, (list, tuple)):
        parts = [a.get("name") if isinstance(a, dict) else a for a in value]
    else:
        return ()
    names = (_clean(p, single_line=True) for p in parts if isinstance(p, str))
    return tuple(n for n in names if n)


def _optional_text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return (_clean(value, single_line=True) or None) if isinstance(value, str) else None


def _paper(fields: Mapping[str, Any], source: str) -> Paper | str:
    """A Paper from a record whose keys are lower-case, or the reason it is skipped."""
    raw_abstract = _get(fields, _ABSTRACT_KEYS)
    if raw_abstract is None:
        keys = ", ".join(sorted(fields)[:8]) or "none"
        return f"missing abstract (fields: {keys})"
    if not isinstance(raw_abstract, str):
        return f"abstract is not text (got {_kind(raw_abstract)})"
    if len(raw_abstract) > MAX_ABSTRACT_CHARS:
        return f"abstract too long ({len(raw_abstract):,} characters; limit {MAX_ABSTRACT_CHARS:,})"
    raw_title = _get(fields, _TITLE_KEYS)
    if raw_title is None:
        raw_title = ""
    if not isinstance(raw_title, str):
        return f"title is not text (got {_kind(raw_title)})"
    if len(raw_title) > MAX_TITLE_CHARS:
        return f"title too long ({len(raw_title):,} characters; limit {MAX_TITLE_CHARS:,})"
    abstract = _clean(raw_abstract, single_line=False)
    if not abstract:
        return "empty abstract"
    title = _clean(raw_title, single_line=True)
    raw_id = _get(fields, _ID_KEYS)
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        return f"id is not text (got {_kind(raw_id)})"
    paper_id = _clean(str(raw_id), single_line=True) if raw_id is not None else ""
    return Paper(
        id=paper_id or paper_id_for(title, abstract),
        title=title,
        abstract=abstract,
        year=_year(fields.get("year")),
        authors=_authors(fields.get("authors")),
        venue=_optional_text(fields.get("venue")),
        url=_optional_text(fields.get("url")),
        source=source,
        doi=normalize_doi(fields.get("doi")),
    )


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def normalize_doi(value: Any) -> str | None:
    """A DOI without its resolver prefix or ``doi:`` label; None when ``value`` holds none.

    >>> normalize_doi("https://doi.org/10.18653/v1/2020.acl-main.1"), normalize_doi("doi:10.1/x"), normalize_doi("n/a")
    ('10.18653/v1/2020.acl-main.1', None, None)
    """
    if not isinstance(value, str):
        return None
    m = _DOI.search(value.strip())
    return m.group(0).rstrip(".,;") if m else None


# --------------------------------------------------------------------------- opening files


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if isinstance(error, UnicodeDecodeError):
        return bytes(error.object[error.start:error.end]).decode("latin-1"), error.end
    raise error


codecs.register_error("kg.latin1", _latin1_fallback)

_MAGIC = tuple((re.compile(magic, re.DOTALL), name) for magic, name in (
    (rb"%PDF", "a PDF document"), (rb"PK\x03\x04", "a ZIP archive (extract it first)"),
    (rb"BZh[1-9]1AY&SY", "bzip2-compressed data (decompress it first)"),
    (rb"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (rb"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract it first)"),
    (rb"\x89PNG", "a PNG image"), (rb"\xff\xd8\xff", "a JPEG image"), (rb"GIF8[79]a", "a GIF image"),
    (rb"\x7fELF", "an executable"), (rb"SQLite format 3\x00", "an SQLite database"),
))
#: Control bytes that do not occur in text files (tab, newlines, form feed and escape do).
_BINARY_CONTROLS = bytes([*range(0, 9), 11, 14, 15, *range(16, 27), *range(28, 32)])
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class _Sniff:
    gzipped: bool
    encoding: str
    errors: str
    head: str  # the decoded first bytes, without BOM
    stream: IO[bytes]  # the file's bytes from the start (decompressed), opened once


#: The name standard input goes by in messages and in ``Paper.source`` (``-`` on the command line).
STDIN_NAME = "<stdin>"
#: A gzip stream that inflates to more than this many times its compressed size (past
#: :data:`_INFLATION_FLOOR` bytes) is stopped: text compresses 3 to 10 times, so this is not a paper file.
MAX_GZIP_RATIO = 100
_INFLATION_FLOOR = 64 * 1024 * 1024


def _is_stdin(path: Path) -> bool:
    return str(path) == "-"


def _display(path: Path) -> str:
    """``path`` as text that can be printed and encoded: standard input as ``<stdin>``, and a
    file name that is not valid in the file system's encoding with its stray bytes as ``\\xNN``."""
    if _is_stdin(path):
        return STDIN_NAME
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(path).decode("utf-8", "backslashreplace")
    return name


class _GzipBomb(OSError):
    """Raised while reading a gzip stream that inflates beyond :data:`MAX_GZIP_RATIO`."""


class _Replay(io.RawIOBase):
    """A stream read once (a file, a pipe, a FIFO, standard input), with ``head``, bytes already
    taken from it, given back first; counts the bytes it gives.

    Each input is opened once: its first bytes choose the compression, encoding and format, and
    are then replayed to the reader, so inputs that cannot be rewound are read whole. With
    ``compressed`` (the counter of the stream a gzip decompressor reads), reading stops with
    :class:`_GzipBomb` once the data inflates beyond :data:`MAX_GZIP_RATIO`.
    """

    def __init__(self, rest: IO[bytes], head: bytes = b"", compressed: "_Replay | None" = None) -> None:
        super().__init__()
        self.rest, self.head, self.count, self.compressed = rest, head, 0, compressed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
        else:
            n = self.rest.readinto(buffer) or 0
        self.count += n
        if (self.compressed is not None and self.count > _INFLATION_FLOOR
                and self.count > MAX_GZIP_RATIO * max(self.compressed.count, 1)):
            raise _GzipBomb(f"gzip data inflates more than {MAX_GZIP_RATIO} times "
                            f"({self.count:,} bytes from {self.compressed.count:,}): not a paper file; "
                            f"decompress it yourself if it is one")
        return n

    def close(self) -> None:
        try:
            if self.rest is not None and self.rest is not getattr(sys.stdin, "buffer", None):
                self.rest.close()
        finally:
            super().close()


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    """Up to ``n`` bytes, fewer only at the end (a pipe's read may return less than asked)."""
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _open_once(path: Path) -> tuple[IO[bytes], bool, bytes]:
    """Open ``path`` (``-``: standard input) once: the decompressed byte stream, whether it was
    gzipped, and its first :data:`SNIFF_BYTES` bytes (which the stream gives again)."""
    raw = sys.stdin.buffer if _is_stdin(path) else open(path, "rb")
    try:
        magic = _read_exactly(raw, 2)
        compressed = _Replay(raw, magic)
        gzipped = magic == b"\x1f\x8b"
        stream: IO[bytes] = io.BufferedReader(compressed)
        if gzipped:
            inflated = _Replay(gzip.GzipFile(fileobj=stream, mode="rb"), compressed=compressed)
            stream = io.BufferedReader(inflated)
        head = _read_exactly(stream, SNIFF_BYTES)
    except BaseException:
        if raw is not getattr(sys.stdin, "buffer", None):
            raw.close()
        raise
    return io.BufferedReader(_Replay(stream, head)), gzipped, head


def _choose_encoding(head: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, "replace"
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.4 * len(sample) / 2 and even < 0.05 * len(sample) / 2:
            return "utf-16-le", "replace"
        if even > 0.4 * len(sample) / 2 and odd < 0.05 * len(sample) / 2:
            return "utf-16-be", "replace"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character cut off at the end of the sample is fine
        if not (e.reason == "unexpected end of data" and e.start >= len(head) - 3):
            return "cp1252", "kg.latin1"
    return "utf-8-sig", "kg.latin1"


def _sniff(path: Path) -> _Sniff:
    """Open ``path`` once, check that it is readable, non-empty text, and choose its encoding."""
    name = _display(path)
    if not _is_stdin(path):
        if not path.exists():
            raise InputError(name, None, "no such file or directory")
        if path.is_dir():
            raise InputError(name, None, "is a directory, not a file")
    try:
        stream, gzipped, head = _open_once(path)
    except (OSError, EOFError, zlib.error) as e:
        raise _read_error(name, None, e) from e
    try:
        return _check_text(name, stream, gzipped, head)
    except BaseException:
        stream.close()
        raise


def _check_text(name: str, stream: IO[bytes], gzipped: bool, head: bytes) -> _Sniff:
    for magic, what in _MAGIC:
        if magic.match(head):
            raise InputError(name, 1, f"binary data: this is {what}, not text")
    encoding, errors = _choose_encoding(head)
    if not encoding.startswith(("utf-16", "utf-32")):
        controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
        if b"\x00" in head or controls > 0.05 * len(head):
            raise InputError(name, 1, "binary data, not text (contains NUL or control bytes)")
    text = codecs.getincrementaldecoder(encoding)(errors).decode(head, final=False).lstrip("\ufeff")
    if encoding.startswith(("utf-16", "utf-32")) and len(_BINARY_CHARS.findall(text)) > 0.05 * len(text):
        # NUL bytes every other byte look like UTF-16; text would not decode to control characters
        raise InputError(name, 1, "binary data, not text (control characters where UTF-16 text was expected)")
    if not text.strip():
        raise InputError(name, None, "empty file" + (" (after decompression)" if gzipped else ""))
    return _Sniff(gzipped, encoding, errors, text, stream)


def _open_text(sniff: _Sniff, newline: str | None) -> IO[str]:
    return io.TextIOWrapper(sniff.stream, encoding=sniff.encoding, errors=sniff.errors, newline=newline)


def _read_error(path: str, line: int | None, error: BaseException) -> InputError:
    if isinstance(error, _GzipBomb):
        return InputError(path, line, str(error))
    if isinstance(error, (EOFError, zlib.error, gzip.BadGzipFile)):
        return InputError(path, line, f"corrupt gzip data: {error}")
    detail = error.strerror if isinstance(error, OSError) and error.strerror else error  # no "[Errno 13]"
    return InputError(path, line, f"cannot read: {detail}")


def _lines(stream: IO[str], path: str) -> Iterator[tuple[int, str | None]]:
    """Yield ``(line number, line)``; a line over ``MAX_LINE_CHARS`` is yielded as None."""
    number = 0
    while True:
        try:
            line = stream.readline(MAX_LINE_CHARS)
            if not line:
                return
            if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
                while (rest := stream.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                    pass
                line = None
        except (OSError, EOFError, zlib.error) as e:
            raise _read_error(path, number + 1, e) from e
        number += 1
        yield number, line


def _raw_lines(stream: IO[str], path: str) -> Iterator[str]:
    """The stream's lines, read errors turned into :class:`InputError` (for :mod:`csv`)."""
    number = 0
    while True:
        try:
            line = stream.readline()
        except (OSError, EOFError, zlib.error) as e:
            raise _read_error(path, number + 1, e) from e
        if not line:
            return
        number += line.count("\n") or 1
        yield line


# --------------------------------------------------------------------------- format detection


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def _extension(path: Path) -> str:
    return os.path.splitext(_strip_gz(path.name))[1].lower()


def _header_cells(line: str, delimiter: str) -> list[str]:
    """The lower-cased cells of a CSV header line (empty if it does not parse)."""
    try:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [c.strip().lstrip("\ufeff").strip().lower() for c in cells]


def _has_columns(cells: list[str]) -> bool:
    return "title" in cells and bool(set(cells) & set(_ABSTRACT_KEYS))


def _header_format(line: str) -> str | None:
    for fmt, delimiter in (("tsv", "\t"), ("csv", ","), ("csv", ";")):
        if _has_columns(_header_cells(line, delimiter)):
            return fmt
    return None


def _detect(path: Path, head: str) -> str:
    ext = _extension(path)
    text = head.lstrip()
    first_line = text.split("\n", 1)[0].rstrip("\r")
    looks_jsonl = False
    if text.startswith("{") and "\n" in text:
        try:
            looks_jsonl = isinstance(json.loads(first_line), dict)
        except (ValueError, RecursionError):
            pass
    if EXTENSIONS.get(ext) == "jsonl":
        return "json" if text.startswith("[") else "jsonl"
    if EXTENSIONS.get(ext) == "json":
        return "jsonl" if looks_jsonl else "json"
    if EXTENSIONS.get(ext) in ("csv", "tsv", "bibtex", "ris", "atom"):
        return EXTENSIONS[ext]
    from .atom import looks_like_atom
    if looks_like_atom(text):
        return "atom"
    if re.match(r"@\s*[A-Za-z]+\s*[{(]", text):
        return "bibtex"
    if re.match(r"TY  - ", text):
        return "ris"
    if re.match(r"\[\s*[{\]]", text):
        return "json"
    if looks_jsonl:
        return "jsonl"
    if re.match(r'\{\s*"', text):
        return "json"
    return _header_format(first_line) or "listing"


def detect_format(path: PathLike) -> str:
    """The format of a file, from its extension and its first bytes (gzip is looked through).

    ``.jsonl``/``.json`` files are told apart by content (an array, or an object per line),
    ``.csv``/``.tsv`` go by extension, and other files (``.txt``, no extension) are JSON if
    they look like it, CSV/TSV if their first line is a header with ``title`` and ``abstract``,
    and a listing otherwise. Raises :class:`InputError` if the file is missing, empty or binary.

    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.json").write_text('{"title": "T", "abstract": "A."}\\n{"title": "U", "abstract": "B."}\\n')
    >>> detect_format(d / "a.json")
    'jsonl'
    >>> _ = (d / "b.txt").write_text("Title,Abstract\\nT,An abstract.\\n")
    >>> detect_format(d / "b.txt")
    'csv'
    >>> _ = (d / "c.txt").write_text("A Title\\n\\nAn abstract paragraph.\\n")
    >>> detect_format(d / "c.txt")
    'listing'
    >>> import shutil; shutil.rmtree(d)
    """
    path = Path(path)
    sniff = _sniff(path)
    sniff.stream.close()
    return _detect(path, sniff.head)


# --------------------------------------------------------------------------- format readers
# One module per format (jsonl, jsondoc, table, listing, atom, bibtex, ris), each with a
# read_records that yields (line, record): record is a dict with lower-case keys, or a str, the
# reason the record at that line is skipped. File-level problems raise InputError. Records of
# known bulk sources (openalex, arxiv, semanticscholar) are then mapped to kg's fields.


def _from_source(fields: dict[str, Any]) -> dict[str, Any]:
    """A record of a known bulk source (OpenAlex works, the arXiv snapshot, Semantic Scholar
    papers) in kg's fields."""
    from . import arxiv, openalex, semanticscholar

    if openalex.is_work(fields):
        return openalex.paper_fields(fields)
    if arxiv.is_snapshot_record(fields):
        return arxiv.paper_fields(fields)
    if semanticscholar.is_api_paper(fields):
        return semanticscholar.paper_fields(fields)
    return fields


def _records(path: Path, fmt: str | None) -> Iterator[tuple[int, dict[str, Any] | str]]:
    sniff = _sniff(path)
    fmt = fmt or _detect(path, sniff.head)
    name = _display(path)
    from . import atom, jsondoc, jsonl, listing, table  # one module per format

    if fmt == "jsonl":
        return jsonl.read_records(name, sniff)
    if fmt == "json":
        return jsondoc.read_records(name, sniff)
    if fmt in ("csv", "tsv"):
        return table.read_records(name, sniff, fmt)
    if fmt in ("bibtex", "ris"):
        from . import bibtex, ris  # the reference-manager exports, on their maintained parsers
        return (bibtex if fmt == "bibtex" else ris).read_records(name, _read_whole(name, sniff))
    if fmt == "atom":
        return atom.read_records(name, sniff)
    return listing.read_records(name, sniff)


def _read_whole(path: str, sniff: _Sniff) -> str:
    """The whole decoded text of a file (formats whose parsers take a document)."""
    try:
        with _open_text(sniff, None) as stream:
            return stream.read().lstrip("\ufeff")
    except (OSError, EOFError, zlib.error) as e:
        raise _read_error(path, None, e) from e


def _directory_files(directory: Path) -> tuple[list[Path], int, list[tuple[str, OSError]]]:
    """Non-hidden files with a known extension under ``directory``, sorted; how many others; and
    the folders that could not be listed, with their errors."""
    found: list[Path] = []
    ignored = 0
    unreadable: list[tuple[str, OSError]] = []
    for root, dirs, files in os.walk(directory, onerror=lambda e: unreadable.append((e.filename, e))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if _extension(Path(name)) in EXTENSIONS:
                found.append(Path(root) / name)
            else:
                ignored += 1
    return found, ignored, unreadable


class _Reading:
    """The state of one :func:`read_papers` call: options, seen ids, stats."""

    def __init__(self, fmt: str | None, strict: bool, stats: ReadStats,
                 on_skip: Callable[[Skipped], None] | None, categories: frozenset[str] = frozenset()) -> None:
        self.fmt, self.strict, self.stats, self.on_skip = fmt, strict, stats, on_skip
        self.categories = categories
        self.seen: dict[str, str] = {}
        from .semanticscholar import BulkJoin
        self.s2 = BulkJoin()  # Semantic Scholar bulk records waiting for their partner

    def unmatched(self) -> None:
        """Report the Semantic Scholar records whose partner never came."""
        for name, line, reason in self.s2.unmatched():
            self.skip(name, line, reason)

    def skip(self, path: str, line: int | None, reason: str) -> None:
        if self.strict:
            raise InputError(path, line, reason)
        skipped = Skipped(path, line, reason)
        self.stats.skipped.append(skipped)
        if self.on_skip is not None:
            self.on_skip(skipped)
        else:
            log.warning("skipped %s", skipped)

    def file(self, path: Path, in_directory: bool) -> Iterator[Paper]:
        name = _display(path)
        try:
            records = _records(path, self.fmt)
            self.stats.files += 1
            for line, record in records:
                yield from self.record(record, name, line)
        except InputError as e:
            if not in_directory or self.strict:
                raise
            self.skip(e.path, e.line, e.problem)

    def record(self, record: dict[str, Any] | str, name: str, line: int) -> Iterator[Paper]:
        """The paper of one record (none while it waits for its partner, or when skipped)."""
        if isinstance(record, dict):
            joined = self.s2.join(record, name, line)
            if joined is None:
                return
            record, name, line = joined
            record = _from_source(record)
            if self.categories and not self.categories.intersection(record.get("categories") or ()):
                self.stats.filtered += 1  # not a bad record: one the user did not ask for
                return
        source = f"{name}:{line}"
        paper = _paper(record, source) if isinstance(record, dict) else record
        if isinstance(paper, str):
            self.skip(name, line, paper)
            return
        first = self.seen.get(paper.id)
        if first is not None:
            self.skip(name, line, f"duplicate id {paper.id} (first at {first})")
            return
        self.seen[paper.id] = source
        self.stats.read += 1
        yield paper

    def directory(self, directory: Path) -> Iterator[Paper]:
        before_read, before_skipped = self.stats.read, len(self.stats.skipped)
        files, ignored, unreadable = _directory_files(directory)
        for folder, error in unreadable:  # reported like an unreadable file; fatal with strict
            self.skip(_display(Path(folder)), None, f"cannot read folder: {error.strerror or error}")
        for path in files:
            yield from self.file(path, in_directory=True)
        if self.stats.read == before_read:
            skipped = len(self.stats.skipped) - before_skipped
            known = ", ".join(sorted(set(EXTENSIONS)))
            raise InputError(directory, None, (
                f"no readable papers in directory ({len(files)} paper files, {skipped} skipped; "
                f"{ignored} other files ignored; paper files end in {known}, optionally .gz)"))


def read_papers(
    paths: Iterable[PathLike] | PathLike,
    format: str | None = None,
    *,
    strict: bool = False,
    stats: ReadStats | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    categories: Iterable[str] = (),
) -> Iterator[Paper]:
    """Read papers from files and directories, lazily, in order.

    ``format`` (one of :data:`FORMATS`) forces the format of every file; by default each
    file's is detected (:func:`detect_format`). Bad records are skipped and reported to
    ``on_skip`` (else logged as warnings) and to ``stats``; with ``strict=True`` the first one
    raises :class:`InputError` instead. Paths that do not exist raise :class:`InputError` at
    once; other problems surface while iterating. Ids are unique over the whole call: a later
    record with an id already read is skipped. ``categories`` keeps only the records of a source
    that lists categories (the arXiv snapshot) with at least one of them (``stats.filtered``
    counts the others).

    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.jsonl").write_text(
    ...     '{"id": "a1", "title": "Sparse Attention", "abstract": "We study sparse attention.", "year": 2023}\\n'
    ...     '{"title": "No Abstract"}\\n')
    >>> stats = ReadStats()
    >>> papers = list(read_papers([d / "p.jsonl"], stats=stats, on_skip=lambda s: None))
    >>> [(p.id, p.title, p.year, p.source.endswith("p.jsonl:1")) for p in papers]
    [('a1', 'Sparse Attention', 2023, True)]
    >>> stats.skipped[0].line, stats.skipped[0].reason
    (2, 'missing abstract (fields: title)')
    >>> next(read_papers([d / "p.jsonl"], strict=True, on_skip=print)).id
    'a1'
    >>> list(read_papers([d / "p.jsonl"], strict=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.readers.InputError: ...p.jsonl:2: missing abstract (fields: title)
    >>> import shutil; shutil.rmtree(d)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if format is not None and format.lower() not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    inputs = [Path(p) for p in paths]
    if not inputs:
        raise InputError("<input>", None, "no input files given")
    for path in inputs:
        if not _is_stdin(path) and not path.exists():
            raise InputError(_display(path), None, "no such file or directory")
    if sum(map(_is_stdin, inputs)) > 1:
        raise InputError(STDIN_NAME, None, "standard input (-) given more than once")
    reading = _Reading(format.lower() if format else None, strict, stats if stats is not None else ReadStats(), on_skip,
                       frozenset(c.strip() for c in categories if c.strip()))

    def generate() -> Iterator[Paper]:
        for path in inputs:
            if not _is_stdin(path) and path.is_dir():
                yield from reading.directory(path)
            else:
                yield from reading.file(path, in_directory=False)
        reading.unmatched()

    return generate()
