"""Leaderboards from the numeric results of a build: who reports what on a benchmark, best first.

A :class:`~kg.model.Result` is (subject, benchmark, metric, value) with the number and unit
of the value. A leaderboard is the results on one benchmark (any of its names), optionally
for one metric, ranked within each (metric, unit) group, since 85.2% and 0.81 do not
compare: the best first where the metric's direction is known (:func:`metric_direction`:
error, loss, perplexity, latency, FID and their like are lower-better; accuracy, F1, success
rate, BLEU and their like higher-better), in the order of the papers where it is not.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from .io import printable, text_table

__all__ = ["FORMATS", "LeaderboardRow", "format_leaderboard", "metric_direction", "rank_results"]

#: output formats of :func:`format_leaderboard` (and ``kg leaderboard --format``)
FORMATS = ("table", "csv", "json", "markdown")

_LOWER = re.compile(r"\b(?:error|errors|loss|perplexity|ppl|latency|runtime|time|times|seconds|ms|fid|kid|fvd|wer|cer|"
                    r"ter|mae|mse|rmse|epe|ate|rte|ade|fde|distance|chamfer|lpips|memory|flops|macs|params|parameters|"
                    r"cost|regret|violation|violations|collision|collisions|failure|failures|miss|false|"
                    r"hallucination|drift|jitter|energy|bpc|bpd|nll|eer|far|frr)\b|(?:^|_)(?:cd|emd)\b", re.I)
_HIGHER = re.compile(r"\b(?:accuracy|acc|f1|f-score|precision|recall|auc|auroc|auprc|ap|map|miou|iou|dice|bleu|rouge|"
                     r"rouge-l|meteor|cider|spice|chrf|comet|bertscore|em|exact match|success|sr|win|score|reward|return|"
                     r"pass@\d+|pass|psnr|ssim|ndcg|mrr|hit|hits|r@\d+|recall@\d+|top-\d|pdms|epdms|coverage|"
                     r"agreement|correlation|throughput|fps|speed|utility|hypervolume|rate)\b", re.I)


def metric_direction(metric: str | None) -> str | None:
    """``"lower"`` or ``"higher"`` when a metric's name says which is better, else None.

    Names that speak of an error win over a generic word ("error rate" is lower-better).

    >>> [metric_direction(m) for m in ("success rate", "FID", "word error rate", "perplexity", "PDMS", "Elo")]
    ['higher', 'lower', 'lower', 'lower', 'higher', None]
    """
    if not metric:
        return None
    if _LOWER.search(metric):
        return "lower"
    if _HIGHER.search(metric):
        return "higher"
    return None


@dataclass(frozen=True)
class LeaderboardRow:
    """One result on a leaderboard: ``rank`` within its (metric, unit) group, None where the
    metric's direction is unknown (``direction`` None); ``value`` as written, ``number`` as a float."""

    rank: int | None
    subject: str
    metric: str | None
    value: str
    number: float | None
    unit: str | None
    direction: str | None
    paper: str | None
    year: int | None
    sentence: str | None


def rank_results(results: list[dict[str, Any]], years: dict[str, int | None] | None = None) -> list[LeaderboardRow]:
    """Rank result dicts (as :meth:`kg.graph.KnowledgeGraph.results` gives them) of one benchmark.

    Groups by metric and unit (metrics in name order, no metric last); within a group the best
    first by the metric's direction, ties and unknown directions in paper order. One subject's
    repeated report of the same number in one paper is listed once.

    >>> rows = rank_results([
    ...     {"subject": "A", "metric": "FID", "value": "9.1", "number": "9.1", "unit": None, "paper": "p1"},
    ...     {"subject": "B", "metric": "FID", "value": "7.4", "number": "7.4", "unit": None, "paper": "p2"},
    ...     {"subject": "B", "metric": "accuracy", "value": "88%", "number": "88", "unit": "%", "paper": "p2"}])
    >>> [(r.rank, r.subject, r.metric, r.value) for r in rows]
    [(1, 'B', 'accuracy', '88%'), (1, 'B', 'FID', '7.4'), (2, 'A', 'FID', '9.1')]
    """
    years = years or {}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    seen = set()
    for r in results:
        key = (r.get("subject"), r.get("metric"), r.get("number"), r.get("unit"), r.get("paper"))
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault((r.get("metric") or "", r.get("unit") or ""), []).append(r)
    rows: list[LeaderboardRow] = []
    for metric, unit in sorted(groups, key=lambda mu: (mu[0] == "", mu[0].lower(), mu[1])):
        members = groups[(metric, unit)]
        direction = metric_direction(metric)
        numbers = [_float(r.get("number")) for r in members]
        order = list(range(len(members)))
        if direction is not None:
            sign = -1.0 if direction == "higher" else 1.0
            order.sort(key=lambda i: (numbers[i] is None, sign * numbers[i] if numbers[i] is not None else 0.0))
        rank = 0
        for position, i in enumerate(order):
            r = members[i]
            if direction is not None and numbers[i] is not None:
                previous = numbers[order[position - 1]] if position else None
                rank = rank if previous is not None and previous == numbers[i] else position + 1
            rows.append(LeaderboardRow(rank if direction is not None and numbers[i] is not None else None,
                                       r.get("subject") or "PAPER", metric or None, r.get("value") or "", numbers[i],
                                       unit or None, direction, r.get("paper"), years.get(r.get("paper")),
                                       r.get("sentence")))
    return rows


def _float(number: Any) -> float | None:
    try:
        return float(number)
    except (TypeError, ValueError):
        return None


_COLUMNS = ("rank", "subject", "metric", "value", "unit", "direction", "paper", "year", "sentence")


def format_leaderboard(rows: list[LeaderboardRow], fmt: str = "table", *, width: int = 60) -> str:
    """Rows as ``table`` (aligned text, evidence cut at ``width``), ``csv``, ``json`` or ``markdown``.

    >>> rows = rank_results([{"subject": "B", "metric": "FID", "value": "7.4", "number": "7.4", "paper": "p2"}])
    >>> print(format_leaderboard(rows, "markdown"))
    | rank | subject | metric | value | unit | direction | paper | year | sentence |
    |---|---|---|---|---|---|---|---|---|
    | 1 | B | FID | 7.4 |  | lower | p2 |  |  |
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    records = [asdict(r) for r in rows]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    cells = [["" if rec[c] is None else str(rec[c]) for c in _COLUMNS] for rec in records]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(_COLUMNS)
        writer.writerows(cells)
        return buf.getvalue()
    if fmt == "markdown":
        def esc(text: str) -> str:
            return " ".join(text.replace("|", "\\|").split())
        lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines)
    shown = [[printable(" ".join(c.split()) if len(c) <= width else " ".join(c.split())[:width - 1] + "…") for c in row]
             for row in cells]
    lines = text_table(list(_COLUMNS), shown)
    if any(r.direction is None for r in rows):
        lines.append("(unranked rows: the metric's direction is not known, or no metric was named)")
    return "\n".join(lines) + "\n"

