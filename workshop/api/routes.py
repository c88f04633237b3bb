"""Facilitator API: workshops, activities, the run of show, results.

Thin edges: parse, call a service, commit once, then broadcast.
"""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import or_, select

from ..agenda import TemplateError, apply_template, load_template
from ..auth import require_facilitator
from ..extensions import db
from ..live import broadcast, realtime
from ..models import CoFacilitator, Workshop
from ..planning import carry
from ..services import audit, control, snapshots
from ..services.errors import Invalid, NotFound
from ..services.moderation import set_premoderation
from ..services.opinions import opinions_payload
from ..services.workshops import (
    ActivitySpec,
    add_activity,
    add_cofacilitator,
    create_workshop,
    get_activity,
    get_owned_workshop,
    remove_cofacilitator,
    set_consensus_rules,
    set_short_code_open,
)
from . import bp
from .openapi import openapi_document
from .schemas import (
    ActivityCreate,
    ActivityLock,
    ActivityProjector,
    ActivityReveal,
    ActivityState,
    ActivityTimer,
    Advance,
    CoFacilitatorAdd,
    WorkshopCreate,
    WorkshopUpdate,
    parse_body,
    validate,
)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/server/stats")
def server_stats():
    """Counts of what this process holds (connections, rooms, queued votes...): no data."""
    from ..live.stats import server_stats as stats

    require_facilitator()
    return jsonify(stats())


@bp.get("/workshops")
def list_workshops():
    facilitator = require_facilitator()
    shared = select(CoFacilitator.workshop_id).where(CoFacilitator.facilitator_id == facilitator.id)
    workshops = db.session.scalars(
        select(Workshop)
        .where(or_(Workshop.facilitator_id == facilitator.id, Workshop.id.in_(shared)))
        .order_by(Workshop.id.desc())
    )
    return jsonify({"workshops": [snapshots.workshop_dict(w) for w in workshops]})


@bp.post("/workshops")
def create():
    workshop = create_workshop_from_body(require_facilitator(), parse_body(WorkshopCreate))
    db.session.commit()
    return jsonify(snapshots.workshop_detail(workshop)), 201


def create_workshop_from_body(facilitator, body: WorkshopCreate | dict) -> Workshop:
    """A new workshop from the body of ``POST /workshops`` (flushed, not committed)."""
    if isinstance(body, dict):
        body = validate(WorkshopCreate, body)
    template = None
    if body.template is not None:
        try:
            template = load_template(body.template)
        except FileNotFoundError:
            raise NotFound(
                f"no agenda template named '{body.template}'", "template_not_found"
            ) from None
        except TemplateError as error:
            raise Invalid(str(error), "invalid_template") from None
    title = body.title if body.title is not None else (template.title if template else "")
    workshop = create_workshop(facilitator, title, body.city, body.groups, body.date)
    if body.consensus:
        set_consensus_rules(workshop, body.consensus.threshold, body.consensus.min_group_members)
    if body.premoderation is not None:
        set_premoderation(workshop, body.premoderation, facilitator)
    room_defaults(workshop, body, facilitator)
    if template is not None:
        apply_template(workshop, template)
    return workshop


def room_defaults(workshop: Workshop, body, facilitator) -> None:
    """``results_hidden_by_default`` and ``moderation`` of a create or update body."""
    from ..channels.defaults import set_moderation, set_results_hidden

    if body.results_hidden_by_default is not None:
        set_results_hidden(workshop, body.results_hidden_by_default, facilitator)
    if body.moderation is not None:
        set_moderation(workshop, body.moderation, facilitator)


@bp.get("/workshops/<code>")
def show(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    return jsonify(snapshots.workshop_detail(workshop))


@bp.patch("/workshops/<code>")
def update(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = parse_body(WorkshopUpdate)
    if body.consensus:
        set_consensus_rules(workshop, body.consensus.threshold, body.consensus.min_group_members)
    if body.premoderation is not None:
        set_premoderation(workshop, body.premoderation, facilitator)
    if body.short_code_open is not None:
        set_short_code_open(workshop, body.short_code_open, facilitator)
    room_defaults(workshop, body, facilitator)
    db.session.commit()
    broadcast.request_tally(workshop.id)
    return jsonify(snapshots.workshop_detail(workshop))


@bp.post("/workshops/<code>/facilitators")
def invite(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = parse_body(CoFacilitatorAdd)
    added = add_cofacilitator(workshop, facilitator, body.email)
    db.session.commit()
    return jsonify({"email": added.email}), 201


@bp.delete("/workshops/<code>/facilitators/<email>")
def uninvite(code: str, email: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    removed = remove_cofacilitator(workshop, facilitator, email)
    db.session.commit()
    # Their live panels of this workshop close now; HTTP refuses them from the next call.
    realtime.disconnect_from_workshop(removed.id, workshop.id)
    return "", 204


@bp.post("/workshops/<code>/activities")
def create_activity(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = parse_body(ActivityCreate)
    spec = body.model_dump(exclude={"source"})
    if body.source is not None:
        carry.check_source(body.kind, body.source)
        if body.source_activity_id is not None:
            raise Invalid("give source or source_activity_id, not both", "invalid_source")
        spec["carried"] = True
    activity = add_activity(workshop, ActivitySpec(**spec))
    if body.source is not None:
        carry.fill(activity, facilitator, body.source)
    audit.record(workshop, facilitator, "add_activity", "activity", activity.id, kind=activity.kind)
    db.session.commit()
    return jsonify(snapshots.activity_dict(activity)), 201


def _activity_change(code: str, activity_id: str, schema, change):
    """Shared edge of the activity controls: check, change, commit, send the new state."""
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    activity = get_activity(workshop, activity_id)
    body = parse_body(schema)
    change(workshop, activity, body, facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(snapshots.activity_dict(activity))


@bp.post("/workshops/<code>/activities/<activity_id>/state")
def change_state(code: str, activity_id: str):
    return _activity_change(
        code,
        activity_id,
        ActivityState,
        lambda w, a, body, who: control.set_activity_state(w, a, body.state, who),
    )


@bp.post("/workshops/<code>/activities/<activity_id>/reveal")
def reveal(code: str, activity_id: str):
    return _activity_change(
        code,
        activity_id,
        ActivityReveal,
        lambda w, a, body, who: control.reveal_results(a, body.revealed, who),
    )


@bp.post("/workshops/<code>/activities/<activity_id>/projector")
def projector(code: str, activity_id: str):
    return _activity_change(
        code,
        activity_id,
        ActivityProjector,
        lambda w, a, body, who: control.show_on_projector(a, body.show_results, who),
    )


@bp.post("/workshops/<code>/activities/<activity_id>/lock")
def lock(code: str, activity_id: str):
    return _activity_change(
        code, activity_id, ActivityLock, lambda w, a, body, who: control.lock(a, body.locked, who)
    )


@bp.post("/workshops/<code>/activities/<activity_id>/timer")
def timer(code: str, activity_id: str):
    return _activity_change(
        code,
        activity_id,
        ActivityTimer,
        lambda w, a, body, who: control.set_timer(a, body.seconds, who),
    )


@bp.post("/workshops/<code>/advance")
def advance(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    body = parse_body(Advance)
    activity = control.advance(workshop, body.direction, facilitator)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(snapshots.activity_dict(activity))


@bp.get("/workshops/<code>/results")
def results(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    return jsonify(snapshots.workshop_results(workshop))


@bp.get("/workshops/<code>/activities/<activity_id>/opinions")
def opinions(code: str, activity_id: str):
    workshop = get_owned_workshop(code, require_facilitator())
    activity = get_activity(workshop, activity_id)
    return jsonify(opinions_payload(activity))


@bp.get("/workshops/<code>/audit")
def audit_log(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    return jsonify({"entries": audit.entries(workshop)})
