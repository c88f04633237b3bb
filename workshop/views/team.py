"""The workshop's access page: the short code open or closed, and the co-facilitators.

Both were API-only (``PATCH /api/v1/workshops/<CODE>``, ``POST``/``DELETE
/api/v1/workshops/<CODE>/facilitators``); this page runs the same services behind
CSRF-checked forms and confirms each change in the reader's language.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..display.errors import error_text
from ..extensions import db
from ..forms import ActionForm, CoFacilitatorForm
from ..live import realtime
from ..models import CoFacilitator, Facilitator, Workshop
from ..services import snapshots
from ..services.errors import ServiceError
from ..services.workshops import (
    add_cofacilitator,
    get_owned_workshop,
    remove_cofacilitator,
    set_short_code_open,
)

bp = Blueprint("team", __name__, url_prefix="/facilitator")


def co_facilitators(workshop: Workshop) -> list[Facilitator]:
    return list(
        db.session.scalars(
            select(Facilitator)
            .join(CoFacilitator, CoFacilitator.facilitator_id == Facilitator.id)
            .where(CoFacilitator.workshop_id == workshop.id)
            .order_by(Facilitator.email)
        )
    )


def _back(code: str):
    return redirect(url_for("team.team_page", code=code))


@bp.get("/w/<code>/team")
@login_required
def team_page(code: str):
    workshop = get_owned_workshop(code, current_user)
    return render_template(
        "facilitator/team.html",
        workshop=workshop,
        owner=workshop.facilitator_id == current_user.id,
        co_facilitators=co_facilitators(workshop),
        invite_form=CoFacilitatorForm(),
        action_form=ActionForm(),
        join_url=snapshots.join_url(workshop),
    )


@bp.post("/w/<code>/team/short-code")
@login_required
def short_code(code: str):
    """Close (``value=close``) or reopen (``value=open``) the short code."""
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit() or form.value.data not in ("open", "close"):
        abort(400)
    is_open = form.value.data == "open"
    set_short_code_open(workshop, is_open, current_user)
    db.session.commit()
    if is_open:
        flash(_("The short code %(code)s joins again.", code=workshop.code), "success")
    else:
        flash(
            _(
                "The short code %(code)s is closed: typing it no longer joins. "
                "The QR code and the printed handouts still do.",
                code=workshop.code,
            ),
            "success",
        )
    return _back(workshop.code)


@bp.post("/w/<code>/team/invite")
@login_required
def invite(code: str):
    workshop = get_owned_workshop(code, current_user)
    form = CoFacilitatorForm()
    if not form.validate_on_submit():
        flash(_("Enter the e-mail of a facilitator who has an account."), "error")
        return _back(workshop.code)
    try:
        added = add_cofacilitator(workshop, current_user, form.email.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        flash(_("%(email)s now runs this workshop with you.", email=added.email), "success")
    return _back(workshop.code)


@bp.post("/w/<code>/team/remove")
@login_required
def remove(code: str):
    workshop = get_owned_workshop(code, current_user)
    form = ActionForm()
    if not form.validate_on_submit() or not form.value.data:
        abort(400)
    try:
        removed = remove_cofacilitator(workshop, current_user, form.value.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        # Their live panels of this workshop close now, as through the API.
        realtime.disconnect_from_workshop(removed.id, workshop.id)
        flash(_("%(email)s no longer runs this workshop.", email=removed.email), "success")
    return _back(workshop.code)
