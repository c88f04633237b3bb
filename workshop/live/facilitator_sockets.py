"""Which facilitator sockets are open, in every process, so that they can be closed.

Logout, "log out everywhere", a password change and removing a co-facilitator close
that facilitator's live panels at once. A process knows its own sockets; with a Redis
message queue each process also writes its facilitator sockets into a Redis hash per
facilitator (sid -> workshop and login nonce), and closing one that lives in another
process goes through the queue (python-socketio publishes the disconnect).
"""

from __future__ import annotations

import json
import logging

from flask import current_app

from .online import _redis

log = logging.getLogger(__name__)
KEEP = 24 * 3600  # seconds a facilitator's hash outlives its last socket (a crashed process)


def _key(facilitator_id: int) -> str:
    channel = current_app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"
    return f"{channel}:facilitator-sockets:{facilitator_id}"


def opened(sid: str, facilitator_id: int, workshop_id: int, login_nonce: str | None) -> None:
    client = _redis(current_app)
    if client is None:
        return
    try:
        pipe = client.pipeline(transaction=False)
        pipe.hset(_key(facilitator_id), sid, json.dumps([workshop_id, login_nonce]))
        pipe.expire(_key(facilitator_id), KEEP)
        pipe.execute()
    except Exception as error:  # noqa: BLE001  (Redis down: this process still knows it)
        log.warning("facilitator sockets: Redis unavailable (%s)", error)


def closed(sid: str, facilitator_id: int) -> None:
    client = _redis(current_app)
    if client is None:
        return
    try:
        client.hdel(_key(facilitator_id), sid)
    except Exception as error:  # noqa: BLE001
        log.warning("facilitator sockets: Redis unavailable (%s)", error)


def elsewhere(facilitator_id: int) -> dict[str, tuple[int, str | None]]:
    """sid -> (workshop id, login nonce) of this facilitator's sockets in every process."""
    client = _redis(current_app)
    if client is None:
        return {}
    try:
        entries = client.hgetall(_key(facilitator_id))
    except Exception as error:  # noqa: BLE001
        log.warning("facilitator sockets: Redis unavailable (%s)", error)
        return {}
    found = {}
    for sid, value in entries.items():
        workshop_id, nonce = json.loads(value)
        found[sid.decode() if isinstance(sid, bytes) else sid] = (int(workshop_id), nonce)
    return found
