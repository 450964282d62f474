"""The web tier without a process-wide lock: reads run beside a compose, and several apps (workers)
on one database share the rate limits and the sign-in throttle."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bedside.compose.base import ComposeRequest, Generator
from bedside.config import Settings, WebSettings
from bedside.domain import Answer, Draft
from bedside.review.workflow import Role
from bedside.service import Service
from bedside.web.app import create_app

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"
# Not asked before, and on a card's topic: it reaches the generator.
NEW_QUESTION = "What are the treatment options for disc space loss in the lumbar spine in adults?"
PASSWORD = "correct horse battery staple"


class HeldGenerator:
    """The real generator, held at `generate` until the test lets it go: a slow compose."""

    def __init__(self, inner: Generator) -> None:
        self.inner = inner
        self.name, self.version, self.is_offline = inner.name, inner.version, inner.is_offline
        self.composing = threading.Event()
        self.release = threading.Event()

    @property
    def prompt_digest(self) -> str:
        return self.inner.prompt_digest

    def generate(self, request: ComposeRequest) -> Draft:
        self.composing.set()
        self.release.wait(timeout=60)
        return self.inner.generate(request)


@pytest.fixture
def stored(bundled: Service) -> Answer:
    """The seed question, answered and stored (before any generator is held)."""
    return bundled.ask(SEED_TREATMENT)


@pytest.fixture
def held(bundled: Service, stored: Answer) -> HeldGenerator:
    generator = HeldGenerator(bundled.generator)
    bundled.generator = generator
    return generator


@pytest.mark.parametrize(
    "read",
    [
        "api-answer",
        "article-page",
        "stored-question",
        "passage",
        "search",
        "topics",
    ],
)
def test_reads_are_not_blocked_by_a_slow_compose(
    bundled_settings: Settings,
    bundled: Service,
    stored: Answer,
    held: HeldGenerator,
    read: str,
) -> None:
    passage_id = stored.references[0].passage_ids[0]
    requests = {
        "api-answer": ("GET", f"/api/answers/{stored.answer_id}", None),
        "article-page": ("GET", f"/answers/{stored.answer_id}", None),
        "stored-question": ("POST", "/api/answers", {"question": SEED_TREATMENT}),
        "passage": ("GET", f"/api/passages/{passage_id}", None),
        "search": ("GET", "/api/search?q=lumbar+disc", None),
        "topics": ("GET", "/api/topics", None),
    }
    method, path, body = requests[read]
    app = create_app(bundled_settings, service=bundled)

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            compose = asyncio.create_task(
                client.post("/api/answers", json={"question": NEW_QUESTION})
            )
            try:
                for _ in range(3000):
                    if held.composing.is_set():
                        break
                    await asyncio.sleep(0.01)
                assert held.composing.is_set(), "the new question never reached the generator"
                reading = asyncio.create_task(client.request(method, path, json=body))
                # A process-wide lock would hold the read until the compose ends.
                await asyncio.wait({reading}, timeout=10)
                read_while_composing = reading.done() and not compose.done()
            finally:
                held.release.set()
            composed, response = await compose, await reading
            assert read_while_composing, "the read waited for the compose to end"
            assert response.status_code == 200, response.text
            assert composed.status_code == 200, composed.text
            assert composed.json()["question"] == NEW_QUESTION

    try:
        asyncio.run(run())
    finally:
        app.state.service.close_own()


def test_a_question_asked_while_it_is_composed_is_composed_once(
    bundled_settings: Settings, bundled: Service, held: HeldGenerator
) -> None:
    app = create_app(bundled_settings, service=bundled)

    async def run() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(
                client.post("/api/answers", json={"question": NEW_QUESTION})
            )
            while not held.composing.is_set():
                await asyncio.sleep(0.01)
            second = asyncio.create_task(
                client.post("/api/answers", json={"question": NEW_QUESTION})
            )
            await asyncio.sleep(0.2)  # the second finds no stored answer and waits to compose
            held.release.set()
            responses = await asyncio.gather(first, second)
            return [response.json()["answer_id"] for response in responses]

    try:
        first_id, second_id = asyncio.run(run())
    finally:
        app.state.service.close_own()
    assert first_id == second_id  # the second found the first's answer once it could look


# -- several workers on one database ---------------------------------------------------------


@pytest.fixture
def two_workers(bundled_settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps, each with its own service and connections, on one knowledge base: what two
    `bedside serve` workers (or hosts) are. Each counts asking against 2 a minute."""
    web = WebSettings.model_validate(
        {**bundled_settings.web.model_dump(), "ask_rate_per_minute": 2}
    )
    settings = bundled_settings.model_copy(update={"web": web})
    with ExitStack() as stack:
        clients = []
        for _ in range(2):
            service = stack.enter_context(Service(settings))
            app: FastAPI = create_app(settings, service=service)
            clients.append(stack.enter_context(TestClient(app)))
        yield clients[0], clients[1]


def test_workers_on_one_database_share_the_ask_limit(
    two_workers: tuple[TestClient, TestClient],
) -> None:
    one, two = two_workers
    ask = {"question": SEED_TREATMENT}
    assert one.post("/api/answers", json=ask).status_code == 200
    assert two.post("/api/answers", json=ask).status_code == 200
    # Two questions in all: each worker refuses the third, though it saw only one.
    for worker in (one, two):
        response = worker.post("/api/answers", json=ask)
        assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def _login_token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def test_workers_on_one_database_share_the_sign_in_limit(
    two_workers: tuple[TestClient, TestClient],
) -> None:
    one, two = two_workers
    statuses = []
    for n in range(11):  # 10 attempts a minute per address, alternating workers
        worker = (one, two)[n % 2]
        wrong = {"username": f"nobody{n}", "password": "wrong!", "csrf_token": _login_token(worker)}
        statuses.append(worker.post("/login", data=wrong).status_code)
    assert statuses == [400] * 10 + [429]


def test_workers_on_one_database_share_the_failed_sign_in_back_off(
    bundled: Service, two_workers: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled.add_user("editor1", PASSWORD, Role.EDITOR)
    one, two = two_workers
    now = time.time()
    for worker in (one, two):
        backoff = worker.app.state.login_backoff  # type: ignore[attr-defined]
        monkeypatch.setattr(backoff, "_clock", lambda: now)
    for _ in range(5):  # the free failures, all on the first worker
        wrong = {"username": "editor1", "password": "wrong!", "csrf_token": _login_token(one)}
        assert one.post("/login", data=wrong).status_code == 400
    right = {"username": "editor1", "password": PASSWORD, "csrf_token": _login_token(two)}
    refused = two.post("/login", data=right, follow_redirects=False)
    assert refused.status_code == 429, refused.text
    assert "failed sign-ins for this account" in refused.json()["detail"]
