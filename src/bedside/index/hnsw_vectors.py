"""`HnswVectorIndex`: exact search for a small knowledge base, an HNSW graph past a threshold.

Vectors and the filter facts are kept as `NumpyVectorIndex` keeps them — one SQLite row per unit,
committed per batch, loaded into one float32 matrix on open — so below `ann_threshold` units every
search is the same exact matrix-vector product. At or above it, an HNSW graph (usearch; the `ann`
extra) finds candidates, which are re-scored exactly against the float32 matrix: scores are the
same cosines the exact index gives, only the candidate set is approximate.

Filters are honoured exactly: the graph is asked for enough extra candidates to expect `k`
survivors of the filter, and when fewer survive (or the filter is so narrow that the over-fetch
would cost as much as a scan) the search is exact over the accepted units.

The graph is derived data, saved beside the SQLite file (`<same name>.usearch`, so keyed by
embedder name, version and window size like the vectors), and reconciled with the SQLite rows
when it is next needed: units added or removed since it was saved are added to or removed from
it; a missing file, one this SQLite file did not write (another embedder's, another dimension) or
one too far out of date is rebuilt from the stored vectors. Without usearch installed, the index
stays exact at any size.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from bedside.domain import Hit
from bedside.index.base import IndexEntry, SearchFilters, Vector
from bedside.index.sqlite_file import SqliteFile, vector_index_file

if TYPE_CHECKING:
    from bedside.config import Settings

logger = logging.getLogger(__name__)

# Below this many units search is exact (the `index.ann_threshold` setting's default): at 384
# dimensions an exact search over 20,000 units takes about 2 ms, and an HNSW graph would add a
# build and a file for no gain a reader could notice.
DEFAULT_ANN_THRESHOLD = 20_000
# Graph parameters, chosen with benchmarks/ann_index.py on MiniLM vectors: recall@10 against
# exact search 0.999 on SciFact (18,007 windows) and 0.995 on 200,000 windows resampled from it
# (0.997 / 0.98 with a search list of 128, too close to 0.98), at under 1 ms a search.
CONNECTIVITY = 16  # links per node ("M")
EXPANSION_ADD = 128  # candidate list while inserting ("efConstruction")
EXPANSION_SEARCH = 256  # candidate list while searching ("ef"); never fewer than the k asked
GRAPH_DTYPE = "f16"  # the graph's copy of the vectors; scores come from the float32 matrix
# A search asks the graph for k × OVERFETCH candidates (× units / accepted units when filtered)
# and keeps the best k by exact score: at the k=300 hybrid retrieval asks for, recall against
# exact search is 0.978 with k candidates and 0.997 with 2k (SciFact).
OVERFETCH = 2.0
# ...unless that is more than 1/EXACT_RATIO of all units: then a scan of the accepted ones is
# about as fast, and exact.
EXACT_RATIO = 10
# Rebuild rather than patch a graph whose removed or missing units exceed this share of it.
REBUILD_SHARE = 0.25
ANN_EXTRA_HINT = "install the `ann` extra: pip install 'bedside[ann]'"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS units (key INTEGER PRIMARY KEY AUTOINCREMENT,"
    " unit_id TEXT NOT NULL UNIQUE, passage_id TEXT NOT NULL, document_id TEXT NOT NULL,"
    " source_id TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER, source TEXT,"
    " vector BLOB NOT NULL)"
)
_META_SCHEMA = "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
_COLUMNS = "unit_id, passage_id, document_id, source_id, kind, year, source, vector"

Keys = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@functools.cache
def usearch_index_class() -> Any | None:
    """usearch's `Index` class, or None when the `ann` extra is not installed."""
    # usearch 2.26.6's extension carries its own copy of the C++ runtime: imported before ONNX
    # Runtime (the default embedder's), it makes `import onnxruntime` crash the process
    # (segfault, Linux). ONNX Runtime imported first, both work.
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401
    try:
        from usearch.index import Index
    except ImportError:
        return None
    return Index


class HnswVectorIndex(SqliteFile):
    """Inner-product search over L2-normalised vectors: exact when small, HNSW when large."""

    name: ClassVar[str] = "hnsw"
    version: ClassVar[str] = "1"

    def __init__(
        self,
        path: Path,
        *,
        dimensions: int,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        connectivity: int = CONNECTIVITY,
        expansion_add: int = EXPANSION_ADD,
        expansion_search: int = EXPANSION_SEARCH,
        graph_dtype: str = GRAPH_DTYPE,
    ) -> None:
        super().__init__(path, what="vector index")
        if ann_threshold < 0:
            raise ValueError("ann_threshold must be >= 0 (0: always use the graph)")
        self.dimensions = dimensions
        self.ann_threshold = ann_threshold
        self.connectivity = connectivity
        self.expansion_add = expansion_add
        self.expansion_search = expansion_search
        self.graph_dtype = graph_dtype
        self.graph_path = self.path.with_suffix(".usearch")
        self._graph_lock = threading.Lock()
        self._reset_memory()

    @classmethod
    def from_settings(cls, settings: Settings, *, vector_set: str, dimensions: int) -> Self:
        """An unopened index of `vector_set` in the knowledge base's index folder, with the
        threshold from `index.ann_threshold` and the search list from `index.ann_search_list`."""
        return cls(
            vector_index_file(settings, vector_set),
            dimensions=dimensions,
            ann_threshold=settings.index.ann_threshold,
            expansion_search=settings.index.ann_search_list or EXPANSION_SEARCH,
        )

    def _reset_memory(self) -> None:
        d = self.dimensions
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._meta: list[tuple[str, str, str]] = []  # passage_id, document_id, source_id
        self._kind_codes: dict[str, int] = {}
        self._source_codes: dict[str, int] = {}  # lower-cased source → code
        self._keys: Keys = np.zeros(0, dtype=np.int64)  # ascending, one per row
        self._matrix = np.zeros((0, d), dtype=np.float32)
        self._kind_col = np.zeros(0, dtype=np.int32)
        self._source_col = np.zeros(0, dtype=np.int32)  # -1: no source
        self._year_col = np.zeros(0, dtype=np.int64)
        self._has_year: Mask = np.zeros(0, dtype=bool)
        self._alive: Mask = np.zeros(0, dtype=bool)
        self._alive_count = 0
        self._pending: list[tuple[Keys, Vector, list[int], list[int], list[int | None]]] = []
        self._graph: Any | None = None  # a usearch Index, once loaded or built
        self._graph_dirty = False  # the loaded graph differs from the saved file
        self._graph_removed = 0  # removals the loaded graph has absorbed since it was built
        self._changed = False  # units added or removed while no graph was loaded
        self._warned = False

    # -- opening and loading -----------------------------------------------------------------

    def open(self) -> None:
        fresh = not self.path.exists()
        self._connect(_SCHEMA)
        self.conn.execute(_META_SCHEMA)
        if fresh:
            self._adopt_exact_vectors()
        self._check_dimensions()
        self._load()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self.flush()
            except OSError as exc:  # derived data: the next open rebuilds what is missing
                logger.warning("%s: could not save the HNSW graph: %s", self.graph_path, exc)
        super().close()
        self._reset_memory()

    def __len__(self) -> int:
        return self._alive_count

    def _get_meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, name: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def _check_dimensions(self) -> None:
        """Vectors stored at another dimension are dropped (the next sync re-embeds them)."""
        stored = self._get_meta("dimensions")
        if stored == str(self.dimensions):
            return
        if stored is not None:
            logger.warning(
                "%s: vectors have %s dimensions, the embedder %d; rebuilding",
                self.path,
                stored,
                self.dimensions,
            )
            self.conn.execute("DELETE FROM units")
            self.graph_path.unlink(missing_ok=True)
        self._set_meta("dimensions", str(self.dimensions))

    def _adopt_exact_vectors(self) -> None:
        """Start a new file from the exact (`numpy`) index's vectors for the same embedder.

        Switching `index.vectors` from `numpy` to this backend then costs no re-embedding: the
        file names differ only in the backend's name, and the rows are the same.
        """
        prefix = f"vectors-{self.name}-"
        if not self.path.name.startswith(prefix):
            return
        sibling = self.path.with_name("vectors-numpy-" + self.path.name.removeprefix(prefix))
        if not sibling.exists():
            return
        conn = self.conn
        conn.execute("ATTACH DATABASE ? AS exact", (str(sibling),))
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                f"INSERT INTO units ({_COLUMNS}) SELECT {_COLUMNS} FROM exact.units"
                " WHERE length(vector) = ? ORDER BY rowid",
                (self.dimensions * 4,),
            )
            self._set_meta("dimensions", str(self.dimensions))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("DETACH DATABASE exact")

    def _load(self) -> None:
        self._reset_memory()
        rows = self.conn.execute(f"SELECT key, {_COLUMNS} FROM units ORDER BY key").fetchall()
        if not rows:
            return
        keys = np.array([row[0] for row in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(row[8] for row in rows), dtype=np.float32)
        self._append(
            keys,
            matrix.reshape(len(rows), self.dimensions).copy(),
            [(row[1], row[2], row[3], row[4], row[5], row[6], row[7]) for row in rows],
        )
        self._consolidate()

    def _append(
        self,
        keys: Keys,
        vectors: Vector,
        facts: Sequence[tuple[str, str, str, str, str, int | None, str | None]],
    ) -> None:
        """Record rows in memory; facts are (unit_id, passage_id, document_id, source_id, kind,
        year, source)."""
        kinds, sources, years = [], [], []
        for unit_id, passage_id, document_id, source_id, kind, year, source in facts:
            self._rows[unit_id] = len(self._ids)
            self._ids.append(unit_id)
            self._meta.append((passage_id, document_id, source_id))
            kinds.append(self._kind_codes.setdefault(kind, len(self._kind_codes)))
            if source is None:
                sources.append(-1)
            else:
                sources.append(
                    self._source_codes.setdefault(source.lower(), len(self._source_codes))
                )
            years.append(year)
        self._pending.append((keys, vectors, kinds, sources, years))
        self._alive_count += len(keys)

    def _consolidate(self) -> None:
        """Fold rows added since the last search into the arrays (amortises copies)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._keys = np.concatenate([self._keys, *(block[0] for block in pending)])
        self._matrix = np.vstack([self._matrix, *(block[1] for block in pending)])
        self._kind_col = np.concatenate(
            [self._kind_col, *(np.array(block[2], dtype=np.int32) for block in pending)]
        )
        self._source_col = np.concatenate(
            [self._source_col, *(np.array(block[3], dtype=np.int32) for block in pending)]
        )
        years = [year for block in pending for year in block[4]]
        self._year_col = np.concatenate(
            [self._year_col, np.array([y or 0 for y in years], dtype=np.int64)]
        )
        self._has_year = np.concatenate(
            [self._has_year, np.array([y is not None for y in years], dtype=bool)]
        )
        self._alive = np.concatenate([self._alive, np.ones(len(years), dtype=bool)])

    # -- updates -----------------------------------------------------------------------------

    def add(self, entries: Sequence[IndexEntry], vectors: Vector) -> int:
        if len(entries) != len(vectors):
            raise ValueError(f"{len(entries)} entries but {len(vectors)} vectors")
        if len(entries) == 0:
            return 0
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimensions:
            raise ValueError(
                f"vectors have {vectors.shape[-1]} dimensions, index has {self.dimensions}"
            )
        self.remove(entry.unit_id for entry in entries if entry.unit_id in self._rows)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Keys are never reused (AUTOINCREMENT), so a graph key always means one vector.
            (last,) = conn.execute(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'units'), 0)"
            ).fetchone()
            keys = np.arange(last + 1, last + 1 + len(entries), dtype=np.int64)
            conn.executemany(
                f"INSERT INTO units (key, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (int(key), e.unit_id, e.passage_id, e.document_id, e.source_id, e.kind,
                     e.year, e.source, vector.tobytes())
                    for key, e, vector in zip(keys, entries, vectors, strict=True)
                ],
            )  # fmt: skip
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._append(
            keys,
            vectors,
            [(e.unit_id, e.passage_id, e.document_id, e.source_id, e.kind, e.year, e.source)
             for e in entries],
        )  # fmt: skip
        if self._graph is not None:
            self._graph.add(keys.astype(np.uint64), vectors)
            self._graph_dirty = True
        else:
            self._changed = True
        return len(entries)

    def remove(self, unit_ids: Iterable[str]) -> int:
        doomed = [unit_id for unit_id in unit_ids if unit_id in self._rows]
        if not doomed:
            return 0
        self._consolidate()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("DELETE FROM units WHERE unit_id = ?", [(u,) for u in doomed])
        conn.execute("COMMIT")
        rows = np.array([self._rows.pop(unit_id) for unit_id in doomed], dtype=np.int64)
        self._alive[rows] = False
        self._alive_count -= len(rows)
        if self._graph is not None:
            self._graph.remove(self._keys[rows].astype(np.uint64))
            self._graph_removed += len(rows)
            self._graph_dirty = True
        else:
            self._changed = True
        return len(doomed)

    def unit_ids(self) -> set[str]:
        return set(self._rows)

    def flush(self) -> None:
        """Save the graph if this process changed it (or changed units it must now cover)."""
        if self._graph is None and not (self._changed and self.uses_graph()):
            return
        graph = self._ensure_graph()
        if graph is not None and self._graph_dirty:
            self._save_graph(graph)

    # -- search ------------------------------------------------------------------------------

    def uses_graph(self) -> bool:
        """Whether searches go through the HNSW graph (the size threshold is reached)."""
        if self.ann_threshold and self._alive_count < self.ann_threshold:
            return False
        if usearch_index_class() is None:
            if not self._warned:
                logger.warning(
                    "%s: %d units, past index.ann_threshold (%d), but usearch is missing; "
                    "searching exactly (%s)",
                    self.path,
                    self._alive_count,
                    self.ann_threshold,
                    ANN_EXTRA_HINT,
                )
                self._warned = True
            return False
        return True

    def search(self, vector: Vector, *, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        self._consolidate()
        if k <= 0 or not self._alive_count:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        allowed = None if filters is None or filters.is_empty else self._mask(filters)
        accepted = self._alive_count if allowed is None else int(allowed.sum())
        k = min(k, accepted)
        if k == 0:
            return []
        found = None
        if self.uses_graph():
            fetch = math.ceil(k * OVERFETCH * self._alive_count / accepted)
            if fetch * EXACT_RATIO <= self._alive_count or allowed is None:
                found = self._graph_search(query, k=k, fetch=fetch, allowed=allowed)
        if found is None:
            found = self._exact_search(
                query, k=k, allowed=self._alive if allowed is None else allowed
            )
        rows, scores = found
        hits = []
        for rank, (row, score) in enumerate(zip(rows.tolist(), scores.tolist(), strict=True), 1):
            passage_id, document_id, source_id = self._meta[row]
            hits.append(
                Hit(
                    passage_id=passage_id,
                    document_id=document_id,
                    score=float(score),
                    rank=rank,
                    retriever=self.name,
                    source_id=source_id,
                    unit_id=self._ids[row],
                )
            )
        return hits

    def _exact_search(
        self, query: Vector, *, k: int, allowed: Mask
    ) -> tuple[npt.NDArray[np.intp], Vector]:
        rows = np.flatnonzero(allowed)
        if len(rows) * 4 < len(allowed):  # a narrow filter: score only the units it accepts
            scores = self._matrix[rows] @ query
        else:
            scores = np.where(allowed, self._matrix @ query, -np.inf).astype(np.float32)
            rows = np.arange(len(allowed))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return rows[top], scores[top]

    def _graph_search(
        self, query: Vector, *, k: int, fetch: int, allowed: Mask | None
    ) -> tuple[npt.NDArray[np.intp], Vector] | None:
        """The graph's candidates, filtered and scored exactly; None when fewer than k survive."""
        graph = self._ensure_graph()
        if graph is None:
            return None
        matches = graph.search(query, min(fetch, self._alive_count))
        keys = np.asarray(matches.keys, dtype=np.int64)
        rows = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        rows = rows[(self._keys[rows] == keys) & self._alive[rows]]
        if allowed is not None:
            rows = rows[allowed[rows]]
        if len(rows) < k:
            return None
        scores = self._matrix[rows] @ query
        order = np.argsort(-scores, kind="stable")[:k]
        return rows[order], scores[order]

    def _mask(self, filters: SearchFilters) -> Mask:
        """`filters.accepts` for every row at once (and only live rows)."""
        mask = self._alive.copy()
        if filters.kinds:
            codes = [self._kind_codes[kind] for kind in filters.kinds if kind in self._kind_codes]
            mask &= np.isin(self._kind_col, codes)
        if filters.year_from is not None:
            mask &= self._has_year & (self._year_col >= filters.year_from)
        if filters.year_to is not None:
            mask &= self._has_year & (self._year_col <= filters.year_to)
        if filters.sources:
            wanted = {source.lower() for source in filters.sources}
            codes = [code for source, code in self._source_codes.items() if source in wanted]
            mask &= np.isin(self._source_col, codes)
        return mask

    # -- the graph ---------------------------------------------------------------------------

    def _signature(self) -> dict[str, Any]:
        return {
            "dimensions": self.dimensions,
            "metric": "ip",
            "dtype": self.graph_dtype,
            "connectivity": self.connectivity,
        }

    def _ensure_graph(self) -> Any | None:
        """The graph, loaded (and brought up to date) or built; None without usearch."""
        if self._graph is not None:
            return self._graph
        with self._graph_lock:  # concurrent first searches (web threads) build it once
            if self._graph is None:
                self._graph = self._load_or_build_graph()
            return self._graph

    def _load_or_build_graph(self) -> Any | None:
        index_class = usearch_index_class()
        if index_class is None:
            return None
        self._consolidate()
        live_keys = self._keys[self._alive]
        graph = self._load_graph(index_class)
        if graph is not None:
            present = np.asarray(graph.keys[0 : len(graph)], dtype=np.int64)
            extra = np.setdiff1d(present, live_keys, assume_unique=True)
            missing = np.setdiff1d(live_keys, present, assume_unique=True)
            stale = len(extra) + len(missing) + self._graph_removed
            if stale > REBUILD_SHARE * max(len(live_keys), 1):
                graph = None
            else:
                if len(extra):
                    graph.remove(extra.astype(np.uint64))
                    self._graph_removed += len(extra)
                if len(missing):
                    rows = np.searchsorted(self._keys, missing)
                    graph.add(missing.astype(np.uint64), self._matrix[rows])
                self._graph_dirty = bool(len(extra) or len(missing))
        if graph is None:
            graph = self._build_graph(index_class, live_keys)
        self._changed = False
        return graph

    def _new_graph(self, index_class: Any) -> Any:
        return index_class(
            ndim=self.dimensions,
            metric="ip",
            dtype=self.graph_dtype,
            connectivity=self.connectivity,
            expansion_add=self.expansion_add,
            expansion_search=self.expansion_search,
        )

    def _build_graph(self, index_class: Any, live_keys: Keys) -> Any:
        graph = self._new_graph(index_class)
        if len(live_keys):
            graph.add(live_keys.astype(np.uint64), self._matrix[self._alive])
        self._graph_removed = 0
        self._graph_dirty = True
        return graph

    def _load_graph(self, index_class: Any) -> Any | None:
        """The saved graph if this file wrote it with the current parameters, else None."""
        stamp = self._get_meta("graph")
        if stamp is None or not self.graph_path.exists():
            return None
        recorded = json.loads(stamp)
        if recorded != self._stamp(self.graph_path):
            return None  # written by someone else (another embedder's index?), or half-saved
        try:
            metadata = index_class.metadata(os.fspath(self.graph_path))
            if metadata is None or metadata["dimensions"] != self.dimensions:
                return None
            graph = self._new_graph(index_class)
            graph.load(os.fspath(self.graph_path))
        except (RuntimeError, ValueError, OSError) as exc:
            logger.warning("%s: unreadable HNSW graph, rebuilding: %s", self.graph_path, exc)
            return None
        if graph.ndim != self.dimensions or graph.connectivity != self.connectivity:
            return None
        graph.expansion_add = self.expansion_add
        graph.expansion_search = self.expansion_search
        self._graph_removed = int(metadata.get("count_deleted", 0))
        return graph

    def _stamp(self, path: Path) -> dict[str, Any]:
        status = path.stat()
        return {
            "signature": self._signature(),
            "size": status.st_size,
            "mtime_ns": status.st_mtime_ns,
            "inode": status.st_ino,
        }

    def _save_graph(self, graph: Any) -> None:
        if self._graph_removed > REBUILD_SHARE * max(len(graph), 1):
            index_class = usearch_index_class()
            graph = self._graph = self._build_graph(index_class, self._keys[self._alive])
        temporary = self.graph_path.with_name(f"{self.graph_path.name}.{os.getpid()}.tmp")
        try:
            graph.save(os.fspath(temporary))
            stamp = self._stamp(temporary)  # a rename keeps size, mtime and inode
            os.replace(temporary, self.graph_path)
        finally:
            temporary.unlink(missing_ok=True)
        self._set_meta("graph", json.dumps(stamp, sort_keys=True))
        self._graph_dirty = False
