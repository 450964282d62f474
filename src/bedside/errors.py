"""Exceptions, one class per kind of failure; each carries a stable `code` for the API and CLI."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any


class BedsideError(Exception):
    """Base class for every error Bedside reports to a user."""

    code = "bedside_error"


class ConfigError(BedsideError):
    """Settings or a settings file are invalid."""

    code = "invalid_config"


class InputError(BedsideError):
    """A file given to ingest cannot be read as a document.

    The message always names the file, and the line, element or field where that is known.
    """

    code = "invalid_input"

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.where = where
        self.reason = message
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        # Rebuilt from its fields, not its message (pickle's default): an error raised where the
        # web app composes answers (another process, web/composers.py) comes back pickled.
        rebuild = partial(type(self), self.reason, path=self.path, line=self.line, where=self.where)
        return rebuild, ()

    def _render(self) -> str:
        location = self.path or "<input>"
        if self.line is not None:
            location += f":{self.line}"
        if self.where:
            location += f" ({self.where})"
        return f"{location}: {self.reason}"


class UnknownFormatError(InputError):
    """No reader recognises the file's content."""

    code = "unknown_format"


class NotFoundError(BedsideError):
    """A document or passage id does not exist in the knowledge base."""

    code = "not_found"


class StoreError(BedsideError):
    """The knowledge base file is unusable (newer schema, corrupt, locked)."""

    code = "store_error"


class WorkflowError(BedsideError):
    """A review action the workflow does not allow: an illegal move or a missing permission.

    The message names the action, the role and the status; they are also kept as attributes.
    """

    code = "workflow_refused"

    def __init__(self, message: str, *, action: str, role: str, status: str) -> None:
        self.action = action
        self.role = role
        self.status = status
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        # As InputError's: its keyword-only fields would be lost (and its rebuilding fail).
        rebuild = partial(
            type(self), str(self), action=self.action, role=self.role, status=self.status
        )
        return rebuild, ()
