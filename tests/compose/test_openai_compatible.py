"""The `openai-compatible` generator against a real HTTP server on 127.0.0.1 playing the model:
a good reply is served (every sentence verified), a wrong sentence is dropped with its reason,
and an unreachable, slow, failing or garbled model gives the extractive article, saying why."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from bedside.compose.openai_compatible import OpenAICompatibleGenerator, ServerOptions
from bedside.compose.prompting import prompt_digest
from bedside.config import Settings, load_settings
from bedside.domain import Answer, Audience
from bedside.errors import ConfigError
from bedside.service import Service
from bedside.service.asking import answer_fingerprint
from bedside.testing.model_server import FakeModelServer, ModelReply

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

QUESTION = "What is the first-line treatment for chronic low back pain?"


def statements_of(request: Mapping[str, Any]) -> list[dict[str, str]]:
    """The numbered statements the generator sent, from the user message."""
    statements: list[dict[str, str]] = json.loads(request["messages"][1]["content"])["statements"]
    return statements


def article(request: Mapping[str, Any], reword: Callable[[str], str]) -> str:
    """A reply that rewords every statement it was sent, one bullet each, citing it."""
    bullets = [
        {"text": reword(item["text"]), "statement_ids": [item["id"]]}
        for item in statements_of(request)
    ]
    reply = {
        "title": "Chronic low back pain",
        "bottom_line": bullets[:1],
        "sections": [{"heading": "What helps", "bullets": bullets[1:]}],
    }
    return json.dumps(reply)


def in_short(text: str) -> str:
    """A faithful rewording that is no longer word for word: checked as a paraphrase."""
    first = text[:1].lower() if text[1:2].islower() else text[:1]
    return f"In short, {first}{text[1:]}"


def with_number_changed(text: str) -> str:
    return re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7), text, count=1)


@pytest.fixture
def ask_with_model(bundled: Service) -> Iterator[Callable[..., Answer]]:
    servers: list[FakeModelServer] = []

    def ask(
        reply: Callable[[Mapping[str, Any]], ModelReply],
        *,
        audience: Audience = Audience.CLINICIAN,
        **options: Any,
    ) -> Answer:
        server = FakeModelServer(reply).__enter__()
        servers.append(server)
        settings = {"timeout_ms": 5_000, "deadline_ms": 10_000, "backoff_ms": 0, **options}
        bundled.generator = OpenAICompatibleGenerator(
            ServerOptions(server.url, model="fake-model", **settings)
        )
        return bundled.ask(QUESTION, audience=audience, fresh=True)

    yield ask
    for server in servers:
        server.__exit__(None, None, None)


def all_texts(answer: Answer) -> list[str]:
    return [s.text for s in answer.bottom_line] + [
        s.text for section in answer.sections for s in section.statements
    ]


def test_serves_the_model_article_when_its_sentences_are_verified(
    ask_with_model: Callable[..., Answer],
) -> None:
    answer = ask_with_model(lambda request: ModelReply.message(article(request, in_short)))
    assert answer.kind == "answer"
    assert answer.provenance["generator"] == "openai-compatible/1"
    assert "fallback" not in answer.provenance
    kept = all_texts(answer)
    assert len(kept) >= 3
    assert all(text.startswith("In short, ") for text in kept)
    # Every kept sentence cites the passages of the statements it rewords, all retrieved.
    checks = {check.name: check.passed for check in answer.checks}
    assert checks["cites_retrieved_passage"] and checks["cites_knowledge_base"]
    assert all(s.passage_ids for s in answer.bottom_line)


def test_drops_a_model_sentence_with_a_wrong_number_and_records_why(
    ask_with_model: Callable[..., Answer],
) -> None:
    def reply(request: Mapping[str, Any]) -> ModelReply:
        content = json.loads(article(request, in_short))
        statements = statements_of(request)
        numbered = next(i for i, s in enumerate(statements) if re.search(r"\b\d+\b", s["text"]))
        bullets = [*content["bottom_line"], *content["sections"][0]["bullets"]]
        bullets[numbered]["text"] = with_number_changed(bullets[numbered]["text"])
        return ModelReply.message(json.dumps(content))

    answer = ask_with_model(reply)
    assert answer.provenance["generator"] == "openai-compatible/1"
    wrong = [d for d in answer.dropped if "numbers_in_citation" in d.failed_checks]
    assert len(wrong) == 1
    assert wrong[0].reason.startswith("number: ")  # the value, and what the passages say
    assert wrong[0].statement.text not in all_texts(answer)


def test_serves_the_extractive_article_when_the_reply_is_not_json(
    ask_with_model: Callable[..., Answer],
) -> None:
    answer = ask_with_model(lambda request: ModelReply.message('{"title": "Chronic low back'))
    assert answer.kind == "answer"
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "model_bad_output"
    assert answer.provenance["fallback"]["generator"] == "openai-compatible/1"
    assert "not JSON" in answer.provenance["fallback"]["detail"]


def test_serves_the_extractive_article_when_the_reply_misses_the_schema(
    ask_with_model: Callable[..., Answer],
) -> None:
    answer = ask_with_model(lambda request: ModelReply.message('{"title": "x", "sections": []}'))
    assert answer.provenance["fallback"]["reason"] == "model_bad_output"
    assert "bottom_line" in answer.provenance["fallback"]["detail"]


def test_serves_the_extractive_article_when_the_model_is_too_slow(
    ask_with_model: Callable[..., Answer],
) -> None:
    def slow(request: Mapping[str, Any]) -> ModelReply:
        return ModelReply.message(article(request, in_short), delay_s=3.0)

    answer = ask_with_model(slow, timeout_ms=300, deadline_ms=900, retries=1)
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "model_timeout"
    assert answer.provenance["elapsed_ms"] < 3_000


def test_serves_the_extractive_article_when_the_model_cannot_be_reached(
    bundled: Service,
) -> None:
    with socket.socket() as probe:  # a port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bundled.generator = OpenAICompatibleGenerator(
        ServerOptions(f"http://127.0.0.1:{port}/v1", model="fake-model", retries=1, backoff_ms=0)
    )
    answer = bundled.ask(QUESTION, fresh=True)
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "model_unreachable"


def test_serves_the_extractive_article_when_too_few_model_sentences_survive(
    ask_with_model: Callable[..., Answer],
) -> None:
    invented = "In short, acupuncture cures chronic low back pain within 3 days."
    answer = ask_with_model(
        lambda request: ModelReply.message(article(request, lambda _: invented))
    )
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "too_few_verified_sentences"
    attempt = answer.provenance["model_draft"]
    assert attempt["statements_kept"] == 0
    assert all(d["reason"] and d["failed_checks"] for d in attempt["dropped"])
    assert invented not in all_texts(answer)


def test_retries_a_busy_server_with_backoff(bundled: Service) -> None:
    replies = iter([ModelReply(503), ModelReply(503)])
    waits: list[float] = []

    def reply(request: Mapping[str, Any]) -> ModelReply:
        return next(replies, None) or ModelReply.message(article(request, in_short))

    with FakeModelServer(reply) as server:
        options = ServerOptions(server.url, model="fake-model", retries=2, backoff_ms=200)
        bundled.generator = OpenAICompatibleGenerator(options, sleep=waits.append)
        answer = bundled.ask(QUESTION, fresh=True)
        assert len(server.requests) == 3
    assert answer.provenance["generator"] == "openai-compatible/1"
    assert waits == [0.2, 0.4]


def test_does_not_follow_a_redirect(ask_with_model: Callable[..., Answer]) -> None:
    answer = ask_with_model(
        lambda request: ModelReply(302, headers={"Location": "https://api.example.com/v1"})
    )
    assert answer.provenance["fallback"]["reason"] == "model_error"
    assert "302" in answer.provenance["fallback"]["detail"]


def test_sends_the_ranked_statements_and_asks_for_the_schema(bundled: Service) -> None:
    with FakeModelServer(lambda r: ModelReply.message(article(r, in_short))) as server:
        bundled.generator = OpenAICompatibleGenerator(ServerOptions(server.url, model="m1"))
        bundled.ask(QUESTION, audience=Audience.PATIENT, fresh=True)
        (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert "Authorization" not in request.headers
    body = request.body
    assert body["model"] == "m1"
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert set(schema["required"]) == {"title", "bottom_line", "sections"}
    assert "reading grade of 8 or below" in " ".join(body["messages"][0]["content"].split())
    sent = statements_of(body)
    assert [s["id"] for s in sent] == [f"S{n}" for n in range(1, len(sent) + 1)]
    assert json.loads(body["messages"][1]["content"])["question"] == QUESTION


def test_reads_the_api_key_from_the_named_variable(
    bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_MODEL_KEY", "s3cret")
    settings = model_settings(bundled_settings, api_key_env="LOCAL_MODEL_KEY")
    generator = OpenAICompatibleGenerator.from_settings(settings)
    assert generator.options.api_key == "s3cret"
    assert "s3cret" not in settings.model_dump_json()


def test_reads_the_api_key_from_a_file(bundled_settings: Settings, tmp_path: Path) -> None:
    key_file = tmp_path / "model.key"
    key_file.write_text("from-a-file\n")
    settings = model_settings(bundled_settings, api_key_file=str(key_file))
    assert OpenAICompatibleGenerator.from_settings(settings).options.api_key == "from-a-file"


def model_settings(base: Settings, **language_model: Any) -> Settings:
    values = {"base_url": "http://127.0.0.1:8080/v1", "model": "m1", **language_model}
    return load_settings(
        overrides={
            "home": base.home,
            "answer": {"generator": "openai-compatible"},
            "language_model": values,
        }
    )


def test_refuses_to_start_without_a_server_url(bundled_settings: Settings) -> None:
    settings = load_settings(
        overrides={"home": bundled_settings.home, "answer": {"generator": "openai-compatible"}}
    )
    with pytest.raises(ConfigError, match="base_url"):
        OpenAICompatibleGenerator.from_settings(settings)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:11434/v1", True),
        ("http://10.1.2.3:8000/v1", True),
        ("http://vllm:8000/v1", True),
        ("http://gpu1.internal/v1", True),
        ("https://api.openai.com/v1", False),
        ("http://8.8.8.8/v1", False),
    ],
)
def test_refuses_a_public_host_unless_allowed(url: str, allowed: bool) -> None:
    settings = {"language_model": {"base_url": url}}
    if allowed:
        load_settings(overrides=settings)
    else:
        with pytest.raises(ConfigError, match="allow_public_host"):
            load_settings(overrides=settings)
        load_settings(overrides={"language_model": {"base_url": url, "allow_public_host": True}})


def test_the_prompt_files_join_the_fingerprint_of_a_model_answer(
    bundled_settings: Settings,
) -> None:
    settings = model_settings(bundled_settings)
    generator = OpenAICompatibleGenerator.from_settings(settings)
    assert generator.prompt_digest == prompt_digest()
    assert answer_fingerprint(settings, generator) != settings.fingerprint()


def test_model_settings_leave_the_extractive_fingerprint_alone() -> None:
    plain = load_settings()
    with_model = load_settings(
        overrides={"language_model": {"base_url": "http://127.0.0.1:1/v1", "model": "x"}}
    )
    assert plain.fingerprint() == with_model.fingerprint()
