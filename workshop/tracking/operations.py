"""From plan to progress: adopted projects, dated updates, bulk imports, city overviews."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    PROJECT_STATUSES,
    City,
    CoFacilitator,
    Facilitator,
    Plan,
    ProjectUpdate,
    Statement,
    TrackedProject,
    Workshop,
    as_json,
    utcnow,
)
from ..services.errors import Conflict, Forbidden, Invalid, NotFound
from ..services.plan import get_plan

MAX_IMPORT_ROWS = 5000


def adopt_plan(workshop: Workshop) -> tuple[Plan, list[TrackedProject]]:
    """Turn the plan's projects into tracked projects (once)."""
    plan = get_plan(workshop)
    if plan is None:
        raise NotFound("no draft plan yet: make the draft first", "plan_not_found")
    if plan.adopted_at is not None:
        raise Conflict("this plan is already adopted", "already_adopted")
    goals = [i.text for i in plan.items if i.section == "goals"]
    projects = []
    for item in sorted(plan.items, key=lambda i: (i.horizon or "", i.position, i.id)):
        if item.section != "projects":
            continue
        project = TrackedProject(
            plan_id=plan.id,
            city_id=workshop.city_id,
            plan_item_id=item.id,
            statement_id=item.statement_id,
            title=item.text,
            horizon=item.horizon,
            owner_agency=item.owner_agency,
            goal=goals[0] if len(goals) == 1 else None,
            evidence=dict(item.evidence or {}),
        )
        db.session.add(project)
        projects.append(project)
    plan.adopted_at = utcnow()
    db.session.flush()
    if any(i.indicator for i in plan.items):
        from ..models import Indicator

        for project, item in zip(
            projects, [i for i in plan.items if i.section == "projects"], strict=False
        ):
            if item.indicator:
                db.session.add(Indicator(project_id=project.id, name=item.indicator))
        db.session.flush()
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
    """Facilitators of the project's city: they run (own or co-run) a workshop there."""
    plan = db.session.get(Plan, project.plan_id)
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


def _check_update(raw: UpdateInput) -> tuple[str | None, int | None, str | None, date]:
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
    status, progress, note, when = _check_update(raw)
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


@dataclass
class RowReport:
    row: int
    project_id: object
    ok: bool
    errors: list[str]


def parse_update_rows(data: bytes, kind: str) -> list[dict]:
    """Rows of a CSV (UTF-8, BOM allowed) or XLSX upload as dicts of text."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 - any unreadable file is the same error to the user
            raise Invalid("the file is not a readable XLSX workbook", "invalid_file") from None
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        if not rows:
            raise Invalid("the workbook is empty", "invalid_file")
        header = [str(h).strip().lower() for h in rows[0]]
        return [
            dict(zip(header, [_cell(v) for v in row], strict=False))
            for row in rows[1:]
            if any(str(v).strip() for v in row)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the CSV must be UTF-8", "invalid_file") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise Invalid("the CSV is empty", "invalid_file")
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    return [row for row in reader if any((v or "").strip() for v in row.values())]


def _cell(value: object) -> object:
    """An XLSX cell as the CSV would have it: dates (Excel stores datetimes) as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def import_updates(plan: Plan, rows: list[dict], actor: Facilitator) -> list[RowReport]:
    """Apply every row or none: returns the per-row report; raises Invalid listing bad rows."""
    required = {"project_id", "status", "progress", "note"}
    if rows and not required <= set(rows[0]):
        raise Invalid("columns must be project_id,status,progress,note[,date]", "invalid_columns")
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(f"at most {MAX_IMPORT_ROWS} rows per import", "too_many_rows")
    projects = {
        p.id: p
        for p in db.session.scalars(select(TrackedProject).where(TrackedProject.plan_id == plan.id))
    }
    reports: list[RowReport] = []
    checked = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        raw_id = str(row.get("project_id") or "").strip()
        errors = []
        project = projects.get(int(raw_id)) if raw_id.isdigit() else None
        if project is None:
            errors.append(f"project {raw_id or '(empty)'} is not in this plan")
        else:
            try:
                require_updater(actor, project)
            except Forbidden as error:
                errors.append(error.message)
        raw = UpdateInput(row.get("status"), row.get("progress"), row.get("note"), row.get("date"))
        try:
            _check_update(raw)
        except Invalid as error:
            errors.extend(error.message.split("; "))
        reports.append(RowReport(number, raw_id, not errors, errors))
        checked.append((project, raw))
    bad = [r for r in reports if not r.ok]
    if bad:
        raise ImportRejected(reports)
    for project, raw in checked:
        add_update(project, raw, actor, source="import")
    return reports


class ImportRejected(Invalid):
    """Some rows are invalid: nothing was applied."""

    def __init__(self, reports: list[RowReport]) -> None:
        bad = [r for r in reports if not r.ok]
        super().__init__(
            f"{len(bad)} of {len(reports)} rows are invalid; nothing was applied", "invalid_rows"
        )
        self.reports = reports

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["rows"] = [report_dict(r) for r in self.reports if not r.ok]
        return data


def report_dict(report: RowReport) -> dict:
    return {
        "row": report.row,
        "project_id": report.project_id,
        "ok": report.ok,
        "errors": report.errors,
    }


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
