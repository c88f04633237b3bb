"""Who is asking: facilitators (login session or bearer token) and participants."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user
from sqlalchemy import select

from .extensions import db, login_manager
from .models import ApiToken, Facilitator, Participant, Workshop, hash_token, new_token
from .services.errors import Forbidden, Unauthorized
from .services.participation import participant_for_token

PARTICIPANT_SESSION_KEY = "participants"


@login_manager.user_loader
def load_facilitator(user_id: str) -> Facilitator | None:
    try:
        return db.session.get(Facilitator, int(user_id))
    except ValueError:
        return None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def facilitator_for_token(token: str | None) -> Facilitator | None:
    if not token:
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    return api_token.facilitator if api_token else None


def require_facilitator() -> Facilitator:
    """The facilitator behind this request: bearer token first, then the login session.

    An attendee (participant token or phone cookie) gets 403: known, but not allowed.
    """
    token = bearer_token()
    if token:
        facilitator = facilitator_for_token(token)
        if facilitator is not None:
            return facilitator
        if _is_participant_token(token):
            raise Forbidden("only facilitators may do this", "forbidden")
        raise Unauthorized("invalid facilitator token", "invalid_token")
    if current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[attr-defined]
    if session.get(PARTICIPANT_SESSION_KEY):
        raise Forbidden("only facilitators may do this", "forbidden")
    raise Unauthorized("facilitator login required", "login_required")


def _is_participant_token(token: str) -> bool:
    return (
        db.session.scalar(select(Participant.id).where(Participant.token_hash == hash_token(token)))
        is not None
    )


def create_api_token(facilitator: Facilitator) -> str:
    token = new_token()
    db.session.add(ApiToken(facilitator=facilitator, token_hash=hash_token(token)))
    db.session.flush()
    return token


def remember_participant(workshop: Workshop, token: str) -> None:
    """Keep the participant token in the signed session cookie of this phone."""
    tokens = dict(session.get(PARTICIPANT_SESSION_KEY, {}))
    tokens[workshop.code] = token
    session[PARTICIPANT_SESSION_KEY] = tokens
    session.permanent = True


def session_participant_token(workshop: Workshop) -> str | None:
    return session.get(PARTICIPANT_SESSION_KEY, {}).get(workshop.code)


def current_participant(workshop: Workshop, token: str | None = None) -> Participant:
    """Participant from an explicit token, the bearer header, or this phone's cookie."""
    token = token or bearer_token() or session_participant_token(workshop)
    return participant_for_token(workshop, token)


def optional_participant(workshop: Workshop) -> Participant | None:
    try:
        return current_participant(workshop)
    except Unauthorized:
        return None
