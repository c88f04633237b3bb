"""The draft plan: built from the results, edited by planners, redrafted only on request."""

from __future__ import annotations

import pytest


@pytest.fixture
def planned(api):
    """A workshop with a vision brainstorm + vote + agree, goals, and short-term projects."""
    code = api.workshop(title="Lampang 2026", city="lampang", date="2026-11-26")["code"]
    vision = api.activity(code, kind="brainstorm", prompt="Vision?", plan_section="vision")
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects?", plan_section="projects", horizon="short"
    )
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    author = api.join(code, "academia")
    ids = {}
    for activity, texts in (
        (vision, ["green river city", "heritage city", "smart city"]),
        (projects, ["shade trees", "night bus"]),
        (goals, ["clean air"]),
    ):
        api.open(code, activity["id"])
        for n, text in enumerate(texts):
            ids[text] = api.statement(code, author, activity["id"], text, f"{text}{n}").json["id"]
    vote = api.activity(
        code, kind="dot_vote", prompt="Vote vision", source_activity_id=vision["id"]
    )
    assert vote["plan_section"] == "vision"  # inherited from the brainstorm
    api.open(code, vote["id"])
    for group, dots in (
        ("residents", {"heritage city": 3, "green river city": 1}),
        ("local_government", {"heritage city": 2}),
        ("private_sector", {"smart city": 1}),
    ):
        token = api.join(code, group)
        api.vote(code, token, vote["id"], {ids[t]: n for t, n in dots.items()}, "v")
    agree = api.activity(code, kind="agree", prompt="Agree?", source_activity_id=vision["id"])
    api.open(code, agree["id"])
    for group in ("residents", "local_government"):
        for n in range(3):
            token = api.join(code, group)
            api.post(
                f"/workshops/{code}/votes",
                {
                    "activity_id": agree["id"],
                    "client_id": f"a{n}",
                    "statement_id": ids["heritage city"],
                    "value": 1,
                },
                token=token,
            )
    return {"code": code, "ids": ids}


def test_draft_puts_the_top_vision_first_with_evidence(api, planned):
    code = planned["code"]
    assert api.get(f"/workshops/{code}/plan").status_code == 404
    response = api.post(f"/workshops/{code}/plan/draft")
    assert response.status_code == 201
    plan = response.json
    assert plan["vision"]["text"] == "heritage city"
    evidence = plan["vision"]["evidence"]
    assert evidence["score"] == 5 and evidence["rank"] == 1
    assert evidence["by_group"]["residents"] == 3 and evidence["by_group"]["local_government"] == 2
    assert evidence["consensus"]["level"] == "consensus"
    assert [a["text"] for a in plan["alternatives"]] == ["green river city", "smart city"]
    assert [g["text"] for g in plan["goals"]] == ["clean air"]  # not voted: all statements
    assert [(p["text"], p["horizon"]) for p in plan["projects"]] == [
        ("shade trees", "short"),
        ("night bus", "short"),
    ]
    assert plan["horizon_years"]["short"] == [1, 2]
    assert api.get(f"/workshops/{code}/plan").json == plan


def test_planner_edits_and_redraft_needs_overwrite(api, planned):
    code = planned["code"]
    plan = api.post(f"/workshops/{code}/plan/draft").json
    project = plan["projects"][1]
    edited = api.client.patch(
        f"/api/v1/workshops/{code}/plan/items/{project['id']}",
        json={
            "text": "Night bus to the university",
            "horizon": "medium",
            "owner_agency": "Lampang municipality",
            "indicator": "riders per night",
        },
        headers=api.headers(),
    )
    assert edited.status_code == 200
    assert edited.json["statement_text"] == "night bus"  # the room's statement stays linked
    added = api.post(
        f"/workshops/{code}/plan/items",
        {"section": "strategies", "text": "Partner with the university"},
    )
    assert added.status_code == 201 and added.json["added_by_planner"] is True
    plan = api.get(f"/workshops/{code}/plan").json
    assert plan["edited"] is True
    assert [(p["text"], p["horizon"]) for p in plan["projects"]] == [
        ("shade trees", "short"),
        ("Night bus to the university", "medium"),
    ]
    assert plan["strategies"][0]["text"] == "Partner with the university"
    refused = api.post(f"/workshops/{code}/plan/draft")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "plan_edited"
    assert api.get(f"/workshops/{code}/plan").json == plan
    redone = api.post(f"/workshops/{code}/plan/draft", {"overwrite": True})
    assert redone.status_code == 200 and redone.json["edited"] is False
    assert redone.json["strategies"] == []


def test_reorder_move_and_delete(api, planned):
    code = planned["code"]
    plan = api.post(f"/workshops/{code}/plan/draft").json
    first, second = plan["projects"]
    moved = api.client.patch(
        f"/api/v1/workshops/{code}/plan/items/{second['id']}",
        json={"position": 1},
        headers=api.headers(),
    )
    assert moved.json["position"] == 1
    assert [p["text"] for p in api.get(f"/workshops/{code}/plan").json["projects"]] == [
        "night bus",
        "shade trees",
    ]
    to_goals = api.client.patch(
        f"/api/v1/workshops/{code}/plan/items/{first['id']}",
        json={"section": "goals"},
        headers=api.headers(),
    )
    assert to_goals.json["section"] == "goals" and to_goals.json["horizon"] is None
    assert (
        api.client.delete(
            f"/api/v1/workshops/{code}/plan/items/{first['id']}", headers=api.headers()
        ).status_code
        == 204
    )
    assert (
        api.client.delete(
            f"/api/v1/workshops/{code}/plan/items/{first['id']}", headers=api.headers()
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"section": "dreams", "text": "x"},
        {"section": "goals", "text": "  "},
        {"section": "goals", "text": "x", "horizon": "short"},
        {"section": "projects", "text": "x", "horizon": "soon"},
        {"text": "x"},
    ],
)
def test_bad_plan_items_are_refused(api, planned, body):
    code = planned["code"]
    api.post(f"/workshops/{code}/plan/draft")
    before = api.get(f"/workshops/{code}/plan").json
    assert api.post(f"/workshops/{code}/plan/items", body).status_code == 422
    assert api.get(f"/workshops/{code}/plan").json == before


def test_bad_plan_sections_on_activities(api, room):
    for body in (
        {"kind": "brainstorm", "prompt": "x", "plan_section": "wishes"},
        {"kind": "brainstorm", "prompt": "x", "plan_section": "goals", "horizon": "short"},
        {"kind": "brainstorm", "prompt": "x", "plan_section": "projects", "horizon": "later"},
    ):
        assert api.post(f"/workshops/{room['code']}/activities", body).status_code == 422


def test_merged_duplicates_are_in_the_evidence(api, planned):
    code, ids = planned["code"], planned["ids"]
    api.post(
        f"/workshops/{code}/statements/{ids['heritage city']}/merge", {"from": [ids["smart city"]]}
    )
    plan = api.post(f"/workshops/{code}/plan/draft").json
    assert plan["vision"]["evidence"]["score"] == 6
    assert [m["text"] for m in plan["vision"]["evidence"]["merged_from"]] == ["smart city"]
    assert [a["text"] for a in plan["alternatives"]] == ["green river city"]


def test_plan_builder_page(api, planned, client):
    from tests.test_pages import csrf, login

    code = planned["code"]
    login(client)
    page = client.get(f"/facilitator/w/{code}/plan?lang=en")
    assert page.status_code == 200 and "Create draft from results" in page.get_data(as_text=True)
    token = csrf(page.data)
    client.post(f"/facilitator/w/{code}/plan/draft", data={"csrf_token": token, "value": "draft"})
    html = client.get(f"/facilitator/w/{code}/plan").get_data(as_text=True)
    assert "heritage city" in html and "green river city" in html
    item = api.get(f"/workshops/{code}/plan").json["projects"][0]
    response = client.post(
        f"/facilitator/w/{code}/plan/items/{item['id']}",
        data={
            "csrf_token": token,
            "text": "ปลูกต้นไม้ให้ร่มเงา",
            "section": "projects",
            "horizon": "long",
            "position": "1",
            "owner_agency": "กองช่าง",
            "indicator": "",
        },
    )
    assert response.status_code == 302
    updated = api.get(f"/workshops/{code}/plan").json["projects"]
    assert ("ปลูกต้นไม้ให้ร่มเงา", "long", "กองช่าง") in [
        (p["text"], p["horizon"], p["owner_agency"]) for p in updated
    ]
    # Redrafting over edits asks first: the plain draft button changes nothing.
    client.post(f"/facilitator/w/{code}/plan/draft", data={"csrf_token": token, "value": "draft"})
    assert api.get(f"/workshops/{code}/plan").json["projects"] == updated
    client.post(
        f"/facilitator/w/{code}/plan/items",
        data={
            "csrf_token": token,
            "text": "Bike lanes",
            "section": "projects",
            "horizon": "medium",
        },
    )
    assert any(
        p["text"] == "Bike lanes" and p["added_by_planner"]
        for p in api.get(f"/workshops/{code}/plan").json["projects"]
    )
