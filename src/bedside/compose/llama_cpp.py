"""`LlamaCppGenerator`: a GGUF language model, run in this process, rewrites the ranked evidence.

What the model is sent, how its reply becomes a draft and when the extractive article is served
instead are shared with every model generator (`rewording.py`); this module runs llama.cpp
through `xllamacpp` (the `llama` extra: a prebuilt wheel, nothing to compile; decision 0015).
The reply is decoded under the article's JSON Schema, so it always parses unless it is cut off
at `max_tokens`.

The model is loaded on first use (or `open()`), not when the generator is built. xllamacpp's
engine is llama.cpp's server: besides the Python calls made here it listens on a random port on
127.0.0.1, which is locked with a random API key this process never shares, so nothing else on
the machine can use it.
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import os
import secrets
import threading
from collections.abc import Mapping, Sequence
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

_EXTRA = "pip install 'bedside[llama]'"


@dataclass(frozen=True, slots=True)
class LlamaCppOptions:
    """Which model file to run, on how many threads, and how long to wait for it."""

    model_path: Path
    threads: int = 0  # 0: one per core this process may run on
    context_size: int = 4096
    structured_output: str = "json_schema"
    deadline_ms: int = 60_000
    temperature: float = 0.0
    max_tokens: int = 1500


class LlamaCppGenerator(RewordingGenerator):
    """Runs a GGUF model in this process to reword the extractive generator's ranked
    statements."""

    name = "llama-cpp"
    version = "1"
    is_offline = True  # the model file is on this machine; no request leaves the process

    def __init__(
        self, options: LlamaCppOptions, *, extractive: ExtractiveGenerator | None = None
    ) -> None:
        super().__init__(extractive=extractive)
        self.options = options
        self._server: Any = None
        self._calls: concurrent.futures.ThreadPoolExecutor | None = None
        self._loading = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppGenerator:
        model = settings.language_model
        if model.model_path is None:
            raise ConfigError(
                "the llama-cpp generator needs language_model.model_path "
                "(BEDSIDE_LANGUAGE_MODEL__MODEL_PATH): a GGUF file"
            )
        if not model.model_path.is_file():
            raise ConfigError(f"language_model.model_path {model.model_path}: no such file")
        if importlib.util.find_spec("xllamacpp") is None:
            raise ConfigError(f"the llama-cpp generator needs xllamacpp: {_EXTRA}")
        options = LlamaCppOptions(
            model_path=model.model_path,
            threads=model.threads,
            context_size=model.context_size,
            structured_output=model.structured_output,
            deadline_ms=model.deadline_ms,
            temperature=model.temperature,
            max_tokens=model.max_tokens,
        )
        return cls(options)

    def open(self) -> None:
        """Load the model (once); raises `ModelUnavailable` when it cannot be loaded."""
        with self._loading:
            if self._server is None:
                self._server = _start_server(self.options)
                self._calls = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="llama-cpp"
                )

    def close(self) -> None:
        """Free the model; a later `generate` loads it again."""
        with self._loading:
            if self._calls is not None:
                self._calls.shutdown(wait=True)
            self._server = self._calls = None

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        self.open()  # loading is not counted against the deadline: it happens once
        assert self._calls is not None
        call = self._calls.submit(self._chat_completion, messages)
        try:
            return reply_text(call.result(timeout=self.options.deadline_ms / 1000))
        except concurrent.futures.TimeoutError:
            # The call runs on to `max_tokens` (llama.cpp cannot be interrupted from here);
            # the next question waits for it.
            raise ModelUnavailable(
                "model_timeout", f"no reply within the deadline of {self.options.deadline_ms} ms"
            ) from None

    def _chat_completion(self, messages: Sequence[Mapping[str, str]]) -> Any:
        options = self.options
        request = {
            "messages": list(messages),
            "temperature": options.temperature,
            "max_tokens": options.max_tokens,
            "response_format": response_format(options.structured_output),
            "stream": False,
        }
        try:
            response = self._server.handle_chat_completions(request)
        except (ValueError, RuntimeError) as error:  # a schema or template it cannot use
            raise ModelUnavailable(
                "model_error", f"llama.cpp refused the request: {error}"
            ) from None
        if isinstance(response, Mapping) and "error" in response:
            refusal = response["error"]
            detail = refusal.get("message", refusal) if isinstance(refusal, Mapping) else refusal
            raise ModelUnavailable("model_error", f"llama.cpp: {detail}")
        return response


def _start_server(options: LlamaCppOptions) -> Any:
    """llama.cpp's engine with the model loaded, its HTTP port closed to everyone else."""
    # OpenMP threads that spin while they wait starve each other on a shared machine: 1.7
    # instead of 19.7 tokens/s on two busy cores (decision 0015). Read when the library loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import xllamacpp
    except ImportError:
        raise ModelUnavailable("model_error", f"xllamacpp is not installed: {_EXTRA}") from None
    params = xllamacpp.CommonParams()
    params.model.path = str(options.model_path)
    params.n_ctx = options.context_size
    params.n_parallel = 1  # one question at a time, with the whole context
    threads = options.threads or _cores()
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.api_keys = [secrets.token_urlsafe(32)]
    params.ui = False
    params.verbosity = 0
    try:
        return xllamacpp.Server(params)
    except Exception as error:  # the library raises bare exceptions for a file it cannot load
        raise ModelUnavailable(
            "model_error", f"cannot load {options.model_path.name}: {error}"
        ) from None


def _cores() -> int:
    """CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
