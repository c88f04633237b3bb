"""Phones online across server processes (the projector's "online now").

One process knows only its own sockets. With a Redis message queue each process also
writes its attendees of a workshop into a Redis hash (one field per process, with the
time it was written) whenever it counts them, and every 30 s while it has any; a count
is the union of the fresh fields (a phone with tabs on two processes counts once). A
process that died stops counting after ``FRESH`` seconds. Without a message queue (one
process) nothing leaves the process.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable

from flask import Flask, current_app

from ..extensions import socketio
from .connections import local_attendees

PROCESS = uuid.uuid4().hex[:12]
FRESH = 90.0
HEARTBEAT = 30.0

Attendees = set[tuple[int, str]]
_lock = threading.Lock()
_clients: dict[str, object] = {}
_published: set[int] = set()
_heartbeat: list[bool] = []
log = logging.getLogger(__name__)


def _redis(app: Flask):
    url = app.config.get("MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    with _lock:
        if url not in _clients:
            import redis

            _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return _clients[url]


def _key(app: Flask, workshop_id: int) -> str:
    channel = app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"
    return f"{channel}:online:{workshop_id}"


def across_processes(
    workshop_id: int, local: Attendees, source: Callable[[int], Attendees]
) -> Attendees:
    """``local`` (this process's attendees) joined with the other processes' fresh ones.

    ``source(workshop_id)`` gives this process's attendees again for the heartbeat.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    client = _redis(app)
    if client is None:
        return local
    _start_heartbeat(app, source)
    now = time.time()
    try:
        pipe = client.pipeline(transaction=False)
        _write(pipe, app, workshop_id, local, now)
        pipe.hgetall(_key(app, workshop_id))
        entries = pipe.execute()[-1]
    except Exception as error:  # noqa: BLE001 - Redis down: count this process only
        log.warning("online count across processes unavailable: %s", error)
        return local
    merged = set(local)
    for field, raw in entries.items():
        if field.decode() == PROCESS:
            continue
        entry = json.loads(raw)
        if now - float(entry.get("at", 0)) <= FRESH:
            merged.update((int(p), g) for p, g in entry.get("attendees", []))
    return merged


def _write(pipe, app: Flask, workshop_id: int, local: Attendees, now: float) -> None:
    key = _key(app, workshop_id)
    pipe.hset(
        key,
        PROCESS,
        json.dumps({"at": now, "attendees": sorted(local, key=lambda a: (a[0], a[1] or ""))}),
    )
    pipe.expire(key, 24 * 3600)
    with _lock:
        if local:
            _published.add(workshop_id)
        else:
            _published.discard(workshop_id)  # written empty once; nothing to refresh


def _start_heartbeat(app: Flask, source: Callable[[int], Attendees]) -> None:
    with _lock:
        if _heartbeat:
            return
        _heartbeat.append(True)
    socketio.start_background_task(_beat, app, source)


def _beat(app: Flask, source: Callable[[int], Attendees]) -> None:
    """Keep this process's fields fresh while it has attendees (the others read them)."""
    while True:
        socketio.sleep(HEARTBEAT)
        with _lock:
            workshops = list(_published)
        try:
            client = _redis(app)
            pipe = client.pipeline(transaction=False)
            now = time.time()
            for workshop_id in workshops:
                _write(pipe, app, workshop_id, source(workshop_id), now)
            pipe.execute()
        except Exception as error:  # noqa: BLE001 - keep beating
            log.warning("online heartbeat failed: %s", error)


def online_counts(workshop) -> dict:
    """Attendees connected, per group (a phone with two tabs counts once); with a message
    queue, those of every process."""
    attendees = across_processes(workshop.id, local_attendees(workshop.id), local_attendees)
    by_group = {g: 0 for g in workshop.groups}
    for _, group in attendees:
        by_group[group] = by_group.get(group, 0) + 1
    return {"total": len(attendees), "by_group": by_group}
