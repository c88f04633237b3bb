"""matrix, points and budget in every export format and in the draft plan's evidence."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from tests.test_exports import SCHEMA, export

ROAD, LIGHTS, MARKET = "ถนนปลอดภัย", "ไฟส่องสว่าง", "ตลาดชุมชน"


@pytest.fixture
def priority_room(api):
    """Short-term projects voted with dots, placed on a matrix, given points; two budgets."""
    code = api.workshop(title="Nan 2026", city="nan", date="2026-11-26")["code"]
    projects = api.activity(
        code, kind="brainstorm", prompt="โครงการ?", plan_section="projects", horizon="short"
    )
    api.open(code, projects["id"])
    author = api.join(code, "academia")
    ids = [
        api.statement(code, author, projects["id"], text, f"s{i}").json["id"]
        for i, text in enumerate([ROAD, LIGHTS, MARKET])
    ]
    road, lights, market = ids
    for statement_id, cost in zip(ids, (600, 500, 300), strict=True):
        response = api.client.patch(
            f"/api/v1/workshops/{code}/statements/{statement_id}",
            json={"cost": cost},
            headers=api.headers(),
        )
        assert response.status_code == 200
    points = api.activity(code, kind="points", prompt="คะแนน", points=10)
    matrix = api.activity(code, kind="matrix", prompt="เมทริกซ์")
    budget = api.activity(code, kind="budget", prompt="งบประมาณ", budget=1000)
    own = api.activity(
        code,
        kind="budget",
        prompt="รายการของเทศบาล",
        budget=100,
        plan_section="projects",
        horizon="medium",
        items=[{"text": "สะพาน", "cost": 70}, {"text": "ห้องสมุด", "cost": 40}],
    )
    voters = [api.join(code, g) for g in ("residents", "residents", "private_sector")]

    def vote(activity, n, **fields):
        response = api.post(
            f"/workshops/{code}/votes",
            {"activity_id": activity["id"], "client_id": f"{activity['id']}-{n}", **fields},
            token=voters[n],
        )
        assert response.status_code == 200, response.json

    api.open(code, points["id"])
    vote(points, 0, points={str(road): 7, str(market): 3})
    vote(points, 1, points={str(road): 10})
    api.open(code, matrix["id"])
    vote(matrix, 0, placements={str(road): {"x": 5, "y": 5}, str(lights): {"x": 5, "y": 1}})
    vote(matrix, 2, placements={str(road): {"x": 4, "y": 4}, str(market): {"x": 1, "y": 1}})
    api.open(code, budget["id"])
    vote(budget, 0, selection=[road, market])
    vote(budget, 1, selection=[road])
    vote(budget, 2, selection=[lights, market])
    api.open(code, own["id"])
    listed = api.get(f"/workshops/{code}/state", token=voters[0]).json["statements"]
    bridge = next(s["id"] for s in listed if s["text"] == "สะพาน")
    vote(own, 0, selection=[bridge])
    assert api.post(f"/workshops/{code}/plan/draft", {}).status_code in (200, 201)
    return {"code": code, "ids": ids, "points": points, "matrix": matrix, "budget": budget}


def test_json_validates_and_carries_the_kinds_fields(api, priority_room):
    jsonschema = pytest.importorskip("jsonschema")
    report = export(api, priority_room["code"], "json").json
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(report)
    by_id = {a["id"]: a for a in report["activities"]}
    road = priority_room["ids"][0]
    matrix = {i["statement_id"]: i for i in by_id[priority_room["matrix"]["id"]]["items"]}
    assert matrix[road]["quadrant"] == "quick_wins" and matrix[road]["x_mean"] == 4.5
    budget = by_id[priority_room["budget"]["id"]]
    assert budget["funded_cost"] == 900 and budget["budget"] == 1000


def test_draft_plan_evidence_has_priority_scores_and_funded_items(api, priority_room):
    plan = api.get(f"/workshops/{priority_room['code']}/plan").json
    items = {i["text"]: i for i in plan["projects"]}
    road = items[ROAD]["evidence"]
    assert road["priority"]["quadrant"] == "quick_wins"
    assert road["priority"]["x_label"] == "ผลกระทบ"
    assert items[LIGHTS]["evidence"]["priority"]["quadrant"] == "major_projects"
    assert road["vote_kind"] in ("points", "budget")  # the vote with the most ballots ranks
    # The municipality's own list: its funded item is drafted as a medium-term project.
    assert items["สะพาน"]["horizon"] == "medium" and items["สะพาน"]["evidence"]["funded"]
    assert "ห้องสมุด" not in items  # no votes: not funded, not drafted


def test_csv_xlsx_md_html_docx_show_the_kinds(api, priority_room):
    code = priority_room["code"]
    text = export(api, code, "csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    matrix_rows = [r for r in rows if r["activity_kind"] == "matrix"]
    road = next(r for r in matrix_rows if r["text"] == ROAD)
    assert road["quadrant"] == "quick_wins" and road["x_mean"] == "4.5"
    assert road["group_residents"] == "5/5"
    budget_rows = [r for r in rows if r["activity_id"] == str(priority_room["budget"]["id"])]
    assert {r["text"]: r["funded"] for r in budget_rows} == {
        ROAD: "true",
        MARKET: "true",
        LIGHTS: "false",
    }
    points_row = next(r for r in rows if r["activity_kind"] == "points" and r["text"] == ROAD)
    assert points_row["points"] == "17" and points_row["mean_points"] == "8.5"

    book = load_workbook(io.BytesIO(export(api, code, "xlsx").data))
    headers = [
        [c.value for c in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=1, max_row=3)
    ]
    flat = {str(v) for row in headers for v in row if v}
    assert any("Quadrant" in h for h in flat) and any("Cost (baht)" in h for h in flat)
    assert any("ทำได้เร็ว ได้ผลมาก" in str(c.value) for s in book.worksheets for r in s for c in r)

    for fmt in ("md", "html"):
        body = export(api, code, fmt).data.decode("utf-8")
        assert "ทำได้เร็ว ได้ผลมาก / Quick wins" in body, fmt
        assert "ได้รับงบประมาณ / Funded" in body, fmt

    docx = zipfile.ZipFile(io.BytesIO(export(api, code, "docx").data))
    document = docx.read("word/document.xml").decode("utf-8")
    assert "ทำได้เร็ว ได้ผลมาก" in document  # the plan item's priority note
