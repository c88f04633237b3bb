"""The opinion map over HTTP and Socket.IO: GET .../opinions and the ``opinions`` event."""

from __future__ import annotations

import pytest

from tests.conftest import events

GROUPS = ("residents", "local_government", "private_sector")


@pytest.fixture
def ideas(api, room):
    author = api.join(room["code"], "academia")
    return [
        api.statement(room["code"], author, room["brainstorm"], f"idea {i}", f"s{i}").json["id"]
        for i in range(8)
    ]


def _open_agree(api, room):
    agree = api.activity(
        room["code"], kind="agree", prompt="Agree?", source_activity_id=room["brainstorm"]
    )
    api.open(room["code"], agree["id"])
    return agree["id"]


def _answer(api, room, token, agree, answers):
    for n, (statement, value) in enumerate(answers.items()):
        response = api.post(
            f"/workshops/{room['code']}/votes",
            {"activity_id": agree, "client_id": f"a{n}", "statement_id": statement, "value": value},
            token=token,
        )
        assert response.status_code == 200, response.json


def _two_camps(api, room, ideas, agree, per_camp=6):
    """Camp A agrees with ideas 0-3 and disagrees with 4-6, camp B the opposite; everyone
    agrees with idea 7. Each camp has members of every stakeholder group."""
    names = []
    for camp, sign in (("A", 1), ("B", -1)):
        for n in range(per_camp):
            name = f"Somchai-{camp}{n}"
            names.append(name)
            token = api.join(room["code"], GROUPS[n % 3], name=name)
            answers = {s: (sign if i < 4 else -sign) for i, s in enumerate(ideas[:7])}
            answers[ideas[7]] = 1
            _answer(api, room, token, agree, answers)
    return names


def opinions(api, room, activity_id, token=None):
    return api.get(f"/workshops/{room['code']}/activities/{activity_id}/opinions", token=token)


def test_two_camps_across_stakeholder_groups_and_what_unites_them(api, room, ideas):
    agree = _open_agree(api, room)
    names = _two_camps(api, room, ideas, agree)
    response = opinions(api, room, agree)
    assert response.status_code == 200
    data = response.json
    assert data["k"] == 2 and data["participants_in_map"] == 12 and "reason" not in data
    assert sorted(g["size"] for g in data["groups"]) == [6, 6]
    for group in data["groups"]:
        assert group["by_stakeholder_group"] == {g: 2 for g in GROUPS}
        directions = {r["statement_id"]: r["direction"] for r in group["representative"]}
        assert set(directions) <= set(ideas[:7]) and directions
    assert data["bridging"][0]["statement_id"] == ideas[7]
    assert data["uncertain"] == []
    assert len(data["points"]) == 12
    assert all(set(p) == {"x", "y", "group"} for p in data["points"])
    assert not any(name in response.get_data(as_text=True) for name in names)
    # Nothing changed: the same map (the same computation) again.
    assert opinions(api, room, agree).json["computed_at"] == data["computed_at"]


def test_too_few_participants_is_a_reason_not_an_error(api, room, ideas):
    agree = _open_agree(api, room)
    token = api.join(room["code"])
    _answer(api, room, token, agree, {s: 1 for s in ideas})
    data = opinions(api, room, agree).json
    assert (data["k"], data["groups"], data["reason"]) == (0, [], "too_few_participants")
    assert data["participants_in_map"] == 1


def test_other_kinds_answer_with_a_reason(api, room):
    data = opinions(api, room, room["vote"]).json
    assert (data["k"], data["reason"]) == (0, "not_an_agree_activity")


def test_only_the_workshops_facilitator_sees_the_map(app, api, room, ideas):
    from tests.conftest import make_facilitator

    agree = _open_agree(api, room)
    attendee = api.join(room["code"])
    assert opinions(api, room, agree, token=attendee).status_code in (401, 403)
    assert opinions(api, room, agree, token="").status_code == 401
    other = make_facilitator(app, "other@example.org")
    assert opinions(api, room, agree, token=other).status_code in (403, 404)
    missing = opinions(api, room, 999999)
    assert missing.status_code == 404 and missing.json["error"]["code"]


def test_the_map_is_pushed_to_the_projector_and_facilitator_not_to_phones(
    api, room, ideas, sio_client, facilitator_token
):
    agree = _open_agree(api, room)
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    panel = sio_client(
        {"workshop": room["code"], "role": "facilitator", "token": facilitator_token}
    )
    phone = sio_client({"workshop": room["code"], "token": api.join(room["code"])})
    names = _two_camps(api, room, ideas, agree)
    pushed = events(presenter, "opinions")
    assert pushed and pushed[-1]["k"] == 2 and pushed[-1]["activity_id"] == agree
    assert not any(name in repr(pushed) for name in names)
    assert events(panel, "opinions")[-1]["groups"] == pushed[-1]["groups"]
    assert events(phone, "opinions") == []
    # Hidden from the projector: the projector gets no map, the facilitator still does.
    api.post(f"/workshops/{room['code']}/activities/{agree}/projector", {"show_results": False})
    presenter.get_received()
    token = api.join(room["code"])
    _answer(api, room, token, agree, {s: 1 for s in ideas})
    assert events(presenter, "opinions") == []
    assert events(panel, "opinions")[-1]["participants_in_map"] == 13


def test_results_export_and_plan_evidence_carry_the_opinion_groups(api, ideas, room):
    import json
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    code = room["code"]
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    api.open(code, goals["id"])
    author = api.join(code, "academia")
    goal_ids = [
        api.statement(code, author, goals["id"], f"goal {i}", f"g{i}").json["id"] for i in range(8)
    ]
    room = dict(room, brainstorm=goals["id"])
    agree = _open_agree(api, room)
    names = _two_camps(api, room, goal_ids, agree)

    results = api.get(f"/workshops/{code}/results").json
    shown = next(a for a in results["activities"] if a["id"] == agree)["opinions"]
    assert shown["k"] == 2 and "points" not in shown
    assert shown["bridging"][0]["statement_id"] == goal_ids[7]

    plan = api.post(f"/workshops/{code}/plan/draft").json
    evidence = {i["statement_id"]: i["evidence"] for i in plan["goals"]}
    unites = evidence[goal_ids[7]]["opinion_groups"]
    assert unites["activity_id"] == agree and unites["uncertain"] is False
    assert unites["bridging_consensus"] == shown["bridging"][0]["consensus"]

    response = api.get(f"/workshops/{code}/export?format=json")
    assert response.status_code == 200
    report = json.loads(response.get_data(as_text=True))
    schema = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    exported = next(a for a in report["activities"] if a["id"] == agree)["opinions"]
    assert exported["groups"] == shown["groups"] and "points" not in exported
    assert len(names) == sum(g["size"] for g in exported["groups"])


def test_the_facilitators_results_page_shows_the_groups_without_names(api, client, room, ideas):
    from tests.test_pages import login

    agree = _open_agree(api, room)
    names = _two_camps(api, room, ideas, agree)
    login(client)
    page = client.get(f"/facilitator/w/{room['code']}/results").get_data(as_text=True)
    assert page.count('class="om-card om-g') == 2
    unites = page.split("om-summary", 1)[1]
    assert unites.index("idea 7") < unites.index("</ul>")  # the first of what unites the room
    assert not any(name in page for name in names)


def test_a_phone_sees_only_its_own_dot_once_the_facilitator_allows_it(api, room, ideas):
    agree = _open_agree(api, room)
    code = room["code"]
    camps = {}
    for camp, sign in (("A", 1), ("B", -1)):
        for n in range(6):
            token = api.join(code, GROUPS[n % 3], name=f"Malee-{camp}{n}")
            answers = {s: (sign if i < 4 else -sign) for i, s in enumerate(ideas[:7])}
            answers[ideas[7]] = 1
            _answer(api, room, token, agree, answers)
            camps.setdefault(camp, []).append(token)
    shy = api.join(code, "academia")
    _answer(api, room, shy, agree, {ideas[0]: 1})  # one answer: not on the map
    mine = f"/workshops/{code}/activities/{agree}/opinions/mine"
    switch = f"/workshops/{code}/activities/{agree}/opinions/own-dots"
    refused = api.get(mine, token=camps["A"][0])
    assert refused.status_code == 403 and refused.json["error"]["code"] == "own_dot_not_shown"
    assert api.post(switch, {"allowed": True}, token=camps["A"][0]).status_code in (401, 403)
    assert api.post(switch, {"allowed": "yes"}).status_code == 422
    dots = api.post(
        f"/workshops/{code}/activities/{room['vote']}/opinions/own-dots", {"allowed": True}
    )
    assert dots.status_code == 422  # a dot vote has no opinion map
    assert api.get(mine, token=camps["A"][0]).status_code == 403  # still not allowed
    assert api.post(switch, {"allowed": True}).json == {"activity_id": agree, "allowed": True}
    places = {camp: [api.get(mine, token=t).json for t in tokens] for camp, tokens in camps.items()}
    for camp in places.values():
        assert all(p["in_map"] for p in camp)
        assert len({p["group"] for p in camp}) == 1  # a camp is one opinion group
    assert places["A"][0]["group"] != places["B"][0]["group"]
    first = places["A"][0]
    assert {"x": first["x"], "y": first["y"], "group": first["group"]} in first["points"]
    assert "Malee" not in str(places) and "participant" not in str(places)
    assert api.get(mine, token=shy).json["in_map"] is False
    audit = api.get(f"/workshops/{code}/audit").json
    assert any(e["action"] == "opinion_own_dot" for e in audit.get("entries", audit))
    assert api.post(switch, {"allowed": False}).status_code == 200
    assert api.get(mine, token=camps["B"][0]).status_code == 403


@pytest.mark.parametrize(
    ("base", "last_cost", "expected"),
    [
        (3.0, 0.0, 3.0),  # nothing measured yet: the configured interval
        (3.0, 0.1, 3.0),  # a cheap map: still the configured interval
        (3.0, 0.5, 10.0),  # a costly one (0.5 s): at most 5 % of the process
        (0.0, 2.0, 0.0),  # tests recompute at once, whatever it costs
    ],
)
def test_a_costly_map_is_recomputed_less_often(base, last_cost, expected):
    from workshop.live.broadcast import opinions_interval

    assert opinions_interval(base, last_cost) == pytest.approx(expected)
