"""A short soak (issue 18, point 5; the long one is bench/soak.py) against a real
``workshop serve``: a few dozen phones vote in a burst, then a trickle, while a tenth of
them sleep and wake (disconnect, reconnect) every few seconds; then they all leave.

Invariants, no timing thresholds: nothing acknowledged is lost or doubled, every phone's
stored ballot is its last acknowledged one, and once the phones have gone the server holds
no connection, Engine.IO socket, room, rate-limit bucket (after the limit's window),
pending broadcast or queued vote for them (``GET /api/v1/server/stats``). Memory and open
files are printed, not asserted.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.live_server import LiveServer
from tests.test_restart import ReconnectingPhone, _room
from tests.test_server_process import WAIT, _ok, _stored, my_ballot, wait_until

pytestmark = [pytest.mark.server, pytest.mark.soak]

PHONES = 24
RATE_WINDOW = 3  # seconds: the rate limits' window, short so that idle buckets expire here


class PacedPhone(ReconnectingPhone):
    """A ReconnectingPhone that waits ``pause()`` seconds between two ballots."""

    def __init__(self, *args, pause) -> None:
        super().__init__(*args)
        self.pause = pause
        self.asleep = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            if self.asleep.is_set():
                time.sleep(0.05)
                continue
            client_id = f"{self.token[:8]}-{n}"
            self.sent[client_id] = self.ballot(n)
            if not self._deliver(client_id):
                return
            n += 1
            time.sleep(self.pause())

    def sleep_and_wake(self, seconds: float) -> None:
        """As a phone's screen going off: the socket drops; then it connects again."""
        self.asleep.set()
        self.client.reconnection = False
        self.client.disconnect()
        time.sleep(seconds)
        self.client.reconnection = True
        self.client.connect(
            self.url,
            auth={"workshop": self.code, "token": self.token},
            transports=["websocket"],
            wait_timeout=WAIT,
        )
        self.asleep.clear()


def test_a_short_soak_leaks_nothing_once_the_phones_leave(tmp_path: Path):
    server = LiveServer(
        tmp_path / "instance",
        # The per-participant vote limit stays on (1,000 a window) so its buckets are exercised.
        env_extra={"WORKSHOP_RATE_VOTES": "1000", "WORKSHOP_RATE_WINDOW": str(RATE_WINDOW)},
    )
    server.prepare()
    server.start()
    stats = lambda: _ok(server.api("GET", "/server/stats"))  # noqa: E731
    phones: list[PacedPhone] = []
    try:
        code, vote, tokens, participant_ids, statements = _room(server, PHONES)
        idle = stats()
        burst = threading.Event()
        burst.set()
        rng = random.Random(5)

        def pause() -> float:  # back to back in the burst, about one a second in the trickle
            return 0.0 if burst.is_set() else rng.uniform(0.5, 1.5)

        phones = [
            PacedPhone(server.url, code, token, vote, statements, pause=pause) for token in tokens
        ]
        connected = stats()
        for phone in phones:
            phone.start()
        samples = []
        for minute in range(4):  # a "minute" of the meeting is a few seconds here
            if minute == 1:
                burst.clear()
            sleepers = rng.sample(phones, PHONES // 10)
            threads = [
                threading.Thread(target=p.sleep_and_wake, args=(rng.uniform(0.2, 1.5),))
                for p in sleepers
            ]
            for thread in threads:
                thread.start()
            time.sleep(3)
            for thread in threads:
                thread.join(timeout=WAIT)
            samples.append(stats()["process"])
        for phone in phones:
            phone.stop.set()
        for phone in phones:
            phone.join(timeout=6 * WAIT)
            assert not phone.is_alive()
            assert phone.failure is None, phone.failure
        during = stats()
        assert during["connections"]["total"] == PHONES
        assert during["rate_limit_buckets"]["votes"] > 0  # the limiter was in use
        for phone in phones:
            phone.close()

        def settled():
            now = stats()
            gone = (
                now["connections"]["total"] == 0
                and now["engineio_sockets"] == 0
                and now["rooms"] == idle["rooms"]
                and now["broadcasts_pending"] == 0
                and now["vote_queue"]["queued"] == 0
                and now["vote_queue"]["waiting"] == 0
                and now["rate_limit_buckets"]["votes"] == 0
            )
            return now if gone else None

        after = wait_until(settled, "the server to forget the phones", timeout=RATE_WINDOW + WAIT)
        print(  # reported, not asserted: memory and open files over the run
            "\nsoak: rss_kb idle/connected/samples/after",
            idle["process"]["rss_kb"],
            connected["process"]["rss_kb"],
            [s["rss_kb"] for s in samples],
            after["process"]["rss_kb"],
            "| open fds idle/samples/after",
            idle["process"]["open_fds"],
            [s["open_fds"] for s in samples],
            after["process"]["open_fds"],
            "| acked",
            sum(len(p.acked) for p in phones),
        )

        engine = create_engine(f"sqlite:///{server.instance_dir / 'workshop.sqlite3'}")
        try:
            stored = _stored(engine, participant_ids, vote)
        finally:
            engine.dispose()
        for phone, pid in zip(phones, participant_ids, strict=True):
            assert phone.acked, "every phone voted"
            assert stored["ballots"].get(pid) == 1
            for client_id in phone.acked:
                assert stored["writes"].get((pid, client_id)) == 1, client_id
            assert my_ballot(server, code, phone.token)["client_id"] == phone.acked[-1]
        assert sum(len(p.acked) for p in phones) == sum(stored["writes"].values())
    finally:
        for phone in phones:
            phone.stop.set()
            phone.close()
        server.stop()
