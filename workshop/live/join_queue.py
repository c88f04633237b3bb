"""Committing joins in batches (group commit), as votes are (workshop/live/vote_queue.py).

When the doors open a hundred phones a second join. Each join was a transaction of its
own, and on SQLite with ``synchronous=FULL`` every commit is an fsync that holds the
whole gevent process: at 100 joins a second the process spent most of its time in
them, and every phone already connected waited too (docs/performance.md, "Doors-open
rush"). Now a join request checks its input, then queues the new participant and waits;
one writer task per process inserts everything queued (after ``WORKSHOP_JOIN_BATCH_WINDOW``
seconds, 5 ms) in one transaction, commits once and releases the requests, which then
answer as before. An answer still means "stored".

A failed batch (the database busy) answers ``busy`` (503, ``retry_after``) to each of
its joins: nothing was stored, and the phone joins again. During a SIGTERM drain new
joins are answered ``busy`` too (workshop/live/shutdown.py). With the window at 0 (tests) a
join is committed in its own request, as before.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass

from flask import Flask, current_app

from ..extensions import db, socketio
from ..models import Participant, Workshop, hash_token, new_token
from ..services.errors import Busy, ServiceError
from ..services.participation import join_name

log = logging.getLogger(__name__)

MAX_BATCH = 500


@dataclass(frozen=True)
class Joined:
    participant_id: int
    group: str
    token: str  # the bearer token, shown once


class _Waiting:
    __slots__ = ("workshop_id", "group", "name", "token", "done", "outcome")

    def __init__(self, workshop_id: int, group: str, name: str | None, token: str) -> None:
        self.workshop_id, self.group, self.name, self.token = workshop_id, group, name, token
        self.done = threading.Event()
        self.outcome: Joined | ServiceError | None = None


class JoinQueue:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.window = float(app.config.get("JOIN_BATCH_WINDOW", 0.0))
        self._pending: deque[_Waiting] = deque()
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._writer_started = False
        self._waiting = 0
        self.batches = 0
        self.closed = False

    def join(self, workshop: Workshop, group: str, name: str | None) -> Joined:
        """Register a participant and commit; raises the error that refused it."""
        name = join_name(workshop, group, name)
        if self.closed:
            raise Busy("the server is restarting: join again in a moment", "busy")
        token = new_token()
        if self.window <= 0:
            participant = Participant(
                workshop_id=workshop.id, group=group, name=name, token_hash=hash_token(token)
            )
            db.session.add(participant)
            db.session.flush()
            joined = Joined(participant.id, group, token)
            db.session.commit()
            return joined
        waiting = _Waiting(workshop.id, group, name, token)
        # Give this request's connection back to the pool while it waits: a hall of
        # waiting joins must not hold every pooled connection the writer needs.
        db.session.rollback()
        self._waiting += 1
        try:
            self._pending.append(waiting)
            self._start_writer()
            self._wake.set()
            waiting.done.wait()
        finally:
            self._waiting -= 1
        if isinstance(waiting.outcome, ServiceError):
            raise waiting.outcome
        return waiting.outcome  # type: ignore[return-value]

    def close(self) -> None:
        self.closed = True

    def idle(self) -> bool:
        return not self._pending and self._waiting == 0

    def stats(self) -> dict:
        return {"queued": len(self._pending), "waiting": self._waiting, "batches": self.batches}

    def _start_writer(self) -> None:
        with self._start_lock:
            if not self._writer_started:
                socketio.start_background_task(self._run)
                self._writer_started = True

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            socketio.sleep(self.window)
            while self._pending:
                count = min(MAX_BATCH, len(self._pending))
                self._write([self._pending.popleft() for _ in range(count)])

    def _write(self, batch: list[_Waiting]) -> None:
        self.batches += 1
        outcomes: list[Joined | ServiceError]
        with self.app.app_context():
            try:
                participants = [
                    Participant(
                        workshop_id=w.workshop_id,
                        group=w.group,
                        name=w.name,
                        token_hash=hash_token(w.token),
                    )
                    for w in batch
                ]
                db.session.add_all(participants)
                db.session.flush()
                outcomes = [
                    Joined(p.id, w.group, w.token) for p, w in zip(participants, batch, strict=True)
                ]
                db.session.commit()
            except Exception as error:  # every waiting phone must get an answer
                db.session.rollback()
                if not isinstance(error, ServiceError):
                    log.exception("join batch of %d failed", len(batch))
                    error = Busy("the server is busy: join again in a moment", "busy")
                outcomes = [error] * len(batch)
            finally:
                db.session.remove()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.done.set()


def init_app(app: Flask) -> None:
    app.extensions["workshop_join_queue"] = JoinQueue(app)


def join_queue() -> JoinQueue:
    return current_app.extensions["workshop_join_queue"]
