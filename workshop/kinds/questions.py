"""Q&A: the facilitator's queue states (open, current, answered), audit-logged.

At most one question of an activity is current: marking another one current puts the
previous one back to open (the facilitator marks it answered first if it was).
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, Statement
from ..services import audit
from ..services.errors import Invalid
from ..voting.qa import QA_STATES


def set_qa_state(statement: Statement, state: str, actor: Facilitator | None) -> Statement:
    if statement.activity.kind != "qa":
        raise Invalid("qa_state applies to the questions of a qa activity", "not_a_question")
    if state not in QA_STATES:
        raise Invalid(f"qa_state must be one of {', '.join(QA_STATES)}", "invalid_qa_state")
    if state == "current":
        for other in db.session.scalars(
            select(Statement).where(
                Statement.activity_id == statement.activity_id,
                Statement.qa_state == "current",
                Statement.id != statement.id,
            )
        ):
            other.qa_state = "open"
    previous = statement.qa_state or "open"
    statement.qa_state = state
    audit.record(
        statement.activity.workshop,
        actor,
        "qa_state",
        "statement",
        statement.id,
        previous=previous,
        state=state,
    )
    db.session.flush()
    return statement
