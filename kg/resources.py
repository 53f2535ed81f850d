"""Where kg's data files are: the ``ontology/`` folder, shipped in the wheel as ``kg/_ontology``."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The folder with ``kg.ttl``, ``shapes.ttl``, ``lexicon/`` and ``queries/``.

    An installed wheel carries it as ``kg/_ontology``; a source checkout (or an editable
    install) has it at the repository root.

    >>> (ontology_dir() / "lexicon").is_dir()
    True
    """
    shipped = _PACKAGE / "_ontology"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "ontology"


def ontology_path(*parts: str) -> Path:
    """A file under :func:`ontology_dir`, e.g. ``ontology_path("queries", "x.rq")``."""
    return ontology_dir().joinpath(*parts)
