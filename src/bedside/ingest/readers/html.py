"""HTML pages saved from the web (typically guideline pages), read with selectolax/lexbor.

One file is one document. Page chrome (scripts, styles, navigation, site header and footer,
asides, forms) is dropped; the main content (`main`, `[role=main]`, `article`, else `body`) is
walked in document order, and each heading h1–h6 opens a section whose path is the stack of
enclosing headings. Text before the first heading belongs to a section named after the title.
Citation metadata comes from `citation_*`, Dublin Core and Open Graph `<meta>` tags.

Kind: HTML pages default to `guideline`, since saved guideline pages are what this reader is for;
a page can say otherwise with `<meta name="bedside:kind" content="research">` (or `guideline`,
`patient_information`).

Encoding: a UTF-8 BOM, else a charset declared in `<meta charset>`, `<meta http-equiv>` or the
XML declaration, else UTF-8. As browsers do, a declared latin-1 or ASCII is read as windows-1252.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import (
    ReadItem,
    SourceFile,
    clean_text,
    decode_utf8,
    language_code,
    looks_binary,
    xml_root_name,
)

_SNIFF_BYTES = 1024
_CHARSET_SCAN_BYTES = 4096
_PROLOG = re.compile(r"^(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_HTML_FIRST_ELEMENTS = frozenset(
    {"html", "head", "body", "meta", "title", "link", "script", "style", "div", "main"}
)
_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|"""
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_UTF8_BOM = b"\xef\xbb\xbf"
# WHATWG: documents labelled latin-1 or ASCII are decoded as windows-1252.
_WINDOWS_1252_ALIASES = frozenset({"latin_1", "iso8859-1", "ascii", "cp1252"})
_CHROME = "script, style, noscript, template, nav, aside, form, button, svg, iframe, [hidden]"
_CONTENT_ROOTS = ("main", "[role=main]", "article")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LINE_ITEMS = frozenset({"li", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "ul",
        "ol",
        "dl",
        "table",
        "caption",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "hr",
        "header",
        "footer",
        "center",
    }
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_WHITESPACE = re.compile(r"\s+")

_SOURCE_KEYS = (
    "citation_journal_title",
    "citation_publisher",
    "dc.publisher",
    "dcterms.publisher",
    "og:site_name",
)
_DATE_KEYS = (
    "citation_publication_date",
    "citation_date",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "article:published_time",
)
_AUTHOR_KEYS = ("citation_author", "dc.creator", "dcterms.creator", "author")
_LICENCE_KEYS = ("dc.rights", "dcterms.rights", "dcterms.license")
_KIND_KEY = "bedside:kind"


class HtmlReader:
    """Reads one saved HTML page into one document (a guideline unless the page says otherwise)."""

    name: ClassVar[str] = "html"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head
        if looks_binary(head):
            return False
        start = _PROLOG.sub("", head.removeprefix(_UTF8_BOM)[:_SNIFF_BYTES].decode("latin-1"))
        lowered = start.lower()
        if lowered.startswith(("<!doctype html", "<html")):
            return True
        if not lowered.startswith("<") or lowered.startswith("<!"):
            return False  # text, JSON, or markup with another DOCTYPE
        first_element = (xml_root_name(head) or "").lower()
        return first_element in _HTML_FIRST_ELEMENTS and ("<html" in lowered or "<body" in lowered)

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        tree = LexborHTMLParser(decode_html(file.read_bytes(), file.path))
        meta = _meta_values(tree)
        links = _link_hrefs(tree)
        title = _title(tree, meta) or _file_stem(file.path)
        url = _absolute_url(links.get("canonical")) or _absolute_url(_first(meta, "og:url"))
        language = _language(tree, meta)
        _remove_chrome(tree)
        sections = _content_sections(tree, title)
        if not sections:
            raise InputError("no text found", path=file.path)
        yield SourceDocument(
            origin="html",
            source_id=url or file.path.name,
            kind=_kind(meta, file.path),
            title=title,
            sections=tuple(sections),
            source=_first(meta, *_SOURCE_KEYS),
            year=_year(meta),
            authors=_authors(meta),
            pmid=_pmid(meta),
            doi=_doi(meta),
            url=url,
            licence=_first(meta, *_LICENCE_KEYS) or links.get("license"),
            language=language,
        )


def decode_html(data: bytes, path: Path) -> str:
    """The page as text, in its declared charset (UTF-8 if none); bad bytes name their line."""
    if data.startswith(_UTF8_BOM):
        return decode_utf8(data, path)
    codec = _declared_codec(data[:_CHARSET_SCAN_BYTES])
    if codec is None or codec == "utf-8" or codec.startswith("utf-16"):
        # A byte-oriented page cannot really be UTF-16; browsers read such a label as UTF-8.
        return decode_utf8(data, path)
    if codec in _WINDOWS_1252_ALIASES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")  # bytes cp1252 leaves undefined: take them as latin-1
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid {codec} as declared (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
        ) from exc


def _declared_codec(head: bytes) -> str | None:
    match = _CHARSET.search(head)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None  # an unknown label is ignored, as browsers do


def _meta_values(tree: LexborHTMLParser) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        key = node.attributes.get("name") or node.attributes.get("property")
        content = _collapse(node.attributes.get("content") or "")
        if key and content:
            values.setdefault(key.strip().lower(), []).append(content)
    return values


def _link_hrefs(tree: LexborHTMLParser) -> dict[str, str]:
    hrefs: dict[str, str] = {}
    for node in tree.css("link[rel][href]"):
        href = (node.attributes.get("href") or "").strip()
        for rel in (node.attributes.get("rel") or "").lower().split():
            if href:
                hrefs.setdefault(rel, href)
    return hrefs


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _title(tree: LexborHTMLParser, meta: dict[str, list[str]]) -> str:
    if citation_title := _first(meta, "citation_title", "dc.title"):
        return citation_title
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        text = _collapse(node.text()) if node is not None else ""
        if text:
            return text
    return ""


def _file_stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".html", ".htm", ".xhtml"):
        name = name.removesuffix(suffix)
    return name


def _absolute_url(url: str | None) -> str | None:
    # A relative canonical URL does not identify a page across sites.
    return url if url and url.startswith(("http://", "https://")) else None


def _language(tree: LexborHTMLParser, meta: dict[str, list[str]]) -> str | None:
    root = tree.css_first("html")
    code = (root.attributes.get("lang") if root is not None else None) or _first(
        meta, "citation_language", "dc.language", "dcterms.language"
    )
    if not code:
        return None
    return language_code(code)


def _kind(meta: dict[str, list[str]], path: Path) -> DocumentKind:
    value = _first(meta, _KIND_KEY)
    if value is None:
        return DocumentKind.GUIDELINE
    try:
        return DocumentKind(value.strip().lower().replace("-", "_"))
    except ValueError:
        choices = "|".join(kind.value for kind in DocumentKind)
        raise InputError(
            f"unknown document kind {value!r}; expected {choices}",
            path=path,
            where=f'<meta name="{_KIND_KEY}">',
        ) from None


def _year(meta: dict[str, list[str]]) -> int | None:
    for key in _DATE_KEYS:
        for value in meta.get(key, ()):
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None


def _authors(meta: dict[str, list[str]]) -> tuple[str, ...]:
    for key in _AUTHOR_KEYS:
        if meta.get(key):
            return tuple(meta[key])
    return ()


def _pmid(meta: dict[str, list[str]]) -> str | None:
    digits = re.sub(r"\D", "", _first(meta, "citation_pmid") or "")
    return digits or None


def _doi(meta: dict[str, list[str]]) -> str | None:
    value = _first(meta, "citation_doi", "dc.identifier.doi")
    if value is None:
        return None
    return re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", value, flags=re.IGNORECASE)


def _remove_chrome(tree: LexborHTMLParser) -> None:
    for node in tree.css(_CHROME):
        node.decompose()
    # A header or footer inside the article (its title, its dates) is content; the site's is not.
    for node in tree.css("header, footer"):
        if not _inside_content(node):
            node.decompose()


def _inside_content(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("main", "article") or parent.attributes.get("role") == "main":
            return True
        parent = parent.parent
    return False


def _content_sections(tree: LexborHTMLParser, title: str) -> list[Section]:
    """Sections of the main content; an empty `main` placeholder falls back to the next choice."""
    candidates = [tree.css_first(selector) for selector in _CONTENT_ROOTS] + [tree.body]
    for root in candidates:
        sections = _sections(root, title) if root is not None else []
        if sections:
            return sections
    return []


def _sections(root: LexborNode, title: str) -> list[Section]:
    writer = _SectionWriter(title)
    # An explicit stack rather than recursion: real pages nest deeper than Python's stack allows.
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag or ""
        if not entering:
            writer.close(tag)
        elif tag == "-text":
            writer.text(node.text_content or "")
        elif tag in _HEADINGS:
            writer.heading(int(tag[1]), _collapse(node.text()))
        elif not tag.startswith("-"):
            writer.open(tag)
            stack.append((node, False))
            stack.extend((child, True) for child in reversed(list(node.iter(include_text=True))))
    return writer.finish()


class _SectionWriter:
    """Collects text into sections as the walk meets headings, paragraphs, list items and cells."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._headings: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._sections: list[Section] = []
        self._pending_newlines = 0  # breaks merge: "</li><li>" is one line break, not two
        self._inline_depth = 0  # inside a list item or table cell, blocks flow as running text
        self._pre_depth = 0
        self._cells_in_row = 0

    def heading(self, level: int, text: str) -> None:
        if not text:
            return
        self._flush()
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, text))

    def text(self, text: str) -> None:
        if not self._pre_depth:
            text = _WHITESPACE.sub(" ", text)
        if self._pending_newlines and not text.strip():
            return
        if self._pending_newlines:
            self._parts.append("\n" * self._pending_newlines)
            self._pending_newlines = 0
        self._parts.append(text)

    def open(self, tag: str) -> None:
        if tag == "br":
            self._break(1)
        elif tag == "tr":
            self._break(1)
            self._cells_in_row = 0
        elif tag in _CELLS:
            self.text(" | " if self._cells_in_row else " ")
            self._cells_in_row += 1
            self._inline_depth += 1
        elif tag in _LINE_ITEMS:
            self._break(1)
            self._inline_depth += 1
            if tag == "li":
                self.text("- ")
        elif tag == "pre":
            self._break(2)
            self._pre_depth += 1
        elif tag in _BLOCKS:
            self._block_boundary()

    def close(self, tag: str) -> None:
        if tag == "tr":
            self._break(1)
        elif tag in _CELLS:
            self._inline_depth -= 1
        elif tag in _LINE_ITEMS:
            self._inline_depth -= 1
            self._break(1)
        elif tag == "pre":
            self._pre_depth -= 1
            self._break(2)
        elif tag in _BLOCKS:
            self._block_boundary()

    def finish(self) -> list[Section]:
        self._flush()
        return self._sections

    def _block_boundary(self) -> None:
        if self._inline_depth:
            self.text(" ")
        else:
            self._break(2)

    def _break(self, newlines: int) -> None:
        self._pending_newlines = max(self._pending_newlines, newlines)

    def _flush(self) -> None:
        text = clean_text("".join(self._parts))
        self._parts.clear()
        self._pending_newlines = 0
        if text:
            path = tuple(text for _level, text in self._headings) or (self._title,)
            self._sections.append(Section(path, text))


def _collapse(text: str) -> str:
    return " ".join(text.split())
