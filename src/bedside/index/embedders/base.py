"""The `Embedder` contract: one backend per way of turning text into unit vectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, Self

from bedside.index.base import Vector

if TYPE_CHECKING:
    from bedside.config import Settings

# PyTorch is opt-in: only `minilm-torch` and re-exporting a model to ONNX need it.
TORCH_EXTRA_HINT = "install the `torch` extra: pip install 'bedside[torch]'"


class Embedder(Protocol):
    """Embeds texts as L2-normalised float32 vectors, for cosine (dot-product) search.

    Contract:
    - `name` is the registered name (entry point group `bedside.embedders`); `version` changes
      whenever the same text would embed differently, so vectors stored under another version
      must be rebuilt. `dimensions` is the length of every vector; `is_offline` is True when the
      backend never needs the network (every built-in one); `max_batch` is the most texts run
      through the model at once (`embed` takes any number and batches internally).
    - `__init__` and `from_settings` are cheap: no weights are loaded until `open()`. `open()`
      loads them (building cached artefacts on first use if needed) and raises `ImportError`
      naming the extra to install when an optional library is missing.
    - `embed(texts)` returns a float32 array of shape `(len(texts), dimensions)`, row `i` for
      `texts[i]`, each row of unit length. The same texts give the same array, call after call
      and process after process. No texts give shape `(0, dimensions)`.
    - No network access, ever: weights come from installed packages or local files.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    is_offline: ClassVar[bool]

    @property
    def dimensions(self) -> int: ...

    @property
    def max_batch(self) -> int: ...

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened embedder configured from settings."""
        ...

    def open(self) -> None: ...

    def embed(self, texts: Sequence[str]) -> Vector: ...
