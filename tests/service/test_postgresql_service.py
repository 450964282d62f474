"""The whole service on the PostgreSQL store: first use builds the bundled knowledge base in
PostgreSQL, articles are the ones SQLite gives, and the editorial workflow runs on it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner

from bedside.cli import cli
from bedside.config import Settings, load_settings
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service, store_location
from bedside.service.preparing import prepare_knowledge_base
from bedside.store.postgresql import PostgresqlStore, load_migrations

pytestmark = pytest.mark.postgresql

QUESTION = "What helps chronic low back pain?"


@pytest.fixture
def postgresql_settings(
    make_postgresql_store: Callable[..., PostgresqlStore], settings: Settings
) -> Settings:
    """The test settings, with the knowledge base in a fresh PostgreSQL schema."""
    store = make_postgresql_store()
    return load_settings(
        overrides={"store": {"backend": "postgresql", "url": store.url, "kb": store.schema}}
    )


def test_the_bundled_knowledge_base_answers_as_on_sqlite(
    postgresql_settings: Settings, bundled: Service
) -> None:
    prepared = prepare_knowledge_base(postgresql_settings)
    assert prepared is not None and prepared.ingested is not None
    with Service(postgresql_settings) as service:
        assert service.store.name == "postgresql"
        assert service.kb_stats().current_documents == bundled.kb_stats().current_documents
        on_postgresql, on_sqlite = service.ask(QUESTION), bundled.ask(QUESTION)
        assert on_postgresql.refusal is None
        for part in ("title", "bottom_line", "sections", "references"):
            assert getattr(on_postgresql, part) == getattr(on_sqlite, part), part

        editor = service.add_user("eddie", "long enough password", Role.EDITOR)
        service.transition(on_postgresql.answer_id, Action.START_REVIEW, user=editor)
        publication = Publication.as_it_stands(on_postgresql, no_personal_data=True)
        service.transition(
            on_postgresql.answer_id, Action.APPROVE, user=editor, publication=publication
        )
        assert [event.action for event in service.audit_log(on_postgresql.answer_id)] == [
            "start_review",
            "approve",
        ]
    with Service(postgresql_settings) as reopened:  # another process, later
        assert reopened.ask(QUESTION).answer_id == on_postgresql.answer_id


def test_the_cli_names_the_postgresql_knowledge_base_without_its_password(
    postgresql_settings: Settings, cli_runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert postgresql_settings.store.url is not None
    url = postgresql_settings.store.url.get_secret_value()
    with_password = url.replace("postgres@", "postgres:hunter2@")
    monkeypatch.setenv("BEDSIDE_STORE__BACKEND", "postgresql")
    monkeypatch.setenv("BEDSIDE_STORE__URL", with_password)
    monkeypatch.setenv("BEDSIDE_STORE__KB", postgresql_settings.store.kb)
    result = cli_runner.invoke(cli, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    where = store_location(postgresql_settings)
    assert where.startswith("postgresql://postgres@/postgres?host=")
    assert f"{where}: schema version {load_migrations()[-1].number}" in result.output
    assert "hunter2" not in result.output
