"""Planning processes: a city's meetings in order, each a phase with a date and a purpose."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, Plan, PlanningProcess, Workshop
from ..services.errors import Conflict, Forbidden, Invalid, NotFound
from ..services.workshops import can_manage, get_city

MIN_YEAR_BE, MAX_YEAR_BE = 2500, 2700  # 1957-2157
MAX_SPAN_YEARS = 30


def _clean_title(value: object, field: str, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{field} must be text", "invalid_title")
    text = " ".join(value.split())
    if required and not text:
        raise Invalid(f"a process needs a {field}", "invalid_title")
    if len(text) > 200:
        raise Invalid(f"{field} is at most 200 characters", "invalid_title")
    return text or None


def check_years(start: object, end: object) -> tuple[int, int]:
    """Planned years in the Buddhist Era, e.g. 2570-2579."""
    for name, year in (("start_year_be", start), ("end_year_be", end)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise Invalid(f"{name} must be a whole year in the Buddhist Era", "invalid_years")
        if not MIN_YEAR_BE <= year <= MAX_YEAR_BE:
            raise Invalid(
                f"{name} must be a Buddhist Era year ({MIN_YEAR_BE}-{MAX_YEAR_BE}); "
                "add 543 to a Gregorian year",
                "invalid_years",
            )
    if end < start:  # type: ignore[operator]
        raise Invalid("end_year_be is before start_year_be", "invalid_years")
    if end - start > MAX_SPAN_YEARS:  # type: ignore[operator]
        raise Invalid(f"a process spans at most {MAX_SPAN_YEARS} years", "invalid_years")
    return start, end  # type: ignore[return-value]


def create_process(
    facilitator: Facilitator,
    title: object,
    city: object,
    start_year_be: object,
    end_year_be: object,
    title_en: object = None,
) -> PlanningProcess:
    """A new process for a city, with its (empty) living plan."""
    if not isinstance(city, str) or not city.strip():
        raise Invalid("a process needs a city: a slug from GET /api/v1/cities", "unknown_city")
    start, end = check_years(start_year_be, end_year_be)
    process = PlanningProcess(
        kind="process",
        title=_clean_title(title, "title", True),
        title_en=_clean_title(title_en, "title_en", False),
        city=get_city(city),
        start_year_be=start,
        end_year_be=end,
        facilitator=facilitator,
    )
    db.session.add(process)
    db.session.add(Plan(process=process))
    db.session.flush()
    return process


def check_open(process: PlanningProcess) -> None:
    if process.plan is not None and process.plan.status == "adopted":
        raise Conflict(
            "the plan is adopted: reopen it as a draft before adding meetings", "plan_adopted"
        )


def parse_date(value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Invalid("date must be YYYY-MM-DD", "invalid_date") from None


def update_process(process: PlanningProcess, changes: dict) -> PlanningProcess:
    if "title" in changes:
        process.title = _clean_title(changes["title"], "title", True)
    if "title_en" in changes:
        process.title_en = _clean_title(changes["title_en"], "title_en", False)
    if "published" in changes:
        process.published = bool(changes["published"])
    db.session.flush()
    return process


def get_process(process_id: object) -> PlanningProcess:
    try:
        ident = int(process_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such planning process", "process_not_found") from None
    process = db.session.get(PlanningProcess, ident)
    if process is None:
        raise NotFound("no such planning process", "process_not_found")
    return process


def may_manage(process: PlanningProcess, facilitator: Facilitator) -> bool:
    """The process's owner, and whoever runs one of its meetings."""
    if process.facilitator_id == facilitator.id:
        return True
    return any(can_manage(w, facilitator) for w in process.workshops)


def get_managed_process(process_id: object, facilitator: Facilitator) -> PlanningProcess:
    process = get_process(process_id)
    if not may_manage(process, facilitator):
        raise Forbidden("this planning process is run by other facilitators")
    return process


def process_plan(process: PlanningProcess) -> Plan:
    """The process's plan (made on first use: a single-workshop process may have none)."""
    plan = db.session.scalar(select(Plan).where(Plan.process_id == process.id))
    if plan is None:
        plan = Plan(process=process)
        db.session.add(plan)
        db.session.flush()
    return plan


def single_process(workshop: Workshop) -> PlanningProcess:
    """The implicit process of a workshop outside any process (made on first use)."""
    if workshop.process is not None:
        return workshop.process
    held = workshop.held_on or date.today()
    year = held.year + 543
    process = PlanningProcess(
        kind="single",
        title=workshop.title,
        city_id=workshop.city_id,
        start_year_be=year,
        end_year_be=year + 9,
        facilitator_id=workshop.facilitator_id,
    )
    db.session.add(process)
    workshop.process = process
    db.session.flush()
    return process


def is_single(workshop: Workshop) -> bool:
    """A workshop with a plan of its own (not a phase of a city's process)."""
    return workshop.process is None or workshop.process.kind == "single"


def add_workshop(
    process: PlanningProcess,
    workshop: Workshop,
    facilitator: Facilitator,
    purpose: object = None,
    held_on: date | None = None,
) -> Workshop:
    """Make ``workshop`` the process's next phase. A workshop with a plan of its own brings
    its items (and their evidence) into the process plan; nothing is dropped."""
    if not can_manage(workshop, facilitator):
        raise Forbidden("this workshop is run by other facilitators")
    if workshop.process_id == process.id:
        raise Conflict("that workshop is already a phase of this process", "already_in_process")
    if workshop.process is not None and workshop.process.kind == "process":
        raise Conflict("that workshop is a phase of another process", "in_another_process")
    if purpose is not None and (not isinstance(purpose, str) or len(purpose) > 1000):
        raise Invalid("purpose is text of at most 1000 characters", "invalid_purpose")
    check_open(process)
    own = workshop.process
    own_plan = own.plan if own is not None else None
    if own_plan is not None and (own_plan.status != "draft" or own_plan.versions):
        raise Conflict(
            "that workshop's own plan has versions or was adopted; it stays on its own",
            "own_plan_versioned",
        )
    target = process_plan(process)
    if own is not None:
        _bring_plan(own, target)
    workshop.process = process
    workshop.phase_position = 1 + max((w.phase_position for w in process.workshops), default=0)
    workshop.phase_purpose = " ".join(purpose.split()) if isinstance(purpose, str) else None
    if held_on is not None:
        workshop.held_on = held_on
    if workshop.city_id is None:
        workshop.city_id = process.city_id
    db.session.flush()
    return workshop


def _bring_plan(own: PlanningProcess, target: Plan) -> None:
    """Move a single-workshop plan's items into ``target``; drop the emptied process."""
    plan = db.session.scalar(select(Plan).where(Plan.process_id == own.id))
    if plan is not None:
        offset = 1 + max((i.position for i in target.items), default=0)
        for item in list(plan.items):
            item.position += offset
            plan.items.remove(item)
            target.items.append(item)
        target.revision += 1
        db.session.flush()
        db.session.delete(plan)
    for workshop in list(own.workshops):
        workshop.process = None
    db.session.flush()
    db.session.delete(own)
    db.session.flush()


def processes_of(facilitator: Facilitator) -> list[PlanningProcess]:
    return list(
        db.session.scalars(
            select(PlanningProcess)
            .where(
                PlanningProcess.facilitator_id == facilitator.id,
                PlanningProcess.kind == "process",
            )
            .order_by(PlanningProcess.id.desc())
        )
    )
