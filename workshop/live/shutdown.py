"""A graceful SIGTERM for ``workshop serve`` (gevent): drain the votes, then stop.

What a phone sees: votes it sent before the signal are committed and acknowledged as
usual; a vote arriving during the drain is answered ``busy`` (the phone keeps it and sends
it again); then the connections close *without* a Socket.IO disconnect packet, so every
client treats it as a lost connection and reconnects by itself (with its jittered
back-off) to the restarted server, and resends what was not acknowledged.

A second SIGTERM (or the drain taking longer than ``WORKSHOP_DRAIN_TIMEOUT`` seconds)
stops at once; a SIGKILL loses nothing acknowledged either (acknowledged means
committed), only the answers to the votes in flight, which the phones resend.
"""

from __future__ import annotations

import logging
import signal
import time

from flask import Flask

from ..extensions import socketio

log = logging.getLogger(__name__)

POLL = 0.02  # seconds between looks at the queue while draining


def _outgoing_empty() -> bool:
    """Whether every Engine.IO socket has sent what was queued for it (the acks)."""
    sockets = getattr(socketio.server.eio, "sockets", {})
    return all(getattr(s, "queue", None) is None or s.queue.empty() for s in list(sockets.values()))


def drain(app: Flask, timeout: float) -> bool:
    """Refuse new votes, wait until those received are committed and their acks sent.

    Returns whether it finished within ``timeout`` seconds.
    """
    queue = app.extensions["workshop_vote_queue"]
    joins = app.extensions["workshop_join_queue"]
    queue.close()
    joins.close()  # a join arriving now is answered busy; those queued are committed
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queue.idle() and joins.idle() and _outgoing_empty():
            socketio.sleep(0.1)  # the writer greenlets hand the last frames to the kernel
            return True
        socketio.sleep(POLL)
    return False


def install(app: Flask) -> None:
    """On SIGTERM: drain (in a greenlet of its own), then stop the server, exit 0."""
    import gevent

    timeout = float(app.config.get("DRAIN_TIMEOUT", 10.0))
    state = {"stopping": False}

    def stop_now() -> None:
        server = socketio.wsgi_server
        if server is not None:
            server.stop(timeout=1)

    def on_term() -> None:
        if state["stopping"]:
            log.warning("second SIGTERM: stopping without waiting")
            stop_now()
            return
        state["stopping"] = True
        stats = app.extensions["workshop_vote_queue"].stats()
        started = time.monotonic()
        drained = drain(app, timeout)
        log.warning(
            "SIGTERM: %s %d queued vote(s) in %.2f s; stopping",
            "drained" if drained else "gave up draining",
            stats["queued"],
            time.monotonic() - started,
        )
        stop_now()

    gevent.signal_handler(signal.SIGTERM, lambda: gevent.spawn(on_term))
