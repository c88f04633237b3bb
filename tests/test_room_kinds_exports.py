"""Word cloud, Q&A and map activities in every export format (and the JSON report)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from workshop.exports import FORMATS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def filled(api, room, app, tmp_path):
    app.config["MAP_IMAGE_DIR"] = str(tmp_path / "maps")
    code = room["code"]
    cloud = api.activity(code, kind="wordcloud", prompt="หนึ่งคำ")
    qa = api.activity(code, kind="qa", prompt="ถาม")
    pins = api.activity(code, kind="map", prompt="ปักหมุด")
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20)).save(buffer, "PNG")
    api.client.post(
        f"/api/v1/workshops/{code}/activities/{pins['id']}/image",
        data={"file": (io.BytesIO(buffer.getvalue()), "m.png")},
        headers=api.headers(),
        content_type="multipart/form-data",
    )
    token = api.join(code, "academia")

    def vote(activity_id, client_id, **fields):
        response = api.post(
            f"/workshops/{code}/votes",
            {"activity_id": activity_id, "client_id": client_id, **fields},
            token=token,
        )
        assert response.status_code == 200, response.json

    api.open(code, cloud["id"])
    vote(cloud["id"], "w", words=["ตลาดน้ำ"])
    api.open(code, qa["id"])
    question = api.statement(code, token, qa["id"], "งบมาจากไหน", "q").json["id"]
    vote(qa["id"], "u", statement_id=question, value=1)
    api.open(code, pins["id"])
    vote(pins["id"], "p", pins=[{"x": 0.5, "y": 0.5, "category": "โอกาส", "note": "ริมน้ำ"}])
    return code


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_new_kinds(api, filled, fmt):
    response = api.get(f"/workshops/{filled}/export?format={fmt}")
    assert response.status_code == 200
    if fmt in ("csv", "json", "md", "html"):
        body = response.get_data(as_text=True)
        for text in ("ตลาดน้ำ", "งบมาจากไหน", "โอกาส"):
            assert text in body, (fmt, text)
    if fmt == "json":
        report = json.loads(response.data)
        schema = json.loads((ROOT / "docs" / "export-schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(report, schema)
        by_kind = {a["kind"]: a for a in report["activities"]}
        assert by_kind["wordcloud"]["items"][0]["count"] == 1
        assert by_kind["qa"]["items"][0]["votes"] == 1
        assert by_kind["qa"]["items"][0]["qa_state"] == "open"
        assert by_kind["map"]["pins"][0]["note"] == "ริมน้ำ"
        assert by_kind["map"]["by_group"]["academia"]["โอกาส"] == 1
