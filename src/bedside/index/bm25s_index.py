"""`Bm25sIndex`: BM25 with the bm25s library (sparse matrices in memory), as an alternative to
SQLite FTS5. Entries are kept durably in a small SQLite file; the in-memory index is rebuilt from
them on the first search after a change (a few seconds for 50,000 passages).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from bedside.domain import Hit
from bedside.errors import ConfigError
from bedside.index.base import IndexEntry, SearchFilters
from bedside.index.sqlite_file import SqliteFile, keyword_index_file

if TYPE_CHECKING:
    from bedside.config import Settings

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS units (unit_id TEXT PRIMARY KEY, passage_id TEXT NOT NULL,"
    " document_id TEXT NOT NULL, source_id TEXT NOT NULL, title TEXT NOT NULL,"
    " text TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER, source TEXT)"
)


class Bm25sIndex(SqliteFile):
    """BM25 (Lucene variant) over title + passage text, with English stemming."""

    name: ClassVar[str] = "bm25s"
    version: ClassVar[str] = "1"

    def __init__(self, path: Path, *, title_weight: float) -> None:
        super().__init__(path, what="keyword index")
        # The title is prepended this many times (rounded, at least once): bm25s has one field.
        self.title_repeats = max(1, round(title_weight))
        self._model: Any = None
        self._rows: list[tuple[str, str, str, str, str, int | None, str | None]] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An unopened index in the knowledge base's index folder, weighted as settings say."""
        return cls(keyword_index_file(settings), title_weight=settings.index.title_weight)

    def open(self) -> None:
        try:
            import bm25s  # noqa: F401
            import Stemmer  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "keyword index 'bm25s' needs the 'bm25' extra: pip install 'bedside[bm25]'"
            ) from exc
        self._connect(_SCHEMA)

    def add(self, entries: Iterable[IndexEntry]) -> int:
        rows = [
            (e.unit_id, e.passage_id, e.document_id, e.source_id, e.title, e.text, e.kind, e.year,
             e.source)
            for e in entries
        ]  # fmt: skip
        if rows:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("INSERT OR REPLACE INTO units VALUES (?,?,?,?,?,?,?,?,?)", rows)
            self.conn.execute("COMMIT")
            self._model = None
        return len(rows)

    def remove(self, unit_ids: Iterable[str]) -> int:
        ids = [(unit_id,) for unit_id in unit_ids]
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("DELETE FROM units WHERE unit_id = ?", ids)
        self.conn.execute("COMMIT")
        self._model = None
        return len(ids)

    def unit_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT unit_id FROM units")}

    def document_frequency(self, word: str) -> int:
        import bm25s

        model = self._build()
        if model is None:
            return 0
        tokens = bm25s.tokenize(
            [word], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )[0]
        if not tokens or any(token not in model.vocab_dict for token in tokens):
            return 0
        indptr = model.scores["indptr"]
        # Units holding every token: at most the rarest token's count (exact for one word).
        counts = [indptr[model.vocab_dict[t] + 1] - indptr[model.vocab_dict[t]] for t in tokens]
        return int(min(counts))

    def search(self, query: str, *, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        import bm25s

        model = self._build()
        if model is None or k <= 0:
            return []
        tokens = bm25s.tokenize(
            [query], stopwords="en", stemmer=self._stemmer, show_progress=False,
            return_ids=False,
        )  # fmt: skip
        vocabulary = model.vocab_dict
        known = [[token for token in tokens[0] if token in vocabulary]]
        if not known[0]:
            return []
        mask = self._mask(filters)
        allowed = len(self._rows) if mask is None else int(mask.sum())
        k = min(k, allowed)
        if k == 0:
            return []
        documents, scores = model.retrieve(
            known, k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        hits: list[Hit] = []
        for row, score in zip(documents[0], scores[0], strict=True):
            if score <= 0:
                break
            unit_id, passage_id, document_id, source_id, *_ = self._rows[int(row)]
            hits.append(
                Hit(passage_id=passage_id, document_id=document_id, score=float(score),
                    rank=len(hits) + 1, retriever=self.name, source_id=source_id, unit_id=unit_id)
            )  # fmt: skip
        return hits

    def _build(self) -> Any:
        if self._model is not None:
            return self._model
        import bm25s
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        records = self.conn.execute(
            "SELECT unit_id, passage_id, document_id, source_id, kind, year, source, title, text"
            " FROM units ORDER BY rowid"
        ).fetchall()
        if not records:
            return None
        self._rows = [record[:7] for record in records]
        corpus = [" ".join([record[7]] * self.title_repeats + [record[8]]) for record in records]
        tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=self._stemmer, show_progress=False)
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        self._model = model
        return model

    def _mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty:
            return None
        return np.array(
            [
                filters.accepts(kind=kind, year=year, source=source)
                for _u, _p, _d, _s, kind, year, source in self._rows
            ],
            dtype=np.float32,
        )
