"""Home (`/`: the ask form, approved articles, topics) and `/ask`, which asks and redirects.

Asking is a GET form so that it works without JavaScript and without a CSRF token: the
question goes in the URL, the answer is stored, and the browser is sent to its article.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bedside.domain import Audience, ReviewStatus
from bedside.errors import InputError
from bedside.web.deps import AskLimitDep, ServiceDep, SettingsDep, TemplatesDep
from bedside.web.pages.preferences import parse_audience, remember_audience, remembered_audience
from bedside.web.schemas import MAX_QUESTION_CHARS

router = APIRouter()

RECENT_ARTICLES = 10


def topic_question(title: str) -> str:
    """'Acute low back pain' → 'How is acute low back pain managed?' (acronyms kept)."""
    if len(title) > 1 and title[1].islower():
        title = title[0].lower() + title[1:]
    return f"How is {title} managed?"


def render_home(
    request: Request,
    service: ServiceDep,
    templates: TemplatesDep,
    *,
    audience: Audience,
    question: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "audience": audience.value,
            "question": question,
            "error": error,
            "topics": service.topics(),
            "recent": service.recent_answers(status=ReviewStatus.APPROVED, limit=RECENT_ARTICLES),
            "topic_question": topic_question,
        },
        status_code=status_code,
    )


@router.get("/", name="home")
def home(request: Request, service: ServiceDep, templates: TemplatesDep) -> Response:
    return render_home(request, service, templates, audience=remembered_audience(request))


@router.get("/ask", name="ask_page")
def ask_page(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    _limit: AskLimitDep,
    q: str = "",
    audience: str | None = None,
    follow_up_of: str | None = None,
    full: bool = False,
) -> Response:
    chosen = parse_audience(audience)
    effective = chosen or remembered_audience(request)
    question = q.strip()
    error = None
    if not question:
        error = "Type a question to ask."
    elif len(question) > MAX_QUESTION_CHARS:
        error = f"Questions are limited to {MAX_QUESTION_CHARS} characters."
    if error is not None:
        return render_home(
            request,
            service,
            templates,
            audience=effective,
            question=q[:MAX_QUESTION_CHARS],
            error=error,
            status_code=422,
        )
    try:
        answer = service.ask(
            question, audience=effective, follow_up_of=follow_up_of or None, full=full
        )
    except InputError as exc:
        return render_home(
            request, service, templates, audience=effective, question=q, error=exc.reason,
            status_code=422,
        )  # fmt: skip
    response = RedirectResponse(f"/answers/{answer.answer_id}", status_code=303)
    if chosen is not None:
        remember_audience(response, chosen, settings)
    return response
