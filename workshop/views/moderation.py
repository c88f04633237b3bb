"""The facilitator's moderation page: approve, hide, edit, pin, merge duplicates, undo."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..display.errors import error_text
from ..extensions import db
from ..forms import ActionForm
from ..live import broadcast
from ..models import Statement
from ..services import audit, moderation
from ..services.errors import ServiceError
from ..services.participation import all_statements
from ..services.workshops import get_owned_workshop

bp = Blueprint("moderation", __name__, url_prefix="/facilitator")

STATEMENT_ACTIONS = {
    "hide": lambda s, form, who: moderation.set_hidden(s, True, who),
    "unhide": lambda s, form, who: moderation.set_hidden(s, False, who),
    "approve": lambda s, form, who: moderation.approve(s, who),
    "pin": lambda s, form, who: moderation.set_pinned(s, True, who),
    "unpin": lambda s, form, who: moderation.set_pinned(s, False, who),
    "edit": lambda s, form, who: moderation.edit_text(s, request.form.get("text", ""), who),
    "merge": lambda s, form, who: moderation.merge(s, request.form.getlist("source"), who),
    "unmerge": lambda s, form, who: moderation.unmerge(s, who),
}


def _sections(workshop) -> list[dict]:
    from ..duplicates import suggest_duplicates

    sections = []
    for activity in workshop.activities:
        if activity.kind != "brainstorm":
            continue
        statements = all_statements(activity)
        live = [(s.id, s.text) for s in statements if not s.hidden and not s.merged_into_id]
        by_id = {s.id: s for s in statements}
        pairs = [(by_id[p.a], by_id[p.b], p.score) for p in suggest_duplicates(live, 0.5)]
        carriers = {s.merged_into_id for s in statements if s.merged_into_id}
        sections.append(
            {
                "activity": activity,
                "statements": statements,
                "pairs": pairs,
                # Only these can be merged (not merged away themselves).
                "mergeable": [s for s in statements if not s.merged_into_id],
                "carriers": carriers,
            }
        )
    return sections


def _context(workshop) -> dict:
    return {
        "workshop": workshop,
        "sections": _sections(workshop),
        "action_form": ActionForm(),
        "audit_entries": audit.entries(workshop)[-30:][::-1],
    }


@bp.get("/w/<code>/moderate")
@login_required
def moderate(code: str):
    workshop = get_owned_workshop(code, current_user)
    return render_template("facilitator/moderate.html", **_context(workshop))


@bp.get("/w/<code>/moderate/parts")
@login_required
def moderate_parts(code: str):
    """The statement lists and the recent actions, re-rendered for the live page."""
    workshop = get_owned_workshop(code, current_user)
    context = _context(workshop)
    return jsonify(
        {
            "sections": render_template("facilitator/_moderate_sections.html", **context),
            "audit": render_template("facilitator/_moderate_audit.html", **context),
        }
    )


@bp.post("/w/<code>/activities/<activity_id>/merge")
@login_required
def merge_any(code: str, activity_id: str):
    """Merge any two statements of a brainstorm: ``source`` goes into ``target``."""
    from ..services.errors import Invalid

    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    target_id, source_id = request.form.get("target", ""), request.form.get("source", "")
    try:
        if not target_id or not source_id:
            raise Invalid(_("Choose two statements to merge."), "invalid_merge")
        if target_id == source_id:
            raise Invalid(_("Choose two different statements."), "invalid_merge")
        target = moderation.get_statement(workshop, target_id)
        if str(target.activity_id) != activity_id:
            raise Invalid(_("Choose two statements of the same activity."), "invalid_merge")
        moderation.merge(target, [source_id], current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(
            url_for("moderation.moderate", code=workshop.code, _anchor=f"act-{activity_id}")
        )
    broadcast.statements_changed(workshop, target.activity_id)
    flash(_("Merged #%(source)s into #%(target)s.", source=source_id, target=target.id), "success")
    return redirect(url_for("moderation.moderate", code=workshop.code, _anchor=f"s{target.id}"))


@bp.post("/w/<code>/statements/<statement_id>/<action>")
@login_required
def statement_action(code: str, statement_id: str, action: str):
    workshop = get_owned_workshop(code, current_user)
    statement: Statement = moderation.get_statement(workshop, statement_id)
    change = STATEMENT_ACTIONS.get(action)
    form = ActionForm()
    if change is None or not form.validate_on_submit():
        abort(400)
    try:
        change(statement, form, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        broadcast.statements_changed(workshop, statement.activity_id)
        flash(_("Done. Every change can be undone here."), "success")
    return redirect(url_for("moderation.moderate", code=workshop.code, _anchor=f"s{statement.id}"))


@bp.post("/w/<code>/premoderation")
@login_required
def premoderation(code: str):
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    moderation.set_premoderation(workshop, form.value.data == "on", current_user)
    db.session.commit()
    return redirect(url_for("moderation.moderate", code=workshop.code))
