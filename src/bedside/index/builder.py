"""Keep the indexes in step with the store: add what is new, drop what is no longer current.

Only missing units are embedded, in batches that are each committed, so an interrupted run
resumes where it stopped and a second run over an unchanged knowledge base does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from bedside.index.base import IndexEntry, KeywordIndex, VectorIndex
from bedside.index.embedders.base import Embedder
from bedside.index.units import passage_entry, window_entries
from bedside.store.base import Store

ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one index sync did."""

    keyword_added: int
    keyword_removed: int
    vectors_added: int
    vectors_removed: int

    @property
    def changed(self) -> bool:
        return any((self.keyword_added, self.keyword_removed, self.vectors_added,
                    self.vectors_removed))  # fmt: skip


def sync_indexes(
    *,
    store: Store,
    keyword: KeywordIndex,
    vectors: VectorIndex | None,
    embedder: Embedder | None,
    window_sentences: int,
    batch_size: int,
    progress: ProgressCallback | None = None,
) -> SyncReport:
    """Bring the keyword index (and, with an embedder, the vector index) up to date."""
    report = progress or (lambda stage, done, total: None)
    current = store.current_passage_ids()
    keyword_added, keyword_removed = _sync_keyword(store, keyword, current)
    vectors_added = vectors_removed = 0
    if vectors is not None and embedder is not None:
        vectors_added, vectors_removed = _sync_vectors(
            store, vectors, embedder, current, window_sentences, batch_size, report
        )
    return SyncReport(keyword_added, keyword_removed, vectors_added, vectors_removed)


def _sync_keyword(store: Store, keyword: KeywordIndex, current: set[str]) -> tuple[int, int]:
    indexed = keyword.unit_ids()
    stale = indexed - current
    removed = keyword.remove(stale) if stale else 0
    missing = current - indexed
    added = 0
    if missing:
        entries = (
            passage_entry(context)
            for context in store.iter_current_passage_contexts()
            if context.passage.passage_id in missing
        )
        for batch in _batches(entries, 5000):
            added += keyword.add(batch)
    return added, removed


def _sync_vectors(
    store: Store,
    vectors: VectorIndex,
    embedder: Embedder,
    current: set[str],
    window_sentences: int,
    batch_size: int,
    report: ProgressCallback,
) -> tuple[int, int]:
    indexed = vectors.unit_ids()
    stale = {unit_id for unit_id in indexed if unit_id.split("#", 1)[0] not in current}
    removed = vectors.remove(stale) if stale else 0
    done_passages = {unit_id.split("#", 1)[0] for unit_id in indexed - stale}
    todo = [
        entry
        for context in store.iter_current_passage_contexts()
        if context.passage.passage_id not in done_passages
        for entry in window_entries(context, window_sentences=window_sentences)
    ]
    added = 0
    report("embed", 0, len(todo))
    # Batches go in whole passages' windows at a time, so a passage is never half-indexed.
    for batch in _passage_batches(todo, batch_size * 8):
        added += vectors.add(batch, embedder.embed([entry.text for entry in batch]))
        report("embed", added, len(todo))
    # An index that keeps derived structures in memory (the HNSW graph) saves them now, so a
    # long-lived process that indexed does not leave them to be rebuilt by the next one.
    flush = getattr(vectors, "flush", None)
    if (added or removed) and callable(flush):
        flush()
    return added, removed


def _batches(entries: Iterator[IndexEntry], size: int) -> Iterator[list[IndexEntry]]:
    while batch := list(islice(entries, size)):
        yield batch


def _passage_batches(entries: Sequence[IndexEntry], size: int) -> Iterator[list[IndexEntry]]:
    batch: list[IndexEntry] = []
    for entry in entries:
        if len(batch) >= size and entry.passage_id != batch[-1].passage_id:
            yield batch
            batch = []
        batch.append(entry)
    if batch:
        yield batch
