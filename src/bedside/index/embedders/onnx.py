"""`OnnxEmbedder`: all-MiniLM-L6-v2 run by ONNX Runtime, int8-quantised, about 2x PyTorch on CPU.

The ONNX file is built once from the packaged weights (`export_onnx`: a PyTorch export, then
dynamic int8 quantisation) and cached in the directory given to the embedder; after that, only
onnxruntime and tokenizers are needed. Vectors agree with `minilm-torch` to a cosine of ~0.99.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from bedside.index.base import Vector
from bedside.index.embedders.base import EMBED_EXTRA_HINT
from bedside.index.embedders.sentence_transformers import (
    MAX_SEQ_LENGTH,
    MINILM_DIMENSIONS,
    force_offline,
    packaged_model_dir,
)

if TYPE_CHECKING:
    from bedside.config import Settings

# Bump when the export recipe changes, so a stale cached file is not reused.
EXPORT_RECIPE = 1
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_model_path(target_dir: Path, *, quantize: bool = True) -> Path:
    """Where `export_onnx` puts (and `OnnxEmbedder` looks for) the model file."""
    variant = "int8" if quantize else "fp32"
    return target_dir / f"all-MiniLM-L6-v2.{variant}.r{EXPORT_RECIPE}.onnx"


def export_onnx(target_dir: Path, *, quantize: bool = True) -> Path:
    """Export the packaged MiniLM to ONNX in `target_dir` (int8 unless told not to); its path.

    Needs torch, transformers and onnx (the `embed` extra). The file appears atomically, so an
    interrupted export leaves nothing that `OnnxEmbedder` would mistake for a model.
    """
    model_dir = packaged_model_dir()
    force_offline()
    try:
        import onnx  # noqa: F401  (both the exporter and the quantiser need it)
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ImportError(f"exporting to ONNX needs {exc.name}; {EMBED_EXTRA_HINT}") from exc
    target_dir.mkdir(parents=True, exist_ok=True)
    final = onnx_model_path(target_dir, quantize=quantize)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".export-") as scratch:
        built = Path(scratch) / "model.fp32.onnx"
        _export_fp32(model_dir, built)
        if quantize:
            quantized = Path(scratch) / "model.int8.onnx"
            # Per-channel weight scales: with the per-tensor default the int8 vectors keep only
            # a cosine of ~0.94 to the float ones; per-channel keeps ~0.99. reduce_range (7-bit
            # weights) avoids u8 x s8 overflow on CPUs without VNNI, at no measured cost.
            quantize_dynamic(
                built,
                quantized,
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=True,
            )
            built = quantized
        os.replace(built, final)
    return final


def _export_fp32(model_dir: Path, target: Path) -> None:
    """Trace the BERT encoder (token embeddings out) with dynamic batch and sequence axes."""
    try:
        import torch
        from transformers import BertModel
    except ImportError as exc:
        raise ImportError(f"exporting to ONNX needs {exc.name}; {EMBED_EXTRA_HINT}") from exc

    class TokenEmbeddings(torch.nn.Module):  # type: ignore[misc]  # torch is untyped to mypy
        """BERT with positional inputs and one output: what the ONNX graph should be."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            output = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return output.last_hidden_state

    # Eager attention traces to plain ops that ONNX Runtime runs well; the pooler (unused:
    # mean pooling happens outside the graph) is dropped from the graph as dead code.
    bert = BertModel.from_pretrained(
        str(model_dir), local_files_only=True, attn_implementation="eager"
    )
    model = TokenEmbeddings(bert).eval()
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings(), torch.no_grad():
        # The legacy exporter's deprecation and tracer notices are expected and harmless here.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (example, example, torch.zeros_like(example)),
            str(target),
            dynamo=False,  # the dynamo exporter needs onnxscript; the TorchScript one does not
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in (*_INPUTS, "last_hidden_state")},
            opset_version=17,
            do_constant_folding=True,
        )


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions), int8, through ONNX Runtime on CPU."""

    name: ClassVar[str] = "minilm-onnx"
    version: ClassVar[str] = f"1-int8-r{EXPORT_RECIPE}"
    is_offline: ClassVar[bool] = True
    dimensions: ClassVar[int] = MINILM_DIMENSIONS

    def __init__(self, model_dir: Path, *, max_batch: int = 32) -> None:
        self.model_dir = Path(model_dir)
        self.max_batch = max_batch
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: frozenset[str] = frozenset()
        self._pad_id = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> OnnxEmbedder:
        return cls(
            settings.home / "models" / "minilm-onnx-int8", max_batch=settings.index.embed_batch
        )

    def open(self) -> None:
        """Load the cached ONNX model, exporting it first if it is not there yet."""
        path = onnx_model_path(self.model_dir)
        if not path.is_file():
            _export_with_progress(self.model_dir)
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ImportError(
                f"the {self.name} embedder cannot import {exc.name}; {EMBED_EXTRA_HINT}"
            ) from exc
        tokenizer = Tokenizer.from_file(str(packaged_model_dir() / "tokenizer.json"))
        # The packaged tokenizer pads every text to 128; we pad per batch instead (see _run).
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = frozenset(node.name for node in self._session.get_inputs())
        self._pad_id = tokenizer.token_to_id("[PAD]") or 0
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> Vector:
        """Mean-pooled, L2-normalised token embeddings, one row per text."""
        if self._session is None:
            raise RuntimeError(f"{self.name} embedder used before open()")
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return vectors
        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        # Batches of similar lengths waste little work on padding (~1.6x on real windows).
        order = np.argsort([len(ids) for ids in token_ids], kind="stable")
        for start in range(0, len(order), self.max_batch):
            rows = order[start : start + self.max_batch]
            vectors[rows] = self._run([token_ids[row] for row in rows])
        return vectors

    def _run(self, batch: list[list[int]]) -> Vector:
        """One model call over a batch of token id lists, padded to the longest."""
        width = max(len(ids) for ids in batch)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        attention_mask = np.zeros_like(input_ids)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        feeds = {
            "input_ids": input_ids,
            "attention_mask": attention_mask,
            "token_type_ids": np.zeros_like(input_ids),
        }
        feeds = {name: value for name, value in feeds.items() if name in self._input_names}
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        return _mean_pool(hidden, attention_mask)


def _mean_pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Vector:
    """Average the token vectors of real (unmasked) tokens, then scale each row to unit length."""
    weights = mask[:, :, np.newaxis].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    unit: Vector = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def _export_with_progress(model_dir: Path) -> None:
    """Build the cached ONNX model, telling the user on stderr (it takes a few seconds)."""
    print(f"bedside: exporting all-MiniLM-L6-v2 to ONNX (int8) in {model_dir} ...", file=sys.stderr)
    started = time.perf_counter()
    export_onnx(model_dir)
    elapsed = time.perf_counter() - started
    print(f"bedside: ONNX export done in {elapsed:.1f} s (cached for next time)", file=sys.stderr)
