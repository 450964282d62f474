"""`bedside db copy`: a knowledge base with its editorial state, SQLite → PostgreSQL → SQLite,
every table compared row for row; an interrupted copy resumes; a mismatch is refused by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bedside.cli import cli
from bedside.config import Settings, load_settings
from bedside.domain import Passage
from bedside.errors import StoreError
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service
from bedside.service.copying import copy_knowledge_base
from bedside.store import copying
from bedside.store.base import Store, StoredUser
from bedside.store.copying import NOT_COPIED, TABLES, TableCopy
from bedside.store.postgresql import PostgresqlStore
from bedside.store.sqlite import SqliteStore
from bedside.testing.builders import make_document

QUESTION = "What helps chronic low back pain?"


def add_editorial_state(service: Service) -> None:
    """Two versions of a document, an answer approved by an editor, a follow-up, an assignment,
    comments, a card review, a disabled account and a live sign-in session."""
    store = service.store
    first = make_document("copied-guideline")
    second = dataclasses.replace(first, document_id="copied-guideline-v2", content_hash="h2")
    for document in (first, second):
        passage = Passage(f"{document.document_id}#0", document.document_id, 0, ("Advice",),
                          None, 0, 12, "Walk daily.")  # fmt: skip
        store.put_document(document, [passage], body="Walk daily.")
    editor = service.add_user("eddie", "long enough password", Role.EDITOR)
    reviewer = service.add_user("rita", "long enough password", Role.REVIEWER)
    service.add_user("gone", "long enough password", Role.REVIEWER)
    service.set_user_disabled("gone", disabled=True)
    answer = service.ask(QUESTION)
    service.ask("And for how long?", follow_up_of=answer.answer_id)
    service.assign(answer.answer_id, assignee="rita", user=editor)
    service.comment(answer.answer_id, user=reviewer, note="Looks right.")
    service.transition(answer.answer_id, Action.START_REVIEW, user=editor)
    publication = Publication.as_it_stands(answer, no_personal_data=True)
    service.transition(answer.answer_id, Action.APPROVE, user=editor, publication=publication)
    card_id = next(iter(service.card_statuses()))
    service.transition_card(card_id, Action.START_REVIEW, user=editor)
    service.start_session(reviewer)


def table_rows(store: Store, spec: TableCopy) -> list[tuple[Any, ...]]:
    """Every row of a table in key order, with its write order (rowid or seq)."""
    tables = copying.tables_of(store)
    columns = sorted(tables.columns(spec))
    rows = tables.read_after(spec, columns, None, 1_000_000)
    booleans = [column in spec.booleans for column in columns]
    return [
        tuple(
            bool(v) if is_bool and v is not None else v
            for is_bool, v in zip(booleans, row, strict=True)
        )
        for row in rows
    ]


def assert_same_tables(first: Store, second: Store) -> None:
    for spec in TABLES:
        assert table_rows(first, spec) == table_rows(second, spec), spec.name


def test_every_table_of_the_schema_is_copied_or_named_as_not(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "fresh.sqlite") as store:
        tables = {
            str(row[0])
            for row in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    assert {spec.name for spec in TABLES} | set(NOT_COPIED) == tables


@pytest.fixture
def editorial(bundled: Service) -> Service:
    """The bundled knowledge base on SQLite, with editorial state."""
    add_editorial_state(bundled)
    return bundled


def postgresql_settings(settings: Settings, store: PostgresqlStore) -> Settings:
    return load_settings(
        overrides={
            "home": settings.home,
            "store": {"backend": "postgresql", "url": store.url, "kb": store.schema},
            "index": {"embedder": "hashing"},
        }
    )


@pytest.mark.postgresql
def test_copies_to_postgresql_and_back_keeping_ids_order_and_answers(
    editorial: Service, make_postgresql_store: Callable[..., PostgresqlStore], tmp_path: Path
) -> None:
    target = make_postgresql_store()
    report = copy_knowledge_base(editorial.settings, target=target.url, target_kb=target.schema)
    assert report.copied_now > 0
    assert all(table.source_rows == table.target_rows for table in report.tables)
    on_postgresql = postgresql_settings(editorial.settings, target)
    with Service(on_postgresql) as service:
        assert_same_tables(editorial.store, service.store)
        assert service.store.kb_version() == editorial.store.kb_version()
        assert service.store.check_integrity() == []
        # The stored (approved) answer is served as it is: same knowledge base version and,
        # the store being out of the fingerprint, the same settings.
        answer = editorial.ask(QUESTION)
        assert service.ask(QUESTION).answer_id == answer.answer_id
        log = [event.event_id for event in editorial.audit_log(answer.answer_id)]
        assert [event.event_id for event in service.audit_log(answer.answer_id)] == log

        back = tmp_path / "back.sqlite"
        copy_knowledge_base(on_postgresql, target=str(back))
        with SqliteStore(back) as returned:
            assert_same_tables(editorial.store, returned)
            assert returned.kb_version() == editorial.store.kb_version()


@pytest.mark.postgresql
def test_the_copied_audit_log_stays_append_only_and_new_rows_follow_the_copied(
    editorial: Service, make_postgresql_store: Callable[..., PostgresqlStore]
) -> None:
    target = make_postgresql_store()
    copy_knowledge_base(editorial.settings, target=target.url, target_kb=target.schema)
    import psycopg

    with Service(postgresql_settings(editorial.settings, target)) as service:
        store = service.store
        assert isinstance(store, PostgresqlStore)
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
            store.conn.execute("UPDATE audit_events SET note = 'rewritten'")
        card_id = next(iter(service.card_statuses()))
        editor = service.authenticate("eddie", "long enough password")
        assert editor is not None
        before = store.conn.execute("SELECT max(seq) FROM audit_events").fetchone()
        service.transition_card(card_id, Action.APPROVE, user=editor)
        after = store.conn.execute("SELECT max(seq) FROM audit_events").fetchone()
        assert before is not None and after is not None and after[0] == before[0] + 1


class Interrupted(Exception):
    pass


@pytest.mark.postgresql
def test_an_interrupted_copy_continues_where_it_stopped(
    editorial: Service,
    make_postgresql_store: Callable[..., PostgresqlStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_batches = tuple(dataclasses.replace(spec, batch_rows=7) for spec in TABLES)
    monkeypatch.setattr(copying, "TABLES", small_batches)
    target = make_postgresql_store()

    def stop_in_passages(table: str, done: int, total: int) -> None:
        if table == "passages" and done >= 14:
            raise Interrupted

    with pytest.raises(Interrupted):
        copy_knowledge_base(
            editorial.settings,
            target=target.url,
            target_kb=target.schema,
            progress=stop_in_passages,
        )
    seen: list[tuple[str, int, int]] = []
    report = copy_knowledge_base(
        editorial.settings,
        target=target.url,
        target_kb=target.schema,
        progress=lambda *event: seen.append(event),
    )
    by_name = {table.name: table for table in report.tables}
    assert by_name["documents"].copied_now == 0
    assert by_name["passages"].copied_now == by_name["passages"].source_rows - 14
    assert ("passages", 14, by_name["passages"].source_rows) in seen
    with PostgresqlStore(target.url, schema=target.schema) as copied:
        assert_same_tables(editorial.store, copied)
    again = copy_knowledge_base(editorial.settings, target=target.url, target_kb=target.schema)
    assert again.copied_now == 0


def test_a_source_written_during_the_copy_fails_the_count_check_by_name(
    editorial: Service,
) -> None:
    copy_knowledge_base(editorial.settings, target="sqlite", target_kb="copy")
    # A row below what the target holds: a resumed copy cannot see it, the count check does.
    editorial.store.add_user(
        StoredUser("0000-early", "early", "reviewer", "not-a-hash", "2026-01-01T00:00:00+00:00")
    )
    target = editorial.settings.home / "kb" / "copy.sqlite"
    with pytest.raises(StoreError, match="does not match: users: 4 rows in the source, 3") as err:
        copy_knowledge_base(editorial.settings, target="sqlite", target_kb="copy")
    assert str(editorial.settings.kb_path()) in str(err.value) and str(target) in str(err.value)


def test_refuses_a_target_that_is_not_a_copy_of_the_source(editorial: Service) -> None:
    other = editorial.settings.home / "kb" / "other.sqlite"
    with SqliteStore(other) as store:
        store.put_document(make_document("unrelated"), [
            Passage("unrelated#0", "unrelated", 0, (), None, 0, 5, "Other.")
        ], body="Other.")  # fmt: skip
    with pytest.raises(StoreError, match=r"other\.sqlite is not an interrupted copy of .*"):
        copy_knowledge_base(editorial.settings, target=str(other))
    with SqliteStore(other) as store:
        assert store.stats().documents == 1  # nothing was written


def test_refuses_to_copy_onto_itself_and_names_a_bad_target(editorial: Service) -> None:
    with pytest.raises(StoreError, match="onto itself"):
        copy_knowledge_base(editorial.settings, target="sqlite")
    with pytest.raises(Exception, match="db copy target 'mysql://x'"):
        copy_knowledge_base(editorial.settings, target="mysql://x")


def test_the_cli_copies_and_reports_each_table(
    editorial: Service, cli_runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEDSIDE_HOME", str(editorial.settings.home))
    result = cli_runner.invoke(cli, ["db", "copy", "sqlite", "--target-kb", "copy"])
    assert result.exit_code == 0, result.output
    assert "audit_events: " in result.output and "row counts match" in result.output
    with SqliteStore(editorial.settings.home / "kb" / "copy.sqlite") as copied:
        assert_same_tables(editorial.store, copied)
    bad = cli_runner.invoke(cli, ["db", "copy", "nowhere"])
    assert bad.exit_code == 1 and "db copy target 'nowhere'" in bad.output
