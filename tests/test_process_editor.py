"""The planner's process pages through the Flask test client: forms with CSRF, no
JavaScript needed. The same rules as the API: a refused edit changes nothing."""

from __future__ import annotations

import re

from tests.test_pages import csrf, login, text


def _editor(client, pid: int):
    page = client.get(f"/facilitator/processes/{pid}", headers={"Accept-Language": "th"})
    assert page.status_code == 200
    return page


def _post(client, pid: int, path: str, data: dict):
    token = csrf(_editor(client, pid).data)
    return client.post(
        f"/facilitator/processes/{pid}{path}",
        data={"csrf_token": token, **data},
        headers={"Accept-Language": "th"},
        follow_redirects=True,
    )


def _revision(api, pid: int) -> int:
    return api.get(f"/processes/{pid}/plan").json["revision"]


def _create(client) -> int:
    page = client.get("/facilitator/processes")
    assert page.status_code == 200 and 'name="start_year_be"' in text(page)
    response = client.post(
        "/facilitator/processes",
        data={
            "csrf_token": csrf(page.data),
            "title": "แผนพัฒนาเมืองลำปาง",
            "city": "lampang",
            "start_year_be": "2570",
            "end_year_be": "2579",
        },
    )
    assert response.status_code == 302
    return int(re.search(r"/processes/(\d+)", response.location).group(1))


def test_a_planner_builds_the_tree_on_the_page(client, api):
    login(client)
    assert client.post("/facilitator/processes", data={"title": "x"}).status_code == 400  # CSRF
    pid = _create(client)
    added = _post(client, pid, "/meetings", {"title": "เวทีเป้าหมาย", "purpose": "เป้าหมาย"})
    assert "เวทีเป้าหมาย" in text(added)
    rev = _revision(api, pid)
    page = _post(
        client, pid, "/items", {"section": "goals", "text": "อากาศสะอาด", "base_revision": rev}
    )
    goal = api.get(f"/processes/{pid}/plan").json["goals"][0]
    assert goal["text"] == "อากาศสะอาด" and "อากาศสะอาด" in text(page)
    _post(
        client,
        pid,
        "/items",
        {
            "section": "strategies",
            "parent_id": goal["id"],
            "text": "ขนส่งสีเขียว",
            "base_revision": _revision(api, pid),
        },
    )
    strategy = api.get(f"/processes/{pid}/plan").json["goals"][0]["strategies"][0]
    _post(
        client,
        pid,
        "/items",
        {"section": "projects", "text": "รถเมล์ไฟฟ้า", "base_revision": _revision(api, pid)},
    )
    project = api.get(f"/processes/{pid}/plan").json["unplaced"]["projects"][0]
    fields = "horizon owner_agency partner_agencies budget funding_source start_year end_year"
    saved = _post(
        client,
        pid,
        f"/items/{project['id']}",
        {
            "fields": fields,
            "text": "รถเมล์ไฟฟ้า 10 คัน",
            "parent_id": strategy["id"],
            "budget": "1,500,000",
            "partner_agencies": "ขนส่งจังหวัด, มหาวิทยาลัย",
            "start_year": "2571",
            "end_year": "2573",
            "horizon": "short",
            "owner_agency": "เทศบาลนครลำปาง",
            "base_revision": _revision(api, pid),
        },
    )
    assert "บันทึกแล้ว" in text(saved)
    plan = api.get(f"/processes/{pid}/plan").json
    moved = plan["goals"][0]["strategies"][0]["projects"][0]
    assert moved["budget"] == 1_500_000 and moved["partner_agencies"] == ["ขนส่งจังหวัด", "มหาวิทยาลัย"]
    assert plan["unplaced"]["projects"] == [] and moved["start_year"] == 2571
    _post(
        client,
        pid,
        f"/items/{goal['id']}",
        {
            "fields": "indicators",
            "text": goal["text"],
            "indicator-0-name": "PM2.5",
            "indicator-0-unit": "µg/m³",
            "indicator-0-baseline_value": "62",
            "indicator-0-baseline_year": "2567",
            "indicator-0-target_value": "20",
            "indicator-0-target_year": "2579",
            "base_revision": _revision(api, pid),
        },
    )
    indicator = api.get(f"/processes/{pid}/plan").json["goals"][0]["indicators"][0]
    assert (indicator["name"], indicator["baseline_value"], indicator["target_year"]) == (
        "PM2.5",
        62,
        2579,
    )


def test_refused_edits_on_the_page_change_nothing(client, api):
    login(client)
    pid = _create(client)
    _post(
        client,
        pid,
        "/items",
        {"section": "strategies", "text": "ขนส่ง", "base_revision": _revision(api, pid)},
    )
    _post(
        client,
        pid,
        "/items",
        {"section": "projects", "text": "รถเมล์", "base_revision": _revision(api, pid)},
    )
    before = api.get(f"/processes/{pid}/plan").json
    project = before["unplaced"]["projects"][0]
    fields = "budget start_year"
    for data in (
        {"budget": "lots"},  # not a number
        {"start_year": "2600"},  # outside the process's years
        {"budget": "5", "base_revision": before["revision"] - 1},  # someone else saved since
        {"parent_id": project["id"]},  # under itself
    ):
        body = {"fields": fields, "text": "เปลี่ยน", "base_revision": before["revision"], **data}
        page = _post(client, pid, f"/items/{project['id']}", body)
        assert page.status_code == 200 and "ไม่ได้บันทึก" in text(page), data
    strategy = before["unplaced"]["strategies"][0]
    page = _post(
        client,
        pid,
        "/items",
        {
            "section": "goals",
            "parent_id": strategy["id"],
            "text": "ผิดที่",
            "base_revision": before["revision"],
        },
    )
    assert "ไม่ได้บันทึก" in text(page)
    assert api.get(f"/processes/{pid}/plan").json == before


def test_versions_compare_and_adopt_on_the_page(client, api):
    login(client)
    pid = _create(client)
    _post(
        client,
        pid,
        "/items",
        {"section": "goals", "text": "อากาศสะอาด", "base_revision": _revision(api, pid)},
    )
    frozen = _post(client, pid, "/status", {"status": "consultation", "note": "ส่งประชาคม"})
    assert "ฉบับที่ 1" in text(frozen) or "1" in text(frozen)
    assert api.get(f"/processes/{pid}/plan").json["status"] == "consultation"
    _post(
        client,
        pid,
        "/items",
        {"section": "goals", "text": "มรดกวัฒนธรรม", "base_revision": _revision(api, pid)},
    )
    compared = client.get(f"/facilitator/processes/{pid}/diff?a=1&b=current")
    assert compared.status_code == 200
    added = re.search(r'data-diff="added">(.*?)</ul>', text(compared), re.S).group(1)
    assert "มรดกวัฒนธรรม" in added and "อากาศสะอาด" not in added
    assert client.get(f"/facilitator/processes/{pid}/diff?a=9").status_code == 302
    adopted = _post(client, pid, "/status", {"status": "adopted"})
    assert api.get(f"/processes/{pid}/plan").json["status"] == "adopted"
    assert "readonly" in text(adopted)
    goal = api.get(f"/processes/{pid}/plan").json["goals"][0]
    refused = _post(client, pid, f"/items/{goal['id']}", {"text": "แก้", "fields": ""})
    assert "ไม่ได้บันทึก" in text(refused)
    assert api.get(f"/processes/{pid}/plan").json["goals"][0]["text"] == "อากาศสะอาด"


def test_other_facilitators_cannot_open_a_process(client, api, app):
    from tests.conftest import make_facilitator

    login(client)
    pid = _create(client)
    make_facilitator(app, "other@example.org", "another-long-password")
    other = app.test_client()
    login(other, "other@example.org", "another-long-password")
    assert other.get(f"/facilitator/processes/{pid}").status_code == 404
    assert other.get("/facilitator/processes/999999").status_code == 404
    assert other.get("/facilitator/processes").status_code == 200
    assert "แผนพัฒนาเมืองลำปาง" not in text(other.get("/facilitator/processes"))
