"""`RewordingGenerator`: what every language-model generator shares, whichever runs the model.

The extractive generator chooses and ranks the statements as it always does; the model gets the
question, its frame and those statements with ids (`prompting.py`), and returns an article as
JSON that cites them (`model_reply.py`). Every sentence it writes then goes through the verifier
like any other, and the extractive draft travels with the model's as its fallback.

When the model cannot answer, answers past the deadline, or replies with something that is not
the article's JSON, the extractive draft is returned at once with the reason
(`Draft.fell_back`); composing never fails because of the model.

A backend says only how one chat completion is obtained (`complete`): over HTTP from a server
you run (`openai_compatible.py`) or in this process from a GGUF file (`llama_cpp.py`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bedside.compose.base import ComposeRequest
from bedside.compose.extractive import ExtractiveGenerator
from bedside.compose.model_reply import BadReply, draft_from_reply
from bedside.compose.prompting import (
    article_schema,
    build_messages,
    number_statements,
    prompt_digest,
)
from bedside.domain import Draft, FallbackNote


class ModelUnavailable(Exception):
    """The model gave no usable reply; `reason` is the code recorded on the answer."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class RewordingGenerator:
    """Has a chat model reword the extractive generator's ranked statements; subclasses say
    how one completion is obtained."""

    name = "rewording"
    version = "0"
    is_offline = True

    def __init__(self, *, extractive: ExtractiveGenerator | None = None) -> None:
        self._extractive = extractive or ExtractiveGenerator()

    @property
    def prompt_digest(self) -> str:
        return prompt_digest()

    @property
    def label(self) -> str:
        return f"{self.name}/{self.version}"

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        """The model's reply text to `messages`; raises `ModelUnavailable` when there is none."""
        raise NotImplementedError

    def generate(self, request: ComposeRequest) -> Draft:
        extractive = self._extractive.generate(request)
        statements = number_statements(extractive)
        if not statements:
            return extractive  # nothing to reword: the verifier and policy decide what then
        try:
            content = self.complete(build_messages(request, statements))
            draft = draft_from_reply(
                content,
                statements,
                title=extractive.title,
                headings={s.section_id: s.heading for s in extractive.sections},
                audience=request.audience,
                generator=self.label,
            )
        except ModelUnavailable as error:
            note = FallbackNote(self.label, error.reason, error.detail)
            return replace(extractive, fell_back=note)
        except BadReply as error:
            return replace(
                extractive, fell_back=FallbackNote(self.label, "model_bad_output", str(error))
            )
        return replace(draft, fallback=extractive)


def response_format(structured_output: str) -> dict[str, Any]:
    """The chat-completions `response_format` asking for the article: its JSON Schema, which
    llama.cpp, vLLM and Ollama turn into constrained decoding, or any JSON object."""
    if structured_output == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "article", "strict": True, "schema": article_schema()},
        }
    return {"type": "json_object"}


def reply_text(response: Any) -> str:
    """The assistant message of an OpenAI chat-completions response."""
    try:
        choice = response["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ModelUnavailable(
            "model_bad_output", "the server's answer has no choices[0].message.content"
        ) from None
    if not isinstance(content, str):
        raise ModelUnavailable("model_bad_output", "the model's message is not text")
    if choice.get("finish_reason") == "length" and not _is_json(content):
        # Cut short, the JSON is not whole: say why rather than report where it broke off.
        raise ModelUnavailable(
            "model_bad_output", "the reply was cut off at language_model.max_tokens"
        )
    return content


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True
