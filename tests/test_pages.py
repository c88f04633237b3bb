"""HTML pages through the Flask test client: forms with CSRF, no JavaScript needed."""

from __future__ import annotations

import re

import pytest

from tests.conftest import FACILITATOR_EMAIL, FACILITATOR_PASSWORD


def csrf(html: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:300]
    return match.group(1).decode()


def text(response) -> str:
    return response.get_data(as_text=True)


def join_by_form(client, code: str, group: str = "residents", name: str = ""):
    page = client.get(f"/j/{code}")
    return client.post(
        f"/j/{code}", data={"csrf_token": csrf(page.data), "group": group, "name": name}
    )


def login(client, email=FACILITATOR_EMAIL, password=FACILITATOR_PASSWORD):
    page = client.get("/facilitator/login")
    return client.post(
        "/facilitator/login",
        data={"csrf_token": csrf(page.data), "email": email, "password": password},
    )


def test_enter_code_page(client, room):
    assert client.get("/").status_code == 302
    page = client.get("/j")
    assert page.status_code == 200 and 'name="code"' in text(page)
    response = client.get("/j", query_string={"code": room["code"].lower()})
    assert response.status_code == 302 and response.location.endswith(f"/j/{room['code']}")
    wrong = client.get("/j", query_string={"code": "ZZZZZZ"})
    assert wrong.status_code == 404 and "ZZZZZZ" in text(wrong)
    assert client.get("/j/NOPE99").status_code == 404


def test_join_form_lists_groups_and_requires_csrf(client, room):
    page = client.get(f"/j/{room['code']}", headers={"Accept-Language": "en"})
    html = text(page)
    assert page.status_code == 200
    for label in ("Central government", "Civil society", "Residents"):
        assert label in html
    response = client.post(f"/j/{room['code']}", data={"group": "residents"})
    assert response.status_code == 400
    assert "Choose your group" not in text(client.get(f"/j/{room['code']}"))  # still not joined


def test_join_keeps_the_same_participant_on_reload(client, api, room):
    response = join_by_form(client, room["code"], "academia", "Malee")
    assert response.status_code == 302
    first = client.get(f"/j/{room['code']}")
    assert "statement-form" in text(first)
    second = client.get(f"/j/{room['code']}")
    assert "statement-form" in text(second)
    results = api.get(f"/workshops/{room['code']}/results").json
    assert results["participants"]["total"] == 1
    assert results["participants"]["by_group"]["academia"] == 1


def test_bad_group_is_refused(client, api, room):
    page = client.get(f"/j/{room['code']}")
    response = client.post(
        f"/j/{room['code']}", data={"csrf_token": csrf(page.data), "group": "aliens"}
    )
    assert response.status_code == 422
    assert api.get(f"/workshops/{room['code']}/results").json["participants"]["total"] == 0


def test_statement_and_vote_by_plain_forms(client, api, room):
    code = room["code"]
    join_by_form(client, code)
    page = client.get(f"/j/{code}")
    html = text(page)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', html).group(1)
    data = {
        "csrf_token": csrf(page.data),
        "activity_id": room["brainstorm"],
        "client_id": client_id,
        "text": "  ห้องสมุดชุมชน  ",
    }
    response = client.post(f"/j/{code}/statements", data=data, follow_redirects=True)
    assert "ห้องสมุดชุมชน" in text(response)
    # Pressing submit twice (same client_id) stores one statement.
    client.post(f"/j/{code}/statements", data=data)
    results = api.get(f"/workshops/{code}/results").json
    assert [i["text"] for i in results["activities"][0]["items"]] == ["ห้องสมุดชุมชน"]
    statement_id = results["activities"][0]["items"][0]["statement_id"]

    api.open(code, room["vote"])
    page = client.get(f"/j/{code}")
    assert f'name="dots-{statement_id}"' in text(page)
    vote = {
        "csrf_token": csrf(page.data),
        "activity_id": room["vote"],
        "client_id": "form-vote-1",
        f"dots-{statement_id}": "3",
    }
    response = client.post(f"/j/{code}/vote", data=vote, follow_redirects=True)
    assert response.status_code == 200
    assert re.search(rf'name="dots-{statement_id}"[^>]*value="3"', text(response))
    too_many = dict(vote, client_id="form-vote-2", **{f"dots-{statement_id}": "4"})
    response = client.post(f"/j/{code}/vote", data=too_many, follow_redirects=True)
    assert "at most 3" in text(response)
    results = api.get(f"/workshops/{code}/results").json
    assert results["activities"][1]["items"][0]["score"] == 3


def test_forms_without_joining_redirect_to_join(client, room):
    page = client.get(f"/j/{room['code']}")
    response = client.post(
        f"/j/{room['code']}/statements",
        data={
            "csrf_token": csrf(page.data),
            "activity_id": room["brainstorm"],
            "client_id": "x",
            "text": "hello",
        },
    )
    assert response.status_code == 302 and response.location.endswith(f"/j/{room['code']}")


def test_facilitator_login_create_and_run(client, app):
    from tests.conftest import make_facilitator

    make_facilitator(app)
    assert client.get("/facilitator/").status_code == 302  # login required
    assert login(client, password="wrong").status_code == 401
    assert login(client).status_code == 302
    dashboard = client.get("/facilitator/")
    assert dashboard.status_code == 200
    response = client.post(
        "/facilitator/",
        data={
            "csrf_token": csrf(dashboard.data),
            "title": "เวทีประชาคมเมืองน่าน",
            "city": "nan",
            "held_on": "2026-12-01",
            "groups": "ภาครัฐ\nประชาชน\n",
            "template": "",
        },
    )
    assert response.status_code == 302
    panel_url = response.location
    panel = client.get(panel_url)
    html = text(panel)
    assert "เวทีประชาคมเมืองน่าน" in html and "ภาครัฐ" in html
    code = panel_url.rstrip("/").split("/")[-1]
    token = csrf(panel.data)
    client.post(
        f"/facilitator/w/{code}/activities",
        data={"csrf_token": token, "kind": "brainstorm", "prompt": "ความฝันของเมือง"},
    )
    panel = client.get(panel_url)
    assert "ความฝันของเมือง" in text(panel)
    activity_id = re.search(r'data-activity="(\d+)"', text(panel)).group(1)
    client.post(
        f"/facilitator/w/{code}/activities/{activity_id}/state",
        data={"csrf_token": token, "value": "open"},
    )
    assert 'class="activity state-open current"' in text(client.get(panel_url))
    results = client.get(f"/facilitator/w/{code}/results")
    assert results.status_code == 200 and "ความฝันของเมือง" in text(results)


def test_facilitator_creates_from_template(client, app):
    from tests.conftest import make_facilitator

    make_facilitator(app)
    login(client)
    dashboard = client.get("/facilitator/")
    response = client.post(
        "/facilitator/",
        data={"csrf_token": csrf(dashboard.data), "title": "Lampang", "template": "sfc-city-plan"},
    )
    panel = text(client.get(response.location))
    assert panel.count('data-activity="') >= 5
    assert "วิสัยทัศน์" in panel


def test_facilitator_pages_of_others_are_forbidden(client, app, api, room):
    from tests.conftest import make_facilitator

    make_facilitator(app, "second@example.org")
    login(client, "second@example.org")
    assert client.get(f"/facilitator/w/{room['code']}").status_code == 403
    assert client.get(f"/facilitator/w/{room['code']}/results").status_code == 403


def test_logout_requires_post_with_csrf(client, app):
    from tests.conftest import make_facilitator

    make_facilitator(app)
    login(client)
    page = client.get("/facilitator/")
    client.post("/facilitator/logout", data={"csrf_token": csrf(page.data)})
    assert client.get("/facilitator/").status_code == 302


def test_presenter_shows_join_details_wall_and_chart(client, api, room):
    code = room["code"]
    token = api.join(code, "residents")
    api.statement(code, token, room["brainstorm"], "<script>alert(1)</script> สวน", "1")
    page = client.get(f"/present/{code}")
    html = text(page)
    assert page.status_code == 200
    assert code in html and f"/j/{code}" in html and "<svg" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; สวน" in html
    assert "<script>alert(1)" not in html
    assert "Content-Security-Policy" in page.headers
    api.open(code, room["vote"])
    statement_id = api.get(f"/workshops/{code}/results").json["activities"][0]["items"][0][
        "statement_id"
    ]
    api.vote(code, token, room["vote"], {statement_id: 2}, "v")
    html = text(client.get(f"/present/{code}"))
    assert 'id="chart"' in html and 'value="2"' in html


@pytest.mark.parametrize("lang", ["th", "en"])
def test_language_switch_sets_html_lang(client, room, lang):
    page = client.get(f"/j?lang={lang}")
    assert f'<html lang="{lang}"' in text(page)
    assert f"lang={lang}" in page.headers.get("Set-Cookie", "")
    assert f'<html lang="{lang}"' in text(client.get("/j"))  # remembered


def test_thai_browser_gets_thai(client):
    page = client.get("/j", headers={"Accept-Language": "th-TH,th;q=0.9,en;q=0.5"})
    assert '<html lang="th"' in text(page)
    assert "รหัสเข้าร่วม" in text(page) and "Join code" not in text(page)
    page = client.get("/j", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en"' in text(page)


def test_dates_in_buddhist_era_for_thai(client, app):
    from datetime import date

    from workshop.dates import format_date

    assert format_date(date(2020, 3, 5), "th") == "5 มีนาคม 2563"
    assert format_date(date(2037, 1, 1), "th") == "1 มกราคม 2580"
    assert format_date(date(2020, 3, 5), "en") == "5 March 2020"
    assert format_date(None, "th") == ""
    from tests.conftest import make_facilitator

    make_facilitator(app)
    login(client)
    dashboard = client.get("/facilitator/")
    client.post(
        "/facilitator/",
        data={
            "csrf_token": csrf(dashboard.data),
            "title": "Nan",
            "held_on": "2026-11-26",
            "template": "",
        },
    )
    assert "26 พฤศจิกายน 2569" in text(client.get("/facilitator/?lang=th"))
    assert "26 November 2026" in text(client.get("/facilitator/?lang=en"))


def test_printable_join_handout(client, app, api, room):
    from tests.conftest import make_facilitator  # noqa: F401  (api fixture made the facilitator)

    login(client)
    page = client.get(f"/facilitator/w/{room['code']}/handout?wifi=Lampang-Hall&lang=en")
    html = text(page)
    assert page.status_code == 200
    assert room["code"] in html and "<svg" in html and "Lampang-Hall" in html
    assert "handout.css" in html and "/j" in html
    assert "<script" not in html
    other = client.get(f"/facilitator/w/{room['code']}/handout?wifi=<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in text(other)


def test_revealed_results_on_the_plain_phone_page(client, api, room):
    """A phone without JavaScript sees a vote's results once the facilitator reveals them."""
    code = room["code"]
    voters = [api.join(code, group) for group in ("residents", "academia", "civil_society")]
    ids = []
    for n, text_ in enumerate(["ตลาดน้ำ <b>ริมวัง</b>", "night bus"]):
        response = api.statement(code, voters[0], room["brainstorm"], text_, f"s{n}")
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    api.open(code, room["vote"])
    api.vote(code, voters[0], room["vote"], {ids[1]: 3}, "v0")
    api.vote(code, voters[1], room["vote"], {ids[1]: 2, ids[0]: 1}, "v1")
    join_by_form(client, code)

    hidden = text(client.get(f"/j/{code}", headers={"Accept-Language": "en"}))
    assert 'id="results-title"' not in hidden
    assert '<script type="application/json" id="initial-results">null</script>' in hidden

    reveal = f"/workshops/{code}/activities/{room['vote']}/reveal"
    assert api.post(reveal, {"revealed": True}).status_code == 200
    page = text(client.get(f"/j/{code}", headers={"Accept-Language": "en"}))
    section = page[page.index('id="results-title"') : page.index("</section>")]
    rows = re.findall(r'<li class="bar-row" data-id="(\d+)">', section)
    assert rows == [str(ids[1]), str(ids[0])]  # best first
    values = re.findall(r'<span class="bar-value">([^<]*)</span>', section)
    assert values == ["5", "1"]
    assert re.search(r'<progress class="bar-progress" max="5" value="5"', section)
    assert "ตลาดน้ำ &lt;b&gt;ริมวัง&lt;/b&gt;" in section  # participant text stays text
    assert 'id="vote-form"' in page  # the ballot is still there while the vote is open

    agree = api.activity(code, kind="agree", prompt="Agree?", source_activity_id=room["brainstorm"])
    api.open(code, agree["id"])
    for token, answer in zip(voters, (1, 1, -1), strict=True):
        body = {"activity_id": agree["id"], "answers": {str(ids[0]): answer}, "client_id": "a"}
        assert api.post(f"/workshops/{code}/votes", body, token=token).status_code in (200, 201)
    api.post(f"/workshops/{code}/activities/{agree['id']}/reveal", {"revealed": True})
    api.post(f"/workshops/{code}/activities/{agree['id']}/state", {"state": "closed"})
    page = text(client.get(f"/j/{code}", headers={"Accept-Language": "en"}))
    assert "This activity is closed" in page
    section = page[page.index('id="results-title"') : page.index("</section>")]
    assert 'data-kind="agree"' in section
    assert "Agree 2 · Pass 0 · Disagree 1" in section
    assert 'class="consensus-badge" data-level="' in section
