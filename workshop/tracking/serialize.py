"""The JSON shapes of tracked projects and of city summaries (API, pages, reports)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import PROJECT_STATUSES, City, Statement, TrackedProject, as_json


def is_overdue(project: TrackedProject, today: date | None = None) -> bool:
    today = today or date.today()
    return (
        project.due_date is not None
        and project.due_date < today
        and project.status not in ("done", "cancelled")
    )


def project_dict(project: TrackedProject, detail: bool = False) -> dict:
    data = {
        "id": project.id,
        "plan_id": project.plan_id,
        "city": project.city.slug if project.city else None,
        "title": project.title,
        "horizon": project.horizon,
        "goal": project.goal,
        "owner_agency": project.owner_agency,
        "budget": project.budget,
        "start_date": as_json(project.start_date),
        "due_date": as_json(project.due_date),
        "status": project.status,
        "progress": project.progress,
        "overdue": is_overdue(project),
        "last_update": as_json(project.updates[-1].date) if project.updates else None,
    }
    if detail:
        statement_ids = [project.statement_id] if project.statement_id else []
        statement_ids += [m["id"] for m in (project.evidence or {}).get("merged_from", [])]
        statements = db.session.scalars(select(Statement).where(Statement.id.in_(statement_ids)))
        data.update(
            updates=[
                {
                    "id": u.id,
                    "date": as_json(u.date),
                    "status": u.status,
                    "progress": u.progress,
                    "note": u.note,
                    "source": u.source,
                    "by": u.facilitator.email if u.facilitator else None,
                }
                for u in project.updates
            ],
            source_statements=[
                {"id": s.id, "text": s.text, "group": s.group, "workshop_id": s.workshop_id}
                for s in statements
            ],
            support=(project.evidence or {}).get("by_group", {}),
            evidence=project.evidence or {},
            milestones=[
                {
                    "id": m.id,
                    "title": m.title,
                    "due_date": as_json(m.due_date),
                    "done_on": as_json(m.done_on),
                }
                for m in project.milestones
            ],
            indicators=[
                {
                    "id": i.id,
                    "name": i.name,
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "target": i.target,
                    "values": [{"date": as_json(v.date), "value": v.value} for v in i.values],
                }
                for i in project.indicators
            ],
        )
    return data


def city_dict(city: City) -> dict:
    return {
        "slug": city.slug,
        "name_th": city.name_th,
        "name_en": city.name_en,
        "type": city.type,
        "phase": city.phase,
    }


def city_projects(city: City) -> list[TrackedProject]:
    return list(
        db.session.scalars(
            select(TrackedProject)
            .where(TrackedProject.city_id == city.id)
            .order_by(TrackedProject.id)
        )
    )


def city_summary(city: City) -> dict:
    projects = city_projects(city)
    by_status = {s: 0 for s in PROJECT_STATUSES}
    for p in projects:
        by_status[p.status] = by_status.get(p.status, 0) + 1
    updates = [u.date for p in projects for u in p.updates]
    return {
        **city_dict(city),
        "projects": len(projects),
        "by_status": by_status,
        "mean_progress": round(sum(p.progress for p in projects) / len(projects), 1)
        if projects
        else None,
        "overdue": sum(1 for p in projects if is_overdue(p)),
        "last_update": as_json(max(updates)) if updates else None,
    }
