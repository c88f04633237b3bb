"""Facilitator accounts: login sessions kept on the server, passwords, API tokens, and
the account's audit log (``AccountEvent``)."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update

from ..extensions import db
from ..models import AccountEvent, ApiToken, Facilitator, LoginSession, utcnow
from .errors import Invalid, NotFound

MIN_PASSWORD_LENGTH = 8


def record(
    action: str,
    facilitator: Facilitator | None = None,
    email: str | None = None,
    address: str | None = None,
    **details: object,
) -> AccountEvent:
    """Add an entry to the account audit log (committed by the edge)."""
    event = AccountEvent(
        facilitator_id=facilitator.id if facilitator else None,
        email=(email or (facilitator.email if facilitator else None) or "")[:254] or None,
        address=(address or "")[:64] or None,
        action=action,
        details=details,
    )
    db.session.add(event)
    return event


def start_session(facilitator: Facilitator) -> str:
    """A new login session; returns its id (the login nonce the cookie carries)."""
    nonce = secrets.token_urlsafe(24)
    db.session.add(LoginSession(id=nonce, facilitator_id=facilitator.id))
    db.session.flush()
    return nonce


def session_alive(facilitator_id: int, nonce: object) -> bool:
    """Whether ``nonce`` names a login session of this facilitator that has not ended."""
    if not isinstance(nonce, str) or not nonce:
        return False
    login = db.session.get(LoginSession, nonce)
    return login is not None and login.facilitator_id == facilitator_id and login.ended_at is None


def end_session(nonce: object) -> None:
    if isinstance(nonce, str) and nonce:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.id == nonce, LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(facilitator: Facilitator) -> int:
    """End every login session of this facilitator (every browser); returns how many."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.facilitator_id == facilitator.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0


def change_password(facilitator: Facilitator, password: str) -> int:
    """Set a new password and end every login session; returns how many were ended."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", "weak_password"
        )
    facilitator.set_password(password)
    ended = end_all_sessions(facilitator)
    record("password_changed", facilitator, sessions_ended=ended)
    db.session.flush()
    return ended


def tokens(facilitator: Facilitator) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.facilitator_id == facilitator.id).order_by(ApiToken.id)
        )
    )


def revoke_token(token_id: int) -> ApiToken:
    """Delete an API token: it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token with id {token_id}", "token_not_found")
    record("token_revoked", token.facilitator, token_id=token.id)
    db.session.delete(token)
    db.session.flush()
    return token
