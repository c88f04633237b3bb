"""matrix, points and budget on the plain HTML pages (no JavaScript): phone, panel, projector."""

from __future__ import annotations

import re

import pytest

from tests.test_pages import csrf, join_by_form, login, text


@pytest.fixture
def ideas(api, room):
    author = api.join(room["code"], "academia")
    return [
        api.statement(room["code"], author, room["brainstorm"], t, f"s{i}").json["id"]
        for i, t in enumerate(["สวนสาธารณะ", "รถเมล์"])
    ]


def phone_vote(client, code, activity_id, client_id, fields):
    page = client.get(f"/j/{code}")
    data = {"csrf_token": csrf(page.data), "activity_id": activity_id, "client_id": client_id}
    return client.post(f"/j/{code}/vote", data={**data, **fields}, follow_redirects=True)


def items_of(api, code, activity_id):
    results = api.get(f"/workshops/{code}/results").json
    activity = next(a for a in results["activities"] if a["id"] == activity_id)
    return {i["statement_id"]: i for i in activity["items"]}


def test_matrix_by_plain_form(client, api, room, ideas):
    park, bus = ideas
    code = room["code"]
    matrix = api.activity(code, kind="matrix", prompt="จัดกลุ่มโครงการ", x_label="ผลกระทบต่อเมือง")
    api.open(code, matrix["id"])
    join_by_form(client, code)
    html = text(client.get(f"/j/{code}"))
    assert f'name="x-{park}"' in html and f'name="y-{bus}"' in html
    assert "ผลกระทบต่อเมือง" in html and "ความเป็นไปได้" in html
    response = phone_vote(client, code, matrix["id"], "f1", {f"x-{park}": "5", f"y-{park}": "4"})
    assert response.status_code == 200
    assert re.search(rf'name="x-{park}">.*?<option value="5" selected>', text(response), re.S)
    assert items_of(api, code, matrix["id"])[park]["x_mean"] == 5.0
    half = phone_vote(client, code, matrix["id"], "f2", {f"x-{bus}": "3"})
    assert "needs" in text(half)  # both scales are needed; nothing stored
    assert items_of(api, code, matrix["id"])[bus]["count"] == 0


def test_points_by_plain_form(client, api, room, ideas):
    park, bus = ideas
    code = room["code"]
    points = api.activity(code, kind="points", prompt="แบ่งคะแนน", points=10)
    api.open(code, points["id"])
    join_by_form(client, code)
    assert f'name="points-{park}"' in text(client.get(f"/j/{code}"))
    short = phone_vote(client, code, points["id"], "p1", {f"points-{park}": "4"})
    assert "6 left" in text(short)
    assert items_of(api, code, points["id"])[park]["points"] == 0
    phone_vote(client, code, points["id"], "p2", {f"points-{park}": "4", f"points-{bus}": "6"})
    assert items_of(api, code, points["id"])[bus]["points"] == 6


def test_budget_costs_in_the_panel_and_plain_phone_form(client, api, room, ideas):
    park, bus = ideas
    code = room["code"]
    budget = api.activity(code, kind="budget", prompt="งบประมาณ", budget=1000)
    login(client)
    panel = client.get(f"/facilitator/w/{code}")
    html = text(panel)
    assert f'name="cost-{park}"' in html and "1,000" in html
    saved = client.post(
        f"/facilitator/w/{code}/activities/{budget['id']}/costs",
        data={"csrf_token": csrf(panel.data), f"cost-{park}": "700", f"cost-{bus}": "abc"},
        follow_redirects=True,
    )
    assert "ค่าใช้จ่ายต้องเป็นจำนวนเต็ม" in text(saved)  # Thai first
    costs = api.get(f"/workshops/{code}/statements/{park}").json["cost"]
    assert costs is None  # all or nothing
    client.post(
        f"/facilitator/w/{code}/activities/{budget['id']}/costs",
        data={"csrf_token": csrf(panel.data), f"cost-{park}": "700", f"cost-{bus}": "500"},
    )
    assert api.get(f"/workshops/{code}/statements/{bus}").json["cost"] == 500
    api.open(code, budget["id"])
    client.post("/facilitator/logout", data={"csrf_token": csrf(panel.data)})
    join_by_form(client, code)
    html = text(client.get(f"/j/{code}"))
    assert "700 บาท" in html or "700 baht" in html
    over = phone_vote(client, code, budget["id"], "b1", {"select": [str(park), str(bus)]})
    assert "1,200" in text(over)
    phone_vote(client, code, budget["id"], "b2", {"select": [str(park)]})
    items = items_of(api, code, budget["id"])
    assert items[park]["votes"] == 1 and items[park]["funded"] and not items[bus]["funded"]


def test_panel_adds_priority_kinds_with_their_fields(client, api, room):
    code = room["code"]
    login(client)
    panel = client.get(f"/facilitator/w/{code}")
    token = csrf(panel.data)
    base = {"csrf_token": token, "source_activity_id": str(room["brainstorm"])}
    client.post(
        f"/facilitator/w/{code}/activities",
        data={**base, "kind": "matrix", "prompt": "เมทริกซ์", "y_label": "ความง่าย"},
    )
    client.post(
        f"/facilitator/w/{code}/activities",
        data={**base, "kind": "points", "prompt": "คะแนน", "points": "50"},
    )
    client.post(
        f"/facilitator/w/{code}/activities",
        data={**base, "kind": "budget", "prompt": "งบ", "budget": "2000000"},
    )
    activities = api.get(f"/workshops/{code}").json["activities"]
    by_kind = {a["kind"]: a for a in activities}
    assert by_kind["matrix"]["y_label"] == "ความง่าย" and by_kind["matrix"]["x_label"] == "ผลกระทบ"
    assert by_kind["points"]["points"] == 50
    assert by_kind["budget"]["budget"] == 2_000_000
    missing = client.post(
        f"/facilitator/w/{code}/activities",
        data={**base, "kind": "budget", "prompt": "งบ"},
        follow_redirects=True,
    )
    assert "budget" in text(missing)
    assert len(api.get(f"/workshops/{code}").json["activities"]) == len(activities)


def test_projector_draws_matrix_quadrants_and_budget_funded_line(client, api, room, ideas):
    park, bus = ideas
    code = room["code"]
    matrix = api.activity(code, kind="matrix", prompt="เมทริกซ์")
    api.open(code, matrix["id"])
    voter = api.join(code, "residents")
    api.post(
        f"/workshops/{code}/votes",
        {
            "activity_id": matrix["id"],
            "client_id": "m",
            "placements": {str(park): {"x": 5, "y": 4}},
        },
        token=voter,
    )
    login(client)
    html = text(client.get(f"/present/{code}"))
    assert '<svg class="matrix-svg"' in html and "q-quick_wins" in html
    assert re.search(rf'class="matrix-point" data-id="{park}"', html)
    assert f'data-id="{bus}" data-quadrant=""' in html  # not placed: listed, not drawn
    budget = api.activity(code, kind="budget", prompt="งบ", budget=100)
    for statement_id, cost in ((park, 60), (bus, 50)):
        api.client.patch(
            f"/api/v1/workshops/{code}/statements/{statement_id}",
            json={"cost": cost},
            headers=api.headers(),
        )
    api.open(code, budget["id"])
    for n, selection in enumerate(([park], [park], [bus])):
        api.post(
            f"/workshops/{code}/votes",
            {"activity_id": budget["id"], "client_id": f"b{n}", "selection": selection},
            token=api.join(code),
        )
    html = text(client.get(f"/present/{code}"))
    funded = html.index(f'class="bar-row is-funded" data-id="{park}"')
    line = html.index('class="funded-line"')
    assert funded < line < html.index(f'class="bar-row" data-id="{bus}"')


def test_revealed_results_on_the_plain_phone_page(client, api, room, ideas):
    park, bus = ideas
    code = room["code"]
    matrix = api.activity(code, kind="matrix", prompt="เมทริกซ์")
    api.open(code, matrix["id"])
    voter = api.join(code)
    api.post(
        f"/workshops/{code}/votes",
        {"activity_id": matrix["id"], "client_id": "m", "placements": {str(bus): {"x": 2, "y": 5}}},
        token=voter,
    )
    join_by_form(client, code)
    assert "results-list priority-results" not in text(client.get(f"/j/{code}"))  # not yet
    response = api.post(f"/workshops/{code}/activities/{matrix['id']}/reveal", {"revealed": True})
    assert response.status_code == 200
    html = text(client.get(f"/j/{code}"))
    assert 'class="results-list priority-results" data-kind="matrix"' in html
    assert "ทำเสริมเมื่อพร้อม · 2.0 / 5.0" in html  # fill-ins, in Thai
