"""Numbered migrations: from an empty database, from every earlier schema, and refusal of newer.

The generic tests run on both engines; the PostgreSQL migrations mirror SQLite's number for
number, so the same rows are valid at the same schema version on both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bedside.errors import StoreError
from bedside.store import postgresql
from bedside.store.sqlite import SqliteStore, load_migrations

LATEST = load_migrations()[-1].number

# Rows that are valid at a given schema version, inserted before migrating further.
ROWS_BY_VERSION = {
    1: [
        "INSERT INTO documents (document_id, document_key, origin, source_id, version, status,"
        " kind, title, content_hash, body, passage_count, ingested_at) VALUES ('doc_old',"
        " 'test:1', 'test', '1', 1, 'current', 'research', 'Old title', 'h', 'Old text.', 1,"
        " '2026-01-01T00:00:00+00:00')",
        "INSERT INTO passages (passage_id, document_id, ordinal, char_start, char_end, text)"
        " VALUES ('psg_old', 'doc_old', 0, 0, 9, 'Old text.')",
    ],
    2: [
        "INSERT INTO ingested_files (path, size_bytes, mtime_ns, content_hash, reader_key,"
        " documents, finished_at) VALUES ('/x', 1, 1, 'abc', 'r', 1, '2026-01-01')",
    ],
    3: [
        "INSERT INTO answers (answer_id, question, question_key, audience, kind, kb_version,"
        " settings_fingerprint, review_status, record, created_at, updated_at) VALUES ('ans_old',"
        " 'Q?', 'q', 'clinician', 'answer', 'v', 'f', 'submitted', '{}', '2026-01-01',"
        " '2026-01-01')",
    ],
    4: [
        "INSERT INTO users (user_id, username, role, password_hash, created_at) VALUES"
        " ('usr_old', 'olga', 'editor', '$argon2id$x', '2026-01-01')",
        "INSERT INTO audit_events (event_id, subject_id, subject_kind, actor, action, from_status,"
        " to_status, note, created_at) VALUES ('evt_old', 'ans_old', 'answer', 'olga',"
        " 'start_review', 'submitted', 'under_review', '', '2026-01-02')",
        "INSERT INTO assignments (subject_id, assignee, assigned_by, assigned_at) VALUES"
        " ('ans_old', 'olga', 'olga', '2026-01-02')",
        "INSERT INTO card_reviews (card_id, status, updated_at) VALUES"
        " ('asthma', 'under_review', '2026-01-02')",
        "INSERT INTO answers (answer_id, question, question_key, audience, kind, kb_version,"
        " settings_fingerprint, review_status, record, created_at, updated_at, revision_of)"
        " VALUES ('ans_rev', 'Q?', 'q', 'clinician', 'answer', 'v2', 'f', 'submitted', '{}',"
        " '2026-01-03', '2026-01-03', 'ans_old')",
    ],
    5: [
        "INSERT INTO documents (document_id, document_key, origin, source_id, version, status,"
        " kind, title, content_hash, body, passage_count, ingested_at) VALUES ('doc_label',"
        " 'fda-spl:x', 'fda-spl', 'x', 1, 'current', 'drug_label', 'A label', 'h', 'Text.', 1,"
        " '2026-01-01T00:00:00+00:00')",
        "INSERT INTO passages (passage_id, document_id, ordinal, char_start, char_end, text)"
        " VALUES ('psg_label', 'doc_label', 0, 0, 5, 'Text.')",
    ],
    6: [
        # Valid from 6 on (migration 7 drops users.sessions_valid_after, never set here).
        "INSERT INTO users (user_id, username, role, password_hash, created_at, disabled)"
        " VALUES ('usr_off', 'otto', 'reviewer', '$argon2id$x', '2026-01-01', true)",
    ],
    7: [
        "INSERT INTO sign_in_sessions (token_hash, user_id, csrf_token, started_at, seen_at)"
        " VALUES ('h', 'usr_off', 'c', '2026-01-02T00:00:00+00:00', '2026-01-02T00:00:00+00:00')",
        "INSERT INTO throttle_events (scope, key, at) VALUES ('ask', 'k', 1.0)",
    ],
}


@dataclass(frozen=True)
class Engine:
    name: str
    store: Callable[[], Any]  # a new, unopened store on the same knowledge base each call
    integrity_error: type[Exception]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        return Engine("sqlite", lambda: SqliteStore(tmp_path / "kb.sqlite"), sqlite3.IntegrityError)
    import psycopg

    make = request.getfixturevalue("make_postgresql_store")
    schema = make().schema
    return Engine("postgresql", lambda: make(schema), psycopg.IntegrityError)


def test_both_engines_number_and_name_their_migrations_alike() -> None:
    def names(migrations: list[Any]) -> list[tuple[int, str]]:
        return [(migration.number, migration.name) for migration in migrations]

    assert names(postgresql.load_migrations()) == names(load_migrations())


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [migration.number for migration in load_migrations()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(migration.name for migration in load_migrations())


def test_open_migrates_an_empty_database_to_latest(engine: Engine) -> None:
    store = engine.store()
    store.open()
    assert store.schema_version() == LATEST
    store.close()


def test_a_sqlite_knowledge_base_is_in_wal_mode(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.sqlite")
    store.open()
    journal = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"
    store.close()


@pytest.mark.parametrize("start", range(1, LATEST + 1))
def test_migrating_from_each_earlier_schema_keeps_data(engine: Engine, start: int) -> None:
    store = engine.store()
    store.open(migrate_to=start)
    assert store.schema_version() == start
    for version in range(1, start + 1):
        for statement in ROWS_BY_VERSION[version]:
            store.conn.execute(statement)
    store.close()

    reopened = engine.store()
    reopened.open()
    assert reopened.schema_version() == LATEST
    assert reopened.get_passage("psg_old").text == "Old text."
    assert reopened.get_document("doc_old").title == "Old title"
    assert reopened.check_integrity() == []
    applied = reopened.conn.execute("SELECT number FROM schema_migrations").fetchall()
    assert sorted(row[0] for row in applied) == list(range(1, LATEST + 1))
    if engine.name == "sqlite":
        assert reopened.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert not reopened.conn.execute("PRAGMA foreign_key_check").fetchall()
    reopened.close()


def test_migrating_twice_applies_nothing(engine: Engine) -> None:
    store = engine.store()
    store.open()
    assert store.migrate() == []
    store.close()


def test_refuses_a_knowledge_base_from_a_newer_bedside(engine: Engine) -> None:
    store = engine.store()
    store.open()
    store.conn.execute(
        f"INSERT INTO schema_migrations VALUES ({LATEST + 1}, 'from_the_future', '2030-01-01')"
    )
    store.close()
    with pytest.raises(StoreError, match="newer"):
        engine.store().open()


def test_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    path.write_text(json.dumps({"not": "a database"}) * 200)
    with pytest.raises((StoreError, sqlite3.DatabaseError)):
        SqliteStore(path).open()


def test_a_drug_label_can_be_stored_after_the_kind_migration(engine: Engine) -> None:
    store = engine.store()
    store.open(migrate_to=4)
    with pytest.raises(engine.integrity_error):
        store.conn.execute(ROWS_BY_VERSION[5][0])
    store.close()
    store = engine.store()
    store.open()
    store.conn.execute(ROWS_BY_VERSION[5][0])
    # The changed table still refuses a kind nobody defined, and passages still need a document.
    with pytest.raises(engine.integrity_error):
        store.conn.execute(
            ROWS_BY_VERSION[5][0]
            .replace("drug_label", "rumour")
            .replace("doc_label", "doc_rumour")
            .replace("fda-spl:x", "fda-spl:y")
        )
    with pytest.raises(engine.integrity_error):
        store.conn.execute(
            "INSERT INTO passages (passage_id, document_id, ordinal, char_start, char_end, text)"
            " VALUES ('psg_x', 'doc_missing', 0, 0, 1, 'x')"
        )
    store.close()


def test_the_knowledge_base_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "kb" / "private.sqlite"
    store = SqliteStore(path)
    store.open()
    store.close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    path.chmod(0o644)  # a file from before: narrowed when opened
    store.open()
    store.close()
    assert path.stat().st_mode & 0o777 == 0o600
