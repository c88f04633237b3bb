"""Ballots: one per participant and vote activity, with one entry per statement."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .core import Participant


class Ballot(db.Model):
    """One participant's current answer to one vote activity.

    A new ballot replaces the entries of the previous one; the unique
    constraint makes a second ballot row for the same pair impossible.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[BallotEntry]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan"
    )
    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", name="uq_ballot_activity_participant"),
    )

    def as_entries(self) -> dict[int, int]:
        return {e.statement_id: e.value for e in self.entries}


class VoteWrite(db.Model):
    """Every accepted vote write, by ``client_id``: a resent write is recognised and ignored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "client_id", name="uq_vote_write_client"),)


class BallotEntry(db.Model):
    """A value given to one statement (or poll option).

    dot_vote: dots; rank: place (1 = first); agree: 1 / -1 / 0; rating: 1–5; poll: 1.
    """

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"), primary_key=True)
    value: Mapped[int]

    ballot: Mapped[Ballot] = relationship(back_populates="entries")

    __table_args__ = (Index("ix_ballot_entry_statement", "statement_id"),)
