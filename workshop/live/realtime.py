"""Socket.IO handlers (default namespace).

Phones, the projector and the facilitator's tablet connect with an ``auth``
object naming the workshop. Writes go through the same services as HTTP and
are acknowledged only after the commit. See ``docs/realtime.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from ..auth import (
    LOGIN_NONCE_SESSION_KEY,
    PARTICIPANT_SESSION_KEY,
    facilitator_for_token,
    manages,
    may_join,
)
from ..db_busy import busy_error
from ..extensions import db, socketio
from ..models import Activity, Participant, Workshop
from ..services import snapshots
from ..services.ballots import VoteRequest
from ..services.errors import ServiceError
from ..services.opinions import OPINION_KINDS, opinions_payload
from ..services.participation import submit_statement
from ..services.workshops import can_manage, get_workshop
from . import broadcast, connections, facilitator_sockets, room_cache
from .connections import Connection
from .vote_queue import VoteQueue

log = logging.getLogger(__name__)


def _refuse(code: str, message: str) -> ConnectionRefusedError:
    """A refusal whose ``connect_error`` data is ``{"code", "message"}`` (see docs/realtime.md)."""
    return ConnectionRefusedError(message, {"code": code, "message": message})


def on_connect(auth: object = None) -> None:
    """Sent by phones, the projector and the facilitator panel when they connect."""
    auth = auth if isinstance(auth, dict) else {}
    code = auth.get("workshop")
    if not isinstance(code, str) or not code:
        raise _refuse("workshop_required", "auth must name the workshop code")
    role = auth.get("role") or "attendee"
    # A phone of a hall connecting at once: the room state (and the workshop's id) from
    # workshop/live/room_cache.py, built once per change, and the participant in one query.
    hit = room_cache.lookup(code) if role == "attendee" else None
    if hit is not None:
        workshop_id, workshop_code, state, facts = hit
        connection, participant_name = _attendee_connection(workshop_id, workshop_code, auth)
    else:
        try:
            workshop = get_workshop(code)
        except ServiceError as error:
            raise _refuse(error.code, error.message) from None
        connection, participant_name = _identify(workshop, role, auth)
        state, facts = room_cache.room_state(workshop)
    sid = request.sid  # type: ignore[attr-defined]
    connections.add(sid, connection)
    if connection.role == "facilitator":
        facilitator_sockets.opened(
            sid, connection.facilitator_id, connection.workshop_id, connection.login_nonce
        )
    workshop_id = connection.workshop_id
    join_room(broadcast.room(workshop_id))
    join_room(broadcast.room(workshop_id, connection.role))
    if connection.participant_id is not None:
        join_room(broadcast.participant_room(connection.participant_id))
        personal = room_cache.personal_state(
            state, facts, connection.participant_id, connection.group, participant_name
        )
        socketio.emit("state", personal, to=sid)
    else:
        socketio.emit("state", state, to=sid)
        socketio.emit("presence", broadcast.presence_payload(workshop), to=sid)
    if room_cache.may_see_tally(facts, connection.role):
        activity = db.session.get(Activity, facts["id"])
        socketio.emit("tally", broadcast.tally_payload(activity), to=sid)
        if connection.role != "attendee" and facts["kind"] in OPINION_KINDS:
            socketio.emit("opinions", opinions_payload(activity), to=sid)
    broadcast.request_presence(workshop_id)


def _attendee_connection(workshop_id: int, code: str, auth: dict) -> tuple[Connection, str | None]:
    """An attendee's connection from its token (or the phone's cookie), without ORM objects."""
    token = auth.get("token") or session.get(PARTICIPANT_SESSION_KEY, {}).get(code)
    try:
        participant_id, group, name, kind = room_cache.attendee_for_token(
            workshop_id, token if isinstance(token, str) else None
        )
    except ServiceError as error:
        raise _refuse(error.code, error.message) from None
    connection = Connection(
        workshop_id, code, "attendee", participant_id, group, participant_kind=kind
    )
    return connection, name


def _identify(workshop: Workshop, role: object, auth: dict) -> tuple[Connection, str | None]:
    """The connection, and the participant's display name for an attendee."""
    if role == "presenter":
        # Once the short code is closed the projector's state carries the QR token: only a
        # browser that had the screen open before (session grant), one given the token, or
        # the workshop's facilitators may watch.
        if not (may_join(workshop, auth.get("join_token")) or manages(workshop)):
            raise _refuse(
                "short_code_closed",
                "this workshop's short code is closed: open the projector screen from the "
                "control panel",
            )
        return Connection(workshop.id, workshop.code, "presenter"), None
    if role == "facilitator":
        login_nonce = None
        facilitator = facilitator_for_token(auth.get("token")) if auth.get("token") else None
        if facilitator is None and current_user.is_authenticated:
            facilitator = current_user
            login_nonce = session.get(LOGIN_NONCE_SESSION_KEY) or ""
        # The owner and the co-facilitators: the same check as HTTP (get_owned_workshop).
        if facilitator is None or not can_manage(workshop, facilitator):
            raise _refuse("forbidden", "facilitator login required for this workshop")
        connection = Connection(
            workshop.id,
            workshop.code,
            "facilitator",
            facilitator_id=facilitator.id,
            login_nonce=login_nonce,
        )
        return connection, None
    if role != "attendee":
        raise _refuse("invalid_role", "role must be attendee, presenter or facilitator")
    return _attendee_connection(workshop.id, workshop.code, auth)


def on_disconnect(reason: object = None) -> None:
    """Sent by the Socket.IO layer when any client goes away."""
    connection = connections.remove(request.sid)  # type: ignore[attr-defined]
    if connection is not None:
        if connection.role == "facilitator":
            facilitator_sockets.closed(request.sid, connection.facilitator_id)  # type: ignore[attr-defined]
        broadcast.request_presence(connection.workshop_id)


def _facilitator_sockets(facilitator_id: int) -> dict[str, tuple[int, str | None]]:
    """sid -> (workshop id, login nonce) of this facilitator's sockets, every process."""
    found = facilitator_sockets.elsewhere(facilitator_id)
    for sid, c in connections.items():
        if c.role == "facilitator" and c.facilitator_id == facilitator_id:
            found[sid] = (c.workshop_id, c.login_nonce)
    return found


def _close(sids: list[str]) -> int:
    for sid in sids:
        # A socket of another process: python-socketio publishes the disconnect on the queue.
        socketio.server.disconnect(sid, namespace="/")
    return len(sids)


def disconnect_facilitator(facilitator_id: int, login_nonce: str | None) -> int:
    """On logout: close the sockets opened with that login session, in every process.

    ``login_nonce`` None ("log out everywhere", a password change) closes every
    cookie-authenticated socket of the facilitator; sockets authenticated with an API
    token stay. Returns how many were closed.
    """
    sids = [
        sid
        for sid, (_, nonce) in _facilitator_sockets(facilitator_id).items()
        if nonce is not None and (login_nonce is None or nonce == login_nonce)
    ]
    return _close(sids)


def disconnect_from_workshop(facilitator_id: int, workshop_id: int) -> int:
    """A co-facilitator was removed: close their panels of this workshop, every process."""
    sids = [
        sid
        for sid, (workshop, _) in _facilitator_sockets(facilitator_id).items()
        if workshop == workshop_id
    ]
    return _close(sids)


def _attendee(data: object, sid: str | None = None) -> tuple[Connection | None, dict | None]:
    """The attendee connection behind this event, or the error ack to send back."""
    connection = connections.get(sid or request.sid)  # type: ignore[attr-defined]
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


def _participant(connection: Connection) -> Participant | None:
    """The participant behind an attendee connection (identified once, on connect)."""
    return db.session.get(Participant, connection.participant_id)


def on_submit(data: object = None) -> dict:
    """Sent by an attendee phone: ``{"activity_id", "text", "client_id"}``; acked after commit."""
    connection, refusal = _attendee(data)
    if refusal:
        return refusal
    try:
        participant = _participant(connection)
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


def vote_handler(queue: VoteQueue) -> Callable[..., dict]:
    """The ``vote`` handler of one app, registered on the Socket.IO server itself.

    The hot path of a hall voting at once: it needs neither Flask's request context
    (building one per event cost about a third of the server's time under load) nor the
    database (the connection knows the participant; the writer task of ``queue`` does
    the rest), so it skips Flask-SocketIO's wrapper.
    """

    def on_vote(sid: str, data: object = None) -> dict:
        """Sent by an attendee phone: ``{"activity_id", "client_id", ...}`` with the kind's
        field (``dots``, ``ranking``, ``statement_id`` + ``value``, ``ratings`` or
        ``choices``); acked after commit. Votes are committed in batches
        (``workshop/live/vote_queue.py``)."""
        connection, refusal = _attendee(data, sid)
        if refusal:
            return refusal
        request = VoteRequest(
            connection.participant_id,
            connection.workshop_id,
            connection.group,
            data,
            connection.participant_kind,
        )
        outcome = queue.submit(request)
        if isinstance(outcome, ServiceError):
            return {"ok": False, **outcome.as_dict()}
        return {
            "ok": True,
            "changed": outcome.changed,
            "ballot": snapshots.outcome_ballot_dict(outcome),
        }

    return on_vote


def on_sync(data: object = None) -> dict:
    """Sent by any client that wants the full state again (e.g. after waking up)."""
    connection = connections.get(request.sid)  # type: ignore[attr-defined]
    if connection is None:
        return {"ok": False, "error": {"code": "not_connected", "message": "connect first"}}
    workshop = db.session.get(Workshop, connection.workshop_id)
    if connection.participant_id is not None:
        participant = _participant(connection)
        return {"ok": True, "state": snapshots.participant_state(workshop, participant)}
    return {"ok": True, "state": snapshots.room_state(workshop)}


def on_error(error: Exception) -> dict:
    """Any handler's unexpected error, as its ack: a busy or locked database is
    ``{"ok": false, "error": {"code": "busy"}}`` (phones send it again), anything else
    ``server_error`` (logged)."""
    db.session.rollback()
    busy = busy_error(error)
    connecting = (getattr(request, "event", None) or {}).get("message") == "connect"
    if busy is not None:
        log.warning("database busy: a Socket.IO event answered busy")
        if connecting:
            raise _refuse("busy", busy.message)
        return {"ok": False, **busy.as_dict()}
    log.exception("unhandled error in a Socket.IO handler")
    if connecting:
        raise _refuse("server_error", "unexpected error")
    return {"ok": False, "error": {"code": "server_error", "message": "unexpected error"}}


def register(socketio: SocketIO, app: Flask) -> None:
    socketio.on_error_default(on_error)
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("submit", on_submit)
    socketio.on_event("sync", on_sync)
    socketio.server.on("vote", vote_handler(app.extensions["workshop_vote_queue"]), namespace="/")
