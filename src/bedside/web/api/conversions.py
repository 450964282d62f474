"""Service results → API models."""

from __future__ import annotations

from typing import cast

from bedside.compose.article import REFERENCE_TYPES, answer_to_json
from bedside.domain import Answer, Document, DocumentKind
from bedside.service import PassageView, SearchResult
from bedside.web.schemas import (
    AnswerPublic,
    AnswerSummary,
    DocumentReference,
    PassagePublic,
    ReferenceType,
    SearchResultPublic,
)


def reference_type(kind: DocumentKind) -> ReferenceType:
    return cast(ReferenceType, REFERENCE_TYPES[kind])


def answer_public(answer: Answer) -> AnswerPublic:
    return AnswerPublic.model_validate(answer_to_json(answer))


def answer_summary(answer: Answer) -> AnswerSummary:
    return AnswerSummary(
        answer_id=answer.answer_id,
        kind="refusal" if answer.refusal is not None else "answer",
        question=answer.question,
        title=answer.title,
        audience=answer.audience.value,
        review_status=answer.review_status.value,
        last_updated=answer.updated_at,
    )


def document_reference(document: Document) -> DocumentReference:
    return DocumentReference(
        document_id=document.document_id,
        document_key=document.document_key,
        type=reference_type(document.kind),
        title=document.title,
        source=document.source,
        year=document.year,
        authors=list(document.authors),
        pmid=document.pmid,
        doi=document.doi,
        url=document.url,
        status=document.status.value,
        licence=document.licence,
    )


def passage_public(view: PassageView) -> PassagePublic:
    passage = view.passage
    return PassagePublic(
        passage_id=passage.passage_id,
        document_id=passage.document_id,
        section_path=list(passage.section_path),
        page=passage.page,
        text=passage.text,
        question=passage.question,
        document=document_reference(view.document),
    )


def search_result_public(result: SearchResult) -> SearchResultPublic:
    return SearchResultPublic(
        rank=result.hit.rank,
        score=round(result.hit.score, 6),
        passage_id=result.hit.passage_id,
        document_id=result.hit.document_id,
        title=result.document.title,
        type=reference_type(result.document.kind),
        source=result.document.source,
        year=result.document.year,
        section_path=list(result.passage.section_path),
        text=result.passage.text,
    )
