"""`SqliteFile`: the connection handling every SQLite-backed index file shares."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bedside.errors import StoreError


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
