"""Run of show and moderation: every action logged, reversible, and followed live."""

from __future__ import annotations

import pytest

from tests.conftest import Api, events, make_facilitator


@pytest.fixture
def wall(api, room):
    """Three statements from two groups in the open brainstorm."""
    residents = api.join(room["code"], "residents")
    business = api.join(room["code"], "private_sector")
    ids = [
        api.statement(room["code"], token, room["brainstorm"], text, f"c{i}").json["id"]
        for i, (token, text) in enumerate(
            [(residents, "สวนสาธารณะริมน้ำ"), (business, "สวนสาธารณะ ริมน้ำ"), (residents, "รถเมล์")]
        )
    ]
    return {**room, "ids": ids, "residents": residents, "business": business}


def patch(api, wall, statement_id, body, token=None):
    return api.client.patch(
        f"/api/v1/workshops/{wall['code']}/statements/{statement_id}",
        json=body,
        headers=api.headers(token),
    )


def visible_texts(api, wall, token):
    return [
        s["text"]
        for s in api.get(f"/workshops/{wall['code']}/state", token=token).json["statements"]
    ]


def test_hide_and_unhide_are_live_and_logged(api, wall, sio_client):
    presenter = sio_client({"workshop": wall["code"], "role": "presenter"})
    presenter.get_received()
    first = wall["ids"][0]
    response = patch(api, wall, first, {"hidden": True})
    assert response.status_code == 200 and response.json["hidden"] is True
    assert "สวนสาธารณะริมน้ำ" not in visible_texts(api, wall, wall["residents"])
    snapshot = events(presenter, "statements")[-1]
    assert first not in [s["id"] for s in snapshot["statements"]]
    patch(api, wall, first, {"hidden": False})
    assert "สวนสาธารณะริมน้ำ" in visible_texts(api, wall, wall["residents"])
    actions = [e["action"] for e in api.get(f"/workshops/{wall['code']}/audit").json["entries"]]
    assert actions[-2:] == ["hide", "unhide"]


def test_attendees_cannot_moderate(api, wall):
    response = patch(api, wall, wall["ids"][0], {"hidden": True}, token=wall["residents"])
    assert response.status_code == 403
    assert api.get(f"/workshops/{wall['code']}/audit", token=wall["residents"]).status_code == 403
    assert patch(api, wall, wall["ids"][0], {"hidden": True}, token="").status_code == 401
    assert "สวนสาธารณะริมน้ำ" in visible_texts(api, wall, wall["residents"])


def test_edit_keeps_the_original(api, wall):
    first = wall["ids"][0]
    patch(api, wall, first, {"text": "สวนสาธารณะริมแม่น้ำวัง"})
    detail = patch(api, wall, first, {"text": "สวนสาธารณะริมแม่น้ำวัง (ทุกวัย)"}).json
    assert detail["text"] == "สวนสาธารณะริมแม่น้ำวัง (ทุกวัย)"
    assert detail["original_text"] == "สวนสาธารณะริมน้ำ"
    assert [h["old_text"] for h in detail["history"]] == ["สวนสาธารณะริมน้ำ", "สวนสาธารณะริมแม่น้ำวัง"]
    assert (
        api.get(f"/workshops/{wall['code']}/statements/{first}").json["history"]
        == detail["history"]
    )
    assert patch(api, wall, first, {"text": "   "}).status_code == 422
    assert patch(api, wall, first, {}).status_code == 422
    assert patch(api, wall, 999999, {"hidden": True}).status_code == 404


def test_merge_sums_votes_and_unmerge_restores_them(api, wall):
    code = wall["code"]
    a, b, c = wall["ids"]
    api.open(code, wall["vote"])
    voters = [
        (api.join(code, "residents"), {a: 2, b: 1}),
        (api.join(code, "academia"), {b: 3}),
        (api.join(code, "civil_society"), {c: 1}),
    ]
    for token, dots in voters:
        assert api.vote(code, token, wall["vote"], dots, "v").status_code == 200

    def scores():
        results = api.get(f"/workshops/{code}/results").json
        vote = next(x for x in results["activities"] if x["id"] == wall["vote"])
        return {i["statement_id"]: (i["score"], i["by_group"]) for i in vote["items"]}

    before = scores()
    response = api.post(f"/workshops/{code}/statements/{a}/merge", {"from": [b]})
    assert response.status_code == 200
    assert [(m["id"], m["group"]) for m in response.json["merged_from"]] == [(b, "private_sector")]
    merged = scores()
    assert set(merged) == {a, c}  # b vanished from the ballot
    assert merged[a][0] == before[a][0] + before[b][0] == 6
    assert merged[a][1]["academia"] == 3 and merged[a][1]["residents"] == 3
    assert b not in [
        s["id"] for s in api.get(f"/workshops/{code}/state", token=voters[0][0]).json["statements"]
    ]
    # Merging again or into a merged statement is refused; nothing changes.
    assert api.post(f"/workshops/{code}/statements/{a}/merge", {"from": [b]}).status_code == 409
    assert api.post(f"/workshops/{code}/statements/{b}/merge", {"from": [c]}).status_code == 409
    assert api.post(f"/workshops/{code}/statements/{a}/merge", {"from": [a]}).status_code == 422
    assert api.post(f"/workshops/{code}/statements/{a}/merge", {"from": []}).status_code == 422
    assert scores() == merged
    assert api.post(f"/workshops/{code}/statements/{a}/unmerge").status_code == 200
    assert scores() == before
    assert api.post(f"/workshops/{code}/statements/{a}/unmerge").status_code == 409
    actions = [e["action"] for e in api.get(f"/workshops/{code}/audit").json["entries"]]
    assert "merge" in actions and "unmerge" in actions


def test_merge_across_activities_is_refused(api, wall):
    other = api.activity(wall["code"], kind="brainstorm", prompt="Other")
    api.open(wall["code"], other["id"])
    token = api.join(wall["code"])
    foreign = api.statement(wall["code"], token, other["id"], "x", "o").json["id"]
    response = api.post(
        f"/workshops/{wall['code']}/statements/{wall['ids'][0]}/merge", {"from": [foreign]}
    )
    assert response.status_code == 422


def test_premoderation_holds_statements_until_approved(api, wall, sio_client):
    code = wall["code"]
    assert (
        api.client.patch(
            f"/api/v1/workshops/{code}", json={"premoderation": True}, headers=api.headers()
        ).status_code
        == 200
    )
    presenter = sio_client({"workshop": code, "role": "presenter"})
    phone = sio_client({"workshop": code, "token": wall["residents"]})
    presenter.get_received()
    ack = phone.emit(
        "submit",
        {"activity_id": wall["brainstorm"], "text": "ขอทางจักรยาน", "client_id": "p1"},
        callback=True,
    )
    assert ack["ok"] is True
    assert events(presenter, "statement") == []
    assert "ขอทางจักรยาน" not in visible_texts(api, wall, wall["residents"])
    pending = api.get(f"/workshops/{code}/statements?status=pending").json["statements"]
    assert [s["text"] for s in pending] == ["ขอทางจักรยาน"]
    patch(api, wall, pending[0]["id"], {"approved": True})
    assert "ขอทางจักรยาน" in visible_texts(api, wall, wall["residents"])
    assert any(
        s["text"] == "ขอทางจักรยาน" for s in events(presenter, "statements")[-1]["statements"]
    )


def test_pin_shows_in_state(api, wall):
    patch(api, wall, wall["ids"][2], {"pinned": True})
    statements = api.get(f"/workshops/{wall['code']}/state", token=wall["residents"]).json[
        "statements"
    ]
    assert [s["pinned"] for s in statements] == [False, False, True]


def test_advance_lock_and_timer(api, wall):
    code = wall["code"]
    response = api.post(f"/workshops/{code}/advance", {"direction": "next"})
    assert response.status_code == 200 and response.json["id"] == wall["vote"]
    assert api.post(f"/workshops/{code}/advance", {"direction": "next"}).status_code == 422
    assert (
        api.post(f"/workshops/{code}/advance", {"direction": "previous"}).json["id"]
        == wall["brainstorm"]
    )
    assert api.post(f"/workshops/{code}/advance", {"direction": "sideways"}).status_code == 422
    lock = api.post(f"/workshops/{code}/activities/{wall['brainstorm']}/lock", {"locked": True})
    assert lock.status_code == 200 and lock.json["locked"] is True
    response = api.statement(code, wall["residents"], wall["brainstorm"], "late", "late-1")
    assert response.status_code == 409 and response.json["error"]["code"] == "activity_locked"
    api.post(f"/workshops/{code}/activities/{wall['brainstorm']}/lock", {"locked": False})
    assert (
        api.statement(code, wall["residents"], wall["brainstorm"], "late", "late-1").status_code
        == 201
    )
    timer = api.post(f"/workshops/{code}/activities/{wall['brainstorm']}/timer", {"seconds": 300})
    assert timer.status_code == 200 and 290 <= timer.json["remaining_seconds"] <= 300
    state = api.get(f"/workshops/{code}/state", token=wall["residents"]).json
    assert state["current_activity"]["ends_at"] is not None
    for bad in ({"seconds": 0}, {"seconds": "5"}, {"seconds": 99999}):
        assert (
            api.post(f"/workshops/{code}/activities/{wall['brainstorm']}/timer", bad).status_code
            == 422
        )
    stop = api.post(f"/workshops/{code}/activities/{wall['brainstorm']}/timer", {"seconds": None})
    assert stop.json["remaining_seconds"] is None
    actions = [e["action"] for e in api.get(f"/workshops/{code}/audit").json["entries"]]
    for action in ("open", "close", "lock", "unlock", "timer"):
        assert action in actions


def test_projector_results_can_be_hidden(api, wall, sio_client):
    code = wall["code"]
    api.open(code, wall["vote"])
    api.post(f"/workshops/{code}/activities/{wall['vote']}/projector", {"show_results": False})
    presenter = sio_client({"workshop": code, "role": "presenter"})
    presenter.get_received()
    api.vote(code, wall["residents"], wall["vote"], {wall["ids"][0]: 1}, "v")
    assert events(presenter, "tally") == []


def test_co_facilitators(api, wall, app, client):
    helper = Api(client, make_facilitator(app, "helper@example.org"))
    assert helper.get(f"/workshops/{wall['code']}").status_code == 403
    assert (
        api.post(
            f"/workshops/{wall['code']}/facilitators", {"email": "nobody@example.org"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/workshops/{wall['code']}/facilitators", {"email": "helper@example.org"}
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"/workshops/{wall['code']}/facilitators", {"email": "helper@example.org"}
        ).status_code
        == 409
    )
    assert helper.get(f"/workshops/{wall['code']}").status_code == 200
    assert patch(helper, wall, wall["ids"][0], {"hidden": True}).status_code == 200
    # Only the owner invites.
    assert (
        helper.post(
            f"/workshops/{wall['code']}/facilitators", {"email": "facilitator@example.org"}
        ).status_code
        == 403
    )
    entries = api.get(f"/workshops/{wall['code']}/audit").json["entries"]
    assert entries[-1]["actor"] == "helper@example.org" and entries[-1]["action"] == "hide"
    assert wall["code"] in [w["code"] for w in helper.get("/workshops").json["workshops"]]


def test_workshop_from_template_over_api(api):
    response = api.post("/workshops", {"title": "Lampang", "template": "sfc-city-plan"})
    assert response.status_code == 201
    kinds = [a["kind"] for a in response.json["activities"]]
    assert kinds[0] == "brainstorm" and "dot_vote" in kinds
    assert api.post("/workshops", {"title": "x", "template": "no-such-template"}).status_code == 404
    assert api.post("/workshops", {"title": "x", "template": "../etc/passwd"}).status_code == 404
    assert len(api.get("/workshops").json["workshops"]) == 1


def test_duplicate_suggestions_over_api_and_page(api, wall, client):
    from tests.test_pages import login

    response = api.get(f"/workshops/{wall['code']}/duplicates")
    assert response.status_code == 200
    pairs = response.json["pairs"]
    a, b, c = wall["ids"]
    assert [(p["a"]["id"], p["b"]["id"]) for p in pairs] == [(a, b)]  # Thai, spacing differs
    assert pairs[0]["similarity"] == 1.0 and pairs[0]["b"]["group"] == "private_sector"
    assert api.get(f"/workshops/{wall['code']}/duplicates?threshold=2").status_code == 422
    as_attendee = api.get(f"/workshops/{wall['code']}/duplicates", token=wall["residents"])
    assert as_attendee.status_code == 403
    login(client)
    page = client.get(f"/facilitator/w/{wall['code']}/moderate?lang=en")
    assert page.status_code == 200 and "Possible duplicates" in page.get_data(as_text=True)
