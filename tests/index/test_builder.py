"""Index sync: embeds only what is missing, and an interrupted run resumes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bedside.config import Settings
from bedside.index.base import Vector
from bedside.index.builder import sync_indexes
from bedside.index.embedders.hashing import HashingEmbedder
from bedside.index.numpy_vectors import NumpyVectorIndex
from bedside.index.sqlite_fts import SqliteFtsIndex
from bedside.service import Service
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml


class FailingEmbedder(HashingEmbedder):
    """Embeds `budget` batches, then fails as a killed process would."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget
        self.texts_embedded = 0

    def embed(self, texts: Sequence[str]) -> Vector:
        if self.budget == 0:
            raise KeyboardInterrupt
        self.budget -= 1
        self.texts_embedded += len(texts)
        return super().embed(texts)


def test_interrupted_embedding_resumes_without_redoing_work(
    settings: Settings, tmp_path: Path
) -> None:
    corpus = tmp_path / "set.xml"
    corpus.write_text(make_pubmed_xml(make_pubmed_articles(60)))
    with Service(settings) as service:
        service.ingest([str(corpus)])
        store = service.store
    store.open()
    keyword = SqliteFtsIndex(tmp_path / "fts.sqlite", title_weight=1.5)
    vectors = NumpyVectorIndex(tmp_path / "vectors.sqlite", dimensions=256)
    keyword.open()
    vectors.open()
    first = FailingEmbedder(budget=2)
    with pytest.raises(KeyboardInterrupt):
        sync_indexes(store=store, keyword=keyword, vectors=vectors, embedder=first,
                     window_sentences=1, batch_size=2)  # fmt: skip
    done = len(vectors.unit_ids())
    assert 0 < done < 180
    vectors.close()
    vectors.open()  # what was committed survives
    assert len(vectors.unit_ids()) == done
    second = FailingEmbedder(budget=1000)
    report = sync_indexes(store=store, keyword=keyword, vectors=vectors, embedder=second,
                          window_sentences=1, batch_size=2)  # fmt: skip
    assert second.texts_embedded == report.vectors_added == 180 - done
    assert len(vectors.unit_ids()) == 180  # 60 abstracts of 3 sentences, one window each
    assert not sync_indexes(store=store, keyword=keyword, vectors=vectors, embedder=second,
                            window_sentences=1, batch_size=2).changed  # fmt: skip
