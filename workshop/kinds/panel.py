"""The control panel's pieces for the word cloud, Q&A and map kinds (plain forms, work
without JavaScript): upload the map, hide or show a word or a pin, mark a question."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import select
from wtforms.validators import ValidationError

from ..extensions import csrf, db
from ..live import broadcast
from ..models import CloudWord, MapPin, Statement
from ..services import audit
from ..services.errors import ServiceError
from ..services.workshops import get_activity, get_owned_workshop
from .images import MAX_BYTES, store_map_image
from .questions import set_qa_state
from .results import room_kind_results
from .routes import bp


def panel_data(activity) -> dict:
    """What the panel shows of an activity of these kinds (words, questions, pins)."""
    if activity.kind not in ("wordcloud", "qa", "map"):
        return {}
    results = room_kind_results(activity)
    data: dict = {"results": results}
    if activity.kind == "wordcloud":
        data["hidden_words"] = db.session.scalars(
            select(CloudWord).where(CloudWord.activity_id == activity.id, CloudWord.hidden)
        ).all()
    return data


def _back(workshop, activity):
    return redirect(url_for("facilitator.panel", code=workshop.code) + f"#activity-{activity.id}")


@bp.post("/facilitator/w/<code>/activities/<activity_id>/map-image")
@csrf.exempt  # checked here, first, once the larger body limit of an image is set
def panel_map_image(code: str, activity_id: str):
    request.max_content_length = MAX_BYTES + 2 * 1024 * 1024
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (CSRFError, ValidationError):
        abort(400)  # as CSRFProtect answers every other form
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    upload = request.files.get("image")
    try:
        store_map_image(activity, upload.read(MAX_BYTES + 1) if upload else b"", current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_("Map not saved: %(reason)s", reason=error.message), "error")
        return _back(workshop, activity)
    broadcast.emit_state(workshop)
    flash(_("The map is saved."), "success")
    return _back(workshop, activity)


@bp.post("/facilitator/w/<code>/activities/<activity_id>/words/<int:key>")
@login_required
def panel_word(code: str, activity_id: str, key: int):
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    word = db.session.scalar(
        select(CloudWord).where(CloudWord.activity_id == activity.id, CloudWord.key == key)
    )
    if word is not None:
        word.hidden = request.form.get("value") == "hide"
        audit.record(
            workshop,
            current_user,
            "hide_word" if word.hidden else "show_word",
            "activity",
            activity.id,
            word=word.text,
            word_key=word.key,
        )
        db.session.commit()
        broadcast.request_tally(workshop.id)
    return _back(workshop, activity)


@bp.post("/facilitator/w/<code>/activities/<activity_id>/pins/<int:pin_id>")
@login_required
def panel_pin(code: str, activity_id: str, pin_id: int):
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    pin = db.session.get(MapPin, pin_id)
    if pin is not None and pin.activity_id == activity.id:
        pin.hidden = request.form.get("value") == "hide"
        audit.record(
            workshop,
            current_user,
            "hide_pin" if pin.hidden else "show_pin",
            "map_pin",
            pin.id,
            activity_id=activity.id,
            category=pin.category,
        )
        db.session.commit()
        broadcast.request_tally(workshop.id)
    return _back(workshop, activity)


@bp.post("/facilitator/w/<code>/activities/<activity_id>/questions/<int:statement_id>")
@login_required
def panel_question(code: str, activity_id: str, statement_id: int):
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    statement = db.session.get(Statement, statement_id)
    if statement is not None and statement.activity_id == activity.id:
        try:
            set_qa_state(statement, request.form.get("value", ""), current_user)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
            return _back(workshop, activity)
        broadcast.statements_changed(workshop, activity.id)
    return _back(workshop, activity)
