"""Buttons for what was API-only: adopt the plan, close the short code, co-facilitators.

Each runs the same service as the API behind a CSRF-checked form and confirms what it
did in the reader's language (a Thai flash on a Thai page).
"""

from __future__ import annotations

import re

from tests.conftest import make_facilitator
from tests.test_pages import csrf, login, text
from tests.test_rendering import docx_text, problems, visible_text


def _thai(client):
    client.get("/facilitator/login?lang=th")  # the switch remembers the language


def _planned(api) -> str:
    """A Lampang workshop with a dot vote on three projects and a draft plan."""
    code = api.workshop(city="lampang")["code"]
    projects = api.activity(
        code, kind="brainstorm", prompt="โครงการ", plan_section="projects", horizon="short"
    )
    api.open(code, projects["id"])
    author = api.join(code, "residents")
    ids = [
        api.statement(code, author, projects["id"], words, f"s{n}").json["id"]
        for n, words in enumerate(["ปลูกต้นไม้", "รถเมล์ไฟฟ้า", "ตลาดเขียว"])
    ]
    vote = api.activity(code, kind="dot_vote", prompt="โหวต", source_activity_id=projects["id"])
    api.open(code, vote["id"])
    api.vote(code, api.join(code, "academia"), vote["id"], {ids[0]: 2, ids[1]: 2, ids[2]: 1}, "v")
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 201
    return code


def test_adopt_from_the_plan_page_then_links_to_the_tracked_projects(client, api):
    code = _planned(api)
    plan = api.get(f"/workshops/{code}/plan").json
    # The planner moves the last project to the long term and gives it an indicator:
    # the indicator must follow that project, not the one at its place in another order.
    last = plan["projects"][-1]
    patch = api.client.patch(
        f"/api/v1/workshops/{code}/plan/items/{last['id']}",
        json={"horizon": "long", "indicator": "ร้านค้าในตลาด"},
        headers=api.headers(),
    )
    assert patch.status_code == 200, patch.json
    login(client)
    _thai(client)
    page = client.get(f"/facilitator/w/{code}/plan")
    assert "รับรองแผน" in text(page)
    # The builder's evidence reads as words and numbers before adoption too.
    builder = visible_text(text(page))
    assert not problems(builder) and "จุด 2 · อันดับ 1" in builder, builder
    no_csrf = client.post(f"/facilitator/w/{code}/plan/adopt", data={})
    assert no_csrf.status_code == 400
    assert api.get(f"/workshops/{code}/plan").json["status"] != "adopted"
    response = client.post(
        f"/facilitator/w/{code}/plan/adopt",
        data={"csrf_token": csrf(page.data)},
        follow_redirects=True,
    )
    html = text(response)
    assert "รับรองแผนแล้ว: กำลังติดตาม 3 โครงการ" in html
    assert api.get(f"/workshops/{code}/plan").json["status"] == "adopted"
    links = re.findall(r'href="(/cities/lampang/projects/(\d+))"[^>]*>([^<]+)<', html)
    assert len(links) == 3 and 'href="/cities/lampang"' in html
    assert "สร้างร่างแผนจากผลการลงคะแนน" not in html  # read-only: no redraft, no edit forms
    for path, _id, title in links:
        project = visible_text(text(client.get(path)))
        if title == last["text"]:
            assert "ร้านค้าในตลาด" in project
        else:
            assert "ร้านค้าในตลาด" not in project
    again = client.post(
        f"/facilitator/w/{code}/plan/adopt",
        data={"csrf_token": csrf(page.data)},
        follow_redirects=True,
    )
    assert "แผนนี้รับรองแล้ว" in text(again)  # the service's refusal, in Thai


def test_close_the_short_code_from_the_access_page(client, api, room):
    login(client)
    _thai(client)
    page = client.get(f"/facilitator/w/{room['code']}/team")
    assert page.status_code == 200 and "ปิดรหัสเข้าร่วม" in text(page)
    response = client.post(
        f"/facilitator/w/{room['code']}/team/short-code",
        data={"csrf_token": csrf(page.data), "value": "close"},
        follow_redirects=True,
    )
    assert f"ปิดรหัสเข้าร่วม {room['code']} แล้ว" in text(response)
    assert api.get(f"/workshops/{room['code']}").json["short_code_open"] is False
    phone = client.application.test_client()
    assert phone.get(f"/j/{room['code']}").status_code == 403  # typing the code: refused
    reopened = client.post(
        f"/facilitator/w/{room['code']}/team/short-code",
        data={"csrf_token": csrf(page.data), "value": "open"},
        follow_redirects=True,
    )
    assert "ใช้เข้าร่วมได้อีกครั้ง" in text(reopened)
    assert api.get(f"/workshops/{room['code']}").json["short_code_open"] is True


def test_invite_and_remove_a_co_facilitator(app, client, api, room):
    make_facilitator(app, "colleague@example.org", "another long password")
    login(client)
    _thai(client)
    page = client.get(f"/facilitator/w/{room['code']}/team")
    token = csrf(page.data)
    path = f"/facilitator/w/{room['code']}/team"
    unknown = client.post(
        f"{path}/invite",
        data={"csrf_token": token, "email": "nobody@example.org"},
        follow_redirects=True,
    )
    assert "ไม่มีบัญชีผู้ดำเนินการที่ใช้อีเมลนี้" in text(unknown)
    added = client.post(
        f"{path}/invite",
        data={"csrf_token": token, "email": "Colleague@example.org"},
        follow_redirects=True,
    )
    assert "colleague@example.org ร่วมดำเนินการเวทีนี้กับคุณแล้ว" in text(added)
    colleague = app.test_client()
    login(colleague, "colleague@example.org", "another long password")
    assert colleague.get(f"/facilitator/w/{room['code']}").status_code == 200
    shown = text(colleague.get(path))
    assert "เชิญ" not in shown or "Invite" not in shown  # only the owner invites
    assert 'name="email"' not in shown
    removed = client.post(
        f"{path}/remove",
        data={"csrf_token": token, "value": "colleague@example.org"},
        follow_redirects=True,
    )
    assert "colleague@example.org ไม่ได้ร่วมดำเนินการเวทีนี้แล้ว" in text(removed)
    assert colleague.get(f"/facilitator/w/{room['code']}").status_code in (403, 404)
    twice = client.post(
        f"{path}/remove",
        data={"csrf_token": token, "value": "colleague@example.org"},
        follow_redirects=True,
    )
    assert "ไม่ได้เป็นผู้ดำเนินการร่วมของเวทีนี้" in text(twice)


def test_every_facilitator_page_links_to_the_cities(client, api, room):
    login(client)
    for path in (
        "/facilitator/",
        f"/facilitator/w/{room['code']}",
        f"/facilitator/w/{room['code']}/results",
        f"/facilitator/w/{room['code']}/plan",
        f"/facilitator/w/{room['code']}/moderate",
        f"/facilitator/w/{room['code']}/team",
    ):
        assert 'href="/cities"' in text(client.get(path)), path


def test_docx_appendix_lists_activities_in_agenda_order(api):
    code = api.workshop()["code"]
    first = api.activity(code, kind="brainstorm", prompt="หัวข้อแรก")
    second = api.activity(code, kind="brainstorm", prompt="หัวข้อที่สอง")
    author = api.join(code)
    api.open(code, second["id"])
    assert api.statement(code, author, second["id"], "ก่อน", "a").status_code == 201
    api.open(code, first["id"])
    assert api.statement(code, author, first["id"], "หลัง", "b").status_code == 201
    body = api.get(f"/workshops/{code}/export?format=docx").data
    appendix = docx_text(body).split("ภาคผนวก ก")[1]
    assert appendix.index("1. หัวข้อแรก") < appendix.index("2. หัวข้อที่สอง")


def test_thai_date_inputs_take_buddhist_era_dates_back_exactly(client, api):
    login(client)
    _thai(client)
    dashboard = client.get("/facilitator/")
    html = text(dashboard)
    held_on = re.search(r'<input[^>]*name="held_on"[^>]*>', html).group(0)
    assert 'type="date"' not in held_on and "วว/ดด/ปปปป" in held_on  # no Gregorian picker
    assert "central_government" not in visible_text(html)  # groups by name, not id
    bad = client.post(
        "/facilitator/",
        data={
            "csrf_token": csrf(dashboard.data),
            "title": "x",
            "held_on": "31/2/2569",
            "template": "",
        },
    )
    assert bad.status_code == 422 and "5/12/2569" in text(bad)  # the format, in Thai
    response = client.post(
        "/facilitator/",
        data={
            "csrf_token": csrf(dashboard.data),
            "title": "เวทีเมืองน่าน",
            "held_on": "5/12/2569",
            "standard_groups": ["residents", "academia"],
            "groups": "กลุ่มเยาวชน",
            "template": "",
        },
    )
    assert response.status_code == 302, text(response)[:500]
    code = response.location.rstrip("/").split("/")[-1]
    detail = api.get(f"/workshops/{code}").json
    assert detail["date"] == "2026-12-05"
    assert detail["groups"] == ["residents", "academia", "กลุ่มเยาวชน"]
    assert "5 ธันวาคม 2569" in text(client.get(f"/facilitator/w/{code}"))


def test_form_checks_speak_thai(client, api):
    """WTForms ships no Thai: its messages come from the app's catalogue."""
    login(client)
    _thai(client)
    dashboard = client.get("/facilitator/")
    response = client.post("/facilitator/", data={"csrf_token": csrf(dashboard.data)})
    html = text(response)
    assert response.status_code == 422
    assert "กรุณากรอกช่องนี้" in html and "This field is required" not in html
    assert "Not a valid choice" not in html
