"""The application layer: what the CLI (and later the web app) ask Bedside to do.

A `Service` is built once from `Settings` at an entry point, owns the store connection, and is
closed when the entry point is done with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bedside import registry
from bedside.config import Settings
from bedside.domain import Document, KbStats, Passage
from bedside.errors import ConfigError, NotFoundError
from bedside.ingest.pipeline import Ingester, IngestReport, ProgressCallback
from bedside.ingest.readers.base import Reader
from bedside.store.base import Store


def bundled_cards_path() -> Path:
    """The folder of guideline cards shipped inside the package."""
    return Path(str(resources.files("bedside") / "cards"))


def build_store(settings: Settings) -> Store:
    """The store backend named in settings, opened (and migrated)."""
    store_class = registry.load_backend("store", settings.store.backend)
    if settings.store.backend == "sqlite":
        store: Store = store_class(
            settings.kb_path(), busy_timeout_ms=settings.store.busy_timeout_ms
        )
    else:  # pragma: no cover - no other engine yet
        raise ConfigError(f"store backend '{settings.store.backend}' has no settings mapping")
    store.open()
    return store


def build_readers() -> dict[str, Reader]:
    return {name: reader_class() for name, reader_class in registry.load_all("reader").items()}


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage with the metadata of its document: what a citation resolves to."""

    passage: Passage
    document: Document

    def to_json(self) -> dict[str, Any]:
        return {"passage": passage_json(self.passage), "document": document_json(self.document)}


class Service:
    """Bedside's use cases, over one knowledge base."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store if store is not None else build_store(settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def ingest(
        self,
        paths: Sequence[str],
        *,
        format_name: str | None = None,
        strict: bool | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        ingester = Ingester(
            store=self.store,
            readers=build_readers(),
            settings=self.settings.ingest,
            progress=progress,
        )
        return ingester.ingest(
            paths,
            format_name=format_name,
            strict=self.settings.ingest.strict if strict is None else strict,
        )

    def kb_stats(self) -> KbStats:
        return self.store.stats()

    def get_document(self, document_ref: str) -> tuple[Document, list[Passage]]:
        """A document by id, or the current version of a source by key (`pubmed:123`)."""
        document_id = document_ref
        if not document_ref.startswith("doc_"):
            current = self.store.current_document_id(document_ref)
            if current is None:
                raise NotFoundError(f"no document with id or key {document_ref!r}")
            document_id = current
        return self.store.get_document(document_id), self.store.list_passages(document_id)

    def get_passage(self, passage_id: str) -> PassageView:
        passage = self.store.get_passage(passage_id)
        return PassageView(passage, self.store.get_document(passage.document_id))


def document_json(document: Document) -> dict[str, Any]:
    return {
        "document_id": document.document_id,
        "document_key": document.document_key,
        "origin": document.origin,
        "source_id": document.source_id,
        "version": document.version,
        "status": document.status.value,
        "kind": document.kind.value,
        "title": document.title,
        "source": document.source,
        "year": document.year,
        "authors": list(document.authors),
        "pmid": document.pmid,
        "pmcid": document.pmcid,
        "doi": document.doi,
        "url": document.url,
        "publication_types": list(document.publication_types),
        "mesh_terms": list(document.mesh_terms),
        "licence": document.licence,
        "language": document.language,
        "extra": document.extra,
        "content_hash": document.content_hash,
        "path": document.path,
        "passage_count": document.passage_count,
        "ingested_at": document.ingested_at.isoformat(),
        "superseded_by": document.superseded_by,
    }


def passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "passage_id": passage.passage_id,
        "document_id": passage.document_id,
        "ordinal": passage.ordinal,
        "section_path": list(passage.section_path),
        "page": passage.page,
        "char_start": passage.char_start,
        "char_end": passage.char_end,
        "text": passage.text,
        "question": passage.question,
    }
