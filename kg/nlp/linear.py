"""A linear classifier over sparse binary features, as kg ships its learned components.

Training happens in ``scripts/train_models.py`` (scikit-learn's logistic regression); what is
shipped is only the weights: for each feature string, one weight per label. Scoring an item is a
sum of the rows of its features plus the bias, then a softmax, with numpy only, so kg needs no
learning library at run time and a model file is plain, diffable JSON.

>>> m = LinearModel(("O", "Task"), {"head=tracking": [-1.0, 2.0]}, [0.5, -0.5])
>>> [round(float(p), 3) for p in m.probabilities([["head=tracking"], ["head=the"]])[0]]
[0.119, 0.881]
>>> int(m.probabilities([["head=tracking"], ["head=the"]])[1].argmax())
0
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np


class LinearModel:
    """Labels, a weight row per known feature and a bias row; unknown features weigh nothing."""

    def __init__(self, labels: Sequence[str], weights: dict[str, Sequence[float]], bias: Sequence[float],
                 meta: dict | None = None):
        self.labels = tuple(labels)
        self.index = {f: i for i, f in enumerate(weights)}
        k = len(self.labels)
        self.matrix = np.zeros((len(weights) + 1, k), dtype=np.float64)  # last row: unknown features
        for i, row in enumerate(weights.values()):
            self.matrix[i] = row
        self.bias = np.asarray(bias, dtype=np.float64)
        self.meta = meta or {}
        self._group_rows = lru_cache(maxsize=1 << 17)(self._rows_of_group)

    def _rows_of_group(self, group: tuple[str, ...]) -> tuple[int, ...]:
        unknown = len(self.index)
        return tuple(j for j in (self.index.get(f, unknown) for f in group) if j != unknown)

    def scores(self, items: Sequence[Sequence[str | tuple[str, ...]]]) -> np.ndarray:
        """Raw scores, one row per item: a list of feature strings, or of tuples of them that
        recur from item to item (their rows are looked up once and cached)."""
        n = len(items)
        if n == 0:
            return np.zeros((0, len(self.labels)))
        get = self.index.get
        unknown = len(self.index)  # the zero row
        rows: list[int] = []
        bounds = [0]
        group_rows = self._group_rows
        append, extend = rows.append, rows.extend
        for feats in items:
            for f in feats:
                if f.__class__ is str:
                    append(get(f, unknown))
                else:
                    extend(group_rows(f))
            append(unknown)  # every item gets at least one row, so no segment is empty
            bounds.append(len(rows))
        sums = np.add.reduceat(self.matrix[np.asarray(rows)], np.asarray(bounds[:-1]), axis=0)
        return sums + self.bias

    def probabilities(self, items: Sequence[Sequence[str]]) -> np.ndarray:
        """Softmax of :meth:`scores`: one row of label probabilities per item."""
        s = self.scores(items)
        s = s - s.max(axis=1, keepdims=True) if len(s) else s
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True) if len(e) else e

    # --- files ---------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {"labels": list(self.labels), "bias": [round(float(b), 5) for b in self.bias], "meta": self.meta,
                "weights": {f: [round(float(w), 4) for w in self.matrix[i]] for f, i in sorted(self.index.items())}}

    @classmethod
    def from_json(cls, d: dict) -> "LinearModel":
        """A model from its JSON form; a malformed one raises ValueError saying what is wrong."""
        if not isinstance(d, dict):
            raise ValueError(f"expected a JSON object, got {type(d).__name__}")
        labels, bias, weights = d["labels"], d["bias"], d["weights"]
        if not isinstance(labels, list) or not isinstance(bias, list) or not isinstance(weights, dict):
            raise ValueError("labels and bias must be lists, weights an object")
        if len(bias) != len(labels):
            raise ValueError(f"{len(bias)} bias values for {len(labels)} labels")
        for f, row in weights.items():
            if not isinstance(row, list) or len(row) != len(labels):
                raise ValueError(f"the weights of {f!r} are not one number per label")
        return cls(labels, weights, bias, d.get("meta"))

    def save(self, path: Path) -> None:
        """Write the model as gzipped JSON (deterministic: sorted features, fixed rounding, no
        timestamp in the gzip header), so the same training data gives the same bytes."""
        data = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            f.write(data)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                return cls.from_json(json.load(f))
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:  # EOFError: a cut-off gzip
            raise ValueError(f"{path}: not a kg model file ({exc})") from None
