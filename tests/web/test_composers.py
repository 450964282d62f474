"""An app built from settings composes new answers in a process of its own, out of reach of the
GIL its reading threads hold, and recovers when that process dies."""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bedside.config import Settings
from bedside.errors import InputError, WorkflowError
from bedside.service import Service
from bedside.web.app import create_app
from bedside.web.composers import ProcessComposer, ThreadComposer

NEW_QUESTION = "What are the treatment options for disc space loss in the lumbar spine in adults?"


@pytest.fixture
def client(bundled_settings: Settings) -> Iterator[TestClient]:
    """A client over an app built from settings (not given a service), as `bedside serve` runs
    it, composing in one process of its own."""
    web = bundled_settings.web.model_copy(update={"compose_processes": 1})
    with TestClient(create_app(bundled_settings.model_copy(update={"web": web}))) as client:
        yield client


def _composer(client: TestClient) -> ProcessComposer:
    composer = client.app.state.service.composer  # type: ignore[attr-defined]
    assert isinstance(composer, ProcessComposer)
    return composer


def test_an_app_built_from_settings_composes_in_another_process(
    bundled_settings: Settings, client: TestClient
) -> None:
    assert _composer(client).process_id() != os.getpid()
    response = client.post("/api/answers", json={"question": NEW_QUESTION})
    assert response.status_code == 200, response.text
    answer_id = response.json()["answer_id"]
    # Stored by the composing process in the shared database, as a worker would store it.
    with Service(bundled_settings) as service:
        assert service.get_answer(answer_id).question == NEW_QUESTION
    again = client.post("/api/answers", json={"question": NEW_QUESTION})
    assert again.json()["answer_id"] == answer_id


def test_a_killed_composing_process_is_a_503_and_is_replaced(client: TestClient) -> None:
    composer = _composer(client)
    killed = composer.process_id()
    os.kill(killed, signal.SIGKILL)
    refused = client.post("/api/answers", json={"question": NEW_QUESTION})
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "store_error"
    assert "composing new answers stopped" in refused.json()["detail"]
    response = client.post("/api/answers", json={"question": NEW_QUESTION})
    assert response.status_code == 200, response.text
    assert composer.process_id() not in (killed, os.getpid())


def test_an_app_given_a_service_composes_on_it_in_its_own_thread(
    bundled_settings: Settings, bundled: Service
) -> None:
    # A test's service (a fake or a held generator) cannot be sent to another process.
    with TestClient(create_app(bundled_settings, service=bundled)) as client:
        composer = client.app.state.service.composer  # type: ignore[attr-defined]
        assert isinstance(composer, ThreadComposer) and composer.service is bundled


@pytest.mark.parametrize(
    "error",
    [
        InputError("the question is empty", where="question"),
        WorkflowError("not now", action="approve", role="reviewer", status="submitted"),
    ],
)
def test_errors_come_back_from_a_composing_process_as_they_left(error: Exception) -> None:
    # Results and errors cross from the composing process pickled.
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert vars(back) == vars(error)
