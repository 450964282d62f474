"""`/api/review/...` and an article's audit log: the review pages' JSON twins (signed in only).

Review actions themselves are taken on the pages (session and CSRF token) or with the
`bedside review` command; the API reads.
"""

from __future__ import annotations

from fastapi import APIRouter

from bedside.domain import ReviewStatus
from bedside.review.events import AuditEvent
from bedside.web.api.conversions import answer_summary
from bedside.web.deps import BoardMemberDep, ServiceDep
from bedside.web.schemas import (
    AuditEventPublic,
    AuditLog,
    ReviewQueue,
    ReviewQueueItem,
    ReviewStatusName,
    problem_responses,
)

router = APIRouter(tags=["review"], responses=problem_responses(401))


@router.get("/review/queue", operation_id="review_queue", response_model=ReviewQueue)
def review_queue(
    service: ServiceDep, user: BoardMemberDep, status: ReviewStatusName | None = None
) -> ReviewQueue:
    """Articles awaiting review (default: every open status), oldest first, with assignees."""
    queue = service.review_queue(ReviewStatus(status) if status else None)
    return ReviewQueue(
        answers=[
            ReviewQueueItem(**answer_summary(answer).model_dump(), assignee=assignee)
            for answer, assignee in queue
        ]
    )


@router.get(
    "/answers/{answer_id}/events",
    operation_id="list_answer_events",
    response_model=AuditLog,
    responses=problem_responses(404),
)
def list_answer_events(answer_id: str, service: ServiceDep, user: BoardMemberDep) -> AuditLog:
    """An article's audit log: every review action on it, oldest first."""
    service.get_answer(answer_id)  # 404 for an unknown answer
    return AuditLog(events=[event_public(event) for event in service.audit_log(answer_id)])


def event_public(event: AuditEvent) -> AuditEventPublic:
    return AuditEventPublic(
        event_id=event.event_id,
        actor=event.actor,
        action=event.action.value,
        from_status=event.from_status.value,
        to_status=event.to_status.value,
        note=event.note,
        created_at=event.created_at,
    )
