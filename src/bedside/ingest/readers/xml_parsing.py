"""Safe, streaming XML parsing shared by the XML readers (PubMed, PMC JATS, MedQuAD)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from lxml import etree

from bedside.errors import InputError


def iterparse_checked(
    stream: IO[bytes], path: Path, *, tags: Sequence[str]
) -> Iterator[etree._Element]:
    """Yield each element named in `tags` when it ends; damage becomes an `InputError` with a line.

    DTDs are neither loaded nor fetched and entities are not expanded (no network, no XXE).
    """
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=tuple(tags),
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=True,
        recover=False,
    )
    try:
        for _event, element in parser:
            yield element
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"malformed XML: {exc.msg}", path=path, line=line) from exc


def parse_checked(data: bytes, path: Path) -> etree._Element:
    """Parse a whole (small) XML document safely; damage becomes an `InputError` with a line."""
    parser = etree.XMLParser(
        load_dtd=False, no_network=True, resolve_entities=False, huge_tree=True, recover=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"malformed XML: {exc.msg}", path=path, line=line) from exc
    if root is None:
        raise InputError("empty XML document", path=path)
    return root


def element_text(element: etree._Element | None) -> str:
    """All text inside an element (markup such as <i> dropped), whitespace collapsed."""
    if element is None:
        return ""
    return " ".join(all_text(element).split())


def all_text(element: etree._Element) -> str:
    """Every text node inside an element, concatenated as it stands."""
    return "".join(str(text) for text in element.itertext())
