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
from collections.abc import Sequence

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Participant
from ..services.ballots import BallotResult, VoteRequest, cast_ballots, vote_request
from ..services.errors import Busy, Conflict, ServiceError
from . import broadcast
from .group_commit import GroupCommit
from .tallies import live_tallies

log = logging.getLogger(__name__)

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


class VoteQueue(GroupCommit[VoteRequest, "BallotResult | ServiceError"]):
    """The queue between Socket.IO vote handlers and the one writer task of a process."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app, float(app.config.get("VOTE_BATCH_WINDOW", 0.0)))
        self.max_depth = int(app.config.get("VOTE_QUEUE_DEPTH", 4000))
        self.busy = 0  # votes answered busy because the queue was full or closed

    def submit(self, request: VoteRequest) -> BallotResult | ServiceError:
        """Queue one vote and wait until it is committed (or refused)."""
        if self.closed or self.queued() >= self.max_depth:
            self.busy += 1
            return Busy("the server is busy: your vote will be sent again in a moment", "busy")
        return self.wait_for(request)

    def stats(self) -> dict:
        return {
            "queued": self.queued(),
            "waiting": self._waiting,
            "max_depth": self.max_depth,
            "batches": self.batches,
            "busy": self.busy,
            "closed": self.closed,
        }

    def write(self, items: list[VoteRequest]) -> list[BallotResult | ServiceError]:
        outcomes = commit_votes(items)
        workshops = {
            request.workshop_id
            for request, outcome in zip(items, outcomes, strict=True)
            if isinstance(outcome, BallotResult) and outcome.changed
        }
        for workshop_id in workshops:
            broadcast.request_tally(workshop_id)
        return outcomes

    def failure(self, error: Exception, count: int) -> BallotResult | ServiceError:
        log.error("vote batch of %d failed", count, exc_info=error)
        return Busy("your vote was not saved: it will be sent again", "busy")


def init_app(app: Flask) -> None:
    app.extensions["workshop_vote_queue"] = VoteQueue(app)


def vote_queue() -> VoteQueue:
    return current_app.extensions["workshop_vote_queue"]
