"""Control panel form of a budget vote: the cost of each statement, typed in baht."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import ActionForm
from ..live import broadcast
from ..services.errors import Invalid, ServiceError
from ..services.participation import ballot_statements
from ..services.workshops import get_activity, get_owned_workshop
from .costs import set_cost

bp = Blueprint("priorities", __name__, url_prefix="/facilitator")


@bp.post("/w/<code>/activities/<activity_id>/costs")
@login_required
def costs(code: str, activity_id: str):
    """Every ``cost-<statement id>`` field at once: all are stored, or none."""
    workshop = get_owned_workshop(code, current_user)
    activity = get_activity(workshop, activity_id)
    back = redirect(url_for("facilitator.panel", code=workshop.code) + f"#activity-{activity.id}")
    if not ActionForm().validate_on_submit() or activity.kind != "budget":
        flash(_("Costs not saved. Please try again."), "error")
        return back
    statements = ballot_statements(activity)
    try:
        for statement in statements:
            raw = request.form.get(f"cost-{statement.id}")
            if raw is None:
                continue
            raw = raw.replace(",", "").strip()
            if raw and not raw.isdigit():
                raise Invalid(_("A cost is a whole number of baht."), "invalid_cost")
            set_cost(workshop, statement, int(raw) if raw else None, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_("Costs not saved: %(reason)s", reason=error.message), "error")
        return back
    if statements:
        broadcast.statements_changed(workshop, statements[0].activity_id)
    flash(_("Costs saved."), "success")
    return back


@bp.app_template_global("budget_statements")
def budget_statements(activity) -> list:
    """The statements a budget vote is about, with their costs (for the panel's form)."""
    return ballot_statements(activity)


@bp.app_template_global("matrix_scatter")
def matrix_scatter(items: list[dict]) -> dict:
    from .chart import scatter

    return scatter(items)


@bp.app_template_global("budget_funded_line")
def budget_funded_line(items: list[dict]) -> int:
    from .chart import funded_line

    return funded_line(items)


@bp.app_template_global("quadrant_name")
def quadrant_name(key: str | None) -> str:
    from .chart import QUADRANT_NAMES

    return str(QUADRANT_NAMES[key]) if key in QUADRANT_NAMES else "–"
