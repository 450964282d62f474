"""`SqliteStore`: one SQLite file per knowledge base, in WAL mode, with numbered migrations."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedside.domain import Document, IngestOutcome, KbStats, Passage, PassageContext
from bedside.errors import NotFoundError, StoreError
from bedside.store.base import (
    FileRecord,
    StoredAnswer,
    StoredEvent,
    StoredSession,
    StoredUser,
)
from bedside.store.migration_files import Migration, load_migration_files
from bedside.store.rows import (
    ANSWER_INSERT_COLUMNS,
    DOCUMENT_COLUMNS,
    DOCUMENT_INSERT_COLUMNS,
    EVENT_COLUMNS,
    PASSAGE_COLUMNS,
    SESSION_COLUMNS,
    USER_COLUMNS,
    answer_record,
    answer_row,
    document_from_row,
    document_row,
    now_iso,
    passage_from_row,
    passage_row,
    placeholders,
    prefixed,
    record_json,
    user_from_row,
)

if TYPE_CHECKING:
    from bedside.config import Settings

_REBUILDS_TABLES = "-- bedside: rebuilds tables"
_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({DOCUMENT_INSERT_COLUMNS})"
    f" VALUES ({placeholders(DOCUMENT_INSERT_COLUMNS, '?')})"
)
_INSERT_PASSAGE = (
    f"INSERT INTO passages ({PASSAGE_COLUMNS}) VALUES ({placeholders(PASSAGE_COLUMNS, '?')})"
)


def _create_owner_only(path: Path) -> None:
    """The knowledge base holds readers' questions and password hashes: its folder is created
    0700 and its file 0600 (SQLite gives its -wal and -shm files the file's permissions), and
    an existing file readable by others is narrowed to its owner."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    elif path.stat().st_mode & 0o077:
        path.chmod(0o600)


def load_migrations() -> list[Migration]:
    """The numbered SQL migrations of the SQLite store, in order."""
    return load_migration_files("sqlite")


class SqliteStore:
    """The default `Store`: a single SQLite file, safe against a killed process."""

    name = "sqlite"

    def __init__(self, path: Path, *, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._conn: sqlite3.Connection | None = None
        self._bulk_commit_every = 0
        self._bulk_pending = 0
        self._kb_version_cache: tuple[tuple[int, int], str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SqliteStore:
        return cls(settings.kb_path(), busy_timeout_ms=settings.store.busy_timeout_ms)

    @property
    def location(self) -> str:
        return str(self.path)

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self, *, migrate_to: int | None = None) -> None:
        _create_owner_only(self.path)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode keeps the database consistent after a crash; at worst the last
            # transactions before a power loss are rolled back, never half-applied.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable SQLite knowledge base: {exc}") from exc
        self._conn = conn
        self.migrate(target=migrate_to)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> SqliteStore:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: store is not open")
        return self._conn

    # -- migrations --------------------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT max(number) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self, *, target: int | None = None) -> list[int]:
        """Apply pending migrations up to `target` (default: all); return the numbers applied."""
        migrations = load_migrations()
        latest = migrations[-1].number if migrations else 0
        target = latest if target is None else target
        current = self.schema_version()
        if current > latest:
            raise StoreError(
                f"{self.path}: knowledge base schema version {current} is newer than this "
                f"version of Bedside supports ({latest}); upgrade Bedside"
            )
        applied = []
        for migration in migrations:
            if current < migration.number <= target:
                self._apply(migration)
                applied.append(migration.number)
        return applied

    def _apply(self, migration: Migration) -> None:
        conn = self.conn
        # A migration that rebuilds a table (SQLite cannot alter a constraint) runs with
        # foreign keys off, which SQLite allows only outside a transaction, and is checked
        # for dangling references before it commits.
        rebuilds = migration.sql.startswith(_REBUILDS_TABLES)
        if rebuilds:
            conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in _split_sql(migration.sql):
                conn.execute(statement)
            if rebuilds and conn.execute("PRAGMA foreign_key_check").fetchall():
                raise StoreError(
                    f"{self.path}: migration {migration.number} ({migration.name}) would leave "
                    "dangling references; nothing was changed"
                )
            conn.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (migration.number, migration.name, now_iso()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            if rebuilds:
                conn.execute("PRAGMA foreign_keys = ON")

    # -- documents ---------------------------------------------------------------------------

    def put_document(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        if self._bulk_commit_every:
            return self._put_in_bulk(document, passages, body=body)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            outcome = self._put_document(document, passages, body=body)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return outcome

    @contextmanager
    def bulk(self, *, commit_every: int = 500) -> Iterator[None]:
        """Group many `put_document` calls into few commits; each document stays atomic.

        Inside, every document is written under its own SAVEPOINT (a nested transaction), and
        the enclosing transaction commits every `commit_every` documents and on exit. A process
        killed mid-batch loses only the uncommitted documents, never part of one.
        """
        if self._bulk_commit_every:
            yield
            return
        self._bulk_commit_every = commit_every
        self._bulk_pending = 0
        try:
            yield
        finally:
            self._bulk_commit_every = 0
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def _put_in_bulk(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        conn = self.conn
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        conn.execute("SAVEPOINT put_document")
        try:
            outcome = self._put_document(document, passages, body=body)
            conn.execute("RELEASE put_document")
        except BaseException:
            conn.execute("ROLLBACK TO put_document")
            conn.execute("RELEASE put_document")
            raise
        self._bulk_pending += 1
        if self._bulk_pending >= self._bulk_commit_every:
            conn.execute("COMMIT")
            self._bulk_pending = 0
        return outcome

    def _put_document(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        conn = self.conn
        current = conn.execute(
            "SELECT document_id FROM documents WHERE document_key = ? AND status = 'current'",
            (document.document_key,),
        ).fetchone()
        if current and current[0] == document.document_id:
            return IngestOutcome.UNCHANGED
        known = conn.execute(
            "SELECT status FROM documents WHERE document_id = ?", (document.document_id,)
        ).fetchone()
        if current:
            conn.execute(
                "UPDATE documents SET status = 'superseded' WHERE document_id = ?", (current[0],)
            )
        if known:
            # The same content came back (an edit was reverted, a deletion undone): the old
            # version becomes current again, so its passage ids keep their meaning.
            conn.execute(
                "UPDATE documents SET status = 'current', superseded_by = NULL"
                " WHERE document_id = ?",
                (document.document_id,),
            )
            self._link_superseded(current, document.document_id)
            return IngestOutcome.UPDATED
        version = conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM documents WHERE document_key = ?",
            (document.document_key,),
        ).fetchone()[0]
        conn.execute(_INSERT_DOCUMENT, document_row(document, version=version, body=body))
        conn.executemany(_INSERT_PASSAGE, [passage_row(passage) for passage in passages])
        self._link_superseded(current, document.document_id)
        return IngestOutcome.UPDATED if current else IngestOutcome.ADDED

    def _link_superseded(self, previous: tuple[str] | None, document_id: str) -> None:
        if previous:
            self.conn.execute(
                "UPDATE documents SET superseded_by = ? WHERE document_id = ?",
                (document_id, previous[0]),
            )

    def delete_document(self, document_key: str) -> bool:
        cursor = self.conn.execute(
            "UPDATE documents SET status = 'deleted' WHERE document_key = ? AND status = 'current'",
            (document_key,),
        )
        return cursor.rowcount > 0

    def current_document_id(self, document_key: str) -> str | None:
        row = self.conn.execute(
            "SELECT document_id FROM documents WHERE document_key = ? AND status = 'current'",
            (document_key,),
        ).fetchone()
        return str(row[0]) if row else None

    def get_document(self, document_id: str) -> Document:
        row = self.conn.execute(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE document_id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id!r}")
        return document_from_row(row)

    def get_document_body(self, document_id: str) -> str:
        row = self.conn.execute(
            "SELECT body FROM documents WHERE document_id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id!r}")
        return str(row[0])

    def get_passage(self, passage_id: str) -> Passage:
        row = self.conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE passage_id = ?", (passage_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no passage with id {passage_id!r}")
        return passage_from_row(row)

    def list_passages(self, document_id: str) -> list[Passage]:
        rows = self.conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE document_id = ? ORDER BY ordinal",
            (document_id,),
        ).fetchall()
        return [passage_from_row(row) for row in rows]

    def iter_current_passages(self) -> Iterator[Passage]:
        cursor = self.conn.execute(
            f"SELECT {prefixed(PASSAGE_COLUMNS, 'p')} FROM passages p"
            " JOIN documents d ON d.document_id = p.document_id"
            " WHERE d.status = 'current' ORDER BY p.rowid"
        )
        for row in cursor:
            yield passage_from_row(row)

    def iter_current_passage_contexts(self) -> Iterator[PassageContext]:
        cursor = self.conn.execute(
            f"SELECT {prefixed(PASSAGE_COLUMNS, 'p')}, d.source_id, d.title, d.kind, d.year,"
            " d.source FROM passages p JOIN documents d ON d.document_id = p.document_id"
            " WHERE d.status = 'current' ORDER BY p.rowid"
        )
        for row in cursor:
            yield PassageContext(passage_from_row(row[:9]), *row[9:])

    def iter_current_documents(self, *, origins: Sequence[str]) -> Iterator[Document]:
        marks = ", ".join("?" * len(origins))
        cursor = self.conn.execute(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents"
            f" WHERE status = 'current' AND origin IN ({marks}) ORDER BY rowid",
            tuple(origins),
        )
        for row in cursor:
            yield document_from_row(row)

    def current_passage_ids(self) -> set[str]:
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT p.passage_id FROM passages p JOIN documents d USING (document_id)"
                " WHERE d.status = 'current'"
            )
        }

    def stats(self) -> KbStats:
        conn = self.conn
        documents, current = conn.execute(
            "SELECT count(*), coalesce(sum(status = 'current'), 0) FROM documents"
        ).fetchone()
        passages = conn.execute(
            "SELECT count(*) FROM passages p JOIN documents d USING (document_id)"
            " WHERE d.status = 'current'"
        ).fetchone()[0]
        by_kind = dict(
            conn.execute(
                "SELECT kind, count(*) FROM documents WHERE status = 'current' GROUP BY kind"
            ).fetchall()
        )
        by_origin = dict(
            conn.execute(
                "SELECT origin, count(*) FROM documents WHERE status = 'current' GROUP BY origin"
            ).fetchall()
        )
        size = sum(
            candidate.stat().st_size
            for candidate in (self.path, Path(f"{self.path}-wal"))
            if candidate.exists()
        )
        return KbStats(
            documents=int(documents),
            current_documents=int(current),
            passages=int(passages),
            documents_by_kind={str(k): int(v) for k, v in sorted(by_kind.items())},
            documents_by_origin={str(k): int(v) for k, v in sorted(by_origin.items())},
            schema_version=self.schema_version(),
            size_bytes=size,
        )

    # -- file ledger -------------------------------------------------------------------------

    def find_file(self, *, content_hash: str, reader_key: str) -> FileRecord | None:
        row = self.conn.execute(
            "SELECT path, size_bytes, mtime_ns, content_hash, reader_key, documents"
            " FROM ingested_files WHERE content_hash = ? AND reader_key = ? LIMIT 1",
            (content_hash, reader_key),
        ).fetchone()
        return FileRecord(*row) if row else None

    def record_file(self, record: FileRecord) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO ingested_files"
            " (path, size_bytes, mtime_ns, content_hash, reader_key, documents, finished_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                record.path,
                record.size_bytes,
                record.mtime_ns,
                record.content_hash,
                record.reader_key,
                record.documents,
                now_iso(),
            ),
        )

    def forget_file(self, path: str) -> None:
        self.conn.execute("DELETE FROM ingested_files WHERE path = ?", (path,))

    def check_integrity(self) -> list[str]:
        conn = self.conn
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        mismatched = conn.execute(
            "SELECT d.document_id, d.passage_count, count(p.passage_id) FROM documents d"
            " LEFT JOIN passages p USING (document_id)"
            " GROUP BY d.document_id HAVING d.passage_count != count(p.passage_id)"
        ).fetchall()
        problems += [
            f"document {doc_id} expects {want} passages, has {have}"
            for doc_id, want, have in mismatched
        ]
        doubled = conn.execute(
            "SELECT document_key FROM documents WHERE status = 'current'"
            " GROUP BY document_key HAVING count(*) > 1"
        ).fetchall()
        problems += [f"{key} has more than one current version" for (key,) in doubled]
        return problems

    # -- answers --------------------------------------------------------------------------------

    def kb_version(self) -> str:
        # Scanning the documents table costs tens of ms on a large knowledge base, and the stored
        # answer path asks for the version every time. It can only change after a commit: by
        # another connection (PRAGMA data_version moves) or by this one (total_changes moves).
        marker = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        cached = self._kb_version_cache
        if cached is not None and cached[0] == marker:
            return cached[1]
        row = self.conn.execute(
            "SELECT count(*), coalesce(max(rowid), 0), coalesce(sum(status = 'current'), 0),"
            " coalesce(max(ingested_at), '') FROM documents"
        ).fetchone()
        version = hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:16]
        self._kb_version_cache = (marker, version)
        return version

    def save_answer(self, answer: StoredAnswer) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO answers ({ANSWER_INSERT_COLUMNS})"
                f" VALUES ({placeholders(ANSWER_INSERT_COLUMNS, '?')})",
                answer_row(answer),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(f"cannot store answer {answer.answer_id!r}: {error}") from error

    def find_answer(
        self,
        *,
        question_key: str,
        audience: str,
        kb_version: str,
        settings_fingerprint: str,
        follow_up_of: str | None,
    ) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record FROM answers WHERE question_key = ? AND audience = ?"
            " AND kb_version = ? AND settings_fingerprint = ? AND follow_up_of IS ?"
            " ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (question_key, audience, kb_version, settings_fingerprint, follow_up_of),
        ).fetchone()
        return None if row is None else answer_record(row[0])

    def get_answer(self, answer_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT record FROM answers WHERE answer_id = ?", (answer_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no answer with id {answer_id!r}")
        return answer_record(row[0])

    def answered_questions(
        self, *, limit: int = 500, approved_only: bool = False
    ) -> list[tuple[str, str]]:
        approved = " AND review_status = 'approved'" if approved_only else ""
        rows = self.conn.execute(
            "SELECT answer_id, question FROM answers WHERE kind = 'answer'"
            + approved
            + " ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(str(answer_id), str(question)) for answer_id, question in rows]

    # -- review -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside commit together or not at all; nested, it becomes a savepoint.

        BEGIN IMMEDIATE takes the write lock at once, so what is read inside (a review status
        about to change) cannot be changed by another writer before the commit.
        """
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT review_transaction")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK TO review_transaction")
                conn.execute("RELEASE review_transaction")
                raise
            conn.execute("RELEASE review_transaction")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def set_answer_review_status(self, answer_id: str, *, status: str, updated_at: str) -> None:
        with self.transaction():
            record = self.get_answer(answer_id)
            record["review"] = {"status": status, "updated_at": updated_at}
            if "last_updated" in record:
                record["last_updated"] = updated_at
            self.conn.execute(
                "UPDATE answers SET review_status = ?, updated_at = ?, record = ?"
                " WHERE answer_id = ?",
                (status, updated_at, record_json(record), answer_id),
            )

    def set_answer_public_text(self, answer_id: str, *, title: str, question: str) -> None:
        with self.transaction():
            record = self.get_answer(answer_id)
            record["title"], record["question"] = title, question
            # Zeros over the replaced text: the wording the editor removed must not linger.
            self.conn.execute("PRAGMA secure_delete = ON")
            self.conn.execute(
                "UPDATE answers SET question = ?, record = ? WHERE answer_id = ?",
                (question, record_json(record), answer_id),
            )

    def review_queue(self, statuses: Sequence[str]) -> list[dict[str, Any]]:
        marks = ", ".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT record FROM answers WHERE kind = 'answer' AND review_status IN ({marks})"
            " ORDER BY created_at, rowid",
            tuple(statuses),
        ).fetchall()
        return [answer_record(row[0]) for row in rows]

    def latest_approved_answer(self, *, question_key: str, audience: str) -> dict[str, Any] | None:
        # Approved is final, so `updated_at` of an approved answer is when it was approved.
        row = self.conn.execute(
            "SELECT record FROM answers WHERE question_key = ? AND audience = ?"
            " AND review_status = 'approved' AND kind = 'answer' AND follow_up_of IS NULL"
            " ORDER BY updated_at DESC, rowid DESC LIMIT 1",
            (question_key, audience),
        ).fetchone()
        return None if row is None else answer_record(row[0])

    def revision_of(self, answer_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT revision_of FROM answers WHERE answer_id = ?", (answer_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no answer with id {answer_id!r}")
        return None if row[0] is None else str(row[0])

    def add_user(self, user: StoredUser) -> None:
        try:
            self.conn.execute(
                "INSERT INTO users (user_id, username, role, password_hash, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user.user_id, user.username, user.role, user.password_hash, user.created_at),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(f"cannot add user {user.username!r}: {error}") from error

    def get_user_by_name(self, username: str) -> StoredUser | None:
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else user_from_row(row)

    def purge_answers(self, *, created_before: str) -> int:
        conn = self.conn
        # Zeros over the deleted rows: a reader's question must not linger in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute(
                "DELETE FROM answers WHERE created_at < ?"
                " AND (kind = 'refusal' OR review_status = 'submitted')"
                " AND answer_id NOT IN (SELECT subject_id FROM audit_events)"
                " AND answer_id NOT IN (SELECT subject_id FROM assignments)"
                " AND answer_id NOT IN"
                "  (SELECT follow_up_of FROM answers WHERE follow_up_of IS NOT NULL)"
                " AND answer_id NOT IN"
                "  (SELECT revision_of FROM answers WHERE revision_of IS NOT NULL)",
                (created_before,),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return cursor.rowcount

    def update_user(
        self,
        username: str,
        *,
        password_hash: str | None = None,
        role: str | None = None,
        disabled: bool | None = None,
    ) -> None:
        changes = {
            "password_hash": password_hash,
            "role": role,
            "disabled": None if disabled is None else int(disabled),
        }
        given = {column: value for column, value in changes.items() if value is not None}
        if not given:
            return
        assignments = ", ".join(f"{column} = ?" for column in given)
        cursor = self.conn.execute(
            f"UPDATE users SET {assignments} WHERE username = ?", (*given.values(), username)
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"no user named {username!r}")

    # -- sign-in sessions -----------------------------------------------------------------------

    def add_session(self, session: StoredSession) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO sign_in_sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.token_hash,
                    session.user_id,
                    session.csrf_token,
                    session.started_at,
                    session.seen_at,
                    session.ended_at,
                ),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(f"cannot add a session for {session.user_id!r}: {error}") from error

    def get_session(self, token_hash: str) -> StoredSession | None:
        row = self.conn.execute(
            f"SELECT {SESSION_COLUMNS} FROM sign_in_sessions WHERE token_hash = ?", (token_hash,)
        ).fetchone()
        return None if row is None else StoredSession(*row)

    def touch_session(self, token_hash: str, *, seen_at: str) -> None:
        self.conn.execute(
            "UPDATE sign_in_sessions SET seen_at = ? WHERE token_hash = ?", (seen_at, token_hash)
        )

    def end_sessions(self, user_id: str, *, ended_at: str) -> int:
        cursor = self.conn.execute(
            "UPDATE sign_in_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
            (ended_at, user_id),
        )
        return cursor.rowcount

    def list_sessions(self, user_id: str) -> list[StoredSession]:
        rows = self.conn.execute(
            f"SELECT {SESSION_COLUMNS} FROM sign_in_sessions"
            " WHERE user_id = ? AND ended_at IS NULL ORDER BY started_at DESC",
            (user_id,),
        )
        return [StoredSession(*row) for row in rows]

    # -- throttles ------------------------------------------------------------------------------

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None:
        conn = self.conn
        # The write lock first (BEGIN IMMEDIATE), so two workers cannot both take the last slot.
        with self.transaction():
            # Every key's expired events, not only this one's: nothing outlives its window.
            conn.execute(
                "DELETE FROM throttle_events WHERE scope = ? AND at <= ?", (scope, now - window)
            )
            count, oldest = conn.execute(
                "SELECT count(*), min(at) FROM throttle_events WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if count < limit:
                conn.execute(
                    "INSERT INTO throttle_events (scope, key, at) VALUES (?, ?, ?)",
                    (scope, key, now),
                )
        return None if count < limit else float(oldest)

    def record_event(self, scope: str, key: str, *, at: float) -> None:
        self.conn.execute(
            "INSERT INTO throttle_events (scope, key, at) VALUES (?, ?, ?)", (scope, key, at)
        )

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]:
        rows = self.conn.execute(
            "SELECT at FROM throttle_events WHERE scope = ? AND key = ? AND at >= ? ORDER BY at",
            (scope, key, since),
        )
        return [float(at) for (at,) in rows]

    def clear_events(self, scope: str, key: str) -> None:
        self.conn.execute("DELETE FROM throttle_events WHERE scope = ? AND key = ?", (scope, key))

    def forget_events(self, scope: str, *, before: float) -> None:
        self.conn.execute("DELETE FROM throttle_events WHERE scope = ? AND at < ?", (scope, before))

    def list_users(self) -> list[StoredUser]:
        rows = self.conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY username")
        return [user_from_row(row) for row in rows]

    def append_event(self, event: StoredEvent) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO audit_events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.event_id,
                    event.subject_id,
                    event.subject_kind,
                    event.actor,
                    event.action,
                    event.from_status,
                    event.to_status,
                    event.note,
                    event.created_at,
                ),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(f"cannot append audit event {event.event_id!r}: {error}") from error

    def events_for(self, subject_id: str) -> list[StoredEvent]:
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM audit_events WHERE subject_id = ?"
            " ORDER BY created_at, rowid",
            (subject_id,),
        )
        return [StoredEvent(*row) for row in rows]

    def assign(self, subject_id: str, *, assignee: str, assigned_by: str, assigned_at: str) -> None:
        self.conn.execute(
            "INSERT INTO assignments (subject_id, assignee, assigned_by, assigned_at)"
            " VALUES (?, ?, ?, ?)",
            (subject_id, assignee, assigned_by, assigned_at),
        )

    def assignee_of(self, subject_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT assignee FROM assignments WHERE subject_id = ?"
            " ORDER BY assigned_at DESC, rowid DESC LIMIT 1",
            (subject_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def card_review_status(self, card_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT status FROM card_reviews WHERE card_id = ?", (card_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_card_review_status(self, card_id: str, *, status: str, updated_at: str) -> None:
        self.conn.execute(
            "INSERT INTO card_reviews (card_id, status, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (card_id) DO UPDATE SET status = excluded.status,"
            " updated_at = excluded.updated_at",
            (card_id, status, updated_at),
        )


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our migrations hold no '--' inside literals).

    A ';' ends a statement only where SQLite says the statement is complete, so a trigger's
    `BEGIN ...; END` body stays whole.
    """
    without_comments = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    statements: list[str] = []
    pending = ""
    for piece in without_comments.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                statements.append(pending.strip().removesuffix(";").strip())
            pending = ""
    if pending.strip(" \t\n;"):
        statements.append(pending.strip().removesuffix(";").strip())
    return statements
