"""The review state machine: who may do what (`PERMISSIONS`), from which state (`TRANSITIONS`).

An article starts `submitted`; a reviewer starts the review; an editor approves it, or it goes
back for changes (and is resubmitted), or it is rejected. `approved` and `rejected` are final:
an approved article is never changed, a correction is a new answer (a revision) reviewed anew.
The diagram and both tables are in docs/review.md.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from bedside.domain import Answer, ReviewStatus
from bedside.errors import WorkflowError


@dataclass(frozen=True, slots=True)
class Publication:
    """What an editor approves for everyone to see: the title and the question an article is
    listed under (editable, since a reader's wording may identify them), and the editor's check
    that neither holds personal data. Approving an article needs one."""

    title: str
    question: str
    no_personal_data: bool

    @classmethod
    def as_it_stands(cls, answer: Answer, *, no_personal_data: bool) -> Publication:
        """The article's own title and its question as kept (already redacted), unedited."""
        return cls(answer.title, answer.question, no_personal_data)


class Role(enum.StrEnum):
    """A member of the medical advisory board, by what they may do."""

    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Action(enum.StrEnum):
    """Something a board member does to an article or a card."""

    START_REVIEW = "start_review"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    RESUBMIT = "resubmit"
    ASSIGN = "assign"
    COMMENT = "comment"


FINAL_STATUSES = frozenset({ReviewStatus.APPROVED, ReviewStatus.REJECTED})
OPEN_STATUSES = tuple(status for status in ReviewStatus if status not in FINAL_STATUSES)

# (action, status before) → status after. A pair that is missing is an illegal move.
TRANSITIONS: Mapping[tuple[Action, ReviewStatus], ReviewStatus] = {
    (Action.START_REVIEW, ReviewStatus.SUBMITTED): ReviewStatus.UNDER_REVIEW,
    (Action.APPROVE, ReviewStatus.UNDER_REVIEW): ReviewStatus.APPROVED,
    (Action.REQUEST_CHANGES, ReviewStatus.UNDER_REVIEW): ReviewStatus.CHANGES_REQUESTED,
    (Action.REJECT, ReviewStatus.UNDER_REVIEW): ReviewStatus.REJECTED,
    (Action.REJECT, ReviewStatus.SUBMITTED): ReviewStatus.REJECTED,
    (Action.RESUBMIT, ReviewStatus.CHANGES_REQUESTED): ReviewStatus.SUBMITTED,
    # Assigning and commenting change no state. Work is assigned only while it is open; a
    # comment may be left at any time, on a final article too.
    **{(Action.ASSIGN, status): status for status in OPEN_STATUSES},
    **{(Action.COMMENT, status): status for status in ReviewStatus},
}

_REVIEWER_ACTIONS = frozenset(
    {Action.START_REVIEW, Action.COMMENT, Action.REQUEST_CHANGES, Action.ASSIGN}
)
_EDITOR_ACTIONS = _REVIEWER_ACTIONS | {Action.APPROVE, Action.REJECT, Action.RESUBMIT}

# Role → the actions it may take. A reviewer may assign work only to themself (`check_assignee`).
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.REVIEWER: _REVIEWER_ACTIONS,
    Role.EDITOR: _EDITOR_ACTIONS,
    Role.ADMIN: frozenset(Action),
}
_ASSIGNS_ANYONE = frozenset({Role.EDITOR, Role.ADMIN})

# Actions that must say why: the author and the audit log need the reason.
NOTE_REQUIRED = frozenset({Action.REQUEST_CHANGES, Action.REJECT, Action.COMMENT})


def allowed(action: Action, status: ReviewStatus) -> ReviewStatus | None:
    """The status `action` leads to from `status`, or None if the move is illegal."""
    return TRANSITIONS.get((action, status))


def can(role: Role, action: Action) -> bool:
    """Whether `role` may take `action` at all (whatever the status)."""
    return action in PERMISSIONS[role]


def can_assign_others(role: Role) -> bool:
    """Whether `role` may assign work to someone other than themself."""
    return role in _ASSIGNS_ANYONE


def transition(status: ReviewStatus, action: Action, *, role: Role) -> ReviewStatus:
    """The status after `role` takes `action` on work in `status`; `WorkflowError` if refused."""
    if not can(role, action):
        raise WorkflowError(
            f"a {role} may not {_verb(action)} (status is {status})",
            action=action,
            role=role,
            status=status,
        )
    after = allowed(action, status)
    if after is None:
        sources = sorted(before for (act, before) in TRANSITIONS if act is action)
        raise WorkflowError(
            f"cannot {_verb(action)} work that is {status} (as {role}); "
            f"{_verb(action)} is allowed from: {', '.join(sources)}",
            action=action,
            role=role,
            status=status,
        )
    return after


def check_assignee(role: Role, *, actor: str, assignee: str, status: ReviewStatus) -> None:
    """Refuse (`WorkflowError`) a reviewer's assigning work to anyone but themself."""
    if assignee != actor and not can_assign_others(role):
        raise WorkflowError(
            f"a {role} may assign work only to themself, not to {assignee!r} (status is {status})",
            action=Action.ASSIGN,
            role=role,
            status=status,
        )


def _verb(action: Action) -> str:
    return action.value.replace("_", " ")
