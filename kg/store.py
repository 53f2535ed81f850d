"""Paper extractions held compressed in memory, for corpora too large to hold as objects.

A paper's extraction as Python objects (its Paper, Mentions, Relations and Results) takes about
8 KB; pickled and compressed it takes about 1 KB. A build keeps every paper's extraction from
extraction to export (linking reads them twice, the graph and the cache once more), so at a
million papers the objects alone would take 8 GB. :class:`ExtractionStore` keeps them as bytes
and hands each one out as objects only while it is being read.

>>> from kg.model import Paper
>>> store = ExtractionStore([PaperExtraction(Paper("b", "", "Text b.")), PaperExtraction(Paper("a", "", "Text a."))])
>>> len(store), store[1].paper.id, [x.paper.id for x in store.sorted_by_id()]
(2, 'a', ['a', 'b'])
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .model import PaperExtraction

#: zlib level 1: a third of the bytes of plain pickles, at a third of level 6's cost to write
_LEVEL = 1


def encode(x: Any) -> bytes:
    """``x`` (an extraction, a paper: any of kg's records) as compressed bytes (:func:`decode`
    reads them back)."""
    return zlib.compress(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL), _LEVEL)


def decode(blob: bytes) -> Any:
    """The record :func:`encode` wrote (only ever bytes this process or its cache made)."""
    return pickle.loads(zlib.decompress(blob))  # noqa: S301 - our own bytes, never a user's file


class _SpillFile:
    """Compressed extractions appended to an unnamed temporary file, read back by offset: what
    an :class:`ExtractionStore` made with ``spill=True`` keeps instead of a list of bytes. The
    file goes when the last store reading it does."""

    __slots__ = ("_file", "_offsets", "_lengths")

    def __init__(self, file=None, offsets: array | None = None, lengths: array | None = None):
        self._file = file if file is not None else tempfile.TemporaryFile(prefix="kg-extractions-")
        self._offsets = offsets if offsets is not None else array("q")
        self._lengths = lengths if lengths is not None else array("l")

    def append(self, blob: bytes) -> None:
        self._file.seek(0, os.SEEK_END)
        self._offsets.append(self._file.tell())
        self._lengths.append(len(blob))
        self._file.write(blob)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, i: int) -> bytes:
        self._file.seek(self._offsets[i])
        return self._file.read(self._lengths[i])

    def __iter__(self) -> Iterator[bytes]:
        for i in range(len(self)):
            yield self[i]

    def permuted(self, order: list[int]) -> _SpillFile:
        """The same bytes, read in ``order`` (nothing is copied but the offsets)."""
        self._file.flush()
        return _SpillFile(self._file, array("q", (self._offsets[i] for i in order)),
                          array("l", (self._lengths[i] for i in order)))


class ExtractionStore(Sequence[PaperExtraction]):
    """A list of paper extractions kept as compressed bytes, decoded on each read.

    Reading gives a new object each time: change one and store it again to keep the change.
    ``ids`` holds each paper's id as one string, shared with whatever keeps the id (the
    entities' paper sets), so a million decoded copies of an id are not kept alive.
    With ``spill=True`` the bytes go to a temporary file rather than memory (``kg build`` and
    ``kg extract`` do so): a million papers' extractions take about 1.2 GB even compressed.
    """

    __slots__ = ("_blobs", "ids")

    def __init__(self, extractions: Iterable[PaperExtraction] = (), *, spill: bool = False):
        self._blobs: list[bytes] | _SpillFile = _SpillFile() if spill else []
        self.ids: list[str] = []
        self.extend(extractions)

    @classmethod
    def wrap(cls, extractions: Iterable[PaperExtraction]) -> ExtractionStore:
        """``extractions`` if it is a store already, else a store of them."""
        return extractions if isinstance(extractions, cls) else cls(extractions)

    def append(self, x: PaperExtraction) -> None:
        self._blobs.append(encode(x))
        self.ids.append(x.paper.id)

    def append_encoded(self, paper_id: str, blob: bytes) -> None:
        """Append an extraction already encoded by :func:`encode` (a cache entry reused as it is)."""
        self._blobs.append(blob)
        self.ids.append(paper_id)

    def extend(self, extractions: Iterable[PaperExtraction]) -> None:
        for x in extractions:
            self.append(x)

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [decode(self._blobs[j]) for j in range(*i.indices(len(self)))]
        return decode(self._blobs[range(len(self))[i]])

    def __iter__(self) -> Iterator[PaperExtraction]:
        for b in self._blobs:
            yield decode(b)

    def __eq__(self, other: object) -> bool:
        """Equal to a store or list of equal extractions in the same order."""
        if not isinstance(other, (ExtractionStore, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def id_order(self) -> list[int]:
        """The positions of the papers sorted by paper id."""
        return sorted(range(len(self.ids)), key=self.ids.__getitem__)

    def sorted_by_id(self) -> ExtractionStore:
        """A store of the same papers sorted by id (sharing the bytes; no paper is decoded)."""
        out = ExtractionStore()
        order = self.id_order()
        blobs = self._blobs
        out._blobs = blobs.permuted(order) if isinstance(blobs, _SpillFile) else [blobs[i] for i in order]
        out.ids = [self.ids[i] for i in order]
        return out

    def drain(self) -> Iterator[PaperExtraction]:
        """Each extraction in order, dropped from the store as it is handed out."""
        blobs = self._blobs
        for i in range(len(blobs)):
            blob = blobs[i]
            if isinstance(blobs, list):
                blobs[i] = b""  # its memory goes now
            yield decode(blob)
        self._blobs = []
        self.ids = []

    def nbytes(self) -> int:
        """The bytes the extractions take, compressed."""
        return sum(len(b) for b in self._blobs)


__all__ = ["ExtractionStore", "decode", "encode"]
