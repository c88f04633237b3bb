"""Casting ballots of every vote kind. One ballot row per participant and activity.

Votes are written in batches (:func:`cast_ballots`): Socket.IO votes arriving
together share one transaction (``workshop/live/vote_queue.py``); an HTTP vote is a
batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from .. import ratelimit
from ..extensions import db
from ..kinds import ROOM_KINDS
from ..models import Activity, Ballot, Participant
from ..models.core import PRIORITY_KINDS
from ..voting import (
    BallotError,
    DotRules,
    validate_agree,
    validate_choices,
    validate_dot_ballot,
    validate_ranking,
    validate_ratings,
)
from .ballot_rows import BallotRow, BallotRows, VoteRules, eligible_statement_ids, vote_rules
from .errors import Conflict, Invalid, NotFound, ServiceError
from .participation import clean_client_id, lock_participants, require_open

VOTE_KINDS = ("dot_vote", "rank", "agree", "rating", "poll")
VOTE_KINDS += PRIORITY_KINDS  # matrix, points, budget (workshop/priorities/)
VOTE_KINDS += ROOM_KINDS  # wordcloud, qa, map: workshop/kinds/


@dataclass(frozen=True)
class VoteRequest:
    """One vote write as an attendee sent it, with who sent it."""

    participant_id: int
    workshop_id: int
    group: str
    payload: dict
    # workshop/channels/: the participant's kind (phone, assisted, paper); a paper ballot
    # is keyed by staff (any state of the activity, no rate limit) with its printed code.
    participant_kind: str = "phone"
    paper_code: str | None = None


@dataclass
class BallotResult:
    """What one vote write did (plain values: it outlives the writer's session)."""

    activity_id: int
    kind: str
    group: str
    changed: bool
    previous: dict[int, int]
    current: dict[int, int]
    # The ballot as it stood inside the write's transaction (what the acknowledgement
    # shows): re-reading it after the commit could mix another write's rows into it.
    seen: BallotView | None = None
    channel: str = "room"  # the channel of this write, and of the ballot it replaced
    previous_channel: str = "room"
    # What the entries cannot hold (a word cloud's words, a map's pins): workshop/kinds/.
    detail: dict | None = None


@dataclass(frozen=True)
class BallotView:
    activity_id: int
    client_id: str
    updated_at: object
    entries: dict[int, int]


def _view(row: BallotRow | None) -> BallotView | None:
    if row is None:
        return None
    return BallotView(row.activity_id, row.client_id, row.updated_at, row.entries)


def _new_entries(
    activity: VoteRules, payload: dict, previous: dict[int, int], eligible: set[int]
) -> dict[int, int]:
    """Validate the kind-specific part of ``payload``; returns the ballot's new entries."""
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
    if kind in PRIORITY_KINDS:
        from ..priorities.ballots import new_entries

        return new_entries(activity, payload, eligible)
    if kind in ROOM_KINDS:
        from ..kinds.ballots import new_entries

        return new_entries(activity, payload, previous, eligible)
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
    request = vote_request(participant, payload)
    (outcome,) = cast_ballots([request])
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def vote_request(participant: Participant, payload: dict) -> VoteRequest:
    return VoteRequest(
        participant.id,
        participant.workshop_id,
        participant.group,
        payload,
        participant.kind or "phone",
    )


def cast_ballots(requests: Sequence[VoteRequest]) -> list[BallotResult | ServiceError]:
    """Store a batch of vote writes in the current transaction, in order; flushes, never
    commits. Each request gets its outcome or the error that refused it (a refused write
    changes nothing); a later write of the same participant sees the earlier ones.

    Takes the write lock of every participant of the batch first, so the ballots read
    here are the ones these writes replace. A ``client_id`` stored before (or earlier in
    the batch) changes nothing and answers with the current ballot, before the rate limit.
    """
    outcomes: list[BallotResult | ServiceError | None] = [None] * len(requests)
    accepted: list[tuple[int, VoteRequest, str, VoteRules]] = []
    activities: dict[int, VoteRules | ServiceError] = {}
    for index, request in enumerate(requests):
        try:
            client_id = clean_client_id(request.payload.get("client_id"))
            activity = _activity(request, activities)
        except ServiceError as error:
            outcomes[index] = error
            continue
        accepted.append((index, request, client_id, activity))
    if not accepted:
        return outcomes  # type: ignore[return-value]
    lock_participants(r.participant_id for _, r, _, _ in accepted)
    rows = BallotRows.load(
        ((a.id, r.participant_id) for _, r, _, a in accepted),
        ((r.participant_id, c) for _, r, c, _ in accepted),
    )
    eligible: dict[int, set[int]] = {}
    room_kind_writes: list[tuple[BallotResult, dict, int, bool]] = []
    for index, request, client_id, activity in accepted:
        key = (activity.id, request.participant_id)
        row = rows.ballots.get(key)
        previous = row.entries if row else {}
        before = row.channel if row else "room"
        if (request.participant_id, client_id) in rows.seen:
            # A resend: answered before the rate limit, so it always gets its answer.
            outcomes[index] = BallotResult(
                activity.id, activity.kind, request.group, False, previous, previous, _view(row),
                before, before,
            )  # fmt: skip
            if activity.kind in ROOM_KINDS:
                room_kind_writes.append(
                    (outcomes[index], request.payload, request.participant_id, False)
                )
            continue
        try:
            channel = ballot_channel(activity, request, rows.now)
            if activity.id not in eligible:
                eligible[activity.id] = eligible_statement_ids(activity)
            try:
                entries = _new_entries(activity, request.payload, previous, eligible[activity.id])
            except BallotError as error:
                raise Invalid(error.message, error.code) from None
            if request.paper_code is None:
                ratelimit.admit_vote(request.participant_id)
        except ServiceError as error:
            outcomes[index] = error
            continue
        row = rows.record(
            activity.id, request.participant_id, client_id, entries, channel, request.paper_code
        )
        changed = entries != previous or channel != before
        outcomes[index] = BallotResult(
            activity.id, activity.kind, request.group, changed, previous, entries, _view(row),
            channel, before,
        )  # fmt: skip
        if activity.kind in ROOM_KINDS:
            room_kind_writes.append(
                (outcomes[index], request.payload, request.participant_id, True)
            )
    rows.store()
    if room_kind_writes:
        from ..kinds.ballots import after_store

        after_store(room_kind_writes)
    return outcomes  # type: ignore[return-value]


def ballot_channel(activity: VoteRules, request: VoteRequest, now) -> str:
    """The channel a write goes in, or the error refusing it (workshop/channels/).

    Open in the room: ``room`` (``assisted`` for an attendee a helper registered). Not open,
    inside the activity's online window: ``online`` (the server's clock decides). A keyed
    paper ballot: ``paper``, whatever the activity's state (ballots come back after the vote).
    """
    if activity.kind not in VOTE_KINDS:
        require_open(activity, *VOTE_KINDS)  # raises wrong_kind
    if request.paper_code is not None:
        return "paper"
    assisted = request.participant_kind == "assisted"
    if activity.state == "open":
        require_open(activity, *VOTE_KINDS)  # locked: refused
        return "assisted" if assisted else "room"
    if activity.online_until is not None and now < activity.online_until:
        return "assisted" if assisted else "online"
    if activity.online_until is not None:
        raise Conflict("the online window of this vote has closed", "online_closed")
    require_open(activity, *VOTE_KINDS)  # raises activity_closed
    return "room"


def _activity(request: VoteRequest, cache: dict[int, VoteRules | ServiceError]) -> VoteRules:
    """The request's activity, which must belong to the request's workshop (one lookup per
    activity and batch)."""
    try:
        ident = int(request.payload.get("activity_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such activity in this workshop", "activity_not_found") from None
    found = cache.get(ident)
    if found is None:
        rules = vote_rules(ident)
        found = cache[ident] = (
            rules
            if rules is not None
            else NotFound("no such activity in this workshop", "activity_not_found")
        )
    if isinstance(found, ServiceError):
        raise found
    if found.workshop_id != request.workshop_id:
        raise NotFound("no such activity in this workshop", "activity_not_found")
    return found


def ballot_for(participant: Participant, activity: Activity) -> Ballot | None:
    """The ballot with its entries (one row: never half of a concurrent replacement)."""
    return db.session.scalars(
        select(Ballot)
        .where(Ballot.activity_id == activity.id, Ballot.participant_id == participant.id)
        .execution_options(populate_existing=True)
    ).first()


def my_ballot(participant: Participant, activity: Activity | None) -> Ballot | None:
    if activity is None or not activity.is_vote:
        return None
    return ballot_for(participant, activity)
