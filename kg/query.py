"""SPARQL over a kg build, on pyoxigraph (rdflib's own engine is far too slow for this).

``source`` is an RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), a build
folder (``graph.nt``, else ``graph.ttl``, ``graph.trig``, ``graph.jsonld``), a persistent
store folder made by :func:`load_store`, a ``pyoxigraph.Store``, an rdflib Graph, or the
networkx graph of :mod:`kg.graph` (exported on the fly, faster than going through rdflib). Files are loaded into
an in-memory store for the query; for repeated queries on a big build, :func:`load_store`
once and query the store folder (opened read-only, so nothing can change it).

The prefixes of :data:`PREFIXES` (kg, rdf, rdfs, owl, xsd, skos, dcterms, prov, mls, schema,
void, ...) and the build's data prefixes (``entity:``, ``paper:``, ``stmt:``, ``result:``,
``run:``, read from the build's ``void:uriSpace``) are pre-bound; a query's own ``PREFIX``
declarations win. Named graphs (TriG) are queried as one union default graph.

Only queries are evaluated (SELECT, ASK, CONSTRUCT, DESCRIBE): updates are rejected
before parsing (and pyoxigraph's query API cannot run them anyway; store folders are opened
read-only), and so are SERVICE clauses: nothing but the source is read, no request leaves
the machine.

Timeout: pyoxigraph cannot interrupt a query, so with ``timeout`` the query runs in a child
process (``fork`` where available: the loaded store is shared copy-on-write, so the time
limit covers the query only) that is killed when the time is up; :class:`QueryTimeout` is
raised. Without ``fork`` (Windows, macOS spawn) the child reloads the source, and the limit
covers loading too.

>>> from kg.export.rdf import sample_graph, write_rdf
>>> import tempfile
>>> build = tempfile.mkdtemp()
>>> _ = write_rdf(sample_graph(), build, generated_at="2025-01-01T00:00:00Z")
>>> r = run_query(build, 'SELECT ?name WHERE { ?m kg:basedOn+ ?b . ?b skos:prefLabel "Llama 2" . ?m skos:prefLabel ?name }')
>>> r.rows
[('OpenVLA',)]
>>> print(format_result(run_query(build, "ASK { entity:OpenVLA kg:basedOn entity:Llama_2 }"), "json"))
{"head": {}, "boolean": true}
>>> try:
...     run_query(build, "SELECT * WHERE {\\n  ?s ?p }")
... except QueryError as e:
...     print(e.line, e.column)
2 10
>>> run_query(build, "DELETE WHERE { ?s ?p ?o }")
Traceback (most recent call last):
...
kg.query.UpdateRefused: only SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are run here; updates such as DELETE are rejected
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .namespace import PREFIXES as _VOCAB_PREFIXES

__all__ = [
    "PREFIXES", "QueryError", "QueryTimeout", "UpdateRefused", "QueryResult", "run_query", "format_result",
    "load_store", "open_store", "is_store", "resolve_graph_file", "rdf_format", "read_query",
    "RESULT_FORMATS", "run_query_serialized", "SerializedAnswer", "RESULTS_SERIALIZATIONS", "GRAPH_SERIALIZATIONS",
]


def _default_data_prefixes() -> dict[str, str]:
    from .export.rdf import DEFAULT_BASE_IRI, data_prefixes
    return data_prefixes(DEFAULT_BASE_IRI)


#: Prefixes pre-bound in every query: the vocabularies, then the data prefixes of the
#: default base IRI (replaced by the build's own when it declares another base).
PREFIXES: dict[str, str] = {**_VOCAB_PREFIXES, **_default_data_prefixes()}

#: Output formats of :func:`format_result`.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "turtle", "nt")

_RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}
#: Files of a build folder, in order of preference (N-Triples parses fastest).
_BUILD_FILES = ("graph.nt", "graph.ttl", "graph.trig", "graph.jsonld")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {f"{_XSD}{t}" for t in ("integer", "decimal", "double", "float", "int", "long",
                                   "nonNegativeInteger", "positiveInteger", "short")}


class QueryError(ValueError):
    """A query that cannot be run: bad syntax (with ``line`` and ``column``, 1-based, when
    the parser gives them), an update, an unreadable source, or a failed evaluation.
    A ``ValueError``, so callers that report bad input catch it too."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)

    def __reduce__(self):  # picklable across the worker process
        return (type(self), (self.message, self.line, self.column))


class QueryTimeout(QueryError):
    """The query ran longer than its ``timeout`` and was stopped."""


class UpdateRefused(QueryError):
    """An update (INSERT, DELETE, LOAD, ...) given where only queries are run."""


@dataclass
class QueryResult:
    """What a query returned.

    ``kind`` is ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT / DESCRIBE, whose rows
    are subject, predicate, object). ``rows`` hold display strings (an IRI, or a literal's
    lexical form; None when unbound); ``terms`` the same cells as SPARQL JSON term dicts
    (``{"type": "uri"|"literal"|"bnode", "value", "datatype"?, "xml:lang"?}``).
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[str | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    terms: list[tuple[dict | None, ...]] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0

    def __len__(self) -> int:
        return len(self.rows)


# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------

def rdf_format(path: str | os.PathLike) -> ox.RdfFormat:
    """The RDF format of a file, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in _RDF_FORMATS:
        raise QueryError(f"cannot tell the RDF format of {path} (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
    return _RDF_FORMATS[suffix]


def is_store(path: Any) -> bool:
    """Whether ``path`` is a persistent pyoxigraph store folder."""
    if not isinstance(path, (str, os.PathLike)):
        return False
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file() and any(p.glob("OPTIONS-*"))


def resolve_graph_file(source: str | os.PathLike) -> Path:
    """The RDF file of a source: the file itself, or the graph file of a build folder."""
    p = Path(source)
    if p.is_dir():
        for name in _BUILD_FILES:
            if (p / name).is_file():
                return p / name
        raise QueryError(f"{p} holds no kg build (none of {', '.join(_BUILD_FILES)})")
    if not p.is_file():
        raise QueryError(f"no such file or folder: {p}")
    from .export.json import is_node_link_json

    if is_node_link_json(p):
        raise QueryError(f"{p}: is kg's node-link JSON, not RDF; query the build folder ({p.parent}) or an "
                         f"RDF file of it (graph.ttl), or a store made by kg load")
    return p


def _store_of_triples(triples) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def _ox_term(term: Any) -> Any:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot query an RDF term of type {type(term).__name__}")


def open_store(source: Any) -> ox.Store:
    """A store for ``source``: a Store as is, a store folder opened read-only, or a new
    in-memory store holding the RDF file (or build folder's graph), the triples of an
    rdflib Graph, or the RDF export of a networkx graph of :mod:`kg.graph`."""
    if isinstance(source, ox.Store):
        return source
    if hasattr(source, "graph") and hasattr(source, "out_edges"):  # a networkx graph
        from .export.rdf import iter_triples
        return _store_of_triples(iter_triples(source))
    if hasattr(source, "triples") and hasattr(source, "namespace_manager"):  # an rdflib Graph
        return _store_of_triples(ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in source)
    if is_store(source):
        try:
            return ox.Store.read_only(str(source))
        except OSError as e:
            raise QueryError(f"cannot open the store {source}: {e}") from None
    path = resolve_graph_file(source)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=rdf_format(path))
    except (SyntaxError, ValueError, OSError) as e:
        raise QueryError(f"cannot read {path}: {e}") from None
    return store


def store_size(store_dir: str | os.PathLike) -> int:
    """How many triples a persistent store holds (0 for a folder that is no store)."""
    if not is_store(store_dir):
        return 0
    store = ox.Store.read_only(str(store_dir))
    try:
        return len(store)
    finally:
        del store


def load_store(graph_file: str | os.PathLike, store_dir: str | os.PathLike, *, replace: bool = False) -> int:
    """Load an RDF file (or a build folder's graph) into a persistent pyoxigraph store at
    ``store_dir`` (created if needed; loading twice adds nothing new; ``replace`` empties the
    store first). Returns the number of triples the load added.

    >>> import tempfile, pathlib
    >>> from kg.export.rdf import sample_graph, write_rdf
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_rdf(sample_graph(), d / "build", generated_at="2025-01-01T00:00:00Z")
    >>> load_store(d / "build", d / "store") > 300
    True
    >>> run_query(d / "store", "SELECT (COUNT(*) AS ?n) WHERE { ?r a kg:Result }").rows
    [('4',)]
    """
    path = resolve_graph_file(graph_file)
    target = Path(store_dir)
    if target.exists() and any(target.iterdir()) and not is_store(target):
        raise QueryError(f"{target} exists and is not a pyoxigraph store: choose an empty or new folder")
    target.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(target))
    try:
        if replace:
            store.clear()
        before = len(store)
        try:
            store.bulk_load(path=str(path), format=rdf_format(path))
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"cannot read {path}: {e}") from None
        store.flush()
        store.optimize()
        return len(store) - before
    finally:
        del store


def read_query(path: str | os.PathLike) -> str:
    """The text of a ``.rq`` file."""
    return Path(path).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------

_PROLOGUE = re.compile(
    r"""\s*(?:\#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)""", re.IGNORECASE)
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERIES = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_ERROR_AT = re.compile(r"(?:error )?at (\d+):(\d+)")


def _check_is_query(sparql: str) -> None:
    pos = 0
    while True:
        m = _PROLOGUE.match(sparql, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    word = re.match(r"\s*([A-Za-z]+)", sparql[pos:])
    keyword = word.group(1).upper() if word else ""
    if keyword in _UPDATES:
        raise UpdateRefused(f"only SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are run here; "
                         f"updates such as {keyword} are rejected")
    if not sparql[pos:].strip():
        raise QueryError("the query is empty" if not sparql.strip() else "the query has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    service = _SERVICE.search(_masked(sparql))
    if service:
        raise QueryError("SERVICE (a federated query to another endpoint) is not run: "
                         "kg queries only the graph it is given", *_position(sparql, service.start()))


_MASK = re.compile(r'<[^<>"\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)


def _masked(sparql: str) -> str:
    """The query with IRIs, strings and comments blanked out (same length, same lines)."""
    return _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sparql)


def _position(sparql: str, offset: int) -> tuple[int, int]:
    return sparql.count("\n", 0, offset) + 1, offset - (sparql.rfind("\n", 0, offset) + 1) + 1


def _undeclared_prefix(sparql: str, known: dict[str, str]) -> tuple[str, int, int] | None:
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([^\s:]*):", sparql, re.IGNORECASE)}
    for m in re.finditer(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\])", _masked(sparql)):
        prefix = m.group(1) or ""
        if prefix not in known and prefix not in declared:
            return (prefix, *_position(sparql, m.start()))
    return None


def _syntax_error(e: SyntaxError, sparql: str = "", known: dict[str, str] | None = None) -> QueryError:
    message = str(e.args[0] if e.args else e)
    if "Prefix not found" in message:
        found = _undeclared_prefix(sparql, known or PREFIXES)
        if found:
            prefix, line, column = found
            return QueryError(f"unknown prefix {prefix}: (declare it with PREFIX {prefix}: <...>)", line, column)
    m = _ERROR_AT.search(message)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        unknown = _unknown_word(sparql)
        if unknown is not None:  # the parser's position is often past the word it tripped on
            line, column = unknown[1], unknown[2]
        return QueryError(_in_plain_words(sparql, message, unknown), line, column)
    if len(message) > 300:
        message = message[:299] + "…"
    return QueryError(message)


_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: SPARQL 1.1 keywords and built-in function names (any case), for naming a misspelt one
_KEYWORDS = frozenset("""
    SELECT ASK CONSTRUCT DESCRIBE WHERE PREFIX BASE DISTINCT REDUCED FROM NAMED OPTIONAL UNION MINUS GRAPH
    SERVICE SILENT FILTER BIND AS VALUES UNDEF ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING NOT EXISTS IN A TRUE
    FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE
    RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE
    STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512
    COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRIPLE SUBJECT
    PREDICATE OBJECT ISTRIPLE""".split())
#: a bare word: not a variable, a prefixed name, a language tag, a number or part of one
_BARE_WORD = re.compile(r"(?<![\w?$:@.#-])[A-Za-z_][\w]*(?![\w:.-]*:)(?![\w-])")


def _unknown_word(sparql: str) -> tuple[str, int, int] | None:
    """The first bare word of a query that SPARQL does not know ("LIMT", "SELEC"), with its place."""
    for m in _BARE_WORD.finditer(_masked(sparql)):
        if m.group(0).upper() not in _KEYWORDS:
            return (m.group(0), *_position(sparql, m.start()))
    return None


def _in_plain_words(sparql: str, message: str, unknown: tuple[str, int, int] | None) -> str:
    """What is wrong with a query the parser rejected, in plain words: a word SPARQL does not
    know (with the keyword it resembles), a missing query form, an unclosed brace or bracket;
    else what the parser expected, without its lists of Unicode ranges. (The parser's own
    position is often past the mistake: the word named here carries its own.) ``unknown``:
    what :func:`_unknown_word` found in ``sparql``.

    >>> q = "SELECT ?s WHERE { ?s ?p ?o } LIMT 3"
    >>> _in_plain_words(q, "error at 1:35: expected one of HAVING, OFFSET", _unknown_word(q))
    "'LIMT' is no SPARQL keyword (did you mean LIMIT?)"
    >>> _in_plain_words("?s WHERE { ?s ?p ?o }", "error at 1:1: expected CONSTRUCT", None)
    'the query has no SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX lines)'
    >>> _in_plain_words("SELECT ?s WHERE { ?s ?p ?o", 'error at 1:27: expected one of "}", "."', None)
    "the query ends too early: 1 '{' is not closed by a '}'"
    """
    import difflib

    if unknown is not None:
        word = unknown[0]
        close = difflib.get_close_matches(word.upper(), sorted(_KEYWORDS), n=1, cutoff=0.7)
        return f"'{word}' is no SPARQL keyword" + (f" (did you mean {close[0]}?)" if close else "")
    masked = _masked(sparql)
    if not re.search(r"\b(?:" + "|".join(_QUERY_FORMS) + r")\b", masked, re.I):
        return f"the query has no {', '.join(_QUERY_FORMS[:-1])} or {_QUERY_FORMS[-1]} (after any PREFIX lines)"
    for opening, closing in (("{", "}"), ("(", ")"), ("[", "]")):
        unclosed = masked.count(opening) - masked.count(closing)
        if unclosed > 0:
            return f"the query ends too early: {unclosed} '{opening}' is not closed by a '{closing}'"
        if unclosed < 0:
            return f"a '{closing}' closes nothing ({-unclosed} more '{closing}' than '{opening}')"
    wanted = re.findall(r'"((?:[^"\\]|\\.)+)"', message.split("expected", 1)[-1])
    words = [w.strip() for w in re.sub(r"\[.*", "", message.split("expected", 1)[-1]).replace("one of", "").split(",")
             if re.fullmatch(r"\s*[A-Z_]+\s*", w)]
    kinds = (["a number"] if "'0' ..= '9'" in message else []) + (["a name"] if "'a' ..= 'z'" in message else [])
    expected = ", ".join([f"'{w}'" for w in wanted[:12]] + words[:12] + kinds)
    return "the parser stopped here" + (f"; it expected {expected}" if expected else "")


def _term(term: Any) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != f"{_XSD}string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _display(term: dict | None) -> str | None:
    if term is None:
        return None
    return f"_:{term['value']}" if term["type"] == "bnode" else term["value"]


def _build_prefixes(store: ox.Store) -> dict[str, str]:
    from .export.rdf import data_prefixes
    prefixes = dict(PREFIXES)
    try:
        bases = {s["u"].value for s in store.query(
            "SELECT DISTINCT ?u WHERE { ?d a <http://rdfs.org/ns/void#Dataset> ; "
            "<http://rdfs.org/ns/void#uriSpace> ?u } LIMIT 2", use_default_graph_as_union=True)}
        if len(bases) == 1:
            prefixes.update(data_prefixes(bases.pop()))
    except (ValueError, OSError, SyntaxError):
        pass
    return prefixes


#: the SPARQL result formats of :func:`run_query_serialized`, by name
RESULTS_SERIALIZATIONS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                          "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
#: the RDF formats of :func:`run_query_serialized` (CONSTRUCT and DESCRIBE), by name
GRAPH_SERIALIZATIONS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


@dataclass(frozen=True)
class SerializedAnswer:
    """A query's answer written in a standard format: ``kind`` ``"select"``, ``"ask"`` or
    ``"graph"``, the ``media_type`` of ``data``."""

    kind: str
    media_type: str
    data: bytes


def _collect(answer: Any) -> QueryResult:
    """An answer as rows of display strings and SPARQL JSON terms."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        result = QueryResult("select", variables=names)
        cells_of = (tuple(_term(solution[name]) for name in names) for solution in answer)
    else:
        result = QueryResult("graph", variables=["subject", "predicate", "object"])
        cells_of = ((_term(t.subject), _term(t.predicate), _term(t.object)) for t in answer)
    for cells in cells_of:
        result.terms.append(cells)
        result.rows.append(tuple(_display(c) for c in cells))
    return result


def _written(answer: Any, formats: tuple[str, str]) -> SerializedAnswer:
    """An answer written in the SPARQL results format or RDF format named in ``formats``."""
    if isinstance(answer, (ox.QueryBoolean, ox.QuerySolutions)):
        fmt = RESULTS_SERIALIZATIONS[formats[0]]
        return SerializedAnswer("ask" if isinstance(answer, ox.QueryBoolean) else "select", fmt.media_type,
                                answer.serialize(format=fmt))
    fmt = GRAPH_SERIALIZATIONS[formats[1]]
    return SerializedAnswer("graph", fmt.media_type, answer.serialize(format=fmt))


def _evaluate(store: ox.Store, sparql: str, formats: tuple[str, str] | None) -> QueryResult | SerializedAnswer:
    """Run a query on ``store``: its answer collected (``formats`` None) or written in ``formats``.
    The answer is consumed inside the ``try``: pyoxigraph evaluates lazily."""
    prefixes = _build_prefixes(store)
    start = time.perf_counter()
    try:
        answer = store.query(sparql, prefixes=prefixes, use_default_graph_as_union=True)
        if formats is not None:
            return _written(answer, formats)
        result = _collect(answer)
    except SyntaxError as e:
        raise _syntax_error(e, sparql, prefixes) from None
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        raise QueryError(f"query evaluation failed: {e}") from None
    result.prefixes = prefixes
    result.elapsed = time.perf_counter() - start
    return result


def _worker(conn, source: Any, sparql: str, formats: tuple[str, str] | None = None) -> None:  # pragma: no cover - runs in a child
    try:
        conn.send(("ok", _evaluate(open_store(source), sparql, formats)))
    except QueryError as e:
        conn.send(("error", e))
    except BaseException as e:  # noqa: BLE001 - report anything to the parent
        conn.send(("error", QueryError(f"query worker failed: {type(e).__name__}: {e}")))
    finally:
        conn.close()


def _run_with_timeout(source: Any, sparql: str, timeout: float,
                      formats: tuple[str, str] | None = None) -> QueryResult | SerializedAnswer:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        ctx = multiprocessing.get_context("fork")
        # load files in the parent: the child inherits the store, the limit covers the query
        if not isinstance(source, ox.Store) and not is_store(source):
            source = open_store(source)
    else:
        ctx = multiprocessing.get_context("spawn")
        if not isinstance(source, (str, os.PathLike)):
            raise QueryError("on this platform a timeout needs a file or folder as source")
        source = str(source)
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(sender, source, sparql, formats), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"the query did not finish within {timeout:g} s and was stopped")
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(1)
            raise QueryError(f"the query process died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "error":
        raise payload
    return payload


def _run(source: Any, sparql: str, timeout: float | None,
         formats: tuple[str, str] | None) -> QueryResult | SerializedAnswer:
    _check_is_query(sparql)
    if timeout is not None:
        if timeout <= 0:
            raise QueryError("the timeout must be a positive number of seconds")
        return _run_with_timeout(source, sparql, float(timeout), formats)
    return _evaluate(open_store(source), sparql, formats)


def run_query(source: Any, sparql: str, *, timeout: float | None = None) -> QueryResult:
    """Run one SPARQL query on ``source`` (file, build folder, store folder or Store)."""
    return _run(source, sparql, timeout, None)


def run_query_serialized(source: Any, sparql: str, *, results_format: str = "json", graph_format: str = "turtle",
                         timeout: float | None = None) -> SerializedAnswer:
    """Run one SPARQL query on ``source`` and write its answer as the SPARQL protocol does:
    SELECT and ASK in ``results_format`` (a key of :data:`RESULTS_SERIALIZATIONS`), CONSTRUCT and
    DESCRIBE in ``graph_format`` (:data:`GRAPH_SERIALIZATIONS`). Same checks and timeout as
    :func:`run_query`.

    >>> from kg.export.rdf import sample_graph
    >>> a = run_query_serialized(sample_graph(), "ASK { ?m kg:basedOn ?b }", results_format="xml")
    >>> a.kind, a.media_type, b"<boolean>true</boolean>" in a.data
    ('ask', 'application/sparql-results+xml', True)
    """
    if results_format not in RESULTS_SERIALIZATIONS or graph_format not in GRAPH_SERIALIZATIONS:
        raise ValueError(f"unknown format {results_format!r} or {graph_format!r}")
    return _run(source, sparql, timeout, (results_format, graph_format))


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------

def _compact(iri: str, prefixes: dict[str, str]) -> str:
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        local = iri[len(prefixes[best]):]
        if re.fullmatch(r"[\w%.~-]*", local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def _nt(term: dict | None) -> str:
    """A term in N-Triples syntax (used by TSV)."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    if term["type"] == "triple":
        return f"<< {term['value']} >>"
    text = str(ox.Literal(term["value"], language=term["xml:lang"]) if "xml:lang" in term else
               ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"])) if "datatype" in term else
               ox.Literal(term["value"]))
    return text.replace("\t", "\\t")


def _table_cell(term: dict | None, prefixes: dict[str, str], width: int | None) -> str:
    from .io import printable

    if term is None:
        return ""
    text = _compact(term["value"], prefixes) if term["type"] == "uri" else _display(term) or ""
    text = " ".join(text.split()) if ("\n" in text or "\t" in text or "\r" in text) else text
    text = printable(text)
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _table(result: QueryResult, width: int | None) -> str:
    header = list(result.variables)
    body = [[_table_cell(t, result.prefixes, width) for t in row] for row in result.terms]
    numeric = [all((row[i] is None or row[i].get("datatype") in _NUMERIC) for row in result.terms)
               and any(row[i] is not None for row in result.terms) for i in range(len(header))]
    from .io import text_table

    out = text_table(header, body, numeric)
    n = len(body)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def _graph_text(result: QueryResult, fmt: str) -> str:
    lines = "".join(sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in result.terms}))
    if fmt == "nt":
        return lines
    triples = list(ox.parse(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    used = {p: ns for p, ns in result.prefixes.items() if ns in lines}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")


def format_result(result: QueryResult, fmt: str = "table", *, max_width: int | None = 80) -> str:
    """Format a result: ``table`` (aligned text for terminals; cells cut at ``max_width``),
    ``csv`` / ``tsv`` / ``json`` (SPARQL 1.1 results formats), and, for CONSTRUCT or
    DESCRIBE results, ``turtle`` / ``nt`` (``table`` gives Turtle for them too)."""
    fmt = fmt.lower()
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"unknown result format {fmt!r}; choose from {', '.join(RESULT_FORMATS)}")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)})
        if fmt == "table":
            return ("yes" if result.boolean else "no") + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph" and fmt in ("table", "turtle", "nt"):
        return _graph_text(result, "nt" if fmt == "nt" else "turtle")
    if fmt in ("turtle", "nt"):
        raise ValueError(f"{fmt} output is for CONSTRUCT and DESCRIBE results; use table, csv, tsv or json")
    if fmt == "table":
        return _table(result, max_width)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if c is None else c for c in row])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join(_nt(t) for t in row) for row in result.terms]
        return "\n".join(lines) + "\n"
    head = json.dumps({"vars": result.variables}, ensure_ascii=False)
    bindings = ",\n".join(
        json.dumps({v: t for v, t in zip(result.variables, row) if t is not None}, ensure_ascii=False)
        for row in result.terms)
    return f'{{"head": {head},\n"results": {{"bindings": [\n{bindings}\n]}}}}\n'
