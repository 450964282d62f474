"""Small, readable builders of domain objects and input files for tests (ours and plugins')."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bedside.domain import Document, DocumentKind, DocumentStatus, Section, SourceDocument


def make_source_document(**overrides: Any) -> SourceDocument:
    """A fictional research document with fixed, readable defaults."""
    values: dict[str, Any] = {
        "origin": "test",
        "source_id": "doc-1",
        "kind": DocumentKind.RESEARCH,
        "title": "Fictional trial of walking for back pain",
        "sections": (
            Section(("Abstract", "Background"), "Back pain is common. Walking may help."),
            Section(("Abstract", "Results"), "Walking reduced pain in 12 of 20 people."),
        ),
        "source": "Journal of Imaginary Medicine",
        "year": 2024,
    }
    values.update(overrides)
    return SourceDocument(**values)


def make_document(
    document_id: str,
    *,
    origin: str = "card",
    kind: DocumentKind = DocumentKind.GUIDELINE,
    year: int = 2020,
    extra: dict[str, Any] | None = None,
) -> Document:
    """A stored document of a fictional guideline with fixed, readable defaults."""
    return Document(
        document_id=document_id,
        document_key=f"{origin}:{document_id}",
        origin=origin,
        source_id=f"back-card/{document_id}",
        version=1,
        status=DocumentStatus.CURRENT,
        kind=kind,
        title="Imaginary guideline",
        source="Imaginary Society",
        year=year,
        authors=(),
        pmid=None,
        pmcid=None,
        doi=None,
        url=None,
        publication_types=(),
        mesh_terms=(),
        licence=None,
        language="en",
        extra=extra or {},
        content_hash="h",
        path=None,
        passage_count=1,
        ingested_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


PUBMED_ARTICLE = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{pmid}</PMID><Article PubModel="Print">
<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>
<Title>Journal of Imaginary Medicine</Title></Journal>
<ArticleTitle>{title}</ArticleTitle>
<Abstract><AbstractText Label="BACKGROUND">{abstract}</AbstractText></Abstract>
<AuthorList><Author ValidYN="Y"><LastName>Doe</LastName><Initials>J</Initials></Author></AuthorList>
<Language>eng</Language>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>
</PublicationTypeList></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList>
</PubmedData></PubmedArticle>"""


def make_pubmed_xml(articles: list[dict[str, str]], *, deleted: Sequence[str] = ()) -> str:
    """A PubmedArticleSet with fictional articles (`pmid`, `title`, `abstract` each)."""
    body = "".join(PUBMED_ARTICLE.format(**article) for article in articles)
    if deleted:
        body += "<DeleteCitation>" + "".join(f"<PMID>{p}</PMID>" for p in deleted)
        body += "</DeleteCitation>"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'


def make_pubmed_articles(count: int, *, start: int = 1000) -> list[dict[str, str]]:
    return [
        {
            "pmid": str(start + index),
            "title": f"Fictional study number {index} of exercise",
            "abstract": f"This fictional study {index} enrolled {index + 10} people. "
            "Exercise improved pain scores. Further work is needed.",
        }
        for index in range(count)
    ]


def write_gzip(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode()))
    return path


def make_card(card_id: str = "fictional-back-ache", **overrides: Any) -> str:
    """A valid guideline card about a fictional condition, as Markdown text."""
    title = overrides.get("title", "Fictional back ache")
    return f"""---
card_id: {card_id}
title: {title}
aliases: [FBA]
review_status: draft
updated: 2026-11-01
sources:
  - key: imaginary-guideline
    kind: guideline
    issuer: Imaginary Institute of Health
    title: "Fictional back ache: assessment and management"
    year: 2024
    url: https://example.org/fba
    pmid: "12345678"
    doi: 10.1000/fba.2024
  - key: imaginary-trial
    kind: research
    issuer: Journal of Imaginary Medicine
    title: "A fictional randomised trial of walking for back ache"
    year: 2023
---

# {title}

## First-line management

- Advise people with fictional back ache to keep walking rather than rest in bed.
  [imaginary-guideline, imaginary-trial]
- Offer fictional heat packs for short-term relief. [imaginary-guideline]

## Pitfalls

- Do not image fictional back ache in the first six weeks without red flags. [imaginary-guideline]

## In plain language

- Keep moving: walking helps fictional back ache get better. [imaginary-trial]
"""
