"""kg.nlp.linear.LinearModel: the file format kg ships its learned components in, and how it scores."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from kg.nlp.linear import LinearModel

LABELS = ("O", "Method", "Task")
# weights with at most 4 decimals and a bias with at most 5: what a saved file keeps exactly
WEIGHTS = {
    "head=tracking": [-1.25, 0.5, 2.0],
    "first=gripper": [0.0, -0.75, 1.5],
    "shape=XxX": [-2.0, 3.125, -0.5],
    "src=lexicon|Method": [-0.0625, 1.0, 0.25],
}
BIAS = [1.5, -0.25, -0.75]
META = {"heads": ["tracking", "estimation"], "threshold": 0.3}
ITEMS = [["head=tracking", "first=gripper"], ["shape=XxX", "src=lexicon|Method"], ["head=tracking"],
         ["unseen", "head=tracking", "unseen"], []]


def softmax(x) -> np.ndarray:
    e = np.exp(np.asarray(x, dtype=np.float64) - np.max(x))
    return e / e.sum()


@pytest.fixture
def model() -> LinearModel:
    return LinearModel(LABELS, WEIGHTS, BIAS, META)


# --------------------------------------------------------------------------- files


def test_save_then_load_gives_identical_probabilities(model, tmp_path):
    path = tmp_path / "models" / "m.json.gz"  # the folder is created
    model.save(path)
    loaded = LinearModel.load(path)
    assert loaded.labels == LABELS
    assert loaded.meta == META
    assert np.array_equal(loaded.probabilities(ITEMS), model.probabilities(ITEMS))
    assert np.array_equal(loaded.scores(ITEMS), model.scores(ITEMS))
    assert not (tmp_path / "models" / "m.json.gz.tmp").exists()  # written atomically, nothing left over


def test_saved_weights_are_rounded_but_probabilities_barely_move(tmp_path):
    m = LinearModel(LABELS, {"a": [0.123456789, -1.987654321, 0.5]}, [0.1111111111, 0.0, -0.3333333333])
    m.save(tmp_path / "m.json.gz")
    loaded = LinearModel.load(tmp_path / "m.json.gz")
    assert np.allclose(loaded.probabilities([["a"]]), m.probabilities([["a"]]), atol=1e-4)


def test_the_same_model_saved_twice_gives_identical_bytes(model, tmp_path, monkeypatch):
    # a gzip header holds the time and the file name unless told otherwise: pin neither here
    monkeypatch.setattr(gzip.time, "time", lambda: 1_000_000_000.0)
    model.save(tmp_path / "first.json.gz")
    monkeypatch.setattr(gzip.time, "time", lambda: 1_700_000_000.0)
    model.save(tmp_path / "second-name.json.gz")
    first = (tmp_path / "first.json.gz").read_bytes()
    assert first == (tmp_path / "second-name.json.gz").read_bytes()
    assert first[:2] == b"\x1f\x8b"  # gzip
    assert first[4:8] == b"\0\0\0\0"  # no timestamp


def test_feature_order_does_not_change_the_file(model, tmp_path):
    """Training that meets the features in another order writes the same bytes."""
    shuffled = LinearModel(LABELS, dict(reversed(list(WEIGHTS.items()))), BIAS, META)
    model.save(tmp_path / "a.json.gz")
    shuffled.save(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()


def test_a_saved_model_is_plain_json_inside(model, tmp_path):
    model.save(tmp_path / "m.json.gz")
    with gzip.open(tmp_path / "m.json.gz", "rt", encoding="utf-8") as f:
        d = json.load(f)
    assert d["labels"] == list(LABELS)
    assert d["weights"]["head=tracking"] == WEIGHTS["head=tracking"]
    assert d["bias"] == BIAS


# --------------------------------------------------------------------------- scoring


def test_scores_are_the_bias_plus_the_rows_of_the_features(model):
    s = model.scores([["head=tracking", "first=gripper"]])[0]
    expected = np.add(np.add(WEIGHTS["head=tracking"], WEIGHTS["first=gripper"]), BIAS)
    assert np.allclose(s, expected)
    p = model.probabilities([["head=tracking", "first=gripper"]])[0]
    assert np.allclose(p, softmax(expected))
    assert p.sum() == pytest.approx(1.0)


def test_unknown_features_weigh_nothing(model):
    bias_only = softmax(BIAS)
    p = model.probabilities([["never-seen"], ["never-seen", "nor-this", "w=zzz"], []])
    for row in p:
        assert np.allclose(row, bias_only)
    # and an unknown feature next to known ones changes nothing
    with_unknown = model.probabilities([["head=tracking", "never-seen", "first=gripper"]])
    assert np.array_equal(with_unknown, model.probabilities([["head=tracking", "first=gripper"]]))


def test_grouped_features_score_as_the_same_strings_flattened(model):
    grouped = [
        [("head=tracking", "first=gripper"), "shape=XxX"],
        ["src=lexicon|Method", ("head=tracking", "unseen")],
        [("head=tracking", "first=gripper")],  # the same group again: its rows come from the cache
        [("unseen", "also-unseen")],
        [("shape=XxX",), ("shape=XxX",)],  # a feature twice counts twice, grouped or not
    ]
    flat = [[x for g in item for x in ((g,) if isinstance(g, str) else g)] for item in grouped]
    assert np.allclose(model.scores(grouped), model.scores(flat))
    assert np.allclose(model.probabilities(grouped), model.probabilities(flat))
    # and the cache does not leak one model's rows into another's
    other = LinearModel(LABELS, {"head=tracking": [0.0, 0.0, -5.0]}, [0.0, 0.0, 0.0])
    assert np.allclose(other.scores([[("head=tracking", "first=gripper")]]), [[0.0, 0.0, -5.0]])


def test_no_items_give_an_empty_matrix(model):
    assert model.scores([]).shape == (0, len(LABELS))
    assert model.probabilities([]).shape == (0, len(LABELS))


# --------------------------------------------------------------------------- bad files


def _good_bytes(model, tmp_path) -> bytes:
    model.save(tmp_path / "good.json.gz")
    return (tmp_path / "good.json.gz").read_bytes()


BAD_FILES = {
    "plain-json": lambda good: json.dumps({"labels": ["O"], "weights": {}, "bias": [0]}).encode(),
    "empty": lambda good: b"",
    "text": lambda good: b"this is not a model\n",
    "gzip-not-json": lambda good: gzip.compress(b"head=tracking\t1.0\n"),
    "no-labels": lambda good: gzip.compress(b'{"weights": {}, "bias": [0]}'),
    "row-of-wrong-length": lambda good: gzip.compress(
        b'{"labels": ["O", "Task"], "weights": {"a": [1, 2, 3]}, "bias": [0, 0]}'),
    "truncated-gzip": lambda good: good[:len(good) // 2],
    "json-list": lambda good: gzip.compress(b"[1, 2, 3]"),
    "json-null": lambda good: gzip.compress(b"null"),
    "bias-of-wrong-length": lambda good: gzip.compress(
        b'{"labels": ["O", "Method", "Task"], "weights": {"a": [1, 2, 3]}, "bias": [0.5]}'),
}
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_corrupt_or_foreign_file_raises_value_error_naming_it(model, tmp_path, case):
    path = tmp_path / f"{case}.json.gz"
    path.write_bytes(BAD_FILES[case](_good_bytes(model, tmp_path)))
    with pytest.raises(ValueError) as info:
        LinearModel.load(path)
    assert str(path) in str(info.value)
    assert "not a kg model file" in str(info.value)


def test_a_missing_file_raises_value_error_naming_it(tmp_path):
    path = tmp_path / "nowhere" / "mentions.json.gz"
    with pytest.raises(ValueError, match="mentions.json.gz"):
        LinearModel.load(path)
