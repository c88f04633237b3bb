"""Cities and progress tracking: adopt, update, import all-or-nothing, public summaries."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from tests.conftest import Api, make_facilitator


def test_cities_are_seeded_and_public(client):
    cities = client.get("/api/v1/cities").json
    assert [c["slug"] for c in cities] == [
        "khon-kaen",
        "chiang-rai",
        "phitsanulok",
        "krabi",
        "nan",
        "phanat-nikhom",
        "chumphon",
        "ranong",
        "lampang",
        "sukhothai-thani",
    ]
    lampang = next(c for c in cities if c["slug"] == "lampang")
    assert lampang["name_th"] == "เทศบาลนครลำปาง" and lampang["type"] == "city"
    assert next(c for c in cities if c["slug"] == "nan")["type"] == "town"
    assert client.get("/api/v1/cities/atlantis").status_code == 404


def test_unknown_city_slug_is_422(api):
    response = api.post("/workshops", {"title": "x", "city": "atlantis"})
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_city"


@pytest.fixture
def adopted(api):
    code = api.workshop(title="Lampang plan", city="lampang", date="2026-11-26")["code"]
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects", plan_section="projects", horizon="short"
    )
    api.open(code, projects["id"])
    token = api.join(code, "residents")
    for n, text in enumerate(["shade trees", "night bus"]):
        api.statement(code, token, projects["id"], text, f"p{n}")
    api.post(f"/workshops/{code}/plan/draft")
    response = api.post(f"/workshops/{code}/plan/adopt")
    assert response.status_code == 201
    return {"code": code, **response.json}


def test_adopt_creates_tracked_projects_once(api, adopted):
    assert [(p["title"], p["horizon"], p["status"]) for p in adopted["projects"]] == [
        ("shade trees", "short", "not_started"),
        ("night bus", "short", "not_started"),
    ]
    again = api.post(f"/workshops/{adopted['code']}/plan/adopt")
    assert again.status_code == 409
    project = api.get(f"/projects/{adopted['projects'][0]['id']}").json
    assert project["source_statements"][0]["text"] == "shade trees"
    assert project["updates"] == [] and project["city"] == "lampang"


def test_updates_keep_history(api, adopted):
    pid = adopted["projects"][0]["id"]
    first = api.post(
        f"/projects/{pid}/updates",
        {"status": "in_progress", "progress": 20, "note": "trees ordered", "date": "2027-01-10"},
    )
    assert first.status_code == 201
    api.post(f"/projects/{pid}/updates", {"progress": 60, "date": "2027-03-01"})
    project = api.get(f"/projects/{pid}").json
    assert (project["status"], project["progress"]) == ("in_progress", 60)
    assert [(u["date"], u["progress"]) for u in project["updates"]] == [
        ("2027-01-10", 20),
        ("2027-03-01", 60),
    ]
    for bad in (
        {"progress": 101},
        {"progress": -1},
        {"status": "finished"},
        {"progress": "50%"},
        {},
        {"date": "tomorrow", "note": "x"},
        {"progress": True},
    ):
        response = api.post(f"/projects/{pid}/updates", bad)
        assert response.status_code == 422, bad
    assert len(api.get(f"/projects/{pid}").json["updates"]) == 2


def test_only_city_facilitators_update(api, adopted, app, client):
    pid = adopted["projects"][0]["id"]
    outsider = Api(client, make_facilitator(app, "outsider@example.org"))
    assert outsider.post(f"/projects/{pid}/updates", {"progress": 5}).status_code == 403
    # Running a workshop in the same city makes a facilitator one of the city's.
    outsider.workshop(title="Lampang follow-up", city="lampang")
    assert outsider.post(f"/projects/{pid}/updates", {"progress": 5}).status_code == 201
    token = api.join(adopted["code"])
    assert api.post(f"/projects/{pid}/updates", {"progress": 5}, token=token).status_code == 403
    assert api.post(f"/projects/{pid}/updates", {"progress": 5}, token="").status_code == 401


def _import(api, plan_id, body: bytes, content_type="text/csv"):
    return api.client.post(
        f"/api/v1/plans/{plan_id}/updates/import",
        data=body,
        headers={**api.headers(), "Content-Type": content_type},
    )


def test_csv_import_is_all_or_nothing(api, adopted):
    a, b = (p["id"] for p in adopted["projects"])
    bad = (
        f"project_id,status,progress,note,date\r\n{a},in_progress,30,ok,2027-02-01\r\n"
        f"{b},flying,150,x,2027-02-01\r\n999999,done,100,,\r\n"
    ).encode()
    response = _import(api, adopted["plan_id"], bad)
    assert response.status_code == 422
    rows = response.json["error"]["rows"]
    assert [r["row"] for r in rows] == [3, 4]
    assert any("status" in e for e in rows[0]["errors"]) and any(
        "progress" in e for e in rows[0]["errors"]
    )
    assert api.get(f"/projects/{a}").json["updates"] == []  # nothing applied
    good = (
        "\ufeffproject_id,status,progress,note,date\r\n"
        f"{a},in_progress,30,ต้นไม้มาแล้ว,2027-02-01\r\n{b},delayed,,รองบประมาณ,\r\n"
    ).encode()
    response = _import(api, adopted["plan_id"], good)
    assert response.status_code == 200 and response.json["applied"] == 2
    assert api.get(f"/projects/{a}").json["updates"][0]["note"] == "ต้นไม้มาแล้ว"
    assert api.get(f"/projects/{b}").json["status"] == "delayed"
    assert _import(api, adopted["plan_id"], b"a,b\r\n1,2\r\n").status_code == 422
    assert _import(api, 999999, good).status_code == 404


def test_xlsx_import(api, adopted):
    from openpyxl import Workbook

    a = adopted["projects"][0]["id"]
    book = Workbook()
    sheet = book.active
    sheet.append(["project_id", "status", "progress", "note", "date"])
    sheet.append([a, "done", 100, "เสร็จแล้ว", datetime(2027, 6, 30)])  # a real Excel date
    data = io.BytesIO()
    book.save(data)
    response = _import(
        api,
        adopted["plan_id"],
        data.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 200, response.json
    project = api.get(f"/projects/{a}").json
    assert (project["status"], project["progress"]) == ("done", 100)
    assert project["updates"][-1]["date"] == "2027-06-30"


def test_city_summary(api, adopted, client):
    a, b = (p["id"] for p in adopted["projects"])
    api.client.patch(
        f"/api/v1/projects/{a}", json={"due_date": "2020-01-01"}, headers=api.headers()
    )
    api.post(f"/projects/{b}/updates", {"status": "done", "progress": 100, "date": "2027-01-01"})
    summary = client.get("/api/v1/cities/lampang").json
    assert summary["projects"] == 2 and summary["overdue"] == 1
    assert summary["by_status"]["done"] == 1 and summary["mean_progress"] == 50.0
    assert summary["last_update"] == "2027-01-01"
    overview = {c["slug"]: c for c in client.get("/api/v1/cities").json}
    assert overview["lampang"]["projects"] == 2 and overview["nan"]["projects"] == 0
