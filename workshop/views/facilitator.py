"""Facilitator pages: log in, create workshops, run the room, read the results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from pythainlp.util import collate
from sqlalchemy import or_, select
from wtforms import SelectChoice

from .. import login_throttle
from ..agenda import TemplateError, apply_template, load_template, template_names
from ..auth import LOGIN_NONCE_SESSION_KEY
from ..display.errors import error_text
from ..extensions import db
from ..forms import ActionForm, ActivityForm, LoginForm, WorkshopForm
from ..live import broadcast, realtime
from ..models import City, CoFacilitator, Facilitator, Workshop
from ..ratelimit import client_address
from ..services import accounts, control, snapshots
from ..services.errors import Invalid, ServiceError
from ..services.workshops import (
    add_activity,
    create_workshop,
    get_activity,
    get_owned_workshop,
    set_short_code_open,
)

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = client_address()
        throttle = login_throttle.throttle()
        wait = throttle.retry_after(email, address)
        if wait:
            # Locked: the password is not even checked.
            return _throttled(form, wait)
        facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
        if facilitator is not None and facilitator.check_password(form.password.data):
            throttle.succeeded(email, address)
            session.clear()  # a new session on login
            nonce = accounts.start_session(facilitator)
            accounts.record("login", facilitator, address=address)
            db.session.commit()
            login_user(facilitator)
            session[LOGIN_NONCE_SESSION_KEY] = nonce
            return redirect(url_for("facilitator.dashboard"))
        locked = throttle.failed(email, address)
        accounts.record("login_failed", facilitator, email=email, address=address)
        if locked:
            accounts.record(
                "login_locked", facilitator, email=email, address=address, seconds=locked
            )
        db.session.commit()
        if locked:
            return _throttled(form, locked)
        flash(_("Wrong e-mail or password."), "error")
    status = 401 if request.method == "POST" else 200
    return render_template("facilitator/login.html", form=form), status


def _throttled(form: LoginForm, seconds: int):
    minutes = max(1, -(-seconds // 60))
    flash(
        _(
            "Too many failed logins. Wait %(minutes)s minutes, then try again.",
            minutes=minutes,
        ),
        "error",
    )
    page = render_template("facilitator/login.html", form=form)
    return page, 429, {"Retry-After": str(seconds)}


@bp.post("/logout")
def logout():
    """End this login session, on the server too: the cookie no longer opens anything."""
    form = ActionForm()
    if form.validate_on_submit():
        facilitator = current_user._get_current_object() if current_user.is_authenticated else None
        login_nonce = session.get(LOGIN_NONCE_SESSION_KEY)
        accounts.end_session(login_nonce)
        if facilitator is not None:
            accounts.record("logout", facilitator, address=client_address())
        db.session.commit()
        logout_user()
        session.clear()
        if facilitator is not None:
            # The panel's live connection must not outlive the login that opened it.
            realtime.disconnect_facilitator(facilitator.id, login_nonce)
    return redirect(url_for("facilitator.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every login session of this facilitator, on every browser and tablet."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    facilitator = current_user._get_current_object()
    ended = accounts.end_all_sessions(facilitator)
    accounts.record("logout_everywhere", facilitator, address=client_address(), ended=ended)
    db.session.commit()
    logout_user()
    session.clear()
    realtime.disconnect_facilitator(facilitator.id, None)
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("facilitator.login"))


def _workshop_form() -> WorkshopForm:
    form = WorkshopForm()
    thai = str(get_locale()) == "th"
    names = {c.slug: c.name_th if thai else c.name_en for c in db.session.scalars(select(City))}
    # Thai names sort by Thai collation (consonant order), not by code point.
    ordered = collate(list(names.values())) if thai else sorted(names.values())
    slugs = {name: slug for slug, name in names.items()}
    form.city.choices = [SelectChoice("", _("Choose the municipality"))] + [
        SelectChoice(slugs[name], name) for name in ordered
    ]
    form.template.choices = [SelectChoice("", _("No template: add activities by hand"))] + [
        SelectChoice(name, _template_title(name, thai)) for name in template_names()
    ]
    return form


def _template_title(name: str, thai: bool) -> str:
    """A template's title and length in the reader's language (its file name if unreadable)."""
    try:
        template = load_template(name)
    except (TemplateError, FileNotFoundError):
        return name
    translations = template.title_translations or {}
    title = translations.get("th" if thai else "en") or template.title
    if template.minutes:
        return _("%(title)s (%(minutes)s minutes)", title=title, minutes=template.minutes)
    return title


@bp.route("/", methods=["GET", "POST"])
@login_required
def dashboard():
    form = _workshop_form()
    if form.validate_on_submit():
        try:
            workshop = create_workshop(
                current_user,
                form.title.data,
                form.city.data or None,
                form.group_list(),
                form.held_on.data,
            )
            if form.moderation.data in ("pre", "post"):
                from ..channels.defaults import set_moderation, set_results_hidden

                set_moderation(workshop, form.moderation.data, current_user)
                set_results_hidden(workshop, bool(form.results_hidden.data), current_user)
            if form.template.data:
                apply_template(workshop, load_template(form.template.data))
            db.session.commit()
        except (ServiceError, TemplateError, FileNotFoundError) as error:
            db.session.rollback()
            flash(_page_error(error), "error")
        else:
            return redirect(url_for("facilitator.panel", code=workshop.code))
    shared = select(CoFacilitator.workshop_id).where(
        CoFacilitator.facilitator_id == current_user.id
    )
    workshops = db.session.scalars(
        select(Workshop)
        .where(or_(Workshop.facilitator_id == current_user.id, Workshop.id.in_(shared)))
        .order_by(Workshop.id.desc())
    ).all()
    status = 422 if form.errors else 200
    return render_template("facilitator/dashboard.html", form=form, workshops=workshops), status


def _activity_form(workshop: Workshop) -> ActivityForm:
    form = ActivityForm()
    form.source_activity_id.choices = [
        SelectChoice(str(a.id), a.prompt) for a in workshop.activities if a.kind == "brainstorm"
    ]
    return form


@bp.get("/w/<code>")
@login_required
def panel(code: str):
    from ..panel.views import panel_context

    workshop = get_owned_workshop(code, current_user)
    return render_template(
        "facilitator/panel.html",
        activity_form=_activity_form(workshop),
        presence=broadcast.presence_payload(workshop),
        join_url=snapshots.join_url(workshop),
        **panel_context(workshop),
    )


@bp.post("/w/<code>/activities")
@login_required
def add(code: str):
    from ..panel.views import respond

    workshop = get_owned_workshop(code, current_user)
    form = _activity_form(workshop)
    if not form.validate_on_submit():
        message = _("Check the activity: %(errors)s", errors=_flatten(form.errors))
        return respond(workshop, None, Invalid(message, "invalid_activity"))
    try:
        activity = add_activity(workshop, form.spec())
        db.session.commit()
    except (ServiceError, ValueError) as error:
        db.session.rollback()
        if not isinstance(error, ServiceError):
            error = Invalid(str(error), "invalid_activity")
        return respond(workshop, None, error)
    broadcast.emit_state(workshop)
    return respond(
        workshop, _("Added: %(prompt)s", prompt=activity.prompt), None, f"activity-{activity.id}"
    )


# value sent by the panel's buttons -> the control to apply
ACTIVITY_ACTIONS = {
    "state": lambda w, a, value, who: control.set_activity_state(w, a, value, who),
    "reveal": lambda w, a, value, who: control.reveal_results(a, value == "show", who),
    "projector": lambda w, a, value, who: control.show_on_projector(a, value == "show", who),
    "lock": lambda w, a, value, who: control.lock(a, value == "on", who),
    "timer": lambda w, a, value, who: control.set_timer(
        a, None if value == "stop" else _whole_number(value), who
    ),
}


def _whole_number(value: str) -> int:
    if not value.strip().isdigit():
        raise Invalid(_("Enter the countdown in whole minutes."), "invalid_timer")
    return int(value) * 60  # the panel asks for minutes


@bp.post("/w/<code>/activities/<activity_id>/<action>")
@login_required
def activity_action(code: str, activity_id: str, action: str):
    """Open/close, reveal, projector, lock and timer buttons of the control panel."""
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    change = ACTIVITY_ACTIONS.get(action)
    form = ActionForm()
    if change is None or not form.validate_on_submit():
        abort(400)
    from ..panel.views import respond

    value = form.value.data or ""
    try:
        change(workshop, activity, value, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return respond(workshop, None, error, f"activity-{activity.id}")
    broadcast.emit_state(workshop)
    return respond(workshop, _action_message(action, value, activity), None, "now")


def _action_message(action: str, value: str, activity) -> str:
    """What the button did, said back to the facilitator."""
    if action == "state":
        if value == "open":
            return _("Open now: %(prompt)s", prompt=activity.prompt)
        return _("Closed: %(prompt)s", prompt=activity.prompt)
    if action == "timer":
        if value == "stop":
            return _("Countdown stopped.")
        return _("Countdown started: %(n)s min.", n=int(value))
    return {
        ("reveal", "show"): _("Results are shown on the phones."),
        ("reveal", "hide"): _("Results are hidden from the phones."),
        ("projector", "show"): _("Results are shown on the projector."),
        ("projector", "hide"): _("Results are hidden on the projector."),
        ("lock", "on"): _("Submissions are paused."),
        ("lock", "off"): _("Submissions are open again."),
    }.get((action, value), "")


@bp.post("/w/<code>/advance")
@login_required
def advance(code: str):
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    from ..panel.views import respond

    try:
        activity = control.advance(workshop, form.value.data or "", current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return respond(workshop, None, error, "now")
    broadcast.emit_state(workshop)
    return respond(workshop, _("Open now: %(prompt)s", prompt=activity.prompt), None, "now")


@bp.post("/w/<code>/short-code")
@login_required
def short_code(code: str):
    """Close (``value=close``) or reopen (``value=open``) the short code; the QR still joins."""
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit() or form.value.data not in ("open", "close"):
        abort(400)
    set_short_code_open(workshop, form.value.data == "open", current_user)
    db.session.commit()
    return redirect(url_for("facilitator.panel", code=workshop.code))


@bp.get("/w/<code>/handout")
@login_required
def handout(code: str):
    """An A4 page to print for every table: QR, code, URL and the venue Wi-Fi (``?wifi=``)."""
    from ..netinfo import public_base_url

    workshop = get_owned_workshop(code, current_user)
    wifi = " ".join(request.args.get("wifi", "").split())[:64] or None
    other = (
        "Scan the QR code or type the code at the address above."
        if str(get_locale()) == "th"
        else "สแกนคิวอาร์โค้ด หรือพิมพ์รหัสที่ที่อยู่ด้านบน"
    )
    return render_template(
        "facilitator/handout.html",
        workshop=workshop,
        join_url=snapshots.join_url(workshop),
        base_url=public_base_url(),
        wifi=wifi,
        other_language_hint=other,
    )


@bp.get("/w/<code>/results")
@login_required
def results(code: str):
    workshop = get_owned_workshop(code, current_user)
    return render_template(
        "facilitator/results.html", workshop=workshop, results=snapshots.workshop_results(workshop)
    )


def _page_error(error: Exception) -> str:
    """A service error in the reader's language; template errors name the file's problem."""
    if isinstance(error, ServiceError):
        return error_text(error)
    return _("The agenda template could not be used: %(problem)s", problem=str(error))


def _flatten(errors: dict) -> str:
    return "; ".join(
        f"{field}: {', '.join(map(str, messages))}" for field, messages in errors.items()
    )
