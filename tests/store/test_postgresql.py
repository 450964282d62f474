"""What the PostgreSQL store adds to the contract: the audit log guarded by the database itself,
locks shared by every process on the knowledge base, and a schema that mirrors SQLite's."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from bedside.config import IngestSettings, load_settings
from bedside.domain import IngestOutcome
from bedside.errors import StoreError
from bedside.ingest.pipeline import prepare_document
from bedside.store.base import StoredEvent
from bedside.store.postgresql import PostgresqlStore, schema_name
from bedside.store.sqlite import SqliteStore
from bedside.testing.builders import make_source_document

pytestmark = pytest.mark.postgresql

MakeStore = Callable[..., PostgresqlStore]


def make_event(event_id: str = "evt_1") -> StoredEvent:
    return StoredEvent(
        event_id=event_id,
        subject_id="a1",
        subject_kind="answer",
        actor="rita",
        action="start_review",
        from_status="submitted",
        to_status="under_review",
        note="",
        created_at="2026-11-23T10:00:00+00:00",
    )


@pytest.fixture
def store(make_postgresql_store: MakeStore) -> Iterator[PostgresqlStore]:
    store = make_postgresql_store()
    store.open()
    yield store
    store.close()


@pytest.fixture
def other_program(store: PostgresqlStore) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection of its own on the same schema, as any other program would open one."""
    with psycopg.connect(store.url, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{store.schema}"')
        yield conn


# -- the audit log --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET to_status = 'approved'",
        "UPDATE audit_events SET note = 'rewritten' WHERE event_id = 'evt_1'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE event_id = 'evt_1'",
        "TRUNCATE audit_events",
        "INSERT INTO audit_events (event_id, subject_id, subject_kind, actor, action, from_status,"
        " to_status, note, created_at) VALUES ('evt_1', 'a1', 'answer', 'x', 'approve',"
        " 'under_review', 'approved', '', '2026-11-24')"
        " ON CONFLICT (event_id) DO UPDATE SET actor = EXCLUDED.actor",
    ],
)
def test_audit_events_cannot_be_changed_by_any_program(
    store: PostgresqlStore, other_program: psycopg.Connection[tuple[object, ...]], statement: str
) -> None:
    store.append_event(make_event())
    with pytest.raises(psycopg.IntegrityError, match="append-only"):
        other_program.execute(statement)
    assert store.events_for("a1") == [make_event()]


def test_knowledge_bases_named_alike_past_63_bytes_keep_schemas_of_their_own(
    postgresql_url: str,
) -> None:
    # PostgreSQL cuts a name past 63 bytes short, with only a notice: without the hashed
    # schema name these two knowledge bases would silently share one schema.
    kbs = ["clinical-guidelines-" * 4 + "east", "clinical-guidelines-" * 4 + "west"]
    stores = [
        PostgresqlStore.from_settings(
            load_settings(
                overrides={"store": {"backend": "postgresql", "url": postgresql_url, "kb": kb}}
            )
        )
        for kb in kbs
    ]
    try:
        assert [store.schema for store in stores] == [schema_name(kb) for kb in kbs]
        assert stores[0].schema != stores[1].schema
        assert all(len(store.schema.encode()) == 63 for store in stores)
        for store in stores:
            store.open()
        stores[0].append_event(make_event())
        assert stores[1].events_for("a1") == []
        assert stores[0].events_for("a1") == [make_event()]
        assert schema_name("default") == "default"  # names within the limit are kept as given
    finally:
        for store in stores:
            store.close()
        with psycopg.connect(postgresql_url, autocommit=True) as admin:
            for store in stores:
                admin.execute(f'DROP SCHEMA IF EXISTS "{store.schema}" CASCADE')


def test_appending_the_same_event_twice_is_refused(store: PostgresqlStore) -> None:
    store.append_event(make_event())
    with pytest.raises(StoreError, match="append-only"):
        store.append_event(make_event())
    assert store.events_for("a1") == [make_event()]


def test_integrity_check_reports_a_disabled_audit_trigger(
    store: PostgresqlStore, other_program: psycopg.Connection[tuple[object, ...]]
) -> None:
    assert store.check_integrity() == []
    other_program.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_delete")
    assert store.check_integrity() == [
        "audit_events is not append-only: trigger audit_events_no_delete is missing or disabled"
    ]


# -- several processes on one knowledge base ----------------------------------------------------


class Meanwhile:
    """`work` run in a thread (as by another process) while the test holds a transaction."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.results: list[object] = []
        self.thread = threading.Thread(target=lambda: self.results.append(work()))
        self.thread.start()

    def is_waiting(self) -> bool:
        self.thread.join(timeout=0.5)
        return self.thread.is_alive()

    def result(self) -> object:
        self.thread.join(timeout=10)
        assert not self.thread.is_alive() and self.results
        return self.results[0]


def test_an_editorial_transaction_holds_off_every_other_process(
    store: PostgresqlStore, make_postgresql_store: MakeStore
) -> None:
    other = make_postgresql_store(store.schema)
    other.open()
    with store.transaction():
        store.append_event(make_event())
        # A rate-limit slot touches no row the transaction holds: only the lock makes it wait.
        meanwhile = Meanwhile(lambda: other.take_slot("ask", "k", now=1.0, window=60.0, limit=5))
        assert meanwhile.is_waiting()
    assert meanwhile.result() is None
    other.close()


def test_two_processes_storing_the_same_document_do_not_collide(
    store: PostgresqlStore, make_postgresql_store: MakeStore
) -> None:
    other = make_postgresql_store(store.schema)
    other.open()
    document, passages, body = prepare_document(
        make_source_document(), path=None, settings=IngestSettings()
    )
    with store.bulk():  # its batch stays open until the block ends
        assert store.put_document(document, passages, body=body) is IngestOutcome.ADDED
        meanwhile = Meanwhile(lambda: other.put_document(document, passages, body=body))
        assert meanwhile.is_waiting()
    assert meanwhile.result() is IngestOutcome.UNCHANGED
    assert other.check_integrity() == []
    other.close()


def test_two_processes_opening_a_new_knowledge_base_migrate_it_once(
    make_postgresql_store: MakeStore,
) -> None:
    first = make_postgresql_store()
    stores = [first, make_postgresql_store(first.schema)]
    errors: list[BaseException] = []

    def open_store(store: PostgresqlStore) -> None:
        try:
            store.open()
        except BaseException as error:  # reported below, with the other thread's
            errors.append(error)

    threads = [threading.Thread(target=open_store, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    rows = first.conn.execute("SELECT number FROM schema_migrations ORDER BY number").fetchall()
    assert [number for (number,) in rows] == list(range(1, first.schema_version() + 1))


def test_kb_version_sees_a_document_added_by_another_process(
    store: PostgresqlStore, make_postgresql_store: MakeStore
) -> None:
    writer = make_postgresql_store(store.schema)
    writer.open()
    before = store.kb_version()
    document, passages, body = prepare_document(
        make_source_document(), path=None, settings=IngestSettings()
    )
    writer.put_document(document, passages, body=body)
    assert store.kb_version() != before
    writer.close()


# -- the schema ---------------------------------------------------------------------------------


def test_tables_and_columns_mirror_the_sqlite_schema(
    store: PostgresqlStore, tmp_path: Path
) -> None:
    with SqliteStore(tmp_path / "kb.sqlite") as sqlite_store:
        conn: sqlite3.Connection = sqlite_store.conn
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        sqlite_columns = {
            table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            for table in tables
        }
    rows = store.conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = %s AND column_name <> 'seq'",
        (store.schema,),
    ).fetchall()
    postgresql_columns: dict[str, set[str]] = {}
    for table, column in rows:
        postgresql_columns.setdefault(str(table), set()).add(str(column))
    assert postgresql_columns == sqlite_columns


def test_a_store_that_cannot_connect_says_where_without_the_password(tmp_path: Path) -> None:
    store = PostgresqlStore(
        f"postgresql://rita:hunter2@/bedside?host={tmp_path}", connect_timeout_s=2
    )
    with pytest.raises(StoreError, match="cannot connect") as raised:
        store.open()
    assert "hunter2" not in str(raised.value)
    assert f"postgresql://rita@/bedside?host={tmp_path} (schema default)" in str(raised.value)
