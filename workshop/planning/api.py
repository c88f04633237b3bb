"""``/api/v1/processes``: a city's planning process, its living plan, versions and exports.

Thin edges: parse, call the planning operations, commit once.
"""

from __future__ import annotations

from flask import jsonify, request

from ..api import bp
from ..api.schemas import (
    IndicatorValueCreate,
    PlanStatusChange,
    ProcessCreate,
    ProcessUpdate,
    json_object,
    parse_body,
)
from ..auth import require_facilitator
from ..extensions import db
from ..models import PlanIndicator, PlanIndicatorValue, PlanItem, PlanningProcess
from ..services.errors import Invalid, NotFound
from ..services.workshops import get_owned_workshop
from . import adoption, processes, tree, versions
from .serialize import indicator_dict, item_dict, plan_dict, version_dict
from .summary import process_dict


def _readable(process_id: str) -> PlanningProcess:
    """A published process is public; otherwise only its facilitators read it."""
    try:
        process = processes.get_process(process_id)
    except NotFound:
        require_facilitator()  # 401/403 before saying what does not exist
        raise
    if not process.published:
        processes.get_managed_process(process.id, require_facilitator())
    return process


@bp.post("/processes")
def create_process():
    facilitator = require_facilitator()
    body = parse_body(ProcessCreate)
    process = processes.create_process(
        facilitator, body.title, body.city, body.start_year_be, body.end_year_be, body.title_en
    )
    db.session.commit()
    return jsonify(process_dict(process)), 201


@bp.get("/processes")
def list_processes():
    facilitator = require_facilitator()
    return jsonify(
        {"processes": [process_dict(p, brief=True) for p in processes.processes_of(facilitator)]}
    )


@bp.get("/processes/<process_id>")
def show_process(process_id: str):
    return jsonify(process_dict(_readable(process_id)))


@bp.patch("/processes/<process_id>")
def update_process(process_id: str):
    process = processes.get_managed_process(process_id, require_facilitator())
    body = parse_body(ProcessUpdate)
    processes.update_process(process, body.model_dump(exclude_unset=True))
    db.session.commit()
    return jsonify(process_dict(process))


@bp.post("/processes/<process_id>/workshops")
def process_add_workshop(process_id: str):
    """An existing workshop (``{"code"}``) or a new one (the body of POST /workshops)."""
    from ..api.routes import create_workshop_from_body

    facilitator = require_facilitator()
    process = processes.get_managed_process(process_id, facilitator)
    data = json_object()
    purpose = data.get("purpose")
    if "code" in data:
        if not isinstance(data["code"], str):
            raise Invalid("code must be a workshop's short code", "invalid_field")
        workshop = get_owned_workshop(data["code"], facilitator)
        held_on = processes.parse_date(data.get("date"))
    else:
        processes.check_open(process)
        if "city" not in data and process.city is not None:
            data = {**data, "city": process.city.slug}
        workshop = create_workshop_from_body(facilitator, data)
        held_on = None
    processes.add_workshop(process, workshop, facilitator, purpose, held_on)
    db.session.commit()
    return jsonify(process_dict(process)), 201


@bp.get("/processes/<process_id>/plan")
def process_show_plan(process_id: str):
    plan = processes.process_plan(_readable(process_id))
    return jsonify(plan_dict(plan, adoption.rollup(plan)))


def _managed_plan(process_id: str):
    process = processes.get_managed_process(process_id, require_facilitator())
    return process, processes.process_plan(process)


@bp.post("/processes/<process_id>/plan/items")
def process_add_item(process_id: str):
    _, plan = _managed_plan(process_id)
    item = tree.add_item(plan, json_object())
    db.session.commit()
    return jsonify({**item_dict(item), "revision": plan.revision}), 201


@bp.patch("/processes/<process_id>/plan/items/<item_id>")
def process_update_item(process_id: str, item_id: str):
    _, plan = _managed_plan(process_id)
    changes = json_object()
    if not set(changes) - {"base_revision"}:
        raise Invalid("nothing to change", "nothing_to_change")
    item = tree.update_item(plan, item_id, changes)
    db.session.commit()
    return jsonify({**item_dict(item), "revision": plan.revision})


@bp.delete("/processes/<process_id>/plan/items/<item_id>")
def process_delete_item(process_id: str, item_id: str):
    _, plan = _managed_plan(process_id)
    base = request.args.get("base_revision", type=int)
    tree.delete_item(plan, item_id, base)
    db.session.commit()
    return "", 204


@bp.post("/processes/<process_id>/plan/status")
def process_change_status(process_id: str):
    facilitator = require_facilitator()
    process = processes.get_managed_process(process_id, facilitator)
    plan = processes.process_plan(process)
    body = parse_body(PlanStatusChange)
    status = versions.check_transition(plan, body.status)
    if status == "adopted":
        version, _ = adoption.adopt(plan, facilitator, body.note)
    else:
        version = versions.freeze(plan, status, body.note, facilitator)
    db.session.commit()
    return jsonify({**plan_dict(plan), "version": version.number, "frozen": version_dict(version)})


@bp.get("/processes/<process_id>/plan/versions")
def process_list_versions(process_id: str):
    plan = processes.process_plan(_readable(process_id))
    return jsonify({"versions": [version_dict(v) for v in plan.versions]})


@bp.get("/processes/<process_id>/plan/versions/<number>")
def process_show_version(process_id: str, number: str):
    plan = processes.process_plan(_readable(process_id))
    return jsonify(versions.get_version(plan, number))


@bp.get("/processes/<process_id>/plan/versions/<a>/diff/<b>")
def process_diff_versions(process_id: str, a: str, b: str):
    plan = processes.process_plan(_readable(process_id))
    return jsonify(versions.diff(versions.get_version(plan, a), versions.get_version(plan, b)))


@bp.post("/processes/<process_id>/plan/adopt")
def process_adopt(process_id: str):
    facilitator = require_facilitator()
    process = processes.get_managed_process(process_id, facilitator)
    plan = processes.process_plan(process)
    versions.check_transition(plan, "adopted")
    note = (request.get_json(silent=True) or {}).get("note") if request.data else None
    version, projects = adoption.adopt(plan, facilitator, note)
    db.session.commit()
    return jsonify(
        {
            "plan_id": plan.id,
            "plan_version": version.number,
            "projects": [adoption.project_dict(p) for p in projects],
        }
    ), 201


@bp.post("/processes/<process_id>/plan/indicators/<indicator_id>/values")
def process_add_indicator_value(process_id: str, indicator_id: str):
    """A measured value of a goal's indicator (tracking; allowed on an adopted plan)."""
    _, plan = _managed_plan(process_id)
    indicator = db.session.get(PlanIndicator, int(indicator_id)) if indicator_id.isdigit() else None
    item = db.session.get(PlanItem, indicator.item_id) if indicator else None
    if indicator is None or item is None or item.plan_id != plan.id:
        raise NotFound("no such indicator in this plan", "indicator_not_found")
    body = parse_body(IndicatorValueCreate)
    indicator.values.append(PlanIndicatorValue(value=body.value, date=body.date, note=body.note))
    db.session.commit()
    return jsonify(indicator_dict(indicator)), 201


@bp.get("/processes/<process_id>/export")
def process_export(process_id: str):
    from urllib.parse import quote

    from flask import Response

    from .exports import export_process

    process = _readable(process_id)
    processes.process_plan(process)
    content, mimetype, filename = export_process(
        process, request.args.get("format", "json"), request.args.get("diff")
    )
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
