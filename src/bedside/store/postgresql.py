"""`PostgresqlStore`: a knowledge base kept in one schema of a PostgreSQL database (psycopg 3).

Several Bedside processes, on several hosts, may share it. Where the SQLite store relies on
SQLite's single writer (BEGIN IMMEDIATE), this one takes PostgreSQL advisory locks, held until
the transaction ends: one for migrations, one for document versions, one for the editorial
writes of `transaction()`. Each lock is per schema, so knowledge bases never wait on each other.

The server may go away (restarted, failed over, killed) and come back: every connection here
(the store's and the PostgreSQL indexes') is a `ServerConnection`, replaced once the server has
dropped it, and any failure of the server to answer is a `StoreError`, which the web app reports
as a 503 (docs/deployment.md, "When the database goes away").
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Self

try:
    import psycopg
    from psycopg import sql
    from psycopg.abc import Params, Query, QueryNoTemplate
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    from psycopg.pq import TransactionStatus
except ImportError as error:  # the `postgresql` extra is opt-in
    raise ImportError(
        "the postgresql store needs psycopg: pip install 'bedside[postgresql]'"
    ) from error

from bedside.domain import Document, IngestOutcome, KbStats, Passage, PassageContext
from bedside.errors import ConfigError, NotFoundError, StoreError
from bedside.store.base import FileRecord, StoredAnswer, StoredEvent, StoredSession, StoredUser
from bedside.store.migration_files import Migration, load_migration_files
from bedside.store.rows import (
    ANSWER_INSERT_COLUMNS,
    DOCUMENT_COLUMNS,
    DOCUMENT_INSERT_COLUMNS,
    EVENT_COLUMNS,
    PASSAGE_COLUMNS,
    SESSION_COLUMNS,
    USER_COLUMNS,
    answer_record,
    answer_row,
    document_from_row,
    document_row,
    now_iso,
    passage_from_row,
    passage_row,
    placeholders,
    prefixed,
    record_json,
    user_from_row,
)

if TYPE_CHECKING:
    from bedside.config import Settings

# PostgreSQL keeps at most 63 bytes of a name and cuts longer ones short with only a notice: two
# knowledge bases whose names differ past that would share one schema.
_MAX_IDENTIFIER = 63


def identifier(name: str) -> str:
    """`name` if PostgreSQL keeps it whole (at most 63 bytes); else its first 50 bytes and 12
    hex digits of its sha256, so that names differing only past the limit stay apart and the
    same name always maps to the same identifier."""
    encoded = name.encode()
    if len(encoded) <= _MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(encoded).hexdigest()[:12]
    head = encoded[: _MAX_IDENTIFIER - 13].decode(errors="ignore")  # no character cut in two
    return f"{head}_{digest}"


def schema_name(kb: str) -> str:
    """The schema of knowledge base `kb`: its name, or `identifier`'s hashed form past 63
    bytes."""
    return identifier(kb)


# Advisory lock classes (the first of the two int4 keys; the second is the schema's hash).
_MIGRATION_LOCK = 25188_1
_DOCUMENTS_LOCK = 25188_2
_EDITORIAL_LOCK = 25188_3
# (25188_4 is the `postgresql-fts` keyword index's, in bedside.index.postgresql_fts.)

# Rows fetched per round trip when iterating a whole table: memory stays bounded, and the
# connection stays free for other queries between pages (as a SQLite cursor allows).
_PAGE_ROWS = 2000

_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({DOCUMENT_INSERT_COLUMNS})"
    f" VALUES ({placeholders(DOCUMENT_INSERT_COLUMNS, '%s')})"
)
_INSERT_PASSAGE = (
    f"INSERT INTO passages ({PASSAGE_COLUMNS}) VALUES ({placeholders(PASSAGE_COLUMNS, '%s')})"
)


def load_migrations() -> list[Migration]:
    """The numbered SQL migrations of the PostgreSQL store, in order (numbered as SQLite's)."""
    return load_migration_files("postgresql")


def describe_url(url: str) -> str:
    """`url` without its password (and without any other parameter), for messages."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise ConfigError(f"setting 'store.url': not a valid PostgreSQL URL: {error}") from None
    user = f"{parts['user']}@" if parts.get("user") else ""
    host, dbname = str(parts.get("host") or ""), str(parts.get("dbname") or "")
    if host.startswith("/"):  # a Unix socket's folder
        return f"postgresql://{user}/{dbname}?host={host}"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{dbname}"


# Seconds a connection may take to be made when `store.url` sets no `connect_timeout`: past
# that, the request that needed it fails (a 503 on the web) instead of waiting on.
CONNECT_TIMEOUT_S = 10
# A connection unused for longer than this is checked (an empty query, as psycopg_pool's
# `check_connection` does) before it is used again: a server restarted while it sat idle costs
# no request an error. A connection in use is not checked; one that fails is replaced anyway.
CHECK_AFTER_IDLE_S = 1.0
# When this process last found a connection dropped by the server (`time.monotonic()`): every
# connection not used since is checked before its next use, however short the outage was.
_last_dropped = 0.0


def _note_dropped() -> None:
    global _last_dropped
    _last_dropped = time.monotonic()


def unavailable(error: psycopg.Error, where: str = "PostgreSQL") -> StoreError:
    """The `StoreError` for a server that could not be reached or stopped answering."""
    return StoreError(f"{where}: the database server is unavailable: {error}")


class _Cursor(psycopg.Cursor[Any]):
    """psycopg's cursor, reporting a server that went away or cannot serve the statement now
    (an `OperationalError`: connection lost, shut down, out of resources, a deadlock) as a
    `StoreError`; an integrity or programming error is passed on as it is."""

    def execute(  # type: ignore[override]  # no t-string templates here: one signature
        self,
        query: QueryNoTemplate,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except psycopg.OperationalError as error:
            if self.connection.broken:
                _note_dropped()
            raise unavailable(error) from error

    def executemany(
        self, query: Query, params_seq: Iterable[Params], *, returning: bool = False
    ) -> None:
        try:
            super().executemany(query, params_seq, returning=returning)
        except psycopg.OperationalError as error:
            if self.connection.broken:
                _note_dropped()
            raise unavailable(error) from error


def connect(
    url: str, *, schema: str, connect_timeout_s: int = CONNECT_TIMEOUT_S
) -> psycopg.Connection[tuple[Any, ...]]:
    """An autocommit connection that sees only `schema` (a knowledge base); `StoreError`
    naming the server, never the password, when it cannot be made. A `connect_timeout` in the
    URL wins over `connect_timeout_s`."""
    where = f"{describe_url(url)} (schema {schema})"
    if "connect_timeout" not in conninfo_to_dict(url):
        url = make_conninfo(url, connect_timeout=connect_timeout_s)
    try:
        conn = psycopg.connect(
            url, autocommit=True, application_name="bedside", cursor_factory=_Cursor
        )
    except psycopg.Error as error:
        raise StoreError(f"{where}: cannot connect to PostgreSQL: {error}") from error
    # Only this knowledge base's schema: an unqualified table name never reaches another.
    try:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    except BaseException:
        conn.close()
        raise
    return conn


class ServerConnection:
    """One connection to a knowledge base's schema that outlives restarts of the server.

    psycopg marks a connection `broken` once the server has dropped it. The next use outside a
    transaction (`held`) makes a new one, set up again by `setup`; inside one, it is a
    `StoreError`: the server rolled the transaction back, and the writes after it must not go
    to a new connection outside the transaction. A connection is checked before use (an empty
    query) when it has been idle for `CHECK_AFTER_IDLE_S`, or has not been used since this
    process last found one dropped: then a restart of the server costs no request an error once
    it is back, however short it was. While the server is away every use fails at once (or within
    the connect timeout), as a `StoreError`, and the first use after it returns connects again.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str,
        what: str,
        connect_timeout_s: int = CONNECT_TIMEOUT_S,
        setup: Callable[[psycopg.Connection[tuple[Any, ...]]], None] | None = None,
    ) -> None:
        self.url = url
        self.schema = schema
        self.what = what
        self.connect_timeout_s = connect_timeout_s
        self.setup = setup
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None
        self._held = 0
        self._used_at = 0.0

    @property
    def location(self) -> str:
        return f"{describe_url(self.url)} (schema {self.schema})"

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def open(self) -> None:
        self.close()
        self._conn = self._connect()

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        conn = connect(self.url, schema=self.schema, connect_timeout_s=self.connect_timeout_s)
        try:
            if self.setup is not None:
                self.setup(conn)
        except BaseException:
            conn.close()
            raise
        self._used_at = time.monotonic()
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The connection, replaced first if the server dropped it."""
        conn = self._conn
        if conn is None:
            raise StoreError(f"{self.location}: {self.what} is not open")
        if self._held:
            if conn.broken:
                raise StoreError(
                    f"{self.location}: the connection to the database server was lost in the "
                    "middle of a transaction; the server rolled it back"
                )
            return conn
        now = time.monotonic()
        unchecked = self._used_at < _last_dropped or now - self._used_at > CHECK_AFTER_IDLE_S
        if not conn.broken and unchecked:
            try:
                conn.execute("")  # psycopg_pool's check: one round trip, no statement run
            except StoreError:
                if not conn.broken:
                    raise
        if conn.broken:
            # Still the broken one if this fails: the next use tries again.
            conn = self._conn = self._connect()
        self._used_at = now
        return conn

    @contextmanager
    def held(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        """The connection, not replaced until the block ends (a transaction runs on it)."""
        conn = self.conn
        self._held += 1
        try:
            yield conn
        finally:
            self._held -= 1

    @contextmanager
    def transaction(self, begin: str = "BEGIN") -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        """A transaction on the connection: committed at the end of the block, rolled back if
        it raises (unless the server dropped the connection, which rolls it back itself)."""
        with self.held() as conn:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                if not conn.broken:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


class PostgresqlStore:
    """A `Store` in a PostgreSQL schema, shared by every process that connects to it."""

    name = "postgresql"

    def __init__(self, url: str, *, schema: str = "default", connect_timeout_s: int = 10) -> None:
        self.url = url
        self.schema = schema
        self.connect_timeout_s = connect_timeout_s
        self._link = ServerConnection(
            url, schema=schema, what="store", connect_timeout_s=connect_timeout_s
        )
        self._bulk_commit_every = 0
        self._bulk_pending = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> PostgresqlStore:
        if settings.store.url is None:
            raise ConfigError("setting 'store.url': the postgresql store needs a URL")
        return cls(settings.store.url.get_secret_value(), schema=schema_name(settings.store.kb))

    @property
    def location(self) -> str:
        return f"{describe_url(self.url)} (schema {self.schema})"

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self, *, migrate_to: int | None = None) -> None:
        self._link.open()
        self.migrate(target=migrate_to)

    def close(self) -> None:
        self._link.close()

    def __enter__(self) -> PostgresqlStore:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The connection; a new one if the server dropped the last (see `ServerConnection`)."""
        return self._link.conn

    def _sql(self, template: str, identifier: str) -> sql.Composed:
        return sql.SQL(template).format(sql.Identifier(identifier))

    def _lock(self, lock_class: int) -> None:
        self.conn.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (lock_class, self.schema)
        )

    def _in_transaction(self) -> bool:
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def _atomic(self, savepoint: str) -> Iterator[None]:
        """A transaction, or a savepoint of the one already open. Either way the connection is
        not replaced inside: a lost connection fails the whole transaction, which the server
        rolls back, and nothing after it is written outside the transaction."""
        if not self._in_transaction():
            with self._link.transaction():
                yield
            return
        with self._link.held() as conn:
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield
            except BaseException:
                if not conn.broken:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")

    # -- migrations --------------------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.conn.execute(
            "SELECT 1 FROM pg_catalog.pg_tables"
            " WHERE schemaname = %s AND tablename = 'schema_migrations'",
            (self.schema,),
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT max(number) FROM schema_migrations").fetchone()
        return int(row[0] or 0) if row else 0

    def migrate(self, *, target: int | None = None) -> list[int]:
        """Apply pending migrations up to `target` (default: all); return the numbers applied."""
        migrations = load_migrations()
        latest = migrations[-1].number if migrations else 0
        target = latest if target is None else target
        current = self.schema_version()
        if current > latest:
            raise StoreError(
                f"{self.location}: knowledge base schema version {current} is newer than this "
                f"version of Bedside supports ({latest}); upgrade Bedside"
            )
        # An up-to-date schema is opened without a lock or DDL, so a role without the right to
        # create anything can use it.
        return [
            migration.number
            for migration in migrations
            if current < migration.number <= target and self._apply(migration)
        ]

    def _apply(self, migration: Migration) -> bool:
        """Apply one migration in its own transaction; False if another process just did."""
        conn = self.conn
        with self._atomic("migration"):
            self._lock(_MIGRATION_LOCK)
            if not conn.execute(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", (self.schema,)
            ).fetchone():
                conn.execute(self._sql("CREATE SCHEMA {}", self.schema))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
            )
            if self.schema_version() >= migration.number:
                return False
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (%s, %s, %s)",
                (migration.number, migration.name, now_iso()),
            )
        return True

    # -- documents ---------------------------------------------------------------------------

    def put_document(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        if self._bulk_commit_every:
            return self._put_in_bulk(document, passages, body=body)
        with self._atomic("put_document"):
            return self._put_document(document, passages, body=body)

    @contextmanager
    def bulk(self, *, commit_every: int = 500) -> Iterator[None]:
        """Group many `put_document` calls into few commits; each document stays atomic.

        Inside, every document is written under its own SAVEPOINT, and the enclosing
        transaction commits every `commit_every` documents and on exit. A process killed
        mid-batch loses only the uncommitted documents, never part of one.
        """
        if self._bulk_commit_every:
            yield
            return
        self._bulk_commit_every = commit_every
        self._bulk_pending = 0
        # Held throughout: a connection lost mid-batch fails every document after it (the
        # server rolled back those since the last commit), none is written on a new one.
        with self._link.held():
            try:
                yield
            finally:
                self._bulk_commit_every = 0
                if self._in_transaction():
                    self.conn.execute("COMMIT")

    def _put_in_bulk(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        if not self._in_transaction():
            self.conn.execute("BEGIN")
        with self._atomic("put_document"):
            outcome = self._put_document(document, passages, body=body)
        self._bulk_pending += 1
        if self._bulk_pending >= self._bulk_commit_every:
            self.conn.execute("COMMIT")
            self._bulk_pending = 0
        return outcome

    def _put_document(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        conn = self.conn
        # Two processes storing a version of the same source must not both make theirs current.
        self._lock(_DOCUMENTS_LOCK)
        current = conn.execute(
            "SELECT document_id FROM documents WHERE document_key = %s AND status = 'current'",
            (document.document_key,),
        ).fetchone()
        if current and current[0] == document.document_id:
            return IngestOutcome.UNCHANGED
        known = conn.execute(
            "SELECT status FROM documents WHERE document_id = %s", (document.document_id,)
        ).fetchone()
        if current:
            conn.execute(
                "UPDATE documents SET status = 'superseded' WHERE document_id = %s", (current[0],)
            )
        if known:
            # The same content came back (an edit was reverted, a deletion undone): the old
            # version becomes current again, so its passage ids keep their meaning.
            conn.execute(
                "UPDATE documents SET status = 'current', superseded_by = NULL"
                " WHERE document_id = %s",
                (document.document_id,),
            )
            self._link_superseded(current, document.document_id)
            return IngestOutcome.UPDATED
        row = conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM documents WHERE document_key = %s",
            (document.document_key,),
        ).fetchone()
        version = int(row[0]) if row else 1
        conn.execute(_INSERT_DOCUMENT, document_row(document, version=version, body=body))
        with conn.cursor() as cursor:
            cursor.executemany(_INSERT_PASSAGE, [passage_row(passage) for passage in passages])
        self._link_superseded(current, document.document_id)
        return IngestOutcome.UPDATED if current else IngestOutcome.ADDED

    def _link_superseded(self, previous: tuple[Any, ...] | None, document_id: str) -> None:
        if previous:
            self.conn.execute(
                "UPDATE documents SET superseded_by = %s WHERE document_id = %s",
                (document_id, previous[0]),
            )

    def delete_document(self, document_key: str) -> bool:
        cursor = self.conn.execute(
            "UPDATE documents SET status = 'deleted'"
            " WHERE document_key = %s AND status = 'current'",
            (document_key,),
        )
        return cursor.rowcount > 0

    def current_document_id(self, document_key: str) -> str | None:
        row = self.conn.execute(
            "SELECT document_id FROM documents WHERE document_key = %s AND status = 'current'",
            (document_key,),
        ).fetchone()
        return str(row[0]) if row else None

    def get_document(self, document_id: str) -> Document:
        row = self.conn.execute(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE document_id = %s", (document_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id!r}")
        return document_from_row(row)

    def get_document_body(self, document_id: str) -> str:
        row = self.conn.execute(
            "SELECT body FROM documents WHERE document_id = %s", (document_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id!r}")
        return str(row[0])

    def get_passage(self, passage_id: str) -> Passage:
        row = self.conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE passage_id = %s", (passage_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no passage with id {passage_id!r}")
        return passage_from_row(row)

    def list_passages(self, document_id: str) -> list[Passage]:
        rows = self.conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE document_id = %s ORDER BY ordinal",
            (document_id,),
        ).fetchall()
        return [passage_from_row(row) for row in rows]

    def _in_pages(
        self, select: str, params: tuple[Any, ...], *, seq: str
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of `select` in `seq` order, a page at a time. `select` selects `seq` first
        (it is not yielded) and ends in a WHERE clause this extends."""
        after = 0
        while True:
            rows = self.conn.execute(
                f"{select} AND {seq} > %s ORDER BY {seq} LIMIT {_PAGE_ROWS}", (*params, after)
            ).fetchall()
            for row in rows:
                yield row[1:]
            if len(rows) < _PAGE_ROWS:
                return
            after = rows[-1][0]

    def iter_current_passages(self) -> Iterator[Passage]:
        rows = self._in_pages(
            f"SELECT p.seq, {prefixed(PASSAGE_COLUMNS, 'p')} FROM passages p"
            " JOIN documents d ON d.document_id = p.document_id WHERE d.status = 'current'",
            (),
            seq="p.seq",
        )
        for row in rows:
            yield passage_from_row(row)

    def iter_current_passage_contexts(self) -> Iterator[PassageContext]:
        rows = self._in_pages(
            f"SELECT p.seq, {prefixed(PASSAGE_COLUMNS, 'p')}, d.source_id, d.title, d.kind,"
            " d.year, d.source FROM passages p JOIN documents d ON d.document_id = p.document_id"
            " WHERE d.status = 'current'",
            (),
            seq="p.seq",
        )
        for row in rows:
            yield PassageContext(passage_from_row(row[:9]), *row[9:])

    def iter_current_documents(self, *, origins: Sequence[str]) -> Iterator[Document]:
        rows = self._in_pages(
            f"SELECT seq, {DOCUMENT_COLUMNS} FROM documents"
            " WHERE status = 'current' AND origin = ANY(%s)",
            (list(origins),),
            seq="seq",
        )
        for row in rows:
            yield document_from_row(row)

    def current_passage_ids(self) -> set[str]:
        rows = self.conn.execute(
            "SELECT p.passage_id FROM passages p JOIN documents d USING (document_id)"
            " WHERE d.status = 'current'"
        )
        return {str(row[0]) for row in rows}

    def stats(self) -> KbStats:
        conn = self.conn
        counts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'current') FROM documents"
        ).fetchone()
        documents, current = counts if counts else (0, 0)
        passages = conn.execute(
            "SELECT count(*) FROM passages p JOIN documents d USING (document_id)"
            " WHERE d.status = 'current'"
        ).fetchone()
        by_kind = conn.execute(
            "SELECT kind, count(*) FROM documents WHERE status = 'current' GROUP BY kind"
        ).fetchall()
        by_origin = conn.execute(
            "SELECT origin, count(*) FROM documents WHERE status = 'current' GROUP BY origin"
        ).fetchall()
        # This knowledge base's tables with their indexes and TOAST, not the whole database.
        size = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind = 'r'",
            (self.schema,),
        ).fetchone()
        return KbStats(
            documents=int(documents),
            current_documents=int(current),
            passages=int(passages[0]) if passages else 0,
            documents_by_kind={str(k): int(v) for k, v in sorted(by_kind)},
            documents_by_origin={str(k): int(v) for k, v in sorted(by_origin)},
            schema_version=self.schema_version(),
            size_bytes=int(size[0]) if size else 0,
        )

    # -- file ledger -------------------------------------------------------------------------

    def find_file(self, *, content_hash: str, reader_key: str) -> FileRecord | None:
        row = self.conn.execute(
            "SELECT path, size_bytes, mtime_ns, content_hash, reader_key, documents"
            " FROM ingested_files WHERE content_hash = %s AND reader_key = %s LIMIT 1",
            (content_hash, reader_key),
        ).fetchone()
        return FileRecord(*row) if row else None

    def record_file(self, record: FileRecord) -> None:
        self.conn.execute(
            "INSERT INTO ingested_files"
            " (path, size_bytes, mtime_ns, content_hash, reader_key, documents, finished_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (path, reader_key) DO UPDATE SET"
            " size_bytes = EXCLUDED.size_bytes, mtime_ns = EXCLUDED.mtime_ns,"
            " content_hash = EXCLUDED.content_hash, documents = EXCLUDED.documents,"
            " finished_at = EXCLUDED.finished_at",
            (
                record.path,
                record.size_bytes,
                record.mtime_ns,
                record.content_hash,
                record.reader_key,
                record.documents,
                now_iso(),
            ),
        )

    def forget_file(self, path: str) -> None:
        self.conn.execute("DELETE FROM ingested_files WHERE path = %s", (path,))

    def check_integrity(self) -> list[str]:
        conn = self.conn
        mismatched = conn.execute(
            "SELECT d.document_id, d.passage_count, count(p.passage_id) FROM documents d"
            " LEFT JOIN passages p USING (document_id)"
            " GROUP BY d.document_id HAVING d.passage_count != count(p.passage_id)"
        ).fetchall()
        problems = [
            f"document {doc_id} expects {want} passages, has {have}"
            for doc_id, want, have in mismatched
        ]
        doubled = conn.execute(
            "SELECT document_key FROM documents WHERE status = 'current'"
            " GROUP BY document_key HAVING count(*) > 1"
        ).fetchall()
        problems += [f"{key} has more than one current version" for (key,) in doubled]
        return problems + self._audit_guard_problems()

    def _audit_guard_problems(self) -> list[str]:
        """The append-only guarantee is three triggers; an owner can drop or disable them."""
        if self.schema_version() < 4:
            return []
        rows = self.conn.execute(
            "SELECT tgname FROM pg_catalog.pg_trigger"
            " WHERE tgrelid = 'audit_events'::regclass AND tgenabled <> 'D'"
        ).fetchall()
        enabled = {str(name) for (name,) in rows}
        wanted = {"audit_events_no_update", "audit_events_no_delete", "audit_events_no_truncate"}
        return [
            f"audit_events is not append-only: trigger {name} is missing or disabled"
            for name in sorted(wanted - enabled)
        ]

    # -- answers --------------------------------------------------------------------------------

    def kb_version(self) -> str:
        # The same four facts as the SQLite store (`seq` standing for its rowid).
        row = self.conn.execute(
            "SELECT count(*), coalesce(max(seq), 0), count(*) FILTER (WHERE status = 'current'),"
            " coalesce(max(ingested_at), '') FROM documents"
        ).fetchone()
        facts = (int(row[0]), int(row[1]), int(row[2]), str(row[3])) if row else ()
        return hashlib.sha256(repr(facts).encode()).hexdigest()[:16]

    def save_answer(self, answer: StoredAnswer) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO answers ({ANSWER_INSERT_COLUMNS})"
                f" VALUES ({placeholders(ANSWER_INSERT_COLUMNS, '%s')})",
                answer_row(answer),
            )
        except psycopg.IntegrityError as error:
            raise StoreError(f"cannot store answer {answer.answer_id!r}: {error}") from error

    def find_answer(
        self,
        *,
        question_key: str,
        audience: str,
        kb_version: str,
        settings_fingerprint: str,
        follow_up_of: str | None,
    ) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record FROM answers WHERE question_key = %s AND audience = %s"
            " AND kb_version = %s AND settings_fingerprint = %s"
            " AND follow_up_of IS NOT DISTINCT FROM %s::text"
            " ORDER BY created_at DESC, seq DESC LIMIT 1",
            (question_key, audience, kb_version, settings_fingerprint, follow_up_of),
        ).fetchone()
        return None if row is None else answer_record(row[0])

    def get_answer(self, answer_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT record FROM answers WHERE answer_id = %s", (answer_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no answer with id {answer_id!r}")
        return answer_record(row[0])

    def answered_questions(
        self, *, limit: int = 500, approved_only: bool = False
    ) -> list[tuple[str, str]]:
        approved = " AND review_status = 'approved'" if approved_only else ""
        rows = self.conn.execute(
            "SELECT answer_id, question FROM answers WHERE kind = 'answer'"
            + approved
            + " ORDER BY created_at DESC, seq DESC LIMIT %s",
            (limit,),
        ).fetchall()
        return [(str(answer_id), str(question)) for answer_id, question in rows]

    def purge_answers(self, *, created_before: str) -> int:
        with self._atomic("purge_answers"):
            cursor = self.conn.execute(
                "DELETE FROM answers WHERE created_at < %s"
                " AND (kind = 'refusal' OR review_status = 'submitted')"
                " AND answer_id NOT IN (SELECT subject_id FROM audit_events)"
                " AND answer_id NOT IN (SELECT subject_id FROM assignments)"
                " AND answer_id NOT IN"
                "  (SELECT follow_up_of FROM answers WHERE follow_up_of IS NOT NULL)"
                " AND answer_id NOT IN"
                "  (SELECT revision_of FROM answers WHERE revision_of IS NOT NULL)",
                (created_before,),
            )
        if not self._in_transaction():
            # PostgreSQL has no secure delete: VACUUM at once prunes the deleted rows (and their
            # TOAST chunks) so that no query or page reader finds them (docs/deployment.md).
            self.conn.execute("VACUUM answers")
        return cursor.rowcount

    # -- review -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside commit together or not at all; nested, it becomes a savepoint.

        The editorial lock is taken first, as SQLite's BEGIN IMMEDIATE takes the write lock:
        what is read inside (a review status about to change) cannot be changed by another
        process before the commit.
        """
        with self._atomic("review_transaction"):
            self._lock(_EDITORIAL_LOCK)
            yield

    def set_answer_review_status(self, answer_id: str, *, status: str, updated_at: str) -> None:
        with self.transaction():
            record = self.get_answer(answer_id)
            record["review"] = {"status": status, "updated_at": updated_at}
            if "last_updated" in record:
                record["last_updated"] = updated_at
            self.conn.execute(
                "UPDATE answers SET review_status = %s, updated_at = %s, record = %s"
                " WHERE answer_id = %s",
                (status, updated_at, record_json(record), answer_id),
            )

    def set_answer_public_text(self, answer_id: str, *, title: str, question: str) -> None:
        with self.transaction():
            record = self.get_answer(answer_id)
            record["title"], record["question"] = title, question
            self.conn.execute(
                "UPDATE answers SET question = %s, record = %s WHERE answer_id = %s",
                (question, record_json(record), answer_id),
            )

    def review_queue(self, statuses: Sequence[str]) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT record FROM answers WHERE kind = 'answer' AND review_status = ANY(%s)"
            " ORDER BY created_at, seq",
            (list(statuses),),
        ).fetchall()
        return [answer_record(row[0]) for row in rows]

    def latest_approved_answer(self, *, question_key: str, audience: str) -> dict[str, Any] | None:
        # Approved is final, so `updated_at` of an approved answer is when it was approved.
        row = self.conn.execute(
            "SELECT record FROM answers WHERE question_key = %s AND audience = %s"
            " AND review_status = 'approved' AND kind = 'answer' AND follow_up_of IS NULL"
            " ORDER BY updated_at DESC, seq DESC LIMIT 1",
            (question_key, audience),
        ).fetchone()
        return None if row is None else answer_record(row[0])

    def revision_of(self, answer_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT revision_of FROM answers WHERE answer_id = %s", (answer_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no answer with id {answer_id!r}")
        return None if row[0] is None else str(row[0])

    # -- users and sign-in sessions -------------------------------------------------------------

    def add_user(self, user: StoredUser) -> None:
        try:
            self.conn.execute(
                "INSERT INTO users (user_id, username, role, password_hash, created_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                (user.user_id, user.username, user.role, user.password_hash, user.created_at),
            )
        except psycopg.IntegrityError as error:
            raise StoreError(f"cannot add user {user.username!r}: {error}") from error

    def get_user_by_name(self, username: str) -> StoredUser | None:
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE username = %s", (username,)
        ).fetchone()
        return None if row is None else user_from_row(row)

    def update_user(
        self,
        username: str,
        *,
        password_hash: str | None = None,
        role: str | None = None,
        disabled: bool | None = None,
    ) -> None:
        changes = {"password_hash": password_hash, "role": role, "disabled": disabled}
        given = {column: value for column, value in changes.items() if value is not None}
        if not given:
            return
        assignments = ", ".join(f"{column} = %s" for column in given)
        cursor = self.conn.execute(
            f"UPDATE users SET {assignments} WHERE username = %s", (*given.values(), username)
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"no user named {username!r}")

    def list_users(self) -> list[StoredUser]:
        rows = self.conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY username")
        return [user_from_row(row) for row in rows]

    def add_session(self, session: StoredSession) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO sign_in_sessions ({SESSION_COLUMNS})"
                f" VALUES ({placeholders(SESSION_COLUMNS, '%s')})",
                (
                    session.token_hash,
                    session.user_id,
                    session.csrf_token,
                    session.started_at,
                    session.seen_at,
                    session.ended_at,
                ),
            )
        except psycopg.IntegrityError as error:
            raise StoreError(f"cannot add a session for {session.user_id!r}: {error}") from error

    def get_session(self, token_hash: str) -> StoredSession | None:
        row = self.conn.execute(
            f"SELECT {SESSION_COLUMNS} FROM sign_in_sessions WHERE token_hash = %s",
            (token_hash,),
        ).fetchone()
        return None if row is None else StoredSession(*row)

    def touch_session(self, token_hash: str, *, seen_at: str) -> None:
        self.conn.execute(
            "UPDATE sign_in_sessions SET seen_at = %s WHERE token_hash = %s", (seen_at, token_hash)
        )

    def end_sessions(self, user_id: str, *, ended_at: str) -> int:
        cursor = self.conn.execute(
            "UPDATE sign_in_sessions SET ended_at = %s WHERE user_id = %s AND ended_at IS NULL",
            (ended_at, user_id),
        )
        return cursor.rowcount

    def list_sessions(self, user_id: str) -> list[StoredSession]:
        rows = self.conn.execute(
            f"SELECT {SESSION_COLUMNS} FROM sign_in_sessions"
            " WHERE user_id = %s AND ended_at IS NULL ORDER BY started_at DESC",
            (user_id,),
        )
        return [StoredSession(*row) for row in rows]

    # -- throttles ------------------------------------------------------------------------------

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None:
        conn = self.conn
        # Under the editorial lock, so two workers cannot both take the last slot.
        with self.transaction():
            # Every key's expired events, not only this one's: nothing outlives its window.
            conn.execute(
                "DELETE FROM throttle_events WHERE scope = %s AND at <= %s", (scope, now - window)
            )
            row = conn.execute(
                "SELECT count(*), min(at) FROM throttle_events WHERE scope = %s AND key = %s",
                (scope, key),
            ).fetchone()
            count, oldest = row if row else (0, None)
            if count < limit:
                conn.execute(
                    "INSERT INTO throttle_events (scope, key, at) VALUES (%s, %s, %s)",
                    (scope, key, now),
                )
        return None if count < limit else float(oldest)

    def record_event(self, scope: str, key: str, *, at: float) -> None:
        self.conn.execute(
            "INSERT INTO throttle_events (scope, key, at) VALUES (%s, %s, %s)", (scope, key, at)
        )

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]:
        rows = self.conn.execute(
            "SELECT at FROM throttle_events WHERE scope = %s AND key = %s AND at >= %s ORDER BY at",
            (scope, key, since),
        )
        return [float(at) for (at,) in rows]

    def clear_events(self, scope: str, key: str) -> None:
        self.conn.execute("DELETE FROM throttle_events WHERE scope = %s AND key = %s", (scope, key))

    def forget_events(self, scope: str, *, before: float) -> None:
        self.conn.execute(
            "DELETE FROM throttle_events WHERE scope = %s AND at < %s", (scope, before)
        )

    # -- audit log, assignments, cards ------------------------------------------------------

    def append_event(self, event: StoredEvent) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO audit_events ({EVENT_COLUMNS})"
                f" VALUES ({placeholders(EVENT_COLUMNS, '%s')})",
                (
                    event.event_id,
                    event.subject_id,
                    event.subject_kind,
                    event.actor,
                    event.action,
                    event.from_status,
                    event.to_status,
                    event.note,
                    event.created_at,
                ),
            )
        except psycopg.errors.UniqueViolation as error:
            raise StoreError(
                f"cannot append audit event {event.event_id!r}: audit_events is append-only: "
                "an event id is never used twice"
            ) from error
        except psycopg.IntegrityError as error:
            raise StoreError(f"cannot append audit event {event.event_id!r}: {error}") from error

    def events_for(self, subject_id: str) -> list[StoredEvent]:
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM audit_events WHERE subject_id = %s"
            " ORDER BY created_at, seq",
            (subject_id,),
        )
        return [StoredEvent(*row) for row in rows]

    def assign(self, subject_id: str, *, assignee: str, assigned_by: str, assigned_at: str) -> None:
        self.conn.execute(
            "INSERT INTO assignments (subject_id, assignee, assigned_by, assigned_at)"
            " VALUES (%s, %s, %s, %s)",
            (subject_id, assignee, assigned_by, assigned_at),
        )

    def assignee_of(self, subject_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT assignee FROM assignments WHERE subject_id = %s"
            " ORDER BY assigned_at DESC, seq DESC LIMIT 1",
            (subject_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def card_review_status(self, card_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT status FROM card_reviews WHERE card_id = %s", (card_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_card_review_status(self, card_id: str, *, status: str, updated_at: str) -> None:
        self.conn.execute(
            "INSERT INTO card_reviews (card_id, status, updated_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (card_id) DO UPDATE SET status = EXCLUDED.status,"
            " updated_at = EXCLUDED.updated_at",
            (card_id, status, updated_at),
        )
