"""Property-based tests of the JSON API from its own OpenAPI document.

For every operation in `/openapi.json`, schemathesis generates requests from the schema, both
valid ones and ones that break it (bodies, query strings, path parameters), and they are sent to
the app in process. Whatever is sent, the app never answers 5xx, and every error is RFC 9457
problem details (`application/problem+json` with `type`, `title`, `status`, `code`); responses
also match the documented status codes, content types and response schemas.

schemathesis's own pytest integration (`schemathesis.pytest.from_fixture`) does not run under
pytest 9.2 (it sets `Node._nodeid`, which pytest no longer has), so the tests use its Python API
instead: `APIOperation.as_strategy()` under Hypothesis `@given`, one test per operation id.

Bounded to stay cheap: 25 examples per operation and generation mode, over the bundled-cards
knowledge base with the hashing embedder (what every web test uses), no deadline, no example
database (nothing is written beside the sources).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from bedside.config import Settings, WebSettings
from bedside.review.workflow import Role
from bedside.service import Service
from bedside.web.app import create_app
from bedside.web.problems import PROBLEM_MEDIA_TYPE
from bedside.web.sessions import SESSION_COOKIE

SEED_QUESTION = "What are the treatment options for disc space loss in the lumbar spine?"
PASSWORD = "correct horse battery staple"

# Every operation of the API; `test_every_operation_is_fuzzed` keeps the list complete.
OPERATION_IDS = (
    "ask",
    "list_answers",
    "get_answer",
    "get_passage",
    "search",
    "list_topics",
    "health",
    "review_queue",
    "list_answer_events",
)
SIGNED_IN_OPERATION_IDS = ("review_queue", "list_answer_events")

FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_app(bundled_settings: Settings, bundled: Service) -> FastAPI:
    """The app with the rate limit off: hundreds of questions in seconds are the point here."""
    web = WebSettings.model_validate(
        {**bundled_settings.web.model_dump(), "ask_rate_per_minute": 0}
    )
    # Something to find, so that not every generated request ends in "no answers".
    bundled.ask(SEED_QUESTION)
    return create_app(bundled_settings.model_copy(update={"web": web}), service=bundled)


@pytest.fixture
def api_schema(fuzz_app: FastAPI) -> OpenApiSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


@pytest.fixture
def session_cookie(fuzz_app: FastAPI, bundled: Service) -> Iterator[str]:
    """A signed-in editor's session cookie, so the review API is fuzzed past the 401."""
    bundled.add_user("editor1", PASSWORD, Role.EDITOR)
    with TestClient(fuzz_app) as client:
        login = client.get("/login")
        token = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/login",
            data={"username": "editor1", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        yield str(client.cookies[SESSION_COOKIE])


def cases(schema: OpenApiSchema, operation_id: str) -> st.SearchStrategy[Case]:
    operation = schema.find_operation_by_id(operation_id)
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def check_response(case: Case, cookies: dict[str, str] | None = None) -> None:
    response = case.call(cookies=cookies)
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith(PROBLEM_MEDIA_TYPE), where
        body: dict[str, Any] = response.json()
        assert {"type", "title", "status", "code"} <= set(body), where
        assert body["status"] == response.status_code, where
        assert body["type"] == f"/problems/{body['code']}", where
    case.validate_response(response, checks=CHECKS)


def test_every_operation_is_fuzzed(api_schema: OpenApiSchema) -> None:
    operation_ids = {
        result.ok().definition.raw["operationId"] for result in api_schema.get_all_operations()
    }
    assert operation_ids == set(OPERATION_IDS)


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_generated_requests_get_no_5xx_and_problem_details(
    api_schema: OpenApiSchema, operation_id: str
) -> None:
    @FUZZ_SETTINGS
    @given(case=cases(api_schema, operation_id))
    def run(case: Case) -> None:
        check_response(case)

    run()


@pytest.mark.parametrize("operation_id", SIGNED_IN_OPERATION_IDS)
def test_review_operations_signed_in(
    api_schema: OpenApiSchema, session_cookie: str, operation_id: str
) -> None:
    @FUZZ_SETTINGS
    @given(case=cases(api_schema, operation_id))
    def run(case: Case) -> None:
        check_response(case, {SESSION_COOKIE: session_cookie})

    run()
