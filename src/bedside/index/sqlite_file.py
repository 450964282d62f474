"""`SqliteFile`: the connection handling every SQLite-backed index file shares."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from bedside.errors import StoreError

if TYPE_CHECKING:
    from bedside.config import Settings


def keyword_index_file(settings: Settings) -> Path:
    """Where a file-backed keyword index of the selected knowledge base lives."""
    return settings.index_dir() / f"keyword-{settings.index.keyword}.sqlite"


def vector_index_file(settings: Settings, vector_set: str) -> Path:
    """Where a file-backed vector index of `vector_set` (one embedder version and window size)
    lives: vectors of another version are never mixed in."""
    return settings.index_dir() / f"vectors-{settings.index.vectors}-{vector_set}.sqlite"


class SqliteFile:
    """Owns one SQLite file in WAL mode: opened with its schema, closed, checked open on use."""

    def __init__(self, path: Path, *, what: str) -> None:
        self.path = Path(path)
        self._what = what
        self._conn: sqlite3.Connection | None = None

    def _connect(self, schema: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        # Indexes are derived data: after a crash they are rebuilt or topped up from the store.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(schema)
        self._conn = conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: {self._what} is not open")
        return self._conn
