"""Security headers on every response, and the rate limits (counted in the store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bedside.store.sqlite import SqliteStore
from bedside.web.rate_limit import RateLimiter

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"


@pytest.mark.parametrize(
    "path", ["/", "/policy", "/api/health", "/api/topics", "/static/bedside.css", "/api/nothing"]
)
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy  # falls back to default-src 'none': no script at all
    assert "unsafe-inline" not in policy


def test_article_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    html = client.get("/ask", params={"q": SEED_TREATMENT}).text
    assert "<script" not in html
    assert "style=" not in html and "<style" not in html


def test_only_the_api_docs_may_run_script(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    assert "script-src" in policy and "frame-ancestors 'none'" in policy


@pytest.fixture
def events(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "kb.sqlite") as store:
        yield store


def test_rate_limiter_allows_n_per_sliding_minute(events: SqliteStore) -> None:
    now = [1000.0]
    limiter = RateLimiter(2, scope="ask", events=events, clock=lambda: now[0])
    assert limiter.hit("a") is None
    now[0] += 10
    assert limiter.hit("a") is None
    assert limiter.hit("a") == 50  # the first event leaves the window 50 s from now
    assert limiter.hit("b") is None  # per client
    now[0] += 50
    assert limiter.hit("a") is None


def test_rate_limits_are_shared_by_workers_on_one_database(tmp_path: Path) -> None:
    # Two workers: two connections to one file, as two `bedside serve` processes would have.
    with SqliteStore(tmp_path / "kb.sqlite") as one, SqliteStore(tmp_path / "kb.sqlite") as two:
        first = RateLimiter(2, scope="ask", events=one, clock=lambda: 1000.0)
        second = RateLimiter(2, scope="ask", events=two, clock=lambda: 1000.0)
        assert first.hit("203.0.113.9") is None and second.hit("203.0.113.9") is None
        assert first.hit("203.0.113.9") is not None and second.hit("203.0.113.9") is not None
        # The database keeps no client address, only its hash.
        stored = one.conn.execute("SELECT key FROM throttle_events").fetchall()
        assert stored and all("203.0.113.9" not in key for (key,) in stored)


def test_rate_limit_of_zero_means_unlimited(events: SqliteStore) -> None:
    limiter = RateLimiter(0, scope="ask", events=events)
    assert all(limiter.hit("a") is None for _ in range(1000))


def test_backoff_doubles_after_the_free_failures_and_a_success_clears_it(
    events: SqliteStore,
) -> None:
    from bedside.web.rate_limit import FailureBackoff

    now = [0.0]
    backoff = FailureBackoff(events=events, free=2, longest=10, clock=lambda: now[0])
    for _ in range(2):
        backoff.failed("ana")
    assert backoff.wait("ana") == 1  # third failure onward: 2**0, 2**1, ... seconds
    backoff.failed("ana")
    assert backoff.wait("ana") == 2
    for _ in range(10):
        backoff.failed("ana")
    assert backoff.wait("ana") == 10  # capped: never locked out for good
    assert backoff.wait("ben") is None  # per account
    backoff.succeeded("ana")
    assert backoff.wait("ana") is None
