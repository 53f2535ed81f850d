"""The ``kg`` command line: a thin layer that parses arguments and calls the stages.

Exit status: 0 success; 1 an unexpected failure; 2 bad usage or unreadable input
(the message names the file, line and problem); 3 ``kg validate`` found violations;
4 a SPARQL query was malformed or timed out.
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

log = logging.getLogger("kg")

EXIT_FAILURE, EXIT_INPUT, EXIT_INVALID, EXIT_QUERY = 1, 2, 3, 4


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="kg: %(message)s", stream=sys.stderr, force=True)


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


class _Group(click.Group):
    """The ``kg`` group: an unexpected exception in any command becomes one line on stderr
    and exit status 1; ``-v`` adds the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort,
                KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            # the reader of our output went away (``kg query ... | head``): not an error
            with _suppress_all():
                sys.stdout = open(os.devnull, "w")
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


class _suppress_all:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return True


def _progress(items: Iterable, *, desc: str, quiet: bool) -> Iterator:
    """A progress bar on a terminal; silent in pipes and with -q."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm
    yield from tqdm(items, desc=desc, unit=" papers", file=sys.stderr)


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
    click.option("--format", "fmt", type=click.Choice(["listing", "jsonl", "json", "csv", "tsv"]),
                 help="Force the input format (default: from extension and content)."),
    click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it."),
    click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                 help="Processes for extraction."),
]


def input_options(f):
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def _read(inputs, fmt, strict, quiet):
    """Papers from the inputs, with skipped records reported as they happen."""
    from .readers import ReadStats, read_papers

    stats = ReadStats()

    def on_skip(skipped) -> None:
        line = f":{skipped.line}" if skipped.line else ""
        log.warning("skipped %s%s: %s", skipped.path, line, skipped.reason)

    papers = read_papers(inputs, format=fmt, strict=strict, stats=stats, on_skip=on_skip)
    return papers, stats


def _extract_linked(ctx, inputs, fmt, strict, workers):
    from .extract import extract_papers
    from .linking import link
    from .readers import InputError

    quiet = ctx.obj["quiet"]
    papers, stats = _read(inputs, fmt, strict, quiet)
    try:
        extractions = list(_progress(extract_papers(papers, workers=workers), desc="extracting", quiet=quiet))
    except InputError as exc:
        raise _fail(str(exc)) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise _fail(str(exc)) from None
    if not extractions:
        raise _fail(f"no papers could be read from {', '.join(map(str, inputs))}"
                    + (f" ({len(stats.skipped)} records skipped)" if stats.skipped else ""))
    return link(extractions), stats


def _summary(stats, built: int) -> str:
    skipped = len(stats.skipped)
    reasons = {}
    for s in stats.skipped:
        key = s.reason.split(" (")[0].split(":")[0]
        reasons[key] = reasons.get(key, 0) + 1
    why = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
    return f"read {stats.read + skipped} records: {built} papers built, {skipped} skipped" + (f" ({why})" if why else "")


@cli.command()
@input_options
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder for graph.ttl, graph.html, graph.json.")
@click.option("--rdf-format", "rdf_formats", multiple=True, type=click.Choice(["turtle", "nt", "jsonld", "trig"]),
              help="Extra RDF serialisations (graph.ttl is always written).")
@click.option("--base-iri", default=None, help="Base IRI for the build's data (entity and paper IRIs).")
@click.option("--max-nodes", type=click.IntRange(1), default=None, help="Node budget of graph.html.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.pass_context
def build(ctx, inputs, fmt, strict, workers, out_dir, rdf_formats, base_iri, max_nodes, no_html):
    """Build the graph from INPUTS (files or folders) into OUT: graph.ttl, graph.html, graph.json."""
    from .graph import KnowledgeGraph, build_graph

    linked, stats = _extract_linked(ctx, inputs, fmt, strict, workers)
    g = KnowledgeGraph(build_graph(linked))
    options = {"formats": tuple(dict.fromkeys(("turtle", *rdf_formats)))}
    if base_iri:
        options["base_iri"] = base_iri
    if max_nodes:
        options["max_nodes"] = max_nodes
    written = g.save(out_dir, html=not no_html, **options)
    if not ctx.obj["quiet"]:
        info = g.info()
        click.echo(_summary(stats, info["papers"]), err=True)
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
def extract(ctx, inputs, fmt, strict, workers, out_file):
    """Extract entities, proposals, relations and results per paper as JSON Lines."""
    from .export.predictions import extraction_record
    from .io import atomic_write

    linked, stats = _extract_linked(ctx, inputs, fmt, strict, workers)
    variants = linked.variant_relations
    with atomic_write(out_file) as f:
        for x in linked.extractions:
            rec = extraction_record(x)
            names = {m.canonical for m in x.mentions}
            rec["relations"] += [{"head": r.head, "type": r.type, "tail": r.tail, "sentence": r.evidence.sentence,
                                  "confidence": r.evidence.confidence, "rule": r.evidence.rule}
                                 for r in variants if r.head in names and r.tail in names]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if not ctx.obj["quiet"]:
        click.echo(_summary(stats, len(linked.extractions)), err=True)
        click.echo(f"wrote {out_file}", err=True)


def _graph_source(graph: Path) -> Path:
    if not graph.exists():
        raise _fail(f"{graph}: no such file or folder")
    return graph


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default=None,
              help="Output format (default: table on a terminal, csv otherwise).")
@click.option("--timeout", type=float, default=None, help="Give up after this many seconds.")
def query(graph, sparql, query_file, fmt, timeout):
    """Run a SPARQL query over GRAPH (a build folder, an RDF file or a store made by kg load).

    The ontology's prefixes (kg:, skos:, dcterms:, prov:, mls:, ...) are pre-bound."""
    from .query import QueryError, format_result, run_query

    if (sparql is None) == (query_file is None):
        raise _fail("give a query as an argument or with -f FILE.rq (one of them)")
    text = query_file.read_text("utf-8") if query_file else sparql
    try:
        result = run_query(_graph_source(graph), text, timeout=timeout)
    except QueryError as exc:
        raise _fail(str(exc), EXIT_QUERY) from None
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    click.echo(format_result(result, fmt), nl=not format_result(result, fmt).endswith("\n"))


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--store", "store_dir", type=click.Path(path_type=Path), required=True,
              help="Folder for a persistent pyoxigraph store.")
def load(graph, store_dir):
    """Load GRAPH (RDF file or build folder) into a persistent store for fast queries."""
    from .query import load_store

    try:
        n = load_store(_graph_source(graph), store_dir)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    click.echo(f"loaded {n} triples into {store_dir}; query it with: kg query {store_dir} '...'", err=True)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def validate(graph):
    """Check GRAPH against the SHACL shapes of the ontology; report violations in plain words."""
    from .validate import validate as run_validate

    try:
        violations = run_validate(_graph_source(graph))
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    for v in violations:
        click.echo(str(v))
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        raise click.exceptions.Exit(EXIT_INVALID)
    click.echo("conforms", err=True)


def _load_graph(graph: Path):
    from .graph import KnowledgeGraph

    try:
        return KnowledgeGraph.load(_graph_source(graph))
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None


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
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: GRAPH/view.html).")
@click.option("--focus", default=None, help="Centre the view on this entity (name or alias).")
@click.option("--hops", type=click.IntRange(0, 5), default=1, show_default=True, help="Neighbourhood size around --focus.")
@click.option("--max-nodes", type=click.IntRange(1), default=None, help="Node budget of the page.")
def view(graph, out_file, focus, hops, max_nodes):
    """Write an HTML view of a slice of GRAPH (a build folder)."""
    g = _load_graph(graph)
    out = out_file or (graph if graph.is_dir() else graph.parent) / "view.html"
    kwargs = {"focus": focus, "hops": hops}
    if max_nodes:
        kwargs["max_nodes"] = max_nodes
    try:
        sel = g.to_html(out, **kwargs)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    note = getattr(sel, "note", None)
    if note:
        click.echo(note, err=True)
    click.echo(f"wrote {out}", err=True)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
