"""Hostile input must never harm a hearing: Socket.IO origins, oversized messages,
facilitator sessions, CSRF on every form, the QR join token and the closable short
code, and isolation between workshops (fuzzed with hypothesis)."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FACILITATOR_EMAIL, FACILITATOR_PASSWORD, Api, make_facilitator
from workshop.services.workshops import normalise_code

WAIT = 10.0  # a bound on waits, never a performance threshold
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def csrf(html: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:300]
    return match.group(1).decode()


def login(client, email=FACILITATOR_EMAIL, password=FACILITATOR_PASSWORD):
    page = client.get("/facilitator/login")
    response = client.post(
        "/facilitator/login",
        data={"csrf_token": csrf(page.data), "email": email, "password": password},
    )
    assert response.status_code == 302, response.status_code
    return response


def logout(client):
    page = client.get("/facilitator/")
    return client.post("/facilitator/logout", data={"csrf_token": csrf(page.data)})


def join_by_form(client, code: str, group: str = "residents"):
    page = client.get(f"/j/{code}")
    assert page.status_code == 200, page.status_code
    return client.post(f"/j/{code}", data={"csrf_token": csrf(page.data), "group": group})


def wait_until(predicate, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout}s")


# --- Socket.IO origins -----------------------------------------------------------------------


def test_socketio_admits_only_its_own_origin_by_default(client):
    assert client.get(HANDSHAKE, headers={"Origin": "http://evil.example"}).status_code == 400
    assert client.get(HANDSHAKE, headers={"Origin": "http://localhost"}).status_code == 200
    assert client.get(HANDSHAKE).status_code == 200  # no Origin: not a browser


@pytest.mark.parametrize(
    ("origin", "admitted"),
    [
        ("https://allowed.example", True),
        ("https://hearing.example.org", True),  # PUBLIC_URL: the app's own pages
        ("http://localhost", True),  # the host the request came to
        ("http://evil.example", False),
        ("https://allowed.example.evil.example", False),
        ("null", False),
    ],
)
def test_allow_list_adds_origins_and_keeps_the_apps_own(db_path, origin, admitted):
    from workshop import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "CORS_ORIGINS": ["https://allowed.example", "*"],  # "*" is ignored, never honoured
            "PUBLIC_URL": "https://hearing.example.org/",
        }
    )
    response = app.test_client().get(HANDSHAKE, headers={"Origin": origin})
    assert response.status_code == (200 if admitted else 400)
    if admitted:
        assert response.headers["Access-Control-Allow-Origin"] == origin


def test_a_lone_star_still_means_same_origin_only(db_path):
    from workshop import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "CORS_ORIGINS": ["*"]})
    client = app.test_client()
    assert client.get(HANDSHAKE, headers={"Origin": "http://evil.example"}).status_code == 400
    assert client.get(HANDSHAKE, headers={"Origin": "http://localhost"}).status_code == 200


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory):
    """A real gevent server with an allow-list of one foreign origin."""
    from tests.live_server import LiveServer

    server = LiveServer(
        tmp_path_factory.mktemp("guarded"),
        env_extra={"WORKSHOP_CORS_ORIGINS": "https://allowed.example"},
    )
    server.prepare()
    server.start()
    yield server
    server.stop()


def _live_room(server) -> dict:
    code = server.api("POST", "/workshops", json={"title": "Guarded"}).json()["code"]
    brainstorm = server.api(
        "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "Ideas"}
    ).json()["id"]
    server.api("POST", f"/workshops/{code}/activities/{brainstorm}/state", json={"state": "open"})
    return {"code": code, "brainstorm": brainstorm}


def _live_phone(server, code: str, origin: str | None = None, transport: str = "websocket"):
    token = server.api(
        "POST", f"/workshops/{code}/participants", token="", json={"group": "residents"}
    ).json()["token"]
    options = {"origin": origin} if origin else {}
    phone = socketio.Client(reconnection=False, websocket_extra_options=options)
    phone.connect(
        server.url,
        auth={"workshop": code, "token": token},
        transports=[transport],
        wait_timeout=WAIT,
    )
    return phone


@pytest.mark.server
def test_websocket_from_a_foreign_origin_is_refused(guarded_server):
    room = _live_room(guarded_server)
    with pytest.raises(socketio.exceptions.ConnectionError):
        _live_phone(guarded_server, room["code"], origin="http://evil.example")
    for origin in ("https://allowed.example", guarded_server.url):
        phone = _live_phone(guarded_server, room["code"], origin=origin)
        assert phone.connected
        phone.disconnect()


@pytest.mark.server
@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_an_oversized_socket_message_closes_only_that_connection(guarded_server, transport):
    room = _live_room(guarded_server)
    code, brainstorm = room["code"], room["brainstorm"]
    bystander = _live_phone(guarded_server, code)
    big = _live_phone(guarded_server, code, transport=transport)
    try:
        big.emit("submit", {"activity_id": brainstorm, "text": "x" * 65536, "client_id": "big"})
        wait_until(lambda: not big.connected)
        ack = bystander.call(
            "submit",
            {"activity_id": brainstorm, "text": "still here", "client_id": "ok"},
            timeout=WAIT,
        )
        assert ack["ok"] and ack["created"]
        assert requests.get(f"{guarded_server.url}/health", timeout=WAIT).ok
        again = _live_phone(guarded_server, code, transport=transport)
        ack = again.call(
            "submit", {"activity_id": brainstorm, "text": "back", "client_id": "b"}, timeout=WAIT
        )
        assert ack["ok"]
        again.disconnect()
        results = guarded_server.api("GET", f"/workshops/{code}/results").json()
        assert sorted(i["text"] for i in results["activities"][0]["items"]) == [
            "back",
            "still here",
        ]
    finally:
        for phone in (bystander, big):
            if phone.connected:
                phone.disconnect()
    assert "Traceback" not in guarded_server.log()


def test_oversized_form_posts_get_a_page_not_a_crash(client, room):
    response = client.post(f"/j/{room['code']}/statements", data={"text": "x" * 20_000})
    assert response.status_code == 413 and b"<html" in response.data.lower()


def test_the_json_api_ignores_form_and_text_bodies(client, api, room):
    """The API is CSRF-exempt; a cross-site form cannot send application/json."""
    login(client)
    for content_type in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data"):
        response = client.post(
            f"/api/v1/workshops/{room['code']}/activities",
            data='{"kind": "brainstorm", "prompt": "forged"}',
            content_type=content_type,
        )
        assert response.status_code == 400, content_type
    assert len(api.get(f"/workshops/{room['code']}").json["activities"]) == 2


# --- facilitator sessions and CSRF -----------------------------------------------------------


def test_login_starts_a_new_session(app, client, api, room):
    join_by_form(client, room["code"])
    assert b'id="room"' in client.get(f"/j/{room['code']}").data  # in as an attendee
    login(client)
    with client.session_transaction() as session:
        first = session["login_nonce"]
        assert "participants" not in session  # nothing carried over into the login
    logout(client)
    login(client)
    with client.session_transaction() as session:
        assert session["login_nonce"] != first


def test_logout_closes_the_sockets_of_that_login_only(app, api, room, sio_client):
    tablet, laptop = app.test_client(), app.test_client()
    login(tablet)
    login(laptop)
    auth = {"workshop": room["code"], "role": "facilitator"}
    panel = sio_client(auth, flask_client=tablet)
    second_panel = sio_client(auth, flask_client=tablet)
    other_login = sio_client(auth, flask_client=laptop)
    api_client = sio_client(dict(auth, token=api.token))
    projector = sio_client({"workshop": room["code"], "role": "presenter"})
    assert all(s.is_connected() for s in (panel, second_panel, other_login, api_client, projector))
    response = logout(tablet)
    assert response.status_code == 302 and response.location.endswith("/facilitator/login")
    assert not panel.is_connected() and not second_panel.is_connected()
    assert other_login.is_connected() and api_client.is_connected() and projector.is_connected()
    assert not sio_client(auth, flask_client=tablet).is_connected()  # logged out for good
    assert other_login.emit("sync", {}, callback=True)["ok"]


def _html_post_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint.split(".")[0] not in ("api", "static")
    ]


def test_every_html_form_refuses_a_post_without_a_valid_csrf_token(app, client, api, room):
    """Every POST route of the HTML blueprints, logged in or not, with no or a forged token."""
    rules = _html_post_rules(app)
    assert len(rules) >= 12, [r.rule for r in rules]  # the forms were found
    values = {
        "code": room["code"],
        "activity_id": str(room["brainstorm"]),
        "statement_id": "1",
        "item_id": "1",
        "action": "state",
    }
    before = api.get(f"/workshops/{room['code']}").json
    anonymous = app.test_client()
    login(client)
    for rule in rules:
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values.get(m.group(1), "1"), rule.rule)
        for browser in (client, anonymous):
            for data in ({"value": "open"}, {"value": "open", "csrf_token": "forged"}):
                response = browser.post(url, data=data)
                assert response.status_code == 400, (rule.rule, data, response.status_code)
    assert api.get(f"/workshops/{room['code']}").json == before


# --- the QR join token and the closable short code -------------------------------------------


def _patch(api: Api, code: str, body: dict, token: str | None = None):
    return api.client.patch(f"/api/v1/workshops/{code}", json=body, headers=api.headers(token))


def test_closing_the_short_code_keeps_the_qr_link_and_everyone_inside(app, api, room, sio_client):
    code = room["code"]
    workshop = api.get(f"/workshops/{code}").json
    assert workshop["short_code_open"] is True
    join_url = urlsplit(workshop["join_url"])
    assert join_url.path == f"/j/{code}"
    join_token = parse_qs(join_url.query)["t"][0]
    assert len(join_token) >= 20

    # Already in before the code closes: an API phone, a browser phone, a projector,
    # and a phone that has the join form open.
    api_phone = api.join(code)
    browser = app.test_client()
    join_by_form(browser, code)
    projector = app.test_client()
    assert projector.get(f"/present/{code}").status_code == 200
    half_way = app.test_client()
    form_page = half_way.get(f"/j/{code}")

    assert _patch(api, code, {"short_code_open": False}, token=api_phone).status_code == 403
    closed = _patch(api, code, {"short_code_open": False})
    assert closed.status_code == 200 and closed.json["short_code_open"] is False
    assert closed.json["join_url"] == workshop["join_url"]  # printed QR codes keep working

    # Typing the code no longer joins, on any path.
    stranger = app.test_client()
    typed = stranger.get("/j", query_string={"code": code.lower()}, follow_redirects=True)
    assert typed.status_code == 403
    assert stranger.get(f"/j/{code}").status_code == 403
    refused = api.post(f"/workshops/{code}/participants", {"group": "residents"}, token="")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "short_code_closed"
    forged = api.post(
        f"/workshops/{code}/participants", {"group": "residents", "join_token": "x"}, token=""
    )
    assert forged.status_code == 403
    # ... nor reveals the QR token through the projector screen.
    assert stranger.get(f"/present/{code}").status_code == 403
    watcher = sio_client({"workshop": code, "role": "presenter"}, flask_client=stranger)
    assert not watcher.is_connected()

    # The QR link still joins, and the token leaves the address bar.
    scanner = app.test_client()
    landing = scanner.get(f"{join_url.path}?{join_url.query}")
    assert landing.status_code == 302 and "t=" not in landing.location
    assert join_by_form(scanner, code).status_code == 302
    assert b'id="room"' in scanner.get(f"/j/{code}").data
    joined = api.post(
        f"/workshops/{code}/participants",
        {"group": "academia", "join_token": join_token},
        token="",
    )
    assert joined.status_code == 201
    assert sio_client(
        {"workshop": code, "role": "presenter", "join_token": join_token}
    ).is_connected()

    # Everyone already in keeps working.
    assert api.statement(code, api_phone, room["brainstorm"], "still in", "c1").status_code == 201
    assert b'id="room"' in browser.get(f"/j/{code}").data
    assert sio_client({"workshop": code}, flask_client=browser).is_connected()
    assert projector.get(f"/present/{code}").status_code == 200
    assert sio_client(
        {"workshop": code, "role": "presenter"}, flask_client=projector
    ).is_connected()
    late = half_way.post(
        f"/j/{code}", data={"csrf_token": csrf(form_page.data), "group": "residents"}
    )
    assert late.status_code == 302 and b'id="room"' in half_way.get(f"/j/{code}").data
    facilitator = app.test_client()
    login(facilitator)
    assert facilitator.get(f"/present/{code}").status_code == 200

    audit = [e["action"] for e in api.get(f"/workshops/{code}/audit").json["entries"]]
    assert "short_code_closed" in audit
    assert _patch(api, code, {"short_code_open": True}).json["short_code_open"] is True
    assert stranger.get(f"/j/{code}").status_code == 200


def test_the_panel_switch_closes_and_reopens_the_short_code(app, client, api, room):
    code = room["code"]
    login(client)
    page = client.get(f"/facilitator/w/{code}")
    token = csrf(page.data)
    for value, expected in (("close", False), ("open", True)):
        response = client.post(
            f"/facilitator/w/{code}/short-code", data={"csrf_token": token, "value": value}
        )
        assert response.status_code == 302
        assert api.get(f"/workshops/{code}").json["short_code_open"] is expected
    bad = client.post(f"/facilitator/w/{code}/short-code", data={"csrf_token": token, "value": "x"})
    assert bad.status_code == 400


def test_join_tokens_are_unique_and_unguessable(api):
    tokens = set()
    for n in range(20):
        url = api.workshop(title=f"W{n}")["join_url"]
        tokens.add(parse_qs(urlsplit(url).query)["t"][0])
    assert len(tokens) == 20 and min(len(t) for t in tokens) >= 20


# --- isolation between workshops (fuzzed) ----------------------------------------------------

SECRET = "B-secret"


def _fingerprint(app, code: str) -> tuple:
    """Everything a participant could read or change of one workshop."""
    from sqlalchemy import select

    from workshop.extensions import db
    from workshop.models import (
        Activity,
        AuditEntry,
        Ballot,
        Participant,
        Statement,
        VoteWrite,
        Workshop,
    )

    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.code == code))

        def rows(query):
            return tuple(tuple(r) for r in db.session.execute(query).all())

        fingerprint = (
            (
                workshop.title,
                workshop.current_activity_id,
                workshop.premoderation,
                workshop.short_code_open,
                workshop.join_token,
                workshop.consensus_threshold,
                workshop.consensus_min_group,
            ),
            rows(
                select(
                    Activity.id,
                    Activity.state,
                    Activity.locked,
                    Activity.ends_at,
                    Activity.projector_results,
                    Activity.results_revealed,
                    Activity.prompt,
                )
                .where(Activity.workshop_id == workshop.id)
                .order_by(Activity.id)
            ),
            rows(
                select(
                    Statement.id,
                    Statement.text,
                    Statement.hidden,
                    Statement.pending,
                    Statement.pinned,
                    Statement.merged_into_id,
                )
                .where(Statement.workshop_id == workshop.id)
                .order_by(Statement.id)
            ),
            rows(
                select(Ballot.id, Ballot.client_id, Ballot.updated_at, Ballot.entries_json)
                .join(Activity, Activity.id == Ballot.activity_id)
                .where(Activity.workshop_id == workshop.id)
                .order_by(Ballot.id)
            ),
            rows(
                select(VoteWrite.id)
                .join(Participant, Participant.id == VoteWrite.participant_id)
                .where(Participant.workshop_id == workshop.id)
            ),
            rows(select(AuditEntry.id).where(AuditEntry.workshop_id == workshop.id)),
        )
        db.session.remove()
    return fingerprint


@pytest.fixture
def isolation_app(db_path):
    """The app without rate limits, so that every status below is the access decision."""
    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    config = TestConfig(f"sqlite:///{db_path}")
    config.RATE_STATEMENTS = config.RATE_VOTES = config.RATE_JOIN_FAILURES = 0
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def two_rooms(isolation_app):
    """Workshop A (facilitator A, participant a) and workshop B (facilitator B, with
    statements, a ballot, a draft plan) that A's participant must never touch."""
    app = isolation_app
    client = app.test_client()
    api_a = Api(client, make_facilitator(app, "a@example.org"))
    api_b = Api(client, make_facilitator(app, "b@example.org"))
    a = api_a.workshop(title="Workshop A")["code"]
    a_brainstorm = api_a.activity(a, kind="brainstorm", prompt="A ideas")["id"]
    api_a.open(a, a_brainstorm)
    b = api_b.workshop(title=f"{SECRET} title", city="lampang")["code"]
    b_brainstorm = api_b.activity(b, kind="brainstorm", prompt=f"{SECRET} prompt")["id"]
    api_b.open(b, b_brainstorm)
    b_author = api_b.join(b, "academia")
    b_statements = [
        api_b.statement(b, b_author, b_brainstorm, f"{SECRET} {n}", f"b{n}").json["id"]
        for n in range(3)
    ]
    b_vote = api_b.activity(
        b, kind="dot_vote", prompt=f"{SECRET} vote", source_activity_id=b_brainstorm
    )["id"]
    api_b.open(b, b_vote)
    assert api_b.vote(b, b_author, b_vote, {b_statements[0]: 2}, "bv").status_code == 200
    assert api_b.post(f"/workshops/{b}/plan/draft", {}).status_code in (200, 201)
    participant_a = api_a.join(a)
    return {
        "app": app,
        "client": client,
        "a": a,
        "a_brainstorm": a_brainstorm,
        "participant_a": participant_a,
        "b": b,
        "b_participant": b_author,
        "b_ids": [b_brainstorm, b_vote, *b_statements],
        "b_join_token": parse_qs(urlsplit(api_b.get(f"/workshops/{b}").json["join_url"]).query)[
            "t"
        ][0],
    }


def _operations(security: str) -> list[tuple[str, str]]:
    from workshop.api.openapi import OPERATIONS

    return [(method, path) for method, path, _, _, _, sec in OPERATIONS if sec == security]


FUZZ_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="/?#%\\", blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip(".") != "")


def _ids(rooms: dict):
    return st.one_of(
        st.sampled_from(rooms["b_ids"]),
        st.integers(-3, 2**31),
        FUZZ_TEXT,
    )


def _codes(rooms: dict):
    b = rooms["b"]
    return st.one_of(
        st.sampled_from([b, b.lower(), f"{b[:3]}-{b[3:]}", rooms["a"]]),
        FUZZ_TEXT,
    )


def _fill(path: str, draw, rooms: dict) -> tuple[str, str | None]:
    """The URL with fuzzed path parameters, and the workshop code put in it (if any)."""
    code = None

    def value(match):
        nonlocal code
        if match.group(1) == "code":
            code = draw(_codes(rooms))
            return quote(code, safe="")
        return quote(str(draw(_ids(rooms))), safe="")

    return "/api/v1" + re.sub(r"{(\w+)}", value, path), code


def _body(draw, rooms: dict) -> dict:
    ids = _ids(rooms)
    target = draw(ids)
    return {
        "activity_id": target,
        "client_id": draw(FUZZ_TEXT),
        "text": "pwned",
        "dots": {str(draw(ids)): 1},
        "statement_id": draw(ids),
        "value": 1,
        "from": [draw(ids)],
        "state": "open",
        "revealed": True,
        "show_results": True,
        "locked": True,
        "seconds": 60,
        "direction": "next",
        "hidden": True,
        "pinned": True,
        "approved": True,
        "premoderation": True,
        "short_code_open": False,
        "title": "pwned",
        "kind": "brainstorm",
        "prompt": "pwned",
        "email": "a@example.org",
        "overwrite": True,
        "section": "vision",
        "status": "done",
        "progress": 100,
        "group": "residents",
    }


def _assert_nothing_of_b(response, rooms: dict) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (response.status_code, body[:300])
    assert SECRET not in body and rooms["b_join_token"] not in body, body[:300]


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_participants_never_act_as_facilitators(two_rooms, data):
    """Every facilitator endpoint answers 401/403 to any participant token, whatever the ids."""
    rooms = two_rooms
    method, path = data.draw(st.sampled_from(_operations("facilitator")))
    url, _ = _fill(path, data.draw, rooms)
    token = data.draw(st.sampled_from([rooms["participant_a"], rooms["b_participant"]]))
    before = _fingerprint(rooms["app"], rooms["b"])
    response = rooms["client"].open(
        url,
        method=method.upper(),
        json=_body(data.draw, rooms) if method != "get" else None,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403, (method, url, response.status_code)
    assert response.json["error"]["code"] == "forbidden"
    assert _fingerprint(rooms["app"], rooms["b"]) == before


@FUZZ
@given(data=st.data())
def test_a_participant_of_a_never_reads_or_changes_b_over_the_api(two_rooms, data):
    rooms = two_rooms
    operations = _operations("participant") + _operations("facilitator")
    method, path = data.draw(st.sampled_from(operations))
    url, code = _fill(path, data.draw, rooms)
    token = data.draw(st.one_of(st.just(rooms["participant_a"]), FUZZ_TEXT.map(lambda t: f"x{t}")))
    before = _fingerprint(rooms["app"], rooms["b"])
    response = rooms["client"].open(
        url,
        method=method.upper(),
        json=_body(data.draw, rooms) if method != "get" else None,
        headers={"Authorization": f"Bearer {token}"},
    )
    _assert_nothing_of_b(response, rooms)
    if code is not None and normalise_code(code) == rooms["b"]:
        assert response.status_code in (401, 403), (url, response.status_code)
    assert _fingerprint(rooms["app"], rooms["b"]) == before


@FUZZ
@given(data=st.data())
def test_a_participant_of_a_never_reaches_b_over_socketio(two_rooms, data):
    from workshop.extensions import socketio as server

    rooms = two_rooms
    app = rooms["app"]
    before = _fingerprint(app, rooms["b"])
    code = data.draw(_codes(rooms))
    intruder = server.test_client(
        app, auth={"workshop": code, "token": rooms["participant_a"], "role": "attendee"}
    )
    try:
        if normalise_code(code) == rooms["b"]:
            assert not intruder.is_connected()
        if intruder.is_connected():
            event = data.draw(st.sampled_from(["vote", "submit", "sync"]))
            ack = intruder.emit(event, _body(data.draw, rooms), callback=True)
            assert SECRET not in repr(ack) and rooms["b_join_token"] not in repr(ack)
            if event != "sync":
                assert (
                    ack["ok"] is False
                    or ack.get("statement", {}).get("activity_id") == (rooms["a_brainstorm"])
                )
            assert SECRET not in repr(intruder.get_received())
    finally:
        if intruder.is_connected():
            intruder.disconnect()
    facilitator = server.test_client(
        app, auth={"workshop": code, "token": rooms["participant_a"], "role": "facilitator"}
    )
    assert not facilitator.is_connected()
    assert _fingerprint(app, rooms["b"]) == before


def test_a_participant_browser_of_a_never_reaches_b_or_facilitator_pages(two_rooms):
    rooms = two_rooms
    app, a, b = rooms["app"], rooms["a"], rooms["b"]
    phone = app.test_client()
    join_by_form(phone, a)
    token = csrf(phone.get(f"/j/{a}").data)
    before = _fingerprint(app, b)
    page = phone.get(f"/j/{b}")
    assert page.status_code == 200 and b'id="room"' not in page.data  # only B's join form
    for action, data in (
        ("statements", {"activity_id": rooms["b_ids"][0], "client_id": "x", "text": "pwned"}),
        ("vote", {"activity_id": rooms["b_ids"][1], "client_id": "y", "dots-1": "1"}),
    ):
        response = phone.post(f"/j/{b}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 302 and response.location.endswith(f"/j/{b}")
    values = {
        "code": b,
        "activity_id": str(rooms["b_ids"][1]),
        "statement_id": str(rooms["b_ids"][2]),
        "item_id": "1",
        "action": "state",
    }
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if blueprint not in ("facilitator", "moderation", "planner"):
            continue
        if rule.endpoint in ("facilitator.login", "facilitator.logout"):
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values.get(m.group(1), "1"), rule.rule)
        for method in rule.methods & {"GET", "POST"}:
            response = phone.open(
                url, method=method, data={"csrf_token": token, "value": "open", "text": "pwned"}
            )
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/facilitator/login" in response.location
            assert SECRET not in response.get_data(as_text=True)
    assert _fingerprint(app, b) == before


@pytest.mark.parametrize("public_url, secure", [("https://hearing.example.org", True), ("", False)])
def test_cookies_are_secure_when_served_over_https(db_path, monkeypatch, public_url, secure):
    from workshop import create_app

    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", public_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    client = app.test_client()
    api = Api(client, make_facilitator(app))
    code = api.workshop()["code"]
    page = client.get(f"/j/{code}?lang=en")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data).group(1).decode()
    joined = client.post(f"/j/{code}", data={"csrf_token": token, "group": "residents"})
    assert joined.status_code == 302
    cookies = [
        cookie
        for cookie in page.headers.getlist("Set-Cookie") + joined.headers.getlist("Set-Cookie")
        if "Max-Age=0" not in cookie  # deletions (a facilitator's remember_token) carry nothing
    ]
    assert {c.split("=", 1)[0] for c in cookies} >= {"lang", "session"}
    for cookie in cookies:
        assert ("; Secure" in cookie) is secure, cookie
        assert "SameSite=Lax" in cookie
