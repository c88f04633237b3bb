"""Draft plan and exports (facilitators and planners of the workshop)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, jsonify, request

from ..api import bp
from ..api.schemas import PlanDraft, PlanItemCreate, PlanItemUpdate, parse_body
from ..auth import require_facilitator
from ..exports import FORMATS
from ..extensions import db
from ..services.errors import Conflict, Invalid, NotFound
from ..services.report import export_report
from ..services.workshops import get_owned_workshop
from . import workshop_plan as plans
from .drafting import DRAFT_TOP, merge_workshop
from .processes import is_single, process_plan
from .serialize import plan_dict as process_plan_dict


def _plan_or_404(workshop):
    if not is_single(workshop):
        raise Conflict(
            "this workshop is a phase of a planning process: edit its plan at "
            f"/api/v1/processes/{workshop.process_id}/plan/items",
            "plan_of_process",
        )
    plan = plans.get_plan(workshop)
    if plan is None:
        raise NotFound("no draft plan yet: POST .../plan/draft first", "plan_not_found")
    return plan


@bp.post("/workshops/<code>/plan/draft")
def draft_plan(code: str):
    """A workshop with a plan of its own redrafts it; a phase of a process merges its
    results into the process plan and answers with that plan."""
    workshop = get_owned_workshop(code, require_facilitator())
    body = parse_body(PlanDraft) if request.data else PlanDraft()
    if not is_single(workshop):
        plan = merge_workshop(workshop, top=body.top or DRAFT_TOP)
        db.session.commit()
        return jsonify(process_plan_dict(plan))
    plan, created = plans.draft_plan(workshop, overwrite=body.overwrite)
    db.session.commit()
    return jsonify(plans.plan_dict(workshop, plan)), 201 if created else 200


@bp.get("/workshops/<code>/plan")
def show_plan(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    if not is_single(workshop):
        return jsonify(process_plan_dict(process_plan(workshop.process)))
    return jsonify(plans.plan_dict(workshop, _plan_or_404(workshop)))


@bp.post("/workshops/<code>/plan/items")
def add_plan_item(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    plan = _plan_or_404(workshop)
    body = parse_body(PlanItemCreate)
    item = plans.add_item(
        plan, body.section, body.text, body.horizon, body.owner_agency, body.indicator
    )
    db.session.commit()
    return jsonify(plans.item_dict(item)), 201


@bp.patch("/workshops/<code>/plan/items/<item_id>")
def update_plan_item(code: str, item_id: str):
    workshop = get_owned_workshop(code, require_facilitator())
    plan = _plan_or_404(workshop)
    changes = parse_body(PlanItemUpdate).model_dump(exclude_unset=True)
    if not changes:
        raise Invalid("nothing to change", "nothing_to_change")
    item = plans.update_item(plan, item_id, changes)
    db.session.commit()
    return jsonify(plans.item_dict(item))


@bp.delete("/workshops/<code>/plan/items/<item_id>")
def delete_plan_item(code: str, item_id: str):
    workshop = get_owned_workshop(code, require_facilitator())
    plans.delete_item(_plan_or_404(workshop), item_id)
    db.session.commit()
    return "", 204


@bp.get("/workshops/<code>/export")
def export(code: str):
    workshop = get_owned_workshop(code, require_facilitator())
    fmt = request.args.get("format", "json")
    if fmt == "geojson":  # one map activity's pins (workshop/kinds/geojson.py)
        from ..kinds.geojson import geojson_response

        return geojson_response(workshop, request.args.get("activity"))
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", "invalid_format")
    result = export_report(workshop, fmt)
    response = Response(result.body, mimetype=result.mimetype)
    if result.filename:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{_ascii(result.filename)}"; '
            f"filename*=UTF-8''{quote(result.filename)}"
        )
    return response


def _ascii(name: str) -> str:
    return name.encode("ascii", "replace").decode().replace("?", "_")
