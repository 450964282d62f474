"""The PostgreSQL server goes away under the web app and comes back (docs/deployment.md, "When
the database goes away"): requests during the outage are problem+json 503s, promptly, not hangs
or 500s; the app serves again, questions included, as soon as the server is back; nothing
approved before (articles, audit events) is lost, and an approval cut off by the outage is not
half done.

The server is the test's own (crash-safe: every acknowledged commit is kept), stopped as a crash
(`pg_ctl stop -m immediate`) and started again on the same data, in process: no mocks.
"""

from __future__ import annotations

import html as html_module
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from bedside.config import Settings, load_settings
from bedside.review.workflow import Role
from bedside.service import Service
from bedside.service.preparing import prepare_knowledge_base
from bedside.store import postgresql
from bedside.web.app import create_app
from bedside.web.problems import PROBLEM_MEDIA_TYPE

pytestmark = pytest.mark.postgresql

FIRST = "What are the treatment options for disc space loss in the lumbar spine?"
SECOND = "What helps chronic low back pain?"
ASKED_IN_THE_OUTAGE = (
    "What are the treatment options for disc space loss in the lumbar spine in adults?"
)
PASSWORD = "correct horse battery staple"
# A request while the server is away must fail within this (it fails in milliseconds on a
# loopback socket; a remote server that does not answer is bounded by the connect timeout).
PROMPT_S = 10.0

if TYPE_CHECKING:
    from bedside.testing.postgresql import TemporaryPostgresql


@pytest.fixture
def outage_settings(restartable_postgresql: TemporaryPostgresql, settings: Settings) -> Settings:
    """The bundled cards in the server, and an editor to review with."""
    settings = load_settings(
        overrides={
            "store": {"backend": "postgresql", "url": restartable_postgresql.url, "kb": "outage"}
        }
    )
    prepare_knowledge_base(settings)
    with Service(settings) as service:
        service.add_user("editor1", PASSWORD, Role.EDITOR)
    return settings


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _sign_in(client: TestClient) -> str:
    """Sign in as the editor; the session's CSRF token."""
    response = client.post(
        "/login",
        data={
            "username": "editor1",
            "password": PASSWORD,
            "csrf_token": _token(client.get("/login").text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return _token(client.get("/review").text)


def _ask(client: TestClient, question: str) -> Response:
    return client.post("/api/answers", json={"question": question})


def _act(client: TestClient, answer_id: str, action: str, token: str) -> Response:
    fields = {"action": action, "csrf_token": token, "note": f"{action} by the test"}
    if action == "approve":  # the approval form's checklist, with the wording as it stands
        page = client.get(f"/answers/{answer_id}").text
        fields["no_personal_data"] = "yes"
        for name in ("title", "question"):
            match = re.search(rf'name="{name}" type="text"[^>]*value="([^"]*)"', page)
            assert match, f"no {name} field on the article page"
            fields[name] = html_module.unescape(match.group(1))
    return client.post(f"/answers/{answer_id}/review", data=fields, follow_redirects=False)


def _status(client: TestClient, answer_id: str) -> str:
    response = client.get(f"/api/answers/{answer_id}")
    assert response.status_code == 200, response.text
    return str(response.json()["review"]["status"])


def _events(client: TestClient, answer_id: str) -> list[tuple[str, str]]:
    response = client.get(f"/api/answers/{answer_id}/events")
    assert response.status_code == 200, response.text
    return [(event["event_id"], event["action"]) for event in response.json()["events"]]


def _timed(request: Callable[[], Response]) -> tuple[Response, float]:
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def test_an_outage_gives_prompt_503s_and_loses_nothing_approved(
    restartable_postgresql: TemporaryPostgresql,
    outage_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No connection counts as idle: the ones not used during the outage (the composer's and its
    # indexes') are found dead because others were, however quickly the test runs.
    monkeypatch.setattr(postgresql, "CHECK_AFTER_IDLE_S", 3600.0)
    app = create_app(outage_settings)  # built from settings, as `bedside serve` builds it
    with TestClient(app, raise_server_exceptions=False) as client:
        token = _sign_in(client)
        first = _ask(client, FIRST)
        second = _ask(client, SECOND)
        assert first.status_code == 200 and second.status_code == 200, first.text + second.text
        approved, in_review = first.json()["answer_id"], second.json()["answer_id"]
        for answer_id in (approved, in_review):
            assert _act(client, answer_id, "start_review", token).status_code == 303
        assert _act(client, approved, "approve", token).status_code == 303
        before = {answer_id: _events(client, answer_id) for answer_id in (approved, in_review)}
        assert [action for _, action in before[approved]] == ["start_review", "approve"]

        restartable_postgresql.stop_server("immediate")  # a crash: every connection dies at once

        during = {
            "stored article": lambda: client.get(f"/api/answers/{approved}"),
            "article page": lambda: client.get(f"/answers/{approved}"),
            "new question": lambda: _ask(client, ASKED_IN_THE_OUTAGE),
            "search": lambda: client.get("/api/search", params={"q": "low back pain"}),
            "health": lambda: client.get("/api/health"),
            "approval": lambda: client.post(
                f"/answers/{in_review}/review",
                data={"action": "approve", "csrf_token": token, "no_personal_data": "yes",
                      "title": "t", "question": "q"},
                follow_redirects=False,
            ),
        }  # fmt: skip
        for name, request in during.items():
            response, took = _timed(request)
            assert response.status_code == 503, (name, response.status_code, response.text)
            assert took < PROMPT_S, (name, took)
            if name != "article page":  # a page asked for without `Accept: text/html`: JSON
                assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE, name
                assert response.json()["code"] == "store_error", name

        restartable_postgresql.start_server()

        # Served again at once: no request after the server is back gets an error.
        assert _status(client, approved) == "approved"
        assert _status(client, in_review) == "under_review"  # the cut-off approval: not done
        after = {answer_id: _events(client, answer_id) for answer_id in (approved, in_review)}
        assert after == before
        asked = _ask(client, ASKED_IN_THE_OUTAGE)
        assert asked.status_code == 200, asked.text
        assert client.get("/api/search", params={"q": "low back pain"}).status_code == 200
        assert _act(client, in_review, "approve", token).status_code == 303
        assert _status(client, in_review) == "approved"
        listed = client.get("/api/answers", params={"status": "approved"}).json()["answers"]
        assert {item["answer_id"] for item in listed} == {approved, in_review}
