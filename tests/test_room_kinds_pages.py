"""Word cloud, Q&A and map without JavaScript: the phone's plain forms, the projector page
and the control panel's pieces."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.test_pages import csrf, join_by_form, login, text


@pytest.fixture(autouse=True)
def image_folder(app, tmp_path):
    app.config["MAP_IMAGE_DIR"] = str(tmp_path / "maps")


def png(width=640, height=480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buffer, "PNG")
    return buffer.getvalue()


def base_form(page, activity_id):
    html = text(page)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', html).group(1)
    return {"csrf_token": csrf(page.data), "activity_id": activity_id, "client_id": client_id}


def test_wordcloud_by_plain_form(client, api, room):
    code = room["code"]
    cloud = api.activity(code, kind="wordcloud", prompt="เมืองในหนึ่งคำ", max_words=2)
    api.open(code, cloud["id"])
    join_by_form(client, code)
    page = client.get(f"/j/{code}")
    assert 'name="word-2"' in text(page) and 'name="word-3"' not in text(page)
    data = {**base_form(page, cloud["id"]), "word-1": "สวน สาธารณะครับ", "word-2": ""}
    response = client.post(f"/j/{code}/vote", data=data, follow_redirects=True)
    assert re.search(r'name="word-1"[^>]*value="สวนสาธารณะ"', text(response))
    presenter = text(client.get(f"/present/{code}"))
    stage = presenter[presenter.find('id="stage"') :][:1500]
    assert "<svg" in presenter and "สวนสาธารณะ" in presenter, stage
    bad = {**base_form(client.get(f"/j/{code}"), cloud["id"]), "word-1": "ครับ"}
    assert "no word left" in text(client.post(f"/j/{code}/vote", data=bad, follow_redirects=True))


def test_qa_by_plain_forms(client, api, room):
    code = room["code"]
    qa = api.activity(code, kind="qa", prompt="ถามวิทยากร")
    api.open(code, qa["id"])
    join_by_form(client, code)
    page = client.get(f"/j/{code}")
    data = {**base_form(page, qa["id"]), "text": "เริ่มเมื่อไหร่"}
    response = client.post(f"/j/{code}/statements", data=data, follow_redirects=True)
    html = text(response)
    question = int(re.search(r'name="upvote" value="(\d+):1"', html).group(1))
    vote = {**base_form(response, qa["id"]), "upvote": f"{question}:1"}
    html = text(client.post(f"/j/{code}/vote", data=vote, follow_redirects=True))
    assert f'value="{question}:0"' in html and 'aria-pressed="true"' in html
    results = api.get(f"/workshops/{code}/results").json["activities"][-1]
    assert results["items"][0]["votes"] == 1
    # The control panel marks it current; the projector highlights it.
    login(client)
    panel = client.get(f"/facilitator/w/{code}")
    assert "เริ่มเมื่อไหร่" in text(panel)
    client.post(
        f"/facilitator/w/{code}/activities/{qa['id']}/questions/{question}",
        data={"csrf_token": csrf(panel.data), "value": "current"},
    )
    presenter = text(client.get(f"/present/{code}"))
    assert 'class="is-current"' in presenter and "เริ่มเมื่อไหร่" in presenter


def test_map_by_plain_forms_and_panel_upload(client, api, room):
    code = room["code"]
    activity = api.activity(code, kind="map", prompt="ปักหมุด", max_pins=2)
    login(client)
    panel = client.get(f"/facilitator/w/{code}")
    response = client.post(
        f"/facilitator/w/{code}/activities/{activity['id']}/map-image",
        data={"csrf_token": csrf(panel.data), "image": (io.BytesIO(png()), "lampang.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    refused = client.post(
        f"/facilitator/w/{code}/activities/{activity['id']}/map-image",
        data={"csrf_token": csrf(panel.data), "image": (io.BytesIO(b"nope"), "x.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Map not saved" in text(refused) or "ยังไม่ได้บันทึกแผนที่" in text(refused)
    assert (
        client.post(
            f"/facilitator/w/{code}/activities/{activity['id']}/map-image",
            data={"image": (io.BytesIO(png()), "x.png")},
            content_type="multipart/form-data",
        ).status_code
        == 400
    )  # no CSRF token: refused, nothing stored
    api.open(code, activity["id"])
    client.post(
        "/facilitator/logout", data={"csrf_token": csrf(client.get(f"/facilitator/w/{code}").data)}
    )
    join_by_form(client, code, "academia")
    page = client.get(f"/j/{code}")
    html = text(page)
    assert 'type="image" name="at"' in html and 'width="320" height="240"' in html
    tap = {
        **base_form(page, activity["id"]),
        "category": "โอกาส",
        "note": "ริมน้ำ",
        "at.x": "160",
        "at.y": "60",
    }
    html = text(client.post(f"/j/{code}/vote", data=tap, follow_redirects=True))
    assert "ริมน้ำ" in html and "(50 %, 25 %)" in html
    pins = api.get(f"/workshops/{code}/activities/{activity['id']}/pins").json["pins"]
    assert [(p["x"], p["y"], p["category"], p["group"]) for p in pins] == [
        (0.5, 0.25, "โอกาส", "academia")
    ]
    second = {
        **base_form(client.get(f"/j/{code}"), activity["id"]),
        "category": "ปัญหา",
        "at.x": "0",
        "at.y": "0",
    }
    client.post(f"/j/{code}/vote", data=second)
    remove = {**base_form(client.get(f"/j/{code}"), activity["id"]), "remove": "0"}
    client.post(f"/j/{code}/vote", data=remove)
    pins = api.get(f"/workshops/{code}/activities/{activity['id']}/pins").json["pins"]
    assert [(p["x"], p["y"], p["category"]) for p in pins] == [(0.0, 0.0, "ปัญหา")]
    presenter = text(client.get(f"/present/{code}"))
    assert "/media/maps/" in presenter and "ปัญหา: 1" in presenter
