"""In-memory rate limits, per process: a sliding window of timestamps per key.

Three limits guard a hearing against a runaway phone or a script:

- ``join_failures``: unknown join codes or tokens per client address. Only the
  failures count and only unknown codes are refused, so a whole hall behind one
  public address always gets in with the right code.
- ``statements`` and ``votes``: new writes per participant. A resend of a write
  that was already accepted (same ``client_id``) never reaches the limiter: the
  services answer it before asking for a slot.

Limits are per minute by default (``WORKSHOP_RATE_*``; 0 turns one off). With
several processes each keeps its own counts, so a client spread over N
processes gets up to N times the limit: a brake, not an exact quota.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request

from .services.errors import RateLimited


class SlidingWindow:
    """At most ``limit`` admitted events per ``window`` seconds for each key.

    Thread and greenlet safe: one lock, held only for a few dict and deque
    operations (nothing inside it can block or yield). Memory is bounded: each
    key keeps at most ``limit`` timestamps, and past ``max_keys`` keys the idle
    ones, then the oldest ones, are forgotten.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = max(int(limit), 0)
        self.window = float(window)
        self.clock = clock
        self.max_keys = max(int(max_keys), 1)
        self._lock = threading.Lock()
        self._hits: dict[Hashable, deque[float]] = {}
        self._pruned = clock()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def _live(self, key: Hashable, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is not None:
            while hits and hits[0] <= now - self.window:
                hits.popleft()
        return hits

    def acquire(self, key: Hashable) -> bool:
        """Take a slot for ``key``: True (and counted) if under the limit, else False."""
        if not self.enabled:
            return True
        with self._lock:
            now = self.clock()
            if now - self._pruned > self.window:  # once a window: drop the idle keys
                self._pruned = now
                self._forget_idle(now)
            hits = self._live(key, now)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget(now)
                hits = self._hits[key] = deque(maxlen=self.limit)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def allowed(self, key: Hashable) -> bool:
        """Whether ``acquire`` would succeed now (counts nothing)."""
        if not self.enabled:
            return True
        with self._lock:
            hits = self._live(key, self.clock())
            return hits is None or len(hits) < self.limit

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` has a free slot again (0 if it has one now)."""
        if not self.enabled:
            return 0.0
        with self._lock:
            now = self.clock()
            hits = self._live(key, now)
            if hits is None or len(hits) < self.limit:
                return 0.0
            return max(hits[0] + self.window - now, 0.0)

    def prune(self) -> int:
        """Forget the keys with no hit inside the window; the number of keys left."""
        with self._lock:
            now = self.clock()
            self._forget_idle(now)
            self._pruned = now
            return len(self._hits)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._hits)

    def _forget_idle(self, now: float) -> None:
        """Drop the keys with no hit inside the window (called under the lock)."""
        idle = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]

    def _forget(self, now: float) -> None:
        """Drop idle keys; if still too many, the oldest tenth (called under the lock)."""
        self._forget_idle(now)
        keep = int(self.max_keys * 0.9)
        if len(self._hits) > keep:
            for key in list(self._hits)[: len(self._hits) - keep]:
                del self._hits[key]


@dataclass
class RateLimits:
    join_failures: SlidingWindow
    statements: SlidingWindow
    votes: SlidingWindow


def init_app(app: Flask) -> None:
    window = float(app.config.get("RATE_WINDOW", 60.0))
    app.extensions["workshop_rate_limits"] = RateLimits(
        join_failures=SlidingWindow(app.config.get("RATE_JOIN_FAILURES", 10), window),
        statements=SlidingWindow(app.config.get("RATE_STATEMENTS", 20), window),
        votes=SlidingWindow(app.config.get("RATE_VOTES", 60), window),
    )


def limits() -> RateLimits:
    return current_app.extensions["workshop_rate_limits"]


def _refuse(window: SlidingWindow, key: Hashable, message: str) -> RateLimited:
    return RateLimited(message, retry_after=math.ceil(window.retry_after(key)) or 1)


def client_address() -> str:
    """The address the request came from (the proxy's, behind a reverse proxy)."""
    return (request.remote_addr if has_request_context() else None) or "unknown"


def note_unknown_workshop() -> None:
    """Called when a join code or token names no workshop: raises 429 past the limit.

    Outside a request (the command line) nothing is counted.
    """
    if not has_request_context():
        return
    window = limits().join_failures
    address = client_address()
    if not window.acquire(address):
        raise _refuse(
            window,
            address,
            "too many unknown workshop codes from this network; wait a minute and check "
            "the code on the screen",
        )


def admit_statement(participant_id: int) -> None:
    """Take a slot for a new statement of this participant, or raise 429."""
    window = limits().statements
    if not window.acquire(participant_id):
        raise _refuse(
            window,
            participant_id,
            f"you sent more than {window.limit} statements in a minute; "
            "wait a moment and send it again",
        )


def admit_vote(participant_id: int) -> None:
    """Take a slot for a new ballot of this participant, or raise 429."""
    window = limits().votes
    if not window.acquire(participant_id):
        raise _refuse(
            window,
            participant_id,
            f"you changed your vote more than {window.limit} times in a minute; "
            "wait a moment and send it again",
        )
