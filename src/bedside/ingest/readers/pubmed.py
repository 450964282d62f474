"""PubMed/MEDLINE XML: `PubmedArticleSet` (efetch, baseline and update files) and the older
`MedlineCitationSet`, plain or gzip, streamed with lxml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lxml import etree

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.ingest.readers.base import Deletion, ReadItem, Skip, SourceFile, clean_text
from bedside.ingest.readers.xml_parsing import element_text, iterparse_checked

_ROOTS = ("PubmedArticleSet", "MedlineCitationSet")
_RECORDS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation", "DeleteCitation")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_GUIDELINE_TYPES = frozenset(
    {"practice guideline", "guideline", "consensus development conference"}
)


class PubmedXmlReader:
    """Reads PubMed/MEDLINE citations; each citation with its abstract becomes a document."""

    name: ClassVar[str] = "pubmed-xml"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head[:HEAD_SNIFF].decode("utf-8", errors="replace")
        return any(f"<{root}" in head for root in _ROOTS)

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        with file.open() as stream:
            for element in iterparse_checked(stream, file.path, tags=_RECORDS):
                parent = element.getparent()
                if (
                    element.tag == "MedlineCitation"
                    and parent is not None
                    and parent.tag
                    in (
                        "PubmedArticle",
                        "PubmedBookArticle",
                    )
                ):
                    continue  # read with its PubmedArticle, which ends later
                if element.tag == "DeleteCitation":
                    for pmid in element.iterfind("PMID"):
                        yield Deletion(f"pubmed:{element_text(pmid)}")
                else:
                    yield _read_citation(element)
                _release(element)


HEAD_SNIFF = 4096


def _read_citation(record: etree._Element) -> ReadItem:
    citation = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
    if citation is None:
        book_pmid = record.findtext(".//PMID")
        return Skip("book record without a MedlineCitation", book_pmid)
    pmid = element_text(citation.find("PMID"))
    article = citation.find("Article")
    if not pmid or article is None:
        return Skip("citation without PMID or Article", pmid or None)
    title = element_text(article.find("ArticleTitle")) or element_text(
        article.find("VernacularTitle")
    )
    sections = _abstract_sections(article)
    extra: dict[str, object] = {"has_abstract": bool(sections)}
    if not sections:
        if not title:
            return Skip("citation has neither title nor abstract", pmid)
        # A title-only citation is still a real, citable record: its title is its only passage.
        sections = [Section(("Title",), title)]
    publication_types = tuple(
        (node.text or "").strip()
        for node in article.iterfind("PublicationTypeList/PublicationType")
    )
    return SourceDocument(
        origin="pubmed",
        source_id=pmid,
        kind=_kind(publication_types),
        title=title or f"PubMed {pmid}",
        sections=tuple(sections),
        source=element_text(article.find("Journal/Title"))
        or element_text(citation.find("MedlineJournalInfo/MedlineTA"))
        or None,
        year=_year(article),
        authors=_authors(article),
        pmid=pmid,
        pmcid=_article_id(record, "pmc"),
        doi=_article_id(record, "doi") or _elocation_doi(article),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        publication_types=publication_types,
        mesh_terms=tuple(
            (node.text or "").strip()
            for node in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")
        ),
        language=element_text(article.find("Language")) or None,
        extra=extra,
    )


def _abstract_sections(article: etree._Element) -> list[Section]:
    sections = []
    for node in article.iterfind("Abstract/AbstractText"):
        text = clean_text(element_text(node))
        if not text:
            continue
        label = node.get("Label")
        path = ("Abstract", label.strip().capitalize()) if label else ("Abstract",)
        sections.append(Section(path, text))
    return sections


def _kind(publication_types: tuple[str, ...]) -> DocumentKind:
    if any(kind.lower() in _GUIDELINE_TYPES for kind in publication_types):
        return DocumentKind.GUIDELINE
    return DocumentKind.RESEARCH


def _year(article: etree._Element) -> int | None:
    for path in (
        "Journal/JournalIssue/PubDate/Year",
        "Journal/JournalIssue/PubDate/MedlineDate",  # e.g. "1998 Dec-1999 Jan"
        "ArticleDate/Year",
    ):
        match = _YEAR.search(element_text(article.find(path)))
        if match:
            return int(match.group(1))
    return None


def _authors(article: etree._Element) -> tuple[str, ...]:
    names = []
    for author in article.iterfind("AuthorList/Author"):
        if author.get("ValidYN", "Y") != "Y":
            continue
        # Name parts hold no markup, so findtext is enough (and much cheaper than itertext).
        collective = element_text(author.find("CollectiveName"))
        last = (author.findtext("LastName") or "").strip()
        initials = (author.findtext("Initials") or "").strip()
        name = collective or " ".join(part for part in (last, initials) if part)
        if name:
            names.append(name)
    return tuple(names)


def _article_id(record: etree._Element, id_type: str) -> str | None:
    for node in record.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == id_type:
            return element_text(node) or None
    return None


def _elocation_doi(article: etree._Element) -> str | None:
    for node in article.iterfind("ELocationID"):
        if node.get("EIdType") == "doi":
            return element_text(node) or None
    return None


def _release(element: etree._Element) -> None:
    """Free a processed record so that a baseline file streams in constant memory."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
