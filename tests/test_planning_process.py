"""A city's planning process: meetings feeding one living plan, its tree, versions, adoption."""

from __future__ import annotations

import pytest


def process(api, **body) -> dict:
    body = {
        "title": "แผนลำปาง 2570",
        "city": "lampang",
        "start_year_be": 2570,
        "end_year_be": 2579,
        **body,
    }
    response = api.post("/processes", body)
    assert response.status_code == 201, response.json
    return response.json


def patch(api, path, body):
    return api.client.patch(f"/api/v1{path}", json=body, headers=api.headers())


def delete(api, path):
    return api.client.delete(f"/api/v1{path}", headers=api.headers())


def add_item(api, pid, **body):
    response = api.post(f"/processes/{pid}/plan/items", body)
    assert response.status_code == 201, response.json
    return response.json


def goals_meeting(api, pid: int) -> dict:
    """A meeting of the process: goals brainstorm, a dot vote on it by three groups."""
    response = api.post(
        f"/processes/{pid}/workshops",
        {"title": "Goals workshop", "date": "2027-01-15", "purpose": "goals and strategies"},
    )
    assert response.status_code == 201, response.json
    code = response.json["workshops"][-1]["code"]
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    api.open(code, goals["id"])
    author = api.join(code, "academia")
    ids = {
        text: api.statement(code, author, goals["id"], text, f"g{n}").json["id"]
        for n, text in enumerate(["clean air", "safe streets", "river parks"])
    }
    vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=goals["id"])
    api.open(code, vote["id"])
    for n, (group, dots) in enumerate(
        [
            ("residents", {"clean air": 3, "river parks": 1}),
            ("local_government", {"clean air": 1, "safe streets": 2}),
            ("private_sector", {"river parks": 2}),
        ]
    ):
        token = api.join(code, group)
        assert (
            api.vote(
                code, token, vote["id"], {ids[t]: d for t, d in dots.items()}, f"v{n}"
            ).status_code
            == 200
        )
    return {"code": code, "ids": ids, "vote": vote["id"]}


def test_create_a_process_and_its_meetings(api):
    created = process(api, title_en="Lampang plan 2570")
    pid = created["id"]
    assert created["city"] == "lampang" and created["workshops"] == []
    assert created["plan"]["status"] == "draft" and created["plan"]["version"] == 0
    existing = api.workshop(title="Kickoff", city="lampang")
    api.join(existing["code"], "academia")
    api.join(existing["code"], "residents")
    response = api.post(
        f"/processes/{pid}/workshops",
        {"code": existing["code"], "purpose": "kickoff", "date": "2026-12-10"},
    )
    assert response.status_code == 201, response.json
    second = api.post(f"/processes/{pid}/workshops", {"title": "Vision", "purpose": "vision"})
    assert second.status_code == 201, second.json
    shown = api.get(f"/processes/{pid}").json
    assert [w["title"] for w in shown["workshops"]] == ["Kickoff", "Vision"]
    kickoff = shown["workshops"][0]
    assert kickoff["date"] == "2026-12-10" and kickoff["purpose"] == "kickoff"
    assert kickoff["participants"]["total"] == 2
    assert kickoff["participants"]["by_group"]["academia"] == 1
    again = api.post(f"/processes/{pid}/workshops", {"code": existing["code"]})
    assert again.status_code == 409
    other = process(api)
    moved = api.post(f"/processes/{other['id']}/workshops", {"code": existing["code"]})
    assert moved.status_code == 409 and moved.json["error"]["code"] == "in_another_process"


@pytest.mark.parametrize(
    "body, code",
    [
        ({"start_year_be": 2026, "end_year_be": 2030}, "invalid_years"),
        ({"start_year_be": 2579, "end_year_be": 2570}, "invalid_years"),
        ({"city": "atlantis"}, "unknown_city"),
        ({"title": "   "}, "invalid_title"),
        ({"start_year_be": "2570"}, "invalid_field"),
    ],
)
def test_bad_processes_are_refused_and_nothing_is_made(api, body, code):
    before = api.get("/processes").json["processes"]
    full = {"title": "t", "city": "lampang", "start_year_be": 2570, "end_year_be": 2579, **body}
    response = api.post("/processes", full)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    assert api.get("/processes").json["processes"] == before


def test_the_tree_keeps_its_rules(api):
    pid = process(api)["id"]
    goal = add_item(
        api,
        pid,
        section="goals",
        text="Clean air",
        indicators=[
            {
                "name": "PM2.5 days over limit",
                "unit": "days",
                "baseline_value": 62,
                "baseline_year": 2566,
                "target_value": 20,
                "target_year": 2579,
            }
        ],
    )
    strategy = add_item(
        api, pid, section="strategies", parent_id=goal["id"], text="Green transport"
    )
    project = add_item(
        api,
        pid,
        section="projects",
        parent_id=strategy["id"],
        text="Electric buses",
        owner_agency="Lampang municipality",
        partner_agencies=["PEA"],
        budget=12_000_000,
        funding_source="municipal budget",
        start_year=2571,
        end_year=2574,
        horizon="medium",
    )
    plan = api.get(f"/processes/{pid}/plan").json
    tree_goal = plan["goals"][0]
    assert tree_goal["indicators"][0]["baseline_value"] == 62
    assert tree_goal["strategies"][0]["projects"][0]["budget"] == 12_000_000
    assert tree_goal["strategies"][0]["projects"][0]["partner_agencies"] == ["PEA"]

    bad = [
        ({"section": "projects", "parent_id": goal["id"], "text": "x"}, "invalid_parent"),
        ({"section": "projects", "parent_id": 999999, "text": "x"}, "unknown_parent"),
        ({"section": "goals", "parent_id": strategy["id"], "text": "x"}, "invalid_parent"),
        (
            {"section": "projects", "parent_id": strategy["id"], "text": "x", "start_year": 2590},
            "year_outside_process",
        ),
        ({"section": "goals", "text": "x", "budget": 5}, "invalid_field"),
        ({"section": "moon", "text": "x"}, "invalid_section"),
        ({"section": "goals", "text": ""}, "invalid_field"),
    ]
    for body, code in bad:
        response = api.post(f"/processes/{pid}/plan/items", body)
        assert response.status_code == 422, (body, response.json)
        assert response.json["error"]["code"] == code, (body, response.json)
    cycle = patch(
        api, f"/processes/{pid}/plan/items/{strategy['id']}", {"parent_id": strategy["id"]}
    )
    assert cycle.status_code == 422 and cycle.json["error"]["code"] == "tree_cycle"
    stale = patch(
        api, f"/processes/{pid}/plan/items/{project['id']}", {"text": "Buses", "base_revision": 0}
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "plan_changed"
    assert api.get(f"/processes/{pid}/plan").json == plan  # nothing changed

    # Deleting the strategy leaves its project unplaced, not lost.
    assert delete(api, f"/processes/{pid}/plan/items/{strategy['id']}").status_code == 204
    after = api.get(f"/processes/{pid}/plan").json
    assert [p["text"] for p in after["unplaced"]["projects"]] == ["Electric buses"]


def test_two_meetings_feed_one_item_with_both_meetings_evidence(api):
    pid = process(api)["id"]
    first = goals_meeting(api, pid)
    drafted = api.post(f"/workshops/{first['code']}/plan/draft")
    assert drafted.status_code == 200, drafted.json
    goals = {g["text"]: g for g in drafted.json["goals"]}
    assert set(goals) == {"clean air", "safe streets", "river parks"}
    clean = goals["clean air"]
    assert clean["evidence"][0]["workshop"] == first["code"]
    assert clean["evidence"][0]["score"] == 4
    assert clean["evidence"][0]["by_group"]["residents"] == 3

    # The second meeting votes on the first's top two and is drafted into the same plan.
    second = api.post(f"/processes/{pid}/workshops", {"title": "District meeting"}).json
    code = second["workshops"][-1]["code"]
    carried = api.activity(
        code, kind="agree", prompt="Do you agree?", source={"activity_id": first["vote"], "top": 2}
    )
    state = api.get(f"/workshops/{code}").json
    api.open(code, carried["id"])
    statements = api.get(f"/workshops/{code}/results").json["activities"][0]["items"]
    assert sorted(i["text"] for i in statements) == ["clean air", "river parks"]
    clean_here = next(i["statement_id"] for i in statements if i["text"] == "clean air")
    for n in range(3):
        token = api.join(code, "residents")
        response = api.post(
            f"/workshops/{code}/votes",
            {
                "activity_id": carried["id"],
                "client_id": f"a{n}",
                "statement_id": clean_here,
                "value": 1,
            },
            token=token,
        )
        assert response.status_code == 200, response.json
    assert state["code"] == code
    merged = api.post(f"/workshops/{code}/plan/draft").json
    clean = next(g for g in merged["goals"] if g["text"] == "clean air")
    meetings = [e["workshop"] for e in clean["evidence"]]
    assert meetings == [first["code"], code]
    assert clean["evidence"][1]["kind"] == "agree" and clean["evidence"][1]["agree"] == 3
    assert len(merged["goals"]) == 3  # nothing duplicated, nothing wiped

    # Redrafting the first meeting updates its evidence, it does not add a second entry.
    again = api.post(f"/workshops/{first['code']}/plan/draft").json
    clean = next(g for g in again["goals"] if g["text"] == "clean air")
    assert [e["workshop"] for e in clean["evidence"]] == [first["code"], code]


def test_a_validation_hearing_votes_on_the_plan_items(api):
    pid = process(api)["id"]
    goal = add_item(api, pid, section="goals", text="Clean air")
    strategy = add_item(api, pid, section="strategies", parent_id=goal["id"], text="Transport")
    bus = add_item(api, pid, section="projects", parent_id=strategy["id"], text="Electric buses")
    bike = add_item(api, pid, section="projects", parent_id=strategy["id"], text="Bike lanes")
    add_item(api, pid, section="goals", text="Heritage")
    hearing = api.post(f"/processes/{pid}/workshops", {"title": "เวทีประชาคม"}).json
    code = hearing["workshops"][-1]["code"]
    vote = api.activity(
        code,
        kind="agree",
        prompt="เห็นด้วยหรือไม่",
        source={"plan_items": {"process_id": pid, "section": "projects", "parent_id": goal["id"]}},
    )
    api.open(code, vote["id"])
    items = api.get(f"/workshops/{code}/results").json["activities"][0]["items"]
    by_text = {i["text"]: i["statement_id"] for i in items}
    assert set(by_text) == {"Electric buses", "Bike lanes"}  # the projects under goal 1 only
    for n, (group, value) in enumerate(
        [("residents", 1), ("residents", 1), ("residents", -1), ("academia", 1)]
    ):
        token = api.join(code, group)
        response = api.post(
            f"/workshops/{code}/votes",
            {
                "activity_id": vote["id"],
                "client_id": f"h{n}",
                "statement_id": by_text["Electric buses"],
                "value": value,
            },
            token=token,
        )
        assert response.status_code == 200, response.json
    closed = api.post(f"/workshops/{code}/activities/{vote['id']}/state", {"state": "closed"})
    assert closed.status_code == 200
    plan = api.get(f"/processes/{pid}/plan").json
    projects = {p["id"]: p for p in plan["goals"][0]["strategies"][0]["projects"]}
    evidence = projects[bus["id"]]["evidence"]
    assert len(evidence) == 1 and evidence[0]["source"] == "hearing"
    assert evidence[0]["workshop"] == code and evidence[0]["agree"] == 3
    assert evidence[0]["disagree"] == 1 and evidence[0]["by_group"]["residents"]["agree"] == 2
    assert projects[bike["id"]]["evidence"][0]["agree"] == 0


@pytest.mark.parametrize(
    "source, code",
    [
        ({"plan_items": {"process_id": 999999}}, "process_not_found"),
        ({"plan_items": {"process_id": "x"}}, "process_not_found"),
        ({"activity_id": 999999, "top": 3}, "activity_not_found"),
        ({"nothing": 1}, "invalid_source"),
    ],
)
def test_bad_carried_sources_change_nothing(api, source, code):
    workshop = api.workshop()
    response = api.post(
        f"/workshops/{workshop['code']}/activities",
        {"kind": "agree", "prompt": "p", "source": source},
    )
    assert response.status_code in (404, 422), response.json
    assert response.json["error"]["code"] == code
    assert api.get(f"/workshops/{workshop['code']}").json["activities"] == []


def test_versions_diff_and_adoption_from_the_tree(api):
    pid = process(api)["id"]
    goal = add_item(
        api,
        pid,
        section="goals",
        text="Clean air",
        indicators=[
            {
                "name": "PM2.5 days",
                "baseline_value": 62,
                "baseline_year": 2566,
                "target_value": 20,
                "target_year": 2579,
            }
        ],
    )
    transport = add_item(api, pid, section="strategies", parent_id=goal["id"], text="Transport")
    green = add_item(api, pid, section="strategies", parent_id=goal["id"], text="Green")
    bus = add_item(
        api, pid, section="projects", parent_id=transport["id"], text="Buses", budget=9_000_000
    )
    bike = add_item(
        api, pid, section="projects", parent_id=transport["id"], text="Bikes", budget=1_000_000
    )
    trees = add_item(api, pid, section="projects", parent_id=green["id"], text="Trees")

    first = api.post(
        f"/processes/{pid}/plan/status", {"status": "consultation", "note": "to the hearing"}
    )
    assert first.status_code == 200 and first.json["version"] == 1
    assert (
        patch(
            api, f"/processes/{pid}/plan/items/{bus['id']}", {"text": "Electric buses"}
        ).status_code
        == 200
    )
    assert (
        patch(
            api, f"/processes/{pid}/plan/items/{trees['id']}", {"parent_id": transport["id"]}
        ).status_code
        == 200
    )
    shade = add_item(api, pid, section="projects", parent_id=green["id"], text="Shade")
    assert delete(api, f"/processes/{pid}/plan/items/{bike['id']}").status_code == 204
    bike = None

    diff = api.get(f"/processes/{pid}/plan/versions/1/diff/current").json
    assert [i["text"] for i in diff["added"]] == ["Shade"]
    assert [i["text"] for i in diff["removed"]] == ["Bikes"]
    assert [c["changes"]["text"] for c in diff["changed"] if "text" in c["changes"]] == [
        {"from": "Buses", "to": "Electric buses"}
    ]
    assert [(m["id"], m["to"]["parent_id"]) for m in diff["moved"]] == [
        (trees["id"], transport["id"])
    ]

    adopted = api.post(f"/processes/{pid}/plan/adopt", {"note": "council"})
    assert adopted.status_code == 201, adopted.json
    assert adopted.json["plan_version"] == 2
    projects = {p["title"]: p for p in adopted.json["projects"]}
    assert set(projects) == {"Electric buses", "Trees", "Shade"}
    assert projects["Electric buses"]["goal"] == "Clean air"
    assert projects["Electric buses"]["strategy"] == "Transport"
    assert projects["Shade"]["strategy"] == "Green"

    twice = api.post(f"/processes/{pid}/plan/adopt")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_adopted"
    frozen = patch(api, f"/processes/{pid}/plan/items/{shade['id']}", {"text": "x"})
    assert frozen.status_code == 409 and frozen.json["error"]["code"] == "plan_adopted"
    assert (
        api.post(f"/processes/{pid}/plan/items", {"section": "goals", "text": "x"}).status_code
        == 409
    )

    # Progress rolls up: Transport = budget-weighted (Trees has no budget -> equal weights).
    for title, progress in (("Electric buses", 50), ("Trees", 100), ("Shade", 20)):
        response = api.post(
            f"/projects/{projects[title]['id']}/updates",
            {"progress": progress, "status": "in_progress"},
        )
        assert response.status_code == 201, response.json
    plan = api.get(f"/processes/{pid}/plan").json
    goal_node = plan["goals"][0]
    strategies = {s["text"]: s for s in goal_node["strategies"]}
    assert strategies["Transport"]["progress"]["progress"] == 75.0  # (50 + 100) / 2
    assert strategies["Transport"]["progress"]["weighted_by"] == "equal"
    assert strategies["Green"]["progress"]["progress"] == 20.0
    assert goal_node["progress"]["progress"] == pytest.approx((50 + 100 + 20) / 3, abs=0.05)

    reopened = api.post(f"/processes/{pid}/plan/status", {"status": "draft", "note": "review"})
    assert reopened.status_code == 200 and reopened.json["version"] == 3
    assert (
        patch(api, f"/processes/{pid}/plan/items/{trees['id']}", {"budget": 3_000_000}).status_code
        == 200
    )
    versions = api.get(f"/processes/{pid}/plan/versions").json["versions"]
    assert [(v["number"], v["status"]) for v in versions] == [
        (1, "consultation"),
        (2, "adopted"),
        (3, "draft"),
    ]
    readopted = api.post(f"/processes/{pid}/plan/adopt")
    assert readopted.status_code == 201
    again = {p["title"]: p for p in readopted.json["projects"]}
    assert again["Trees"]["id"] == projects["Trees"]["id"]  # the tracked project is kept
    assert again["Trees"]["progress"] == 100
    plan = api.get(f"/processes/{pid}/plan").json
    transport_node = next(s for s in plan["goals"][0]["strategies"] if s["text"] == "Transport")
    assert transport_node["progress"]["weighted_by"] == "budget"
    assert transport_node["progress"]["progress"] == 62.5  # (50*9M + 100*3M) / 12M


def test_bad_status_changes(api):
    pid = process(api)["id"]
    assert api.post(f"/processes/{pid}/plan/status", {"status": "draft"}).status_code == 409
    assert api.post(f"/processes/{pid}/plan/status", {"status": "done"}).status_code == 422
    assert api.get(f"/processes/{pid}/plan/versions/7/diff/current").status_code == 404
    assert api.get(f"/processes/{pid}/plan").json["version"] == 0


def test_processes_are_private_until_published(api, client, app):
    from tests.conftest import make_facilitator

    pid = process(api)["id"]
    assert client.get(f"/api/v1/processes/{pid}").status_code == 401
    other = make_facilitator(app, email="other@example.org")
    assert api.get(f"/processes/{pid}", token=other).status_code == 403
    assert (
        api.post(
            f"/processes/{pid}/plan/items", {"section": "goals", "text": "x"}, token=other
        ).status_code
        == 403
    )
    assert patch(api, f"/processes/{pid}", {"published": True}).status_code == 200
    public = client.get(f"/api/v1/processes/{pid}")
    assert public.status_code == 200 and public.json["published"] is True


def test_process_exports_parse_back(api):
    import io

    from docx import Document
    from openpyxl import load_workbook

    pid = process(api)["id"]
    goal = add_item(
        api,
        pid,
        section="goals",
        text="อากาศสะอาด",
        indicators=[{"name": "PM2.5", "baseline_value": 62, "target_value": 20}],
    )
    strategy = add_item(api, pid, section="strategies", parent_id=goal["id"], text="ขนส่ง")
    add_item(
        api, pid, section="projects", parent_id=strategy["id"], text="รถเมล์ไฟฟ้า", budget=1_000_000
    )
    assert api.post(f"/processes/{pid}/plan/status", {"status": "consultation"}).status_code == 200
    add_item(api, pid, section="goals", text="มรดกวัฒนธรรม")
    data = api.get(f"/processes/{pid}/export?format=json").json
    assert data["plan"]["goals"][0]["strategies"][0]["projects"][0]["text"] == "รถเมล์ไฟฟ้า"
    xlsx = api.get(f"/processes/{pid}/export?format=xlsx&diff=1..current")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert {"Goals", "Strategies", "Projects", "Indicators", "Evidence", "Diff"} <= set(
        book.sheetnames
    )
    assert [r[3] for r in book["Projects"].iter_rows(min_row=3, values_only=True)] == ["รถเมล์ไฟฟ้า"]
    assert [r[:1] + r[3:] for r in book["Diff"].iter_rows(min_row=2, values_only=True)] == [
        ("added", "มรดกวัฒนธรรม")
    ]
    docx = Document(io.BytesIO(api.get(f"/processes/{pid}/export?format=docx").data))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "เป้าหมายที่ 1: อากาศสะอาด" in text and "ยุทธศาสตร์ 1.1: ขนส่ง" in text
    assert "พ.ศ. 2570–2579" in text and "1,000,000 บาท" in text
    bad = api.get(f"/processes/{pid}/export?format=pdf")
    assert bad.status_code == 422
    assert api.get(f"/processes/{pid}/export?format=json&diff=1").status_code == 422


def test_the_process_page_is_public_once_published(api, client):
    pid = process(api)["id"]
    goal = add_item(api, pid, section="goals", text="อากาศสะอาด")
    strategy = add_item(api, pid, section="strategies", parent_id=goal["id"], text="ขนส่งสีเขียว")
    add_item(api, pid, section="projects", parent_id=strategy["id"], text="รถเมล์ไฟฟ้า")
    api.post(f"/processes/{pid}/workshops", {"title": "เวทีวิสัยทัศน์", "purpose": "วิสัยทัศน์"})
    url = f"/cities/lampang/process/{pid}"
    assert client.get(url).status_code == 404  # not published: not there for the public
    assert client.get(f"/cities/nan/process/{pid}").status_code == 404
    assert patch(api, f"/processes/{pid}", {"published": True}).status_code == 200
    page = client.get(url, headers={"Accept-Language": "th"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("อากาศสะอาด", "ขนส่งสีเขียว", "รถเมล์ไฟฟ้า", "เวทีวิสัยทัศน์", "พ.ศ. 2570–2579"):
        assert text in html, text


def test_a_meeting_drafts_only_its_top_statements_as_new_items(api):
    pid = process(api)["id"]
    meeting = goals_meeting(api, pid)
    bad = api.post(f"/workshops/{meeting['code']}/plan/draft", {"top": 0})
    assert bad.status_code == 422 and bad.json["error"]["code"]
    assert api.get(f"/processes/{pid}/plan").json["goals"] == []  # nothing drafted
    plan = api.post(f"/workshops/{meeting['code']}/plan/draft", {"top": 1}).json
    assert [g["text"] for g in plan["goals"]] == ["clean air"]  # 4 dots: the best
    plan = api.post(f"/workshops/{meeting['code']}/plan/draft", {"top": 2}).json
    texts = [g["text"] for g in plan["goals"]]
    assert texts[0] == "clean air" and len(texts) == 2  # one new, the first not doubled
    assert len(plan["goals"][0]["evidence"]) == 1  # the redraft replaced its own entry


def test_the_process_json_export_follows_its_schema(api):
    import json
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (Path(__file__).parent.parent / "docs" / "process-export-schema.json").read_text()
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    pid = process(api)["id"]
    meeting = goals_meeting(api, pid)
    assert api.post(f"/workshops/{meeting['code']}/plan/draft").status_code == 200
    goal = api.get(f"/processes/{pid}/plan").json["goals"][0]
    patch(
        api,
        f"/processes/{pid}/plan/items/{goal['id']}",
        {
            "indicators": [
                {
                    "name": "PM2.5",
                    "unit": "µg/m³",
                    "baseline_value": 62,
                    "baseline_year": 2567,
                    "target_value": 20,
                    "target_year": 2579,
                }
            ]
        },
    )
    strategy = add_item(api, pid, section="strategies", parent_id=goal["id"], text="ขนส่ง")
    add_item(api, pid, section="projects", parent_id=strategy["id"], text="รถเมล์", budget=5e6)
    add_item(api, pid, section="projects", text="ยังไม่มีที่")
    assert api.post(f"/processes/{pid}/plan/status", {"status": "consultation"}).status_code == 200
    add_item(api, pid, section="goals", text="มรดกวัฒนธรรม")
    validator = jsonschema.Draft202012Validator(schema)
    whole = api.get(f"/processes/{pid}/export?format=json").json
    validator.validate(whole)
    assert whole["plan"]["goals"][0]["evidence"][0]["workshop"] == meeting["code"]
    compared = api.get(f"/processes/{pid}/export?format=json&diff=1..current").json
    validator.validate(compared)
    assert [a["text"] for a in compared["diff"]["added"]] == ["มรดกวัฒนธรรม"]
    broken = json.loads(json.dumps(whole))
    broken["plan"]["goals"][0]["strategies"][0]["projects"][0]["section"] = "goals"
    assert list(validator.iter_errors(broken))
    del whole["plan"]["goals"][0]["evidence"][0]["workshop"]
    assert list(validator.iter_errors(whole))


def test_the_city_page_shows_the_tree_and_a_project_its_meetings(api, client):
    pid = process(api)["id"]
    meeting = goals_meeting(api, pid)
    plan = api.post(f"/workshops/{meeting['code']}/plan/draft").json
    goal = next(g for g in plan["goals"] if g["text"] == "clean air")
    drafted = next(g for g in plan["goals"] if g["text"] == "river parks")
    strategy = add_item(api, pid, section="strategies", parent_id=goal["id"], text="ขนส่งสีเขียว")
    moved = patch(
        api,
        f"/processes/{pid}/plan/items/{drafted['id']}",
        {"section": "projects", "parent_id": strategy["id"], "budget": 2_000_000},
    )
    assert moved.status_code == 200, moved.json
    adopted = api.post(f"/processes/{pid}/plan/adopt", {})
    assert adopted.status_code == 201, adopted.json
    project_id = adopted.json["projects"][0]["id"]
    update = api.post(f"/projects/{project_id}/updates", {"progress": 40, "status": "in_progress"})
    assert update.status_code == 201, update.json
    city = client.get("/cities/lampang", headers={"Accept-Language": "th"}).get_data(as_text=True)
    assert f'data-process="{pid}"' not in city  # not published yet
    assert patch(api, f"/processes/{pid}", {"published": True}).status_code == 200
    city = client.get("/cities/lampang", headers={"Accept-Language": "th"}).get_data(as_text=True)
    block = city[city.index(f'data-process="{pid}"') :]
    assert "clean air" in block and "ขนส่งสีเขียว" in block
    assert "<span data-progress>40.0%</span>" in block  # the goal's roll-up of its project
    page = client.get(
        f"/cities/lampang/projects/{project_id}", headers={"Accept-Language": "th"}
    ).get_data(as_text=True)
    meetings = page[page.index('class="project-meetings"') :]
    assert "Goals workshop" in meetings and "ภาคเอกชน" in meetings  # private_sector's dots
