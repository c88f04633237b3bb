"""End to end against a real ``workshop serve`` process (gevent): real Socket.IO clients,
real HTTP, a real SIGKILL.

Every wait is bounded (``WAIT`` seconds) and polls; nothing asserts on how long anything took.
Where a test checks that something did *not* arrive, it first waits for a later message on the
same connection (a barrier), so a wrongly sent message would already be there.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import socketio
import websocket
from sqlalchemy import create_engine, text

from tests.live_server import LiveServer

pytestmark = pytest.mark.server

WAIT = 10.0  # seconds: an upper bound on every wait, never a performance threshold
GROUPS = ("residents", "academia", "private_sector")
EVIL_ORIGIN = "http://evil.example"


def wait_until(check: Callable[[], object], what: str, timeout: float = WAIT):
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


class Recorder:
    """A python-socketio client (websocket transport) recording every event it receives."""

    def __init__(self, url: str, auth: dict, **connect_kwargs) -> None:
        self.events: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        connect_kwargs.setdefault("transports", ["websocket"])
        self.client.connect(url, auth=auth, wait_timeout=WAIT, **connect_kwargs)

    def _record(self, event, data=None) -> None:
        with self.lock:
            self.events.append((event, data))

    def of(self, name: str) -> list:
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, name: str, predicate=lambda data: True):
        """The latest ``name`` event matching ``predicate`` (any of those received)."""

        def find():
            return next((d for d in reversed(self.of(name)) if predicate(d)), None)

        return wait_until(find, f"a matching '{name}' event; last ones: {self.of(name)[-2:]}")

    def wait_for_last(self, name: str, predicate):
        """Wait until the *latest* ``name`` event matches ``predicate`` and return it."""

        def last():
            received = self.of(name)
            return received[-1] if received and predicate(received[-1]) else None

        return wait_until(last, f"the latest '{name}' to match; it is {self.of(name)[-1:]}")

    def call(self, event: str, data: dict):
        return self.client.call(event, data, timeout=WAIT)

    def barrier(self) -> None:
        """Round trip on this connection: whatever the server sent it before is now received."""
        ack = self.call("sync", {})
        assert ack["ok"] is True, ack

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


# --- helpers over the HTTP API --------------------------------------------------------------


def _ok(response: requests.Response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


def new_workshop(server: LiveServer, title: str = "Live city plan") -> tuple[str, int, int]:
    """A workshop with a brainstorm (opened) and a dot vote on it; returns (code, ids)."""
    api = server.api
    code = _ok(api("POST", "/workshops", json={"title": title}), 201)["code"]
    brainstorm = _ok(
        api(
            "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "Ideas"}
        ),
        201,
    )["id"]
    vote = _ok(
        api(
            "POST",
            f"/workshops/{code}/activities",
            json={"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm},
        ),
        201,
    )
    assert (vote["dots"], vote["max_per_item"], vote["source_activity_id"]) == (5, 3, brainstorm)
    set_state(server, code, brainstorm, "open")
    return code, brainstorm, vote["id"]


def set_state(server: LiveServer, code: str, activity_id: int, state: str) -> None:
    _ok(
        server.api(
            "POST", f"/workshops/{code}/activities/{activity_id}/state", json={"state": state}
        )
    )


def join(server: LiveServer, code: str, group: str) -> str:
    body = _ok(
        server.api("POST", f"/workshops/{code}/participants", token="", json={"group": group}), 201
    )
    assert body["group"] == group
    return body["token"]


def my_ballot(server: LiveServer, code: str, token: str) -> dict | None:
    return _ok(server.api("GET", f"/workshops/{code}/state", token=token))["my_ballot"]


def totals(items: list[dict]) -> dict[int, tuple[int, dict]]:
    return {item["statement_id"]: (item["score"], item["by_group"]) for item in items}


def expected_totals(
    ballots: dict[str, dict[int, int]], statements: list[int], groups: list[str]
) -> dict[int, tuple[int, dict]]:
    """``ballots``: group -> {statement id: dots} (one voter per group)."""
    result = {}
    for sid in statements:
        by_group = {g: ballots.get(g, {}).get(sid, 0) for g in groups}
        result[sid] = (sum(by_group.values()), by_group)
    return result


def dots(ballot: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in ballot.items()}


# --- a whole meeting over real sockets ----------------------------------------------------------


def test_meeting_over_real_sockets(live_server):
    server = live_server
    code, brainstorm, vote = new_workshop(server)
    workshop_groups = _ok(server.api("GET", f"/workshops/{code}"))["groups"]
    assert set(GROUPS) <= set(workshop_groups)
    tokens = {group: join(server, code, group) for group in GROUPS}

    presenter = Recorder(server.url, {"workshop": code, "role": "presenter"})
    phones = {g: Recorder(server.url, {"workshop": code, "token": tokens[g]}) for g in GROUPS}
    try:
        # Everyone gets the room's state on connect; each phone also learns who it is.
        state = presenter.wait_for("state")
        assert state["workshop"]["code"] == code
        assert state["current_activity"]["id"] == brainstorm
        assert state["statements"] == []
        for group, phone in phones.items():
            mine = phone.wait_for("state")
            assert mine["current_activity"]["id"] == brainstorm
            assert mine["me"]["group"] == group
            assert mine["my_ballot"] is None

        # Presence: three phones online, one per group, three participants joined.
        presence = presenter.wait_for("presence", lambda p: p["online"]["total"] == 3)
        assert presence["total"] == 3
        for group in workshop_groups:
            expected = 1 if group in GROUPS else 0
            assert presence["by_group"][group] == expected, presence
            assert presence["online"]["by_group"][group] == expected, presence

        # Statements: acknowledged after the commit, pushed to the projector.
        statement_ids: dict[str, int] = {}
        for group, phone in phones.items():
            ack = phone.call(
                "submit",
                {
                    "activity_id": brainstorm,
                    "text": f"  idea of {group} ",
                    "client_id": f"s-{group}",
                },
            )
            assert ack["ok"] is True and ack["created"] is True, ack
            assert ack["statement"]["text"] == f"idea of {group}"
            assert ack["statement"]["group"] == group
            assert ack["statement"]["activity_id"] == brainstorm
            statement_ids[group] = ack["statement"]["id"]
        assert len(set(statement_ids.values())) == 3
        presenter.wait_for_last("statement", lambda _: len(presenter.of("statement")) == 3)
        assert {s["id"] for s in presenter.of("statement")} == set(statement_ids.values())

        # A resend (same client_id) answers with the first statement and broadcasts nothing.
        again = phones["residents"].call(
            "submit", {"activity_id": brainstorm, "text": "changed?", "client_id": "s-residents"}
        )
        assert again["ok"] is True and again["created"] is False, again
        assert again["statement"]["id"] == statement_ids["residents"]
        assert again["statement"]["text"] == "idea of residents"
        # Barrier: one more new statement; it arrives after anything the resend might have sent.
        barrier = phones["academia"].call(
            "submit", {"activity_id": brainstorm, "text": "fourth idea", "client_id": "s-extra"}
        )
        assert barrier["ok"] is True and barrier["created"] is True, barrier
        presenter.wait_for("statement", lambda s: s["id"] == barrier["statement"]["id"])
        received = [s["id"] for s in presenter.of("statement")]
        assert sorted(received) == sorted([*statement_ids.values(), barrier["statement"]["id"]])
        s_res, s_aca, s_pri = (statement_ids[g] for g in GROUPS)
        s_extra = barrier["statement"]["id"]
        all_statements = [s_res, s_aca, s_pri, s_extra]

        # The presenter is a screen, not a voter.
        refused = presenter.call(
            "submit", {"activity_id": brainstorm, "text": "x", "client_id": "p"}
        )
        assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

        # Open the vote: everyone's state follows; the brainstorm is now closed.
        set_state(server, code, vote, "open")
        for phone in (presenter, *phones.values()):
            phone.wait_for("state", lambda s: s["current_activity"]["id"] == vote)
        late = phones["residents"].call(
            "submit", {"activity_id": brainstorm, "text": "too late", "client_id": "s-late"}
        )
        assert late["ok"] is False and late["error"]["code"] == "activity_closed", late

        # Votes. Residents first place a ballot they then replace.
        first = phones["residents"].call(
            "vote", {"activity_id": vote, "client_id": "v-res-0", "dots": dots({s_extra: 1})}
        )
        assert first["ok"] is True and first["changed"] is True, first
        ballots = {
            "residents": {s_res: 3, s_aca: 2},
            "academia": {s_aca: 3, s_pri: 1},
            "private_sector": {s_res: 1, s_pri: 2, s_extra: 2},
        }
        for group, ballot in ballots.items():
            ack = phones[group].call(
                "vote", {"activity_id": vote, "client_id": f"v-{group}", "dots": dots(ballot)}
            )
            assert ack["ok"] is True and ack["changed"] is True, ack
            assert ack["ballot"]["dots"] == dots(ballot)
            assert ack["ballot"]["client_id"] == f"v-{group}"
        resend = phones["academia"].call(
            "vote", {"activity_id": vote, "client_id": "v-academia", "dots": dots({s_res: 1})}
        )
        assert resend["ok"] is True and resend["changed"] is False, resend
        assert resend["ballot"]["dots"] == dots(ballots["academia"])

        # The projector's tallies are throttled: wait until the latest one is the final count.
        want = expected_totals(ballots, all_statements, workshop_groups)
        tally = presenter.wait_for_last(
            "tally", lambda t: t["activity_id"] == vote and totals(t["items"]) == want
        )
        assert tally["ballots"] == 3
        assert tally["revealed"] is False
        assert [i["statement_id"] for i in tally["items"]] == [s_aca, s_res, s_pri, s_extra]
        results = _ok(server.api("GET", f"/workshops/{code}/results"))
        vote_results = next(a for a in results["activities"] if a["id"] == vote)
        assert totals(vote_results["items"]) == want

        # Phones see no results before the reveal (barrier: a round trip on each phone).
        for phone in phones.values():
            phone.barrier()
            assert phone.of("tally") == []

        # Invalid ballots: refused with a code; the stored ballot stays as it was.
        stored = my_ballot(server, code, tokens["residents"])
        assert stored["dots"] == dots(ballots["residents"])
        assert stored["client_id"] == "v-residents"
        invalid = [
            ({s_res: 3, s_aca: 3}, "over_budget"),
            ({s_res: 4}, "over_item_cap"),
            ({999_999: 1}, "unknown_statement"),
            ({s_res: -1}, "invalid_ballot"),
        ]
        for n, (ballot, code_expected) in enumerate(invalid):
            ack = phones["residents"].call(
                "vote", {"activity_id": vote, "client_id": f"bad-{n}", "dots": dots(ballot)}
            )
            assert ack["ok"] is False and ack["error"]["code"] == code_expected, (ballot, ack)
            assert my_ballot(server, code, tokens["residents"]) == stored
        not_a_vote = phones["residents"].call(
            "vote", {"activity_id": brainstorm, "client_id": "bad-kind", "dots": dots({s_res: 1})}
        )
        assert not_a_vote["ok"] is False and not_a_vote["error"]["code"] == "wrong_kind"
        no_activity = phones["residents"].call(
            "vote", {"activity_id": 999_999, "client_id": "bad-id", "dots": dots({s_res: 1})}
        )
        assert no_activity["ok"] is False
        assert no_activity["error"]["code"] == "activity_not_found"
        assert my_ballot(server, code, tokens["residents"]) == stored

        # The facilitator reveals: the phones now get the same tally.
        _ok(
            server.api(
                "POST", f"/workshops/{code}/activities/{vote}/reveal", json={"revealed": True}
            )
        )
        for phone in phones.values():
            shown = phone.wait_for_last(
                "tally", lambda t: t["revealed"] is True and totals(t["items"]) == want
            )
            assert shown["activity_id"] == vote

        # A closed vote takes no ballot; the stored one is untouched.
        set_state(server, code, vote, "closed")
        closed = phones["residents"].call(
            "vote", {"activity_id": vote, "client_id": "after-close", "dots": dots({s_pri: 1})}
        )
        assert closed["ok"] is False and closed["error"]["code"] == "activity_closed", closed
        assert my_ballot(server, code, tokens["residents"]) == stored
        # ... while a resend of a write acknowledged before still gets its answer.
        resent = phones["residents"].call(
            "vote", {"activity_id": vote, "client_id": "v-residents", "dots": dots({s_pri: 1})}
        )
        assert resent["ok"] is True and resent["changed"] is False, resent
        assert resent["ballot"]["dots"] == dots(ballots["residents"])

        # A phone leaving shows in the projector's presence.
        phones["academia"].close()
        gone = presenter.wait_for("presence", lambda p: p["online"]["total"] == 2)
        assert gone["online"]["by_group"]["academia"] == 0
        assert gone["total"] == 3  # still a participant, just offline
    finally:
        for recorder in (presenter, *phones.values()):
            recorder.close()


def test_refused_connections(live_server):
    server = live_server
    code, _, _ = new_workshop(server, "Refusals")
    other_code, _, _ = new_workshop(server, "Another room")
    other_token = join(server, other_code, "residents")
    refused = [
        {"workshop": code, "token": "not-a-token"},
        {"workshop": code},  # an attendee without a token
        {"workshop": code, "token": other_token},  # a participant of another workshop
        {"workshop": "NOPE99", "token": other_token},
        {"workshop": "NOPE99", "role": "presenter"},
        {"workshop": code, "role": "facilitator", "token": "not-a-token"},
        {"workshop": code, "role": "janitor"},
        {},
    ]
    for auth in refused:
        with pytest.raises(socketio.exceptions.ConnectionError):
            Recorder(server.url, auth).close()
    # The same client with valid credentials does connect (the refusals above are real ones).
    good = Recorder(server.url, {"workshop": other_code, "token": other_token})
    try:
        assert good.wait_for("state")["me"]["group"] == "residents"
        assert good.client.connected
    finally:
        good.close()


def test_a_refusal_tells_the_client_why(live_server):
    server = live_server
    code, _, _ = new_workshop(server, "Why refused")
    for auth, why in (
        ({"workshop": code, "token": "forged"}, "not_joined"),
        ({"workshop": "NOPE99", "role": "presenter"}, "workshop_not_found"),
    ):
        errors: list = []
        client = socketio.Client(reconnection=False)
        client.on("connect_error", errors.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=WAIT)
        assert len(errors) == 1, errors
        # docs/realtime.md: "a refused connection gets a connect_error whose data is
        # {"code", "message"}"; the JS client reads it as err.data.
        assert isinstance(errors[0].get("data"), dict), errors[0]
        assert errors[0]["data"]["code"] == why, errors[0]
        assert errors[0]["data"]["message"], errors[0]


def test_foreign_origin_is_refused(live_server):
    server = live_server
    polling = f"{server.url}/socket.io/?EIO=4&transport=polling"
    ws_url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    # Long-polling handshake.
    foreign = requests.get(polling, headers={"Origin": EVIL_ORIGIN}, timeout=WAIT)
    assert foreign.status_code == 400
    assert "access-control-allow-origin" not in {k.lower() for k in foreign.headers}
    own = requests.get(polling, headers={"Origin": server.url}, timeout=WAIT)
    assert own.status_code == 200 and own.text.startswith("0{"), own.text

    # WebSocket handshake.
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(ws_url, origin=EVIL_ORIGIN, timeout=WAIT)
    assert refused.value.status_code == 400
    accepted = websocket.create_connection(ws_url, origin=server.url, timeout=WAIT)
    try:
        assert accepted.recv().startswith("0{")  # the Engine.IO open packet
    finally:
        accepted.close()

    # The Socket.IO client over polling, sending the foreign Origin.
    code, _, _ = new_workshop(server, "Origins")
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder(
            server.url,
            {"workshop": code, "role": "presenter"},
            transports=["polling"],
            headers={"Origin": EVIL_ORIGIN},
        ).close()
    same = Recorder(
        server.url,
        {"workshop": code, "role": "presenter"},
        transports=["polling"],
        headers={"Origin": server.url},
    )
    try:
        assert same.wait_for("state")["workshop"]["code"] == code
    finally:
        same.close()


# --- SIGKILL: acknowledged ballots survive --------------------------------------------------


class Voter(threading.Thread):
    """Casts dot ballots one after the other until told to stop or the server dies."""

    def __init__(self, url: str, code: str, token: str, vote: int, statements: list[int]) -> None:
        super().__init__(daemon=True)
        self.phone = Recorder(url, {"workshop": code, "token": token})
        self.token = token
        self.vote = vote
        self.statements = statements
        self.stop = threading.Event()
        self.sent: dict[str, dict[str, int]] = {}
        self.acked: list[str] = []
        self.in_flight: str | None = None
        self.failure: object = None

    def ballot(self, n: int) -> dict[str, int]:
        first = self.statements[n % len(self.statements)]
        second = self.statements[(n + 1) % len(self.statements)]
        return dots({first: 1 + n % 3, second: 1 + (n // 3) % 2})

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            client_id = f"{self.token[:8]}-{n}"
            self.sent[client_id] = self.ballot(n)
            self.in_flight = client_id
            try:
                ack = self.phone.client.call(
                    "vote",
                    {
                        "activity_id": self.vote,
                        "client_id": client_id,
                        "dots": self.sent[client_id],
                    },
                    timeout=5,
                )
            except Exception:  # noqa: BLE001 - the server was killed: this one is unknown
                return
            if not (isinstance(ack, dict) and ack.get("ok") is True):
                self.failure = ack
                return
            if ack["ballot"]["dots"] != self.sent[client_id]:
                self.failure = ("ack shows another ballot", client_id, ack)
                return
            self.acked.append(client_id)
            self.in_flight = None
            n += 1


def _stored(engine, participant_ids: list[int], vote: int) -> dict:
    with engine.connect() as connection:
        ballots = connection.execute(
            text(
                "SELECT participant_id, COUNT(*) FROM ballot WHERE activity_id = :vote "
                "GROUP BY participant_id"
            ),
            {"vote": vote},
        ).all()
        writes = connection.execute(
            text(
                "SELECT participant_id, client_id, COUNT(*) FROM vote_write "
                "WHERE activity_id = :vote GROUP BY participant_id, client_id"
            ),
            {"vote": vote},
        ).all()
    return {
        "ballots": {pid: count for pid, count in ballots},
        "writes": {(pid, client_id): count for pid, client_id, count in writes},
        "participants": participant_ids,
    }


def test_acknowledged_ballots_survive_sigkill(tmp_path: Path):
    server = LiveServer(tmp_path / "instance", env_extra={"WORKSHOP_RATE_VOTES": "0"})
    server.prepare()
    server.start()
    voters: list[Voter] = []
    try:
        code, brainstorm, vote = new_workshop(server, "Kill -9")
        tokens = [join(server, code, group) for group in (*GROUPS, "residents")]
        participant_ids = []
        for token in tokens:
            me = _ok(server.api("GET", f"/workshops/{code}/state", token=token))["me"]
            participant_ids.append(me["participant_id"])
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

        voters = [Voter(server.url, code, token, vote, statements) for token in tokens]
        for voter in voters:
            voter.start()
        # Kill while they are still voting, once each has had a few ballots acknowledged.
        wait_until(
            lambda: all(len(v.acked) >= 3 or v.failure or not v.is_alive() for v in voters),
            "three acknowledged ballots per voter",
            timeout=3 * WAIT,
        )
        server.stop(signal.SIGKILL)
        assert server.process.returncode == -signal.SIGKILL
        for voter in voters:
            voter.stop.set()
        for voter in voters:
            voter.join(timeout=WAIT)
            assert not voter.is_alive()
            assert voter.failure is None, voter.failure
            assert len(voter.acked) >= 3
            voter.phone.close()

        # Same instance directory, same port.
        server.start()
        engine = create_engine(f"sqlite:///{server.instance_dir / 'workshop.sqlite3'}")
        try:
            stored = _stored(engine, participant_ids, vote)
        finally:
            engine.dispose()
        final: dict[str, dict[int, int]] = {}
        for voter, pid in zip(voters, participant_ids, strict=True):
            # Exactly one ballot per participant, and every acknowledged write recorded once.
            assert stored["ballots"].get(pid) == 1, stored
            for client_id in voter.acked:
                assert stored["writes"].get((pid, client_id)) == 1, (client_id, stored)
            # The stored ballot is the last acknowledged one, or the one the kill interrupted.
            allowed = {voter.acked[-1], *([voter.in_flight] if voter.in_flight else [])}
            ballot = my_ballot(server, code, voter.token)
            assert ballot["client_id"] in allowed, (ballot, allowed)
            assert ballot["dots"] == voter.sent[ballot["client_id"]]
            if ballot["client_id"] != voter.acked[-1]:
                assert stored["writes"].get((pid, voter.in_flight)) == 1

        # Phones resend what got no answer (as the app does after a reconnect), then all agree.
        presenter = Recorder(server.url, {"workshop": code, "role": "presenter"})
        try:
            for voter in voters:
                phone = Recorder(server.url, {"workshop": code, "token": voter.token})
                try:
                    last = voter.in_flight or voter.acked[-1]
                    ack = phone.call(
                        "vote",
                        {"activity_id": vote, "client_id": last, "dots": voter.sent[last]},
                    )
                    assert ack["ok"] is True, ack
                    assert ack["ballot"]["dots"] == voter.sent[last]
                    # An acknowledged write resent after the restart changes nothing.
                    before = my_ballot(server, code, voter.token)
                    repeat = phone.call(
                        "vote",
                        {"activity_id": vote, "client_id": voter.acked[0], "dots": {}},
                    )
                    assert repeat["ok"] is True and repeat["changed"] is False, repeat
                    assert my_ballot(server, code, voter.token) == before
                finally:
                    phone.close()
                final[str(voter.token)] = {int(k): v for k, v in voter.sent[last].items()}

            want: dict[int, int] = {sid: 0 for sid in statements}
            for ballot in final.values():
                for sid, count in ballot.items():
                    want[sid] += count
            results = _ok(server.api("GET", f"/workshops/{code}/results"))
            vote_results = next(a for a in results["activities"] if a["id"] == vote)
            assert vote_results["ballots"] == len(voters)
            assert {i["statement_id"]: i["score"] for i in vote_results["items"]} == want
            # The restarted process rebuilt its live tally from the database.
            presenter.wait_for_last(
                "tally",
                lambda t: (
                    {i["statement_id"]: i["score"] for i in t["items"]} == want
                    and t["ballots"] == len(voters)
                ),
            )
        finally:
            presenter.close()
    finally:
        for voter in voters:
            voter.stop.set()
            voter.phone.close()
        server.stop()
