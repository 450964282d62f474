"""The service as the web layer uses it: one lock around a Service that is not thread-safe.

FastAPI runs `def` endpoints in a thread pool. `Service` keeps one SQLite connection (opened with
`check_same_thread=False`) and lazily built indexes, so two threads must never use it at once:
every call goes through `LockedService`, which holds a lock for its duration. Asking is CPU-bound
and local, so serialising it costs little next to the safety it buys.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from bedside.domain import Answer, Audience, KbStats, ReviewStatus
from bedside.errors import NotFoundError
from bedside.review.accounts import User
from bedside.review.events import AuditEvent
from bedside.review.sessions import LiveSession
from bedside.review.workflow import Action, Publication
from bedside.service import PassageView, SearchResult, Service
from bedside.web.rate_limit import EventLog

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


@dataclass(frozen=True, slots=True)
class _LockedEventLog:
    events: EventLog
    lock: threading.Lock

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None:
        with self.lock:
            return self.events.take_slot(scope, key, now=now, window=window, limit=limit)

    def record_event(self, scope: str, key: str, *, at: float) -> None:
        with self.lock:
            self.events.record_event(scope, key, at=at)

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]:
        with self.lock:
            return self.events.event_times(scope, key, since=since)

    def clear_events(self, scope: str, key: str) -> None:
        with self.lock:
            self.events.clear_events(scope, key)

    def forget_events(self, scope: str, *, before: float) -> None:
        with self.lock:
            self.events.forget_events(scope, before=before)


class LockedService:
    """Thread-safe access to one `Service`, limited to what the web app needs."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self._lock = threading.Lock()

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
        with self._lock:
            return self.service.ask(
                question, audience=audience, follow_up_of=follow_up_of, full=full
            )

    def get_answer(self, answer_id: str) -> Answer:
        with self._lock:
            return self.service.get_answer(answer_id)

    def get_passage(self, passage_id: str) -> PassageView:
        with self._lock:
            return self.service.get_passage(passage_id)

    def passages(self, passage_ids: Iterable[str]) -> dict[str, PassageView]:
        """The passages that still resolve, by id (a missing one is simply absent)."""
        found: dict[str, PassageView] = {}
        with self._lock:
            for passage_id in passage_ids:
                try:
                    found[passage_id] = self.service.get_passage(passage_id)
                except NotFoundError:
                    continue
        return found

    def search(self, query: str, *, k: int) -> list[SearchResult]:
        with self._lock:
            return self.service.search(query, k=k)

    def topics(self) -> list[Topic]:
        """The guideline cards of the knowledge base, by title."""
        with self._lock:
            cards: dict[str, Topic] = {}
            for document in self.service.store.iter_current_documents(origins=("card",)):
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
            with self._lock:
                found = self.service.review_queue(status)
            found.sort(key=lambda answer: answer.updated_at, reverse=True)
            return found[:limit]
        found = []
        with self._lock:
            for answer_id, _question in self.service.store.answered_questions(limit=_RECENT_SCAN):
                answer = self.service.get_answer(answer_id)
                if status is None or answer.review_status is status:
                    found.append(answer)
                    if len(found) >= limit:
                        break
        return found

    # -- review -------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User | None:
        with self._lock:
            return self.service.authenticate(username, password)

    def list_users(self) -> list[User]:
        with self._lock:
            return self.service.list_users()

    def start_session(self, user: User) -> tuple[str, str]:
        with self._lock:
            return self.service.start_session(user)

    def resume_session(self, token: str) -> LiveSession | None:
        with self._lock:
            return self.service.resume_session(token)

    def end_sessions(self, username: str) -> None:
        with self._lock:
            self.service.end_sessions(username)

    @property
    def throttle_events(self) -> EventLog:
        """The store's throttle events, for the rate limits, behind this lock."""
        return _LockedEventLog(self.service.store, self._lock)

    def review_queue(self, status: ReviewStatus | None = None) -> list[tuple[Answer, str | None]]:
        """Articles in `status` (default: every open one), oldest first, with their assignee."""
        with self._lock:
            queue = self.service.review_queue(status)
            return [(answer, self.service.assignee(answer.answer_id)) for answer in queue]

    def review_state(self, answer_id: str) -> tuple[str | None, list[AuditEvent]]:
        """An article's assignee and audit log (oldest first)."""
        with self._lock:
            return self.service.assignee(answer_id), self.service.audit_log(answer_id)

    def audit_log(self, subject_id: str) -> list[AuditEvent]:
        with self._lock:
            return self.service.audit_log(subject_id)

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
        with self._lock:
            if action is Action.ASSIGN:
                self.service.assign(
                    answer_id, assignee=assignee or user.username, user=user, note=note
                )
            elif action is Action.COMMENT:
                self.service.comment(answer_id, user=user, note=note)
            else:
                self.service.transition(
                    answer_id, action, user=user, note=note, publication=publication
                )

    def card_statuses(self) -> dict[str, str]:
        with self._lock:
            return self.service.card_statuses()

    def act_on_card(self, card_id: str, action: Action, *, user: User, note: str) -> None:
        """Take one review action on a guideline card (cards are not assigned)."""
        with self._lock:
            self.service.transition_card(card_id, action, user=user, note=note)

    def health(self) -> Health:
        with self._lock:
            return Health(self.service.kb_stats(), self.service.store.kb_version())

    def close(self) -> None:
        with self._lock:
            self.service.close()
