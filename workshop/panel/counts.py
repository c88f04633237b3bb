"""What the control panel counts live: ballots per stakeholder group, statements so far."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Activity, Ballot, Participant, Statement


def ballots_by_group(activity: Activity) -> dict[str, int]:
    """Ballots of this vote per stakeholder group of their voter (every group, 0 included)."""
    counts = {group: 0 for group in activity.workshop.groups}
    rows = db.session.execute(
        select(Participant.group, func.count())
        .select_from(Ballot)
        .join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.activity_id == activity.id)
        .group_by(Participant.group)
    ).all()
    for group, count in rows:
        counts[group] = counts.get(group, 0) + count
    return counts


def statement_count(activity: Activity) -> int:
    """Visible statements of a brainstorm (what the wall shows)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Statement)
            .where(
                Statement.activity_id == activity.id,
                Statement.hidden.is_(False),
                Statement.pending.is_(False),
                Statement.merged_into_id.is_(None),
            )
        )
        or 0
    )


def live_figures(activity: Activity | None) -> dict:
    """The now card's figures: ballots (total and per group) or the statement count."""
    if activity is None:
        return {}
    if activity.kind == "brainstorm":
        return {"statements": statement_count(activity)}
    by_group = ballots_by_group(activity)
    return {"ballots": sum(by_group.values()), "ballots_by_group": by_group}
