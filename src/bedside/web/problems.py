"""One error body everywhere: RFC 9457 problem details carrying Bedside's error code.

Every failure (a `BedsideError` from the service, a request that fails validation, an unknown
route, the rate limit) becomes `application/problem+json`:
`{type, title, status, detail, code}`, plus `parameter` when one request parameter is at fault
and `errors` for validation failures. `type` is `/problems/<code>`, a page describing the code.
A browser asking for a page (not `/api/...`) gets the same facts as an HTML page instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bedside.errors import (
    BedsideError,
    ConfigError,
    InputError,
    NotFoundError,
    StoreError,
    WorkflowError,
)

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One error code: its HTTP status, a short title and what it means."""

    status: int
    title: str
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    "not_found": ProblemType(
        404, "Not found", "No answer, passage, page or route has this address or id."
    ),
    "invalid_input": ProblemType(
        422,
        "Invalid input",
        "A parameter has a value Bedside cannot use (an empty or too long question, say); "
        "`parameter` names it.",
    ),
    "invalid_request": ProblemType(
        422,
        "Invalid request",
        "The request does not match the API's schema; `errors` lists each problem and "
        "`parameter` names the first parameter at fault.",
    ),
    "method_not_allowed": ProblemType(
        405, "Method not allowed", "The route exists but not for this HTTP method."
    ),
    "body_too_large": ProblemType(
        413, "Request too large", "The request body is larger than Bedside accepts (64 KiB)."
    ),
    "rate_limited": ProblemType(
        429,
        "Too many requests",
        "This client asked more questions (`web.ask_rate_per_minute`) or tried to sign in more "
        "often in the last minute than allowed; `Retry-After` says when to try again.",
    ),
    "sign_in_required": ProblemType(
        401,
        "Sign in required",
        "Only members of the review board may do this; sign in at `/login` first.",
    ),
    "forbidden": ProblemType(
        403, "Not allowed", "Your role does not allow this action (docs/review.md lists roles)."
    ),
    "csrf_failed": ProblemType(
        403,
        "Form expired",
        "The form's security token is missing or is not this session's; reload the page and "
        "submit it again.",
    ),
    "workflow_refused": ProblemType(
        409,
        "Not allowed in this state",
        "The review workflow does not allow this action on the article in its current status.",
    ),
    "invalid_config": ProblemType(
        500, "Configuration error", "The server's settings are invalid; see its log."
    ),
    "store_error": ProblemType(
        503,
        "Knowledge base unavailable",
        "The knowledge base cannot be used right now (locked, corrupt or newer than this code), "
        "or the process composing new answers stopped and is being restarted; try again.",
    ),
    "internal_error": ProblemType(
        500, "Internal error", "Something failed unexpectedly; the server log has the details."
    ),
    "bedside_error": ProblemType(500, "Bedside error", "A Bedside error without a specific code."),
}

# Most specific first: a subclass is matched before its base class.
_STATUS_BY_ERROR: tuple[tuple[type[BedsideError], int], ...] = (
    (NotFoundError, 404),
    (WorkflowError, 409),
    (InputError, 422),
    (StoreError, 503),
    (ConfigError, 500),
)


class ProblemError(Exception):
    """An error the web layer itself raises (rate limit, permissions), as problem details."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        status: int | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status if status is not None else PROBLEM_TYPES[code].status
        self.parameter = parameter
        self.headers = headers or {}


def status_for(error: BedsideError) -> int:
    for error_class, status in _STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return 500


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    parameter: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The problem details object (RFC 9457) with Bedside's `code`."""
    known = PROBLEM_TYPES.get(code)
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": known.title if known else HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if parameter is not None:
        body["parameter"] = parameter
    if errors is not None:
        body["errors"] = errors
    return body


def wants_html(request: Request) -> bool:
    """A browser asking for a page, rather than a client of the JSON API."""
    path = request.url.path
    if path.startswith("/api/") or path == "/api" or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def problem_response(
    request: Request, body: dict[str, Any], *, headers: dict[str, str] | None = None
) -> Response:
    if wants_html(request):
        templates = request.app.state.templates
        response: Response = templates.TemplateResponse(
            request,
            "error.html",
            {"problem": body},
            status_code=body["status"],
            headers=headers,
        )
        return response
    return JSONResponse(
        body, status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _parameter_name(location: tuple[Any, ...] | list[Any]) -> str | None:
    # ("body", "question") → "question"; ("query", "k") → "k"; ("body",) → None.
    names = [str(part) for part in location[1:] if not isinstance(part, int)]
    return ".".join(names) if names else None


async def _bedside_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BedsideError)
    status = status_for(exc)
    if status >= 500:
        logger.error("request failed: %s", exc.code, exc_info=exc)
        detail = PROBLEM_TYPES.get(exc.code, PROBLEM_TYPES["bedside_error"]).description
    else:
        detail = exc.reason if isinstance(exc, InputError) else str(exc)
    parameter = exc.where if isinstance(exc, InputError) else None
    body = problem_body(status=status, code=exc.code, detail=detail, parameter=parameter)
    return problem_response(request, body)


async def _problem_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    if exc.code == "sign_in_required" and wants_html(request):
        target = request.url.path if request.method == "GET" else "/review"
        if request.method == "GET" and request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    body = problem_body(
        status=exc.status, code=exc.code, detail=exc.detail, parameter=exc.parameter
    )
    return problem_response(request, body, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "parameter": _parameter_name(error.get("loc", ())),
            "in": str(error["loc"][0]) if error.get("loc") else None,
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors()
    ]
    first = errors[0] if errors else {"parameter": None, "message": "invalid request"}
    detail = "; ".join(
        f"{error['parameter']}: {error['message']}" if error["parameter"] else str(error["message"])
        for error in errors
    )
    body = problem_body(
        status=422,
        code="invalid_request",
        detail=detail or "invalid request",
        parameter=first["parameter"],
        errors=errors,
    )
    return problem_response(request, body)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI and Starlette raise 400 for a body they cannot parse at all (not UTF-8, a
        # broken multipart form); malformed JSON is already a 422 validation error. One code for
        # a request that does not match the schema, whichever layer notices.
        message = exc.detail if isinstance(exc.detail, str) else "the request cannot be parsed"
        body = problem_body(
            status=422,
            code="invalid_request",
            detail=message,
            errors=[{"parameter": None, "in": "body", "message": message}],
        )
        return problem_response(request, body, headers=dict(exc.headers or {}))
    codes = {404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}
    code = codes.get(exc.status_code, "internal_error" if exc.status_code >= 500 else "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    body = problem_body(status=exc.status_code, code=code, detail=detail)
    return problem_response(request, body, headers=dict(exc.headers or {}))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    logger.error("unexpected error", exc_info=exc)
    body = problem_body(
        status=500, code="internal_error", detail=PROBLEM_TYPES["internal_error"].description
    )
    return problem_response(request, body)


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error the app can raise as problem details."""
    app.add_exception_handler(BedsideError, _bedside_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
