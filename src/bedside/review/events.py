"""Audit events: the append-only record of every review action (the store refuses to change one)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bedside.domain import ReviewStatus
from bedside.review.workflow import Action


class SubjectKind(enum.StrEnum):
    """What was reviewed."""

    ANSWER = "answer"
    CARD = "card"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One action by one board member on one answer or card, and the status it left."""

    event_id: str
    subject_id: str  # an answer_id or a card_id, as `subject_kind` says
    subject_kind: SubjectKind
    actor: str  # the username
    action: Action
    from_status: ReviewStatus
    to_status: ReviewStatus
    note: str
    created_at: str  # ISO 8601, UTC

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "subject_id": self.subject_id,
            "subject_kind": self.subject_kind.value,
            "actor": self.actor,
            "action": self.action.value,
            "from_status": self.from_status.value,
            "to_status": self.to_status.value,
            "note": self.note,
            "created_at": self.created_at,
        }


def new_event(
    *,
    subject_id: str,
    subject_kind: SubjectKind,
    actor: str,
    action: Action,
    from_status: ReviewStatus,
    to_status: ReviewStatus,
    note: str = "",
) -> AuditEvent:
    """An event with a fresh id, stamped now."""
    return AuditEvent(
        event_id=f"evt_{uuid.uuid4().hex}",
        subject_id=subject_id,
        subject_kind=subject_kind,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        created_at=utc_now(),
    )


def utc_now() -> str:
    """Now, as the review records write times (UTC, ISO 8601, whole seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
