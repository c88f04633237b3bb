"""What the word cloud and map kinds keep beside the ballot: the words and the pins.

A ``wordcloud`` ballot's entries are ``{word key: 1}`` and a ``map`` ballot's are
``{slot: packed pin}`` (workshop/voting/wordcloud.py, workshop/voting/pins.py), so the live
tallies count them like every other kind; these rows give the words their text and the
pins their note, and carry the facilitator's hiding.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class CloudWord(db.Model):
    """A word (term) of a word cloud, once per activity: ``key`` is its stable hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    key: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(80))
    hidden: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("activity_id", "key", name="uq_cloud_word_key"),)


class MapPin(db.Model):
    """One pin of a participant's map ballot, in its slot (0 .. max_pins - 1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    slot: Mapped[int]
    x: Mapped[float]
    y: Mapped[float]
    category: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", "slot", name="uq_map_pin_slot"),
    )
