"""Rows as both store engines keep them: the columns, and the mapping to and from domain types.

Both engines store lists and objects as JSON text and times as ISO 8601 text, so that a record
reads back exactly as it was written whichever engine holds it (and copies between them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bedside.domain import Document, DocumentKind, DocumentStatus, Passage
from bedside.errors import StoreError
from bedside.store.base import StoredAnswer, StoredUser

DOCUMENT_COLUMNS = (
    "document_id, document_key, origin, source_id, version, status, kind, title, source, year,"
    " authors, pmid, pmcid, doi, url, publication_types, mesh_terms, licence, language, extra,"
    " content_hash, path, passage_count, ingested_at, superseded_by"
)
# What a new document version is stored with (`status` is always 'current' at first).
DOCUMENT_INSERT_COLUMNS = (
    "document_id, document_key, origin, source_id, version, status, kind, title, source, year,"
    " authors, pmid, pmcid, doi, url, publication_types, mesh_terms, licence, language, extra,"
    " content_hash, path, body, passage_count, ingested_at"
)
PASSAGE_COLUMNS = (
    "passage_id, document_id, ordinal, section_path, page, char_start, char_end, text, question"
)
USER_COLUMNS = "user_id, username, role, password_hash, created_at, disabled"
SESSION_COLUMNS = "token_hash, user_id, csrf_token, started_at, seen_at, ended_at"
EVENT_COLUMNS = (
    "event_id, subject_id, subject_kind, actor, action, from_status, to_status, note, created_at"
)
ANSWER_INSERT_COLUMNS = (
    "answer_id, question, question_key, audience, kind, kb_version, settings_fingerprint,"
    " follow_up_of, review_status, record, created_at, updated_at, revision_of"
)


def placeholders(columns: str, mark: str) -> str:
    """One parameter marker (`?` or `%s`) per column of `columns`."""
    return ", ".join([mark] * len(columns.split(",")))


def prefixed(columns: str, alias: str) -> str:
    """`columns` qualified by a table alias, for joins."""
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


def document_row(document: Document, *, version: int, body: str) -> tuple[Any, ...]:
    """The values of `DOCUMENT_INSERT_COLUMNS` for a new current version."""
    return (
        document.document_id,
        document.document_key,
        document.origin,
        document.source_id,
        version,
        "current",
        document.kind.value,
        document.title,
        document.source,
        document.year,
        to_json(list(document.authors)),
        document.pmid,
        document.pmcid,
        document.doi,
        document.url,
        to_json(list(document.publication_types)),
        to_json(list(document.mesh_terms)),
        document.licence,
        document.language,
        to_json(document.extra),
        document.content_hash,
        document.path,
        body,
        document.passage_count,
        document.ingested_at.isoformat(),
    )


def document_from_row(row: Sequence[Any]) -> Document:
    """A `Document` from the values of `DOCUMENT_COLUMNS`."""
    (
        document_id, document_key, origin, source_id, version, status, kind, title, source,
        year, authors, pmid, pmcid, doi, url, publication_types, mesh_terms, licence, language,
        extra, content_hash, path, passage_count, ingested_at, superseded_by,
    ) = row  # fmt: skip
    return Document(
        document_id=document_id,
        document_key=document_key,
        origin=origin,
        source_id=source_id,
        version=version,
        status=DocumentStatus(status),
        kind=DocumentKind(kind),
        title=title,
        source=source,
        year=year,
        authors=tuple(json.loads(authors)),
        pmid=pmid,
        pmcid=pmcid,
        doi=doi,
        url=url,
        publication_types=tuple(json.loads(publication_types)),
        mesh_terms=tuple(json.loads(mesh_terms)),
        licence=licence,
        language=language,
        extra=json.loads(extra),
        content_hash=content_hash,
        path=path,
        passage_count=passage_count,
        ingested_at=datetime.fromisoformat(ingested_at),
        superseded_by=superseded_by,
    )


def passage_row(passage: Passage) -> tuple[Any, ...]:
    """The values of `PASSAGE_COLUMNS`."""
    return (
        passage.passage_id,
        passage.document_id,
        passage.ordinal,
        to_json(list(passage.section_path)),
        passage.page,
        passage.char_start,
        passage.char_end,
        passage.text,
        passage.question,
    )


def passage_from_row(row: Sequence[Any]) -> Passage:
    """A `Passage` from the values of `PASSAGE_COLUMNS`."""
    passage_id, document_id, ordinal, section_path, page, start, end, text, question = row
    return Passage(
        passage_id=passage_id,
        document_id=document_id,
        ordinal=ordinal,
        section_path=tuple(json.loads(section_path)),
        page=page,
        char_start=start,
        char_end=end,
        text=text,
        question=question,
    )


def user_from_row(row: Sequence[Any]) -> StoredUser:
    """A `StoredUser` from the values of `USER_COLUMNS`."""
    user_id, username, role, password_hash, created_at, disabled = row
    return StoredUser(user_id, username, role, password_hash, created_at, bool(disabled))


def answer_row(answer: StoredAnswer) -> tuple[Any, ...]:
    """The values of `ANSWER_INSERT_COLUMNS`."""
    return (
        answer.answer_id,
        answer.question,
        answer.question_key,
        answer.audience,
        answer.kind,
        answer.kb_version,
        answer.settings_fingerprint,
        answer.follow_up_of,
        answer.review_status,
        record_json(answer.record),
        answer.created_at,
        answer.updated_at,
        answer.revision_of,
    )


def record_json(record: dict[str, Any]) -> str:
    """An answer's record as stored (the form answers have always been kept in)."""
    return json.dumps(record, ensure_ascii=False)


def answer_record(text: str) -> dict[str, Any]:
    """An answer's stored JSON record, which must be an object."""
    record = json.loads(text)
    if not isinstance(record, dict):
        raise StoreError("stored answer record is not a JSON object")
    return record


def to_json(value: Any) -> str:
    """Compact JSON, with non-ASCII text kept as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def now_iso() -> str:
    """The current time, UTC, ISO 8601."""
    return datetime.now(UTC).isoformat()
