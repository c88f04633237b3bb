"""Group commit: one writer task per process commits what request handlers queue.

On SQLite with ``synchronous=FULL`` every commit is an fsync that holds the whole gevent
process, so a hall's writes one transaction each would spend the process in fsyncs. A
handler queues its write and waits; the writer (after ``window`` seconds, to let a burst
gather) takes up to ``MAX_BATCH`` of them, writes them in one transaction, commits once
and releases each handler with its own outcome. An outcome still means "stored" or
"refused"; a batch that failed answers each of its writes with the subclass's
``failure``. ``close`` (a SIGTERM drain) makes the owner refuse new writes; ``idle``
says when everything queued has been answered.

Votes (``vote_queue.py``) and joins (``join_queue.py``) use it.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

from flask import Flask

from ..extensions import db, socketio

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

MAX_BATCH = 500


class _Waiting(Generic[Item, Outcome]):
    __slots__ = ("item", "done", "outcome")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = threading.Event()
        self.outcome: Outcome | None = None


class GroupCommit(Generic[Item, Outcome]):
    """The queue between handlers and the one writer task; subclasses say how to write."""

    def __init__(self, app: Flask, window: float) -> None:
        self.app = app
        self.window = window
        self._pending: deque[_Waiting[Item, Outcome]] = deque()
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._writer_started = False
        self._waiting = 0  # handlers inside wait_for (queued, being written, or just released)
        self.batches = 0  # transactions written (for tests and monitoring)
        self.closed = False  # draining for a shutdown: the owner refuses new writes

    # --- what a subclass provides ---

    def write(self, items: list[Item]) -> list[Outcome]:
        """Write and commit ``items`` in one transaction (inside an app context)."""
        raise NotImplementedError

    def failure(self, error: Exception, count: int) -> Outcome:
        """The answer to each write of a batch that raised ``error`` (rolled back)."""
        raise NotImplementedError

    # --- the queue ---

    def wait_for(self, item: Item) -> Outcome:
        """Queue ``item`` and wait until the writer has committed (or refused) it."""
        waiting: _Waiting[Item, Outcome] = _Waiting(item)
        self._waiting += 1
        try:
            self._pending.append(waiting)
            self._start_writer()
            self._wake.set()
            waiting.done.wait()
        finally:
            self._waiting -= 1
        return waiting.outcome  # type: ignore[return-value]

    def queued(self) -> int:
        return len(self._pending)

    def close(self) -> None:
        self.closed = True

    def idle(self) -> bool:
        """Nothing queued, nothing being written, no handler still to be released."""
        return not self._pending and self._waiting == 0

    def _start_writer(self) -> None:
        if self._writer_started:
            return
        with self._start_lock:
            if not self._writer_started:
                socketio.start_background_task(self._run)
                self._writer_started = True

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self.window > 0:
                socketio.sleep(self.window)
            while self._pending:
                count = min(MAX_BATCH, len(self._pending))
                self._write([self._pending.popleft() for _ in range(count)])

    def _write(self, batch: list[_Waiting[Item, Outcome]]) -> None:
        self.batches += 1
        with self.app.app_context():
            try:
                outcomes = self.write([w.item for w in batch])
            except Exception as error:  # every waiting handler must get an answer
                db.session.rollback()
                outcomes = [self.failure(error, len(batch))] * len(batch)
            finally:
                db.session.remove()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.done.set()
