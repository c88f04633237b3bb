"""API routes: thin edges that parse, call a service, commit once, then broadcast."""

from __future__ import annotations

from flask import jsonify

from .. import broadcast
from ..auth import current_participant, require_facilitator
from ..extensions import db
from ..services import snapshots
from ..services.participation import join_workshop, submit_statement
from ..services.workshops import (
    ActivitySpec,
    add_activity,
    create_workshop,
    get_activity,
    get_owned_workshop,
    get_workshop,
    reveal_results,
    set_activity_state,
    set_consensus_rules,
)
from ..tallies import commit_ballot
from . import bp
from .openapi import openapi_document
from .schemas import (
    ActivityCreate,
    ActivityReveal,
    ActivityState,
    ParticipantCreate,
    StatementCreate,
    VoteCast,
    WorkshopCreate,
    WorkshopUpdate,
    parse_body,
)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/workshops")
def list_workshops():
    facilitator = require_facilitator()
    from sqlalchemy import select

    from ..models import Workshop

    workshops = db.session.scalars(
        select(Workshop)
        .where(Workshop.facilitator_id == facilitator.id)
        .order_by(Workshop.id.desc())
    )
    return jsonify({"workshops": [snapshots.workshop_dict(w) for w in workshops]})


@bp.post("/workshops")
def create():
    facilitator = require_facilitator()
    body = parse_body(WorkshopCreate)
    workshop = create_workshop(facilitator, body.title, body.city, body.groups, body.date)
    if body.consensus:
        set_consensus_rules(workshop, body.consensus.threshold, body.consensus.min_group_members)
    db.session.commit()
    return jsonify(snapshots.workshop_detail(workshop)), 201


@bp.get("/workshops/<code>")
def show(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    return jsonify(snapshots.workshop_detail(workshop))


@bp.patch("/workshops/<code>")
def update(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    body = parse_body(WorkshopUpdate)
    if body.consensus:
        set_consensus_rules(workshop, body.consensus.threshold, body.consensus.min_group_members)
    db.session.commit()
    broadcast.request_tally(workshop.id)
    return jsonify(snapshots.workshop_detail(workshop))


@bp.post("/workshops/<code>/activities")
def create_activity(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    body = parse_body(ActivityCreate)
    activity = add_activity(workshop, ActivitySpec(**body.model_dump()))
    db.session.commit()
    return jsonify(snapshots.activity_dict(activity)), 201


@bp.post("/workshops/<code>/activities/<activity_id>/state")
def change_state(code: str, activity_id: str):
    workshop = get_owned_workshop(code, require_facilitator())
    activity = get_activity(workshop, activity_id)
    body = parse_body(ActivityState)
    set_activity_state(workshop, activity, body.state)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(snapshots.activity_dict(activity))


@bp.post("/workshops/<code>/activities/<activity_id>/reveal")
def reveal(code: str, activity_id: str):
    workshop = get_owned_workshop(code, require_facilitator())
    activity = get_activity(workshop, activity_id)
    body = parse_body(ActivityReveal)
    reveal_results(activity, body.revealed)
    db.session.commit()
    broadcast.emit_state(workshop)
    return jsonify(snapshots.activity_dict(activity))


@bp.get("/workshops/<code>/results")
def results(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    return jsonify(snapshots.workshop_results(workshop))


@bp.post("/workshops/<code>/participants")
def join(code: str):
    workshop = get_workshop(code)
    body = parse_body(ParticipantCreate)
    participant, token = join_workshop(workshop, body.group, body.name)
    db.session.commit()
    broadcast.request_presence(workshop.id)
    return jsonify(
        {"token": token, "participant_id": participant.id, "group": participant.group}
    ), 201


@bp.get("/workshops/<code>/state")
def state(code: str):
    workshop = get_workshop(code)
    participant = current_participant(workshop)
    return jsonify(snapshots.participant_state(workshop, participant))


@bp.post("/workshops/<code>/statements")
def statements(code: str):
    workshop = get_workshop(code)
    participant = current_participant(workshop)
    body = parse_body(StatementCreate)
    outcome = submit_statement(participant, body.activity_id, body.text, body.client_id)
    db.session.commit()
    if outcome.created:
        broadcast.emit_statement(outcome.statement)
    return jsonify(snapshots.statement_dict(outcome.statement)), 201 if outcome.created else 200


@bp.post("/workshops/<code>/votes")
def votes(code: str):
    workshop = get_workshop(code)
    participant = current_participant(workshop)
    body = parse_body(VoteCast)
    outcome = commit_ballot(participant, body.payload())
    if outcome.changed:
        broadcast.request_tally(workshop.id)
    return jsonify(snapshots.ballot_dict(outcome.ballot, outcome.activity.kind))
