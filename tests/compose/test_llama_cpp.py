"""The `llama-cpp` generator (a GGUF model in this process) and the `openai-compatible` one
against a real llama.cpp server on 127.0.0.1. The tests marked `llm` run a real small model
(SmolLM2-135M, tests/compose/conftest.py) and check the plumbing, the schema-constrained
request, the fallbacks and what is recorded, not the prose: its replies are cut short."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bedside import registry
from bedside.compose.llama_cpp import LlamaCppGenerator, LlamaCppOptions
from bedside.compose.openai_compatible import OpenAICompatibleGenerator, ServerOptions
from bedside.config import Settings, load_settings
from bedside.errors import ConfigError
from bedside.service import Service
from bedside.testing.llama_server import LlamaServerProcess

QUESTION = "What is the first-line treatment for chronic low back pain?"
# A long enough wait for a prompt of ~700 tokens on two busy cores (seconds on idle ones).
SLOW_MS = 300_000


@pytest.fixture
def short_articles(bundled_settings: Settings) -> Iterator[Service]:
    """The bundled knowledge base, its articles cut to the bottom line and two bullets, so that
    the model's prompt is short."""
    settings = bundled_settings.model_copy(
        update={
            "answer": bundled_settings.answer.model_copy(
                update={"max_sections": 1, "max_bullets": 2}
            )
        }
    )
    with Service(settings) as service:
        yield service


def llama_settings(home: Path, **language_model: object) -> Settings:
    return load_settings(
        overrides={
            "home": home,
            "answer": {"generator": "llama-cpp"},
            "language_model": language_model,
        }
    )


def test_is_registered_and_built_from_settings(tmp_path: Path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    settings = llama_settings(tmp_path, model_path=str(model), threads=3, context_size=2048)
    generator = registry.load_backend("generator", "llama-cpp").from_settings(settings)
    assert isinstance(generator, LlamaCppGenerator)
    assert generator.options == LlamaCppOptions(model, threads=3, context_size=2048)
    assert generator.is_offline
    assert generator._server is None  # nothing is loaded until the first question


@pytest.mark.parametrize(
    ("model_path", "message"), [(None, "model_path"), ("missing.gguf", "no such file")]
)
def test_refuses_to_start_without_a_model_file(
    tmp_path: Path, model_path: str | None, message: str
) -> None:
    path = None if model_path is None else str(tmp_path / model_path)
    with pytest.raises(ConfigError, match=message):
        LlamaCppGenerator.from_settings(llama_settings(tmp_path, model_path=path))


def test_the_model_file_name_not_its_folder_joins_the_fingerprint(tmp_path: Path) -> None:
    def fingerprint(path: str, **more: object) -> str:
        return llama_settings(tmp_path, model_path=path, **more).fingerprint()

    here = fingerprint("/models/qwen-q4.gguf")
    assert fingerprint("/elsewhere/qwen-q4.gguf") == here
    assert fingerprint("/models/qwen-q8.gguf") != here
    assert fingerprint("/models/qwen-q4.gguf", base_url="http://127.0.0.1:1/v1") == here


def test_in_process_settings_leave_the_server_generators_fingerprint_alone() -> None:
    def fingerprint(**more: object) -> str:
        values = {"base_url": "http://127.0.0.1:8080/v1", "model": "m1", **more}
        overrides = {"answer": {"generator": "openai-compatible"}, "language_model": values}
        return load_settings(overrides=overrides).fingerprint()

    assert fingerprint(threads=8, model_path="/m.gguf", context_size=8192) == fingerprint()


def test_serves_the_extractive_article_when_the_model_file_cannot_be_loaded(
    bundled: Service, tmp_path: Path
) -> None:
    pytest.importorskip("xllamacpp")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model" * 100)
    bundled.generator = LlamaCppGenerator(LlamaCppOptions(broken))
    answer = bundled.ask(QUESTION, fresh=True)
    assert answer.kind == "answer"
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "model_error"
    assert "cannot load broken.gguf" in answer.provenance["fallback"]["detail"]


@pytest.mark.llm
def test_a_real_model_cut_short_gives_the_extractive_article_saying_why(
    short_articles: Service, small_model: LlamaCppGenerator
) -> None:
    short_articles.generator = small_model
    answer = short_articles.ask(QUESTION, fresh=True)
    assert answer.kind == "answer"
    assert answer.provenance["generator"] == "extractive/2"
    # The reply was decoded under the article's schema (a request llama.cpp could not use
    # would be `model_error`) and cut at max_tokens before the JSON closed.
    assert answer.provenance["fallback"] == {
        "generator": "llama-cpp/1",
        "reason": "model_bad_output",
        "detail": "the reply was cut off at language_model.max_tokens",
    }


@pytest.mark.llm
def test_a_real_model_past_its_deadline_gives_the_extractive_article(
    short_articles: Service, small_gguf: Path
) -> None:
    generator = LlamaCppGenerator(LlamaCppOptions(small_gguf, deadline_ms=1, max_tokens=8))
    short_articles.generator = generator
    answer = short_articles.ask(QUESTION, fresh=True)
    generator.close()  # waits for the call the deadline gave up on
    assert answer.provenance["generator"] == "extractive/2"
    assert answer.provenance["fallback"]["reason"] == "model_timeout"


# -- the openai-compatible generator against llama.cpp's own server, in a child process -------


@pytest.fixture(scope="module")
def llama_server(small_gguf: Path) -> Iterator[LlamaServerProcess]:
    with LlamaServerProcess(small_gguf, api_key="test-key-1234") as server:
        yield server


@pytest.mark.llm
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_talks_to_a_real_llama_cpp_server_with_the_schema_and_key(
    short_articles: Service, llama_server: LlamaServerProcess
) -> None:
    options = ServerOptions(
        llama_server.url,
        model="smollm2",
        api_key="test-key-1234",
        max_tokens=24,
        retries=0,
        timeout_ms=SLOW_MS,
        deadline_ms=SLOW_MS,
    )
    short_articles.generator = OpenAICompatibleGenerator(options)
    answer = short_articles.ask(QUESTION, fresh=True)
    # The server took the key and the json_schema response_format, and answered a chat
    # completion, cut at max_tokens: the extractive article, with that reason.
    assert answer.provenance["fallback"]["generator"] == "openai-compatible/1"
    assert answer.provenance["fallback"]["reason"] == "model_bad_output"
    assert "cut off" in answer.provenance["fallback"]["detail"]

    wrong_key = OpenAICompatibleGenerator(replace(options, api_key="wrong"))
    short_articles.generator = wrong_key
    refused = short_articles.ask(QUESTION, fresh=True)
    assert refused.provenance["fallback"]["reason"] == "model_error"
    assert "401" in refused.provenance["fallback"]["detail"]
