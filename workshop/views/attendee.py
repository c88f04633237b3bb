"""Attendee pages: join by code, pick a group, write statements, place dots.

Every page works as a plain HTML form; ``static/js/attendee.js`` upgrades it
to live updates and socket writes when JavaScript runs.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from .. import ratelimit
from ..auth import (
    grant_join,
    join_token_matches,
    may_join,
    optional_participant,
    remember_participant,
)
from ..extensions import db
from ..forms import JoinForm, StatementForm, VoteForm
from ..groups import group_label
from ..kinds import ROOM_KINDS
from ..kinds.forms import form_fields
from ..live import broadcast
from ..live.join_queue import join_queue
from ..live.vote_queue import commit_ballot
from ..models import Participant, Workshop
from ..models.core import PRIORITY_KINDS
from ..priorities import forms as priority_forms
from ..services import snapshots
from ..services.errors import NotFound, RateLimited, ServiceError
from ..services.participation import submit_statement
from ..services.workshops import get_workshop, normalise_code

bp = Blueprint("attendee", __name__)


@bp.route("/", methods=["GET"])
def home():
    return redirect(url_for("attendee.enter_code"))


@bp.route("/j", methods=["GET", "POST"])
def enter_code():
    code = request.values.get("code", "")
    error = None
    status = 200
    if code:
        try:
            workshop = get_workshop(code)
        except NotFound:
            error = _(
                "No workshop has the code %(code)s. Check the code on the screen.",
                code=normalise_code(code)[:32],
            )
            status = 404
        except RateLimited:
            error = _(
                "Too many wrong codes were typed on this network. "
                "Wait a minute, then check the code on the screen."
            )
            status = 429
        else:
            return redirect(url_for("attendee.join", code=workshop.code))
    return render_template("attendee/enter_code.html", error=error, code=code), status


def _join_form(workshop: Workshop) -> JoinForm:
    form = JoinForm()
    form.group.choices = [SelectChoice(g, group_label(g)) for g in workshop.groups]
    return form


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str):
    workshop = get_workshop(code)
    token = request.args.get("t")
    if token is not None:
        # The QR link: remember the token in the session, then drop it from the address bar.
        if join_token_matches(workshop, token):
            grant_join(workshop)
        else:
            ratelimit.note_unknown_workshop()
        return redirect(url_for("attendee.join", code=workshop.code))
    if code != workshop.code:
        return redirect(url_for("attendee.join", code=workshop.code))
    participant = optional_participant(workshop)
    if participant is not None:
        return _room(workshop, participant)
    if not may_join(workshop):
        message = _(
            "This workshop no longer takes its short code. "
            "Scan the QR code on the screen, or ask a facilitator."
        )
        return render_template("error.html", message=message, status=403), 403
    grant_join(workshop)  # a form on a phone still joins if the code closes meanwhile
    form = _join_form(workshop)
    if form.validate_on_submit():
        workshop_id, code = workshop.id, workshop.code
        try:
            joined = join_queue().join(workshop, form.group.data, form.name.data)
        except ServiceError as error:
            db.session.rollback()
            form.group.errors = [error.message]
        else:
            remember_participant(workshop, joined.token)
            broadcast.request_presence(workshop_id)
            return redirect(url_for("attendee.join", code=code))
    status = 422 if form.errors else 200
    return render_template("attendee/join.html", workshop=workshop, form=form), status


def _room(workshop: Workshop, participant: Participant, status: int = 200):
    state = snapshots.participant_state(workshop, participant)
    statement_form = StatementForm(formdata=None, client_id=secrets.token_hex(8))
    vote_form = VoteForm(formdata=None, client_id=secrets.token_hex(8))
    activity = state["current_activity"]
    if activity:
        statement_form.activity_id.data = activity["id"]
        vote_form.activity_id.data = activity["id"]
    current = workshop.current_activity
    # What a phone sees of a revealed vote, here for phones without JavaScript too.
    results = (
        broadcast.tally_payload(current)
        if broadcast.may_see_tally(current, "participant")
        else None
    )
    return render_template(
        "attendee/room.html",
        workshop=workshop,
        participant=participant,
        state=state,
        results=results,
        statement_form=statement_form,
        vote_form=vote_form,
    ), status


def _require_participant(workshop: Workshop) -> Participant | None:
    participant = optional_participant(workshop)
    if participant is None:
        flash(_("Choose your group to join first."), "error")
    return participant


@bp.post("/j/<code>/statements")
def submit(code: str):
    workshop = get_workshop(code)
    participant = _require_participant(workshop)
    if participant is None:
        return redirect(url_for("attendee.join", code=workshop.code))
    form = StatementForm()
    if not form.validate_on_submit():
        flash(_("Write something first."), "error")
        return redirect(url_for("attendee.join", code=workshop.code))
    try:
        outcome = submit_statement(
            participant, form.activity_id.data, form.text.data, form.client_id.data
        )
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_("Not sent: %(reason)s", reason=error.message), "error")
        return redirect(url_for("attendee.join", code=workshop.code))
    if outcome.created:
        broadcast.announce_statement(outcome.statement)
    flash(_("Sent. Thank you!"), "success")
    return redirect(url_for("attendee.join", code=workshop.code))


@bp.post("/j/<code>/vote")
def vote(code: str):
    workshop = get_workshop(code)
    participant = _require_participant(workshop)
    if participant is None:
        return redirect(url_for("attendee.join", code=workshop.code))
    form = VoteForm()
    if not form.validate_on_submit():
        flash(_("Your vote was not sent. Please try again."), "error")
        return redirect(url_for("attendee.join", code=workshop.code))
    activity = snapshots.phone_activity(workshop)
    kind = activity.kind if activity is not None else "dot_vote"
    payload = {
        "activity_id": form.activity_id.data,
        "client_id": form.client_id.data,
        **vote_fields(kind, request.form),
    }
    if kind in ROOM_KINDS:  # word cloud, Q&A, map: workshop/kinds/forms.py
        payload.update(form_fields(kind, request.form, participant, activity))
    try:
        outcome = commit_ballot(participant, payload)
    except ServiceError as error:
        db.session.rollback()
        flash(_("Vote not saved: %(reason)s", reason=error.message), "error")
        return redirect(url_for("attendee.join", code=workshop.code))
    if outcome.changed:
        broadcast.request_tally(workshop.id)
    flash(_("Your vote is saved. You can change it until the vote closes."), "success")
    return redirect(url_for("attendee.join", code=workshop.code))


def _number(value: str) -> object:
    value = value.strip()
    if value.lstrip("-").isdigit():
        return int(value)
    return value


def vote_fields(kind: str, form) -> dict:
    """The kind's ballot field from a plain HTML form (no JavaScript).

    dot_vote: ``dots-<id>`` numbers; rank: ``rank-<place>`` selects; agree:
    ``agree-<id>`` radios; rating: ``rating-<id>`` radios; poll: ``choice`` values.
    """

    def prefixed(prefix: str) -> dict[str, object]:
        return {
            key[len(prefix) :]: _number(value)
            for key, value in form.items()
            if key.startswith(prefix) and value.strip()
        }

    if kind == "dot_vote":
        return {"dots": {k: v for k, v in prefixed("dots-").items()}}
    if kind == "rank":
        places = sorted(
            prefixed("rank-").items(), key=lambda kv: _number(kv[0]) if kv[0].isdigit() else 0
        )
        return {"ranking": [v for _, v in places]}
    if kind == "agree":
        return {"answers": prefixed("agree-")}
    if kind == "rating":
        return {"ratings": prefixed("rating-")}
    if kind == "poll":
        return {"choices": [_number(v) for v in form.getlist("choice") if v.strip()]}
    if kind in PRIORITY_KINDS:
        return priority_forms.form_fields(kind, form)
    return {}
