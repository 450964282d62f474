"""Typed dependency aliases for routes: `ServiceDep`, `TemplatesDep`, `AskLimitDep`, `UserDep`,
`BoardMemberDep`."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from bedside.config import Settings
from bedside.review.accounts import User
from bedside.web.locked import LockedService
from bedside.web.problems import ProblemError
from bedside.web.rate_limit import RateLimiter
from bedside.web.sessions import live_session


def get_service(request: Request) -> LockedService:
    return cast(LockedService, request.app.state.service)


def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def get_templates(request: Request) -> Jinja2Templates:
    return cast(Jinja2Templates, request.app.state.templates)


def client_key(request: Request) -> str:
    """Who is asking, for the rate limit: the client's address."""
    return request.client.host if request.client is not None else "unknown"


def limit_asking(request: Request) -> None:
    """Count one question against the client's allowance; 429 problem when it is used up."""
    limiter = cast(RateLimiter, request.app.state.ask_limiter)
    retry_after = limiter.hit(client_key(request))
    if retry_after is not None:
        raise ProblemError(
            "rate_limited",
            f"at most {limiter.per_minute} questions a minute; try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


LOGIN_ATTEMPTS_PER_MINUTE = 10


def limit_login(request: Request) -> None:
    """Slow password guessing: a few sign-in attempts per client per minute."""
    limiter = cast(RateLimiter, request.app.state.login_limiter)
    retry_after = limiter.hit(client_key(request))
    if retry_after is not None:
        raise ProblemError(
            "rate_limited",
            f"at most {limiter.per_minute} sign-in attempts a minute; try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


def get_user(request: Request) -> User | None:
    """The signed-in board member, looked up afresh (None for readers)."""
    session = live_session(request)
    return session.user if session is not None else None


def require_user(request: Request) -> User:
    """The signed-in board member; 401 problem (a browser: the login page) otherwise."""
    user = get_user(request)
    if user is None:
        raise ProblemError("sign_in_required", "sign in as a member of the review board")
    return user


ServiceDep = Annotated[LockedService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
AskLimitDep = Annotated[None, Depends(limit_asking)]
LoginLimitDep = Annotated[None, Depends(limit_login)]
UserDep = Annotated[User | None, Depends(get_user)]
BoardMemberDep = Annotated[User, Depends(require_user)]
