"""Assisted entry: a helper's token registers attendees without a phone and votes for them.

The facilitator makes a helper token (``POST /workshops/<code>/helpers``). With it as the
bearer, ``POST /workshops/<code>/participants`` ``{"assisted": true, "group", "name"?}``
registers an attendee of kind ``assisted`` (even once the short code is closed) and answers
their participant token; the helper's phone votes with that token, and every ballot it casts
counts in the channel ``assisted``.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, HelperToken, Participant, Workshop, hash_token, new_token
from ..services.errors import Forbidden, Invalid, Unauthorized
from ..services.participation import join_workshop

MAX_LABEL = 80


def create_helper(workshop: Workshop, facilitator: Facilitator, label: object) -> str:
    """A new helper token (shown once)."""
    if label is not None and (not isinstance(label, str) or len(label) > MAX_LABEL):
        raise Invalid(f"a label is text of at most {MAX_LABEL} characters", "invalid_label")
    token = new_token()
    db.session.add(
        HelperToken(
            workshop_id=workshop.id,
            token_hash=hash_token(token),
            label=(label or "").strip() or None,
            facilitator_id=facilitator.id,
        )
    )
    db.session.flush()
    return token


def helper_for_token(workshop: Workshop, token: str | None) -> HelperToken:
    if not token:
        raise Unauthorized("a helper token is required to register an attendee", "not_helper")
    helper = db.session.scalar(
        select(HelperToken).where(HelperToken.token_hash == hash_token(token))
    )
    if helper is None:
        raise Unauthorized("not a helper token", "not_helper")
    if helper.workshop_id != workshop.id:
        raise Forbidden("this helper token is for another workshop", "forbidden")
    return helper


def register_assisted(
    workshop: Workshop, helper_token: str | None, group: str, name: str | None
) -> tuple[Participant, str]:
    """Register an attendee without a phone; returns them with their participant token."""
    helper_for_token(workshop, helper_token)
    participant, token = join_workshop(workshop, group, name)
    participant.kind = "assisted"
    db.session.flush()
    return participant, token
