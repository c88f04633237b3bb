"""The draft city plan: made from the room's results, then edited by planners.

Vision, goals, strategies and projects come from the brainstorms that carry a
``plan_section``; each item is ranked by the vote on that brainstorm (the one
with the most ballots) and carries its evidence: score, rank, support per
stakeholder group, the consensus of an agree activity on the same statements
(with its bridging across opinion groups), and the duplicates merged into it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Activity, Plan, PlanItem, Workshop, utcnow
from ..priorities import plan as priority_plan
from ..services.errors import Conflict, Invalid
from ..services.opinions import opinion_evidence
from ..services.report_data import all_activity_results, ballot_counts, statement_rows
from ..services.workshops import HORIZONS, PLAN_SECTIONS
from .evidence import draft_entry
from .tree import check_editable, check_position, clean_text, get_item, reorder

DEFAULT_HORIZON_YEARS = {"short": [1, 2], "medium": [3, 5], "long": [6, 10]}
MAX_ALTERNATIVES = 4
RANKING_KINDS = ("dot_vote", "rank", "rating")
RANKING_KINDS += ("points", "budget")  # workshop/priorities/plan.py
ITEM_SECTIONS = ("vision", "alternatives", "goals", "strategies", "projects")


def horizon_years(workshop: Workshop) -> dict[str, list[int]]:
    return {**DEFAULT_HORIZON_YEARS, **(workshop.horizon_years or {})}


def get_plan(workshop: Workshop) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.workshop_id == workshop.id))


class RoomResults:
    """What a draft reads of a workshop, read once for all its brainstorms: the statements
    as plain rows, every activity's ballot count, and the results of the votes it ranks by
    (``report_data``'s grouped queries, not several ORM queries per activity)."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        rows = statement_rows(workshop.id)
        self.rows = rows
        self.counts = ballot_counts(a.id for a in workshop.activities)
        self.visible: dict[int, list] = defaultdict(list)
        self.children: dict[int, list] = defaultdict(list)
        for row in rows:
            if row.merged_into_id is not None:
                self.children[row.merged_into_id].append(row)
            elif not row.hidden and not row.pending:
                self.visible[row.activity_id].append(row)
        self._results: dict[int, dict] = {}

    def votes_on(self, brainstorm: Activity, kinds: tuple[str, ...]) -> Activity | None:
        """The vote on this brainstorm with the most ballots (the latest on a tie)."""
        votes = [
            a
            for a in self.workshop.activities
            if a.source_activity_id == brainstorm.id and a.kind in kinds
        ]
        if not votes:
            return None
        return max(votes, key=lambda a: (self.counts.get(a.id, 0), a.position))

    def prepare(self, brainstorms: list[Activity]) -> None:
        """Count the votes the brainstorms rank by, all in one pass."""
        wanted = {
            vote.id
            for b in brainstorms
            for kinds in (RANKING_KINDS, ("agree",))
            if (vote := self.votes_on(b, kinds)) is not None and vote.id not in self._results
        }
        if wanted:
            found, _ = all_activity_results(self.workshop, self.rows, only=wanted)
            self._results.update(found)

    def results(self, activity: Activity) -> dict:
        if activity.id not in self._results:
            found, _ = all_activity_results(self.workshop, self.rows, only=[activity.id])
            self._results.update(found)
        return self._results[activity.id]


def ranked_statements(
    workshop: Workshop, brainstorm: Activity, room: RoomResults | None = None
) -> list[tuple[Any, dict]]:
    """The brainstorm's visible statements (rows with ``id``, ``text``, ``group``), best
    first, each with its evidence. Pass one ``room`` for all brainstorms of a draft."""
    room = room or RoomResults(workshop)
    statements = {s.id: s for s in room.visible.get(brainstorm.id, [])}
    vote = room.votes_on(brainstorm, RANKING_KINDS)
    ballots = room.counts.get(vote.id, 0) if vote else 0  # once, not per statement
    agree = room.votes_on(brainstorm, ("agree",))
    consensus = {}
    bridging = opinion_evidence(agree) if agree is not None else {}
    if agree is not None:
        for item in room.results(agree)["items"]:
            consensus[item["statement_id"]] = {
                "level": item["consensus"]["level"],
                "min_group_agreement": item["consensus"]["min_group_agreement"],
                "agree": item["agree"],
                "disagree": item["disagree"],
                "pass": item["pass"],
                "by_group": item["by_group"],
                "activity_id": agree.id,
            }
    matrix = priority_plan.priorities(workshop, brainstorm)
    ballots_by_channel = None
    if vote is not None:
        results = room.results(vote)
        ballots_by_channel = results.get("ballots_by_channel")
        ordered = [
            (i["statement_id"], i) for i in results["items"] if i["statement_id"] in statements
        ]
    else:
        ordered = [(sid, {"score": 0, "rank": None, "by_group": {}}) for sid in statements]
    ranked = []
    for statement_id, item in ordered:
        statement = statements[statement_id]
        evidence = {
            "activity_id": vote.id if vote else None,
            "vote_kind": vote.kind if vote else None,
            "ballots": ballots,
            "score": item.get("score"),
            "rank": item.get("rank"),
            "by_group": item.get("by_group", {}),
            # workshop/channels/: "of which N on paper" (ballots) and each channel's points.
            "ballots_by_channel": ballots_by_channel,
            "channel_points": item.get("channel_points"),
            "consensus": consensus.get(statement_id),
            "opinion_groups": bridging.get(statement_id),
            "author_group": statement.group,
            "brainstorm_id": brainstorm.id,
            "merged_from": [
                {"id": c.id, "text": c.text, "group": c.group}
                for c in room.children.get(statement.id, ())
            ],
            "priority": matrix.get(statement_id),
            **priority_plan.extras(item),
        }
        ranked.append((statement, evidence))
    return ranked


def supported(ranked: list[tuple[Any, dict]]) -> list[tuple[Any, dict]]:
    """Statements the room supported; all of them when nothing was voted."""
    if not any(evidence["activity_id"] for _, evidence in ranked):
        return ranked
    return [r for r in ranked if (r[1]["score"] or 0) > 0]


def ranked_sources(workshop: Workshop) -> Iterator[tuple[Activity, list[tuple[Any, dict]]]]:
    """Each activity that drafts into a plan, with its (statement, evidence) best first: the
    brainstorms with a ``plan_section`` (ranked by their vote, supported ones only) and the
    budgets with their own items. The workshop's results are read once for all of them."""
    brainstorms = [
        a for a in workshop.activities if a.kind == "brainstorm" and a.plan_section is not None
    ]
    room = RoomResults(workshop)
    room.prepare(brainstorms)
    for activity in workshop.activities:
        if priority_plan.drafts_own_items(activity):  # a budget with its own items
            yield activity, priority_plan.own_items_ranked(activity)
        elif activity in brainstorms:
            yield activity, supported(ranked_statements(workshop, activity, room))


def draft_plan(workshop: Workshop, overwrite: bool = False) -> tuple[Plan, bool]:
    """Build or rebuild the draft. Returns the plan and whether it was created."""
    plan = get_plan(workshop)
    created = plan is None
    if plan is not None and plan.edited and not overwrite:
        raise Conflict(
            "planners have edited this plan; send overwrite: true to replace their edits",
            "plan_edited",
        )
    if plan is not None:
        check_editable(plan)
    if plan is None:
        from ..planning.processes import single_process

        plan = Plan(workshop_id=workshop.id, process=single_process(workshop))
        db.session.add(plan)
    else:
        plan.items.clear()
        db.session.flush()
    positions: dict[tuple[str, str | None], int] = {}

    def add(section: str, statement: Any, evidence: dict, horizon: str | None = None) -> None:
        key = (section, horizon)
        positions[key] = positions.get(key, 0) + 1
        plan.items.append(
            PlanItem(
                section=section,
                horizon=horizon,
                position=positions[key],
                text=statement.text,
                statement_id=statement.id,
                evidence=evidence,
                evidence_log=[draft_entry(workshop, evidence, statement.id)],
                partner_agencies=[],
            )
        )

    for brainstorm, ranked in ranked_sources(workshop):
        if brainstorm.plan_section == "vision":
            for index, (statement, evidence) in enumerate(ranked[: 1 + MAX_ALTERNATIVES]):
                if index == 0 and not any(i.section == "vision" for i in plan.items):
                    add("vision", statement, evidence)
                else:
                    add("alternatives", statement, evidence)
        else:
            for statement, evidence in ranked:
                add(brainstorm.plan_section, statement, evidence, brainstorm.horizon)
    from ..kinds.plan_evidence import room_evidence
    from ..planning.evidence import add_entry

    for item, entry in room_evidence(workshop, plan.items):  # word clouds, Q&As, maps
        item.evidence = {**item.evidence, "room": [*item.evidence.get("room", []), entry]}
        add_entry(item, entry)
    plan.drafted_at = utcnow()
    plan.edited = False
    plan.revision += 1
    db.session.flush()
    return plan, created


def _check_place(section: str, horizon: str | None) -> None:
    if section not in ITEM_SECTIONS:
        raise Invalid(f"section must be one of {', '.join(ITEM_SECTIONS)}", "invalid_section")
    if horizon is not None and horizon not in HORIZONS:
        raise Invalid(f"horizon must be one of {', '.join(HORIZONS)}", "invalid_horizon")
    if horizon is not None and section != "projects":
        raise Invalid("only projects have a horizon", "invalid_horizon")


def add_item(
    plan: Plan,
    section: str,
    text: object,
    horizon: str | None = None,
    owner_agency: object = None,
    indicator: object = None,
) -> PlanItem:
    """A planner's own item, marked as not coming from the room."""
    check_editable(plan)
    _check_place(section, horizon)
    item = PlanItem(
        section=section,
        horizon=horizon,
        text=clean_text(text, "text", 1000),
        added_by_planner=True,
        evidence={},
        evidence_log=[],
        partner_agencies=[],
        owner_agency=clean_text(owner_agency, "owner_agency", 200, required=False),
        indicator=clean_text(indicator, "indicator", 300, required=False),
        position=1
        + max(
            (i.position for i in plan.items if i.section == section and i.horizon == horizon),
            default=0,
        ),
    )
    plan.items.append(item)
    plan.edited = True
    plan.revision += 1
    db.session.flush()
    return item


def update_item(plan: Plan, item_id: object, changes: dict) -> PlanItem:
    """Edit wording, move to another section/horizon or position, set owner and indicator."""
    check_editable(plan)
    item = get_item(plan, item_id)
    section = changes.get("section", item.section)
    horizon = changes.get("horizon", item.horizon if section == "projects" else None)
    _check_place(section, horizon)
    if "text" in changes:
        item.text = clean_text(changes["text"], "text", 1000)
    for field, limit in (("owner_agency", 200), ("indicator", 300)):
        if field in changes:
            setattr(item, field, clean_text(changes[field], field, limit, required=False))
    moved = (section, horizon) != (item.section, item.horizon)
    item.section, item.horizon = section, horizon
    if moved or "position" in changes:
        position = changes.get("position")
        reorder(plan, item, check_position(position), lambda i: (i.section, i.horizon))
    plan.edited = True
    plan.revision += 1
    db.session.flush()
    return item


def delete_item(plan: Plan, item_id: object) -> None:
    check_editable(plan)
    item = get_item(plan, item_id)
    for child in plan.items:
        if child.parent_id == item.id:
            child.parent_id = None
    plan.items.remove(item)
    plan.edited = True
    plan.revision += 1
    db.session.flush()


def item_dict(item: PlanItem, statement_texts: Mapping[int, str] | None = None) -> dict:
    """A plan item; ``statement_texts`` (id -> text), when given, spares a query per item."""
    statement_text = (statement_texts or {}).get(item.statement_id)  # type: ignore[arg-type]
    if statement_text is None and item.statement is not None:
        statement_text = item.statement.text
    return {
        "id": item.id,
        "section": item.section,
        "horizon": item.horizon,
        "position": item.position,
        "text": item.text,
        "statement_id": item.statement_id,
        "statement_text": statement_text,
        "added_by_planner": item.added_by_planner,
        "owner_agency": item.owner_agency,
        "indicator": item.indicator,
        "evidence": item.evidence or {},
    }


def plan_dict(
    workshop: Workshop, plan: Plan | None, statement_texts: Mapping[int, str] | None = None
) -> dict:
    """The plan shape of the API: vision, alternatives, goals, strategies, projects."""
    items = sorted(plan.items, key=lambda i: (i.position, i.id)) if plan else []

    def section(name: str) -> list[dict]:
        return [item_dict(i, statement_texts) for i in items if i.section == name]

    projects = sorted(
        (i for i in items if i.section == "projects"),
        key=lambda i: (HORIZONS.index(i.horizon) if i.horizon in HORIZONS else 9, i.position, i.id),
    )
    vision = section("vision")
    return {
        "plan_id": plan.id if plan else None,
        "process_id": plan.process_id if plan else None,
        "status": plan.status if plan else "draft",
        "version": plan.version if plan else 0,
        "drafted_at": plan.drafted_at.isoformat() if plan else None,
        "edited": plan.edited if plan else False,
        "horizon_years": horizon_years(workshop),
        "vision": vision[0] if vision else None,
        "alternatives": section("alternatives"),
        "goals": section("goals"),
        "strategies": section("strategies"),
        "projects": [item_dict(i, statement_texts) for i in projects],
    }


__all__ = [
    "PLAN_SECTIONS",
    "add_item",
    "delete_item",
    "draft_plan",
    "get_plan",
    "plan_dict",
    "update_item",
]
