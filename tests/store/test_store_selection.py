"""The store is chosen by name in settings; a PostgreSQL store needs a postgresql:// URL, which
is a secret (masked, and not part of the fingerprint)."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from bedside.cli import cli
from bedside.config import load_settings
from bedside.errors import ConfigError
from bedside.service import store_location

URL = "postgresql://bedside:hunter2@db.internal:5433/clinical"


@pytest.mark.parametrize(
    ("store", "message"),
    [
        ({"backend": "postgresql"}, "store.url.*needs a URL"),
        ({"backend": "postgresql", "url": "mysql://db/clinical"}, "store.url.*postgresql://"),
        ({"url": URL}, "store.url.*read only by the postgresql store"),
        ({"search_url": URL}, "store.search_url.*read replica of the postgresql store"),
        (
            {"backend": "postgresql", "url": URL, "search_url": "mysql://replica/clinical"},
            "store.search_url.*postgresql://",
        ),
    ],
)
def test_a_url_that_does_not_fit_the_backend_is_refused_naming_the_setting(
    store: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(overrides={"store": store})


def test_the_backend_and_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDSIDE_STORE__BACKEND", "postgresql")
    monkeypatch.setenv("BEDSIDE_STORE__URL", URL)
    monkeypatch.setenv("BEDSIDE_STORE__KB", "hospital")
    settings = load_settings()
    assert (
        store_location(settings)
        == "postgresql://bedside@db.internal:5433/clinical (schema hospital)"
    )


def test_the_url_is_neither_shown_nor_fingerprinted(
    monkeypatch: pytest.MonkeyPatch, cli_runner: CliRunner
) -> None:
    def postgresql(url: str) -> dict[str, dict[str, str]]:
        return {"store": {"backend": "postgresql", "url": url}}

    first = load_settings(overrides=postgresql(URL))
    moved = load_settings(overrides=postgresql(URL.replace("db.internal", "db2.internal")))
    assert first.fingerprint() == moved.fingerprint()
    monkeypatch.setenv("BEDSIDE_STORE__BACKEND", "postgresql")
    monkeypatch.setenv("BEDSIDE_STORE__URL", URL)
    result = cli_runner.invoke(cli, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output and "db.internal" not in result.output


def test_searches_read_from_the_replica_that_search_url_names() -> None:
    replica = URL.replace("db.internal", "replica.internal")
    store = {"backend": "postgresql", "url": URL, "search_url": replica}
    settings = load_settings(overrides={"store": store})
    searching = settings.store.for_searching()
    assert searching.url is not None and searching.url.get_secret_value() == replica
    assert settings.store.url is not None and settings.store.url.get_secret_value() == URL
    assert searching.kb == settings.store.kb
    unset = load_settings(overrides={"store": {"backend": "postgresql", "url": URL}})
    assert unset.store.for_searching() == unset.store  # unset: the primary
    # Where searches read says nothing about what answers say.
    assert settings.fingerprint() == unset.fingerprint()


def test_the_store_does_not_change_the_fingerprint_but_the_indexes_do() -> None:
    # Decision 0012: an answer copied to another engine is reused there.
    sqlite = load_settings()
    postgresql = load_settings(
        overrides={"store": {"backend": "postgresql", "url": URL, "kb": "other"}}
    )
    assert postgresql.fingerprint() == sqlite.fingerprint()
    # ...and the default install's fingerprint is the one it had with the store in it.
    # (The language-model settings, store.search_url and index.ann_search_list came later;
    # unset, they never move an extractive answer's hash.)
    before = sqlite.model_dump(
        mode="json",
        exclude={
            "home": True,
            "web": True,
            "store": {"url", "search_url"},
            "language_model": True,
            "index": {"ann_search_list"},
        },
    )
    canonical = json.dumps(before, sort_keys=True, separators=(",", ":"))
    assert sqlite.fingerprint() == hashlib.sha256(canonical.encode()).hexdigest()[:16]
    other_index = load_settings(overrides={"index": {"vectors": "pgvector"}})
    assert other_index.fingerprint() != sqlite.fingerprint()
    longer_list = load_settings(overrides={"index": {"ann_search_list": 1024}})
    assert longer_list.fingerprint() != sqlite.fingerprint()


def test_the_sqlite_store_is_the_default_and_lives_under_home() -> None:
    settings = load_settings()
    assert settings.store.backend == "sqlite"
    assert store_location(settings) == str(settings.kb_path())
