"""Moderation API (facilitators only): hide, edit, approve, pin, merge, suggested duplicates."""

from __future__ import annotations

from flask import jsonify, request

from ..auth import require_facilitator
from ..extensions import db
from ..live import broadcast
from ..models import Statement
from ..priorities.costs import set_cost
from ..services import moderation
from ..services.errors import Invalid
from ..services.workshops import get_owned_workshop
from . import bp
from .schemas import StatementMerge, StatementPatch, parse_body


def _facilitator_for(code: str):
    """The workshop and the facilitator running it; an attendee gets 403."""
    facilitator = require_facilitator()
    return get_owned_workshop(code, facilitator), facilitator


@bp.get("/workshops/<code>/statements")
def list_statements(code: str):
    """Every statement of the workshop (or of ``?activity_id=``), with moderation flags."""
    workshop, _ = _facilitator_for(code)
    query = db.select(Statement).where(Statement.workshop_id == workshop.id)
    activity_id = request.args.get("activity_id")
    if activity_id:
        if not activity_id.isdigit():
            raise Invalid("activity_id must be a number", "invalid_field")
        query = query.where(Statement.activity_id == int(activity_id))
    status = request.args.get("status")
    if status == "pending":
        query = query.where(Statement.pending.is_(True))
    statements = db.session.scalars(query.order_by(Statement.id))
    return jsonify({"statements": [moderation.statement_detail(s) for s in statements]})


@bp.get("/workshops/<code>/statements/<statement_id>")
def show_statement(code: str, statement_id: str):
    workshop, _ = _facilitator_for(code)
    statement = moderation.get_statement(workshop, statement_id)
    return jsonify(moderation.statement_detail(statement))


@bp.patch("/workshops/<code>/statements/<statement_id>")
def patch_statement(code: str, statement_id: str):
    workshop, facilitator = _facilitator_for(code)
    statement = moderation.get_statement(workshop, statement_id)
    body = parse_body(StatementPatch)
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise Invalid("send hidden, text, pinned, approved, cost or qa_state", "nothing_to_change")
    was_visible = statement.visible
    if body.qa_state is not None:  # first: a refused state changes nothing else either
        from ..kinds.questions import set_qa_state

        set_qa_state(statement, body.qa_state, facilitator)
    if "text" in changes:
        moderation.edit_text(statement, body.text, facilitator)
    if "hidden" in changes:
        moderation.set_hidden(statement, bool(body.hidden), facilitator)
    if "pinned" in changes:
        moderation.set_pinned(statement, bool(body.pinned), facilitator)
    if changes.get("approved"):
        moderation.approve(statement, facilitator)
    if "cost" in changes:
        set_cost(workshop, statement, body.cost, facilitator)
    db.session.commit()
    broadcast.statements_changed(
        workshop,
        statement.activity_id,
        new_statement=statement if statement.visible and not was_visible else None,
    )
    return jsonify(moderation.statement_detail(statement))


@bp.post("/workshops/<code>/statements/<statement_id>/merge")
def merge(code: str, statement_id: str):
    workshop, facilitator = _facilitator_for(code)
    target = moderation.get_statement(workshop, statement_id)
    body = parse_body(StatementMerge)
    moderation.merge(target, body.sources, facilitator)
    db.session.commit()
    broadcast.statements_changed(workshop, target.activity_id)
    return jsonify(moderation.statement_detail(target))


@bp.post("/workshops/<code>/statements/<statement_id>/unmerge")
def unmerge(code: str, statement_id: str):
    workshop, facilitator = _facilitator_for(code)
    target = moderation.get_statement(workshop, statement_id)
    moderation.unmerge(target, facilitator)
    db.session.commit()
    broadcast.statements_changed(workshop, target.activity_id)
    return jsonify(moderation.statement_detail(target))


@bp.get("/workshops/<code>/duplicates")
def duplicates(code: str):
    """Suggested duplicate pairs among the visible statements, by word overlap (Thai-aware)."""
    from ..duplicates import suggest_duplicates

    workshop, _ = _facilitator_for(code)
    threshold = request.args.get("threshold", "0.5")
    try:
        threshold_value = float(threshold)
    except ValueError:
        raise Invalid("threshold must be a number between 0 and 1", "invalid_field") from None
    if not 0 < threshold_value <= 1:
        raise Invalid("threshold must be a number between 0 and 1", "invalid_field")
    query = db.select(Statement).where(
        Statement.workshop_id == workshop.id,
        Statement.hidden.is_(False),
        Statement.merged_into_id.is_(None),
        Statement.participant_id.is_not(None),
    )
    activity_id = request.args.get("activity_id")
    if activity_id and activity_id.isdigit():
        query = query.where(Statement.activity_id == int(activity_id))
    statements = {s.id: s for s in db.session.scalars(query)}
    by_activity: dict[int, list[tuple[int, str]]] = {}
    for s in statements.values():
        by_activity.setdefault(s.activity_id, []).append((s.id, s.text))
    pairs = []
    for items in by_activity.values():
        pairs += suggest_duplicates(items, threshold=threshold_value)
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return jsonify(
        {
            "threshold": threshold_value,
            "pairs": [
                {
                    "a": {"id": p.a, "text": statements[p.a].text, "group": statements[p.a].group},
                    "b": {"id": p.b, "text": statements[p.b].text, "group": statements[p.b].group},
                    "similarity": p.score,
                    "activity_id": statements[p.a].activity_id,
                }
                for p in pairs
            ],
        }
    )
