"""Facilitator accounts: login sessions kept on the server, and the account's audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class LoginSession(db.Model):
    """One facilitator login (a browser). The signed cookie names it by ``id`` (the login
    nonce); a session ended here (logout, log out everywhere, a password change) no longer
    opens anything, whatever cookie still carries it."""

    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class AccountEvent(db.Model):
    """Logins, failed and refused logins, logouts, password changes, token changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(30))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
