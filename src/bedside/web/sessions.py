"""Sign-in sessions and CSRF tokens for the review board, as the browser sees them.

The session itself is server-side (`bedside.review.sessions`: a row in the store, its lifetime,
idle limit and revocation). The cookie — Starlette's signed cookie, keyed by `web.secret_key` —
carries only the session's random token, plus, before sign-in, the login form's CSRF token and a
one-time flash message. Readers get no session cookie.

Every POST form of a signed-in member carries the CSRF token of the server-side session
(`csrf_token` field), compared in constant time; a forged or replayed cookie therefore brings no
usable token with it. The login form, before any session exists, uses a token kept in the cookie.
The cookie is also `SameSite=Lax`.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from fastapi import Request

from bedside.review.sessions import LIFETIME, LiveSession
from bedside.web.problems import ProblemError

if TYPE_CHECKING:
    from bedside.web.locked import LockedService

SESSION_COOKIE = "bedside_session"
# The cookie expires with the server-side session's absolute lifetime.
SESSION_COOKIE_MAX_AGE = int(LIFETIME.total_seconds())
CSRF_FIELD = "csrf_token"
_TOKEN = "session"
_LOGIN_CSRF = "login_csrf"
_RESOLVED = "bedside_live_session"


def _cookie(request: Request) -> dict[str, Any]:
    # Error pages can be rendered outside the session middleware (a 500), hence no assertion.
    session = request.scope.get("session")
    return session if isinstance(session, dict) else {}


def live_session(request: Request) -> LiveSession | None:
    """The signed-in member's server-side session for this request, if it stands (looked up
    once per request; a disabled account, a revoked or expired session give None)."""
    if _RESOLVED in request.scope:
        return cast(LiveSession | None, request.scope[_RESOLVED])
    token = _cookie(request).get(_TOKEN)
    service = cast("LockedService", request.app.state.service)
    found = service.resume_session(token) if isinstance(token, str) and token else None
    request.scope[_RESOLVED] = found
    return found


def login_csrf_token(request: Request) -> str | None:
    """The login form's CSRF token (kept in the cookie: no session exists yet), made if absent."""
    if "session" not in request.scope:
        return None
    token = request.session.get(_LOGIN_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_LOGIN_CSRF] = token
    return token


def csrf_token(request: Request) -> str | None:
    """The token this request's forms must carry: the signed-in session's, else the login form's
    (None when there is neither)."""
    session = live_session(request)
    if session is not None:
        return session.csrf_token
    token = _cookie(request).get(_LOGIN_CSRF)
    return token if isinstance(token, str) else None


def check_csrf(request: Request, submitted: str) -> None:
    """Refuse (403 problem) a form whose token is missing or is not this session's."""
    expected = csrf_token(request)
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise ProblemError(
            "csrf_failed", "the form's security token is missing or out of date; reload the page"
        )


def sign_in(request: Request, token: str) -> None:
    """Put a new server-side session's token in a fresh cookie (nothing of the old one stays)."""
    request.session.clear()
    request.session[_TOKEN] = token
    request.scope.pop(_RESOLVED, None)


def sign_out(request: Request) -> None:
    request.session.clear()
    request.scope[_RESOLVED] = None


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
    cookie = _cookie(request)
    message = cookie.pop("flash", None) if cookie else None
    session = live_session(request) if "session" in request.scope else None
    return {
        "signed_in_as": session.user.username if session is not None else None,
        "csrf_token": csrf_token(request) if "session" in request.scope else None,
        "flash_message": message if isinstance(message, str) else None,
    }
