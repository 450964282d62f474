"""`/policy` (the editorial policy) and `/problems/{code}` (what an error code means)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bedside.errors import NotFoundError
from bedside.web.deps import TemplatesDep
from bedside.web.problems import PROBLEM_TYPES

router = APIRouter()


@router.get("/policy", name="policy")
def policy(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "policy.html")


@router.get("/problems/{code}", name="problem_type")
def problem_type(code: str, request: Request, templates: TemplatesDep) -> Response:
    known = PROBLEM_TYPES.get(code)
    if known is None:
        raise NotFoundError(f"no error code {code!r}")
    return templates.TemplateResponse(
        request, "problem_type.html", {"code": code, "problem_type": known}
    )
