"""City progress pages: public overview, city and project pages, reports; facilitator updates.

The public pages need no login and no JavaScript: progress bars and indicator charts
are server-rendered SVG (``workshop/charts.py``). The facilitator pages (updates, bulk
import, milestones and indicators) are for the facilitators of the project's city
(``tracking.operations.may_update``); anyone else logged in gets 403.
"""

from __future__ import annotations

import re
from datetime import date
from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from .. import charts
from ..dates import format_date
from ..extensions import csrf, db
from ..forms import ActionForm
from ..models import PROJECT_STATUSES, City, Indicator, Plan, Statement, TrackedProject, Workshop
from ..services.errors import Invalid, NotFound, ServiceError
from . import edits as tracking_edit
from . import operations as tracking
from .reports import render_city_docx, render_city_xlsx

bp = Blueprint("cities", __name__)

HORIZON_ORDER = ("short", "medium", "long", None)
IMPORT_MAX_BYTES = 5 * 1024 * 1024  # an XLSX of a few thousand rows; the app's default is 16 KB
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- template helpers


def status_names() -> dict[str, str]:
    return {
        "not_started": _("Not started"),
        "in_progress": _("In progress"),
        "delayed": _("Delayed"),
        "done": _("Done"),
        "cancelled": _("Cancelled"),
    }


def horizon_names() -> dict[str | None, str]:
    return {
        "short": _("Short term"),
        "medium": _("Medium term"),
        "long": _("Long term"),
        None: _("No horizon given"),
    }


def _locale() -> str:
    return str(get_locale() or "th")


def progress_svg(project: TrackedProject) -> Markup:
    return Markup(charts.progress_bar_svg(project.progress, project.title))


def indicator_svg(indicator: Indicator) -> Markup:
    locale = _locale()
    return Markup(
        charts.indicator_chart_svg(
            indicator.name,
            indicator.unit,
            indicator.baseline,
            indicator.target,
            [(v.date, v.value) for v in indicator.values],
            format_date=lambda d: format_date(d, locale),
        )
    )


def last_update(project: TrackedProject) -> date | None:
    return max((u.date for u in project.updates), default=None)


def as_date(value: str | None) -> date | None:
    """An ISO date string of a summary dict as a date (for ``local_date``)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@bp.context_processor
def _helpers() -> dict:
    return {
        "status_names": status_names(),
        "horizon_names": horizon_names(),
        "statuses": PROJECT_STATUSES,
        "progress_svg": progress_svg,
        "indicator_svg": indicator_svg,
        "is_overdue": tracking.is_overdue,
        "last_update": last_update,
        "number": charts.format_number,
        "as_date": as_date,
    }


# ---------------------------------------------------------------- data for the pages


def _city(slug: str) -> City:
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound(_("There is no city with this address."), "city_not_found")
    return city


def _adopted_plans(city: City, projects: list[TrackedProject]) -> list[Plan]:
    """Adopted plans of the city's workshops and the plans of its projects, oldest first."""
    plan_ids = {p.plan_id for p in projects}
    plans = db.session.scalars(
        select(Plan)
        .join(Workshop, Workshop.id == Plan.workshop_id)
        .where(Workshop.city_id == city.id, Plan.adopted_at.is_not(None))
    ).all()
    found = {p.id: p for p in plans}
    for plan_id in plan_ids - set(found):
        plan = db.session.get(Plan, plan_id)
        if plan is not None:
            found[plan_id] = plan
    return sorted(found.values(), key=lambda p: (p.adopted_at or p.created_at, p.id))


def _visions(plans: list[Plan]) -> list[dict]:
    visions = []
    for plan in plans:
        items = sorted(
            (i for i in plan.items if i.section == "vision"), key=lambda i: (i.position, i.id)
        )
        if items:
            visions.append({"text": items[0].text, "workshop": plan.workshop})
    return visions


def _grouped(projects: list[TrackedProject]) -> list[tuple[str | None, list]]:
    """[(horizon, [(goal, [project, ...]), ...]), ...] in horizon order, goals as they come."""
    groups = []
    for horizon in HORIZON_ORDER:
        in_horizon = [
            p for p in projects if (p.horizon if p.horizon in HORIZON_ORDER else None) == horizon
        ]
        if not in_horizon:
            continue
        goals: dict[str | None, list[TrackedProject]] = {}
        for project in in_horizon:
            goals.setdefault(project.goal or None, []).append(project)
        ordered = [(g, ps) for g, ps in goals.items() if g is not None]
        if None in goals:
            ordered.append((None, goals[None]))
        groups.append((horizon, ordered))
    return groups


def _city_project(city: City, project_id: int) -> TrackedProject:
    project = db.session.get(TrackedProject, project_id)
    if project is None or project.city_id != city.id:
        raise NotFound(_("This city has no such project."), "project_not_found")
    return project


def _sources(project: TrackedProject) -> list[Statement]:
    """The workshop statements the project comes from (merged duplicates too), if public."""
    ids = [project.statement_id] if project.statement_id else []
    ids += [m["id"] for m in (project.evidence or {}).get("merged_from", []) if m.get("id")]
    if not ids:
        return []
    statements = db.session.scalars(
        select(Statement).where(Statement.id.in_(ids)).order_by(Statement.id)
    )
    return [s for s in statements if not (s.hidden or s.pending)]


def _support(evidence: dict) -> list[tuple[str, str]]:
    """Support per stakeholder group as (group key, text) pairs, groups with none left out."""
    rows = []
    for group, value in ((evidence or {}).get("by_group") or {}).items():
        if isinstance(value, dict) and "mean" in value:
            if value.get("count"):
                text = ngettext(
                    "mean %(mean)s (%(num)s rating)",
                    "mean %(mean)s (%(num)s ratings)",
                    value["count"],
                    mean=charts.format_number(value.get("mean")),
                )
                rows.append((group, text))
        elif isinstance(value, dict):
            if any(value.get(k) for k in ("agree", "disagree", "pass")):
                text = _(
                    "%(agree)s agree, %(disagree)s disagree, %(pass)s pass",
                    agree=value.get("agree", 0),
                    disagree=value.get("disagree", 0),
                    **{"pass": value.get("pass", 0)},
                )
                rows.append((group, text))
        elif isinstance(value, int | float) and not isinstance(value, bool) and value:
            count = int(value) if float(value).is_integer() else value
            rows.append((group, ngettext("%(num)s point", "%(num)s points", count)))
    return rows


# ---------------------------------------------------------------- public pages


@bp.get("/cities")
def overview():
    cities = db.session.scalars(select(City).order_by(City.id)).all()
    return render_template(
        "cities/overview.html", rows=[(c, tracking.city_summary(c)) for c in cities]
    )


@bp.get("/cities/<slug>")
def city_page(slug: str):
    city = _city(slug)
    projects = tracking.city_projects(city)
    return render_template(
        "cities/city.html",
        city=city,
        summary=tracking.city_summary(city),
        visions=_visions(_adopted_plans(city, projects)),
        groups=_grouped(projects),
    )


@bp.get("/cities/<slug>/projects/<int:project_id>")
def project_page(slug: str, project_id: int):
    city = _city(slug)
    project = _city_project(city, project_id)
    can_update = current_user.is_authenticated and tracking.may_update(current_user, project)
    return render_template(
        "cities/project.html",
        city=city,
        project=project,
        workshop=project.plan.workshop,
        updates=sorted(project.updates, key=lambda u: (u.date, u.id), reverse=True),
        sources=_sources(project),
        support=_support(project.evidence),
        evidence=project.evidence or {},
        can_update=can_update,
    )


def _report_data(city: City) -> tuple[dict, list[dict]]:
    projects = tracking.city_projects(city)
    summary = tracking.city_summary(city)
    summary["visions"] = [v["text"] for v in _visions(_adopted_plans(city, projects))]
    return summary, [tracking.project_dict(p, detail=True) for p in projects]


def _attachment(body: bytes, mimetype: str, city: City, extension: str) -> Response:
    name = f"{city.slug}-monitoring-{date.today().isoformat()}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/cities/<slug>/report.docx")
def report_docx(slug: str):
    city = _city(slug)
    summary, projects = _report_data(city)
    return _attachment(render_city_docx(summary, projects), DOCX, city, "docx")


@bp.get("/cities/<slug>/report.xlsx")
def report_xlsx(slug: str):
    city = _city(slug)
    summary, projects = _report_data(city)
    return _attachment(render_city_xlsx(summary, projects), XLSX, city, "xlsx")


# ---------------------------------------------------------------- facilitator pages


def _updatable(project_id: int) -> TrackedProject:
    """The project, if the logged-in facilitator is one of its city's; else 404/403."""
    project = tracking.get_project(project_id)
    tracking.require_updater(current_user, project)
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
        raw = tracking.UpdateInput(
            entered["status"] or None,
            entered["progress"] or None,
            entered["note"] or None,
            entered["date"] or None,
        )
        try:
            tracking.add_update(project, raw, current_user, source="form")
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
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
        flash(error.message, "error")
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
        lambda: tracking_edit.add_milestone(project, form.get("title"), form.get("due_date")),
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
        lambda: tracking_edit.set_milestone_done(
            project, milestone_id, done, request.form.get("done_on")
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
        lambda: tracking_edit.add_indicator(
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
        lambda: tracking_edit.add_indicator_value(
            project, indicator_id, form.get("value"), form.get("date")
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
    tracking.require_updater(current_user, projects[0])
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
    reports: list[tracking.RowReport] = []
    outcome, status, message = None, 200, None
    if request.method == "POST":
        _checked_form()
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        try:
            if not data:
                raise Invalid(_("Choose a CSV or XLSX file to upload."), "no_file")
            kind = _upload_kind(upload.filename or "", data)
            rows = _date_cells(tracking.parse_update_rows(data, kind))
            if not rows:
                raise Invalid(_("The file has no rows to import."), "empty_file")
            reports = tracking.import_updates(plan, rows, current_user)
            db.session.commit()
            outcome = "applied"
        except tracking.ImportRejected as error:
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
