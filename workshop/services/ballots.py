"""Casting ballots of every vote kind. One ballot row per participant and activity."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import ratelimit
from ..extensions import db
from ..models import Activity, Ballot, BallotEntry, Participant, VoteWrite, utcnow
from ..voting import (
    BallotError,
    DotRules,
    validate_agree,
    validate_choices,
    validate_dot_ballot,
    validate_ranking,
    validate_ratings,
)
from .errors import Invalid
from .participation import ballot_statement_ids, clean_client_id, lock_participant, require_open
from .workshops import get_activity

VOTE_KINDS = ("dot_vote", "rank", "agree", "rating", "poll")


@dataclass
class BallotResult:
    ballot: Ballot | None
    activity: Activity
    group: str
    changed: bool
    previous: dict[int, int]
    current: dict[int, int]
    # The ballot as it stood inside the write's transaction (what the acknowledgement
    # shows): re-reading it after the commit could mix another write's rows into it.
    seen: BallotView | None = None


@dataclass(frozen=True)
class BallotView:
    activity_id: int
    client_id: str
    updated_at: object
    entries: dict[int, int]


def _view(ballot: Ballot | None, entries: dict[int, int]) -> BallotView | None:
    if ballot is None:
        return None
    return BallotView(ballot.activity_id, ballot.client_id, ballot.updated_at, dict(entries))


def _new_entries(activity: Activity, payload: dict, previous: dict[int, int]) -> dict[int, int]:
    """Validate the kind-specific part of ``payload``; returns the ballot's new entries."""
    eligible = ballot_statement_ids(activity)
    kind = activity.kind
    if kind == "dot_vote":
        rules = DotRules(dots=activity.dots or 5, max_per_item=activity.max_per_item or 3)
        return validate_dot_ballot(_field(payload, "dots"), rules, eligible)
    if kind == "rank":
        return validate_ranking(_field(payload, "ranking"), activity.top_k or 3, eligible)
    if kind == "agree":
        # One answer per statement; answers to other statements stay as they were.
        if "answers" in payload:
            answers = payload["answers"]
            if not isinstance(answers, dict):
                raise BallotError(
                    "invalid_ballot", "answers must be an object of statement id to value"
                )
            pairs = [validate_agree(_key(k), v, eligible) for k, v in answers.items()]
        else:
            pairs = [
                validate_agree(_field(payload, "statement_id"), _field(payload, "value"), eligible)
            ]
        return {**previous, **dict(pairs)}
    if kind == "rating":
        return validate_ratings(_field(payload, "ratings"), eligible)
    if kind == "poll":
        return validate_choices(_field(payload, "choices"), activity.multiple, eligible)
    raise Invalid(f"a {kind} takes no votes", "wrong_kind")


def _key(key: object) -> object:
    text = str(key).strip()
    return int(text) if text.lstrip("-").isdigit() else key


def _field(payload: dict, name: str) -> object:
    if name not in payload:
        raise BallotError("invalid_ballot", f"{name} is required for this kind of vote")
    return payload[name]


def cast_ballot(participant: Participant, payload: dict) -> BallotResult:
    """Store the participant's answer to a vote activity, replacing the earlier one.

    ``payload`` has ``activity_id``, ``client_id`` and the kind's field (``dots``,
    ``ranking``, ``statement_id`` + ``value``, ``ratings`` or ``choices``).
    A ``client_id`` seen before changes nothing and returns the current ballot.
    Invalid input raises before anything is written.
    """
    client_id = clean_client_id(payload.get("client_id"))
    activity = get_activity(participant.workshop, payload.get("activity_id"))
    # From here this participant's other writes wait for this transaction: the
    # ballot read below is the one this write replaces, never a stale copy.
    lock_participant(participant)
    ballot = ballot_for(participant, activity)
    previous = ballot.as_entries() if ballot else {}
    if _seen(participant, client_id):
        # A resend: answered before the rate limit, so it always gets its answer.
        return BallotResult(
            ballot, activity, participant.group, False, previous, previous, _view(ballot, previous)
        )
    require_open(activity, *VOTE_KINDS)
    try:
        entries = _new_entries(activity, payload, previous)
    except BallotError as error:
        raise Invalid(error.message, error.code) from None
    ratelimit.admit_vote(participant.id)
    try:
        with db.session.begin_nested():
            db.session.add(
                VoteWrite(
                    participant_id=participant.id, client_id=client_id, activity_id=activity.id
                )
            )
            if ballot is None:
                ballot = Ballot(
                    activity_id=activity.id, participant=participant, client_id=client_id
                )
                db.session.add(ballot)
                db.session.flush()
    except IntegrityError:
        # The same write (or a first ballot) raced in on another connection.
        db.session.expire_all()
        ballot = ballot_for(participant, activity)
        current = ballot.as_entries() if ballot else {}
        if _seen(participant, client_id):
            return BallotResult(
                ballot, activity, participant.group, False, current, current, _view(ballot, current)
            )
        raise
    _replace_entries(ballot, entries)
    ballot.client_id = client_id
    ballot.updated_at = utcnow()
    db.session.flush()
    return BallotResult(
        ballot,
        activity,
        participant.group,
        entries != previous,
        previous,
        entries,
        _view(ballot, entries),
    )


def _replace_entries(ballot: Ballot, entries: dict[int, int]) -> None:
    existing = {e.statement_id: e for e in ballot.entries}
    for statement_id, entry in existing.items():
        if statement_id not in entries:
            ballot.entries.remove(entry)
    db.session.flush()
    for statement_id, value in sorted(entries.items()):
        if statement_id in existing and existing[statement_id] in ballot.entries:
            existing[statement_id].value = value
        else:
            ballot.entries.append(BallotEntry(statement_id=statement_id, value=value))


def _seen(participant: Participant, client_id: str) -> bool:
    return (
        db.session.scalar(
            select(VoteWrite.id).where(
                VoteWrite.participant_id == participant.id, VoteWrite.client_id == client_id
            )
        )
        is not None
    )


def ballot_for(participant: Participant, activity: Activity) -> Ballot | None:
    """The ballot with its entries, read in one statement (so never half of a concurrent
    replacement)."""
    return (
        db.session.scalars(
            select(Ballot)
            .options(joinedload(Ballot.entries))
            .where(Ballot.activity_id == activity.id, Ballot.participant_id == participant.id)
            .execution_options(populate_existing=True)
        )
        .unique()
        .first()
    )


def my_ballot(participant: Participant, activity: Activity | None) -> Ballot | None:
    if activity is None or not activity.is_vote:
        return None
    return ballot_for(participant, activity)
