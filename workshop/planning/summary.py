"""A process as the API and its page show it: the meetings in order, the plan, versions."""

from __future__ import annotations

from collections import Counter

from ..models import PlanningProcess, Workshop
from ..services.snapshots import participant_counts
from .serialize import plan_dict, version_dict


def _contributions(process: PlanningProcess) -> dict[str, Counter]:
    """Per workshop code: how many plan items of each section its evidence touches."""
    found: dict[str, Counter] = {}
    plan = process.plan
    for item in plan.items if plan else []:
        for code in {e.get("workshop") for e in item.evidence_log or []}:
            if code:
                found.setdefault(code, Counter())[item.section] += 1
    return found


def phase_dict(workshop: Workshop, contributed: Counter | None) -> dict:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "date": workshop.held_on.isoformat() if workshop.held_on else None,
        "purpose": workshop.phase_purpose,
        "position": workshop.phase_position,
        "participants": participant_counts(workshop),
        "contributed": dict(contributed or {}),
    }


def process_dict(process: PlanningProcess, brief: bool = False) -> dict:
    plan = process.plan
    data = {
        "id": process.id,
        "kind": process.kind,
        "title": process.title,
        "title_en": process.title_en,
        "city": process.city.slug if process.city else None,
        "city_name": process.city.name_th if process.city else None,
        "start_year_be": process.start_year_be,
        "end_year_be": process.end_year_be,
        "published": process.published,
        "created_at": process.created_at.isoformat(),
    }
    if brief:
        data["workshops"] = [w.code for w in process.workshops]
        data["plan"] = {"status": plan.status, "version": plan.version} if plan else None
        return data
    contributed = _contributions(process)
    data["workshops"] = [phase_dict(w, contributed.get(w.code)) for w in process.workshops]
    data["plan"] = plan_dict(plan) if plan else None
    data["versions"] = [version_dict(v) for v in plan.versions] if plan else []
    return data


def public_processes(city) -> list[dict]:
    """A city's published processes with the plan's tree and its progress, for the public
    city page (goals and strategies with their roll-up; projects are counted)."""
    from sqlalchemy import select

    from ..extensions import db
    from .adoption import rollup
    from .serialize import tree_dict

    found = db.session.scalars(
        select(PlanningProcess)
        .where(
            PlanningProcess.city_id == city.id,
            PlanningProcess.kind == "process",
            PlanningProcess.published.is_(True),
        )
        .order_by(PlanningProcess.start_year_be.desc(), PlanningProcess.id)
    )
    shown = []
    for process in found:
        plan = process.plan
        tree = tree_dict(plan, rollup(plan)) if plan else {"goals": [], "vision": None}
        shown.append(
            {
                "id": process.id,
                "title": process.title,
                "start_year_be": process.start_year_be,
                "end_year_be": process.end_year_be,
                "status": plan.status if plan else "draft",
                "version": plan.version if plan else 0,
                "meetings": len(process.workshops),
                "vision": tree["vision"]["text"] if tree.get("vision") else None,
                "goals": [
                    {
                        "text": goal["text"],
                        "progress": (goal.get("progress") or {}).get("progress"),
                        "strategies": [
                            {
                                "text": strategy["text"],
                                "progress": (strategy.get("progress") or {}).get("progress"),
                                "projects": len(strategy["projects"]),
                            }
                            for strategy in goal["strategies"]
                        ],
                    }
                    for goal in tree["goals"]
                ],
            }
        )
    return shown
