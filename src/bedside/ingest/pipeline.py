"""ingest: files → readers → documents and passages → store, idempotent by content.

Each document is stored in its own transaction, so a bad record or a killed process never leaves a
half-written document; rerunning the same command completes what was missed and changes nothing
that is already stored.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bedside.config import IngestSettings
from bedside.domain import Document, DocumentStatus, IngestOutcome, Passage, SourceDocument
from bedside.errors import InputError, UnknownFormatError
from bedside.ingest.chunking import CHUNKER_VERSION, chunk_sections
from bedside.ingest.formats import detect_reader, reader_by_name
from bedside.ingest.readers.base import Deletion, Problem, Reader, Skip, SourceFile, Whole
from bedside.store.base import FileRecord, Store


@dataclass
class FileReport:
    """What ingesting one file did."""

    path: str
    format: str | None = None
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    passages: int = 0
    was_cached: bool = False  # the same bytes were fully ingested before: nothing was read

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcomes"] = dict(self.outcomes)
        data["skipped"] = dict(self.skipped)
        return data


@dataclass
class IngestReport:
    """What one `ingest` run did, file by file, with totals."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def outcomes(self) -> Counter[str]:
        return sum((report.outcomes for report in self.files), Counter())

    @property
    def skipped(self) -> Counter[str]:
        return sum((report.skipped for report in self.files), Counter())

    @property
    def errors(self) -> list[str]:
        return [error for report in self.files for error in report.errors]

    @property
    def passages(self) -> int:
        return sum(report.passages for report in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": {outcome.value: self.outcomes[outcome.value] for outcome in IngestOutcome},
            "passages_added": self.passages,
            "skipped": dict(self.skipped),
            "errors": self.errors,
            "files": [report.to_json() for report in self.files],
        }


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress event: a file started or finished, or more documents were stored."""

    event: str  # "files" | "file_started" | "documents" | "file_finished"
    path: str | None = None
    count: int = 0


ProgressCallback = Callable[[Progress], None]
_PROGRESS_EVERY = 200


@dataclass(frozen=True, slots=True)
class PathTarget:
    path: Path
    is_explicit: bool  # named on the command line, rather than found inside a folder


def expand_paths(arguments: Sequence[str]) -> tuple[list[PathTarget], list[str]]:
    """Files named by the arguments (files, folders walked recursively, globs), and errors."""
    targets: list[PathTarget] = []
    errors: list[str] = []
    for argument in arguments:
        path = Path(argument).expanduser()
        if path.is_file():
            targets.append(PathTarget(path, is_explicit=True))
        elif path.is_dir():
            targets.extend(PathTarget(found, is_explicit=False) for found in _walk(path))
        else:
            matches = sorted(glob.glob(str(path), recursive=True))
            files = [Path(match) for match in matches if Path(match).is_file()]
            if not files:
                errors.append(f"{argument}: no such file or folder, and no file matches it")
            targets.extend(PathTarget(found, is_explicit=True) for found in files)
    seen: set[Path] = set()
    unique = []
    for target in targets:
        resolved = target.path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(target)
    return unique, errors


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


class Ingester:
    """Runs files through readers into a store."""

    def __init__(
        self,
        *,
        store: Store,
        readers: Mapping[str, Reader],
        settings: IngestSettings,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.store = store
        self.readers = readers
        self.settings = settings
        self.progress = progress or (lambda event: None)

    def ingest(
        self, arguments: Sequence[str], *, format_name: str | None = None, strict: bool = False
    ) -> IngestReport:
        report = IngestReport()
        targets, errors = expand_paths(arguments)
        if errors:
            if strict:
                raise InputError(errors[0])
            report.files.append(FileReport(path="(arguments)", errors=errors))
        reader = reader_by_name(format_name, self.readers) if format_name else None
        self.progress(Progress("files", count=len(targets)))
        # Many small files (MedQuAD has thousands) share commits; each document stays atomic.
        with self.store.bulk():
            for target in targets:
                self.progress(Progress("file_started", path=str(target.path)))
                file_report = self.ingest_file(target, reader=reader, strict=strict)
                if file_report is not None:
                    report.files.append(file_report)
                self.progress(Progress("file_finished", path=str(target.path)))
        return report

    def ingest_file(
        self, target: PathTarget, *, reader: Reader | None, strict: bool
    ) -> FileReport | None:
        """Ingest one file; None for a non-document file met while walking a folder."""
        path = target.path
        report = FileReport(path=str(path))
        try:
            source_file = self._open(path)
            chosen = reader or detect_reader(source_file, self.readers)
        except UnknownFormatError as exc:
            if not target.is_explicit:
                report.skipped[f"not a document format: {exc.reason}"] += 1
                return report
            return self._fail(report, exc, strict)
        except InputError as exc:
            return self._fail(report, exc, strict)
        report.format = chosen.name
        stat = path.stat()
        content_hash = _file_hash(path)
        reader_key = self._reader_key(chosen)
        done_before = self.store.find_file(content_hash=content_hash, reader_key=reader_key)
        if done_before is not None:
            report.was_cached = True
            report.outcomes[IngestOutcome.UNCHANGED.value] += done_before.documents
            self.progress(Progress("documents", path=str(path), count=done_before.documents))
            return report
        # Documents record the absolute path they came from.
        source_file = SourceFile(path.resolve())
        documents = self._store_items(chosen, source_file, report, strict)
        if not report.errors:
            self.store.record_file(
                FileRecord(
                    path=str(path.resolve()),
                    size_bytes=stat.st_size,
                    mtime_ns=stat.st_mtime_ns,
                    content_hash=content_hash,
                    reader_key=reader_key,
                    documents=documents,
                )
            )
        return report

    def _open(self, path: Path) -> SourceFile:
        size = path.stat().st_size
        if size == 0:
            raise InputError("empty file", path=path)
        if size > self.settings.max_file_bytes:
            raise InputError(
                f"file is {size} bytes, over the limit of {self.settings.max_file_bytes} "
                "(setting ingest.max_file_bytes)",
                path=path,
            )
        return SourceFile(path)

    def _store_items(
        self, reader: Reader, source_file: SourceFile, report: FileReport, strict: bool
    ) -> int:
        documents = 0
        pending = 0
        wholes: list[Whole] = []
        stored: set[str] = set()
        try:
            for item in reader.read(source_file):
                if isinstance(item, SourceDocument):
                    if not self._store_document(item, source_file.path, report, strict):
                        continue
                    stored.add(item.document_key)
                    documents += 1
                    pending += 1
                    if pending == _PROGRESS_EVERY:
                        self.progress(
                            Progress("documents", path=str(source_file.path), count=pending)
                        )
                        pending = 0
                elif isinstance(item, Deletion):
                    deleted = self.store.delete_document(item.document_key)
                    if deleted:
                        report.outcomes[IngestOutcome.DELETED.value] += 1
                    else:
                        report.skipped["deletion of a document not in the knowledge base"] += 1
                elif isinstance(item, Whole):
                    wholes.append(item)
                elif isinstance(item, Skip):
                    report.skipped[item.reason] += 1
                elif isinstance(item, Problem):
                    self._fail(report, item.error, strict)
        except InputError as exc:
            self._fail(report, exc, strict)
        if not report.errors:
            self._withdraw_missing(wholes, stored, report)
        self.progress(Progress("documents", path=str(source_file.path), count=pending))
        return documents

    def _withdraw_missing(
        self, wholes: Sequence[Whole], stored: set[str], report: FileReport
    ) -> None:
        """Mark deleted the documents a whole file no longer holds (only after it was read in
        full, so a file with an error withdraws nothing)."""
        for whole in wholes:
            withdrawn = [
                document.document_key
                for document in self.store.iter_current_documents(origins=[whole.origin])
                if document.document_key.startswith(whole.key_prefix)
                and document.document_key not in stored
            ]
            for key in withdrawn:
                if self.store.delete_document(key):
                    report.outcomes[IngestOutcome.DELETED.value] += 1

    def _store_document(
        self, item: SourceDocument, path: Path, report: FileReport, strict: bool
    ) -> bool:
        try:
            document, passages, body = prepare_document(item, path=path, settings=self.settings)
        except InputError as exc:
            self._fail(report, exc, strict)
            return False
        previous = self.store.current_document_id(document.document_key)
        outcome = self.store.put_document(document, passages, body=body)
        report.outcomes[outcome.value] += 1
        if outcome is IngestOutcome.UPDATED and previous is not None:
            self._forget_the_file_of(previous, document.path)
        if outcome is not IngestOutcome.UNCHANGED:
            report.passages += len(passages)
        return True

    def _forget_the_file_of(self, replaced_id: str, path: str | None) -> None:
        """A document another file gave is replaced by this file's: the other file's ledger
        entry no longer describes what is stored, so its next ingest must read it again (a copy
        of the cards folder ingested, then the original again, left the copy's cards current)."""
        replaced = self.store.get_document(replaced_id)
        if replaced.path and replaced.path != path:
            self.store.forget_file(replaced.path)

    def _fail(self, report: FileReport, error: InputError, strict: bool) -> FileReport:
        if strict:
            raise error
        report.errors.append(str(error))
        return report

    def _reader_key(self, reader: Reader) -> str:
        return (
            f"{reader.name}@{reader.version}/{CHUNKER_VERSION}"
            f"/{self.settings.max_passage_chars}/{self.settings.min_passage_chars}"
        )


def prepare_document(
    source: SourceDocument, *, path: Path | None, settings: IngestSettings
) -> tuple[Document, list[Passage], str]:
    """The `Document` (version assigned by the store), its passages and its body text."""
    content_hash = content_hash_of(source)
    chunking = f"{CHUNKER_VERSION}/{settings.max_passage_chars}/{settings.min_passage_chars}"
    document_id = "doc_" + _digest(f"{source.document_key}\0{content_hash}\0{chunking}")
    body, chunks = chunk_sections(
        source.sections,
        max_chars=settings.max_passage_chars,
        min_chars=settings.min_passage_chars,
    )
    passages = [
        Passage(
            passage_id="psg_" + _digest(f"{document_id}\0{ordinal}"),
            document_id=document_id,
            ordinal=ordinal,
            section_path=chunk.section.path,
            page=chunk.section.page,
            char_start=chunk.char_start,
            char_end=chunk.char_end,
            text=body[chunk.char_start : chunk.char_end],
            question=chunk.section.question,
        )
        for ordinal, chunk in enumerate(chunks)
    ]
    if not passages:
        raise InputError("document has no text to store", path=path, where=source.document_key)
    document = Document(
        document_id=document_id,
        document_key=source.document_key,
        origin=source.origin,
        source_id=source.source_id,
        version=0,  # assigned by the store
        status=DocumentStatus.CURRENT,
        kind=source.kind,
        title=source.title,
        source=source.source,
        year=source.year,
        authors=source.authors,
        pmid=source.pmid,
        pmcid=source.pmcid,
        doi=source.doi,
        url=source.url,
        publication_types=source.publication_types,
        mesh_terms=source.mesh_terms,
        licence=source.licence,
        language=source.language,
        extra=source.extra,
        content_hash=content_hash,
        path=str(path) if path is not None else None,
        passage_count=len(passages),
        ingested_at=datetime.now(UTC),
    )
    return document, passages, body


def content_hash_of(source: SourceDocument) -> str:
    """A hash of everything a document says (metadata and text), wherever it was read from."""
    canonical = json.dumps(
        {
            "key": source.document_key,
            "kind": source.kind.value,
            "title": source.title,
            "sections": [[list(s.path), s.text, s.page, s.question] for s in source.sections],
            "source": source.source,
            "year": source.year,
            "authors": list(source.authors),
            "ids": [source.pmid, source.pmcid, source.doi, source.url],
            "publication_types": list(source.publication_types),
            "mesh_terms": list(source.mesh_terms),
            "licence": source.licence,
            "language": source.language,
            "extra": source.extra,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
