"""`/login` and `/logout` for members of the review board (readers never need to sign in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bedside.web.deps import LoginLimitDep, ServiceDep, TemplatesDep, UserDep
from bedside.web.sessions import check_csrf, csrf_token, safe_next, sign_in, sign_out

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
            "login_token": csrf_token(request, create=True),
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
    user = service.authenticate(username.strip(), password)
    if user is None:
        return templates.TemplateResponse(
            request,
            "login.html",
            {
                "next": safe_next(next),
                "error": "Wrong username or password.",
                "username": username,
                "user": None,
                "login_token": csrf_token(request, create=True),
            },
            status_code=400,
        )
    sign_in(request, user)
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
        service.revoke_sessions(user.username)
    sign_out(request)
    return RedirectResponse("/", status_code=303)
