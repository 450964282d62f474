"""The `web` settings: the secret key comes from the environment and is refused by default
outside development; serving settings do not change answers (not in the fingerprint)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bedside.config import load_settings
from bedside.errors import ConfigError, StoreError
from bedside.review.workflow import Role
from bedside.service import Service
from bedside.web.app import (
    CONFIG_FILE_VARIABLE,
    SECRET_KEY_FILE,
    RedactQueryStrings,
    app_from_environment,
    create_app,
    signing_key,
)


def test_production_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDSIDE_WEB__ENVIRONMENT", "production")
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings()
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "k" * 40)
    assert load_settings().web.secret_key.get_secret_value() == "k" * 40  # type: ignore[union-attr]


def test_without_a_configured_key_a_random_one_is_made_once_owner_only(
    tmp_path: Path,
) -> None:
    settings = load_settings(overrides={"home": tmp_path / "home"})
    assert settings.web.secret_key is None
    first = signing_key(settings)
    path = tmp_path / "home" / SECRET_KEY_FILE
    assert len(first) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert signing_key(settings) == first  # kept: sessions survive a restart
    other = load_settings(overrides={"home": tmp_path / "other"})
    assert signing_key(other) != first  # no two installations share a key


def test_a_cookie_forged_with_the_old_published_key_is_not_a_session(tmp_path: Path) -> None:
    import base64
    import json as json_module

    import itsdangerous

    settings = load_settings(overrides={"home": tmp_path / "home"})
    with Service(settings) as service:
        admin = service.add_user("ada", "a long enough password", Role.ADMIN)
        token, _csrf = service.start_session(admin)

    def cookie(payload: dict[str, str], key: str) -> str:
        data = base64.b64encode(json_module.dumps(payload).encode())
        return itsdangerous.TimestampSigner(key).sign(data).decode()

    with TestClient(create_app(settings)) as client:
        # The control: the real session's token signed with this installation's key is a
        # session, so the refusals below are the key's and the store's doing.
        client.cookies.set("bedside_session", cookie({"session": token}, signing_key(settings)))
        assert client.get("/api/review/queue").status_code == 200
        client.cookies.clear()
        old_key = "bedside-development-only-secret-key"
        client.cookies.set("bedside_session", cookie({"session": token}, old_key))
        assert client.get("/api/review/queue").status_code == 401
        # Even with the installation's key, a cookie cannot mint a session: the token must name
        # a session row, and the old cookie shape (user id in the cookie) means nothing.
        client.cookies.clear()
        forged = {"session": "made-up", "user_id": admin.user_id, "username": "ada"}
        client.cookies.set("bedside_session", cookie(forged, signing_key(settings)))
        assert client.get("/api/review/queue").status_code == 401


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
