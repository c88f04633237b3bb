"""Two real `workshop serve` processes sharing PostgreSQL and a Redis message queue.

The deployment of docs/deploy.md in miniature: a workshop created through process A, the
projector connected to process B, phones connected to A (and one to B). What a phone does on
one process must reach the projector on the other (``statement`` events, ``tally``
snapshots, the ``presence`` count of phones online on both), and ``GET /results`` through B
must count every ballot cast through A.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password) and Redis on
127.0.0.1:6379; skipped loudly without them, failed instead when
``WORKSHOP_REQUIRE_SERVICES=1``. Override with ``WORKSHOP_TEST_POSTGRES`` (a libpq
conninfo of a maintenance database) and ``WORKSHOP_TEST_REDIS`` (a redis:// URL).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tests.conftest import require_env
from tests.live_server import LiveServer

pytestmark = pytest.mark.server

POSTGRES = os.environ.get(
    "WORKSHOP_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
)
REDIS = os.environ.get("WORKSHOP_TEST_REDIS", "redis://127.0.0.1:6379/0")
WAIT = 20.0  # upper bound of every wait loop; a healthy run takes a fraction of a second


def _unavailable(reason: str) -> None:
    message = f"SCALE-OUT TEST NOT RUN: {reason}"
    if require_env("WORKSHOP_REQUIRE_SERVICES"):
        pytest.fail(message + " (WORKSHOP_REQUIRE_SERVICES=1)")
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def _postgres_url(conninfo: str, database: str) -> str:
    """A SQLAlchemy URL for ``database`` on the server of a libpq ``conninfo``."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(conninfo)
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host = parts.get("host", "127.0.0.1")
    port = parts.get("port", "5432")
    return f"postgresql+psycopg://{user}{password}@{host}:{port}/{database}"


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    """A fresh database, created for this module and dropped at the end."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        _unavailable(f"PostgreSQL unreachable at '{POSTGRES}': {error}")
    name = f"workshop_scale_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _postgres_url(POSTGRES, name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=3)
        client.ping()
        client.close()
    except Exception as error:  # noqa: BLE001
        _unavailable(f"Redis unreachable at '{REDIS}': {error}")
    return REDIS


@pytest.fixture(scope="module")
def servers(tmp_path_factory, postgres_database: str, redis_url: str) -> Iterator:
    """Processes A and B: same database, same queue (on a channel of their own), same key."""
    env = {
        "WORKSHOP_DATABASE_URL": postgres_database,
        "WORKSHOP_MESSAGE_QUEUE": redis_url,
        # Redis pub/sub ignores the database number: a channel of our own keeps another
        # run of this test on the same Redis from delivering its events to our clients.
        "WORKSHOP_MESSAGE_QUEUE_CHANNEL": f"workshop-test-{secrets.token_hex(6)}",
        "WORKSHOP_SECRET_KEY": "scale-out-shared-secret",
    }
    root: Path = tmp_path_factory.mktemp("scale-out")
    a = LiveServer(root / "a", env_extra=dict(env))
    b = LiveServer(root / "b", env_extra=dict(env))
    (root / "b").mkdir()
    a.prepare()  # migrations + facilitator + token, once for the shared database
    b.token = a.token
    started = []
    try:
        for server in (a, b):
            server.start()
            started.append(server)
        yield a, b
    finally:
        for server in started:
            server.stop()


class Recorder:
    """A socket client that records every event it receives."""

    def __init__(self, url: str, auth: dict) -> None:
        self.events: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)

    def _record(self, event, data=None):
        with self.lock:
            self.events.append((event, data))

    def of(self, name: str) -> list:
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in reversed(self.of(name)):
                if predicate(data):
                    return data
            time.sleep(0.05)
        raise AssertionError(f"no {name} event matching within {timeout}s: {self.of(name)[-3:]}")

    def call(self, event: str, data: dict) -> dict:
        return self.client.call(event, data, timeout=WAIT)


def _scores(items: list[dict]) -> dict[int, tuple[int, dict]]:
    return {i["statement_id"]: (i["score"], i["by_group"]) for i in items}


def test_events_and_tallies_cross_processes(servers):
    a, b = servers
    code = a.api("POST", "/workshops", json={"title": "Scale out"}).json()["code"]
    brainstorm = a.api(
        "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "Ideas"}
    ).json()["id"]
    vote = a.api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm},
    ).json()["id"]
    opened = a.api(
        "POST", f"/workshops/{code}/activities/{brainstorm}/state", json={"state": "open"}
    )
    assert opened.status_code == 200, opened.text
    # The bearer token made on A works on B: they share the database.
    assert b.api("GET", f"/workshops/{code}/results").status_code == 200

    groups = ("residents", "academia", "private_sector")
    tokens = {}
    for group in groups:
        joined = a.api("POST", f"/workshops/{code}/participants", token="", json={"group": group})
        assert joined.status_code == 201, joined.text
        tokens[group] = joined.json()["token"]

    presenter = Recorder(b.url, {"workshop": code, "role": "presenter"})
    phones_a = [Recorder(a.url, {"workshop": code, "token": tokens[g]}) for g in groups[:2]]
    phone_b = Recorder(b.url, {"workshop": code, "token": tokens[groups[2]]})
    try:
        assert presenter.wait_for("state")["current_activity"]["id"] == brainstorm
        # "Online now" counts the phones of both processes (two on A, one on B).
        presence = presenter.wait_for("presence", lambda p: p["online"]["total"] == 3)
        assert presence["online"]["by_group"]["private_sector"] == 1
        assert presence["online"]["by_group"]["residents"] == 1

        # Statements written on A (and one on B) reach the projector on B.
        texts = ["สวนริมน้ำ", "Bike lanes to the market"]
        statement_ids = []
        for n, (phone, text) in enumerate(zip(phones_a, texts, strict=True)):
            ack = phone.call(
                "submit", {"activity_id": brainstorm, "text": text, "client_id": f"s{n}"}
            )
            assert ack["ok"] and ack["created"], ack
            statement_ids.append(ack["statement"]["id"])
        ack = phone_b.call(
            "submit", {"activity_id": brainstorm, "text": "Night market", "client_id": "sb"}
        )
        assert ack["ok"], ack
        statement_ids.append(ack["statement"]["id"])
        for text in [*texts, "Night market"]:
            presenter.wait_for("statement", lambda s, t=text: s["text"] == t)
        # ... and a phone on A hears the statement written on B.
        phones_a[0].wait_for("statement", lambda s: s["text"] == "Night market")

        opened = a.api("POST", f"/workshops/{code}/activities/{vote}/state", json={"state": "open"})
        assert opened.status_code == 200, opened.text
        presenter.wait_for("state", lambda s: s["current_activity"]["id"] == vote)
        phone_b.wait_for("state", lambda s: s["current_activity"]["id"] == vote)

        first, second, third = statement_ids
        ballots = {
            "residents": {first: 3, second: 2},
            "academia": {first: 1, third: 3},
        }
        for phone, (group, dots) in zip(phones_a, ballots.items(), strict=True):
            payload = {
                "activity_id": vote,
                "client_id": f"v-{group}",
                "dots": {str(k): v for k, v in dots.items()},
            }
            ack = phone.call("vote", payload)
            assert ack["ok"] and ack["changed"], ack
        # A changed ballot on A replaces the first one everywhere.
        ballots["academia"] = {second: 2, third: 3}
        ack = phones_a[1].call(
            "vote",
            {
                "activity_id": vote,
                "client_id": "v-academia-2",
                "dots": {str(second): 2, str(third): 3},
            },
        )
        assert ack["ok"] and ack["changed"], ack
        ballots["private_sector"] = {third: 1}
        ack = phone_b.call(
            "vote", {"activity_id": vote, "client_id": "v-private", "dots": {str(third): 1}}
        )
        assert ack["ok"] and ack["changed"], ack

        expected = {}
        for sid in statement_ids:
            by_group = {g: ballots[g].get(sid, 0) for g in groups}
            expected[sid] = (sum(by_group.values()), by_group)

        def complete(tally: dict) -> bool:
            return (
                tally["activity_id"] == vote
                and tally["ballots"] == 3
                and {k: v[0] for k, v in _scores(tally["items"]).items()}
                == {k: v[0] for k, v in expected.items()}
            )

        tally = presenter.wait_for("tally", complete)
        for sid, (score, by_group) in _scores(tally["items"]).items():
            assert score == expected[sid][0]
            assert {g: by_group.get(g, 0) for g in groups} == expected[sid][1]

        results = b.api("GET", f"/workshops/{code}/results")
        assert results.status_code == 200, results.text
        vote_results = next(x for x in results.json()["activities"] if x["id"] == vote)
        assert vote_results["ballots"] == 3
        assert _scores(vote_results["items"]) == _scores(tally["items"])
        assert [i["statement_id"] for i in vote_results["items"]] == [
            i["statement_id"] for i in tally["items"]
        ]
        # The same through A.
        results_a = a.api("GET", f"/workshops/{code}/results").json()
        assert results_a["activities"] == results.json()["activities"]
    finally:
        for recorder in (presenter, *phones_a, phone_b):
            recorder.client.disconnect()
