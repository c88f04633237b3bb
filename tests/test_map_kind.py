"""Map activities: the uploaded image (checked, re-encoded, served), pins as ballots, hiding
a pin, results per category and group, the GeoJSON export."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.conftest import events

GEOREF = {"top_left": {"lat": 18.30, "lon": 99.48}, "bottom_right": {"lat": 18.26, "lon": 99.53}}


@pytest.fixture(autouse=True)
def image_folder(app, tmp_path):
    app.config["MAP_IMAGE_DIR"] = str(tmp_path / "maps")


def png(width=64, height=48, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buffer, "PNG", **save)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (13.0, 45.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(api, room, activity_id, data: bytes, name="map.png"):
    return api.client.post(
        f"/api/v1/workshops/{room['code']}/activities/{activity_id}/image",
        data={"file": (io.BytesIO(data), name)},
        headers=api.headers(),
        content_type="multipart/form-data",
    )


def new_map(api, room, **fields):
    activity = api.activity(room["code"], kind="map", prompt="Where?", **fields)
    return activity


def drop(api, room, token, activity_id, client_id, pins):
    return api.post(
        f"/workshops/{room['code']}/votes",
        {"activity_id": activity_id, "client_id": client_id, "pins": pins},
        token=token,
    )


def map_results(api, room, activity_id):
    results = api.get(f"/workshops/{room['code']}/results").json
    return next(a for a in results["activities"] if a["id"] == activity_id)


def test_upload_is_decoded_reencoded_and_served(api, room, client):
    activity = new_map(api, room)
    assert activity["max_pins"] == 3 and activity["categories"] == ["ปัญหา", "โอกาส", "โครงการ"]
    response = upload(api, room, activity["id"], jpeg_with_exif(), "map.jpg")
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (40, 30)
    served = client.get(response.json["image_url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"SecretCam" not in served.data
    assert not Image.open(io.BytesIO(served.data)).getexif()
    state = api.get(f"/workshops/{room['code']}").json
    shown = next(a for a in state["activities"] if a["id"] == activity["id"])
    assert shown["image"]["url"] == response.json["image_url"]
    # A new upload replaces it; the old address is no longer served.
    second = upload(api, room, activity["id"], png())
    assert second.status_code == 201 and client.get(response.json["image_url"]).status_code == 404


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a not really", "invalid_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "invalid_image"),
        (b"", "invalid_image"),
    ],
)
def test_not_an_image(api, room, data, code):
    activity = new_map(api, room)
    response = upload(api, room, activity["id"], data)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    assert api.get(f"/workshops/{room['code']}").json["activities"][-1]["image"] is None


def test_decompression_bomb_and_size(api, room):
    activity = new_map(api, room)
    bomb = png(9000, 9000, optimize=True)  # small file, 81 million pixels
    assert len(bomb) < 1024 * 1024
    response = upload(api, room, activity["id"], bomb)
    assert response.status_code == 422 and response.json["error"]["code"] == "image_too_big"
    big = upload(api, room, activity["id"], b"\x89PNG" + b"\0" * (10 * 1024 * 1024 + 10))
    assert big.status_code == 422 and big.json["error"]["code"] == "image_too_big"
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    response = upload(api, room, activity["id"], gif.getvalue())
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_image"


def test_only_the_facilitator_uploads(api, room):
    activity = new_map(api, room)
    token = api.join(room["code"])
    response = api.client.post(
        f"/api/v1/workshops/{room['code']}/activities/{activity['id']}/image",
        data={"file": (io.BytesIO(png()), "m.png")},
        headers=api.headers(token),
        content_type="multipart/form-data",
    )
    assert response.status_code in (401, 403)


def test_pins_replace_results_and_geojson(api, room, sio_client):
    activity = new_map(api, room, categories=["ปัญหา", "โอกาส"], max_pins=2, georef=GEOREF)
    upload(api, room, activity["id"], png())
    api.open(room["code"], activity["id"])
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    a = api.join(room["code"], "residents")
    b = api.join(room["code"], "academia")
    first = drop(
        api,
        room,
        a,
        activity["id"],
        "1",
        [
            {"x": 0.25, "y": 0.5, "category": "ปัญหา", "note": "น้ำท่วมทุกปี"},
            {"x": 1, "y": 0, "category": "โอกาส"},
        ],
    )
    assert first.status_code == 200
    assert first.json["pins"][0] == {"x": 0.25, "y": 0.5, "category": "ปัญหา", "note": "น้ำท่วมทุกปี"}
    drop(api, room, b, activity["id"], "1", [{"x": 0.25, "y": 0.5, "category": "ปัญหา"}])
    result = map_results(api, room, activity["id"])
    assert result["by_category"] == {"ปัญหา": 2, "โอกาส": 1}
    assert result["by_group"]["residents"] == {"ปัญหา": 1, "โอกาส": 1}
    assert result["by_group"]["academia"] == {"ปัญหา": 1, "โอกาส": 0}
    noted = next(p for p in result["pins"] if p["note"])
    assert noted["group"] == "residents" and noted["lat"] == pytest.approx(18.28)
    assert noted["lon"] == pytest.approx(99.4925)
    live = events(presenter, "tally")[-1]
    assert live["kind"] == "map" and sum(p["count"] for p in live["pins"]) == 3
    assert "น้ำท่วมทุกปี" not in str(live)  # notes stay with the facilitator
    # Moved: the ballot is replaced.
    drop(api, room, a, activity["id"], "2", [{"x": 0.9, "y": 0.9, "category": "โอกาส"}])
    assert map_results(api, room, activity["id"])["by_category"] == {"ปัญหา": 1, "โอกาส": 1}
    geo = api.get(f"/workshops/{room['code']}/export?format=geojson&activity={activity['id']}")
    assert geo.status_code == 200 and geo.mimetype == "application/geo+json"
    features = geo.json["features"]
    assert len(features) == 2 and features[0]["geometry"]["type"] == "Point"
    moved = next(f for f in features if f["properties"]["category"] == "โอกาส")
    lon, lat = moved["geometry"]["coordinates"]
    assert lat == pytest.approx(18.30 - 0.9 * 0.04) and lon == pytest.approx(99.48 + 0.9 * 0.05)
    bad = api.get(f"/workshops/{room['code']}/export?format=geojson&activity={room['brainstorm']}")
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("pins", "code"),
    [
        ([{"x": 1.5, "y": 0.5, "category": "ปัญหา"}], "pin_outside"),
        ([{"x": 0.5, "y": 0.5, "category": "อื่น ๆ"}], "unknown_category"),
        ([{"x": 0.1, "y": 0.1, "category": "ปัญหา"}] * 4, "too_many_pins"),
        ([{"x": 0.1, "y": 0.1, "category": "ปัญหา", "note": "n" * 281}], "note_too_long"),
        ({"x": 0.1}, "invalid_ballot"),
    ],
)
def test_broken_pins_store_nothing(api, room, pins, code):
    activity = new_map(api, room)
    api.open(room["code"], activity["id"])
    token = api.join(room["code"])
    ok = [{"x": 0.5, "y": 0.5, "category": "โอกาส"}]
    assert drop(api, room, token, activity["id"], "ok", ok).status_code == 200
    response = drop(api, room, token, activity["id"], "bad", pins)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert state["my_ballot"]["pins"] == [{**ok[0], "note": None}]


def test_hide_pin_is_audited(api, room):
    activity = new_map(api, room)
    api.open(room["code"], activity["id"])
    token = api.join(room["code"])
    drop(
        api,
        room,
        token,
        activity["id"],
        "1",
        [{"x": 0.5, "y": 0.5, "category": "ปัญหา", "note": "spam"}],
    )
    pins = api.get(f"/workshops/{room['code']}/activities/{activity['id']}/pins").json["pins"]
    response = api.client.patch(
        f"/api/v1/workshops/{room['code']}/activities/{activity['id']}/pins/{pins[0]['id']}",
        json={"hidden": True},
        headers=api.headers(),
    )
    assert response.status_code == 200
    result = map_results(api, room, activity["id"])
    assert result["pins"] == [] and result["by_category"]["ปัญหา"] == 0
    assert api.get(f"/workshops/{room['code']}/audit").json["entries"][-1]["action"] == "hide_pin"
    # The same pin resent stays hidden; a moved one is shown again.
    drop(
        api,
        room,
        token,
        activity["id"],
        "2",
        [{"x": 0.5, "y": 0.5, "category": "ปัญหา", "note": "spam"}],
    )
    assert map_results(api, room, activity["id"])["pins"] == []
    drop(api, room, token, activity["id"], "3", [{"x": 0.6, "y": 0.5, "category": "ปัญหา"}])
    assert len(map_results(api, room, activity["id"])["pins"]) == 1


def test_map_fields_are_checked(api, room):
    for fields, code in [
        ({"categories": []}, "invalid_categories"),
        ({"categories": ["a", "a"]}, "invalid_categories"),
        ({"max_pins": 0}, "invalid_max_pins"),
        ({"georef": {"top_left": {"lat": 1, "lon": 2}}}, "invalid_georef"),
        ({"max_words": 3}, "invalid_activity"),
    ]:
        response = api.post(
            f"/workshops/{room['code']}/activities", {"kind": "map", "prompt": "x", **fields}
        )
        assert response.status_code == 422 and response.json["error"]["code"] == code
