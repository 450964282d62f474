"""The review use cases: accounts, the queue, transitions with their audit events, cards.

`Service` delegates here. Every action is checked against the permission matrix and the
transitions table (`bedside.review.workflow`) and writes its `AuditEvent` in the same store
transaction as the status change it records, so the log and the statuses cannot disagree.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bedside.compose.article import answer_from_json
from bedside.domain import Answer, ReviewStatus
from bedside.errors import InputError, NotFoundError, WorkflowError
from bedside.review.accounts import (
    User,
    hash_password,
    new_user_id,
    validate_username,
    verify_password,
)
from bedside.review.events import AuditEvent, SubjectKind, new_event, utc_now
from bedside.review.workflow import (
    NOTE_REQUIRED,
    OPEN_STATUSES,
    Action,
    Role,
    check_assignee,
    transition,
)
from bedside.store.base import StoredEvent, StoredUser

if TYPE_CHECKING:
    from bedside.service import Service

MAX_NOTE_CHARS = 4000

# Card front matter says `draft` or `approved`; a draft card is work submitted for review.
_CARD_FRONT_MATTER_STATUS = {"draft": ReviewStatus.SUBMITTED, "approved": ReviewStatus.APPROVED}


# -- accounts ---------------------------------------------------------------------------------


def add_user(service: Service, username: str, password: str, role: Role) -> User:
    """Create a board account; `InputError` for a bad or taken username or a short password."""
    validate_username(username)
    try:
        role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {role!r}; choose {choices}", where="role") from None
    password_hash = hash_password(password)
    store = service.store
    if store.get_user_by_name(username) is not None:
        raise InputError(f"the username {username!r} is taken", where="username")
    stored = StoredUser(new_user_id(), username, role.value, password_hash, utc_now())
    store.add_user(stored)
    return _user(stored)


def authenticate(service: Service, username: str, password: str) -> User | None:
    """The user whose username and password these are, or None."""
    stored = service.store.get_user_by_name(username)
    if stored is None:
        verify_password(_decoy_hash(), password)
        return None
    if not verify_password(stored.password_hash, password) or stored.disabled:
        return None
    return _user(stored)


@functools.cache
def _decoy_hash() -> str:
    """A hash to check against for an unknown username, so that a wrong username takes as long as
    a wrong password and does not reveal which usernames exist."""
    return hash_password("decoy-password-that-matches-nothing")


def list_users(service: Service) -> list[User]:
    return [_user(stored) for stored in service.store.list_users()]


def _user(stored: StoredUser) -> User:
    return User(
        stored.user_id,
        stored.username,
        Role(stored.role),
        stored.created_at,
        disabled=stored.disabled,
        sessions_valid_after=stored.sessions_valid_after,
    )


def _instant() -> str:
    # Microseconds: a session signed in and revoked within one second must still end.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def revoke_sessions(service: Service, username: str) -> None:
    """End every sign-in session of `username` now (logout, a stolen cookie)."""
    service.store.update_user(username, sessions_valid_after=_instant())


def set_disabled(service: Service, username: str, *, disabled: bool) -> None:
    """Disable (or enable) an account; disabling ends its sessions at once."""
    service.store.update_user(
        username, disabled=disabled, sessions_valid_after=_instant() if disabled else None
    )


def change_password(service: Service, username: str, password: str) -> None:
    """Set a new password; every session signed in with the old one ends."""
    service.store.update_user(
        username, password_hash=hash_password(password), sessions_valid_after=_instant()
    )


# -- answers ----------------------------------------------------------------------------------


def review_queue(service: Service, status: ReviewStatus | None = None) -> list[Answer]:
    """Articles waiting in `status` (default: every open status), oldest first."""
    statuses = OPEN_STATUSES if status is None else (ReviewStatus(status),)
    return [answer_from_json(record) for record in service.store.review_queue(statuses)]


def transition_answer(
    service: Service, answer_id: str, action: Action, *, user: User, note: str = ""
) -> Answer:
    """Take `action` on an article as `user`; store the new status and its audit event together.

    `assign` needs an assignee: use `assign_answer`.
    """
    _act_on_answer(service, answer_id, Action(action), user=user, note=note)
    return answer_from_json(service.store.get_answer(answer_id))


def _act_on_answer(
    service: Service, answer_id: str, action: Action, *, user: User, note: str
) -> AuditEvent:
    if action is Action.ASSIGN:
        raise InputError("assigning needs an assignee; use assign", where="action")
    note = _checked_note(action, note)
    store = service.store
    with store.transaction():
        answer = _article(service, answer_id, action=action, user=user)
        after = transition(answer.review_status, action, role=user.role)
        event = new_event(
            subject_id=answer_id,
            subject_kind=SubjectKind.ANSWER,
            actor=user.username,
            action=action,
            from_status=answer.review_status,
            to_status=after,
            note=note,
        )
        if after is not answer.review_status:
            store.set_answer_review_status(
                answer_id, status=after.value, updated_at=event.created_at
            )
        store.append_event(_stored_event(event))
    return event


def assign_answer(
    service: Service, answer_id: str, *, assignee: str, user: User, note: str = ""
) -> AuditEvent:
    """Give an open article to `assignee` (a reviewer may take it only for themself)."""
    note = _checked_note(Action.ASSIGN, note)
    store = service.store
    if store.get_user_by_name(assignee) is None:
        raise NotFoundError(f"no user named {assignee!r}")
    with store.transaction():
        answer = _article(service, answer_id, action=Action.ASSIGN, user=user)
        status = answer.review_status
        check_assignee(user.role, actor=user.username, assignee=assignee, status=status)
        transition(status, Action.ASSIGN, role=user.role)
        event = new_event(
            subject_id=answer_id,
            subject_kind=SubjectKind.ANSWER,
            actor=user.username,
            action=Action.ASSIGN,
            from_status=status,
            to_status=status,
            note=f"assigned to {assignee}" + (f": {note}" if note else ""),
        )
        store.assign(
            answer_id, assignee=assignee, assigned_by=user.username, assigned_at=event.created_at
        )
        store.append_event(_stored_event(event))
    return event


def comment_on_answer(service: Service, answer_id: str, *, user: User, note: str) -> AuditEvent:
    """Leave a note on an article (any status; changes nothing but the log)."""
    return _act_on_answer(service, answer_id, Action.COMMENT, user=user, note=note)


def audit_log(service: Service, subject_id: str) -> list[AuditEvent]:
    """Every review event of one answer or card, oldest first."""
    return [_event(stored) for stored in service.store.events_for(subject_id)]


def _article(service: Service, answer_id: str, *, action: Action, user: User) -> Answer:
    answer = answer_from_json(service.store.get_answer(answer_id))
    if answer.refusal is not None:
        raise WorkflowError(
            f"answer {answer_id} is a refusal; only articles are reviewed "
            f"(cannot {action.value} as {user.role}, status is {answer.review_status})",
            action=action,
            role=user.role,
            status=answer.review_status,
        )
    return answer


def _checked_note(action: Action, note: str) -> str:
    note = note.strip()
    if action in NOTE_REQUIRED and not note:
        raise InputError(f"{action.value} needs a note saying why", where="note")
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(
            f"the note is {len(note)} characters; at most {MAX_NOTE_CHARS} are accepted",
            where="note",
        )
    return note


def _stored_event(event: AuditEvent) -> StoredEvent:
    return StoredEvent(
        event_id=event.event_id,
        subject_id=event.subject_id,
        subject_kind=event.subject_kind.value,
        actor=event.actor,
        action=event.action.value,
        from_status=event.from_status.value,
        to_status=event.to_status.value,
        note=event.note,
        created_at=event.created_at,
    )


def _event(stored: StoredEvent) -> AuditEvent:
    return AuditEvent(
        event_id=stored.event_id,
        subject_id=stored.subject_id,
        subject_kind=SubjectKind(stored.subject_kind),
        actor=stored.actor,
        action=Action(stored.action),
        from_status=ReviewStatus(stored.from_status),
        to_status=ReviewStatus(stored.to_status),
        note=stored.note,
        created_at=stored.created_at,
    )


# -- cards ------------------------------------------------------------------------------------


def card_statuses(service: Service) -> dict[str, str]:
    """Every guideline card in the knowledge base → its review status, by card id."""
    statuses: dict[str, str] = {}
    for card_id, front_matter in sorted(_card_front_matter(service).items()):
        statuses[card_id] = _card_status(service, card_id, front_matter).value
    return statuses


def transition_card(
    service: Service, card_id: str, action: Action, *, user: User, note: str = ""
) -> ReviewStatus:
    """Take `action` on a guideline card as `user`; returns the card's new status."""
    action = Action(action)
    if action is Action.ASSIGN:
        raise InputError("cards are not assigned; assign their articles instead", where="action")
    note = _checked_note(action, note)
    front_matter = _card_front_matter(service).get(card_id)
    if front_matter is None:
        raise NotFoundError(f"no guideline card {card_id!r} in the knowledge base")
    store = service.store
    with store.transaction():
        before = _card_status(service, card_id, front_matter)
        after = transition(before, action, role=user.role)
        event = new_event(
            subject_id=card_id,
            subject_kind=SubjectKind.CARD,
            actor=user.username,
            action=action,
            from_status=before,
            to_status=after,
            note=note,
        )
        if after is not before:
            store.set_card_review_status(card_id, status=after.value, updated_at=event.created_at)
        store.append_event(_stored_event(event))
    return after


def _card_front_matter(service: Service) -> dict[str, str]:
    """card_id → the `review_status` its front matter gives, for every current card."""
    found: dict[str, str] = {}
    for document in service.store.iter_current_documents(origins=("card",)):
        card_id = str(document.card_id)
        found.setdefault(card_id, str(document.extra.get("review_status", "draft")))
    return found


def _card_status(service: Service, card_id: str, front_matter: str) -> ReviewStatus:
    stored = service.store.card_review_status(card_id)
    if stored is not None:
        return ReviewStatus(stored)
    return _CARD_FRONT_MATTER_STATUS.get(front_matter, ReviewStatus.SUBMITTED)
