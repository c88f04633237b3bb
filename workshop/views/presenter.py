"""The projector screen: join code always visible, live wall, live bar chart."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from .. import ratelimit
from ..auth import grant_join, join_token_matches, manages, may_join
from ..live import broadcast
from ..services import snapshots
from ..services.workshops import get_workshop

bp = Blueprint("presenter", __name__)


@bp.get("/present/<code>")
def present(code: str):
    """Public while the short code is open. Once it is closed the screen shows the QR
    token, so only a browser that already had it open (or came with ``?t=<token>``) and
    the workshop's facilitators may load it."""
    workshop = get_workshop(code)
    token = request.args.get("t")
    if token is not None and not join_token_matches(workshop, token):
        ratelimit.note_unknown_workshop()
    if not (may_join(workshop, token) or manages(workshop)):
        message = _(
            "This workshop's short code is closed: open the projector screen from the "
            "facilitator's control panel."
        )
        return render_template("error.html", message=message, status=403), 403
    grant_join(workshop)
    state = snapshots.room_state(workshop)
    activity = workshop.current_activity
    tally = (
        broadcast.tally_payload(activity)
        if broadcast.may_see_tally(activity, "presenter")
        else None
    )
    from ..netinfo import public_base_url

    short_link = None
    if workshop.short_code_open:
        # The short link without the token: short enough to read from the back of the hall.
        base = public_base_url().split("://", 1)[-1]
        short_link = f"{base}/j/{workshop.code}"
    return render_template(
        "presenter/present.html",
        workshop=workshop,
        state=state,
        tally=tally,
        presence=broadcast.presence_payload(workshop),
        join_url=snapshots.join_url(workshop),
        short_link=short_link,
        # A facilitator's projector also moves the room on with the presenter's keys.
        can_advance=manages(workshop),
    )
