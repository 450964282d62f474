"""JSON Lines: BEIR `corpus.jsonl` files and Bedside's own generic JSONL (docs/formats.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import Problem, ReadItem, Skip, SourceFile, clean_text


def _first_record(file: SourceFile) -> dict[str, Any] | None:
    """The first line of the file as a JSON object, or None if it is not one."""
    line = file.head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
    if not line.startswith(b"{"):
        return None
    try:
        # Sniff leniently: a record in the wrong encoding is still recognised as JSONL, so the
        # reader can then name the line with the bad bytes.
        record = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def _iter_records(file: SourceFile) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """(line number, parsed object or the error for that line), skipping blank lines."""
    with file.open() as stream:
        for line_number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if line_number == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield (
                    line_number,
                    InputError(
                        f"not valid UTF-8 at byte {exc.start}", path=file.path, line=line_number
                    ),
                )
                continue
            except json.JSONDecodeError as exc:
                yield (
                    line_number,
                    InputError(
                        f"invalid JSON: {exc.msg} (column {exc.colno})",
                        path=file.path,
                        line=line_number,
                    ),
                )
                continue
            if not isinstance(record, dict):
                yield (
                    line_number,
                    InputError("expected a JSON object", path=file.path, line=line_number),
                )
                continue
            yield line_number, record


class BeirJsonlReader:
    """Reads a BEIR `corpus.jsonl` (`{"_id", "title", "text"}` per line), e.g. SciFact.

    The collection is named after the folder holding the file (`beir/scifact`), and the BEIR `_id`
    is kept as `source_id`, so benchmark judgements map back to documents.
    """

    name: ClassVar[str] = "beir-jsonl"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        record = _first_record(file)
        return record is not None and {"_id", "title", "text"} <= record.keys()

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        origin = f"beir/{file.path.resolve().parent.name}"
        for line_number, record in _iter_records(file):
            if isinstance(record, InputError):
                yield Problem(record)
                continue
            source_id = str(record.get("_id") or "").strip()
            title = clean_text(str(record.get("title") or ""))
            text = clean_text(str(record.get("text") or ""))
            if not source_id:
                yield Problem(InputError("missing _id", path=file.path, line=line_number))
                continue
            if not text and not title:
                yield Skip("record has neither title nor text", source_id)
                continue
            yield SourceDocument(
                origin=origin,
                source_id=source_id,
                kind=DocumentKind.RESEARCH,
                title=title or source_id,
                sections=(Section(("Abstract",), text or title),),
            )


class SectionRecord(BaseModel):
    """One section of a generic JSONL document."""

    model_config = ConfigDict(extra="forbid")

    heading: str | list[str] = Field(default_factory=list)
    text: str
    page: int | None = Field(default=None, ge=1)


class DocumentRecord(BaseModel):
    """One line of Bedside's generic JSONL format (docs/formats.md)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    text: str | None = None
    sections: list[SectionRecord] | None = None
    kind: DocumentKind = DocumentKind.RESEARCH
    collection: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    source: str | None = None
    year: int | None = Field(default=None, ge=1800, le=2100)
    authors: list[str] = Field(default_factory=list)
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    publication_types: list[str] = Field(default_factory=list)
    mesh_terms: list[str] = Field(default_factory=list)
    licence: str | None = None
    language: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("sections")
    @classmethod
    def _not_empty(cls, value: list[SectionRecord] | None) -> list[SectionRecord] | None:
        if value is not None and not value:
            raise ValueError("must hold at least one section")
        return value


class BedsideJsonlReader:
    """Reads Bedside's generic JSONL: one document per line, with its reference metadata."""

    name: ClassVar[str] = "bedside-jsonl"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        record = _first_record(file)
        return (
            record is not None
            and {"id", "title"} <= record.keys()
            and ("text" in record or "sections" in record)
        )

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        for line_number, record in _iter_records(file):
            if isinstance(record, InputError):
                yield Problem(record)
                continue
            try:
                parsed = DocumentRecord.model_validate(record)
            except ValidationError as exc:
                yield Problem(_validation_problem(exc, file, line_number))
                continue
            if not any(clean_text(text) for text in _texts(parsed)):
                yield Problem(InputError("document has no text", path=file.path, line=line_number))
                continue
            yield _to_source_document(parsed, file)


def _texts(record: DocumentRecord) -> list[str]:
    if record.sections:
        return [section.text for section in record.sections]
    return [record.text or ""]


def _validation_problem(exc: ValidationError, file: SourceFile, line_number: int) -> InputError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(record)"
    return InputError(
        f"field '{field}': {first['msg']}", path=file.path, line=line_number, where=field
    )


def _to_source_document(record: DocumentRecord, file: SourceFile) -> SourceDocument:
    if record.sections:
        sections = tuple(
            Section(
                tuple([section.heading] if isinstance(section.heading, str) else section.heading),
                clean_text(section.text),
                page=section.page,
            )
            for section in record.sections
            if clean_text(section.text)
        )
    else:
        sections = (Section((), clean_text(record.text or "")),)
    return SourceDocument(
        origin=f"jsonl/{record.collection or file.path.stem}",
        source_id=record.id,
        kind=record.kind,
        title=clean_text(record.title),
        sections=sections,
        source=record.source,
        year=record.year,
        authors=tuple(record.authors),
        pmid=record.pmid,
        pmcid=record.pmcid,
        doi=record.doi,
        url=record.url,
        publication_types=tuple(record.publication_types),
        mesh_terms=tuple(record.mesh_terms),
        licence=record.licence,
        language=record.language,
        extra=record.extra,
    )
