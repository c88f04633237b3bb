"""A second process holds SQLite's write lock (``BEGIN EXCLUSIVE``) under a real
``workshop serve``: the server keeps answering, writes are answered "busy" (never a 500,
never a freeze), and a resend after the lock is released stores the write exactly once.

Waits are bounded (``WAIT``) and never asserted on as performance.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from tests.live_server import LiveServer
from tests.test_server_process import WAIT, Recorder, _ok, join, new_workshop

pytestmark = pytest.mark.server

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
print("released", flush=True)
"""


class LockHolder:
    """Another process holding the database's write lock until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def holding(self) -> bool:
        return self.process.poll() is None

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline().strip() == "released"
            self.process.wait(timeout=WAIT)


class Background(threading.Thread):
    """Runs one blocking call and keeps its result."""

    def __init__(self, call) -> None:
        super().__init__(daemon=True)
        self.call = call
        self.result = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as error:  # noqa: BLE001  (reported by the test)
            self.error = error

    def value(self):
        self.join(timeout=3 * WAIT)
        assert not self.is_alive(), "no answer"
        assert self.error is None, self.error
        return self.result


def _statements(database: Path, text: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT COUNT(*) FROM statement WHERE text = ?", (text,)
        ).fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory):
    # A write waits at most this long for the lock, then is answered "busy".
    server = LiveServer(
        tmp_path_factory.mktemp("locked"), env_extra={"WORKSHOP_DB_BUSY_TIMEOUT": "4"}
    )
    server.prepare()
    server.start()
    yield server
    server.stop()


def test_a_held_lock_answers_busy_and_never_freezes_the_server(locked_server):
    server = locked_server
    database = server.instance_dir / "workshop.sqlite3"
    code, brainstorm, _vote = new_workshop(server, "Locked")
    token = join(server, code, "residents")
    phone = Recorder(server.url, {"workshop": code, "token": token})

    def http_statement(text: str, client_id: str) -> requests.Response:
        return server.api(
            "POST",
            f"/workshops/{code}/statements",
            token=token,
            json={"activity_id": brainstorm, "text": text, "client_id": client_id},
            timeout=3 * WAIT,
        )

    holder = LockHolder(database)
    try:
        writes = {
            "http": Background(lambda: http_statement("over http", "h1")),
            "socket": Background(
                lambda: phone.client.call(
                    "submit",
                    {"activity_id": brainstorm, "text": "over socket", "client_id": "s1"},
                    timeout=3 * WAIT,
                )
            ),
            "facilitator": Background(
                lambda: server.api(
                    "POST",
                    f"/workshops/{code}/activities",
                    json={"kind": "brainstorm", "prompt": "More"},
                    timeout=3 * WAIT,
                )
            ),
        }
        # While those writes wait for the lock, the same process answers everything else.
        health = requests.get(f"{server.url}/health", timeout=WAIT)
        assert health.status_code == 200
        state = server.api("GET", f"/workshops/{code}/state", token=token)
        assert state.status_code == 200, state.text
        assert state.json()["current_activity"]["id"] == brainstorm
        assert _ok(server.api("GET", f"/workshops/{code}"))["code"] == code
        # (A phone's own events run in order, so the projector answers for Socket.IO.)
        projector = Recorder(server.url, {"workshop": code, "role": "presenter"})
        try:
            assert projector.call("sync", {})["ok"] is True
        finally:
            projector.close()
        # ...and did so while the writes were still waiting (the loop was not blocked).
        ended = {n: (w.result, w.error) for n, w in writes.items() if not w.is_alive()}
        assert not ended, f"a write ended first: {ended}"
        assert holder.holding()

        for name in ("http", "facilitator"):
            response = writes[name].value()
            assert response.status_code == 503, (name, response.status_code, response.text)
            error = response.json()["error"]
            assert error["code"] == "busy"
            assert isinstance(error["retry_after"], int) and error["retry_after"] >= 1
            assert response.headers["Retry-After"] == str(error["retry_after"])
        ack = writes["socket"].value()
        assert ack["ok"] is False and ack["error"]["code"] == "busy", ack
        assert holder.holding()
    finally:
        holder.release()

    try:
        # Nothing was half stored.
        assert _statements(database, "over http") == 0
        assert _statements(database, "over socket") == 0
        # The phones send again with the same client_id: stored once, a second resend is
        # answered from the stored row.
        first = http_statement("over http", "h1")
        assert first.status_code == 201, first.text
        again = http_statement("over http", "h1")
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        ack = phone.call(
            "submit", {"activity_id": brainstorm, "text": "over socket", "client_id": "s1"}
        )
        assert ack["ok"] is True and ack["created"] is True, ack
        ack = phone.call(
            "submit", {"activity_id": brainstorm, "text": "over socket", "client_id": "s1"}
        )
        assert ack["ok"] is True and ack["created"] is False, ack
        assert _statements(database, "over http") == 1
        assert _statements(database, "over socket") == 1
        assert "Traceback" not in server.log()
    finally:
        phone.close()
