"""Rate limits: the sliding window itself, then statements, ballots and wrong join codes
on HTTP, the HTML forms and Socket.IO. Time is a fake clock: no test waits a minute."""

from __future__ import annotations

import re
import threading
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import events
from workshop.ratelimit import SlidingWindow

STATEMENTS, VOTES, JOIN_FAILURES = 3, 2, 3


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the window ------------------------------------------------------------------------------


def test_window_admits_the_limit_then_refuses_until_the_oldest_expires():
    clock = Clock()
    window = SlidingWindow(3, 60, clock=clock)
    assert [window.acquire("a") for _ in range(4)] == [True, True, True, False]
    assert window.retry_after("a") == 60
    clock.now += 30
    assert not window.acquire("a") and window.retry_after("a") == 30
    assert window.acquire("b")  # keys are independent
    clock.now += 30
    assert window.allowed("a") and window.retry_after("a") == 0
    assert [window.acquire("a") for _ in range(4)] == [True, True, True, False]


def test_refused_attempts_do_not_count():
    clock = Clock()
    window = SlidingWindow(2, 10, clock=clock)
    window.acquire("a"), window.acquire("a")
    for _ in range(100):
        assert not window.acquire("a")
    clock.now += 10
    assert window.acquire("a") and window.acquire("a")


def test_zero_turns_a_limit_off():
    window = SlidingWindow(0, 60)
    assert not window.enabled
    assert all(window.acquire("a") for _ in range(1000))
    assert window.retry_after("a") == 0 and len(window) == 0


def test_memory_is_bounded():
    clock = Clock()
    window = SlidingWindow(5, 60, clock=clock, max_keys=100)
    for n in range(10_000):
        window.acquire(f"10.0.{n // 256}.{n % 256}")
        clock.now += 0.001
    assert len(window) <= 100
    clock.now += 61  # all idle: the next new key sweeps them away
    for n in range(100):
        window.acquire(f"new{n}")
    assert len(window) <= 100


def test_threads_never_get_more_than_the_limit():
    window = SlidingWindow(25, 60)
    admitted = []
    start = threading.Barrier(8)

    def hammer():
        start.wait(timeout=30)
        admitted.extend(window.acquire("phone") for _ in range(50))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert admitted.count(True) == 25 and len(admitted) == 400


@settings(max_examples=200, deadline=None)
@given(
    limit=st.integers(1, 5),
    events_=st.lists(
        st.tuples(st.sampled_from("abc"), st.floats(0, 30, allow_nan=False)), max_size=60
    ),
)
def test_window_matches_a_reference_model(limit, events_):
    """Admitted iff fewer than ``limit`` admitted events of that key in the last window."""
    clock = Clock()
    window = SlidingWindow(limit, 60, clock=clock)
    admitted: dict[str, deque[float]] = {}
    for key, step in events_:
        clock.now += step
        recent = [t for t in admitted.get(key, ()) if t > clock.now - 60]
        expected = len(recent) < limit
        assert window.acquire(key) is expected
        if expected:
            admitted.setdefault(key, deque()).append(clock.now)


def test_limits_come_from_the_environment(monkeypatch):
    from workshop.config import Config

    monkeypatch.setenv("WORKSHOP_RATE_STATEMENTS", "7")
    monkeypatch.setenv("WORKSHOP_RATE_VOTES", "0")
    monkeypatch.setenv("WORKSHOP_RATE_JOIN_FAILURES", "4")
    config = Config()
    assert (config.RATE_STATEMENTS, config.RATE_VOTES, config.RATE_JOIN_FAILURES) == (7, 0, 4)
    monkeypatch.delenv("WORKSHOP_RATE_STATEMENTS")
    assert Config().RATE_STATEMENTS == 20 and Config().RATE_VOTES == 0


# --- the app, with low limits ----------------------------------------------------------------


@pytest.fixture
def app(db_path):
    """The conftest app with low limits (the other fixtures build on this one)."""
    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    config = TestConfig(f"sqlite:///{db_path}")
    config.RATE_STATEMENTS = STATEMENTS
    config.RATE_VOTES = VOTES
    config.RATE_JOIN_FAILURES = JOIN_FAILURES
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_limits_can_be_set_by_a_mapping(db_path):
    from workshop import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "RATE_VOTES": 9})
    limits = app.extensions["workshop_rate_limits"]
    assert limits.votes.limit == 9 and limits.statements.limit == 20


def _statement(api, room, token, n):
    return api.statement(room["code"], token, room["brainstorm"], f"idea {n}", f"s{n}")


def test_statements_are_capped_per_participant_but_resends_always_answer(api, room):
    token, other = api.join(room["code"]), api.join(room["code"])
    for n in range(STATEMENTS):
        assert _statement(api, room, token, n).status_code == 201
    refused = _statement(api, room, token, STATEMENTS)
    assert refused.status_code == 429
    error = refused.json["error"]
    assert error["code"] == "rate_limited" and "statements in a minute" in error["message"]
    assert int(refused.headers["Retry-After"]) >= 1 and error["retry_after"] >= 1
    # A resend of an accepted client_id is answered, and does not count.
    again = _statement(api, room, token, 0)
    assert again.status_code == 200 and again.json["text"] == "idea 0"
    # Another phone is not affected; nothing refused was stored.
    assert _statement(api, room, other, 0).status_code == 201
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert sorted(s["text"] for s in state["statements"]) == [
        "idea 0",
        "idea 0",
        "idea 1",
        "idea 2",
    ]


def test_invalid_writes_do_not_use_up_the_limit(api, room):
    token = api.join(room["code"])
    for n in range(10):
        response = api.statement(room["code"], token, room["brainstorm"], "   ", f"empty{n}")
        assert response.status_code == 422
    for n in range(STATEMENTS):
        assert _statement(api, room, token, n).status_code == 201


def _statement_id(api, room):
    author = api.join(room["code"], "academia")
    return api.statement(room["code"], author, room["brainstorm"], "park", "park").json["id"]


def test_votes_are_capped_on_http_and_socket_and_resends_answer(api, room, sio_client):
    statement = _statement_id(api, room)
    api.open(room["code"], room["vote"])
    token = api.join(room["code"])
    for n in range(VOTES):
        response = api.vote(room["code"], token, room["vote"], {statement: n + 1}, f"v{n}")
        assert response.status_code == 200
    refused = api.vote(room["code"], token, room["vote"], {statement: 3}, "v-over")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    assert "vote" in refused.json["error"]["message"]
    again = api.vote(room["code"], token, room["vote"], {statement: 1}, "v0")
    assert again.status_code == 200  # an accepted client_id: answered, not counted
    assert again.json["dots"] == {str(statement): VOTES}  # the current ballot, unchanged

    phone = sio_client({"workshop": room["code"], "token": token})
    payload = {"activity_id": room["vote"], "client_id": "v-socket", "dots": {str(statement): 3}}
    ack = phone.emit("vote", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited"
    assert ack["error"]["message"] and ack["error"]["retry_after"] >= 1
    resend = phone.emit("vote", dict(payload, client_id="v1"), callback=True)
    assert resend["ok"] is True and resend["changed"] is False
    results = api.get(f"/workshops/{room['code']}/results").json
    assert results["activities"][1]["items"][0]["score"] == VOTES


def test_socket_statements_are_capped(api, room, sio_client):
    token = api.join(room["code"])
    phone = sio_client({"workshop": room["code"], "token": token})
    acks = [
        phone.emit(
            "submit",
            {"activity_id": room["brainstorm"], "text": f"idea {n}", "client_id": f"s{n}"},
            callback=True,
        )
        for n in range(STATEMENTS + 1)
    ]
    assert [a["ok"] for a in acks] == [True] * STATEMENTS + [False]
    assert acks[-1]["error"]["code"] == "rate_limited"
    resend = phone.emit(
        "submit", {"activity_id": room["brainstorm"], "text": "x", "client_id": "s0"}, callback=True
    )
    assert resend["ok"] and resend["created"] is False
    assert len(events(phone, "statement")) == STATEMENTS


def _csrf(html: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()


def test_forms_say_why_a_write_was_refused(client, room):
    code = room["code"]
    page = client.get(f"/j/{code}")
    client.post(f"/j/{code}", data={"csrf_token": _csrf(page.data), "group": "residents"})
    page = client.get(f"/j/{code}?lang=en")
    token = _csrf(page.data)
    for n in range(STATEMENTS + 1):
        response = client.post(
            f"/j/{code}/statements",
            data={
                "csrf_token": token,
                "activity_id": room["brainstorm"],
                "client_id": f"form{n}",
                "text": f"idea {n}",
            },
            follow_redirects=True,
        )
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "statements in a minute" in html


# --- wrong join codes ------------------------------------------------------------------------


def test_wrong_codes_are_throttled_per_address_but_right_codes_never(api, room, client, sio_client):
    code = room["code"]
    for n in range(JOIN_FAILURES):
        assert client.get("/j", query_string={"code": f"ZZZZZ{n + 2}"}).status_code == 404
    page = client.get("/j", query_string={"code": "ZZZZZZ", "lang": "en"})
    assert page.status_code == 429 and "Wait a minute" in page.get_data(as_text=True)
    thai = client.get("/j", query_string={"code": "ZZZZZZ", "lang": "th"})
    assert "กรุณารอ" in thai.get_data(as_text=True)
    assert client.get("/j/NOPE99").status_code == 429
    assert client.get("/j/NOPE99").headers["Retry-After"]
    response = client.get("/api/v1/workshops/NOPE99/state")
    assert response.status_code == 429 and response.json["error"]["code"] == "rate_limited"
    refused = sio_client({"workshop": "NOPE99", "role": "presenter"})
    assert not refused.is_connected()

    # The right code still works from the same address, every time, by every route.
    for _ in range(20):
        assert client.get("/j", query_string={"code": code}).status_code == 302
        assert client.get(f"/j/{code}").status_code == 200
    for _ in range(5):
        api.join(code)
    assert sio_client({"workshop": code, "role": "presenter"}).is_connected()

    # Another address is not throttled.
    elsewhere = client.application.test_client()
    wrong = elsewhere.get("/j/NOPE99", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert wrong.status_code == 404


def test_a_wrong_qr_token_counts_as_a_wrong_code(client, room, api):
    code = room["code"]
    for _ in range(JOIN_FAILURES):
        assert client.get(f"/j/{code}?t=forged").status_code == 302
    assert client.get(f"/j/{code}?t=forged").status_code == 429
    assert client.get(f"/j/{code}").status_code == 200  # the code itself still works


def test_online_window_keeps_the_vote_limit_and_one_ballot(api, room):
    """Votes in an online window (docs/channels.md) go through the same limits."""
    from datetime import UTC, datetime, timedelta

    statement = _statement_id(api, room)
    code = room["code"]
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    opened = api.client.patch(
        f"/api/v1/workshops/{code}/activities/{room['vote']}",
        json={"online_until": until},
        headers=api.headers(),
    )
    assert opened.status_code == 200
    token = api.join(code)
    for n in range(VOTES):
        response = api.vote(code, token, room["vote"], {statement: n % 3 + 1}, f"o{n}")
        assert response.status_code == 200, response.json
    refused = api.vote(code, token, room["vote"], {statement: 1}, "over")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    results = api.get(f"/workshops/{code}/results").json
    vote = next(a for a in results["activities"] if a["id"] == room["vote"])
    assert vote["ballots"] == 1 and vote["ballots_by_channel"]["online"] == 1
