"""PDF documents (typically guidelines) read with pypdf: one section per page with text.

Each page's section carries its 1-based page number, so passages can be cited by page. Sections
are named after the PDF outline (bookmarks) where it has one, else "Page N". Title, authors and
year come from the document information dictionary where present. A PDF whose pages hold no
text at all is a scan: it is refused with a hint to run OCR, rather than stored empty.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pypdf
from pypdf.errors import DependencyError

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import ReadItem, SourceFile, clean_text

_MAGIC = b"%PDF-"
_MAX_TITLE_CHARS = 200
_CREATION_YEAR = re.compile(r"^(?:D:)?((?:19|20)\d\d)")
# Titles that authoring tools write in place of a real one.
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf|indd|tex|rtf|odt))$", re.IGNORECASE
)
_NO_TEXT_LAYER = "PDF has no text layer (scanned image?); run OCR first"

OutlineEntry = tuple[int, tuple[str, ...]]  # (0-based page index, section path)


class PdfReader:
    """Reads a PDF into one guideline document with a section per page that has text."""

    name: ClassVar[str] = "pdf"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        return file.head.startswith(_MAGIC)

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        pdf = _open_pdf(file.read_bytes(), file.path)
        page_texts = _page_texts(pdf, file.path)
        if not any(page_texts):
            raise InputError(_NO_TEXT_LAYER, path=file.path)
        outline = _outline_entries(pdf)
        sections = tuple(
            Section(_page_path(index, outline), text, page=index + 1)
            for index, text in enumerate(page_texts)
            if text
        )
        info = _document_info(pdf)
        yield SourceDocument(
            origin="pdf",
            source_id=file.path.name,
            kind=DocumentKind.GUIDELINE,
            title=_title(info, page_texts, file.path),
            sections=sections,
            source=_info_text(info, "/Publisher"),
            year=_creation_year(info),
            authors=_authors(info),
            extra={"page_count": len(page_texts)},
        )


def _open_pdf(data: bytes, path: Path) -> pypdf.PdfReader:
    try:
        pdf = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if pdf.is_encrypted and not _decrypts_without_password(pdf):
            raise InputError(
                "PDF is encrypted and cannot be opened without a password; "
                "save an unencrypted copy first",
                path=path,
            )
        _ = len(pdf.pages)  # reads the page tree now, so damage there is reported here
    except InputError:
        raise
    except Exception as exc:  # pypdf signals damage with many exception types
        raise InputError(f"damaged PDF: {_describe(exc)}", path=path) from exc
    return pdf


def _decrypts_without_password(pdf: pypdf.PdfReader) -> bool:
    try:
        return pdf.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except DependencyError:
        return False  # AES needs a crypto package Bedside does not install


def _page_texts(pdf: pypdf.PdfReader, path: Path) -> list[str]:
    texts = []
    for number, page in enumerate(pdf.pages, start=1):
        try:
            texts.append(clean_text(page.extract_text()))
        except Exception as exc:  # damaged content streams raise many exception types
            raise InputError(
                f"damaged PDF: {_describe(exc)}", path=path, where=f"page {number}"
            ) from exc
    return texts


def _outline_entries(pdf: pypdf.PdfReader) -> list[OutlineEntry]:
    """Bookmarks in outline order; a broken outline is ignored, as pages name themselves."""
    try:
        entries: list[OutlineEntry] = []
        _collect_outline(pdf, pdf.outline, (), entries)
    except Exception:
        return []
    return entries


def _collect_outline(
    pdf: pypdf.PdfReader, items: Sequence[Any], parents: tuple[str, ...], out: list[OutlineEntry]
) -> None:
    # pypdf lists an item's children as a nested list right after the item.
    last_path = parents
    for item in items:
        if isinstance(item, list):
            _collect_outline(pdf, item, last_path, out)
            continue
        title = " ".join(str(item.title or "").split())
        page_index = pdf.get_destination_page_number(item)
        if title and page_index is not None and page_index >= 0:
            last_path = (*parents, title)
            out.append((page_index, last_path))


def _page_path(index: int, outline: list[OutlineEntry]) -> tuple[str, ...]:
    """The last bookmark starting on or before this page, else "Page N"."""
    path: tuple[str, ...] | None = None
    start = -1
    for page_index, entry_path in outline:
        if start <= page_index <= index:
            path, start = entry_path, page_index
    return path or (f"Page {index + 1}",)


def _document_info(pdf: pypdf.PdfReader) -> dict[str, Any]:
    try:
        return dict(pdf.metadata or {})
    except Exception:
        return {}  # a damaged information dictionary only costs the metadata


def _info_text(info: dict[str, Any], key: str) -> str | None:
    value = info.get(key)
    if value is None:
        return None
    if hasattr(value, "get_object"):
        value = value.get_object()
    text = " ".join(str(value).split())
    return text or None


def _title(info: dict[str, Any], page_texts: list[str], path: Path) -> str:
    title = _info_text(info, "/Title")
    if title and not _PLACEHOLDER_TITLE.match(title):
        return title
    first_page = page_texts[0] if page_texts else ""
    first_line = next((line for line in first_page.splitlines() if line.strip()), "")
    return first_line[:_MAX_TITLE_CHARS].strip() or path.stem


def _creation_year(info: dict[str, Any]) -> int | None:
    match = _CREATION_YEAR.match(_info_text(info, "/CreationDate") or "")
    return int(match.group(1)) if match else None


def _authors(info: dict[str, Any]) -> tuple[str, ...]:
    value = _info_text(info, "/Author") or ""
    return tuple(name.strip() for name in value.split(";") if name.strip())


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
