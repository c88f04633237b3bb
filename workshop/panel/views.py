"""The control panel's in-place updates and the agenda forms.

Every panel action is a plain form (it works without JavaScript: flash, then back to the
panel at the changed activity). ``static/js/panel/*.js`` sends the same forms with
``fetch`` and ``X-Panel: parts``; the answer is then JSON: ``{"ok", "message", "parts":
{"now", "agenda"}}`` (the re-rendered now card and agenda), 422 with ``error`` when the
action was refused (and nothing changed).
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api.schemas import ActivityUpdate
from ..display.errors import MESSAGES, error_text
from ..extensions import db
from ..forms import ActionForm, ActivityEditForm
from ..kinds.georef_form import corner_values
from ..live import broadcast
from ..models import Activity, Workshop
from ..services.control import remaining_seconds
from ..services.errors import Invalid, ServiceError
from ..services.workshops import get_activity, get_owned_workshop
from . import agenda, counts
from .api import update_from_body

bp = Blueprint("panel", __name__, url_prefix="/facilitator")


def wants_parts() -> bool:
    return request.headers.get("X-Panel") == "parts"


def block_message(code: str) -> str:
    """Why an activity cannot be deleted, in the facilitator's language."""
    return {
        "activity_live": _("The live activity cannot be deleted. Close it first."),
        "activity_is_source": _("Another activity votes on this one's statements."),
        "activity_has_ballots": _("People have voted in this activity."),
        "activity_has_statements": _("People have written statements in this activity."),
        "activity_in_plan": _("Statements of this activity are used elsewhere."),
    }.get(code, code)


def panel_context(workshop: Workshop) -> dict:
    """What the now card and the agenda need (shared by the page and its parts)."""
    activities = list(workshop.activities)
    current = workshop.current_activity
    index = activities.index(current) if current in activities else None
    return {
        "workshop": workshop,
        "activities": activities,
        "now": current,
        "now_index": index,
        "previous_activity": activities[index - 1] if index else None,
        "next_activity": (
            activities[index + 1]
            if index is not None and index + 1 < len(activities)
            else (activities[0] if index is None and activities else None)
        ),
        "figures": counts.live_figures(current),
        "remaining": remaining_seconds(current) if current is not None else None,
        "deletable": {a.id: agenda.deletion_block(a) is None for a in activities},
        "action_form": ActionForm(),
        "kind_names": kind_names(),
        "georef_values": corner_values,  # a map's georeference in its edit form
    }


def kind_names() -> dict[str, str]:
    return {
        "brainstorm": _("Brainstorm"),
        "dot_vote": _("Dot vote"),
        "rank": _("Ranking"),
        "agree": _("Agree / disagree"),
        "rating": _("Rating"),
        "poll": _("Poll"),
        "matrix": _("Impact × feasibility matrix"),
        "points": _("Points allocation"),
        "budget": _("Budget allocation"),
        "wordcloud": _("Word cloud"),
        "qa": _("Questions (Q&A)"),
        "map": _("Map pins"),
    }


def _said(error: ServiceError) -> str:
    """The refusal in the facilitator's language: the agenda's own messages are translated
    where they are raised; other services' codes through ``display.errors``."""
    return error_text(error) if error.code in MESSAGES else error.message


def render_parts(workshop: Workshop) -> dict[str, str]:
    context = panel_context(workshop)
    return {
        "now": render_template("facilitator/_panel_now.html", **context),
        "agenda": render_template("facilitator/_panel_agenda.html", **context),
    }


def respond(
    workshop: Workshop,
    message: str | None,
    error: ServiceError | None = None,
    anchor: str | None = None,
):
    """The answer of a panel action: JSON parts for the script, else flash and redirect."""
    if wants_parts():
        db.session.expire_all()
        body: dict = {"ok": error is None, "parts": render_parts(workshop)}
        if error is not None:
            body["error"] = {"code": error.code, "message": _said(error)}
            return jsonify(body), 422 if error.status < 500 else error.status
        body["message"] = message
        return jsonify(body)
    if error is not None:
        flash(_said(error), "error")
    elif message:
        flash(message, "info")
    return redirect(url_for("facilitator.panel", code=workshop.code, _anchor=anchor))


@bp.get("/w/<code>/panel-parts")
@login_required
def parts(code: str):
    """The now card and the agenda, re-rendered (after a change on another screen)."""
    workshop = get_owned_workshop(code, current_user)
    return jsonify({"ok": True, "parts": render_parts(workshop)})


def _checked_form(form) -> None:
    if not form.validate_on_submit():
        raise Invalid(_("Check the form: %(errors)s", errors=_errors(form.errors)), "invalid_form")


def _errors(errors: dict) -> str:
    return "; ".join(", ".join(map(str, messages)) for messages in errors.values())


@bp.post("/w/<code>/activities/<activity_id>/edit")
@login_required
def edit(code: str, activity_id: str):
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    form = ActivityEditForm()
    try:
        _checked_form(form)
        body = ActivityUpdate.model_validate(
            {
                "prompt": form.prompt.data or "",
                "prompt_translations": {"en": form.prompt_en.data or ""},
                "minutes": form.minutes.data,
                **({"georef": form.georef()} if activity.kind == "map" else {}),
            }
        )
        update_from_body(activity, current_user, body)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return respond(workshop, None, error, f"activity-{activity.id}")
    broadcast.emit_state(workshop)
    return respond(
        workshop, _("Saved: %(prompt)s", prompt=activity.prompt), None, f"activity-{activity.id}"
    )


@bp.post("/w/<code>/activities/<activity_id>/delete")
@login_required
def delete(code: str, activity_id: str):
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    prompt = activity.prompt
    try:
        _checked_form(ActionForm())
        agenda.delete_activity(activity, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        error.message = block_message(error.code) if error.status == 409 else error.message
        return respond(workshop, None, error)
    broadcast.emit_state(workshop)
    return respond(workshop, _("Deleted: %(prompt)s", prompt=prompt))


@bp.post("/w/<code>/activities/<activity_id>/move")
@login_required
def move(code: str, activity_id: str):
    workshop = get_owned_workshop(code, current_user)
    activity: Activity = get_activity(workshop, activity_id)
    form = ActionForm()
    try:
        _checked_form(form)
        step = {"up": -1, "down": 1}.get(form.value.data or "")
        if step is None:
            raise Invalid(_("Move an activity up or down."), "invalid_order")
        agenda.move(workshop, activity, step, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return respond(workshop, None, error, f"activity-{activity.id}")
    broadcast.emit_state(workshop)
    return respond(
        workshop,
        _("Moved to place %(n)s: %(prompt)s", n=activity.position + 1, prompt=activity.prompt),
        None,
        f"activity-{activity.id}",
    )


@bp.post("/w/<code>/activities/order")
@login_required
def order(code: str):
    """Drag and drop: ``value`` is the new order, activity ids separated by commas."""
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    try:
        _checked_form(form)
        raw = [part.strip() for part in (form.value.data or "").split(",") if part.strip()]
        if not all(part.isdigit() for part in raw):
            raise Invalid(_("The order lists activities by number."), "invalid_order")
        agenda.reorder(workshop, [int(part) for part in raw], current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return respond(workshop, None, error)
    broadcast.emit_state(workshop)
    return respond(workshop, _("The new order of the agenda is saved."))
