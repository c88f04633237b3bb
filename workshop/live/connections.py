"""The sockets connected to this process: who each one is, and questions about them.

The bottom of the live room: the handlers (``realtime.py``) add and remove connections;
presence (``online.py``), the broadcaster's resync and the server stats read them. It
imports nothing else of the live room.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Connection:
    workshop_id: int
    code: str
    role: str  # attendee | presenter | facilitator
    participant_id: int | None = None
    group: str | None = None
    facilitator_id: int | None = None
    # Facilitators logged in with the session cookie: that login's nonce ("" for a session
    # older than nonces); None for a bearer token. Logging out closes the matching sockets.
    login_nonce: str | None = None
    participant_kind: str = "phone"  # assisted: a helper's phone voting for an attendee


_connections: dict[str, Connection] = {}
_lock = threading.Lock()


def add(sid: str, connection: Connection) -> None:
    with _lock:
        _connections[sid] = connection


def remove(sid: str) -> Connection | None:
    with _lock:
        return _connections.pop(sid, None)


def get(sid: str) -> Connection | None:
    return _connections.get(sid)


def items() -> list[tuple[str, Connection]]:
    """A copy: (sid, connection) of every socket of this process."""
    with _lock:
        return list(_connections.items())


def local_attendees(workshop_id: int) -> set[tuple[int, str]]:
    """(participant, group) of the attendee sockets connected to this process."""
    with _lock:
        return {
            (c.participant_id, c.group)
            for c in _connections.values()
            if c.workshop_id == workshop_id and c.role == "attendee"
        }


def local_workshops() -> set[int]:
    """Workshops with a socket connected to this process."""
    with _lock:
        return {c.workshop_id for c in _connections.values()}
