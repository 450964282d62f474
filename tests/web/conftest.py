"""Web fixtures: the app over the bundled-cards knowledge base, and an in-process client."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bedside.config import Settings, WebSettings
from bedside.service import Service
from bedside.web.app import create_app

MakeClient = Callable[..., TestClient]
AskPage = Callable[..., str]


@pytest.fixture
def app(bundled_settings: Settings, bundled: Service) -> FastAPI:
    return create_app(bundled_settings, service=bundled)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def make_client(bundled_settings: Settings, bundled: Service) -> Iterator[MakeClient]:
    """A client over an app with other web settings (`make_client(ask_rate_per_minute=2)`)."""
    clients: list[TestClient] = []

    def make(*, raise_server_exceptions: bool = True, **web: object) -> TestClient:
        settings = bundled_settings.model_copy(
            update={"web": WebSettings.model_validate({**bundled_settings.web.model_dump(), **web})}
        )
        client = TestClient(
            create_app(settings, service=bundled), raise_server_exceptions=raise_server_exceptions
        )
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def ask_page(client: TestClient) -> AskPage:
    """Ask through the page form (`ask_page(question, audience=...)`): the answer id it shows."""

    def ask(question: str, **params: str) -> str:
        response = client.post("/ask", data={"q": question, **params}, follow_redirects=False)
        assert response.status_code == 303, response.text
        location = str(response.headers["location"])
        assert location.startswith("/answers/")
        return location.removeprefix("/answers/")

    return ask
