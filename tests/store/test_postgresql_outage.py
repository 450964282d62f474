"""The PostgreSQL store when its server goes away and comes back: every failure is a prompt
`StoreError`, the same store object works again once the server is back (its connection
replaced), and a transaction the outage cut off is neither half done nor continued on the new
connection. Each test stops and starts a server of its own."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bedside.config import IngestSettings
from bedside.domain import Document, Passage
from bedside.errors import StoreError
from bedside.ingest.pipeline import prepare_document
from bedside.store import postgresql
from bedside.store.base import StoredEvent
from bedside.store.postgresql import PostgresqlStore
from bedside.testing.builders import make_source_document
from bedside.testing.postgresql import TemporaryPostgresql

pytestmark = pytest.mark.postgresql


def make_event(event_id: str) -> StoredEvent:
    return StoredEvent(
        event_id=event_id,
        subject_id="a1",
        subject_kind="answer",
        actor="rita",
        action="comment",
        from_status="submitted",
        to_status="submitted",
        note="",
        created_at="2026-12-03T10:00:00+00:00",
    )


@pytest.fixture
def store(restartable_postgresql: TemporaryPostgresql) -> Iterator[PostgresqlStore]:
    store = PostgresqlStore(restartable_postgresql.url, schema="outage")
    store.open()
    yield store
    store.close()


def _ids(store: PostgresqlStore) -> list[str]:
    return [event.event_id for event in store.events_for("a1")]


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_the_store_fails_promptly_while_the_server_is_away_and_works_when_it_is_back(
    restartable_postgresql: TemporaryPostgresql, store: PostgresqlStore, mode: str
) -> None:
    store.append_event(make_event("evt_before"))
    restartable_postgresql.stop_server(mode)
    for _ in range(3):  # the broken connection, then new ones that cannot be made
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"unavailable|cannot connect"):
            store.events_for("a1")
        assert time.monotonic() - started < 5
    restartable_postgresql.start_server()
    assert _ids(store) == ["evt_before"]
    store.append_event(make_event("evt_after"))
    assert _ids(store) == ["evt_before", "evt_after"]


def test_a_connection_idle_across_a_restart_is_replaced_before_it_fails_a_call(
    restartable_postgresql: TemporaryPostgresql,
    store: PostgresqlStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(postgresql, "CHECK_AFTER_IDLE_S", 0.0)  # every use after a pause
    store.append_event(make_event("evt_before"))
    restartable_postgresql.stop_server("fast")
    restartable_postgresql.start_server()
    assert _ids(store) == ["evt_before"]  # no error: the dead connection was found and replaced


def test_a_transaction_cut_off_by_the_outage_is_not_half_done(
    restartable_postgresql: TemporaryPostgresql, store: PostgresqlStore
) -> None:
    store.append_event(make_event("evt_before"))
    with pytest.raises(StoreError), store.transaction():
        store.append_event(make_event("evt_first_half"))
        restartable_postgresql.stop_server("immediate")
        # Not written on a new connection outside the transaction: refused.
        store.append_event(make_event("evt_second_half"))
    restartable_postgresql.start_server()
    assert _ids(store) == ["evt_before"]


def _document(source_id: str) -> tuple[Document, list[Passage], str]:
    document, passages, body = prepare_document(
        make_source_document(source_id=source_id), path=None, settings=IngestSettings()
    )
    return document, list(passages), body


def test_a_batch_cut_off_by_the_outage_fails_instead_of_going_on_without_its_start(
    restartable_postgresql: TemporaryPostgresql, store: PostgresqlStore
) -> None:
    first, second = _document("doc-1"), _document("doc-2")
    with pytest.raises(StoreError), store.bulk(commit_every=100):
        store.put_document(first[0], first[1], body=first[2])  # not committed yet
        restartable_postgresql.stop_server("immediate")
        restartable_postgresql.start_server()
        # The server is back, but the batch's first document is lost: the second is refused
        # rather than stored on a new connection as if the batch were whole.
        store.put_document(second[0], second[1], body=second[2])
    assert store.stats().documents == 0
    store.put_document(first[0], first[1], body=first[2])  # after the batch: a new connection
    assert store.stats().documents == 1
