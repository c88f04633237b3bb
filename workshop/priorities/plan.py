"""The draft plan's evidence from the priority kinds.

- a ``matrix`` on a brainstorm gives each statement a priority: its quadrant, with both
  means, spreads and the axis labels (``evidence["priority"]``);
- ``points`` and ``budget`` votes rank the statements like dot votes (score = points or
  votes), adding ``mean_points`` or ``cost`` and ``funded``;
- a budget with its own items and a ``plan_section`` drafts its funded items.
"""

from __future__ import annotations

from ..models import Activity, Statement, Workshop

EXTRA_FIELDS = ("mean_points", "cost", "funded")


def _matrix_on(workshop: Workshop, brainstorm: Activity) -> Activity | None:
    from ..services.snapshots import ballot_count

    matrices = [
        a
        for a in workshop.activities
        if a.kind == "matrix" and a.source_activity_id == brainstorm.id
    ]
    if not matrices:
        return None
    return max(matrices, key=lambda a: (ballot_count(a), a.position))


def priorities(workshop: Workshop, brainstorm: Activity) -> dict[int, dict]:
    """The matrix priority of each statement of ``brainstorm`` (empty without a matrix)."""
    from ..services.snapshots import activity_results

    matrix = _matrix_on(workshop, brainstorm)
    if matrix is None:
        return {}
    results = activity_results(matrix)
    return {
        item["statement_id"]: {
            "quadrant": item["quadrant"],
            "x_mean": item["x_mean"],
            "y_mean": item["y_mean"],
            "x_spread": item["x_spread"],
            "y_spread": item["y_spread"],
            "count": item["count"],
            "by_group": item["by_group"],
            "x_label": matrix.x_label,
            "y_label": matrix.y_label,
            "activity_id": matrix.id,
        }
        for item in results["items"]
        if item["count"]
    }


def extras(item: dict) -> dict:
    """What a points or budget result adds to a statement's evidence."""
    return {name: item[name] for name in EXTRA_FIELDS if name in item}


def drafts_own_items(activity: Activity) -> bool:
    """A budget with its own statements (no brainstorm) and a place in the plan."""
    return (
        activity.kind == "budget"
        and activity.source_activity_id is None
        and activity.plan_section is not None
    )


def own_items_ranked(activity: Activity) -> list[tuple[Statement, dict]]:
    """The funded items of such a budget, in order of votes, with their evidence."""
    from ..extensions import db
    from ..services.snapshots import activity_results

    results = activity_results(activity)
    ranked = []
    for item in results["items"]:
        if not item.get("funded"):
            continue
        statement = db.session.get(Statement, item["statement_id"])
        evidence = {
            "activity_id": activity.id,
            "vote_kind": activity.kind,
            "ballots": results["ballots"],
            "score": item["score"],
            "rank": item["rank"],
            "by_group": item["by_group"],
            "consensus": None,
            "opinion_groups": None,
            "author_group": None,
            "brainstorm_id": activity.id,
            "merged_from": [],
            **extras(item),
        }
        ranked.append((statement, evidence))
    return ranked
