"""PMC JATS full text (`.nxml`): one research article per file, or a `pmc-articleset` of them.

The abstract becomes ("Abstract",) sections (("Abstract", <heading>) for structured abstracts);
each body `sec` becomes a section whose path is the chain of its nested titles. Tables, figure
images, formulas and the reference list stay out of the text; figure and table captions become
sections of their own ("Figure 1: <caption>"). Author keywords are not MeSH terms, so they go to
`extra["keywords"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import (
    Problem,
    ReadItem,
    SourceFile,
    clean_text,
    language_code,
    xml_root_name,
)
from bedside.ingest.readers.xml_parsing import element_text, parse_checked

_ROOTS = ("article", "pmc-articleset")
_JATS_MARKERS = re.compile(rb"<!DOCTYPE\s+article[^>]*(?:JATS|NLM)|<front[\s>]|<article-meta[\s>]")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ALI_LICENSE_REF = "{http://www.niso.org/schemas/ali/1.0/}license_ref"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PREFERRED_PUB_TYPES = ("epub", "ppub", "epub-ppub", "pub")
# Elements whose content is not running text: floats are read as captions, the rest dropped.
_NOT_TEXT = frozenset(
    {
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "table",
        "disp-formula",
        "disp-formula-group",
        "tex-math",
        "graphic",
        "media",
        "supplementary-material",
        "ref-list",
        "object-id",
    }
)
_CONTAINERS = frozenset({"disp-quote", "boxed-text", "statement", "def-list", "def-item", "app"})
_FLOATS = {"fig": "Figure", "table-wrap": "Table"}
_UNTITLED_BODY = "Main text"
# Later stages use the three-letter codes PubMed uses; JATS uses two-letter ones.


class PmcJatsReader:
    """Reads PMC JATS articles into research documents with full-text sections."""

    name: ClassVar[str] = "pmc-jats"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head
        return xml_root_name(head) in _ROOTS and _JATS_MARKERS.search(head) is not None

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        root = parse_checked(file.read_bytes(), file.path)
        if root.tag == "article":
            yield _read_article(root, file.path)
        elif root.tag == "pmc-articleset":
            for article in root.iterfind("article"):
                try:
                    yield _read_article(article, file.path)
                except InputError as error:
                    yield Problem(error)
        else:
            raise InputError(f"root element is <{root.tag}>, not <article>", path=file.path)


def _read_article(article: etree._Element, path: Path) -> SourceDocument:
    meta = article.find("front/article-meta")
    if meta is None:
        raise InputError("article has no front/article-meta", path=path, where="article-meta")
    pmid = _article_id(meta, "pmid")
    pmcid = _pmcid(meta)
    doi = _article_id(meta, "doi")
    source_id = pmcid or pmid or doi
    if source_id is None:
        raise InputError(
            "article has no PMCID, PMID or DOI", path=path, where="article-meta/article-id"
        )
    title = element_text(meta.find("title-group/article-title"))
    abstract = list(_abstract_sections(meta))
    sections = [*abstract, *_body_sections(article.find("body"))]
    extra: dict[str, object] = {"has_abstract": bool(abstract)}
    keywords = [element_text(node) for node in meta.iterfind("kwd-group/kwd")]
    if any(keywords):
        extra["keywords"] = [keyword for keyword in keywords if keyword]
    article_type = article.get("article-type")
    return SourceDocument(
        origin="pmc",
        source_id=source_id,
        kind=DocumentKind.RESEARCH,
        title=title or f"PMC article {source_id}",
        sections=tuple(sections),
        source=_journal_title(article) or None,
        year=_year(meta),
        authors=_authors(meta),
        pmid=pmid,
        pmcid=pmcid,
        doi=doi,
        url=_url(pmcid, pmid, doi),
        publication_types=(article_type,) if article_type else (),
        licence=_licence(meta),
        language=_language(article),
        extra=extra,
    )


def _article_id(meta: etree._Element, *id_types: str) -> str | None:
    for node in meta.iterfind("article-id"):
        if node.get("pub-id-type") in id_types:
            value = element_text(node)
            if value:
                return value
    return None


def _pmcid(meta: etree._Element) -> str | None:
    value = _article_id(meta, "pmc", "pmcid")
    digits = re.sub(r"\D", "", value or "")
    return f"PMC{digits}" if digits else None


def _url(pmcid: str | None, pmid: str | None, doi: str | None) -> str | None:
    if pmcid:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    return f"https://doi.org/{doi}" if doi else None


def _journal_title(article: etree._Element) -> str:
    journal = article.find("front/journal-meta")
    if journal is None:
        return ""
    return element_text(journal.find("journal-title-group/journal-title")) or element_text(
        journal.find("journal-title")
    )


def _year(meta: etree._Element) -> int | None:
    dates = list(meta.iterfind("pub-date"))
    preferred = [
        date
        for date in dates
        if date.get("pub-type") in _PREFERRED_PUB_TYPES or date.get("date-type") == "pub"
    ]
    for date in [*preferred, *dates]:
        match = _YEAR.search(element_text(date.find("year")) or element_text(date))
        if match:
            return int(match.group(1))
    return None


def _authors(meta: etree._Element) -> tuple[str, ...]:
    names = []
    # Only direct contribs: members nested under a group author (collab) are not its authors.
    for contrib in meta.iterfind("contrib-group/contrib"):
        if contrib.get("contrib-type") != "author":
            continue
        name = _person_name(contrib) or _collab_name(contrib)
        if name:
            names.append(name)
    return tuple(names)


def _person_name(contrib: etree._Element) -> str:
    name = contrib.find("name")
    if name is None:
        name = contrib.find("name-alternatives/name")
    if name is None:
        return element_text(contrib.find("string-name"))
    surname = element_text(name.find("surname"))
    given = element_text(name.find("given-names"))
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)
    return " ".join(part for part in (surname, initials) if part)


def _collab_name(contrib: etree._Element) -> str:
    collab = contrib.find("collab")
    if collab is None:
        collab = contrib.find("collab-alternatives/collab")
    # A collab may list its members in a nested contrib-group; only its own name is wanted.
    return _inline_text(collab, skip=frozenset({"contrib-group"})) if collab is not None else ""


def _licence(meta: etree._Element) -> str | None:
    licence = meta.find("permissions/license")
    refs = [element_text(node) for node in meta.iter(_ALI_LICENSE_REF, "license_ref")]
    if licence is not None:
        refs.append(licence.get(_XLINK_HREF) or "")
        refs.append(element_text(licence))
    return next((ref for ref in refs if ref), None)


def _language(article: etree._Element) -> str:
    # The JATS DTD defaults xml:lang to "en" on <article>.
    return language_code(article.get(_XML_LANG) or "en") or "eng"


def _abstract_sections(meta: etree._Element) -> Iterator[Section]:
    for abstract in meta.iterfind("abstract"):
        heading = element_text(abstract.find("title"))
        label = heading if abstract.get("abstract-type") and heading else "Abstract"
        yield from _sec_sections(abstract, (label,))


def _body_sections(body: etree._Element | None) -> Iterator[Section]:
    if body is None:
        return
    yield from _own_sections(body, (_UNTITLED_BODY,))
    for sec in body.iterfind("sec"):
        yield from _sec_sections(sec, _sec_path((), sec))


def _sec_sections(container: etree._Element, path: tuple[str, ...]) -> Iterator[Section]:
    """The container's own text and captions, then each nested `sec` in turn."""
    yield from _own_sections(container, path)
    for sec in container.iterfind("sec"):
        yield from _sec_sections(sec, _sec_path(path, sec))


def _sec_path(parent_path: tuple[str, ...], sec: etree._Element) -> tuple[str, ...]:
    heading = element_text(sec.find("title")) or element_text(sec.find("label"))
    if heading:
        return (*parent_path, heading)
    return parent_path or (_UNTITLED_BODY,)


def _own_sections(container: etree._Element, path: tuple[str, ...]) -> Iterator[Section]:
    text = clean_text("\n\n".join(_blocks(container)))
    if text:
        yield Section(path, text)
    yield from _caption_sections(container, path)


def _blocks(container: etree._Element) -> Iterator[str]:
    """The paragraphs directly inside a section, lists as "- item" lines."""
    for child in container:
        if child.tag == "p":
            yield _inline_text(child)
        elif child.tag == "list":
            yield "\n".join(_list_lines(child))
        elif child.tag in _CONTAINERS:
            yield from _blocks(child)
        elif child.tag in ("term", "def"):
            yield _inline_text(child)


def _list_lines(list_element: etree._Element) -> Iterator[str]:
    for item in list_element.iterfind("list-item"):
        texts = [_inline_text(child) for child in item if child.tag == "p"]
        yield "- " + " ".join(text for text in texts if text)
        for nested in item.iterfind("list"):
            yield from _list_lines(nested)


def _caption_sections(container: etree._Element, path: tuple[str, ...]) -> Iterator[Section]:
    for float_element in _floats(container):
        label = (
            element_text(float_element.find("label")).rstrip(".:")
            or _FLOATS[str(float_element.tag)]
        )
        caption = float_element.find("caption")
        parts = [_inline_text(part) for part in caption] if caption is not None else []
        text = clean_text(" ".join(part for part in parts if part))
        if text:
            yield Section((*path, label), f"{label}: {text}")


def _floats(container: etree._Element) -> Iterable[etree._Element]:
    """Figures and tables of this section, also those wrapped in groups or inside paragraphs."""
    for child in container:
        if child.tag == "sec":
            continue
        if child.tag in _FLOATS:
            yield child
        else:
            yield from child.iter(*_FLOATS)


def _inline_text(element: etree._Element, skip: frozenset[str] = _NOT_TEXT) -> str:
    """An element's text with markup dropped and non-text elements left out, spaces collapsed."""
    return " ".join("".join(_text_parts(element, skip)).split())


def _text_parts(element: etree._Element, skip: frozenset[str]) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and child.tag not in skip:
            yield from _text_parts(child, skip)
        if child.tail:
            yield child.tail
