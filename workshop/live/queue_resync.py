"""The Redis message queue, coming back after Redis restarts (several processes).

python-socketio's ``RedisManager`` retries a lost subscription after 1 s, 2 s, 4 s ... up to
60 s, and whatever was published while Redis was down is gone: a projector on another
process kept the tally it had until the next ballot, however long that took. This manager
retries every ``RETRY_MAX`` seconds at most, and once it has subscribed again it asks for
fresh ``tally`` and ``presence`` snapshots of every workshop with sockets on this process
(the usual throttled snapshots, sent through the queue to every process), so the screens
are right again within about a second of Redis being back. Ballots are not affected
while Redis is down: they are stored in the database and acknowledged as usual.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import socketio

from . import broadcast
from .connections import local_workshops

log = logging.getLogger(__name__)

RETRY_MAX = 1.0


class ResyncingRedisManager(socketio.RedisManager):
    """``RedisManager`` with a short retry and a call-back after each re-subscription."""

    def __init__(self, url: str, channel: str, on_resubscribe: Callable[[], None]) -> None:
        super().__init__(url, channel=channel, write_only=False)
        self.on_resubscribe = on_resubscribe
        self.resubscriptions = 0

    def _redis_listen_with_retries(self):  # pragma: no cover - runs in the listener task
        retry_sleep = 0.25
        subscribed = first = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed, retry_sleep = True, 0.25
                    if first:
                        self.resubscriptions += 1
                        log.warning("message queue: subscribed again; refreshing the screens")
                        self._resync()
                    first = True
                yield from self.pubsub.listen()
            except Exception as error:  # noqa: BLE001 - Redis down: keep trying
                log.error("message queue unreachable (%s); retrying in %.2f s", error, retry_sleep)
                subscribed = False
                time.sleep(retry_sleep)
                retry_sleep = min(RETRY_MAX, retry_sleep * 2)

    def _resync(self) -> None:
        try:
            self.on_resubscribe()
        except Exception:  # noqa: BLE001 - never stop listening for this
            log.exception("refreshing the screens after the message queue came back failed")


def manager_for(app) -> ResyncingRedisManager | None:
    """The client manager for a ``redis://`` message queue; None for any other (or none)."""
    url = app.config.get("MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    channel = app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"

    def refresh() -> None:
        with app.app_context():
            for workshop_id in local_workshops():
                broadcast.request_tally(workshop_id)
                broadcast.request_presence(workshop_id)

    return ResyncingRedisManager(url, channel, refresh)
