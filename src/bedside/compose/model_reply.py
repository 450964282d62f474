"""A model's reply → a `Draft` whose every sentence cites the passages of the statements it
names.

The reply must fit the article schema (`prompts/article.v1.schema.json`); what does not parse or
fit is a `BadReply`, and the caller serves the extractive article. Shape only is checked here:
whether each sentence is true to its passages is the verifier's work, never the generator's.

Three things the model writes are not taken from it. Its title and its section headings are
reader-facing claims no check reads, so the frame-built title and the reviewed heading of each
section stand instead (a section is the one most of its bullets' statements came from). And a
bullet of two sentences becomes two statements, each checked on its own.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bedside.compose.prompting import NumberedStatement
from bedside.compose.sections import heading
from bedside.domain import Audience, Draft, DraftSection, Statement
from bedside.ingest.chunking import split_sentences

# A statement id the model made up is cited as this passage, which no evidence holds: the
# verifier drops the sentence (it never "resolves" to a neighbouring statement).
UNKNOWN_STATEMENT = "unknown-statement:"


class BadReply(ValueError):
    """The reply is not JSON, or not the article schema's shape."""


def draft_from_reply(
    content: str,
    statements: Sequence[NumberedStatement],
    *,
    title: str,
    headings: Mapping[str, str],
    audience: Audience,
    generator: str,
) -> Draft:
    """The draft the reply describes, citing the passages of the statements it names;
    `headings` are the extractive draft's, by section id."""
    reply = _parsed(content)
    by_id = {item.statement_id: item for item in statements}
    bottom_line = tuple(
        sentence for bullet in reply["bottom_line"] for sentence in _sentences(bullet, by_id)
    )
    grouped: dict[str, list[Statement]] = {}
    for section in reply["sections"]:
        for bullet in section["bullets"]:
            section_id = _section_of(bullet["statement_ids"], by_id)
            grouped.setdefault(section_id, []).extend(_sentences(bullet, by_id))
    sections = tuple(
        DraftSection(
            section_id, headings.get(section_id) or heading(section_id, audience), tuple(found)
        )
        for section_id, found in grouped.items()
        if found
    )
    return Draft(title=title, bottom_line=bottom_line, sections=sections, generator=generator)


def _parsed(content: str) -> dict[str, Any]:
    try:
        reply = json.loads(content)
    except json.JSONDecodeError as error:
        raise BadReply(f"the reply is not JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(reply, dict):
        raise BadReply("the reply is not a JSON object")
    _require_bullets(reply.get("bottom_line"), "bottom_line", at_least=1)
    sections = reply.get("sections")
    if not isinstance(sections, list):
        raise BadReply("'sections' is not a list")
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            raise BadReply(f"section {number} is not an object")
        _require_bullets(section.get("bullets"), f"section {number}", at_least=1)
    return reply


def _require_bullets(bullets: Any, where: str, *, at_least: int) -> None:
    if not isinstance(bullets, list) or len(bullets) < at_least:
        raise BadReply(f"'{where}' has no list of bullets")
    for bullet in bullets:
        text = bullet.get("text") if isinstance(bullet, dict) else None
        ids = bullet.get("statement_ids") if isinstance(bullet, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise BadReply(f"a bullet of '{where}' has no text")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise BadReply(f"a bullet of '{where}' cites no statement ids")


def _sentences(
    bullet: Mapping[str, Any], by_id: Mapping[str, NumberedStatement]
) -> list[Statement]:
    passage_ids = _passages_of(bullet["statement_ids"], by_id)
    text = " ".join(str(bullet["text"]).split())
    return [
        Statement(text=text[start:end].strip(), passage_ids=passage_ids)
        for start, end in split_sentences(text)
        if text[start:end].strip()
    ]


def _passages_of(
    statement_ids: Sequence[str], by_id: Mapping[str, NumberedStatement]
) -> tuple[str, ...]:
    passage_ids: dict[str, None] = {}
    for statement_id in statement_ids:
        item = by_id.get(statement_id.strip())
        cited = item.statement.passage_ids if item else (UNKNOWN_STATEMENT + statement_id,)
        passage_ids.update(dict.fromkeys(cited))
    return tuple(passage_ids)


def _section_of(statement_ids: Sequence[str], by_id: Mapping[str, NumberedStatement]) -> str:
    """The section most of the cited statements were placed in by the extractive generator."""
    placed = Counter(
        by_id[i.strip()].section_id
        for i in statement_ids
        if i.strip() in by_id and by_id[i.strip()].section_id != "bottom_line"
    )
    return placed.most_common(1)[0][0] if placed else "overview"
