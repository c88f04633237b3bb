"""Planners' edits of the plan tree, with its rules.

vision, alternatives and goals stand at the top; a strategy sits under a goal; a project
under a strategy (either may wait unplaced, with no parent, until a planner places it).
Every edit bumps the plan's ``revision``: an edit sent with an older ``base_revision`` is
refused (two planners never overwrite each other unknowingly), and an adopted plan is
read-only until it is reopened as a new draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..extensions import db
from ..models import Plan, PlanIndicator, PlanItem
from ..services.errors import Conflict, Invalid, NotFound

SECTIONS = ("vision", "alternatives", "goals", "strategies", "projects")
PARENT_SECTION = {"strategies": "goals", "projects": "strategies"}
HORIZONS = ("short", "medium", "long")
TEXT_FIELDS = {"owner_agency": 200, "funding_source": 200, "indicator": 300}
MAX_INDICATORS = 20
MAX_BUDGET = 1e13  # baht


def check_editable(plan: Plan, base_revision: object = None) -> None:
    if plan.status == "adopted":
        raise Conflict(
            "this plan version is adopted and read-only: POST .../plan/status "
            '{"status": "draft"} to start a new draft version',
            "plan_adopted",
        )
    if base_revision is not None and base_revision != plan.revision:
        raise Conflict(
            f"the plan changed since you loaded it (revision {plan.revision}, yours "
            f"{base_revision}): reload it and make your change again",
            "plan_changed",
        )


def touch(plan: Plan) -> None:
    plan.revision += 1
    plan.edited = True


def get_item(plan: Plan, item_id: object) -> PlanItem:
    try:
        ident = int(item_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such plan item", "plan_item_not_found") from None
    item = db.session.get(PlanItem, ident)
    if item is None or item.plan_id != plan.id:
        raise NotFound("no such plan item", "plan_item_not_found")
    return item


def clean_text(value: object, field: str, limit: int, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{field} must be text", "invalid_field")
    text = " ".join(value.split())
    if required and not text:
        raise Invalid(f"{field} cannot be empty", "invalid_field")
    if len(text) > limit:
        raise Invalid(f"{field} is at most {limit} characters", "invalid_field")
    return text or None


def _year(plan: Plan, value: object, field: str, allow_before: bool = False) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{field} must be a Buddhist Era year", "invalid_year")
    process = plan.process
    start = process.start_year_be if process else None
    end = process.end_year_be if process else None
    if start is None or end is None:
        return value
    low = start - 30 if allow_before else start
    if not low <= value <= end:
        raise Invalid(
            f"{field} {value} is outside the process's years {start}-{end}",
            "year_outside_process",
        )
    return value


def _place(plan: Plan, item: PlanItem | None, section: str, parent_id: object) -> int | None:
    """Check that an item of ``section`` may hang under ``parent_id``; the parent's id."""
    if section not in SECTIONS:
        raise Invalid(f"section must be one of {', '.join(SECTIONS)}", "invalid_section")
    if parent_id is None:
        return None
    if isinstance(parent_id, bool) or not isinstance(parent_id, int):
        raise Invalid("parent_id must be a plan item's id", "unknown_parent")
    if item is not None and parent_id == item.id:
        raise Invalid("an item cannot be its own parent", "tree_cycle")
    parent = db.session.get(PlanItem, parent_id)
    if parent is None or parent.plan_id != plan.id:
        raise Invalid(f"no plan item {parent_id} in this plan", "unknown_parent")
    if item is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.id == item.id:
                raise Invalid("that move would put an item under itself", "tree_cycle")
            ancestor = db.session.get(PlanItem, ancestor.parent_id) if ancestor.parent_id else None
    wanted = PARENT_SECTION.get(section)
    if wanted is None:
        raise Invalid(f"{section} stand at the top of the plan: no parent", "invalid_parent")
    if parent.section != wanted:
        raise Invalid(f"{section} go under {wanted}, not under {parent.section}", "invalid_parent")
    return parent.id


def _indicators(plan: Plan, raw: object) -> list[PlanIndicator]:
    if not isinstance(raw, list) or len(raw) > MAX_INDICATORS:
        raise Invalid(f"indicators is a list of at most {MAX_INDICATORS}", "invalid_indicator")
    made = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise Invalid("each indicator is an object with a name", "invalid_indicator")
        numbers = {}
        for field in ("baseline_value", "target_value"):
            value = entry.get(field)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise Invalid(f"{field} must be a number", "invalid_indicator")
            numbers[field] = value
        made.append(
            PlanIndicator(
                name=clean_text(entry.get("name"), "indicator name", 300),
                unit=clean_text(entry.get("unit"), "unit", 40, required=False),
                baseline_year=_year(plan, entry.get("baseline_year"), "baseline_year", True),
                target_year=_year(plan, entry.get("target_year"), "target_year"),
                **numbers,
            )
        )
    return made


def _apply_fields(plan: Plan, item: PlanItem, changes: Mapping) -> None:
    """Wording and the fields of each level; refuses what a level does not have."""
    if "text" in changes:
        item.text = clean_text(changes["text"], "text", 1000)
    for field, limit in TEXT_FIELDS.items():
        if field in changes:
            setattr(item, field, clean_text(changes[field], field, limit, required=False))
    project_fields = {"horizon", "budget", "partner_agencies", "start_year", "end_year"}
    used = project_fields & set(changes)
    if used and item.section != "projects":
        raise Invalid(f"only projects have {', '.join(sorted(used))}", "invalid_field")
    if "horizon" in changes:
        if changes["horizon"] is not None and changes["horizon"] not in HORIZONS:
            raise Invalid(f"horizon must be one of {', '.join(HORIZONS)}", "invalid_horizon")
        item.horizon = changes["horizon"]
    if "budget" in changes:
        budget = changes["budget"]
        if budget is not None and (
            isinstance(budget, bool)
            or not isinstance(budget, int | float)
            or not 0 <= budget <= MAX_BUDGET
        ):
            raise Invalid("budget is a number of baht, 0 or more", "invalid_budget")
        item.budget = float(budget) if budget is not None else None
    if "partner_agencies" in changes:
        partners = changes["partner_agencies"] or []
        if not isinstance(partners, list) or len(partners) > 30:
            raise Invalid("partner_agencies is a list of at most 30 names", "invalid_field")
        item.partner_agencies = [clean_text(p, "partner agency", 200) for p in partners]
    for field in ("start_year", "end_year"):
        if field in changes:
            setattr(item, field, _year(plan, changes[field], field))
    if item.start_year and item.end_year and item.end_year < item.start_year:
        raise Invalid("end_year is before start_year", "invalid_year")
    if "indicators" in changes:
        if item.section != "goals":
            raise Invalid("only goals have indicators", "invalid_field")
        item.indicators[:] = _indicators(plan, changes["indicators"])


def _last_position(plan: Plan, section: str, parent_id: int | None) -> int:
    return max(
        (i.position for i in plan.items if i.section == section and i.parent_id == parent_id),
        default=0,
    )


def add_item(plan: Plan, body: Mapping) -> PlanItem:
    """A planner's own item, anywhere in the tree; marked as not coming from the room."""
    check_editable(plan, body.get("base_revision"))
    section = body.get("section")
    if not isinstance(section, str):
        raise Invalid(f"section must be one of {', '.join(SECTIONS)}", "invalid_section")
    parent_id = _place(plan, None, section, body.get("parent_id"))
    item = PlanItem(
        section=section,
        parent_id=parent_id,
        text="",
        added_by_planner=True,
        evidence={},
        evidence_log=[],
        partner_agencies=[],
        position=1 + _last_position(plan, section, parent_id),
    )
    plan.items.append(item)
    _apply_fields(plan, item, {k: v for k, v in body.items() if k not in ("section", "parent_id")})
    if not item.text:
        raise Invalid("text cannot be empty", "invalid_field")
    touch(plan)
    db.session.flush()
    return item


def update_item(plan: Plan, item_id: object, changes: Mapping) -> PlanItem:
    """Reword, move in the tree (``parent_id``, ``section``, ``position``), set fields."""
    check_editable(plan, changes.get("base_revision"))
    item = get_item(plan, item_id)
    section = changes.get("section", item.section)
    parent_id = changes.get("parent_id", item.parent_id)
    if section != item.section and any(c.parent_id == item.id for c in plan.items):
        raise Invalid("move or delete its children before changing its level", "has_children")
    parent_id = _place(plan, item, section, parent_id)
    moved = (section, parent_id) != (item.section, item.parent_id)
    item.section, item.parent_id = section, parent_id
    if section != "projects":
        item.horizon = None
    _apply_fields(plan, item, changes)
    if moved or "position" in changes:
        position = changes.get("position")
        reorder(plan, item, check_position(position), lambda i: (i.section, i.parent_id))
    touch(plan)
    db.session.flush()
    return item


def check_position(position: object) -> int | None:
    """A place among siblings: a whole number from 1, or None for the end."""
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int) or position < 1
    ):
        raise Invalid("position must be a whole number from 1", "invalid_field")
    return position  # type: ignore[return-value]


def reorder(
    plan: Plan, item: PlanItem, position: int | None, siblings_key: Callable[[PlanItem], object]
) -> None:
    """Put ``item`` at ``position`` (1-based, None: last) among the items that share its
    ``siblings_key``, and number them 1, 2, ... again."""
    key = siblings_key(item)
    siblings = [
        i
        for i in sorted(plan.items, key=lambda i: (i.position, i.id))
        if siblings_key(i) == key and i is not item
    ]
    index = len(siblings) if position is None else min(position - 1, len(siblings))
    siblings.insert(index, item)
    for number, sibling in enumerate(siblings, start=1):
        sibling.position = number


def delete_item(plan: Plan, item_id: object, base_revision: object = None) -> None:
    """Delete an item; its children wait unplaced (nothing below it is lost)."""
    check_editable(plan, base_revision)
    item = get_item(plan, item_id)
    for child in plan.items:
        if child.parent_id == item.id:
            child.parent_id = None
    plan.items.remove(item)
    touch(plan)
    db.session.flush()
