"""`ScriptedGenerator`: a real `Generator` backend whose drafts are queued by the test.

Like llm's mock model: `enqueue(draft)` sets what the next `generate` returns, `history` keeps
every request it saw. With nothing queued it returns an empty draft (no statements).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from bedside.compose.base import ComposeRequest
from bedside.domain import Draft

if TYPE_CHECKING:
    from bedside.config import Settings


class ScriptedGenerator:
    """Returns queued drafts in order; records the requests."""

    name = "scripted"
    version = "1"
    is_offline = True
    prompt_digest = ""

    def __init__(self) -> None:
        self._queue: deque[Draft] = deque()
        self.history: list[ComposeRequest] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> ScriptedGenerator:
        return cls()

    def enqueue(self, draft: Draft) -> None:
        self._queue.append(draft)

    def generate(self, request: ComposeRequest) -> Draft:
        self.history.append(request)
        if self._queue:
            return self._queue.popleft()
        return Draft(title="", bottom_line=(), sections=(), generator=f"{self.name}/{self.version}")
