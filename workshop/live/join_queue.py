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
from dataclasses import dataclass

from flask import Flask, current_app

from ..extensions import db
from ..models import Participant, Workshop, hash_token, new_token
from ..services.errors import Busy, ServiceError
from ..services.participation import join_name
from .group_commit import GroupCommit

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Joined:
    participant_id: int
    group: str
    token: str  # the bearer token, shown once


@dataclass(frozen=True)
class _JoinRequest:
    workshop_id: int
    group: str
    name: str | None
    token: str


class JoinQueue(GroupCommit[_JoinRequest, "Joined | ServiceError"]):
    def __init__(self, app: Flask) -> None:
        super().__init__(app, float(app.config.get("JOIN_BATCH_WINDOW", 0.0)))

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
        request = _JoinRequest(workshop.id, group, name, token)
        # Give this request's connection back to the pool while it waits: a hall of
        # waiting joins must not hold every pooled connection the writer needs. (Nothing
        # of the ORM is read after this: the rollback expires it, and a read would take a
        # connection again for the whole wait.)
        db.session.rollback()
        outcome = self.wait_for(request)
        if isinstance(outcome, ServiceError):
            raise outcome
        return outcome

    def stats(self) -> dict:
        return {"queued": self.queued(), "waiting": self._waiting, "batches": self.batches}

    def write(self, items: list[_JoinRequest]) -> list[Joined | ServiceError]:
        participants = [
            Participant(
                workshop_id=r.workshop_id,
                group=r.group,
                name=r.name,
                token_hash=hash_token(r.token),
            )
            for r in items
        ]
        db.session.add_all(participants)
        db.session.flush()
        outcomes: list[Joined | ServiceError] = [
            Joined(p.id, r.group, r.token) for p, r in zip(participants, items, strict=True)
        ]
        db.session.commit()
        return outcomes

    def failure(self, error: Exception, count: int) -> Joined | ServiceError:
        if isinstance(error, ServiceError):
            return error
        log.error("join batch of %d failed", count, exc_info=error)
        return Busy("the server is busy: join again in a moment", "busy")


def init_app(app: Flask) -> None:
    app.extensions["workshop_join_queue"] = JoinQueue(app)


def join_queue() -> JoinQueue:
    return current_app.extensions["workshop_join_queue"]
