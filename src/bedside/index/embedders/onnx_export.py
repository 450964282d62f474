"""Exporting a MiniLM model directory to ONNX ourselves (the `torch` extra).

The default `minilm-onnx` embedder runs a prebuilt file and never calls this. It is kept for
models that have no prebuilt export (a fine-tuned MiniLM: `benchmarks/adapt_embedder.py`) and
for comparing against the recipe Bedside used before (`benchmarks/model_source.py`): a PyTorch
export of the token embeddings, then dynamic int8 quantisation.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from bedside.index.embedders.base import TORCH_EXTRA_HINT
from bedside.index.embedders.sentence_transformers import force_offline, packaged_model_dir

# Bump when the export recipe changes, so a stale cached file is not reused.
EXPORT_RECIPE = 1
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_model_path(target_dir: Path, *, quantize: bool = True) -> Path:
    """Where `export_onnx` puts the model file."""
    variant = "int8" if quantize else "fp32"
    return target_dir / f"all-MiniLM-L6-v2.{variant}.r{EXPORT_RECIPE}.onnx"


def export_onnx(target_dir: Path, *, model_dir: Path | None = None, quantize: bool = True) -> Path:
    """Export a MiniLM directory (default: the packaged one) to ONNX in `target_dir`; its path.

    Needs torch, transformers and onnx (the `torch` extra). The file appears atomically, so an
    interrupted export leaves nothing that could be mistaken for a model.
    """
    source = model_dir if model_dir is not None else packaged_model_dir()
    force_offline()
    try:
        import onnx  # noqa: F401  (both the exporter and the quantiser need it)
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ImportError(f"exporting to ONNX needs {exc.name}; {TORCH_EXTRA_HINT}") from exc
    target_dir.mkdir(parents=True, exist_ok=True)
    final = onnx_model_path(target_dir, quantize=quantize)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".export-") as scratch:
        built = Path(scratch) / "model.fp32.onnx"
        _export_fp32(source, built)
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
        raise ImportError(f"exporting to ONNX needs {exc.name}; {TORCH_EXTRA_HINT}") from exc

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
            input_names=list(ONNX_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in (*ONNX_INPUTS, "last_hidden_state")},
            opset_version=17,
            do_constant_folding=True,
        )
