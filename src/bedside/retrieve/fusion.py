"""Fuse rankings from several retrievers into one.

`fuse_zscore` standardises each retriever's scores over its own candidate list and adds them with
weights (a candidate one retriever did not return gets that retriever's lowest score);
`fuse_rrf` is reciprocal rank fusion. Both work on passage ids and return (passage_id, score),
best first.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from bedside.domain import Hit


def best_per_passage(hits: Sequence[Hit]) -> dict[str, Hit]:
    """Collapse window-level hits to passages, keeping each passage's best-scoring unit."""
    best: dict[str, Hit] = {}
    for hit in hits:
        kept = best.get(hit.passage_id)
        if kept is None or hit.score > kept.score:
            best[hit.passage_id] = hit
    return best


def fuse_zscore(
    rankings: Mapping[str, Mapping[str, float]], weights: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Weighted sum of per-retriever z-scores; absent candidates get the retriever's minimum."""
    standardised: dict[str, dict[str, float]] = {}
    floors: dict[str, float] = {}
    for name, scores in rankings.items():
        if not scores:
            continue
        values = list(scores.values())
        mean = statistics.fmean(values)
        spread = statistics.pstdev(values) or 1.0
        standardised[name] = {pid: (score - mean) / spread for pid, score in scores.items()}
        floors[name] = min(standardised[name].values())
    candidates = {pid for scores in standardised.values() for pid in scores}
    fused = {
        pid: sum(
            weights.get(name, 0.0) * scores.get(pid, floors[name])
            for name, scores in standardised.items()
        )
        for pid in candidates
    }
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def fuse_rrf(
    rankings: Mapping[str, Mapping[str, float]], *, k: int = 60, weights: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over retrievers."""
    fused: dict[str, float] = {}
    for name, scores in rankings.items():
        ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        for rank, (pid, _score) in enumerate(ordered, start=1):
            fused[pid] = fused.get(pid, 0.0) + weights.get(name, 1.0) / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
