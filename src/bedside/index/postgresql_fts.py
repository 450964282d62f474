"""`PostgresqlFtsIndex`: BM25 keyword search with PostgreSQL's text search, in the store's
database, so that every host serving the knowledge base searches one shared index.

PostgreSQL parses and stems the text (`to_tsvector('english', …)`); it has no BM25 of its own
(`ts_rank` ignores how rare a word is). So the index keeps an inverted index as a table — one
posting per word and unit, with the word's count in the title and in the text — plus each word's
document frequency and the totals, and scores in SQL as SQLite FTS5's `bm25()` does (k1 = 1.2,
b = 0.75, title occurrences weighted `title_weight`): the two give the same scores on the same
words. Scoring from postings reads only the query words' rows; scoring each matching unit's
whole `tsvector` instead was 15 times slower on SciFact (docs/decisions/0011). Its tables live
in the knowledge base's schema, beside the store's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, Self

from bedside.domain import Hit
from bedside.errors import ConfigError
from bedside.index.base import IndexEntry, SearchFilters
from bedside.index.postgresql_filters import filter_sql
from bedside.store.postgresql import ServerConnection, describe_url, schema_name

if TYPE_CHECKING:
    import psycopg

    from bedside.config import Settings

_K1 = 1.2
_B = 0.75
_LOCK_CLASS = 25188_4  # advisory lock class of the index writers (see store/postgresql.py)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Units added by one process before the planner statistics are refreshed (or a fifth of the
# index, whichever is more): autovacuum would, but only after a while.
_ANALYZE_AFTER_UNITS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS keyword_units (
    unit_id     text PRIMARY KEY,
    passage_id  text NOT NULL,
    document_id text NOT NULL,
    source_id   text NOT NULL,
    kind        text NOT NULL,
    year        integer,
    source      text,
    length      integer NOT NULL     -- words counted, title and text
);
-- The postings carry all that scoring reads, in their key's index: a search reads the index
-- only (once vacuumed), not one table page per posting.
CREATE TABLE IF NOT EXISTS keyword_postings (
    lexeme      text NOT NULL,
    unit_id     text NOT NULL,
    title_count smallint NOT NULL,
    text_count  smallint NOT NULL,
    unit_length integer NOT NULL,
    PRIMARY KEY (lexeme, unit_id) INCLUDE (title_count, text_count, unit_length)
);
CREATE INDEX IF NOT EXISTS keyword_postings_by_unit ON keyword_postings (unit_id);
CREATE TABLE IF NOT EXISTS keyword_lexemes (
    lexeme text PRIMARY KEY,
    units  integer NOT NULL          -- how many units hold it
);
CREATE TABLE IF NOT EXISTS keyword_totals (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    units    bigint NOT NULL,
    length   bigint NOT NULL
);
INSERT INTO keyword_totals (units, length) VALUES (0, 0) ON CONFLICT DO NOTHING;
"""

# One unit and its postings; title words carry weight A in the tsvector, text words D.
_INSERT_UNIT = """
WITH terms AS (
    SELECT setweight(to_tsvector('english', %(title)s), 'A')
        || setweight(to_tsvector('english', %(text)s), 'D') AS terms
), postings AS (
    SELECT term.lexeme,
        count(*) FILTER (WHERE weight = 'A') AS title_count,
        count(*) FILTER (WHERE weight = 'D') AS text_count
    FROM terms, unnest(terms.terms) AS term, unnest(term.weights) AS weight
    GROUP BY term.lexeme
), unit AS (
    INSERT INTO keyword_units
        (unit_id, passage_id, document_id, source_id, kind, year, source, length)
    SELECT %(unit_id)s, %(passage_id)s, %(document_id)s, %(source_id)s, %(kind)s,
        %(year)s::integer, %(source)s,
        (SELECT coalesce(sum(title_count + text_count), 0) FROM postings)
)
INSERT INTO keyword_postings (lexeme, unit_id, title_count, text_count, unit_length)
SELECT lexeme, %(unit_id)s, title_count, text_count,
    (SELECT coalesce(sum(title_count + text_count), 0) FROM postings)
FROM postings
"""

# The units of `%(ids)s` counted into (or, negated, out of) the word and length statistics.
_COUNT_UNITS = """
WITH words AS (
    INSERT INTO keyword_lexemes (lexeme, units)
    SELECT lexeme, %(sign)s * count(*) FROM keyword_postings WHERE unit_id = ANY(%(ids)s)
    GROUP BY lexeme
    ON CONFLICT (lexeme) DO UPDATE SET units = keyword_lexemes.units + EXCLUDED.units
)
UPDATE keyword_totals SET
    units = keyword_totals.units + %(sign)s * counted.units,
    length = keyword_totals.length + %(sign)s * counted.length
FROM (SELECT count(*) AS units, coalesce(sum(length), 0) AS length
      FROM keyword_units WHERE unit_id = ANY(%(ids)s)) AS counted
"""

# BM25 of every unit holding any query word, as FTS5 computes it; the query words' idf and the
# average unit length come as parameters. {top} is empty when filters (in {filters}) must see
# every scored unit before the best k are kept.
_SEARCH = f"""
WITH scored AS (
    SELECT p.unit_id, sum(
        q.idf * (%(title_weight)s * p.title_count + %(text_weight)s * p.text_count) * {_K1 + 1}
        / (%(title_weight)s * p.title_count + %(text_weight)s * p.text_count
           + {_K1} * (1 - {_B} + {_B} * p.unit_length / %(average)s))
    ) AS score
    FROM unnest(%(lexemes)s::text[], %(idfs)s::float8[]) AS q (lexeme, idf)
    JOIN keyword_postings p ON p.lexeme = q.lexeme
    GROUP BY p.unit_id
    {{top}}
)
SELECT u.unit_id, u.passage_id, u.document_id, u.source_id, s.score
FROM scored s JOIN keyword_units u ON u.unit_id = s.unit_id
WHERE true {{filters}}
ORDER BY s.score DESC, u.unit_id
LIMIT %(k)s
"""
_TOP_K = "ORDER BY score DESC, unit_id LIMIT %(k)s"

# What BM25 needs besides the postings: unit count, total length, the query words' frequencies.
_STATISTICS = """
SELECT t.units, t.length,
    coalesce(array_agg(l.lexeme) FILTER (WHERE l.lexeme IS NOT NULL), '{}'),
    coalesce(array_agg(l.units) FILTER (WHERE l.lexeme IS NOT NULL), '{}')
FROM keyword_totals t LEFT JOIN keyword_lexemes l ON l.lexeme = ANY(%s) AND l.units > 0
GROUP BY t.units, t.length
"""


class PostgresqlFtsIndex:
    """BM25 over passage text and, weighted, the document title, in PostgreSQL."""

    name: ClassVar[str] = "postgresql-fts"
    version: ClassVar[str] = "1"
    # Its data is in the store's database, not in a file under `<home>/kb/<kb>.index/`.
    keeps_file: ClassVar[bool] = False

    def __init__(
        self,
        url: str,
        *,
        schema: str = "default",
        title_weight: float = 1.5,
        text_weight: float = 1.0,
    ) -> None:
        self.url = url
        self.schema = schema
        self.title_weight = title_weight
        self.text_weight = text_weight
        self._link = ServerConnection(url, schema=schema, what="keyword index")
        self._added_since_analyze = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened index in the schema of the PostgreSQL store that settings select."""
        if settings.store.backend != "postgresql" or settings.store.url is None:
            raise ConfigError(
                "setting 'index.keyword': the postgresql-fts index lives in the store's "
                'database; it needs store.backend = "postgresql" and store.url'
            )
        return cls(
            settings.store.url.get_secret_value(),
            schema=schema_name(settings.store.kb),
            title_weight=settings.index.title_weight,
        )

    @property
    def location(self) -> str:
        return f"{describe_url(self.url)} (schema {self.schema})"

    def open(self) -> None:
        self._link.open()
        # Tables that exist are not created again, so a role that may only read and write rows
        # can open the index once it is built.
        exists = self.conn.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = %s",
            (self.schema, "keyword_totals"),
        ).fetchone()
        if not exists:
            with self._writing():  # two processes creating the tables at once would collide
                self.conn.execute(_SCHEMA)

    def close(self) -> None:
        self._link.close()

    @property
    def conn(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The connection; a new one if the server dropped the last (`ServerConnection`)."""
        return self._link.conn

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A transaction holding the index's write lock: the statistics stay exact."""
        with self._link.transaction() as conn:
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_CLASS, self.schema)
            )
            yield

    def add(self, entries: Iterable[IndexEntry]) -> int:
        rows = [
            {"unit_id": e.unit_id, "passage_id": e.passage_id, "document_id": e.document_id,
             "source_id": e.source_id, "kind": e.kind, "year": e.year, "source": e.source,
             "title": e.title, "text": e.text}
            for e in entries
        ]  # fmt: skip
        if not rows:
            return 0
        ids = [str(row["unit_id"]) for row in rows]
        with self._writing():
            self._delete(ids)
            with self.conn.cursor() as cursor:
                cursor.executemany(_INSERT_UNIT, rows)
            self.conn.execute(_COUNT_UNITS, {"ids": ids, "sign": 1})
        self._refresh_statistics(added=len(rows))
        return len(rows)

    def _refresh_statistics(self, *, added: int) -> None:
        """Let the planner know the tables grew: with statistics from before a bulk build,
        SciFact's queries took 20 times longer (the planner misjudged every join)."""
        self._added_since_analyze += added
        row = self.conn.execute("SELECT units FROM keyword_totals").fetchone()
        units = int(row[0]) if row else 0
        if self._added_since_analyze >= max(_ANALYZE_AFTER_UNITS, units // 5):
            # VACUUM too: it marks the pages all-visible, which lets searches read the
            # postings from their index alone.
            self.conn.execute("VACUUM (ANALYZE) keyword_units, keyword_postings, keyword_lexemes")
            self._added_since_analyze = 0

    def remove(self, unit_ids: Iterable[str]) -> int:
        with self._writing():
            return self._delete(list(unit_ids))

    def _delete(self, unit_ids: Sequence[str]) -> int:
        ids = list(unit_ids)
        self.conn.execute(_COUNT_UNITS, {"ids": ids, "sign": -1})
        self.conn.execute("DELETE FROM keyword_postings WHERE unit_id = ANY(%s)", (ids,))
        cursor = self.conn.execute("DELETE FROM keyword_units WHERE unit_id = ANY(%s)", (ids,))
        return cursor.rowcount

    def unit_ids(self) -> set[str]:
        return {str(row[0]) for row in self.conn.execute("SELECT unit_id FROM keyword_units")}

    def is_empty(self) -> bool:
        row = self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM keyword_units)").fetchone()
        return bool(row and row[0])

    def _lexemes(self, text: str) -> list[str]:
        """The words of `text` as the index holds them: parsed, stemmed, stopwords dropped."""
        words = " ".join(_WORD.findall(text))
        if not words:
            return []
        row = self.conn.execute(
            "SELECT array(SELECT DISTINCT lexeme FROM unnest(to_tsvector('english', %s))"
            " ORDER BY 1)",
            (words,),
        ).fetchone()
        return [str(lexeme) for lexeme in row[0]] if row else []

    def document_frequency(self, word: str) -> int:
        lexemes = self._lexemes(word)
        if not lexemes:
            return 0
        row = self.conn.execute(
            "SELECT count(*) FROM (SELECT unit_id FROM keyword_postings WHERE lexeme = ANY(%s)"
            " GROUP BY unit_id HAVING count(*) = %s) AS holding_all",
            (lexemes, len(lexemes)),
        ).fetchone()
        return int(row[0]) if row else 0

    def search(self, query: str, *, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        lexemes = self._lexemes(query)
        if not lexemes or k <= 0:
            return []
        statistics = self.conn.execute(_STATISTICS, (lexemes,)).fetchone()
        if statistics is None or not statistics[2]:
            return []
        units, length, found, frequencies = statistics
        where, filter_parameters = filter_sql(filters)
        parameters: dict[str, Any] = {
            "lexemes": found,
            "idfs": [_idf(units=units, holding=holding) for holding in frequencies],
            "average": max(length / max(units, 1), 1.0),
            "title_weight": self.title_weight,
            "text_weight": self.text_weight,
            "k": k,
            **filter_parameters,
        }
        sql = _SEARCH.format(filters=where, top="" if where else _TOP_K)
        rows = self.conn.execute(sql, parameters).fetchall()
        return [
            Hit(
                passage_id=passage_id,
                document_id=document_id,
                score=float(score),
                rank=rank,
                retriever=self.name,
                source_id=source_id,
                unit_id=unit_id,
            )
            for rank, (unit_id, passage_id, document_id, source_id, score) in enumerate(rows, 1)
        ]


def _idf(*, units: int, holding: int) -> float:
    """FTS5's inverse document frequency, floored at 1e-6 (a word in most units)."""
    ratio = (units - holding + 0.5) / (holding + 0.5)
    return max(math.log(ratio), 1e-6) if ratio > 0 else 1e-6
