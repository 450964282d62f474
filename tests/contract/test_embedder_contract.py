"""The `Embedder` contract, run against every embedder; the MiniLM ones run for real, no mocks.

`minilm-onnx` (the default) needs only the default install and always runs. `minilm-torch` and
re-exporting to ONNX need the opt-in `torch` extra: without it their tests skip, and
`minilm-onnx` is held to stored `minilm-torch` vectors instead (data/minilm_torch_reference.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import numpy as np
import pytest

from bedside.config import Settings
from bedside.errors import ConfigError
from bedside.index.embedders import onnx as onnx_module
from bedside.index.embedders.base import Embedder
from bedside.index.embedders.hashing import HashingEmbedder
from bedside.index.embedders.onnx import (
    MODEL_SHA256,
    OnnxEmbedder,
    check_sha256,
    packaged_model_path,
)
from bedside.index.embedders.sentence_transformers import SentenceTransformersEmbedder

REFERENCE = Path(__file__).parent / "data" / "minilm_torch_reference.json"

EMBEDDER_FIXTURES = {
    "hashing": "hashing_embedder",
    "minilm-torch": "torch_embedder",
    "minilm-onnx": "onnx_embedder",
}
MINILM = ("minilm-torch", "minilm-onnx")

# Lengths from one word to past the 256-token limit, so batches need padding and truncation.
TEXTS = [
    "Aspirin.",
    "Metformin is first-line drug therapy for type 2 diabetes in adults.",
    "heart attack treatment",
    "Statins lower LDL cholesterol and the risk of cardiovascular events in people at high risk "
    "of heart disease, including those with diabetes or chronic kidney disease.",
    "knee osteoarthritis exercise",
    "Walking " * 300,
    "",
    "!!! ???",
]


@pytest.fixture(scope="session")
def hashing_embedder() -> HashingEmbedder:
    embedder = HashingEmbedder()
    embedder.open()
    return embedder


def needs_torch() -> None:
    """Skip unless the opt-in `torch` extra is installed."""
    pytest.importorskip("torch", reason="the `torch` extra is not installed")
    pytest.importorskip("sentence_transformers", reason="the `torch` extra is not installed")


@pytest.fixture(scope="session")
def torch_embedder() -> SentenceTransformersEmbedder:
    needs_torch()
    # A small max_batch makes the short texts here span several model calls.
    embedder = SentenceTransformersEmbedder(max_batch=4)
    embedder.open()
    return embedder


@pytest.fixture(scope="session")
def onnx_embedder() -> OnnxEmbedder:
    embedder = OnnxEmbedder(max_batch=4)
    embedder.open()
    return embedder


@pytest.fixture(params=sorted(EMBEDDER_FIXTURES))
def any_embedder(request: pytest.FixtureRequest) -> Embedder:
    embedder: Embedder = request.getfixturevalue(EMBEDDER_FIXTURES[request.param])
    return embedder


@pytest.fixture(params=MINILM)
def minilm_embedder(request: pytest.FixtureRequest) -> Embedder:
    embedder: Embedder = request.getfixturevalue(EMBEDDER_FIXTURES[request.param])
    return embedder


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_declared_facts(any_embedder: Embedder) -> None:
    assert any_embedder.name in EMBEDDER_FIXTURES
    assert any_embedder.version
    assert any_embedder.is_offline is True
    assert any_embedder.dimensions > 0
    assert any_embedder.max_batch >= 1


def test_vectors_are_float32_rows_of_the_declared_width(any_embedder: Embedder) -> None:
    vectors = any_embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), any_embedder.dimensions)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()


def test_every_row_has_unit_length(any_embedder: Embedder) -> None:
    norms = np.linalg.norm(any_embedder.embed(TEXTS), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_same_texts_give_the_same_vectors(any_embedder: Embedder) -> None:
    first = any_embedder.embed(TEXTS)
    second = any_embedder.embed(list(TEXTS))
    assert np.array_equal(first, second)


def test_no_texts_give_an_empty_matrix(any_embedder: Embedder) -> None:
    vectors = any_embedder.embed([])
    assert vectors.shape == (0, any_embedder.dimensions)
    assert vectors.dtype == np.float32


def test_row_i_belongs_to_text_i(any_embedder: Embedder) -> None:
    texts = TEXTS[:6]  # distinct, non-empty texts of very different lengths
    forward = any_embedder.embed(texts)
    backward = any_embedder.embed(texts[::-1])
    np.testing.assert_allclose(forward, backward[::-1], atol=1e-5)
    alone = np.vstack([any_embedder.embed([text]) for text in texts])
    assert list(np.argmax(alone @ forward.T, axis=1)) == list(range(len(texts)))


def test_texts_sharing_words_are_closer_than_unrelated_ones(any_embedder: Embedder) -> None:
    query, related, unrelated = any_embedder.embed(
        [
            "treatment of heart attack in adults",
            "heart attack treatment with aspirin",
            "knee osteoarthritis exercise programme",
        ]
    )
    assert cosine(query, related) > cosine(query, unrelated) + 0.2


def test_paraphrases_are_closer_than_unrelated_texts(minilm_embedder: Embedder) -> None:
    # No word in common: only a semantic model sees these as related (hashing cannot).
    query, paraphrase, unrelated = minilm_embedder.embed(
        ["heart attack treatment", "myocardial infarction therapy", "knee osteoarthritis exercise"]
    )
    assert cosine(query, paraphrase) > cosine(query, unrelated) + 0.3


# Real sentences: int8 drifts more on degenerate text ("Walking " * 300).
AGREEMENT_TEXTS = [
    *TEXTS[:5],
    "Does vitamin D supplementation prevent fractures in older women?",
    "Antibiotics are not recommended for most cases of acute bronchitis.",
    "myocardial infarction therapy",
    "Children with fever should be assessed for signs of serious bacterial infection.",
    "Inhaled corticosteroids reduce exacerbations in moderate to severe asthma.",
]


def test_onnx_int8_agrees_with_torch(
    onnx_embedder: OnnxEmbedder, torch_embedder: SentenceTransformersEmbedder
) -> None:
    texts = AGREEMENT_TEXTS
    agreement = (onnx_embedder.embed(texts) * torch_embedder.embed(texts)).sum(axis=1)
    assert agreement.min() > 0.995, dict(zip(texts, agreement.round(4).tolist(), strict=True))


def test_onnx_int8_agrees_with_stored_torch_vectors(onnx_embedder: OnnxEmbedder) -> None:
    # Runs without torch: the same check as above, against vectors minilm-torch once gave.
    reference = json.loads(REFERENCE.read_text())
    expected = np.array(reference["vectors"], dtype=np.float32)
    agreement = (onnx_embedder.embed(reference["texts"]) * expected).sum(axis=1)
    assert agreement.min() > 0.995, dict(
        zip(reference["texts"], agreement.round(4).tolist(), strict=True)
    )


def test_stored_torch_vectors_are_what_torch_gives(
    torch_embedder: SentenceTransformersEmbedder,
) -> None:
    reference = json.loads(REFERENCE.read_text())
    vectors = torch_embedder.embed(reference["texts"])
    np.testing.assert_allclose(vectors, np.array(reference["vectors"]), atol=1e-4)


def test_onnx_checks_the_model_file_it_was_pinned_to() -> None:
    model = packaged_model_path()
    check_sha256(model, MODEL_SHA256)  # the installed file is the pinned one
    assert model.stat().st_size > 20_000_000


def test_onnx_refuses_a_model_file_with_another_sha256(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    impostor = tmp_path / "model.onnx"
    impostor.write_bytes(b"not the pinned model")
    monkeypatch.setattr(onnx_module, "packaged_model_path", lambda: impostor)
    with pytest.raises(ConfigError, match="sha256"):
        OnnxEmbedder().open()


def test_onnx_runs_a_model_exported_by_the_old_recipe(
    tmp_path: Path, onnx_embedder: OnnxEmbedder
) -> None:
    # Re-exporting (for a fine-tuned MiniLM) needs the torch extra; its vectors stay close.
    needs_torch()
    from bedside.index.embedders.onnx_export import export_onnx, onnx_model_path

    model = export_onnx(tmp_path)
    assert model == onnx_model_path(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [model.name]  # no scratch left
    exported = OnnxEmbedder(model_path=model, max_batch=4)
    exported.open()
    texts = AGREEMENT_TEXTS
    agreement = (exported.embed(texts) * onnx_embedder.embed(texts)).sum(axis=1)
    assert agreement.min() > 0.98


def test_hashing_vectors_are_the_same_in_another_process(hashing_embedder: HashingEmbedder) -> None:
    script = (
        "import json, sys; from bedside.index.embedders.hashing import HashingEmbedder; "
        "print(json.dumps(HashingEmbedder().embed(sys.argv[1:]).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a different str hash() than this process
    result = subprocess.run(
        [sys.executable, "-c", script, *TEXTS[:4]], env=env, capture_output=True, check=True
    )
    other = np.array(json.loads(result.stdout), dtype=np.float32)
    assert np.array_equal(other, hashing_embedder.embed(TEXTS[:4]))


def test_hashing_counts_word_pairs() -> None:
    embedder = HashingEmbedder()
    same_words, reordered = embedder.embed(["heart attack risk", "risk attack heart"])
    assert cosine(same_words, reordered) < 0.99  # same words, different bigrams


def test_every_embedder_is_registered() -> None:
    registered = {entry.name: entry.load() for entry in entry_points(group="bedside.embedders")}
    assert registered == {
        "hashing": HashingEmbedder,
        "minilm-torch": SentenceTransformersEmbedder,
        "minilm-onnx": OnnxEmbedder,
    }
    assert all(name == embedder.name for name, embedder in registered.items())


def test_from_settings_is_cheap_and_uses_the_settings(settings: Settings) -> None:
    for embedder_class in (HashingEmbedder, SentenceTransformersEmbedder, OnnxEmbedder):
        embedder = embedder_class.from_settings(settings)
        assert embedder.max_batch == settings.index.embed_batch
    onnx = OnnxEmbedder.from_settings(settings)
    assert onnx.model_path is None  # the packaged model, checked and loaded only by open()
    assert not (settings.home / "models").exists()  # nothing is exported or cached any more
