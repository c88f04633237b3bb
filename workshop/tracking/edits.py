"""Milestones and indicators of a tracked project: add, mark done, record values.

Each function checks its input (raising :class:`Invalid` with every problem), changes
the session and flushes; the caller commits once. Who may call them is the caller's
check (``tracking.operations.require_updater``).
"""

from __future__ import annotations

import math
from datetime import date

from ..extensions import db
from ..models import Indicator, IndicatorValue, Milestone, TrackedProject, utcnow
from ..services.errors import Invalid, NotFound


def _text(value: object, field: str, limit: int, errors: list[str], required: bool) -> str | None:
    text = " ".join(value.split()) if isinstance(value, str) else value
    if text in ("", None):
        if required:
            errors.append(f"{field} is required")
        return None
    if not isinstance(text, str) or len(text) > limit:
        errors.append(f"{field} must be text of at most {limit} characters")
        return None
    return text


def _date(value: object, field: str, errors: list[str], default: date | None = None) -> date | None:
    if value in ("", None):
        return default
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(f"{field} must be a date YYYY-MM-DD")
    return None


def _number(value: object, field: str, errors: list[str], required: bool = False) -> float | None:
    if value in ("", None):
        if required:
            errors.append(f"{field} is required")
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        errors.append(f"{field} must be a number")
        return None
    return number


def _raise(errors: list[str], code: str) -> None:
    if errors:
        raise Invalid("; ".join(errors), code)


def _touch(project: TrackedProject) -> None:
    project.updated_at = utcnow()


def add_milestone(project: TrackedProject, title: object, due_date: object = None) -> Milestone:
    errors: list[str] = []
    clean_title = _text(title, "title", 300, errors, required=True)
    due = _date(due_date, "due date", errors)
    _raise(errors, "invalid_milestone")
    milestone = Milestone(project_id=project.id, title=clean_title, due_date=due)
    db.session.add(milestone)
    _touch(project)
    db.session.flush()
    db.session.expire(project, ["milestones"])
    return milestone


def get_milestone(project: TrackedProject, milestone_id: object) -> Milestone:
    milestone = _get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        raise NotFound("no such milestone in this project", "milestone_not_found")
    return milestone


def set_milestone_done(
    project: TrackedProject, milestone_id: object, done: bool = True, on: object = None
) -> Milestone:
    """Mark a milestone done (on ``on``, default today), or not done again."""
    milestone = get_milestone(project, milestone_id)
    errors: list[str] = []
    when = _date(on, "done date", errors, default=date.today())
    _raise(errors, "invalid_milestone")
    milestone.done_on = when if done else None
    _touch(project)
    db.session.flush()
    return milestone


def add_indicator(
    project: TrackedProject,
    name: object,
    unit: object = None,
    baseline: object = None,
    target: object = None,
) -> Indicator:
    errors: list[str] = []
    clean_name = _text(name, "name", 300, errors, required=True)
    clean_unit = _text(unit, "unit", 40, errors, required=False)
    base = _number(baseline, "baseline", errors)
    goal = _number(target, "target", errors)
    _raise(errors, "invalid_indicator")
    indicator = Indicator(
        project_id=project.id, name=clean_name, unit=clean_unit, baseline=base, target=goal
    )
    db.session.add(indicator)
    _touch(project)
    db.session.flush()
    db.session.expire(project, ["indicators"])
    return indicator


def get_indicator(project: TrackedProject, indicator_id: object) -> Indicator:
    indicator = _get(Indicator, indicator_id)
    if indicator is None or indicator.project_id != project.id:
        raise NotFound("no such indicator in this project", "indicator_not_found")
    return indicator


def add_indicator_value(
    project: TrackedProject, indicator_id: object, value: object, when: object = None
) -> IndicatorValue:
    """Record an actual value of an indicator on a date (default today)."""
    indicator = get_indicator(project, indicator_id)
    errors: list[str] = []
    number = _number(value, "value", errors, required=True)
    day = _date(when, "date", errors, default=date.today())
    _raise(errors, "invalid_indicator_value")
    entry = IndicatorValue(indicator_id=indicator.id, value=number, date=day)
    db.session.add(entry)
    _touch(project)
    db.session.flush()
    db.session.expire(indicator, ["values"])
    return entry


def _get(model: type, ident: object):
    try:
        number = int(ident)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return db.session.get(model, number)
