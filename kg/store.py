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

import pickle
import zlib
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


class ExtractionStore(Sequence[PaperExtraction]):
    """A list of paper extractions kept as compressed bytes, decoded on each read.

    Reading gives a new object each time: change one and store it again to keep the change.
    ``ids`` holds each paper's id as one string, shared with whatever keeps the id (the
    entities' paper sets), so a million decoded copies of an id are not kept alive.
    """

    __slots__ = ("_blobs", "ids")

    def __init__(self, extractions: Iterable[PaperExtraction] = ()):
        self._blobs: list[bytes] = []
        self.ids: list[str] = []
        self.extend(extractions)

    @classmethod
    def wrap(cls, extractions: Iterable[PaperExtraction]) -> ExtractionStore:
        """``extractions`` if it is a store already, else a store of them."""
        return extractions if isinstance(extractions, cls) else cls(extractions)

    def append(self, x: PaperExtraction) -> None:
        self._blobs.append(encode(x))
        self.ids.append(x.paper.id)

    def extend(self, extractions: Iterable[PaperExtraction]) -> None:
        for x in extractions:
            self.append(x)

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [decode(b) for b in self._blobs[i]]
        return decode(self._blobs[i])

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
        out._blobs = [self._blobs[i] for i in order]
        out.ids = [self.ids[i] for i in order]
        return out

    def drain(self) -> Iterator[PaperExtraction]:
        """Each extraction in order, dropped from the store as it is handed out."""
        self._blobs.reverse()
        self.ids.reverse()
        while self._blobs:
            self.ids.pop()
            yield decode(self._blobs.pop())

    def nbytes(self) -> int:
        """The bytes the extractions take, compressed."""
        return sum(len(b) for b in self._blobs)


__all__ = ["ExtractionStore", "decode", "encode"]
