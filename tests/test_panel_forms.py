"""The control panel's forms: plain posts (no JavaScript) flash and redirect; the same posts
with ``X-Panel: parts`` answer JSON with the re-rendered now card and agenda (issue 20
points 5 and 8). Refusals change nothing."""

from __future__ import annotations

import re

from tests.test_pages import csrf, login, text

PARTS = {"X-Panel": "parts"}


def panel_token(client, code: str) -> str:
    return csrf(client.get(f"/facilitator/w/{code}").data)


def test_actions_answer_parts_with_the_script_and_redirect_without(client, api, room):
    login(client)
    code = room["code"]
    token = panel_token(client, code)
    url = f"/facilitator/w/{code}/activities/{room['brainstorm']}/lock"
    plain = client.post(url, data={"csrf_token": token, "value": "on"})
    assert plain.status_code == 302 and plain.location.endswith("#now")
    assert "หยุดรับความคิดเห็นและคะแนนชั่วคราวแล้ว" in text(client.get(f"/facilitator/w/{code}"))
    fetched = client.post(url, data={"csrf_token": token, "value": "off"}, headers=PARTS)
    assert fetched.status_code == 200
    body = fetched.json
    assert body["ok"] is True and body["message"]
    assert set(body["parts"]) == {"now", "agenda"}
    assert "now-statements" in body["parts"]["now"] and 'data-activity="' in body["parts"]["agenda"]
    assert api.get(f"/workshops/{code}").json["activities"][0]["locked"] is False
    parts = client.get(f"/facilitator/w/{code}/panel-parts", headers=PARTS).json["parts"]

    def strip(html: str) -> str:  # CSRF tokens differ from one rendering to the next
        return re.sub(r'name="csrf_token"[^>]*>', "", html)

    assert {k: strip(v) for k, v in parts.items()} == {
        k: strip(v) for k, v in body["parts"].items()
    }


def test_refusals_are_422_json_and_change_nothing(client, api, room):
    login(client)
    code = room["code"]
    token = panel_token(client, code)
    before = api.get(f"/workshops/{code}").json["activities"]
    base = f"/facilitator/w/{code}/activities"
    for url, data in (
        (f"{base}/{room['vote']}/edit", {"prompt": "", "minutes": "5"}),
        (f"{base}/{room['vote']}/edit", {"prompt": "ok", "minutes": "0"}),
        (f"{base}/{room['brainstorm']}/move", {"value": "up"}),
        (f"{base}/{room['vote']}/move", {"value": "sideways"}),
        (f"{base}/order", {"value": f"{room['vote']},{room['brainstorm']}"}),
        (f"{base}/order", {"value": "1,x"}),
        (f"{base}/{room['brainstorm']}/delete", {"value": "delete"}),
        (f"/facilitator/w/{code}/advance", {"value": "previous"}),
    ):
        response = client.post(url, data={"csrf_token": token, **data}, headers=PARTS)
        assert response.status_code == 422, (url, data, response.data[:200])
        assert response.json["ok"] is False and response.json["error"]["message"]
        assert "now" in response.json["parts"]
    assert api.get(f"/workshops/{code}").json["activities"] == before
    # The live brainstorm cannot go, said in the facilitator's language.
    thai = client.post(
        f"{base}/{room['brainstorm']}/delete?lang=th",
        data={"csrf_token": token, "value": "delete"},
        headers=PARTS,
    )
    assert thai.json["error"]["message"] == "ลบกิจกรรมที่กำลังดำเนินการไม่ได้ ปิดกิจกรรมก่อน"


def test_plain_agenda_forms_work_without_javascript(client, api, room):
    login(client)
    code = room["code"]
    token = panel_token(client, code)
    base = f"/facilitator/w/{code}/activities"
    poll = api.activity(code, kind="poll", prompt="When?", options=["Sat", "Sun"])["id"]
    edited = client.post(
        f"{base}/{poll}/edit",
        data={"csrf_token": token, "prompt": "เมื่อไร", "prompt_en": "When next?", "minutes": "4"},
    )
    assert edited.status_code == 302
    moved = client.post(f"{base}/{poll}/move", data={"csrf_token": token, "value": "up"})
    assert moved.status_code == 302
    ids = [a["id"] for a in api.get(f"/workshops/{code}").json["activities"]]
    assert ids == [room["brainstorm"], poll, room["vote"]]
    activity = api.get(f"/workshops/{code}").json["activities"][1]
    assert activity["prompt"] == "เมื่อไร" and activity["minutes"] == 4
    assert activity["prompt_translations"] == {"en": "When next?"}
    deleted = client.post(f"{base}/{poll}/delete", data={"csrf_token": token, "value": "x"})
    assert deleted.status_code == 302
    assert "เมื่อไร" in text(client.get(deleted.location))  # "Deleted: ..." flashed
    assert len(api.get(f"/workshops/{code}").json["activities"]) == 2
    # The add form takes the English prompt and the minutes.
    added = client.post(
        base,
        data={
            "csrf_token": token,
            "kind": "brainstorm",
            "prompt": "ความฝัน",
            "prompt_en": "Dreams",
            "minutes": "9",
        },
    )
    assert added.status_code == 302
    last = api.get(f"/workshops/{code}").json["activities"][-1]
    assert last["prompt_translations"] == {"en": "Dreams"} and last["minutes"] == 9
