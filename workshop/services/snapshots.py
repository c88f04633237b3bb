"""Read models: the JSON shapes sent over HTTP and Socket.IO.

Every payload here is a full snapshot, so a phone that missed messages is
right again after the next one.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import func, select

from ..extensions import db
from ..groups import group_labels
from ..kinds import ROOM_KINDS
from ..live.tallies import load_tally, scoring_rules
from ..models import (
    STATEMENT_VOTE_KINDS,
    Activity,
    Ballot,
    Participant,
    Statement,
    Workshop,
    as_json,
)
from ..models.core import PRIORITY_KINDS
from ..priorities import ballots as priority_ballots
from ..priorities import fields as priority_fields
from ..priorities import results as priority_results
from ..voting import Tally, ranked_results, with_channels
from .ballots import BallotResult, my_ballot
from .control import remaining_seconds
from .moderation import merge_groups
from .opinions import OPINION_KINDS, opinions_summary
from .participation import all_statements, ballot_statements, visible_statements


def _locale() -> str | None:
    try:
        locale = get_locale()
    except Exception:  # outside a request
        return None
    return str(locale) if locale else None


def join_url(workshop: Workshop) -> str:
    from ..caching import no_store
    from ..netinfo import public_base_url

    no_store()  # the answer now carries the QR token
    # The QR token rides along so the link (and every QR printed from it) keeps joining
    # after the facilitator closes the short code.
    params = {"t": workshop.join_token} if workshop.join_token else {}
    return f"{public_base_url()}{url_for('attendee.join', code=workshop.code, **params)}"


def city_names(city) -> dict | None:
    return {"th": city.name_th, "en": city.name_en} if city else None


def workshop_dict(workshop: Workshop) -> dict:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "city": workshop.city_record.slug if workshop.city_record else None,
        "city_name": city_names(workshop.city_record),
        "date": as_json(workshop.held_on),
        "groups": list(workshop.groups),
        "group_labels": group_labels(list(workshop.groups)),
        "join_url": join_url(workshop),
        "short_code_open": workshop.short_code_open,
        "current_activity_id": workshop.current_activity_id,
        "consensus": {
            "threshold": workshop.consensus_threshold,
            "min_group_members": workshop.consensus_min_group,
        },
        "results_hidden_by_default": workshop.results_hidden_by_default,
        "moderation": "pre" if workshop.premoderation else "post",
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
        "locked": activity.locked,
        "ends_at": as_json(activity.ends_at),
        "remaining_seconds": remaining_seconds(activity),
        "projector_results": activity.projector_results,
        "plan_section": activity.plan_section,
        "horizon": activity.horizon,
        "minutes": activity.minutes,
    }
    if activity.is_vote:
        from ..channels.window import online_open

        data["online_until"] = as_json(activity.online_until)
        data["online_open"] = online_open(activity)
    if activity.kind in STATEMENT_VOTE_KINDS:
        data["source_activity_id"] = activity.source_activity_id
    if activity.kind == "dot_vote":
        data.update(dots=activity.dots, max_per_item=activity.max_per_item)
    elif activity.kind == "rank":
        data["top_k"] = activity.top_k
    if activity.kind == "agree":
        data["opinion_own_dot"] = activity.opinion_own_dot
    elif activity.kind == "poll":
        data["multiple"] = activity.multiple
        data["options"] = [{"id": s.id, "text": s.text} for s in visible_statements(activity)]
    elif activity.kind in PRIORITY_KINDS:
        data.update(priority_fields.activity_fields(activity))
    elif activity.kind in ROOM_KINDS:
        from ..kinds.results import activity_fields

        data.update(activity_fields(activity))
    return data


def statement_dict(statement: Statement) -> dict:
    return {
        "id": statement.id,
        "activity_id": statement.activity_id,
        "text": statement.text,
        "group": statement.group,
        "created_at": as_json(statement.created_at),
        "pinned": statement.pinned,
        **({"cost": statement.cost} if statement.cost is not None else {}),
    } | ({"qa_state": statement.qa_state} if statement.qa_state is not None else {})


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


def outcome_ballot_dict(outcome: BallotResult) -> dict | None:
    """The acknowledgement of a vote: the ballot as the write's transaction left it."""
    seen = outcome.seen
    if seen is None:
        return None
    data = _ballot_shape(
        seen.activity_id, outcome.kind, seen.client_id, seen.updated_at, seen.entries
    )
    if outcome.kind in ROOM_KINDS:
        from ..kinds.ballots import ballot_fields

        data.update(
            ballot_fields(outcome.kind, seen.activity_id, None, seen.entries, outcome.detail)
        )
    return data


def ballot_dict(ballot: Ballot | None, kind: str | None = None) -> dict | None:
    """A participant's ballot in the shape they sent it (``dots``, ``ranking``, ...)."""
    if ballot is None:
        return None
    kind = kind or db.session.get(Activity, ballot.activity_id).kind
    entries = ballot.as_entries()
    data = _ballot_shape(ballot.activity_id, kind, ballot.client_id, ballot.updated_at, entries)
    if kind in ROOM_KINDS:
        from ..kinds.ballots import ballot_fields

        data.update(
            ballot_fields(kind, ballot.activity_id, ballot.participant_id, entries, None)
        )
    return data


def _ballot_shape(
    activity_id: int, kind: str, client_id: str, updated_at, entries: dict[int, int]
) -> dict:
    data = {
        "activity_id": activity_id,
        "kind": kind,
        "client_id": client_id,
        "updated_at": as_json(updated_at),
    }
    if kind == "dot_vote":
        data["dots"] = {str(k): v for k, v in entries.items()}
    elif kind == "rank":
        data["ranking"] = [k for k, _ in sorted(entries.items(), key=lambda kv: kv[1])]
    elif kind == "agree":
        data["answers"] = {str(k): v for k, v in entries.items()}
    elif kind == "rating":
        data["ratings"] = {str(k): v for k, v in entries.items()}
    elif kind == "poll":
        data["choices"] = sorted(entries)
    elif kind in PRIORITY_KINDS:
        data.update(priority_ballots.ballot_field(kind, entries))
    return data


def phone_activity(workshop: Workshop) -> Activity | None:
    """What phones vote on: the room's current activity, or, while no vote is open in the
    room, a vote inside its online window (workshop/channels/window.py)."""
    from ..channels.window import online_activity

    return online_activity(workshop) or workshop.current_activity


def _phone_activity_dict(activity: Activity | None) -> dict | None:
    if activity is None:
        return None
    data = activity_dict(activity)
    if data.get("online_open"):
        # Phones (and the projector) see it as open: it takes ballots, in channel online.
        data["room_state"], data["state"] = data["state"], "open"
    return data


def room_state(workshop: Workshop) -> dict:
    """The state every attendee shares; ``my_ballot`` is filled per participant."""
    activity = phone_activity(workshop)
    return {
        "workshop": workshop_dict(workshop),
        "current_activity": _phone_activity_dict(activity),
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
    activity = phone_activity(workshop)
    ballot = my_ballot(participant, activity)
    state["my_ballot"] = ballot_dict(ballot, activity.kind) if ballot and activity else None
    return state


def participant_counts(workshop: Workshop) -> dict:
    rows = db.session.execute(
        select(Participant.group, func.count())
        # A keyed paper ballot is one sheet, not a person present (workshop/channels/).
        .where(Participant.workshop_id == workshop.id, Participant.kind != "paper")
        .group_by(Participant.group)
    ).all()
    by_group = {g: 0 for g in workshop.groups}
    for group, count in rows:
        by_group[group] = count
    return {"total": sum(by_group.values()), "by_group": by_group}


def ballot_count(activity: Activity) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.activity_id == activity.id)
        )
        or 0
    )


def activity_results(activity: Activity, tally: Tally | None = None) -> dict:
    """Ranked items of one activity with the fields of its kind (see workshop/voting/tally.py).

    A brainstorm lists its statements with score 0. ``tally`` defaults to a
    fresh count from the database (authoritative); live snapshots pass the
    running tally instead.
    """
    if activity.kind in ROOM_KINDS:
        from ..kinds.results import room_kind_results

        return room_kind_results(activity, tally)
    groups = list(activity.workshop.groups)
    if activity.kind == "brainstorm":
        statements = visible_statements(activity)
        ranked = [
            {"statement_id": s.id, "rank": 1, "score": 0, "by_group": {g: 0 for g in groups}}
            for s in statements
        ]
    else:
        statements = ballot_statements(activity)
        ids = [s.id for s in statements]
        if tally is None:
            tally = load_tally(activity.id)
        about = activity if activity.ballot_source_id == activity.id else activity.source_activity
        groups_of = merge_groups(all_statements(about)) if about is not None else {}
        members = {sid: groups_of.get(sid, [sid]) for sid in ids}
        rules = scoring_rules(activity)
        ranked = with_channels(ranked_results(tally, ids, rules, members), tally, rules, members)
    from ..channels.counts import ballots_by_channel

    channels = ballots_by_channel([activity.id]).get(activity.id)
    return results_shape(activity, ranked, statements, ballot_count(activity), channels)


def results_shape(
    activity: Activity,
    ranked: list[dict],
    shown: Iterable,
    ballots: int,
    channels: dict[str, int] | None = None,
) -> dict:
    """One activity's results as the API, tallies and exports give them.

    ``ranked`` are fresh dicts (``ranked_results``): each is completed in place with its
    statement's ``text`` and author ``group``, taken from ``shown`` (statements or rows).
    """
    texts = {s.id: s for s in shown}
    for item in ranked:
        statement = texts[item["statement_id"]]
        item["text"], item["group"] = statement.text, statement.group
    result = {
        "id": activity.id,
        "activity_id": activity.id,
        "kind": activity.kind,
        "prompt": activity.prompt,
        "state": activity.state,
        "ballots": ballots or 0,
        "items": ranked,
    }
    if activity.kind != "brainstorm":
        from ..channels.counts import empty_counts

        # workshop/channels/: ballots per channel ("of which N on paper"); paper_aggregate
        # counts sticker sheets, which are not ballots.
        result["ballots_by_channel"] = channels or empty_counts()
        result["online_until"] = as_json(activity.online_until)
    if activity.kind == "rank":
        result["top_k"] = activity.top_k
    if activity.kind in PRIORITY_KINDS:
        priority_results.complete(activity, result, texts)
    if activity.kind == "agree":
        result["consensus_rules"] = {
            "threshold": activity.workshop.consensus_threshold,
            "min_group_members": activity.workshop.consensus_min_group,
        }
    return result


def workshop_results(workshop: Workshop) -> dict:
    return {
        "workshop": workshop_dict(workshop),
        "participants": participant_counts(workshop),
        "activities": [with_opinions(a, activity_results(a)) for a in workshop.activities],
    }


def with_opinions(activity: Activity, results: dict) -> dict:
    """An agree activity's results with its opinion groups (docs/opinion-groups.md)."""
    if activity.kind in OPINION_KINDS:
        results["opinions"] = opinions_summary(activity)
    return results
