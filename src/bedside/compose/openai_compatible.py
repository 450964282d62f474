"""`OpenAICompatibleGenerator`: a language model on a server you run rewrites the ranked evidence.

What the model is sent, how its reply becomes a draft and when the extractive article is served
instead are shared with every model generator (`rewording.py`); this module is the HTTP part.
The server is any that speaks the OpenAI chat-completions API (vLLM, llama.cpp server, Ollama).
Only the standard library talks to it, with proxies and redirects turned off: the request goes
to the host you named and nowhere else. A server that cannot be reached, answers past the
deadline or fails gives the extractive article, with the reason.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedside.compose.extractive import ExtractiveGenerator
from bedside.compose.rewording import (
    ModelUnavailable,
    RewordingGenerator,
    reply_text,
    response_format,
)
from bedside.errors import ConfigError

if TYPE_CHECKING:
    from bedside.config import Settings

# Statuses worth another try: the server is busy or briefly broken, not refusing the request.
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """How to reach the server and how long to wait for it."""

    base_url: str
    model: str
    api_key: str = ""
    structured_output: str = "json_schema"
    timeout_ms: int = 30_000
    deadline_ms: int = 60_000
    retries: int = 2
    backoff_ms: int = 500
    temperature: float = 0.0
    max_tokens: int = 1500


class OpenAICompatibleGenerator(RewordingGenerator):
    """Asks a model server to reword the extractive generator's ranked statements."""

    name = "openai-compatible"
    version = "1"
    # It talks to a server, on this machine or your network (never a default or public one).
    is_offline = False

    def __init__(
        self,
        options: ServerOptions,
        *,
        extractive: ExtractiveGenerator | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(extractive=extractive)
        self.options = options
        self._sleep = sleep
        # No proxy from the environment, no redirect: a question goes only to the named host.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAICompatibleGenerator:
        model = settings.language_model
        if not model.base_url:
            raise ConfigError(
                "the openai-compatible generator needs language_model.base_url "
                "(BEDSIDE_LANGUAGE_MODEL__BASE_URL), e.g. http://127.0.0.1:8080/v1"
            )
        if not model.model:
            raise ConfigError(
                "the openai-compatible generator needs language_model.model "
                "(BEDSIDE_LANGUAGE_MODEL__MODEL): the model name the server knows"
            )
        options = ServerOptions(
            base_url=model.base_url,
            model=model.model,
            api_key=_api_key(model.api_key_env, model.api_key_file),
            structured_output=model.structured_output,
            timeout_ms=model.timeout_ms,
            deadline_ms=model.deadline_ms,
            retries=model.retries,
            backoff_ms=model.backoff_ms,
            temperature=model.temperature,
            max_tokens=model.max_tokens,
        )
        return cls(options)

    # -- the server --------------------------------------------------------------------------------

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        """The model's reply text, trying again (with backoff) within the deadline."""
        options = self.options
        deadline = time.monotonic() + options.deadline_ms / 1000
        body = json.dumps(self._body(messages)).encode("utf-8")
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ModelUnavailable(
                    "model_timeout", f"no reply within the deadline of {options.deadline_ms} ms"
                )
            try:
                return reply_text(
                    self._post(body, timeout=min(options.timeout_ms / 1000, remaining))
                )
            except _Retryable as error:
                if attempt >= options.retries:
                    raise ModelUnavailable(error.reason, error.detail) from None
                wait = options.backoff_ms / 1000 * 2**attempt
                if time.monotonic() + wait >= deadline:
                    raise ModelUnavailable(error.reason, error.detail) from None
                self._sleep(wait)
                attempt += 1

    def _body(self, messages: Sequence[Mapping[str, str]]) -> dict[str, Any]:
        options = self.options
        return {
            "model": options.model,
            "messages": list(messages),
            "temperature": options.temperature,
            "max_tokens": options.max_tokens,
            "response_format": response_format(options.structured_output),
            "stream": False,
        }

    def _post(self, body: bytes, *, timeout: float) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.options.api_key:
            headers["Authorization"] = f"Bearer {self.options.api_key}"
        url = f"{self.options.base_url}/chat/completions"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            detail = f"the server answered HTTP {error.code}"
            if error.code in _RETRY_STATUSES:
                raise _Retryable("model_error", detail) from None
            raise ModelUnavailable("model_error", detail) from None
        except TimeoutError:
            raise _Retryable("model_timeout", f"no reply within {timeout:.1f} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise _Retryable("model_timeout", f"no reply within {timeout:.1f} s") from None
            raise _Retryable("model_unreachable", f"cannot reach {url}: {error.reason}") from None
        except (OSError, http.client.HTTPException) as error:
            # A dropped connection, a half-sent reply: the server is not there to answer.
            raise _Retryable("model_unreachable", f"cannot reach {url}: {error!r}") from None
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise ModelUnavailable("model_bad_output", "the server's answer is not JSON") from None


class _Retryable(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is answered as the HTTP error it is, never followed


def _api_key(variable: str, path: Path | None) -> str:
    """The key from the named environment variable, else from the file; "" for none."""
    if variable:
        value = os.environ.get(variable, "")
        if not value:
            raise ConfigError(f"language_model.api_key_env names {variable}, which is not set")
        return value.strip()
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(f"language_model.api_key_file {path}: {error.strerror}") from None
    return ""
