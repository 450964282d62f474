"""The `web` settings: the secret key comes from the environment and is refused by default
outside development; serving settings do not change answers (not in the fingerprint)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bedside.config import DEVELOPMENT_SECRET_KEY, load_settings
from bedside.errors import ConfigError, StoreError
from bedside.web.app import (
    CONFIG_FILE_VARIABLE,
    RedactQueryStrings,
    app_from_environment,
    create_app,
)


def test_production_refuses_the_development_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDSIDE_WEB__ENVIRONMENT", "production")
    with pytest.raises(ConfigError, match="BEDSIDE_WEB__SECRET_KEY"):
        load_settings()
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings()
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "k" * 40)
    assert load_settings().web.secret_key.get_secret_value() == "k" * 40


def test_development_accepts_the_default_key() -> None:
    assert load_settings().web.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


def test_secret_key_is_refused_in_a_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "bedside.toml"
    config.write_text('[web]\nsecret_key = "from-a-file"\n')
    with pytest.raises(ConfigError, match="environment only"):
        load_settings(config_file=config)


def test_secret_key_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "s" * 40)
    settings = load_settings()
    assert "s" * 40 not in str(settings.model_dump(mode="json"))
    assert "s" * 40 not in repr(settings)


def test_web_settings_do_not_change_the_fingerprint() -> None:
    base = load_settings()
    other = load_settings(overrides={"web": {"port": 9999, "ask_rate_per_minute": 1}})
    assert other.fingerprint() == base.fingerprint()


def test_app_factory_builds_nothing_at_import_and_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bedside.toml"
    config.write_text('[store]\nkb = "from-file"\n')
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(config))
    app = app_from_environment()
    assert isinstance(app, FastAPI)
    with TestClient(app) as client:
        assert client.get("/api/health").json()["knowledge_base"]["current_documents"] == 0
    assert (Path(str(load_settings().home)) / "kb" / "from-file.sqlite").exists()


def test_app_owns_and_closes_the_service_it_builds() -> None:
    app = create_app(load_settings())
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 200
    with pytest.raises(StoreError, match="not open"):
        app.state.service.service.store.conn.execute("SELECT 1")


def test_access_log_never_shows_questions() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/ask?q=my+private+question", "1.1", 303), None,
    )  # fmt: skip
    assert RedactQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /ask?[redacted] HTTP/1.1" 303'
