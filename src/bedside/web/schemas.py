"""API request and response models: the public shape of the JSON API, not the domain types.

`AnswerPublic` mirrors the answer JSON documented in docs/answers.md (what `answer_to_json`
writes); tests/web checks that the two keep the same fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUESTION_CHARS = 1000

AudienceName = Literal["clinician", "patient"]
ReferenceType = Literal["Guideline", "Research", "Patient information", "Drug label"]
ReviewStatusName = Literal["submitted", "under_review", "approved", "changes_requested", "rejected"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Public(BaseModel):
    """A response model. Fields the domain adds later are dropped, not refused, so that a new
    field cannot break the API; tests/web checks the answer model against the answer JSON."""


# -- requests ---------------------------------------------------------------------------------


class AskRequest(_Request):
    """A question to answer."""

    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        description="The clinical question, 1 to 1000 characters.",
        examples=["What are the treatment options for disc space loss in the lumbar spine?"],
    )
    audience: AudienceName = Field(
        default="clinician",
        description="Write for a clinician, or in plain language for a patient.",
    )
    follow_up_of: str | None = Field(
        default=None,
        max_length=64,
        description="Answer in the context of this earlier answer (its `answer_id`).",
    )
    full: bool = Field(
        default=False,
        description="Every relevant statement instead of the concise article.",
    )


# -- the answer -------------------------------------------------------------------------------


class BulletPublic(_Public):
    text: str = Field(description="The statement as shown (with glossary explanations).")
    citations: list[int] = Field(description="Reference numbers it cites.")
    passage_ids: list[str] = Field(description="The passages it cites.")
    checked_text: str = Field(description="The statement as verified.")
    explanations: list[str] = Field(description="Glossary explanations added to `text`.")
    grade: str = Field(
        description="The source's grade for a guideline recommendation ('Grade B'), else ''."
    )


class BottomLinePublic(_Public):
    text: str
    citations: list[int]
    statements: list[BulletPublic]


class SectionPublic(_Public):
    section_id: str
    heading: str
    bullets: list[BulletPublic]


class ReferencePublic(_Public):
    number: int
    type: ReferenceType
    title: str
    source: str | None
    year: int | None
    pmid: str | None
    doi: str | None
    url: str | None
    document_id: str
    passage_ids: list[str]
    note: str  # "Published 2016; may have been superseded by newer guidance." or ""


class UrgentPublic(_Public):
    message: str
    red_flags: list[str]


class ReviewPublic(_Public):
    status: ReviewStatusName
    updated_at: str


class RefusalPublic(_Public):
    reason: Literal["out_of_scope", "insufficient_evidence", "unsafe"]
    message: str


class CheckPublic(_Public):
    name: str
    passed: bool
    detail: str


class DroppedPublic(_Public):
    """A statement the verifier removed, the checks it failed and why (for reviewers)."""

    text: str
    passage_ids: list[str]
    failed_checks: list[str] = Field(default_factory=list)
    reason: str = ""


class DrugNamePublic(_Public):
    """A medicine as the question named it, and its generic name."""

    as_written: str
    generic: str
    also_called: list[str]


class QuestionFramePublic(_Public):
    """The question taken apart: what is asked, about which condition, for whom."""

    ask: Literal[
        "treatment", "drug_choice", "dose", "duration", "test_or_image", "referral",
        "prognosis", "red_flags", "diagnosis", "side_effects", "interactions", "prevention",
        "monitoring", "general",
    ]  # fmt: skip
    conditions: list[str]
    condition_cards: list[str]
    populations: list[str]
    interventions: list[str]
    comparator: str | None
    time_frames: list[str]
    yes_no: bool
    drugs: list[DrugNamePublic]
    age_years: float | None = None
    kidney_function: float | None = None
    cardiovascular_risk: float | None = None
    albumin_ratio: float | None = None
    treatment_tried: bool = False


class VerificationPublic(_Public):
    statements_checked: int
    statements_dropped: int
    checks: list[CheckPublic]
    dropped: list[DroppedPublic]


class AnswerPublic(_Public):
    """A verified article or a typed refusal (docs/answers.md)."""

    kind: Literal["answer", "refusal"]
    answer_id: str
    question: str
    audience: AudienceName
    title: str
    bottom_line: BottomLinePublic
    sections: list[SectionPublic]
    references: list[ReferencePublic]
    urgent: UrgentPublic | None
    gaps: list[str] = Field(
        default_factory=list,
        description="What the question asked about that the sources do not address.",
    )
    question_frame: QuestionFramePublic | None = None
    redactions: list[str] = Field(
        default_factory=list,
        description="Kinds of personal data removed from the question before it was stored.",
    )
    related_questions: list[str]
    follow_up_questions: list[str]
    review: ReviewPublic
    refusal: RefusalPublic | None
    disclaimer: str
    created_at: str
    last_updated: str
    settings_fingerprint: str
    kb_version: str
    follow_up_of: str | None
    revision_of: str | None = Field(
        default=None, description="For a revision of an approved article, that article's id."
    )
    verification: VerificationPublic
    provenance: dict[str, Any]


class AnswerSummary(_Public):
    """One answer in a list: enough to link to it."""

    answer_id: str
    kind: Literal["answer", "refusal"]
    question: str
    title: str
    audience: AudienceName
    review_status: ReviewStatusName
    last_updated: str


class AnswerList(_Public):
    answers: list[AnswerSummary]


# -- review ---------------------------------------------------------------------------------------


class ReviewQueueItem(AnswerSummary):
    assignee: str | None = Field(description="The board member it is assigned to, if anyone.")


class ReviewQueue(_Public):
    answers: list[ReviewQueueItem]


class AuditEventPublic(_Public):
    event_id: str
    actor: str = Field(description="The board member's username.")
    action: str
    from_status: ReviewStatusName
    to_status: ReviewStatusName
    note: str
    created_at: str


class AuditLog(_Public):
    events: list[AuditEventPublic]


# -- knowledge base -----------------------------------------------------------------------------


class DocumentReference(_Public):
    """The reference facts of the document a passage belongs to."""

    document_id: str
    document_key: str
    type: ReferenceType
    title: str
    source: str | None
    year: int | None
    authors: list[str]
    pmid: str | None
    doi: str | None
    url: str | None
    status: str
    licence: str | None


class PassagePublic(_Public):
    """A passage (what a citation resolves to) with its document's reference facts."""

    passage_id: str
    document_id: str
    section_path: list[str]
    page: int | None
    text: str
    question: str | None
    document: DocumentReference


class SearchResultPublic(_Public):
    rank: int
    score: float
    passage_id: str
    document_id: str
    title: str
    type: ReferenceType
    source: str | None
    year: int | None
    section_path: list[str]
    text: str


class SearchResults(_Public):
    query: str
    results: list[SearchResultPublic]


class TopicPublic(_Public):
    card_id: str
    title: str
    aliases: list[str]


class TopicList(_Public):
    topics: list[TopicPublic]


class KnowledgeBaseHealth(_Public):
    current_documents: int
    passages: int
    schema_version: int
    kb_version: str


class HealthPublic(_Public):
    status: Literal["ok"]
    version: str
    settings_fingerprint: str
    knowledge_base: KnowledgeBaseHealth


# -- errors -------------------------------------------------------------------------------------


class ProblemFieldError(BaseModel):
    parameter: str | None
    in_: str | None = Field(default=None, alias="in")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details with Bedside's error `code` (as application/problem+json)."""

    type: str = Field(description="`/problems/<code>`: a page describing the code.")
    title: str
    status: int
    detail: str
    code: str = Field(description="Bedside's stable error code.")
    parameter: str | None = Field(default=None, description="The request parameter at fault.")
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="Each validation problem (request validation only)."
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem details a route may answer with."""
    return {
        status: {"model": Problem, "content": {"application/problem+json": {}}}
        for status in statuses
    }
