"""Carrying forward: a new vote on the plan's items, or on an earlier meeting's top ideas.

The vote gets statements of its own, copies that point back (``plan_item_id`` or
``origin_statement_id``), so every vote kind works on them unchanged. Its results are
written back as evidence on those plan items when it closes and whenever the workshop is
drafted: a validation hearing (เวทีประชาคม) votes on the draft plan itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ..extensions import db
from ..models import (
    STATEMENT_VOTE_KINDS,
    Activity,
    Facilitator,
    Plan,
    PlanItem,
    Statement,
    Workshop,
)
from ..services.errors import Forbidden, Invalid, NotFound
from ..services.workshops import can_manage
from .evidence import add_entry, vote_entry
from .processes import get_process, may_manage, process_plan
from .tree import SECTIONS

MAX_CARRIED = 200


def check_source(kind: str, source: object) -> None:
    if kind not in STATEMENT_VOTE_KINDS:
        raise Invalid(
            f"only {', '.join(STATEMENT_VOTE_KINDS)} activities take a source", "invalid_source"
        )
    if not isinstance(source, Mapping) or not ("plan_items" in source or "activity_id" in source):
        raise Invalid(
            'source is {"plan_items": {"process_id", ...}} or {"activity_id", "top"}',
            "invalid_source",
        )


def _tree_order(plan: Plan) -> list[PlanItem]:
    """Items depth first, as the plan reads: vision, alternatives, goal > strategy > project."""
    children: dict[int | None, list[PlanItem]] = {}
    ids = {i.id for i in plan.items}
    for item in plan.items:
        children.setdefault(item.parent_id if item.parent_id in ids else None, []).append(item)
    order = {s: n for n, s in enumerate(SECTIONS)}
    out: list[PlanItem] = []

    def walk(parent: int | None) -> None:
        for item in sorted(
            children.get(parent, []), key=lambda i: (order[i.section], i.position, i.id)
        ):
            out.append(item)
            walk(item.id)

    walk(None)
    return out


def plan_items_for(facilitator: Facilitator, spec: object) -> list[PlanItem]:
    if not isinstance(spec, Mapping):
        raise Invalid("plan_items needs a process_id", "invalid_source")
    process = get_process(spec.get("process_id"))
    if not may_manage(process, facilitator):
        raise Forbidden("that planning process is run by other facilitators")
    plan = process_plan(process)
    items = _tree_order(plan)
    parent_id = spec.get("parent_id")
    if parent_id is not None:
        parent = next((i for i in items if i.id == parent_id), None)
        if parent is None:
            raise Invalid(f"no plan item {parent_id} in that plan", "unknown_parent")
        below = {parent.id}
        for item in items:  # depth first: parents come before their children
            if item.parent_id in below:
                below.add(item.id)
        items = [i for i in items if i.id in below and i.id != parent.id]
    section = spec.get("section")
    if section is not None:
        if section not in SECTIONS:
            raise Invalid(f"section must be one of {', '.join(SECTIONS)}", "invalid_section")
        items = [i for i in items if i.section == section]
    return items


def top_statements(facilitator: Facilitator, activity_id: object, top: object) -> list[Statement]:
    from ..services.snapshots import activity_results

    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_CARRIED:
        raise Invalid(f"top must be a whole number from 1 to {MAX_CARRIED}", "invalid_source")
    earlier = db.session.get(Activity, activity_id) if isinstance(activity_id, int) else None
    if earlier is None:
        raise NotFound("no such activity", "activity_not_found")
    if not can_manage(earlier.workshop, facilitator):
        raise Forbidden("that activity's workshop is run by other facilitators")
    if earlier.kind not in STATEMENT_VOTE_KINDS:
        raise Invalid("the source activity must be a vote on statements", "invalid_source")
    ranked = activity_results(earlier)["items"][:top]
    return [db.session.get(Statement, r["statement_id"]) for r in ranked]


def fill(activity: Activity, facilitator: Facilitator, source: Mapping) -> int:
    """Give a new vote its carried statements; how many."""
    if "plan_items" in source:
        rows = [
            Statement(
                workshop_id=activity.workshop_id,
                activity_id=activity.id,
                text=item.text,
                plan_item_id=item.id,
            )
            for item in plan_items_for(facilitator, source["plan_items"])
        ]
    else:
        rows = [
            Statement(
                workshop_id=activity.workshop_id,
                activity_id=activity.id,
                text=statement.text,
                origin_statement_id=statement.id,
            )
            for statement in top_statements(
                facilitator, source.get("activity_id"), source.get("top")
            )
        ]
    if not rows:
        raise Invalid("the source has no items to vote on", "empty_source")
    if len(rows) > MAX_CARRIED:
        raise Invalid(
            f"at most {MAX_CARRIED} items in one vote: pick a section or a subtree",
            "source_too_large",
        )
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def _origins(statement: Statement) -> list[int]:
    chain, seen = [], set()
    current = statement.origin_statement_id
    while current is not None and current not in seen:
        seen.add(current)
        chain.append(current)
        current = db.session.scalar(
            select(Statement.origin_statement_id).where(Statement.id == current)
        )
    return chain


def record_results(activity: Activity, plan: Plan | None = None) -> int:
    """Write a carried vote's results back as evidence on the plan items it is about.
    Items of an adopted plan are left as they are (that version is read-only)."""
    from ..services.snapshots import activity_results

    if not activity.is_vote or activity.kind == "poll" or activity.source_activity_id is not None:
        return 0
    carried = {
        s.id: s
        for s in db.session.scalars(select(Statement).where(Statement.activity_id == activity.id))
        if s.plan_item_id is not None or s.origin_statement_id is not None
    }
    if not carried:
        return 0
    workshop: Workshop = activity.workshop
    results = activity_results(activity)
    written = 0
    for row in results["items"]:
        statement = carried.get(row["statement_id"])
        if statement is None:
            continue
        targets = []
        if statement.plan_item_id is not None:
            target = db.session.get(PlanItem, statement.plan_item_id)
            if target is not None:
                targets.append((target, "hearing"))
        else:
            origins = _origins(statement)
            if origins:
                query = select(PlanItem).where(PlanItem.statement_id.in_(origins))
                if plan is not None:
                    query = query.where(PlanItem.plan_id == plan.id)
                targets.extend((t, "carried") for t in db.session.scalars(query))
        for target, source in targets:
            if target.plan.status == "adopted":
                continue
            add_entry(target, vote_entry(workshop, results, row, source))
            target.plan.revision += 1
            written += 1
    db.session.flush()
    return written
