"""Choose the reader for a file from its content (or from an explicit `--format`)."""

from __future__ import annotations

from collections.abc import Mapping

from bedside.errors import InputError, UnknownFormatError
from bedside.ingest.readers.base import Reader, SourceFile, decode_utf8, looks_binary

# Most specific first: a guideline card is also Markdown, BEIR lines are also JSON objects, a
# MedQuAD file is also XML. Readers from plugins that are not listed are tried afterwards.
SNIFF_ORDER = (
    "bedside-card",
    "pdf",
    "pubmed-xml",
    "pmc-jats",
    "medquad-xml",
    "ngc-xml",
    "fda-spl-xml",
    "pubmedqa-json",
    "fda-label-sections-json",
    "beir-jsonl",
    "bedside-jsonl",
    "html",
)


def detect_reader(file: SourceFile, readers: Mapping[str, Reader]) -> Reader:
    """The first reader whose `sniff` accepts the file; `UnknownFormatError` if none does."""
    head = file.head
    if not head.strip():
        raise InputError("empty file", path=file.path)
    ordered = [name for name in SNIFF_ORDER if name in readers]
    ordered += sorted(name for name in readers if name not in SNIFF_ORDER)
    for name in ordered:
        if readers[name].sniff(file):
            return readers[name]
    if looks_binary(head):
        raise UnknownFormatError("binary file in no known format", path=file.path)
    _reject_bad_encoding(file)
    raise UnknownFormatError(
        "unrecognised content; pass --format (one of: " + ", ".join(sorted(readers)) + ")",
        path=file.path,
    )


def reader_by_name(name: str, readers: Mapping[str, Reader]) -> Reader:
    try:
        return readers[name]
    except KeyError:
        raise UnknownFormatError(
            f"unknown format '{name}'; choose one of: " + ", ".join(sorted(readers))
        ) from None


def _reject_bad_encoding(file: SourceFile) -> None:
    """Text we could not recognise because it is not UTF-8 gets that reason, with a line."""
    head = file.head
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            decode_utf8(head, file.path)
