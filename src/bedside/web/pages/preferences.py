"""The reader's one remembered preference: clinician or patient language (a cookie)."""

from __future__ import annotations

from fastapi import Request, Response

from bedside.config import Settings
from bedside.domain import Audience

AUDIENCE_COOKIE = "bedside_audience"
_ONE_YEAR = 365 * 24 * 3600


def parse_audience(value: str | None) -> Audience | None:
    try:
        return Audience(value) if value else None
    except ValueError:
        return None


def remembered_audience(request: Request) -> Audience:
    return parse_audience(request.cookies.get(AUDIENCE_COOKIE)) or Audience.CLINICIAN


def remember_audience(response: Response, audience: Audience, settings: Settings) -> None:
    response.set_cookie(
        AUDIENCE_COOKIE,
        audience.value,
        max_age=_ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=settings.web.cookie_secure,
    )
