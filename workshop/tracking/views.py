"""City progress pages: public overview, city and project pages, monitoring reports.

The public pages need no login and no JavaScript: progress bars and indicator charts
are server-rendered SVG (``workshop/charts.py``). This module makes the ``cities``
blueprint; the facilitators' pages on it (updates, bulk import, milestones and
indicators) are in ``facilitator_views``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import charts
from ..dates import format_date
from ..extensions import db
from ..models import PROJECT_STATUSES, City, Indicator, Plan, Statement, TrackedProject, Workshop
from ..services.errors import NotFound
from . import operations, serialize
from .reports_docx import render_city_docx
from .reports_xlsx import render_city_xlsx

bp = Blueprint("cities", __name__)

HORIZON_ORDER = ("short", "medium", "long", None)
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
        "is_overdue": serialize.is_overdue,
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
        "cities/overview.html", rows=[(c, serialize.city_summary(c)) for c in cities]
    )


def _public_processes(city: City) -> list[dict]:
    from ..planning.summary import public_processes  # planning builds on tracking

    return public_processes(city)


@bp.get("/cities/<slug>")
def city_page(slug: str):
    city = _city(slug)
    projects = serialize.city_projects(city)
    return render_template(
        "cities/city.html",
        city=city,
        summary=serialize.city_summary(city),
        visions=_visions(_adopted_plans(city, projects)),
        groups=_grouped(projects),
        processes=_public_processes(city),
    )


@bp.get("/cities/<slug>/projects/<int:project_id>")
def project_page(slug: str, project_id: int):
    city = _city(slug)
    project = _city_project(city, project_id)
    can_update = current_user.is_authenticated and operations.may_update(current_user, project)
    return render_template(
        "cities/project.html",
        city=city,
        project=project,
        workshop=project.plan.workshop,
        updates=sorted(project.updates, key=lambda u: (u.date, u.id), reverse=True),
        sources=_sources(project),
        support=_support(project.evidence),
        meetings=[(m, _support(m)) for m in (project.evidence or {}).get("meetings", [])],
        evidence=project.evidence or {},
        can_update=can_update,
    )


def _report_data(city: City) -> tuple[dict, list[dict]]:
    projects = serialize.city_projects(city)
    summary = serialize.city_summary(city)
    summary["visions"] = [v["text"] for v in _visions(_adopted_plans(city, projects))]
    return summary, [serialize.project_dict(p, detail=True) for p in projects]


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


# The facilitators' pages attach their views to ``bp`` when imported.
from . import facilitator_views  # noqa: E402,F401
