"""A map's georeference in the control panel (add and edit forms, no JavaScript) and the
API's PATCH: set, changed, removed; bad corners refused, nothing changed."""

from __future__ import annotations

from tests.test_pages import login, text
from tests.test_panel_forms import PARTS, panel_token

CORNERS = {
    "georef_north": "18.30",
    "georef_west": "99.48",
    "georef_south": "18.26",
    "georef_east": "99.53",
}
GEOREF = {"top_left": {"lat": 18.3, "lon": 99.48}, "bottom_right": {"lat": 18.26, "lon": 99.53}}


def activity(api, code: str, ident: int) -> dict:
    return next(a for a in api.get(f"/workshops/{code}").json["activities"] if a["id"] == ident)


def test_the_add_form_offers_and_takes_the_georeference(client, api, room):
    login(client)
    code = room["code"]
    page = text(client.get(f"/facilitator/w/{code}?lang=th"))
    assert "พิกัดอ้างอิง (ไม่บังคับ)" in page and 'name="georef_north"' in page
    token = panel_token(client, code)
    base = {"csrf_token": token, "kind": "map", "prompt": "ปักหมุด"}
    added = client.post(f"/facilitator/w/{code}/activities", data={**base, **CORNERS})
    assert added.status_code == 302
    made = api.get(f"/workshops/{code}").json["activities"][-1]
    assert made["kind"] == "map" and made["georef"] == GEOREF
    plain = client.post(f"/facilitator/w/{code}/activities", data=base)
    assert plain.status_code == 302
    assert api.get(f"/workshops/{code}").json["activities"][-1]["georef"] is None
    # A brainstorm ignores the map's fields.
    other = {**base, "kind": "brainstorm", **CORNERS}
    assert client.post(f"/facilitator/w/{code}/activities", data=other).status_code == 302
    assert api.get(f"/workshops/{code}").json["activities"][-1]["kind"] == "brainstorm"


def test_bad_corners_in_the_add_form_are_refused_in_thai(client, api, room):
    login(client)
    code = room["code"]
    token = panel_token(client, code)
    before = api.get(f"/workshops/{code}").json["activities"]
    for corners in (
        {**CORNERS, "georef_east": ""},  # three of four
        {**CORNERS, "georef_south": "18.40"},  # bottom north of top
        {**CORNERS, "georef_north": "95"},  # not a latitude
        {**CORNERS, "georef_west": "abc"},
    ):
        response = client.post(
            f"/facilitator/w/{code}/activities?lang=th",
            data={"csrf_token": token, "kind": "map", "prompt": "ปักหมุด", **corners},
            headers=PARTS,
        )
        assert response.status_code == 422, corners
        assert response.json["ok"] is False and response.json["error"]["message"]
    assert api.get(f"/workshops/{code}").json["activities"] == before
    partial = client.post(
        f"/facilitator/w/{code}/activities?lang=th",
        data={"csrf_token": token, "kind": "map", "prompt": "ปักหมุด", "georef_north": "18.3"},
        headers=PARTS,
    )
    assert "ขอบทั้งสี่ด้าน" in partial.json["error"]["message"]


def test_the_edit_form_sets_changes_and_removes_it(client, api, room):
    login(client)
    code = room["code"]
    ident = api.activity(code, kind="map", prompt="ปักหมุด")["id"]
    token = panel_token(client, code)
    page = text(client.get(f"/facilitator/w/{code}"))
    assert f'id="georef_north-{ident}"' in page
    assert f'id="georef_north-{room["brainstorm"]}"' not in page  # maps only
    url = f"/facilitator/w/{code}/activities/{ident}/edit"
    form = {"csrf_token": token, "prompt": "ปักหมุด", "minutes": ""}
    assert client.post(url, data={**form, **CORNERS}).status_code == 302
    assert activity(api, code, ident)["georef"] == GEOREF
    page = text(client.get(f"/facilitator/w/{code}"))
    assert f'id="georef_north-{ident}" name="georef_north"' in page and 'value="18.3"' in page
    refused = client.post(url, data={**form, **CORNERS, "georef_west": "99.60"}, headers=PARTS)
    assert refused.status_code == 422  # left edge east of the right one
    assert activity(api, code, ident)["georef"] == GEOREF
    assert client.post(url, data=form).status_code == 302  # all four empty: removed
    assert activity(api, code, ident)["georef"] is None
    audit = api.get(f"/workshops/{code}/audit").json
    entries = audit.get("entries", audit) if isinstance(audit, dict) else audit
    assert sum(1 for e in entries if "georef" in str(e.get("detail", e))) >= 2


def test_the_api_patches_a_maps_georeference(api, room):
    code = room["code"]
    ident = api.activity(code, kind="map", prompt="ปักหมุด")["id"]
    path = f"/api/v1/workshops/{code}/activities/{ident}"
    set_ = api.client.patch(path, json={"georef": GEOREF}, headers=api.headers())
    assert set_.status_code == 200 and set_.json["georef"] == GEOREF
    bad = api.client.patch(
        path, json={"georef": {"top_left": GEOREF["top_left"]}}, headers=api.headers()
    )
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_georef"
    other = api.client.patch(
        f"/api/v1/workshops/{code}/activities/{room['brainstorm']}",
        json={"georef": GEOREF},
        headers=api.headers(),
    )
    assert other.status_code == 422 and other.json["error"]["code"] == "invalid_activity"
    assert activity(api, code, ident)["georef"] == GEOREF
    removed = api.client.patch(path, json={"georef": None}, headers=api.headers())
    assert removed.status_code == 200 and removed.json["georef"] is None
