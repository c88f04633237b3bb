"""What attendees do: join, write statements, cast dot ballots."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import ratelimit
from ..extensions import db
from ..models import Activity, Participant, Statement, Workshop, hash_token, new_token
from .errors import Conflict, Invalid, Unauthorized
from .workshops import get_activity

MAX_STATEMENT_LENGTH = 280
MAX_NAME_LENGTH = 80
MAX_CLIENT_ID_LENGTH = 64


def join_name(workshop: Workshop, group: str, name: str | None) -> str | None:
    """Check a join (the group is one of the workshop's); the display name as stored."""
    if group not in workshop.groups:
        raise Invalid("choose one of this workshop's stakeholder groups", "invalid_group")
    name = " ".join((name or "").split()) or None
    if name and len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"a display name is at most {MAX_NAME_LENGTH} characters", "invalid_name")
    return name


def join_workshop(
    workshop: Workshop, group: str, name: str | None = None
) -> tuple[Participant, str]:
    """Register a participant; returns it with its bearer token (shown once)."""
    name = join_name(workshop, group, name)
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


def lock_participant(participant: Participant) -> None:
    """Serialise the writes of one participant until the transaction ends.

    Two phones' tabs (or a resend racing its original) then run one after the
    other: the second sees what the first committed, so a ``client_id`` check
    followed by an insert cannot race. See :func:`lock_participants`.
    """
    lock_participants([participant.id])


def lock_participants(participant_ids: Iterable[int]) -> None:
    """Take the write lock of these participants until the transaction ends.

    SQLite: the database's write lock, up front (``BEGIN IMMEDIATE``), which also
    makes savepoints real nested transactions instead of early commits.
    PostgreSQL: the participants' rows, in id order (two batches never deadlock).
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    db.session.execute(
        select(Participant.id)
        .where(Participant.id.in_(sorted(set(participant_ids))))
        .order_by(Participant.id)
        .with_for_update(key_share=True)
    )


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


def require_open(activity: Activity, *kinds: str) -> None:
    if activity.kind not in kinds:
        raise Invalid(
            f"this activity is a {activity.kind}, not a {' or '.join(kinds)}", "wrong_kind"
        )
    if activity.state != "open":
        raise Conflict("this activity is not open", "activity_closed")
    if activity.locked:
        raise Conflict("the facilitator has paused submissions for a moment", "activity_locked")


@dataclass
class StatementResult:
    statement: Statement
    created: bool


def submit_statement(
    participant: Participant, activity_id: object, text: object, client_id: object
) -> StatementResult:
    """Store a statement once per ``client_id``; a repeat returns the first one.

    A repeat is answered before the rate limit is consulted: a phone resending
    after a reconnect always gets its answer.
    """
    client_id = clean_client_id(client_id)
    lock_participant(participant)
    existing = _statement_by_client_id(participant, client_id)
    if existing is not None:
        return StatementResult(existing, created=False)
    activity = get_activity(participant.workshop, activity_id)
    require_open(activity, "brainstorm", "qa")  # a qa activity's statements are questions
    text = clean_statement_text(text)
    ratelimit.admit_statement(participant.id)
    statement = Statement(
        workshop_id=participant.workshop_id,
        activity=activity,
        participant=participant,
        text=text,
        client_id=client_id,
        pending=participant.workshop.premoderation,
        qa_state="open" if activity.kind == "qa" else None,
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


def _visible_in(activity_id: int):
    """Statements phones and the projector show: not hidden, not awaiting approval, not merged.
    (The vote hot path asks the same in plain SQL: ``ballot_rows.eligible_statement_ids``.)"""
    return (
        Statement.activity_id == activity_id,
        Statement.hidden.is_(False),
        Statement.pending.is_(False),
        Statement.merged_into_id.is_(None),
    )


def visible_statements(activity: Activity) -> list[Statement]:
    """What phones and the projector show: not hidden, not awaiting approval, not merged away."""
    return list(
        db.session.scalars(
            select(Statement)
            .where(*_visible_in(activity.id))
            # The author's group is shown with every statement: load authors in one query.
            .options(selectinload(Statement.participant))
            .order_by(Statement.id)
        )
    )


def all_statements(activity: Activity) -> list[Statement]:
    return list(
        db.session.scalars(
            select(Statement).where(Statement.activity_id == activity.id).order_by(Statement.id)
        )
    )


def _ballot_source_id(activity: Activity) -> int | None:
    """A poll (or a carried vote) votes on its own statements; others on their source's."""
    return activity.ballot_source_id


def ballot_statements(activity: Activity) -> list[Statement]:
    """What a vote is about: a poll's own options, else the visible statements of its source."""
    source_id = _ballot_source_id(activity)
    if source_id is None:
        return []
    return visible_statements(activity if source_id == activity.id else activity.source_activity)
