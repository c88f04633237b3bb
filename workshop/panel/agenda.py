"""Editing the agenda: reword, translate and time an activity, delete an unused one, reorder.

Operations flush; the edge commits once. Every refusal raises before anything changes.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Activity, Ballot, Facilitator, PlanItem, Statement, VoteWrite, Workshop
from ..services import audit
from ..services.errors import Conflict, Invalid

MAX_PROMPT = 500
_UNSET = object()


def edit_activity(
    activity: Activity,
    actor: Facilitator | None,
    prompt: str | None = None,
    prompt_en: object = _UNSET,
    minutes: object = _UNSET,
) -> Activity:
    """Change the prompt, its English version (``""``/``None`` removes it) and the minutes."""
    changes: dict[str, object] = {}
    if prompt is not None:
        text = " ".join(prompt.split())
        if not text:
            raise Invalid("an activity needs a prompt", "invalid_prompt")
        if len(text) > MAX_PROMPT:
            raise Invalid("a prompt is at most 500 characters", "invalid_prompt")
        changes["prompt"] = text
    if prompt_en is not _UNSET:
        english = " ".join(str(prompt_en or "").split())
        if len(english) > MAX_PROMPT:
            raise Invalid("a prompt is at most 500 characters", "invalid_prompt")
        changes["prompt_en"] = english
    if minutes is not _UNSET:
        if minutes is not None and (
            isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600
        ):
            raise Invalid("minutes must be between 1 and 600", "invalid_minutes")
        changes["minutes"] = minutes
    if "prompt" in changes:
        activity.prompt = changes["prompt"]  # type: ignore[assignment]
    if "prompt_en" in changes:
        translations = dict(activity.prompt_translations or {})
        if changes["prompt_en"]:
            translations["en"] = changes["prompt_en"]
        else:
            translations.pop("en", None)
        activity.prompt_translations = translations
    if "minutes" in changes:
        activity.minutes = changes["minutes"]  # type: ignore[assignment]
    audit.record(
        activity.workshop, actor, "edit_activity", "activity", activity.id, fields=sorted(changes)
    )
    db.session.flush()
    return activity


def deletion_block(activity: Activity) -> str | None:
    """Why this activity cannot be deleted (a code), or ``None`` when it can.

    Only an activity nobody has used yet goes: not live, no ballot, no participant's
    statement, not the source of another vote, none of its statements in a plan.
    """
    workshop = activity.workshop
    if workshop.current_activity_id == activity.id and activity.state == "open":
        return "activity_live"
    if any(a.source_activity_id == activity.id for a in workshop.activities):
        return "activity_is_source"
    used = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.activity_id == activity.id)
    ) or db.session.scalar(
        select(func.count()).select_from(VoteWrite).where(VoteWrite.activity_id == activity.id)
    )
    if used:
        return "activity_has_ballots"
    own = select(Statement.id).where(Statement.activity_id == activity.id)
    if db.session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.activity_id == activity.id, Statement.participant_id.is_not(None))
    ):
        return "activity_has_statements"
    referenced = db.session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(
            Statement.activity_id != activity.id,
            or_(Statement.origin_statement_id.in_(own), Statement.merged_into_id.in_(own)),
        )
    ) or db.session.scalar(
        select(func.count()).select_from(PlanItem).where(PlanItem.statement_id.in_(own))
    )
    if referenced:
        return "activity_in_plan"
    return None


BLOCK_MESSAGES = {
    "activity_live": "the live activity cannot be deleted; close it first",
    "activity_is_source": "another activity votes on this one's statements",
    "activity_has_ballots": "people have voted in this activity",
    "activity_has_statements": "people have written statements in this activity",
    "activity_in_plan": "statements of this activity are used elsewhere",
}


def delete_activity(activity: Activity, actor: Facilitator | None) -> None:
    """Delete an unused activity (its own poll options or carried statements with it)."""
    block = deletion_block(activity)
    if block is not None:
        raise Conflict(BLOCK_MESSAGES[block], block)
    workshop = activity.workshop
    if workshop.current_activity_id == activity.id:
        workshop.current_activity = None
    audit.record(workshop, actor, "delete_activity", "activity", activity.id, kind=activity.kind)
    for statement in db.session.scalars(
        select(Statement).where(Statement.activity_id == activity.id)
    ):
        for edit in statement.edits:
            db.session.delete(edit)
        db.session.delete(statement)
    db.session.flush()
    db.session.delete(activity)
    db.session.flush()
    _renumber(workshop, [a for a in workshop.activities if a.id != activity.id])


def reorder(workshop: Workshop, order: list[object], actor: Facilitator | None) -> None:
    """Put the activities in ``order`` (every activity id of the workshop, once each)."""
    by_id = {a.id: a for a in workshop.activities}
    ids: list[int] = []
    for ident in order:
        if isinstance(ident, bool) or not isinstance(ident, int):
            raise Invalid("order lists activity ids (whole numbers)", "invalid_order")
        ids.append(ident)
    if sorted(ids) != sorted(by_id) or len(set(ids)) != len(ids):
        raise Invalid(
            "order must list every activity of this workshop exactly once", "invalid_order"
        )
    _check_sources([by_id[i] for i in ids])
    _renumber(workshop, [by_id[i] for i in ids])
    audit.record(workshop, actor, "reorder_activities", "workshop", workshop.id, order=ids)


def move(workshop: Workshop, activity: Activity, step: int, actor: Facilitator | None) -> None:
    """One place earlier (``-1``) or later (``+1``)."""
    activities = list(workshop.activities)
    index = activities.index(activity)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(activities):
        raise Invalid("the activity cannot move further", "invalid_order")
    activities[index], activities[target] = activities[target], activities[index]
    reorder(workshop, [a.id for a in activities], actor)


def _check_sources(ordered: list[Activity]) -> None:
    place = {a.id: n for n, a in enumerate(ordered)}
    for activity in ordered:
        source = activity.source_activity_id
        if source is not None and source in place and place[source] > place[activity.id]:
            raise Invalid(
                "a vote comes after the brainstorm whose statements it votes on",
                "invalid_order",
            )


def _renumber(workshop: Workshop, ordered: list[Activity]) -> None:
    for n, activity in enumerate(ordered):
        activity.position = n
    db.session.flush()
    db.session.expire(workshop, ["activities"])
