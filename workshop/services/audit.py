"""The audit log of a workshop: every facilitator action, for the room's record and exports."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Facilitator, Workshop, as_json


def record(
    workshop: Workshop,
    actor: Facilitator | None,
    action: str,
    target_type: str,
    target_id: int | None,
    **details: object,
) -> AuditEntry:
    entry = AuditEntry(
        workshop_id=workshop.id,
        facilitator_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def entries(workshop: Workshop) -> list[dict]:
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.workshop_id == workshop.id).order_by(AuditEntry.id)
    )
    return [entry_dict(e) for e in rows]


def entry_dict(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "at": as_json(entry.at),
        "actor": entry.facilitator.email if entry.facilitator else None,
        "action": entry.action,
        "target": {"type": entry.target_type, "id": entry.target_id},
        "details": entry.details or {},
    }
