"""Facilitator login throttling, per account and per client address.

Each failed login counts against the e-mail it named and the address it came from.
At ``WORKSHOP_LOGIN_FAILURES`` failures of an account (10) or
``WORKSHOP_LOGIN_FAILURES_PER_ADDRESS`` of an address (30), further logins are
refused with 429 and ``Retry-After`` for ``WORKSHOP_LOGIN_LOCK`` seconds (60), the
password not even checked; each failure after that doubles the lock (up to an hour).
Failures are forgotten ``WORKSHOP_LOGIN_WINDOW`` seconds (15 minutes) after the last
one, and a successful login forgets them at once.

Only facilitator logins are counted here: attendee joins never look at these counts,
so a hall behind one shared address always gets in.

With a Redis message queue (several processes) the counts live in Redis, shared by
every process; otherwise (or while Redis does not answer) in this process.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

log = logging.getLogger(__name__)

LONGEST_LOCK = 3600.0


@dataclass(frozen=True)
class Rules:
    account_limit: int = 10
    address_limit: int = 30
    window: float = 900.0
    lock: float = 60.0

    def lock_for(self, failures: int, limit: int) -> float:
        """Seconds locked after ``failures`` failures: 0 below ``limit``, then
        ``lock``, doubling with each further failure, at most an hour."""
        if limit <= 0 or failures < limit:
            return 0.0
        return min(self.lock * 2 ** min(failures - limit, 20), LONGEST_LOCK)


class MemoryCounts:
    """Failures and lock ends per key, in this process."""

    def __init__(self, clock=time.time, max_keys: int = 50_000) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, float, float]] = {}  # failures, last, locked until

    def locked_until(self, key: str, window: float) -> float:
        with self._lock:
            entry = self._live(key, window)
            return entry[2] if entry else 0.0

    def fail(self, key: str, window: float, lock_for) -> float:
        with self._lock:
            now = self.clock()
            entry = self._live(key, window)
            failures = (entry[0] if entry else 0) + 1
            until = now + lock_for(failures) if lock_for(failures) else 0.0
            if key not in self._entries and len(self._entries) >= self.max_keys:
                self._forget(now, window)
            self._entries[key] = (failures, now, until)
            return until

    def reset(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _live(self, key: str, window: float):
        entry = self._entries.get(key)
        if entry and entry[1] + window < self.clock() and entry[2] < self.clock():
            del self._entries[key]
            return None
        return entry

    def _forget(self, now: float, window: float) -> None:
        for key, (_, last, until) in list(self._entries.items()):
            if last + window < now and until < now:
                del self._entries[key]
        while len(self._entries) >= self.max_keys:
            self._entries.pop(next(iter(self._entries)))


class RedisCounts:
    """The same counts in Redis, shared by every process (a hash per key, with a TTL)."""

    def __init__(self, client, prefix: str, clock=time.time) -> None:
        self.client = client
        self.prefix = prefix
        self.clock = clock

    def _key(self, key: str) -> str:
        return f"{self.prefix}:login:{key}"

    def locked_until(self, key: str, window: float) -> float:  # noqa: ARG002
        value = self.client.hget(self._key(key), "until")
        return float(value) if value else 0.0

    def fail(self, key: str, window: float, lock_for) -> float:
        name = self._key(key)
        failures = int(self.client.hincrby(name, "failures", 1))
        now = self.clock()
        seconds = lock_for(failures)
        until = now + seconds if seconds else 0.0
        pipe = self.client.pipeline(transaction=False)
        if until:
            pipe.hset(name, "until", repr(until))
        pipe.expire(name, math.ceil(max(window, seconds)) + 1)
        pipe.execute()
        return until

    def reset(self, key: str) -> None:
        self.client.delete(self._key(key))


class LoginThrottle:
    def __init__(self, rules: Rules, memory: MemoryCounts, shared: RedisCounts | None) -> None:
        self.rules = rules
        self.memory = memory
        self.shared = shared

    def _call(self, method: str, *args):
        if self.shared is not None:
            try:
                return getattr(self.shared, method)(*args)
            except Exception as error:  # noqa: BLE001  (Redis down: keep throttling here)
                log.warning("login throttle: Redis unavailable (%s); counting in-process", error)
        return getattr(self.memory, method)(*args)

    def retry_after(self, email: str, address: str) -> int:
        """Seconds this login must still wait (0: it may try)."""
        now = self.memory.clock()
        until = max(
            self._call("locked_until", f"account:{email}", self.rules.window),
            self._call("locked_until", f"address:{address}", self.rules.window),
        )
        return math.ceil(until - now) if until > now else 0

    def failed(self, email: str, address: str) -> int:
        """Count a failure; returns the seconds now locked (0: not locked)."""
        now = self.memory.clock()
        rules = self.rules
        until = max(
            self._call(
                "fail",
                f"account:{email}",
                rules.window,
                lambda n: rules.lock_for(n, rules.account_limit),
            ),
            self._call(
                "fail",
                f"address:{address}",
                rules.window,
                lambda n: rules.lock_for(n, rules.address_limit),
            ),
        )
        return math.ceil(until - now) if until > now else 0

    def succeeded(self, email: str, address: str) -> None:
        self._call("reset", f"account:{email}")
        self._call("reset", f"address:{address}")


def init_app(app: Flask) -> None:
    from .live.online import _redis

    rules = Rules(
        account_limit=int(app.config.get("LOGIN_FAILURES", 10)),
        address_limit=int(app.config.get("LOGIN_FAILURES_PER_ADDRESS", 30)),
        window=float(app.config.get("LOGIN_WINDOW", 900.0)),
        lock=float(app.config.get("LOGIN_LOCK", 60.0)),
    )
    client = _redis(app)
    channel = app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"
    shared = RedisCounts(client, channel) if client is not None else None
    app.extensions["workshop_login_throttle"] = LoginThrottle(rules, MemoryCounts(), shared)


def throttle() -> LoginThrottle:
    return current_app.extensions["workshop_login_throttle"]
