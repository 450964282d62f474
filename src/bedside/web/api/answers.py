"""`/api/answers`: ask a question, read an answer, list recent answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from bedside.domain import Audience, ReviewStatus
from bedside.web.api.conversions import answer_public, answer_summary
from bedside.web.deps import AskLimitDep, ServiceDep
from bedside.web.problems import ProblemError
from bedside.web.schemas import (
    AnswerList,
    AnswerPublic,
    AskRequest,
    ReviewStatusName,
    problem_responses,
)

router = APIRouter(tags=["answers"])


@router.post(
    "/answers",
    operation_id="ask",
    response_model=AnswerPublic,
    responses=problem_responses(404, 429),
)
def ask(
    body: AskRequest, service: ServiceDep, response: Response, _limit: AskLimitDep
) -> AnswerPublic:
    """Answer a question: a verified article, or a typed refusal (stored either way).

    The same question on the same knowledge base and settings returns the stored answer.
    """
    # An empty `follow_up_of` means none, as on the ask page (the service would try to store it).
    answer = service.ask(
        body.question,
        audience=Audience(body.audience),
        follow_up_of=body.follow_up_of or None,
        full=body.full,
    )
    response.headers["Location"] = f"/api/answers/{answer.answer_id}"
    return answer_public(answer)


@router.get(
    "/answers",
    operation_id="list_answers",
    response_model=AnswerList,
    responses=problem_responses(401),
)
def list_answers(
    service: ServiceDep,
    status: ReviewStatusName | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AnswerList:
    """Published (approved) articles, newest first.

    A reader's question is theirs until an editor publishes it: articles awaiting review, or
    rejected, are never listed here; the board sees them in `/api/review/queue` (signed in).
    """
    if status is not None and status != ReviewStatus.APPROVED.value:
        raise ProblemError(
            "sign_in_required",
            "Only approved articles are listed publicly; the review board lists the others at "
            "/api/review/queue after signing in.",
            parameter="status",
        )
    answers = service.recent_answers(status=ReviewStatus.APPROVED, limit=limit)
    return AnswerList(answers=[answer_summary(answer) for answer in answers])


@router.get(
    "/answers/{answer_id}",
    operation_id="get_answer",
    response_model=AnswerPublic,
    responses=problem_responses(404),
)
def get_answer(answer_id: str, service: ServiceDep) -> AnswerPublic:
    """One stored answer, exactly as first served (with its current review status)."""
    return answer_public(service.get_answer(answer_id))
