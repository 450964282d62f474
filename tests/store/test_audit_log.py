"""The audit log is append-only in the database itself: SQLite triggers refuse UPDATE and DELETE."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bedside.errors import StoreError
from bedside.store.base import StoredEvent
from bedside.store.sqlite import SqliteStore


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
def kb_with_event(tmp_path: Path) -> Path:
    path = tmp_path / "kb.sqlite"
    with SqliteStore(path) as store:
        store.append_event(make_event())
    return path


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET to_status = 'approved'",
        "UPDATE audit_events SET note = 'rewritten' WHERE event_id = 'evt_1'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE event_id = 'evt_1'",
    ],
)
def test_audit_events_cannot_be_updated_or_deleted(kb_with_event: Path, statement: str) -> None:
    # A connection of its own, as any other program would open the file.
    conn = sqlite3.connect(kb_with_event)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.close()
    with SqliteStore(kb_with_event) as store:
        assert store.events_for("a1") == [make_event()]


def test_replace_into_cannot_overwrite_an_event(kb_with_event: Path) -> None:
    conn = sqlite3.connect(kb_with_event)
    # REPLACE deletes the conflicting row without firing DELETE triggers; a trigger of its own
    # refuses it.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(
            "INSERT OR REPLACE INTO audit_events (event_id, subject_id, subject_kind, actor,"
            " action, from_status, to_status, note, created_at) VALUES ('evt_1', 'a1', 'answer',"
            " 'x', 'approve', 'under_review', 'approved', '', '2026-11-24')"
        )
    conn.close()
    with SqliteStore(kb_with_event) as store:
        assert store.events_for("a1") == [make_event()]


def test_appending_the_same_event_twice_is_refused(kb_with_event: Path) -> None:
    with SqliteStore(kb_with_event) as store, pytest.raises(StoreError, match="append-only"):
        store.append_event(make_event())
