"""The HNSW vector index against exact search: recall, search latency and build time.

    .venv/bin/python benchmarks/ann_index.py [--data ../shared/data] [--home ~/.cache/bedside-bench]
        [--resampled 200000 ...] [--synthetic 200000 ...] [--no-grid] [--repeats 5]

1. SciFact, real vectors: the windows of the SciFact knowledge base, embedded with the default
   embedder (built once and reused, as benchmarks/retrieval.py builds it), queried with all 1,109
   SciFact queries embedded the same way. Both indexes are built from those vectors in a
   temporary folder and searched through the `VectorIndex` interface, the HNSW one with
   `ann_threshold=0`. For each graph setting: recall@10 and recall@300 (hybrid retrieval asks
   the vector index for 300 windows) against the exact index's results, p50/p95 latency of one
   search (the median over --repeats runs of all queries) and build time.
2. Resampled SciFact (--resampled N): N vectors, each a SciFact window's vector plus Gaussian
   noise (cosine about 0.85 to it), queried with the SciFact queries: the shipped setting at a
   size past the corpus, with the neighbourhood structure of real embeddings.
3. Random (--synthetic N): N random unit vectors of 384 dimensions and 200 random unit queries.
   Random vectors have no neighbourhood structure (a query's 10 nearest are barely nearer than
   the rest), so this is HNSW's worst case for recall; it measures latency and build cost.

Prints Markdown. Timings depend on the machine and its load; they are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bedside.config import load_settings
from bedside.index import hnsw_vectors
from bedside.index.base import IndexEntry, VectorIndex
from bedside.index.hnsw_vectors import HnswVectorIndex
from bedside.index.numpy_vectors import NumpyVectorIndex
from bedside.service import Service

# (connectivity, expansion_search, graph dtype); the first is the shipped default.
GRID = [
    (16, 256, "f16"),
    (16, 32, "f16"),
    (16, 64, "f16"),
    (16, 128, "f16"),
    (8, 128, "f16"),
    (32, 128, "f16"),
    (16, 128, "f32"),
    (16, 128, "i8"),
]
emit = print


def scifact_vectors(data: Path, home: Path) -> tuple[list[IndexEntry], np.ndarray, np.ndarray]:
    """The SciFact windows' entries and vectors, and the embedded queries."""
    settings = load_settings(
        overrides={"home": home, "store": {"kb": "scifact"}, "index": {"vectors": "numpy"}}
    )
    with Service(settings) as service:
        service.ingest([str(data / "scifact" / "corpus.jsonl")])
        report = service.index()
        if report.changed:
            print(f"indexed SciFact: {report}", file=sys.stderr)
        vector_file = service.vector_index.path  # type: ignore[union-attr]
        embedder = service.embedder
        assert embedder is not None
        with (data / "scifact" / "queries.jsonl").open() as lines:
            texts = [json.loads(line)["text"] for line in lines]
        queries = embedder.embed(texts)
    with sqlite3.connect(vector_file) as conn:
        rows = conn.execute(
            "SELECT unit_id, passage_id, document_id, source_id, kind, year, source, vector"
            " FROM units ORDER BY rowid"
        ).fetchall()
    entries = [IndexEntry(r[0], r[1], r[2], r[3], "", "", r[4], r[5], r[6]) for r in rows]
    vectors = np.frombuffer(b"".join(r[7] for r in rows), dtype=np.float32)
    return entries, vectors.reshape(len(rows), -1).copy(), queries


def synthetic(
    count: int, queries: int, dimensions: int = 384
) -> tuple[list[IndexEntry], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20)
    vectors = rng.standard_normal((count, dimensions), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    asked = rng.standard_normal((queries, dimensions), dtype=np.float32)
    asked /= np.linalg.norm(asked, axis=1, keepdims=True)
    entries = [
        IndexEntry(f"u{n}", f"u{n}", f"d{n}", f"s{n}", "", "", "research", 2020, None)
        for n in range(count)
    ]
    return entries, vectors, asked


def resampled(
    entries: list[IndexEntry], vectors: np.ndarray, count: int, *, noise: float = 0.03
) -> tuple[list[IndexEntry], np.ndarray]:
    """`count` vectors made from the real ones (each plus Gaussian noise, cosine ~0.85 to it):
    a larger set with the neighbourhood structure of real embeddings, unlike random vectors."""
    rng = np.random.default_rng(21)
    picked = np.arange(count) % len(vectors)
    grown = vectors[picked] + rng.normal(0.0, noise, (count, vectors.shape[1])).astype(np.float32)
    grown /= np.linalg.norm(grown, axis=1, keepdims=True)
    made = [
        IndexEntry(f"{entries[i].unit_id}~{n}", entries[i].passage_id, entries[i].document_id,
                   entries[i].source_id, "", "", entries[i].kind, entries[i].year,
                   entries[i].source)
        for n, i in enumerate(picked.tolist())
    ]  # fmt: skip
    return made, grown


def build(index: VectorIndex, entries: list[IndexEntry], vectors: np.ndarray) -> float:
    """Seconds to add everything in the builder's batches, and to save what is derived."""
    started = time.perf_counter()
    index.open()
    for start in range(0, len(entries), 4096):
        index.add(entries[start : start + 4096], vectors[start : start + 4096])
    flush: Callable[[], None] | None = getattr(index, "flush", None)
    if flush is not None:
        flush()
    index.search(vectors[0], k=1)  # the exact index folds its batches into one matrix here
    return time.perf_counter() - started


def timed_searches(
    index: VectorIndex, queries: np.ndarray, k: int, repeats: int
) -> tuple[list[list[str]], float, float]:
    """Results, and the medians over `repeats` runs of each run's p50 and p95 (ms)."""
    results: list[list[str]] = []
    p50s, p95s = [], []
    for run in range(repeats):
        latencies = []
        for query in queries:
            started = time.perf_counter()
            hits = index.search(query, k=k)
            latencies.append((time.perf_counter() - started) * 1000)
            if run == 0:
                results.append([hit.unit_id for hit in hits])
        latencies.sort()
        p50s.append(latencies[len(latencies) // 2])
        p95s.append(latencies[int(len(latencies) * 0.95)])
    return results, statistics.median(p50s), statistics.median(p95s)


def recall(found: list[list[str]], truth: list[list[str]]) -> float:
    return statistics.fmean(
        len(set(got) & set(want)) / len(want) for got, want in zip(found, truth, strict=True)
    )


def compare(
    name: str,
    entries: list[IndexEntry],
    vectors: np.ndarray,
    queries: np.ndarray,
    grid: list[tuple[int, int, str]],
    repeats: int,
) -> None:
    dimensions = vectors.shape[1]
    emit(f"\n## {name}: {len(entries):,} vectors, {dimensions} dimensions, {len(queries)} queries")
    emit("\n| index | recall@10 | recall@300 | p50 ms (k=10) | p95 ms (k=10) | p50 ms (k=300) "
         "| build s | graph MB |")  # fmt: skip
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        exact = NumpyVectorIndex(Path(folder) / "exact.sqlite", dimensions=dimensions)
        seconds = build(exact, entries, vectors)
        truth10, p50, p95 = timed_searches(exact, queries, 10, repeats)
        truth300, p50_300, _ = timed_searches(exact, queries, 300, repeats)
        emit(f"| exact (numpy) | 1 | 1 | {p50:.2f} | {p95:.2f} | {p50_300:.2f} | {seconds:.1f} "
             "| – |")  # fmt: skip
        exact.close()
        built: dict[tuple[int, str], HnswVectorIndex] = {}
        for connectivity, expansion, dtype in grid:
            index = built.get((connectivity, dtype))
            build_time = "–"  # reported once per graph
            if index is None:
                path = Path(folder) / f"hnsw-{connectivity}-{dtype}.sqlite"
                index = HnswVectorIndex(path, dimensions=dimensions, ann_threshold=0,
                                        connectivity=connectivity, graph_dtype=dtype)  # fmt: skip
                build_time = f"{build(index, entries, vectors):.1f}"
                built[(connectivity, dtype)] = index
            graph: Any = index._graph
            graph.expansion_search = index.expansion_search = expansion
            found10, p50, p95 = timed_searches(index, queries, 10, repeats)
            found300, p50_300, _ = timed_searches(index, queries, 300, repeats)
            megabytes = index.graph_path.stat().st_size / 1e6
            emit(
                f"| hnsw M={connectivity} ef={expansion} {dtype} | {recall(found10, truth10):.4f} "
                f"| {recall(found300, truth300):.4f} | {p50:.2f} | {p95:.2f} | {p50_300:.2f} "
                f"| {build_time} | {megabytes:.0f} |"
            )
        for index in built.values():
            index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument(
        "--synthetic",
        type=int,
        nargs="*",
        default=[200_000],
        help="sizes of the random-vector sets (none: skip)",
    )
    parser.add_argument(
        "--resampled",
        type=int,
        nargs="*",
        default=[200_000],
        help="sizes of the resampled SciFact sets (none: skip)",
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-grid", action="store_true", help="skip the SciFact settings grid")
    args = parser.parse_args()  # fmt: skip
    emit(f"# HNSW vector index vs exact search — {time.strftime('%Y-%m-%d')}")
    shipped = (hnsw_vectors.CONNECTIVITY, hnsw_vectors.EXPANSION_SEARCH, hnsw_vectors.GRAPH_DTYPE)
    # Larger sets need longer candidate lists for the same recall.
    longer = [(shipped[0], expansion, shipped[2]) for expansion in (128, 256, 512)]
    if not args.no_grid or args.resampled:
        entries, vectors, queries = scifact_vectors(args.data.resolve(), args.home)
        if not args.no_grid:
            compare("SciFact windows (minilm-onnx)", entries, vectors, queries, GRID, args.repeats)
        for count in args.resampled:
            grown = resampled(entries, vectors, count)
            compare("SciFact windows resampled with noise", *grown, queries, longer,
                    args.repeats)  # fmt: skip
    for count in args.synthetic:
        entries, vectors, queries = synthetic(count, 200)
        compare("Random unit vectors", entries, vectors, queries, longer, args.repeats)


if __name__ == "__main__":
    main()
