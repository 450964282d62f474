"""Where the web app composes a new answer: in processes of its own, or in the request's thread.

Composing is CPU-bound Python. In a worker process, the threads serving stored answers and pages
beside it take the GIL each time the compose lets it go (at every SQLite and ONNX call), and the
compose starves: one compose beside eight reading threads took about 20 s instead of under one
(docs/benchmarks.md, "Web load"). With `web.compose_processes` > 0 an app built from settings
composes in processes of its own (`ProcessComposer`), each with its own service — model,
indexes, caches and store connection — which stores the answer in the shared database as any
worker does. Measured on 2 cores (docs/benchmarks.md, "Web load") it trades memory (another copy
of the model and indexes per process) and stored-answer latency for new-question latency, so it
is off by default. An app given a ready-made service (tests: fakes and held
generators, which cannot be sent to another process), or left at `web.compose_processes = 0`,
composes in the request's thread, one question at a time (`ThreadComposer`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from typing import Protocol

from bedside.config import Settings
from bedside.domain import Answer, Audience
from bedside.errors import StoreError
from bedside.service import Service


class Composer(Protocol):
    """Composes (and stores) the answer to a question that has none stored; thread-safe."""

    def start(self) -> None:
        """Get ready to compose (called once the app starts serving); may return before."""

    def compose(
        self, question: str, *, audience: Audience, follow_up_of: str | None, full: bool
    ) -> Answer:
        """The answer, as `Service.ask` gives it."""
        ...

    def close(self) -> None:
        """Stop composing; a compose in progress is finished first."""


class ThreadComposer:
    """Composes on `service`, in the calling thread, one question at a time: the service's
    indexes, embedder and caches are not made for concurrent callers."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.lock = threading.Lock()

    def start(self) -> None:
        pass  # the service loads its indexes and model on the first question

    def compose(
        self, question: str, *, audience: Audience, follow_up_of: str | None, full: bool
    ) -> Answer:
        with self.lock:
            # `ask` looks the question up again: another thread may have composed it meanwhile.
            return self.service.ask(
                question, audience=audience, follow_up_of=follow_up_of, full=full
            )

    def close(self) -> None:
        # The service is its owner's to close, once a compose in progress has finished.
        with self.lock:
            pass


class ProcessComposer:
    """Composes in `processes` processes of their own, each asked one question at a time."""

    def __init__(self, settings: Settings, *, processes: int) -> None:
        self._settings = settings
        self._processes = processes
        self._executor = self._new_executor()
        self._executor_lock = threading.Lock()  # guards replacing `_executor`

    def _new_executor(self) -> ProcessPoolExecutor:
        # `spawn`, not `fork`: the web worker has threads (and may hold their locks) when a
        # process is started, and a fresh interpreter inherits none of that.
        return ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_composing,
            initargs=(self._settings,),
        )

    def start(self) -> None:
        # One call per process starts them all now (the pool starts a process only when a call
        # finds none idle), so that the first questions do not wait for the model to load.
        for _ in range(self._processes):
            self._executor.submit(os.getpid)

    def compose(
        self, question: str, *, audience: Audience, follow_up_of: str | None, full: bool
    ) -> Answer:
        executor = self._executor
        try:
            call = executor.submit(
                _compose, question, audience=audience, follow_up_of=follow_up_of, full=full
            )
            return call.result()
        except BrokenProcessPool as error:
            # A process died (killed, out of memory, a crash in native code): the pool fails
            # every call it held. This question gets a 503; the next ones get a new pool.
            self._replace(executor)
            raise StoreError(
                "the process composing answers stopped unexpectedly and is being restarted; "
                "ask again"
            ) from error

    def process_id(self) -> int:
        """The id of a process that composes (the only one, with one process)."""
        return self._executor.submit(os.getpid).result()

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._executor_lock:
            if self._executor is not broken:
                return  # another thread has replaced it already
            self._executor = self._new_executor()
        broken.shutdown(wait=False, cancel_futures=True)
        self.start()

    def close(self) -> None:
        with self._executor_lock:
            self._executor.shutdown(wait=True, cancel_futures=True)


# In a composing process only: the service it composes with, built by `_start_composing`. A
# module variable because the pool calls plain functions, and each process needs its one service
# to keep its indexes, model and caches from one question to the next.
_service: Service | None = None


def _start_composing(settings: Settings) -> None:
    global _service
    _service = Service(settings)
    # The indexes and the model are loaded now, not on the first question. If that fails (no
    # index built yet), the first question says why: an error here would break the pool instead.
    with suppress(Exception):
        _service.retriever  # noqa: B018


def _compose(question: str, *, audience: Audience, follow_up_of: str | None, full: bool) -> Answer:
    assert _service is not None, "called outside a composing process"
    return _service.ask(question, audience=audience, follow_up_of=follow_up_of, full=full)
