"""`/answers/{answer_id}`: an article (or a refusal) as a page; its JSON twin is the same path
under `/api`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bedside.compose.article import answer_to_json
from bedside.domain import Answer, ReviewStatus
from bedside.web.deps import ServiceDep, TemplatesDep, UserDep
from bedside.web.locked import LockedService
from bedside.web.pages.review import review_panel

router = APIRouter()

_STEPS = (
    (ReviewStatus.SUBMITTED, "Submitted"),
    (ReviewStatus.UNDER_REVIEW, "Under Review"),
    (ReviewStatus.APPROVED, "Approved"),
)
# Where each status sits on the three-step stepper, and what to say under it.
_POSITION = {
    ReviewStatus.SUBMITTED: 0,
    ReviewStatus.UNDER_REVIEW: 1,
    ReviewStatus.CHANGES_REQUESTED: 1,
    ReviewStatus.REJECTED: 1,
    ReviewStatus.APPROVED: 2,
}
_STATUS_NOTES = {
    ReviewStatus.CHANGES_REQUESTED: "A reviewer has requested changes to this article.",
    ReviewStatus.REJECTED: "A reviewer has rejected this article; do not rely on it.",
}


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    state: str  # done, current or todo
    state_text: str
    is_current: bool


def review_steps(status: ReviewStatus) -> list[Step]:
    """The stepper: steps before the status are done, the status's step is current."""
    position = _POSITION[status]
    steps = []
    for index, (_status, label) in enumerate(_STEPS):
        if index < position or status is ReviewStatus.APPROVED:
            state, text = "done", "completed"
        elif index == position:
            state, text = "current", "current step"
        else:
            state, text = "todo", "not yet"
        steps.append(Step(label, state, text, is_current=index == position))
    return steps


def article_context(answer: Answer, service: LockedService) -> dict[str, Any]:
    """What article.html and refusal.html need: the answer JSON, steps, cited passages."""
    data = answer_to_json(answer)
    passage_ids = [p for ref in answer.references for p in ref.passage_ids]
    return {
        "answer": data,
        "steps": review_steps(answer.review_status),
        "status_note": _STATUS_NOTES.get(answer.review_status),
        "passages": service.passages(passage_ids),
    }


@router.get("/answers/{answer_id}", name="answer_page")
def answer_page(
    answer_id: str, request: Request, service: ServiceDep, templates: TemplatesDep, user: UserDep
) -> Response:
    answer = service.get_answer(answer_id)
    template = "refusal.html" if answer.refusal is not None else "article.html"
    context = article_context(answer, service)
    context["review"] = review_panel(answer, user, service)
    return templates.TemplateResponse(request, template, context)
