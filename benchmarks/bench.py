"""How kg's build scales: per-stage time, papers/s and peak memory at 1k / 10k / 100k abstracts.

    python benchmarks/bench.py --quick                      # smoke run (300 papers)
    python benchmarks/bench.py                              # 1,000, 10,000, 100,000
    python benchmarks/bench.py --sizes 1000,10000 --workers 1,2 --json out.json
    python benchmarks/bench.py --source examples            # replicated example corpus
    python benchmarks/bench.py --source my-papers.jsonl     # any file kg reads
    python benchmarks/bench.py --profile 2000               # time each pipeline component
    python benchmarks/bench.py --sizes 10000 --no-update    # without the kg build --update stage

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
node budget), JSON, then "update (+1% new papers)" (below). In the same run
``spacy.blank("en")`` tokenizes the same texts (default settings, and with kg's 200k
tokenizer cache); kg's NLP time is printed as a ratio to it:
the figure to drive down, since absolute times vary between machines. The linking stage also
reports microseconds per mention (the mentions the NLP stage found), comparable across sizes.

Update (+1% new papers), on by default (``--no-update`` skips it): what ``kg build --update
OUT new.jsonl`` costs when OUT is a build of the N papers, all in its cache, and 1% more papers
arrive. It runs the real CLI in a subprocess, so it includes everything the command does:
interpreter start-up and imports, reading the new papers, reading the whole cache, building
the pipeline and extracting only the new papers, linking all papers, the graph, and writing
graph.json, the new cache, graph.ttl + void.ttl and graph.html (unless ``--no-html``). The new
papers are the next ones of the same corpus (``make_corpus`` for N + 1% papers: the first N are
the benchmark's corpus, the rest are checked to share no id and no text with them). Untimed
set-up: ``kg build corpus -o OUT`` is run through the CLI over the cache written by the "cache
write" stage (so OUT is exactly what a ``kg build`` leaves: graph.json and the cache tied to it,
every paper a cache hit), and OUT is copied afresh for each ``--workers`` count (the update
writes into its folder). Time: the wall clock from starting the subprocess to reaping it
(its "kg -v" stage lines give the breakdown); CPU: the child's and its workers' (``os.times``
of reaped children); peak RSS: the kg process's ``ru_maxrss`` as GNU ``/usr/bin/time`` reports
it (``%M``: the largest of the kg process and any of its workers; without /usr/bin/time, its
sampled VmRSS), with "+workers" and "worker max" sampled every 50 ms from its process tree.
Its ratio is to the end-to-end full build below (the in-process sum of the stages, which has
no interpreter start-up), at the same ``--workers``. A hung update is killed after
``--update-timeout`` seconds (default 1800) and the run fails with its log.

Code: by default the kg measured is a copy of the checkout's ``kg/`` and ``ontology/`` taken
when the bench starts (so that models retrained or rules edited in the checkout during a long
run change nothing half way, nor make the update stage's cache stale); ``--live`` imports the
checkout as it is. The header says which commit and which uncommitted files it holds.

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
#: where the kg measured is imported from: the checkout, or (the default) a snapshot of its
#: kg/ and ontology/ taken when the bench starts (``--code``, set by main())
CODE = ROOT

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
    """Samples the RSS of this process (or of ``pid``) and of its worker processes every ``interval`` s."""

    def __init__(self, interval: float = 0.05, pid: int | None = None, via: int | None = None):
        super().__init__(daemon=True)
        self.interval = interval
        self.pid = os.getpid() if pid is None else pid
        self.via = via  # sample the first child of this process (a wrapper such as /usr/bin/time) instead
        self.reset()
        self._stop_event = threading.Event()

    def reset(self) -> None:
        self.peak_self = self.peak_total = self.peak_worker = 0

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            if self.via is not None:
                kids = _descendants(self.via)
                if not kids:
                    continue
                self.pid, self.via = kids[0], None
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


UPDATE_STAGE = "update (+1% new papers)"
UPDATE_SHARE = 0.01


def _mode_flags(mode: str) -> list[str]:
    return {"default": [], "accurate": ["--accurate"], "rules": ["--rules-only"]}[mode]


def _split_new(recs: list[dict[str, Any]], n: int, k: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``k`` records after the first ``n`` that share no id and no text with the first
    ``n`` nor with each other; and how many were passed over."""
    ids = {r["id"] for r in recs[:n]}
    texts = {r["abstract"] for r in recs[:n]} | {((r.get("title") or ""), r["abstract"]) for r in recs[:n]}
    new, skipped = [], 0
    for r in recs[n:]:
        if len(new) == k:
            break
        key = ((r.get("title") or ""), r["abstract"])
        if r["id"] in ids or r["abstract"] in texts or key in texts:
            skipped += 1
            continue
        ids.add(r["id"])
        texts.update((r["abstract"], key))
        new.append(r)
    if len(new) < k:
        sys.exit(f"bench: could only make {len(new)} of the {k} new papers for the update stage")
    return new, skipped


_TIMED = re.compile(r"^kg: (.+?)(?:: [^:]*)?: ([0-9.]+) s$")
_CACHE_STATS = re.compile(r"extraction cache: CacheStats\(reused=(\d+), extracted=(\d+)\)")


TIME = Path("/usr/bin/time")


def _run_kg(argv: list[str], log_file: Path, timeout: float | None = None) -> dict[str, Any]:
    """Run ``python -m kg.cli -v ARGV`` (kg imported from CODE); its wall time, rusage and sampled RSS.

    The child runs under GNU ``/usr/bin/time`` when present, whose ``%M`` is the kg process's
    ``ru_maxrss`` (the largest of it and its workers, which it reaps). Not ``wait4`` here: a
    child forked (or vforked) from this big process inherits this process's high-water mark
    until it execs, so its ``ru_maxrss`` is never below ours. A :class:`Sampler` follows the
    kg process's tree either way.
    """
    # CODE first on the path, and as the working folder (``-m`` puts it first on sys.path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(CODE), os.environ.get("PYTHONPATH"))))}
    cmd = [sys.executable, "-m", "kg.cli", "-v", *argv]
    timing = log_file.with_suffix(".time")
    wrap = [str(TIME), "-f", "%M %U %S", "-o", str(timing)] if TIME.is_file() else []
    with open(log_file, "w", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(wrap + cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=env, cwd=str(CODE), start_new_session=True)
        sampler = Sampler(pid=proc.pid) if not wrap else Sampler(via=proc.pid)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            import signal
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the kg process and its workers
            proc.wait()
            sampler.stop()
            raise RuntimeError(f"bench: {' '.join(cmd)} did not finish in {timeout:,.0f} s (killed); its log:\n"
                               + log_file.read_text("utf-8", errors="replace")) from None
        seconds = time.perf_counter() - t0
        sampler.stop()
    log = log_file.read_text("utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"bench: {' '.join(cmd)} failed (exit {proc.returncode}):\n{log}")
    if "made by another pipeline" in log:
        print(f"bench: warning: {' '.join(cmd)}: the build's cache was stale, every paper was extracted again:\n"
              f"{log}", file=sys.stderr)
    maxrss = cpu = None
    if wrap:
        try:
            kb, user, system = timing.read_text().split()[-3:]
            maxrss, cpu = int(kb) * 1024, float(user) + float(system)
        except (OSError, ValueError):
            pass
    breakdown: dict[str, float] = {}
    for line in log.splitlines():
        hit = _TIMED.match(line)
        if hit:
            breakdown[hit.group(1)] = breakdown.get(hit.group(1), 0.0) + float(hit.group(2))
    stats = _CACHE_STATS.search(log)
    return {"cmd": cmd, "seconds": seconds, "maxrss": maxrss or 0, "maxrss_source": "/usr/bin/time %M"
            if maxrss else "sampled VmRSS", "cpu_seconds": cpu, "peak_self": sampler.peak_self,
            "peak_total": sampler.peak_total, "peak_worker": sampler.peak_worker,
            "reused": int(stats.group(1)) if stats else None, "extracted": int(stats.group(2)) if stats else None,
            "breakdown": breakdown, "log": log}


def _cached_papers(build_dir: Path) -> int | None:
    try:
        return json.loads((build_dir / ".kg-cache" / "manifest.json").read_text("utf-8")).get("papers")
    except (OSError, ValueError):
        return None


def run_update(m: Meter, n: int, args: argparse.Namespace, corpus: Path, new_file: Path, k: int,
               build_dir: Path, work: Path, result: dict[str, Any]) -> None:
    """The "update (+1% new papers)" stage, once per ``--workers`` count (see the module docstring)."""
    import shutil

    common = [*_mode_flags(args.mode), *(["--no-html"] if args.no_html else [])]
    # untimed: make build_dir a kg build of the N papers, from the cache the "cache write" stage left there
    base = _run_kg(["build", str(corpus), "-o", str(build_dir), "--workers", str(max(args.workers)), *common],
                   work / "base-build.log", timeout=args.update_timeout)
    info: dict[str, Any] = {"new_papers": k, "base_build_s": base["seconds"], "base_build_cmd": base["cmd"],
                            "base_reused": base["reused"], "base_extracted": base["extracted"],
                            "base_papers": _cached_papers(build_dir)}
    if base["extracted"] or base["reused"] != n or info["base_papers"] != n:
        print(f"bench: warning: the base build for the update reused {base['reused']} and extracted "
              f"{base['extracted']} of {n} papers; its cache lists {info['base_papers']}", file=sys.stderr)
    result["update"] = info
    for w in sorted(args.workers, reverse=True):
        target = work / f"update-w{w}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(build_dir, target, symlinks=True)
        with m.stage(UPDATE_STAGE, n + k, workers=w, new_papers=k) as rec:
            run = _run_kg(["build", "--update", str(target), str(new_file), "--workers", str(w), *common],
                          work / f"update-w{w}.log", timeout=args.update_timeout)
        # the stage's own memory figures are the bench process's: the update ran in the child
        rec.update(peak_rss=max(run["maxrss"], run["peak_self"]), peak_rss_source=run["maxrss_source"],
                   peak_rss_with_workers=max(run["maxrss"], run["peak_total"]),
                   peak_worker_rss=run["peak_worker"] if run["peak_worker"] else None,
                   subprocess_seconds=run["seconds"], child_cpu_seconds=run["cpu_seconds"],
                   reused=run["reused"], extracted=run["extracted"], papers_after=_cached_papers(target),
                   breakdown=run["breakdown"], cmd=run["cmd"])
        if run["extracted"] != k or run["reused"] != n or rec["papers_after"] != n + k:
            print(f"bench: warning: the update (workers={w}) reused {run['reused']} and extracted "
                  f"{run['extracted']} papers (expected {n} and {k}); its cache lists {rec['papers_after']}",
                  file=sys.stderr)
        if not args.keep:
            shutil.rmtree(target, ignore_errors=True)


def run_one(n: int, args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from kg.cache import extract_with_cache, load_cache, save_cache
    from kg.export.html import write_html
    from kg.export.json import write_json
    from kg.export.rdf import write_rdf
    from kg.extract import _process_nlp, extract_papers
    from kg.compact_graph import CompactGraph
    from kg.linking import link
    from kg.nlp.pipeline import customise_tokenizer
    from kg.readers import read_papers

    records, described = load_source(args.source)
    mode = "shuffle" if described.startswith("examples") else "recombine"
    work = Path(tempfile.mkdtemp(prefix=f"kg-bench-{n}-"))
    corpus = work / "papers.jsonl"
    # the update stage's new papers are the ones after the first n (make_corpus's first n
    # records do not depend on how many it makes): spare ones in case some collide
    k = 0 if args.no_update else max(1, round(n * UPDATE_SHARE))
    recs = make_corpus(records, n + (2 * k + 10 if k else 0), mode=mode)
    with open(corpus, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[:n])
    new_file = work / "new.jsonl"
    if k:
        new, passed_over = _split_new(recs, n, k)
        with open(new_file, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in new)
        del new
    del records, recs
    out = work / "out"
    out.mkdir()
    m = Meter()
    import kg
    from kg.cache import lexicon_fingerprint, models_fingerprint
    from kg.nlp.pipeline import PIPELINE_VERSION

    code = {"kg": str(Path(kg.__file__).parent), "pipeline_version": PIPELINE_VERSION,
            "models": models_fingerprint(), "lexicon": lexicon_fingerprint()}
    result: dict[str, Any] = {"n": n, "source": described, "mode": mode, "cores": os.cpu_count(), "code": code,
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
        save_cache(cache_dir, xs, mode=args.mode)
    rec["bytes"] = (cache_dir / ".kg-cache" / "extractions.jsonl.gz").stat().st_size
    with m.stage("cache rebuild (load + reuse)", n) as rec:
        reused = list(extract_with_cache(papers, load_cache(cache_dir, mode=args.mode), mode=args.mode))
    rec["identical"] = _digest(reused) == digests[min(args.workers)]
    del reused

    with m.stage("linking", n) as link_rec:
        linked = link(xs)
    # the mentions linked are those of the NLP run whose extractions are kept (the fewest workers)
    nlp_rec = next(s for s in m.stages if s["stage"] == f"NLP (workers={min(args.workers)})")
    link_rec["mentions"] = nlp_rec["mentions"]
    link_rec["us_per_mention"] = (link_rec["seconds"] * 1e6 / nlp_rec["mentions"]) if nlp_rec["mentions"] else None
    del xs, papers
    with m.stage("graph", n) as rec:
        g = CompactGraph.from_linked(linked)  # what kg build writes from
    rec["nodes"], rec["edges"] = g.number_of_nodes(), g.number_of_edges()
    rec["entities"] = len(linked.entities)
    del linked
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
    if k:
        del g
        gc.collect()
        result["update_new_papers_passed_over"] = passed_over
        run_update(m, n, args, corpus, new_file, k, cache_dir, work, result)
    m.sampler.stop()

    result["stages"] = m.stages
    summary = summarise(result)
    for s in m.stages:
        if s["stage"] == UPDATE_STAGE:
            full = summary[s["workers"]]["end_to_end_s"]
            s["full_build_s"], s["ratio_to_full_build"] = full, s["seconds"] / full
    result["summary"] = summary
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

def _by(result: dict[str, Any], name: str, workers: int | None = None) -> dict[str, Any] | None:
    return next((s for s in result["stages"] if s["stage"] == name
                 and (workers is None or s.get("workers") == workers)), None)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """End-to-end figures per workers count, as ``kg build`` (with the cache) would run."""
    base = _by(result, "tokenizer: spacy.blank('en')")
    tuned = _by(result, "tokenizer: blank + 200k cache")
    rest = ["read", "pipeline setup (once per process)", "cache write", "linking", "graph",
            "RDF (turtle + void)", "HTML (default node budget)", "JSON"]
    rebuild = ["read", "cache rebuild (load + reuse)", "linking", "graph", "RDF (turtle + void)",
               "HTML (default node budget)", "JSON"]
    out = {}
    linking = _by(result, "linking")
    for w in result["workers"]:
        nlp = _by(result, f"NLP (workers={w})")
        stages = [s for s in (_by(result, r) for r in rest) if s] + [nlp]
        update = _by(result, UPDATE_STAGE, w)
        end_to_end = sum(s["seconds"] for s in stages)
        out[w] = {
            "nlp_s": nlp["seconds"], "nlp_papers_per_s": nlp["papers_per_s"],
            "ratio_to_blank": nlp["seconds"] / base["seconds"],
            "ratio_to_blank_200k": nlp["seconds"] / tuned["seconds"],
            "cpu_ratio_to_blank": nlp["cpu_seconds"] / base["cpu_seconds"] if base["cpu_seconds"] else None,
            "end_to_end_s": end_to_end,
            "peak_rss": max(s["peak_rss"] for s in stages),
            "peak_rss_with_workers": max(s["peak_rss_with_workers"] for s in stages),
            "rebuild_from_cache_s": sum(s["seconds"] for s in (_by(result, r) for r in rebuild) if s),
            "linking_us_per_mention": linking.get("us_per_mention") if linking else None,
            "update_s": update["seconds"] if update else None,
            "update_ratio_to_full_build": update["seconds"] / end_to_end if update else None,
            "update_peak_rss": update["peak_rss"] if update else None,
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
        if s.get("us_per_mention") is not None:
            notes.append(f"{s['us_per_mention']:.2f} µs/mention")
        if s["stage"] == UPDATE_STAGE:
            notes.append(f"workers={s['workers']}: {s['new_papers']:,} new papers, extracted "
                         f"{s['extracted'] if s.get('extracted') is not None else '?':,}, reused "
                         f"{s['reused'] if s.get('reused') is not None else '?':,}, "
                         f"{s['papers_after'] if s.get('papers_after') is not None else '?':,} papers after")
            if s.get("ratio_to_full_build") is not None:
                notes.append(f"{s['ratio_to_full_build']:.3f}x the full build ({s['full_build_s']:.1f} s)")
        pps = f"{s['papers_per_s']:,.0f}" if s.get("papers_per_s") else ""
        extra = _mb(s["peak_rss_with_workers"]) if s["peak_rss_with_workers"] > s["peak_rss"] * 1.01 else ""
        print(f"| {s['stage']} | {s['seconds']:.2f} | {pps} | {s['cpu_seconds']:.1f} | {_mb(s['peak_rss'])} | "
              f"{extra} | {_mb(s.get('peak_worker_rss'))} | {', '.join(notes)} |")
    if not result.get("extractions_identical_across_workers", True):
        print("\n**warning: extractions differ between worker counts**")
    for s in result["stages"]:
        if s["stage"] != UPDATE_STAGE:
            continue
        parts = [f"{name} {sec:.2f} s" for name, sec in s.get("breakdown", {}).items()]
        rest = s["seconds"] - sum(s.get("breakdown", {}).values())
        print(f"\nupdate (+1% new papers, workers={s['workers']}): {s['seconds']:.2f} s, "
              f"{s.get('ratio_to_full_build') or 0:.3f}x the full build's {s.get('full_build_s') or 0:.1f} s end to "
              f"end; peak RSS {_mb(s['peak_rss'])} MB. Breakdown (kg -v): start-up, read, cache load and NLP of the "
              f"new papers {rest:.2f} s; " + "; ".join(parts))


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\n## Summary\n")
    print("NLP = kg.extract over all papers; ratio = NLP time / `spacy.blank(\"en\")` tokenizing the same "
          "texts in the same run (in brackets: / blank with a 200k tokenizer cache); CPU ratio = the same in CPU "
          "seconds (workers included), steadier than wall time on a shared machine. End to end = read + "
          "pipeline setup + NLP + cache write + linking + graph + RDF + HTML + JSON, one after another; "
          "rebuild = the same build again with every paper in the cache. Linking µs/mention = the linking "
          "stage's time per mention found by NLP. Update +1% = `kg build --update OUT new.jsonl` with 1% new "
          "papers over a build of the N (the real CLI in a subprocess, start-up included), and its ratio to "
          "end to end.\n")
    print("| N | workers | NLP s | NLP papers/s | ratio to blank | CPU ratio | end to end s | papers/s | peak RSS MB "
          "(+workers) | rebuild s | linking µs/mention | update +1% s (ratio) | graph.ttl | graph.json | "
          "graph.html |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rdf, js, html = (_by(r, k) for k in ("RDF (turtle + void)", "JSON", "HTML (default node budget)"))
        for w, s in summarise(r).items():
            us = s.get("linking_us_per_mention")
            update = (f"{s['update_s']:.1f} ({s['update_ratio_to_full_build']:.3f}x)"
                      if s.get("update_s") is not None else "")
            print(f"| {r['n']:,} | {w} | {s['nlp_s']:.1f} | {s['nlp_papers_per_s']:,.0f} | "
                  f"{s['ratio_to_blank']:.1f}x ({s['ratio_to_blank_200k']:.1f}x) | "
                  f"{s['cpu_ratio_to_blank'] or 0:.1f}x | {s['end_to_end_s']:.1f} | "
                  f"{r['n'] / s['end_to_end_s']:,.0f} | {_mb(s['peak_rss'])} ({_mb(s['peak_rss_with_workers'])}) | "
                  f"{s['rebuild_from_cache_s']:.1f} | {'' if us is None else f'{us:.2f}'} | {update} | "
                  f"{_size(rdf and rdf.get('bytes'))} | "
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
    ap.add_argument("--no-html", action="store_true", help="skip the HTML stage (and graph.html in the update)")
    ap.add_argument("--no-update", action="store_true",
                    help="skip the 'update (+1%% new papers)' stage (kg build --update in a subprocess)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and outputs (their folder is printed)")
    ap.add_argument("--profile", type=int, default=None, metavar="N",
                    help="instead: time each pipeline component on N papers")
    ap.add_argument("--update-timeout", type=float, default=1800.0, metavar="S",
                    help="give up on a kg build --update (or its base build) after S seconds (default 1800)")
    ap.add_argument("--live", action="store_true",
                    help="import kg from the checkout as it is while the bench runs, not from a snapshot of "
                         "kg/ and ontology/ taken at the start")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # internal: one size, JSON to stdout
    ap.add_argument("--code", type=Path, default=None, help=argparse.SUPPRESS)  # internal: the snapshot to import
    args = ap.parse_args(argv)
    args.workers = args.workers or [1, 2]
    if args.code is not None:
        global CODE
        CODE = args.code.resolve()
        sys.path.insert(0, str(CODE))
    if args.profile:
        profile_components(args.profile, args)
        return 0
    if args.one is not None:
        print(json.dumps(run_one(args.one, args)))
        return 0
    sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(DEFAULT_SIZES))
    _, described = load_source(args.source)  # fail early, and say which corpus
    snapshot = None if args.live else take_snapshot()
    print(f"# kg build benchmark\n\ncorpus: {described}; sizes {', '.join(f'{s:,}' for s in sizes)}; "
          f"workers {', '.join(map(str, args.workers))}; mode {args.mode}; {os.cpu_count()} cores", flush=True)
    print(f"code: {describe_code(snapshot)}", flush=True)
    try:
        return run_sizes(sizes, args, snapshot)
    finally:
        if snapshot is not None and not args.keep:
            import shutil
            shutil.rmtree(snapshot, ignore_errors=True)


def take_snapshot() -> Path:
    """A private copy of the checkout's kg/ and ontology/ (with file times, so that nothing but
    the place differs), so that edits made in the checkout during a long run (retrained models,
    new rules) change neither the pipeline half way nor the update stage's cache keys."""
    import shutil

    snap = Path(tempfile.mkdtemp(prefix="kg-bench-code-"))
    for name in ("kg", "ontology"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, snap / name, symlinks=True)
    return snap


def describe_code(snapshot: Path | None) -> str:
    """Which kg is measured: the git commit, and the files of kg/ and ontology/ that differ from it."""
    def git(*argv: str) -> str:
        try:
            return subprocess.run(["git", "--no-optional-locks", *argv], cwd=ROOT, check=False,
                                  capture_output=True, text=True).stdout.rstrip("\n")
        except OSError:
            return ""
    head = git("rev-parse", "--short", "HEAD").strip() or "?"
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "kg", "ontology").splitlines()]
    where = f"a snapshot of {ROOT}'s kg/ and ontology/ taken at the start ({snapshot})" if snapshot \
        else f"{ROOT} as it is while the bench runs (--live)"
    return (f"{where}; git {head}" + (f", with uncommitted changes to {', '.join(dirty)}" if dirty else ""))


def run_sizes(sizes: list[int], args: argparse.Namespace, snapshot: Path | None) -> int:
    results = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--one", str(n), "--source", args.source,
               "--workers", ",".join(map(str, args.workers)), "--mode", args.mode,
               "--update-timeout", str(args.update_timeout)]
        cmd += ["--no-html"] * args.no_html + ["--keep"] * args.keep + ["--no-update"] * args.no_update
        cmd += ["--code", str(snapshot)] if snapshot is not None else []
        # the snapshot is the working folder too, so that nothing is imported from the checkout
        proc = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, text=True,
                              cwd=str(snapshot) if snapshot is not None else None)
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
