"""`FakeModelServer`: a real HTTP server on 127.0.0.1 that plays an OpenAI-compatible model.

The `openai-compatible` generator is tested against it over a real socket, as it would talk to
vLLM, a llama.cpp server or Ollama: a `reply` function is given each request's JSON and returns
what the "model" answers (`ModelReply`: the message text, or an HTTP status, a delay, a raw
body). Every request is kept in `requests` with its headers.

    with FakeModelServer(lambda request: ModelReply.message('{"title": …}')) as server:
        generator = OpenAICompatibleGenerator(ServerOptions(server.url, model="fake"))
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True, slots=True)
class ModelReply:
    """What the fake server answers to one request."""

    status: int = 200
    body: bytes = b""
    delay_s: float = 0.0
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def message(cls, content: str, *, delay_s: float = 0.0) -> ModelReply:
        """A chat-completions response whose assistant message is `content`."""
        response = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        }
        return cls(200, json.dumps(response).encode(), delay_s)


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    path: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]


class FakeModelServer:
    """Serves `reply(request_json)` on 127.0.0.1 at a free port, in a thread."""

    def __init__(self, reply: Callable[[Mapping[str, Any]], ModelReply]) -> None:
        self.reply = reply
        self.requests: list[ReceivedRequest] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL a client is given (`…/v1`)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeModelServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        body = json.loads(handler.rfile.read(length) or b"{}")
        self.requests.append(ReceivedRequest(handler.path, dict(handler.headers), body))
        reply = self.reply(body)
        # A slow model: wait, but give up at once when the test is over.
        deadline = time.monotonic() + reply.delay_s
        while time.monotonic() < deadline and not self._stopping.is_set():
            time.sleep(0.01)
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (a timeout under test)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                server._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test asserts on `requests`, not on a log."""

        return Handler
