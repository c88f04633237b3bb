"""Pushing snapshots to the rooms of a workshop, after the database commit.

Rooms: ``w<id>`` (everyone of a workshop), ``w<id>:attendee``, ``w<id>:presenter``,
``w<id>:facilitator`` and ``p<participant id>`` (every tab of one phone).
Tallies, opinion maps and presence are throttled per workshop so that a storm of ballots
costs a few snapshots a second, not one message per ballot per screen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db, socketio
from ..models import Activity, Ballot, Statement, Workshop
from ..services import snapshots
from ..services.opinions import OPINION_KINDS, opinions_payload
from ..services.participation import visible_statements
from .online import online_counts
from .tallies import live_tallies


def room(workshop_id: int, role: str | None = None) -> str:
    return f"w{workshop_id}:{role}" if role else f"w{workshop_id}"


def participant_room(participant_id: int) -> str:
    return f"p{participant_id}"


class Throttle:
    """Run a job for a key at most once per ``interval`` seconds, always with fresh data.

    A request while a run is pending is folded into it; a request after the run
    started schedules the next one, so the last change is never missed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._last_run: dict[str, float] = {}

    def request(self, key: str, interval: float, job: Callable[[], None]) -> None:
        if interval <= 0:
            job()
            return
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        socketio.start_background_task(self._run_later, app, key, interval, job)

    def pending(self) -> int:
        """Jobs asked for and not yet run (for server stats)."""
        with self._lock:
            return len(self._pending)

    def _run_later(self, app: Flask, key: str, interval: float, job: Callable[[], None]) -> None:
        wait = self._last_run.get(key, 0.0) + interval - time.monotonic()
        if wait > 0:
            socketio.sleep(wait)
        with self._lock:
            self._pending.discard(key)
            self._last_run[key] = time.monotonic()
        with app.app_context():
            try:
                job()
            finally:
                db.session.remove()


throttle = Throttle()


def emit_state(workshop: Workshop) -> None:
    """Send the room state to every screen, then each voter's own ballot to its phone."""
    state = snapshots.room_state(workshop)
    for role in ("attendee", "presenter", "facilitator"):
        socketio.emit("state", state, to=room(workshop.id, role))
    activity = workshop.current_activity
    if activity is not None and activity.is_vote:
        ballots = db.session.scalars(select(Ballot).where(Ballot.activity_id == activity.id))
        for ballot in ballots:
            personal = dict(state, my_ballot=snapshots.ballot_dict(ballot, activity.kind))
            socketio.emit("state", personal, to=participant_room(ballot.participant_id))
    request_tally(workshop.id)
    request_presence(workshop.id)


def emit_personal_state(workshop: Workshop, participant_id: int, sid: str | None = None) -> None:
    from ..models import Participant

    participant = db.session.get(Participant, participant_id)
    if participant is not None:
        state = snapshots.participant_state(workshop, participant)
        socketio.emit("state", state, to=sid or participant_room(participant_id))


def announce_statement(statement: Statement) -> None:
    """A new statement: to everyone when visible; to facilitators only while awaiting approval."""
    if statement.visible:
        socketio.emit(
            "statement", snapshots.statement_dict(statement), to=room(statement.workshop_id)
        )
        if statement.qa_state is not None:  # a new question joins the projector's queue
            request_tally(statement.workshop_id)
    elif statement.pending:
        from ..services.moderation import statement_detail

        socketio.emit(
            "moderation", statement_detail(statement), to=room(statement.workshop_id, "facilitator")
        )


def statements_changed(
    workshop: Workshop, activity_id: int, new_statement: Statement | None = None
) -> None:
    """After a moderation change: the full list of visible statements of that activity."""
    activity = db.session.get(Activity, activity_id)
    visible = visible_statements(activity) if activity else []
    payload = {
        "activity_id": activity_id,
        "statements": [snapshots.statement_dict(s) for s in visible],
    }
    socketio.emit("statements", payload, to=room(workshop.id))
    request_tally(workshop.id)


def request_tally(workshop_id: int) -> None:
    interval = current_app.config["TALLY_INTERVAL"]
    throttle.request(f"tally:{workshop_id}", interval, lambda: _emit_tally(workshop_id))


def _emit_tally(workshop_id: int) -> None:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.current_activity is None:
        return
    activity: Activity = workshop.current_activity
    if not activity.is_vote:
        return
    payload = tally_payload(activity)
    for role in ("facilitator", "presenter", "attendee"):
        if may_see_tally(activity, role):
            socketio.emit("tally", payload, to=room(workshop_id, role))
    if activity.kind in OPINION_KINDS and activity.state == "open":
        request_opinions(workshop_id)


# The live map takes at most about 1/OPINIONS_COST_FACTOR of the process (5 %): after a
# recomputation that took c seconds, the next waits at least c × 20.
OPINIONS_COST_FACTOR = 20.0
_opinions_cost: dict[int, float] = {}


def opinions_interval(base: float, last_cost: float) -> float:
    """Seconds between two recomputations of a workshop's map: ``base``, or longer when the
    last one was costly, so a large room's map never crowds out the ballots. 0 stays 0."""
    return max(base, last_cost * OPINIONS_COST_FACTOR) if base > 0 else 0.0


def request_opinions(workshop_id: int) -> None:
    """Recompute the open agree activity's opinion map in the background, at most once per
    ``OPINIONS_INTERVAL`` seconds, longer for a costly map (``opinions_interval``); never on
    a ballot's path: the throttle's own task."""
    interval = opinions_interval(
        current_app.config["OPINIONS_INTERVAL"], _opinions_cost.get(workshop_id, 0.0)
    )
    throttle.request(f"opinions:{workshop_id}", interval, lambda: _emit_opinions(workshop_id))


def _emit_opinions(workshop_id: int) -> None:
    started = time.monotonic()
    workshop = db.session.get(Workshop, workshop_id)
    activity = workshop.current_activity if workshop is not None else None
    if activity is None or activity.kind not in OPINION_KINDS:
        return
    payload = opinions_payload(activity)
    _opinions_cost[workshop_id] = time.monotonic() - started
    for role in ("facilitator", "presenter"):
        if may_see_tally(activity, role):
            socketio.emit("opinions", payload, to=room(workshop_id, role))


def may_see_tally(activity: Activity | None, role: str) -> bool:
    """Who sees the live results of the current vote: the facilitator always, the projector
    unless hidden from it, phones once revealed."""
    if activity is None or not activity.is_vote:
        return False
    if role == "facilitator":
        return True
    if role == "presenter":
        return activity.projector_results
    return activity.results_revealed


def tally_payload(activity: Activity) -> dict:
    from ..panel.counts import ballots_by_group

    results = snapshots.activity_results(activity, live_tallies().get(activity.id))
    results["revealed"] = activity.results_revealed
    results["ballots_by_group"] = ballots_by_group(activity)  # the panel's now card
    return results


def request_presence(workshop_id: int) -> None:
    interval = max(current_app.config["TALLY_INTERVAL"], 0.0) and 1.0
    throttle.request(f"presence:{workshop_id}", interval, lambda: _emit_presence(workshop_id))


def _emit_presence(workshop_id: int) -> None:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return
    payload = presence_payload(workshop)
    socketio.emit("presence", payload, to=room(workshop_id, "presenter"))
    socketio.emit("presence", payload, to=room(workshop_id, "facilitator"))


def presence_payload(workshop: Workshop) -> dict:
    counts = snapshots.participant_counts(workshop)
    counts["online"] = online_counts(workshop)
    return counts
