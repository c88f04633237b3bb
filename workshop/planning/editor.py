"""The planner's pages for a process: its meetings, the plan tree to edit, versions, diffs.

``/facilitator/processes`` lists and creates processes; ``/facilitator/processes/<id>`` is
the tree editor. Every form posts to a route here that calls the same operations as the
API (``tree``, ``versions``, ``adoption``, ``processes``) and commits once; a refused
change is flashed in the planner's language and nothing is stored.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import ActionForm
from ..models import City
from ..services.errors import Invalid, ServiceError
from ..services.workshops import HORIZONS, create_workshop, get_owned_workshop
from ..tracking.views import as_date
from . import adoption, processes, tree, versions
from .drafting import DRAFT_TOP, MAX_DRAFT_TOP, merge_workshop
from .editor_forms import item_body, whole_number
from .serialize import plan_dict, version_dict
from .summary import process_dict
from .views import PLAN_STATUS_NAMES

bp = Blueprint("process_editor", __name__, url_prefix="/facilitator/processes")

FIELD_NAMES = {
    "text": _l("Wording"),
    "horizon": _l("Horizon"),
    "owner_agency": _l("Owner agency"),
    "partner_agencies": _l("Partner agencies"),
    "budget": _l("Budget (baht)"),
    "funding_source": _l("Funding source"),
    "start_year": _l("First year (B.E.)"),
    "end_year": _l("Last year (B.E.)"),
    "indicators": _l("Indicators"),
    "evidence": _l("Evidence"),
}


def local_day(value: str | None) -> date | None:
    """The day of an ISO UTC time in the app's time zone (Asia/Bangkok)."""
    if not value:
        return None
    return to_user_timezone(datetime.fromisoformat(value)).date()


def shown_value(field: str, value: object) -> str:
    """A changed field's value as a person reads it (never a Python or JSON repr)."""
    if value is None or value == [] or value == "":
        return "–"
    if field == "evidence" and isinstance(value, list):
        meetings = sorted({str(e.get("workshop")) for e in value if isinstance(e, dict)})
        return _("%(n)s entries from %(meetings)s", n=len(value), meetings=", ".join(meetings))
    if field == "indicators" and isinstance(value, list):
        return ", ".join(str(i.get("name")) for i in value if isinstance(i, dict))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "budget" and isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


NEXT_STATUSES = {
    "draft": ("consultation", "adopted"),
    "consultation": ("draft", "adopted"),
    "adopted": ("draft",),
}


def _checked() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)  # a form without its CSRF token


def _managed(process_id: int):
    try:
        return processes.get_managed_process(process_id, current_user)
    except ServiceError:
        abort(404)


def _back(process_id: int, anchor: str | None = None):
    return redirect(url_for("process_editor.edit", process_id=process_id, _anchor=anchor))


# What a refused change means, in the planner's language (the API's messages are English).
REASONS = {
    "plan_adopted": _l("this version is adopted and read-only"),
    "plan_changed": _l("someone saved the plan since you opened it; reload and try again"),
    "invalid_field": _l("a field is empty, too long or not a number"),
    "invalid_budget": _l("the budget must be a number of baht, 0 or more"),
    "invalid_year": _l("years are Buddhist Era years, the last not before the first"),
    "invalid_years": _l("years are Buddhist Era years, the last not before the first"),
    "year_outside_process": _l("the year is outside the process's years"),
    "tree_cycle": _l("an item cannot go under itself"),
    "invalid_parent": _l("strategies go under a goal, projects under a strategy"),
    "unknown_parent": _l("that item is not in this plan"),
    "has_children": _l("move or remove what is under it first"),
    "invalid_indicator": _l("each indicator needs a name; values are numbers"),
    "invalid_section": _l("choose a section"),
    "invalid_title": _l("a title is needed (at most 200 characters)"),
    "unknown_city": _l("choose a city"),
    "already_in_process": _l("that workshop is already a meeting of this process"),
    "in_another_process": _l("that workshop is a meeting of another process"),
    "workshop_not_found": _l("no workshop has that code"),
    "same_status": _l("the plan already has that status"),
    "invalid_status": _l("the plan cannot move to that status from here"),
    "version_not_found": _l("no such version"),
    "invalid_top": _l("the number of statements is from 1 to 1,000"),
    "not_in_process": _l("that workshop is not a meeting of this process"),
}


def reason(error: ServiceError) -> str:
    return str(REASONS.get(error.code, error.message))


def _refused(error: ServiceError) -> None:
    db.session.rollback()
    flash(_("Not saved: %(reason)s", reason=reason(error)), "error")


@bp.get("")
@login_required
def index():
    cities = db.session.scalars(db.select(City).order_by(City.name_th)).all()
    return render_template(
        "planning/processes.html",
        processes=[process_dict(p, brief=True) for p in processes.processes_of(current_user)],
        cities=cities,
        action_form=ActionForm(),
    )


@bp.post("")
@login_required
def create():
    _checked()
    form = request.form
    try:
        process = processes.create_process(
            current_user,
            form.get("title", ""),
            form.get("city", ""),
            whole_number(form.get("start_year_be"), "start_year_be"),
            whole_number(form.get("end_year_be"), "end_year_be"),
            form.get("title_en") or None,
        )
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return redirect(url_for("process_editor.index"))
    flash(_("The planning process was created."), "success")
    return _back(process.id)


@bp.get("/<int:process_id>")
@login_required
def edit(process_id: int):
    process = _managed(process_id)
    plan = processes.process_plan(process)
    data = process_dict(process)
    return render_template(
        "planning/editor.html",
        process=process,
        data=data,
        plan=plan_dict(plan, adoption.rollup(plan)),
        flat=sorted(versions.flatten(plan_dict(plan)).values(), key=lambda i: i["id"]),
        next_statuses=NEXT_STATUSES[plan.status],
        plan_status_names=PLAN_STATUS_NAMES,
        horizons=HORIZONS,
        draft_top=DRAFT_TOP,
        max_draft_top=MAX_DRAFT_TOP,
        action_form=ActionForm(),
        as_date=as_date,
        local_day=local_day,
    )


@bp.post("/<int:process_id>/meetings")
@login_required
def add_meeting(process_id: int):
    _checked()
    process = _managed(process_id)
    form = request.form
    try:
        code = (form.get("code") or "").strip()
        if code:
            workshop = get_owned_workshop(code, current_user)
        else:
            title = tree.clean_text(form.get("title"), "title", 200)
            workshop = create_workshop(
                current_user, title, process.city.slug if process.city else None
            )
        held_on = processes.parse_date(form.get("date") or None)
        processes.add_workshop(
            process, workshop, current_user, form.get("purpose") or None, held_on
        )
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return _back(process_id, "meetings")
    flash(_("The meeting was added to the process."), "success")
    return _back(process_id, "meetings")


@bp.post("/<int:process_id>/meetings/<code>/draft")
@login_required
def draft_meeting(process_id: int, code: str):
    _checked()
    process = _managed(process_id)
    try:
        workshop = get_owned_workshop(code, current_user)
        if workshop.process_id != process.id:
            raise Invalid("that workshop is not a meeting of this process", "not_in_process")
        top = whole_number(request.form.get("top") or str(DRAFT_TOP), "top")
        if not 1 <= top <= MAX_DRAFT_TOP:
            raise Invalid(f"top is from 1 to {MAX_DRAFT_TOP}", "invalid_top")
        merge_workshop(workshop, top=top)
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return _back(process_id, "meetings")
    flash(_("The meeting's results were added to the plan."), "success")
    return _back(process_id, "plan")


@bp.post("/<int:process_id>/items")
@login_required
def add_item(process_id: int):
    _checked()
    process = _managed(process_id)
    plan = processes.process_plan(process)
    try:
        body = item_body(request.form, creating=True)
        item = tree.add_item(plan, body)
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return _back(process_id, "add-item")
    flash(_("Added to the plan."), "success")
    return _back(process_id, f"item-{item.id}")


@bp.post("/<int:process_id>/items/<int:item_id>")
@login_required
def update_item(process_id: int, item_id: int):
    _checked()
    process = _managed(process_id)
    plan = processes.process_plan(process)
    try:
        if request.form.get("value") == "delete":
            base = whole_number(request.form.get("base_revision"), "base_revision")
            tree.delete_item(plan, item_id, base)
            message = _("Removed from the plan; anything under it waits unplaced.")
        else:
            tree.update_item(plan, item_id, item_body(request.form, creating=False))
            message = _("Saved.")
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return _back(process_id, f"item-{item_id}")
    flash(message, "success")
    return _back(process_id, f"item-{item_id}")


@bp.post("/<int:process_id>/status")
@login_required
def change_status(process_id: int):
    _checked()
    process = _managed(process_id)
    plan = processes.process_plan(process)
    try:
        status = versions.check_transition(plan, request.form.get("status"))
        note = request.form.get("note") or None
        if status == "adopted":
            version, projects = adoption.adopt(plan, current_user, note)
        else:
            version, projects = versions.freeze(plan, status, note, current_user), []
        db.session.commit()
    except ServiceError as error:
        _refused(error)
        return _back(process_id, "versions")
    flash(
        _(
            "Version %(number)s frozen: %(status)s.",
            number=version.number,
            status=PLAN_STATUS_NAMES[version.status],
        )
        + (" " + _("%(n)s projects are tracked.", n=len(projects)) if projects else ""),
        "success",
    )
    return _back(process_id, "versions")


@bp.post("/<int:process_id>/publish")
@login_required
def publish(process_id: int):
    _checked()
    process = _managed(process_id)
    published = request.form.get("value") == "publish"
    processes.update_process(process, {"published": published})
    db.session.commit()
    flash(
        _("The process page is public.") if published else _("The process page is private."),
        "success",
    )
    return _back(process_id)


@bp.get("/<int:process_id>/diff")
@login_required
def diff(process_id: int):
    process = _managed(process_id)
    plan = processes.process_plan(process)
    first, second = request.args.get("a", ""), request.args.get("b", "current")
    try:
        compared = versions.diff(
            versions.get_version(plan, first), versions.get_version(plan, second)
        )
    except ServiceError as error:
        flash(_("Not shown: %(reason)s", reason=reason(error)), "error")
        return _back(process_id, "versions")
    return render_template(
        "planning/diff.html",
        process=process,
        compared=compared,
        first=first,
        second=second,
        versions=[version_dict(v) for v in plan.versions],
        plan_status_names=PLAN_STATUS_NAMES,
        field_names=FIELD_NAMES,
        shown_value=shown_value,
    )
