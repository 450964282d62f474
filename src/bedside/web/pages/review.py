"""The review board's pages: `/review` (the queue) and the review actions on articles and cards.

The actions a member sees are those the workflow allows their role from the article's (or the
guideline card's) status (`bedside.review.workflow`); the service checks again, so a forged form
is refused all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bedside.domain import Answer, ReviewStatus
from bedside.errors import InputError
from bedside.review.accounts import User
from bedside.review.workflow import Action, Publication, allowed, can, can_assign_others
from bedside.web.deps import BoardMemberDep, ServiceDep, TemplatesDep
from bedside.web.locked import LockedService
from bedside.web.problems import ProblemError
from bedside.web.sessions import check_csrf, flash

router = APIRouter()

ACTION_LABELS = {
    Action.START_REVIEW: "Start review",
    Action.APPROVE: "Approve",
    Action.REQUEST_CHANGES: "Request changes",
    Action.REJECT: "Reject",
    Action.RESUBMIT: "Resubmit",
    Action.COMMENT: "Add comment",
    Action.ASSIGN: "Assign",
}
_STATUS_ACTIONS = (
    Action.START_REVIEW,
    Action.APPROVE,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.RESUBMIT,
)


@dataclass(frozen=True, slots=True)
class ActionButton:
    action: str
    label: str


def review_panel(
    answer: Answer, user: User | None, service: LockedService
) -> dict[str, Any] | None:
    """What the review panel on an article shows a signed-in member (None for readers)."""
    if user is None or answer.refusal is not None:
        return None
    status = answer.review_status
    assignee, events = service.review_state(answer.answer_id)
    buttons = status_buttons(user, status)
    may_assign = can(user.role, Action.ASSIGN) and allowed(Action.ASSIGN, status) is not None
    assignees: list[str] = []
    if may_assign:
        if can_assign_others(user.role):
            assignees = [member.username for member in service.list_users()]
        else:
            assignees = [user.username]
    return {
        "user": user,
        "status": status.value,
        "assignee": assignee,
        "events": events,
        "buttons": buttons,
        "may_comment": can(user.role, Action.COMMENT),
        "assignees": assignees,
    }


def status_buttons(user: User, status: ReviewStatus) -> list[ActionButton]:
    """The status-changing actions `user`'s role may take from `status`."""
    return [
        ActionButton(action.value, ACTION_LABELS[action])
        for action in _STATUS_ACTIONS
        if can(user.role, action) and allowed(action, status) is not None
    ]


@dataclass(frozen=True, slots=True)
class CardRow:
    """A guideline card in the queue: its status and the actions the member may take on it."""

    card_id: str
    status: str
    buttons: list[ActionButton]


def card_rows(user: User, service: LockedService) -> list[CardRow]:
    return [
        CardRow(card_id, status, status_buttons(user, ReviewStatus(status)))
        for card_id, status in service.card_statuses().items()
    ]


def _checked_action(user: User, action: str) -> Action:
    """The form's `action`, if the member's role may take it at all (422 unknown, 403 forbidden)."""
    try:
        chosen = Action(action)
    except ValueError:
        raise InputError(f"unknown review action {action!r}", where="action") from None
    if not can(user.role, chosen):
        raise ProblemError(
            "forbidden", f"a {user.role.value} may not {chosen.value.replace('_', ' ')}"
        )
    return chosen


@router.get("/review", name="review_queue")
def review_queue_page(
    request: Request,
    service: ServiceDep,
    templates: TemplatesDep,
    user: BoardMemberDep,
    status: str | None = None,
) -> Response:
    try:
        chosen = ReviewStatus(status) if status else None
    except ValueError:
        raise InputError(f"unknown review status {status!r}", where="status") from None
    return templates.TemplateResponse(
        request,
        "review_queue.html",
        {
            "user": user,
            "status": chosen.value if chosen else None,
            "statuses": [s.value for s in ReviewStatus],
            "queue": service.review_queue(chosen),
            "cards": card_rows(user, service),
        },
    )


@router.post("/answers/{answer_id}/review", name="review_action")
def review_action(
    answer_id: str,
    request: Request,
    service: ServiceDep,
    user: BoardMemberDep,
    action: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    assignee: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=400)] = "",
    question: Annotated[str, Form(max_length=2000)] = "",
    no_personal_data: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    chosen = _checked_action(user, action)
    publication = (
        Publication(title, question, no_personal_data=no_personal_data == "yes")
        if chosen is Action.APPROVE
        else None
    )
    wanted = assignee.strip() or None
    # The same 403 whether or not the name exists: the form must not tell a reviewer which
    # usernames are real.
    others = chosen is Action.ASSIGN and wanted not in (None, user.username)
    if others and not can_assign_others(user.role):
        raise ProblemError("forbidden", f"a {user.role.value} may assign work only to themself")
    service.act(answer_id, chosen, user=user, note=note, assignee=wanted, publication=publication)
    flash(request, f"{ACTION_LABELS[chosen]}: done.")
    return RedirectResponse(f"/answers/{answer_id}#review", status_code=303)


@router.post("/cards/{card_id}/review", name="card_review_action")
def card_review_action(
    card_id: str,
    request: Request,
    service: ServiceDep,
    user: BoardMemberDep,
    action: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    chosen = _checked_action(user, action)
    service.act_on_card(card_id, chosen, user=user, note=note)
    flash(request, f"{ACTION_LABELS[chosen]} ({card_id}): done.")
    return RedirectResponse("/review#cards", status_code=303)
