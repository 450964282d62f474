"""The `Store` contract: durable records of documents and passages.

Search-specific structures (keyword and vector indexes) are not the store's business; they live in
`bedside.index`. Engine-specific SQL lives only in the engine's module.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self

from bedside.domain import Document, IngestOutcome, KbStats, Passage, PassageContext

if TYPE_CHECKING:
    from bedside.config import Settings


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A file whose every document was stored: re-ingesting the same bytes can skip it."""

    path: str
    size_bytes: int
    mtime_ns: int
    content_hash: str
    reader_key: str
    documents: int


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer as the store keeps it: its JSON record plus the columns lookups use."""

    answer_id: str
    question: str
    question_key: str  # the question normalised for lookup (case, spacing, end punctuation)
    audience: str
    kind: str  # "answer" or "refusal"
    kb_version: str
    settings_fingerprint: str
    follow_up_of: str | None
    review_status: str
    record: dict[str, Any]
    created_at: str
    updated_at: str
    revision_of: str | None = None  # the approved answer this one would replace, once approved


@dataclass(frozen=True, slots=True)
class StoredUser:
    """A review board account as the store keeps it (the only place its password hash lives)."""

    user_id: str
    username: str
    role: str
    password_hash: str
    created_at: str
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A sign-in session of a board member. The cookie holds the token; the store only its
    SHA-256 (`token_hash`), so the database alone signs no one in."""

    token_hash: str
    user_id: str
    csrf_token: str
    started_at: str  # ISO 8601, UTC
    seen_at: str
    ended_at: str | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One audit event as the store keeps it (append-only: never updated or deleted)."""

    event_id: str
    subject_id: str
    subject_kind: str  # "answer" or "card"
    actor: str
    action: str
    from_status: str
    to_status: str
    note: str
    created_at: str


class Store(Protocol):
    """Keeps documents (every version), passages, answers and review records of one knowledge base.

    Contract:
    - `from_settings` is cheap: nothing is opened or connected until `open()`.
    - `open()` creates the knowledge base if needed and applies pending migrations; it refuses a
      knowledge base whose schema is newer than this code, or one it cannot reach (`StoreError`).
    - `put_document` is atomic: either the document and all its passages are stored, or nothing is.
      Storing a document whose `document_id` is already current changes nothing (`UNCHANGED`);
      a new `document_id` for a known `document_key` becomes the current version and the previous
      one is marked superseded (`UPDATED`). Old versions and their passages stay readable.
    - Lookups raise `NotFoundError` for unknown ids.
    - Audit events are append-only: the engine itself refuses to update or delete one.
    - An answer's record changes only through `set_answer_review_status`, and only its `review`
      (and `last_updated`); approved answers are not changed by the workflow at all.
    - No network access.
    """

    name: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened store for the knowledge base that settings select."""
        ...

    @property
    def location(self) -> str:
        """Where the knowledge base is kept, for messages: a path or a URL (never a password)."""
        ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def schema_version(self) -> int: ...

    def put_document(
        self, document: Document, passages: Sequence[Passage], *, body: str
    ) -> IngestOutcome:
        """Store one document version, its body text and its passages, atomically."""
        ...

    def bulk(self, *, commit_every: int = 500) -> AbstractContextManager[None]:
        """A scope in which `put_document` calls share commits; each document stays atomic."""
        ...

    def delete_document(self, document_key: str) -> bool:
        """Mark the current version of a source deleted; False when there is none."""
        ...

    def current_document_id(self, document_key: str) -> str | None: ...

    def get_document(self, document_id: str) -> Document: ...

    def get_document_body(self, document_id: str) -> str: ...

    def get_passage(self, passage_id: str) -> Passage: ...

    def list_passages(self, document_id: str) -> list[Passage]: ...

    def iter_current_passages(self) -> Iterator[Passage]: ...

    def iter_current_passage_contexts(self) -> Iterator[PassageContext]:
        """Every passage of a current document, with its document's title and filter facts."""
        ...

    def iter_current_documents(self, *, origins: Sequence[str]) -> Iterator[Document]: ...

    def current_passage_ids(self) -> set[str]: ...

    def stats(self) -> KbStats: ...

    def find_file(self, *, content_hash: str, reader_key: str) -> FileRecord | None: ...

    def record_file(self, record: FileRecord) -> None: ...

    def forget_file(self, path: str) -> None:
        """Drop the ledger entry of the file at `path` (every reader), so that its next ingest
        reads it again: another file has since replaced documents it gave."""
        ...

    def check_integrity(self) -> list[str]:
        """Problems found in the stored data (empty when consistent)."""
        ...

    # -- answers ------------------------------------------------------------------------------

    def kb_version(self) -> str:
        """A short token that changes whenever any document is added, updated or deleted."""
        ...

    def save_answer(self, answer: StoredAnswer) -> None:
        """Store a new answer (atomic); an existing `answer_id` raises `StoreError`."""
        ...

    def find_answer(
        self,
        *,
        question_key: str,
        audience: str,
        kb_version: str,
        settings_fingerprint: str,
        follow_up_of: str | None,
    ) -> dict[str, Any] | None:
        """The record of the latest answer to this question in this context, if any."""
        ...

    def get_answer(self, answer_id: str) -> dict[str, Any]:
        """The record of one answer; `NotFoundError` if unknown."""
        ...

    def answered_questions(
        self, *, limit: int = 500, approved_only: bool = False
    ) -> list[tuple[str, str]]:
        """(answer_id, question) of recent articles (not refusals), newest first; with
        `approved_only`, only articles an editor has approved (safe to show other readers)."""
        ...

    def purge_answers(self, *, created_before: str) -> int:
        """Delete, for good, refusals and articles nobody has reviewed that were created before
        `created_before` (ISO 8601) and that no review event, assignment, follow-up or revision
        refers to; the number deleted. Deleted text is overwritten, not left in free pages (an
        engine without secure delete vacuums at once and documents what remains)."""
        ...

    # -- review -------------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """A scope whose writes commit together or not at all, and that reads see unchanged.

        Nested in another transaction (or in `bulk`), it joins it as a nested savepoint.
        """
        ...

    def set_answer_review_status(self, answer_id: str, *, status: str, updated_at: str) -> None:
        """Set an answer's review status: its column and its record's `review`, atomically.

        `NotFoundError` if unknown. No other field of the record changes.
        """
        ...

    def set_answer_public_text(self, answer_id: str, *, title: str, question: str) -> None:
        """Set the title and question an article is shown under (an editor's wording on
        approval): the record's `title` and `question` and the question column, atomically.
        `NotFoundError` if unknown; the question key it is found by does not change."""
        ...

    def review_queue(self, statuses: Sequence[str]) -> list[dict[str, Any]]:
        """Records of the articles (not refusals) in any of `statuses`, oldest first."""
        ...

    def latest_approved_answer(self, *, question_key: str, audience: str) -> dict[str, Any] | None:
        """The record of the most recently approved stand-alone article (not a follow-up)."""
        ...

    def revision_of(self, answer_id: str) -> str | None:
        """The approved answer this one is a revision of (None if it is not a revision)."""
        ...

    def add_user(self, user: StoredUser) -> None:
        """Store a new user; a taken username or user id raises `StoreError`."""
        ...

    def get_user_by_name(self, username: str) -> StoredUser | None: ...

    def update_user(
        self,
        username: str,
        *,
        password_hash: str | None = None,
        role: str | None = None,
        disabled: bool | None = None,
    ) -> None:
        """Change a user's password hash, role or disabled flag (only those given);
        `NotFoundError` for an unknown username."""
        ...

    def add_session(self, session: StoredSession) -> None:
        """Store a new sign-in session."""
        ...

    def get_session(self, token_hash: str) -> StoredSession | None:
        """The session with this token hash (ended or not), or None."""
        ...

    def touch_session(self, token_hash: str, *, seen_at: str) -> None:
        """Record that the session was used at `seen_at`."""
        ...

    def end_sessions(self, user_id: str, *, ended_at: str) -> int:
        """End every live session of a user; how many were live."""
        ...

    def list_sessions(self, user_id: str) -> list[StoredSession]:
        """The user's sessions that have not ended, newest first."""
        ...

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None:
        """Count one event for (`scope`, `key`) at `now` (seconds since the epoch) unless
        `limit` events already fall in the last `window` seconds; None when counted, else the
        time of the oldest event in the window. Atomic across processes sharing the store."""
        ...

    def record_event(self, scope: str, key: str, *, at: float) -> None:
        """Count one event (a failed sign-in) for (`scope`, `key`)."""
        ...

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]:
        """When the events of (`scope`, `key`) at or after `since` happened, oldest first."""
        ...

    def clear_events(self, scope: str, key: str) -> None:
        """Forget every event of (`scope`, `key`) (a successful sign-in)."""
        ...

    def forget_events(self, scope: str, *, before: float) -> None:
        """Forget every event of `scope` older than `before` (counted by no window any more)."""
        ...

    def list_users(self) -> list[StoredUser]:
        """Every user, by username."""
        ...

    def append_event(self, event: StoredEvent) -> None:
        """Add an audit event. Events are never updated or deleted (the engine refuses it)."""
        ...

    def events_for(self, subject_id: str) -> list[StoredEvent]:
        """The audit events of one answer or card, oldest first."""
        ...

    def assign(self, subject_id: str, *, assignee: str, assigned_by: str, assigned_at: str) -> None:
        """Record that `assignee` now has `subject_id` (earlier assignments are kept)."""
        ...

    def assignee_of(self, subject_id: str) -> str | None:
        """Who `subject_id` was most recently assigned to, if anyone."""
        ...

    def card_review_status(self, card_id: str) -> str | None:
        """A card's review status, once the workflow has set one (None before)."""
        ...

    def set_card_review_status(self, card_id: str, *, status: str, updated_at: str) -> None: ...
