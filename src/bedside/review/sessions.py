"""Sign-in sessions of the review board: how long one lives and when it has ended.

A session is a row in the store (`StoredSession`); the browser holds only a random token whose
SHA-256 names the row. It ends when it is ended (logout, a password or role change, disabling),
`LIFETIME` after it began however often it is used (a copied cookie does not live forever), or
after `IDLE_LIMIT` unused (a forgotten tab).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bedside.review.accounts import User
from bedside.store.base import StoredSession

LIFETIME = timedelta(hours=8)
IDLE_LIMIT = timedelta(hours=1)
# Writing "last seen" on every request would make each page a write; a minute is precise enough
# for an hour's idle limit.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session that stands: who it signs in and the CSRF token its forms must carry."""

    user: User
    csrf_token: str


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What `bedside user sessions` lists about one live session (never its token)."""

    started_at: str
    seen_at: str


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The name of a session in the store: a copy of the database holds no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_ended(session: StoredSession, now: datetime) -> bool:
    """Whether `session` no longer stands at `now`: ended, past its lifetime, or idle too long."""
    if session.ended_at is not None:
        return True
    started = datetime.fromisoformat(session.started_at)
    seen = datetime.fromisoformat(session.seen_at)
    return now - started >= LIFETIME or now - seen > IDLE_LIMIT


def needs_touch(session: StoredSession, now: datetime) -> bool:
    return now - datetime.fromisoformat(session.seen_at) >= TOUCH_EVERY
