"""Sign-in sessions and CSRF tokens for the review board.

The session is Starlette's signed cookie (itsdangerous, keyed by `web.secret_key`), holding the
user's id and name and a CSRF token. Only board members have one: readers get no session cookie.
The user is looked up afresh on every request that acts, so a changed role applies at once.
Every POST form carries the session's CSRF token (`csrf_token` field), compared in constant time;
the cookie is also `SameSite=Lax`. Asking is a GET form and needs no token.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request

from bedside.review.accounts import User
from bedside.web.problems import ProblemError

SESSION_COOKIE = "bedside_session"
SESSION_MAX_AGE = 8 * 3600
# A session not used for this long ends too, however young it is.
SESSION_IDLE_LIMIT = 3600
CSRF_FIELD = "csrf_token"


def _session(request: Request) -> dict[str, Any]:
    # Error pages can be rendered outside the session middleware (a 500), hence no assertion.
    session = request.scope.get("session")
    return session if isinstance(session, dict) else {}


def session_user_id(request: Request) -> str | None:
    value = _session(request).get("user_id")
    return value if isinstance(value, str) else None


def csrf_token(request: Request, *, create: bool = False) -> str | None:
    """The session's CSRF token; `create` starts a session to hold one (the login form)."""
    session = _session(request)
    token = session.get("csrf")
    if not isinstance(token, str) and create and "session" in request.scope:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token if isinstance(token, str) else None


def check_csrf(request: Request, submitted: str) -> None:
    """Refuse (403 problem) a form whose token is missing or is not this session's."""
    expected = csrf_token(request)
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise ProblemError(
            "csrf_failed", "the form's security token is missing or out of date; reload the page"
        )


def sign_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session.update(
        {
            "user_id": user.user_id,
            "username": user.username,
            "csrf": secrets.token_urlsafe(32),
            # When it began: a session lives SESSION_MAX_AGE from here, however often it is
            # used, and ends when the user's sessions are revoked after it.
            "issued_at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "seen_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )


def session_is_live(request: Request, user: User) -> bool:
    """Whether this request's session still stands for `user`: not disabled, issued after the
    user's sessions were last revoked (logout, password change), and younger than
    SESSION_MAX_AGE (an absolute lifetime: a copied cookie does not live forever), and used
    within the last SESSION_IDLE_LIMIT."""
    issued = _session(request).get("issued_at")
    if user.disabled or not isinstance(issued, str):
        return False
    try:
        issued_at = datetime.fromisoformat(issued)
    except ValueError:
        return False
    if user.sessions_valid_after and issued_at <= datetime.fromisoformat(user.sessions_valid_after):
        return False
    now = datetime.now(UTC)
    seen = _session(request).get("seen_at")
    try:
        seen_at = datetime.fromisoformat(seen) if isinstance(seen, str) else issued_at
    except ValueError:
        return False
    if (now - seen_at).total_seconds() > SESSION_IDLE_LIMIT:
        return False  # unused for an hour: a forgotten tab or a copied cookie
    return (now - issued_at).total_seconds() < SESSION_MAX_AGE


def mark_seen(request: Request) -> None:
    """Record that the session was just used (the idle limit counts from here)."""
    if "session" in request.scope:
        request.session["seen_at"] = datetime.now(UTC).isoformat(timespec="seconds")


def sign_out(request: Request) -> None:
    request.session.clear()


def flash(request: Request, message: str) -> None:
    """A one-time message shown on the next page (after a redirect)."""
    if "session" in request.scope:
        request.session["flash"] = message


def safe_next(target: str | None, default: str = "/review") -> str:
    """A local path to go to after signing in; anything else (another site) becomes `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def page_context(request: Request) -> dict[str, Any]:
    """Template variables every page gets: who is signed in, the CSRF token, a flash message."""
    session = _session(request)
    message = session.pop("flash", None) if session else None
    username = session.get("username")
    return {
        "signed_in_as": username if isinstance(username, str) else None,
        "csrf_token": csrf_token(request),
        "flash_message": message if isinstance(message, str) else None,
    }
