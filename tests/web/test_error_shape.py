"""One error body everywhere: RFC 9457 problem details with Bedside's `code`.

Every failure the API can give — a Bedside error from the service, a request that fails
validation, an unknown route or method, the rate limit, an unexpected exception — has the same
shape and media type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bedside.errors import ConfigError, StoreError
from bedside.service import Service
from bedside.web.problems import PROBLEM_TYPES

MakeClient = Callable[..., TestClient]  # the `make_client` fixture
PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert PROBLEM_KEYS <= set(body) <= PROBLEM_KEYS | {"parameter", "errors"}
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"] and body["detail"]
    return body


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/api/nothing-here"), 404, "not_found")
    assert "/api/nothing-here" in body["detail"]
    assert_problem(client.get("/no/such/page"), 404, "not_found")


def test_unknown_answer_and_passage_are_404_problems(client: TestClient) -> None:
    assert_problem(client.get("/api/answers/ans_missing"), 404, "not_found")
    assert_problem(client.get("/api/passages/psg_missing"), 404, "not_found")
    assert_problem(client.get("/answers/ans_missing"), 404, "not_found")


def test_follow_up_of_an_unknown_answer_is_a_404_problem(client: TestClient) -> None:
    response = client.post("/api/answers", json={"question": "Why?", "follow_up_of": "nope"})
    assert_problem(response, 404, "not_found")


@pytest.mark.parametrize(
    ("payload", "parameter"),
    [
        ({"question": ""}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": "What helps gout?", "audience": "robot"}, "audience"),
        ({"question": "What helps gout?", "fresh": True}, "fresh"),
        ({}, "question"),
    ],
)
def test_invalid_ask_request_is_a_422_problem_naming_the_parameter(
    client: TestClient, payload: dict[str, Any], parameter: str
) -> None:
    body = assert_problem(client.post("/api/answers", json=payload), 422, "invalid_request")
    assert body["parameter"] == parameter
    assert body["errors"][0]["parameter"] == parameter
    assert body["errors"][0]["in"] == "body"


def test_malformed_json_body_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/api/answers", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422, "invalid_request")


def test_unparseable_body_is_a_422_problem_not_an_undocumented_400(client: TestClient) -> None:
    # Found by tests/web/test_openapi_fuzz.py: a body that is not UTF-8 made FastAPI raise
    # HTTPException(400), answered as an undocumented 400 with code `http_error`.
    response = client.post(
        "/api/answers", content=b"\xff", headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"] == [{"parameter": None, "in": "body", "message": body["detail"]}]
    page = client.post(
        "/api/answers", content=b"\xff", headers={"content-type": "application/json"}
    )
    assert page.status_code == 422


def test_blank_question_is_an_input_error_from_the_service(client: TestClient) -> None:
    response = client.post("/api/answers", json={"question": "   "})
    body = assert_problem(response, 422, "invalid_input")
    assert body["parameter"] == "question"
    assert "empty" in body["detail"]


@pytest.mark.parametrize("query", [{"q": ""}, {"q": "gout", "k": 0}, {"q": "gout", "k": 51}, {}])
def test_invalid_search_parameters_are_422_problems(
    client: TestClient, query: dict[str, Any]
) -> None:
    body = assert_problem(client.get("/api/search", params=query), 422, "invalid_request")
    assert body["parameter"] in {"q", "k"}
    assert body["errors"][0]["in"] == "query"


def test_wrong_method_is_a_405_problem(client: TestClient) -> None:
    assert_problem(client.delete("/api/topics"), 405, "method_not_allowed")


def test_asking_too_often_is_a_429_problem_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(ask_rate_per_minute=2)
    for _ in range(2):
        response = client.post("/api/answers", json={"question": "What is the capital of Peru?"})
        assert response.status_code == 200
    response = client.post("/api/answers", json={"question": "What is the capital of Peru?"})
    body = assert_problem(response, 429, "rate_limited")
    assert "2 questions a minute" in body["detail"]
    assert 1 <= int(response.headers["retry-after"]) <= 60
    # The page form shares the allowance; other routes are not limited.
    assert_problem(client.post("/ask", data={"q": "gout"}), 429, "rate_limited")
    assert client.get("/api/topics").status_code == 200


def test_rate_limit_page_is_html_for_browsers(make_client: MakeClient) -> None:
    client = make_client(ask_rate_per_minute=1)
    client.post("/ask", data={"q": "What is the capital of Peru?"})
    response = client.post("/ask", data={"q": "gout"}, headers={"accept": "text/html"})
    assert response.status_code == 429
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Too many requests" in response.text and "retry-after" in response.headers


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (StoreError("database is locked"), 503, "store_error"),
        (ConfigError("bad setting in /secret/path"), 500, "invalid_config"),
        (RuntimeError("boom at /secret/path"), 500, "internal_error"),
    ],
)
def test_server_errors_are_problems_without_internal_details(
    make_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
    code: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    # On the class: the app reads through store connections of its own, not `bundled`'s.
    monkeypatch.setattr(Service, "kb_stats", fail)
    client = make_client(raise_server_exceptions=False)
    body = assert_problem(client.get("/api/health"), status, code)
    assert "/secret/path" not in body["detail"]
    assert body["detail"] == PROBLEM_TYPES[code].description


def test_every_problem_code_has_a_description() -> None:
    for code, problem_type in PROBLEM_TYPES.items():
        assert problem_type.title and problem_type.description, code
        assert 400 <= problem_type.status < 600


def test_a_body_over_64_kib_is_refused_with_413_before_it_is_read(client: TestClient) -> None:
    big = {"question": "x" * 70_000}
    response = client.post("/api/answers", json=big)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "body_too_large"


def test_a_chunked_body_over_64_kib_is_refused_too(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"a" * 8192

    response = client.post(
        "/api/answers", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
