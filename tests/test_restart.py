"""A server restart with the hall connected (issue 18, point 4), against a real ``workshop
serve``: phones (python-socketio clients that reconnect by themselves and resend what was not
acknowledged, as static/js/attendee.js does) keep voting through a SIGTERM and a SIGKILL.

Afterwards every acknowledged ballot is stored exactly once and every phone's last ballot is
the stored one. A SIGTERM drains: votes already received are committed and acknowledged
before the process exits. Every wait is bounded and polls; nothing asserts on a duration.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import pytest
import socketio
from sqlalchemy import create_engine

from tests.live_server import LiveServer
from tests.test_server_process import (
    GROUPS,
    WAIT,
    _ok,
    _stored,
    dots,
    join,
    my_ballot,
    new_workshop,
    set_state,
    wait_until,
)

pytestmark = pytest.mark.server


class ReconnectingPhone(threading.Thread):
    """Votes one ballot after the other; reconnects by itself with a jittered back-off and
    sends an unacknowledged (or ``busy``) write again with the same client_id until it is
    acknowledged. Told to stop, it finishes the write in hand first."""

    def __init__(self, url: str, code: str, token: str, vote: int, statements: list[int]):
        super().__init__(daemon=True)
        self.url, self.code, self.token = url, code, token
        self.vote, self.statements = vote, statements
        self.client = socketio.Client(
            reconnection=True,
            reconnection_delay=0.5,
            reconnection_delay_max=3,
            randomization_factor=0.5,
        )
        self.connects = 0
        self.client.on("connect", self._connected)
        self.client.connect(
            url,
            auth={"workshop": code, "token": token},
            transports=["websocket"],
            wait_timeout=WAIT,
        )
        self.stop = threading.Event()
        self.sent: dict[str, dict[str, int]] = {}
        self.acked: list[str] = []
        self.answers: list[str] = []  # "ok", "busy", "timeout", "offline" per attempt
        self.failure: object = None
        self.rng = random.Random(token)

    def _connected(self) -> None:
        self.connects += 1

    def ballot(self, n: int) -> dict[str, int]:
        first = self.statements[n % len(self.statements)]
        second = self.statements[(n + 1) % len(self.statements)]
        return dots({first: 1 + n % 3, second: 1 + (n // 3) % 2})

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            client_id = f"{self.token[:8]}-{n}"
            self.sent[client_id] = self.ballot(n)
            if not self._deliver(client_id):
                return
            n += 1

    def _deliver(self, client_id: str) -> bool:
        payload = {"activity_id": self.vote, "client_id": client_id, "dots": self.sent[client_id]}
        retry = 0.2
        deadline = time.monotonic() + 6 * WAIT
        while time.monotonic() < deadline:
            if not self.client.connected:
                self.answers.append("offline")
                time.sleep(0.05)
                continue
            try:
                ack = self.client.call("vote", payload, timeout=5)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                self.answers.append("timeout")
                continue
            if isinstance(ack, dict) and ack.get("error", {}).get("code") == "busy":
                self.answers.append("busy")
                time.sleep(retry * (0.5 + self.rng.random()))
                retry = min(retry * 2, 2.0)
                continue
            if not (isinstance(ack, dict) and ack.get("ok") is True):
                self.failure = ("refused", client_id, ack)
                return False
            if ack["ballot"]["dots"] != self.sent[client_id]:
                self.failure = ("ack shows another ballot", client_id, ack)
                return False
            self.answers.append("ok")
            self.acked.append(client_id)
            return True
        self.failure = ("never acknowledged", client_id)
        return False

    def close(self) -> None:
        self.client.reconnection = False
        if self.client.connected:
            self.client.disconnect()


def _room(server: LiveServer, phones: int) -> tuple[str, int, list[str], list[int], list[int]]:
    code, brainstorm, vote = new_workshop(server, "Restart")
    tokens = [join(server, code, GROUPS[n % len(GROUPS)]) for n in range(phones)]
    participant_ids = [
        _ok(server.api("GET", f"/workshops/{code}/state", token=t))["me"]["participant_id"]
        for t in tokens
    ]
    statements = []
    for n, token in enumerate(tokens[:3]):
        body = _ok(
            server.api(
                "POST",
                f"/workshops/{code}/statements",
                token=token,
                json={"activity_id": brainstorm, "text": f"idea {n}", "client_id": f"s{n}"},
            ),
            201,
        )
        statements.append(body["id"])
    set_state(server, code, vote, "open")
    return code, vote, tokens, participant_ids, statements


def _acked(phones: list[ReconnectingPhone]) -> int:
    return sum(len(p.acked) for p in phones)


def test_phones_reconnect_and_resend_through_sigterm_and_sigkill(tmp_path: Path):
    server = LiveServer(tmp_path / "instance", env_extra={"WORKSHOP_RATE_VOTES": "0"})
    server.prepare()
    server.start()
    phones: list[ReconnectingPhone] = []
    try:
        code, vote, tokens, participant_ids, statements = _room(server, 6)
        phones = [ReconnectingPhone(server.url, code, t, vote, statements) for t in tokens]
        for phone in phones:
            phone.start()
        for sig, returncode in ((signal.SIGTERM, 0), (signal.SIGKILL, -signal.SIGKILL)):
            before = _acked(phones)
            wait_until(lambda b=before: _acked(phones) >= b + 3 * len(phones), "votes flowing")
            connects = [p.connects for p in phones]
            server.stop(sig)
            assert server.process.returncode == returncode, server.log()
            server.start()  # same folder, same port
            # Every phone reconnects by itself and gets its writes through again.
            wait_until(
                lambda c=connects: all(p.connects > n for p, n in zip(phones, c, strict=True)),
                "every phone to reconnect",
                timeout=6 * WAIT,
            )
            again = _acked(phones)
            wait_until(lambda a=again: _acked(phones) >= a + len(phones), "votes after restart")
        for phone in phones:
            phone.stop.set()
        for phone in phones:
            phone.join(timeout=6 * WAIT)
            assert not phone.is_alive()
            assert phone.failure is None, phone.failure

        engine = create_engine(f"sqlite:///{server.instance_dir / 'workshop.sqlite3'}")
        try:
            stored = _stored(engine, participant_ids, vote)
        finally:
            engine.dispose()
        for phone, pid in zip(phones, participant_ids, strict=True):
            assert stored["ballots"].get(pid) == 1, stored["ballots"]
            for client_id in phone.acked:  # every acknowledged write stored exactly once
                assert stored["writes"].get((pid, client_id)) == 1, client_id
            assert phone.acked[-1] == list(phone.sent)[-1]  # the phone's last write got in
            ballot = my_ballot(server, code, phone.token)
            assert ballot["client_id"] == phone.acked[-1], ballot
            assert ballot["dots"] == phone.sent[phone.acked[-1]]
        assert sum(len(p.acked) for p in phones) == sum(stored["writes"].values())
    finally:
        for phone in phones:
            phone.stop.set()
            phone.close()
        server.stop()


def test_sigterm_commits_and_acknowledges_the_votes_it_has_received(tmp_path: Path):
    # A long batch window holds the votes in the queue when the signal comes.
    server = LiveServer(
        tmp_path / "instance",
        env_extra={"WORKSHOP_RATE_VOTES": "0", "WORKSHOP_VOTE_BATCH_WINDOW": "3"},
    )
    server.prepare()
    server.start()
    clients: list[socketio.Client] = []
    try:
        code, vote, tokens, participant_ids, statements = _room(server, 5)
        for token in tokens:
            client = socketio.Client(reconnection=False)
            client.connect(
                server.url,
                auth={"workshop": code, "token": token},
                transports=["websocket"],
                wait_timeout=WAIT,
            )
            clients.append(client)
        answers: dict[int, object] = {}

        def cast(n: int, client_id: str) -> None:
            payload = {
                "activity_id": vote,
                "client_id": client_id,
                "dots": dots({statements[n % 3]: 2}),
            }
            try:
                answers[n] = clients[n].call("vote", payload, timeout=3 * WAIT)
            except Exception as error:  # noqa: BLE001 - recorded, asserted below
                answers[n] = repr(error)

        held = [threading.Thread(target=cast, args=(n, f"held-{n}")) for n in range(4)]
        for thread in held:
            thread.start()
        stats = lambda: _ok(server.api("GET", "/server/stats"))["vote_queue"]  # noqa: E731
        wait_until(lambda: stats()["waiting"] == 4, "four votes held in the queue")
        server.process.send_signal(signal.SIGTERM)
        wait_until(lambda: stats()["closed"], "the queue to close")
        late = threading.Thread(target=cast, args=(4, "late-4"))  # arrives during the drain
        late.start()
        for thread in (*held, late):
            thread.join(timeout=3 * WAIT)
        server.process.wait(timeout=3 * WAIT)
        assert server.process.returncode == 0, server.log()
        for n in range(4):
            assert isinstance(answers[n], dict) and answers[n]["ok"] is True, answers
        assert answers[4]["ok"] is False and answers[4]["error"]["code"] == "busy", answers

        server.start()
        engine = create_engine(f"sqlite:///{server.instance_dir / 'workshop.sqlite3'}")
        try:
            stored = _stored(engine, participant_ids, vote)
        finally:
            engine.dispose()
        for n in range(4):
            assert stored["writes"].get((participant_ids[n], f"held-{n}")) == 1, stored
        assert participant_ids[4] not in stored["ballots"]
    finally:
        for client in clients:
            if client.connected:
                client.disconnect()
        server.stop()
