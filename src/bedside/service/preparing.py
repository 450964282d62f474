"""First use: an empty knowledge base is built from the bundled cards, once, before it is needed.

The commands that need a knowledge base (`ask`, `search`, `serve`, `kb stats`) call
`prepare_knowledge_base` before they open it. Under an exclusive lock on
`<home>/kb/<name>.build.lock` it decides what is missing and builds it; a second process that
starts at the same time waits on the lock, then finds the work done. A marker file
(`<name>.building`) is written before building and removed after, so a build that was
interrupted is resumed by the next command (ingest and index sync are both idempotent and
resumable). Decision record 0008.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bedside.config import Settings
from bedside.index.builder import ProgressCallback as IndexProgressCallback
from bedside.index.builder import SyncReport
from bedside.ingest.pipeline import IngestReport, ProgressCallback
from bedside.service import Service, bundled_cards_path


@dataclass(frozen=True, slots=True)
class PreparedKnowledgeBase:
    """What first use did: the bundled cards ingested (or not) and the index sync."""

    reason: str
    ingested: IngestReport | None
    indexed: SyncReport


def lock_path(settings: Settings) -> Path:
    """The lock file that serialises first-use builds of one knowledge base."""
    return settings.kb_path().with_name(f"{settings.store.kb}.build.lock")


def marker_path(settings: Settings) -> Path:
    """Present while a first-use build runs (or after one was interrupted)."""
    return settings.kb_path().with_name(f"{settings.store.kb}.building")


def prepare_knowledge_base(
    settings: Settings,
    *,
    on_start: Callable[[str], None] | None = None,
    ingest_progress: ProgressCallback | None = None,
    index_progress: IndexProgressCallback | None = None,
    needs_indexes: bool = True,
) -> PreparedKnowledgeBase | None:
    """Build what the knowledge base lacks before first use; None when nothing was missing.

    - An empty knowledge base (no document ever stored): ingest the bundled guideline cards and
      index them, as `bedside ingest --bundled` does.
    - A missing index file (a new embedder version, or a knowledge base stored with
      `--no-index`): bring the indexes up to date, as `bedside index` does.
    - An interrupted build (the marker file is still there): resume it.

    `needs_indexes=False` (for a command that only reads the store) skips the second case.

    The store is opened (created and migrated) under the lock too, so that two processes never
    race to create the same file. `on_start` is told, once, what is about to happen.
    """
    marker = marker_path(settings)
    with exclusive_lock(lock_path(settings)), Service(settings) as service:
        is_empty = service.kb_stats().documents == 0
        was_interrupted = marker.exists()
        missing = service.missing_indexes() if needs_indexes else []
        if not (is_empty or was_interrupted or missing):
            return None
        if is_empty:
            reason = "building the knowledge base from the bundled guideline cards (once)"
        elif was_interrupted:
            reason = "resuming an interrupted knowledge-base build"
        else:
            names = ", ".join(missing)
            reason = f"indexing the knowledge base for the current settings (once): {names}"
        if on_start is not None:
            on_start(reason)
        marker.touch()
        ingested = None
        if is_empty or was_interrupted:
            ingested = service.ingest([str(bundled_cards_path())], progress=ingest_progress)
        indexed = service.index(progress=index_progress)
        marker.unlink()
        return PreparedKnowledgeBase(reason=reason, ingested=ingested, indexed=indexed)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if needed) for the block's duration.

    The operating system drops the lock when the process dies, so a crash never leaves the
    knowledge base locked.
    """
    # 0700 like the store's own folder: the knowledge base holds readers' questions.
    path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    with path.open("a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover - CI is POSIX
            import msvcrt

            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    time.sleep(0.2)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
