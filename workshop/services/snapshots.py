"""Read models: the JSON shapes sent over HTTP and Socket.IO.

Every payload here is a full snapshot, so a phone that missed messages is
right again after the next one.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import func, select

from ..extensions import db
from ..groups import group_labels
from ..models import Activity, Ballot, BallotEntry, Participant, Statement, Workshop, as_json
from ..voting import rank_items
from .participation import ballot_statements, my_ballot, visible_statements


def _locale() -> str | None:
    try:
        locale = get_locale()
    except Exception:  # outside a request
        return None
    return str(locale) if locale else None


def join_url(workshop: Workshop) -> str:
    from ..netinfo import public_base_url

    return f"{public_base_url()}{url_for('attendee.join', code=workshop.code)}"


def workshop_dict(workshop: Workshop) -> dict:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "city": workshop.city,
        "date": as_json(workshop.held_on),
        "groups": list(workshop.groups),
        "group_labels": group_labels(list(workshop.groups)),
        "join_url": join_url(workshop),
        "current_activity_id": workshop.current_activity_id,
    }


def activity_dict(activity: Activity) -> dict:
    data = {
        "id": activity.id,
        "kind": activity.kind,
        "prompt": activity.prompt,
        "display_prompt": activity.prompt_for(_locale()),
        "prompt_translations": dict(activity.prompt_translations or {}),
        "state": activity.state,
        "position": activity.position,
        "results_revealed": activity.results_revealed,
    }
    if activity.kind == "dot_vote":
        data.update(
            source_activity_id=activity.source_activity_id,
            dots=activity.dots,
            max_per_item=activity.max_per_item,
        )
    return data


def statement_dict(statement: Statement) -> dict:
    return {
        "id": statement.id,
        "activity_id": statement.activity_id,
        "text": statement.text,
        "group": statement.group,
        "created_at": as_json(statement.created_at),
    }


def workshop_detail(workshop: Workshop) -> dict:
    data = workshop_dict(workshop)
    data["activities"] = [activity_dict(a) for a in workshop.activities]
    return data


def current_statements(activity: Activity | None) -> list[Statement]:
    if activity is None:
        return []
    if activity.kind == "brainstorm":
        return visible_statements(activity)
    return ballot_statements(activity)


def ballot_dict(ballot: Ballot | None) -> dict | None:
    if ballot is None:
        return None
    return {
        "activity_id": ballot.activity_id,
        "client_id": ballot.client_id,
        "dots": ballot.as_dots(),
        "updated_at": as_json(ballot.updated_at),
    }


def room_state(workshop: Workshop) -> dict:
    """The state every attendee shares; ``my_ballot`` is filled per participant."""
    activity = workshop.current_activity
    return {
        "workshop": workshop_dict(workshop),
        "current_activity": activity_dict(activity) if activity else None,
        "statements": [statement_dict(s) for s in current_statements(activity)],
        "my_ballot": None,
    }


def participant_state(workshop: Workshop, participant: Participant) -> dict:
    state = room_state(workshop)
    state["me"] = {
        "participant_id": participant.id,
        "group": participant.group,
        "name": participant.name,
    }
    state["my_ballot"] = ballot_dict(my_ballot(participant, workshop.current_activity))
    return state


def participant_counts(workshop: Workshop) -> dict:
    rows = db.session.execute(
        select(Participant.group, func.count())
        .where(Participant.workshop_id == workshop.id)
        .group_by(Participant.group)
    ).all()
    by_group = {g: 0 for g in workshop.groups}
    for group, count in rows:
        by_group[group] = count
    return {"total": sum(by_group.values()), "by_group": by_group}


def dot_scores(activity: Activity) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    """Dots per statement and per group for one vote, summed in the database."""
    rows = db.session.execute(
        select(BallotEntry.statement_id, Participant.group, func.sum(BallotEntry.value))
        .join(Ballot, Ballot.id == BallotEntry.ballot_id)
        .join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.activity_id == activity.id)
        .group_by(BallotEntry.statement_id, Participant.group)
    ).all()
    scores: dict[int, int] = {}
    by_group: dict[int, dict[str, int]] = {}
    for statement_id, group, total in rows:
        scores[statement_id] = scores.get(statement_id, 0) + int(total)
        by_group.setdefault(statement_id, {})[group] = int(total)
    return scores, by_group


def activity_results(activity: Activity) -> dict:
    """Ranked items of one activity; a brainstorm lists its statements with score 0."""
    groups = list(activity.workshop.groups)
    if activity.kind == "brainstorm":
        statements = visible_statements(activity)
        scores: dict[int, int] = {}
        by_group: dict[int, dict[str, int]] = {}
    else:
        statements = ballot_statements(activity)
        scores, by_group = dot_scores(activity)
    texts = {s.id: s for s in statements}
    ranked = rank_items(texts, scores, by_group, groups)
    ballots = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.activity_id == activity.id)
    )
    return {
        "id": activity.id,
        "activity_id": activity.id,
        "kind": activity.kind,
        "prompt": activity.prompt,
        "state": activity.state,
        "ballots": ballots or 0,
        "items": [
            {
                "statement_id": item.statement_id,
                "text": texts[item.statement_id].text,
                "group": texts[item.statement_id].group,
                "score": item.score,
                "rank": item.rank,
                "by_group": item.by_group,
            }
            for item in ranked
        ],
    }


def workshop_results(workshop: Workshop) -> dict:
    return {
        "workshop": workshop_dict(workshop),
        "participants": participant_counts(workshop),
        "activities": [activity_results(a) for a in workshop.activities],
    }
