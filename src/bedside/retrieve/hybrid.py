"""query → ranked passages (or documents): keyword and dense retrieval, fused, then reranked."""

from __future__ import annotations

from dataclasses import dataclass

from bedside.domain import Hit
from bedside.index.base import KeywordIndex, SearchFilters, VectorIndex
from bedside.index.embedders.base import Embedder
from bedside.retrieve.fusion import best_per_passage, fuse_rrf, fuse_zscore
from bedside.retrieve.rerank import Reranker
from bedside.retrieve.synonyms import SynonymTable

FUSIONS = ("zscore", "rrf", "keyword", "dense")


@dataclass(frozen=True, slots=True)
class RetrievalOptions:
    """How to search. No defaults here: `RetrieveSettings` is the one place they are written
    (a second copy had drifted: keyword weight 0.25 here, 0.5 in the settings)."""

    fusion: str
    keyword_weight: float
    candidates: int
    rrf_k: int
    expand_synonyms: bool


class HybridRetriever:
    """Runs the keyword and the vector index, fuses their rankings and reranks the top."""

    name = "hybrid"

    def __init__(
        self,
        *,
        keyword: KeywordIndex,
        vectors: VectorIndex | None,
        embedder: Embedder | None,
        synonyms: SynonymTable,
        reranker: Reranker | None,
        options: RetrievalOptions,
    ) -> None:
        if options.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion '{options.fusion}'; choose one of {FUSIONS}")
        if options.fusion != "keyword" and (vectors is None or embedder is None):
            raise ValueError(f"fusion '{options.fusion}' needs a vector index and an embedder")
        self.keyword = keyword
        self.vectors = vectors
        self.embedder = embedder
        self.synonyms = synonyms
        self.reranker = reranker
        self.options = options

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        by_document: bool = False,
    ) -> list[Hit]:
        """The best `k` passages for `query` (or documents, ranked by their best passage)."""
        options = self.options
        expansions = self.synonyms.expansions(query) if options.expand_synonyms else []
        depth = max(options.candidates, k)
        rankings: dict[str, dict[str, float]] = {}
        hits_by_passage: dict[str, Hit] = {}
        if options.fusion != "dense":
            keyword_query = " ".join([query, *expansions])
            keyword_hits = self.keyword.search(keyword_query, k=depth, filters=filters)
            rankings["keyword"] = {hit.passage_id: hit.score for hit in keyword_hits}
            hits_by_passage.update({hit.passage_id: hit for hit in keyword_hits})
        if options.fusion != "keyword":
            assert self.vectors is not None and self.embedder is not None
            dense_query = query + (f" ({'; '.join(expansions[:4])})" if expansions else "")
            vector = self.embedder.embed([dense_query])[0]
            # Windows, not passages, are indexed: ask for more so `depth` passages survive.
            dense = best_per_passage(self.vectors.search(vector, k=depth * 3, filters=filters))
            rankings["dense"] = {pid: hit.score for pid, hit in dense.items()}
            for pid, hit in dense.items():
                hits_by_passage.setdefault(pid, hit)
        fused = self._fuse(rankings)
        if self.reranker is not None:
            fused = self.reranker.rerank(query, expansions, fused)
        return _ranked(fused, hits_by_passage, k=k, by_document=by_document)

    def _fuse(self, rankings: dict[str, dict[str, float]]) -> list[tuple[str, float]]:
        options = self.options
        if options.fusion in ("keyword", "dense"):
            (scores,) = rankings.values()
            return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        weights = {"keyword": options.keyword_weight, "dense": 1.0 - options.keyword_weight}
        if options.fusion == "rrf":
            return fuse_rrf(rankings, k=options.rrf_k, weights=weights)
        return fuse_zscore(rankings, weights)


def _ranked(
    fused: list[tuple[str, float]], hits: dict[str, Hit], *, k: int, by_document: bool
) -> list[Hit]:
    results: list[Hit] = []
    seen_documents: set[str] = set()
    for passage_id, score in fused:
        hit = hits[passage_id]
        if by_document:
            if hit.document_id in seen_documents:
                continue
            seen_documents.add(hit.document_id)
        results.append(
            Hit(
                passage_id=passage_id,
                document_id=hit.document_id,
                score=score,
                rank=len(results) + 1,
                retriever="hybrid",
                source_id=hit.source_id,
                unit_id=hit.unit_id,
            )
        )
        if len(results) == k:
            break
    return results
