"""Socket.IO through the Flask-SocketIO test client: who receives what, and socket writes."""

from __future__ import annotations

from tests.conftest import events


def _statement(api, room, token, text, client_id):
    response = api.statement(room["code"], token, room["brainstorm"], text, client_id)
    assert response.status_code in (200, 201)
    return response.json["id"]


def test_presenter_gets_state_and_presence_on_connect(api, room, sio_client):
    api.join(room["code"], "academia")
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    assert presenter.is_connected()
    received = presenter.get_received()
    state = next(e["args"][0] for e in received if e["name"] == "state")
    assert state["current_activity"]["id"] == room["brainstorm"]
    presence = [e["args"][0] for e in received if e["name"] == "presence"][-1]
    assert presence["total"] == 1 and presence["by_group"]["academia"] == 1


def test_refused_connections(api, room, sio_client):
    assert not sio_client({"workshop": "NOPE99", "role": "presenter"}).is_connected()
    assert not sio_client({}).is_connected()
    assert not sio_client({"workshop": room["code"], "token": "forged"}).is_connected()
    assert not sio_client({"workshop": room["code"], "role": "facilitator"}).is_connected()
    assert not sio_client({"workshop": room["code"], "role": "king"}).is_connected()
    other = api.workshop(title="Nan")["code"]
    token = api.join(other)
    assert not sio_client({"workshop": room["code"], "token": token}).is_connected()


def test_attendee_submits_over_socket_and_everyone_sees_it(api, room, sio_client):
    token = api.join(room["code"], "residents")
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    attendee = sio_client({"workshop": room["code"], "token": token})
    other = sio_client({"workshop": room["code"], "token": api.join(room["code"])})
    for c in (presenter, attendee, other):
        c.get_received()
    payload = {"activity_id": room["brainstorm"], "text": " ตลาดนัด ", "client_id": "s-1"}
    ack = attendee.emit("submit", payload, callback=True)
    assert ack["ok"] is True and ack["created"] is True
    assert ack["statement"]["text"] == "ตลาดนัด" and ack["statement"]["group"] == "residents"
    for c in (presenter, other):
        assert [s["text"] for s in events(c, "statement")] == ["ตลาดนัด"]
    # The same client_id again: same statement, no second broadcast.
    again = attendee.emit("submit", payload, callback=True)
    assert (
        again["ok"]
        and again["created"] is False
        and again["statement"]["id"] == ack["statement"]["id"]
    )
    assert events(presenter, "statement") == []
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert len(state["statements"]) == 1


def test_socket_errors_are_acked_and_change_nothing(api, room, sio_client):
    token = api.join(room["code"])
    attendee = sio_client({"workshop": room["code"], "token": token})
    for payload, code in [
        ({"activity_id": room["brainstorm"], "text": "", "client_id": "a"}, "empty_text"),
        ({"activity_id": room["brainstorm"], "text": "x" * 281, "client_id": "b"}, "text_too_long"),
        ({"activity_id": room["vote"], "text": "x", "client_id": "c"}, "wrong_kind"),
        ({"activity_id": "nope", "text": "x", "client_id": "d"}, "activity_not_found"),
        ({"activity_id": room["brainstorm"], "text": "x"}, "invalid_client_id"),
        ({"activity_id": room["brainstorm"], "text": ["x"], "client_id": "e"}, "invalid_text"),
    ]:
        ack = attendee.emit("submit", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, (payload, ack)
    ack = attendee.emit("submit", "not an object", callback=True)
    assert ack["ok"] is False
    assert api.get(f"/workshops/{room['code']}/state", token=token).json["statements"] == []


def test_presenter_cannot_write(api, room, sio_client):
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    ack = presenter.emit(
        "submit", {"activity_id": room["brainstorm"], "text": "x", "client_id": "p"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


def test_vote_over_socket_updates_tally_for_presenter_only(api, room, sio_client):
    code = room["code"]
    author = api.join(code, "academia")
    park = _statement(api, room, author, "park", "1")
    bus = _statement(api, room, author, "bus", "2")
    api.open(code, room["vote"])
    voter_token = api.join(code, "residents")
    presenter = sio_client({"workshop": code, "role": "presenter"})
    attendee = sio_client({"workshop": code, "token": voter_token})
    presenter.get_received()
    attendee.get_received()
    ack = attendee.emit(
        "vote",
        {"activity_id": room["vote"], "client_id": "v1", "dots": {str(park): 3, str(bus): 1}},
        callback=True,
    )
    assert ack["ok"] is True and ack["ballot"]["dots"] == {str(park): 3, str(bus): 1}
    tally = events(presenter, "tally")[-1]
    assert tally["activity_id"] == room["vote"]
    assert [(i["statement_id"], i["score"]) for i in tally["items"]] == [(park, 3), (bus, 1)]
    assert tally["items"][0]["by_group"]["residents"] == 3
    assert events(attendee, "tally") == []  # results hidden from phones by default
    bad = attendee.emit(
        "vote",
        {"activity_id": room["vote"], "client_id": "v2", "dots": {str(park): 3, str(bus): 3}},
        callback=True,
    )
    assert bad["ok"] is False and bad["error"]["code"] == "over_budget"
    state = api.get(f"/workshops/{code}/state", token=voter_token).json
    assert state["my_ballot"]["dots"] == {str(park): 3, str(bus): 1}
    # Revealing the results sends the tally to phones as well.
    api.post(f"/workshops/{code}/activities/{room['vote']}/reveal", {"revealed": True})
    attendee.emit(
        "vote",
        {"activity_id": room["vote"], "client_id": "v3", "dots": {str(bus): 2}},
        callback=True,
    )
    assert events(attendee, "tally")[-1]["items"][0]["statement_id"] == bus


def test_http_writes_are_broadcast_too(api, room, sio_client):
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    presenter.get_received()
    token = api.join(room["code"], "civil_society")
    _statement(api, room, token, "ป่าชุมชน", "x")
    received = presenter.get_received()
    names = [e["name"] for e in received]
    assert "statement" in names and "presence" in names
    presence = [e["args"][0] for e in received if e["name"] == "presence"][-1]
    assert presence["by_group"]["civil_society"] == 1


def test_state_follows_activity_changes_with_my_ballot(api, room, sio_client):
    code = room["code"]
    author = api.join(code)
    park = _statement(api, room, author, "park", "1")
    api.open(code, room["vote"])
    voter = api.join(code)
    assert api.vote(code, voter, room["vote"], {park: 2}, "v").status_code == 200
    attendee = sio_client({"workshop": code, "token": voter})
    on_connect = events(attendee, "state")[-1]
    assert on_connect["my_ballot"]["dots"] == {str(park): 2}
    # Back to the brainstorm, then the vote again: the phone gets its ballot back.
    api.open(code, room["brainstorm"])
    state = events(attendee, "state")[-1]
    assert state["current_activity"]["kind"] == "brainstorm" and state["my_ballot"] is None
    api.open(code, room["vote"])
    states = events(attendee, "state")
    assert states[-1]["current_activity"]["id"] == room["vote"]
    assert states[-1]["my_ballot"]["dots"] == {str(park): 2}


def test_attendee_by_cookie_and_facilitator_by_login(api, room, app, sio_client):
    from tests.conftest import FACILITATOR_EMAIL, FACILITATOR_PASSWORD

    phone = app.test_client()
    page = phone.get(f"/j/{room['code']}")
    token = _csrf(page.data)
    response = phone.post(f"/j/{room['code']}", data={"csrf_token": token, "group": "residents"})
    assert response.status_code == 302
    attendee = sio_client({"workshop": room["code"]}, flask_client=phone)
    assert attendee.is_connected()
    assert events(attendee, "state")[-1]["me"]["group"] == "residents"

    tablet = app.test_client()
    login = tablet.get("/facilitator/login")
    tablet.post(
        "/facilitator/login",
        data={
            "csrf_token": _csrf(login.data),
            "email": FACILITATOR_EMAIL,
            "password": FACILITATOR_PASSWORD,
        },
    )
    facilitator = sio_client({"workshop": room["code"], "role": "facilitator"}, flask_client=tablet)
    assert facilitator.is_connected()
    assert events(facilitator, "presence")[-1]["online"]["total"] == 1
    sync = facilitator.emit("sync", {}, callback=True)
    assert sync["ok"] and sync["state"]["workshop"]["code"] == room["code"]


def _csrf(html: bytes) -> str:
    import re

    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        rb'name="csrf_token" value="([^"]+)"', html
    )
    assert match, html[:500]
    return match.group(1).decode()
