"""The JSON API, in process: status, content type and the body of every route."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from bedside.compose.article import answer_to_json
from bedside.domain import ReviewStatus
from bedside.service import Service
from bedside.web.schemas import AnswerPublic

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"


def ask(client: TestClient, question: str = SEED_TREATMENT, **extra: Any) -> dict[str, Any]:
    response = client.post("/api/answers", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data: dict[str, Any] = response.json()
    assert response.headers["location"] == f"/api/answers/{data['answer_id']}"
    return data


def test_ask_returns_the_answer_json_and_stores_it(client: TestClient, bundled: Service) -> None:
    data = ask(client)
    assert data["kind"] == "answer"
    assert data["question"] == SEED_TREATMENT
    assert data["audience"] == "clinician"
    assert data["bottom_line"]["text"] and data["references"]
    assert data["review"]["status"] == "submitted"
    assert data == answer_to_json(bundled.get_answer(data["answer_id"]))


def test_ask_for_a_patient_in_the_context_of_an_earlier_answer(client: TestClient) -> None:
    first = ask(client)
    follow_up = ask(
        client, "When is surgery considered?", audience="patient", follow_up_of=first["answer_id"]
    )
    assert follow_up["audience"] == "patient"
    assert follow_up["follow_up_of"] == first["answer_id"]


def test_an_empty_follow_up_of_means_none_as_on_the_ask_page(client: TestClient) -> None:
    # Found by tests/web/test_openapi_fuzz.py: "" was passed on to the store, whose foreign key
    # refused it, and the API answered 503 `store_error`.
    data = ask(client, "When is surgery considered?", follow_up_of="")
    assert data["follow_up_of"] is None


def test_get_answer_returns_what_ask_returned(client: TestClient) -> None:
    data = ask(client)
    response = client.get(f"/api/answers/{data['answer_id']}")
    assert response.status_code == 200
    assert response.json() == data


def test_answer_model_has_exactly_the_documented_fields(client: TestClient) -> None:
    data = ask(client)
    assert set(AnswerPublic.model_fields) == set(data)


def test_another_reader_never_sees_an_unreviewed_question_in_the_list(
    client: TestClient,
) -> None:
    ask(client)  # submitted, awaiting review: the reader's words are theirs
    assert client.get("/api/answers").json() == {"answers": []}
    approved = client.get("/api/answers", params={"status": ReviewStatus.APPROVED.value})
    assert approved.status_code == 200 and approved.json() == {"answers": []}
    # Asking for unreviewed articles by status is for the signed-in board only.
    submitted = client.get("/api/answers", params={"status": ReviewStatus.SUBMITTED.value})
    assert submitted.status_code == 401


def test_passage_has_its_text_and_document_reference(client: TestClient) -> None:
    data = ask(client)
    reference = data["references"][0]
    passage_id = reference["passage_ids"][0]
    response = client.get(f"/api/passages/{passage_id}")
    assert response.status_code == 200
    passage = response.json()
    assert passage["passage_id"] == passage_id and passage["text"]
    document = passage["document"]
    assert document["document_id"] == reference["document_id"]
    assert document["type"] == reference["type"]
    assert document["title"] == reference["title"]
    assert document["year"] == reference["year"]


def test_search_returns_ranked_passages(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "sciatica surgery", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "sciatica surgery"
    assert [result["rank"] for result in body["results"]] == [1, 2, 3]
    assert all(result["text"] and result["title"] for result in body["results"])


def test_topics_are_the_bundled_cards(client: TestClient) -> None:
    topics = client.get("/api/topics").json()["topics"]
    assert len(topics) == 25
    by_id = {topic["card_id"]: topic for topic in topics}
    assert "degenerative-disc-disease" in by_id
    assert by_id["degenerative-disc-disease"]["aliases"]
    assert [t["title"].lower() for t in topics] == sorted(t["title"].lower() for t in topics)


def test_health_reports_the_knowledge_base(client: TestClient, bundled: Service) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "ok"
    assert health["settings_fingerprint"] == bundled.settings.fingerprint()
    assert health["knowledge_base"]["current_documents"] == bundled.kb_stats().current_documents
    assert health["knowledge_base"]["kb_version"] == bundled.store.kb_version()


def test_openapi_has_stable_operation_ids_and_problem_responses(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    operations = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == {
        ("/api/answers", "post"): "ask",
        ("/api/answers", "get"): "list_answers",
        ("/api/answers/{answer_id}", "get"): "get_answer",
        ("/api/passages/{passage_id}", "get"): "get_passage",
        ("/api/search", "get"): "search",
        ("/api/topics", "get"): "list_topics",
        ("/api/health", "get"): "health",
        ("/api/review/queue", "get"): "review_queue",
        ("/api/answers/{answer_id}/events", "get"): "list_answer_events",
    }
    not_found = schema["paths"]["/api/answers/{answer_id}"]["get"]["responses"]["404"]
    assert "application/problem+json" in not_found["content"]
    assert client.get("/docs").status_code == 200
