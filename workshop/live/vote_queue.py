"""Committing votes: one at a time from HTTP, in batches from Socket.IO (group commit).

A hall of phones voting at once would otherwise pay one transaction, one fsync
and about ten statements per ballot. Socket.IO vote handlers put their write
on a queue and wait; one writer task takes everything queued (after a short
window, ``WORKSHOP_VOTE_BATCH_WINDOW``), stores it in one transaction with a
few statements (``services/ballots.py: cast_ballots``), commits, updates the
live tallies, and only then releases the handlers to acknowledge. A
handler's acknowledgement therefore still means "committed".

Past ``WORKSHOP_VOTE_QUEUE_DEPTH`` waiting writes a vote is answered ``busy``
at once (the phone keeps it and sends it again), so an overload shows as a
clear answer rather than a growing wait.

On SIGTERM the server drains the queue (``workshop/live/shutdown.py``): ``close`` makes
every new vote answer ``busy``, and ``idle`` says when every vote already received
has been committed and its handler released to acknowledge it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db, socketio
from ..models import Participant
from ..services.ballots import BallotResult, VoteRequest, cast_ballots, vote_request
from ..services.errors import Busy, Conflict, ServiceError
from . import broadcast
from .tallies import live_tallies

log = logging.getLogger(__name__)

MAX_BATCH = 500


def commit_votes(requests: Sequence[VoteRequest]) -> list[BallotResult | ServiceError]:
    """Cast, commit once, then update the live tallies, under the tally lock.

    A unique-constraint race with a write on another connection (the same
    ``client_id`` or a first ballot) rolls the batch back and runs it again: the
    second run sees the winner's rows and answers the resend from them.
    """
    tallies = live_tallies()
    for _attempt in range(3):
        with tallies.writing():
            try:
                outcomes = cast_ballots(requests)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                continue
            for outcome in outcomes:
                if isinstance(outcome, BallotResult) and outcome.changed:
                    tallies.apply(
                        outcome.activity_id,
                        outcome.group,
                        outcome.previous,
                        outcome.current,
                        outcome.channel,
                        outcome.previous_channel,
                    )
        return outcomes
    error = Conflict("another write of this phone got in the way: send it again", "retry")
    return [error] * len(requests)


def commit_ballot(participant: Participant, payload: dict) -> BallotResult:
    """One vote (HTTP, forms): cast and commit it; raises the error that refused it."""
    (outcome,) = commit_votes([vote_request(participant, payload)])
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


class _Waiting:
    __slots__ = ("request", "done", "outcome")

    def __init__(self, request: VoteRequest) -> None:
        self.request = request
        self.done = threading.Event()
        self.outcome: BallotResult | ServiceError | None = None


class VoteQueue:
    """The queue between Socket.IO vote handlers and the one writer task of a process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.window = float(app.config.get("VOTE_BATCH_WINDOW", 0.0))
        self.max_depth = int(app.config.get("VOTE_QUEUE_DEPTH", 4000))
        self._pending: deque[_Waiting] = deque()
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._writer_started = False
        self.batches = 0  # transactions written (for tests and monitoring)
        self.busy = 0  # votes answered busy because the queue was full or closed
        self.closed = False  # draining for a shutdown: new votes are answered busy
        self._waiting = 0  # handlers inside submit (queued, being written, or just released)

    def submit(self, request: VoteRequest) -> BallotResult | ServiceError:
        """Queue one vote and wait until it is committed (or refused)."""
        if self.closed or len(self._pending) >= self.max_depth:
            self.busy += 1
            return Busy("the server is busy: your vote will be sent again in a moment", "busy")
        waiting = _Waiting(request)
        self._waiting += 1
        try:
            self._pending.append(waiting)
            self._start_writer()
            self._wake.set()
            waiting.done.wait()
        finally:
            self._waiting -= 1
        return waiting.outcome  # type: ignore[return-value]

    def close(self) -> None:
        """Refuse new votes (``busy``: the phone sends them again to the next server)."""
        self.closed = True

    def idle(self) -> bool:
        """Nothing queued, nothing being written, no handler still to be released."""
        return not self._pending and self._waiting == 0

    def stats(self) -> dict:
        return {
            "queued": len(self._pending),
            "waiting": self._waiting,
            "max_depth": self.max_depth,
            "batches": self.batches,
            "busy": self.busy,
            "closed": self.closed,
        }

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
                batch = [self._pending.popleft() for _ in range(min(MAX_BATCH, len(self._pending)))]
                self._write(batch)

    def _write(self, batch: list[_Waiting]) -> None:
        self.batches += 1
        with self.app.app_context():
            try:
                outcomes = commit_votes([w.request for w in batch])
                workshops = {
                    w.request.workshop_id
                    for w, o in zip(batch, outcomes, strict=True)
                    if isinstance(o, BallotResult) and o.changed
                }
                for workshop_id in workshops:
                    broadcast.request_tally(workshop_id)
            except Exception:  # the waiting phones must get an answer, whatever happened
                log.exception("vote batch of %d failed", len(batch))
                db.session.rollback()
                failure = Busy("your vote was not saved: it will be sent again", "busy")
                outcomes = [failure] * len(batch)
            finally:
                db.session.remove()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.done.set()


def init_app(app: Flask) -> None:
    app.extensions["workshop_vote_queue"] = VoteQueue(app)


def vote_queue() -> VoteQueue:
    return current_app.extensions["workshop_vote_queue"]
