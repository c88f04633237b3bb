"""The online window: a vote not open in the room takes ballots until ``online_until``.

The server's clock decides (``services/ballots.py: ballot_channel``): a ballot inside the
window counts in the channel ``online``; after it, ``409 online_closed``. The window goes
through the same ``POST /votes`` and ``vote`` event, so the rate limits and the one ballot
per participant and vote hold there too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..extensions import db
from ..models import Activity, Facilitator, Workshop, utcnow
from ..services import audit
from ..services.ballots import VOTE_KINDS
from ..services.errors import Invalid

MAX_WINDOW = timedelta(days=90)


def parse_until(value: object) -> datetime | None:
    """An ISO 8601 time (a time without an offset is UTC), as naive UTC; ``None`` closes."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid("online_until is an ISO 8601 time, or null", "invalid_online_until")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("online_until is an ISO 8601 time, or null", "invalid_online_until") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def set_online_until(
    activity: Activity, value: object, actor: Facilitator | None = None
) -> Activity:
    if activity.kind not in VOTE_KINDS:
        raise Invalid("only votes open online", "wrong_kind")
    until = parse_until(value)
    if until is not None and until > utcnow() + MAX_WINDOW:
        raise Invalid("an online window lasts at most 90 days", "invalid_online_until")
    activity.online_until = until
    audit.record(
        activity.workshop,
        actor,
        "online_window",
        "activity",
        activity.id,
        until=until.isoformat() if until else None,
    )
    db.session.flush()
    return activity


def online_open(activity: Activity | None, now: datetime | None = None) -> bool:
    """Whether the activity takes online ballots now (not open in the room, inside its window)."""
    if activity is None or activity.online_until is None or activity.state == "open":
        return False
    return (now or utcnow()) < activity.online_until


def online_activity(workshop: Workshop) -> Activity | None:
    """What a phone shows when the room has no open vote: the first vote in its window."""
    current = workshop.current_activity
    if current is not None and current.state == "open":
        return None
    now = utcnow()
    return next((a for a in workshop.activities if online_open(a, now)), None)
