"""`HashingEmbedder`: words and word pairs hashed into signed buckets; no weights, no extras.

Lexical, not semantic: texts are close when they share words, so "heart attack" and "myocardial
infarction" are unrelated to it. It is a real backend (fast, deterministic, dependency-free) for
tests, and wherever no model should be loaded at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from hashlib import blake2b
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from bedside.index.base import Vector

if TYPE_CHECKING:
    from bedside.config import Settings

_WORD = re.compile(r"\w+")
# A text without words still needs a unit vector; all such texts share this one feature.
_NO_WORDS = "\x00no-words"


class HashingEmbedder:
    """Signed feature hashing of lowercase words and word bigrams, L2-normalised."""

    name: ClassVar[str] = "hashing"
    version: ClassVar[str] = "1"
    is_offline: ClassVar[bool] = True

    def __init__(self, dimensions: int = 256, *, max_batch: int = 1024) -> None:
        if dimensions < 2:
            raise ValueError("dimensions must be at least 2")
        self.dimensions = dimensions
        self.max_batch = max_batch

    @classmethod
    def from_settings(cls, settings: Settings) -> HashingEmbedder:
        return cls(max_batch=settings.index.embed_batch)

    def open(self) -> None:
        """Nothing to load."""

    def embed(self, texts: Sequence[str]) -> Vector:
        """One unit row per text; see the module docstring."""
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in features(text):
                bucket, sign = _bucket(feature, self.dimensions)
                matrix[row, bucket] += sign
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        # Opposite signs can cancel to an all-zero row; fall back to the no-words vector.
        bucket, sign = _bucket(_NO_WORDS, self.dimensions)
        for empty in np.flatnonzero(norms[:, 0] == 0):
            matrix[empty, bucket] = sign
            norms[empty, 0] = 1.0
        unit: Vector = matrix / norms
        return unit


def features(text: str) -> list[str]:
    """The lowercase words of `text` and each adjacent pair of them."""
    words = _WORD.findall(text.lower())
    if not words:
        return [_NO_WORDS]
    return words + [f"{first} {second}" for first, second in pairwise(words)]


@lru_cache(maxsize=1 << 16)
def _bucket(feature: str, dimensions: int) -> tuple[int, float]:
    # blake2b, not hash(): Python salts str hashes per process, and vectors must be stable.
    digest = int.from_bytes(blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return digest % dimensions, 1.0 if digest >> 63 else -1.0
