"""Running the room: open and close, next and previous, locks, countdowns, what shows where."""

from __future__ import annotations

from datetime import timedelta

from ..extensions import db
from ..models import Activity, Facilitator, Workshop, utcnow
from . import audit
from .errors import Invalid, NotFound

MAX_TIMER_SECONDS = 3 * 60 * 60


def set_activity_state(
    workshop: Workshop, activity: Activity, state: str, actor: Facilitator | None = None
) -> Activity:
    """Open (making it current and closing any other open one) or close an activity."""
    if state == "open":
        for other in workshop.activities:
            if other.id != activity.id and other.state == "open":
                _close(other)
                audit.record(workshop, actor, "close", "activity", other.id)
        activity.state = "open"
        activity.opened_at = utcnow()
        activity.closed_at = None
        workshop.current_activity = activity
    elif state == "closed":
        if activity.state == "open":
            _close(activity)
        activity.state = "closed"
    else:
        raise Invalid("state must be 'open' or 'closed'", "invalid_state")
    audit.record(workshop, actor, "open" if state == "open" else "close", "activity", activity.id)
    db.session.flush()
    return activity


def _close(activity: Activity) -> None:
    from ..planning.carry import record_results

    activity.state = "closed"
    activity.closed_at = utcnow()
    activity.ends_at = None
    record_results(activity)  # a vote on plan items writes its results back as evidence


def advance(workshop: Workshop, direction: str, actor: Facilitator | None = None) -> Activity:
    """Open the next or previous activity of the agenda."""
    if direction not in ("next", "previous"):
        raise Invalid("direction must be 'next' or 'previous'", "invalid_direction")
    activities = list(workshop.activities)
    if not activities:
        raise NotFound("this workshop has no activities yet", "no_activities")
    current = workshop.current_activity
    if current is None:
        index = 0 if direction == "next" else len(activities) - 1
    else:
        index = activities.index(current) + (1 if direction == "next" else -1)
    if not 0 <= index < len(activities):
        raise Invalid(f"there is no {direction} activity", "no_such_activity")
    return set_activity_state(workshop, activities[index], "open", actor)


def reveal_results(
    activity: Activity, revealed: bool, actor: Facilitator | None = None
) -> Activity:
    """Show or hide the results on the phones."""
    activity.results_revealed = revealed
    audit.record(
        activity.workshop, actor, "reveal" if revealed else "unreveal", "activity", activity.id
    )
    db.session.flush()
    return activity


def show_on_projector(
    activity: Activity, shown: bool, actor: Facilitator | None = None
) -> Activity:
    """Show or hide the live results on the projector (the facilitator still sees them)."""
    activity.projector_results = shown
    audit.record(
        activity.workshop,
        actor,
        "projector_show" if shown else "projector_hide",
        "activity",
        activity.id,
    )
    db.session.flush()
    return activity


def lock(activity: Activity, locked: bool, actor: Facilitator | None = None) -> Activity:
    """Stop (or resume) new statements and ballots without closing the activity."""
    activity.locked = locked
    audit.record(activity.workshop, actor, "lock" if locked else "unlock", "activity", activity.id)
    db.session.flush()
    return activity


def set_timer(
    activity: Activity, seconds: int | None, actor: Facilitator | None = None
) -> Activity:
    """Start a countdown shown on phones and the projector; ``None`` stops it."""
    if seconds is None:
        activity.ends_at = None
    else:
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise Invalid("seconds must be a whole number", "invalid_timer")
        if not 1 <= seconds <= MAX_TIMER_SECONDS:
            raise Invalid("a countdown lasts 1 second to 3 hours", "invalid_timer")
        activity.ends_at = utcnow() + timedelta(seconds=seconds)
    audit.record(activity.workshop, actor, "timer", "activity", activity.id, seconds=seconds)
    db.session.flush()
    return activity


def remaining_seconds(activity: Activity) -> int | None:
    if activity.ends_at is None:
        return None
    return max(0, int((activity.ends_at - utcnow()).total_seconds()))
