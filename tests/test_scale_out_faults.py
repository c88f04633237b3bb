"""Scale-out that survives its engines (issue 18, point 6), in small: two real
``workshop serve`` processes on one PostgreSQL database and one Redis, a few phones on each,
then Redis killed and started again, then PostgreSQL cut off and given back.

Redis here is a ``redis-server`` of this test's own on a free port (the machine's Redis is
shared with other runs), and PostgreSQL is reached through a TCP proxy inside the test,
which the test cuts (every connection closed, new ones refused) instead of stopping the
server that other databases live on. What must hold:

- every vote gets an answer while a service is down: ``ok`` while Redis is down (the
  ballot is stored in PostgreSQL; only the broadcasts wait), ``busy`` while PostgreSQL is
  cut (nothing stored: the phone keeps the vote and resends it with the same client_id);
- no acknowledged ballot is lost or doubled: afterwards every phone's stored ballot is its
  last acknowledged one, and ``GET /results`` counts exactly those;
- the projector on the other process shows the correct tally again after each service
  returns.

Skips loudly without PostgreSQL or ``redis-server`` (fails under
``WORKSHOP_REQUIRE_SERVICES=1``), like tests/test_scale_out.py.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tests.live_server import LiveServer, free_port
from tests.test_scale_out import POSTGRES, WAIT, Recorder, _postgres_url, _unavailable

pytestmark = pytest.mark.server


class CuttableProxy:
    """A TCP proxy to PostgreSQL that the test can cut: every open connection closed and
    new ones refused (closed at once) until ``restore``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.cut_off = threading.Event()
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=3)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
                with self._lock:
                    self._open.discard(s)

    def cut(self) -> None:
        self.cut_off.set()
        with self._lock:
            sockets = list(self._open)
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.stopped.set()
        self.cut()
        self._server.close()


class OwnRedis:
    """A redis-server of this test's own (no persistence), that it can kill and restart."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator:
    """Own Redis, own database behind a cuttable proxy, processes A and B."""
    if shutil.which("redis-server") is None:
        _unavailable("redis-server is not installed (apt-get install redis-server)")
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        _unavailable(f"PostgreSQL unreachable at '{POSTGRES}': {error}")
    parts = conninfo_to_dict(POSTGRES)
    upstream = (parts.get("host", "127.0.0.1"), int(parts.get("port", 5432)))
    root: Path = tmp_path_factory.mktemp("faults")
    name = f"workshop_faults_{secrets.token_hex(5)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    proxy = CuttableProxy(upstream)
    redis_server = OwnRedis(root)
    redis_server.start()
    url = _postgres_url(POSTGRES, name).replace(
        f"@{upstream[0]}:{upstream[1]}/", f"@127.0.0.1:{proxy.port}/"
    )
    env = {
        "WORKSHOP_DATABASE_URL": url,
        "WORKSHOP_MESSAGE_QUEUE": redis_server.url,
        "WORKSHOP_MESSAGE_QUEUE_CHANNEL": f"workshop-faults-{secrets.token_hex(6)}",
        "WORKSHOP_SECRET_KEY": "faults-shared-secret",
        "WORKSHOP_RATE_VOTES": "0",
    }
    a = LiveServer(root / "a", env_extra=dict(env))
    b = LiveServer(root / "b", env_extra=dict(env))
    (root / "b").mkdir()
    started = []
    try:
        a.prepare()
        b.token = a.token
        for server in (a, b):
            server.start()
            started.append(server)
        yield a, b, redis_server, proxy
    finally:
        for server in started:
            server.stop()
        redis_server.kill()
        proxy.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Phone:
    """A phone that keeps an unanswered or ``busy`` vote and resends it (same client_id)."""

    def __init__(self, url: str, code: str, token: str, vote: int, statements: list[int]):
        self.vote_id, self.statements = vote, statements
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.2)
        self.refusals: list = []
        self.client.on("connect_error", self.refusals.append)
        try:
            self.client.connect(
                url,
                auth={"workshop": code, "token": token},
                transports=["websocket"],
                wait_timeout=10,
            )
        except socketio.exceptions.ConnectionError as error:
            raise AssertionError(f"phone refused: {self.refusals}") from error
        self.writes = 0
        self.acked: list[tuple[str, dict]] = []
        self.answers: Counter = Counter()

    def vote(self, deadline: float | None = None) -> None:
        """One new ballot, resent until acknowledged (or ``deadline``)."""
        self.writes += 1
        client_id = f"{id(self)}-{self.writes}"
        dots = {str(self.statements[self.writes % len(self.statements)]): 1 + self.writes % 3}
        payload = {"activity_id": self.vote_id, "client_id": client_id, "dots": dots}
        deadline = deadline or time.monotonic() + 3 * WAIT
        while time.monotonic() < deadline:
            try:
                ack = self.client.call("vote", payload, timeout=5)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                self.answers["no answer"] += 1
                time.sleep(0.2)
                continue
            if ack.get("ok"):
                self.answers["ok"] += 1
                self.acked.append((client_id, dots))
                return
            self.answers[ack["error"]["code"]] += 1
            assert ack["error"]["code"] == "busy", ack
            time.sleep(0.2)
        raise AssertionError(f"vote {client_id} never acknowledged: {self.answers}")

    def answer_once(self) -> str:
        """Send one new ballot once; the answer's code (``ok``, ``busy``, ``no answer``)."""
        self.writes += 1
        client_id = f"{id(self)}-{self.writes}"
        dots = {str(self.statements[0]): 1}
        payload = {"activity_id": self.vote_id, "client_id": client_id, "dots": dots}
        try:
            ack = self.client.call("vote", payload, timeout=WAIT)
        except socketio.exceptions.TimeoutError:
            return "no answer"
        if ack.get("ok"):
            self.acked.append((client_id, dots))
            return "ok"
        return ack["error"]["code"]


def _setup(a: LiveServer) -> tuple[str, int, list[int], list[str]]:
    code = a.api("POST", "/workshops", json={"title": "Faults"}).json()["code"]
    post = lambda path, body, token=None: a.api("POST", path, json=body, token=token)  # noqa: E731
    brainstorm = post(f"/workshops/{code}/activities", {"kind": "brainstorm", "prompt": "Ideas"})
    brainstorm_id = brainstorm.json()["id"]
    post(f"/workshops/{code}/activities/{brainstorm_id}/state", {"state": "open"})
    tokens = []
    for _ in range(4):
        joined = post(f"/workshops/{code}/participants", {"group": "residents"}, token="")
        assert joined.status_code == 201, joined.text
        tokens.append(joined.json()["token"])
    statements = []
    for n, text in enumerate(["สวนริมน้ำ", "Night market", "ทางจักรยาน"]):
        body = {"activity_id": brainstorm_id, "text": text, "client_id": f"s{n}"}
        statements.append(post(f"/workshops/{code}/statements", body, tokens[n]).json()["id"])
    vote = post(
        f"/workshops/{code}/activities",
        {"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm_id},
    ).json()["id"]
    assert post(f"/workshops/{code}/activities/{vote}/state", {"state": "open"}).ok
    return code, vote, statements, tokens


def _expected(phones: list[Phone]) -> dict[int, int]:
    totals: Counter = Counter()
    for phone in phones:
        if phone.acked:
            for key, value in phone.acked[-1][1].items():
                totals[int(key)] += value
    return dict(totals)


def _check_stored(a: LiveServer, code: str, vote: int, phones: list[Phone]) -> None:
    """Every phone's stored ballot is its last acknowledged one; results count exactly those."""
    for phone in phones:
        state = phone.client.call("sync", {}, timeout=WAIT)["state"]
        assert state["my_ballot"]["client_id"] == phone.acked[-1][0]
        assert state["my_ballot"]["dots"] == phone.acked[-1][1]
    results = a.api("GET", f"/workshops/{code}/results").json()
    activity = next(x for x in results["activities"] if x["id"] == vote)
    scores = {i["statement_id"]: i["score"] for i in activity["items"] if i["score"]}
    assert scores == _expected(phones) and activity["ballots"] == len(phones)


def _tally_matches(presenter: Recorder, phones: list[Phone], vote: int) -> dict:
    expected = _expected(phones)
    return presenter.wait_for(
        "tally",
        lambda t: (
            t["activity_id"] == vote
            and {i["statement_id"]: i["score"] for i in t["items"] if i["score"]} == expected
        ),
        timeout=3 * WAIT,
    )


def test_redis_restart_then_postgres_cut(stack):
    a, b, redis_server, proxy = stack
    code, vote, statements, tokens = _setup(a)
    presenter = Recorder(b.url, {"workshop": code, "role": "presenter"})
    phones = [
        Phone(server.url, code, token, vote, statements)
        for server, token in zip((a, a, b, b), tokens, strict=True)
    ]
    try:
        for phone in phones:
            phone.vote()
        _tally_matches(presenter, phones, vote)

        # Redis killed: votes are still stored and acknowledged (PostgreSQL has them).
        redis_server.kill()
        for phone in phones:
            phone.vote()
        assert all(p.answers["ok"] == 2 for p in phones), [p.answers for p in phones]
        redis_server.start()
        # Back: a new vote on A reaches the projector on B with the correct tally.
        phones[0].vote()
        _tally_matches(presenter, phones, vote)
        _check_stored(a, code, vote, phones)

        # PostgreSQL cut off: a vote is answered busy (nothing stored), not left hanging.
        proxy.cut()
        answers = [phone.answer_once() for phone in phones]
        assert set(answers) == {"busy"}, answers
        # An HTTP write is answered 503 busy too, not a server error.
        joined = a.api(
            "POST", f"/workshops/{code}/participants", json={"group": "residents"}, token=""
        )
        assert joined.status_code == 503 and joined.json()["error"]["code"] == "busy", joined.text
        proxy.restore()
        for phone in phones:
            phone.vote()
        _tally_matches(presenter, phones, vote)
        _check_stored(a, code, vote, phones)
    finally:
        for phone in phones:
            phone.client.disconnect()
        presenter.client.disconnect()
