"""The review use cases: accounts, the queue, transitions with their audit events, cards.

`Service` delegates here. Every action is checked against the permission matrix and the
transitions table (`bedside.review.workflow`) and writes its `AuditEvent` in the same store
transaction as the status change it records, so the log and the statuses cannot disagree.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bedside.analyse.personal_data import redact_personal_data
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
from bedside.review.sessions import (
    LiveSession,
    SessionInfo,
    has_ended,
    needs_touch,
    new_token,
    token_hash,
)
from bedside.review.workflow import (
    NOTE_REQUIRED,
    OPEN_STATUSES,
    Action,
    Publication,
    Role,
    check_assignee,
    transition,
)
from bedside.service.asking import validate_question
from bedside.store.base import StoredEvent, StoredSession, StoredUser

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
        stored.user_id, stored.username, Role(stored.role), stored.created_at, stored.disabled
    )


def _stored_user(service: Service, username: str) -> StoredUser:
    stored = service.store.get_user_by_name(username)
    if stored is None:
        raise NotFoundError(f"no user named {username!r}")
    return stored


def _now() -> datetime:
    return datetime.now(UTC)


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


# -- sign-in sessions -------------------------------------------------------------------------


def start_session(service: Service, user: User) -> tuple[str, str]:
    """A new sign-in session for `user`: the token for the cookie and the session's CSRF token."""
    token, csrf_token, now = new_token(), new_token(), _instant(_now())
    service.store.add_session(StoredSession(token_hash(token), user.user_id, csrf_token, now, now))
    return token, csrf_token


def resume_session(service: Service, token: str) -> LiveSession | None:
    """The session this cookie token names, if it still stands (its user looked up afresh, so a
    disabled account or a changed role applies at once); it counts as used now."""
    stored = service.store.get_session(token_hash(token))
    now = _now()
    if stored is None or has_ended(stored, now):
        return None
    user = next((u for u in service.store.list_users() if u.user_id == stored.user_id), None)
    if user is None or user.disabled:
        return None
    if needs_touch(stored, now):
        service.store.touch_session(stored.token_hash, seen_at=_instant(now))
    return LiveSession(_user(user), stored.csrf_token)


def end_sessions(service: Service, username: str) -> int:
    """End every sign-in session of `username` now (logout, a lost laptop); how many were live."""
    stored = _stored_user(service, username)
    return service.store.end_sessions(stored.user_id, ended_at=_instant(_now()))


def list_sessions(service: Service, username: str) -> list[SessionInfo]:
    """The sessions of `username` that still stand, newest first."""
    stored = _stored_user(service, username)
    now = _now()
    return [
        SessionInfo(session.started_at, session.seen_at)
        for session in service.store.list_sessions(stored.user_id)
        if not has_ended(session, now)
    ]


def set_disabled(service: Service, username: str, *, disabled: bool) -> None:
    """Disable (or enable) an account; disabling ends its sessions at once."""
    with service.store.transaction():
        service.store.update_user(username, disabled=disabled)
        if disabled:
            end_sessions(service, username)


def change_password(service: Service, username: str, password: str) -> None:
    """Set a new password; every session signed in with the old one ends."""
    with service.store.transaction():
        service.store.update_user(username, password_hash=hash_password(password))
        end_sessions(service, username)


def change_role(service: Service, username: str, role: Role) -> None:
    """Give a board member another role; their sessions end, so they sign in to the new one."""
    with service.store.transaction():
        service.store.update_user(username, role=Role(role).value)
        end_sessions(service, username)


# -- answers ----------------------------------------------------------------------------------


def review_queue(service: Service, status: ReviewStatus | None = None) -> list[Answer]:
    """Articles waiting in `status` (default: every open status), oldest first."""
    statuses = OPEN_STATUSES if status is None else (ReviewStatus(status),)
    return [answer_from_json(record) for record in service.store.review_queue(statuses)]


def transition_answer(
    service: Service,
    answer_id: str,
    action: Action,
    *,
    user: User,
    note: str = "",
    publication: Publication | None = None,
) -> Answer:
    """Take `action` on an article as `user`; store the new status and its audit event together.

    Approving needs the `publication` the editor checked (title, question, no personal data).
    `assign` needs an assignee: use `assign_answer`.
    """
    _act_on_answer(
        service, answer_id, Action(action), user=user, note=note, publication=publication
    )
    return answer_from_json(service.store.get_answer(answer_id))


MAX_TITLE_CHARS = 200


def _checked_publication(publication: Publication | None) -> Publication:
    """The title and question to publish, checked: the editor confirmed that they hold no
    personal data, and the redactor, run again, finds none either (an edit can add some)."""
    if publication is None or not publication.no_personal_data:
        raise InputError(
            "approving publishes the title and question: confirm that neither holds personal "
            "data (names, dates of birth, contact details, record numbers)",
            where="no_personal_data",
        )
    title, question = publication.title.strip(), publication.question.strip()
    if not title or len(title) > MAX_TITLE_CHARS:
        raise InputError(f"the title must have 1-{MAX_TITLE_CHARS} characters", where="title")
    question = validate_question(question)
    for field, text in (("title", title), ("question", question)):
        found = redact_personal_data(text).removed
        if found:
            raise InputError(
                f"the {field} still holds personal data ({', '.join(found)}); remove it",
                where=field,
            )
    return Publication(title, question, no_personal_data=True)


def _act_on_answer(
    service: Service,
    answer_id: str,
    action: Action,
    *,
    user: User,
    note: str,
    publication: Publication | None = None,
) -> AuditEvent:
    if action is Action.ASSIGN:
        raise InputError("assigning needs an assignee; use assign", where="action")
    note = _checked_note(action, note)
    store = service.store
    with store.transaction():
        answer = _article(service, answer_id, action=action, user=user)
        after = transition(answer.review_status, action, role=user.role)
        published = _checked_publication(publication) if action is Action.APPROVE else None
        if published is not None and (published.title, published.question) != (
            answer.title,
            answer.question,
        ):
            store.set_answer_public_text(
                answer_id, title=published.title, question=published.question
            )
            # The audit log says that the wording changed, never what it was (the old wording
            # may be what had to go).
            note = " ".join(filter(None, [note, "(title or question edited for publication)"]))
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
