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
