"""`PgvectorIndex`: nearest-neighbour search with pgvector's HNSW index, in the store's database,
so that every host serving the knowledge base searches one shared vector index.

Each set of vectors (one embedder version and window size, as the file-based indexes key their
files) is a table in the knowledge base's schema: one row per unit with the filter facts and its
vector, stored as `halfvec` (half precision: half the space, the same ranking on SciFact —
docs/benchmarks.md) or `vector`, and an HNSW index with the cosine operator class. Rows are
added and removed in place; pgvector keeps the graph up to date on every insert and delete.

Filters are honoured exactly: pgvector's iterative scan (`strict_order`) keeps walking the graph
until `k` rows pass the filter; when it still finds fewer (a filter so narrow that the walk gives
up), the search is repeated without the graph, over every accepted row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from bedside.domain import Hit
from bedside.errors import ConfigError, StoreError
from bedside.index.base import IndexEntry, SearchFilters, Vector
from bedside.index.postgresql_filters import filter_sql
from bedside.store.postgresql import ServerConnection, describe_url, identifier, schema_name

if TYPE_CHECKING:
    import psycopg

    from bedside.config import Settings

_LOCK_CLASS = 25188_5  # advisory lock class of the vector writers (see store/postgresql.py)
# Graph parameters (benchmarks/pgvector_index.py, docs/benchmarks.md): pgvector's defaults for
# the build (m = 16, ef_construction = 64); a candidate list of 200 while searching, and never
# fewer than OVERFETCH × the k asked (hybrid retrieval asks for 300): with a list of k,
# recall@300 against exact search was 0.975 on SciFact. A list of 100 reached recall@10 0.993 on
# SciFact's 18,007 windows but falls as the table grows: on 50,000 synthetic vectors of the real
# dimension (`--synthetic 50000`, 2026-12-03) 0.966, under the 0.98 target; 200 gave 0.992 (p50
# 8.1 against 5.1 ms at k=10 on a loaded 2-core machine). ef_construction 128 gave 0.994 at 200
# (0.974 at 100) for twice the build time (425 against 220 s), so the build stays at 64; raising
# ef_search costs no rebuild, and a k=300 search uses a list of 600 either way. pgvector caps
# the list at 1000; past that its iterative scan goes on walking the graph.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 200
OVERFETCH = 2
_MAX_EXPANSION_SEARCH = 1000
STORAGE_TYPES = ("halfvec", "vector")
DEFAULT_STORAGE = "halfvec"
# Units added by one process before the planner statistics are refreshed (or a fifth of the
# table, whichever is more), as the `postgresql-fts` index does.
_ANALYZE_AFTER_UNITS = 1000
_COLUMNS = ("unit_id", "passage_id", "document_id", "source_id", "kind", "year", "source")


def table_name(storage: str, vector_set: str) -> str:
    """The table of one vector set: a plain lower-case identifier, hashed when too long."""
    return identifier(re.sub(r"[^a-z0-9_]+", "_", f"vectors_{storage}_{vector_set}".lower()))


def index_name(table: str) -> str:
    """The HNSW index of `table`: `<table>_hnsw`, hashed when too long (cut short by the
    server, a 63-byte table's index would take the table's own name)."""
    return identifier(f"{table}_hnsw")


def vector_literal(vector: Vector) -> str:
    """pgvector's text form of one vector; nine significant digits round-trip a float32."""
    return "[" + ",".join(format(value, ".9g") for value in vector.tolist()) + "]"


class PgvectorIndex:
    """Cosine search over L2-normalised vectors with pgvector's HNSW index, in PostgreSQL."""

    name: ClassVar[str] = "pgvector"
    version: ClassVar[str] = "1"
    # Its data is in the store's database, not in a file under `<home>/kb/<kb>.index/`.
    keeps_file: ClassVar[bool] = False

    def __init__(
        self,
        url: str,
        *,
        schema: str = "default",
        vector_set: str,
        dimensions: int,
        storage: str = DEFAULT_STORAGE,
        connectivity: int = CONNECTIVITY,
        expansion_add: int = EXPANSION_ADD,
        expansion_search: int = EXPANSION_SEARCH,
    ) -> None:
        if storage not in STORAGE_TYPES:
            raise ValueError(f"storage must be one of {', '.join(STORAGE_TYPES)}, not {storage!r}")
        self.url = url
        self.schema = schema
        self.dimensions = dimensions
        self.storage = storage
        self.connectivity = connectivity
        self.expansion_add = expansion_add
        self.expansion_search = expansion_search
        self.table = table_name(storage, vector_set)
        self._link = ServerConnection(url, schema=schema, what="vector index")
        self._search_path = ""
        self._added_since_analyze = 0
        self._expansion_in_use = 0

    @classmethod
    def from_settings(cls, settings: Settings, *, vector_set: str, dimensions: int) -> Self:
        """An unopened index of `vector_set` in the schema of the PostgreSQL store of settings."""
        if settings.store.backend != "postgresql" or settings.store.url is None:
            raise ConfigError(
                "setting 'index.vectors': the pgvector index lives in the store's database; "
                'it needs store.backend = "postgresql" and store.url'
            )
        return cls(
            settings.store.url.get_secret_value(),
            schema=schema_name(settings.store.kb),
            vector_set=vector_set,
            dimensions=dimensions,
            expansion_search=settings.index.ann_search_list or EXPANSION_SEARCH,
        )

    @classmethod
    def is_built(cls, settings: Settings, *, vector_set: str) -> bool:
        """Whether the knowledge base of settings holds vectors of `vector_set` (without an
        embedder to say their dimensions)."""
        index = cls.from_settings(settings, vector_set=vector_set, dimensions=0)
        index._link.open()
        try:
            return index._table_exists() and not index.is_empty()
        finally:
            index.close()

    @property
    def location(self) -> str:
        return f"{describe_url(self.url)} (schema {self.schema}, table {self.table})"

    # -- opening -----------------------------------------------------------------------------

    def open(self) -> None:
        self._link.setup = None
        self._link.open()
        # pgvector's types and operators live in the extension's schema, which the store's
        # search path (the knowledge base's schema alone) does not reach; this index's own
        # tables are always named with their schema.
        self._search_path = f'"{self.schema}", "{self._extension_schema()}"'
        self._set_up(self.conn)
        self._link.setup = self._set_up  # again on every new connection
        if self._table_exists():
            self._check_dimensions()
        else:
            with self._writing():  # two processes creating the table at once would collide
                self._create_table()

    def _set_up(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        """The connection's settings for searching (a new connection starts without them)."""
        conn.execute("SELECT set_config('search_path', %s, false)", (self._search_path,))
        conn.execute("SET hnsw.iterative_scan = strict_order")
        self._expansion_in_use = 0

    def close(self) -> None:
        self._link.close()

    @property
    def conn(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The connection; a new one if the server dropped the last (`ServerConnection`)."""
        return self._link.conn

    def _qualified(self, name: str | None = None) -> str:
        return f'"{self.schema}"."{name or self.table}"'

    def _extension_schema(self) -> str:
        """The schema pgvector is installed in, installing it if this role may."""
        import psycopg

        find = (
            "SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension"
            " WHERE extname = 'vector'"
        )
        row = self.conn.execute(find).fetchone()
        if row is not None:
            return str(row[0]).strip('"')
        try:
            # One database, one extension: two knowledge bases opened at once must not both
            # create it (the second would fail on a duplicate key), hence a lock for the database.
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (_LOCK_CLASS,))
                row = self.conn.execute(find).fetchone()
                if row is not None:
                    return str(row[0]).strip('"')
                self.conn.execute("CREATE EXTENSION vector SCHEMA public")
        except psycopg.Error as error:
            raise StoreError(
                f"{describe_url(self.url)}: the pgvector extension is not installed in this "
                "database and this role cannot install it; as a superuser, run "
                f"CREATE EXTENSION vector; ({error})"
            ) from error
        return "public"

    def _table_exists(self) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = %s",
            (self.schema, self.table),
        ).fetchone()
        return row is not None

    def _create_table(self) -> None:
        if self._table_exists():  # made by another process while this one waited for the lock
            self._check_dimensions()
            return
        column_type = f"{self.storage}({int(self.dimensions)})"
        self.conn.execute(
            f"CREATE TABLE {self._qualified()} ("
            " unit_id text PRIMARY KEY, passage_id text NOT NULL, document_id text NOT NULL,"
            " source_id text NOT NULL, kind text NOT NULL, year integer, source text,"
            f" embedding {column_type} NOT NULL)"
        )
        self.conn.execute(
            f'CREATE INDEX "{index_name(self.table)}" ON {self._qualified()}'
            f" USING hnsw (embedding {self.storage}_cosine_ops)"
            f" WITH (m = {int(self.connectivity)}, ef_construction = {int(self.expansion_add)})"
        )

    def _check_dimensions(self) -> None:
        row = self.conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = 'embedding'",
            (self._qualified(),),
        ).fetchone()
        wanted = f"{self.storage}({self.dimensions})"
        if row is None or row[0] != wanted:
            raise StoreError(
                f"{self.location}: the table holds {row[0] if row else 'no'} vectors, the "
                f"embedder gives {wanted}; drop the table to rebuild it"
            )

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A transaction holding the index's write lock (one writer per knowledge base)."""
        with self._link.transaction() as conn:
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_CLASS, self.schema)
            )
            yield

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
        columns = ", ".join((*_COLUMNS, "embedding"))
        with self._writing():
            self._delete([entry.unit_id for entry in entries])
            with self.conn.cursor().copy(
                f"COPY {self._qualified()} ({columns}) FROM STDIN"
            ) as copy:
                for e, vector in zip(entries, vectors, strict=True):
                    copy.write_row(
                        (e.unit_id, e.passage_id, e.document_id, e.source_id, e.kind, e.year,
                         e.source, vector_literal(vector))
                    )  # fmt: skip
        self._refresh_statistics(added=len(entries))
        return len(entries)

    def _refresh_statistics(self, *, added: int) -> None:
        """Let the planner know the table grew: with statistics from an empty table it may
        scan every row instead of walking the graph."""
        self._added_since_analyze += added
        if self._added_since_analyze >= max(_ANALYZE_AFTER_UNITS, self._estimated_rows() // 5):
            self.conn.execute(f"ANALYZE {self._qualified()}")
            self._added_since_analyze = 0

    def remove(self, unit_ids: Iterable[str]) -> int:
        with self._writing():
            return self._delete(list(unit_ids))

    def _delete(self, unit_ids: Sequence[str]) -> int:
        cursor = self.conn.execute(
            f"DELETE FROM {self._qualified()} WHERE unit_id = ANY(%s)", (list(unit_ids),)
        )
        return cursor.rowcount

    def unit_ids(self) -> set[str]:
        return {
            str(row[0]) for row in self.conn.execute(f"SELECT unit_id FROM {self._qualified()}")
        }

    def _estimated_rows(self) -> int:
        """The planner's row count (as of the last ANALYZE): free, where count(*) scans."""
        row = self.conn.execute(
            "SELECT reltuples FROM pg_catalog.pg_class WHERE oid = %s::regclass",
            (self._qualified(),),
        ).fetchone()
        return max(int(row[0]), 0) if row else 0

    def is_empty(self) -> bool:
        row = self.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self._qualified()})").fetchone()
        return bool(row and row[0])

    # -- search ------------------------------------------------------------------------------

    def search(self, vector: Vector, *, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        if k <= 0:
            return []
        query = vector_literal(np.asarray(vector, dtype=np.float32).reshape(-1))
        where, parameters = filter_sql(filters)
        sql = (
            "SELECT unit_id, passage_id, document_id, source_id,"
            f" 1 - (embedding <=> %(query)s::{self.storage}) AS score"
            f" FROM {self._qualified()} WHERE true {where}"
            f" ORDER BY embedding <=> %(query)s::{self.storage} LIMIT %(k)s"
        )
        parameters.update(query=query, k=k)
        self._use_expansion(k)
        rows = self.conn.execute(sql, parameters).fetchall()
        if len(rows) < k:
            # The graph walk gave up before k rows passed the filter (or there are fewer than
            # k): without the graph, every accepted row is scored.
            with self._link.transaction() as conn:
                conn.execute("SET LOCAL enable_indexscan = off")
                rows = conn.execute(sql, parameters).fetchall()
        # Equal scores in unit order, as the other indexes break ties (pgvector's index scan
        # cannot order by a second key).
        rows.sort(key=lambda row: (-row[4], row[0]))
        return [
            Hit(
                passage_id=passage_id,
                document_id=document_id,
                score=float(score),
                rank=rank,
                retriever=self.name,
                source_id=source_id,
                unit_id=unit_id,
            )
            for rank, (unit_id, passage_id, document_id, source_id, score) in enumerate(rows, 1)
        ]

    def _use_expansion(self, k: int) -> None:
        """The graph's candidate list: never fewer than OVERFETCH × k (pgvector returns at most
        that many rows before its iterative scan), at most pgvector's limit."""
        wanted = min(max(self.expansion_search, OVERFETCH * k), _MAX_EXPANSION_SEARCH)
        if wanted != self._expansion_in_use:
            self.conn.execute("SELECT set_config('hnsw.ef_search', %s, false)", (str(wanted),))
            self._expansion_in_use = wanted
