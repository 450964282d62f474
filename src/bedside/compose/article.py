"""A verified draft becomes an article: references numbered by first citation, and its JSON form.

The JSON form is what `bedside ask --json` prints, what the web API serves and what the store
keeps; `answer_from_json` reads it back, so a stored answer is returned exactly as first served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from bedside.domain import (
    Answer,
    Audience,
    Check,
    Document,
    DocumentKind,
    Draft,
    DraftSection,
    DroppedStatement,
    Evidence,
    QuestionFrame,
    Reference,
    Refusal,
    RefusalReason,
    ReviewStatus,
    Statement,
    Urgent,
)

REFERENCE_TYPES = {
    DocumentKind.GUIDELINE: "Guideline",
    DocumentKind.RESEARCH: "Research",
    DocumentKind.PATIENT_INFORMATION: "Patient information",
    DocumentKind.DRUG_LABEL: "Drug label",
}
CLINICIAN_DISCLAIMER = (
    "For educational use by health professionals. Generated from Bedside's knowledge base and "
    "checked statement by statement against its sources, but not a substitute for clinical "
    "judgement; pending review by the medical advisory board until approved."
)
PATIENT_DISCLAIMER = (
    "This is general health information, not medical advice for you. Talk to a doctor, nurse "
    "or pharmacist about your own situation. It has not yet been checked by our medical "
    "reviewers unless it says approved."
)


def number_references(
    statements: Iterable[Statement], evidence: Mapping[str, Evidence]
) -> tuple[Reference, ...]:
    """One reference per cited source, numbered in order of first citation.

    Two cards citing the same guideline hold it as two documents; they are one reference.
    """
    references: dict[str, dict[str, Any]] = {}
    for statement in statements:
        for passage_id in statement.passage_ids:
            cited = evidence[passage_id]
            document = cited.document
            entry = references.setdefault(
                _source_identity(document), {"document": document, "passage_ids": []}
            )
            if passage_id not in entry["passage_ids"]:
                entry["passage_ids"].append(passage_id)
    return tuple(
        Reference(
            number=number,
            kind=entry["document"].kind,
            title=entry["document"].title,
            source=entry["document"].source,
            year=entry["document"].year,
            pmid=entry["document"].pmid,
            doi=entry["document"].doi,
            url=entry["document"].url,
            document_id=entry["document"].document_id,
            passage_ids=tuple(entry["passage_ids"]),
            note=_dated_note(entry["document"]),
        )
        for number, entry in enumerate(references.values(), start=1)
    )


# Guidance older than this many years is labelled as possibly superseded.
SUPERSEDED_AFTER_YEARS = 5


def _dated_note(document: Document) -> str:
    """ "Published 2016; may have been superseded by newer guidance." for a guideline collection
    whose summaries are dated (NGC), or any guideline outside the reviewed cards more than
    `SUPERSEDED_AFTER_YEARS` old. The cards' own sources are checked by the editorial review."""
    if document.kind is not DocumentKind.GUIDELINE or document.year is None:
        return ""
    if document.card_id is not None:
        return ""
    old = dt.datetime.now(dt.UTC).year - document.year > SUPERSEDED_AFTER_YEARS
    if not (old or document.extra.get("may_be_superseded")):
        return ""
    return f"Published {document.year}; may have been superseded by newer guidance."


def _source_identity(document: Document) -> str:
    if document.doi:
        return "doi:" + document.doi.lower()
    if document.pmid:
        return "pmid:" + document.pmid
    if document.url:
        return "url:" + document.url.lower().rstrip("/")
    return f"title:{document.title.lower()}|{document.year}|{(document.source or '').lower()}"


def all_statements(answer_like: Answer | Draft) -> list[Statement]:
    """The bottom line, then every section's statements, in reading order."""
    return [
        *answer_like.bottom_line,
        *(s for section in answer_like.sections for s in section.statements),
    ]


def disclaimer(audience: Audience) -> str:
    return PATIENT_DISCLAIMER if audience is Audience.PATIENT else CLINICIAN_DISCLAIMER


# -- JSON -----------------------------------------------------------------------------------------


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The answer as the API serves it (documented in docs/answers.md)."""
    number_of = {p: ref.number for ref in answer.references for p in ref.passage_ids}

    def statement_json(statement: Statement) -> dict[str, Any]:
        return {
            "text": statement.shown,
            "citations": sorted({number_of[p] for p in statement.passage_ids if p in number_of}),
            "passage_ids": list(statement.passage_ids),
            "checked_text": statement.text,
            "explanations": list(statement.explanations),
            "grade": statement.grade,
        }

    bottom = answer.bottom_line
    return {
        "kind": answer.kind,
        "answer_id": answer.answer_id,
        "question": answer.question,
        "audience": answer.audience.value,
        "title": answer.title,
        "bottom_line": {
            "text": " ".join(statement.shown for statement in bottom),
            "citations": sorted(
                {number_of[p] for s in bottom for p in s.passage_ids if p in number_of}
            ),
            "statements": [statement_json(statement) for statement in bottom],
        },
        "sections": [
            {
                "section_id": section.section_id,
                "heading": section.heading,
                "bullets": [statement_json(statement) for statement in section.statements],
            }
            for section in answer.sections
        ],
        "references": [
            {
                "number": ref.number,
                "type": REFERENCE_TYPES[ref.kind],
                "title": ref.title,
                "source": ref.source,
                "year": ref.year,
                "pmid": ref.pmid,
                "doi": ref.doi,
                "url": ref.url,
                "document_id": ref.document_id,
                "passage_ids": list(ref.passage_ids),
                "note": ref.note,
            }
            for ref in answer.references
        ],
        "urgent": (
            None
            if answer.urgent is None
            else {"message": answer.urgent.message, "red_flags": list(answer.urgent.red_flags)}
        ),
        "gaps": list(answer.gaps),
        "redactions": list(answer.redactions),
        "question_frame": (
            None if answer.question_frame is None else answer.question_frame.to_json()
        ),
        "related_questions": list(answer.related_questions),
        "follow_up_questions": list(answer.follow_up_questions),
        "review": {"status": answer.review_status.value, "updated_at": answer.updated_at},
        "refusal": (
            None
            if answer.refusal is None
            else {"reason": answer.refusal.reason.value, "message": answer.refusal.message}
        ),
        "disclaimer": disclaimer(answer.audience),
        "created_at": answer.created_at,
        "last_updated": answer.updated_at,
        "settings_fingerprint": answer.settings_fingerprint,
        "kb_version": answer.kb_version,
        "follow_up_of": answer.follow_up_of,
        "revision_of": answer.revision_of,
        "verification": {
            "statements_checked": len(all_statements(answer)) + len(answer.dropped),
            "statements_dropped": len(answer.dropped),
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in answer.checks
            ],
            "dropped": [
                {
                    "text": d.statement.text,
                    "passage_ids": list(d.statement.passage_ids),
                    "failed_checks": list(d.failed_checks),
                    "reason": d.reason,
                }
                for d in answer.dropped
            ],
        },
        "provenance": answer.provenance,
    }


def answer_from_json(record: Mapping[str, Any]) -> Answer:
    """Read back what `answer_to_json` wrote."""

    def statement(item: Mapping[str, Any]) -> Statement:
        rendered = item["text"] if item["text"] != item["checked_text"] else ""
        return Statement(
            text=item["checked_text"],
            passage_ids=tuple(item["passage_ids"]),
            rendered=rendered,
            explanations=tuple(item["explanations"]),
            grade=str(item.get("grade", "")),
        )

    refusal = record["refusal"]
    urgent = record["urgent"]
    verification = record["verification"]
    return Answer(
        answer_id=record["answer_id"],
        question=record["question"],
        audience=Audience(record["audience"]),
        title=record["title"],
        bottom_line=tuple(statement(item) for item in record["bottom_line"]["statements"]),
        sections=tuple(
            DraftSection(
                section["section_id"],
                section["heading"],
                tuple(statement(item) for item in section["bullets"]),
            )
            for section in record["sections"]
        ),
        references=tuple(
            Reference(
                number=ref["number"],
                kind=_kind_from_type(ref["type"]),
                title=ref["title"],
                source=ref["source"],
                year=ref["year"],
                pmid=ref["pmid"],
                doi=ref["doi"],
                url=ref["url"],
                document_id=ref["document_id"],
                passage_ids=tuple(ref["passage_ids"]),
                note=str(ref.get("note", "")),
            )
            for ref in record["references"]
        ),
        urgent=None if urgent is None else Urgent(urgent["message"], tuple(urgent["red_flags"])),
        related_questions=tuple(record["related_questions"]),
        follow_up_questions=tuple(record["follow_up_questions"]),
        refusal=(
            None
            if refusal is None
            else Refusal(RefusalReason(refusal["reason"]), refusal["message"])
        ),
        review_status=ReviewStatus(record["review"]["status"]),
        created_at=record["created_at"],
        updated_at=record["review"]["updated_at"],
        settings_fingerprint=record["settings_fingerprint"],
        kb_version=record["kb_version"],
        checks=tuple(Check(c["name"], c["passed"], c["detail"]) for c in verification["checks"]),
        dropped=tuple(
            DroppedStatement(
                Statement(item["text"], tuple(item["passage_ids"])),
                # Both absent from records stored before reasons were kept.
                tuple(item.get("failed_checks", ())),
                str(item.get("reason", "")),
            )
            for item in verification["dropped"]
        ),
        provenance=dict(record["provenance"]),
        follow_up_of=record["follow_up_of"],
        revision_of=record.get("revision_of"),  # absent from records stored before review
        # Both absent from records stored before the question frame existed.
        question_frame=(
            None
            if not record.get("question_frame")
            else QuestionFrame.from_json(record["question_frame"])
        ),
        gaps=tuple(record.get("gaps", ())),
        redactions=tuple(record.get("redactions", ())),
    )


def _kind_from_type(label: str) -> DocumentKind:
    for kind, name in REFERENCE_TYPES.items():
        if name == label:
            return kind
    raise ValueError(f"unknown reference type {label!r}")
