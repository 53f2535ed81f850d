"""How fast ``graph.html`` is written and becomes interactive, at 500 / 5,000 / 20,000 entities.

Builds synthetic graphs that follow the contract of ``kg/graph.py`` (papers, typed entities,
``mentions`` / ``proposes`` / relation edges with evidence, results), writes each twice (the
default node budget, and every entity with ``--max-nodes`` = all), and opens each page in
headless Chromium with the network blocked. "Interactive" is ``window.kgView.ready``: the viewer
sets it after vis-network's first draw; the time reported is the page's own
``kgView.readyTime`` (ms since navigation start).

    python benchmarks/html_timing.py                   # 500, 5000, 20000
    python benchmarks/html_timing.py --sizes 500 2000 --no-browser
    python benchmarks/html_timing.py --sample 40 out.html   # just write a small demo page

Needs no data outside the repository; the browser part needs Debian's chromium and
chromium-driver (skipped, with a message, when they are absent).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.export.html import DEFAULT_MAX_NODES, write_html  # noqa: E402

TYPES = {  # type: (share, name parts)
    "Method": (0.30, ["Attention", "Contrastive", "Sparse", "Graph", "Adversarial", "Latent",
                      "Hierarchical", "Recurrent", "Diffusion", "Prompt", "Low-Rank", "Gated"],
               ["Learning", "Pooling", "Distillation", "Alignment", "Decoding", "Tuning",
                "Sampling", "Regularization", "Routing", "Augmentation"]),
    "Model": (0.20, ["Neural", "Vision", "Speech", "Code", "Deep", "Dense", "Tiny", "Large",
                     "Multilingual", "Causal"],
              ["Transformer", "Former", "Net", "BERT", "GPT", "LM", "Encoder", "Mixer"]),
    "Dataset": (0.15, ["Open", "Wiki", "News", "Web", "Medical", "Legal", "Common", "Social"],
                ["Corpus", "Text", "Images", "Dialogues", "QA", "Crawl", "Pairs"]),
    "Benchmark": (0.10, ["GLUE", "Super", "Long", "Hard", "Multi", "Robust", "Zero-Shot"],
                  ["Bench", "Eval", "Arena", "Suite", "Leaderboard"]),
    "Task": (0.15, ["Machine", "Question", "Named Entity", "Image", "Relation", "Speech",
                    "Semantic", "Text"],
             ["Translation", "Answering", "Recognition", "Classification", "Extraction",
              "Segmentation", "Parsing", "Summarization"]),
    "Metric": (0.10, ["Exact", "Top-1", "Macro", "Micro", "Word", "Mean"],
               ["Accuracy", "F1", "BLEU", "Error Rate", "Recall", "Perplexity", "ROUGE"]),
}
RELATIONS = [  # (head types, relation, tail types)
    (("Method", "Model"), "uses", ("Method", "Model", "Dataset")),
    (("Method", "Model"), "evaluatedOn", ("Dataset", "Benchmark")),
    (("Model",), "trainedOn", ("Dataset",)),
    (("Model", "Method"), "basedOn", ("Model", "Method")),
    (("Model", "Method"), "variantOf", ("Model", "Method")),
    (("Method", "Model"), "outperforms", ("Method", "Model")),
    (("Method", "Model", "Dataset", "Benchmark"), "addresses", ("Task",)),
    (("Benchmark", "Task"), "measuredBy", ("Metric",)),
]
VERBS = {"uses": "uses", "evaluatedOn": "is evaluated on", "trainedOn": "is trained on",
         "basedOn": "builds on", "variantOf": "is a variant of", "outperforms": "outperforms",
         "addresses": "addresses", "measuredBy": "is measured by"}


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def synthetic_graph(n_entities: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph of ``n_entities`` entities and about half as many papers, following the
    contract of ``kg/graph.py``; popularity is Zipf-like, as in real corpora."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    entities: list[tuple[str, str, str]] = []  # (node, type, name)
    by_type: dict[str, list[int]] = {t: [] for t in TYPES}
    used: set[str] = set()
    for i in range(n_entities):
        r, acc = rng.random(), 0.0
        for t, (share, first, second) in TYPES.items():
            acc += share
            if r <= acc:
                break
        name = f"{rng.choice(first)} {rng.choice(second)}"
        if name.lower() in used:
            name = f"{name} {i}"
        used.add(name.lower())
        node = f"entity:{_slug(name)}"
        acronym = "".join(w[0] for w in name.replace("-", " ").split() if w[0].isalpha()).upper()
        aliases = sorted({acronym + (str(i) if name.endswith(str(i)) else "")} - {name})
        g.add_node(node, kind="entity", type=t, label=name, slug=_slug(name), aliases=aliases,
                   papers=[], mention_count=0, confidence=round(0.6 + 0.4 * rng.random(), 3))
        by_type[t].append(len(entities))
        entities.append((node, t, name))
    weights = [1.0 / (i + 1) ** 0.9 for i in range(n_entities)]
    n_papers = max(10, n_entities // 2)
    papers_of: dict[str, set[str]] = {e[0]: set() for e in entities}
    results = []
    for p in range(n_papers):
        pid = f"p-{p:08x}"
        pnode = f"paper:{pid}"
        picked = {entities[i] for i in rng.choices(range(n_entities), weights, k=rng.randint(4, 10))}
        picked = sorted(picked)
        task = next((e for e in picked if e[1] == "Task"), None)
        main = next((e for e in picked if e[1] in ("Method", "Model")), None)
        title = f"{main[2] if main else 'A Study'} for {task[2] if task else 'Representation Learning'}"
        g.add_node(pnode, kind="paper", type="Paper", label=title, paper_id=pid, title=title,
                   abstract=f"We study {title.lower()}.", year=2015 + rng.randint(0, 10),
                   authors=[f"Author {rng.randint(1, 999)}" for _ in range(rng.randint(1, 5))],
                   venue=rng.choice(["ACL", "EMNLP", "NeurIPS", "ICLR", "CVPR", None]),
                   url=f"https://example.org/papers/{pid}")
        for node, t, name in picked:
            g.add_edge(pnode, node, key="mentions", count=rng.randint(1, 3))
            papers_of[node].add(pid)
            g.nodes[node]["mention_count"] += 1
        if main:
            sentence = f"We propose {main[2]}, a new approach to {(task or main)[2]}."
            g.add_edge(pnode, main[0], key="proposes", type="proposes", papers=[pid],
                       confidence=0.9, evidence=[{"paper": pid, "sentence": sentence, "start": 0,
                                                  "end": len(sentence), "confidence": 0.9,
                                                  "rule": "we-propose"}])
        for _ in range(rng.randint(2, 5)):
            heads, rel, tails = rng.choice(RELATIONS)
            hs = [e for e in picked if e[1] in heads]
            ts = [e for e in picked if e[1] in tails]
            if not hs or not ts:
                continue
            h, t = rng.choice(hs), rng.choice(ts)
            if h == t:
                continue
            sentence = f"Our experiments show that {h[2]} {VERBS[rel]} {t[2]} in this setting."
            conf = round(0.5 + 0.5 * rng.random(), 3)
            ev = {"paper": pid, "sentence": sentence, "start": 0, "end": len(sentence),
                  "confidence": conf, "rule": f"synthetic-{rel}"}
            if g.has_edge(h[0], t[0], key=rel):
                data = g.edges[h[0], t[0], rel]
                data["evidence"].append(ev)
                data["papers"] = sorted(set(data["papers"]) | {pid})
                data["confidence"] = max(data["confidence"], conf)
            else:
                g.add_edge(h[0], t[0], key=rel, type=rel, papers=[pid], confidence=conf,
                           evidence=[ev])
        bench = next((e for e in picked if e[1] in ("Benchmark", "Dataset")), None)
        metric = next((e for e in picked if e[1] == "Metric"), None)
        if main and bench and rng.random() < 0.5:
            value = f"{rng.uniform(20, 99):.1f}%"
            results.append({"subject": main[0], "benchmark": bench[0],
                            "metric": metric[0] if metric else None, "value": value,
                            "number": value[:-1], "unit": "%", "paper": pid,
                            "sentence": f"{main[2]} reaches {value} on {bench[2]}.",
                            "rule": "synthetic-result"})
    for node, ps in papers_of.items():
        g.nodes[node]["papers"] = sorted(ps)
    g.graph["results"] = results
    return g


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="kg-bench-chrome-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1400,900",
                '--host-resolver-rules=MAP * ~NOTFOUND', "--proxy-server=127.0.0.1:9",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_page_load_timeout(600)
    driver.set_script_timeout(600)
    return driver, profile


def time_to_interactive(driver, path: Path, timeout: float = 600.0) -> float:
    """Seconds from navigation start to ``window.kgView.ready`` (by the page's own clock)."""
    driver.get("about:blank")
    driver.get(path.resolve().as_uri())
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = driver.execute_script(
            "return window.kgView ? [window.kgView.ready, window.kgView.readyTime,"
            " window.kgView.error] : [false, null, null]")
        if state[2]:
            raise RuntimeError(state[2])
        if state[0]:
            return state[1] / 1000.0
        time.sleep(0.05)
    raise TimeoutError(f"{path} not interactive after {timeout} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    ap.add_argument("--no-browser", action="store_true", help="only write the pages")
    ap.add_argument("--out", type=Path, help="keep the pages in this directory")
    ap.add_argument("--sample", nargs=2, metavar=("N", "HTML"),
                    help="write one page of a synthetic graph of N entities and exit")
    args = ap.parse_args(argv)
    if args.sample:
        n, out = int(args.sample[0]), Path(args.sample[1])
        sel = write_html(synthetic_graph(n, seed=7), out, title=f"Synthetic graph ({n} entities)")
        print(f"wrote {out} ({len(sel.entities)} entities, {len(sel.papers)} papers)")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="kg-html-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    browser = not args.no_browser
    if browser and not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("chromium/chromedriver not found: measuring writes only", file=sys.stderr)
        browser = False
    driver = profile = None
    if browser:
        driver, profile = _driver()
    rows = []
    try:
        for n in args.sizes:
            t0 = time.perf_counter()
            graph = synthetic_graph(n, seed=1)
            built = time.perf_counter() - t0
            n_papers = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "paper")
            print(f"# {n:,} entities, {n_papers:,} papers, {graph.number_of_edges():,} edges "
                  f"(graph built in {built:.1f} s)", file=sys.stderr, flush=True)
            for label, budget in ((f"default ({DEFAULT_MAX_NODES})", DEFAULT_MAX_NODES),
                                  ("all entities", n)):
                page = out / f"graph-{n}-{'all' if budget == n else 'default'}.html"
                t0 = time.perf_counter()
                sel = write_html(graph, page, max_nodes=budget, title=f"Synthetic {n}")
                write_s = time.perf_counter() - t0
                tti = time_to_interactive(driver, page) if driver else None
                rows.append((n, label, len(sel.entities), len(sel.papers), len(sel.edges),
                             write_s, page.stat().st_size, tti))
                print(f"  {label}: written in {write_s:.2f} s, "
                      f"{page.stat().st_size / 1e6:.2f} MB, interactive "
                      f"{'-' if tti is None else f'{tti:.2f} s'}", file=sys.stderr, flush=True)
    finally:
        if driver:
            driver.quit()
        if profile:
            shutil.rmtree(profile, ignore_errors=True)
    print()
    print("| entities in graph | view | entities shown | papers in page | edges in page "
          "| write (s) | file size (MB) | interactive in headless Chromium (s) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, label, ents, paps, edges, write_s, size, tti in rows:
        print(f"| {n:,} | {label} | {ents:,} | {paps:,} | {edges:,} | {write_s:.2f} "
              f"| {size / 1e6:.2f} | {'-' if tti is None else f'{tti:.2f}'} |")
    print(f"\n(cores: {os.cpu_count()}; pages in {out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
