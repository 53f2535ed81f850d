"""Safe file output: every file kg writes appears whole or not at all.

* :func:`atomic_write` -- one file: written to a temporary file beside it, then renamed over it.
* :func:`atomic_outputs` -- a set of files (a build's ``graph.json``, ``graph.ttl``,
  ``void.ttl``, ``graph.html``, ...): written into a hidden staging folder inside the
  output folder, then renamed into place together once every one of them was written. A
  build that fails or is killed half way leaves the previous outputs exactly as they were
  (never a mix of new and old files), and files of the output folder that the build does
  not write are never touched.
* :func:`claim_output_folder` -- which files of an output folder a build may replace or
  remove: only those an earlier build recorded in its manifest (:data:`BUILD_MANIFEST`). A
  non-empty folder that is not a kg build is refused unless the caller forces it, so a build
  into ``~`` or into a folder of the user's own ``graph.nt`` deletes nothing.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["BUILD_MANIFEST", "OutputFolderError", "STAGING_PREFIX", "atomic_outputs", "atomic_write",
           "build_manifest", "claim_output_folder", "is_build_file", "printable", "text_table"]

#: Name prefix of the hidden staging folders of :func:`atomic_outputs` (readers skip hidden
#: folders, so a staging folder is never read as input).
STAGING_PREFIX = ".kg-staging-"
#: The manifest of a build folder: which files the last build wrote there (written last).
BUILD_MANIFEST = ".kg-build.json"
BUILD_FORMAT = "kg-build"


class OutputFolderError(ValueError):
    """An output folder kg must not write into (it holds files kg did not write)."""


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file (0o666 minus the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    If the block raises (or the process dies), ``path`` keeps its previous content and the
    temporary file is removed, so an interrupted build never leaves a half-written output.
    The new file gets the permissions of the file it replaces, or those of a newly created
    file (not the private 0600 of a temporary file).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_write(d / "a.txt") as f:
    ...     _ = f.write("whole")
    >>> (d / "a.txt").read_text()
    'whole'
    >>> try:
    ...     with atomic_write(d / "a.txt") as f:
    ...         _ = f.write("half")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> (d / "a.txt").read_text()
    'whole'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    try:
        file_mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        file_mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, file_mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


#: On systems where a process cannot be probed (Windows), a staging folder older than this
#: (seconds) is taken for a dead build's.
_STALE_AFTER = 24 * 3600


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (POSIX only: on Windows ``os.kill`` would terminate it)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process (EPERM), or we cannot tell: leave its folder alone
    return True


def _remove_stale_stages(directory: Path) -> None:
    """Remove staging folders left behind by builds that were killed (their process is gone)."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIX) or not entry.is_dir():
            continue
        pid_text = entry.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if os.name == "posix":
            stale = pid_text.isdigit() and not _pid_alive(int(pid_text))
        else:
            try:
                stale = time.time() - entry.stat().st_mtime > _STALE_AFTER
            except OSError:
                stale = False
        if stale:
            shutil.rmtree(entry, ignore_errors=True)


def _staged_files(stage: Path) -> list[Path]:
    """The finished files of a staging folder, relative to it (leftover temporaries excluded)."""
    found = []
    for root, dirs, files in os.walk(stage):
        dirs[:] = sorted(d for d in dirs if not d.startswith(STAGING_PREFIX))
        for name in sorted(files):
            if name.startswith(".") and name.endswith(".tmp"):
                continue
            found.append((Path(root) / name).relative_to(stage))
    return found


@contextlib.contextmanager
def atomic_outputs(directory: str | Path, owned: Iterable[str] = (), manifest: dict | None = None) -> Iterator[Path]:
    """Stage a set of output files, then move them into ``directory`` all at once.

    Yields a hidden staging folder inside ``directory``: write every output there (with
    :func:`atomic_write` or anything else). When the block ends normally every file in the
    staging folder is renamed into ``directory`` (same file system, so each rename is
    atomic; they follow each other immediately, after all the writing is done). If the block
    raises, or the process is killed, nothing in ``directory`` changes; the staging folder is
    removed (a killed build's one is removed by the next call on the same folder). Files in
    ``directory`` that the block did not write are left alone, except the ``owned`` names:
    files of the same set from an earlier round, which are removed with the commit so that
    the folder never mixes two rounds (a stale ``graph.nt`` beside a new ``graph.ttl``).
    With ``manifest`` (a dict), :data:`BUILD_MANIFEST` is written last, listing in ``files``
    the top-level files this round wrote: the ``owned`` files of the next round.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "notes.txt").write_text("mine")
    >>> with atomic_outputs(d) as stage:
    ...     _ = (stage / "a.json").write_text("new a")
    ...     _ = (stage / "b.ttl").write_text("new b")
    >>> sorted(p.name for p in d.iterdir())
    ['a.json', 'b.ttl', 'notes.txt']
    >>> try:
    ...     with atomic_outputs(d) as stage:
    ...         _ = (stage / "a.json").write_text("newer a")
    ...         raise RuntimeError("the second output failed")
    ... except RuntimeError:
    ...     pass
    >>> (d / "a.json").read_text(), sorted(p.name for p in d.iterdir())
    ('new a', ['a.json', 'b.ttl', 'notes.txt'])
    >>> with atomic_outputs(d, owned=("a.json", "b.ttl")) as stage:
    ...     _ = (stage / "a.json").write_text("a alone")
    >>> sorted(p.name for p in d.iterdir())
    ['a.json', 'notes.txt']
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(20, "not a folder", str(target))
    target.mkdir(parents=True, exist_ok=True)
    _remove_stale_stages(target)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target))
    try:
        yield stage
        files = _staged_files(stage)
        for rel in files:
            if rel.parent != Path("."):
                (target / rel.parent).mkdir(parents=True, exist_ok=True)
        _fsync_dir(stage)
        for rel in files:
            os.replace(stage / rel, target / rel)
        for name in set(owned) - {str(rel) for rel in files}:
            stale = target / name
            if stale.is_file() and stale.parent == target:
                stale.unlink()
        if manifest is not None:
            top = sorted(str(rel) for rel in files if rel.parent == Path(".") and not str(rel).startswith("."))
            with atomic_write(target / BUILD_MANIFEST) as f:
                json.dump({"format": BUILD_FORMAT, **manifest, "files": top}, f, indent=1, sort_keys=True)
                f.write("\n")
        _fsync_dir(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def build_manifest(directory: str | Path) -> dict | None:
    """The manifest of the build in ``directory`` (None when there is none, or it is unreadable)."""
    try:
        data = json.loads((Path(directory) / BUILD_MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != BUILD_FORMAT or not isinstance(data.get("files"), list):
        return None
    return data


def _is_legacy_build(directory: Path) -> bool:
    """A build written before manifests: a folder with a kg ``graph.json``."""
    from .export.json import is_node_link_json
    from .graph import GRAPH_JSON

    return is_node_link_json(directory / GRAPH_JSON)


def claim_output_folder(directory: str | Path, *, force: bool = False) -> tuple[str, ...]:
    """Check that a build may write into ``directory``; return the files it may remove.

    A missing or empty folder (hidden entries do not count) and a kg build folder may be
    written into; the files the last build listed in its manifest are the ones a new build
    replaces or removes. Any other folder raises :class:`OutputFolderError` unless ``force``
    (then files of the same names as kg's outputs are replaced, and nothing is removed).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> claim_output_folder(d / "new")
    ()
    >>> _ = (d / "notes.txt").write_text("mine")
    >>> claim_output_folder(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.io.OutputFolderError: ...: not a kg build folder and not empty (notes.txt); ...
    >>> claim_output_folder(d, force=True)
    ()
    """
    target = Path(directory)
    if not target.is_dir():
        return ()
    manifest = build_manifest(target)
    if manifest is not None:
        return tuple(str(f) for f in manifest["files"] if isinstance(f, str) and "/" not in f and f != BUILD_MANIFEST)
    if force or _is_legacy_build(target):
        return ()
    try:
        visible = sorted(e.name for e in target.iterdir() if not e.name.startswith("."))
    except OSError:
        return ()  # cannot list it: writing will report the problem
    if visible:
        shown = ", ".join(visible[:3]) + (f" and {len(visible) - 3} more" if len(visible) > 3 else "")
        raise OutputFolderError(f"{target}: not a kg build folder and not empty ({shown}); write the build to a "
                                f"new or empty folder, or give --force to write kg's files there anyway "
                                f"(files with the same names are replaced; nothing else is touched)")
    return ()


def is_build_file(path: str | Path) -> bool:
    """Whether ``path`` is one of the files of a kg build (listed in its folder's manifest, a
    kg output name beside a kg ``graph.json``, or inside the build's hidden folders).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_outputs(d, manifest={}) as stage:
    ...     _ = (stage / "graph.json").write_text("{}")
    >>> is_build_file(d / "graph.json"), is_build_file(d / "view.html")
    (True, False)
    """
    path = Path(path)
    folder = path.parent
    if folder.name.startswith(".kg-") and (folder.parent / BUILD_MANIFEST).is_file():
        return True
    manifest = build_manifest(folder)
    if manifest is not None:
        return path.name in manifest["files"] or path.name == BUILD_MANIFEST
    return _is_legacy_build(folder) and path.name in _build_output_names()


def _build_output_names() -> frozenset[str]:
    """Every file a build may write (what builds wrote before they kept a manifest)."""
    from .export.rdf import CONTEXT_FILE, RDF_FORMATS, VOID_FILE
    from .graph import GRAPH_HTML, GRAPH_JSON

    return frozenset({GRAPH_JSON, GRAPH_HTML, VOID_FILE, CONTEXT_FILE, *RDF_FORMATS.values()})


#: what a terminal would act on rather than show: controls (an escape sequence could rewrite the
#: screen), line and paragraph separators, and bidirectional overrides
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: what it would act on is shown as ``\\xNN`` / ``\\uNNNN``
    (abstract text is untrusted; a table must not carry an escape sequence).

    >>> printable("red \\x1b[31mALERT \\u202eedoc")
    'red \\\\x1b[31mALERT \\\\u202eedoc'
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) <= 0xFF else f"\\u{ord(m.group()):04x}",
                            text)


def text_table(header: list[str], rows: list[list[str]], right: list[bool] | None = None) -> list[str]:
    """The lines of an aligned text table: the header, a rule, the rows; a column with
    ``right[i]`` aligned right (numbers), the others left; no trailing spaces.

    >>> print("\\n".join(text_table(["name", "n"], [["BERT", "12"], ["T5", "3"]], [False, True])))
    name |  n
    -----+---
    BERT | 12
    T5   |  3
    """
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    right = right or [False] * len(header)

    def line(cells: list[str]) -> str:
        return " | ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return [line(header), "-+-".join("-" * w for w in widths), *(line(r) for r in rows)]
