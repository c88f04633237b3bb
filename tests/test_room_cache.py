"""The room state sent on connect is built once per change (workshop/live/room_cache.py): a phone
that connects after any change sees it, and its own part (``me``, ``my_ballot``) is its own."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import events
from workshop.extensions import db


def _state_on_connect(sio_client, code: str, token: str | None = None) -> dict:
    auth = {"workshop": code, "token": token} if token else {"workshop": code, "role": "presenter"}
    client = sio_client(auth)
    assert client.is_connected()
    state = events(client, "state")[0]
    client.disconnect()
    return state


def test_each_change_reaches_the_next_phone_that_connects(api, room, sio_client):
    code = room["code"]
    token = api.join(code, "academia", name="Somchai")
    first = _state_on_connect(sio_client, code, token)
    assert first["statements"] == [] and first["me"]["name"] == "Somchai"
    assert first["me"]["group"] == "academia" and first["my_ballot"] is None

    # A new statement.
    response = api.statement(code, token, room["brainstorm"], "ตลาดน้ำ", "s-1")
    statement_id = response.json["id"]
    assert [s["text"] for s in _state_on_connect(sio_client, code, token)["statements"]] == [
        "ตลาดน้ำ"
    ]
    # A moderation change (hidden), then back.
    path = f"/workshops/{code}/statements/{statement_id}"
    assert (
        api.client.patch(f"/api/v1{path}", json={"hidden": True}, headers=api.headers()).status_code
        == 200
    )
    assert _state_on_connect(sio_client, code, token)["statements"] == []
    assert (
        api.client.patch(
            f"/api/v1{path}", json={"hidden": False}, headers=api.headers()
        ).status_code
        == 200
    )
    # A workshop setting that is not broadcast (the short code closed).
    assert _state_on_connect(sio_client, code, token)["workshop"]["short_code_open"] is True
    response = api.client.patch(
        f"/api/v1/workshops/{code}", json={"short_code_open": False}, headers=api.headers()
    )
    assert response.status_code == 200, response.json
    assert _state_on_connect(sio_client, code, token)["workshop"]["short_code_open"] is False
    # The vote opens: the current activity changes.
    api.open(code, room["vote"])
    state = _state_on_connect(sio_client, code, token)
    assert state["current_activity"]["id"] == room["vote"]
    assert [s["id"] for s in state["statements"]] == [statement_id]


def test_my_ballot_is_each_phones_own(api, room, sio_client):
    code = room["code"]
    voter, other = api.join(code), api.join(code)
    statement_id = api.statement(code, voter, room["brainstorm"], "ทางเท้า", "s-1").json["id"]
    api.open(code, room["vote"])
    assert _state_on_connect(sio_client, code, voter)["my_ballot"] is None
    assert api.vote(code, voter, room["vote"], {statement_id: 2}, "v-1").status_code == 200
    mine = _state_on_connect(sio_client, code, voter)
    assert mine["my_ballot"]["dots"] == {str(statement_id): 2}
    assert mine["my_ballot"]["client_id"] == "v-1"
    theirs = _state_on_connect(sio_client, code, other)
    assert (
        theirs["my_ballot"] is None
        and theirs["me"]["participant_id"] != (mine["me"]["participant_id"])
    )
    # The presenter has no ``me`` and no ballot.
    presenter = _state_on_connect(sio_client, code)
    assert "me" not in presenter and presenter["my_ballot"] is None


def test_a_write_outside_the_orm_is_seen_too(app, api, room, sio_client):
    code = room["code"]
    assert _state_on_connect(sio_client, code)["workshop"]["title"] == "Lampang future city"
    with app.app_context():
        db.session.execute(
            text("UPDATE workshop SET title = :title WHERE code = :code"),
            {"title": "Nan future city", "code": code},
        )
        db.session.commit()
    assert _state_on_connect(sio_client, code)["workshop"]["title"] == "Nan future city"


def test_a_rolled_back_write_does_not_leave_a_stale_state(app, api, room, sio_client):
    code = room["code"]
    _state_on_connect(sio_client, code)
    with app.app_context():
        db.session.execute(
            text("UPDATE workshop SET title = 'never stored' WHERE code = :code"), {"code": code}
        )
        db.session.rollback()
    assert _state_on_connect(sio_client, code)["workshop"]["title"] == "Lampang future city"


def test_the_countdown_is_fresh_on_every_connect(api, room, sio_client):
    code = room["code"]
    response = api.post(
        f"/workshops/{code}/activities/{room['brainstorm']}/timer", {"seconds": 120}
    )
    assert response.status_code == 200, response.json
    remaining = _state_on_connect(sio_client, code)["current_activity"]["remaining_seconds"]
    assert 0 < remaining <= 120


def test_refusals_hold_while_the_state_is_cached(api, room, sio_client):
    code = room["code"]
    _state_on_connect(sio_client, code, api.join(code))  # the state is now cached
    other_token = api.join(api.workshop(title="Nan")["code"])
    for auth in (
        {"workshop": code, "token": "forged"},
        {"workshop": code, "token": other_token},
        {"workshop": code},
        {"workshop": code.lower(), "token": ""},
    ):
        client = sio_client(auth)
        assert not client.is_connected(), auth
    # The code as a phone types it (lower case, a dash) still joins from the cache.
    token = api.join(code)
    typed = f"{code[:3].lower()}-{code[3:].lower()}"
    assert _state_on_connect(sio_client, typed, token)["me"]["group"] == "residents"
