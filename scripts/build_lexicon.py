#!/usr/bin/env python3
"""Build the derived gazetteer files of ontology/lexicon/ from public name lists.

Reads the converted public lists in the shared/ folder that lies beside the checkout
(``../shared/external/lexicon/`` relative to the repository root, and
``../shared/external/acl-abstracts/abstracts.jsonl.gz`` for word commonness) and writes:

* ``ontology/lexicon/pwc-derived.jsonl``  -- CC BY-SA 4.0 (Papers with Code content), from
  ``mlso_pwc.jsonl`` (methods, tasks), ``sota_tdm.jsonl`` (leaderboard tasks, datasets, metrics),
  ``pwc_datasets_datafinder.jsonl`` (datasets) and ``ibm_nlp_tdms.jsonl`` (tasks, datasets, metrics);
* ``ontology/lexicon/models-apache.jsonl`` -- Apache-2.0, from ``hf_transformers_models.jsonl``
  and ``timm_model_index.jsonl``.

Each line is ``{"name", "type", "aliases", ["case_sensitive"], "source": [list stems]}``, the
format of ``core.jsonl`` plus ``source``. ``core.jsonl`` is the project's curated list and wins:
an external entry whose name or alias is already a surface form of core (after normalisation:
case, Unicode, spaces, hyphens folded) is skipped, and stop names (``stopnames.txt``) never enter.
``models-apache.jsonl`` is built before ``pwc-derived.jsonl`` and wins over it in the same way.

Filtering (see ``reject()``): stop names; single common English words (a lower-case or
Title-case word that the ACL abstracts use in lower case, e.g. "Jobs", "Convolution");
leaderboard split and setting names ("COCO test-dev", "DIV2K val - 4x upscaling", "Atari 2600
Pong" when "Atari 2600" exists); names over 6 words; parentheses and odd punctuation; pure
numbers; descriptive row labels ("BiRNN 100d", "18-layer ...", "... ensemble").

Typing: the sources label datasets and benchmarks alike and PwC "methods" mix techniques and
trained networks. Rules: a Dataset whose name ends in Bench/-Bench/Benchmark, Suite, Challenge,
Leaderboard, Arena, Eval, or is a *GLUE suite, or a SemEval/shared-task name, becomes a Benchmark;
a PwC Method whose name is a Hugging Face transformers model family or a timm model collection
becomes a Model. Tasks and metrics get the project's lower-case canonical form (Title Case words
lower-cased, acronyms and proper names kept); the source's spelling stays as an alias.

Usage::

    python scripts/build_lexicon.py [--shared PATH_TO_shared] [--out ontology/lexicon]

Deterministic: the same inputs give byte-identical outputs. Prints counts by type and by source.
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES = ["Method", "Model", "Dataset", "Benchmark", "Task", "Metric"]
PWC_FILES = ["mlso_pwc.jsonl", "pwc_datasets_datafinder.jsonl", "ibm_nlp_tdms.jsonl", "sota_tdm.jsonl"]
APACHE_FILES = ["hf_transformers_models.jsonl", "timm_model_index.jsonl"]
MAX_WORDS = 6
COMMON_MIN = 3          # lower-case occurrences in the ACL abstracts that make a single word "common"
METRIC_MIN_PAPERS = 3   # sota_tdm metric column labels used by fewer papers are dropped
TASK_MIN_PAPERS = 2     # sota_tdm task names used by one paper only (MMLU subjects, BIG-bench items) are dropped

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "λ": "lambda",
         "μ": "mu", "π": "pi", "σ": "sigma", "τ": "tau", "χ": "chi", "ω": "omega", "Π": "pi",
         "ρ": "rho", "κ": "kappa", "∞": "inf"}

# proper words kept capitalised when a Title Case task or metric name is lower-cased
PROPER = {
    "English", "Chinese", "Arabic", "German", "French", "Spanish", "Japanese", "Korean", "Russian",
    "Hindi", "Vietnamese", "Italian", "Portuguese", "Dutch", "Turkish", "Persian", "Urdu", "Bengali",
    "Indonesian", "Thai", "Czech", "Polish", "Greek", "Hebrew", "Swahili", "Tamil", "Telugu", "Marathi",
    "Bangla", "Filipino", "Malay", "Romanian", "Hungarian", "Finnish", "Swedish", "Danish", "Norwegian",
    "Ukrainian", "Catalan", "Basque", "Sanskrit", "Latin", "Mandarin", "Cantonese", "Amharic", "Yoruba",
    "Atari", "Bayesian", "Gaussian", "Markov", "Wikipedia", "Twitter", "Reddit", "Minecraft", "StarCraft",
    "Boolean", "Euclidean", "Fourier", "Hamiltonian", "Laplacian", "Riemannian", "Lagrangian", "Bellman",
    "Wasserstein", "Jaccard", "Pearson", "Spearman", "Kendall", "Hamming", "Levenshtein", "Brier",
    "Dice", "Hausdorff", "Chamfer", "Kullback", "Leibler", "Shannon", "Frechet", "Fréchet", "Inception",
    "Go", "Sudoku", "Tetris", "Doom", "Android", "Python", "Java", "SQL", "Bangla", "Hinglish", "Mandarin",
    "Chinese", "Simplified", "Traditional", "Standard", "Modern", "Egyptian", "Levantine", "Gulf", "Maghrebi",
}
METRIC_HEAD = re.compile(
    r"(accuracy|error|score|rate|precision|recall|f1|f-measure|loss|distance|similarity|divergence|ratio|"
    r"likelihood|perplexity|correlation|coefficient|gain|rank|return|reward|regret|time|latency|"
    r"throughput|auc|curve|index|iou|overlap|agreement|success|coverage|length|entropy|consistency)", re.I)
#: short forms that the papers kg reads use for something no list entry means: "GPS" is the
#: positioning system in robotics (the lists' Greedy Policy Search), "CUHK" the university (an
#: alias of CUHK03 in one list); a paper's own definition still names its sense
OTHER_SENSE = {"GPS", "CUHK"}
AGENCIES = {"DARPA", "NIST", "IARPA", "NSF", "NIH", "ARPA", "LDC", "ELRA", "ACL", "IEEE", "ACM"}
SPLIT_RE = re.compile(
    r"(\b(test|dev|val|valid|validation|train|training|testdev|test-dev|test-std|test-challenge|"
    r"minival|split|splits|subset|fold|folds|partition|labels?|unseen|seen|setting|protocol|"
    r"upscaling|shot|way|zero-shot|few-shot|one-shot|\d+-shot|\d+-way|\d+x|x\d+|\d+%)\b)|( - )|(\s[-–]\s)",
    re.IGNORECASE)
DESCRIPTIVE_RE = re.compile(
    r"(\b\d+d\b)|(\b\d+-layers?\b)|(\bensemble\b)|(\bsingle model\b)|(\bbaseline\b)|(\bours\b)|"
    r"(\bw/o?\b)|(\s\+\s)|(\bwith\b)|(\bwithout\b)|(\bfor\b.*\bfor\b)",
    re.IGNORECASE)
BAD_CHARS = set('()[]{},;:"=<>|\\#$!?~^`…*§¶_')
BENCH_RE = re.compile(
    r"((Bench|bench|BENCH)(mark)?(\s*v?\d+(\.\d+)?)?$)|(\bBenchmark\b)|(\bSuite\b)|(\bChallenge\b)|"
    r"(\bLeaderboard\b)|(\bArena\b)|(GLUE$)|(Eval(\s*\d+(\.\d+)?)?$)|(^SemEval)|(\bShared Task\b)")
TITLE_WORD = re.compile(r"^[A-Z][a-z]+(-[A-Z]?[a-z]+)*$")


def die(msg):
    sys.stderr.write("build_lexicon: " + msg + "\n")
    sys.exit(2)


def key(s):
    """Matching key: case-folded, Unicode-folded, separators dropped; '+', '*' and digit.digit kept."""
    s = unicodedata.normalize("NFKC", str(s))
    s = "".join(GREEK.get(ch, ch) for ch in s).lower()
    s = re.sub(r"(?<=[0-9])\.(?=[0-9])", "p", s)
    return re.sub(r"[^0-9a-z+*]+", "", s)


def stopkey(s):
    """key with a plural -s folded, as the evaluation's normaliser does."""
    k = re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", str(s)).lower())
    if len(k) > 3 and k.endswith("s") and not k.endswith("ss"):
        k = k[:-1]
    return k


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def acl_counts(paths):
    """lower-case token and bigram counts over abstracts (title + abstract): the ACL abstracts,
    and the unannotated arXiv pool where it is there (robotics and vision words, "torque",
    "meshes", that NLP abstracts rarely use)."""
    low, bi = collections.Counter(), collections.Counter()
    for path in paths:
        _count(path, low, bi)
    return low, bi


def _count(path, low, bi):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = (d.get("title") or "") + " " + (d.get("abstract") or d.get("text") or "")
            for w in re.findall(r"[a-z][a-z'\-]*", text):
                low[w] += 1
            toks = re.findall(r"[A-Za-z]+", text)
            for a, b in zip(toks, toks[1:]):
                if a.islower() and b.islower():
                    bi[a + " " + b] += 1


class Filter:
    def __init__(self, stop, common, bigrams):
        self.stop = stop
        self.common = common
        self.bigrams = bigrams

    def all_common(self, phrase):
        words = re.findall(r"[A-Za-z]+", phrase)
        return bool(words) and all(self.common.get(w.lower(), 0) >= COMMON_MIN for w in words)

    def is_common_word(self, name):
        """a single word, not an acronym nor CamelCase nor with digits, used in lower case in text."""
        if " " in name or re.search(r"[0-9]", name):
            return False
        if sum(ch.isupper() for ch in name) >= 2:   # acronym or CamelCase (BERT, RoBERTa, ImageNet)
            return False
        return self.common.get(name.lower(), 0) >= COMMON_MIN

    def looks_like_words(self, form):
        """a capitalised form without spaces made of ordinary words (PART-OF, CLIP, Talk-the-Walk):
        it must match in its exact case only."""
        if " " in form.strip() or not re.search(r"[A-Z]", form):
            return False
        if self.common.get(key(form), 0) >= COMMON_MIN:
            return True
        parts = [p for p in re.split(r"[-/.]", form.lower()) if p]
        if len(parts) > 1 and all(p.isalpha() and self.common.get(p, 0) >= COMMON_MIN for p in parts):
            return True
        camel = re.findall(r"[A-Z][a-z]+|[a-z]+", form)   # WebText <- "web text"
        return (len(camel) > 1 and "".join(camel) == re.sub(r"[^A-Za-z]", "", form)
                and all(self.bigrams.get(f"{a.lower()} {b.lower()}", 0) >= COMMON_MIN for a, b in zip(camel, camel[1:])))

    def reject(self, name, typ):
        """reason to drop a surface form, or None."""
        n = name.strip()
        if len(n) < 2 or not re.search(r"[A-Za-z]", n):
            return "short-or-number"
        if any(ch in BAD_CHARS for ch in n):
            return "punctuation"
        if n.count("'") > 1 or n.endswith(("-", ".", "/", "&", "+")) and not n.endswith("++") and not re.search(r"[A-Za-z]\+$", n):
            return "punctuation"
        if len(n.split()) > MAX_WORDS:
            return "too-long"
        if stopkey(n) in self.stop:
            return "stop-name"
        if n in OTHER_SENSE:
            return "other-sense"
        if self.is_common_word(n):
            return "common-word"
        if " " not in n and (n in PROPER or n.upper() in AGENCIES):
            return "proper-word"  # leaderboard columns named after languages ("German"), agencies
        if all(w in PROPER for w in re.findall(r"[A-Za-z]+", n)):
            return "proper-word"  # language names and the like ("Mandarin Chinese")
        if typ in ("Metric", "Dataset", "Benchmark", "Model") and len(re.sub(r"[^A-Za-z0-9]", "", n)) <= 3 and not re.search(r"[0-9]", n):
            return "too-short"  # two- and three-letter labels (SR, CS, SA, APE) are ambiguous acronyms
        if typ in ("Dataset", "Benchmark") and not re.search(r"[0-9]", n) and sum(ch.isupper() for ch in n.replace(" ", "")) <= len(n.split()) \
                and self.all_common(n) and not any(w[:1].isupper() and w.lower() not in self.common for w in n.split()):
            return "common-phrase"  # descriptive "datasets" made of ordinary words (Social media, Medical domain)
        if typ == "Metric" and self.all_common(n) and not METRIC_HEAD.search(n):
            return "metric-label"  # ordinary words without a measure word (sentence encoder, social science)
        if typ == "Metric" and re.fullmatch(r"[A-Z][a-z]+", n):
            return "metric-label"  # Title-case single words are column headers ("Overall", "Hard")
        if typ in ("Dataset", "Benchmark", "Metric") and SPLIT_RE.search(n):
            return "split-name"
        if re.search(r"\bvs\.?\s", n) or re.fullmatch(r"(SemEval|WMT|IWSLT|CoNLL|TREC|CLEF|NTCIR|MUC|KDD Cup)[- ']?(\d{2}|\d{4})?", n, re.I):
            return "not-a-name"  # comparisons; whole SemEval campaigns (typology: not entities)
        if typ == "Metric" and ("/" in n or re.search(r"\b(novel|base|seen|overall|average|mean|avg)\b", n, re.I) and len(n.split()) > 1):
            return "metric-label"
        if DESCRIPTIVE_RE.search(n):
            return "descriptive"
        if typ == "Metric" and (len(n.split()) > 4 or re.search(r"\b(on|of|per|for|at|in)\b", n)):
            return "metric-label"
        return None


def canonical_case(name, typ):
    """Tasks and metrics: lower-case Title Case words, keep acronyms and proper words."""
    if typ not in ("Task", "Metric"):
        return name
    out = []
    for w in name.split(" "):
        if TITLE_WORD.match(w) and w not in PROPER and w.split("-")[0] not in PROPER:
            out.append(w.lower())
        else:
            out.append(w)
    return " ".join(out)


def strip_suffix(name, typ):
    """'X Dataset' / 'X dataset' / 'X Corpus' -> 'X' (the shortest name that stands alone)."""
    if typ in ("Dataset", "Benchmark"):
        m = re.match(r"^(.+?)\s+(dataset|Dataset|DATASET|data set|Data Set)$", name)
        if m and len(m.group(1)) >= 2:
            return m.group(1)
    return name


def decide_type(name, typ, model_keys):
    if typ == "Dataset" and BENCH_RE.search(name):
        return "Benchmark"
    if typ == "Method" and name in model_keys:
        return "Model"
    return typ


def candidates(shared_lex, files):
    """yield (source stem, name, type, aliases, extra) from the converted lists."""
    for fn in files:
        path = os.path.join(shared_lex, fn)
        if not os.path.exists(path):
            die(f"missing {path}: the shared/ folder beside the checkout is incomplete")
        stem = fn[:-len(".jsonl")]
        for r in read_jsonl(path):
            typ = r.get("type")
            if typ not in TYPES:
                continue
            if stem == "mlso_pwc" and typ == "Metric":
                continue  # OpenML evaluation-measure labels ("build cpu time"), not surface forms
            if stem == "timm_model_index" and typ == "Model" and re.match(r"^(TF|Legacy|SWSL|SSL|IG|Ensemble)\b", r["name"]):
                continue  # checkpoint-collection labels of timm, not model names
            if stem == "sota_tdm" and typ == "Metric" and (r.get("papers") or 0) < METRIC_MIN_PAPERS:
                continue
            if stem == "sota_tdm" and typ == "Task" and (r.get("papers") or 0) < TASK_MIN_PAPERS:
                continue
            if stem == "hf_transformers_models" and r.get("from_version") == "5.x":
                continue  # 5.x-only entries are config-class stems ("Glm5Next"), not names papers write
            if stem == "hf_transformers_models" and re.search(r"[a-z0-9](?:Model|Backbone)$|^Timm", r["name"]):
                continue  # a library class ("VJEPA2Model", "TimmWrapperModel", "ViTPoseBackbone"), not a model's name
            yield stem, r["name"], typ, list(r.get("aliases") or []), r


def build(shared_lex, files, flt, model_keys, taken, ordered_sources, ordered_extra_datasets=()):
    """merge, filter and type the entries of files; taken = surface keys already owned."""
    entries = collections.OrderedDict()   # key(name) -> entry
    alias_owner = {}
    dropped = collections.Counter()
    rows = list(candidates(shared_lex, files))
    known_datasets = {key(strip_suffix(n, t)) for s, n, t, a, r in rows if t == "Dataset"}
    dataset_names = known_datasets | {key(e) for e in ordered_extra_datasets}
    for stem, name, typ, aliases, raw in rows:
        name = strip_suffix(name.strip(), typ)
        typ = decide_type(name, typ, model_keys)
        why = flt.reject(name, typ)
        if why is None and typ in ("Dataset", "Benchmark") and stem == "sota_tdm":
            # leaderboard settings: "<known dataset> <more words>" (Atari 2600 Pong, ImageNet ReaL)
            toks = name.split()
            for i in range(1, len(toks)):
                if key(" ".join(toks[:i])) in known_datasets and not re.fullmatch(r"v?\d+(\.\d+)*", " ".join(toks[i:])):
                    why = "split-name"
                    break
        if why is None and typ == "Metric" and key(name) in dataset_names:
            why = "metric-label"  # a leaderboard column named after a dataset ("Daily Mail")
        if why:
            dropped[why] += 1
            continue
        cname = canonical_case(name, typ)
        k = key(cname)
        if not k:
            continue
        m = re.match(r"^(.+?)\s+(Benchmark|benchmark|Challenge|challenge|Corpus|corpus)$", cname)
        if m and key(m.group(1)) in taken:
            k = key(m.group(1))  # "Meta-World Benchmark" is core's Meta-World
        if k in taken:
            dropped["in-core-or-earlier-file"] += 1
            continue
        forms = [name] + aliases
        als = []
        for a in forms:
            a = strip_suffix(str(a).strip(), typ)
            if flt.reject(a, typ) or key(a) in taken:
                continue
            als.append(a)
        e = entries.get(k)
        if e is None and k in alias_owner:
            e = entries[alias_owner[k]]
        if e is None:
            e = {"name": cname, "type": typ, "aliases": [], "source": []}
            entries[k] = e
        elif e["type"] != typ:
            dropped["type-conflict(first-kept)"] += 1
        if stem not in e["source"]:
            e["source"].append(stem)
        for a in als:
            ak = key(a)
            if ak == key(e["name"]) and a == e["name"]:
                continue
            if a.lower() != e["name"].lower() and all(a.lower() != x.lower() for x in e["aliases"]):
                if ak in alias_owner and alias_owner[ak] != key(e["name"]):
                    continue  # an alias that two entries claim is ambiguous: first keeps it
                e["aliases"].append(a)
            alias_owner.setdefault(ak, key(e["name"]))
    out = []
    for e in entries.values():
        # aliases that only differ from the name by case/separators are implied by normalisation
        e["aliases"] = [a for a in e["aliases"] if key(a) != key(e["name"]) or not (a.lower() == e["name"].lower())]
        e["aliases"] = sorted(set(e["aliases"]) - {e["name"]}, key=str.casefold)
        if any(flt.looks_like_words(f) or re.fullmatch(r"[A-Z][A-Z0-9]+", f.replace("-", "")) for f in [e["name"]] + e["aliases"]):
            e["case_sensitive"] = True  # ordinary words in capitals, and all-caps names (COMPLEXQUESTIONS)
        e["source"] = sorted(e["source"], key=ordered_sources.index)
        out.append(e)
    out.sort(key=lambda e: (e["type"], e["name"].casefold(), e["name"]))
    return out, dropped


def surfaces(entries):
    ks = set()
    for e in entries:
        for s in [e["name"]] + list(e.get("aliases", [])):
            ks.add(key(s))
    return ks


def write(path, entries):
    with open(path, "w", encoding="utf-8") as f:
        for e in entries:
            rec = {"name": e["name"], "type": e["type"], "aliases": e["aliases"]}
            if e.get("case_sensitive"):
                rec["case_sensitive"] = True
            rec["source"] = e["source"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def report(label, entries, dropped):
    by_type = collections.Counter(e["type"] for e in entries)
    by_src = collections.Counter(s for e in entries for s in e["source"])
    print(f"{label}: {len(entries)} entries, {sum(len(e['aliases']) for e in entries)} aliases")
    print("  by type:   " + ", ".join(f"{t} {by_type[t]}" for t in TYPES if by_type[t]))
    print("  by source: " + ", ".join(f"{s} {n}" for s, n in by_src.most_common()))
    print("  dropped:   " + ", ".join(f"{k} {v}" for k, v in dropped.most_common()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"),
                    help="the shared/ folder (default: ../shared beside the checkout)")
    ap.add_argument("--out", default=os.path.join(REPO, "ontology", "lexicon"))
    a = ap.parse_args(argv)
    shared_lex = os.path.join(a.shared, "external", "lexicon")
    acl = os.path.join(a.shared, "external", "acl-abstracts", "abstracts.jsonl.gz")
    if not os.path.isdir(shared_lex):
        die(f"{shared_lex} not found. This script needs the project's shared/ folder beside the "
            f"checkout (../shared/external/lexicon/ and ../shared/external/acl-abstracts/); "
            f"pass --shared PATH if it lives elsewhere.")
    if not os.path.exists(acl):
        die(f"{acl} not found (word commonness is derived from the ACL abstracts)")
    core_path = os.path.join(a.out, "core.jsonl")
    stop_path = os.path.join(a.out, "stopnames.txt")
    for p in (core_path, stop_path):
        if not os.path.exists(p):
            die(f"{p} not found: run from a checkout with the curated core lexicon")
    core = read_jsonl(core_path)
    stop = {stopkey(l.strip()) for l in open(stop_path, encoding="utf-8") if l.strip() and not l.startswith("#")}
    pool = os.path.join(a.shared, "corpus", "arxiv25-pool.jsonl.gz")
    low, bi = acl_counts([acl] + ([pool] if os.path.exists(pool) else []))
    flt = Filter(stop, low, bi)

    # Model rule: names of HF transformers families and timm model collections
    model_keys = set()
    for fn in APACHE_FILES:
        for r in read_jsonl(os.path.join(shared_lex, fn)):
            if r.get("type") == "Model":
                model_keys.add(r["name"])
                model_keys.update(r.get("aliases") or [])
    model_keys.update(e["name"] for e in core if e["type"] == "Model")

    taken = surfaces(core)
    apache, d1 = build(shared_lex, APACHE_FILES, flt, model_keys, taken, [f[:-6] for f in APACHE_FILES])
    write(os.path.join(a.out, "models-apache.jsonl"), apache)
    taken |= surfaces(apache)
    core_datasets = [s for e in core if e["type"] in ("Dataset", "Benchmark") for s in [e["name"]] + e["aliases"]]
    pwc, d2 = build(shared_lex, PWC_FILES, flt, model_keys, taken, [f[:-6] for f in PWC_FILES], core_datasets)
    write(os.path.join(a.out, "pwc-derived.jsonl"), pwc)

    print(f"core.jsonl (curated, not rebuilt): {len(core)} entries")
    report("models-apache.jsonl (Apache-2.0)", apache, d1)
    report("pwc-derived.jsonl (CC BY-SA 4.0)", pwc, d2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
