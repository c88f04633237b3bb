"""Ballots: one per participant and vote activity, holding its entries (statement -> value)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .core import Participant


_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def encode_entries(entries: dict[int, int]) -> str:
    """A ballot's entries as stored: a JSON object of statement id to value, keys in order."""
    return _ENCODER.encode(entries)


def decode_entries(text: str | None) -> dict[int, int]:
    return {int(key): value for key, value in json.loads(text).items()} if text else {}


class Ballot(db.Model):
    """One participant's current answer to one vote activity.

    A new ballot replaces the previous one's entries; the unique constraint makes a
    second ballot row for the same pair impossible. The entries (statement or poll
    option id -> value) are stored in the row, as JSON text (:func:`encode_entries`):
    a ballot is always written and read whole, so a vote costs one row write, not one
    per statement. Values: dot_vote: dots; rank: place (1 = first); agree: 1 / -1 / 0;
    rating: 1-5; poll: 1.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    entries_json: Mapped[str] = mapped_column("entries", Text, default="{}", server_default="{}")
    # How the ballot came in (workshop/channels/): room (a phone during the meeting), paper
    # (keyed from a printed ballot), assisted (a helper's phone), online (the online window).
    channel: Mapped[str] = mapped_column(String(20), default="room", server_default="room")
    # The short id printed on a paper ballot: keyed once per activity.
    paper_code: Mapped[str | None] = mapped_column(String(16))

    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", name="uq_ballot_activity_participant"),
        UniqueConstraint("activity_id", "paper_code", name="uq_ballot_paper_code"),
    )

    def as_entries(self) -> dict[int, int]:
        return decode_entries(self.entries_json)


class VoteWrite(db.Model):
    """Every accepted vote write, by ``client_id``: a resent write is recognised and ignored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "client_id", name="uq_vote_write_client"),)
