"""Statement costs for budget votes, typed by the facilitator (audit-logged)."""

from __future__ import annotations

from ..extensions import db
from ..models import Facilitator, Statement, Workshop
from ..services import audit
from .fields import check_money


def set_cost(
    workshop: Workshop, statement: Statement, cost: object, facilitator: Facilitator
) -> None:
    """Set (or clear, with ``None``) what a statement costs in baht; flushes.

    Ballots already cast stay as they are; the funded line follows the new costs.
    """
    value = None if cost is None else check_money(cost, "cost", 0)
    if value == statement.cost:
        return
    audit.record(
        workshop, facilitator, "set_cost", "statement", statement.id, old=statement.cost, new=value
    )
    statement.cost = value
    db.session.flush()
