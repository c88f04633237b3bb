"""Every meeting feeds the plan: a workshop's results merged into its process plan.

Drafting *adds*: a statement already in the plan (from an earlier draft of the same
meeting, or carried from an earlier meeting) gets this meeting's evidence beside the
others; a new one becomes a new item at the end of its section, under the brainstorm's
``plan_parent_id`` where it has one. Nothing planners wrote is wiped.
"""

from __future__ import annotations

from ..extensions import db
from ..kinds.plan_evidence import room_evidence
from ..models import Plan, PlanItem, Workshop, utcnow
from .carry import record_results
from .evidence import add_entry, draft_entry
from .processes import process_plan
from .tree import PARENT_SECTION, check_editable
from .workshop_plan import MAX_ALTERNATIVES, ranked_sources

DRAFT_TOP = 30  # new items per brainstorm and meeting, unless the draft asks for more
MAX_DRAFT_TOP = 1000


def _parent_for(plan: Plan, section: str, parent_id: int | None) -> int | None:
    if parent_id is None:
        return None
    parent = db.session.get(PlanItem, parent_id)
    if parent is None or parent.plan_id != plan.id or parent.section != PARENT_SECTION.get(section):
        return None
    return parent.id


def merge_workshop(workshop: Workshop, top: int = DRAFT_TOP) -> Plan:
    """Merge the workshop's results into its process's plan; returns the plan.

    Of each brainstorm, the ``top`` best supported statements become new items (a plan is
    a shortlist, not the room's every card); an item already in the plan takes the
    meeting's evidence wherever it ranks. A budget with its own items (no brainstorm) and a
    ``plan_section`` adds its funded items, each project with the allocated baht as its
    ``budget`` (unless planners set one) and the votes, cost and funding as evidence."""
    plan = process_plan(workshop.process)
    check_editable(plan)
    by_statement = {i.statement_id: i for i in plan.items if i.statement_id is not None}
    last: dict[tuple[str, int | None], int] = {}
    for item in plan.items:
        key = (item.section, item.parent_id)
        last[key] = max(last.get(key, 0), item.position)
    has_vision = any(i.section == "vision" for i in plan.items)

    for brainstorm, ranked in ranked_sources(workshop):
        section = brainstorm.plan_section
        parent_id = _parent_for(plan, section, brainstorm.plan_parent_id)
        if section == "vision":
            ranked = ranked[: 1 + MAX_ALTERNATIVES]
        for index, (statement, evidence) in enumerate(ranked):
            item = by_statement.get(statement.id)
            if item is None and index >= top:
                continue
            if item is None:
                place = section
                if section == "vision":
                    place = "alternatives" if has_vision else "vision"
                    has_vision = True
                key = (place, parent_id if place in PARENT_SECTION else None)
                last[key] = last.get(key, 0) + 1
                item = PlanItem(
                    section=place,
                    parent_id=key[1],
                    horizon=brainstorm.horizon if place == "projects" else None,
                    position=last[key],
                    text=statement.text,
                    statement_id=statement.id,
                    evidence=evidence,
                    evidence_log=[],
                    partner_agencies=[],
                )
                plan.items.append(item)
                by_statement[statement.id] = item
            if item.section == "projects" and item.budget is None and evidence.get("funded"):
                item.budget = evidence.get("cost")  # the baht the room's budget gave it
            add_entry(item, draft_entry(workshop, evidence, statement.id))
    for activity in workshop.activities:
        record_results(activity, plan)
    db.session.flush()
    for item, entry in room_evidence(workshop, plan.items):  # word clouds, Q&As, maps
        add_entry(item, entry)
    plan.drafted_at = utcnow()
    plan.revision += 1
    db.session.flush()
    return plan
