"""Facilitators' pages of the cities blueprint: dated updates, milestones and indicators,
bulk import. Only the facilitators of the project's city (``operations.may_update``) may
use them; anyone else logged in gets 403.
"""

from __future__ import annotations

import re
from datetime import date
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..dates import iso_from_reader
from ..display.errors import error_text
from ..extensions import csrf, db
from ..forms import ActionForm
from ..models import Plan, TrackedProject
from ..services.errors import Invalid, NotFound, ServiceError
from . import edits, imports, operations
from .views import bp

IMPORT_MAX_BYTES = 5 * 1024 * 1024  # an XLSX of a few thousand rows; the app's default is 16 KB


def _updatable(project_id: int) -> TrackedProject:
    """The project, if the logged-in facilitator is one of its city's; else 404/403."""
    project = operations.get_project(project_id)
    operations.require_updater(current_user, project)
    return project


def _checked_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.route("/facilitator/projects/<int:project_id>", methods=["GET", "POST"])
@login_required
def project_update(project_id: int):
    """The dated update form: status, progress, note, date (source "form")."""
    project = _updatable(project_id)
    entered = {"status": "", "progress": "", "note": "", "date": date.today().isoformat()}
    status = 200
    if request.method == "POST":
        _checked_form()
        entered = {k: (request.form.get(k) or "").strip() for k in entered}
        entered["date"] = iso_from_reader(entered["date"]) or ""
        raw = operations.UpdateInput(
            entered["status"] or None,
            entered["progress"] or None,
            entered["note"] or None,
            entered["date"] or None,
        )
        try:
            operations.add_update(project, raw, current_user, source="form")
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error_text(error), "error")
            status = 422
        else:
            flash(_("The update was saved."), "success")
            return redirect(url_for("cities.project_update", project_id=project.id))
    return render_template(
        "cities/update.html",
        project=project,
        city=project.city,
        form=ActionForm(),
        entered=entered,
        updates=sorted(project.updates, key=lambda u: (u.date, u.id), reverse=True),
    ), status


@bp.get("/facilitator/projects/<int:project_id>/milestones-indicators")
@login_required
def measures(project_id: int):
    """Milestones and indicators of a project: add, mark done, record values."""
    project = _updatable(project_id)
    return render_template(
        "cities/measures.html",
        project=project,
        city=project.city,
        form=ActionForm(),
        today=date.today().isoformat(),
    )


def _edit(project: TrackedProject, change, success: str, anchor: str | None = None):
    """Apply ``change()``, commit once, flash, back to the milestones and indicators page."""
    _checked_form()
    try:
        change()
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        flash(success, "success")
    return redirect(url_for("cities.measures", project_id=project.id, _anchor=anchor))


@bp.post("/facilitator/projects/<int:project_id>/milestones")
@login_required
def add_milestone(project_id: int):
    project = _updatable(project_id)
    form = request.form
    return _edit(
        project,
        lambda: edits.add_milestone(
            project, form.get("title"), iso_from_reader(form.get("due_date"))
        ),
        _("The milestone was added."),
        "milestones",
    )


@bp.post("/facilitator/projects/<int:project_id>/milestones/<int:milestone_id>/done")
@login_required
def milestone_done(project_id: int, milestone_id: int):
    project = _updatable(project_id)
    done = request.form.get("value") != "undo"
    return _edit(
        project,
        lambda: edits.set_milestone_done(
            project, milestone_id, done, iso_from_reader(request.form.get("done_on"))
        ),
        _("The milestone is marked done.") if done else _("The milestone is marked not done."),
        "milestones",
    )


@bp.post("/facilitator/projects/<int:project_id>/indicators")
@login_required
def add_indicator(project_id: int):
    project = _updatable(project_id)
    form = request.form
    return _edit(
        project,
        lambda: edits.add_indicator(
            project, form.get("name"), form.get("unit"), form.get("baseline"), form.get("target")
        ),
        _("The indicator was added."),
        "indicators",
    )


@bp.post("/facilitator/projects/<int:project_id>/indicators/<int:indicator_id>/values")
@login_required
def add_indicator_value(project_id: int, indicator_id: int):
    project = _updatable(project_id)
    form = request.form
    return _edit(
        project,
        lambda: edits.add_indicator_value(
            project, indicator_id, form.get("value"), iso_from_reader(form.get("date"))
        ),
        _("The value was recorded."),
        f"indicator-{indicator_id}",
    )


def _plan_projects(plan_id: int) -> tuple[Plan, list[TrackedProject]]:
    """The plan and its tracked projects, if the facilitator updates them; else 404/403."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(_("There is no such plan."), "plan_not_found")
    projects = list(
        db.session.scalars(
            select(TrackedProject)
            .where(TrackedProject.plan_id == plan.id)
            .order_by(TrackedProject.id)
        )
    )
    if not projects:
        raise NotFound(_("This plan has no tracked projects: adopt it first."), "no_projects")
    operations.require_updater(current_user, projects[0])
    return plan, projects


def _upload_kind(filename: str, data: bytes) -> str:
    return "xlsx" if filename.lower().endswith(".xlsx") or data[:2] == b"PK" else "csv"


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00$")


def _date_cells(rows: list[dict]) -> list[dict]:
    """Excel date cells come back as datetimes (``2027-06-30T00:00:00``): keep the date."""
    for row in rows:
        value = row.get("date")
        if isinstance(value, str) and (match := _MIDNIGHT.match(value.strip())):
            row["date"] = match.group(1)
    return rows


def _upload_limit(view):
    """A larger request limit for an upload view, then the CSRF check as for every form.

    The app-wide limit (16 KB) is for attendees' forms. The global CSRF check would read
    the body before the view could raise it, so the view is exempt from that check and
    makes the same check here, first thing, before anything else (login included).
    """

    @wraps(view)
    def limited(*args, **kwargs):
        request.max_content_length = IMPORT_MAX_BYTES
        if request.method == "POST":
            csrf.protect()  # CSRFError: 400, like every other form
        return view(*args, **kwargs)

    return limited


@bp.route("/facilitator/plans/<int:plan_id>/import", methods=["GET", "POST"])
@csrf.exempt  # checked by _upload_limit, once the larger upload limit is set
@_upload_limit
@login_required
def import_page(plan_id: int):
    """Bulk updates from a CSV or XLSX file: every row applied, or none with the bad rows."""
    plan, projects = _plan_projects(plan_id)
    reports: list[imports.RowReport] = []
    outcome, status, message = None, 200, None
    if request.method == "POST":
        _checked_form()
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        try:
            if not data:
                raise Invalid(_("Choose a CSV or XLSX file to upload."), "no_file")
            kind = _upload_kind(upload.filename or "", data)
            rows = _date_cells(imports.parse_update_rows(data, kind))
            if not rows:
                raise Invalid(_("The file has no rows to import."), "empty_file")
            reports = imports.import_updates(plan, rows, current_user)
            db.session.commit()
            outcome = "applied"
        except imports.ImportRejected as error:
            db.session.rollback()
            reports, outcome, status, message = error.reports, "rejected", 422, error.message
        except Invalid as error:
            db.session.rollback()
            outcome, status, message = "invalid", 422, error.message
    return render_template(
        "cities/import.html",
        plan=plan,
        projects=projects,
        city=projects[0].city,
        workshop=plan.workshop,
        form=ActionForm(),
        outcome=outcome,
        message=message,
        reports=reports,
        bad=[r for r in reports if not r.ok],
    ), status
