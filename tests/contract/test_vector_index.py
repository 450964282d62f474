"""The `VectorIndex` contract, run against every vector index implementation."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from bedside.index.base import IndexEntry, SearchFilters, VectorIndex
from bedside.index.hnsw_vectors import HnswVectorIndex
from bedside.index.numpy_vectors import NumpyVectorIndex

DIMENSIONS = 16
INDEXES: dict[str, Callable[[Path], VectorIndex]] = {
    "numpy": lambda tmp: NumpyVectorIndex(tmp / "vectors.sqlite", dimensions=DIMENSIONS),
    # Threshold 0: every search goes through the HNSW graph.
    "hnsw": lambda tmp: HnswVectorIndex(
        tmp / "vectors.sqlite", dimensions=DIMENSIONS, ann_threshold=0
    ),
    # The default threshold: a small index is searched exactly.
    "hnsw-below-threshold": lambda tmp: HnswVectorIndex(
        tmp / "vectors.sqlite", dimensions=DIMENSIONS
    ),
}


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def entry(unit_id: str, *, kind: str = "research", year: int = 2020) -> IndexEntry:
    passage_id = unit_id.split("#")[0]
    return IndexEntry(unit_id, passage_id, f"doc-{passage_id}", f"src-{passage_id}", "T", "text",
                      kind, year, "Journal")  # fmt: skip


ENTRIES = [entry("p1#0"), entry("p1#1"), entry("p2#0", kind="guideline"), entry("p3#0", year=2010)]
VECTORS = np.stack([unit(seed) for seed in range(len(ENTRIES))])


@pytest.fixture(
    params=[
        *sorted(INDEXES),
        *(pytest.param(f"pgvector-{storage}", marks=pytest.mark.postgresql)
          for storage in ("halfvec", "vector")),
    ]
)  # fmt: skip
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    built: VectorIndex
    if request.param.startswith("pgvector-"):
        from bedside.index.pgvector_vectors import PgvectorIndex

        store = request.getfixturevalue("make_postgresql_store")()
        store.open()  # the knowledge base's schema, which the index shares
        store.close()
        built = PgvectorIndex(
            store.url,
            schema=store.schema,
            vector_set="contract",
            dimensions=DIMENSIONS,
            storage=request.param.removeprefix("pgvector-"),
        )
    else:
        built = INDEXES[request.param](tmp_path)
    built.open()
    built.add(ENTRIES, VECTORS)
    yield built
    built.close()


def test_nearest_unit_is_itself_with_cosine_one(index: VectorIndex) -> None:
    for position, item in enumerate(ENTRIES):
        best = index.search(VECTORS[position], k=1)[0]
        assert best.unit_id == item.unit_id and best.passage_id == item.passage_id
        assert best.score == pytest.approx(1.0, abs=1e-5)


def test_results_are_ranked_and_limited(index: VectorIndex) -> None:
    hits = index.search(unit(99), k=3)
    assert len(hits) == 3 and [h.rank for h in hits] == [1, 2, 3]
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    assert len(index.search(unit(99), k=50)) == len(ENTRIES)


def test_filters(index: VectorIndex) -> None:
    guideline = index.search(VECTORS[0], k=5, filters=SearchFilters(kinds=("guideline",)))
    assert [h.unit_id for h in guideline] == ["p2#0"]
    recent = index.search(VECTORS[3], k=5, filters=SearchFilters(year_from=2015))
    assert "p3#0" not in {h.unit_id for h in recent}


def test_survives_reopen_and_supports_remove(index: VectorIndex, tmp_path: Path) -> None:
    index.remove(["p1#0", "nope"])
    assert index.unit_ids() == {"p1#1", "p2#0", "p3#0"}
    index.close()
    index.open()
    assert index.unit_ids() == {"p1#1", "p2#0", "p3#0"}
    assert index.search(VECTORS[0], k=5)[0].unit_id != "p1#0"


def test_rejects_mismatched_vectors(index: VectorIndex) -> None:
    with pytest.raises(ValueError, match="dimensions"):
        index.add([entry("p9#0")], np.ones((1, DIMENSIONS + 1), dtype=np.float32))
    with pytest.raises(ValueError, match="vectors"):
        index.add([entry("p9#0"), entry("p9#1")], VECTORS[:1])
