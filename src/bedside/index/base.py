"""Contracts for making passages searchable: `KeywordIndex` and `VectorIndex`.

An index holds `IndexEntry`s — a passage's searchable text plus the few document facts filters
need — and answers queries with `Hit`s. Indexes are derived data: they can always be rebuilt from
the store, so they live in their own files beside the knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Self

import numpy as np
import numpy.typing as npt

from bedside.domain import Hit

if TYPE_CHECKING:
    from bedside.config import Settings

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One searchable unit: a passage (or a window of one) with its document's filter facts."""

    unit_id: str  # the passage id, or "<passage_id>#<n>" for a window of it
    passage_id: str
    document_id: str
    source_id: str
    title: str
    text: str
    kind: str
    year: int | None
    source: str | None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrict a search to some document kinds, a year range, or some sources."""

    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sources: tuple[str, ...] = ()  # issuing body or journal, matched case-insensitively

    @property
    def is_empty(self) -> bool:
        return not (self.kinds or self.sources) and self.year_from is None and self.year_to is None

    def accepts(self, *, kind: str, year: int | None, source: str | None) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        if self.year_to is not None and (year is None or year > self.year_to):
            return False
        if self.sources:
            wanted = {s.lower() for s in self.sources}
            return source is not None and source.lower() in wanted
        return True


class KeywordIndex(Protocol):
    """A lexical (BM25-style) index over passages.

    Contract:
    - `add` is idempotent per `unit_id` (re-adding replaces); `remove` ignores unknown ids.
    - `search` returns at most `k` hits, best first, with `retriever` set to the index's name,
      `score` higher-is-better and `rank` starting at 1; a query with no searchable words returns
      no hits rather than raising. Filters are applied before `k` is counted.
    - `unit_ids()` lists what is indexed, so a caller can add only what is missing (resumable).
    - No network access.
    """

    name: str
    version: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened index for the knowledge base that settings select (every backend is
        built this one way, a plugin's too)."""
        ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def add(self, entries: Iterable[IndexEntry]) -> int: ...

    def remove(self, unit_ids: Iterable[str]) -> int: ...

    def unit_ids(self) -> set[str]: ...

    def document_frequency(self, word: str) -> int:
        """How many units contain `word` (after this index's own tokenising and stemming)."""
        ...

    def search(self, query: str, *, k: int, filters: SearchFilters | None = None) -> list[Hit]: ...


class VectorIndex(Protocol):
    """Nearest-neighbour search over unit vectors (cosine similarity = dot product).

    Contract: as `KeywordIndex`, but `add` takes the vectors (float32, L2-normalised rows, one per
    entry) and `search` takes a query vector. Scores are cosine similarities.
    """

    name: str
    version: str

    @classmethod
    def from_settings(cls, settings: Settings, *, vector_set: str, dimensions: int) -> Self:
        """An unopened index of `vector_set` (one embedder version and window size) for the
        knowledge base that settings select, for vectors of `dimensions`."""
        ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def add(self, entries: Sequence[IndexEntry], vectors: Vector) -> int: ...

    def remove(self, unit_ids: Iterable[str]) -> int: ...

    def unit_ids(self) -> set[str]: ...

    def search(
        self, vector: Vector, *, k: int, filters: SearchFilters | None = None
    ) -> list[Hit]: ...
