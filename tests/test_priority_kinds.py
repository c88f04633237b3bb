"""matrix, points and budget (issue 15) through the HTTP API and Socket.IO."""

from __future__ import annotations

import pytest

from tests.conftest import events
from tests.test_vote_kinds import cast, open_activity, results_of


@pytest.fixture
def ideas(api, room):
    """Three statements in the open brainstorm; returns their ids."""
    author = api.join(room["code"], "academia")
    return [
        api.statement(room["code"], author, room["brainstorm"], text, f"s{i}").json["id"]
        for i, text in enumerate(["สวนสาธารณะ", "รถเมล์", "ตลาด"])
    ]


def state_ballot(api, room, token):
    return api.get(f"/workshops/{room['code']}/state", token=token).json["my_ballot"]


def patch_cost(api, room, statement_id, cost):
    return api.client.patch(
        f"/api/v1/workshops/{room['code']}/statements/{statement_id}",
        json={"cost": cost},
        headers=api.headers(),
    )


# ---------- matrix ----------


def test_matrix_means_spread_quadrant_per_group(api, room, ideas):
    park, bus, market = ideas
    matrix = open_activity(api, room, kind="matrix", prompt="จัดลำดับโครงการ")
    assert matrix["x_label"] == "ผลกระทบ" and matrix["y_label"] == "ความเป็นไปได้"
    assert matrix["x_label_en"] == "Impact" and matrix["source_activity_id"] == room["brainstorm"]
    a = api.join(room["code"], "residents")
    b = api.join(room["code"], "private_sector")
    ok = cast(
        api,
        room,
        a,
        matrix["id"],
        "1",
        placements={str(park): {"x": 5, "y": 5}, str(bus): {"x": 4, "y": 1}},
    )
    assert ok.status_code == 200, ok.json
    assert ok.json["placements"] == {str(park): {"x": 5, "y": 5}, str(bus): {"x": 4, "y": 1}}
    cast(
        api,
        room,
        b,
        matrix["id"],
        "1",
        placements={str(park): {"x": 3, "y": 4}, str(market): {"x": 1, "y": 2}},
    )
    result = results_of(api, room, matrix["id"])
    assert result["axes"]["x_label"] == "ผลกระทบ"
    items = {i["statement_id"]: i for i in result["items"]}
    assert items[park]["x_mean"] == 4.0 and items[park]["y_mean"] == 4.5
    assert items[park]["x_spread"] == 1.0 and items[park]["y_spread"] == 0.5
    assert items[park]["quadrant"] == "quick_wins"
    assert items[bus]["quadrant"] == "major_projects"
    assert items[market]["quadrant"] == "thankless"
    assert items[park]["by_group"]["residents"] == {"x_mean": 5.0, "y_mean": 5.0, "count": 1}
    assert items[park]["by_group"]["private_sector"]["count"] == 1
    assert items[park]["by_group"]["academia"] == {"x_mean": None, "y_mean": None, "count": 0}
    # Quick wins come first, thankless tasks last.
    assert [i["statement_id"] for i in result["items"]] == [park, bus, market]
    # A new ballot replaces the earlier one.
    cast(api, room, a, matrix["id"], "2", placements={str(park): {"x": 1, "y": 5}})
    items = {i["statement_id"]: i for i in results_of(api, room, matrix["id"])["items"]}
    assert items[park]["x_mean"] == 2.0 and items[bus]["count"] == 0
    assert items[bus]["quadrant"] is None
    assert state_ballot(api, room, a)["placements"] == {str(park): {"x": 1, "y": 5}}


def test_matrix_custom_labels_and_bad_fields(api, room):
    matrix = api.activity(
        room["code"], kind="matrix", prompt="P", x_label="ความคุ้มค่า", y_label_en="Ease"
    )
    assert matrix["x_label"] == "ความคุ้มค่า" and matrix["y_label_en"] == "Ease"
    for body, code in [
        ({"kind": "matrix", "prompt": "P", "x_label": "  "}, "invalid_label"),
        ({"kind": "matrix", "prompt": "P", "x_label": "x" * 61}, "invalid_label"),
        ({"kind": "matrix", "prompt": "P", "points": 10}, "invalid_activity"),
        ({"kind": "dot_vote", "prompt": "P", "x_label": "a"}, "invalid_activity"),
    ]:
        response = api.post(f"/workshops/{room['code']}/activities", body)
        assert response.status_code == 422, body
        assert response.json["error"]["code"] == code


@pytest.mark.parametrize(
    "placements, code",
    [
        ({"{park}": {"x": 6, "y": 1}}, "invalid_value"),
        ({"{park}": {"x": 0, "y": 1}}, "invalid_value"),
        ({"{park}": {"x": 2}}, "invalid_ballot"),
        ({"{park}": {"x": 2, "y": 2, "z": 1}}, "invalid_ballot"),
        ({"{park}": {"x": True, "y": 2}}, "invalid_ballot"),
        ({"{park}": {"x": 2.5, "y": 2}}, "invalid_ballot"),
        ({"{park}": [1, 2]}, "invalid_ballot"),
        ({"999999": {"x": 1, "y": 1}}, "unknown_statement"),
        ({"abc": {"x": 1, "y": 1}}, "invalid_ballot"),
        ([1, 2], "invalid_ballot"),
    ],
)
def test_matrix_refuses_bad_ballots(api, room, ideas, placements, code):
    matrix = open_activity(api, room, kind="matrix", prompt="P")
    token = api.join(room["code"])
    cast(api, room, token, matrix["id"], "good", placements={str(ideas[0]): {"x": 2, "y": 2}})
    if isinstance(placements, dict):
        placements = {k.replace("{park}", str(ideas[0])): v for k, v in placements.items()}
    response = cast(api, room, token, matrix["id"], "bad", placements=placements)
    assert response.status_code == 422
    assert response.json["error"]["code"] == code and response.json["error"]["message"]
    assert state_ballot(api, room, token)["placements"] == {str(ideas[0]): {"x": 2, "y": 2}}
    missing = cast(api, room, token, matrix["id"], "none", dots={str(ideas[0]): 1})
    assert missing.status_code == 422 and "placements" in missing.json["error"]["message"]


def test_matrix_over_socket_idempotent_and_live(api, room, ideas, sio_client):
    park = ideas[0]
    matrix = open_activity(api, room, kind="matrix", prompt="P")
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    phone = sio_client({"workshop": room["code"], "token": api.join(room["code"], "residents")})
    body = {
        "activity_id": matrix["id"],
        "client_id": "m1",
        "placements": {str(park): {"x": 4, "y": 2}},
    }
    ack = phone.emit("vote", body, callback=True)
    assert (
        ack["ok"] and ack["changed"] and ack["ballot"]["placements"][str(park)] == {"x": 4, "y": 2}
    )
    again = phone.emit("vote", {**body, "placements": {str(park): {"x": 1, "y": 1}}}, callback=True)
    assert again["ok"] and not again["changed"]
    assert again["ballot"]["placements"][str(park)] == {"x": 4, "y": 2}
    bad = phone.emit(
        "vote",
        {**body, "client_id": "m2", "placements": {str(park): {"x": 9, "y": 1}}},
        callback=True,
    )
    assert bad["ok"] is False and bad["error"]["code"] == "invalid_value"
    tally = events(presenter, "tally")[-1]
    live = {i["statement_id"]: i for i in tally["items"]}
    assert live[park]["x_mean"] == 4.0 and live[park]["quadrant"] == "major_projects"
    assert results_of(api, room, matrix["id"])["items"] == tally["items"]


# ---------- points ----------


def test_points_total_mean_and_per_group(api, room, ideas):
    park, bus, market = ideas
    points = open_activity(api, room, kind="points", prompt="แบ่งคะแนน")
    assert points["points"] == 100
    a = api.join(room["code"], "residents")
    b = api.join(room["code"], "residents")
    c = api.join(room["code"], "academia")
    assert cast(api, room, a, points["id"], "1", points={str(park): 70, str(bus): 30}).json[
        "points"
    ] == {str(park): 70, str(bus): 30}
    cast(api, room, b, points["id"], "1", points={str(park): 100, str(market): 0})
    cast(api, room, c, points["id"], "1", points={str(bus): 50, str(market): 50})
    result = results_of(api, room, points["id"])
    assert result["points"] == 100 and result["ballots"] == 3
    items = {i["statement_id"]: i for i in result["items"]}
    assert items[park]["points"] == 170 and items[park]["score"] == 170
    assert items[park]["mean_points"] == round(170 / 3, 2)
    assert items[park]["by_group"]["residents"] == 170 and items[park]["by_group"]["academia"] == 0
    assert items[park]["mean_by_group"]["residents"] == 85.0
    assert items[bus]["mean_by_group"] == {**items[bus]["mean_by_group"], "academia": 50.0}
    assert [i["statement_id"] for i in result["items"]] == [park, bus, market]
    assert state_ballot(api, room, b)["points"] == {str(park): 100}


@pytest.mark.parametrize(
    "ballot, code",
    [
        ({"{park}": 60}, "points_total"),
        ({"{park}": 60, "{bus}": 50}, "points_total"),
        ({}, "points_total"),
        ({"{park}": -10, "{bus}": 110}, "invalid_ballot"),
        ({"{park}": 50.0, "{bus}": 50}, "invalid_ballot"),
        ({"999999": 100}, "unknown_statement"),
        ([100], "invalid_ballot"),
    ],
)
def test_points_refuses_bad_ballots(api, room, ideas, ballot, code):
    park, bus, _ = ideas
    points = open_activity(api, room, kind="points", prompt="P", points=100)
    token = api.join(room["code"])
    if isinstance(ballot, dict):
        ballot = {
            k.replace("{park}", str(park)).replace("{bus}", str(bus)): v for k, v in ballot.items()
        }
    response = cast(api, room, token, points["id"], "bad", points=ballot)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    assert state_ballot(api, room, token) is None
    assert results_of(api, room, points["id"])["ballots"] == 0


def test_points_activity_field(api, room, ideas):
    points = open_activity(api, room, kind="points", prompt="P", points=10)
    token = api.join(room["code"])
    assert cast(api, room, token, points["id"], "1", points={str(ideas[0]): 10}).status_code == 200
    for value in (0, 1001, True):
        response = api.post(
            f"/workshops/{room['code']}/activities",
            {"kind": "points", "prompt": "P", "points": value},
        )
        assert response.status_code == 422


# ---------- budget ----------


def test_budget_costs_selection_and_funded_line(api, room, ideas):
    park, bus, market = ideas
    budget = open_activity(api, room, kind="budget", prompt="งบประมาณ", budget=1_000_000)
    assert budget["budget"] == 1_000_000
    for statement_id, cost in ((park, 600_000), (bus, 500_000), (market, 300_000)):
        response = patch_cost(api, room, statement_id, cost)
        assert response.status_code == 200 and response.json["cost"] == cost
    audit = api.get(f"/workshops/{room['code']}/audit").json
    assert any(e["action"] == "set_cost" for e in audit["entries"])
    voters = [api.join(room["code"], g) for g in ("residents", "residents", "academia")]
    for n, (token, selection) in enumerate(
        zip(voters, ([park, market], [bus, market], [park]), strict=True)
    ):
        response = cast(api, room, token, budget["id"], f"b{n}", selection=selection)
        assert response.status_code == 200 and response.json["selection"] == sorted(selection)
    result = results_of(api, room, budget["id"])
    assert result["budget"] == 1_000_000
    items = {i["statement_id"]: i for i in result["items"]}
    assert items[park]["votes"] == 2 and items[market]["votes"] == 2 and items[bus]["votes"] == 1
    assert items[park]["by_group"] == {**items[park]["by_group"], "residents": 1, "academia": 1}
    # CONSUL's rule: park (2 votes, 600k) fits, market (2, 300k) fits, bus (1, 500k) does not.
    assert items[park]["funded"] and items[market]["funded"] and not items[bus]["funded"]
    assert result["funded_cost"] == 900_000
    assert items[bus]["cost"] == 500_000


def test_budget_refuses_over_budget_and_costless(api, room, ideas):
    park, bus, market = ideas
    budget = open_activity(api, room, kind="budget", prompt="P", budget=1000)
    patch_cost(api, room, park, 600)
    patch_cost(api, room, bus, 500)
    token = api.join(room["code"])
    for selection, code in [
        ([park, bus], "over_budget"),
        ([market], "no_cost"),
        ([park, park], "repeated_statement"),
        ([999999], "unknown_statement"),
        ({"a": 1}, "invalid_ballot"),
        (["1"], "invalid_ballot"),
    ]:
        response = cast(api, room, token, budget["id"], "x", selection=selection)
        assert response.status_code == 422, selection
        assert response.json["error"]["code"] == code
    assert state_ballot(api, room, token) is None
    assert cast(api, room, token, budget["id"], "ok", selection=[]).status_code == 200


def test_budget_fields_and_cost_patch_errors(api, room, ideas):
    missing = api.post(f"/workshops/{room['code']}/activities", {"kind": "budget", "prompt": "P"})
    assert missing.status_code == 422 and missing.json["error"]["code"] == "invalid_budget"
    for cost in (-1, 10**13, "100", 1.5):
        response = patch_cost(api, room, ideas[0], cost)
        assert response.status_code == 422, cost
    cleared = patch_cost(api, room, ideas[0], None)
    assert cleared.status_code == 200 and cleared.json["cost"] is None


def test_budget_with_its_own_items(api, room):
    budget = api.activity(
        room["code"],
        kind="budget",
        prompt="P",
        budget=100,
        items=[{"text": "ถนน", "cost": 60}, {"text": "ไฟ", "cost": 50}],
    )
    api.open(room["code"], budget["id"])
    token = api.join(room["code"])
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    costs = {s["text"]: s["cost"] for s in state["statements"]}
    assert costs == {"ถนน": 60, "ไฟ": 50}
    road = next(s["id"] for s in state["statements"] if s["text"] == "ถนน")
    assert cast(api, room, token, budget["id"], "1", selection=[road]).status_code == 200
    bad = api.post(
        f"/workshops/{room['code']}/activities",
        {"kind": "budget", "prompt": "P", "budget": 1, "items": [{"text": ""}]},
    )
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_items"
