"""`bedside serve`: runs uvicorn on the app factory with the settings the CLI resolved."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from bedside.cli import cli
from bedside.cli.web import APP_FACTORY, CONFIG_FILE_VARIABLE


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def run(app: str, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs, "env": dict(os.environ)})

    monkeypatch.setattr(uvicorn, "run", run)
    for name in ("BEDSIDE_STORE__KB", CONFIG_FILE_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_serve_runs_the_app_factory_with_the_web_settings(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], bedside_home: Path
) -> None:
    result = cli_runner.invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    (call,) = uvicorn_calls
    assert call["app"] == APP_FACTORY and call["factory"] is True
    assert (call["host"], call["port"], call["reload"]) == ("127.0.0.1", 8000, False)
    # X-Forwarded-For is not believed unless a proxy is named: rotating it cannot escape limits.
    assert call["proxy_headers"] is False
    assert call["env"]["BEDSIDE_HOME"] == str(bedside_home)
    assert "http://127.0.0.1:8000/" in result.output


def test_serve_passes_options_and_settings_to_the_worker(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], tmp_path: Path
) -> None:
    config = tmp_path / "bedside.toml"
    config.write_text("[web]\nport = 8123\n")
    result = cli_runner.invoke(
        cli,
        ["--home", str(tmp_path / "h"), "--kb", "ward", "--config", str(config),
         "serve", "--host", "0.0.0.0", "--reload"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (call,) = uvicorn_calls
    assert (call["host"], call["port"], call["reload"]) == ("0.0.0.0", 8123, True)
    assert call["env"]["BEDSIDE_HOME"] == str(tmp_path / "h")
    assert call["env"]["BEDSIDE_STORE__KB"] == "ward"
    assert call["env"][CONFIG_FILE_VARIABLE] == str(config.resolve())


def test_serve_refuses_bad_settings_before_starting(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEDSIDE_WEB__ENVIRONMENT", "production")
    monkeypatch.setenv("BEDSIDE_WEB__SECRET_KEY", "too-short")
    result = cli_runner.invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "at least 32 characters" in result.output
    assert uvicorn_calls == []


def test_serve_believes_forwarded_addresses_only_from_named_proxies(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEDSIDE_WEB__FORWARDED_ALLOW_IPS", "10.0.0.5")
    result = cli_runner.invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    (call,) = uvicorn_calls
    assert call["proxy_headers"] is True and call["forwarded_allow_ips"] == "10.0.0.5"


def test_serve_starts_the_workers_asked_for(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = cli_runner.invoke(cli, ["serve", "--workers", "4"])
    assert result.exit_code == 0, result.output
    assert uvicorn_calls[-1]["workers"] == 4 and "4 workers" in result.output
    monkeypatch.setenv("BEDSIDE_WEB__WORKERS", "3")  # web.workers: the default of --workers
    assert cli_runner.invoke(cli, ["serve"]).exit_code == 0
    assert uvicorn_calls[-1]["workers"] == 3


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_serve_refuses_fewer_than_one_worker(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]], workers: str
) -> None:
    result = cli_runner.invoke(cli, ["serve", "--workers", workers])
    assert result.exit_code == 2
    assert f"Invalid value for --workers: {workers} workers: give 1 or more" in result.output
    assert uvicorn_calls == []


def test_serve_refuses_reload_with_several_workers(
    cli_runner: CliRunner, uvicorn_calls: list[dict[str, Any]]
) -> None:
    result = cli_runner.invoke(cli, ["serve", "--reload", "--workers", "2"])
    assert result.exit_code == 2
    assert "--reload runs one worker" in result.output
    assert uvicorn_calls == []
