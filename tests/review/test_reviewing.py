"""The review use cases on the bundled knowledge base: statuses, permissions, the audit log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bedside.domain import Answer, ReviewStatus
from bedside.errors import InputError, NotFoundError, StoreError, WorkflowError
from bedside.review.accounts import User
from bedside.review.events import SubjectKind
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service


def checked_publication(service: Service, answer_id: str) -> Publication:
    """The editor's approval of the article's own title and question, checked for personal data."""
    return Publication.as_it_stands(service.get_answer(answer_id), no_personal_data=True)


QUESTION = "What helps chronic low back pain?"
PASSWORD = "long enough password"
S = ReviewStatus


@dataclass(frozen=True)
class Board:
    reviewer: User
    editor: User
    admin: User


@pytest.fixture
def board(bundled: Service) -> Board:
    return Board(
        reviewer=bundled.add_user("rita", PASSWORD, Role.REVIEWER),
        editor=bundled.add_user("eddie", PASSWORD, Role.EDITOR),
        admin=bundled.add_user("ada", PASSWORD, Role.ADMIN),
    )


@pytest.fixture
def article(bundled: Service) -> Iterator[Answer]:
    answer = bundled.ask(QUESTION)
    assert answer.kind == "answer" and answer.review_status is S.SUBMITTED
    yield answer


# -- accounts ---------------------------------------------------------------------------------


def test_users_authenticate_with_their_password_only(bundled: Service, board: Board) -> None:
    assert bundled.authenticate("rita", PASSWORD) == board.reviewer
    assert bundled.authenticate("rita", PASSWORD + "!") is None
    assert bundled.authenticate("nobody", PASSWORD) is None
    assert [user.username for user in bundled.list_users()] == ["ada", "eddie", "rita"]
    stored = bundled.store.get_user_by_name("rita")
    assert stored is not None and PASSWORD not in stored.password_hash


def test_add_user_refuses_taken_names_short_passwords_and_unknown_roles(
    bundled: Service, board: Board
) -> None:
    with pytest.raises(InputError, match="taken"):
        bundled.add_user("rita", PASSWORD, Role.EDITOR)
    with pytest.raises(InputError, match="10 characters") as short:
        bundled.add_user("sam", "short", Role.EDITOR)
    assert short.value.where == "password"
    with pytest.raises(InputError) as role:
        bundled.add_user("sam", PASSWORD, "owner")  # type: ignore[arg-type]
    assert role.value.where == "role"


# -- the article's path through review ----------------------------------------------------------

# (who, action, note, status after): every transition in the table, as real paths.
PATHS = {
    "approved": [
        ("reviewer", Action.START_REVIEW, "", S.UNDER_REVIEW),
        ("editor", Action.APPROVE, "", S.APPROVED),
    ],
    "changes then approved": [
        ("reviewer", Action.START_REVIEW, "", S.UNDER_REVIEW),
        ("reviewer", Action.REQUEST_CHANGES, "Cite the guideline for NSAIDs.", S.CHANGES_REQUESTED),
        ("editor", Action.RESUBMIT, "", S.SUBMITTED),
        ("admin", Action.START_REVIEW, "", S.UNDER_REVIEW),
        ("admin", Action.APPROVE, "", S.APPROVED),
    ],
    "rejected under review": [
        ("reviewer", Action.START_REVIEW, "", S.UNDER_REVIEW),
        ("editor", Action.REJECT, "Out of date.", S.REJECTED),
    ],
    "rejected on submission": [("editor", Action.REJECT, "Duplicate.", S.REJECTED)],
}


@pytest.mark.parametrize("path", list(PATHS))
def test_each_transition_changes_status_and_writes_one_audit_event(
    bundled: Service, board: Board, article: Answer, path: str
) -> None:
    before = article.review_status
    for step, (who, action, note, after) in enumerate(PATHS[path], start=1):
        user = getattr(board, who)
        publication = (
            checked_publication(bundled, article.answer_id) if action is Action.APPROVE else None
        )
        changed = bundled.transition(
            article.answer_id, action, user=user, note=note, publication=publication
        )
        assert changed.review_status is after
        assert bundled.get_answer(article.answer_id).review_status is after
        events = bundled.audit_log(article.answer_id)
        assert len(events) == step
        event = events[-1]
        assert (event.actor, event.action, event.from_status, event.to_status, event.note) == (
            user.username,
            action,
            before,
            after,
            note,
        )
        assert event.subject_kind is SubjectKind.ANSWER and event.created_at.endswith("+00:00")
        assert changed.updated_at == event.created_at
        before = after
    # Everything but the review is unchanged.
    final = bundled.get_answer(article.answer_id)
    assert final.sections == article.sections and final.references == article.references


def test_refused_transition_changes_nothing(
    bundled: Service, board: Board, article: Answer
) -> None:
    with pytest.raises(WorkflowError, match="reviewer may not approve"):
        bundled.transition(
            article.answer_id,
            Action.APPROVE,
            user=board.reviewer,
            publication=checked_publication(bundled, article.answer_id),
        )
    with pytest.raises(WorkflowError, match="cannot approve work that is submitted"):
        bundled.transition(
            article.answer_id,
            Action.APPROVE,
            user=board.editor,
            publication=checked_publication(bundled, article.answer_id),
        )
    with pytest.raises(InputError, match="note"):
        bundled.transition(article.answer_id, Action.REJECT, user=board.editor)
    assert bundled.get_answer(article.answer_id) == article
    assert bundled.audit_log(article.answer_id) == []


def test_approving_publishes_a_checked_title_and_question(bundled: Service, board: Board) -> None:
    article = bundled.ask("How is gout managed? My name is John Testperson.")
    assert "John" not in article.question  # redacted when asked
    bundled.transition(article.answer_id, Action.START_REVIEW, user=board.reviewer)

    def approve(publication: Publication | None) -> None:
        bundled.transition(
            article.answer_id, Action.APPROVE, user=board.editor, publication=publication
        )

    with pytest.raises(InputError) as unchecked:
        approve(None)
    assert unchecked.value.where == "no_personal_data"
    with pytest.raises(InputError, match="personal data") as unticked:
        approve(Publication.as_it_stands(article, no_personal_data=False))
    assert unticked.value.where == "no_personal_data"
    # The editor's edit is checked too: it cannot put personal data back.
    with pytest.raises(InputError, match="personal data") as edited_in:
        approve(Publication("Gout", "How is gout managed? Call 0117 496 0123.", True))
    assert edited_in.value.where == "question"
    with pytest.raises(InputError) as empty:
        approve(Publication("  ", "How is gout managed?", True))
    assert empty.value.where == "title"
    assert bundled.get_answer(article.answer_id).review_status is S.UNDER_REVIEW

    approve(Publication("Managing gout", "How is gout managed?", True))
    approved = bundled.get_answer(article.answer_id)
    assert (approved.title, approved.question) == ("Managing gout", "How is gout managed?")
    assert approved.review_status is S.APPROVED
    note = bundled.audit_log(article.answer_id)[-1].note
    assert note == "(title or question edited for publication)"  # never the old wording
    # The approved article is found again for the question as first asked.
    again = bundled.ask("How is gout managed? My name is John Testperson.")
    assert again.answer_id == article.answer_id


def test_status_and_event_are_written_in_one_transaction(
    bundled: Service, board: Board, article: Answer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_append(event: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(bundled.store, "append_event", broken_append)
    with pytest.raises(StoreError):
        bundled.transition(article.answer_id, Action.START_REVIEW, user=board.reviewer)
    assert bundled.get_answer(article.answer_id).review_status is S.SUBMITTED


def test_queue_lists_open_articles_oldest_first(
    bundled: Service, board: Board, article: Answer
) -> None:
    second = bundled.ask("What are the treatment options for disc space loss in the lumbar spine?")
    refusal = bundled.ask("What is the capital of Australia?")
    assert [a.answer_id for a in bundled.review_queue()] == [article.answer_id, second.answer_id]
    assert refusal.answer_id not in {a.answer_id for a in bundled.review_queue(S.SUBMITTED)}
    bundled.transition(second.answer_id, Action.START_REVIEW, user=board.reviewer)
    assert [a.answer_id for a in bundled.review_queue(S.UNDER_REVIEW)] == [second.answer_id]
    bundled.transition(
        second.answer_id,
        Action.APPROVE,
        user=board.editor,
        publication=checked_publication(bundled, second.answer_id),
    )
    assert [a.answer_id for a in bundled.review_queue()] == [article.answer_id]
    assert [a.answer_id for a in bundled.review_queue(S.APPROVED)] == [second.answer_id]
    with pytest.raises(WorkflowError, match="refusal"):
        bundled.transition(refusal.answer_id, Action.START_REVIEW, user=board.reviewer)


def test_reviewers_take_work_for_themselves_editors_assign_anyone(
    bundled: Service, board: Board, article: Answer
) -> None:
    answer_id = article.answer_id
    event = bundled.assign(answer_id, assignee="rita", user=board.reviewer)
    assert bundled.assignee(answer_id) == "rita"
    assert event.action is Action.ASSIGN and event.from_status is event.to_status is S.SUBMITTED
    assert event.note == "assigned to rita"
    with pytest.raises(WorkflowError, match="only to themself"):
        bundled.assign(answer_id, assignee="eddie", user=board.reviewer)
    bundled.assign(answer_id, assignee="eddie", user=board.editor, note="cardiology")
    assert bundled.assignee(answer_id) == "eddie"
    with pytest.raises(NotFoundError):
        bundled.assign(answer_id, assignee="nobody", user=board.editor)
    bundled.transition(answer_id, Action.START_REVIEW, user=board.reviewer)
    bundled.transition(
        answer_id,
        Action.APPROVE,
        user=board.editor,
        publication=checked_publication(bundled, answer_id),
    )
    with pytest.raises(WorkflowError, match="approved"):
        bundled.assign(answer_id, assignee="rita", user=board.editor)
    notes = [e.note for e in bundled.audit_log(answer_id) if e.action is Action.ASSIGN]
    assert notes == ["assigned to rita", "assigned to eddie: cardiology"]


def test_comments_are_logged_on_any_status_and_change_nothing(
    bundled: Service, board: Board, article: Answer
) -> None:
    bundled.transition(article.answer_id, Action.START_REVIEW, user=board.reviewer)
    bundled.transition(
        article.answer_id,
        Action.APPROVE,
        user=board.editor,
        publication=checked_publication(bundled, article.answer_id),
    )
    approved = bundled.get_answer(article.answer_id)
    event = bundled.comment(article.answer_id, user=board.reviewer, note="Recheck in 2027.")
    assert (event.action, event.from_status, event.to_status) == (
        Action.COMMENT,
        S.APPROVED,
        S.APPROVED,
    )
    assert bundled.get_answer(article.answer_id) == approved
    with pytest.raises(InputError, match="note"):
        bundled.comment(article.answer_id, user=board.reviewer, note="  ")


def test_audit_log_cannot_be_changed_even_outside_bedside(
    bundled: Service, board: Board, article: Answer
) -> None:
    bundled.transition(article.answer_id, Action.START_REVIEW, user=board.reviewer)
    logged = bundled.audit_log(article.answer_id)
    conn = sqlite3.connect(bundled.settings.kb_path())
    for statement in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()
    assert bundled.audit_log(article.answer_id) == logged


# -- cards ------------------------------------------------------------------------------------


def test_cards_start_from_front_matter_draft_as_submitted(bundled: Service, board: Board) -> None:
    statuses = bundled.card_statuses()
    assert len(statuses) == 25 and "asthma" in statuses
    assert set(statuses.values()) == {"submitted"}  # every bundled card is a draft
    assert bundled.transition_card("asthma", Action.START_REVIEW, user=board.reviewer) is (
        S.UNDER_REVIEW
    )
    with pytest.raises(WorkflowError, match="reviewer may not approve"):
        bundled.transition_card("asthma", Action.APPROVE, user=board.reviewer)
    assert bundled.transition_card("asthma", Action.APPROVE, user=board.editor) is S.APPROVED
    assert bundled.card_statuses()["asthma"] == "approved"
    assert bundled.card_statuses()["gout"] == "submitted"
    events = bundled.audit_log("asthma")
    assert [(e.subject_kind, e.action, e.to_status) for e in events] == [
        (SubjectKind.CARD, Action.START_REVIEW, S.UNDER_REVIEW),
        (SubjectKind.CARD, Action.APPROVE, S.APPROVED),
    ]
    with pytest.raises(NotFoundError):
        bundled.transition_card("no-such-card", Action.START_REVIEW, user=board.editor)
