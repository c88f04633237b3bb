"""The plan builder page: draft from results, then reorder, reword, move, add, export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..exports import FORMATS
from ..extensions import db
from ..forms import ActionForm
from ..services import plan as plans
from ..services.errors import ServiceError
from ..services.workshops import HORIZONS, get_owned_workshop

bp = Blueprint("planner", __name__, url_prefix="/facilitator")


@bp.get("/w/<code>/plan")
@login_required
def plan_page(code: str):
    workshop = get_owned_workshop(code, current_user)
    plan = plans.get_plan(workshop)
    return render_template(
        "facilitator/plan.html",
        workshop=workshop,
        plan=plans.plan_dict(workshop, plan) if plan else None,
        action_form=ActionForm(),
        sections=plans.ITEM_SECTIONS,
        horizons=HORIZONS,
        formats=FORMATS,
    )


def _back(code: str, anchor: str | None = None):
    return redirect(url_for("planner.plan_page", code=code, _anchor=anchor))


@bp.post("/w/<code>/plan/draft")
@login_required
def draft(code: str):
    workshop = get_owned_workshop(code, current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        plans.draft_plan(workshop, overwrite=request.form.get("value") == "overwrite")
        db.session.commit()
        flash(_("The draft plan was made from the latest results."), "success")
    except ServiceError as error:
        db.session.rollback()
        if error.code == "plan_edited":
            flash(
                _("Planners have edited this plan. Press “Replace my edits” to redraft anyway."),
                "error",
            )
        else:
            flash(error.message, "error")
    return _back(workshop.code)


def _optional(name: str) -> str | None:
    value = request.form.get(name, "").strip()
    return value or None


@bp.post("/w/<code>/plan/items")
@login_required
def add(code: str):
    workshop = get_owned_workshop(code, current_user)
    plan = plans.get_plan(workshop)
    if plan is None or not ActionForm().validate_on_submit():
        abort(400)
    try:
        item = plans.add_item(
            plan,
            request.form.get("section", ""),
            request.form.get("text", ""),
            _optional("horizon"),
            _optional("owner_agency"),
            _optional("indicator"),
        )
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back(workshop.code)
    return _back(workshop.code, f"item-{item.id}")


@bp.post("/w/<code>/plan/items/<item_id>")
@login_required
def update(code: str, item_id: str):
    workshop = get_owned_workshop(code, current_user)
    plan = plans.get_plan(workshop)
    if plan is None or not ActionForm().validate_on_submit():
        abort(400)
    try:
        if request.form.get("value") == "delete":
            plans.delete_item(plan, item_id)
        else:
            changes: dict = {
                "text": request.form.get("text", ""),
                "section": request.form.get("section", ""),
                "horizon": _optional("horizon"),
                "owner_agency": _optional("owner_agency"),
                "indicator": _optional("indicator"),
            }
            position = request.form.get("position", "").strip()
            if position:
                changes["position"] = int(position) if position.isdigit() else position
            plans.update_item(plan, item_id, changes)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    return _back(workshop.code, f"item-{item_id}")
