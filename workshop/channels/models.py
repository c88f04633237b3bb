"""Helper tokens (assisted entry) and the sticker counts of a table (aggregate entry)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models.base import utcnow


class HelperToken(db.Model):
    """A staff phone's token: registers attendees without a phone and votes for them."""

    __tablename__ = "helper_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(80))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaperCount(db.Model):
    """One sticker sheet of a dot vote: per statement, the dots one group stuck on it.

    Entries are stored as the ballot's are (JSON of statement id -> dots). Not a ballot:
    no participant, never in per-person figures.
    """

    __tablename__ = "paper_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    group: Mapped[str] = mapped_column(String(80))
    entries_json: Mapped[str] = mapped_column("entries", Text, default="{}")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
