"""Copy a knowledge base from one store to another (SQLite ↔ PostgreSQL), row for row.

Every table of the store's schema is copied with its ids, and the order rows were written in
is kept: SQLite's rowid becomes PostgreSQL's `seq` and back, so the audit log reads in the same
order, paging and tie-breaks are unchanged, and the knowledge base's version (a hash over the
documents' count, last row and times) is the same on both sides — stored answers stay valid.

Rows go in key order (rowid/`seq`, or the primary key) in batches, each committed, so an
interrupted copy is resumed by running it again: each table continues after the last row the
target holds. The target must be empty or an earlier, interrupted copy of the same source (its
last row of each table must match the source's row with the same key). At the end the row counts
of every table are compared. Nothing is updated or deleted in the target's audit log: it is only
appended to, with its append-only triggers in force.

Not copied: `throttle_events`, whose rows live for a rate-limit window (a minute or so); the
windows start afresh. Search indexes are derived data: `bedside index` builds the target's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bedside.errors import StoreError
from bedside.store.sqlite import SqliteStore

if TYPE_CHECKING:
    from bedside.store.base import Store

ProgressCallback = Callable[[str, int, int], None]  # (table, rows copied, rows in source)

SEQ = "seq"  # the write-order column (SQLite: rowid)


@dataclass(frozen=True, slots=True)
class TableCopy:
    """How one table is copied: the key it is read and resumed in, and what waits for the end."""

    name: str
    key: tuple[str, ...] = (SEQ,)
    batch_rows: int = 2000
    # Self-references that may point forward (an old version names the newer one that
    # superseded it): written as NULL with the row, then set once the whole table is there.
    deferred: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()  # SQLite 0/1, PostgreSQL boolean


# In an order that satisfies every foreign key.
TABLES = (
    TableCopy("documents", batch_rows=200, deferred=("superseded_by",)),  # bodies are long
    TableCopy("passages"),
    TableCopy("ingested_files", key=("path", "reader_key")),
    TableCopy("answers", batch_rows=500),
    TableCopy("users", key=("user_id",), booleans=("disabled",)),
    TableCopy("sign_in_sessions", key=("token_hash",)),
    TableCopy("audit_events"),
    TableCopy("assignments"),
    TableCopy("card_reviews", key=("card_id",)),
)
NOT_COPIED = ("schema_migrations", "throttle_events")
_ID_COLUMN = {"documents": "document_id"}  # the rows a deferred column is set on


@dataclass(frozen=True, slots=True)
class CopiedTable:
    """One table after the copy: rows in the source and in the target, and rows this run
    wrote."""

    name: str
    source_rows: int
    target_rows: int
    copied_now: int

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "source_rows": self.source_rows,
            "target_rows": self.target_rows,
            "copied_now": self.copied_now,
        }


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What `copy_store` did, table by table."""

    source: str
    target: str
    tables: tuple[CopiedTable, ...]

    @property
    def copied_now(self) -> int:
        return sum(table.copied_now for table in self.tables)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "tables": [table.to_json() for table in self.tables],
        }


def copy_store(
    source: Store, target: Store, *, progress: ProgressCallback | None = None
) -> CopyReport:
    """Copy every table of `source` into `target` (both open, same schema version); resumable."""
    report = progress or (lambda table, done, total: None)
    if source.location == target.location:
        raise StoreError(f"{source.location}: cannot copy a knowledge base onto itself")
    if source.schema_version() != target.schema_version():
        raise StoreError(
            f"{source.location} is at schema version {source.schema_version()}, "
            f"{target.location} at {target.schema_version()}: migrate both first"
        )
    reader, writer = tables_of(source), tables_of(target)
    plans = [(spec, _columns(spec, reader, writer, source, target)) for spec in TABLES]
    for spec, columns in plans:  # all checked before anything is written
        _check_resumable(spec, columns, reader, writer, source, target)
    copied = []
    for spec, columns in plans:
        total = reader.count(spec.name)
        copied_now = _copy_table(spec, columns, reader, writer, total, report)
        copied.append(CopiedTable(spec.name, total, writer.count(spec.name), copied_now))
    _check_counts(copied, source, target)
    return CopyReport(source.location, target.location, tuple(copied))


def _columns(
    spec: TableCopy, reader: Tables, writer: Tables, source: Store, target: Store
) -> list[str]:
    """The columns both sides have (the key first), or an error naming the difference."""
    mine, theirs = reader.columns(spec), writer.columns(spec)
    if set(mine) != set(theirs):
        raise StoreError(
            f"table {spec.name}: {source.location} has columns {sorted(mine)}, "
            f"{target.location} {sorted(theirs)}"
        )
    rest = [column for column in mine if column not in spec.key]
    return [*spec.key, *rest]


def _check_resumable(
    spec: TableCopy,
    columns: list[str],
    reader: Tables,
    writer: Tables,
    source: Store,
    target: Store,
) -> None:
    """The target's last row of the table must be the source's row with the same key."""
    last = writer.last_key(spec)
    if last is None:
        return
    compared = [column for column in columns if column not in spec.deferred]
    theirs = writer.row_at(spec, compared, last)
    mine = reader.row_at(spec, compared, last)
    if mine is None or _normalised(spec, compared, mine) != _normalised(spec, compared, theirs):
        raise StoreError(
            f"{target.location} is not an interrupted copy of {source.location}: its table "
            f"{spec.name} holds a row ({', '.join(spec.key)} = {', '.join(map(str, last))}) "
            "that the source does not, or that has changed since; copy into an empty "
            "knowledge base"
        )


def _normalised(spec: TableCopy, columns: Sequence[str], row: tuple[Any, ...] | None) -> Any:
    if row is None:
        return None
    return tuple(
        bool(value) if column in spec.booleans and value is not None else value
        for column, value in zip(columns, row, strict=True)
    )


def _copy_table(
    spec: TableCopy,
    columns: list[str],
    reader: Tables,
    writer: Tables,
    total: int,
    report: ProgressCallback,
) -> int:
    done = writer.count(spec.name)
    report(spec.name, done, total)
    positions = {column: index for index, column in enumerate(columns)}
    after = writer.last_key(spec)
    copied = 0
    while rows := reader.read_after(spec, columns, after, spec.batch_rows):
        after = tuple(rows[-1][positions[column]] for column in spec.key)
        rows = [_for_writing(spec, columns, row) for row in rows]
        with writer.transaction():
            writer.insert(spec, columns, rows)
        copied += len(rows)
        report(spec.name, done + copied, total)
    if spec.deferred:
        _set_deferred(spec, reader, writer)
    writer.finish(spec)
    return copied


def _for_writing(spec: TableCopy, columns: list[str], row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        None if column in spec.deferred else value
        for column, value in zip(columns, row, strict=True)
    )


def _set_deferred(spec: TableCopy, reader: Tables, writer: Tables) -> None:
    """Set the forward references left NULL; idempotent, so a resumed copy just repeats it."""
    id_column = _ID_COLUMN[spec.name]
    for column in spec.deferred:
        pairs = reader.references(spec.name, id_column=id_column, column=column)
        with writer.transaction():
            writer.set_references(spec.name, id_column=id_column, column=column, pairs=pairs)


def _check_counts(copied: list[CopiedTable], source: Store, target: Store) -> None:
    wrong = [table for table in copied if table.source_rows != table.target_rows]
    if wrong:
        details = "; ".join(
            f"{table.name}: {table.source_rows} rows in the source, {table.target_rows} in the "
            "target"
            for table in wrong
        )
        raise StoreError(
            f"copy from {source.location} to {target.location} does not match: {details} "
            "(was the source written to during the copy? copy into an empty knowledge base "
            "again)"
        )


# -- the two engines ---------------------------------------------------------------------------


class Tables(Protocol):
    """Row-level access to one store's tables, in the terms `copy_store` needs."""

    def columns(self, spec: TableCopy) -> list[str]:
        """The table's columns, with `seq` (SQLite's rowid) when the write order is its key."""
        ...

    def count(self, table: str) -> int: ...

    def last_key(self, spec: TableCopy) -> tuple[Any, ...] | None: ...

    def row_at(
        self, spec: TableCopy, columns: Sequence[str], key: tuple[Any, ...]
    ) -> tuple[Any, ...] | None: ...

    def read_after(
        self, spec: TableCopy, columns: Sequence[str], after: tuple[Any, ...] | None, limit: int
    ) -> list[tuple[Any, ...]]: ...

    def references(self, table: str, *, id_column: str, column: str) -> list[tuple[Any, Any]]: ...

    def transaction(self) -> Any: ...

    def insert(
        self, spec: TableCopy, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None: ...

    def set_references(
        self, table: str, *, id_column: str, column: str, pairs: list[tuple[Any, Any]]
    ) -> None: ...

    def finish(self, spec: TableCopy) -> None:
        """Called once a table is complete (PostgreSQL moves its `seq` counter past the rows)."""
        ...


def tables_of(store: Store) -> Tables:
    """Row access to an open SQLite or PostgreSQL store."""
    if isinstance(store, SqliteStore):
        return SqliteTables(store)
    from bedside.store.postgresql import PostgresqlStore

    if isinstance(store, PostgresqlStore):
        return PostgresqlTables(store)
    raise StoreError(f"{store.location}: db copy knows the sqlite and postgresql stores only")


class SqliteTables:
    """Tables of a SQLite store; `seq` is the rowid."""

    def __init__(self, store: SqliteStore) -> None:
        self.conn = store.conn

    def _name(self, column: str) -> str:
        return "rowid" if column == SEQ else column

    def columns(self, spec: TableCopy) -> list[str]:
        names = [str(row[1]) for row in self.conn.execute(f"PRAGMA table_info({spec.name})")]
        return [SEQ, *names] if SEQ in spec.key else names

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def _key_sql(self, spec: TableCopy) -> str:
        return ", ".join(self._name(column) for column in spec.key)

    def last_key(self, spec: TableCopy) -> tuple[Any, ...] | None:
        order = ", ".join(f"{self._name(column)} DESC" for column in spec.key)
        row = self.conn.execute(
            f"SELECT {self._key_sql(spec)} FROM {spec.name} ORDER BY {order} LIMIT 1"
        ).fetchone()
        return None if row is None else tuple(row)

    def row_at(
        self, spec: TableCopy, columns: Sequence[str], key: tuple[Any, ...]
    ) -> tuple[Any, ...] | None:
        selected = ", ".join(self._name(column) for column in columns)
        row = self.conn.execute(
            f"SELECT {selected} FROM {spec.name} WHERE ({self._key_sql(spec)}) = ({_marks(key)})",
            key,
        ).fetchone()
        return None if row is None else tuple(row)

    def read_after(
        self, spec: TableCopy, columns: Sequence[str], after: tuple[Any, ...] | None, limit: int
    ) -> list[tuple[Any, ...]]:
        selected = ", ".join(self._name(column) for column in columns)
        where = "" if after is None else f" WHERE ({self._key_sql(spec)}) > ({_marks(after)})"
        rows = self.conn.execute(
            f"SELECT {selected} FROM {spec.name}{where} ORDER BY {self._key_sql(spec)}"
            f" LIMIT {int(limit)}",
            after or (),
        ).fetchall()
        return [tuple(row) for row in rows]

    def references(self, table: str, *, id_column: str, column: str) -> list[tuple[Any, Any]]:
        rows = self.conn.execute(
            f"SELECT {id_column}, {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def insert(self, spec: TableCopy, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(self._name(column) for column in columns)
        self.conn.executemany(f"INSERT INTO {spec.name} ({names}) VALUES ({_marks(columns)})", rows)

    def set_references(
        self, table: str, *, id_column: str, column: str, pairs: list[tuple[Any, Any]]
    ) -> None:
        self.conn.executemany(
            f"UPDATE {table} SET {column} = ? WHERE {id_column} = ? AND {column} IS NOT ?",
            [(reference, row_id, reference) for row_id, reference in pairs],
        )

    def finish(self, spec: TableCopy) -> None:
        return None  # the next rowid is always past the largest


class PostgresqlTables:
    """Tables of a PostgreSQL store; text keys compare byte by byte, as SQLite's do."""

    def __init__(self, store: Any) -> None:
        self.conn = store.conn
        self.schema = store.schema

    def _key_terms(self, spec: TableCopy) -> list[str]:
        return [column if column == SEQ else f'{column} COLLATE "C"' for column in spec.key]

    def _key_sql(self, spec: TableCopy) -> str:
        return ", ".join(self._key_terms(spec))

    def columns(self, spec: TableCopy) -> list[str]:
        rows = self.conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (self.schema, spec.name),
        ).fetchall()
        names = [str(row[0]) for row in rows if row[0] != SEQ]
        return [SEQ, *names] if SEQ in spec.key else names

    def count(self, table: str) -> int:
        row = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def last_key(self, spec: TableCopy) -> tuple[Any, ...] | None:
        order = ", ".join(f"{term} DESC" for term in self._key_terms(spec))
        row = self.conn.execute(
            f"SELECT {', '.join(spec.key)} FROM {spec.name} ORDER BY {order} LIMIT 1"
        ).fetchone()
        return None if row is None else tuple(row)

    def row_at(
        self, spec: TableCopy, columns: Sequence[str], key: tuple[Any, ...]
    ) -> tuple[Any, ...] | None:
        row = self.conn.execute(
            f"SELECT {', '.join(columns)} FROM {spec.name}"
            f" WHERE ({', '.join(spec.key)}) = ({_marks(key, '%s')})",
            key,
        ).fetchone()
        return None if row is None else tuple(row)

    def read_after(
        self, spec: TableCopy, columns: Sequence[str], after: tuple[Any, ...] | None, limit: int
    ) -> list[tuple[Any, ...]]:
        key = self._key_sql(spec)
        where = "" if after is None else f" WHERE ({key}) > ({_marks(after, '%s')})"
        rows = self.conn.execute(
            f"SELECT {', '.join(columns)} FROM {spec.name}{where} ORDER BY {key}"
            f" LIMIT {int(limit)}",
            after or (),
        ).fetchall()
        return [tuple(row) for row in rows]

    def references(self, table: str, *, id_column: str, column: str) -> list[tuple[Any, Any]]:
        rows = self.conn.execute(
            f"SELECT {id_column}, {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def transaction(self) -> Any:
        return self.conn.transaction()

    def insert(self, spec: TableCopy, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        # `seq` is GENERATED ALWAYS: the source's write order is given explicitly.
        overriding = " OVERRIDING SYSTEM VALUE" if SEQ in columns else ""
        rows = [
            tuple(
                bool(value) if column in spec.booleans and value is not None else value
                for column, value in zip(columns, row, strict=True)
            )
            for row in rows
        ]
        with self.conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {spec.name} ({', '.join(columns)}){overriding}"
                f" VALUES ({_marks(columns, '%s')})",
                rows,
            )

    def set_references(
        self, table: str, *, id_column: str, column: str, pairs: list[tuple[Any, Any]]
    ) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {column} = %s"
                f" WHERE {id_column} = %s AND {column} IS DISTINCT FROM %s",
                [(reference, row_id, reference) for row_id, reference in pairs],
            )

    def finish(self, spec: TableCopy) -> None:
        if SEQ not in spec.key:
            return
        # Rows written later (by Bedside on this store) must come after the copied ones.
        self.conn.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'seq'), max(seq)) FROM {spec.name}"
            " HAVING max(seq) IS NOT NULL",
            (f'"{self.schema}".{spec.name}',),
        )


def _marks(values: Sequence[Any], mark: str = "?") -> str:
    return ", ".join([mark] * len(values))
