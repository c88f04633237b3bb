"""Moderating the wall without losing a voice: every action is logged and reversible.

Hiding, pending approval and merging never delete a statement or a ballot:
a merged-away duplicate keeps its own ballots, which count for the statement
it was merged into until it is unmerged (see ``merge_groups``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Facilitator, Statement, StatementEdit, Workshop, as_json, utcnow
from . import audit
from .errors import Conflict, Invalid, NotFound
from .participation import clean_statement_text


def get_statement(workshop: Workshop, statement_id: object) -> Statement:
    try:
        ident = int(statement_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such statement in this workshop", "statement_not_found") from None
    statement = db.session.get(Statement, ident)
    if statement is None or statement.workshop_id != workshop.id:
        raise NotFound("no such statement in this workshop", "statement_not_found")
    return statement


def set_hidden(statement: Statement, hidden: bool, actor: Facilitator | None) -> Statement:
    if statement.hidden != hidden:
        statement.hidden = hidden
        audit.record(
            _workshop(statement), actor, "hide" if hidden else "unhide", "statement", statement.id
        )
    db.session.flush()
    return statement


def approve(statement: Statement, actor: Facilitator | None) -> Statement:
    if statement.pending:
        statement.pending = False
        audit.record(_workshop(statement), actor, "approve", "statement", statement.id)
    db.session.flush()
    return statement


def set_pinned(statement: Statement, pinned: bool, actor: Facilitator | None) -> Statement:
    if statement.pinned != pinned:
        statement.pinned = pinned
        audit.record(
            _workshop(statement), actor, "pin" if pinned else "unpin", "statement", statement.id
        )
    db.session.flush()
    return statement


def edit_text(statement: Statement, text: object, actor: Facilitator | None) -> Statement:
    """Change the wording; the earlier text is kept in the statement's history."""
    new_text = clean_statement_text(text)
    if new_text != statement.text:
        db.session.add(
            StatementEdit(
                statement=statement,
                old_text=statement.text,
                new_text=new_text,
                facilitator_id=actor.id if actor else None,
            )
        )
        audit.record(
            _workshop(statement),
            actor,
            "edit",
            "statement",
            statement.id,
            old_text=statement.text,
            new_text=new_text,
        )
        statement.text = new_text
    db.session.flush()
    return statement


def merge(
    target: Statement, sources: Iterable[object], actor: Facilitator | None
) -> list[Statement]:
    """Merge duplicates into ``target``: they vanish from the wall, their votes count for it."""
    workshop = _workshop(target)
    if target.merged_into_id is not None:
        raise Conflict(
            "this statement was itself merged into another; unmerge it first", "already_merged"
        )
    merged: list[Statement] = []
    seen: set[int] = set()
    for source_id in sources:
        source = get_statement(workshop, source_id)
        if source.id == target.id:
            raise Invalid("a statement cannot be merged into itself", "invalid_merge")
        if source.id in seen:
            continue
        seen.add(source.id)
        if source.activity_id != target.activity_id:
            raise Invalid("only statements of the same activity can be merged", "invalid_merge")
        if source.merged_into_id is not None:
            raise Conflict(f"statement {source.id} is already merged", "already_merged")
        merged.append(source)
    if not merged:
        raise Invalid("name at least one statement to merge", "invalid_merge")
    now = utcnow()
    for source in merged:
        source.merged_into_id = target.id
        source.merged_at = now
    audit.record(workshop, actor, "merge", "statement", target.id, merged=[s.id for s in merged])
    db.session.flush()
    return merged


def unmerge(target: Statement, actor: Facilitator | None) -> list[Statement]:
    """Restore every statement merged into ``target``, with its own votes."""
    restored = list(
        db.session.scalars(select(Statement).where(Statement.merged_into_id == target.id))
    )
    if not restored:
        raise Conflict("nothing is merged into this statement", "not_merged")
    for statement in restored:
        statement.merged_into_id = None
        statement.merged_at = None
    audit.record(
        _workshop(target),
        actor,
        "unmerge",
        "statement",
        target.id,
        restored=[s.id for s in restored],
    )
    db.session.flush()
    return restored


def merged_children(statement: Statement) -> list[Statement]:
    return list(
        db.session.scalars(
            select(Statement).where(Statement.merged_into_id == statement.id).order_by(Statement.id)
        )
    )


def merged_children_by_target(workshop_id: int) -> dict[int, list[Statement]]:
    """Every statement merged into another in the workshop, by the one it was merged into
    (one query, for pages and drafts that show the duplicates of many statements)."""
    found: dict[int, list[Statement]] = {}
    query = (
        select(Statement)
        .where(Statement.workshop_id == workshop_id, Statement.merged_into_id.is_not(None))
        .options(selectinload(Statement.participant))  # their groups are shown
        .order_by(Statement.id)
    )
    for child in db.session.scalars(query):
        found.setdefault(child.merged_into_id, []).append(child)  # type: ignore[arg-type]
    return found


def merge_groups(statements: Iterable[Statement]) -> dict[int, list[int]]:
    """Each statement not merged away, with the ids merged into it (at any depth)."""
    statements = list(statements)
    parent = {s.id: s.merged_into_id for s in statements}

    def root(ident: int) -> int:
        seen = set()
        while parent.get(ident) is not None and ident not in seen:
            seen.add(ident)
            ident = parent[ident]  # type: ignore[assignment]
        return ident

    groups: dict[int, list[int]] = {}
    for statement in statements:
        groups.setdefault(root(statement.id), []).append(statement.id)
    return groups


def statement_detail(statement: Statement) -> dict:
    """A statement with its flags, what was merged into it and its edit history."""
    return {
        "id": statement.id,
        "activity_id": statement.activity_id,
        "text": statement.text,
        "group": statement.group,
        "created_at": as_json(statement.created_at),
        "hidden": statement.hidden,
        "pending": statement.pending,
        "pinned": statement.pinned,
        "cost": statement.cost,
        "merged_into": statement.merged_into_id,
        "original_text": statement.edits[0].old_text if statement.edits else statement.text,
        "merged_from": [
            {
                "id": child.id,
                "text": child.text,
                "group": child.group,
                "merged_from": [
                    {"id": c.id, "text": c.text, "group": c.group} for c in merged_children(child)
                ],
            }
            for child in merged_children(statement)
        ],
        "history": [
            {
                "at": as_json(e.at),
                "old_text": e.old_text,
                "new_text": e.new_text,
                "by": e.facilitator.email if e.facilitator else None,
            }
            for e in statement.edits
        ],
    }


def set_premoderation(workshop: Workshop, enabled: bool, actor: Facilitator | None) -> Workshop:
    if workshop.premoderation != enabled:
        workshop.premoderation = enabled
        audit.record(
            workshop,
            actor,
            "premoderation_on" if enabled else "premoderation_off",
            "workshop",
            workshop.id,
        )
    db.session.flush()
    return workshop


def _workshop(statement: Statement) -> Workshop:
    return db.session.get(Workshop, statement.workshop_id)
