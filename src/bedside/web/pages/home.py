"""Home (`/`: the ask form, approved articles, topics) and `/ask`.

`GET /ask?q=…` shows the ask form filled in, so that a link — a topic, a related question, or
one planted on another site — never creates an article by itself; the form POSTs to `/ask`,
which asks, stores the answer and redirects to its article. It works without JavaScript.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
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
    follow_up_of: str = "",
    full: bool = False,
) -> Response:
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "audience": audience.value,
            "question": question,
            "error": error,
            "follow_up_of": follow_up_of,
            "full": full,
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
    templates: TemplatesDep,
    q: str = "",
    audience: str | None = None,
    follow_up_of: str | None = None,
    full: bool = False,
) -> Response:
    """The ask form, filled in with the link's question: a link (a topic, a related question,
    or one planted on another site) never creates an article by itself."""
    chosen = parse_audience(audience)
    return render_home(
        request,
        service,
        templates,
        audience=chosen or remembered_audience(request),
        question=q[:MAX_QUESTION_CHARS],
        follow_up_of=follow_up_of or "",
        full=full,
    )


@router.post("/ask", name="ask")
def ask(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    _limit: AskLimitDep,
    q: Annotated[str, Form(max_length=MAX_QUESTION_CHARS * 4)] = "",
    audience: Annotated[str | None, Form()] = None,
    follow_up_of: Annotated[str | None, Form()] = None,
    full: Annotated[bool, Form()] = False,
) -> Response:
    """Ask the form's question, store the answer, and send the browser to its article."""
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
