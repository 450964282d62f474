"""The HNSW vector index: persistence, incremental updates, the size threshold, rebuilds, filters.

Tiny random vectors with fixed seeds; the graph is forced on with `ann_threshold=0` unless the
threshold itself is under test.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import numpy as np
import pytest

from bedside.config import IndexSettings, Settings
from bedside.index import hnsw_vectors
from bedside.index.base import IndexEntry, SearchFilters
from bedside.index.builder import sync_indexes
from bedside.index.embedders.hashing import HashingEmbedder
from bedside.index.hnsw_vectors import DEFAULT_ANN_THRESHOLD, HnswVectorIndex
from bedside.index.numpy_vectors import NumpyVectorIndex
from bedside.index.sqlite_fts import SqliteFtsIndex
from bedside.service import Service
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml

# Not `importorskip`: usearch must be imported after ONNX Runtime (see `usearch_index_class`).
if hnsw_vectors.usearch_index_class() is None:
    pytest.skip("needs the `ann` extra (usearch)", allow_module_level=True)

DIMENSIONS = 16
KINDS = ("research", "guideline", "review")
SOURCES = ("BMJ", "bmj", "Lancet", None)


def unit_vectors(count: int, *, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIMENSIONS)).astype(np.float32)
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def entries(count: int, *, start: int = 0, seed: int = 0) -> list[IndexEntry]:
    rng = np.random.default_rng(seed)
    made = []
    for n in range(start, start + count):
        year = None if n % 7 == 0 else int(rng.integers(1990, 2025))
        source = SOURCES[int(rng.integers(len(SOURCES)))]
        made.append(
            IndexEntry(f"p{n}#0", f"p{n}", f"d{n}", f"s{n}", "T", "text",
                       KINDS[int(rng.integers(len(KINDS)))], year, source)
        )  # fmt: skip
    return made


def open_index(path: Path, **options: int) -> HnswVectorIndex:
    options = {"dimensions": DIMENSIONS, "ann_threshold": 0, **options}
    index = HnswVectorIndex(path, **options)
    index.open()
    return index


def ids(index: HnswVectorIndex, vector: np.ndarray, k: int = 10) -> list[str]:
    return [hit.unit_id for hit in index.search(vector, k=k)]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts graph builds from scratch (as opposed to loads and patches)."""
    counted: list[int] = []
    original = HnswVectorIndex._build_graph

    def counting(self: HnswVectorIndex, index_class: object, live_keys: np.ndarray) -> object:
        counted.append(len(live_keys))
        return original(self, index_class, live_keys)

    monkeypatch.setattr(HnswVectorIndex, "_build_graph", counting)
    return counted


def test_graph_persists_across_a_reopen(tmp_path: Path, builds: list[int]) -> None:
    vectors = unit_vectors(300, seed=1)
    index = open_index(tmp_path / "v.sqlite")
    index.add(entries(300), vectors)
    before = [ids(index, vector) for vector in vectors[:20]]
    index.close()
    assert index.graph_path.exists() and builds == [300]

    again = open_index(tmp_path / "v.sqlite")
    assert again.uses_graph() and len(again) == 300
    assert [ids(again, vector) for vector in vectors[:20]] == before
    assert builds == [300]  # loaded, not rebuilt
    again.close()


def test_updates_are_incremental_and_reach_the_saved_graph(
    tmp_path: Path, builds: list[int]
) -> None:
    vectors = unit_vectors(400, seed=2)
    index = open_index(tmp_path / "v.sqlite")
    index.add(entries(300), vectors[:300])
    index.search(vectors[0], k=5)  # graph built and loaded
    index.add(entries(50, start=300), vectors[300:350])  # new units
    index.remove([f"p{n}#0" for n in range(20)])  # removed units
    index.add(entries(10, start=100), vectors[350:360])  # replaced units: new vectors
    assert builds == [300]
    assert len(index) == 330

    def check(checked: HnswVectorIndex) -> None:
        assert ids(checked, vectors[305], k=1) == ["p305#0"]
        assert "p5#0" not in ids(checked, vectors[5], k=10)
        for n in range(100, 110):
            best = checked.search(vectors[250 + n], k=1)[0]
            assert best.unit_id == f"p{n}#0" and best.score == pytest.approx(1.0, abs=1e-5)
            assert f"p{n}#0" not in ids(checked, vectors[n], k=1)

    check(index)
    index.close()
    reopened = open_index(tmp_path / "v.sqlite")
    check(reopened)
    assert builds == [300]
    reopened.close()


def test_changes_a_crash_left_out_of_the_graph_are_patched_in(
    tmp_path: Path, builds: list[int]
) -> None:
    vectors = unit_vectors(300, seed=3)
    index = open_index(tmp_path / "v.sqlite")
    index.add(entries(280), vectors[:280])
    index.close()  # graph saved with 280 units
    crashed = open_index(tmp_path / "v.sqlite")
    crashed.add(entries(20, start=280), vectors[280:])
    crashed.remove(["p0#0"])
    crashed.conn.close()  # killed: no flush, no close
    crashed._conn = None

    reopened = open_index(tmp_path / "v.sqlite")
    assert ids(reopened, vectors[290], k=1) == ["p290#0"]
    assert "p0#0" not in ids(reopened, vectors[0], k=5)
    assert builds == [280]  # patched, not rebuilt
    reopened.close()


def test_exact_below_the_threshold_and_graph_at_it(tmp_path: Path, builds: list[int]) -> None:
    vectors = unit_vectors(120, seed=4)
    index = open_index(tmp_path / "v.sqlite", ann_threshold=100)
    index.add(entries(99), vectors[:99])
    assert not index.uses_graph()
    assert ids(index, vectors[3], k=1) == ["p3#0"]
    index.close()
    assert not index.graph_path.exists() and builds == []

    index = open_index(tmp_path / "v.sqlite", ann_threshold=100)
    index.add(entries(21, start=99), vectors[99:])
    assert index.uses_graph()
    assert ids(index, vectors[110], k=1) == ["p110#0"]
    assert builds == [120]
    index.remove([f"p{n}#0" for n in range(30)])
    assert not index.uses_graph()  # back under it: exact again
    assert ids(index, vectors[40], k=1) == ["p40#0"]
    index.close()


def test_threshold_comes_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, index=IndexSettings(ann_threshold=5))
    index = HnswVectorIndex.from_settings(settings, vector_set="e-v1-w3", dimensions=DIMENSIONS)
    assert index.ann_threshold == 5
    assert index.path == settings.index_dir() / "vectors-hnsw-e-v1-w3.sqlite"
    defaults = IndexSettings()
    assert defaults.ann_threshold == DEFAULT_ANN_THRESHOLD
    assert defaults.vectors == "hnsw"


def test_a_graph_from_another_embedder_is_rebuilt(tmp_path: Path, builds: list[int]) -> None:
    vectors = unit_vectors(200, seed=5)
    index = open_index(tmp_path / "vectors-hnsw-a-v1-w3.sqlite")
    index.add(entries(200), vectors)
    index.close()
    other = HnswVectorIndex(tmp_path / "vectors-hnsw-b-v1-w3.sqlite", dimensions=8,
                            ann_threshold=0)  # fmt: skip
    other.open()
    other.add(entries(200), unit_vectors(200, seed=6)[:, :8] * 2.0)
    other.close()
    other.graph_path.replace(index.graph_path)  # another embedder's graph where ours was

    reopened = open_index(index.path)
    assert ids(reopened, vectors[7], k=1) == ["p7#0"]
    assert builds == [200, 200, 200]  # ours, theirs, ours again
    reopened.close()

    index.graph_path.unlink()  # missing: rebuilt too
    reopened = open_index(index.path)
    assert ids(reopened, vectors[8], k=1) == ["p8#0"]
    assert len(builds) == 4
    reopened.close()


def test_vectors_of_another_dimension_are_dropped(tmp_path: Path) -> None:
    index = open_index(tmp_path / "v.sqlite")
    index.add(entries(50), unit_vectors(50, seed=7))
    index.close()
    wider = HnswVectorIndex(tmp_path / "v.sqlite", dimensions=DIMENSIONS * 2, ann_threshold=0)
    wider.open()
    assert wider.unit_ids() == set() and not wider.graph_path.exists()
    wider.close()


def test_adopts_the_exact_index_vectors_for_the_same_embedder(tmp_path: Path) -> None:
    vectors = unit_vectors(60, seed=8)
    exact = NumpyVectorIndex(tmp_path / "vectors-numpy-e-v1-w3.sqlite", dimensions=DIMENSIONS)
    exact.open()
    exact.add(entries(60), vectors)
    exact.close()
    index = open_index(tmp_path / "vectors-hnsw-e-v1-w3.sqlite")
    assert index.unit_ids() == {f"p{n}#0" for n in range(60)}
    assert ids(index, vectors[9], k=1) == ["p9#0"]
    index.close()


def test_filters_match_accepts_exactly(tmp_path: Path) -> None:
    made = entries(500, seed=9)
    index = open_index(tmp_path / "v.sqlite")
    index.add(made, unit_vectors(500, seed=9))
    index.remove(["p1#0", "p2#0"])
    index.search(unit_vectors(1, seed=0)[0], k=1)  # consolidate
    years = (None, 1995, 2010, 2030)
    sources = ((), ("bmj",), ("LANCET", "nope"), ("nope",))
    kinds = ((), ("guideline",), ("review", "research"), ("none",))
    for kind, year_from, year_to, source in itertools.product(kinds, years, years, sources):
        filters = SearchFilters(kinds=kind, year_from=year_from, year_to=year_to, sources=source)
        expected = [
            e.unit_id not in {"p1#0", "p2#0"}
            and filters.accepts(kind=e.kind, year=e.year, source=e.source)
            for e in made
        ]
        assert index._mask(filters).tolist() == expected, filters
    index.close()


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(kinds=("guideline",)),  # a third of the units: over-fetch from the graph
        SearchFilters(year_from=2020),
        SearchFilters(sources=("lancet",), kinds=("review",)),
        SearchFilters(year_from=2024, kinds=("guideline",)),  # a handful: exact scan
    ],
)
def test_filtered_search_honours_filters_and_finds_the_exact_best(
    tmp_path: Path, filters: SearchFilters
) -> None:
    made = entries(2000, seed=10)
    vectors = unit_vectors(2000, seed=10)
    index = open_index(tmp_path / "v.sqlite")
    exact = NumpyVectorIndex(tmp_path / "exact.sqlite", dimensions=DIMENSIONS)
    exact.open()
    for target in (index, exact):
        target.add(made, vectors)
    accepted = {
        e.unit_id for e in made if filters.accepts(kind=e.kind, year=e.year, source=e.source)
    }
    overlap = []
    for query in unit_vectors(20, seed=11):
        hits = index.search(query, k=10, filters=filters)
        truth = [hit.unit_id for hit in exact.search(query, k=10, filters=filters)]
        assert len(hits) == min(10, len(accepted))
        assert {hit.unit_id for hit in hits} <= accepted
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        overlap.append(len({hit.unit_id for hit in hits} & set(truth)) / len(truth))
    assert np.mean(overlap) >= 0.95
    index.close()
    exact.close()


def test_too_few_filtered_candidates_fall_back_to_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hnsw_vectors, "OVERFETCH", 0.01)  # the graph's few candidates fail
    made = entries(1000, seed=12)
    vectors = unit_vectors(1000, seed=12)
    index = open_index(tmp_path / "v.sqlite")
    exact = NumpyVectorIndex(tmp_path / "exact.sqlite", dimensions=DIMENSIONS)
    exact.open()
    for target in (index, exact):
        target.add(made, vectors)
    filters = SearchFilters(kinds=("guideline",))
    for query in unit_vectors(5, seed=13):
        got = [(h.unit_id, round(h.score, 5)) for h in index.search(query, k=10, filters=filters)]
        want = [(h.unit_id, round(h.score, 5)) for h in exact.search(query, k=10, filters=filters)]
        assert got == want
    index.close()
    exact.close()


def test_without_usearch_it_searches_exactly_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(hnsw_vectors, "usearch_index_class", lambda: None)
    vectors = unit_vectors(50, seed=14)
    index = open_index(tmp_path / "v.sqlite")
    index.add(entries(50), vectors)
    with caplog.at_level(logging.WARNING, logger="bedside.index.hnsw_vectors"):
        assert ids(index, vectors[4], k=1) == ["p4#0"]
    assert "bedside[ann]" in caplog.text
    index.close()
    assert not index.graph_path.exists()


def test_an_index_sync_saves_the_graph(settings: Settings, tmp_path: Path) -> None:
    corpus = tmp_path / "set.xml"
    corpus.write_text(make_pubmed_xml(make_pubmed_articles(5)))
    with Service(settings) as service:
        service.ingest([str(corpus)])
        store = service.store
    store.open()
    keyword = SqliteFtsIndex(tmp_path / "fts.sqlite", title_weight=1.5)
    keyword.open()
    vectors = HnswVectorIndex(tmp_path / "vectors.sqlite", dimensions=256, ann_threshold=0)
    vectors.open()
    report = sync_indexes(store=store, keyword=keyword, vectors=vectors,
                          embedder=HashingEmbedder(), window_sentences=1,
                          batch_size=32)  # fmt: skip
    assert report.vectors_added > 0 and vectors.graph_path.exists()  # before any close
    for index in (vectors, keyword, store):
        index.close()
