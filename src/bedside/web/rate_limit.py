"""Throttles of the web app: a sliding-window limit per client (asking, signing in) and an
exponential back-off after failed sign-ins per account.

Their events live in the store (`EventLog`, implemented by every `Store`), so every worker on
one database shares them: a client cannot multiply its allowance by landing on another worker.
Keys are hashed before they are stored, so the database keeps no client address or username.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Protocol

WINDOW_SECONDS = 60.0
# Failed sign-ins older than this no longer count towards the back-off.
FAILURE_MEMORY_SECONDS = 24 * 3600.0


class EventLog(Protocol):
    """Where throttles count events (the store's `throttle_events`)."""

    def take_slot(
        self, scope: str, key: str, *, now: float, window: float, limit: int
    ) -> float | None: ...

    def record_event(self, scope: str, key: str, *, at: float) -> None: ...

    def event_times(self, scope: str, key: str, *, since: float) -> list[float]: ...

    def clear_events(self, scope: str, key: str) -> None: ...

    def forget_events(self, scope: str, *, before: float) -> None: ...


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class RateLimiter:
    """At most `per_minute` events per key in any sliding 60-second window (0: no limit)."""

    def __init__(
        self,
        per_minute: int,
        *,
        scope: str,
        events: EventLog,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.per_minute = per_minute
        self.scope = scope
        self._events = events
        self._clock = clock

    def hit(self, key: str) -> int | None:
        """Count one event for `key`: None if allowed, else seconds until one would be."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        oldest = self._events.take_slot(
            self.scope, _hashed(key), now=now, window=WINDOW_SECONDS, limit=self.per_minute
        )
        if oldest is None:
            return None
        return max(1, math.ceil(oldest + WINDOW_SECONDS - now))


class FailureBackoff:
    """Exponential back-off after repeated failures for one key (a username): the first
    `free` failures cost nothing, then each one doubles the wait before the next attempt, up to
    `longest` seconds. A success clears the key, and the wait always ends: rotating addresses
    cannot guess faster, and the real user is delayed, never locked out for good."""

    def __init__(
        self,
        *,
        events: EventLog,
        scope: str = "sign-in-failure",
        free: int = 5,
        longest: float = 900.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scope = scope
        self.free = free
        self.longest = longest
        self._events = events
        self._clock = clock

    def wait(self, key: str) -> int | None:
        """Seconds before `key` may be tried again, or None if it may be tried now."""
        now = self._clock()
        times = self._events.event_times(
            self.scope, _hashed(key), since=now - FAILURE_MEMORY_SECONDS
        )
        if len(times) < self.free:
            return None
        remaining = times[-1] + min(self.longest, 2.0 ** (len(times) - self.free)) - now
        return max(1, math.ceil(remaining)) if remaining > 0 else None

    def failed(self, key: str) -> None:
        now = self._clock()
        self._events.record_event(self.scope, _hashed(key), at=now)
        self._events.forget_events(self.scope, before=now - FAILURE_MEMORY_SECONDS)

    def succeeded(self, key: str) -> None:
        self._events.clear_events(self.scope, _hashed(key))
