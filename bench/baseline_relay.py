"""The least a vote relay can do: the yardstick for bench/load.py.

A bare python-socketio server on gevent, served exactly like ``workshop serve`` serves
the app (``gevent.pywsgi.WSGIServer``, WebSocket through simple-websocket, same ping and
message-size settings), that keeps every ballot in a dict and nothing else: no database,
no validation, no Flask. Its events are handled as python-socketio does by default, each in
a greenlet of its own; ``--in-order`` handles them one after another in the greenlet that
reads the connection (``async_handlers=False``), as ``workshop serve`` does. It speaks
the subset of Workshop's protocol that the load generator uses, with the same payload
shapes:

* connect with ``auth`` ``{"workshop", "token"}`` (attendee) or ``{"role": "presenter"}``;
* ``vote`` ``{"activity_id", "client_id", "dots"}`` acknowledged with
  ``{"ok": true, "changed", "ballot"}``, then a ``tally`` snapshot (``{"activity_id",
  "ballots", "items": [{"statement_id", "score"}]}``) to the presenters, throttled per
  ``--interval`` seconds like ``workshop/live/broadcast.py`` (the last change is never missed);
* ``sync`` answered with ``{"ok": true, "state": {"my_ballot": {"dots"}}}``;
* ``POST /join`` (a new token, for bench/rush.py), ``GET /health`` and ``GET /results``
  (``{"ballots", "items"}``) over HTTP.

    .venv/bin/python bench/baseline_relay.py --port 5099
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

ACTIVITY_ID = 1


class Relay:
    def __init__(self, interval: float, in_order: bool = False) -> None:
        self.interval = interval
        self.sio = socketio.Server(
            async_mode="gevent",
            async_handlers=not in_order,
            ping_interval=20,
            ping_timeout=20,
            max_http_buffer_size=16 * 1024,
        )
        self.voters: dict[str, str] = {}  # sid -> participant token
        self.ballots: dict[str, dict[int, int]] = {}  # token -> entries
        self.client_ids: dict[str, str] = {}  # token -> last client_id
        self.totals: dict[int, int] = {}
        self.pending = False
        self.last_run = 0.0
        self.joined = 0
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("vote", self.on_vote)
        self.sio.on("sync", self.on_sync)

    def snapshot(self) -> dict:
        items = sorted(
            ({"statement_id": k, "score": v} for k, v in self.totals.items()),
            key=lambda item: -item["score"],
        )
        return {"activity_id": ACTIVITY_ID, "ballots": len(self.ballots), "items": items}

    def on_connect(self, sid: str, environ: dict, auth: object = None) -> bool:
        auth = auth if isinstance(auth, dict) else {}
        if auth.get("role") == "presenter":
            self.sio.enter_room(sid, "presenter")
            self.sio.emit("tally", self.snapshot(), to=sid)
            return True
        token = auth.get("token")
        if not isinstance(token, str) or not token:
            return False
        self.voters[sid] = token
        self.sio.enter_room(sid, "attendee")
        return True

    def on_disconnect(self, sid: str, reason: object = None) -> None:
        self.voters.pop(sid, None)

    def on_vote(self, sid: str, data: object = None) -> dict:
        token = self.voters.get(sid)
        if token is None or not isinstance(data, dict) or not isinstance(data.get("dots"), dict):
            return {"ok": False, "error": {"code": "invalid", "message": "bad vote"}}
        if self.client_ids.get(token) == data.get("client_id"):
            return {"ok": True, "changed": False, "ballot": self._ballot(token)}
        entries = {int(k): int(v) for k, v in data["dots"].items()}
        previous = self.ballots.get(token, {})
        for key, value in previous.items():
            self.totals[key] = self.totals.get(key, 0) - value
        for key, value in entries.items():
            self.totals[key] = self.totals.get(key, 0) + value
        self.ballots[token] = entries
        self.client_ids[token] = data.get("client_id")
        self.request_tally()
        return {"ok": True, "changed": entries != previous, "ballot": self._ballot(token)}

    def _ballot(self, token: str) -> dict:
        return {
            "activity_id": ACTIVITY_ID,
            "kind": "dot_vote",
            "client_id": self.client_ids.get(token),
            "dots": {str(k): v for k, v in self.ballots.get(token, {}).items()},
        }

    def on_sync(self, sid: str, data: object = None) -> dict:
        token = self.voters.get(sid)
        my_ballot = self._ballot(token) if token in self.ballots else None
        return {"ok": True, "state": {"my_ballot": my_ballot}}

    def request_tally(self) -> None:
        if self.interval <= 0:
            self.sio.emit("tally", self.snapshot(), to="presenter")
            return
        if self.pending:
            return
        self.pending = True
        self.sio.start_background_task(self._emit_later)

    def _emit_later(self) -> None:
        wait = self.last_run + self.interval - time.monotonic()
        if wait > 0:
            self.sio.sleep(wait)
        self.pending = False
        self.last_run = time.monotonic()
        self.sio.emit("tally", self.snapshot(), to="presenter")

    def http(self, environ: dict, start_response) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/join" and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            environ["wsgi.input"].read(length)  # the body is not used
            self.joined += 1
            start_response("201 Created", [("Content-Type", "application/json")])
            return [json.dumps({"token": f"phone-j{self.joined}"}).encode()]
        if path == "/health":
            body = {"ok": True}
        elif path == "/results":
            body = self.snapshot()
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between tallies")
    parser.add_argument(
        "--in-order",
        action="store_true",
        help="handle a connection's events in its reading greenlet, one after another "
        "(async_handlers=False, as workshop serve does); default: python-socketio's default, "
        "a greenlet per event",
    )
    args = parser.parse_args()
    relay = Relay(args.interval, args.in_order)
    app = socketio.WSGIApp(relay.sio, relay.http)
    pywsgi.WSGIServer((args.host, args.port), app, log=None).serve_forever()


if __name__ == "__main__":
    main()
