"""The Jinja environment of the pages: autoescaped, strict about undefined names, few filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

REVIEW_LABELS = {
    "submitted": "Submitted",
    "under_review": "Under review",
    "approved": "Approved",
    "changes_requested": "Changes requested",
    "rejected": "Rejected",
}
REFUSAL_LABELS = {
    "out_of_scope": "This is outside what Bedside answers",
    "insufficient_evidence": "Bedside's knowledge base does not cover this well enough",
    "unsafe": "Bedside will not answer this, but help is available",
}


def long_date(value: str) -> str:
    """'2025-11-26T10:00:00+00:00' → 'November 26, 2025' (the value itself if unparsable)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment:%B} {moment.day}, {moment.year}"


def ask_url(question: str, **params: str | None) -> str:
    """The `/ask` link that asks `question` (with optional audience / follow_up_of)."""
    query = {"q": question, **{key: value for key, value in params.items() if value}}
    return "/ask?" + urlencode(query)


def build_templates(
    context_processors: list[Callable[[Request], dict[str, Any]]] | None = None,
) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.globals["ask_url"] = ask_url
    env.globals["review_labels"] = REVIEW_LABELS
    env.globals["refusal_labels"] = REFUSAL_LABELS
    return Jinja2Templates(env=env, context_processors=context_processors or [])
