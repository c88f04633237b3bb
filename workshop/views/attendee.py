"""Attendee pages: join by code, pick a group, write statements, place dots.

Every page works as a plain HTML form; ``static/js/attendee.js`` upgrades it
to live updates and socket writes when JavaScript runs.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from .. import broadcast
from ..auth import optional_participant, remember_participant
from ..extensions import db
from ..forms import JoinForm, StatementForm, VoteForm
from ..groups import group_label
from ..models import Participant, Workshop
from ..services import snapshots
from ..services.errors import NotFound, ServiceError
from ..services.participation import cast_dot_ballot, join_workshop, submit_statement
from ..services.workshops import get_workshop, normalise_code

bp = Blueprint("attendee", __name__)


@bp.route("/", methods=["GET"])
def home():
    return redirect(url_for("attendee.enter_code"))


@bp.route("/j", methods=["GET", "POST"])
def enter_code():
    code = request.values.get("code", "")
    error = None
    if code:
        try:
            workshop = get_workshop(code)
        except NotFound:
            error = _(
                "No workshop has the code %(code)s. Check the code on the screen.",
                code=normalise_code(code),
            )
        else:
            return redirect(url_for("attendee.join", code=workshop.code))
    status = 404 if error else 200
    return render_template("attendee/enter_code.html", error=error, code=code), status


def _join_form(workshop: Workshop) -> JoinForm:
    form = JoinForm()
    form.group.choices = [SelectChoice(g, group_label(g)) for g in workshop.groups]
    return form


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str):
    workshop = get_workshop(code)
    if code != workshop.code:
        return redirect(url_for("attendee.join", code=workshop.code))
    participant = optional_participant(workshop)
    if participant is not None:
        return _room(workshop, participant)
    form = _join_form(workshop)
    if form.validate_on_submit():
        try:
            participant, token = join_workshop(workshop, form.group.data, form.name.data)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            form.group.errors = [error.message]
        else:
            remember_participant(workshop, token)
            broadcast.request_presence(workshop.id)
            return redirect(url_for("attendee.join", code=workshop.code))
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
    return render_template(
        "attendee/room.html",
        workshop=workshop,
        participant=participant,
        state=state,
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
        broadcast.emit_statement(outcome.statement)
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
    dots: dict[str, object] = {}
    for key, value in request.form.items():
        if key.startswith("dots-"):
            value = value.strip() or "0"
            dots[key[5:]] = int(value) if value.isdigit() else value
    try:
        outcome = cast_dot_ballot(participant, form.activity_id.data, dots, form.client_id.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_("Vote not saved: %(reason)s", reason=error.message), "error")
        return redirect(url_for("attendee.join", code=workshop.code))
    if outcome.changed:
        broadcast.request_tally(workshop.id)
    flash(_("Your vote is saved. You can change it until the vote closes."), "success")
    return redirect(url_for("attendee.join", code=workshop.code))
