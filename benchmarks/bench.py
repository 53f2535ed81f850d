"""How kg's build scales: per-stage time, papers/s and peak memory at 1k / 10k / 100k abstracts.

    python benchmarks/bench.py --quick                      # smoke run (300 papers)
    python benchmarks/bench.py                              # 1,000, 10,000, 100,000
    python benchmarks/bench.py --sizes 1000,10000 --workers 1,2 --json out.json
    python benchmarks/bench.py --source examples            # replicated example corpus
    python benchmarks/bench.py --source my-papers.jsonl     # any file kg reads
    python benchmarks/bench.py --profile 2000               # time each pipeline component

Corpus. ``--source acl`` (the default when present) uses the ACL Anthology abstracts in
``../shared/external/acl-abstracts/abstracts.jsonl.gz`` (beside the checkout) (32k real, distinct abstracts): a
random sample of N of them, and beyond 32k new abstracts made by recombining sentences of
different abstracts (so the texts stay distinct and the tokenizer sees real variety; the
vocabulary, though, is the 32k abstracts'). ``--source examples`` replicates the bundled
``examples/papers.jsonl`` with varied ids and shuffled sentences (a best case: few distinct
words). ``--source FILE`` takes any file kg reads, recombined like ACL. The corpus is written
as JSON Lines and read back by ``kg.readers`` (the "read" stage).

Stages, run one after another like ``kg build`` (each size in a fresh process, so memory
figures do not carry over): read, pipeline setup (building kg's spaCy pipeline, once per
process), NLP (``kg.extract.extract_papers`` at each ``--workers``), cache write / cache
rebuild (``kg.cache``), linking, graph, RDF (``graph.ttl`` + ``void.ttl``), HTML (default
node budget), JSON. In the same run ``spacy.blank("en")`` tokenizes the same texts (default
settings, and with kg's 200k tokenizer cache); kg's NLP time is printed as a ratio to it:
the figure to drive down, since absolute times vary between machines.

Memory: "peak RSS" is the process's own high-water mark within the stage (VmHWM, reset
per stage through /proc/self/clear_refs, and a 50 ms sampler of VmRSS); with workers,
"+workers" adds the RSS of every worker process (pages shared copy-on-write with the
parent are counted once per process, so it overstates), and "worker max" is the largest
RSS any one worker reached.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACL = ROOT.parent / "shared" / "external" / "acl-abstracts" / "abstracts.jsonl.gz"
EXAMPLES = ROOT / "examples" / "papers.jsonl"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (300,)
MB = 1024 * 1024


# --- memory -----------------------------------------------------------------------------------

def _status_kb(pid: int | str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(c) for c in f.read().split()]
                out += kids
                stack += kids
        except OSError:
            pass
    return out


def _reset_hwm() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        pass


class Sampler(threading.Thread):
    """Samples the RSS of this process and of its worker processes every ``interval`` s."""

    def __init__(self, interval: float = 0.05):
        super().__init__(daemon=True)
        self.interval = interval
        self.pid = os.getpid()
        self.reset()
        self._stop_event = threading.Event()

    def reset(self) -> None:
        self.peak_self = self.peak_total = self.peak_worker = 0

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            own = _status_kb(self.pid, "VmRSS")
            workers = [_status_kb(c, "VmRSS") for c in _descendants(self.pid)]
            self.peak_self = max(self.peak_self, own)
            self.peak_total = max(self.peak_total, own + sum(workers))
            self.peak_worker = max([self.peak_worker, *workers])

    def stop(self) -> None:
        self._stop_event.set()


class Meter:
    """Times stages and records their memory (see the module docstring)."""

    def __init__(self) -> None:
        self.sampler = Sampler()
        self.sampler.start()
        self.stages: list[dict[str, Any]] = []

    @contextmanager
    def stage(self, name: str, n: int, **extra: Any):
        gc.collect()
        _reset_hwm()
        self.sampler.reset()
        rec: dict[str, Any] = {"stage": name, "papers": n, **extra}
        rss0 = _status_kb("self", "VmRSS")
        cpu0 = os.times()
        t0 = time.perf_counter()
        yield rec
        dt = time.perf_counter() - t0
        cpu1 = os.times()
        s = self.sampler
        peak = max(_status_kb("self", "VmHWM"), s.peak_self, _status_kb("self", "VmRSS"))
        rec.update(seconds=dt, papers_per_s=n / dt if dt > 0 else None,
                   cpu_seconds=(cpu1.user + cpu1.system + cpu1.children_user + cpu1.children_system)
                   - (cpu0.user + cpu0.system + cpu0.children_user + cpu0.children_system),
                   rss_before=rss0, rss_after=_status_kb("self", "VmRSS"), peak_rss=peak,
                   peak_rss_with_workers=max(peak, s.peak_total), peak_worker_rss=s.peak_worker)
        self.stages.append(rec)


# --- corpus -----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def load_source(source: str) -> tuple[list[dict[str, Any]], str]:
    """Records ``{"id", "title", "abstract", "year"}`` and a description of where they came from."""
    if source == "auto":
        if ACL.is_file():
            source = "acl"
        else:
            print(f"note: {ACL} is absent; using the bundled examples (replicated, shuffled sentences). "
                  "Figures on replicated text flatter the tokenizer: see --source.", file=sys.stderr)
            source = "examples"
    if source == "acl":
        if not ACL.is_file():
            sys.exit(f"bench: the ACL abstracts are not at {ACL}; use --source examples or --source FILE")
        import gzip
        with gzip.open(ACL, "rt", encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
        recs = [r for r in recs if (r.get("abstract") or "").strip()]
        return recs, f"acl ({len(recs):,} real abstracts in {ACL})"
    from kg.readers import read_papers
    path = EXAMPLES if source == "examples" else Path(source)
    if not path.exists():
        sys.exit(f"bench: no such file: {path}")
    recs = [{"id": p.id, "title": p.title, "abstract": p.abstract, "year": p.year}
            for p in read_papers([path], on_skip=lambda s: None)]
    if not recs:
        sys.exit(f"bench: no papers could be read from {path}")
    kind = "examples" if source == "examples" else "file"
    return recs, f"{kind} ({len(recs):,} abstracts in {path})"


def make_corpus(records: list[dict[str, Any]], n: int, *, mode: str, seed: int = 13) -> list[dict[str, Any]]:
    """N records with distinct ids: a sample of ``records``, then new abstracts.

    ``mode="recombine"``: a new abstract takes one sentence from each of k different
    abstracts (k drawn from the real lengths), and the title of yet another.
    ``mode="shuffle"``: a new abstract is one record's sentences in a shuffled order.
    """
    rng = random.Random(seed)
    base = list(records)
    rng.shuffle(base)
    out = [dict(r) for r in base[:n]]
    seen = set()
    for r in out:
        if r["id"] in seen:
            r["id"] = f"{r['id']}-dup{len(seen)}"
        seen.add(r["id"])
    if n <= len(base):
        return out
    split = [_sentences(r["abstract"]) for r in base]
    lengths = [len(s) for s in split if s]
    for i in range(n - len(base)):
        if mode == "shuffle":
            r = base[i % len(base)]
            sents = list(split[i % len(base)])
            rng.shuffle(sents)
            title, year = r.get("title") or "", r.get("year")
        else:
            k = rng.choice(lengths)
            picks = rng.sample(range(len(split)), k + 1)
            sents = [rng.choice(split[j]) for j in picks[1:] if split[j]]
            title, year = base[picks[0]].get("title") or "", base[picks[0]].get("year")
        out.append({"id": f"syn-{i:07d}", "title": title, "abstract": " ".join(sents), "year": year})
    return out


def corpus_stats(texts: list[str]) -> dict[str, Any]:
    chunks: set[str] = set()
    n_chunks = 0
    for t in texts:
        parts = t.split()
        n_chunks += len(parts)
        chunks.update(parts)
    return {"papers": len(texts), "chars_per_paper": sum(map(len, texts)) / max(1, len(texts)),
            "distinct_texts": len(set(texts)), "chunks": n_chunks, "distinct_chunks": len(chunks)}


# --- one size -------------------------------------------------------------------------------

def _digest(extractions) -> str:
    h = hashlib.sha1()
    for x in extractions:
        h.update(repr(x).encode("utf-8"))
    return h.hexdigest()[:16]


def _tokenize(nlp, texts: list[str]) -> int:
    tokens = 0
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        tokens += len(doc)
    return tokens


def run_one(n: int, args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from kg.cache import extract_with_cache, load_cache, save_cache
    from kg.export.html import write_html
    from kg.export.json import write_json
    from kg.export.rdf import write_rdf
    from kg.extract import _process_nlp, extract_papers
    from kg.graph import build_graph
    from kg.linking import link
    from kg.nlp.pipeline import customise_tokenizer
    from kg.readers import read_papers

    records, described = load_source(args.source)
    mode = "shuffle" if described.startswith("examples") else "recombine"
    work = Path(tempfile.mkdtemp(prefix=f"kg-bench-{n}-"))
    corpus = work / "papers.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for r in make_corpus(records, n, mode=mode):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    del records
    out = work / "out"
    out.mkdir()
    m = Meter()
    result: dict[str, Any] = {"n": n, "source": described, "mode": mode, "cores": os.cpu_count(),
                              "loadavg_start": os.getloadavg(), "workers": args.workers,
                              "corpus_bytes": corpus.stat().st_size}

    with m.stage("read", n):
        papers = list(read_papers([corpus]))
    texts = [p.text for p in papers]
    result["corpus"] = corpus_stats(texts)

    tok = spacy.blank("en")
    with m.stage("tokenizer: spacy.blank('en')", n, baseline=True) as rec:
        rec["tokens"] = _tokenize(tok, texts)
    tok = spacy.blank("en")
    tok.tokenizer.max_cache_size = 200_000
    with m.stage("tokenizer: blank + 200k cache", n, baseline=True) as rec:
        rec["tokens"] = _tokenize(tok, texts)
    tok = spacy.blank("en")
    customise_tokenizer(tok)
    with m.stage("tokenizer: kg's (infixes, 200k cache)", n, baseline=True) as rec:
        rec["tokens"] = _tokenize(tok, texts)
    del tok, texts

    with m.stage("pipeline setup (once per process)", 0):
        _process_nlp(args.mode)
    digests = {}
    # more workers first: the forked workers then start from the parent's fresh tokenizer
    # cache, and the single-process run after them is cold too
    for w in sorted(args.workers, reverse=True):
        gc.collect()
        with m.stage(f"NLP (workers={w})", n, workers=w) as rec:
            xs = list(extract_papers(papers, workers=w, mode=args.mode))
        rec["mentions"] = sum(len(x.mentions) for x in xs)
        rec["relations"] = sum(len(x.relations) for x in xs)
        digests[w] = _digest(xs)
        if w != min(args.workers):
            del xs
    result["extractions_identical_across_workers"] = len(set(digests.values())) == 1

    cache_dir = work / "build"
    with m.stage("cache write", n) as rec:
        save_cache(cache_dir, xs)
    rec["bytes"] = (cache_dir / ".kg-cache" / "extractions.jsonl.gz").stat().st_size
    with m.stage("cache rebuild (load + reuse)", n) as rec:
        reused = list(extract_with_cache(papers, load_cache(cache_dir)))
    rec["identical"] = _digest(reused) == digests[min(args.workers)]
    del reused

    with m.stage("linking", n):
        linked = link(xs)
    del xs, papers
    with m.stage("graph", n) as rec:
        g = build_graph(linked)
    rec["nodes"], rec["edges"] = g.number_of_nodes(), g.number_of_edges()
    rec["entities"] = len(linked.entities)
    with m.stage("RDF (turtle + void)", n) as rec:
        written = write_rdf(g, out, formats=("turtle",))
    rec["bytes"] = sum(p.stat().st_size for p in written)
    void = (out / "void.ttl").read_text("utf-8") if (out / "void.ttl").exists() else ""
    triples = re.search(r"void:triples\s+(\d+)", void)
    rec["triples"] = int(triples.group(1)) if triples else None
    if not args.no_html:
        with m.stage("HTML (default node budget)", n) as rec:
            write_html(g, out / "graph.html")
        rec["bytes"] = (out / "graph.html").stat().st_size
    with m.stage("JSON", n) as rec:
        write_json(g, out / "graph.json")
    rec["bytes"] = (out / "graph.json").stat().st_size
    m.sampler.stop()

    result["stages"] = m.stages
    result["loadavg_end"] = os.getloadavg()
    result["ru_maxrss_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["ru_maxrss_children"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    else:
        result["work_dir"] = str(work)
    return result


# --- summaries --------------------------------------------------------------------------------

def _by(result: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((s for s in result["stages"] if s["stage"] == name), None)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """End-to-end figures per workers count, as ``kg build`` (with the cache) would run."""
    base = _by(result, "tokenizer: spacy.blank('en')")
    tuned = _by(result, "tokenizer: blank + 200k cache")
    rest = ["read", "pipeline setup (once per process)", "cache write", "linking", "graph",
            "RDF (turtle + void)", "HTML (default node budget)", "JSON"]
    rebuild = ["read", "cache rebuild (load + reuse)", "linking", "graph", "RDF (turtle + void)",
               "HTML (default node budget)", "JSON"]
    out = {}
    for w in result["workers"]:
        nlp = _by(result, f"NLP (workers={w})")
        stages = [s for s in (_by(result, r) for r in rest) if s] + [nlp]
        out[w] = {
            "nlp_s": nlp["seconds"], "nlp_papers_per_s": nlp["papers_per_s"],
            "ratio_to_blank": nlp["seconds"] / base["seconds"],
            "ratio_to_blank_200k": nlp["seconds"] / tuned["seconds"],
            "cpu_ratio_to_blank": nlp["cpu_seconds"] / base["cpu_seconds"] if base["cpu_seconds"] else None,
            "end_to_end_s": sum(s["seconds"] for s in stages),
            "peak_rss": max(s["peak_rss"] for s in stages),
            "peak_rss_with_workers": max(s["peak_rss_with_workers"] for s in stages),
            "rebuild_from_cache_s": sum(s["seconds"] for s in (_by(result, r) for r in rebuild) if s),
        }
    return out


def _mb(b: float | None) -> str:
    return "" if not b else f"{b / MB:,.0f}"


def _size(b: int | None) -> str:
    if not b:
        return ""
    return f"{b / MB:,.1f} MB" if b >= MB else f"{b / 1024:,.0f} kB"


def print_result(result: dict[str, Any]) -> None:
    n = result["n"]
    c = result["corpus"]
    print(f"\n### N = {n:,} ({result['source']}; {result['mode']})\n")
    print(f"{result['cores']} cores, load average {result['loadavg_start'][0]:.1f} at start, "
          f"{result['loadavg_end'][0]:.1f} at end; {c['chars_per_paper']:.0f} chars/paper, "
          f"{c['distinct_texts']:,} distinct texts, {c['distinct_chunks']:,} distinct whitespace chunks "
          f"(tokenizer cache entries needed)\n")
    print("| stage | s | papers/s | CPU s | peak RSS MB | +workers MB | worker max MB | notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for s in result["stages"]:
        notes = []
        for k in ("tokens", "mentions", "relations", "entities", "nodes", "edges", "triples"):
            if s.get(k) is not None:
                notes.append(f"{s[k]:,} {k}")
        if s.get("bytes"):
            notes.append(_size(s["bytes"]))
        if "identical" in s:
            notes.append("same extractions" if s["identical"] else "DIFFERENT extractions")
        pps = f"{s['papers_per_s']:,.0f}" if s.get("papers_per_s") else ""
        extra = _mb(s["peak_rss_with_workers"]) if s["peak_rss_with_workers"] > s["peak_rss"] * 1.01 else ""
        print(f"| {s['stage']} | {s['seconds']:.2f} | {pps} | {s['cpu_seconds']:.1f} | {_mb(s['peak_rss'])} | "
              f"{extra} | {_mb(s.get('peak_worker_rss'))} | {', '.join(notes)} |")
    if not result.get("extractions_identical_across_workers", True):
        print("\n**warning: extractions differ between worker counts**")


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\n## Summary\n")
    print("NLP = kg.extract over all papers; ratio = NLP time / `spacy.blank(\"en\")` tokenizing the same "
          "texts in the same run (in brackets: / blank with a 200k tokenizer cache); CPU ratio = the same in CPU "
          "seconds (workers included), steadier than wall time on a shared machine. End to end = read + "
          "pipeline setup + NLP + cache write + linking + graph + RDF + HTML + JSON, one after another; "
          "rebuild = the same build again with every paper in the cache.\n")
    print("| N | workers | NLP s | NLP papers/s | ratio to blank | CPU ratio | end to end s | papers/s | peak RSS MB "
          "(+workers) | rebuild s | graph.ttl | graph.json | graph.html |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rdf, js, html = (_by(r, k) for k in ("RDF (turtle + void)", "JSON", "HTML (default node budget)"))
        for w, s in summarise(r).items():
            print(f"| {r['n']:,} | {w} | {s['nlp_s']:.1f} | {s['nlp_papers_per_s']:,.0f} | "
                  f"{s['ratio_to_blank']:.1f}x ({s['ratio_to_blank_200k']:.1f}x) | "
                  f"{s['cpu_ratio_to_blank'] or 0:.1f}x | {s['end_to_end_s']:.1f} | "
                  f"{r['n'] / s['end_to_end_s']:,.0f} | {_mb(s['peak_rss'])} ({_mb(s['peak_rss_with_workers'])}) | "
                  f"{s['rebuild_from_cache_s']:.1f} | {_size(rdf and rdf.get('bytes'))} | "
                  f"{_size(js and js.get('bytes'))} | {_size(html and html.get('bytes'))} |")


# --- per-component profile ---------------------------------------------------------------------

def profile_components(n: int, args: argparse.Namespace, repeat: int = 3) -> None:
    """Time kg's tokenizer, each pipeline component and doc_to_extraction on the same N docs."""
    from kg.extract import doc_to_extraction
    from kg.model import Paper
    from kg.nlp.pipeline import build_nlp

    records, described = load_source(args.source)
    recs = make_corpus(records, n, mode="shuffle" if described.startswith("examples") else "recombine")
    papers = [Paper(r["id"], r.get("title") or "", r["abstract"], r.get("year")) for r in recs]
    texts = [p.text for p in papers]
    import spacy
    t = time.perf_counter()
    _tokenize(spacy.blank("en"), texts)
    blank = time.perf_counter() - t
    t = time.perf_counter()
    nlp = build_nlp(mode=args.mode)
    setup = time.perf_counter() - t
    times: dict[str, list[float]] = {}
    for _ in range(repeat):
        t = time.perf_counter()
        docs = list(nlp.tokenizer.pipe(texts, batch_size=256))
        times.setdefault("tokenizer (kg's)", []).append(time.perf_counter() - t)
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            docs = [proc(d) for d in docs]
            times.setdefault(name, []).append(time.perf_counter() - t)
        t = time.perf_counter()
        for d, p in zip(docs, papers):
            doc_to_extraction(d, p)
        times.setdefault("doc_to_extraction", []).append(time.perf_counter() - t)
        del docs
    total = sum(statistics.median(v) for v in times.values())
    print(f"\n### Per-component time, {n:,} papers ({described}); median of {repeat} runs\n")
    print(f"spacy.blank('en') tokenizer (cold, default cache): {blank:.2f} s; building the pipeline: {setup:.1f} s\n")
    print("| component | s | share | docs/s | x blank tokenizer |")
    print("|---|---:|---:|---:|---:|")
    for name, v in times.items():
        s = statistics.median(v)
        print(f"| {name} | {s:.2f} | {s / total:.0%} | {n / s:,.0f} | {s / blank:.2f} |")
    print(f"| total | {total:.2f} | 100% | {n / total:,.0f} | {total / blank:.2f} |")


# --- main ------------------------------------------------------------------------------------

def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"smoke run: N = {QUICK_SIZES[0]}")
    ap.add_argument("--sizes", type=_ints, default=None,
                    help="comma-separated corpus sizes (default 1000,10000,100000)")
    ap.add_argument("--source", default="auto", help="acl, examples, or a file of papers (default: acl when present)")
    ap.add_argument("--workers", type=_ints, default=None, help="comma-separated worker counts (default 1,2)")
    ap.add_argument("--mode", default="default", choices=("rules", "default", "accurate"),
                    help="extraction mode (kg extract's --rules-only / default / --accurate)")
    ap.add_argument("--no-html", action="store_true", help="skip the HTML stage")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and outputs (their folder is printed)")
    ap.add_argument("--profile", type=int, default=None, metavar="N",
                    help="instead: time each pipeline component on N papers")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # internal: one size, JSON to stdout
    args = ap.parse_args(argv)
    args.workers = args.workers or [1, 2]
    if args.profile:
        profile_components(args.profile, args)
        return 0
    if args.one is not None:
        print(json.dumps(run_one(args.one, args)))
        return 0
    sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(DEFAULT_SIZES))
    _, described = load_source(args.source)  # fail early, and say which corpus
    print(f"# kg build benchmark\n\ncorpus: {described}; sizes {', '.join(f'{s:,}' for s in sizes)}; "
          f"workers {', '.join(map(str, args.workers))}; mode {args.mode}; {os.cpu_count()} cores", flush=True)
    results = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--one", str(n), "--source", args.source,
               "--workers", ",".join(map(str, args.workers)), "--mode", args.mode]
        cmd += ["--no-html"] * args.no_html + ["--keep"] * args.keep
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            print(f"bench: the run for N = {n:,} failed (exit {proc.returncode})", file=sys.stderr)
            return proc.returncode
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        print_result(result)
        sys.stdout.flush()
        if args.json:
            args.json.write_text(json.dumps(results, indent=1) + "\n")
    print_summary(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
