"""Rerank the top of a fused ranking.

No cross-encoder ships its weights on PyPI, so the built-in reranker is lexical: it blends the
fused score with how many of the query's words (and their synonyms) the passage and its
document title actually contain — rewarding passages that cover the whole question rather than
repeat one of its words. Its weight is tuned on SciFact train (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from typing import Protocol

from bedside.index.sqlite_fts import query_terms
from bedside.store.base import Store

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class Reranker(Protocol):
    """Reorders (passage_id, score) pairs, best first; may only reorder, never add passages."""

    name: str

    def rerank(
        self, query: str, expansions: list[str], ranked: list[tuple[str, float]]
    ) -> list[tuple[str, float]]: ...


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


class CoverageReranker:
    """Blend the fused score (min-max scaled over the top) with query-word coverage."""

    name = "coverage"

    def __init__(self, store: Store, *, top_n: int = 30, weight: float = 0.3) -> None:
        self.store = store
        self.top_n = top_n
        self.weight = weight

    def rerank(
        self, query: str, expansions: list[str], ranked: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        head, tail = ranked[: self.top_n], ranked[self.top_n :]
        terms = {_stem(term) for term in query_terms(query)}
        if not head or not terms:
            return ranked
        synonyms = {_stem(word) for phrase in expansions for word in _WORD.findall(phrase)}
        scores = [score for _pid, score in head]
        low, high = min(scores), max(scores)
        span = (high - low) or 1.0
        rescored = []
        for passage_id, score in head:
            words = self._words(passage_id)
            covered = sum(1.0 for term in terms if term in words)
            covered += 0.5 * bool(synonyms & words)
            coverage = min(covered / len(terms), 1.0)
            blended = (1 - self.weight) * (score - low) / span + self.weight * coverage
            rescored.append((passage_id, blended))
        rescored.sort(key=lambda item: (-item[1], item[0]))
        # Keep the tail below the reranked head, in its fused order.
        floor = min(score for _pid, score in rescored) if rescored else 0.0
        return rescored + [(pid, floor - 1 - index) for index, (pid, _s) in enumerate(tail)]

    def _words(self, passage_id: str) -> set[str]:
        passage = self.store.get_passage(passage_id)
        title = self.store.get_document(passage.document_id).title
        return {_stem(word) for word in _WORD.findall(f"{title} {passage.text}")}
