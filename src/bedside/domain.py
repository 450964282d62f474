"""The nouns of Bedside, defined once and used by every layer.

Ingest produces `Document`s and their `Passage`s; later stages add `Hit`, `Evidence`, `Citation`,
`Answer`, `Refusal` and `Review`. Everything here is plain data: frozen dataclasses with no I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class DocumentKind(enum.StrEnum):
    """What a document is, as a reference list types it."""

    GUIDELINE = "guideline"
    RESEARCH = "research"
    PATIENT_INFORMATION = "patient_information"


class DocumentStatus(enum.StrEnum):
    """Where one version of a document stands in its history."""

    CURRENT = "current"
    SUPERSEDED = "superseded"  # a newer version of the same source was ingested
    DELETED = "deleted"  # the source withdrew it (e.g. a MEDLINE DeleteCitation)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled stretch of a document's text, as a reader found it (before chunking)."""

    path: tuple[str, ...]
    text: str
    page: int | None = None
    # MedQuAD answers keep the consumer question they answer; later used for related questions.
    question: str | None = None


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """What a reader yields: one document's metadata and sections, not yet stored.

    `origin` names the collection a `source_id` is unique within (`pubmed`, `pmc`, `medquad`,
    `beir/scifact`, `card`, ...); `origin` + `source_id` identify the source across versions.
    """

    origin: str
    source_id: str
    kind: DocumentKind
    title: str
    sections: tuple[Section, ...]
    source: str | None = None  # issuing body or journal
    year: int | None = None
    authors: tuple[str, ...] = ()
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    url: str | None = None
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    licence: str | None = None
    language: str | None = None
    # Reader-specific facts worth keeping (MedQuAD focus, PubMedQA labels, card review status).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def document_key(self) -> str:
        return f"{self.origin}:{self.source_id}"


@dataclass(frozen=True, slots=True)
class Document:
    """One stored version of one source, with everything a reference needs."""

    document_id: str
    document_key: str
    origin: str
    source_id: str
    version: int
    status: DocumentStatus
    kind: DocumentKind
    title: str
    source: str | None
    year: int | None
    authors: tuple[str, ...]
    pmid: str | None
    pmcid: str | None
    doi: str | None
    url: str | None
    publication_types: tuple[str, ...]
    mesh_terms: tuple[str, ...]
    licence: str | None
    language: str | None
    extra: dict[str, Any]
    content_hash: str
    path: str | None  # the file it was read from
    passage_count: int
    ingested_at: datetime
    superseded_by: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of a document: the unit that is indexed, retrieved and cited."""

    passage_id: str
    document_id: str
    ordinal: int
    section_path: tuple[str, ...]
    page: int | None
    char_start: int  # offsets into the document's body text (sections joined by a blank line)
    char_end: int
    text: str
    question: str | None = None


class IngestOutcome(enum.StrEnum):
    """What storing one document did."""

    ADDED = "added"
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # a new version was stored and the old one marked superseded
    DELETED = "deleted"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class KbStats:
    """Counts describing a knowledge base."""

    documents: int
    current_documents: int
    passages: int
    documents_by_kind: dict[str, int]
    documents_by_origin: dict[str, int]
    schema_version: int
    size_bytes: int | None


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage returned by one retriever, with that retriever's score and rank."""

    passage_id: str
    document_id: str
    score: float
    rank: int
    retriever: str
    source_id: str = ""
    unit_id: str = ""  # the window or passage that matched


@dataclass(frozen=True, slots=True)
class PassageContext:
    """A current passage with the facts of its document that indexing and filtering need."""

    passage: Passage
    source_id: str
    title: str
    kind: str
    year: int | None
    source: str | None
