"""Who is asking: facilitators (login session or bearer token) and participants."""

from __future__ import annotations

import secrets

from flask import request, session
from flask_login import current_user
from sqlalchemy import select

from .extensions import db, login_manager
from .models import ApiToken, Facilitator, Participant, Workshop, hash_token, new_token
from .services import accounts
from .services.errors import Forbidden, Unauthorized
from .services.participation import participant_for_token
from .services.workshops import can_manage

PARTICIPANT_SESSION_KEY = "participants"
JOIN_GRANTS_SESSION_KEY = "join_grants"
# A random value set at each facilitator login: names that login's session on the server
# (models/accounts.py: LoginSession) and its sockets (see logout).
LOGIN_NONCE_SESSION_KEY = "login_nonce"
MAX_JOIN_GRANTS = 10


@login_manager.user_loader
def load_facilitator(user_id: str) -> Facilitator | None:
    """The facilitator of this login cookie, if its login session has not ended
    (logout, "log out everywhere" and a password change end it on the server)."""
    try:
        facilitator_id = int(user_id)
    except ValueError:
        return None
    if not accounts.session_alive(facilitator_id, session.get(LOGIN_NONCE_SESSION_KEY)):
        return None
    return db.session.get(Facilitator, facilitator_id)


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
    api_token = ApiToken(facilitator=facilitator, token_hash=hash_token(token))
    db.session.add(api_token)
    db.session.flush()
    accounts.record("token_created", facilitator, token_id=api_token.id)
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


def join_token_matches(workshop: Workshop, token: object) -> bool:
    """Whether ``token`` is this workshop's QR join token (constant-time comparison)."""
    if not isinstance(token, str) or not token or not workshop.join_token:
        return False
    return secrets.compare_digest(token.encode(), workshop.join_token.encode())


def grant_join(workshop: Workshop) -> None:
    """Remember in this browser's session that it may join (and show) this workshop:
    it came with the QR token, or was shown the join form while the short code was open.
    A form already on a phone thus still joins after the facilitator closes the code."""
    grants = list(session.get(JOIN_GRANTS_SESSION_KEY, []))
    if workshop.code not in grants:
        session[JOIN_GRANTS_SESSION_KEY] = [*grants, workshop.code][-MAX_JOIN_GRANTS:]


def has_join_grant(workshop: Workshop) -> bool:
    return workshop.code in session.get(JOIN_GRANTS_SESSION_KEY, [])


def manages(workshop: Workshop) -> bool:
    """Whether the logged-in facilitator (if any) runs this workshop."""
    return bool(current_user.is_authenticated and can_manage(workshop, current_user))


def may_join(workshop: Workshop, token: object = None) -> bool:
    """Short code open, or this browser holds the QR token (now or from an earlier visit)."""
    return (
        workshop.short_code_open or join_token_matches(workshop, token) or has_join_grant(workshop)
    )
