"""The results of every activity of a workshop at once, from a few grouped queries.

``activity_results`` (snapshots.py) answers one activity: four or five queries
and ORM objects for every statement. A report asks for all of them, and a big
workshop (56 activities, 10,000 statements, 100,000 ballots) spent most of its
export there. Here the whole workshop takes three queries: its statements as
plain rows (shared with the report's statements appendix), every ballot of its
votes with the voter's group, and the ballot count of each activity.
The ranking is the same pure code (workshop/voting/), so each activity's
result equals what ``activity_results`` gives (tests/test_report_data.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, func, select

from ..extensions import db
from ..kinds import ROOM_KINDS
from ..live.tallies import load_tallies, scoring_rules
from ..models import Activity, Ballot, Participant, Statement, Workshop
from ..voting import Tally, ranked_results, with_channels
from .moderation import merge_groups
from .snapshots import activity_results, results_shape

StatementRow = Row[Any]  # id, activity_id, participant_id, text, flags, created_at, group, cost


def statement_rows(workshop_id: int) -> list[StatementRow]:
    """Every statement of the workshop with its author's group, by id (one query, no ORM)."""
    return list(
        db.session.execute(
            select(
                Statement.id,
                Statement.activity_id,
                Statement.participant_id,
                Statement.text,
                Statement.hidden,
                Statement.pending,
                Statement.pinned,
                Statement.merged_into_id,
                Statement.created_at,
                Participant.group.label("group"),
                Statement.cost,
            )
            .outerjoin(Participant, Participant.id == Statement.participant_id)
            .where(Statement.workshop_id == workshop_id)
            .order_by(Statement.id)
        )
    )


def ballot_counts(activity_ids: Iterable[int]) -> dict[int, int]:
    """Ballots per activity (one grouped query); an activity without ballots is absent."""
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Ballot.activity_id, func.count())
        .where(Ballot.activity_id.in_(ids))
        .group_by(Ballot.activity_id)
    )
    return {activity_id: count for activity_id, count in rows}


def _visible(row: StatementRow) -> bool:
    """As ``participation.visible_statements``: not hidden, not pending, not merged away."""
    return not row.hidden and not row.pending and row.merged_into_id is None


def all_activity_results(
    workshop: Workshop,
    statements: Sequence[StatementRow] | None = None,
    only: Iterable[int] | None = None,
) -> tuple[dict[int, dict], int]:
    """``activity_results`` of every activity of the workshop, by id, and the ballot total.

    ``statements`` are the workshop's ``statement_rows`` when the caller has them already;
    ``only`` limits the work to those activities (the total is then theirs).
    """
    if statements is None:
        statements = statement_rows(workshop.id)
    activities: list[Activity] = list(workshop.activities)
    own = {a.id for a in activities}
    if only is not None:
        wanted = set(only)
        activities = [a for a in activities if a.id in wanted]
    of_activity: dict[int, list[StatementRow]] = defaultdict(list)
    for row in statements:
        of_activity[row.activity_id].append(row)
    visible = {aid: [r for r in rows if _visible(r)] for aid, rows in of_activity.items()}
    tallies = load_tallies(a.id for a in activities if a.kind != "brainstorm")
    counts = ballot_counts(a.id for a in activities)
    from ..channels.counts import ballots_by_channel

    channels = ballots_by_channel(a.id for a in activities)
    merged: dict[int, dict[int, list[int]]] = {}  # per source activity: merge_groups
    groups = list(workshop.groups)
    results: dict[int, dict] = {}
    for activity in activities:
        source_id = activity.ballot_source_id
        if activity.kind in ROOM_KINDS:  # words, questions with their state, pins
            results[activity.id] = activity_results(activity)
            continue
        if activity.kind != "brainstorm" and source_id is not None and source_id not in own:
            # A source outside this workshop (not expected): its statements are not loaded.
            results[activity.id] = activity_results(activity)
            continue
        if activity.kind == "brainstorm":
            shown = visible.get(activity.id, [])
            ranked = [
                {"statement_id": s.id, "rank": 1, "score": 0, "by_group": {g: 0 for g in groups}}
                for s in shown
            ]
        else:
            shown = visible.get(source_id, []) if source_id is not None else []
            if source_id is not None and source_id not in merged:
                merged[source_id] = merge_groups(of_activity.get(source_id, []))
            groups_of = merged[source_id] if source_id is not None else {}
            members = {s.id: groups_of.get(s.id, [s.id]) for s in shown}
            tally = tallies.get(activity.id) or Tally()
            rules = scoring_rules(activity)
            ranked = with_channels(
                ranked_results(tally, [s.id for s in shown], rules, members), tally, rules, members
            )
        results[activity.id] = results_shape(
            activity, ranked, shown, counts.get(activity.id, 0), channels.get(activity.id)
        )
    return results, sum(counts.values())
