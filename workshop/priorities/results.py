"""The extra fields of a priority kind's results (on top of the pure item results)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select

from ..extensions import db
from ..models import Activity, Ballot, Participant
from ..voting import allocation, budget


def complete(activity: Activity, result: dict, shown: Mapping[int, object]) -> None:
    """Add, in place, what needs more than the tally.

    matrix: the axis labels; points: ``mean_points`` (over every ballot) and
    ``mean_by_group`` (over the group's ballots); budget: each item's ``cost`` and
    ``funded`` (CONSUL's rule), the activity's ``budget`` and ``funded_cost``.
    ``shown`` maps statement ids to their statements (or statement rows).
    """
    items = result["items"]
    if activity.kind == "matrix":
        result["axes"] = {
            "x_label": activity.x_label,
            "y_label": activity.y_label,
            "x_label_en": activity.x_label_en,
            "y_label_en": activity.y_label_en,
        }
    elif activity.kind == "points":
        total = activity.points or allocation.DEFAULT_POINTS
        per_group = group_ballots(activity.id) if items else {}
        result["points"] = total
        for item in items:
            item["mean_points"] = allocation.mean_points(item["points"], result["ballots"])
            item["mean_by_group"] = {
                g: allocation.mean_points(p, per_group.get(g, 0))
                for g, p in item["by_group"].items()
            }
    elif activity.kind == "budget":
        limit = activity.budget or 0
        for item in items:
            item["cost"] = getattr(shown.get(item["statement_id"]), "cost", None)
        winners = set(
            budget.funded(((i["statement_id"], i["votes"], i["cost"]) for i in items), limit)
        )
        for item in items:
            item["funded"] = item["statement_id"] in winners
        result["budget"] = limit
        result["funded_cost"] = sum(i["cost"] for i in items if i["funded"])


def group_ballots(activity_id: int) -> dict[str, int]:
    """Ballots of one activity per stakeholder group (one grouped query)."""
    rows = db.session.execute(
        select(Participant.group, func.count())
        .select_from(Ballot)
        .join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.activity_id == activity_id)
        .group_by(Participant.group)
    )
    return {group: count for group, count in rows}
