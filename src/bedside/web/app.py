"""`create_app(settings)`: the FastAPI app. Nothing is built at import time.

uvicorn runs it with `bedside serve`, or directly in factory mode:
`uvicorn --factory bedside.web.app:app_from_environment` (settings from `BEDSIDE_*` variables).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from bedside.config import Settings, load_settings
from bedside.service import Service
from bedside.web.api import build_api_router
from bedside.web.api.meta import bedside_version
from bedside.web.deps import LOGIN_ATTEMPTS_PER_MINUTE
from bedside.web.locked import LockedService
from bedside.web.pages import build_pages_router
from bedside.web.problems import install_problem_handlers
from bedside.web.rate_limit import FailureBackoff, RateLimiter
from bedside.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from bedside.web.sessions import SESSION_COOKIE, SESSION_COOKIE_MAX_AGE, page_context
from bedside.web.templating import STATIC_DIR, build_templates

# `bedside serve` passes its `--config` file to the app through this (as cli/web.py does).
CONFIG_FILE_VARIABLE = "BEDSIDE_SERVE_CONFIG_FILE"

DESCRIPTION = """Evidence-based clinical answers from Bedside's knowledge base: ask a question and
get a verified article (every statement cited) or a typed refusal. Errors are RFC 9457 problem
details (`application/problem+json`) with a stable `code`."""


def create_app(settings: Settings, *, service: Service | None = None) -> FastAPI:
    """The web app over one knowledge base; `service` is for tests (the app then leaves it
    open), otherwise one is built from `settings` and closed at shutdown."""
    owns_service = service is None
    locked = LockedService(
        service if service is not None else Service(settings),
        store_connections=settings.web.store_connections,
        # A given service (a test's fake, a held generator) cannot be sent to another process:
        # it composes in the request's thread.
        compose_processes=settings.web.compose_processes if owns_service else 0,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        locked.start()
        yield
        if owns_service:
            locked.close()
        else:
            locked.close_own()

    app = FastAPI(
        title="Bedside",
        version=bedside_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.service = locked
    app.state.templates = build_templates(context_processors=[page_context])
    # In the database: every worker on it shares the same counts.
    events = locked.throttle_events
    app.state.ask_limiter = RateLimiter(
        settings.web.ask_rate_per_minute, scope="ask", events=events
    )
    app.state.login_limiter = RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE, scope="sign-in", events=events)
    app.state.login_backoff = FailureBackoff(events=events)

    install_problem_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=signing_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_COOKIE_MAX_AGE,
        same_site="lax",
        https_only=settings.web.cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.include_router(build_api_router())
    app.include_router(build_pages_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


class RedactQueryStrings(logging.Filter):
    """Keep questions out of the access log: they travel in `/ask?q=...` URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access logs (client, method, path with query, http version, status).
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, has_query, _query = args[2].partition("?")
            if has_query:
                record.args = (*args[:2], path + "?[redacted]", *args[3:])
        return True


def app_from_environment() -> FastAPI:
    """uvicorn's factory: settings from the environment (and `BEDSIDE_SERVE_CONFIG_FILE`)."""
    config_file = os.environ.get(CONFIG_FILE_VARIABLE)
    settings = load_settings(config_file=Path(config_file) if config_file else None)
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueryStrings) for f in access_log.filters):
        access_log.addFilter(RedactQueryStrings())
    return create_app(settings)


SECRET_KEY_FILE = "secret_key"


def signing_key(settings: Settings) -> str:
    """The key that signs session cookies: `web.secret_key` when set, else a random key made on
    first start and kept owner-only in the data directory, so that no two installations share
    a key and no forged cookie can be signed with a published constant."""
    if settings.web.secret_key is not None:
        return settings.web.secret_key.get_secret_value()
    path = settings.home / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    settings.home.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        # Published whole by a hard link, which fails if the file exists: two workers starting
        # together agree on one key, and neither ever reads a half-written one.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()
