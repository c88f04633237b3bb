"""The projector screen: join code always visible, live wall, live bar chart."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import broadcast
from ..services import snapshots
from ..services.workshops import get_workshop

bp = Blueprint("presenter", __name__)


@bp.get("/present/<code>")
def present(code: str):
    workshop = get_workshop(code)
    state = snapshots.room_state(workshop)
    activity = workshop.current_activity
    tally = (
        broadcast.tally_payload(activity)
        if broadcast.may_see_tally(activity, "presenter")
        else None
    )
    return render_template(
        "presenter/present.html",
        workshop=workshop,
        state=state,
        tally=tally,
        presence=broadcast.presence_payload(workshop),
        join_url=snapshots.join_url(workshop),
    )
