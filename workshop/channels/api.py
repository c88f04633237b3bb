"""JSON API of the channels: paper ballots, sticker counts, helpers, the online window.

Thin edges: parse, call a service (which commits once, under the tally lock), broadcast.
"""

from __future__ import annotations

from flask import jsonify, request

from ..api import bp
from ..auth import require_facilitator
from ..caching import no_store
from ..extensions import db
from ..live import broadcast
from ..services import snapshots
from ..services.errors import BadRequest
from ..services.workshops import get_owned_workshop
from . import aggregate, helpers, paper


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("send a JSON object", "invalid_json")
    return body


@bp.post("/workshops/<code>/paper-ballots")
def key_paper_ballot(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    keyed = paper.key_ballot(workshop, _body())
    broadcast.request_tally(workshop.id)
    activity = paper.vote_activity(workshop, keyed.activity_id)
    return jsonify(_keyed_dict(keyed, activity)), 201


@bp.get("/workshops/<code>/paper-ballots")
def list_paper_ballots(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    activity = paper.vote_activity(workshop, request.args.get("activity_id"))
    ballots = paper.keyed_ballots(activity)
    return jsonify({"activity_id": activity.id, "count": len(ballots), "ballots": ballots})


@bp.delete("/workshops/<code>/paper-ballots/<ballot_code>")
def undo_paper_ballot(code: str, ballot_code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    keyed = paper.undo_ballot(workshop, request.args.get("activity_id"), ballot_code)
    broadcast.request_tally(workshop.id)
    activity = paper.vote_activity(workshop, keyed.activity_id)
    return jsonify(_keyed_dict(keyed, activity))


def _keyed_dict(keyed: paper.Keyed, activity) -> dict:
    return {
        "activity_id": keyed.activity_id,
        "ballot_code": keyed.code,
        "group": keyed.group,
        "channel": "paper",
        "ballot": snapshots._ballot_shape(activity.id, activity.kind, "", None, keyed.entries),
        "count": len(paper.keyed_ballots(activity)),
    }


@bp.post("/workshops/<code>/paper-counts")
def add_paper_count(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    sheet = aggregate.add_sheet(workshop, facilitator, _body())
    broadcast.request_tally(workshop.id)
    return jsonify(
        {
            "id": sheet.id,
            "activity_id": sheet.activity_id,
            "group": sheet.group,
            "channel": "paper_aggregate",
            "counts": {str(k): v for k, v in sorted(_entries(sheet).items())},
        }
    ), 201


def _entries(sheet) -> dict[int, int]:
    from ..models import decode_entries

    return decode_entries(sheet.entries_json)


@bp.post("/workshops/<code>/helpers")
def create_helper(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = request.get_json(silent=True) or {}
    token = helpers.create_helper(workshop, facilitator, body.get("label"))
    db.session.commit()
    no_store()
    from flask import url_for

    from ..netinfo import public_base_url

    link = f"{public_base_url()}{url_for('channels.helper', code=workshop.code, h=token)}"
    return jsonify({"token": token, "helper_url": link}), 201


# PATCH /workshops/<code>/activities/<id> {"online_until"} is served by
# workshop/panel/api.py (one route for agenda edits and the window).
