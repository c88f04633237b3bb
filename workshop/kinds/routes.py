"""HTTP edges of the word cloud, Q&A and map kinds: the map image (upload and serving),
hiding a word or a pin, the facilitator's lists of words and pins. Thin: parse, call a
service, commit once, broadcast."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, send_from_directory
from sqlalchemy import select

from ..api import bp as api_bp
from ..api.schemas import HiddenPatch, parse_body
from ..auth import require_facilitator
from ..extensions import db
from ..live import broadcast
from ..models import Activity, CloudWord, MapPin
from ..services import audit
from ..services.errors import Invalid, NotFound
from ..services.workshops import get_activity, get_owned_workshop
from .images import MAX_BYTES, image_dir, store_map_image
from .results import image_url, stored_pins

bp = Blueprint("room_kinds", __name__)


def _activity(code: str, activity_id: str, kind: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    activity = get_activity(workshop, activity_id)
    if activity.kind != kind:
        raise Invalid(f"this activity is a {activity.kind}, not a {kind}", "wrong_kind")
    return workshop, activity, facilitator


@api_bp.post("/workshops/<code>/activities/<activity_id>/image")
def upload_map_image(code: str, activity_id: str):
    workshop, activity, facilitator = _activity(code, activity_id, "map")
    request.max_content_length = MAX_BYTES + 2 * 1024 * 1024  # multipart around 10 MB
    files = [f for f in request.files.values() if f.filename or f.content_length]
    if len(files) != 1:
        raise Invalid("send one image file (multipart/form-data)", "invalid_image")
    data = files[0].read(MAX_BYTES + 1)
    image = store_map_image(activity, data, facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(
        {"image_url": image_url(activity), "width": image["width"], "height": image["height"]}
    ), 201


@bp.get("/media/maps/<int:activity_id>/<name>")
def map_image(activity_id: int, name: str):
    """The current image of a map activity (names are random: an old one is not served)."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or not activity.map_image or activity.map_image["file"] != name:
        abort(404)
    response = send_from_directory(image_dir(), name, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@api_bp.get("/workshops/<code>/activities/<activity_id>/words")
def list_words(code: str, activity_id: str):
    """Every word of a word cloud with its count and whether it is hidden."""
    from ..live.tallies import load_tally

    _, activity, _ = _activity(code, activity_id, "wordcloud")
    tally = load_tally(activity.id)
    words = db.session.scalars(
        select(CloudWord).where(CloudWord.activity_id == activity.id).order_by(CloudWord.text)
    )
    return jsonify(
        {
            "words": [
                {
                    "word_key": w.key,
                    "word": w.text,
                    "hidden": w.hidden,
                    "count": sum(sum(h.values()) for h in tally.counts.get(w.key, {}).values()),
                }
                for w in words
            ]
        }
    )


@api_bp.patch("/workshops/<code>/activities/<activity_id>/words/<word_key>")
def hide_word(code: str, activity_id: str, word_key: str):
    workshop, activity, facilitator = _activity(code, activity_id, "wordcloud")
    body = parse_body(HiddenPatch)
    word = db.session.scalar(
        select(CloudWord).where(
            CloudWord.activity_id == activity.id,
            CloudWord.key == (int(word_key) if word_key.isdigit() else -1),
        )
    )
    if word is None:
        raise NotFound("no such word in this word cloud", "word_not_found")
    word.hidden = body.hidden
    audit.record(
        workshop,
        facilitator,
        "hide_word" if body.hidden else "show_word",
        "activity",
        activity.id,
        word=word.text,
        word_key=word.key,
    )
    db.session.commit()
    broadcast.request_tally(workshop.id)
    return jsonify({"word_key": word.key, "word": word.text, "hidden": word.hidden})


@api_bp.get("/workshops/<code>/activities/<activity_id>/pins")
def list_pins(code: str, activity_id: str):
    """Every pin of a map activity, hidden ones too, with note, group and lat/lon."""
    _, activity, _ = _activity(code, activity_id, "map")
    return jsonify({"pins": stored_pins(activity, include_hidden=True)})


@api_bp.patch("/workshops/<code>/activities/<activity_id>/pins/<pin_id>")
def hide_pin(code: str, activity_id: str, pin_id: str):
    workshop, activity, facilitator = _activity(code, activity_id, "map")
    body = parse_body(HiddenPatch)
    pin = db.session.get(MapPin, int(pin_id)) if pin_id.isdigit() else None
    if pin is None or pin.activity_id != activity.id:
        raise NotFound("no such pin on this map", "pin_not_found")
    pin.hidden = body.hidden
    audit.record(
        workshop,
        facilitator,
        "hide_pin" if body.hidden else "show_pin",
        "map_pin",
        pin.id,
        activity_id=activity.id,
        category=pin.category,
    )
    db.session.commit()
    broadcast.request_tally(workshop.id)
    return jsonify({"id": pin.id, "hidden": pin.hidden})
