"""Retrieval quality and latency on SciFact (BEIR), tuned on train, reported on test.

    .venv/bin/python benchmarks/retrieval.py [--data ../shared/data] [--home ~/.cache/bedside-bench]

Builds (once; later runs reuse and top up the indexes) a knowledge base of the SciFact corpus,
then for each configuration reports nDCG@10, Recall@100 and per-query latency p50/p95 on the 300
test queries. Weights are chosen on the train queries only and printed with the grid.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bedside.config import load_settings
from bedside.service import Service


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open() as lines:
        next(lines)  # header
        for line in lines:
            query_id, doc_id, score = line.split("\t")
            qrels[query_id][doc_id] = int(score)
    return dict(qrels)


def load_queries(path: Path, wanted: set[str]) -> dict[str, str]:
    queries = {}
    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            if record["_id"] in wanted:
                queries[record["_id"]] = record["text"]
    return queries


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    gains = sum(
        (2 ** relevant.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k])
    )
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return gains / best if best else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    found = sum(1 for doc in ranked[:k] if relevant.get(doc, 0) > 0)
    return found / sum(1 for grade in relevant.values() if grade > 0)


def evaluate(
    service: Service, queries: dict[str, str], qrels: dict[str, dict[str, int]]
) -> dict[str, float]:
    ndcgs, recalls, latencies = [], [], []
    for query_id, text in queries.items():
        started = time.perf_counter()
        hits = service.search_hits(text, k=100, by_document=True)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = [hit.source_id for hit in hits]
        ndcgs.append(ndcg_at(ranked, qrels[query_id]))
        recalls.append(recall_at(ranked, qrels[query_id]))
    latencies.sort()
    return {
        "ndcg@10": statistics.fmean(ndcgs),
        "recall@100": statistics.fmean(recalls),
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[int(len(latencies) * 0.95)],
    }


def configure(service: Service, **retrieve: Any) -> None:
    """Point the service at other retrieval settings, keeping its open indexes."""
    service.settings = service.settings.model_copy(
        update={"retrieve": service.settings.retrieve.model_copy(update=retrieve)}
    )
    service._retriever = None  # rebuilt from the new settings on next search


def use_keyword_index(service: Service, name: str) -> None:
    """Switch the keyword backend (building its index if needed)."""
    service.settings = service.settings.model_copy(
        update={"index": service.settings.index.model_copy(update={"keyword": name})}
    )
    service._keyword = None
    service._retriever = None
    service.index()


def memoise_embedder(service: Service) -> Any:
    """Embed each query once across tuning runs; returns a function that undoes it."""
    embedder = service.embedder
    if embedder is None:
        return lambda: None
    original = embedder.embed

    @functools.cache
    def one(text: str) -> Any:
        return original([text])[0]

    def embed(texts: Any) -> Any:
        import numpy as np

        return np.stack([one(text) for text in texts])

    embedder.embed = embed  # type: ignore[method-assign]

    def restore() -> None:
        embedder.embed = original  # type: ignore[method-assign]

    return restore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--embedder", default=None, help="override index.embedder")
    args = parser.parse_args()
    scifact = args.data.resolve() / "scifact"
    overrides: dict[str, Any] = {"home": args.home, "store": {"kb": "scifact"}}
    if args.embedder:
        overrides["index"] = {"embedder": args.embedder}
    settings = load_settings(overrides=overrides)
    train_qrels = load_qrels(scifact / "qrels" / "train.tsv")
    test_qrels = load_qrels(scifact / "qrels" / "test.tsv")
    train = load_queries(scifact / "queries.jsonl", set(train_qrels))
    test = load_queries(scifact / "queries.jsonl", set(test_qrels))

    with Service(settings) as service:
        started = time.perf_counter()
        service.ingest([str(scifact / "corpus.jsonl")])

        def show(stage: str, done: int, total: int) -> None:
            if done % 2048 < settings.index.embed_batch * 8 or done == total:
                print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)

        report = service.index(progress=show)
        print(f"index: {report} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        restore_embedder = memoise_embedder(service)
        emit = functools.partial(print, flush=True)
        emit(
            f"# SciFact retrieval — {time.strftime('%Y-%m-%d')}, embedder "
            f"{settings.index.embedder}, {len(test)} test / {len(train)} train queries"
        )

        emit("\n## Tuning on train (nDCG@10)\n")
        keyword_scores = {}
        for keyword in ("sqlite-fts", "bm25s"):
            use_keyword_index(service, keyword)
            configure(service, fusion="zscore", keyword_weight=0.25, rerank="none")
            keyword_scores[keyword] = evaluate(service, train, train_qrels)["ndcg@10"]
            emit(f"- keyword backend {keyword}, zscore 0.25: {keyword_scores[keyword]:.4f}")
        best_keyword = max(keyword_scores, key=lambda name: keyword_scores[name])
        use_keyword_index(service, best_keyword)
        grid = {}
        for weight in (0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5):
            configure(service, fusion="zscore", keyword_weight=weight, rerank="none")
            grid[weight] = evaluate(service, train, train_qrels)["ndcg@10"]
            emit(f"- zscore keyword_weight={weight}: {grid[weight]:.4f}")
        best_weight = max(grid, key=lambda w: grid[w])
        rerank_grid = {}
        for rerank_weight in (0.1, 0.2, 0.3, 0.5):
            configure(service, fusion="zscore", keyword_weight=best_weight, rerank="coverage",
                      rerank_weight=rerank_weight)  # fmt: skip
            rerank_grid[rerank_weight] = evaluate(service, train, train_qrels)["ndcg@10"]
            emit(f"- + coverage rerank weight={rerank_weight}: {rerank_grid[rerank_weight]:.4f}")
        best_rerank = max(rerank_grid, key=lambda w: rerank_grid[w])
        configure(service, fusion="zscore", keyword_weight=best_weight, rerank="none",
                  expand_synonyms=False)  # fmt: skip
        no_synonyms = evaluate(service, train, train_qrels)["ndcg@10"]
        emit(f"- zscore {best_weight} without synonym expansion: {no_synonyms:.4f}")

        restore_embedder()  # test latencies include embedding every query
        emit("\n## Test (300 queries)\n")
        emit("| configuration | nDCG@10 | Recall@100 | p50 ms | p95 ms |")
        emit("|---|---:|---:|---:|---:|")
        for keyword in ("sqlite-fts", "bm25s"):
            use_keyword_index(service, keyword)
            configure(service, expand_synonyms=True, fusion="keyword", rerank="none")
            result = evaluate(service, test, test_qrels)
            emit(
                f"| BM25 alone ({keyword}) | {result['ndcg@10']:.4f} | {result['recall@100']:.4f} "
                f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} |"
            )
        use_keyword_index(service, best_keyword)
        configurations = {
            "dense (windows)": {"fusion": "dense", "rerank": "none"},
            "hybrid RRF": {"fusion": "rrf", "keyword_weight": 0.5, "rerank": "none"},
            f"hybrid z-score ({best_keyword}, {best_weight} BM25)": {
                "fusion": "zscore", "keyword_weight": best_weight, "rerank": "none"},
            f"hybrid z-score + coverage rerank ({best_rerank})": {
                "fusion": "zscore", "keyword_weight": best_weight, "rerank": "coverage",
                "rerank_weight": best_rerank},
        }  # fmt: skip
        for name, retrieve in configurations.items():
            configure(service, expand_synonyms=True, **retrieve)
            result = evaluate(service, test, test_qrels)
            emit(
                f"| {name} | {result['ndcg@10']:.4f} | {result['recall@100']:.4f} "
                f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} |"
            )


if __name__ == "__main__":
    main()
