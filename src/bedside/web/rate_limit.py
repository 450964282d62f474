"""A per-client limit on asking: at most N questions in any sliding 60-second window.

In memory and per process: enough to stop one client from monopolising a laptop or a small
server (asking is the only expensive request). Behind several workers or a proxy, put the limit
in the proxy instead.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Counts events per key; refuses one that would exceed `per_minute` in the last minute."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        """Record one event for `key`: None if allowed, else seconds until one would be."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - WINDOW_SECONDS:
                events.popleft()
            if len(events) >= self.per_minute:
                return max(1, math.ceil(events[0] + WINDOW_SECONDS - now))
            events.append(now)
            if len(self._events) > 10_000:
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._events.items() if not v or v[-1] <= now - WINDOW_SECONDS]
        for key in idle:
            del self._events[key]


class FailureBackoff:
    """Exponential back-off after repeated failures for one key (a username): the first
    `free` failures cost nothing, then each one doubles the wait before the next attempt, up to
    `longest` seconds. A success clears the key, and the wait always ends: rotating addresses
    cannot guess faster, and the real user is delayed, never locked out for good."""

    def __init__(
        self,
        *,
        free: int = 5,
        longest: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.longest = longest
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key → (count, time of the last)
        self._lock = threading.Lock()

    def wait(self, key: str) -> int | None:
        """Seconds before `key` may be tried again, or None if it may be tried now."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
        if count < self.free:
            return None
        remaining = last + min(self.longest, 2.0 ** (count - self.free)) - self._clock()
        return max(1, math.ceil(remaining)) if remaining > 0 else None

    def failed(self, key: str) -> None:
        with self._lock:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, self._clock())
            if len(self._failures) > 10_000:
                oldest = sorted(self._failures, key=lambda k: self._failures[k][1])[:5_000]
                for stale in oldest:
                    del self._failures[stale]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
