"""Agenda editing over the API: edit, delete, reorder activities (issue 20, point 8).

Bad input is a 422 (or 409 for an activity in use) and changes nothing.
"""

from __future__ import annotations


def call(api, method: str, path: str, json=None):
    return api.client.open(f"/api/v1{path}", method=method, json=json, headers=api.headers())


def agenda(api, code: str) -> list[dict]:
    return api.get(f"/workshops/{code}").json["activities"]


def test_edit_prompt_english_prompt_and_minutes(api, room):
    code, vote = room["code"], room["vote"]
    path = f"/workshops/{code}/activities/{vote}"
    response = call(
        api,
        "PATCH",
        path,
        {"prompt": "  เลือก   สิ่งที่สำคัญ ", "prompt_translations": {"en": "Pick"}, "minutes": 15},
    )
    assert response.status_code == 200, response.json
    assert response.json["prompt"] == "เลือก สิ่งที่สำคัญ"
    assert response.json["prompt_translations"] == {"en": "Pick"}
    assert response.json["minutes"] == 15
    # A field left out is kept; null minutes and "" English remove them.
    response = call(api, "PATCH", path, {"minutes": None, "prompt_translations": {"en": ""}})
    assert response.status_code == 200
    assert response.json["prompt"] == "เลือก สิ่งที่สำคัญ"
    assert response.json["minutes"] is None and response.json["prompt_translations"] == {}
    entries = api.get(f"/workshops/{code}/audit").json["entries"]
    assert any(e["action"] == "edit_activity" for e in entries)


def test_bad_edits_are_422_and_change_nothing(api, room):
    code, vote = room["code"], room["vote"]
    path = f"/workshops/{code}/activities/{vote}"
    call(api, "PATCH", path, {"minutes": 10})
    before = agenda(api, code)
    for body in (
        {"prompt": "   "},
        {"prompt": None},
        {"prompt": "x" * 501},
        {"minutes": 0},
        {"minutes": 601},
        {"minutes": "10"},
        {"prompt": "ok", "minutes": 0},
        {"prompt_translations": {"fr": "Choisir"}},
        {},
    ):
        response = call(api, "PATCH", path, body)
        assert response.status_code == 422, (body, response.json)
        assert set(response.json["error"]) >= {"code", "message"}
    assert agenda(api, code) == before
    assert (
        call(api, "PATCH", f"/workshops/{code}/activities/99999", {"minutes": 3}).status_code == 404
    )


def test_reorder_and_its_refusals(api, room):
    code = room["code"]
    poll = api.activity(code, kind="poll", prompt="When?", options=["Sat", "Sun"])["id"]
    ids = [a["id"] for a in agenda(api, code)]
    assert ids == [room["brainstorm"], room["vote"], poll]
    response = call(api, "PUT", f"/workshops/{code}/activities/order", {"order": [poll, *ids[:2]]})
    assert response.status_code == 200, response.json
    assert [a["id"] for a in response.json["activities"]] == [poll, *ids[:2]]
    assert [a["position"] for a in agenda(api, code)] == [0, 1, 2]
    before = agenda(api, code)
    for order in (
        [poll, room["brainstorm"]],  # one missing
        [poll, poll, room["brainstorm"], room["vote"]],  # twice
        [poll, room["brainstorm"], 99999],  # not of this workshop
        [poll, room["vote"], room["brainstorm"]],  # the vote before its brainstorm
        [str(poll), room["brainstorm"], room["vote"]],
    ):
        response = call(api, "PUT", f"/workshops/{code}/activities/order", {"order": order})
        assert response.status_code == 422, (order, response.json)
    assert agenda(api, code) == before


def test_delete_only_what_nobody_used(api, room):
    code = room["code"]
    poll = api.activity(code, kind="poll", prompt="When?", options=["Sat", "Sun"])["id"]
    # The live brainstorm, and the brainstorm a vote votes on, stay.
    live = call(api, "DELETE", f"/workshops/{code}/activities/{room['brainstorm']}")
    assert live.status_code == 409 and live.json["error"]["code"] == "activity_live"
    token = api.join(code)
    api.statement(code, token, room["brainstorm"], "Shade trees", "c1")
    api.open(code, room["vote"])
    ids = {s["text"]: s["id"] for s in api.get(f"/workshops/{code}/statements").json["statements"]}
    assert api.vote(code, token, room["vote"], {ids["Shade trees"]: 1}, "v1").status_code in (
        200,
        201,
    )
    api.post(f"/workshops/{code}/activities/{room['vote']}/state", {"state": "closed"})
    source = call(api, "DELETE", f"/workshops/{code}/activities/{room['brainstorm']}")
    assert source.json["error"]["code"] == "activity_is_source"
    voted = call(api, "DELETE", f"/workshops/{code}/activities/{room['vote']}")
    assert voted.status_code == 409 and voted.json["error"]["code"] == "activity_has_ballots"
    assert len(agenda(api, code)) == 3
    # An unused poll goes, with its options; the others are renumbered.
    assert call(api, "DELETE", f"/workshops/{code}/activities/{poll}").status_code == 204
    assert [a["id"] for a in agenda(api, code)] == [room["brainstorm"], room["vote"]]
    assert call(api, "DELETE", f"/workshops/{code}/activities/{poll}").status_code == 404


def test_another_facilitator_cannot_edit(api, app, client, room):
    from tests.conftest import Api, make_facilitator

    other = Api(client, make_facilitator(app, "other@example.org"))
    path = f"/workshops/{room['code']}/activities/{room['vote']}"
    assert call(other, "PATCH", path, {"minutes": 5}).status_code == 403
    assert call(other, "DELETE", path).status_code == 403
