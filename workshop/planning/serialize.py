"""The JSON shape of a process plan: a tree, each item with the evidence of every meeting."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Plan, PlanIndicator, PlanItem, PlanningProcess
from .tree import HORIZONS


def preload_indicators(items: list[PlanItem]) -> None:
    """Load every goal's indicators and their values in two queries, not two per goal."""
    waiting = {
        i.id: i
        for i in items
        if i.section == "goals" and i.id is not None and "indicators" not in i.__dict__
    }
    if not waiting:
        return
    found: dict[int, list[PlanIndicator]] = defaultdict(list)
    query = (
        select(PlanIndicator)
        .where(PlanIndicator.item_id.in_(waiting))
        .options(selectinload(PlanIndicator.values))
        .order_by(PlanIndicator.id)
    )
    for indicator in db.session.scalars(query):
        found[indicator.item_id].append(indicator)
    for ident, item in waiting.items():
        set_committed_value(item, "indicators", found[ident])


def indicator_dict(indicator: PlanIndicator, with_values: bool = True) -> dict:
    data = {
        "id": indicator.id,
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline_value": indicator.baseline_value,
        "baseline_year": indicator.baseline_year,
        "target_value": indicator.target_value,
        "target_year": indicator.target_year,
    }
    if with_values:
        values = indicator.values
        data["values"] = [
            {"value": v.value, "date": v.date.isoformat(), "note": v.note} for v in values
        ]
        data["latest_value"] = values[-1].value if values else None
    return data


def item_dict(item: PlanItem) -> dict:
    data = {
        "id": item.id,
        "section": item.section,
        "parent_id": item.parent_id,
        "position": item.position,
        "text": item.text,
        "statement_id": item.statement_id,
        "added_by_planner": item.added_by_planner,
        "evidence": list(item.evidence_log or []),
    }
    if item.section == "goals":
        data["indicators"] = [indicator_dict(i) for i in item.indicators]
    if item.section == "projects":
        data.update(
            horizon=item.horizon,
            owner_agency=item.owner_agency,
            partner_agencies=list(item.partner_agencies or []),
            budget=item.budget,
            funding_source=item.funding_source,
            start_year=item.start_year,
            end_year=item.end_year,
            indicator=item.indicator,
        )
    elif item.owner_agency:
        data["owner_agency"] = item.owner_agency
    return data


def _ordered(items: list[PlanItem]) -> list[PlanItem]:
    def key(item: PlanItem) -> tuple:
        horizon = HORIZONS.index(item.horizon) if item.horizon in HORIZONS else 9
        return (horizon if item.section == "projects" else 0, item.position, item.id)

    return sorted(items, key=key)


def tree_dict(plan: Plan, progress: dict[int, dict] | None = None) -> dict:
    """vision, alternatives, goals > strategies > projects, and what waits unplaced.
    ``progress`` (plan item id -> figures, from ``adoption.rollup``) adds tracking's
    progress to goals, strategies and projects."""
    progress = progress or {}
    preload_indicators(plan.items)
    by_parent: dict[int | None, dict[str, list[PlanItem]]] = defaultdict(lambda: defaultdict(list))
    ids = {i.id for i in plan.items}
    for item in plan.items:
        parent = item.parent_id if item.parent_id in ids else None
        by_parent[parent][item.section].append(item)
    top = by_parent[None]

    def project(item: PlanItem) -> dict:
        data = item_dict(item)
        if item.id in progress:
            data["tracking"] = progress[item.id]
        return data

    def strategy(item: PlanItem) -> dict:
        data = item_dict(item)
        if item.id in progress:
            data["progress"] = progress[item.id]
        data["projects"] = [project(p) for p in _ordered(by_parent[item.id]["projects"])]
        return data

    def goal(item: PlanItem) -> dict:
        data = item_dict(item)
        if item.id in progress:
            data["progress"] = progress[item.id]
        data["strategies"] = [strategy(s) for s in _ordered(by_parent[item.id]["strategies"])]
        return data

    vision = _ordered(top["vision"])
    return {
        "vision": item_dict(vision[0]) if vision else None,
        "alternatives": [item_dict(i) for i in _ordered(top["alternatives"] + vision[1:])],
        "goals": [goal(g) for g in _ordered(top["goals"])],
        "unplaced": {
            "strategies": [strategy(s) for s in _ordered(top["strategies"])],
            "projects": [project(p) for p in _ordered(top["projects"])],
        },
    }


def evidence_summary(plan: Plan) -> dict:
    """Which meetings fed the plan, and how many items each touched."""
    meetings: dict[str, int] = defaultdict(int)
    for item in plan.items:
        for code in {e.get("workshop") for e in item.evidence_log or [] if e.get("workshop")}:
            meetings[code] += 1
    return {
        "items": len(plan.items),
        "items_with_evidence": sum(1 for i in plan.items if i.evidence_log),
        "by_workshop": dict(sorted(meetings.items())),
    }


def plan_dict(plan: Plan, progress: dict[int, dict] | None = None) -> dict:
    process: PlanningProcess | None = plan.process
    return {
        "plan_id": plan.id,
        "process_id": plan.process_id,
        "version": plan.version,
        "status": plan.status,
        "revision": plan.revision,
        "drafted_at": plan.drafted_at.isoformat() if plan.drafted_at else None,
        "adopted_at": plan.adopted_at.isoformat() if plan.adopted_at else None,
        "years": (
            {"start_year_be": process.start_year_be, "end_year_be": process.end_year_be}
            if process
            else None
        ),
        **tree_dict(plan, progress),
        "evidence": evidence_summary(plan),
    }


def version_dict(version) -> dict:
    return {
        "number": version.number,
        "status": version.status,
        "note": version.note,
        "by": version.facilitator.email if version.facilitator else None,
        "at": version.created_at.isoformat(),
    }
