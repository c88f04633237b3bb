"""Attendee API: join, read the room, write statements, vote."""

from __future__ import annotations

from flask import jsonify

from .. import ratelimit
from ..auth import current_participant, join_token_matches
from ..caching import no_store
from ..extensions import db
from ..live import broadcast
from ..live.join_queue import join_queue
from ..live.vote_queue import commit_ballot
from ..services import snapshots
from ..services.errors import Forbidden
from ..services.participation import submit_statement
from ..services.workshops import get_workshop
from . import bp
from .schemas import ParticipantCreate, StatementCreate, VoteCast, parse_body


@bp.post("/workshops/<code>/participants")
def join(code: str):
    workshop = get_workshop(code)
    body = parse_body(ParticipantCreate)
    if body.assisted:
        return _join_assisted(workshop, body)
    if not (workshop.short_code_open or join_token_matches(workshop, body.join_token)):
        if body.join_token is not None:
            ratelimit.note_unknown_workshop()
        raise Forbidden(
            "this workshop's short code is closed: join with the QR code's link "
            "(send its t parameter as join_token)",
            "short_code_closed",
        )
    workshop_id = workshop.id
    joined = join_queue().join(workshop, body.group, body.name)  # committed (in a batch)
    no_store()  # the answer carries the participant token
    broadcast.request_presence(workshop_id)
    return jsonify(
        {"token": joined.token, "participant_id": joined.participant_id, "group": joined.group}
    ), 201


def _join_assisted(workshop, body: ParticipantCreate):
    """A helper registers an attendee without a phone (workshop/channels/helpers.py)."""
    from ..auth import bearer_token
    from ..channels.helpers import register_assisted

    participant, token = register_assisted(workshop, bearer_token(), body.group, body.name)
    db.session.commit()
    no_store()
    broadcast.request_presence(workshop.id)
    return jsonify(
        {
            "token": token,
            "participant_id": participant.id,
            "group": participant.group,
            "assisted": True,
        }
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
        broadcast.announce_statement(outcome.statement)
    return jsonify(snapshots.statement_dict(outcome.statement)), 201 if outcome.created else 200


@bp.post("/workshops/<code>/votes")
def votes(code: str):
    workshop = get_workshop(code)
    participant = current_participant(workshop)
    body = parse_body(VoteCast)
    outcome = commit_ballot(participant, body.payload())
    if outcome.changed:
        broadcast.request_tally(workshop.id)
    return jsonify(snapshots.outcome_ballot_dict(outcome))
