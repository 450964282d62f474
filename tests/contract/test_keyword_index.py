"""The `KeywordIndex` contract, run against every keyword index implementation."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bedside.index.base import IndexEntry, KeywordIndex, SearchFilters
from bedside.index.bm25s_index import Bm25sIndex
from bedside.index.sqlite_fts import SqliteFtsIndex

INDEXES: dict[str, Callable[[Path], KeywordIndex]] = {
    "sqlite-fts": lambda tmp: SqliteFtsIndex(tmp / "fts.sqlite", title_weight=1.5),
    "bm25s": lambda tmp: Bm25sIndex(tmp / "bm25s.sqlite", title_weight=1.0),
}


def entry(unit_id: str, text: str, **overrides: object) -> IndexEntry:
    values: dict[str, object] = {
        "unit_id": unit_id, "passage_id": unit_id, "document_id": f"doc-{unit_id}",
        "source_id": f"src-{unit_id}", "title": "Fictional title", "text": text,
        "kind": "research", "year": 2020, "source": "Journal of Imaginary Medicine",
    }  # fmt: skip
    values.update(overrides)
    return IndexEntry(**values)  # type: ignore[arg-type]


CORPUS = [
    entry("p1", "Walking and exercise reduce low back pain."),
    entry("p2", "Statins lower cholesterol in adults.", kind="guideline", year=2018),
    entry("p3", "Exercise therapy for chronic back pain: a trial.", year=2024,
          source="Spine Journal"),
    entry("p4", "Antibiotics for ear infection in children.", kind="patient_information"),
]  # fmt: skip


@pytest.fixture(
    params=[*sorted(INDEXES), pytest.param("postgresql-fts", marks=pytest.mark.postgresql)]
)
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeywordIndex]:
    built: KeywordIndex
    if request.param == "postgresql-fts":
        from bedside.index.postgresql_fts import PostgresqlFtsIndex

        store = request.getfixturevalue("make_postgresql_store")()
        store.open()  # the knowledge base's schema, which the index shares
        store.close()
        built = PostgresqlFtsIndex(store.url, schema=store.schema)
    else:
        built = INDEXES[request.param](tmp_path)
    built.open()
    built.add(CORPUS)
    yield built
    built.close()


def test_finds_matching_passages_best_first(index: KeywordIndex) -> None:
    hits = index.search("exercise for back pain", k=10)
    assert [hit.passage_id for hit in hits][:2] in (["p3", "p1"], ["p1", "p3"])
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    assert {hit.retriever for hit in hits} == {index.name}
    assert hits[0].source_id.startswith("src-")


def test_k_limits_results_and_unmatched_queries_return_nothing(index: KeywordIndex) -> None:
    assert len(index.search("exercise back pain", k=1)) == 1
    assert index.search("zebra quantum", k=5) == []
    assert index.search("the of and", k=5) == []
    assert index.search('") OR NEAR(', k=5) == []


def test_filters_apply_before_k(index: KeywordIndex) -> None:
    assert [
        h.passage_id for h in index.search("pain", k=1, filters=SearchFilters(year_from=2021))
    ] == ["p3"]
    only_guidelines = index.search(
        "cholesterol pain", k=5, filters=SearchFilters(kinds=("guideline",))
    )
    assert [h.passage_id for h in only_guidelines] == ["p2"]
    by_source = index.search("pain", k=5, filters=SearchFilters(sources=("spine journal",)))
    assert [h.passage_id for h in by_source] == ["p3"]


def test_add_replaces_and_remove_forgets(index: KeywordIndex) -> None:
    index.add([entry("p1", "Completely different words about vaccines.")])
    assert "p1" not in {h.passage_id for h in index.search("walking", k=5)}
    assert index.unit_ids() == {"p1", "p2", "p3", "p4"}
    index.remove(["p1", "unknown"])
    assert index.unit_ids() == {"p2", "p3", "p4"}


def test_topping_up_replaces_and_removes_units_by_id(index: KeywordIndex) -> None:
    """Re-adding a unit replaces it; removing deletes exactly it (via the id, not a scan)."""
    first = [entry(f"u{n}", f"walking helps back pain {n}") for n in range(50)]
    index.add(first)
    index.add([entry("u7", "swimming eases knee arthritis")])
    assert len(index.unit_ids()) == 50 + len(CORPUS)
    assert [hit.unit_id for hit in index.search("swimming", k=5)] == ["u7"]
    assert index.remove(["u7", "u8"]) == 2
    assert index.search("swimming", k=5) == []
    assert "u8" not in index.unit_ids()


def test_document_frequency_counts_units_with_the_word(index: KeywordIndex) -> None:
    assert index.document_frequency("exercise") == 2  # p1 and p3
    assert index.document_frequency("Exercises") == 2  # stemmed like the text
    assert index.document_frequency("cholesterol") == 1
    assert index.document_frequency("pancreatitis") == 0
    assert index.document_frequency("the") == 0  # a stop word is not searchable
