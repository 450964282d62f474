"""`/login` and `/logout` for members of the review board (readers never need to sign in)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bedside.web.deps import LoginLimitDep, ServiceDep, TemplatesDep, UserDep
from bedside.web.problems import ProblemError
from bedside.web.rate_limit import FailureBackoff
from bedside.web.sessions import check_csrf, login_csrf_token, safe_next, sign_in, sign_out

router = APIRouter()


@router.get("/login", name="login_page")
def login_page(
    request: Request, templates: TemplatesDep, user: UserDep, next: str | None = None
) -> Response:
    return templates.TemplateResponse(
        request,
        "login.html",
        {
            "next": safe_next(next),
            "error": None,
            "username": "",
            "user": user,
            "login_token": login_csrf_token(request),
        },
    )


@router.post("/login", name="login")
def login(
    request: Request,
    service: ServiceDep,
    templates: TemplatesDep,
    _limit: LoginLimitDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/review",
) -> Response:
    check_csrf(request, csrf_token_field)
    account = username.strip().lower()
    backoff = cast(FailureBackoff, request.app.state.login_backoff)
    wait = backoff.wait(account)
    if wait is not None:
        # Per account, whatever the address: guessing one password from many addresses is
        # slowed too; the wait grows with each failure and always ends.
        raise ProblemError(
            "rate_limited",
            f"too many failed sign-ins for this account; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    user = service.authenticate(account, password)
    if user is None:
        backoff.failed(account)
        return templates.TemplateResponse(
            request,
            "login.html",
            {
                "next": safe_next(next),
                "error": "Wrong username or password.",
                "username": username,
                "user": None,
                "login_token": login_csrf_token(request),
            },
            status_code=400,
        )
    backoff.succeeded(account)
    token, _csrf = service.start_session(user)
    sign_in(request, token)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(
    request: Request,
    service: ServiceDep,
    user: UserDep,
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    check_csrf(request, csrf_token_field)
    if user is not None:
        # Server-side: a copy of this cookie kept elsewhere stops working too.
        service.end_sessions(user.username)
    sign_out(request)
    return RedirectResponse("/", status_code=303)
