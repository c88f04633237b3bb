"""Socket.IO handlers (default namespace).

Phones, the projector and the facilitator's tablet connect with an ``auth``
object naming the workshop. Writes go through the same services as HTTP and
are acknowledged only after the commit. See ``docs/realtime.md``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from . import broadcast
from .auth import facilitator_for_token, session_participant_token
from .extensions import db, socketio
from .models import Participant, Workshop
from .services import snapshots
from .services.errors import ServiceError
from .services.participation import participant_for_token, submit_statement
from .services.workshops import get_workshop
from .tallies import commit_ballot


@dataclass(frozen=True)
class Connection:
    workshop_id: int
    code: str
    role: str  # attendee | presenter | facilitator
    participant_id: int | None = None
    group: str | None = None


_connections: dict[str, Connection] = {}
_lock = threading.Lock()


def online_counts(workshop: Workshop) -> dict:
    """Attendee sockets connected to this process, per group (a phone with two tabs counts once)."""
    with _lock:
        attendees = {
            (c.participant_id, c.group)
            for c in _connections.values()
            if c.workshop_id == workshop.id and c.role == "attendee"
        }
    by_group = {g: 0 for g in workshop.groups}
    for _, group in attendees:
        by_group[group] = by_group.get(group, 0) + 1
    return {"total": len(attendees), "by_group": by_group}


def _refuse(code: str, message: str) -> ConnectionRefusedError:
    return ConnectionRefusedError({"code": code, "message": message})


def on_connect(auth: object = None) -> None:
    """Sent by phones, the projector and the facilitator panel when they connect."""
    auth = auth if isinstance(auth, dict) else {}
    code = auth.get("workshop")
    if not isinstance(code, str) or not code:
        raise _refuse("workshop_required", "auth must name the workshop code")
    try:
        workshop = get_workshop(code)
    except ServiceError as error:
        raise _refuse(error.code, error.message) from None
    role = auth.get("role") or "attendee"
    connection = _identify(workshop, role, auth)
    sid = request.sid  # type: ignore[attr-defined]
    with _lock:
        _connections[sid] = connection
    join_room(broadcast.room(workshop.id))
    join_room(broadcast.room(workshop.id, connection.role))
    if connection.participant_id is not None:
        join_room(broadcast.participant_room(connection.participant_id))
        broadcast.emit_personal_state(workshop, connection.participant_id, sid=sid)
    else:
        socketio.emit("state", snapshots.room_state(workshop), to=sid)
        socketio.emit("presence", broadcast.presence_payload(workshop), to=sid)
    if broadcast.may_see_tally(workshop.current_activity, connection.role):
        socketio.emit("tally", broadcast.tally_payload(workshop.current_activity), to=sid)
    broadcast.request_presence(workshop.id)


def _identify(workshop: Workshop, role: object, auth: dict) -> Connection:
    if role == "presenter":
        return Connection(workshop.id, workshop.code, "presenter")
    if role == "facilitator":
        facilitator = facilitator_for_token(auth.get("token")) if auth.get("token") else None
        if facilitator is None and current_user.is_authenticated:
            facilitator = current_user
        if facilitator is None or facilitator.id != workshop.facilitator_id:
            raise _refuse("forbidden", "facilitator login required for this workshop")
        return Connection(workshop.id, workshop.code, "facilitator")
    if role != "attendee":
        raise _refuse("invalid_role", "role must be attendee, presenter or facilitator")
    token = auth.get("token") or session_participant_token(workshop)
    try:
        participant = participant_for_token(workshop, token if isinstance(token, str) else None)
    except ServiceError as error:
        raise _refuse(error.code, error.message) from None
    return Connection(workshop.id, workshop.code, "attendee", participant.id, participant.group)


def on_disconnect(reason: object = None) -> None:
    """Sent by the Socket.IO layer when any client goes away."""
    with _lock:
        connection = _connections.pop(request.sid, None)  # type: ignore[attr-defined]
    if connection is not None:
        broadcast.request_presence(connection.workshop_id)


def _attendee(data: object) -> tuple[Connection | None, dict | None]:
    """The attendee connection behind this event, or the error ack to send back."""
    connection = _connections.get(request.sid)  # type: ignore[attr-defined]
    if connection is None or connection.role != "attendee":
        return None, {
            "ok": False,
            "error": {"code": "forbidden", "message": "only attendees write"},
        }
    if not isinstance(data, dict):
        return None, {
            "ok": False,
            "error": {"code": "invalid", "message": "payload must be an object"},
        }
    return connection, None


def participant_for_token_id(participant_id: int | None) -> Participant | None:
    return db.session.get(Participant, participant_id)


def on_submit(data: object = None) -> dict:
    """Sent by an attendee phone: ``{"activity_id", "text", "client_id"}``; acked after commit."""
    connection, refusal = _attendee(data)
    if refusal:
        return refusal
    try:
        participant = participant_for_token_id(connection.participant_id)
        outcome = submit_statement(
            participant, data.get("activity_id"), data.get("text"), data.get("client_id")
        )
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return {"ok": False, **error.as_dict()}
    if outcome.created:
        broadcast.announce_statement(outcome.statement)
    return {
        "ok": True,
        "created": outcome.created,
        "pending": outcome.statement.pending,
        "statement": snapshots.statement_dict(outcome.statement),
    }


def on_vote(data: object = None) -> dict:
    """Sent by an attendee phone: ``{"activity_id", "client_id", ...}`` with the kind's field
    (``dots``, ``ranking``, ``statement_id`` + ``value``, ``ratings`` or ``choices``);
    acked after commit."""
    connection, refusal = _attendee(data)
    if refusal:
        return refusal
    try:
        participant = participant_for_token_id(connection.participant_id)
        outcome = commit_ballot(participant, data)
    except ServiceError as error:
        db.session.rollback()
        return {"ok": False, **error.as_dict()}
    if outcome.changed:
        broadcast.request_tally(connection.workshop_id)
    return {
        "ok": True,
        "changed": outcome.changed,
        "ballot": snapshots.ballot_dict(outcome.ballot, outcome.activity.kind),
    }


def on_sync(data: object = None) -> dict:
    """Sent by any client that wants the full state again (e.g. after waking up)."""
    connection = _connections.get(request.sid)  # type: ignore[attr-defined]
    if connection is None:
        return {"ok": False, "error": {"code": "not_connected", "message": "connect first"}}
    workshop = db.session.get(Workshop, connection.workshop_id)
    if connection.participant_id is not None:
        participant = participant_for_token_id(connection.participant_id)
        return {"ok": True, "state": snapshots.participant_state(workshop, participant)}
    return {"ok": True, "state": snapshots.room_state(workshop)}


def register(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("submit", on_submit)
    socketio.on_event("vote", on_vote)
    socketio.on_event("sync", on_sync)
