"""The plan builder page: draft from results, then reorder, reword, move, add, export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..display.errors import error_text
from ..exports import FORMATS
from ..extensions import db
from ..forms import ActionForm
from ..services.errors import ServiceError
from ..services.workshops import HORIZONS, get_owned_workshop
from ..tracking.models import TrackedProject
from ..tracking.operations import adopt_plan
from . import workshop_plan as plans

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
        adopted=adopted_projects(plan) if plan is not None and plan.adopted_at else None,
        adopted_at=plan.adopted_at if plan is not None else None,
        action_form=ActionForm(),
        sections=plans.ITEM_SECTIONS,
        horizons=HORIZONS,
        formats=FORMATS,
    )


def adopted_projects(plan) -> list[TrackedProject]:
    """The tracked projects an adopted plan became, in plan order."""
    return list(
        db.session.scalars(
            select(TrackedProject)
            .where(TrackedProject.plan_id == plan.id)
            .order_by(TrackedProject.id)
        )
    )


@bp.post("/w/<code>/plan/adopt")
@login_required
def adopt(code: str):
    """Adopt the plan: its projects become tracked projects on the city's public page."""
    workshop = get_owned_workshop(code, current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        _plan, projects = adopt_plan(workshop)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return _back(workshop.code)
    flash(_("The plan is adopted: %(n)s projects are now tracked.", n=len(projects)), "success")
    return _back(workshop.code, "adopted")


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
            flash(error_text(error), "error")
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
        flash(error_text(error), "error")
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
        flash(error_text(error), "error")
    return _back(workshop.code, f"item-{item_id}")
