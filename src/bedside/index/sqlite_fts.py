"""`SqliteFtsIndex`: BM25 keyword search with SQLite FTS5, in its own file beside the KB."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Self

from bedside.analyse.terms import straight_apostrophes
from bedside.domain import Hit
from bedside.index.base import IndexEntry, SearchFilters
from bedside.index.sqlite_file import SqliteFile, keyword_index_file

if TYPE_CHECKING:
    from bedside.config import Settings

# Words that match nearly every passage: they slow FTS5 OR-queries down and add no signal.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "what's",
        "whats",
        "does",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS units USING fts5("
    " title, text, unit_id UNINDEXED, passage_id UNINDEXED, document_id UNINDEXED,"
    " source_id UNINDEXED, kind UNINDEXED, year UNINDEXED, source UNINDEXED,"
    " tokenize = 'porter unicode61 remove_diacritics 2')"
)

_UNIT_MAP_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS unit_rows (unit_id TEXT PRIMARY KEY, fts_rowid INTEGER NOT NULL)"
)


def query_terms(query: str) -> list[str]:
    """The searchable words of a query: lower-cased, stopwords dropped, duplicates removed."""
    words = (straight_apostrophes(word.lower()) for word in _WORD.findall(query))
    return list(
        dict.fromkeys(w for w in words if (w not in STOPWORDS and len(w) > 1) or w.isdigit())
    )


class SqliteFtsIndex(SqliteFile):
    """BM25 over passage text (and, with a lower weight, the document title)."""

    name: ClassVar[str] = "sqlite-fts"
    version: ClassVar[str] = "1"

    def __init__(self, path: Path, *, title_weight: float, text_weight: float = 1.0) -> None:
        super().__init__(path, what="keyword index")
        self.title_weight = title_weight
        self.text_weight = text_weight  # the unit the title's weight is measured in

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened index in the knowledge base's index folder, weighted as settings say."""
        return cls(keyword_index_file(settings), title_weight=settings.index.title_weight)

    def open(self) -> None:
        self._connect(_SCHEMA)
        conn = self.conn
        conn.execute(_UNIT_MAP_SCHEMA)
        # Files written before the map existed get it filled once, from the FTS table itself.
        if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM unit_rows)").fetchone()[0]:
            conn.execute("INSERT OR REPLACE INTO unit_rows SELECT unit_id, rowid FROM units")

    def add(self, entries: Iterable[IndexEntry]) -> int:
        rows = [
            (e.title, e.text, e.unit_id, e.passage_id, e.document_id, e.source_id, e.kind, e.year,
             e.source)
            for e in entries
        ]  # fmt: skip
        if not rows:
            return 0
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._delete(row[2] for row in rows)
            for row in rows:
                cursor = conn.execute("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                conn.execute("INSERT INTO unit_rows VALUES (?, ?)", (row[2], cursor.lastrowid))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(rows)

    def remove(self, unit_ids: Iterable[str]) -> int:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            removed = self._delete(unit_ids)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return removed

    def _delete(self, unit_ids: Iterable[str]) -> int:
        # FTS5 cannot index an UNINDEXED column, so deleting by unit_id would scan the whole
        # table once per unit (quadratic when topping up a large index); go through the rowid.
        conn = self.conn
        rowids = []
        for unit_id in unit_ids:
            row = conn.execute(
                "SELECT fts_rowid FROM unit_rows WHERE unit_id = ?", (unit_id,)
            ).fetchone()
            if row is not None:
                rowids.append((row[0],))
        conn.executemany("DELETE FROM units WHERE rowid = ?", rowids)
        conn.executemany("DELETE FROM unit_rows WHERE fts_rowid = ?", rowids)
        return len(rowids)

    def unit_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT unit_id FROM unit_rows")}

    def document_frequency(self, word: str) -> int:
        terms = query_terms(word)
        if not terms:
            return 0
        match = " ".join('"' + term.replace('"', "") + '"' for term in terms)
        row = self.conn.execute("SELECT count(*) FROM units WHERE units MATCH ?", (match,))
        return int(row.fetchone()[0])

    def search(self, query: str, *, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        match = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
        where, parameters = _filter_sql(filters)
        rows = self.conn.execute(
            "SELECT unit_id, passage_id, document_id, source_id,"
            " bm25(units, ?, ?) AS rank_value FROM units"
            f" WHERE units MATCH ? {where} ORDER BY rank_value LIMIT ?",
            (self.title_weight, self.text_weight, match, *parameters, k),
        ).fetchall()
        return [
            Hit(
                passage_id=passage_id,
                document_id=document_id,
                score=-float(value),  # FTS5's bm25() is lower-is-better
                rank=rank,
                retriever=self.name,
                source_id=source_id,
                unit_id=unit_id,
            )
            for rank, (unit_id, passage_id, document_id, source_id, value) in enumerate(rows, 1)
        ]


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list[object]]:
    if filters is None or filters.is_empty:
        return "", []
    clauses: list[str] = []
    parameters: list[object] = []
    if filters.kinds:
        clauses.append(f"kind IN ({', '.join('?' * len(filters.kinds))})")
        parameters += filters.kinds
    if filters.year_from is not None:
        clauses.append("year >= ?")
        parameters.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append("year <= ?")
        parameters.append(filters.year_to)
    if filters.sources:
        clauses.append(f"lower(source) IN ({', '.join('?' * len(filters.sources))})")
        parameters += [source.lower() for source in filters.sources]
    return " AND " + " AND ".join(clauses), parameters
