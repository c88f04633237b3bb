"""Pages of the channels: printable paper ballots, the staff entry desk, helper mode."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api import bp as api_bp
from ..auth import remember_participant, require_facilitator
from ..caching import no_store
from ..extensions import db
from ..groups import group_label
from ..live import broadcast
from ..services.errors import ServiceError
from ..services.participation import ballot_statements
from ..services.workshops import get_owned_workshop, get_workshop
from . import paper
from .helpers import helper_for_token, register_assisted
from .share import line_share_url

bp = Blueprint("channels", __name__)

HELPER_SESSION_KEY = "helper_tokens"
MAX_SHEETS = 500


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        value = default
    return max(low, min(high, value))


def marks_of(kind: str, activity) -> list[str]:
    """The boxes printed beside each statement, by kind."""
    if kind == "dot_vote":
        return [str(n) for n in range(1, (activity.max_per_item or 3) + 1)]
    if kind == "rank":
        return [str(n) for n in range(1, (activity.top_k or 3) + 1)]
    if kind == "agree":
        return [_("Agree"), _("Disagree"), _("Pass")]
    if kind == "rating":
        return [str(n) for n in range(1, 6)]
    return [""]  # poll: one box per option


@api_bp.get("/workshops/<code>/activities/<activity_id>/paper-ballots.html")
def paper_ballots_page(code: str, activity_id: str):
    """A4 ballots to print: ``?count=N`` sheets (default 20) from serial ``?start=S``."""
    workshop = get_owned_workshop(code, require_facilitator())
    activity = paper.vote_activity(workshop, activity_id)
    start = _int_arg("start", 1, 1, paper.MAX_SERIAL)
    count = _int_arg("count", 20, 1, MAX_SHEETS)
    serials = range(start, min(start + count, paper.MAX_SERIAL + 1))
    codes = [paper.ballot_code(activity.id, s) for s in serials]
    return render_template(
        "channels/paper_ballots.html",
        workshop=workshop,
        activity=activity,
        statements=ballot_statements(activity),
        marks=marks_of(activity.kind, activity),
        codes=codes,
        group_label=group_label,
    )


@bp.get("/facilitator/w/<code>/paper/<int:activity_id>")
@login_required
def entry(code: str, activity_id: int):
    """The entry desk: key returned paper ballots, keyboard only."""
    workshop = get_owned_workshop(code, current_user)
    activity = paper.vote_activity(workshop, activity_id)
    statements = ballot_statements(activity)
    return render_template(
        "channels/paper_entry.html",
        workshop=workshop,
        activity=activity,
        statements=statements,
        keyed=paper.keyed_ballots(activity),
        groups=[(g, group_label(g)) for g in workshop.groups],
    )


@bp.post("/facilitator/w/<code>/online/<int:activity_id>")
@login_required
def online_window(code: str, activity_id: int):
    """The panel's online window: open a vote online for ``value`` days (0 ends it)."""
    from datetime import timedelta

    from ..forms import ActionForm
    from ..models import utcnow
    from .window import set_online_until

    workshop = get_owned_workshop(code, current_user)
    activity = paper.vote_activity(workshop, activity_id)
    form = ActionForm()
    try:
        days = int(form.value.data or "") if form.validate_on_submit() else -1
    except ValueError:
        days = -1
    if not 0 <= days <= 90:
        flash(_("Type a number of days from 1 to 90."), "error")
    else:
        until = (utcnow() + timedelta(days=days)).isoformat() if days else None
        try:
            set_online_until(activity, until, current_user)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            broadcast.emit_state(workshop)
    return redirect(
        url_for("facilitator.panel", code=workshop.code, _anchor=f"activity-{activity.id}")
    )


@bp.route("/j/<code>/helper", methods=["GET", "POST"])
def helper(code: str):
    """Helper mode: a staff phone registers an attendee without a phone, then votes for them."""
    workshop = get_workshop(code)
    tokens = dict(session.get(HELPER_SESSION_KEY, {}))
    if request.args.get("h"):
        tokens[workshop.code] = request.args["h"]
        session[HELPER_SESSION_KEY] = tokens
        return redirect(url_for("channels.helper", code=workshop.code))
    token = tokens.get(workshop.code)
    helper_for_token(workshop, token)  # 401 without a valid helper token
    no_store()
    error = None
    if request.method == "POST":
        name = request.form.get("name") or None
        try:
            participant, participant_token = register_assisted(
                workshop, token, request.form.get("group", ""), name
            )
            db.session.commit()
        except ServiceError as failure:
            db.session.rollback()
            error = failure.message
        else:
            remember_participant(workshop, participant_token)
            broadcast.request_presence(workshop.id)
            who = participant.name or group_label(participant.group)
            flash(_("Helper mode: you now vote for %(who)s.", who=who), "success")
            return redirect(url_for("attendee.join", code=workshop.code))
    groups = [(g, group_label(g)) for g in workshop.groups]
    status = 422 if error else 200
    return render_template(
        "channels/helper.html", workshop=workshop, groups=groups, error=error
    ), status


def is_helper(workshop) -> bool:
    return workshop.code in session.get(HELPER_SESSION_KEY, {})


@bp.app_template_global("local_moment")
def local_moment(value) -> str:
    """A stored UTC time as the room reads it: Bangkok time, Buddhist Era for Thai readers."""
    from datetime import UTC

    from flask_babel import get_locale, to_user_timezone

    from ..dates import format_date

    moment = to_user_timezone(value.replace(tzinfo=UTC))
    return f"{format_date(moment, str(get_locale() or 'th'))} {moment:%H:%M}"


@bp.app_template_global("line_share")
def line_share(url: str, text: str = "") -> str:
    """A plain LINE share link (workshop/channels/share.py), for any page."""
    return line_share_url(url, text)


@bp.get("/facilitator/w/<code>/poster")
@login_required
def poster(code: str):
    """A printable poster: the join QR (with its token), the short link, the online window."""
    from ..netinfo import public_base_url
    from ..services.snapshots import join_url

    workshop = get_owned_workshop(code, current_user)
    online = [a for a in workshop.activities if a.is_vote and a.online_until is not None]
    return render_template(
        "channels/poster.html",
        workshop=workshop,
        join_url=join_url(workshop),
        base_url=public_base_url(),
        online=online,
    )
