"""Cities and the progress of adopted plans: public reads, updates by city facilitators."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from ..api import bp
from ..api.schemas import ProjectPatch, ProjectUpdateCreate, parse_body
from ..auth import require_facilitator
from ..extensions import db
from ..models import City, Plan
from ..services.errors import BadRequest, NotFound
from ..services.workshops import get_owned_workshop
from . import imports, operations, serialize

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/cities")
def cities():
    rows = db.session.scalars(select(City).order_by(City.id))
    return jsonify([serialize.city_summary(c) for c in rows])


def _city(slug: str) -> City:
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound("no city with that slug", "city_not_found")
    return city


@bp.get("/cities/<slug>")
def city(slug: str):
    city = _city(slug)
    return jsonify(
        {
            **serialize.city_summary(city),
            "projects_list": [serialize.project_dict(p) for p in serialize.city_projects(city)],
        }
    )


@bp.post("/workshops/<code>/plan/adopt")
def adopt(code: str):
    facilitator = require_facilitator()
    workshop = get_owned_workshop(code, facilitator)
    plan, projects = operations.adopt_plan(workshop, facilitator)
    db.session.commit()
    return jsonify(
        {"plan_id": plan.id, "projects": [serialize.project_dict(p) for p in projects]}
    ), 201


@bp.get("/projects/<project_id>")
def project(project_id: str):
    return jsonify(serialize.project_dict(operations.get_project(project_id), detail=True))


@bp.patch("/projects/<project_id>")
def patch_project(project_id: str):
    facilitator = require_facilitator()  # 401/403 before anything about the project
    project = operations.get_project(project_id)
    operations.require_updater(facilitator, project)
    body = parse_body(ProjectPatch)
    for name, value in body.model_dump(exclude_unset=True).items():
        setattr(project, name, value)
    db.session.commit()
    return jsonify(serialize.project_dict(project, detail=True))


@bp.post("/projects/<project_id>/updates")
def add_update(project_id: str):
    facilitator = require_facilitator()  # 401/403 before anything about the project
    project = operations.get_project(project_id)
    operations.require_updater(facilitator, project)
    body = parse_body(ProjectUpdateCreate)
    update = operations.add_update(
        project,
        operations.UpdateInput(body.status, body.progress, body.note, body.date),
        facilitator,
    )
    db.session.commit()
    return jsonify({"id": update.id, "project": serialize.project_dict(project, detail=True)}), 201


@bp.post("/plans/<plan_id>/updates/import")
def import_updates(plan_id: str):
    """Bulk progress updates: a CSV body (text/csv) or an XLSX file; all rows or none."""
    facilitator = require_facilitator()
    plan = db.session.get(Plan, int(plan_id)) if plan_id.isdigit() else None
    if plan is None:
        raise NotFound("no such plan", "plan_not_found")
    upload = request.files.get("file")
    data = upload.read() if upload else request.get_data()
    if not data:
        raise BadRequest("send the CSV as the body (text/csv) or a file field named 'file'")
    kind = (
        "xlsx"
        if (
            request.mimetype == XLSX
            or (upload and upload.filename.endswith(".xlsx"))
            or data[:2] == b"PK"
        )
        else "csv"
    )
    rows = imports.parse_update_rows(data, kind)
    reports = imports.import_updates(plan, rows, facilitator)
    db.session.commit()
    return jsonify({"applied": len(reports), "rows": [imports.report_dict(r) for r in reports]})
