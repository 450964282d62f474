"""Shared fixtures: isolated settings and store, the shared real corpora, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bedside.config import IndexSettings, Settings, load_settings
from bedside.service import Service, bundled_cards_path
from bedside.store.sqlite import SqliteStore

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("BEDSIDE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
).resolve()


@pytest.fixture(autouse=True)
def bedside_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory; nothing touches the user's real one."""
    home = tmp_path / "bedside-home"
    for name in list(os.environ):
        if name.startswith("BEDSIDE_") and name != "BEDSIDE_SHARED_DATA":
            monkeypatch.delenv(name)
    monkeypatch.setenv("BEDSIDE_HOME", str(home))
    # The deterministic hashing embedder keeps tests fast; MiniLM has its own contract tests.
    monkeypatch.setenv("BEDSIDE_INDEX__EMBEDDER", "hashing")
    return home


@pytest.fixture
def shared_data() -> Path:
    """The real corpora in ../shared/data; their tests must run, never skip."""
    assert SHARED_DATA.is_dir(), f"shared data not found at {SHARED_DATA}"
    return SHARED_DATA


@pytest.fixture
def settings(bedside_home: Path) -> Settings:
    return load_settings()


@pytest.fixture
def store(settings: Settings) -> Iterator[SqliteStore]:
    store = SqliteStore(settings.kb_path())
    store.open()
    yield store
    store.close()


@pytest.fixture
def cli_runner() -> CliRunner:
    return CliRunner()


# -- a knowledge base of the bundled cards, built once per session and copied for each test ------


def _bundled_kb_settings(home: Path) -> Settings:
    # Every part pinned: the session-wide template is built before the per-test fixture clears
    # the developer's BEDSIDE_* variables (a BEDSIDE_STORE__KB in the shell moved it elsewhere).
    return load_settings(
        overrides={"home": home, "store": {"kb": "default"}, "index": {"embedder": "hashing"}}
    )


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("bundled-kb")
    with Service(_bundled_kb_settings(home)) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
    return home


@pytest.fixture
def bundled_settings(bundled_template: Path, tmp_path: Path) -> Settings:
    """Settings over a private copy of the bundled knowledge base (answers are stored per test)."""
    home = tmp_path / "kb-copy"
    shutil.copytree(bundled_template, home)
    return _bundled_kb_settings(home)


@pytest.fixture(scope="session")
def bundled_default_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The bundled cards with the default settings (the packaged MiniLM model), as a fresh
    install answers: for the few tests of what an article says, which the hashing embedder of
    `bundled` cannot rank by meaning. Shared by the session: ask with `fresh=True`."""
    home = tmp_path_factory.mktemp("bundled-default-model")
    default_embedder = IndexSettings.model_fields["embedder"].default
    settings = load_settings(
        overrides={
            "home": home,
            "store": {"kb": "default"},
            "index": {"embedder": default_embedder},
        }
    )
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
        yield service


@pytest.fixture
def bundled(bundled_settings: Settings) -> Iterator[Service]:
    with Service(bundled_settings) as service:
        yield service
