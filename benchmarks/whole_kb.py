"""Index build time, memory and search latency on the whole knowledge base, at two sizes.

    .venv/bin/python benchmarks/whole_kb.py [--data ../shared/data] [--home ~/.cache/bedside-bench]

Stage 1 ingests and indexes part of ../shared/data (SciFact, PubMedQA, the PubMed files and the
bundled cards); stage 2 adds MedQuAD, which makes the whole knowledge base. After each stage it
reports passages, index windows, build seconds, peak memory, index size on disk, and search
latency (p50/p95, default settings, query embedding included) on the 300 SciFact test queries
plus the clinical queries of benchmarks/clinical_queries.jsonl. SciFact nDCG@10 is reported at
both sizes too: the other corpora act as distractors. Finally it fits a straight line through the
two sizes and projects build time, index size and latency to 1M passages.

Indexing is incremental, so a rerun reuses what an earlier (or interrupted) run built; the
build-time figures are only meaningful from an empty --home (the script says which it saw).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bedside.config import load_settings
from bedside.service import Service, bundled_cards_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retrieval import configure, load_qrels, load_queries, ndcg_at

MILLION = 1_000_000


def stage_paths(data: Path) -> list[tuple[str, list[Path]]]:
    pubmed = sorted((data / "pubmed").iterdir())
    return [
        (
            "SciFact + PubMedQA + PubMed + cards",
            [
                data / "scifact" / "corpus.jsonl",
                data / "pubmedqa" / "ori_pqal.json",
                *pubmed,
                bundled_cards_path(),
            ],
        ),
        ("+ MedQuAD (whole knowledge base)", [data / "medquad"]),
    ]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) / 1e6


def latencies(service: Service, texts: list[str]) -> tuple[float, float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        service.search_hits(text, k=10)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


def scifact_ndcg(service: Service, queries: dict[str, str], qrels: Any) -> float:
    documents = service.store.iter_current_documents(origins=["beir/scifact"])
    scifact = {document.document_id for document in documents}
    scores = []
    for query_id, text in queries.items():
        hits = service.search_hits(text, k=100, by_document=True)
        # Only SciFact documents can be relevant; the other corpora's hits count as misses.
        ranked = [hit.source_id if hit.document_id in scifact else "" for hit in hits]
        scores.append(ndcg_at(ranked, qrels[query_id]))
    return statistics.fmean(scores)


def card_retrieval(service: Service, clinical: list[dict[str, str]]) -> tuple[float, float]:
    """Hit@10 and MRR@10 of the card each clinical query is about (documents by best passage)."""
    hits_at_10, reciprocal_ranks = [], []
    for query in clinical:
        ranked = service.search_hits(query["text"], k=10, by_document=True)
        ranks = [hit.rank for hit in ranked if hit.source_id.startswith(query["card"] + "/")]
        hits_at_10.append(1.0 if ranks else 0.0)
        reciprocal_ranks.append(1 / min(ranks) if ranks else 0.0)
    return statistics.fmean(hits_at_10), statistics.fmean(reciprocal_ranks)


def measure_stage(
    service: Service, paths: list[Path], queries: list[str], scifact: tuple[Any, Any]
) -> dict[str, float]:
    started = time.perf_counter()
    outcome = service.ingest([str(path) for path in paths])
    ingest_s = time.perf_counter() - started
    last_shown = [0.0]

    def show(stage: str, done: int, total: int) -> None:
        if time.monotonic() - last_shown[0] > 30 or done == total:
            last_shown[0] = time.monotonic()
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    report = service.index(progress=show)
    index_s = time.perf_counter() - started
    print(
        f"  ingest {outcome} in {ingest_s:.0f} s; index {report} in {index_s:.0f} s",
        file=sys.stderr,
    )
    stats = service.kb_stats()
    service.search_hits("warm up", k=10)
    p50, p95 = latencies(service, queries)
    settings = service.settings
    return {
        "documents": stats.documents,
        "passages": stats.passages,
        "windows": len(service.vector_index) if service.vector_index else 0,  # type: ignore[arg-type]
        "embedded": report.vectors_added,
        "ingest_s": ingest_s,
        "index_s": index_s,
        "peak_rss_mb": peak_rss_mb(),
        "kb_mb": disk_mb(settings.kb_path()),
        "index_mb": disk_mb(settings.index_dir()),
        "p50_ms": p50,
        "p95_ms": p95,
        "scifact_ndcg@10": scifact_ndcg(service, *scifact),
    }


def project(small: dict[str, float], large: dict[str, float], key: str, size: str) -> float:
    """Straight line through the two measured sizes, evaluated at one million passages."""
    slope = (large[key] - small[key]) / (large[size] - small[size])
    return large[key] + slope * (MILLION - large[size])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--kb", default="whole")
    args = parser.parse_args()
    data = args.data.resolve()
    settings = load_settings(overrides={"home": args.home, "store": {"kb": args.kb}})
    fresh = not settings.kb_path().exists()
    qrels = load_qrels(data / "scifact" / "qrels" / "test.tsv")
    test = load_queries(data / "scifact" / "queries.jsonl", set(qrels))
    clinical_file = root / "benchmarks" / "clinical_queries.jsonl"
    clinical = [json.loads(line) for line in clinical_file.read_text().splitlines() if line]
    queries = [*test.values(), *(query["text"] for query in clinical)]

    rows = []
    with Service(settings) as service:
        for name, paths in stage_paths(data):
            print(f"stage: {name}", file=sys.stderr, flush=True)
            rows.append((name, measure_stage(service, paths, queries, (test, qrels))))
            print(f"  measured: {json.dumps(rows[-1][1])}", file=sys.stderr, flush=True)
        synonyms = {}
        for expand in (True, False):
            configure(service, expand_synonyms=expand)
            synonyms[expand] = card_retrieval(service, clinical)

    print(
        f"# Whole knowledge base — {time.strftime('%Y-%m-%d')}, embedder "
        f"{settings.index.embedder}, keyword {settings.index.keyword}, "
        f"{'built from empty' if fresh else 'REUSED an existing index (build times partial)'}"
    )
    print(
        f"\nLatency over {len(queries)} queries ({len(test)} SciFact test + {len(clinical)} "
        "clinical), k=10, default settings.\n"
    )
    print(
        "| stage | documents | passages | windows | ingest s | index s | peak RSS MB "
        "| KB MB | index MB | p50 ms | p95 ms | SciFact nDCG@10 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        print(
            f"| {name} | {row['documents']:,} | {row['passages']:,} | {row['windows']:,} "
            f"| {row['ingest_s']:.0f} | {row['index_s']:.0f} | {row['peak_rss_mb']:.0f} "
            f"| {row['kb_mb']:.0f} | {row['index_mb']:.0f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['scifact_ndcg@10']:.4f} |"
        )
    small, large = rows[0][1], rows[1][1]
    # Stage 2 is incremental: its index time covers only the passages it added.
    cumulative = dict(large, index_s=small["index_s"] + large["index_s"])
    print(f"\n## Synonym expansion on {len(clinical)} clinical queries (whole knowledge base)\n")
    print("Each query (benchmarks/clinical_queries.jsonl) names the card it is about; a hit is any")
    print("document of that card in the top 10 documents.\n")
    print("| synonym expansion | card hit@10 | card MRR@10 |\n|---|---:|---:|")
    for expand, (hit_rate, mrr) in synonyms.items():
        print(f"| {'on (default)' if expand else 'off'} | {hit_rate:.3f} | {mrr:.3f} |")
    print("\n## Projection to 1M passages (straight line through the two sizes)\n")
    for key, unit in (
        ("index_s", "index build s"),
        ("index_mb", "index MB"),
        ("kb_mb", "knowledge base MB"),
        ("p50_ms", "search p50 ms"),
        ("p95_ms", "search p95 ms"),
    ):
        print(f"- {unit}: {project(small, cumulative, key, 'passages'):,.0f}")


if __name__ == "__main__":
    main()
