"""The pgvector index beyond the contract: exact filters past the graph, several processes on one
table, dimension checks, and the service building and searching it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from bedside.config import Settings, load_settings
from bedside.errors import ConfigError, StoreError
from bedside.index.base import IndexEntry, SearchFilters
from bedside.index.pgvector_vectors import PgvectorIndex, index_name, table_name
from bedside.service import Service, bundled_cards_path
from bedside.store.postgresql import PostgresqlStore, identifier

pytestmark = pytest.mark.postgresql

DIMENSIONS = 32
MakeStore = Callable[..., PostgresqlStore]


def units(count: int, *, seed: int = 7) -> tuple[list[IndexEntry], np.ndarray]:
    """`count` units, every 400th a `guideline` (the rest `research`), years 2000–2024."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    entries = [
        IndexEntry(f"p{n}#0", f"p{n}", f"d{n}", f"s{n}", "T", "text",
                   "guideline" if n % 400 == 0 else "research", 2000 + n % 25, "Journal")
        for n in range(count)
    ]  # fmt: skip
    return entries, vectors


@pytest.fixture
def schema(make_postgresql_store: MakeStore) -> PostgresqlStore:
    store = make_postgresql_store()
    store.open()  # the knowledge base's schema, which the index shares
    store.close()
    return store


@pytest.fixture
def index(schema: PostgresqlStore) -> Iterator[PgvectorIndex]:
    built = PgvectorIndex(
        schema.url, schema=schema.schema, vector_set="test", dimensions=DIMENSIONS
    )
    built.open()
    yield built
    built.close()


def exact_top(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int) -> list[int]:
    scores = vectors[rows] @ query
    return [int(rows[i]) for i in np.argsort(-scores, kind="stable")[:k]]


def test_a_filter_narrower_than_the_graph_walk_still_finds_every_accepted_unit(
    index: PgvectorIndex,
) -> None:
    entries, vectors = units(2000)
    index.add(entries, vectors)
    # For so narrow a filter the planner scans the accepted rows itself; made to walk the graph
    # (as when it misjudges a filter), the walk gives up after 20,000 units by default — here
    # scaled down to this index's size, as a filter accepting one unit in 400 meets it in a
    # knowledge base of millions.
    index.conn.execute("SET enable_seqscan = off")
    index.conn.execute("SET hnsw.max_scan_tuples = 100")
    query = vectors[1]  # a research unit: the guidelines are far from it
    guidelines = np.array([n for n in range(2000) if n % 400 == 0])
    hits = index.search(query, k=10, filters=SearchFilters(kinds=("guideline",)))
    assert [hit.unit_id for hit in hits] == [
        entries[n].unit_id for n in exact_top(vectors, query, guidelines, 10)
    ]
    assert len(hits) == 5


def test_search_through_the_graph_agrees_with_exact_search(index: PgvectorIndex) -> None:
    entries, vectors = units(3000)
    index.add(entries, vectors)
    recent = np.array([n for n in range(3000) if 2000 + n % 25 >= 2020])
    overlap = []
    for query in vectors[:20]:
        hits = index.search(query, k=10, filters=SearchFilters(year_from=2020))
        wanted = {entries[n].unit_id for n in exact_top(vectors, query, recent, 10)}
        overlap.append(len(wanted & {hit.unit_id for hit in hits}) / 10)
        assert all(int(hit.unit_id[1:].split("#")[0]) in set(recent.tolist()) for hit in hits)
    assert np.mean(overlap) >= 0.95
    # Scores are cosines, as from the exact index (half precision: to about 1e-3).
    best = index.search(vectors[5], k=1)[0]
    assert best.unit_id == entries[5].unit_id and best.score == pytest.approx(1.0, abs=1e-3)


def test_re_adding_a_unit_replaces_its_vector(index: PgvectorIndex) -> None:
    entries, vectors = units(50)
    index.add(entries, vectors)
    index.add(entries[:1], vectors[10:11])  # unit 0 now points where unit 10 does
    assert len(index.unit_ids()) == 50
    nearest = {hit.unit_id for hit in index.search(vectors[10], k=2)}
    assert nearest == {entries[0].unit_id, entries[10].unit_id}


def test_every_process_on_the_knowledge_base_sees_one_index(
    index: PgvectorIndex, schema: PostgresqlStore
) -> None:
    other = PgvectorIndex(
        schema.url, schema=schema.schema, vector_set="test", dimensions=DIMENSIONS
    )
    other.open()
    try:
        entries, vectors = units(30)
        index.add(entries, vectors)
        assert other.unit_ids() == {entry.unit_id for entry in entries}
        other.remove([entries[3].unit_id])
        assert entries[3].unit_id not in {hit.unit_id for hit in index.search(vectors[3], k=5)}
    finally:
        other.close()


def test_refuses_vectors_of_another_dimension_by_table(
    index: PgvectorIndex, schema: PostgresqlStore
) -> None:
    other = PgvectorIndex(schema.url, schema=schema.schema, vector_set="test", dimensions=64)
    with pytest.raises(
        StoreError, match=r"table vectors_halfvec_test.*halfvec\(32\).*halfvec\(64\)"
    ):
        other.open()
    other.close()


def test_table_names_are_plain_identifiers_within_postgresqls_limit() -> None:
    assert (
        table_name("halfvec", "minilm-onnx-v2-int8-w3") == "vectors_halfvec_minilm_onnx_v2_int8_w3"
    )
    long = table_name("halfvec", "a-very-long-embedder-name-" * 4)
    assert len(long) == 63 and long == table_name("halfvec", "a-very-long-embedder-name-" * 4)
    assert long != table_name("halfvec", "a-very-long-embedder-name-" * 5)


def test_a_vector_set_past_postgresqls_name_limit_gets_its_own_table_and_graph(
    schema: PostgresqlStore,
) -> None:
    # Two long vector sets that differ only past PostgreSQL's 63 bytes: each table and its HNSW
    # index must have a name of its own, none cut short by the server (which would make the
    # index's name that of its table, or the two sets share one table).
    sets = ["a-very-long-embedder-name-" * 3 + "v1-w3", "a-very-long-embedder-name-" * 3 + "v2-w3"]
    entries, vectors = units(20)
    opened = []
    try:
        for n, vector_set in enumerate(sets):
            index = PgvectorIndex(
                schema.url, schema=schema.schema, vector_set=vector_set, dimensions=DIMENSIONS
            )
            index.open()
            opened.append(index)
            index.add(entries[n * 10 : n * 10 + 10], vectors[n * 10 : n * 10 + 10])
        names = [
            str(row[0])
            for row in opened[0]
            .conn.execute(
                "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = %s::regnamespace"
                " AND relname LIKE 'vectors%%' ORDER BY relname",
                (f'"{schema.schema}"',),
            )
            .fetchall()
        ]
        tables = [index.table for index in opened]
        graphs = [index_name(table) for table in tables]
        assert sorted({*tables, *graphs}) == [n for n in names if not n.endswith("_pkey")]
        assert all(len(name.encode()) <= 63 for name in names) and len(set(tables)) == 2
        assert [index.unit_ids() for index in opened] == [
            {entry.unit_id for entry in entries[:10]},
            {entry.unit_id for entry in entries[10:]},
        ]
        # Reopened, each finds its own table again (its name is not cut short on the way).
        again = PgvectorIndex(
            schema.url, schema=schema.schema, vector_set=sets[1], dimensions=DIMENSIONS
        )
        again.open()
        opened.append(again)
        assert again.unit_ids() == {entry.unit_id for entry in entries[10:]}
    finally:
        for index in opened:
            index.close()


def test_index_names_are_hashed_rather_than_cut_short() -> None:
    assert index_name("vectors_halfvec_minilm_onnx_v2_int8_w3") == (
        "vectors_halfvec_minilm_onnx_v2_int8_w3_hnsw"
    )
    table = table_name("halfvec", "a-very-long-embedder-name-" * 4)
    graph = index_name(table)
    assert len(graph) == 63 and graph != table and graph == index_name(table)
    # Counted in bytes, as PostgreSQL counts: 40 two-byte characters are 80 bytes.
    wide = identifier("é" * 40)
    assert len(wide.encode()) <= 63 and wide.startswith("é" * 25)
    assert identifier("é" * 31) == "é" * 31  # 62 bytes: kept whole


def test_needs_the_postgresql_store(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=r"setting 'index\.vectors'.*postgresql"):
        PgvectorIndex.from_settings(settings, vector_set="x", dimensions=8)


def test_the_service_builds_and_searches_it(schema: PostgresqlStore) -> None:
    settings = load_settings(
        overrides={
            "store": {"backend": "postgresql", "url": schema.url, "kb": schema.schema},
            "index": {"vectors": "pgvector", "keyword": "postgresql-fts"},
            "retrieve": {"fusion": "dense"},
        }
    )
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        assert "the pgvector index in the store's database" in service.missing_indexes()
        report = service.index()
        assert report.vectors_added > 0 and service.missing_indexes() == []
        assert isinstance(service.vector_index, PgvectorIndex) and service.embedder is not None
        query = service.embedder.embed(["chronic low back pain"])[0]
        hits = service.vector_index.search(query, k=5)
        assert len(hits) == 5 and {hit.retriever for hit in hits} == {"pgvector"}
        assert {hit.passage_id for hit in hits} <= service.store.current_passage_ids()
        assert len(service.search_hits("chronic low back pain", k=5)) == 5


def test_names_the_missing_extension_when_the_role_cannot_install_it(postgresql_url: str) -> None:
    import psycopg

    name = f"novector_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgresql_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    url = postgresql_url.replace("postgres@", f"{name}@").replace("/postgres?", f"/{name}?")
    index = PgvectorIndex(url, schema=name, vector_set="test", dimensions=DIMENSIONS)
    try:
        with pytest.raises(StoreError, match="as a superuser, run CREATE EXTENSION vector"):
            index.open()
    finally:
        index.close()
        with psycopg.connect(postgresql_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name}")
            admin.execute(f"DROP ROLE {name}")


def test_the_search_list_comes_from_index_ann_search_list() -> None:
    def built(**index: object) -> PgvectorIndex:
        settings = load_settings(
            overrides={
                "store": {"backend": "postgresql", "url": "postgresql://bedside@db.invalid/kb"},
                "index": {"vectors": "pgvector", **index},
            }
        )
        return PgvectorIndex.from_settings(settings, vector_set="x", dimensions=8)  # no connection

    assert built().expansion_search == 200
    assert built(ann_search_list=800).expansion_search == 800
