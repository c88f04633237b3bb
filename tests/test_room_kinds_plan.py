"""Word cloud, Q&A and map results in the draft plan's evidence (single plan and process)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from tests.test_pages import login, text
from tests.test_planning_process import process

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "process-export-schema.json"
VISION, MARKET = "เมืองสีเขียวน่าอยู่", "ตลาดริมน้ำ"
GEOREF = {"top_left": {"lat": 18.3, "lon": 99.48}, "bottom_right": {"lat": 18.26, "lon": 99.53}}


def fill_room(api, app, tmp_path, code: str) -> dict:
    """A vision and a projects brainstorm, a word cloud, a Q&A and a georeferenced map whose
    categories are a problem and the market project; residents and academia take part."""
    app.config["MAP_IMAGE_DIR"] = str(tmp_path / "maps")
    vision = api.activity(code, kind="brainstorm", prompt="วิสัยทัศน์?", plan_section="vision")
    projects = api.activity(
        code, kind="brainstorm", prompt="โครงการ?", plan_section="projects", horizon="short"
    )
    cloud = api.activity(code, kind="wordcloud", prompt="เมืองในหนึ่งคำ")
    qa = api.activity(code, kind="qa", prompt="คำถาม")
    pins = api.activity(
        code, kind="map", prompt="ตรงไหน?", categories=["ปัญหา", MARKET], georef=GEOREF
    )
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, "PNG")
    uploaded = api.client.post(
        f"/api/v1/workshops/{code}/activities/{pins['id']}/image",
        data={"file": (io.BytesIO(buffer.getvalue()), "m.png")},
        headers=api.headers(),
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    residents = [api.join(code, "residents") for _ in range(2)]
    academia = api.join(code, "academia")
    api.open(code, vision["id"])
    api.statement(code, academia, vision["id"], VISION, "v")
    api.open(code, projects["id"])
    api.statement(code, academia, projects["id"], MARKET, "p")

    def vote(activity, token, client_id, **fields):
        response = api.post(
            f"/workshops/{code}/votes",
            {"activity_id": activity["id"], "client_id": client_id, **fields},
            token=token,
        )
        assert response.status_code == 200, response.json

    api.open(code, cloud["id"])
    vote(cloud, residents[0], "w0", words=["สีเขียว", "ต้นไม้"])
    vote(cloud, residents[1], "w1", words=["สีเขียว"])
    vote(cloud, academia, "w2", words=["จักรยาน"])
    api.open(code, qa["id"])
    asked = {
        text: api.statement(code, token, qa["id"], text, f"q{n}").json["id"]
        for n, (text, token) in enumerate(
            [("งบมาจากไหน", residents[0]), ("ใครดูแล", academia), ("ไม่มีใครโหวต", academia)]
        )
    }
    vote(qa, residents[1], "u0", statement_id=asked["ใครดูแล"], value=1)
    vote(qa, academia, "u1", statement_id=asked["ใครดูแล"], value=1)
    answered = api.client.patch(
        f"/api/v1/workshops/{code}/statements/{asked['งบมาจากไหน']}",
        json={"qa_state": "answered"},
        headers=api.headers(),
    )
    assert answered.status_code == 200, answered.json
    api.open(code, pins["id"])
    vote(pins, residents[0], "m0", pins=[{"x": 0.2, "y": 0.5, "category": MARKET}])
    vote(pins, academia, "m1", pins=[{"x": 0.4, "y": 0.5, "category": MARKET, "note": "ท่าน้ำ"}])
    vote(pins, residents[1], "m2", pins=[{"x": 0.9, "y": 0.1, "category": "ปัญหา"}])
    return {"cloud": cloud["id"], "qa": qa["id"], "map": pins["id"], "asked": asked}


def room_entries(item: dict) -> dict[str, dict]:
    return {e["key"]: e for e in item["evidence"] if e["key"].startswith("room:")}


def check_entries(vision: dict, market: dict, ids: dict) -> None:
    entries = room_entries(vision)
    cloud = entries[f"room:{ids['cloud']}"]
    assert cloud["kind"] == "wordcloud" and cloud["ballots"] == 3
    assert cloud["words"][0] == {
        "word": "สีเขียว",
        "count": 2,
        "rank": 1,
        "top_group": "residents",
        "by_group": {"residents": 2},
    }
    assert cloud["by_group"]["academia"]["words"] == [{"word": "จักรยาน", "count": 1}]
    assert cloud["by_group"]["residents"]["count"] == 3
    qa = entries[f"room:{ids['qa']}"]
    assert [(q["text"], q["qa_state"], q["votes"]) for q in qa["questions"]] == [
        ("งบมาจากไหน", "answered", 0),
        ("ใครดูแล", "open", 2),
    ]  # the question nobody voted for and nobody answered is left out
    assert qa["questions"][1]["by_group"] == {"residents": 1, "academia": 1}
    assert qa["asked"] == 3 and qa["answered"] == 1
    assert qa["by_group"]["academia"] == {"asked": 2, "votes": 1}
    whole_map = entries[f"room:{ids['map']}"]
    assert whole_map["by_category"] == {"ปัญหา": 1, MARKET: 2}
    assert whole_map["by_group"] == {"residents": {MARKET: 1, "ปัญหา": 1}, "academia": {MARKET: 1}}
    assert whole_map["georeferenced"] and len(whole_map["pins"]) == 3
    assert whole_map["pins_left_out"] == 0
    # The map category named like the market project locates it, with its pins only.
    located = room_entries(market)[f"room:{ids['map']}:{MARKET}"]
    place = located["locations"][MARKET]
    assert place["count"] == 2 and place["x"] == 0.3 and place["y"] == 0.5
    assert place["lat"] == pytest.approx(18.28) and place["lon"] == pytest.approx(99.495)
    assert place["by_group"] == {"residents": 1, "academia": 1}
    assert {p["note"] for p in located["pins"]} == {None, "ท่าน้ำ"}
    assert not any(k.startswith(f"room:{ids['cloud']}") for k in room_entries(market))


def test_single_plan_draft_carries_cloud_questions_and_pins(api, app, client, tmp_path):
    code = api.workshop(title="Nan 2026", city="nan", date="2026-11-26")["code"]
    ids = fill_room(api, app, tmp_path, code)
    assert api.post(f"/workshops/{code}/plan/draft", {}).status_code == 201
    plan = api.get(f"/workshops/{code}/plan").json
    market = next(p for p in plan["projects"] if p["text"] == MARKET)

    def as_list(item: dict) -> dict:  # the single plan keeps them under evidence["room"]
        return {**item, "evidence": item["evidence"].get("room", [])}

    check_entries(as_list(plan["vision"]), as_list(market), ids)
    login(client)
    page = text(client.get(f"/facilitator/w/{code}/plan?lang=th"))
    assert "คำที่ใช้มากที่สุด: สีเขียว 2, จักรยาน 1" in page
    assert "ใครดูแล (2 โหวต)" in page and "งบมาจากไหน (0 โหวต, ตอบแล้ว)" in page
    assert f"หมุดบนแผนที่: ปัญหา 1 @ 18.29600, 99.52500; {MARKET} 2" in page
    exported = api.get(f"/workshops/{code}/export?format=json").json
    report_schema = json.loads((SCHEMA.parent / "export-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema).validate(exported)
    assert exported["plan"]["vision"]["evidence"]["room"][0]["kind"] == "wordcloud"
    report = api.get(f"/workshops/{code}/export?format=md").get_data(as_text=True)
    report = report.replace("\\", "")  # Markdown escapes
    assert "คำที่ใช้มากที่สุด / Most used words: สีเขียว 2, จักรยาน 1" in report
    assert "ใครดูแล (2 เสียง / votes)" in report
    assert f"{MARKET} 2 @ 18.28000, 99.49500" in report
    # A redraft replaces the room's entries, never doubles them.
    assert api.post(f"/workshops/{code}/plan/draft", {"overwrite": True}).status_code == 200
    again = api.get(f"/workshops/{code}/plan").json
    assert len(again["vision"]["evidence"]["room"]) == 3


def test_process_plan_and_its_export_carry_them_and_follow_the_schema(api, app, client, tmp_path):
    pid = process(api)["id"]
    meeting = api.post(f"/processes/{pid}/workshops", {"title": "Vision meeting"})
    assert meeting.status_code == 201, meeting.json
    code = meeting.json["workshops"][-1]["code"]
    ids = fill_room(api, app, tmp_path, code)
    for _ in range(2):  # a second draft replaces the meeting's entries
        assert api.post(f"/workshops/{code}/plan/draft").status_code == 200
    plan = api.get(f"/processes/{pid}/plan").json
    market = next(p for p in plan["unplaced"]["projects"] if p["text"] == MARKET)
    check_entries(plan["vision"], market, ids)
    assert len(room_entries(plan["vision"])) == 3
    login(client)
    page = text(client.get(f"/facilitator/processes/{pid}?lang=th"))
    assert "คำที่ใช้มากที่สุด: สีเขียว 2" in page and "ใครดูแล (2 โหวต)" in page
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    whole = api.get(f"/processes/{pid}/export?format=json").json
    assert whole["schema_version"] == 1
    jsonschema.Draft202012Validator(schema).validate(whole)
    broken = json.loads(json.dumps(whole))
    entry = next(e for e in broken["plan"]["vision"]["evidence"] if e["kind"] == "map")
    entry["locations"][MARKET]["x"] = 2
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_a_room_without_a_vision_item_drafts_without_room_evidence(api, app, tmp_path):
    code = api.workshop(title="Nan 2026", city="nan", date="2026-11-26")["code"]
    cloud = api.activity(code, kind="wordcloud", prompt="หนึ่งคำ")
    api.open(code, cloud["id"])
    token = api.join(code, "residents")
    response = api.post(
        f"/workshops/{code}/votes",
        {"activity_id": cloud["id"], "client_id": "w", "words": ["น้ำ"]},
        token=token,
    )
    assert response.status_code == 200
    assert api.post(f"/workshops/{code}/plan/draft", {}).status_code == 201
    assert api.get(f"/workshops/{code}/plan").json["vision"] is None


def test_a_budget_with_its_own_items_feeds_the_process_plan(api):
    pid = process(api)["id"]
    meeting = api.post(f"/processes/{pid}/workshops", {"title": "Budget hearing"})
    code = meeting.json["workshops"][-1]["code"]
    own = api.activity(
        code,
        kind="budget",
        prompt="รายการของเทศบาล",
        budget=100,
        plan_section="projects",
        horizon="medium",
        items=[{"text": "สะพาน", "cost": 70}, {"text": "ห้องสมุด", "cost": 40}],
    )
    api.open(code, own["id"])
    voters = [api.join(code, g) for g in ("residents", "residents", "academia")]
    listed = api.get(f"/workshops/{code}/state", token=voters[0]).json["statements"]
    ids = {s["text"]: s["id"] for s in listed}
    for n, token in enumerate(voters):
        picked = [ids["สะพาน"]] if n < 2 else [ids["ห้องสมุด"]]
        response = api.post(
            f"/workshops/{code}/votes",
            {"activity_id": own["id"], "client_id": f"b{n}", "selection": picked},
            token=token,
        )
        assert response.status_code == 200, response.json
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 200
    projects = api.get(f"/processes/{pid}/plan").json["unplaced"]["projects"]
    # 70 + 40 > 100: the bridge (2 votes) is funded, the library (1 vote) no longer fits.
    assert [p["text"] for p in projects] == ["สะพาน"]
    bridge = projects[0]
    assert bridge["horizon"] == "medium" and bridge["budget"] == 70
    (entry,) = bridge["evidence"]
    assert entry["kind"] == "budget" and entry["key"] == f"draft:{own['id']}"
    assert entry["cost"] == 70 and entry["funded"] is True and entry["score"] == 2
    assert entry["by_group"]["residents"] == 2 and entry["by_group"]["academia"] == 0
    # A planner's own budget figure stays; a redraft replaces the entry, never adds one.
    changed = api.client.patch(
        f"/api/v1/processes/{pid}/plan/items/{bridge['id']}",
        json={"budget": 90},
        headers=api.headers(),
    )
    assert changed.status_code == 200, changed.json
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 200
    again = api.get(f"/processes/{pid}/plan").json["unplaced"]["projects"]
    assert [(p["text"], p["budget"], len(p["evidence"])) for p in again] == [("สะพาน", 90, 1)]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(
        api.get(f"/processes/{pid}/export?format=json").json
    )


def test_a_crowded_map_copies_at_most_300_pins_but_counts_them_all():
    from types import SimpleNamespace

    from workshop.kinds.plan_evidence import MAX_EVIDENCE_PINS, map_entry

    workshop = SimpleNamespace(code="ABC123", title="t", groups=["residents"])
    activity = SimpleNamespace(id=7, kind="map", prompt="p", georef=None)
    pins = [
        {
            "id": n,
            "x": (n % 10) / 10,
            "y": 0.5,
            "category": "ปัญหา",
            "note": None,
            "group": "residents",
        }
        for n in range(MAX_EVIDENCE_PINS + 25)
    ]
    entry = map_entry(workshop, activity, {"ballots": 1, "pins": pins, "categories": ["ปัญหา"]})
    assert len(entry["pins"]) == MAX_EVIDENCE_PINS and entry["pins_left_out"] == 25
    assert entry["by_category"] == {"ปัญหา": 325}
    assert entry["locations"]["ปัญหา"]["count"] == 325 and "lat" not in entry["locations"]["ปัญหา"]
    assert entry["by_group"] == {"residents": {"ปัญหา": 325}}
