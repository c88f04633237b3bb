"""Adopting the plan: the tree's projects become tracked projects, and progress rolls up.

A tracked project keeps where it stands in the tree (its goal and strategy), its budget
and owner, and the evidence of every meeting that supported it. Adopting again after a new
draft version updates the projects already tracked (their progress and history stay) and
adds the new ones.

Roll-up: a strategy's progress is the weighted mean of its projects' progress, a goal's
the weighted mean of all the projects under it; the weight is the budget when every one of
those projects has a budget, else each counts the same.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Facilitator,
    Indicator,
    Plan,
    PlanItem,
    PlanVersion,
    TrackedProject,
    utcnow,
)
from .versions import freeze


def _ancestors(item: PlanItem, by_id: dict[int, PlanItem]) -> tuple[PlanItem | None, ...]:
    strategy = by_id.get(item.parent_id) if item.parent_id else None
    goal = by_id.get(strategy.parent_id) if strategy and strategy.parent_id else None
    return strategy, goal


def city_of_plan(plan: Plan) -> int | None:
    if plan.process is not None and plan.process.city_id is not None:
        return plan.process.city_id
    return plan.workshop.city_id if plan.workshop else None


def adopt(
    plan: Plan, actor: Facilitator | None, note: object = None
) -> tuple[PlanVersion, list[TrackedProject]]:
    """Freeze an ``adopted`` version and track the tree's projects (the caller has checked
    that the plan may be adopted)."""
    by_id = {i.id: i for i in plan.items}
    goals = [i for i in plan.items if i.section == "goals"]
    tracked = {
        p.plan_item_id: p
        for p in db.session.scalars(select(TrackedProject).where(TrackedProject.plan_id == plan.id))
        if p.plan_item_id is not None
    }
    city_id = city_of_plan(plan)
    projects = []
    for item in sorted(plan.items, key=lambda i: (i.horizon or "", i.position, i.id)):
        if item.section != "projects":
            continue
        strategy, goal = _ancestors(item, by_id)
        if goal is None and strategy is None and len(goals) == 1:
            goal = goals[0]
        project = tracked.get(item.id)
        if project is None:
            project = TrackedProject(plan_id=plan.id, plan_item_id=item.id, city_id=city_id)
            db.session.add(project)
        project.statement_id = item.statement_id
        project.title = item.text
        project.horizon = item.horizon
        project.owner_agency = item.owner_agency
        if item.budget is not None:
            project.budget = item.budget
        project.goal = goal.text if goal else None
        project.strategy = strategy.text if strategy else None
        project.goal_item_id = goal.id if goal else None
        project.strategy_item_id = strategy.id if strategy else None
        project.evidence = {**(item.evidence or {}), "meetings": list(item.evidence_log or [])}
        projects.append(project)
    if plan.adopted_at is None:
        plan.adopted_at = utcnow()
    db.session.flush()
    for project in projects:
        item = by_id[project.plan_item_id]
        if item.indicator and not any(i.name == item.indicator for i in project.indicators):
            db.session.add(Indicator(project_id=project.id, name=item.indicator))
    version = freeze(plan, "adopted", note, actor)
    return version, projects


def project_dict(project: TrackedProject) -> dict:
    from ..tracking.serialize import project_dict as tracked_dict

    return {
        **tracked_dict(project),
        "strategy": project.strategy,
        "plan_item_id": project.plan_item_id,
        "goal_item_id": project.goal_item_id,
        "strategy_item_id": project.strategy_item_id,
    }


def weighted_progress(projects: list[TrackedProject]) -> float | None:
    """The weighted mean progress (0-100) of ``projects``; None when there are none."""
    live = [p for p in projects if p.status != "cancelled"]
    if not live:
        return None
    if all(p.budget for p in live):
        total = sum(p.budget for p in live)  # type: ignore[misc]
        return sum(p.progress * p.budget for p in live) / total  # type: ignore[operator]
    return sum(p.progress for p in live) / len(live)


def rollup(plan: Plan) -> dict[int, dict]:
    """Progress by plan item id: each tracked project's own, and every goal's and
    strategy's weighted mean of the projects under it. Empty before adoption."""
    if plan.adopted_at is None:
        return {}
    projects = list(
        db.session.scalars(select(TrackedProject).where(TrackedProject.plan_id == plan.id))
    )
    own = {
        p.plan_item_id: {
            "project_id": p.id,
            "progress": p.progress,
            "status": p.status,
            "budget": p.budget,
        }
        for p in projects
        if p.plan_item_id is not None
    }
    under: dict[int, list[TrackedProject]] = {}
    for project in projects:
        for node in (project.goal_item_id, project.strategy_item_id):
            if node is not None:
                under.setdefault(node, []).append(project)
    return {
        **own,
        **{
            node: {
                "progress": round(value, 1)
                if (value := weighted_progress(found)) is not None
                else None,
                "projects": len(found),
                "weighted_by": "budget" if all(p.budget for p in found) else "equal",
            }
            for node, found in under.items()
        },
    }
