"""The JSON API: the public contract, its errors, and that bad input changes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import Api, make_facilitator


def error_code(response) -> str:
    assert response.is_json, response.data[:200]
    body = response.json
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]["code"]


def test_create_workshop_with_default_groups(api):
    workshop = api.workshop(title="  Lampang   2563 ", city="lampang")
    assert workshop["title"] == "Lampang 2563"
    assert workshop["city"] == "lampang"
    assert workshop["city_name"] == {"th": "เทศบาลนครลำปาง", "en": "Lampang City Municipality"}
    assert workshop["groups"] == [
        "central_government",
        "local_government",
        "private_sector",
        "academia",
        "civil_society",
        "residents",
    ]
    assert len(workshop["code"]) == 6
    assert not set(workshop["code"]) & set("01OIL")
    assert f"/j/{workshop['code']}?t=" in workshop["join_url"]  # the QR token rides along
    shown = api.get(f"/workshops/{workshop['code']}").json
    assert shown["code"] == workshop["code"] and shown["activities"] == []


def test_custom_groups_and_bad_workshops(api):
    workshop = api.workshop(groups=["ครู", "นักเรียน"], date="2026-11-26")
    assert workshop["groups"] == ["ครู", "นักเรียน"] and workshop["date"] == "2026-11-26"
    for body, status in [
        ({"title": ""}, 422),
        ({"title": "x", "groups": []}, 422),
        ({"title": "x", "groups": ["a", "a"]}, 422),
        ({"title": "x", "groups": "a"}, 422),
        ({"title": 5}, 422),
        ({}, 422),
        ({"title": "x", "date": "yesterday"}, 422),
    ]:
        response = api.post("/workshops", body)
        assert response.status_code == status, body
        error_code(response)
    assert len(api.get("/workshops").json["workshops"]) == 1


def test_non_json_bodies_are_400(api, client):
    response = client.post(
        "/api/v1/workshops",
        data="title=x",
        headers=api.headers(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400 and error_code(response) == "bad_request"
    response = client.post(
        "/api/v1/workshops",
        data="{not json",
        headers=api.headers(),
        content_type="application/json",
    )
    assert response.status_code == 400
    response = api.post("/workshops", ["a list"])
    assert response.status_code == 400


def test_facilitator_auth(api, client, app):
    assert error_code(client.post("/api/v1/workshops", json={"title": "x"})) == "login_required"
    response = api.post("/workshops", {"title": "x"}, token="forged")
    assert response.status_code == 401 and error_code(response) == "invalid_token"
    code = api.workshop()["code"]
    other = Api(client, make_facilitator(app, "other@example.org"))
    assert other.get(f"/workshops/{code}").status_code == 403
    assert (
        other.post(
            f"/workshops/{code}/activities", {"kind": "brainstorm", "prompt": "p"}
        ).status_code
        == 403
    )
    assert other.get(f"/workshops/{code}/results").status_code == 403
    assert api.get("/workshops/NOPE99").status_code == 404


def test_activities_and_state_changes(api, room):
    code = room["code"]
    shown = api.get(f"/workshops/{code}").json
    kinds = [(a["id"], a["kind"], a["state"]) for a in shown["activities"]]
    assert kinds == [
        (room["brainstorm"], "brainstorm", "open"),
        (room["vote"], "dot_vote", "draft"),
    ]
    assert shown["current_activity_id"] == room["brainstorm"]
    # Opening the vote closes the brainstorm and makes the vote current.
    api.open(code, room["vote"])
    shown = api.get(f"/workshops/{code}").json
    assert [a["state"] for a in shown["activities"]] == ["closed", "open"]
    assert shown["current_activity_id"] == room["vote"]
    vote = shown["activities"][1]
    assert (vote["dots"], vote["max_per_item"], vote["source_activity_id"]) == (
        5,
        3,
        room["brainstorm"],
    )
    closed = api.post(f"/workshops/{code}/activities/{room['vote']}/state", {"state": "closed"})
    assert closed.status_code == 200 and closed.json["state"] == "closed"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "poll_of_doom", "prompt": "x"},
        {"kind": "brainstorm", "prompt": "   "},
        {"kind": "brainstorm", "prompt": "x", "dots": 3},
        {"kind": "dot_vote", "prompt": "x", "source_activity_id": 99999},
        {"kind": "dot_vote", "prompt": "x", "dots": 0},
        {"kind": "dot_vote", "prompt": "x", "dots": 3, "max_per_item": 4},
        {"kind": "dot_vote", "prompt": "x", "dots": "5"},
        {"prompt": "x"},
    ],
)
def test_bad_activities_are_refused(api, room, body):
    before = api.get(f"/workshops/{room['code']}").json["activities"]
    response = api.post(f"/workshops/{room['code']}/activities", body)
    assert response.status_code == 422, response.json
    error_code(response)
    assert api.get(f"/workshops/{room['code']}").json["activities"] == before


def test_vote_on_a_vote_is_refused(api, room):
    response = api.post(
        f"/workshops/{room['code']}/activities",
        {"kind": "dot_vote", "prompt": "x", "source_activity_id": room["vote"]},
    )
    assert response.status_code == 422 and error_code(response) == "invalid_source"


def test_bad_state_changes(api, room):
    code = room["code"]
    assert (
        api.post(
            f"/workshops/{code}/activities/{room['vote']}/state", {"state": "paused"}
        ).status_code
        == 422
    )
    assert (
        api.post(f"/workshops/{code}/activities/999999/state", {"state": "open"}).status_code == 404
    )
    assert api.post(f"/workshops/{code}/activities/abc/state", {"state": "open"}).status_code == 404


def test_join_and_state(api, room):
    code = room["code"]
    token = api.join(code, "academia", name="Somchai")
    state = api.get(f"/workshops/{code}/state", token=token).json
    assert state["current_activity"]["id"] == room["brainstorm"]
    assert state["statements"] == [] and state["my_ballot"] is None
    assert state["workshop"]["code"] == code
    assert state["me"]["group"] == "academia"
    for body in ({"group": "aliens"}, {}, {"group": 3}, {"group": "academia", "name": "x" * 81}):
        response = api.post(f"/workshops/{code}/participants", body, token="")
        assert response.status_code == 422, body
    assert (
        api.post("/workshops/ZZZZZZ/participants", {"group": "academia"}, token="").status_code
        == 404
    )
    results = api.get(f"/workshops/{code}/results").json
    assert results["participants"]["total"] == 1
    assert results["participants"]["by_group"]["academia"] == 1


def test_join_code_is_forgiving(api, room, client):
    lower = room["code"].lower()
    response = client.post(f"/api/v1/workshops/{lower}/participants", json={"group": "residents"})
    assert response.status_code == 201


def test_participant_tokens_are_per_workshop(api, room):
    other_code = api.workshop(title="Nan")["code"]
    token = api.join(room["code"])
    response = api.get(f"/workshops/{other_code}/state", token=token)
    assert response.status_code == 401 and error_code(response) == "not_joined"
    assert api.get(f"/workshops/{room['code']}/state", token="").status_code == 401
    # A participant token is not a facilitator token: known, but forbidden.
    assert api.get(f"/workshops/{room['code']}/results", token=token).status_code == 403


def test_statements_trimmed_idempotent_and_validated(api, room):
    code, activity = room["code"], room["brainstorm"]
    token = api.join(code)
    first = api.statement(code, token, activity, "  สวน   สาธารณะ\nริมแม่น้ำวัง  ", "c-1")
    assert first.status_code == 201
    assert first.json["text"] == "สวน สาธารณะ ริมแม่น้ำวัง"
    again = api.statement(code, token, activity, "something else", "c-1")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert again.json["text"] == first.json["text"]
    assert api.statement(code, token, activity, "x" * 280, "c-2").status_code == 201
    cases = [
        ("x" * 281, "c-3", 422, "text_too_long"),
        ("   ", "c-4", 422, "empty_text"),
        ("ok", "", 422, None),
    ]
    for text, client_id, status, code_expected in cases:
        response = api.statement(code, token, activity, text, client_id)
        assert response.status_code == status
        if code_expected:
            assert error_code(response) == code_expected
    response = api.statement(code, token, room["vote"], "on a vote", "c-5")
    assert response.status_code in (409, 422)
    response = api.statement(code, token, 999999, "nowhere", "c-6")
    assert response.status_code == 404
    state = api.get(f"/workshops/{code}/state", token=token).json
    assert [s["text"] for s in state["statements"]] == ["สวน สาธารณะ ริมแม่น้ำวัง", "x" * 280]


def test_statement_on_closed_brainstorm_is_refused(api, room):
    token = api.join(room["code"])
    api.post(
        f"/workshops/{room['code']}/activities/{room['brainstorm']}/state", {"state": "closed"}
    )
    response = api.statement(room["code"], token, room["brainstorm"], "late idea", "c-1")
    assert response.status_code == 409 and error_code(response) == "activity_closed"


def _vote_room(api, room, texts=("park", "bus", "market")):
    code = room["code"]
    author = api.join(code, "local_government")
    ids = [
        api.statement(code, author, room["brainstorm"], t, f"s{i}").json["id"]
        for i, t in enumerate(texts)
    ]
    api.open(code, room["vote"])
    return code, ids


def test_dot_vote_replaces_never_adds(api, room):
    code, (park, bus, market) = _vote_room(api, room)
    voter = api.join(code, "residents")
    first = api.vote(code, voter, room["vote"], {park: 3, bus: 2}, "v1")
    assert first.status_code == 200 and first.json["dots"] == {str(park): 3, str(bus): 2}
    second = api.vote(code, voter, room["vote"], {market: 1}, "v2")
    assert second.json["dots"] == {str(market): 1}
    # Replaying the first client_id changes nothing.
    replay = api.vote(code, voter, room["vote"], {park: 3, bus: 2}, "v2")
    assert replay.json["dots"] == {str(market): 1}
    results = api.get(f"/workshops/{code}/results").json
    vote = next(a for a in results["activities"] if a["id"] == room["vote"])
    assert [(i["statement_id"], i["score"]) for i in vote["items"]] == [
        (market, 1),
        (park, 0),
        (bus, 0),
    ]
    assert vote["items"][0]["by_group"]["residents"] == 1 and vote["ballots"] == 1
    state = api.get(f"/workshops/{code}/state", token=voter).json
    assert state["my_ballot"]["dots"] == {str(market): 1}


@pytest.mark.parametrize(
    ("dots", "status", "code"),
    [
        ({"PARK": 3, "BUS": 3}, 422, "over_budget"),
        ({"PARK": 4}, 422, "over_item_cap"),
        ({"999999": 1}, 422, "unknown_statement"),
        ({"PARK": -1}, 422, "invalid_ballot"),
        ({"PARK": "two"}, 422, "invalid_ballot"),
        ({"PARK": 1.5}, 422, "invalid_ballot"),
    ],
)
def test_bad_ballots_leave_the_previous_one(api, room, dots, status, code):
    workshop, (park, bus, _) = _vote_room(api, room)
    voter = api.join(workshop)
    assert api.vote(workshop, voter, room["vote"], {park: 2}, "good").status_code == 200
    names = {"PARK": str(park), "BUS": str(bus)}
    bad = {names.get(k, k): v for k, v in dots.items()}
    response = api.vote(workshop, voter, room["vote"], bad, "bad")
    assert response.status_code == status and error_code(response) == code
    state = api.get(f"/workshops/{workshop}/state", token=voter).json
    assert state["my_ballot"]["dots"] == {str(park): 2}
    assert state["my_ballot"]["client_id"] == "good"


def test_hidden_or_foreign_statements_are_not_on_the_ballot(api, room):
    code, (park, _, _) = _vote_room(api, room)
    other = api.workshop(title="Other")
    other_brainstorm = api.activity(other["code"], kind="brainstorm", prompt="p")
    api.open(other["code"], other_brainstorm["id"])
    outsider = api.join(other["code"])
    foreign = api.statement(other["code"], outsider, other_brainstorm["id"], "foreign", "f").json[
        "id"
    ]
    voter = api.join(code)
    response = api.vote(code, voter, room["vote"], {foreign: 1}, "v")
    assert response.status_code == 422 and error_code(response) == "unknown_statement"
    # Voting in another workshop's activity with this workshop's token is not found.
    response = api.vote(code, voter, other_brainstorm["id"], {park: 1}, "v2")
    assert response.status_code == 404


def test_votes_on_closed_or_wrong_activities(api, room):
    code, (park, _, _) = _vote_room(api, room)
    voter = api.join(code)
    response = api.vote(code, voter, room["brainstorm"], {park: 1}, "v1")
    assert response.status_code == 422 and error_code(response) == "wrong_kind"
    api.post(f"/workshops/{code}/activities/{room['vote']}/state", {"state": "closed"})
    response = api.vote(code, voter, room["vote"], {park: 1}, "v2")
    assert response.status_code == 409 and error_code(response) == "activity_closed"
    assert api.get(f"/workshops/{code}/state", token=voter).json["my_ballot"] is None


def test_results_rank_by_score_with_group_totals(api, room):
    code, (park, bus, market) = _vote_room(api, room)
    for group, dots in [
        ("residents", {bus: 3, park: 1}),
        ("residents", {bus: 2}),
        ("private_sector", {park: 3, market: 2}),
        ("academia", {market: 1}),
    ]:
        token = api.join(code, group)
        assert api.vote(code, token, room["vote"], dots, "v").status_code == 200
    results = api.get(f"/workshops/{code}/results").json
    assert results["participants"]["total"] == 5
    vote = next(a for a in results["activities"] if a["id"] == room["vote"])
    assert [(i["text"], i["score"]) for i in vote["items"]] == [
        ("bus", 5),
        ("park", 4),
        ("market", 3),
    ]
    bus_item = vote["items"][0]
    assert bus_item["by_group"]["residents"] == 5 and bus_item["by_group"]["academia"] == 0
    assert vote["items"][1]["by_group"] == {
        "central_government": 0,
        "local_government": 0,
        "private_sector": 3,
        "academia": 0,
        "civil_society": 0,
        "residents": 1,
    }


def test_oversized_body_is_413_json(api, room, client):
    token = api.join(room["code"])
    response = api.statement(room["code"], token, room["brainstorm"], "x" * 40_000, "big")
    assert response.status_code == 413 and error_code(response)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and error_code(response)
    response = client.delete("/api/v1/workshops")
    assert response.status_code == 405 and error_code(response)


def test_openapi_documents_the_contract(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for path in [
        "/api/v1/workshops",
        "/api/v1/workshops/{code}",
        "/api/v1/workshops/{code}/activities",
        "/api/v1/workshops/{code}/activities/{activity_id}/state",
        "/api/v1/workshops/{code}/results",
        "/api/v1/workshops/{code}/participants",
        "/api/v1/workshops/{code}/state",
        "/api/v1/workshops/{code}/statements",
        "/api/v1/workshops/{code}/votes",
    ]:
        assert path in doc["paths"], path
    assert "StatementCreate" in doc["components"]["schemas"]


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)  # raises on an invalid document


def test_openapi_lists_every_api_route(app, client):
    """Every /api/v1 route of the app is documented, with the same methods."""
    doc = client.get("/api/v1/openapi.json").json
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        path = "/".join(p.split(":")[-1] if p.startswith("{") else p for p in path.split("/"))
        path = path.replace("{int", "{")
        assert path in doc["paths"], f"{path} is missing from the OpenAPI document"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], f"{method} {path} is not documented"
