"""A real python-socketio client against a real `workshop serve` (gevent) process."""

from __future__ import annotations

import threading
import time

import pytest
import socketio

pytestmark = pytest.mark.server


class Recorder:
    """A socket client that records every event it receives."""

    def __init__(self, url: str, auth: dict, transports: list[str] | None = None) -> None:
        self.events: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(url, auth=auth, transports=transports or ["websocket"], wait_timeout=10)

    def _record(self, event, data=None):
        with self.lock:
            self.events.append((event, data))

    def of(self, name: str) -> list:
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in reversed(self.of(name)):
                if predicate(data):
                    return data
            time.sleep(0.05)
        raise AssertionError(f"no {name} event matching within {timeout}s: {self.of(name)[-3:]}")


def test_live_brainstorm_and_vote(live_server):
    api = live_server.api
    code = api("POST", "/workshops", json={"title": "Live"}).json()["code"]
    brainstorm = api(
        "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "Ideas"}
    ).json()["id"]
    vote = api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm},
    ).json()["id"]
    api("POST", f"/workshops/{code}/activities/{brainstorm}/state", json={"state": "open"})
    tokens = [
        api("POST", f"/workshops/{code}/participants", token="", json={"group": g}).json()["token"]
        for g in ("residents", "academia")
    ]
    presenter = Recorder(live_server.url, {"workshop": code, "role": "presenter"})
    phones = [Recorder(live_server.url, {"workshop": code, "token": t}) for t in tokens]
    try:
        assert presenter.wait_for("state")["current_activity"]["id"] == brainstorm
        ack = phones[0].client.call(
            "submit", {"activity_id": brainstorm, "text": "สวนริมน้ำ", "client_id": "s1"}, timeout=10
        )
        assert ack["ok"] and ack["created"]
        statement_id = ack["statement"]["id"]
        assert presenter.wait_for("statement")["text"] == "สวนริมน้ำ"
        again = phones[0].client.call(
            "submit", {"activity_id": brainstorm, "text": "x", "client_id": "s1"}, timeout=10
        )
        assert again["ok"] and not again["created"] and again["statement"]["id"] == statement_id

        api("POST", f"/workshops/{code}/activities/{vote}/state", json={"state": "open"})
        phones[1].wait_for("state", lambda s: s["current_activity"]["id"] == vote)
        for n, phone in enumerate(phones):
            ack = phone.client.call(
                "vote",
                {"activity_id": vote, "client_id": f"v{n}", "dots": {str(statement_id): 2 + n}},
                timeout=10,
            )
            assert ack["ok"], ack
        tally = presenter.wait_for(
            "tally",
            lambda t: t["activity_id"] == vote and t["items"] and t["items"][0]["score"] == 5,
        )
        assert tally["items"][0]["by_group"]["academia"] == 3
        bad = phones[0].client.call(
            "vote",
            {"activity_id": vote, "client_id": "bad", "dots": {str(statement_id): 9}},
            timeout=10,
        )
        assert bad["ok"] is False and bad["error"]["code"] == "over_item_cap"
        assert phones[0].of("tally") == []  # results are not revealed to phones
        results = api("GET", f"/workshops/{code}/results").json()
        assert results["activities"][1]["items"][0]["score"] == 5
        presence = presenter.wait_for("presence", lambda p: p["online"]["total"] == 2)
        assert presence["by_group"]["residents"] == 1
    finally:
        for recorder in (presenter, *phones):
            recorder.client.disconnect()


def test_refused_connections(live_server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder(live_server.url, {"workshop": "NOPE99", "role": "presenter"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder(live_server.url, {"workshop": "NOPE99", "token": "forged"})


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_phones_events_are_answered_in_the_order_it_sent_them(live_server, transport):
    """A phone that votes and at once asks for its state gets the state with that vote:
    its events run one after another, so the ``sync`` waits for the vote's commit. Also
    over long-polling (a venue proxy that refuses WebSocket)."""
    api = live_server.api
    code = api("POST", "/workshops", json={"title": "Order"}).json()["code"]
    poll = api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "poll", "prompt": "Which?", "options": ["A", "B", "C"]},
    ).json()
    api("POST", f"/workshops/{code}/activities/{poll['id']}/state", json={"state": "open"})
    options = [option["id"] for option in poll["options"]]
    token = api("POST", f"/workshops/{code}/participants", token="", json={"group": "residents"})
    phone = Recorder(
        live_server.url, {"workshop": code, "token": token.json()["token"]}, [transport]
    )
    try:
        answers: list[tuple[str, object]] = []
        for n, option in enumerate(options):
            phone.client.emit(
                "vote",
                {"activity_id": poll["id"], "client_id": f"o{n}", "choices": [option]},
                callback=lambda ack, n=n: answers.append((f"vote {n}", ack)),
            )
        state = phone.client.call("sync", {}, timeout=10)
        assert [name for name, _ in answers] == ["vote 0", "vote 1", "vote 2"]
        assert all(ack["ok"] for _, ack in answers), answers
        assert state["state"]["my_ballot"]["choices"] == [options[-1]]
    finally:
        phone.client.disconnect()
