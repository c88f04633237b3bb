"""What this process holds in memory, as counts (no names, no tokens, no text).

For the soak test and for an operator watching a long meeting: every figure here must
fall back when phones leave (``tests/test_soak.py``). Served to facilitators at
``GET /api/v1/server/stats``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from flask import current_app

from ..extensions import socketio
from ..ratelimit import limits
from . import broadcast, connections


def _rss_kb() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def server_stats() -> dict:
    """Counts of connections, rooms, rate-limit buckets, presence jobs and queued votes."""
    roles = Counter(c.role for _, c in connections.items())
    rooms = socketio.server.manager.rooms.get("/", {})
    rate = limits()
    return {
        "connections": {"total": sum(roles.values()), **dict(roles)},
        "engineio_sockets": len(getattr(socketio.server.eio, "sockets", {})),
        "rooms": len(rooms),
        "rate_limit_buckets": {
            name: getattr(rate, name).prune() for name in ("join_failures", "statements", "votes")
        },
        "broadcasts_pending": broadcast.throttle.pending(),
        "vote_queue": current_app.extensions["workshop_vote_queue"].stats(),
        "process": {"pid": os.getpid(), "rss_kb": _rss_kb(), "open_fds": _open_fds()},
    }
