"""The `postgresql-fts` keyword index: FTS5's BM25 scores from PostgreSQL, statistics kept exact
through every change, and its place in the store's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bedside.config import Settings, load_settings
from bedside.errors import ConfigError
from bedside.index.base import IndexEntry
from bedside.index.postgresql_fts import PostgresqlFtsIndex
from bedside.index.sqlite_fts import SqliteFtsIndex
from bedside.service import Service
from bedside.store.postgresql import PostgresqlStore
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml

MakeStore = Callable[..., PostgresqlStore]


def entry(unit_id: str, title: str, text: str) -> IndexEntry:
    return IndexEntry(unit_id, unit_id, f"doc-{unit_id}", f"src-{unit_id}", title, text,
                      "research", 2020, None)  # fmt: skip


# No stop words, and words both engines stem alike: the two scorings then see the same words.
CORPUS = [
    entry("a", "Walking trial", "walking reduces pain walking helps"),
    entry("b", "Statins", "statins lower cholesterol"),
    entry("c", "Back pain", "exercise therapy chronic back pain trial"),
    entry("d", "Ears", "antibiotics ear infection children pain"),
]


@pytest.fixture
def index(make_postgresql_store: MakeStore) -> Iterator[PostgresqlFtsIndex]:
    store = make_postgresql_store()
    store.open()  # the knowledge base's schema, which the index shares
    store.close()
    index = PostgresqlFtsIndex(store.url, schema=store.schema)
    index.open()
    yield index
    index.close()


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "query", ["walking pain", "pain", "chronic back pain trial", "cholesterol children"]
)
def test_scores_are_those_of_sqlite_fts5(
    index: PostgresqlFtsIndex, tmp_path: Path, query: str
) -> None:
    fts5 = SqliteFtsIndex(tmp_path / "fts.sqlite", title_weight=1.5)
    fts5.open()
    index.add(CORPUS)
    fts5.add(CORPUS)
    ours = [(hit.unit_id, round(hit.score, 9)) for hit in index.search(query, k=10)]
    theirs = [(hit.unit_id, round(hit.score, 9)) for hit in fts5.search(query, k=10)]
    fts5.close()
    assert sorted(ours) == sorted(theirs) and ours


@pytest.mark.postgresql
def test_a_rare_word_outweighs_a_common_word_repeated(index: PostgresqlFtsIndex) -> None:
    common = [entry(f"c{n}", "Notes", f"pain record {n}") for n in range(10)]
    index.add([*common, entry("many", "Pain", "pain pain pain"), entry("rare", "Note", "sciatica")])
    # ts_rank, which knows no word rarity, would put the unit that says "pain" four times first.
    assert index.search("pain sciatica", k=1)[0].unit_id == "rare"


@pytest.mark.postgresql
def test_statistics_stay_exact_through_replacements_and_removals(
    index: PostgresqlFtsIndex,
) -> None:
    index.add(CORPUS)
    index.add([entry("a", "Swimming", "swimming eases knee pain"), entry("e", "Gout", "gout")])
    index.remove(["b", "missing"])
    index.remove([])
    conn = index.conn
    kept = conn.execute(
        "SELECT lexeme, units FROM keyword_lexemes WHERE units <> 0 ORDER BY lexeme"
    ).fetchall()
    recounted = conn.execute(
        "SELECT lexeme, count(*) FROM keyword_postings GROUP BY lexeme ORDER BY lexeme"
    ).fetchall()
    assert kept == recounted and ("statin", 0) not in kept
    totals = conn.execute("SELECT units, length FROM keyword_totals").fetchone()
    assert totals == conn.execute("SELECT count(*), sum(length) FROM keyword_units").fetchone()
    assert totals is not None and totals[0] == 4  # a (replaced), c, d, e
    assert index.document_frequency("statins") == 0 and index.document_frequency("pain") == 3


def test_it_lives_in_the_postgresql_store_only() -> None:
    with pytest.raises(ConfigError, match=r"index\.keyword.*store\.backend"):
        PostgresqlFtsIndex.from_settings(load_settings())


@pytest.mark.postgresql
def test_the_service_builds_it_when_missing_and_searches_it(
    make_postgresql_store: MakeStore, settings: Settings, tmp_path: Path
) -> None:
    store = make_postgresql_store()
    settings = load_settings(
        overrides={
            "store": {"backend": "postgresql", "url": store.url, "kb": store.schema},
            "index": {"keyword": "postgresql-fts", "embedder": "none"},
        }
    )
    path = tmp_path / "articles.xml"
    path.write_text(make_pubmed_xml(make_pubmed_articles(3)))
    with Service(settings) as service:
        service.ingest([str(path)])
        assert service.missing_indexes() == ["the postgresql-fts index in the store's database"]
        service.index()
        assert service.missing_indexes() == []
        assert isinstance(service.keyword_index, PostgresqlFtsIndex)
        assert len(service.search("fictional study of exercise", k=3)) == 3
    assert not settings.index_dir().exists()  # nothing on this host: the index is in the database
