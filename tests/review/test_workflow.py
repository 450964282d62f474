"""The review state machine: the permission matrix and the transitions table, cell by cell."""

from __future__ import annotations

import itertools

import pytest

from bedside.domain import ReviewStatus
from bedside.errors import WorkflowError
from bedside.review.workflow import (
    Action,
    Role,
    allowed,
    can,
    can_assign_others,
    check_assignee,
    transition,
)

S = ReviewStatus
A = Action

# Written out independently of the code's tables, from the issue.
MAY = {
    Role.REVIEWER: {A.START_REVIEW, A.COMMENT, A.REQUEST_CHANGES, A.ASSIGN},
    Role.EDITOR: {A.START_REVIEW, A.COMMENT, A.REQUEST_CHANGES, A.ASSIGN, A.APPROVE, A.REJECT,
                  A.RESUBMIT},
    Role.ADMIN: set(Action),
}  # fmt: skip

MOVES = {
    (A.START_REVIEW, S.SUBMITTED): S.UNDER_REVIEW,
    (A.APPROVE, S.UNDER_REVIEW): S.APPROVED,
    (A.REQUEST_CHANGES, S.UNDER_REVIEW): S.CHANGES_REQUESTED,
    (A.REJECT, S.UNDER_REVIEW): S.REJECTED,
    (A.REJECT, S.SUBMITTED): S.REJECTED,
    (A.RESUBMIT, S.CHANGES_REQUESTED): S.SUBMITTED,
    (A.ASSIGN, S.SUBMITTED): S.SUBMITTED,
    (A.ASSIGN, S.UNDER_REVIEW): S.UNDER_REVIEW,
    (A.ASSIGN, S.CHANGES_REQUESTED): S.CHANGES_REQUESTED,
    **{(A.COMMENT, status): status for status in ReviewStatus},
}
ILLEGAL = [pair for pair in itertools.product(Action, ReviewStatus) if pair not in MOVES]


@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role, Action)))
def test_permission_matrix(role: Role, action: Action) -> None:
    assert can(role, action) is (action in MAY[role])


@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role, Action)))
def test_transition_is_refused_without_permission_and_allowed_with_it(
    role: Role, action: Action
) -> None:
    before = next(status for (act, status) in MOVES if act is action)
    if action in MAY[role]:
        assert transition(before, action, role=role) is MOVES[(action, before)]
        return
    with pytest.raises(WorkflowError) as refused:
        transition(before, action, role=role)
    message = str(refused.value)
    assert role.value in message and action.value.replace("_", " ") in message
    assert before.value in message
    assert (refused.value.action, refused.value.role, refused.value.status) == (
        action,
        role,
        before,
    )
    assert refused.value.code == "workflow_refused"


@pytest.mark.parametrize(("move", "after"), list(MOVES.items()), ids=lambda v: str(v))
def test_every_allowed_transition(move: tuple[Action, ReviewStatus], after: ReviewStatus) -> None:
    action, before = move
    assert allowed(action, before) is after
    assert transition(before, action, role=Role.ADMIN) is after


@pytest.mark.parametrize(("action", "before"), ILLEGAL, ids=lambda v: str(v))
def test_illegal_moves_are_refused_naming_action_role_and_status(
    action: Action, before: ReviewStatus
) -> None:
    assert allowed(action, before) is None
    with pytest.raises(WorkflowError) as refused:
        transition(before, action, role=Role.ADMIN)
    message = str(refused.value)
    assert action.value.replace("_", " ") in message
    assert "admin" in message and before.value in message


@pytest.mark.parametrize("final", [S.APPROVED, S.REJECTED])
def test_final_statuses_allow_only_comments(final: ReviewStatus) -> None:
    assert [a for a in Action if allowed(a, final) is not None] == [A.COMMENT]


def test_only_editors_and_admins_assign_others() -> None:
    assert [role for role in Role if can_assign_others(role)] == [Role.EDITOR, Role.ADMIN]


def test_reviewer_may_assign_only_to_themself() -> None:
    check_assignee(Role.REVIEWER, actor="rita", assignee="rita", status=S.SUBMITTED)
    check_assignee(Role.EDITOR, actor="eddie", assignee="rita", status=S.SUBMITTED)
    with pytest.raises(WorkflowError, match="reviewer may assign work only to themself"):
        check_assignee(Role.REVIEWER, actor="rita", assignee="eddie", status=S.SUBMITTED)
