"""The ``kg`` command line: a thin layer that parses arguments and calls the stages.

Exit status: 0 success; 1 an unexpected failure; 2 bad usage or unreadable input
(the message names the file, line and problem); 3 ``kg validate`` found violations;
4 a SPARQL query was malformed or timed out.

Errors are one line on stderr, ``kg: error: <file>:<line>: <problem>`` (no line when the
problem is the whole file), never a traceback: an unexpected exception is reported as
``kg: error: internal error: <type>: <message> (run with -v for the traceback)`` with
exit status 1, and ``-v`` prints the traceback before that line.

``kg build`` reports each bad record it skips (``kg: skipped <file>:<line>: <reason>``) and
ends with a summary (``read 5 records from 1 file: 3 papers built, 2 skipped (1 duplicate id,
1 invalid JSON)``); ``--strict`` makes the first bad record fatal (exit status 2); ``-q``
keeps only errors. Outputs and the extraction cache are staged in a hidden folder inside the
output folder and moved into place together once all are written (:func:`kg.io.atomic_outputs`),
so a failed, interrupted or terminated build leaves the previous outputs as they were; only files
an earlier build recorded in its manifest are replaced or removed, a non-empty folder that is not
a kg build needs ``--force``, and no output may replace an input (:func:`kg.io.claim_output_folder`).
SIGTERM ends kg as Ctrl-C does (exit status 143 instead of 130). An input ``-`` is standard input.
``--generated-at`` (or ``SOURCE_DATE_EPOCH``) pins the one timestamp of a build, its
provenance record, so that builds are byte-for-byte reproducible.

``kg query`` runs SPARQL queries only: updates (INSERT, DELETE, LOAD, ...) and SERVICE
clauses (requests to other endpoints) are refused; ``--timeout`` stops a long query.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from . import __version__
from .leaderboard import FORMATS as LEADERBOARD_FORMATS
from .readers import FORMATS as INPUT_FORMATS

log = logging.getLogger("kg")

EXIT_FAILURE, EXIT_INPUT, EXIT_INVALID, EXIT_QUERY = 1, 2, 3, 4


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _setup_logging(verbose: int, quiet: bool) -> None:
    """kg's messages go to stderr as ``kg: ...``; other libraries' loggers are left alone."""
    # on a terminal kg says what each stage took; in pipes and logs only with -v
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO
                                         if verbose or sys.stderr.isatty() else logging.WARNING)
    logger = logging.getLogger("kg")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("kg: %(message)s"))
        logger.addHandler(handler)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _fail(message: str, code: int = EXIT_INPUT) -> "click.exceptions.Exit":
    """Print ``kg: error: <message>`` (one line) and return the Exit to raise."""
    click.echo(f"kg: error: {_one_line(message)}", err=True)
    return click.exceptions.Exit(code)


def _os_error(exc: OSError, doing: str = "") -> str:
    """``<file>: <problem>`` for an OSError, without Python's ``[Errno n]`` noise."""
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc)
    return f"{doing}{where}: {what}" if where else f"{doing.rstrip()}: {what}" if doing else what


#: the commands that write files (an interrupted one leaves the earlier files as they were)
_WRITING_COMMANDS = frozenset({"build", "extract", "view", "load"})


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that a build cleans up its staging folder as for Ctrl-C."""

    status = 128 + 15


def _terminate_like_interrupt() -> None:
    """Make SIGTERM end kg as Ctrl-C does (a forked worker process just dies, as by default)."""
    import signal

    main_pid = os.getpid()

    def on_term(signum, _frame) -> None:
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise _Terminated()

    try:
        signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError):  # not the main thread, or no SIGTERM here
        pass


class _Group(click.Group):
    """The ``kg`` group: an unexpected exception in any command becomes one line on stderr
    and exit status 1; ``-v`` adds the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt as exc:
            writes = ctx.invoked_subcommand in _WRITING_COMMANDS
            click.echo("kg: " + ("terminated" if isinstance(exc, _Terminated) else "interrupted")
                       + ("; earlier outputs are left as they were" if writes else ""), err=True)
            raise click.exceptions.Exit(_Terminated.status if isinstance(exc, _Terminated) else 130) from None
        except BrokenPipeError:
            # the reader of our output went away (``kg query ... | head``): not an error
            _silence_stdout()
            raise click.exceptions.Exit(0) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            from .readers import InputError

            if isinstance(exc, InputError):  # a reader error that escaped a command's handler
                raise _fail(str(exc)) from None
            verbose = (ctx.obj or {}).get("verbose", 0) if isinstance(ctx.obj, dict) else 0
            if verbose:
                click.echo("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
                raise _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_FAILURE) from None
            raise _fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)",
                        EXIT_FAILURE) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _progress(items: Iterable, *, desc: str, quiet: bool, total: int | None = None) -> Iterator:
    """A progress bar on a terminal (with its total when known); silent in pipes and with -q."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm
    yield from tqdm(items, desc=desc, unit=" papers", file=sys.stderr, total=total)


def _known_total(inputs: Iterable[Path], fmt: str | None) -> int | None:
    """How many records the inputs hold, when that is cheap to know: plain JSON Lines files
    (their non-blank lines, counted in one fast pass); None for anything else."""
    from .readers import EXTENSIONS

    total = 0
    for path in inputs:
        if (fmt not in (None, "jsonl") or str(path) == "-" or not path.is_file()
                or EXTENSIONS.get(path.suffix.lower()) != "jsonl"):
            return None
        try:
            with open(path, "rb") as f:
                if f.read(2) == b"\x1f\x8b":
                    return None  # gzipped: counting would mean inflating it all
                f.seek(0)
                last = b"\n"
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    total += chunk.count(b"\n") - chunk.count(b"\n\n")
                    last = chunk[-1:]
                total += last != b"\n"
        except OSError:
            return None
    return total


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", count=True, help="Say more (repeat for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Turn research abstracts into a knowledge graph of methods, models, datasets,
    benchmarks, tasks and metrics: RDF, an HTML view, JSON and SPARQL."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"quiet": quiet, "verbose": verbose}


_input_options = [
    click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
    click.option("--format", "fmt", type=click.Choice(list(INPUT_FORMATS)),
                 help="Force the input format (default: from extension and content)."),
    click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it."),
    click.option("--categories", default=None, metavar="CATS",
                 help="Keep only arXiv snapshot records in one of these categories (comma-separated: cs.LG,cs.RO)."),
    click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                 help="Processes for extraction."),
    click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
                 help="Extract on a Dask cluster: its scheduler's address (tcp://host:8786), or local:N for N "
                      "local worker processes (pip install 'kg[dask]')."),
    click.option("--accurate", "mode", flag_value="accurate",
                 help="Also find and type mentions with the trained mention classifier: better on new papers, "
                      "about half as fast."),
    click.option("--rules-only", "mode", flag_value="rules",
                 help="Rules alone, without the trained relation and proposal models (for comparison)."),
]


def input_options(f):
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def _check_writable_path(path: Path, option: str = "-o") -> None:
    """Fail early (exit 2, before any work) when ``path`` lies under a file."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise _fail(f"{path}: cannot be written: {parent} is a file, not a folder ({option})")
            return


def _refuse_overwriting(out: Path, inputs: Iterable[Path] = (), option: str = "-o") -> None:
    """Fail early (exit 2) when writing ``out`` would replace an input or a file of a kg build."""
    from .io import is_build_file

    for source in inputs:
        if str(source) == "-":
            continue
        try:
            same = out.exists() and os.path.samefile(out, source)
        except OSError:
            same = False
        if same:
            raise _fail(f"{out}: is an input of this command; writing it would replace it ({option} names "
                        f"a new file)")
    if is_build_file(out):
        raise _fail(f"{out}: is a file of the kg build in {out.parent}; writing it would replace it "
                    f"({option} names another file)")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _nothing_read(inputs, stats) -> str:
    names = ", ".join(map(str, inputs))
    if not stats.skipped:
        return f"{names}: no papers found"
    return (f"{names}: no papers could be read ({_plural(len(stats.skipped), 'record')} skipped; "
            f"first: {stats.skipped[0]})")


def _extract_linked(ctx, inputs, fmt, strict, workers, *, categories: str | None = None,
                    cache_dir: Path | None = None, update: bool = False,
                    mode: str | None = None, dask: str | None = None):
    """Read, extract and link; file problems and (with --strict) bad records exit with 2.

    Skipped records are logged as they happen (``kg: skipped <file>:<line>: <reason>``).
    The first paper is read before the NLP pipeline loads, so an unreadable input fails at
    once. The reader runs in this thread whatever ``workers`` is: with a process pool its
    errors are caught here rather than inside the pool, and re-raised once the pool is done.
    """
    from .extract import extract_papers
    from .linking import link
    from .readers import InputError, ReadStats, read_papers
    from .store import ExtractionStore

    quiet = ctx.obj["quiet"]
    stats = ReadStats()
    if dask is not None:
        if workers > 1:
            raise _fail("give --dask or --workers, not both (the Dask workers are the processes)")
        from .extract import check_dask_address
        try:
            check_dask_address(dask)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        except ImportError as exc:
            raise _fail(str(exc), EXIT_FAILURE) from None

    def on_skip(skipped) -> None:
        log.warning("skipped %s", skipped)

    def fatal(exc: BaseException) -> "click.exceptions.Exit":
        if isinstance(exc, InputError):
            return _fail(str(exc))
        if isinstance(exc, OSError):
            return _fail(_os_error(exc))
        raise exc

    try:
        papers = read_papers(inputs, format=fmt, strict=strict, stats=stats, on_skip=on_skip,
                             categories=(categories or "").split(","))
        first = next(papers, None)
    except (InputError, OSError) as exc:
        raise fatal(exc) from None
    if first is None:
        raise _fail(_nothing_read(inputs, stats))

    errors: list[BaseException] = []

    def stream():
        yield first
        try:
            yield from papers
        except Exception as exc:  # noqa: BLE001 - re-raised below, in this thread
            errors.append(exc)

    def progress(items):
        total = None if quiet or not sys.stderr.isatty() else _known_total(inputs, fmt)
        return _progress(items, desc="extracting", quiet=quiet, total=total)

    try:
        if cache_dir is None:
            extractions = ExtractionStore(progress(extract_papers(stream(), workers=workers,
                                                                  mode=mode or "default", dask=dask)), spill=True)
        else:  # reuse the build folder's per-paper cache; --update adds to the papers it holds
            from .cache import CacheStats, build_extractions

            cache_stats = CacheStats()
            try:
                extractions = build_extractions(cache_dir, stream(), update=update, workers=workers,
                                                progress=progress, stats=cache_stats, save=False,
                                                mode=mode or "default", dask=dask)
            except (FileNotFoundError, ValueError) as exc:  # no build, or a damaged graph.json of the build
                raise _fail(str(exc)) from None
            log.info("extraction cache: %s", cache_stats)
    except ConnectionError as exc:  # the Dask scheduler cannot be reached
        raise _fail(str(exc), EXIT_FAILURE) from None
    if errors:
        raise fatal(errors[0]) from None
    # the new cache is written with the outputs, so a failed build leaves both as they were
    ctx.obj["extractions"] = extractions if cache_dir is not None else None
    from .graph import timed

    with timed("linking", lambda: f"{sum(e.mention_count for e in linked.entities.values()):,} mentions into "
                                  f"{len(linked.entities):,} entities"):
        linked = link(extractions)
    return linked, stats


def _reason_key(reason: str) -> str:
    """The kind of a skip reason, for the summary: ``invalid JSON``, ``duplicate id``, ..."""
    key = reason.split(" (")[0].split(":")[0].strip()
    key = re.sub(r"^duplicate id\b.*", "duplicate id", key)
    return re.sub(r"^record \d+ ", "record ", key)


def _summary(stats, built: int, files=()) -> str:
    """``read 5 records from 1 file: 3 papers built, 2 skipped (1 duplicate id, 1 invalid JSON)``.

    Records are the papers read plus everything skipped (a bad record, or inside a folder a
    bad file); files are those that gave a paper (``files``: the file of each paper's "file:line"
    source) or a problem."""
    skipped = len(stats.skipped)
    reasons: dict[str, int] = {}
    for s in stats.skipped:
        key = _reason_key(s.reason)
        reasons[key] = reasons.get(key, 0) + 1
    why = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
    files = set(files) | {s.path for s in stats.skipped}
    n_files = max(len(files), stats.files)
    filtered = f", {stats.filtered} left out by --categories" if stats.filtered else ""
    return (f"read {_plural(stats.read + skipped + stats.filtered, 'record')} from "
            f"{_plural(n_files, 'file')}: {_plural(built, 'paper')} built, {skipped} skipped"
            + (f" ({why})" if why else "") + filtered)


def _generated_at(value: str | None) -> str:
    """The provenance time of a build: ``--generated-at``, else ``SOURCE_DATE_EPOCH``, else now."""
    from .export.rdf import resolve_generated_at

    if value is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch and not re.fullmatch(r"\d{1,11}", epoch):
            raise _fail(f"SOURCE_DATE_EPOCH must be a Unix time in whole seconds, got {epoch!r}")
        return resolve_generated_at(int(epoch) if epoch else None)
    try:
        return resolve_generated_at(value)
    except (ValueError, OverflowError, OSError):
        raise _fail(f"--generated-at must be an ISO 8601 date-time such as 2025-01-01T00:00:00Z, "
                    f"got {value!r}") from None


@cli.command()
@input_options
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder for graph.ttl, graph.html, graph.json.")
@click.option("--rdf-format", "rdf_formats", multiple=True, type=click.Choice(["turtle", "nt", "jsonld", "trig"]),
              help="Extra RDF serialisations (graph.ttl is always written).")
@click.option("--base-iri", default=None, help="Base IRI for the build's data (entity and paper IRIs).")
@click.option("--max-nodes", type=click.IntRange(1), default=None, help="Node budget of graph.html.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--generated-at", "generated_at", default=None, metavar="ISO-TIME",
              help="Pin the build's provenance time (e.g. 2025-01-01T00:00:00Z) so that two builds of the "
                   "same input are byte-identical. Default: $SOURCE_DATE_EPOCH if set, else now.")
@click.option("--update", "update_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Add INPUTS to the existing build in DIR (writes there); papers already in it are not "
                   "extracted again.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the per-paper extraction cache "
                                              "(OUT/.kg-cache/).")
@click.option("--force", is_flag=True, help="Write into OUT even if it holds files and is not a kg build "
                                           "(files named like kg's outputs are replaced; nothing else is touched).")
@click.pass_context
def build(ctx, inputs, fmt, strict, categories, workers, dask_address, mode, out_dir, rdf_formats, base_iri, max_nodes, no_html,
          generated_at, update_dir, no_cache, force):
    """Build the graph from INPUTS (files or folders) into OUT: graph.ttl, graph.html, graph.json.

    Outputs appear all together once every one of them is written: a build that fails or
    is interrupted leaves the previous ones as they were. OUT must be new, empty or a kg build
    (else --force); only files an earlier kg build wrote there are ever replaced or removed.
    Each paper's extraction is cached in OUT/.kg-cache/ (keyed by its text and the pipeline
    version), so a rebuild re-extracts only new or changed papers; ``--update DIR`` adds
    papers to the build in DIR and gives the same graph as building all of them at once."""
    from .compact_graph import CompactGraph
    from .graph import KnowledgeGraph, timed

    if update_dir is not None:
        if no_cache:
            raise _fail("--update needs the build's cache; drop --no-cache")
        if not update_dir.is_dir():
            raise _fail(f"{update_dir}: no such build folder (build it first without --update)")
        out_dir = update_dir

    if out_dir.exists() and not out_dir.is_dir():
        raise _fail(f"{out_dir}: exists and is not a folder (-o names the output folder)")
    _check_writable_path(out_dir)
    from .io import OutputFolderError, claim_output_folder, is_build_file

    try:
        claim_output_folder(out_dir, force=force)
    except OutputFolderError as exc:
        raise _fail(str(exc)) from None
    for source in inputs:
        if str(source) != "-" and source.is_file() and is_build_file(source) and out_dir.is_dir() \
                and os.path.samefile(source.parent, out_dir):
            raise _fail(f"{source}: is a file of the build in {out_dir}, which this build replaces; "
                        f"copy it elsewhere first or build into another folder")
    when = _generated_at(generated_at)
    options = {"formats": tuple(dict.fromkeys(("turtle", *rdf_formats))), "generated_at": when}
    if base_iri:
        from .export.rdf import normalize_base_iri
        try:
            options["base_iri"] = normalize_base_iri(base_iri)
        except ValueError as exc:
            raise _fail(f"--base-iri: {exc}") from None
    if max_nodes:
        options["max_nodes"] = max_nodes

    linked, stats = _extract_linked(ctx, inputs, fmt, strict, workers, categories=categories,
                                    cache_dir=None if no_cache else out_dir,
                                    update=update_dir is not None, mode=mode, dask=dask_address)
    with timed("graph", lambda: f"{compact.number_of_nodes():,} nodes, {compact.number_of_edges():,} edges"):
        compact = CompactGraph.from_linked(linked)
    g = KnowledgeGraph(compact)
    files = {p.source.rsplit(":", 1)[0] for p in compact.paper_records() if p.source}
    # the graph now holds all the outputs need: the linked view goes, and the compressed
    # extractions each go once the cache has them
    del linked
    extractions = ctx.obj.pop("extractions", None)
    try:
        # staged with the extraction cache, then moved into place together
        written = g.save(out_dir, html=not no_html, force=force,
                         extractions=None if extractions is None else extractions.drain(),
                         mode=mode or "default", **options)
    except OutputFolderError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(_os_error(exc, "cannot write "), EXIT_FAILURE) from None
    if not ctx.obj["quiet"]:
        info = g.info()
        click.echo(_summary(stats, info["papers"], files), err=True)
        click.echo(f"{sum(info['entities'].values())} entities, "
                   f"{sum(v for k, v in info['relations'].items() if k != 'mentions')} relations, "
                   f"{info['results']} results", err=True)
        for p in written:
            click.echo(f"wrote {p}", err=True)


@cli.command()
@input_options
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), required=True,
              help="JSON Lines file, one paper a line (the format of eval/score.py).")
@click.pass_context
def extract(ctx, inputs, fmt, strict, categories, workers, dask_address, mode, out_file):
    """Extract entities, proposals, relations and results per paper as JSON Lines."""
    from .export.predictions import extraction_record
    from .io import atomic_write

    if out_file.is_dir():
        raise _fail(f"{out_file}: is a folder (-o names the JSON Lines file to write)")
    _check_writable_path(out_file)
    _refuse_overwriting(out_file, inputs)
    linked, stats = _extract_linked(ctx, inputs, fmt, strict, workers, categories=categories, mode=mode,
                                    dask=dask_address)
    variants = linked.variant_relations
    files: set[str] = set()  # the files that gave papers
    n = 0
    try:
        with atomic_write(out_file) as f:
            for x in linked.extractions:
                n += 1
                if x.paper.source:
                    files.add(x.paper.source.rsplit(":", 1)[0])
                rec = extraction_record(x)
                first = {}  # each entity's first mention here: a variant's evidence is this paper's sentence
                for m in x.mentions:
                    first.setdefault(m.canonical, m)
                text = x.paper.text
                rec["relations"] += [{"head": r.head, "type": r.type, "tail": r.tail,
                                      "sentence": r.evidence.sentence if r.evidence.paper_id == x.paper.id else
                                      text[first[r.head].sentence_start:first[r.head].sentence_end],
                                      "confidence": r.evidence.confidence, "rule": r.evidence.rule}
                                     for r in variants if r.head in first and r.tail in first]
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise _fail(_os_error(exc, "cannot write "), EXIT_FAILURE) from None
    if not ctx.obj["quiet"]:
        click.echo(_summary(stats, n, files), err=True)
        click.echo(f"wrote {out_file}", err=True)


def _graph_source(graph: Path) -> Path:
    if not graph.exists():
        raise _fail(f"{graph}: no such file or folder")
    return graph


def _refuse_papers_file(source: Path) -> None:
    """A file of papers given where a build is wanted: say what to do instead (exit 2)."""
    import gzip

    from .export.json import is_node_link_json
    from .readers import EXTENSIONS

    name = source.name.lower().removesuffix(".gz")
    if not source.is_file() or Path(name).suffix not in EXTENSIONS or is_node_link_json(source):
        return
    if EXTENSIONS[Path(name).suffix] != "listing":  # records of papers have an abstract field
        try:
            with (gzip.open(source, "rb") if source.name.lower().endswith(".gz") else open(source, "rb")) as f:
                head = f.read(8192)
        except (OSError, EOFError):
            return
        if not re.search(rb"abstract|summary", head, re.I) or re.search(rb'"@(?:context|graph|id)"', head):
            return  # not papers, or JSON-LD (which is RDF)
    raise _fail(f"{source}: is a file of papers, not a kg build; build one first "
                f"(kg build {source} -o OUT) and give OUT")


def _can_fork() -> bool:
    import multiprocessing
    return "fork" in multiprocessing.get_all_start_methods()


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default=None,
              help="Output format (default: table on a terminal, csv otherwise).")
@click.option("--timeout", type=float, default=None, help="Give up after this many seconds (exit status 4).")
def query(graph, sparql, query_file, fmt, timeout):
    """Run a SPARQL query over GRAPH (a build folder, an RDF file or a store made by kg load).

    Only SPARQL queries run (SELECT, ASK, CONSTRUCT, DESCRIBE): updates are refused, and so
    are SERVICE clauses (nothing but GRAPH is read; no request leaves this machine).
    The ontology's prefixes (kg:, skos:, dcterms:, prov:, mls:, ...) are pre-bound."""
    from .query import QueryError, format_result, open_store, run_query

    if (sparql is None) == (query_file is None):
        raise _fail("give a query as an argument or with -f FILE.rq (one of them)")
    if timeout is not None and not timeout > 0:
        raise _fail(f"--timeout must be a positive number of seconds, got {timeout:g}")
    if timeout == float("inf"):
        timeout = None  # no limit
    if query_file is not None:
        try:
            text = query_file.read_text("utf-8-sig")  # editors may start a .rq file with a byte-order mark
        except UnicodeDecodeError as exc:
            raise _fail(f"{query_file}: not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise _fail(_os_error(exc)) from None
    else:
        text = sparql
    source = _graph_source(graph)
    _refuse_papers_file(source)
    try:
        # load here so that an unreadable graph is told apart from a bad query (exit 2, not 4);
        # without fork, a query with a timeout reloads the file in its own process
        store = source if (timeout is not None and not _can_fork()) else open_store(source)
    except QueryError as exc:
        raise _fail(str(exc)) from None
    except (ValueError, OSError) as exc:
        raise _fail(f"{graph}: {exc}") from None
    try:
        result = run_query(store, text, timeout=timeout)
    except QueryError as exc:
        message = str(exc)
        if query_file is not None and exc.line is not None:
            message = f"{query_file}:{exc.line}:{exc.column}: {exc.message}"
        raise _fail(message, EXIT_QUERY) from None
    out = format_result(result, fmt or ("table" if sys.stdout.isatty() else "csv"))
    click.echo(out, nl=not out.endswith("\n"))


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--store", "store_dir", type=click.Path(path_type=Path), required=True,
              help="Folder for a persistent pyoxigraph store.")
@click.option("--replace", "how", flag_value="replace", help="Empty a store that holds triples, then load GRAPH.")
@click.option("--add", "how", flag_value="add", help="Add GRAPH to the triples a store holds.")
def load(graph, store_dir, how):
    """Load GRAPH (RDF file or build folder) into a persistent store for fast queries.

    A store that already holds triples needs --replace (a new build replaces the old) or
    --add (several builds in one store)."""
    from .query import QueryError, load_store, store_size

    try:
        held = store_size(store_dir)
    except OSError as exc:
        raise _fail(f"cannot open the store {store_dir}: {exc}") from None
    if held and how is None:
        raise _fail(f"{store_dir}: the store already holds {held} triples; give --replace to load {graph} instead "
                    f"of them, or --add to load it beside them")
    try:
        n = load_store(_graph_source(graph), store_dir, replace=how == "replace")
    except QueryError as exc:
        raise _fail(str(exc)) from None
    except (ValueError, OSError) as exc:
        raise _fail(_os_error(exc) if isinstance(exc, OSError) else str(exc)) from None
    click.echo(f"loaded {n} triples into {store_dir}; query it with: kg query {store_dir} '...'", err=True)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (any other than 127.0.0.1 or localhost lets other machines query the graph).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Stop a query after this many seconds (HTTP 503); inf for no limit.")
def serve(source, host, port, timeout):
    """Serve SOURCE (a build folder, an RDF file or a store made by kg load) as a read-only
    SPARQL endpoint: queries at /sparql (SPARQL 1.1 Protocol), the viewer at /, the VoID
    description at /.well-known/void. Ctrl-C stops it."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise _fail(f"kg serve needs starlette and uvicorn ({exc.name} is missing): pip install 'kg[serve]'",
                    EXIT_FAILURE) from None
    from .query import QueryError
    from .serve import listen, make_app, serve as run_server

    _refuse_papers_file(_graph_source(source))
    shown = f"[{host}]" if ":" in host else host
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise _fail(f"cannot listen on {shown}:{port}: {exc.strerror or exc}", EXIT_FAILURE) from None
    try:
        app = make_app(source, timeout=timeout)
    except QueryError as exc:
        sock.close()
        raise _fail(str(exc)) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: other machines can query the graph", err=True)
    click.echo(f"serving {source} at http://{shown}:{port}/sparql (viewer at /, VoID at /.well-known/void); "
               f"Ctrl-C stops", err=True)
    run_server(app, sock)
    click.echo("stopped", err=True)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; "
                   "Fuseki: http://HOST:3030/DATASET/data; GraphDB: http://HOST:7200/repositories/REPO/rdf-graphs/service).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI", help="Named graph to push into (default: the default graph).")
@click.option("--replace", is_flag=True, help="Replace what the graph holds (HTTP PUT); without it the build is added (POST).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True,
              help="Seconds to wait for the store.")
def push(graph, endpoint, graph_iri, replace, timeout):
    """Send GRAPH (a build folder or an RDF file) to a triple store over the SPARQL 1.1 Graph
    Store HTTP Protocol. Credentials come from KG_PUSH_USER and KG_PUSH_PASSWORD, or
    KG_PUSH_TOKEN, or the host's entry in ~/.netrc; never from the command line."""
    from .push import PushError, push as run_push
    from .query import QueryError

    source = _graph_source(graph)
    _refuse_papers_file(source)
    try:
        report = run_push(source, endpoint, graph=graph_iri, replace=replace, timeout=timeout)
    except QueryError as exc:
        raise _fail(str(exc)) from None
    except PushError as exc:
        raise _fail(str(exc), EXIT_FAILURE) from None
    target = f"the graph <{graph_iri}>" if graph_iri else "the default graph"
    done = "replaced" if replace else "added to"
    click.echo(f"{report.file} ({report.bytes_sent:,} bytes) {done} {target} at {endpoint} "
               f"(HTTP {report.status})", err=True)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def validate(graph):
    """Check GRAPH against the SHACL shapes of the ontology; report violations in plain words."""
    from .query import QueryError
    from .validate import validate as run_validate

    try:
        violations = run_validate(_graph_source(graph))
    except QueryError as exc:
        raise _fail(str(exc)) from None
    except SyntaxError as exc:  # pyoxigraph's parse error for a broken RDF file
        raise _fail(f"{graph}: not valid RDF: {exc}") from None
    except (ValueError, OSError) as exc:
        raise _fail(_os_error(exc) if isinstance(exc, OSError) else str(exc)) from None
    for v in violations:
        click.echo(str(v))
    errors = [v for v in violations if v.severity == "violation"]
    if errors:
        warnings = len(violations) - len(errors)
        click.echo(f"{len(errors)} violation(s)" + (f", {warnings} warning(s)" if warnings else ""), err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    click.echo("conforms" + (f" ({len(violations)} warning(s))" if violations else ""), err=True)


def _load_graph(graph: Path):
    import networkx as nx

    from .graph import KnowledgeGraph

    source = _graph_source(graph)
    _refuse_papers_file(source)
    try:
        return KnowledgeGraph.load(source)
    except OSError as exc:
        raise _fail(_os_error(exc) if exc.filename else str(exc)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    except (KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
        where = source / "graph.json" if source.is_dir() else source
        raise _fail(f"{where}: not a kg graph.json ({type(exc).__name__}: {exc})") from None


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(graph, as_json):
    """Counts by entity and relation type, and the most connected entities of a build."""
    data = _load_graph(graph).info()
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    click.echo(f"papers    {data['papers']}")
    click.echo(f"results   {data['results']}")
    click.echo("entities")
    for t, n in data["entities"].items():
        click.echo(f"  {t:12s} {n}")
    click.echo("relations")
    for t, n in data["relations"].items():
        click.echo(f"  {t:12s} {n}")
    click.echo("most connected")
    for name, t, deg in data["most_connected"]:
        click.echo(f"  {name} ({t}): {deg}")


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("benchmark")
@click.option("--metric", default=None, help="Only this metric (any of its names).")
@click.option("--format", "fmt", type=click.Choice(list(LEADERBOARD_FORMATS)), default="table",
              show_default=True, help="Output format.")
def leaderboard(graph, benchmark, metric, fmt):
    """The results reported on BENCHMARK in GRAPH (a build folder), best first.

    Rows are ranked within each metric and unit (85.2% and 0.81 are not compared); lower is
    better for errors, losses, perplexity, latency, FID and the like, higher for accuracy, F1,
    success rates and the like; a metric whose direction is not known is listed unranked."""
    from .leaderboard import format_leaderboard

    g = _load_graph(graph)
    try:
        rows = g.leaderboard(benchmark, metric)
    except KeyError:
        raise _fail(f"{benchmark}: no such entity in {graph} (kg info lists the benchmarks with the most results)") \
            from None
    if not rows:
        raise _fail(f"no results on {benchmark}" + (f" for the metric {metric}" if metric else "") + f" in {graph}")
    out = format_leaderboard(rows, fmt)
    click.echo(out, nl=not out.endswith("\n"))


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: GRAPH/view.html).")
@click.option("--focus", default=None, help="Centre the view on this entity (name or alias).")
@click.option("--hops", type=click.IntRange(0, 5), default=1, show_default=True, help="Neighbourhood size around --focus.")
@click.option("--max-nodes", type=click.IntRange(1), default=None, help="Node budget of the page.")
def view(graph, out_file, focus, hops, max_nodes):
    """Write an HTML view of a slice of GRAPH (a build folder)."""
    g = _load_graph(graph)
    out = out_file or (graph if graph.is_dir() else graph.parent) / "view.html"
    if out.is_dir():
        raise _fail(f"{out}: is a folder (-o names the HTML file to write)")
    _check_writable_path(out)
    _refuse_overwriting(out, [graph])
    kwargs = {"focus": focus, "hops": hops}
    if max_nodes:
        kwargs["max_nodes"] = max_nodes
    try:
        sel = g.to_html(out, **kwargs)
    except ValueError as exc:
        raise _fail(f"--focus: {exc}" if focus is not None else str(exc)) from None
    except OSError as exc:
        raise _fail(_os_error(exc, "cannot write "), EXIT_FAILURE) from None
    note = getattr(sel, "note", None)
    if note:
        click.echo(note, err=True)
    click.echo(f"wrote {out}", err=True)


def _verbose(argv: list[str]) -> bool:
    for arg in argv:
        if arg == "--":
            break
        if arg == "--verbose" or re.fullmatch(r"-[a-zA-Z]*v[a-zA-Z]*", arg):
            return True
    return False


def main(argv: list[str] | None = None) -> None:
    """The ``kg`` script. Errors are one line on stderr; the exit status is documented above."""
    args = list(sys.argv[1:] if argv is None else argv)
    _terminate_like_interrupt()
    try:
        cli.main(args=args, prog_name="kg", standalone_mode=True)
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, _Terminated)
        click.echo(f"kg: {'terminated' if terminated else 'interrupted'}", err=True)
        sys.exit(_Terminated.status if terminated else 130)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - outside any command (the group handles those)
        if _verbose(args):
            click.echo("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
        suffix = "" if _verbose(args) else " (run with -v for the traceback)"
        click.echo(f"kg: error: internal error: {type(exc).__name__}: {_one_line(exc)}{suffix}", err=True)
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
