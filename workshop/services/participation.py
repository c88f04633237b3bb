"""What attendees do: join, write statements, cast dot ballots."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Activity,
    Ballot,
    BallotEntry,
    Participant,
    Statement,
    Workshop,
    hash_token,
    new_token,
    utcnow,
)
from ..voting import BallotError, DotRules, validate_dot_ballot
from .errors import Conflict, Invalid, Unauthorized
from .workshops import get_activity

MAX_STATEMENT_LENGTH = 280
MAX_NAME_LENGTH = 80
MAX_CLIENT_ID_LENGTH = 64


def join_workshop(
    workshop: Workshop, group: str, name: str | None = None
) -> tuple[Participant, str]:
    """Register a participant; returns it with its bearer token (shown once)."""
    if group not in workshop.groups:
        raise Invalid("choose one of this workshop's stakeholder groups", "invalid_group")
    name = " ".join((name or "").split()) or None
    if name and len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"a display name is at most {MAX_NAME_LENGTH} characters", "invalid_name")
    token = new_token()
    participant = Participant(
        workshop=workshop, group=group, name=name, token_hash=hash_token(token)
    )
    db.session.add(participant)
    db.session.flush()
    return participant, token


def participant_for_token(workshop: Workshop, token: str | None) -> Participant:
    if not token:
        raise Unauthorized("join the workshop first", "not_joined")
    participant = db.session.scalar(
        select(Participant).where(Participant.token_hash == hash_token(token))
    )
    if participant is None or participant.workshop_id != workshop.id:
        raise Unauthorized("not a participant of this workshop", "not_joined")
    return participant


def clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise Invalid("client_id is required (any unique string per write)", "invalid_client_id")
    client_id = client_id.strip()
    if len(client_id) > MAX_CLIENT_ID_LENGTH:
        raise Invalid(
            f"client_id is at most {MAX_CLIENT_ID_LENGTH} characters", "invalid_client_id"
        )
    return client_id


def clean_statement_text(text: object) -> str:
    if not isinstance(text, str):
        raise Invalid("text must be a string", "invalid_text")
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise Invalid("write something first", "empty_text")
    if len(text) > MAX_STATEMENT_LENGTH:
        raise Invalid(
            f"a statement is at most {MAX_STATEMENT_LENGTH} characters ({len(text)} given)",
            "text_too_long",
        )
    return text


def _require_open(activity: Activity, kind: str) -> None:
    if activity.kind != kind:
        raise Invalid(f"this activity is a {activity.kind}, not a {kind}", "wrong_kind")
    if activity.state != "open":
        raise Conflict("this activity is not open", "activity_closed")


@dataclass
class StatementResult:
    statement: Statement
    created: bool


def submit_statement(
    participant: Participant, activity_id: object, text: object, client_id: object
) -> StatementResult:
    """Store a statement once per ``client_id``; a repeat returns the first one."""
    client_id = clean_client_id(client_id)
    existing = _statement_by_client_id(participant, client_id)
    if existing is not None:
        return StatementResult(existing, created=False)
    activity = get_activity(participant.workshop, activity_id)
    _require_open(activity, "brainstorm")
    text = clean_statement_text(text)
    statement = Statement(
        workshop_id=participant.workshop_id,
        activity=activity,
        participant=participant,
        text=text,
        client_id=client_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(statement)
    except IntegrityError:
        # The same client_id raced in from another connection: return the winner.
        existing = _statement_by_client_id(participant, client_id)
        if existing is None:
            raise
        return StatementResult(existing, created=False)
    return StatementResult(statement, created=True)


def _statement_by_client_id(participant: Participant, client_id: str) -> Statement | None:
    return db.session.scalar(
        select(Statement).where(
            Statement.participant_id == participant.id, Statement.client_id == client_id
        )
    )


def visible_statements(activity: Activity) -> list[Statement]:
    return list(
        db.session.scalars(
            select(Statement)
            .where(Statement.activity_id == activity.id, Statement.hidden.is_(False))
            .order_by(Statement.id)
        )
    )


def ballot_statements(activity: Activity) -> list[Statement]:
    """Statements a vote activity is about: the visible ones of its source."""
    if activity.source_activity is None:
        return []
    return visible_statements(activity.source_activity)


@dataclass
class BallotResult:
    ballot: Ballot
    changed: bool
    previous: dict[int, int]


def cast_dot_ballot(
    participant: Participant, activity_id: object, dots: object, client_id: object
) -> BallotResult:
    """Replace the participant's ballot for a dot vote; a repeated ``client_id`` changes nothing."""
    client_id = clean_client_id(client_id)
    activity = get_activity(participant.workshop, activity_id)
    ballot = _ballot_for(participant, activity)
    if ballot is not None and ballot.client_id == client_id:
        return BallotResult(ballot, changed=False, previous=_entries(ballot))
    _require_open(activity, "dot_vote")
    eligible = {s.id for s in ballot_statements(activity)}
    rules = DotRules(dots=activity.dots or 5, max_per_item=activity.max_per_item or 3)
    try:
        entries = validate_dot_ballot(dots, rules, eligible)  # type: ignore[arg-type]
    except BallotError as error:
        raise Invalid(error.message, error.code) from None
    previous: dict[int, int] = {}
    if ballot is None:
        ballot = Ballot(activity_id=activity.id, participant=participant, client_id=client_id)
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
        except IntegrityError:
            # A ballot for this pair was committed meanwhile: replace that one.
            ballot = _ballot_for(participant, activity)
            if ballot is None:
                raise
            previous = _entries(ballot)
    else:
        previous = _entries(ballot)
    ballot.entries.clear()
    db.session.flush()
    for statement_id, value in sorted(entries.items()):
        ballot.entries.append(BallotEntry(statement_id=statement_id, value=value))
    ballot.client_id = client_id
    ballot.updated_at = utcnow()
    db.session.flush()
    return BallotResult(ballot, changed=True, previous=previous)


def _ballot_for(participant: Participant, activity: Activity) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(
            Ballot.activity_id == activity.id, Ballot.participant_id == participant.id
        )
    )


def _entries(ballot: Ballot) -> dict[int, int]:
    return {e.statement_id: e.value for e in ballot.entries}


def my_ballot(participant: Participant, activity: Activity | None) -> Ballot | None:
    if activity is None or not activity.is_vote:
        return None
    return _ballot_for(participant, activity)
