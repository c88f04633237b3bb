"""From plan to progress: adopting a plan, who updates a project, dated updates.

Bulk imports of updates are in ``imports``; the JSON shapes of projects and city
summaries in ``serialize``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    PROJECT_STATUSES,
    CoFacilitator,
    Facilitator,
    Plan,
    ProjectUpdate,
    TrackedProject,
    Workshop,
    utcnow,
)
from ..planning.workshop_plan import get_plan
from ..services.errors import Conflict, Forbidden, Invalid, NotFound


def adopt_plan(
    workshop: Workshop, actor: Facilitator | None = None
) -> tuple[Plan, list[TrackedProject]]:
    """Adopt a single workshop's plan (once): the process plan's adoption, for a process
    of one meeting, so both paths make the same tracked projects."""
    from ..planning.adoption import adopt

    plan = get_plan(workshop)
    if plan is None:
        raise NotFound("no draft plan yet: make the draft first", "plan_not_found")
    if plan.adopted_at is not None or plan.status == "adopted":
        raise Conflict("this plan is already adopted", "already_adopted")
    _version, projects = adopt(plan, actor)
    return plan, projects


def get_project(project_id: object) -> TrackedProject:
    try:
        ident = int(project_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such project", "project_not_found") from None
    project = db.session.get(TrackedProject, ident)
    if project is None:
        raise NotFound("no such project", "project_not_found")
    return project


def may_update(facilitator: Facilitator, project: TrackedProject) -> bool:
    """Facilitators of the project's city: they run (own or co-run) a workshop there, or
    own the planning process the project was adopted in."""
    plan = db.session.get(Plan, project.plan_id)
    if plan.process is not None and plan.process.facilitator_id == facilitator.id:
        return True
    if project.city_id is None:
        workshops = select(Workshop.id).where(Workshop.id == plan.workshop_id)
    else:
        workshops = select(Workshop.id).where(Workshop.city_id == project.city_id)
    shared = select(CoFacilitator.workshop_id).where(CoFacilitator.facilitator_id == facilitator.id)
    found = db.session.scalar(
        select(Workshop.id)
        .where(
            Workshop.id.in_(workshops),
            or_(Workshop.facilitator_id == facilitator.id, Workshop.id.in_(shared)),
        )
        .limit(1)
    )
    return found is not None


def require_updater(facilitator: Facilitator, project: TrackedProject) -> None:
    if not may_update(facilitator, project):
        raise Forbidden("only facilitators of this city update its projects", "forbidden")


@dataclass
class UpdateInput:
    status: object = None
    progress: object = None
    note: object = None
    date: object = None
    errors: list[str] = field(default_factory=list)


def check_update(raw: UpdateInput) -> tuple[str | None, int | None, str | None, date]:
    """Validate one update; raises Invalid with every problem of it."""
    errors = []
    status = raw.status if raw.status not in ("", None) else None
    if status is not None and status not in PROJECT_STATUSES:
        errors.append(f"status must be one of {', '.join(PROJECT_STATUSES)}")
    progress = raw.progress if raw.progress not in ("", None) else None
    if isinstance(progress, str):
        progress = int(progress) if progress.strip().isdigit() else progress
    if progress is not None and (
        isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100
    ):
        errors.append("progress must be a whole number from 0 to 100")
        progress = None
    note = raw.note if raw.note not in ("", None) else None
    if note is not None and (not isinstance(note, str) or len(note) > 2000):
        errors.append("note must be text of at most 2000 characters")
    when = raw.date
    if when in ("", None):
        when = date.today()
    elif isinstance(when, str):
        try:
            when = date.fromisoformat(when.strip())
        except ValueError:
            errors.append("date must be YYYY-MM-DD")
    elif not isinstance(when, date):
        errors.append("date must be YYYY-MM-DD")
    if status is None and progress is None and note is None and not errors:
        errors.append("send at least one of status, progress or note")
    if errors:
        raise Invalid("; ".join(errors), "invalid_update")
    return status, progress, note, when  # type: ignore[return-value]


def add_update(
    project: TrackedProject, raw: UpdateInput, actor: Facilitator | None, source: str = "api"
) -> ProjectUpdate:
    status, progress, note, when = check_update(raw)
    update = ProjectUpdate(
        project=project,
        date=when,
        status=status,
        progress=progress,
        note=note,
        facilitator_id=actor.id if actor else None,
        source=source,
    )
    db.session.add(update)
    if status is not None:
        project.status = status
    if progress is not None:
        project.progress = progress
    project.updated_at = utcnow()
    db.session.flush()
    return update
