"""Agenda editing over the API: edit, delete, reorder activities. Parse, change, commit once."""

from __future__ import annotations

from flask import jsonify

from ..api import bp
from ..api.schemas import ActivityOrder, ActivityUpdate, parse_body
from ..auth import require_facilitator
from ..extensions import db
from ..live import broadcast
from ..services import snapshots
from ..services.errors import Invalid
from ..services.workshops import get_activity, get_owned_workshop
from . import agenda


def update_from_body(activity, facilitator, body: ActivityUpdate) -> None:
    """Apply an ``ActivityUpdate`` (shared by the API and the panel's form)."""
    given = body.model_fields_set
    if not given & {"prompt", "prompt_translations", "minutes", "online_until", "georef"}:
        raise Invalid(
            "give prompt, prompt_translations, minutes, online_until or georef",
            "nothing_to_change",
        )
    if "georef" in given:  # a map's corners (workshop/kinds/settings.py)
        from ..kinds.settings import set_georef

        set_georef(activity, body.georef, facilitator)
    if "online_until" in given:  # the online window (workshop/channels/window.py)
        from ..channels import window

        window.set_online_until(activity, body.online_until, facilitator)
    if not given & {"prompt", "prompt_translations", "minutes"}:
        return
    if "prompt" in given and body.prompt is None:
        raise Invalid("an activity needs a prompt", "invalid_prompt")
    changes: dict = {}
    if body.prompt is not None:
        changes["prompt"] = body.prompt
    if body.prompt_translations is not None and "en" in body.prompt_translations:
        changes["prompt_en"] = body.prompt_translations["en"]
    elif "prompt_translations" in given:
        changes["prompt_en"] = None
    if "minutes" in given:
        changes["minutes"] = body.minutes
    agenda.edit_activity(activity, facilitator, **changes)


@bp.patch("/workshops/<code>/activities/<activity_id>")
def edit_activity(code: str, activity_id: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    activity = get_activity(workshop, activity_id)
    update_from_body(activity, facilitator, parse_body(ActivityUpdate))
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(snapshots.activity_dict(activity))


@bp.delete("/workshops/<code>/activities/<activity_id>")
def delete_activity(code: str, activity_id: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    agenda.delete_activity(get_activity(workshop, activity_id), facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)
    return "", 204


@bp.put("/workshops/<code>/activities/order")
def reorder_activities(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    agenda.reorder(workshop, parse_body(ActivityOrder).order, facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify({"activities": [snapshots.activity_dict(a) for a in workshop.activities]})
