"""Under the limit, not past it (issue 18, point 7), against a real ``workshop serve``.

Past ``WORKSHOP_VOTE_QUEUE_DEPTH`` waiting votes the server answers ``busy`` at once instead
of queueing more; a phone that got ``busy`` sends the same write again later and it is
stored exactly once; the queue never holds more than its depth and is empty afterwards.
A long batch window keeps the first votes waiting in the queue, so "full" is a state the
test sets up and checks (through ``/api/v1/server/stats``), not a race it hopes to win.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import socketio
from sqlalchemy import create_engine

from tests.live_server import LiveServer
from tests.test_restart import _room
from tests.test_server_process import WAIT, _ok, _stored, dots, my_ballot, wait_until

pytestmark = pytest.mark.server

DEPTH = 2


def test_past_the_queue_depth_votes_are_answered_busy_and_land_once_when_resent(tmp_path: Path):
    server = LiveServer(
        tmp_path / "instance",
        env_extra={
            "WORKSHOP_RATE_VOTES": "0",
            "WORKSHOP_VOTE_QUEUE_DEPTH": str(DEPTH),
            "WORKSHOP_VOTE_BATCH_WINDOW": "3",
        },
    )
    server.prepare()
    server.start()
    clients: list[socketio.Client] = []
    try:
        code, vote, tokens, participant_ids, statements = _room(server, 6)
        for token in tokens:
            client = socketio.Client(reconnection=False)
            client.connect(
                server.url,
                auth={"workshop": code, "token": token},
                transports=["websocket"],
                wait_timeout=WAIT,
            )
            clients.append(client)

        def payload(n: int) -> dict:
            return {
                "activity_id": vote,
                "client_id": f"w-{n}",
                "dots": dots({statements[n % 3]: 1 + n % 3}),
            }

        stats = lambda: _ok(server.api("GET", "/server/stats"))["vote_queue"]  # noqa: E731
        answers: dict[int, dict] = {}

        def cast(n: int) -> None:
            answers[n] = clients[n].call("vote", payload(n), timeout=6 * WAIT)

        held = [threading.Thread(target=cast, args=(n,)) for n in range(DEPTH)]
        for thread in held:
            thread.start()
        wait_until(lambda: stats()["queued"] == DEPTH, "the queue to be full")
        busy_before = stats()["busy"]
        # The queue is full: every further vote is answered busy, nothing more is queued.
        refused = {n: clients[n].call("vote", payload(n), timeout=WAIT) for n in range(DEPTH, 6)}
        for n, ack in refused.items():
            assert ack["ok"] is False and ack["error"]["code"] == "busy", (n, ack)
        now = stats()
        assert now["queued"] == DEPTH
        assert now["busy"] - busy_before == len(refused)
        for thread in held:
            thread.join(timeout=6 * WAIT)
        assert all(answers[n]["ok"] for n in range(DEPTH)), answers

        # The phones that were told busy send the same writes again, together, each after
        # a back-off while it is still told busy: the backlog clears, each lands once.
        resent: dict[int, list[dict]] = {n: [] for n in refused}

        def resend(n: int) -> None:
            deadline = time.monotonic() + 6 * WAIT
            while time.monotonic() < deadline:
                ack = clients[n].call("vote", payload(n), timeout=6 * WAIT)
                resent[n].append(ack)
                if ack["ok"]:
                    return
                time.sleep(0.2 * len(resent[n]))

        threads = [threading.Thread(target=resend, args=(n,)) for n in refused]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=12 * WAIT)
        for acks in resent.values():
            assert all(a["error"]["code"] == "busy" for a in acks[:-1]), acks
            assert acks[-1]["ok"] is True and acks[-1]["changed"] is True, acks
        # Sent once more, an acknowledged write changes nothing.
        again = clients[DEPTH].call("vote", payload(DEPTH), timeout=6 * WAIT)
        assert again["ok"] is True and again["changed"] is False, again
        wait_until(lambda: stats()["queued"] == 0 and stats()["waiting"] == 0, "an empty queue")

        engine = create_engine(f"sqlite:///{server.instance_dir / 'workshop.sqlite3'}")
        try:
            stored = _stored(engine, participant_ids, vote)
        finally:
            engine.dispose()
        for n, pid in enumerate(participant_ids):
            assert stored["ballots"].get(pid) == 1, stored
            assert stored["writes"] == {**stored["writes"], (pid, f"w-{n}"): 1}
            assert my_ballot(server, code, tokens[n])["dots"] == payload(n)["dots"]
        assert sum(stored["writes"].values()) == len(participant_ids)
    finally:
        for client in clients:
            if client.connected:
                client.disconnect()
        server.stop()
