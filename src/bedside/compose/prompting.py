"""What a language-model generator sends: the versioned prompt files, and the messages built
from a question, its frame and the extractive generator's ranked statements.

The prompts are files under `compose/prompts/` (a new wording is a new file, `answer.v2.md`);
`prompt_digest` hashes the ones in use, and that hash joins the settings fingerprint of every
answer a model writes, so an answer always says which wording asked for it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bedside.compose.base import ComposeRequest
from bedside.domain import Audience, Draft, Statement

PROMPT_VERSION = "v1"
_SYSTEM = f"answer.{PROMPT_VERSION}.md"
_AUDIENCE = {
    Audience.CLINICIAN: f"audience-clinician.{PROMPT_VERSION}.md",
    Audience.PATIENT: f"audience-patient.{PROMPT_VERSION}.md",
}
_SCHEMA = f"article.{PROMPT_VERSION}.schema.json"
PROMPT_FILES = (_SYSTEM, *_AUDIENCE.values(), _SCHEMA)


@dataclass(frozen=True, slots=True)
class NumberedStatement:
    """A ranked statement as the model sees it: an id to cite, and where the extractive
    generator placed it."""

    statement_id: str  # "S1", "S2" … in rank order
    statement: Statement
    section_id: str  # "bottom_line" for the extractive bottom line


def _prompt_file(name: str) -> str:
    return resources.files("bedside.compose").joinpath("prompts", name).read_text("utf-8")


@functools.cache
def prompt_digest() -> str:
    """A hash of every prompt file this version sends (the schema included)."""
    digest = hashlib.sha256()
    for name in PROMPT_FILES:
        digest.update(name.encode())
        digest.update(_prompt_file(name).encode())
    return digest.hexdigest()[:12]


@functools.cache
def article_schema() -> dict[str, Any]:
    """The JSON Schema the model's reply must fit."""
    schema: dict[str, Any] = json.loads(_prompt_file(_SCHEMA))
    return schema


def number_statements(draft: Draft) -> list[NumberedStatement]:
    """The extractive draft's statements in its own rank order: bottom line first, then each
    section's bullets, as the extractive generator ranked and cut them."""
    placed = [("bottom_line", statement) for statement in draft.bottom_line]
    placed += [(s.section_id, statement) for s in draft.sections for statement in s.statements]
    return [
        NumberedStatement(f"S{number}", statement, section_id)
        for number, (section_id, statement) in enumerate(placed, start=1)
    ]


def build_messages(
    request: ComposeRequest, statements: Sequence[NumberedStatement]
) -> list[dict[str, str]]:
    """The chat messages: the rules and the reader's instructions, then the question, its frame
    and the statements to reword."""
    system = f"{_prompt_file(_SYSTEM)}\n{_prompt_file(_AUDIENCE[request.audience])}"
    question = {
        "question": request.analysis.question,
        "question_frame": request.frame.to_json(),
        "statements": [
            {"id": item.statement_id, "section": item.section_id, "text": item.statement.text}
            for item in statements
        ],
    }
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(question, ensure_ascii=False, indent=1)},
    ]
