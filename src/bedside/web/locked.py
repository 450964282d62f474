"""The service as the web layer uses it: only what must be serialised is.

FastAPI runs `def` endpoints in a thread pool. A `Service` is not thread-safe: it keeps one store
connection (SQLite's, or psycopg's, whose transactions two threads would interleave), lazily
built indexes and an embedder, and caches that composing fills. So the web app keeps three kinds
of `Service`, and no lock around all of them:

- **Store readers** (`StorePool`): services that only use the store — stored answers, article
  pages, passages, topics, the review board's queue and actions, sign-in sessions, the
  throttles' events. Each is lent to one thread at a time, with its own connection, so these
  calls run side by side; the database orders their writes (SQLite's single writer and busy
  timeout, PostgreSQL's row and advisory locks), as it does for several processes. A reader
  never loads an index or a model.
- **The composer** (`web/composers.py`): asking a question that has no stored answer runs the
  whole pipeline on a service that holds the indexes, the embedder and the caches they fill
  (statement vectors, term weights): in the request's thread, one question at a time, or, with
  `web.compose_processes` set (an app built from settings only), in processes of its own. A
  question with a stored answer is looked up by a reader first and never waits for a compose.
- **The searcher** (under `_search_lock`): its own service with its own indexes and embedder,
  built on the first search, so a search never waits behind a compose. Searches wait for each
  other: the indexes and the embedder are not made for concurrent callers. On PostgreSQL it
  reads from a replica when `store.search_url` names one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from bedside.config import Settings
from bedside.domain import Answer, Audience, KbStats, ReviewStatus
from bedside.errors import BedsideError, NotFoundError
from bedside.review.accounts import User
from bedside.review.events import AuditEvent
from bedside.review.sessions import LiveSession
from bedside.review.workflow import Action, Publication
from bedside.service import PassageView, SearchResult, Service
from bedside.web.composers import Composer, ProcessComposer, ThreadComposer

# How many recent articles the home page scans for approved ones.
_RECENT_SCAN = 200


@dataclass(frozen=True, slots=True)
class Topic:
    """A guideline card: what the knowledge base has a curated article on."""

    card_id: str
    title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Health:
    """What `/api/health` reports about the knowledge base."""

    stats: KbStats
    kb_version: str


class StorePool:
    """Up to `size` store-only services, each with a connection of its own, lent to one thread
    at a time; a thread that finds all `size` lent out waits for one to come back."""

    def __init__(self, settings: Settings, *, size: int) -> None:
        self._settings = settings
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Service] = []
        self._idle_lock = threading.Lock()  # guards `_idle` only, never a database call
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Service]:
        """A service to use for the duration of the block, from this thread only."""
        with self._slots:
            with self._idle_lock:
                reader = self._idle.pop() if self._idle else None
            if reader is None:
                reader = Service(self._settings)  # opens a new connection
            try:
                yield reader
            except BedsideError:
                # An answer not found, a refused action: still usable. So is a reader whose
                # server went away (a `StoreError`): its store replaces the dropped connection
                # on its next use, once the server is back (store/postgresql.py).
                self._give_back(reader)
                raise
            except BaseException:
                # Anything else may have left the service in an unknown state: not lent again.
                _close_quietly(reader)
                raise
            self._give_back(reader)

    def _give_back(self, reader: Service) -> None:
        with self._idle_lock:
            if not self._closed:
                self._idle.append(reader)
                return
        _close_quietly(reader)

    def close(self) -> None:
        with self._idle_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for reader in idle:
            _close_quietly(reader)


def _close_quietly(service: Service) -> None:
    with suppress(Exception):
        service.close()


@dataclass(frozen=True, slots=True)
class _PooledEventLog:
    """The throttles' events, each call on a connection borrowed from the pool."""

    readers: StorePool

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None:
        with self.readers.borrow() as reader:
            return reader.store.take_slot(scope, key, now=now, window=window, limit=limit)

    def record_event(self, scope: str, key: str, *, at: float) -> None:
        with self.readers.borrow() as reader:
            reader.store.record_event(scope, key, at=at)

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]:
        with self.readers.borrow() as reader:
            return reader.store.event_times(scope, key, since=since)

    def clear_events(self, scope: str, key: str) -> None:
        with self.readers.borrow() as reader:
            reader.store.clear_events(scope, key)

    def forget_events(self, scope: str, *, before: float) -> None:
        with self.readers.borrow() as reader:
            reader.store.forget_events(scope, before=before)


class LockedService:
    """Thread-safe access to one knowledge base, limited to what the web app needs: store
    reads and writes on pooled connections, composing apart (`web/composers.py`), searching
    under a lock of its own."""

    def __init__(
        self, service: Service, *, store_connections: int = 8, compose_processes: int = 0
    ) -> None:
        self.service = service  # its generator names the composer; it composes with 0 processes
        self.composer: Composer = (
            ProcessComposer(service.settings, processes=compose_processes)
            if compose_processes
            else ThreadComposer(service)
        )
        self._readers = StorePool(service.settings, size=store_connections)
        self._search_lock = threading.Lock()
        self._searcher: Service | None = None

    @property
    def settings_fingerprint(self) -> str:
        return self.service.settings.fingerprint()

    def ask(
        self,
        question: str,
        *,
        audience: Audience,
        follow_up_of: str | None = None,
        full: bool = False,
    ) -> Answer:
        # The composer's generator is only asked its name, version and prompt digest here
        # (fixed when it is built), which is safe beside a compose that uses it.
        with self._readers.borrow() as reader:
            stored = reader.stored_answer(
                question,
                audience=audience,
                follow_up_of=follow_up_of,
                full=full,
                generator=self.service.generator,
            )
        if stored is not None:
            return stored
        return self.composer.compose(
            question, audience=audience, follow_up_of=follow_up_of, full=full
        )

    def get_answer(self, answer_id: str) -> Answer:
        with self._readers.borrow() as reader:
            return reader.get_answer(answer_id)

    def get_passage(self, passage_id: str) -> PassageView:
        with self._readers.borrow() as reader:
            return reader.get_passage(passage_id)

    def passages(self, passage_ids: Iterable[str]) -> dict[str, PassageView]:
        """The passages that still resolve, by id (a missing one is simply absent)."""
        found: dict[str, PassageView] = {}
        with self._readers.borrow() as reader:
            for passage_id in passage_ids:
                try:
                    found[passage_id] = reader.get_passage(passage_id)
                except NotFoundError:
                    continue
        return found

    def search(self, query: str, *, k: int) -> list[SearchResult]:
        with self._search_lock:
            if self._searcher is None:
                settings = self.service.settings
                # On PostgreSQL, a read replica when `store.search_url` names one.
                store = settings.store.for_searching()
                self._searcher = Service(settings.model_copy(update={"store": store}))
            return self._searcher.search(query, k=k)

    def topics(self) -> list[Topic]:
        """The guideline cards of the knowledge base, by title."""
        cards: dict[str, Topic] = {}
        with self._readers.borrow() as reader:
            for document in reader.store.iter_current_documents(origins=("card",)):
                extra = document.extra
                card_id = str(document.card_id)
                if card_id not in cards:
                    cards[card_id] = Topic(
                        card_id=card_id,
                        title=str(extra.get("card_title") or document.title),
                        aliases=tuple(str(alias) for alias in extra.get("aliases", ())),
                    )
        return sorted(cards.values(), key=lambda topic: topic.title.lower())

    def recent_answers(
        self, *, status: ReviewStatus | None = None, limit: int = 20
    ) -> list[Answer]:
        """Recent articles (not refusals), newest first, optionally only those in `status`."""
        if status is not None:
            with self._readers.borrow() as reader:
                found = reader.review_queue(status)
            found.sort(key=lambda answer: answer.updated_at, reverse=True)
            return found[:limit]
        found = []
        with self._readers.borrow() as reader:
            for answer_id, _question in reader.store.answered_questions(limit=_RECENT_SCAN):
                found.append(reader.get_answer(answer_id))
                if len(found) >= limit:
                    break
        return found

    # -- review -------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User | None:
        with self._readers.borrow() as reader:
            return reader.authenticate(username, password)

    def list_users(self) -> list[User]:
        with self._readers.borrow() as reader:
            return reader.list_users()

    def start_session(self, user: User) -> tuple[str, str]:
        with self._readers.borrow() as reader:
            return reader.start_session(user)

    def resume_session(self, token: str) -> LiveSession | None:
        with self._readers.borrow() as reader:
            return reader.resume_session(token)

    def end_sessions(self, username: str) -> None:
        with self._readers.borrow() as reader:
            reader.end_sessions(username)

    @property
    def throttle_events(self) -> _PooledEventLog:
        """The store's throttle events, for the rate limits: in the database, so every worker
        and host on it shares the counts."""
        return _PooledEventLog(self._readers)

    def review_queue(self, status: ReviewStatus | None = None) -> list[tuple[Answer, str | None]]:
        """Articles in `status` (default: every open one), oldest first, with their assignee."""
        with self._readers.borrow() as reader:
            queue = reader.review_queue(status)
            return [(answer, reader.assignee(answer.answer_id)) for answer in queue]

    def review_state(self, answer_id: str) -> tuple[str | None, list[AuditEvent]]:
        """An article's assignee and audit log (oldest first)."""
        with self._readers.borrow() as reader:
            return reader.assignee(answer_id), reader.audit_log(answer_id)

    def audit_log(self, subject_id: str) -> list[AuditEvent]:
        with self._readers.borrow() as reader:
            return reader.audit_log(subject_id)

    def act(
        self,
        answer_id: str,
        action: Action,
        *,
        user: User,
        note: str,
        assignee: str | None,
        publication: Publication | None = None,
    ) -> None:
        """Take one review action on an article (assign and comment included)."""
        # The store's transaction makes the status check and the change one step, against
        # every other connection and worker (docs/review.md).
        with self._readers.borrow() as reader:
            if action is Action.ASSIGN:
                reader.assign(answer_id, assignee=assignee or user.username, user=user, note=note)
            elif action is Action.COMMENT:
                reader.comment(answer_id, user=user, note=note)
            else:
                reader.transition(answer_id, action, user=user, note=note, publication=publication)

    def card_statuses(self) -> dict[str, str]:
        with self._readers.borrow() as reader:
            return reader.card_statuses()

    def act_on_card(self, card_id: str, action: Action, *, user: User, note: str) -> None:
        """Take one review action on a guideline card (cards are not assigned)."""
        with self._readers.borrow() as reader:
            reader.transition_card(card_id, action, user=user, note=note)

    def health(self) -> Health:
        with self._readers.borrow() as reader:
            return Health(reader.kb_stats(), reader.store.kb_version())

    def start(self) -> None:
        """Start the composing processes, if any (called when the app starts serving)."""
        self.composer.start()

    def close(self) -> None:
        """Close what `close_own` does, and the service (`create_app` calls this only for a
        service it built)."""
        self.close_own()  # waits for a compose in progress
        self.service.close()

    def close_own(self) -> None:
        """Close what this object opened itself: the composing processes, the readers and the
        searcher."""
        self.composer.close()
        self._readers.close()
        with self._search_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
