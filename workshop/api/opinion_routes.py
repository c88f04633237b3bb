"""A phone's own place on the opinion map, and the facilitator's switch that allows it."""

from __future__ import annotations

from flask import jsonify

from ..auth import current_participant, require_facilitator
from ..extensions import db
from ..live import broadcast
from ..services.opinions import allow_own_dot, own_place
from ..services.workshops import get_activity, get_owned_workshop, get_workshop
from . import bp
from .schemas import OwnDotsChange, parse_body


@bp.post("/workshops/<code>/activities/<activity_id>/opinions/own-dots")
def opinions_own_dots(code: str, activity_id: str):
    """The facilitator shows (or hides) each phone's own dot: ``{"allowed": bool}``."""
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = parse_body(OwnDotsChange)
    activity = allow_own_dot(get_activity(workshop, activity_id), body.allowed, facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)  # phones show (or drop) the "where am I?" panel
    return jsonify({"activity_id": activity.id, "allowed": activity.opinion_own_dot})


@bp.get("/workshops/<code>/activities/<activity_id>/opinions/mine")
def opinions_mine(code: str, activity_id: str):
    """The calling phone's dot (participant token): 403 until the facilitator allows it."""
    workshop = get_workshop(code)
    participant = current_participant(workshop)
    return jsonify(own_place(get_activity(workshop, activity_id), participant))
